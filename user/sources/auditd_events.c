/* auditd_events.c: auditd events as struct sw_event, for `replay --format auditd` (docs/auditd.md).
 *
 * Each joined event (auditd_read.c) whose SYSCALL record is a call of the table below becomes one
 * event in the vocabulary of docs/trace-format.md: arguments from a0..a3 and exit=, the socket end
 * from SOCKADDR, the command line from EXECVE (PROCTITLE when EXECVE is missing), an exec's cwd=
 * from CWD, pid=, ppid=, uid= and the audit time (wall clock, ms). Audit does not say what an fd
 * is, so execs carry no fd0=..fd2= and dups no sock=: the judge follows stdio through forks and
 * dups.
 *
 * Forks need bookkeeping. The parent's clone record is written when the parent returns from the
 * call, which can be after the child's first records (vfork); clone3 does not show whether it
 * made a thread. So the reader remembers processes (AUDITD_PROCS; the least recently seen go
 * first): a process's first event is preceded by the `fork` that made it, the clone record's own
 * when it came (a clone3 child's is kept until the child shows up), else one inferred from the
 * event's ppid=; a clone record for a child already announced that way, or already exited, drops.
 * exit_group becomes `exit`.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "argl.h"
#include "auditd_read.h"
#include "pidtab.h"

enum ac {
	AC_NONE, AC_CONNECT, AC_ACCEPT, AC_ACCEPT4, AC_DUP, AC_DUP2, AC_DUP3, AC_FCNTL, AC_EXECVE,
	AC_EXECVEAT, AC_CLONE, AC_FORK, AC_VFORK, AC_CLONE3, AC_EXIT, AC_EXIT_GROUP,
};

static const char *const ac_names[] = {
	[AC_CONNECT] = "connect", [AC_ACCEPT] = "accept", [AC_ACCEPT4] = "accept4",
	[AC_DUP] = "dup",         [AC_DUP2] = "dup2",     [AC_DUP3] = "dup3",
	[AC_FCNTL] = "fcntl",     [AC_EXECVE] = "execve", [AC_EXECVEAT] = "execveat",
};

/* Syscall numbers: arch/x86/entry/syscalls/syscall_64.tbl, include/uapi/asm-generic/unistd.h. */
static const struct {
	uint32_t arch;
	uint16_t nr;
	uint8_t call;
} syscalls[] = {
	{ AUDITD_ARCH_X86_64, 42, AC_CONNECT },     { AUDITD_ARCH_X86_64, 43, AC_ACCEPT },
	{ AUDITD_ARCH_X86_64, 288, AC_ACCEPT4 },    { AUDITD_ARCH_X86_64, 32, AC_DUP },
	{ AUDITD_ARCH_X86_64, 33, AC_DUP2 },        { AUDITD_ARCH_X86_64, 292, AC_DUP3 },
	{ AUDITD_ARCH_X86_64, 72, AC_FCNTL },       { AUDITD_ARCH_X86_64, 59, AC_EXECVE },
	{ AUDITD_ARCH_X86_64, 322, AC_EXECVEAT },   { AUDITD_ARCH_X86_64, 56, AC_CLONE },
	{ AUDITD_ARCH_X86_64, 57, AC_FORK },        { AUDITD_ARCH_X86_64, 58, AC_VFORK },
	{ AUDITD_ARCH_X86_64, 435, AC_CLONE3 },     { AUDITD_ARCH_X86_64, 60, AC_EXIT },
	{ AUDITD_ARCH_X86_64, 231, AC_EXIT_GROUP },
	{ AUDITD_ARCH_AARCH64, 203, AC_CONNECT },   { AUDITD_ARCH_AARCH64, 202, AC_ACCEPT },
	{ AUDITD_ARCH_AARCH64, 242, AC_ACCEPT4 },   { AUDITD_ARCH_AARCH64, 23, AC_DUP },
	{ AUDITD_ARCH_AARCH64, 24, AC_DUP3 },       { AUDITD_ARCH_AARCH64, 25, AC_FCNTL },
	{ AUDITD_ARCH_AARCH64, 221, AC_EXECVE },    { AUDITD_ARCH_AARCH64, 281, AC_EXECVEAT },
	{ AUDITD_ARCH_AARCH64, 220, AC_CLONE },     { AUDITD_ARCH_AARCH64, 435, AC_CLONE3 },
	{ AUDITD_ARCH_AARCH64, 93, AC_EXIT },       { AUDITD_ARCH_AARCH64, 94, AC_EXIT_GROUP },
};

#define CLONE_THREAD_BIT 0x10000u
#define FCNTL_DUPFD 0u
#define FCNTL_DUPFD_CLOEXEC 0x406u
#define PROCTITLE_MAX 128          /* the kernel's MAX_PROCTITLE_AUDIT_LEN */

enum { PS_SEEN = 1, PS_LAZY, PS_GONE };

/* A process the reader has announced (SEEN), one a clone3 record made that has not shown up yet
 * (LAZY), or one that called exit_group (GONE, kept so a late clone record still finds it). */
struct proc_slot {
	uint32_t pid, ppid, uid;
	bool has_uid;
	uint8_t state;
	bool inferred;             /* its fork was inferred from ppid=: the clone record drops */
	char comm[16];
	uint64_t touched;
	uint32_t parent;           /* LAZY: the clone3 record's process, time and line */
	uint64_t fork_ms, fork_line;
};

struct procs {
	struct pidtab *index;
	uint32_t nfree, hand;
	uint32_t free_slots[AUDITD_PROCS];
	struct proc_slot slot[AUDITD_PROCS];
};

struct conv {
	const char *name;
	bool strict;
	sw_event_cb cb;
	void *ctx;
	struct sw_read_stats *st;
	struct auditd_event_stats es;
	struct auditd_reader *r;
	struct procs *procs;
	int rc;                    /* the callback's non-zero value, or -1 */
	uint64_t tick;
	struct sw_event ev;        /* the event being built; numbers and names in scratch */
	char scratch[512];
	size_t used;
	char *argv;                /* the joined command line */
	size_t argv_cap;
	char argl[ARGL_TEXT_MAX + 1]; /* its arguments' lengths, when needed (include/argl.h) */
	size_t argl_len;
};

static enum ac call_of(uint32_t arch, uint32_t nr)
{
	for (size_t i = 0; i < sizeof(syscalls) / sizeof(syscalls[0]); i++)
		if (syscalls[i].arch == arch && syscalls[i].nr == nr)
			return (enum ac)syscalls[i].call;
	return AC_NONE;
}

/* ---- building events ------------------------------------------------------------------------ */

static struct sw_str put(struct conv *c, const char *s, size_t n)
{
	struct sw_str r = { c->scratch + c->used, (uint32_t)n };

	if (n > sizeof(c->scratch) - c->used)
		return (struct sw_str){ "", 0 };
	memcpy(c->scratch + c->used, s, n);
	c->used += n;
	return r;
}

/* v in decimal, or as %#x (dup3's flags=, as the live sensor writes them) */
static struct sw_str put_num(struct conv *c, long long v, bool hex)
{
	char tmp[32];
	int n = hex ? snprintf(tmp, sizeof(tmp), "%#llx", (unsigned long long)v) :
		      snprintf(tmp, sizeof(tmp), "%lld", v);

	return put(c, tmp, n > 0 ? (size_t)n : 0);
}

static void add(struct conv *c, const char *name, struct sw_str val)
{
	if (c->ev.nargs < SW_EVENT_MAX_ARGS)
		c->ev.args[c->ev.nargs++] = (struct sw_arg){ sw_str_c(name), val };
}

static void add_int(struct conv *c, const char *name, long long v)
{
	add(c, name, put_num(c, v, false));
}

/* A new event of process pid: the common fields, then comm= like the live sensor's. */
static void begin(struct conv *c, const char *call, const struct auditd_syscall *who,
		  uint64_t t_ms, uint64_t line)
{
	memset(&c->ev, 0, sizeof(c->ev));
	c->used = 0;
	c->ev.call = sw_str_c(call);
	c->ev.has_pid = true;
	c->ev.pid = who->pid, c->ev.ppid = who->ppid;
	c->ev.has_uid = who->has_uid;
	c->ev.uid = who->uid;
	c->ev.has_time = t_ms != 0;
	c->ev.t_ns = t_ms * 1000000ull;
	c->ev.seq = line;
	if (who->comm.len)
		add(c, "comm", put(c, who->comm.p, who->comm.len < 16 ? who->comm.len : 16));
}

static void set_ret(struct conv *c, long long v)
{
	c->ev.ret = put_num(c, v, false);
	c->ev.has_ret = true;
}

static void emit(struct conv *c)
{
	if (c->rc)
		return;
	sw_event_facts(&c->ev);
	c->st->events++;
	c->rc = c->cb(c->ctx, &c->ev);
}

/* ---- the processes seen --------------------------------------------------------------------- */

static struct proc_slot *proc_get(struct conv *c, uint32_t pid)
{
	int32_t s = pidtab_get(c->procs->index, pid);

	return s >= 0 ? &c->procs->slot[s] : NULL;
}

/* Forget the least recently seen of eight slots from the hand on. */
static void proc_evict(struct conv *c)
{
	struct procs *t = c->procs;
	uint32_t best = t->hand % AUDITD_PROCS;

	for (uint32_t i = 1; i < 8; i++) {
		uint32_t k = (t->hand + i) % AUDITD_PROCS;

		if (t->slot[k].touched < t->slot[best].touched)
			best = k;
	}
	t->hand = best + 1;
	c->es.procs_evicted++;
	c->es.threads += t->slot[best].state == PS_LAZY;
	pidtab_del(t->index, t->slot[best].pid);
	t->slot[best].state = 0;
	t->free_slots[t->nfree++] = best;
}

static struct proc_slot *proc_add(struct conv *c, uint32_t pid)
{
	struct procs *t = c->procs;
	struct proc_slot *s = proc_get(c, pid);
	uint32_t k;

	if (s)
		return s;
	if (!t->nfree)
		proc_evict(c);
	k = t->free_slots[--t->nfree];
	pidtab_put(t->index, pid, (int32_t)k);
	s = &t->slot[k];
	memset(s, 0, sizeof(*s));
	s->pid = pid;
	return s;
}

static void proc_note(struct conv *c, struct proc_slot *s, const struct auditd_syscall *sc)
{
	size_t n = sc->comm.len < sizeof(s->comm) ? sc->comm.len : sizeof(s->comm) - 1;

	s->ppid = sc->ppid;
	s->uid = sc->uid, s->has_uid = sc->has_uid;
	memcpy(s->comm, sc->comm.p, n);
	s->comm[n] = '\0';
	s->touched = ++c->tick;
}

/* `fork child=N` of parent, with what the reader knows of the parent. */
static void emit_fork(struct conv *c, uint32_t parent, uint32_t child, uint64_t t_ms, uint64_t line)
{
	const struct proc_slot *p = proc_get(c, parent);
	struct auditd_syscall who = { .pid = parent };

	if (p && p->state != PS_LAZY) {
		who.ppid = p->ppid, who.uid = p->uid, who.has_uid = p->has_uid;
		who.comm = sw_str_c(p->comm);
	}
	begin(c, "fork", &who, t_ms, line);
	add_int(c, "child", child);
	emit(c);
}

/* Before an event of a->sc.pid: the fork that made it, unless it was announced already. */
static void announce(struct conv *c, const struct auditd_event *a)
{
	const struct auditd_syscall *sc = &a->sc;
	struct proc_slot *s = proc_get(c, sc->pid);

	if (s && s->state == PS_LAZY && s->parent == sc->ppid) {
		emit_fork(c, s->parent, sc->pid, s->fork_ms, s->fork_line);
		s->inferred = false;
	} else if ((!s || s->state != PS_SEEN) && sc->ppid && sc->pid != 1) {
		emit_fork(c, sc->ppid, sc->pid, a->t_ms, a->line);
		c->es.forks_inferred++;
		s = proc_add(c, sc->pid);
		s->inferred = true;
	}
	s = proc_add(c, sc->pid);
	s->state = PS_SEEN;
	proc_note(c, s, sc);
}

static void on_clone(struct conv *c, const struct auditd_event *a, enum ac call)
{
	uint32_t child = (uint32_t)a->sc.exit;
	struct proc_slot *s;

	announce(c, a);
	s = proc_get(c, child);
	if (s && (s->state == PS_GONE || (s->state == PS_SEEN && s->inferred))) {
		s->inferred = false;   /* announced at its first event already; or it has exited (so
					* this record came late, or the pid is reused: then its first
					* event announces it) */
		return;
	}
	s = proc_add(c, child);
	if (call == AC_CLONE3 && s->state != PS_SEEN) {  /* maybe a thread: wait for the child */
		s->state = PS_LAZY;
		s->parent = a->sc.pid;
		s->fork_ms = a->t_ms, s->fork_line = a->line;
		s->touched = ++c->tick;
		return;
	}
	emit_fork(c, a->sc.pid, child, a->t_ms, a->line);
	s->state = PS_SEEN;
	s->inferred = false;
	proc_note(c, s, &a->sc);
	s->ppid = a->sc.pid;
}

static void on_exit_group(struct conv *c, const struct auditd_event *a)
{
	struct proc_slot *s;

	begin(c, "exit", &a->sc, a->t_ms, a->line);
	add_int(c, "code", (long long)(a->sc.a[0] & 0xff));
	emit(c);
	s = proc_add(c, a->sc.pid);
	s->state = PS_GONE;
	s->touched = ++c->tick;
}

/* ---- calls ---------------------------------------------------------------------------------- */

/* family=, addr=, port= from the SOCKADDR bytes (x86_64 and aarch64 are little-endian). */
static void sock_args(struct conv *c, const struct auditd_event *a)
{
	const uint8_t *s = (const uint8_t *)a->saddr.p;
	uint32_t n = a->saddr.len;
	uint16_t fam = n >= 2 ? (uint16_t)(s[0] | s[1] << 8) : 0;
	char ip[INET6_ADDRSTRLEN];
	const uint8_t *addr = NULL;

	if (!a->has_sockaddr || n < 2)
		return;
	if (fam == AF_INET)
		add(c, "family", sw_str_c("inet")), addr = n >= 8 ? s + 4 : NULL;
	else if (fam == AF_INET6)
		add(c, "family", sw_str_c("inet6")), addr = n >= 24 ? s + 8 : NULL;
	else if (fam == AF_UNIX)
		add(c, "family", sw_str_c("unix"));
	else
		add_int(c, "family", fam);
	if (!addr || !inet_ntop(fam, addr, ip, sizeof(ip)))
		return;
	add(c, "addr", put(c, ip, strlen(ip)));
	add_int(c, "port", s[2] << 8 | s[3]);
}

static void conv_sock(struct conv *c, const struct auditd_event *a, enum ac call)
{
	if (!a->sc.has_exit) {        /* no return value: nothing to judge */
		c->es.other_calls++;
		return;
	}
	announce(c, a);
	begin(c, ac_names[call], &a->sc, a->t_ms, a->line);
	add_int(c, "fd", (int32_t)a->sc.a[0]);
	sock_args(c, a);
	set_ret(c, a->sc.exit);
	emit(c);
}

static void conv_dup(struct conv *c, const struct auditd_event *a, enum ac call)
{
	const struct auditd_syscall *sc = &a->sc;
	uint32_t cmd = (uint32_t)sc->a[1];

	if (call == AC_FCNTL && cmd != FCNTL_DUPFD && cmd != FCNTL_DUPFD_CLOEXEC) {
		c->es.other_calls++;
		return;
	}
	if (!sc->has_exit || !sc->success) {
		c->es.failed++;
		return;
	}
	announce(c, a);
	begin(c, ac_names[call], sc, a->t_ms, a->line);
	add_int(c, "fd", (int32_t)sc->a[0]);
	if (call == AC_DUP2 || call == AC_DUP3)
		add_int(c, "newfd", (int32_t)sc->a[1]);
	if (call == AC_DUP3)
		add(c, "flags", put_num(c, (uint32_t)sc->a[2], true));
	if (call == AC_FCNTL) {
		add(c, "cmd", sw_str_c(cmd == FCNTL_DUPFD ? "F_DUPFD" : "F_DUPFD_CLOEXEC"));
		add_int(c, "arg", (int32_t)sc->a[2]);
	}
	set_ret(c, sc->exit);
	emit(c);
}

static bool argv_room(struct conv *c, size_t need)
{
	char *nb;

	if (need <= c->argv_cap)
		return true;
	nb = realloc(c->argv, need);
	if (!nb)
		return false;
	c->argv = nb;
	c->argv_cap = need;
	return true;
}

/* EXECVE's arguments joined by single spaces, as the live sensor reads the command line from
 * the new program's memory (NULs to spaces, trailing NULs dropped: trailing empty arguments go). */
static struct sw_str join_args(struct conv *c, const struct auditd_exec *x, bool *trunc)
{
	uint32_t n = x->nargs;
	size_t len = 0;

	while (n && !x->argv[n - 1].len)
		n--;
	for (uint32_t i = 0; i < n; i++)
		len += x->argv[i].len + 1;
	*trunc = x->partial || x->nargs < x->argc;
	if (!argv_room(c, len + 1)) {
		*trunc = true;
		return (struct sw_str){ "", 0 };
	}
	len = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			c->argv[len++] = '\0';   /* until the argl is known, then spaces */
		memcpy(c->argv + len, x->argv[i].p, x->argv[i].len);
		len += x->argv[i].len;
	}
	c->argl_len = argl_join(c->argv, len, c->argl, sizeof(c->argl));
	return (struct sw_str){ c->argv, (uint32_t)len };
}

/* No EXECVE record: the PROCTITLE (the new program's command line, cut at 128 bytes). */
static struct sw_str title_args(struct conv *c, const struct sw_str *t, bool *trunc)
{
	uint32_t n = t->len;

	*trunc = n >= PROCTITLE_MAX || !n;
	while (n && !t->p[n - 1])
		n--;
	if (!argv_room(c, n + 1))
		return *trunc = true, (struct sw_str){ "", 0 };
	for (uint32_t i = 0; i < n; i++)
		c->argv[i] = t->p[i] ? t->p[i] : ' ';
	return (struct sw_str){ c->argv, n };
}

static void conv_exec(struct conv *c, const struct auditd_event *a, enum ac call)
{
	struct sw_str argv;
	bool trunc;

	if (!a->sc.has_exit || !a->sc.success) {
		c->es.failed++;
		return;
	}
	announce(c, a);
	c->argl_len = 0;
	if (a->has_execve)
		argv = join_args(c, &a->exec, &trunc);
	else
		argv = title_args(c, &a->proctitle, &trunc);
	begin(c, ac_names[call], &a->sc, a->t_ms, a->line);
	if (a->has_cwd && a->cwd.len && a->cwd.p[0] == '/')
		add(c, "cwd", a->cwd);
	add(c, "exe", a->sc.exe);
	add(c, "argv", argv);
	if (c->argl_len)
		add(c, "argl", (struct sw_str){ c->argl, (uint32_t)c->argl_len });
	if (trunc)
		add(c, "argv_trunc", sw_str_c("1"));
	set_ret(c, 0);
	emit(c);
}

static void on_joined(void *ctx, const struct auditd_event *a)
{
	struct conv *c = ctx;
	enum ac call;

	if (c->rc)
		return;
	if (!a->has_syscall) {
		c->es.no_syscall++;
		return;
	}
	if (a->sc.arch != AUDITD_ARCH_X86_64 && a->sc.arch != AUDITD_ARCH_AARCH64) {
		c->es.other_arch++;
		return;
	}
	switch ((call = call_of(a->sc.arch, a->sc.nr))) {
	case AC_CONNECT: case AC_ACCEPT: case AC_ACCEPT4:
		conv_sock(c, a, call);
		break;
	case AC_DUP: case AC_DUP2: case AC_DUP3: case AC_FCNTL:
		conv_dup(c, a, call);
		break;
	case AC_EXECVE: case AC_EXECVEAT:
		conv_exec(c, a, call);
		break;
	case AC_CLONE: case AC_FORK: case AC_VFORK: case AC_CLONE3:
		if (!a->sc.has_exit || !a->sc.success || a->sc.exit <= 0)
			c->es.failed++;
		else if (call == AC_CLONE && (a->sc.a[0] & CLONE_THREAD_BIT))
			c->es.threads++;
		else
			on_clone(c, a, call);
		break;
	case AC_EXIT_GROUP:
		on_exit_group(c, a);
		break;
	case AC_EXIT:             /* one thread; audit does not say whether it was the last */
	case AC_NONE:
		c->es.other_calls++;
		break;
	}
}

/* ---- the loop ------------------------------------------------------------------------------- */

static void on_bad(void *ctx, uint64_t line, const char *why)
{
	struct conv *c = ctx;

	trace_bad_line(c->name, line, why, c->st);
	if (c->strict && !c->rc)
		c->rc = -1;
}

static void conv_free(struct conv *c)
{
	if (!c)
		return;
	auditd_free(c->r);
	if (c->procs)
		pidtab_free(c->procs->index);
	free(c->procs);
	free(c->argv);
	free(c);
}

static struct conv *conv_new(void)
{
	struct conv *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->r = auditd_join_new(on_joined, on_bad, c);
	c->procs = calloc(1, sizeof(*c->procs));
	if (c->procs)
		c->procs->index = pidtab_new(AUDITD_PROCS);
	if (!c->r || !c->procs || !c->procs->index) {
		conv_free(c);
		return NULL;
	}
	for (uint32_t i = 0; i < AUDITD_PROCS; i++)
		c->procs->free_slots[c->procs->nfree++] = AUDITD_PROCS - 1 - i;
	return c;
}

static void summary(struct conv *c)
{
	const struct auditd_stats *r = auditd_stats(c->r);
	const struct auditd_event_stats *e = &c->es;

	for (uint32_t i = 0; i < AUDITD_PROCS; i++)
		c->es.threads += c->procs->slot[i].state == PS_LAZY;
	fprintf(stderr,
		"%s: auditd: %llu records in %llu audit events; skipped %llu of other "
		"architectures, %llu calls not judged, %llu failed dups/execs/forks, %llu threads; "
		"%llu forks inferred from ppid; %llu events cut short (table full, stale, at the "
		"end), %llu late records, %llu incomplete command lines, %llu processes "
		"forgotten\n",
		c->name, (unsigned long long)r->records, (unsigned long long)r->events,
		(unsigned long long)e->other_arch, (unsigned long long)e->other_calls,
		(unsigned long long)e->failed, (unsigned long long)e->threads,
		(unsigned long long)e->forks_inferred,
		(unsigned long long)(r->flushed_full + r->flushed_stale + r->flushed_end),
		(unsigned long long)r->late_records, (unsigned long long)r->partial_events,
		(unsigned long long)e->procs_evicted);
}

static int on_line(void *ctx, char *line, size_t len, bool cut)
{
	struct conv *c = ctx;

	if (cut)
		auditd_feed_cut(c->r);
	else
		auditd_feed_line(c->r, line, len);
	return c->rc;
}

int auditd_read_events(FILE *f, const char *name, bool strict, sw_event_cb cb, void *ctx,
		       struct sw_read_stats *st, struct auditd_event_stats *es)
{
	struct conv *c = conv_new();
	int rc;

	if (!c) {
		fprintf(stderr, "%s: out of memory\n", name);
		return -1;
	}
	c->name = name, c->strict = strict, c->cb = cb, c->ctx = ctx, c->st = st;
	rc = trace_read_lines(f, name, on_line, c, st);
	if (!c->rc && !rc)
		auditd_finish(c->r);
	if (!c->rc)
		c->rc = rc;
	summary(c);
	if (es)
		*es = c->es;
	rc = c->rc;
	conv_free(c);
	return rc;
}
