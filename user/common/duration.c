/* duration.c: amounts and durations from the command line (include/duration.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "duration.h"

int parse_amount(const char *s, bool with_units, uint64_t bare_unit, uint64_t *out)
{
	static const struct { const char *sfx; uint64_t mul; } u[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
		{ "m", 60000000000ull }, { "h", 3600000000000ull }, { "d", 86400000000000ull },
	};
	unsigned long long v;
	uint64_t mul = 0;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-' || s[0] == '+' || s[0] == ' ' || v == 0)
		return -1;
	if (!*end)
		mul = bare_unit;
	for (size_t i = 0; with_units && *end && i < sizeof(u) / sizeof(u[0]); i++)
		if (!strcmp(end, u[i].sfx))
			mul = u[i].mul;
	if (!mul || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}
