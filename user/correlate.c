/* correlate.c: judges every live exec on the rules, the stdio-socket facts and the command
 * scores, and turns what fired into one alert per remote shell (include/correlate.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "correlate.h"
#include "live.h"
#include "pipemap.h"
#include "score.h"

#define PENDING_MAX 32

struct correlate {
	struct correlate_opts o;
	struct engine *e;
	struct proctab *procs;
	struct pipemap *readers;     /* pipe or fifo -> a process reading it on its stdin */
	struct pipemap *writers;     /* pipe or fifo -> a process writing it on its stdout/stderr */
	struct correlate_stats st;
	uint32_t next_id;
	uint32_t cur_pid;            /* the exec being judged, for rule hits found while feeding it */
	bool cur_hit;
	struct alert hit;            /* rule name and matched events of that hit */
	unsigned npending;
	struct alert pending[PENDING_MAX]; /* score-only alerts on hold, detect_ns = deadline base */
	struct alert scratch;
};

static void copy_str(char *dst, size_t cap, const char *src, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

static void take_matches(struct alert *a, const struct sw_detection *d)
{
	snprintf(a->rule, sizeof(a->rule), "%s", d->rule);
	a->nmatched = d->nmatched;
	for (unsigned i = 0; i < d->nmatched; i++)
		snprintf(a->matched[i], sizeof(a->matched[i]), "%s", d->matched[i]);
}

static void alert_from_proc(struct correlate *c, struct alert *a, const struct proc *p,
			    uint32_t signals);
static void emit(struct correlate *c, struct alert *a);
static void raise_confirmed(struct correlate *c, struct alert *a, struct proc *p);

/* Rule hits: during the feed of an exec they join that exec's judgement; a hit that comes later
 * (PWW windows close after the event) is an alert of its own unless the tree already has one. */
static void on_detect(void *ctx, const struct sw_detection *d)
{
	struct correlate *c = ctx;
	struct proc *p;
	struct alert *a = &c->scratch;

	if (d->pid == c->cur_pid) {
		c->cur_hit = true;
		take_matches(&c->hit, d);
		return;
	}
	p = proctab_get(c->procs, d->pid);
	if (p && p->alert) {
		c->st.merged++;
		return;
	}
	if (p) {
		alert_from_proc(c, a, p, SIG_RULE);
		take_matches(a, d);
		raise_confirmed(c, a, p);
		return;
	}
	memset(a, 0, sizeof(*a));      /* the process is gone: what the rule engine knows */
	a->signals = SIG_RULE;
	a->pid = d->pid, a->ppid = d->ppid, a->uid = d->uid;
	a->score = a->pscore = -1;
	take_matches(a, d);
	a->detect_ns = live_clock_ns();
	a->id = ++c->next_id;
	emit(c, a);
}

struct correlate *correlate_new(const struct correlate_opts *o)
{
	struct correlate *c = calloc(1, sizeof(*c));
	struct engine_opts eo = engine_opts_default(ENGINE_TIME);

	if (!c)
		return NULL;
	c->o = *o;
	eo.rules = o->rules;
	eo.max_events = 64;         /* an episode is a handful of events; bounds fork-storm memory */
	eo.max_streams = 8192;
	eo.mode = o->mode;
	eo.on_detect = on_detect;
	eo.ctx = c;
	c->e = engine_new(&eo);
	c->procs = proctab_new(o->max_procs ? o->max_procs : 65536);
	c->readers = pipemap_new(8192);
	c->writers = pipemap_new(8192);
	if (!c->e || !c->procs || !c->readers || !c->writers) {
		correlate_free(c);
		errno = ENOMEM;
		return NULL;
	}
	return c;
}

static const struct proc *parent_of(struct correlate *c, const struct proc *p)
{
	return p && p->ppid && p->ppid != p->pid ? proctab_get(c->procs, p->ppid) : NULL;
}

static const struct wire_fd *inet_stdio(const struct wire_fd fds[3])
{
	for (int i = 0; i < 3; i++)
		if (wire_fd_is_inet(&fds[i]))
			return &fds[i];
	return NULL;
}

static const struct wire_fd *last_sock(const struct proc *p)
{
	for (int i = PROC_SOCKS - 1; p && i >= 0; i--)
		if (p->socks[i].fd >= 0)
			return &p->socks[i].sock;
	return NULL;
}

static bool is_shell(const char *exe)
{
	static const char *const shells[] = { "sh", "bash", "dash", "zsh", "ksh", "mksh", "ash",
					      "csh", "tcsh", "fish", "busybox", NULL };
	const char *base = strrchr(exe, '/');

	base = base ? base + 1 : exe;
	for (int i = 0; shells[i]; i++)
		if (!strcmp(base, shells[i]))
			return true;
	return false;
}

static double ancestor_score(struct correlate *c, const struct proc *p);

/* An alert about process p: its facts, its and its ancestors' scores, and as remote end its inet
 * stdio socket or its last inet connection (callers may set a better one). */
static void alert_from_proc(struct correlate *c, struct alert *a, const struct proc *p,
			    uint32_t signals)
{
	const struct proc *pp = parent_of(c, p);
	const struct wire_fd *s = inet_stdio(p->stdio);

	memset(a, 0, sizeof(*a));
	a->signals = signals;
	a->pid = p->pid, a->ppid = p->ppid, a->uid = p->uid;
	a->score = p->score;
	a->pscore = ancestor_score(c, p);
	snprintf(a->comm, sizeof(a->comm), "%s", p->comm);
	snprintf(a->cmd, sizeof(a->cmd), "%s", p->cmd);
	snprintf(a->exe, sizeof(a->exe), "%s", p->exe);
	a->exec_ns = p->exec_ns;
	if (pp) {
		snprintf(a->pcomm, sizeof(a->pcomm), "%s", pp->comm);
		snprintf(a->pcmd, sizeof(a->pcmd), "%s", pp->cmd);
	}
	if (!s)
		s = last_sock(p);
	if (s) {
		a->peer = *s;
		a->has_peer = true;
	}
	a->detect_ns = live_clock_ns();
}

/* The score signals of a command line's score and its ancestors' best. */
static uint32_t score_signals(const struct correlate *c, double score, double pscore)
{
	if (!c->o.model)
		return 0;
	return (score >= c->o.threshold ? SIG_SCORE : 0) |
	       (pscore >= c->o.threshold ? SIG_PARENT_SCORE : 0);
}

/* Highest score among the parent and grandparent (-1 when neither was scored). */
static double ancestor_score(struct correlate *c, const struct proc *p)
{
	const struct proc *pp = parent_of(c, p), *gp = parent_of(c, pp);
	double s = pp ? pp->score : -1;

	return gp && gp->score > s ? gp->score : s;
}

static const struct wire_fd *ancestor_stdio(struct correlate *c, const struct proc *p)
{
	const struct proc *pp = parent_of(c, p), *gp = parent_of(c, pp);
	const struct wire_fd *s = pp ? inet_stdio(pp->stdio) : NULL;

	return s ? s : gp ? inet_stdio(gp->stdio) : NULL;
}

/* The process on the other end of pipe f: its writer (f is someone's stdin) or its reader (f
 * is someone's stdout/stderr), if it still has f on its stdio. */
static const struct proc *pipe_peer(struct correlate *c, const struct wire_fd *f, bool writer,
				    uint32_t self)
{
	uint32_t pid = pipemap_get(writer ? c->writers : c->readers, f);
	const struct proc *q = pid && pid != self ? proctab_get(c->procs, pid) : NULL;

	if (!q)
		return NULL;
	if (writer ? wire_fd_same_pipe(&q->stdio[1], f) || wire_fd_same_pipe(&q->stdio[2], f)
		   : wire_fd_same_pipe(&q->stdio[0], f))
		return q;
	return NULL;   /* stale: q's stdio changed since */
}

/* A process with an inet connection on the input side of pipe f (writer) or its output side,
 * directly or through one filter in between (`nc ... > fifo; cat fifo | sh`). */
static const struct proc *net_side(struct correlate *c, const struct wire_fd *f, bool writer,
				   uint32_t self)
{
	const struct proc *q = pipe_peer(c, f, writer, self);

	if (q && !last_sock(q) && !is_shell(q->exe))
		q = pipe_peer(c, &q->stdio[writer ? 0 : 1], writer, q->pid);
	return q && last_sock(q) ? q : NULL;
}

/* A shell fed by, and feeding, processes that hold inet connections, through pipes or fifos
 * (nc ... | sh | nc ..., sh < fifo | nc > fifo, openssl s_client relays): the process on its
 * input side, or NULL. Both directions are needed: `curl ... | sh` is not a remote shell. */
static const struct proc *pipe_relay(struct correlate *c, const struct proc *s)
{
	const struct proc *in = is_shell(s->exe) ? net_side(c, &s->stdio[0], true, s->pid) : NULL;

	if (in && (net_side(c, &s->stdio[1], false, s->pid) ||
		   net_side(c, &s->stdio[2], false, s->pid)))
		return in;
	return NULL;
}

static void remember_pipes(struct correlate *c, const struct proc *p)
{
	pipemap_put(c->readers, &p->stdio[0], p->pid);
	pipemap_put(c->writers, &p->stdio[1], p->pid);
	pipemap_put(c->writers, &p->stdio[2], p->pid);
}

/* The signals of one exec; *peer: the remote end the strongest of them points at, or NULL. */
static uint32_t judge_exec(struct correlate *c, const struct proc *p, const struct wire_fd **peer)
{
	const struct wire_fd *s = inet_stdio(p->stdio), *ps = ancestor_stdio(c, p);
	const struct proc *pp = parent_of(c, p), *relay = pipe_relay(c, p);
	uint32_t sig = score_signals(c, p->score, ancestor_score(c, p));

	if (c->cur_hit)
		sig |= SIG_RULE;
	if (s)
		sig |= SIG_STDIO_SOCKET;
	if (ps)
		sig |= SIG_PARENT_SOCKET;
	if (is_shell(p->exe) && last_sock(pp))
		sig |= SIG_HOLDS_SOCKET;
	if (relay)
		sig |= SIG_PIPE_RELAY;
	*peer = s ? s : ps ? ps : relay ? last_sock(relay) :
		(sig & SIG_HOLDS_SOCKET) ? last_sock(pp) : NULL;
	return sig;
}

static struct alert *find_pending(struct correlate *c, uint32_t id)
{
	for (unsigned i = 0; id && i < c->npending; i++)
		if (c->pending[i].id == id)
			return &c->pending[i];
	return NULL;
}

static void drop_pending(struct correlate *c, struct alert *a)
{
	*a = c->pending[--c->npending];
}

static void emit(struct correlate *c, struct alert *a)
{
	c->st.alerts++;
	if (alert_confirmed(a->signals))
		c->st.confirmed++;
	else
		c->st.suspicious++;
	if (c->o.on_alert)
		c->o.on_alert(c->o.ctx, a);
}

static void raise_confirmed(struct correlate *c, struct alert *a, struct proc *p)
{
	struct alert *held = find_pending(c, p->suspect);

	if (held) {
		a->signals |= held->signals & (SIG_SCORE | SIG_PARENT_SCORE) ? SIG_PARENT_SCORE : 0;
		drop_pending(c, held);
		c->st.absorbed++;
	}
	a->id = p->alert = ++c->next_id;
	p->suspect = 0;
	emit(c, a);
}

static void hold_suspicious(struct correlate *c, struct alert *a, struct proc *p)
{
	a->id = p->suspect = ++c->next_id;
	if (c->npending == PENDING_MAX) {
		c->st.pending_dropped++;
		emit(c, a);
		return;
	}
	c->pending[c->npending++] = *a;
}

static void on_exec(struct correlate *c, const struct sw_event *ev, const struct wire_exec *w)
{
	struct proc *p = proctab_upsert(c->procs, w->hdr.pid, w->hdr.ppid);
	const struct sw_str *argv = sw_event_arg(ev, "argv");
	struct alert *a = &c->scratch;
	const struct wire_fd *peer;
	uint32_t sig;

	c->st.execs++;
	c->cur_pid = w->hdr.pid;
	c->cur_hit = false;
	engine_feed(c->e, ev);
	c->cur_pid = 0;
	if (!p)
		return;
	p->ppid = w->hdr.ppid;
	p->uid = w->hdr.uid;
	p->exec_ns = w->hdr.ktime;
	memcpy(p->stdio, w->fds, sizeof(p->stdio));
	memcpy(p->comm, w->hdr.comm, sizeof(p->comm));
	p->comm[sizeof(p->comm) - 1] = '\0';
	copy_str(p->cmd, sizeof(p->cmd), argv ? argv->p : "", argv ? argv->len : 0);
	copy_str(p->exe, sizeof(p->exe), w->exe, strnlen(w->exe, sizeof(w->exe)));
	remember_pipes(c, p);
	p->score = c->o.model && argv ? (float)score_cmdline(c->o.model, argv->p, argv->len, NULL)
				      : -1;
	c->st.kernel_kills += w->killed;
	sig = judge_exec(c, p, &peer);
	if (!alert_confirmed(sig) && !(sig & SIG_SCORE))
		return;                       /* supporting signals alone do not alert */
	if (p->alert || (!alert_confirmed(sig) && p->suspect)) {
		c->st.merged++;
		return;
	}
	alert_from_proc(c, a, p, sig);
	/* the whole command line and file name, not the table's shortened copies */
	copy_str(a->cmd, sizeof(a->cmd), argv ? argv->p : "", argv ? argv->len : 0);
	copy_str(a->exe, sizeof(a->exe), w->exe, strnlen(w->exe, sizeof(w->exe)));
	if (peer)
		a->peer = *peer, a->has_peer = true;
	if (sig & SIG_RULE) {
		memcpy(a->rule, c->hit.rule, sizeof(a->rule));
		a->nmatched = c->hit.nmatched;
		memcpy(a->matched, c->hit.matched, sizeof(a->matched));
	}
	if (w->killed) {             /* run --kill: the kernel killed it at the exec already */
		a->killed = a->killed_in_kernel = true;
		a->kill_ns = w->hdr.ktime;
	}
	if (alert_confirmed(sig))
		raise_confirmed(c, a, p);
	else
		hold_suspicious(c, a, p);
}

/* A connection made after the shell started (nc connects once `sh` already reads the pipe):
 * the relay is judged again from the shell's side. */
static void relay_check(struct correlate *c, uint32_t shell)
{
	struct proc *s = shell ? proctab_get(c->procs, shell) : NULL;
	const struct proc *relay = s && !s->alert ? pipe_relay(c, s) : NULL;
	struct alert *a = &c->scratch;

	if (!relay)
		return;
	alert_from_proc(c, a, s, SIG_PIPE_RELAY);
	a->signals |= score_signals(c, a->score, a->pscore);
	a->peer = *last_sock(relay);
	a->has_peer = true;
	raise_confirmed(c, a, s);
}

/* The shells within two pipes of p, on either side: the ones its new connection may complete a
 * relay for. */
static void relay_candidates(struct correlate *c, const struct proc *p)
{
	for (int i = 0; i < 3; i++) {
		bool writer = i == 0;  /* who writes p's stdin; who reads p's stdout/stderr */
		const struct proc *q = pipe_peer(c, &p->stdio[i], writer, p->pid);

		if (q && !is_shell(q->exe))
			q = pipe_peer(c, &q->stdio[writer ? 0 : 1], writer, q->pid);
		if (q && is_shell(q->exe))
			relay_check(c, q->pid);
	}
}

static void on_sock(struct correlate *c, const struct wire_sock_ev *w)
{
	struct proc *p = proctab_upsert(c->procs, w->hdr.pid, w->hdr.ppid);
	struct alert *held;
	bool accept = w->hdr.call != WIRE_C_CONNECT;
	int32_t fd = accept ? w->ret : w->fd;

	if (!p || fd < 0 || (!accept && w->ret < 0 && w->ret != -EINPROGRESS) ||
	    !wire_fd_is_inet(&w->sock))
		return;
	proc_add_sock(p, fd, &w->sock);
	held = find_pending(c, p->suspect);
	if (held && !held->has_peer) {
		held->peer = w->sock;
		held->has_peer = true;
	}
	relay_candidates(c, p);
}

/* A dup onto 0, 1 or 2 changes what the process's stdio is. */
static void on_dup(struct correlate *c, const struct wire_dup *w)
{
	struct proc *p = proctab_upsert(c->procs, w->hdr.pid, w->hdr.ppid);
	const struct wire_fd *s;

	if (!p || w->ret < 0 || w->ret > 2)
		return;
	s = proc_sock(p, w->oldfd);
	if (s) {
		p->stdio[w->ret] = *s;
		return;
	}
	memset(&p->stdio[w->ret], 0, sizeof(p->stdio[0]));
	p->stdio[w->ret].kind = w->sock ? WIRE_FD_SOCK : WIRE_FD_OTHER;
}

/* Events that can be part of a remote-shell episode: a connect or accept of a unix socket
 * cannot (every program that logs or talks to dbus makes them); leaving them out keeps busy
 * processes' streams short. docs/run.md says so for custom rules. */
static bool episode_event(const struct wire_hdr *raw)
{
	if (raw->type == WIRE_SOCK)
		return wire_fd_is_inet(&((const struct wire_sock_ev *)raw)->sock);
	return true;
}

void correlate_event(struct correlate *c, const struct sw_event *ev, const struct wire_hdr *raw)
{
	switch (raw->type) {
	case WIRE_EXEC:
		on_exec(c, ev, (const struct wire_exec *)raw);
		return;
	case WIRE_SOCK:
		on_sock(c, (const struct wire_sock_ev *)raw);
		break;
	case WIRE_DUP:
		on_dup(c, (const struct wire_dup *)raw);
		break;
	case WIRE_FORK:
		proctab_fork(c->procs, raw->pid, ((const struct wire_fork *)raw)->child);
		break;
	case WIRE_EXIT:
		engine_feed(c->e, ev);
		proctab_remove(c->procs, raw->pid);
		return;
	}
	if (episode_event(raw))
		engine_feed(c->e, ev);
}

void correlate_tick(struct correlate *c, uint64_t now_ns)
{
	for (unsigned i = 0; i < c->npending;) {
		struct alert *a = &c->pending[i];

		if (now_ns < a->detect_ns + c->o.hold_ns) {
			i++;
			continue;
		}
		c->scratch = *a;
		c->scratch.detect_ns = now_ns;   /* the delay it reports includes the hold */
		drop_pending(c, a);
		emit(c, &c->scratch);
	}
	engine_advance(c->e, now_ns);
}

void correlate_stats(const struct correlate *c, struct correlate_stats *st)
{
	*st = c->st;
	proctab_stats(c->procs, &st->procs);
	engine_stats(c->e, &st->engine);
}

void correlate_free(struct correlate *c)
{
	if (!c)
		return;
	while (c->npending) {
		c->scratch = c->pending[0];
		drop_pending(c, &c->pending[0]);
		emit(c, &c->scratch);
	}
	engine_free(c->e);
	proctab_free(c->procs);
	pipemap_free(c->readers);
	pipemap_free(c->writers);
	free(c);
}

void correlate_seed(struct correlate *c, const struct procscan_entry *e)
{
	struct proc *p = proctab_get(c->procs, e->pid);
	const struct proc *pp;
	struct alert *a = &c->scratch;

	if (p || !(p = proctab_upsert(c->procs, e->pid, e->ppid)))
		return;
	memcpy(p->stdio, e->stdio, sizeof(p->stdio));
	snprintf(p->comm, sizeof(p->comm), "%s", e->comm);
	snprintf(p->cmd, sizeof(p->cmd), "%s", e->cmd);
	copy_str(p->exe, sizeof(p->exe), e->exe, strnlen(e->exe, sizeof(e->exe)));
	p->uid = e->uid;
	remember_pipes(c, p);
	p->score = c->o.model ? (float)score_cmdline(c->o.model, p->cmd, strlen(p->cmd), NULL) : -1;
	pp = parent_of(c, p);
	if (pp && pp->alert) {
		p->alert = pp->alert;
		return;
	}
	if (!inet_stdio(p->stdio))
		return;
	alert_from_proc(c, a, p, SIG_STDIO_SOCKET);   /* its peer: the stdio socket */
	snprintf(a->exe, sizeof(a->exe), "%s", e->exe);
	a->exec_ns = a->detect_ns;   /* the exec happened before the sensor: no delay to report */
	raise_confirmed(c, a, p);
}
