/* cmd_replay.c: `shellwatch replay`: offline detection on a capture (seed trace format or strace).
 * Detections go to stdout (text, or JSON lines with --json), the summary to stderr. */
#include <argp.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "detect_out.h"
#include "engine.h"
#include "strace_read.h"
#include "trace_read.h"

struct replay_args {
	const char *file, *rules, *format, *t, *l_max;
	bool json, strict, incremental, time_clock;
	unsigned long max_streams, max_events;
};

enum { OPT_STRICT = 1000, OPT_MAX_STREAMS, OPT_MAX_EVENTS };

static const struct argp_option options[] = {
	{ "format", 'f', "FMT", 0, "input format: syscalls (the text trace format, default) or strace", 0 },
	{ "rules", 'r', "FILE", 0, "rules file (docs/rules.md) instead of the built-in rules", 0 },
	{ "json", 'j', 0, 0, "one JSON object per detection on stdout, nothing else", 0 },
	{ "strict", OPT_STRICT, 0, 0, "stop at the first bad line (exit code 1)", 0 },
	{ "incremental", 'i', 0, 0, "advance partial matches per event instead of PWW windows", 0 },
	{ "time", 'T', 0, 0, "time-based windows from the events' timestamps (default: one unit per event)", 0 },
	{ "batch", 't', "N", 0, "initial batch duration t: events, or with --time a duration like 50ms "
				"(default 5 / 50ms)", 0 },
	{ "lmax", 'L', "N", 0, "longest pattern instance L_max: events, or with --time a duration "
			       "(default 100 / 10s)", 0 },
	{ "max-streams", OPT_MAX_STREAMS, "N", 0, "process streams held at once (default 16384)", 0 },
	{ "max-events", OPT_MAX_EVENTS, "N", 0, "events held per process stream (default 1024)", 0 },
	{ 0 }
};

static int parse_count(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || end == s || *end || s[0] == '-' || *out == 0 ? -1 : 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct replay_args *a = state->input;

	switch (key) {
	case 'f': a->format = arg; break;
	case 'r': a->rules = arg; break;
	case 'j': a->json = true; break;
	case OPT_STRICT: a->strict = true; break;
	case 'i': a->incremental = true; break;
	case 'T': a->time_clock = true; break;
	case 't': a->t = arg; break;
	case 'L': a->l_max = arg; break;
	case OPT_MAX_STREAMS:
		if (parse_count(arg, &a->max_streams) || a->max_streams > (1u << 24))
			argp_error(state, "--max-streams takes a number from 1 to 16777216");
		break;
	case OPT_MAX_EVENTS:
		if (parse_count(arg, &a->max_events) || a->max_events < 8 || a->max_events > (1u << 24))
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
		if (strcmp(a->format, "syscalls") && strcmp(a->format, "strace"))
			argp_error(state, "unknown format '%s' (syscalls or strace)", a->format);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* "250" events, or with units ns/us/ms/s when time based (a bare number is then ns). */
static int parse_amount(const char *s, bool time_clock, uint64_t *out)
{
	static const struct { const char *sfx; uint64_t mul; } u[] = {
		{ "", 1 }, { "ns", 1 }, { "us", 1000 }, { "ms", 1000000 }, { "s", 1000000000 },
	};
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || s[0] == '-' || v == 0)
		return -1;
	for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
		if (!strcmp(end, u[i].sfx) && (time_clock || i == 0)) {
			if (v > UINT64_MAX / u[i].mul)
				return -1;
			*out = v * u[i].mul;
			return 0;
		}
	return -1;
}

struct replay {
	struct engine *e;
	bool json;
	int write_err;
};

static void on_detect(void *ctx, const struct sw_detection *d)
{
	struct replay *r = ctx;

	if ((r->json ? detect_write_json(stdout, d) : detect_write_text(stdout, d)) < 0)
		r->write_err = 1;
}

static int feed(void *ctx, const struct sw_event *ev)
{
	struct replay *r = ctx;

	engine_feed(r->e, ev);
	return r->write_err;
}

static void summary(const char *name, const struct sw_read_stats *rs, const struct engine_stats *st)
{
	fprintf(stderr,
		"%s: %" PRIu64 " lines, %" PRIu64 " events, %" PRIu64 " bad lines; %" PRIu64 " kept, %"
		PRIu64 " detections (%" PRIu64 " repeats in related processes); work %" PRIu64 " (events searched) in %" PRIu64 " windows; streams %"
		PRIu64 " max, %" PRIu64 " evicted; %" PRIu64 " events dropped, %" PRIu64
		" partial matches dropped, %" PRIu64 " searches cut; %" PRIu64 " KiB max\n",
		name, rs->lines, rs->events, rs->bad, st->kept, st->detections, st->duplicates, st->searched,
		st->windows, st->streams_max, st->streams_evicted, st->events_dropped,
		st->partials_dropped, st->budget_exhausted, st->bytes_max / 1024);
}

/* Build the engine options from the arguments; prints the error and returns -1 on bad ones. */
static int make_opts(const struct replay_args *a, const struct ruleset *rs, struct replay *r,
		     struct engine_opts *o)
{
	*o = engine_opts_default(a->time_clock ? ENGINE_TIME : ENGINE_COUNT);
	o->rules = rs;
	o->mode = a->incremental ? ENGINE_INCREMENTAL : ENGINE_PWW;
	o->on_detect = on_detect;
	o->ctx = r;
	if (a->max_streams)
		o->max_streams = (uint32_t)a->max_streams;
	if (a->max_events)
		o->max_events = (uint32_t)a->max_events;
	if ((a->t && parse_amount(a->t, a->time_clock, &o->t)) ||
	    (a->l_max && parse_amount(a->l_max, a->time_clock, &o->l_max))) {
		fprintf(stderr, "shellwatch replay: --batch and --lmax take a positive number%s\n",
			a->time_clock ? " with an optional unit (ns, us, ms, s)" : " of events");
		return -1;
	}
	if (o->l_max / o->t > 65536 || o->t > (1ULL << 50) || o->l_max > (1ULL << 50)) {
		fprintf(stderr, "shellwatch replay: --lmax / --batch must be at most 65536\n");
		return -1;
	}
	return 0;
}

static int load_rules(const struct replay_args *a, struct ruleset *rs)
{
	char err[512];
	int rc = a->rules ? rules_load_file(rs, a->rules, err, sizeof(err))
			  : rules_load_default(rs, err, sizeof(err));

	if (rc)
		fprintf(stderr, "shellwatch replay: %s\n", err);
	return rc;
}

static int run_replay(const struct replay_args *a, struct engine_opts *o, struct replay *r)
{
	bool strace = !strcmp(a->format, "strace");
	struct strace_reader *sr = strace ? strace_reader_new() : NULL;
	FILE *f = trace_open(a->file);
	const char *name = strcmp(a->file, "-") ? a->file : "<stdin>";
	struct sw_read_stats rs = { 0 };
	struct engine_stats st;
	int rc = -1;

	if (!f)
		fprintf(stderr, "shellwatch replay: %s: %s\n", a->file, strerror(errno));
	else if (strace && !sr)
		fprintf(stderr, "shellwatch replay: out of memory\n");
	else if (!(r->e = engine_new(o)))
		fprintf(stderr, "shellwatch replay: cannot start the engine: %s\n", strerror(errno));
	else
		rc = trace_read_file(f, name, a->strict, strace ? strace_parse_line : trace_parse_line,
				     sr, feed, r, &rs);
	if (r->e) {
		if (rc == 0)
			engine_flush(r->e);
		engine_stats(r->e, &st);
		summary(name, &rs, &st);
		engine_free(r->e);
	}
	if (f)
		fclose(f);
	strace_reader_free(sr);
	if (fflush(stdout) || r->write_err) {
		fprintf(stderr, "shellwatch replay: cannot write the detections\n");
		rc = -1;
	}
	return rc ? SW_EXIT_RUNTIME : SW_EXIT_OK;
}

int cmd_replay(int argc, char **argv)
{
	static const struct argp argp = {
		options, parse_opt, "FILE|-",
		"Detect remote shells in a recorded trace: the text trace format of `shellwatch record` "
		"(and the seed's bare lines) or `strace -f` output, plain or gzip-compressed. Prints "
		"each detection on stdout and a summary on stderr.",
		0, 0, 0
	};
	struct replay_args a = { .format = "syscalls" };
	struct ruleset rs = { 0 };
	struct engine_opts o;
	struct replay r = { 0 };
	int rc;

	if (argp_parse(&argp, argc, argv, 0, 0, &a))
		return SW_EXIT_USAGE;
	if (load_rules(&a, &rs))
		return SW_EXIT_USAGE;
	r.json = a.json;
	rc = make_opts(&a, &rs, &r, &o) ? SW_EXIT_USAGE : run_replay(&a, &o, &r);
	rules_free(&rs);
	return rc;
}
