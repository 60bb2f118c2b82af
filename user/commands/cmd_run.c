/* cmd_run.c: `shellwatch run`, live detection: the sources (this host's meta event, the /proc
 * scan, then live capture) feed the judge (judge.h), whose alerts go to the sink (sink.h): the
 * same judge and outputs `replay` uses on a recording. Options, --kill, --events (the events
 * judged, to the sink too), the metrics (metrics.h) and the closing counts. */
#include <argp.h>
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "commands.h"
#include "ctr_alert.h"
#include "duration.h"
#include "hostinfo.h"
#include "judge_args.h"
#include "live.h"
#include "liveloop.h"
#include "metrics.h"
#include "procscan.h"
#include "proctime.h"
#include "sink_args.h"

#define LAT_MAX 4096

struct run {
	bool kill, realtime, events;
	double events_rate;
	struct judge_args ja;
	struct judge_opts jo;
	struct live_opts lo;
	struct sink_opts so;
	struct sink sink;
	struct hostinfo host;
	struct judge *j;
	struct live *lv;
	struct metrics m;
	const char *metrics_file, *metrics_listen;
	uint64_t metrics_every_ns, metrics_next_ns;
	struct metrics_http *http;
	bool metrics_failed;
	bool no_ctr_meta;
	struct ctr_meta_opts cmo;
	struct ctr_meta *ctr_meta;   /* container names and images (NULL: not asked) */
	struct ctr_hold *ctr_hold;   /* alerts waiting briefly for their container's name */
	unsigned long kills, kill_failed;
	uint64_t lat[LAT_MAX];       /* exec -> alert written, ns, high alerts (a ring) */
	uint64_t nlat;
};

enum { OPT_KILL = 1000, OPT_REALTIME, OPT_EVENTS, OPT_EVENTS_RATE, OPT_METRICS_FILE,
       OPT_METRICS_LISTEN, OPT_METRICS_EVERY, OPT_NO_CTR_META, OPT_DOCKER_SOCK, OPT_PODMAN_SOCK };

static const struct argp_option options[] = {
	{ "events", OPT_EVENTS, 0, 0, "also write the exec, connect and accept events the judge "
				      "takes, as ECS documents of event.kind event (needs --json)",
	  0 },
	{ "events-rate", OPT_EVENTS_RATE, "N", 0, "at most N events a second (a token bucket of N; "
						  "default 200); the others are dropped and "
						  "counted", 0 },
	{ "metrics-file", OPT_METRICS_FILE, "FILE", 0, "write Prometheus metrics to FILE (replaced "
						       "atomically: node_exporter's textfile "
						       "collector reads *.prom)", 0 },
	{ "metrics-listen", OPT_METRICS_LISTEN, "ADDR", 0, "serve the metrics over HTTP on ADDR "
							   "(IP:PORT, e.g. 127.0.0.1:9721)", 0 },
	{ "metrics-interval", OPT_METRICS_EVERY, "TIME", 0, "how often the metrics are renewed "
							    "(seconds, or with a unit; default "
							    "15s)", 0 },
	{ "no-container-meta", OPT_NO_CTR_META, 0, 0, "do not ask docker or podman for the names and "
						      "images of containers (alerts then carry the "
						      "container id and runtime alone)", 0 },
	{ "docker-socket", OPT_DOCKER_SOCK, "PATH", 0, "docker's API socket (default "
						       "/var/run/docker.sock; \"\" not asked)", 0 },
	{ "podman-socket", OPT_PODMAN_SOCK, "PATH", 0, "podman's API socket (default "
						       "/run/podman/podman.sock; \"\" not asked)", 0 },
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
	char *end;

	switch (key) {
	case ARGP_KEY_INIT:
		state->child_inputs[0] = &r->ja;
		state->child_inputs[1] = &r->so;
		break;
	case OPT_EVENTS: r->events = true; break;
	case OPT_EVENTS_RATE:
		r->events_rate = strtod(arg, &end);
		if (end == arg || *end || !(r->events_rate >= 1 && r->events_rate <= 1e6))
			argp_error(state, "--events-rate takes a number from 1 to 1000000, not '%s'",
				   arg);
		break;
	case OPT_METRICS_FILE: r->metrics_file = arg; break;
	case OPT_METRICS_LISTEN: r->metrics_listen = arg; break;
	case OPT_METRICS_EVERY:
		if (parse_amount(arg, true, 1000000000ull, &r->metrics_every_ns) ||
		    r->metrics_every_ns < 100000000ull)
			argp_error(state, "--metrics-interval takes seconds (at least 0.1 s, as 100ms), "
					  "not '%s'", arg);
		break;
	case OPT_NO_CTR_META: r->no_ctr_meta = true; break;
	case OPT_DOCKER_SOCK:
	case OPT_PODMAN_SOCK:
		if (strlen(arg) >= CTR_META_SOCK_MAX)
			argp_error(state, "socket path too long: '%s'", arg);
		snprintf(key == OPT_DOCKER_SOCK ? r->cmo.docker_socket : r->cmo.podman_socket,
			 CTR_META_SOCK_MAX, "%s", arg);
		break;
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

/* Write an alert (its container filled as far as known now) and count it. */
static void write_alert(void *ctx, struct alert *a)
{
	struct run *r = ctx;
	bool high = a->severity == SEV_HIGH;

	/* the delay the alert reports runs to when it is written, not to the event that decided */
	a->decided_ns = live_clock_ns();
	sink_write(&r->sink, a);
	if (high)
		r->lat[r->nlat++ % LAT_MAX] = live_clock_ns() - a->exec_ns;
	metrics_alert(&r->m, a, high ? live_clock_ns() - a->exec_ns : 0);
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
	if (!ctr_hold_put(r->ctr_hold, r->ctr_meta, a, live_clock_ns()))
		write_alert(r, a);
}

static int on_event(void *ctx, const struct sw_event *ev)
{
	struct run *r = ctx;
	uint64_t now;

	metrics_event(&r->m, ev);
	if (r->events && event_ecs_wanted(ev)) {
		now = live_clock_ns();
		sink_event(&r->sink, ev, now, out_wall_now_ns() -
			   (ev->has_time && ev->t_ns <= now ? now - ev->t_ns : 0));
	}
	ctr_alert_prime(r->ctr_meta, ev);
	judge_event(r->j, ev);
	return 0;
}

/* The metrics from the stages' counters, to the file and the listener. */
static void publish_metrics(struct run *r)
{
	struct live_stats ls;
	struct judge_stats js;
	struct sink_stats ss;
	struct ctr_meta_stats cs;
	struct metrics_view v = { .live = &ls, .judge = &js, .sink = &ss,
				  .ctr = r->ctr_meta ? &cs : NULL,
				  .sink_names = { r->sink.sl_name[0], r->sink.sl_name[1] },
				  .procs_capacity = r->jo.max_procs,
				  .streams_capacity = r->jo.engine.max_streams,
				  .kills_user = r->kills, .kills_failed = r->kill_failed };
	char *text, why[600];
	size_t len;

	live_stats(r->lv, &ls);
	judge_stats(r->j, &js);
	sink_stats(&r->sink, &ss);
	if (r->ctr_meta)
		ctr_meta_stats(r->ctr_meta, &cs);
	if (!(text = metrics_render(&r->m, &v, &len)))
		return;
	if (r->metrics_file && metrics_write_file(r->metrics_file, text, len, why, sizeof(why))) {
		if (!r->metrics_failed)
			fprintf(stderr, "shellwatch run: cannot write the metrics: %s\n", why);
		r->metrics_failed = true;
	} else {
		r->metrics_failed = false;
	}
	if (r->http)
		metrics_http_publish(r->http, text, len);
	free(text);
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
	fprintf(stderr, "shellwatch run: %llu events, %llu filtered in kernel, %llu dropped, %llu "
		"execs dropped; %llu "
		"execs judged; %llu alerts printed (decided: %llu high, %llu medium, %llu low; %llu below "
		"--min-severity, %llu suppressed by exceptions; %llu execs on sanctioned servers' "
		"connections), %llu merged into "
		"earlier alerts, %llu absorbed; processes %llu max, %llu untracked (table full); "
		"engine streams %llu max, %llu evicted, %llu events dropped",
		(unsigned long long)ls.events, (unsigned long long)ls.filtered,
		(unsigned long long)ls.dropped, (unsigned long long)ls.exec_dropped,
		(unsigned long long)cs.execs,
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
	fputc('\n', stderr);
}

/* After each poll: every event up to `before` has been judged, so time has moved on to it. */
static int after_poll(void *ctx, uint64_t before)
{
	struct run *r = ctx;

	judge_tick(r->j, before);
	ctr_hold_flush(r->ctr_hold, r->ctr_meta, live_clock_ns(), false, write_alert, r);
	if (liveloop_take_reopen())
		sink_reopen(&r->sink);
	sink_tick(&r->sink);
	if ((r->metrics_file || r->http) && before >= r->metrics_next_ns) {
		publish_metrics(r);
		r->metrics_next_ns = before + r->metrics_every_ns;
	}
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

/* The sink (file, stdout, syslog) and the metrics listener. */
static int open_outputs(struct run *r)
{
	struct out_ident id = { r->host.host, r->host.machine_id, r->host.boot_id };
	char why[512];

	hostinfo_read(&r->host);
	if (sink_open(&r->sink, &r->so, &id, "shellwatch run"))
		return -1;
	if (r->metrics_listen && !(r->http = metrics_http_start(r->metrics_listen, why,
								 sizeof(why)))) {
		fprintf(stderr, "shellwatch run: --metrics-listen %s\n", why);
		sink_close(&r->sink);
		return -1;
	}
	return 0;
}

/* Close the sink (flushing syslog), say what the outputs did; lost alerts make the exit status
 * non-zero. */
static int close_outputs(struct run *r, int rc)
{
	char line[1024];

	sink_close(&r->sink);
	sink_summary(&r->sink, line, sizeof(line));
	if (line[0])
		fprintf(stderr, "shellwatch run: outputs: %s\n", line);
	if (sink_lost(&r->sink)) {
		fprintf(stderr, "shellwatch run: alerts were lost (see above)\n");
		if (rc == SW_EXIT_OK)
			rc = SW_EXIT_RUNTIME;
	}
	return rc;
}

static int start(struct run *r)
{
	struct live *lv = NULL;
	char why[512];
	int rc;

	if (r->realtime) {
		struct sched_param sp = { .sched_priority = 1 };

		if (sched_setscheduler(0, SCHED_FIFO, &sp))
			fprintf(stderr, "shellwatch run: warning: --realtime: %s%s (going on with the "
					"normal policy)\n", strerror(errno), errno != EPERM ? "" :
				": it needs CAP_SYS_NICE or an RLIMIT_RTPRIO of 1 (the systemd unit's "
				"LimitRTPRIO=1), and no RestrictRealtime=yes");
	}
	if (open_outputs(r))
		return SW_EXIT_RUNTIME;
	if (!r->no_ctr_meta && (!(r->ctr_meta = ctr_meta_new(&r->cmo)) ||
				!(r->ctr_hold = ctr_hold_new())))
		fprintf(stderr, "shellwatch run: warning: cannot start the container metadata "
				"lookups (%s): alerts carry container ids alone\n", strerror(errno));
	if (!(r->j = judge_new(&r->jo))) {
		fprintf(stderr, "shellwatch run: cannot start the engine: %s\n", strerror(errno));
		rc = SW_EXIT_RUNTIME;
	} else if (!(lv = r->lv = live_open(&r->lo, why, sizeof(why)))) {
		fprintf(stderr, "shellwatch run: %s\n", why);
		rc = SW_EXIT_RUNTIME;
	} else {
		seed(r, lv);
		rc = detect(r, lv);
		judge_finish(r->j);   /* emits the alerts still on hold */
		ctr_hold_flush(r->ctr_hold, r->ctr_meta, live_clock_ns(), true, write_alert, r);
		summary(r, lv);
		if (r->metrics_file || r->http)
			publish_metrics(r);
	}
	live_close(lv);
	judge_free(r->j);
	ctr_hold_free(r->ctr_hold);
	ctr_meta_free(r->ctr_meta);
	metrics_http_stop(r->http);
	return close_outputs(r, rc);
}

int cmd_run(int argc, char **argv)
{
	static const struct argp_child children[] = {
		{ &judge_argp, 0, "Judgement:", 0 }, { &sink_argp, 0, "Output:", 0 }, { 0 }
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
	sink_args_init(&r.so);
	r.jo = judge_opts_default();
	r.events_rate = 200;
	r.cmo = ctr_meta_opts_default();
	r.metrics_every_ns = 15000000000ull;
	if (argp_parse(&argp, argc, argv, 0, NULL, &r))
		return SW_EXIT_USAGE;
	if (r.events && r.so.format != SINK_ECS) {
		fprintf(stderr, "shellwatch run: --events writes ECS documents: it needs --json "
				"(ecs)\n");
		return SW_EXIT_USAGE;
	}
	r.so.events_rate = r.so.events_burst = r.events_rate;
	if (r.metrics_listen && r.metrics_every_ns > 1000000000ull)
		r.metrics_every_ns = 1000000000ull;   /* a scrape sees at most 1 s old values */
	metrics_init(&r.m);
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
