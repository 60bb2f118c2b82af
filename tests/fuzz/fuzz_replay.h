/* fuzz_replay.h: what the reader targets share: the input read the way `replay` reads a file
 * (fmemopen, trace_read_file: the line loop with its caps, NUL bytes and bad lines), the events
 * to an engine with the built-in rules (the reader targets: fast) or to a judge with the built-in
 * rules and model as `replay` runs it (fuzz_replay.c: each judge costs some 20 ms, so fewer
 * inputs). The first byte picks the matcher (bit 0: incremental, else PWW) and the clock (bit 1:
 * events, else event time), so both matchers and clocks see every kind of input. Small tables
 * keep each input cheap; a hang (the per-input time-out) or a crash is a finding. */
#ifndef SW_FUZZ_REPLAY_H
#define SW_FUZZ_REPLAY_H

#include <stdio.h>
#include <stdlib.h>
#include "engine.h"
#include "judge.h"
#include "score.h"
#include "trace_read.h"

static const struct ruleset *fuzz_rules(void)
{
	static struct ruleset rs;
	char err[256];

	if (!rs.nrules && rules_load_default(&rs, err, sizeof(err)))
		abort();
	return &rs;
}

static void fuzz_opts(struct engine_opts *o, uint8_t sel)
{
	*o = engine_opts_default(sel & 2 ? ENGINE_COUNT : ENGINE_TIME);
	o->rules = fuzz_rules();
	o->mode = sel & 1 ? ENGINE_INCREMENTAL : ENGINE_PWW;
	o->max_streams = 16, o->max_events = 64;
}

static void fuzz_on_detect(void *ctx, const struct sw_detection *d)
{
	if (!d->nmatched || d->nmatched > ENGINE_MAX_MATCHED)
		abort();
	(void)ctx;
}

static struct engine *fuzz_engine(uint8_t sel)
{
	struct engine_opts o;

	fuzz_opts(&o, sel);
	o.on_detect = fuzz_on_detect;
	return engine_new(&o);
}

/* The end of an engine's input, as replay's: time passes, every window is searched. */
static void fuzz_engine_end(struct engine *e)
{
	if (!e)
		return;
	engine_advance(e, 1ULL << 40);
	engine_flush(e);
	engine_free(e);
}

static void fuzz_on_alert(void *ctx, struct alert *a)
{
	(void)ctx, (void)a;
}

/* A judge for one input, NULL when it cannot start. */
static struct judge *fuzz_judge(uint8_t sel)
{
	struct judge_opts o = judge_opts_default();

	fuzz_opts(&o.engine, sel);
	o.rules = fuzz_rules();
	o.model = score_model_default();
	o.threshold = o.model ? o.model->threshold : 0.5;
	o.max_procs = 256;
	o.on_alert = fuzz_on_alert;
	return judge_new(&o);
}

/* Read data as a file with parse (state pstate), every event to cb. */
static void fuzz_read(const uint8_t *data, size_t size, sw_line_parser parse, void *pstate,
		      sw_event_cb cb, void *ctx)
{
	struct sw_read_stats st = { 0 };
	FILE *f = size ? fmemopen((void *)data, size, "r") : NULL;

	if (!f)
		return;
	trace_read_file(f, "fuzz", false, parse, pstate, cb, ctx, &st);
	fclose(f);
	if (st.events > st.lines || st.bad > st.lines)
		abort();
}

#endif /* SW_FUZZ_REPLAY_H */
