/* livequeue.c: the two rings' records merged back into time order (include/livequeue.h). Two
 * FIFO arrays of fixed slots, no allocation after creation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "livequeue.h"
#include "wire.h"

#define EVENT_SLOT 128

_Static_assert(sizeof(struct wire_sock_ev) <= EVENT_SLOT && sizeof(struct wire_dup) <= EVENT_SLOT &&
	       sizeof(struct wire_fork) <= EVENT_SLOT && sizeof(struct wire_exit) <= EVENT_SLOT,
	       "every non-exec record fits an event slot");

struct fifo {
	unsigned head, len, cap;
	size_t slot;
	uint32_t *size;
	char *data;
};

struct livequeue {
	struct fifo execs, events;
	uint64_t bad;
};

static int fifo_init(struct fifo *f, unsigned cap, size_t slot)
{
	f->cap = cap, f->slot = slot;
	f->size = calloc(cap, sizeof(*f->size));
	f->data = malloc((size_t)cap * slot);
	return f->size && f->data ? 0 : -1;
}

static void fifo_free(struct fifo *f)
{
	free(f->size);
	free(f->data);
}

static void *fifo_at(const struct fifo *f, unsigned i)
{
	return f->data + (size_t)((f->head + i) % f->cap) * f->slot;
}

struct livequeue *livequeue_new(void)
{
	struct livequeue *q = calloc(1, sizeof(*q));

	if (q && (fifo_init(&q->execs, LIVEQUEUE_EXECS, sizeof(struct wire_exec)) ||
		  fifo_init(&q->events, LIVEQUEUE_EVENTS, EVENT_SLOT))) {
		livequeue_free(q);
		return NULL;
	}
	return q;
}

void livequeue_free(struct livequeue *q)
{
	if (!q)
		return;
	fifo_free(&q->execs);
	fifo_free(&q->events);
	free(q);
}

static int take(struct livequeue *q, struct fifo *f, const void *data, size_t size)
{
	unsigned i;

	if (size < sizeof(struct wire_hdr) || size > f->slot) {
		q->bad++;
		return 0;   /* skipped: live_decode would refuse it anyway */
	}
	if (f->len == f->cap)
		return -ENOSPC;
	i = (f->head + f->len++) % f->cap;
	memcpy(f->data + (size_t)i * f->slot, data, size);
	f->size[i] = (uint32_t)size;
	return f->len == f->cap ? -ENOSPC : 0;
}

int livequeue_take_exec(void *q, void *data, size_t size)
{
	return take(q, &((struct livequeue *)q)->execs, data, size);
}

int livequeue_take_event(void *q, void *data, size_t size)
{
	return take(q, &((struct livequeue *)q)->events, data, size);
}

int livequeue_events_full(const struct livequeue *q)
{
	return q->events.len == q->events.cap;
}

uint64_t livequeue_bad(const struct livequeue *q)
{
	return q->bad;
}

static uint64_t head_time(const struct fifo *f)
{
	return ((const struct wire_hdr *)fifo_at(f, 0))->ktime;
}

int livequeue_deliver(struct livequeue *q, int (*fn)(void *ctx, void *data, size_t size),
		      void *ctx)
{
	int n = 0, rc;

	while (q->execs.len || q->events.len) {
		struct fifo *f = !q->execs.len ? &q->events :
				 !q->events.len ? &q->execs :
				 head_time(&q->events) <= head_time(&q->execs) ? &q->events : &q->execs;
		void *rec = fifo_at(f, 0);
		uint32_t size = f->size[f->head % f->cap];

		f->head = (f->head + 1) % f->cap;
		f->len--;
		rc = fn(ctx, rec, size);
		if (rc < 0)
			return rc;
		n++;
	}
	return n;
}
