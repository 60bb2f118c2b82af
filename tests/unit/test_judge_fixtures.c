/* test_judge_fixtures.c: the judge on real recordings, without BPF. tests/fixtures/redteam.trace.gz,
 * benign.trace.gz and services.trace.gz are `shellwatch record` captures of the red-team
 * techniques, the benign workloads (tests/benign/workload.sh) and the real network services
 * (tests/benign/services.sh: sshd and its clients, CGI, inetd-style services, git daemon, health
 * checks, ...); tools/gen_judge_fixtures.sh makes them again; the .manifest beside each names the
 * process tree roots. Each replays through the judge with run's defaults (default rules, the
 * embedded model at its threshold): every technique must give exactly one alert whose pid or
 * parent pid is in its process tree and whose remote port is its port; no alert may belong to a
 * benign or services workload's tree. Trees come from the fork lines (and ppid=) of the trace.
 * One TAP line per technique and per workload. Run from the repository root (tests/run does). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "judge.h"
#include "score.h"
#include "trace_read.h"

#define MAX_ALERTS 256
#define MAX_PROCS 65536
#define MAX_CASES 64
#define PROC_SLOTS (2 * MAX_PROCS) /* open addressing over procs[], a power of two */

struct got {                     /* what the checks need of an alert */
	uint32_t pid, ppid;
	bool has_peer;
	uint16_t pport;
	char name[64];
};

struct kid {                     /* a process and its parent, as the trace first tells it */
	uint32_t pid, parent;
};

struct replay {
	struct got alerts[MAX_ALERTS];
	unsigned nalerts;
	struct kid procs[MAX_PROCS];
	unsigned nprocs;
	uint32_t slot[PROC_SLOTS];   /* index + 1 into procs[] by pid, 0: free */
	struct judge *j;
};

struct want {                    /* a manifest line */
	char kind[16], name[64];
	uint32_t root, shell, port;
};

static int ntests, nfailed;

static void tap(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", ok ? "" : "not ", ++ntests);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	nfailed += !ok;
}

static void on_alert(void *ctx, struct alert *a)
{
	struct replay *r = ctx;
	struct got *g;

	if (r->nalerts == MAX_ALERTS)
		return;
	g = &r->alerts[r->nalerts++];
	g->pid = a->pid, g->ppid = a->ppid, g->has_peer = a->has_peer, g->pport = a->peer.pport;
	snprintf(g->name, sizeof(g->name), "%s", alert_name(a));
}

/* The slot of pid in r->slot: its entry, or the free slot where it goes. */
static uint32_t *proc_slot(struct replay *r, uint32_t pid)
{
	uint32_t h = (pid * 2654435761u) & (PROC_SLOTS - 1);

	while (r->slot[h] && r->procs[r->slot[h] - 1].pid != pid)
		h = (h + 1) & (PROC_SLOTS - 1);
	return &r->slot[h];
}

static struct kid *find_proc(struct replay *r, uint32_t pid)
{
	uint32_t s = *proc_slot(r, pid);

	return s ? &r->procs[s - 1] : NULL;
}

/* The first parent the trace gives a process: the fork that made it, else its ppid=. */
static void note_parent(struct replay *r, uint32_t pid, uint32_t parent)
{
	uint32_t *s;

	if (!pid || !parent || r->nprocs == MAX_PROCS || *(s = proc_slot(r, pid)))
		return;
	r->procs[r->nprocs] = (struct kid){ pid, parent };
	*s = ++r->nprocs;
}

static int feed(void *ctx, const struct sw_event *ev)
{
	struct replay *r = ctx;

	if (ev->kind == SW_EV_FORK && ev->has_pid)
		note_parent(r, ev->fork_child, ev->pid);
	if (ev->has_pid)
		note_parent(r, ev->pid, ev->ppid);
	judge_event(r->j, ev);
	return 0;
}

/* True when pid is root or one of its descendants. */
static bool in_tree(struct replay *r, uint32_t pid, uint32_t root)
{
	for (unsigned depth = 0; pid && depth < 256; depth++) {
		const struct kid *k;

		if (pid == root)
			return true;
		k = find_proc(r, pid);
		pid = k ? k->parent : 0;
	}
	return false;
}

static bool belongs(struct replay *r, const struct got *g, uint32_t root)
{
	return in_tree(r, g->pid, root) || in_tree(r, g->ppid, root);
}

/* Replay one fixture into r (alerts and the process tree). 0, or -1 with a failed TAP line. */
static int replay(struct replay *r, const char *path)
{
	static struct ruleset rs;
	struct judge_opts o = judge_opts_default();
	struct sw_read_stats st = { 0 };
	char err[256];
	FILE *f;
	int rc;

	memset(r, 0, sizeof(*r));
	if (!rs.nrules && rules_load_default(&rs, err, sizeof(err))) {
		tap(false, "%s: default rules load (%s)", path, err);
		return -1;
	}
	o.rules = &rs;
	o.model = score_model_default();
	o.threshold = o.model ? o.model->threshold : 0.5;
	o.on_alert = on_alert;
	o.ctx = r;
	if (!o.model || !(r->j = judge_new(&o)) || !(f = trace_open(path))) {
		tap(false, "%s: replays (model %s, judge %s)", path, o.model ? "ok" : "missing",
		    r->j ? "ok" : "missing");
		judge_free(r->j);
		return -1;
	}
	rc = trace_read_file(f, path, true, trace_parse_line, NULL, feed, r, &st);
	fclose(f);
	judge_free(r->j);   /* emits what is still held */
	printf("# %s: %llu events, %u alerts\n", path, (unsigned long long)st.events, r->nalerts);
	if (rc || !st.events) {
		tap(false, "%s: every line parses (%llu bad, %llu events)", path,
		    (unsigned long long)st.bad, (unsigned long long)st.events);
		return -1;
	}
	return 0;
}

/* The manifest's lines of kind ("technique" or "workload"). -1 when it cannot be read. */
static int load_manifest(const char *path, const char *kind, struct want *w, int max)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(path, "r");

	if (!f)
		return -1;
	while (n < max && fgets(line, sizeof(line), f)) {
		struct want x = { 0 };
		int k = sscanf(line, "%15s %63s %u %u %u", x.kind, x.name, &x.root, &x.shell, &x.port);

		if (line[0] == '#' || k < 3 || strcmp(x.kind, kind))
			continue;
		w[n++] = x;
	}
	fclose(f);
	return n;
}

static void show_alerts(struct replay *r, uint32_t root)
{
	for (unsigned i = 0; i < r->nalerts; i++)
		if (belongs(r, &r->alerts[i], root))
			printf("#   %s pid=%u ppid=%u port=%u\n", r->alerts[i].name, r->alerts[i].pid,
			       r->alerts[i].ppid, r->alerts[i].has_peer ? r->alerts[i].pport : 0);
}

static void check_redteam(struct replay *r)
{
	static struct want w[MAX_CASES];
	int n = load_manifest("tests/fixtures/redteam.manifest", "technique", w, MAX_CASES);

	if (n <= 0) {
		tap(false, "tests/fixtures/redteam.manifest names techniques");
		return;
	}
	if (replay(r, "tests/fixtures/redteam.trace.gz"))
		return;
	for (int i = 0; i < n; i++) {
		unsigned hits = 0, all = 0;

		for (unsigned k = 0; k < r->nalerts; k++) {
			const struct got *g = &r->alerts[k];
			bool mine = belongs(r, g, w[i].root) || g->pid == w[i].shell;

			all += mine;
			hits += mine && g->has_peer && g->pport == w[i].port;
		}
		tap(hits == 1, "%s: one alert in its tree (root %u, shell %u) with remote port %u "
		    "(%u such, %u in the tree)", w[i].name, w[i].root, w[i].shell, w[i].port, hits,
		    all);
		if (hits != 1)
			show_alerts(r, w[i].root);
	}
}

/* A suite of workloads (benign, services): no alert may belong to a workload's tree. */
static void check_clean(struct replay *r, const char *suite)
{
	static struct want w[MAX_CASES];
	char man[128], trace[128];
	int n;

	snprintf(man, sizeof(man), "tests/fixtures/%s.manifest", suite);
	snprintf(trace, sizeof(trace), "tests/fixtures/%s.trace.gz", suite);
	n = load_manifest(man, "workload", w, MAX_CASES);
	if (n <= 0) {
		tap(false, "%s names workloads", man);
		return;
	}
	if (replay(r, trace))
		return;
	for (int i = 0; i < n; i++) {
		unsigned bad = 0, procs = 0;

		for (unsigned k = 0; k < r->nalerts; k++)
			bad += belongs(r, &r->alerts[k], w[i].root);
		for (unsigned k = 0; k < r->nprocs; k++)
			procs += in_tree(r, r->procs[k].pid, w[i].root);
		tap(bad == 0 && procs > 1, "%s %s: no alert for its %u processes (root %u)", suite,
		    w[i].name, procs, w[i].root);
		if (bad)
			show_alerts(r, w[i].root);
	}
}

int main(void)
{
	static struct replay r;

	check_redteam(&r);
	check_clean(&r, "benign");
	check_clean(&r, "services");
	printf("1..%d\n", ntests);
	return nfailed ? 1 : 0;
}
