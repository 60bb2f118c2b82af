/* test_livequeue.c: the two rings' records merged back into time order (user/sources/
 * livequeue.c): order by ktime across the queues, the bound on other events (what a flood meets),
 * malformed records skipped and counted. */
#include <errno.h>
#include <string.h>
#include "livequeue.h"
#include "tap.h"
#include "wire.h"

static uint64_t seen[LIVEQUEUE_EVENTS + LIVEQUEUE_EXECS + 8];
static unsigned nseen;

static int collect(void *ctx, void *data, size_t size)
{
	const struct wire_hdr *h = data;

	(void)ctx;
	if (size >= sizeof(*h))
		seen[nseen++] = h->ktime * 10 + h->type;
	return 0;
}

static void put_dup(struct livequeue *q, uint64_t t, int expect)
{
	struct wire_dup d = { .hdr = { .type = WIRE_DUP, .size = sizeof(d), .ktime = t } };

	CHECKF(livequeue_take_event(q, &d, sizeof(d)) == expect, "dup at %llu", (unsigned long long)t);
}

static void put_exec(struct livequeue *q, uint64_t t)
{
	static struct wire_exec e;

	memset(&e, 0, sizeof(e));
	e.hdr = (struct wire_hdr){ .type = WIRE_EXEC, .size = sizeof(e), .ktime = t };
	CHECK(livequeue_take_exec(q, &e, sizeof(e)) == 0);
}

static void test_time_order(void)
{
	struct livequeue *q = livequeue_new();

	put_dup(q, 10, 0), put_dup(q, 30, 0), put_dup(q, 50, 0);
	put_exec(q, 20), put_exec(q, 40), put_exec(q, 60);
	nseen = 0;
	CHECK(livequeue_deliver(q, collect, NULL) == 6);
	CHECK(nseen == 6 && seen[0] == 10 * 10 + WIRE_DUP && seen[1] == 20 * 10 + WIRE_EXEC &&
	      seen[2] == 300 + WIRE_DUP && seen[3] == 400 + WIRE_EXEC && seen[4] == 500 + WIRE_DUP &&
	      seen[5] == 600 + WIRE_EXEC);
	CHECK(livequeue_deliver(q, collect, NULL) == 0);   /* emptied */
	livequeue_free(q);
}

/* A flood of older events: the queue takes LIVEQUEUE_EVENTS of them and says it is full; the
 * exec is handed on after those, not after the whole backlog. */
static void test_flood_bound(void)
{
	struct livequeue *q = livequeue_new();
	unsigned i;

	for (i = 0; i + 1 < LIVEQUEUE_EVENTS; i++)
		put_dup(q, 1 + i, 0);
	put_dup(q, 1 + i, -ENOSPC);          /* the last one fits, and says so */
	put_dup(q, 2 + i, -ENOSPC);          /* and then there is no room */
	CHECK(livequeue_events_full(q));
	put_exec(q, 1000000);
	nseen = 0;
	CHECK(livequeue_deliver(q, collect, NULL) == LIVEQUEUE_EVENTS + 1);
	CHECK(nseen == LIVEQUEUE_EVENTS + 1 && seen[nseen - 1] == 10000000 + WIRE_EXEC);
	CHECK(!livequeue_events_full(q));
	livequeue_free(q);
}

static void test_bad_records(void)
{
	struct livequeue *q = livequeue_new();
	char tiny[8] = { 0 }, big[4096] = { 0 };

	CHECK(livequeue_take_event(q, tiny, sizeof(tiny)) == 0);
	CHECK(livequeue_take_event(q, big, sizeof(big)) == 0);
	CHECK(livequeue_bad(q) == 2);
	nseen = 0;
	CHECK(livequeue_deliver(q, collect, NULL) == 0 && nseen == 0);
	livequeue_free(q);
}

int main(void)
{
	RUN(test_time_order);
	RUN(test_flood_bound);
	RUN(test_bad_records);
	return tap_done();
}
