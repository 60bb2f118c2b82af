/* proctime.c: process start times in clock ticks (include/proctime.h). */
#include <unistd.h>
#include "proctime.h"

uint64_t proc_tick_ns(void)
{
	static uint64_t tick;

	if (!tick) {
		long hz = sysconf(_SC_CLK_TCK);

		tick = 1000000000ull / (uint64_t)(hz > 0 ? hz : 100);
	}
	return tick;
}

bool proc_same_start(uint64_t a, uint64_t b)
{
	return a / proc_tick_ns() == b / proc_tick_ns();
}
