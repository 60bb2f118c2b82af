/* cmd_replay.c: `shellwatch replay`: a capture (a `record` trace or the seed's bare lines, strace
 * -f output, an auditd log) through the same judge and outputs as `run` (judge.h, sink.h), so a
 * recording replays to the alerts `run` printed. Alerts on stdout (text, or JSON lines with
 * --json), the summary on stderr. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "auditd_read.h"
#include "commands.h"
#include "duration.h"
#include "judge_args.h"
#include "sink_args.h"
#include "strace_read.h"
#include "trace_read.h"

/* A capture's processes the judge tracks at once: a quarter of run's table, so that no trace
 * (100,000 forks that never exit) takes replay past 64 MiB; --max-procs raises it. */
#define REPLAY_MAX_PROCS 16384

enum replay_format { FMT_TRACE, FMT_STRACE, FMT_AUDITD };

struct replay_args {
	const char *file, *t, *l_max;
	enum replay_format format;
	bool strict, events_clock;
	unsigned long max_streams, max_events;
	struct judge_args ja;
	struct sink_opts so;
	struct sink sink;
};

enum { OPT_STRICT = 1000, OPT_MAX_STREAMS, OPT_MAX_EVENTS, OPT_CLOCK, OPT_BATCH, OPT_LMAX };

static const struct argp_option options[] = {
	{ "format", 'f', "FMT", 0, "input format: syscalls (the text trace of `record`, default), "
				   "strace (strace -f, best with -yy), auditd (an audit.log, RAW or "
				   "ENRICHED; docs/auditd.md)", 0 },
	{ "clock", OPT_CLOCK, "CLOCK", 0, "windows in event time (time, default: the events' "
					  "timestamps) or in events (events: one unit per event)", 0 },
	{ "batch", OPT_BATCH, "N", 0, "initial batch duration t: a duration like 50ms, or events "
				      "with --clock events (default 50ms / 5)", 0 },
	{ "lmax", OPT_LMAX, "N", 0, "longest pattern instance L_max: a duration, or events with "
				    "--clock events (default 10s / 100)", 0 },
	{ "max-streams", OPT_MAX_STREAMS, "N", 0, "process streams held at once (default 8192)", 0 },
	{ "max-events", OPT_MAX_EVENTS, "N", 0, "events held per process stream (default 64)", 0 },
	{ "strict", OPT_STRICT, 0, 0, "stop at the first bad line (exit code 1)", 0 },
	{ 0 }
};

static int parse_count(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	uint64_t v;

	if (parse_amount(s, false, 1, &v) || v < lo || v > hi)
		return -1;
	*out = (unsigned long)v;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct replay_args *a = state->input;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &a->ja;
		state->child_inputs[1] = &a->so;
		break;
	case 'f':
		if (!strcmp(arg, "syscalls"))
			a->format = FMT_TRACE;
		else if (!strcmp(arg, "strace"))
			a->format = FMT_STRACE;
		else if (!strcmp(arg, "auditd"))
			a->format = FMT_AUDITD;
		else
			argp_error(state, "unknown format '%s' (syscalls, strace or auditd)", arg);
		break;
	case OPT_STRICT: a->strict = true; break;
	case OPT_CLOCK:
		if (strcmp(arg, "time") && strcmp(arg, "events"))
			argp_error(state, "--clock is time or events, not '%s'", arg);
		a->events_clock = !strcmp(arg, "events");
		break;
	case OPT_BATCH: a->t = arg; break;
	case OPT_LMAX: a->l_max = arg; break;
	case OPT_MAX_STREAMS:
		if (parse_count(arg, 1, 1u << 24, &a->max_streams))
			argp_error(state, "--max-streams takes a number from 1 to 16777216");
		break;
	case OPT_MAX_EVENTS:
		if (parse_count(arg, 8, 1u << 24, &a->max_events))
			argp_error(state, "--max-events takes a number from 8 to 16777216");
		break;
	case ARGP_KEY_ARG:
		if (a->file)
			argp_error(state, "one input file only");
		a->file = arg;
		break;
	case ARGP_KEY_END:
		if (!a->file)
			argp_error(state, "no input file (use - for standard input)");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

struct replay {
	struct judge *j;
	struct sink *sink;
};

static void on_alert(void *ctx, struct alert *a)
{
	struct replay *r = ctx;

	sink_write(r->sink, a);
}

static int feed(void *ctx, const struct sw_event *ev)
{
	struct replay *r = ctx;

	judge_event(r->j, ev);
	return r->sink->st.alert_errors ? -1 : 0;   /* replay stops at a lost alert */
}

static void summary(const char *name, const struct sw_read_stats *rs, const struct judge_stats *js)
{
	const struct engine_stats *st = &js->engine;

	fprintf(stderr,
		"%s: %" PRIu64 " lines, %" PRIu64 " events, %" PRIu64 " bad lines; %" PRIu64 " execs "
		"judged, %" PRIu64 " alerts printed (decided: %" PRIu64 " high, %" PRIu64 " medium, %"
		PRIu64 " low; %" PRIu64 " below --min-severity, %" PRIu64 " suppressed; %" PRIu64
		" execs on sanctioned servers' connections), %" PRIu64 " merged, %" PRIu64
		" absorbed; rules: %" PRIu64 " events kept, %" PRIu64 " matches "
		"(%" PRIu64 " repeats in related processes), work %" PRIu64 " in %" PRIu64 " windows; "
		"streams %" PRIu64 " max, %" PRIu64 " evicted; %" PRIu64 " events dropped, %" PRIu64
		" partial matches dropped, %" PRIu64 " searches cut; %" PRIu64 " KiB max; processes %"
		PRIu64 " max, %" PRIu64 " untracked\n",
		name, rs->lines, rs->events, rs->bad, js->execs, js->alerts,
		js->by_severity[SEV_HIGH], js->by_severity[SEV_MEDIUM], js->by_severity[SEV_LOW],
		js->below_min, js->suppressed, js->sanctioned, js->merged, js->absorbed, st->kept, st->detections, st->duplicates,
		st->searched, st->windows, st->streams_max, st->streams_evicted, st->events_dropped,
		st->partials_dropped, st->budget_exhausted, st->bytes_max / 1024, js->procs.max_live,
		js->procs.dropped);
	if (rs->cut)
		fprintf(stderr, "%s: %" PRIu64 " lines longer than 256 KiB (bad lines): %" PRIu64
			" bytes skipped\n", name, rs->cut, rs->skipped);
}

/* The engine's windows and bounds from the arguments; prints the error and returns -1 on bad
 * ones. */
static int make_opts(const struct replay_args *a, struct judge_opts *o)
{
	bool ev = a->events_clock;
	struct engine_opts d = engine_opts_default(ev ? ENGINE_COUNT : ENGINE_TIME);

	o->engine.clock = d.clock, o->engine.t = d.t, o->engine.l_max = d.l_max;
	if (a->max_streams)
		o->engine.max_streams = (uint32_t)a->max_streams;
	if (a->max_events)
		o->engine.max_events = (uint32_t)a->max_events;
	if ((a->t && parse_amount(a->t, !ev, 1, &o->engine.t)) ||
	    (a->l_max && parse_amount(a->l_max, !ev, 1, &o->engine.l_max))) {
		fprintf(stderr, "shellwatch replay: --batch and --lmax take a positive number%s\n",
			ev ? " of events" : " with an optional unit (ns, us, ms, s)");
		return -1;
	}
	if (o->engine.l_max / o->engine.t > 65536 || o->engine.t > (1ULL << 50) ||
	    o->engine.l_max > (1ULL << 50)) {
		fprintf(stderr, "shellwatch replay: --lmax / --batch must be at most 65536\n");
		return -1;
	}
	return 0;
}

static int read_input(const struct replay_args *a, FILE *f, const char *name, struct replay *r,
		      struct sw_read_stats *rs)
{
	struct strace_reader *sr = NULL;
	int rc;

	switch (a->format) {
	case FMT_STRACE:
		if (!(sr = strace_reader_new())) {
			fprintf(stderr, "shellwatch replay: out of memory\n");
			return -1;
		}
		rc = trace_read_file(f, name, a->strict, strace_parse_line, sr, feed, r, rs);
		strace_reader_free(sr);
		return rc;
	case FMT_AUDITD:
		return auditd_read_events(f, name, a->strict, feed, r, rs, NULL);
	case FMT_TRACE:
	default:
		return trace_read_file(f, name, a->strict, trace_parse_line, NULL, feed, r, rs);
	}
}

static int run_replay(const struct replay_args *a, const struct judge_opts *o, struct sink *sink)
{
	const char *name = strcmp(a->file, "-") ? a->file : "<stdin>";
	struct sw_read_stats rs = { 0 };
	struct replay r = { .sink = sink };
	struct judge_opts jo = *o;
	struct judge_stats js;
	FILE *f = trace_open(a->file);
	int rc = -1;

	jo.on_alert = on_alert;
	jo.ctx = &r;
	if (!f)
		fprintf(stderr, "shellwatch replay: %s: %s\n", a->file, strerror(errno));
	else if (!(r.j = judge_new(&jo)))
		fprintf(stderr, "shellwatch replay: cannot start the engine: %s\n", strerror(errno));
	else
		rc = read_input(a, f, name, &r, &rs);
	if (r.j) {
		judge_finish(r.j);  /* searches what is open, emits what is held */
		judge_stats(r.j, &js);
		summary(name, &rs, &js);
		judge_free(r.j);
	}
	if (f)
		fclose(f);
	return rc ? SW_EXIT_RUNTIME : SW_EXIT_OK;
}

/* The output's closing line; a lost alert is a runtime error. */
static int close_report(const struct sink *s, int rc)
{
	char line[1024];

	sink_summary(s, line, sizeof(line));
	if (line[0])
		fprintf(stderr, "shellwatch replay: outputs: %s\n", line);
	if (sink_lost(s)) {
		fprintf(stderr, "shellwatch replay: alerts were lost (see above)\n");
		return SW_EXIT_RUNTIME;
	}
	return rc;
}

int cmd_replay(int argc, char **argv)
{
	/* A capture's machine is not this one: host name from its meta line, no host.id. */
	static const struct out_ident no_ident = { "", "", "" };
	static const struct argp_child children[] = {
		{ &judge_argp, 0, "Judgement:", 0 }, { &sink_argp, 0, "Output:", 0 }, { 0 }
	};
	static const struct argp argp = {
		options, parse_opt, "FILE|-",
		"Detect remote shells in a capture with the same judge as `run`: the text trace of "
		"`shellwatch record` (and the seed's bare lines), `strace -f` output (-yy gives it "
		"the socket and pipe facts) or an auditd log (docs/auditd.md), plain or "
		"gzip-compressed. Prints the alerts on stdout "
		"(or FILE) and a summary on stderr.",
		children, 0, 0
	};
	static struct replay_args a;
	struct judge_opts o = judge_opts_default();
	int rc;

	memset(&a, 0, sizeof(a));
	a.format = FMT_TRACE;
	judge_args_init(&a.ja);
	sink_args_init(&a.so);
	if (argp_parse(&argp, argc, argv, 0, 0, &a))
		return SW_EXIT_USAGE;
	o.max_procs = REPLAY_MAX_PROCS;
	rc = judge_args_apply(&a.ja, "shellwatch replay", &o);
	if (rc == 0 && make_opts(&a, &o))
		rc = SW_EXIT_USAGE;
	if (rc == 0 && sink_open(&a.sink, &a.so, &no_ident, "shellwatch replay")) {
		rc = SW_EXIT_RUNTIME;
	} else if (rc == 0) {
		rc = run_replay(&a, &o, &a.sink);
		sink_close(&a.sink);
		rc = close_report(&a.sink, rc);
	}
	judge_args_free(&a.ja);
	return rc;
}
