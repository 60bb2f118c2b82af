/* duration.h: "250", "50ms", "10s", "2h": the one parser of amounts and durations on command
 * lines. */
#ifndef SW_DURATION_H
#define SW_DURATION_H

#include <stdbool.h>
#include <stdint.h>

/* A positive whole number with an optional unit ns, us, ms, s, m, h or d (units only when
 * with_units), in ns; a bare number counts bare_unit each (1: ns or a plain count, 1000000: ms).
 * Returns 0, or -1 for anything else (zero, negative, overflow, an unknown unit). */
int parse_amount(const char *s, bool with_units, uint64_t bare_unit, uint64_t *out);

#endif /* SW_DURATION_H */
