/* baseline_live.h: `shellwatch baseline learn --live`: this host's execs, as the sensor sees
 * them (include/live.h), into a baseline learner for a while. */
#ifndef SW_BASELINE_LIVE_H
#define SW_BASELINE_LIVE_H

#include <stdint.h>
#include "baseline.h"

/* Attach, say "ready" on stderr, add every exec's command line to l for duration_ns (or until
 * SIGINT or SIGTERM), detach. A process exit code: 0, or 1 (cannot attach, ring buffer error). */
int baseline_live_learn(struct baseline_learner *l, uint64_t duration_ns);

#endif /* SW_BASELINE_LIVE_H */
