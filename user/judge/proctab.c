/* proctab.c: the judge's process table (include/proctab.h): a pool of entries with a free list,
 * found by pid through a pidtab. */
#include <stdlib.h>
#include <string.h>
#include "pidtab.h"
#include "proctab.h"

struct proctab {
	struct pidtab *index;
	uint32_t cap, nfree;
	uint32_t *free_slots;
	struct proctab_stats st;
	struct proc pool[];
};

struct proctab *proctab_new(uint32_t capacity)
{
	struct proctab *t;

	if (capacity < 16)
		capacity = 16;
	if (capacity > (1u << 24))
		capacity = 1u << 24;
	t = calloc(1, sizeof(*t) + (size_t)capacity * sizeof(struct proc));
	if (!t)
		return NULL;
	t->cap = capacity;
	t->index = pidtab_new(capacity);
	t->free_slots = malloc(capacity * sizeof(*t->free_slots));
	if (!t->index || !t->free_slots) {
		proctab_free(t);
		return NULL;
	}
	for (uint32_t i = 0; i < capacity; i++)
		t->free_slots[t->nfree++] = capacity - 1 - i;
	return t;
}

void proctab_free(struct proctab *t)
{
	if (!t)
		return;
	pidtab_free(t->index);
	free(t->free_slots);
	free(t);
}

struct proc *proctab_get(struct proctab *t, uint32_t pid)
{
	int32_t s = pidtab_get(t->index, pid);

	return s >= 0 ? &t->pool[s] : NULL;
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
	uint32_t s;

	if (p || !pid)
		return p;
	if (!t->nfree) {
		t->st.dropped++;
		return NULL;
	}
	s = t->free_slots[--t->nfree];
	if (pidtab_put(t->index, pid, (int32_t)s)) {
		t->free_slots[t->nfree++] = s;
		t->st.dropped++;
		return NULL;
	}
	if (++t->st.live > t->st.max_live)
		t->st.max_live = t->st.live;
	p = &t->pool[s];
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
		c->pstart_ns = p->start_ns;
		c->start_ns = 0;   /* its own: from its first event */
	}
	return c;
}

void proctab_remove(struct proctab *t, uint32_t pid)
{
	int32_t s = pid ? pidtab_get(t->index, pid) : -1;

	if (s < 0)
		return;
	pidtab_del(t->index, pid);
	t->pool[s].pid = 0;
	t->free_slots[t->nfree++] = (uint32_t)s;
	t->st.live--;
}

void proctab_stats(const struct proctab *t, struct proctab_stats *st)
{
	*st = t->st;
}

void proc_add_sock(struct proc *p, int32_t fd, const struct sw_fd *sock, uint32_t flags)
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
	p->socks[slot].flags = flags;
	p->socks[slot].sock = *sock;
}

void proc_copy_cwd(char *dst, size_t cap, struct sw_str cwd)
{
	size_t k;

	if (cap < 8) {
		if (cap)
			dst[0] = '\0';
		return;
	}
	if (cwd.len < cap) {
		if (cwd.len)           /* an unknown one may have no pointer at all */
			memcpy(dst, cwd.p, cwd.len);
		dst[cwd.len] = '\0';
		return;
	}
	k = cwd.len - (cap - 4);       /* room for "..." and the NUL */
	for (size_t i = k; i < cwd.len && i < k + cap / 2; i++)
		if (cwd.p[i] == '/') {
			k = i;
			break;
		}
	memcpy(dst, "...", 3);
	memcpy(dst + 3, cwd.p + k, cwd.len - k);
	dst[3 + cwd.len - k] = '\0';
}

void proc_exec_ages_socks(struct proc *p)
{
	for (int i = 0; i < PROC_SOCKS; i++)
		p->socks[i].flags |= PSOCK_OLD_IMAGE;
}

const struct proc_sock *proc_sock_like(const struct proc *p, const struct sw_fd *s)
{
	for (int i = PROC_SOCKS - 1; i >= 0; i--) {
		const struct proc_sock *e = &p->socks[i];

		if (e->fd < 0 || e->sock.family != s->family || e->sock.pport != s->pport ||
		    memcmp(e->sock.paddr, s->paddr, 16))
			continue;
		if (e->sock.lport && s->lport && e->sock.lport != s->lport)
			continue;
		return e;
	}
	return NULL;
}

const struct proc_sock *proc_sock_entry(const struct proc *p, int32_t fd)
{
	for (int i = 0; i < PROC_SOCKS; i++)
		if (p->socks[i].fd == fd)
			return &p->socks[i];
	return NULL;
}

const struct sw_fd *proc_sock(const struct proc *p, int32_t fd)
{
	const struct proc_sock *e = proc_sock_entry(p, fd);

	return e ? &e->sock : NULL;
}
