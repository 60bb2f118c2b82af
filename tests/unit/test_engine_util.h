/* test_engine_util.h: feed seed-format lines to an engine and collect its detections (shared by
 * test_match.c, test_pww.c and test_engine.c). */
#ifndef SW_TEST_ENGINE_UTIL_H
#define SW_TEST_ENGINE_UTIL_H

#include <stdio.h>
#include <string.h>
#include "engine.h"
#include "trace_read.h"

struct got {
	unsigned n;
	char rule[64];
	uint32_t pid;
	uint64_t first_seq, last_seq, detect_time, last_time, delay;
	int level;
};

static void got_cb(void *ctx, const struct sw_detection *d)
{
	struct got *g = ctx;

	g->n++;
	snprintf(g->rule, sizeof(g->rule), "%s", d->rule);
	g->pid = d->pid;
	g->first_seq = d->first_seq, g->last_seq = d->last_seq;
	g->detect_time = d->detect_time, g->last_time = d->last_time, g->delay = d->delay;
	g->level = d->level;
}

/* Feed one seed-format line; seq is its position. Returns the parse result. */
static inline int feed_line(struct engine *e, const char *line, uint64_t seq)
{
	char buf[512];
	struct sw_event ev;
	const char *why;
	int rc;

	snprintf(buf, sizeof(buf), "%s", line);
	rc = trace_parse_line(NULL, buf, strlen(buf), &ev, &why);
	if (rc == 1) {
		ev.seq = seq;
		engine_feed(e, &ev);
	}
	return rc;
}

static inline struct engine *new_engine(const struct ruleset *rs, enum engine_mode mode, uint64_t t,
					uint64_t l_max, struct got *g)
{
	struct engine_opts o = engine_opts_default(ENGINE_COUNT);

	o.rules = rs, o.mode = mode, o.t = t, o.l_max = l_max;
	o.on_detect = got_cb, o.ctx = g;
	memset(g, 0, sizeof(*g));
	return engine_new(&o);
}

#endif /* SW_TEST_ENGINE_UTIL_H */
