/* cmd_run.c: `shellwatch run`, live detection: live capture (live.h) feeds the correlator
 * (correlate.h: rules, stdio-socket facts, command scores), alerts go to the sink (sink.h).
 * Options, signals (INT/TERM stop, HUP reopens the output), --kill, and the closing counts. */
#include <argp.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "commands.h"
#include "correlate.h"
#include "live.h"
#include "procscan.h"
#include "score.h"
#include "sink.h"

#define LAT_MAX 4096

static volatile sig_atomic_t stop, reopen;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen = 1;
	else
		stop = 1;
}

struct run {
	const char *rules_path, *model_path;
	double threshold;            /* < 0: the model's own */
	bool no_score, kill, pww, realtime;
	uint64_t hold_ns;
	struct live_opts lo;
	struct sink sink;
	struct ruleset rules;
	struct model model;
	const struct model *m;
	struct correlate *c;
	unsigned long kills, kill_failed;
	uint64_t lat[LAT_MAX];       /* exec -> alert written, ns, confirmed alerts (a ring) */
	uint64_t nlat;
};

enum { OPT_NO_SCORE = 1000, OPT_KILL, OPT_ENGINE, OPT_HOLD, OPT_SYSLOG, OPT_REALTIME };

static const struct argp_option options[] = {
	{ "json", 'j', 0, 0, "one JSON object per alert (ECS field names), nothing else on stdout", 0 },
	{ "output", 'o', "FILE", 0, "append alerts to FILE instead of stdout; SIGHUP reopens it", 0 },
	{ "syslog", OPT_SYSLOG, 0, 0, "also send each alert to syslog (facility authpriv)", 0 },
	{ "rules", 'r', "FILE", 0, "rules file (docs/rules.md) instead of the built-in rules", 0 },
	{ "model", 'm', "FILE", 0, "command-scoring model instead of the embedded one", 0 },
	{ "threshold", 't', "X", 0, "score in [0,1] at or above which a command line is suspicious "
				    "(default: the model's, chosen at FPR 1e-3)", 0 },
	{ "no-score", OPT_NO_SCORE, 0, 0, "do not score command lines", 0 },
	{ "engine", OPT_ENGINE, "MODE", 0, "rule search: incremental (default, earliest detection) "
					   "or pww (Progressive Window Widening, 50 ms batches)", 0 },
	{ "hold", OPT_HOLD, "MS", 0, "how long a score-only alert waits for a confirmed one in the "
				     "same process tree (default 200)", 0 },
	{ "kill", OPT_KILL, 0, 0, "SIGKILL every confirmed remote shell: in the kernel, before it "
				  "runs, when it is exec'd with an inet socket on stdio, else from user "
				  "space at the alert. Off by default: a false positive (e.g. an inetd-style "
				  "service) kills a legitimate process", 0 },
	{ "realtime", OPT_REALTIME, 0, 0, "run as SCHED_FIFO (priority 1): steadier detection latency "
					  "on a busy machine, at the cost of CPU for others under an "
					  "event flood", 0 },
	{ "verbose", 'v', 0, 0, "show libbpf's messages (verifier log on errors)", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct run *r = state->input;
	char *end;

	switch (key) {
	case 'j': r->sink.json = true; break;
	case 'o': r->sink.path = arg; break;
	case OPT_SYSLOG: r->sink.syslog = true; break;
	case 'r': r->rules_path = arg; break;
	case 'm': r->model_path = arg; break;
	case 't':
		r->threshold = strtod(arg, &end);
		if (end == arg || *end || !(r->threshold >= 0 && r->threshold <= 1))
			argp_error(state, "--threshold takes a number from 0 to 1, not '%s'", arg);
		break;
	case OPT_NO_SCORE: r->no_score = true; break;
	case OPT_KILL: r->kill = r->lo.kill_stdio_inet = true; break;
	case OPT_REALTIME: r->realtime = true; break;
	case OPT_ENGINE:
		if (strcmp(arg, "pww") && strcmp(arg, "incremental"))
			argp_error(state, "--engine is pww or incremental, not '%s'", arg);
		r->pww = !strcmp(arg, "pww");
		break;
	case OPT_HOLD: {
		unsigned long ms = strtoul(arg, &end, 10);

		if (end == arg || *end || arg[0] == '-' || ms > 60000)
			argp_error(state, "--hold takes milliseconds from 0 to 60000, not '%s'", arg);
		r->hold_ns = ms * 1000000ull;
		break;
	}
	case 'v': r->lo.verbose = true; break;
	case ARGP_KEY_ARG: argp_error(state, "unexpected argument '%s'", arg); break;
	default: return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

/* SIGKILL through a pidfd, so a recycled pid is never hit. */
static int kill_pid(uint32_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, (pid_t)pid, 0), rc;

	if (fd < 0)
		return -errno;
	rc = (int)syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0);
	rc = rc ? -errno : 0;
	close(fd);
	return rc;
}

static void on_alert(void *ctx, struct alert *a)
{
	struct run *r = ctx;
	bool confirmed = alert_confirmed(a->signals);

	if (!a->killed && r->kill && confirmed) {
		if (kill_pid(a->pid) == 0) {
			a->killed = true;
			a->kill_ns = live_clock_ns();
			r->kills++;
		} else {
			r->kill_failed++;
		}
	}
	sink_write(&r->sink, a);
	if (confirmed)
		r->lat[r->nlat++ % LAT_MAX] = live_clock_ns() - a->exec_ns;
}

static void on_seed(void *ctx, const struct procscan_entry *e)
{
	struct run *r = ctx;

	correlate_seed(r->c, e);
}

static int on_event(void *ctx, const struct sw_event *ev, const struct wire_hdr *raw)
{
	struct run *r = ctx;

	correlate_event(r->c, ev, raw);
	return 0;
}

static int load_config(struct run *r)
{
	char err[512];

	if (r->rules_path ? rules_load_file(&r->rules, r->rules_path, err, sizeof(err))
			  : rules_load_default(&r->rules, err, sizeof(err))) {
		fprintf(stderr, "shellwatch run: %s\n", err);
		return SW_EXIT_USAGE;
	}
	if (r->no_score)
		return 0;
	if (r->model_path) {
		if (model_load_file(&r->model, r->model_path, err, sizeof(err))) {
			fprintf(stderr, "shellwatch run: %s\n", err);
			return SW_EXIT_USAGE;
		}
		r->m = &r->model;
	} else if (!(r->m = score_model_default())) {
		return SW_EXIT_RUNTIME;
	}
	if (r->threshold < 0)
		r->threshold = r->m->threshold;
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
	struct correlate_stats cs;
	size_t n = r->nlat < LAT_MAX ? r->nlat : LAT_MAX;

	live_stats(lv, &ls);
	correlate_stats(r->c, &cs);
	fprintf(stderr, "shellwatch run: %llu events, %llu filtered in kernel, %llu dropped; %llu "
		"execs judged; %llu alerts (%llu confirmed, %llu suspicious), %llu merged into "
		"earlier alerts, %llu absorbed; processes %llu max, %llu untracked (table full); "
		"engine streams %llu max, %llu evicted, %llu events dropped",
		(unsigned long long)ls.events, (unsigned long long)ls.filtered,
		(unsigned long long)ls.dropped, (unsigned long long)cs.execs,
		(unsigned long long)cs.alerts, (unsigned long long)cs.confirmed,
		(unsigned long long)cs.suspicious, (unsigned long long)cs.merged,
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

static void install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static int detect(struct run *r, struct live *lv)
{
	int err = 0;

	fprintf(stderr, "shellwatch run: ready\n");
	while (!stop && err >= 0) {
		err = live_poll(lv, 50);
		correlate_tick(r->c, live_clock_ns());
		if (reopen) {
			reopen = 0;
			int rc = sink_reopen(&r->sink);

			if (rc)
				fprintf(stderr, "shellwatch run: cannot reopen %s: %s (still writing "
						"to the old file)\n", r->sink.path, strerror(-rc));
		}
	}
	if (err >= 0)
		err = live_poll(lv, 0);
	if (err < 0) {
		fprintf(stderr, "shellwatch run: cannot read events: %s\n", strerror(-err));
		return SW_EXIT_RUNTIME;
	}
	return SW_EXIT_OK;
}

static int start(struct run *r)
{
	struct correlate_opts co = {
		.rules = &r->rules, .mode = r->pww ? ENGINE_PWW : ENGINE_INCREMENTAL,
		.model = r->m, .threshold = r->threshold, .hold_ns = r->hold_ns,
		.on_alert = on_alert, .ctx = r,
	};
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
	if (!(r->c = correlate_new(&co))) {
		fprintf(stderr, "shellwatch run: cannot start the engine: %s\n", strerror(errno));
		rc = SW_EXIT_RUNTIME;
	} else if (!(lv = live_open(&r->lo, why, sizeof(why)))) {
		fprintf(stderr, "shellwatch run: %s\n", why);
		rc = SW_EXIT_RUNTIME;
	} else {
		/* after attaching, so no process falls between the scan and the live events */
		int n = procscan("/proc", on_seed, r);

		if (n < 0)
			fprintf(stderr, "shellwatch run: warning: cannot read /proc (%s): processes "
					"started before the sensor are unknown to it\n", strerror(-n));
		rc = detect(r, lv);
		summary(r, lv);
	}
	live_close(lv);
	correlate_free(r->c);   /* emits the alerts still on hold */
	sink_close(&r->sink);
	return rc;
}

int cmd_run(int argc, char **argv)
{
	static const struct argp argp = {
		options, parse_opt, NULL,
		"Detect remote shells (reverse and bind shells) on this machine as they start, and print "
		"one alert per shell: the rule or fact that fired, the process, its parent, the remote "
		"address, the command-line score and the detection delay. Needs root. Prints `ready` on "
		"stderr once attached; Ctrl-C or SIGTERM stops and prints the counts on stderr.",
		NULL, NULL, NULL
	};
	static struct run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.threshold = -1;
	r.hold_ns = 200000000ull;
	if (argp_parse(&argp, argc, argv, 0, NULL, &r))
		return SW_EXIT_USAGE;
	rc = load_config(&r);
	if (rc == 0) {
		r.lo.on_event = on_event;
		r.lo.cb_ctx = &r;
		install_signals();
		rc = start(&r);
	}
	rules_free(&r.rules);
	if (r.m == &r.model)
		model_free(&r.model);
	return rc;
}
