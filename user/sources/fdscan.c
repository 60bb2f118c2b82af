/* fdscan.c: the start-up scan's file tables, sorted by pid (include/fdscan.h). */
#include <stdlib.h>
#include <string.h>
#include "fdscan.h"

struct fdscan {
	struct wire_scan *r;
	size_t n, cap;
	uint64_t dropped;
	uint8_t listening[65536 / 8];   /* local ports with a listener */
};

struct fdscan *fdscan_new(void)
{
	return calloc(1, sizeof(struct fdscan));
}

void fdscan_free(struct fdscan *t)
{
	if (!t)
		return;
	free(t->r);
	free(t);
}

void fdscan_add(void *ctx, const struct wire_scan *r)
{
	struct fdscan *t = ctx;

	if (r->listening) {
		t->listening[r->f.lport / 8] |= (uint8_t)(1u << (r->f.lport % 8));
		if (r->fd > 2)
			return;   /* a listener on stdio (inetd's) is still what fd 0 is */
	}
	if (t->n == t->cap) {
		size_t c = t->cap ? t->cap * 2 : 4096;
		struct wire_scan *v = c <= FDSCAN_MAX ? realloc(t->r, c * sizeof(*v)) : NULL;

		if (!v) {
			t->dropped++;
			return;
		}
		t->r = v, t->cap = c;
	}
	t->r[t->n++] = *r;
}

static int by_pid_fd(const void *a, const void *b)
{
	const struct wire_scan *x = a, *y = b;

	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return (x->fd > y->fd) - (x->fd < y->fd);
}

void fdscan_finish(struct fdscan *t)
{
	if (t->n)
		qsort(t->r, t->n, sizeof(*t->r), by_pid_fd);
}

/* The first record of pid, or NULL. */
static const struct wire_scan *first(const struct fdscan *t, uint32_t pid)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (t->r[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < t->n && t->r[lo].pid == pid ? &t->r[lo] : NULL;
}

bool fdscan_stdio(const struct fdscan *t, uint32_t pid, struct wire_fd stdio[3])
{
	const struct wire_scan *r = t ? first(t, pid) : NULL, *end = t ? t->r + t->n : NULL;

	if (!r)
		return false;
	memset(stdio, 0, 3 * sizeof(*stdio));   /* WIRE_FD_NONE: not open */
	for (; r < end && r->pid == pid && r->fd <= 2; r++)
		if (r->fd >= 0)
			stdio[r->fd] = r->f;
	return true;
}

void fdscan_socks(const struct fdscan *t, uint32_t pid,
		  void (*fn)(void *ctx, int32_t fd, const struct wire_fd *s, bool accepted), void *ctx)
{
	const struct wire_scan *r = t ? first(t, pid) : NULL, *end = t ? t->r + t->n : NULL;

	for (; r && r < end && r->pid == pid; r++) {
		if (r->fd <= 2 || r->listening || r->f.kind != WIRE_FD_SOCK || !r->f.pport)
			continue;
		fn(ctx, r->fd, &r->f,
		   (t->listening[r->f.lport / 8] >> (r->f.lport % 8)) & 1);
	}
}

uint64_t fdscan_dropped(const struct fdscan *t)
{
	return t ? t->dropped : 0;
}
