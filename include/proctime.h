/* proctime.h: process start times. The kernel keeps them in ns since boot (start_boottime, what
 * the sensor reads); /proc/PID/stat shows them in clock ticks. With the pid, a start time names
 * one process for the life of the boot, so ids and checks compare it in ticks, the unit both
 * sides have. */
#ifndef SW_PROCTIME_H
#define SW_PROCTIME_H

#include <stdbool.h>
#include <stdint.h>

/* One clock tick (1/sysconf(_SC_CLK_TCK) s) in ns. */
uint64_t proc_tick_ns(void);
/* a and b (ns) fall in the same tick. */
bool proc_same_start(uint64_t a_ns, uint64_t b_ns);

#endif /* SW_PROCTIME_H */
