/* cmd_run.c: `shellwatch run`, live detection: the sources (this host's meta event, the /proc
 * scan, then live capture) feed the judge (judge.h), whose alerts go to the sink (sink.h): the
 * same judge and outputs `replay` uses on a recording. Options, --kill, and the closing counts. */
#include <argp.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "commands.h"
#include "judge_args.h"
#include "live.h"
#include "liveloop.h"
#include "procscan.h"
#include "proctime.h"
#include "sink.h"

#define LAT_MAX 4096

struct run {
	bool kill, realtime;
	struct judge_args ja;
	struct judge_opts jo;
	struct live_opts lo;
	struct sink sink;
	struct judge *j;
	unsigned long kills, kill_failed;
	uint64_t lat[LAT_MAX];       /* exec -> alert written, ns, high alerts (a ring) */
	uint64_t nlat;
};

enum { OPT_KILL = 1000, OPT_SYSLOG, OPT_REALTIME };

static const struct argp_option options[] = {
	{ "json", 'j', 0, 0, "one JSON object per alert (ECS field names), nothing else on stdout", 0 },
	{ "output", 'o', "FILE", 0, "append alerts to FILE instead of stdout; SIGHUP reopens it", 0 },
	{ "syslog", OPT_SYSLOG, 0, 0, "also send each alert to syslog (facility authpriv)", 0 },
	{ "kill", OPT_KILL, 0, 0, "SIGKILL every remote shell of severity high: in the kernel, "
				  "before it runs, when an interpreter is exec'd to read its commands "
				  "from an inet socket on stdin and stdout, else from user space at the "
				  "alert. Off by default: a false positive kills a legitimate process", 0 },
	{ "realtime", OPT_REALTIME, 0, 0, "run as SCHED_FIFO (priority 1): steadier detection latency "
					  "on a busy machine, at the cost of CPU for others under an "
					  "event flood", 0 },
	{ "verbose", 'v', 0, 0, "show libbpf's messages (verifier log on errors)", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct run *r = state->input;

	switch (key) {
	case ARGP_KEY_INIT: state->child_inputs[0] = &r->ja; break;
	case 'j': r->sink.json = true; break;
	case 'o': r->sink.path = arg; break;
	case OPT_SYSLOG: r->sink.syslog = true; break;
	case OPT_KILL: r->kill = r->lo.kill_remote_shell = true; break;
	case OPT_REALTIME: r->realtime = true; break;
	case 'v': r->lo.verbose = true; break;
	case ARGP_KEY_ARG: argp_error(state, "unexpected argument '%s'", arg); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* SIGKILL through a pidfd, after checking that the pid is still the alerted process (same start
 * time): the pidfd pins what it opened, and a process that still has the start time after the
 * open is the one it opened, so a recycled pid is never hit. */
static int kill_pid(uint32_t pid, uint64_t start_ns)
{
	int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0), rc;

	if (fd < 0)
		return -errno;
	if (start_ns && !proc_same_start(procscan_start_ns("/proc", pid), start_ns)) {
		close(fd);
		return -ESRCH;
	}
	rc = (int)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	rc = rc ? -errno : 0;
	close(fd);
	return rc;
}

static void on_alert(void *ctx, struct alert *a)
{
	struct run *r = ctx;
	bool high = a->severity == SEV_HIGH;

	if (!a->killed && r->kill && high && !a->suppressed_by) {
		if (kill_pid(a->pid, a->start_ns) == 0) {
			a->killed = true;
			a->kill_ns = live_clock_ns();
			r->kills++;
		} else {
			r->kill_failed++;
		}
	}
	/* the delay the alert reports runs to when it is written, not to the event that decided */
	a->decided_ns = live_clock_ns();
	sink_write(&r->sink, a);
	if (high)
		r->lat[r->nlat++ % LAT_MAX] = live_clock_ns() - a->exec_ns;
}

static int on_event(void *ctx, const struct sw_event *ev)
{
	struct run *r = ctx;

	judge_event(r->j, ev);
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void summary(struct run *r, struct live *lv)
{
	struct live_stats ls;
	struct judge_stats cs;
	size_t n = r->nlat < LAT_MAX ? r->nlat : LAT_MAX;

	live_stats(lv, &ls);
	judge_stats(r->j, &cs);
	fprintf(stderr, "shellwatch run: %llu events, %llu filtered in kernel, %llu dropped; %llu "
		"execs judged; %llu alerts printed (decided: %llu high, %llu medium, %llu low; %llu below "
		"--min-severity, %llu suppressed by exceptions; %llu execs on sanctioned servers' "
		"connections), %llu merged into "
		"earlier alerts, %llu absorbed; processes %llu max, %llu untracked (table full); "
		"engine streams %llu max, %llu evicted, %llu events dropped",
		(unsigned long long)ls.events, (unsigned long long)ls.filtered,
		(unsigned long long)ls.dropped, (unsigned long long)cs.execs,
		(unsigned long long)cs.alerts, (unsigned long long)cs.by_severity[SEV_HIGH],
		(unsigned long long)cs.by_severity[SEV_MEDIUM], (unsigned long long)cs.by_severity[SEV_LOW],
		(unsigned long long)cs.below_min, (unsigned long long)cs.suppressed,
		(unsigned long long)cs.sanctioned, (unsigned long long)cs.merged,
		(unsigned long long)cs.absorbed, (unsigned long long)cs.procs.max_live,
		(unsigned long long)cs.procs.dropped, (unsigned long long)cs.engine.streams_max,
		(unsigned long long)cs.engine.streams_evicted,
		(unsigned long long)cs.engine.events_dropped);
	if (r->kill)
		fprintf(stderr, "; %llu killed in the kernel at exec, %lu from user space, %lu kills "
			"failed", (unsigned long long)cs.kernel_kills, r->kills, r->kill_failed);
	if (n) {
		qsort(r->lat, n, sizeof(r->lat[0]), cmp_u64);
		/* nearest rank: the smallest value with at least p% of the samples at or below */
		fprintf(stderr, "; exec to alert (%zu alerts) p50 %.3f ms, p99 %.3f ms, max %.3f ms",
			n, (double)r->lat[(n * 50 + 99) / 100 - 1] / 1e6,
			(double)r->lat[(n * 99 + 99) / 100 - 1] / 1e6,
			(double)r->lat[n - 1] / 1e6);
	}
	if (r->sink.write_errors)
		fprintf(stderr, "; %lu alerts could not be written", r->sink.write_errors);
	fputc('\n', stderr);
}

/* After each poll: every event up to `before` has been judged, so time has moved on to it. */
static int after_poll(void *ctx, uint64_t before)
{
	struct run *r = ctx;
	int rc;

	judge_tick(r->j, before);
	if (liveloop_take_reopen() && (rc = sink_reopen(&r->sink)))
		fprintf(stderr, "shellwatch run: cannot reopen %s: %s (still writing to the old "
				"file)\n", r->sink.path, strerror(-rc));
	return 0;
}

static int detect(struct run *r, struct live *lv)
{
	int err;

	fprintf(stderr, "shellwatch run: ready\n");
	err = liveloop_run(lv, 50, after_poll, r);
	if (err < 0) {
		fprintf(stderr, "shellwatch run: cannot read events: %s\n", strerror(-err));
		return SW_EXIT_RUNTIME;
	}
	return SW_EXIT_OK;
}

/* This host first, so alerts name it; then what /proc says about the processes already
 * running (liveloop_seed). */
static void seed(struct run *r, struct live *lv)
{
	int scan_err;

	liveloop_seed(lv, on_event, r, 0, NULL, &scan_err);
	if (scan_err)
		fprintf(stderr, "shellwatch run: warning: cannot read /proc (%s): processes started "
				"before the sensor are unknown to it\n", strerror(-scan_err));
}

static int start(struct run *r)
{
	struct live *lv = NULL;
	char why[512];
	int rc;

	if (r->realtime) {
		struct sched_param sp = { .sched_priority = 1 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			fprintf(stderr, "shellwatch run: warning: --realtime: %s (going on with the "
					"normal policy)\n", strerror(errno));
	}
	if ((rc = sink_open(&r->sink))) {
		fprintf(stderr, "shellwatch run: cannot open %s: %s\n", r->sink.path, strerror(-rc));
		return SW_EXIT_RUNTIME;
	}
	if (!(r->j = judge_new(&r->jo))) {
		fprintf(stderr, "shellwatch run: cannot start the engine: %s\n", strerror(errno));
		rc = SW_EXIT_RUNTIME;
	} else if (!(lv = live_open(&r->lo, why, sizeof(why)))) {
		fprintf(stderr, "shellwatch run: %s\n", why);
		rc = SW_EXIT_RUNTIME;
	} else {
		seed(r, lv);
		rc = detect(r, lv);
		summary(r, lv);
	}
	live_close(lv);
	judge_free(r->j);   /* emits the alerts still on hold */
	sink_close(&r->sink);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &judge_argp, 0, "Judgement:", 0 }, { 0 }
	};
	static const struct argp argp = {
		options, parse_opt, NULL,
		"Detect remote shells (reverse and bind shells) on this machine as they start, and print "
		"one alert per shell: the rule or fact that fired, the process, its parent, the remote "
		"address, the command-line score and the detection delay. Needs root. Prints `ready` on "
		"stderr once attached; Ctrl-C or SIGTERM stops and prints the counts on stderr.",
		children, NULL, NULL
	};
	static struct run r;
	int rc;

	memset(&r, 0, sizeof(r));
	judge_args_init(&r.ja);
	r.jo = judge_opts_default();
	if (argp_parse(&argp, argc, argv, 0, NULL, &r))
		return SW_EXIT_USAGE;
	rc = judge_args_apply(&r.ja, "shellwatch run", &r.jo);
	if (rc == 0) {
		r.jo.on_alert = on_alert;
		r.jo.ctx = &r;
		r.lo.on_event = on_event;
		r.lo.cb_ctx = &r;
		liveloop_signals();
		rc = start(&r);
	}
	judge_args_free(&r.ja);
	return rc;
}
