/* cmd_record.c: `shellwatch record`, live capture written as a text trace (docs/trace-format.md),
 * one line per event: first the header (this host), then a `proc` line for every process running
 * when the sensor attached (the /proc scan `run` does too), then the live events. A thin shell
 * around live.h: options, the output file, the final counts on stderr.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "live.h"
#include "liveloop.h"
#include "trace_fmt.h"

struct record {
	const char *out_path;
	FILE *out;
	struct live_opts lo;
	char line[4 * (WIRE_ARGV_MAX + WIRE_EXE_MAX) + 1024];
};

static const struct argp_option options[] = {
	{ "output", 'o', "FILE", 0, "write the trace to FILE (default: standard output)", 0 },
	{ "pid", 'p', "PID", 0, "only events of process PID (its thread-group id)", 0 },
	{ "comm", 'c', "NAME", 0, "only events of tasks named NAME (comm, at most 15 bytes)", 0 },
	{ "ringbuf", 'r', "MIB", 0, "ring buffer size in MiB, a power of 2 (default 8)", 0 },
	{ "verbose", 'v', 0, 0, "show libbpf's messages (verifier log on errors)", 0 },
	{ 0 }
};

static int parse_u32(const char *s, uint32_t *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v == 0 || v > UINT32_MAX || s[0] == '-')
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct record *r = state->input;

	switch (key) {
	case 'o': r->out_path = arg; break;
	case 'c':
		if (strlen(arg) >= WIRE_COMM_LEN)
			argp_error(state, "--comm '%s' is longer than %d bytes, the kernel's limit", arg,
				   WIRE_COMM_LEN - 1);
		r->lo.comm = arg;
		break;
	case 'v': r->lo.verbose = true; break;
	case 'p':
		if (parse_u32(arg, &r->lo.pid))
			argp_error(state, "--pid wants a positive process id, not '%s'", arg);
		break;
	case 'r':
		if (parse_u32(arg, &r->lo.ringbuf_mb) || r->lo.ringbuf_mb & (r->lo.ringbuf_mb - 1) ||
		    r->lo.ringbuf_mb > 1024)
			argp_error(state, "--ringbuf wants a power of 2 MiB up to 1024, not '%s'", arg);
		break;
	case ARGP_KEY_ARG:
		argp_error(state, "unexpected argument '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp argp = {
	options, parse_opt, NULL,
	"Write live system-call events (accept, connect, dup family, exec, fork, exit) as a text "
	"trace, one line per event, after a header naming this host and a `proc` line per process "
	"already running; `shellwatch replay` judges it as `run` would have. Needs root. Prints "
	"`ready` on stderr once attached; on Ctrl-C or SIGTERM detaches and prints on stderr how many "
	"events were seen, filtered in the kernel and dropped.",
	NULL, NULL, NULL
};

static int write_event(void *ctx, const struct sw_event *ev)
{
	struct record *r = ctx;
	size_t n = trace_format(ev, r->line, sizeof(r->line));

	if (n >= sizeof(r->line))
		n = sizeof(r->line) - 1;
	r->line[n] = '\n';
	if (fwrite(r->line, 1, n + 1, r->out) != n + 1)
		return errno ? -errno : -EIO;
	return 0;
}

static int flush_out(void *ctx, uint64_t before)
{
	struct record *r = ctx;

	(void)before;
	return fflush(r->out) ? (errno ? -errno : -EIO) : 0;
}

/* The header and the processes already running (liveloop_seed), then the live events. */
static int write_start(struct record *r, struct live *lv)
{
	int scan_err, rc = liveloop_seed(lv, write_event, r, r->lo.pid, r->lo.comm, &scan_err);

	if (scan_err)
		fprintf(stderr, "shellwatch record: warning: cannot read /proc (%s): processes started "
				"before the sensor are not in the trace\n", strerror(-scan_err));
	return rc;
}

static int capture(struct record *r, struct live *lv)
{
	struct live_stats st;
	int err = write_start(r, lv) ? -EIO : 0;

	fprintf(stderr, "%s: ready\n", "shellwatch record");
	if (!err)
		err = liveloop_run(lv, 100, flush_out, r);
	fflush(r->out);
	live_stats(lv, &st);
	fprintf(stderr, "shellwatch record: %llu events, %llu filtered in kernel, %llu dropped, %llu "
		"execs dropped", (unsigned long long)st.events, (unsigned long long)st.filtered,
		(unsigned long long)st.dropped, (unsigned long long)st.exec_dropped);
	if (st.bad)
		fprintf(stderr, ", %llu undecodable", (unsigned long long)st.bad);
	fprintf(stderr, "; exec delivery mean %llu us, max %llu us\n",
		(unsigned long long)(st.execs ? st.exec_lat_sum_ns / st.execs / 1000 : 0),
		(unsigned long long)(st.exec_lat_max_ns / 1000));
	if (err < 0) {
		fprintf(stderr, "shellwatch record: stopped: %s\n", strerror(-err));
		return SW_EXIT_RUNTIME;
	}
	return SW_EXIT_OK;
}

int cmd_record(int argc, char **argv)
{
	static struct record r;
	struct live *lv;
	char why[512];
	int rc;

	memset(&r, 0, sizeof(r));
	if (argp_parse(&argp, argc, argv, 0, NULL, &r))
		return SW_EXIT_USAGE;
	r.out = stdout;
	if (r.out_path && !(r.out = fopen(r.out_path, "w"))) {
		fprintf(stderr, "shellwatch record: cannot open %s: %s\n", r.out_path, strerror(errno));
		return SW_EXIT_RUNTIME;
	}
	r.lo.on_event = write_event;
	r.lo.cb_ctx = &r;
	liveloop_signals();
	lv = live_open(&r.lo, why, sizeof(why));
	if (!lv) {
		fprintf(stderr, "shellwatch record: %s\n", why);
		rc = SW_EXIT_RUNTIME;
	} else {
		rc = capture(&r, lv);
	}
	live_close(lv);
	if (r.out != stdout && fclose(r.out) && rc == SW_EXIT_OK) {
		fprintf(stderr, "shellwatch record: cannot write %s: %s\n", r.out_path, strerror(errno));
		rc = SW_EXIT_RUNTIME;
	}
	return rc;
}
