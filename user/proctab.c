/* proctab.c: the per-process table of `shellwatch run` (include/proctab.h). Linear probing with
 * backward-shift deletion, so lookups never walk tombstones and the table never needs a rehash. */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "proctab.h"

struct proctab {
	uint32_t mask;       /* capacity - 1, capacity a power of two */
	uint32_t limit;      /* most entries held (load factor 3/4) */
	struct proctab_stats st;
	struct proc slots[];
};

static uint32_t slot_of(const struct proctab *t, uint32_t pid)
{
	return (pid * 2654435761u) & t->mask;
}

struct proctab *proctab_new(uint32_t capacity)
{
	uint32_t cap = 64;
	struct proctab *t;

	while (cap < capacity && cap < (1u << 24))
		cap <<= 1;
	t = calloc(1, sizeof(*t) + (size_t)cap * sizeof(struct proc));
	if (!t)
		return NULL;
	t->mask = cap - 1;
	t->limit = cap / 4 * 3;
	return t;
}

void proctab_free(struct proctab *t)
{
	free(t);
}

struct proc *proctab_get(struct proctab *t, uint32_t pid)
{
	for (uint32_t i = slot_of(t, pid);; i = (i + 1) & t->mask) {
		if (t->slots[i].pid == pid)
			return &t->slots[i];
		if (!t->slots[i].pid)
			return NULL;
	}
}

static struct proc *insert(struct proctab *t, uint32_t pid)
{
	uint32_t i = slot_of(t, pid);

	if (t->st.live >= t->limit) {
		t->st.dropped++;
		return NULL;
	}
	while (t->slots[i].pid)
		i = (i + 1) & t->mask;
	if (++t->st.live > t->st.max_live)
		t->st.max_live = t->st.live;
	return &t->slots[i];
}

static void init_proc(struct proc *p, uint32_t pid, uint32_t ppid)
{
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->score = -1;
	for (int i = 0; i < PROC_SOCKS; i++)
		p->socks[i].fd = -1;
}

struct proc *proctab_upsert(struct proctab *t, uint32_t pid, uint32_t ppid)
{
	struct proc *p = pid ? proctab_get(t, pid) : NULL;

	if (p || !pid)
		return p;
	p = insert(t, pid);
	if (p)
		init_proc(p, pid, ppid);
	return p;
}

struct proc *proctab_fork(struct proctab *t, uint32_t parent, uint32_t child)
{
	struct proc *c = proctab_upsert(t, child, parent);
	const struct proc *p = proctab_get(t, parent);

	if (!c)
		return NULL;
	if (p) {
		*c = *p;
		c->pid = child;
		c->ppid = parent;
	}
	return c;
}

void proctab_remove(struct proctab *t, uint32_t pid)
{
	struct proc *p = pid ? proctab_get(t, pid) : NULL;
	uint32_t hole, i;

	if (!p)
		return;
	hole = (uint32_t)(p - t->slots);
	t->slots[hole].pid = 0;
	t->st.live--;
	/* Backward shift: move later entries of the run into the hole when their home allows it. */
	for (i = (hole + 1) & t->mask; t->slots[i].pid; i = (i + 1) & t->mask) {
		uint32_t home = slot_of(t, t->slots[i].pid);

		if (((i - home) & t->mask) >= ((i - hole) & t->mask)) {
			t->slots[hole] = t->slots[i];
			t->slots[i].pid = 0;
			hole = i;
		}
	}
}

void proctab_stats(const struct proctab *t, struct proctab_stats *st)
{
	*st = t->st;
}

void proc_add_sock(struct proc *p, int32_t fd, const struct wire_fd *sock)
{
	int slot = PROC_SOCKS - 1;

	for (int i = 0; i < PROC_SOCKS; i++)
		if (p->socks[i].fd == fd || p->socks[i].fd < 0) {
			slot = i;
			break;
		}
	if (slot == PROC_SOCKS - 1 && p->socks[slot].fd >= 0 && p->socks[slot].fd != fd)
		memmove(&p->socks[0], &p->socks[1], sizeof(p->socks[0]) * (PROC_SOCKS - 1));
	p->socks[slot].fd = fd;
	p->socks[slot].sock = *sock;
}

const struct wire_fd *proc_sock(const struct proc *p, int32_t fd)
{
	for (int i = 0; i < PROC_SOCKS; i++)
		if (p->socks[i].fd == fd)
			return &p->socks[i].sock;
	return NULL;
}

bool wire_fd_is_inet(const struct wire_fd *f)
{
	return f->kind == WIRE_FD_SOCK && (f->family == AF_INET || f->family == AF_INET6);
}
