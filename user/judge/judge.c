/* judge.c: events in, alerts out (include/judge.h). Keeps the process table current, feeds the
 * rule engine, judges every exec on the signal table (signals.c), and turns what fired into one
 * alert per remote shell: high alerts at once, medium and low ones held for a high one of the same
 * tree to absorb; exceptions and the minimum severity decide what is emitted. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "argl.h"
#include "baseline.h"
#include "cmdsrc.h"
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
	struct judge_opts o = { .max_procs = 65536, .hold_ns = 200000000ull,
				.min_severity = SEV_MEDIUM };

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

/* The connection p made or accepted most recently in its current image (or, before any exec,
 * its parent's, shared by the fork). */
const struct proc_sock *judge_last_sock(const struct proc *p)
{
	for (int i = PROC_SOCKS - 1; p && i >= 0; i--)
		if (p->socks[i].fd >= 0 && !(p->socks[i].flags & PSOCK_OLD_IMAGE))
			return &p->socks[i];
	return NULL;
}

bool judge_is_shell(const struct proc *p)
{
	return p->interp == INTERP_SHELL;
}

/* Ports the kernel hands out for connect (the default ip_local_port_range). */
#define EPHEMERAL_LO 32768
#define EPHEMERAL_HI 60999

uint32_t judge_sock_flags(struct judge *j, const struct proc *holder, const struct sw_fd *s)
{
	const struct proc_sock *e = holder ? proc_sock_like(holder, s) : NULL;
	uint32_t f = e ? e->flags : 0;

	if (!(f & (PSOCK_OUTBOUND | PSOCK_INBOUND)) && s->lport && s->pport) {
		bool l = s->lport >= EPHEMERAL_LO && s->lport <= EPHEMERAL_HI;
		bool r = s->pport >= EPHEMERAL_LO && s->pport <= EPHEMERAL_HI;

		f |= l && !r ? PSOCK_OUTBOUND : r && !l ? PSOCK_INBOUND : 0;
	}
	if (holder && policy_sanctioned(j->policy, holder->exe))
		f |= PSOCK_SANCTIONED;
	return f;
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

/* The alert's command line from an exec, with its arguments' boundaries while it is whole. */
static void alert_cmd_of(struct alert *a, const struct sw_exec_facts *x)
{
	alert_set_cmd(a, x->argv.p, x->argv.len, x->argv_trunc);
	if (x->argv.len < sizeof(a->cmd))
		argl_inner(x->argv, x->argl, a->cmd_inner, sizeof(a->cmd_inner));
	else
		memset(a->cmd_inner, 0, sizeof(a->cmd_inner));
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
	/* the table's copy: cut when it is full (PROC_CMD_MAX) */
	alert_set_cmd(a, p->cmd, strlen(p->cmd), strlen(p->cmd) >= PROC_CMD_MAX - 1);
	memcpy(a->cmd_inner, p->cmd_inner, sizeof(p->cmd_inner));
	snprintf(a->exe, sizeof(a->exe), "%s", p->exe);
	snprintf(a->cwd, sizeof(a->cwd), "%s", p->cwd);
	a->exec_ns = p->exec_ns;
	a->start_ns = p->start_ns;
	snprintf(a->interp, sizeof(a->interp), "%s", p->interp_name);
	a->interp_by = p->interp_by;
	a->cmdsrc = p->cmdsrc;
	ctr_unpack_id(&p->ctr, a->container);
	ctr_unpack_pod(&p->ctr, a->pod_uid);
	snprintf(a->ctr_runtime, sizeof(a->ctr_runtime), "%s", ctr_runtime_name(p->ctr.runtime));
	a->ns_pid = p->ns_pid;
	judge_entity_id(a->entity_id, sizeof(a->entity_id), j->boot_id, p->pid, p->start_ns);
	judge_entity_id(a->parent_entity_id, sizeof(a->parent_entity_id), j->boot_id, p->ppid,
			p->pstart_ns ? p->pstart_ns : pp ? pp->start_ns : 0);
	if (pp) {
		snprintf(a->pcomm, sizeof(a->pcomm), "%s", pp->comm);
		snprintf(a->pcmd, sizeof(a->pcmd), "%s", pp->cmd);
		memcpy(a->pcmd_inner, pp->cmd_inner, sizeof(pp->cmd_inner));
		snprintf(a->pexe, sizeof(a->pexe), "%s", pp->exe);
		snprintf(a->pcwd, sizeof(a->pcwd), "%s", pp->cwd);
	}
	if (!s && judge_last_sock(p))
		s = &judge_last_sock(p)->sock;
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

/* An alert is decided: counted by severity; emitted unless below the minimum or matched by an
 * exception (then counted, and emitted marked when show_suppressed). */
static void emit(struct judge *j, struct alert *a)
{
	const struct proc *p = proctab_get(j->procs, a->pid), *pp = judge_parent(j, p);

	j->st.by_severity[a->severity]++;
	if (a->severity < j->o.min_severity) {
		j->st.below_min++;
		return;
	}
	a->suppressed_by = policy_allows(j->policy, a, pp ? pp->exe : NULL);
	if (a->suppressed_by) {
		j->st.suppressed++;
		if (!j->o.show_suppressed)
			return;
	}
	j->st.alerts++;
	if (j->o.on_alert)
		j->o.on_alert(j->o.ctx, a);
}

/* A high alert: at once, absorbing a held one of its tree. A process that runs what its parent
 * received is one of many its parent's loop runs: the parent's tree is marked too, so the next
 * command merges into this alert. */
static void raise_high(struct judge *j, struct alert *a, struct proc *p)
{
	struct alert *held = find_pending(j, p->suspect);
	struct proc *loop = p->cmd_from_net == 2 ? proctab_get(j->procs, p->ppid) : NULL;

	if (held) {
		a->signals |= held->signals & (SIG_SCORE | SIG_PARENT_SCORE) ? SIG_PARENT_SCORE : 0;
		drop_pending(j, held);
		j->st.absorbed++;
	}
	a->id = p->alert = ++j->next_id;
	p->alert_sev = SEV_HIGH;
	p->suspect = 0;
	if (loop)
		loop->alert = a->id, loop->alert_sev = SEV_HIGH;
	emit(j, a);
}

/* A medium or low alert waits hold_ns for a high one of its tree to absorb it. */
static void hold(struct judge *j, struct alert *a, struct proc *p)
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

/* A rule's episode starts with an accept: a bind shell's, or a network service's. */
static bool rule_inbound(const struct sw_detection *d)
{
	return d->nmatched && !strncmp(d->matched[0], "accept", 6);
}

static void judge_verdict(struct judge *j, struct proc *p, bool rule_hit, bool inbound,
			  struct alert *a);
static void decide(struct judge *j, struct alert *a, struct proc *p);

/* Rule hits: during the feed of an exec they join that exec's judgement; a hit that comes later
 * (PWW windows close after the event) judges the process again unless the tree has an alert. */
static void on_detect(void *ctx, const struct sw_detection *d)
{
	struct judge *j = ctx;
	struct proc *p;
	struct alert *a = &j->scratch;

	if (d->pid == j->cur_pid) {
		j->cur_hit = true;
		j->hit_inbound = rule_inbound(d);
		take_matches(&j->hit, d);
		return;
	}
	p = proctab_get(j->procs, d->pid);
	if (p && p->alert) {
		j->st.merged++;
		return;
	}
	if (p) {   /* a later hit (PWW): judged again with it */
		judge_verdict(j, p, true, rule_inbound(d), a);
		take_matches(a, d);
		decide(j, a, p);
		return;
	}
	alert_base(j, a, SIG_RULE);   /* the process is gone: what the rule engine knows */
	a->severity = rule_inbound(d) ? SEV_NONE : SEV_MEDIUM;
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
	j->policy = o->policy ? o->policy : (j->own_policy = policy_default());
	eo.rules = o->rules;
	eo.on_detect = on_detect;
	eo.ctx = j;
	j->e = engine_new(&eo);
	if (!j->e || !j->policy) {
		int err = j->e ? ENOMEM : errno;

		engine_free(j->e);
		policy_free(j->own_policy);
		free(j);
		errno = err;    /* from engine_new: EINVAL for bad options */
		return NULL;
	}
	j->procs = proctab_new(o->max_procs ? o->max_procs : 65536);
	j->readers = pipemap_new(8192);
	j->writers = pipemap_new(8192);
	j->owned = pipemap_new(4096);
	if (!j->procs || !j->readers || !j->writers || !j->owned) {
		judge_free(j);
		errno = ENOMEM;
		return NULL;
	}
	return j;
}

/* ---- events --------------------------------------------------------------------------------- */

/* The entry of the event's process, created if new, its start time and uid kept current. */
/* The process's entry. A new one whose parent is known starts as the parent's copy, as at a fork:
 * under a flood an exec (read from a ring of its own) can come before its fork, and the child
 * must still belong to its parent's tree (its alert, its sockets). */
static struct proc *touch(struct judge *j, const struct sw_event *ev)
{
	struct proc *p = proctab_get(j->procs, ev->pid);

	if (!p && ev->ppid && ev->ppid != ev->pid && proctab_get(j->procs, ev->ppid))
		p = proctab_fork(j->procs, ev->ppid, ev->pid);
	if (!p)
		p = proctab_upsert(j->procs, ev->pid, ev->ppid);

	if (!p)
		return NULL;
	if (ev->has_start)
		p->start_ns = ev->start_ns;
	if (ev->has_uid)
		p->uid = ev->uid, p->has_uid = true;
	return p;
}

/* The first space-separated word of s (len bytes) after skip words; its basename in *base. */
static struct sw_str word_at(const char *s, size_t len, int skip, struct sw_str *base)
{
	size_t i = 0, b;

	for (;;) {
		while (i < len && s[i] == ' ')
			i++;
		b = i;
		while (i < len && s[i] != ' ')
			i++;
		if (!skip--)
			break;
	}
	*base = (struct sw_str){ s + b, (uint32_t)(i - b) };
	for (size_t k = b; k < i; k++)
		if (s[k] == '/')
			*base = (struct sw_str){ s + k + 1, (uint32_t)(i - k - 1) };
	return (struct sw_str){ s + b, (uint32_t)(len - b) };
}

/* A file name that says nothing of the program: the image re-exec'd through /proc/self/exe
 * (busybox's applets, runc), an fd (fexecve: /dev/fd/N, /proc/PID/fd/N), a memfd. argv[0] is
 * then the only name there is. */
static bool anonymous_path(struct sw_str exe)
{
	static const char *const pre[] = { "/proc/", "/dev/fd/", "memfd:" };

	for (size_t i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (exe.len >= strlen(pre[i]) && !memcmp(exe.p, pre[i], strlen(pre[i])))
			return true;
	return exe.len == 0;
}

/* What the program is: the interpreter the source identified (inode, build-id), else by its file
 * name (busybox: the applet), else, for a file name that says nothing, by argv[0]; and where it
 * takes its commands from. */
static void identify(struct proc *p, const struct sw_exec_facts *x)
{
	struct sw_str name = x->interp, argv = x->argv, applet;
	const char *slash;
	enum interp_kind k;

	p->interp_by = x->interp_by;
	if (!name.len && anonymous_path(x->exe)) {
		word_at(argv.p, argv.len, 0, &name);   /* argv[0]'s last part */
		p->interp_by = INTERP_BY_NAME;
	} else if (!name.len) {
		slash = memrchr(x->exe.p, '/', x->exe.len);
		name = slash ? (struct sw_str){ slash + 1, (uint32_t)(x->exe.len - (slash + 1 - x->exe.p)) }
			     : x->exe;
		p->interp_by = INTERP_BY_NAME;
	}
	k = interp_of(name.p, name.len);
	copy_str(p->interp_name, sizeof(p->interp_name), name.p, name.len);
	if (k == INTERP_BUSYBOX) {   /* `sh -c ...` through its symlink, or `busybox sh ...` */
		word_at(x->argv.p, x->argv.len, 0, &applet);
		if (sw_str_eqc(applet, "busybox"))
			argv = word_at(x->argv.p, x->argv.len, 1, &applet);
		k = interp_of(applet.p, applet.len);
		k = k == INTERP_SHELL || k == INTERP_AWK ? k : INTERP_NONE;
		snprintf(p->interp_name, sizeof(p->interp_name), "busybox %.*s", (int)applet.len,
			 applet.p);
	}
	if (k == INTERP_LAUNCHER)
		k = INTERP_NONE;     /* su and runuser start a shell: that one is judged */
	p->interp = (uint8_t)k;
	if (k == INTERP_NONE)
		p->interp_name[0] = '\0', p->interp_by = INTERP_BY_NONE;
	p->cmdsrc = (uint8_t)cmdsrc_of(k, argv.p, argv.len).src;
}

/* The model's score of a command line, remembered for the next time it runs (FNV-1a 64 of the
 * line, direct-mapped: a collision costs a recomputation, a false hit needs the same 64-bit hash
 * and length). */
static float score_of(struct judge *j, const char *cmd, uint32_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;
	struct score_memo *m;

	if (!j->o.model)
		return -1;
	for (uint32_t i = 0; i < len; i++)
		h = (h ^ (uint8_t)cmd[i]) * 0x100000001b3ull;
	h |= 1;
	m = &j->scores[h % SCORE_CACHE];
	if (m->hash != h || m->len != len) {
		m->hash = h, m->len = len;
		m->score = (float)score_cmdline(j->o.model, cmd, len, NULL);
	}
	return m->score;
}

/* The exec's command line is an outlier of its group in the host baseline (--baseline). */
static bool anomalous(const struct judge *j, const struct sw_exec_facts *x)
{
	struct baseline_result r;

	if (!j->o.baseline)
		return false;
	baseline_score_exec(j->o.baseline, x->exe, x->interp, x->argv, &r);
	return r.outlier;
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
	argl_inner(x->argv, x->argl, p->cmd_inner, sizeof(p->cmd_inner));
	copy_str(p->exe, sizeof(p->exe), x->exe.p, x->exe.len);
	proc_copy_cwd(p->cwd, sizeof(p->cwd), x->cwd);
	identify(p, x);
	p->cmd_from_net = x->cmd_from_net;
	ctr_pack(&p->ctr, x);
	p->ns_pid = p->ctr.runtime != CTR_NONE ? x->ns_pid : 0;
	relay_remember(j, p);
	p->score = score_of(j, x->argv.p, x->argv.len);
	p->anomaly = anomalous(j, x);
}

/* A rule hit on an exec the table has no entry for: a source without pids (the seed's bare
 * lines) or a full table. What the event and the rule say. */
static void rule_alert_without_proc(struct judge *j, const struct sw_event *ev)
{
	struct alert *a = &j->scratch;

	alert_base(j, a, SIG_RULE);
	a->pid = ev->pid, a->ppid = ev->ppid, a->uid = ev->uid, a->has_uid = ev->has_uid;
	a->exec_ns = ev->has_time ? ev->t_ns : j->now;
	alert_cmd_of(a, &ev->exec);
	copy_str(a->exe, sizeof(a->exe), ev->exec.exe.p, ev->exec.exe.len);
	proc_copy_cwd(a->cwd, sizeof(a->cwd), ev->exec.cwd);
	copy_str(a->comm, sizeof(a->comm), ev->comm.p, ev->comm.len);
	memcpy(a->rule, j->hit.rule, sizeof(a->rule));
	a->nmatched = j->hit.nmatched;
	memcpy(a->matched, j->hit.matched, sizeof(a->matched));
	a->severity = SEV_MEDIUM;     /* no process facts: what a rule alone says */
	a->id = ++j->next_id;
	emit(j, a);
}

/* Judge p on the signal table into alert a (signals, severity, direction, remote end). */
static void judge_verdict(struct judge *j, struct proc *p, bool rule_hit, bool inbound,
			  struct alert *a)
{
	struct verdict v = { .j = j, .p = p, .pp = judge_parent(j, p), .rule_hit = rule_hit,
			     .rule_inbound = inbound };
	uint32_t sig = signals_judge(&v);

	alert_from_proc(j, a, p, sig);
	a->severity = signals_severity(&v, sig);
	a->direction = signals_direction(&v);
	if (v.peer)
		a->peer = *v.peer, a->has_peer = true;
	if ((v.in.flags | v.out.flags) & PSOCK_SANCTIONED)
		j->st.sanctioned++;
}

/* What becomes of a judged alert: nothing below low; merged into the tree's alert unless it says
 * more; a high one at once; medium and low held for a high one to absorb. */
static void decide(struct judge *j, struct alert *a, struct proc *p)
{
	if (a->severity == SEV_NONE)
		return;
	if ((p->alert && a->severity <= p->alert_sev) || (a->severity < SEV_HIGH && p->suspect)) {
		j->st.merged++;
		return;
	}
	if (a->severity == SEV_HIGH)
		raise_high(j, a, p);
	else
		hold(j, a, p);
}

void judge_again(struct judge *j, struct proc *p)
{
	judge_verdict(j, p, false, false, &j->scratch);
	if (j->scratch.severity == SEV_HIGH)
		decide(j, &j->scratch, p);
}

static void on_exec(struct judge *j, const struct sw_event *ev)
{
	struct proc *p = touch(j, ev);
	const struct sw_exec_facts *x = &ev->exec;
	struct alert *a = &j->scratch;

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
	proc_exec_ages_socks(p);
	take_exec_facts(j, p, ev);
	j->st.kernel_kills += x->killed;
	judge_verdict(j, p, j->cur_hit, j->cur_hit && j->hit_inbound, a);
	/* the whole command line and file name, not the table's shortened copies */
	alert_cmd_of(a, x);
	copy_str(a->exe, sizeof(a->exe), x->exe.p, x->exe.len);
	proc_copy_cwd(a->cwd, sizeof(a->cwd), x->cwd);
	if (a->signals & SIG_RULE) {
		memcpy(a->rule, j->hit.rule, sizeof(a->rule));
		a->nmatched = j->hit.nmatched;
		memcpy(a->matched, j->hit.matched, sizeof(a->matched));
	}
	if (x->killed) {             /* run --kill: the kernel killed it at the exec already */
		a->killed = a->killed_in_kernel = true;
		a->kill_ns = a->exec_ns;
	}
	decide(j, a, p);
}

/* A process that was running before the capture (the /proc scan): entered unless an event
 * already created it, and judged like an exec (a remote shell started before the sensor is
 * alerted at once), unless its parent's tree has an alert. */
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
		p->alert = pp->alert, p->alert_sev = pp->alert_sev;
		return;
	}
	judge_verdict(j, p, false, false, a);
	copy_str(a->exe, sizeof(a->exe), ev->exec.exe.p, ev->exec.exe.len);
	proc_copy_cwd(a->cwd, sizeof(a->cwd), ev->exec.cwd);
	alert_cmd_of(a, &ev->exec);
	a->exec_ns = a->decided_ns;  /* the exec happened before the capture: no delay to report */
	decide(j, a, p);
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
	proc_add_sock(p, fd, &s->sock, !s->accepted ? PSOCK_OUTBOUND :
			PSOCK_INBOUND | (policy_sanctioned(j->policy, p->exe) ? PSOCK_SANCTIONED : 0));
	held = find_pending(j, p->suspect);
	if (held && !held->has_peer) {
		held->peer = s->sock;
		held->has_peer = true;
	}
	relay_recheck(j, p);
}

/* A dup onto 0, 1 or 2 changes what the process's stdio is: the source's own description of the
 * old fd when it is complete (strace -yy), else the socket remembered behind that fd, else what
 * the old fd is when it is stdio itself, else what little the source said ("a socket": live;
 * nothing: strace without -yy). */
static void on_dup(struct judge *j, const struct sw_event *ev)
{
	const struct sw_dup_facts *d = &ev->dup;
	struct proc *p = touch(j, ev);
	const struct sw_fd *s;

	if (!p || d->ret < 0)
		return;
	if (d->ret > 2) {   /* a copy of a known socket is the same connection (perl's open) */
		const struct proc_sock *e = proc_sock_entry(p, d->oldfd);

		if (e)
			proc_add_sock(p, d->ret, &e->sock, e->flags);
		return;
	}
	s = d->src.kind != SW_FD_UNKNOWN && (d->src.kind != SW_FD_SOCK || d->src.family) ?
		    &d->src : proc_sock(p, d->oldfd);
	if (!s && d->oldfd >= 0 && d->oldfd <= 2 && p->stdio[d->oldfd].kind != SW_FD_UNKNOWN)
		s = &p->stdio[d->oldfd];    /* dup2(0, 1): what 0 is */
	if (!s)
		s = &d->src;
	p->stdio[d->ret] = *s;
	relay_remember(j, p);
}

/* A new process starts as a copy of its parent, unless its exec was judged already: a live
 * source reads execs from a ring of their own and may hand them on before the fork (under a
 * flood); what the exec said is newer than the fork and stays. */
static void on_fork(struct judge *j, const struct sw_event *ev)
{
	struct proc *c = proctab_get(j->procs, ev->fork_child);

	if (c && c->exec_ns && ev->has_time && c->exec_ns > ev->t_ns) {
		c->ppid = ev->pid;
		return;
	}
	proctab_fork(j->procs, ev->pid, ev->fork_child);
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
			on_fork(j, ev);
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
	policy_free(j->own_policy);
	proctab_free(j->procs);
	pipemap_free(j->readers);
	pipemap_free(j->writers);
	pipemap_free(j->owned);
	free(j);
}
