/* judge.c: events in, alerts out (include/judge.h). Keeps the process table current, feeds the
 * rule engine, judges every exec on the signal table (signals.c), and turns what fired into one
 * alert per remote shell: confirmed alerts at once, score-only ones held for a confirmed one of
 * the same tree to absorb. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "interp.h"
#include "judge_priv.h"
#include "proctime.h"
#include "score.h"

#define ADVANCE_NS 10000000ull   /* close the engine's windows every 10 ms of event time */

static void copy_str(char *dst, size_t cap, const char *src, size_t len)
{
	if (len >= cap)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
}

struct judge_opts judge_opts_default(void)
{
	struct judge_opts o = { .max_procs = 65536, .hold_ns = 200000000ull };

	o.engine = engine_opts_default(ENGINE_TIME);
	o.engine.mode = ENGINE_INCREMENTAL;
	o.engine.max_events = 64;     /* an episode is a handful of events; bounds fork-storm memory */
	o.engine.max_streams = 8192;
	return o;
}

void judge_entity_id(char *buf, size_t len, const char *boot_id, uint32_t pid, uint64_t start_ns)
{
	uint64_t h = 0xcbf29ce484222325ull, ticks = start_ns / proc_tick_ns();
	char key[128];
	int n;

	if (!start_ns) {
		snprintf(buf, len, "%s", "");
		return;
	}
	n = snprintf(key, sizeof(key), "%s:%" PRIu32 ":%" PRIu64, boot_id ? boot_id : "", pid, ticks);
	for (int i = 0; i < n && i < (int)sizeof(key); i++)
		h = (h ^ (uint8_t)key[i]) * 0x100000001b3ull;
	snprintf(buf, len, "%016" PRIx64, h);
}

/* ---- the process table, as the predicates see it ------------------------------------------ */

const struct proc *judge_parent(struct judge *j, const struct proc *p)
{
	return p && p->ppid && p->ppid != p->pid ? proctab_get(j->procs, p->ppid) : NULL;
}

const struct sw_fd *judge_inet_stdio(const struct sw_fd fds[3])
{
	for (int i = 0; i < 3; i++)
		if (sw_fd_is_inet(&fds[i]))
			return &fds[i];
	return NULL;
}

const struct sw_fd *judge_last_sock(const struct proc *p)
{
	for (int i = PROC_SOCKS - 1; p && i >= 0; i--)
		if (p->socks[i].fd >= 0)
			return &p->socks[i].sock;
	return NULL;
}

bool judge_is_shell(const struct proc *p)
{
	enum interp_kind k = interp_of_path(p->exe);

	return k == INTERP_SHELL || k == INTERP_BUSYBOX;
}

/* Highest score among the parent and grandparent (-1 when neither was scored). */
double judge_ancestor_score(struct judge *j, const struct proc *p)
{
	const struct proc *pp = judge_parent(j, p), *gp = judge_parent(j, pp);
	double s = pp ? pp->score : -1;

	return gp && gp->score > s ? gp->score : s;
}

/* ---- alerts ------------------------------------------------------------------------------- */

static void take_matches(struct alert *a, const struct sw_detection *d)
{
	snprintf(a->rule, sizeof(a->rule), "%s", d->rule);
	a->nmatched = d->nmatched;
	for (unsigned i = 0; i < d->nmatched; i++)
		snprintf(a->matched[i], sizeof(a->matched[i]), "%s", d->matched[i]);
}

static void alert_base(struct judge *j, struct alert *a, uint32_t signals)
{
	memset(a, 0, sizeof(*a));
	a->signals = signals;
	a->score = a->pscore = -1;
	a->decided_ns = j->now;
	snprintf(a->host, sizeof(a->host), "%s", j->host);
}

/* An alert about process p: its facts, its and its ancestors' scores, and as remote end its inet
 * stdio socket or its last inet connection (callers may set a better one). */
static void alert_from_proc(struct judge *j, struct alert *a, const struct proc *p,
			    uint32_t signals)
{
	const struct proc *pp = judge_parent(j, p);
	const struct sw_fd *s = judge_inet_stdio(p->stdio);

	alert_base(j, a, signals);
	a->pid = p->pid, a->ppid = p->ppid, a->uid = p->uid, a->has_uid = p->has_uid;
	a->score = p->score;
	a->pscore = judge_ancestor_score(j, p);
	snprintf(a->comm, sizeof(a->comm), "%s", p->comm);
	snprintf(a->cmd, sizeof(a->cmd), "%s", p->cmd);
	snprintf(a->exe, sizeof(a->exe), "%s", p->exe);
	a->exec_ns = p->exec_ns;
	a->start_ns = p->start_ns;
	judge_entity_id(a->entity_id, sizeof(a->entity_id), j->boot_id, p->pid, p->start_ns);
	judge_entity_id(a->parent_entity_id, sizeof(a->parent_entity_id), j->boot_id, p->ppid,
			p->pstart_ns ? p->pstart_ns : pp ? pp->start_ns : 0);
	if (pp) {
		snprintf(a->pcomm, sizeof(a->pcomm), "%s", pp->comm);
		snprintf(a->pcmd, sizeof(a->pcmd), "%s", pp->cmd);
	}
	if (!s)
		s = judge_last_sock(p);
	if (s) {
		a->peer = *s;
		a->has_peer = true;
	}
}

static struct alert *find_pending(struct judge *j, uint32_t id)
{
	for (unsigned i = 0; id && i < j->npending; i++)
		if (j->pending[i].id == id)
			return &j->pending[i];
	return NULL;
}

static void drop_pending(struct judge *j, struct alert *a)
{
	*a = j->pending[--j->npending];
}

static void emit(struct judge *j, struct alert *a)
{
	j->st.alerts++;
	if (alert_confirmed(a->signals))
		j->st.confirmed++;
	else
		j->st.suspicious++;
	if (j->o.on_alert)
		j->o.on_alert(j->o.ctx, a);
}

static void raise_confirmed(struct judge *j, struct alert *a, struct proc *p)
{
	struct alert *held = find_pending(j, p->suspect);

	if (held) {
		a->signals |= held->signals & (SIG_SCORE | SIG_PARENT_SCORE) ? SIG_PARENT_SCORE : 0;
		drop_pending(j, held);
		j->st.absorbed++;
	}
	a->id = p->alert = ++j->next_id;
	p->suspect = 0;
	emit(j, a);
}

static void hold_suspicious(struct judge *j, struct alert *a, struct proc *p)
{
	a->id = p->suspect = ++j->next_id;
	if (j->npending == PENDING_MAX) {
		j->st.pending_dropped++;
		emit(j, a);
		return;
	}
	j->pending[j->npending++] = *a;
}

/* Emit the held alerts whose hold ran out by now, oldest first (the order they were held). */
static void release_held(struct judge *j)
{
	for (;;) {
		unsigned oldest = j->npending;

		for (unsigned i = 0; i < j->npending; i++)
			if (j->now >= j->pending[i].decided_ns + j->o.hold_ns &&
			    (oldest == j->npending || j->pending[i].id < j->pending[oldest].id))
				oldest = i;
		if (oldest == j->npending)
			return;
		j->scratch = j->pending[oldest];
		j->scratch.decided_ns = j->pending[oldest].decided_ns + j->o.hold_ns;
		drop_pending(j, &j->pending[oldest]);
		emit(j, &j->scratch);
	}
}

/* Event time moved on to t: holds that ran out are emitted, the engine's windows close. */
static void advance(struct judge *j, uint64_t t)
{
	if (t <= j->now)
		return;
	j->now = t;
	if (j->npending)
		release_held(j);
	if (j->now - j->advanced >= ADVANCE_NS) {
		j->advanced = j->now;
		engine_advance(j->e, j->now);
	}
}

void judge_raise_relay(struct judge *j, struct proc *shell, const struct proc *relay)
{
	struct alert *a = &j->scratch;

	alert_from_proc(j, a, shell, SIG_PIPE_RELAY);
	a->signals |= signals_score(j, a->score, a->pscore);
	a->peer = *judge_last_sock(relay);
	a->has_peer = true;
	raise_confirmed(j, a, shell);
}

/* Rule hits: during the feed of an exec they join that exec's judgement; a hit that comes later
 * (PWW windows close after the event) is an alert of its own unless the tree already has one. */
static void on_detect(void *ctx, const struct sw_detection *d)
{
	struct judge *j = ctx;
	struct proc *p;
	struct alert *a = &j->scratch;

	if (d->pid == j->cur_pid) {
		j->cur_hit = true;
		take_matches(&j->hit, d);
		return;
	}
	p = proctab_get(j->procs, d->pid);
	if (p && p->alert) {
		j->st.merged++;
		return;
	}
	if (p) {
		alert_from_proc(j, a, p, SIG_RULE);
		take_matches(a, d);
		raise_confirmed(j, a, p);
		return;
	}
	alert_base(j, a, SIG_RULE);   /* the process is gone: what the rule engine knows */
	a->pid = d->pid, a->ppid = d->ppid, a->uid = d->uid, a->has_uid = d->has_uid;
	a->exec_ns = d->clock == ENGINE_TIME ? d->last_time : j->now;
	take_matches(a, d);
	a->id = ++j->next_id;
	emit(j, a);
}

struct judge *judge_new(const struct judge_opts *o)
{
	struct judge *j = calloc(1, sizeof(*j));
	struct engine_opts eo = o->engine;

	if (!j)
		return NULL;
	j->o = *o;
	eo.rules = o->rules;
	eo.on_detect = on_detect;
	eo.ctx = j;
	j->e = engine_new(&eo);
	if (!j->e) {
		free(j);
		return NULL;    /* errno from engine_new: EINVAL for bad options */
	}
	j->procs = proctab_new(o->max_procs ? o->max_procs : 65536);
	j->readers = pipemap_new(8192);
	j->writers = pipemap_new(8192);
	if (!j->procs || !j->readers || !j->writers) {
		judge_free(j);
		errno = ENOMEM;
		return NULL;
	}
	return j;
}

/* ---- events --------------------------------------------------------------------------------- */

/* The entry of the event's process, created if new, its start time and uid kept current. */
static struct proc *touch(struct judge *j, const struct sw_event *ev)
{
	struct proc *p = proctab_upsert(j->procs, ev->pid, ev->ppid);

	if (!p)
		return NULL;
	if (ev->has_start)
		p->start_ns = ev->start_ns;
	if (ev->has_uid)
		p->uid = ev->uid, p->has_uid = true;
	return p;
}

static void take_exec_facts(struct judge *j, struct proc *p, const struct sw_event *ev)
{
	const struct sw_exec_facts *x = &ev->exec;

	if (ev->ppid)
		p->ppid = ev->ppid;
	if (x->pstart_ns)
		p->pstart_ns = x->pstart_ns;
	if (x->stdio_known)
		memcpy(p->stdio, x->stdio, sizeof(p->stdio));
	if (ev->comm.len) {
		copy_str(p->comm, sizeof(p->comm), ev->comm.p, ev->comm.len);
	} else {   /* what the kernel names the task: the file name's last part, cut to 15 */
		const char *b = memrchr(x->exe.p, '/', x->exe.len);

		b = b ? b + 1 : x->exe.p;
		copy_str(p->comm, sizeof(p->comm), b, x->exe.len - (size_t)(b - x->exe.p));
	}
	copy_str(p->cmd, sizeof(p->cmd), x->argv.p, x->argv.len);
	copy_str(p->exe, sizeof(p->exe), x->exe.p, x->exe.len);
	relay_remember(j, p);
	p->score = j->o.model ? (float)score_cmdline(j->o.model, x->argv.p, x->argv.len, NULL) : -1;
}

/* A rule hit on an exec the table has no entry for: a source without pids (the seed's bare
 * lines) or a full table. What the event and the rule say. */
static void rule_alert_without_proc(struct judge *j, const struct sw_event *ev)
{
	struct alert *a = &j->scratch;

	alert_base(j, a, SIG_RULE);
	a->pid = ev->pid, a->ppid = ev->ppid, a->uid = ev->uid, a->has_uid = ev->has_uid;
	a->exec_ns = ev->has_time ? ev->t_ns : j->now;
	copy_str(a->cmd, sizeof(a->cmd), ev->exec.argv.p, ev->exec.argv.len);
	copy_str(a->exe, sizeof(a->exe), ev->exec.exe.p, ev->exec.exe.len);
	copy_str(a->comm, sizeof(a->comm), ev->comm.p, ev->comm.len);
	memcpy(a->rule, j->hit.rule, sizeof(a->rule));
	a->nmatched = j->hit.nmatched;
	memcpy(a->matched, j->hit.matched, sizeof(a->matched));
	a->id = ++j->next_id;
	emit(j, a);
}

static void on_exec(struct judge *j, const struct sw_event *ev)
{
	struct proc *p = touch(j, ev);
	const struct sw_exec_facts *x = &ev->exec;
	struct alert *a = &j->scratch;
	struct verdict v = { .j = j };
	uint32_t sig;

	j->st.execs++;
	j->cur_pid = ev->pid;
	j->cur_hit = false;
	engine_feed(j->e, ev);
	j->cur_pid = 0;
	if (!p) {
		if (j->cur_hit)
			rule_alert_without_proc(j, ev);
		return;
	}
	p->exec_ns = ev->has_time ? ev->t_ns : j->now;
	take_exec_facts(j, p, ev);
	j->st.kernel_kills += x->killed;
	v.p = p, v.pp = judge_parent(j, p), v.rule_hit = j->cur_hit;
	sig = signals_judge(&v);
	if (!alert_confirmed(sig) && !(sig & SIG_SCORE))
		return;                       /* supporting signals alone do not alert */
	if (p->alert || (!alert_confirmed(sig) && p->suspect)) {
		j->st.merged++;
		return;
	}
	alert_from_proc(j, a, p, sig);
	/* the whole command line and file name, not the table's shortened copies */
	copy_str(a->cmd, sizeof(a->cmd), x->argv.p, x->argv.len);
	copy_str(a->exe, sizeof(a->exe), x->exe.p, x->exe.len);
	if (v.peer)
		a->peer = *v.peer, a->has_peer = true;
	if (sig & SIG_RULE) {
		memcpy(a->rule, j->hit.rule, sizeof(a->rule));
		a->nmatched = j->hit.nmatched;
		memcpy(a->matched, j->hit.matched, sizeof(a->matched));
	}
	if (x->killed) {             /* run --kill: the kernel killed it at the exec already */
		a->killed = a->killed_in_kernel = true;
		a->kill_ns = a->exec_ns;
	}
	if (alert_confirmed(sig))
		raise_confirmed(j, a, p);
	else
		hold_suspicious(j, a, p);
}

/* A process that was running before the capture (the /proc scan): entered unless an event
 * already created it. One that already has an inet socket on stdio (a remote shell started
 * before the sensor) is alerted at once, as `stdio-socket`, once per process tree. */
static void on_proc(struct judge *j, const struct sw_event *ev)
{
	struct proc *p = proctab_get(j->procs, ev->pid);
	const struct proc *pp;
	struct alert *a = &j->scratch;

	if (p || !(p = touch(j, ev)))
		return;
	take_exec_facts(j, p, ev);
	pp = judge_parent(j, p);
	if (pp && pp->alert) {
		p->alert = pp->alert;
		return;
	}
	if (!judge_inet_stdio(p->stdio))
		return;
	alert_from_proc(j, a, p, SIG_STDIO_SOCKET);   /* its peer: the stdio socket */
	copy_str(a->exe, sizeof(a->exe), ev->exec.exe.p, ev->exec.exe.len);
	copy_str(a->cmd, sizeof(a->cmd), ev->exec.argv.p, ev->exec.argv.len);
	a->exec_ns = a->decided_ns;  /* the exec happened before the capture: no delay to report */
	raise_confirmed(j, a, p);
}

static void on_sock(struct judge *j, const struct sw_event *ev)
{
	const struct sw_sock_facts *s = &ev->sock;
	struct proc *p = touch(j, ev);
	struct alert *held;
	int32_t fd = s->accepted ? s->ret : s->fd;

	if (!p || fd < 0 || (!s->accepted && s->ret < 0 && s->ret != -EINPROGRESS) ||
	    !sw_fd_is_inet(&s->sock))
		return;
	proc_add_sock(p, fd, &s->sock);
	held = find_pending(j, p->suspect);
	if (held && !held->has_peer) {
		held->peer = s->sock;
		held->has_peer = true;
	}
	relay_recheck(j, p);
}

/* A dup onto 0, 1 or 2 changes what the process's stdio is: the source's own description of the
 * old fd when it is complete (strace -yy), else the socket remembered behind that fd, else what
 * little the source said ("a socket": live; nothing: strace without -yy). */
static void on_dup(struct judge *j, const struct sw_event *ev)
{
	const struct sw_dup_facts *d = &ev->dup;
	struct proc *p = touch(j, ev);
	const struct sw_fd *s;

	if (!p || d->ret < 0 || d->ret > 2)
		return;
	s = d->src.kind != SW_FD_UNKNOWN && (d->src.kind != SW_FD_SOCK || d->src.family) ?
		    &d->src : proc_sock(p, d->oldfd);
	if (!s)
		s = &d->src;
	p->stdio[d->ret] = *s;
	relay_remember(j, p);
}

static void on_meta(struct judge *j, const struct sw_event *ev)
{
	copy_str(j->host, sizeof(j->host), ev->meta.host.p, ev->meta.host.len);
	copy_str(j->boot_id, sizeof(j->boot_id), ev->meta.boot_id.p, ev->meta.boot_id.len);
}

/* Events that can be part of a remote-shell episode: a connect or accept of a unix socket
 * cannot (every program that logs or talks to dbus makes them); leaving them out keeps busy
 * processes' streams short. docs/run.md says so for custom rules. */
static bool episode_event(const struct sw_event *ev)
{
	return ev->kind != SW_EV_SOCK || !ev->sock.sock.family || sw_fd_is_inet(&ev->sock.sock);
}

void judge_event(struct judge *j, const struct sw_event *ev)
{
	j->st.events++;
	if (ev->has_time)
		advance(j, ev->t_ns);
	switch (ev->kind) {
	case SW_EV_EXEC:
		on_exec(j, ev);
		return;
	case SW_EV_PROC:
		on_proc(j, ev);
		return;
	case SW_EV_META:
		on_meta(j, ev);
		return;
	case SW_EV_SOCK:
		on_sock(j, ev);
		break;
	case SW_EV_DUP:
		on_dup(j, ev);
		break;
	case SW_EV_FORK:
		if (ev->has_pid && touch(j, ev))
			proctab_fork(j->procs, ev->pid, ev->fork_child);
		break;
	case SW_EV_EXIT:
		engine_feed(j->e, ev);
		proctab_remove(j->procs, ev->pid);
		return;
	case SW_EV_OTHER:
		break;
	}
	if (episode_event(ev))
		engine_feed(j->e, ev);
}

void judge_tick(struct judge *j, uint64_t now_ns)
{
	advance(j, now_ns);
}

void judge_stats(const struct judge *j, struct judge_stats *st)
{
	*st = j->st;
	proctab_stats(j->procs, &st->procs);
	engine_stats(j->e, &st->engine);
}

void judge_finish(struct judge *j)
{
	if (j->finished)
		return;
	j->finished = true;
	engine_flush(j->e);
	if (j->npending) {
		j->now = UINT64_MAX - j->o.hold_ns;   /* every hold runs out: emitted in order */
		release_held(j);
	}
}

void judge_free(struct judge *j)
{
	if (!j)
		return;
	if (j->e)
		judge_finish(j);
	engine_free(j->e);
	proctab_free(j->procs);
	pipemap_free(j->readers);
	pipemap_free(j->writers);
	free(j);
}
