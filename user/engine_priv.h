/* engine_priv.h: the engine's internal records, shared by engine.c (streams, intake), pww.c
 * (window schedule), match.c (window search) and match_incr.c (incremental matcher). */
#ifndef SW_ENGINE_PRIV_H
#define SW_ENGINE_PRIV_H

#include "engine.h"

#define EV_TEXT 256

/* One kept event, compact: hashes of the arguments rules name, plus its trace line. */
struct ev_rec {
	uint64_t time;          /* stream clock: event index (count) or ns (time) */
	uint64_t seq;           /* source position */
	uint64_t n;             /* stream-local event number, consecutive in the ring */
	uint64_t ret;
	uint64_t arg[RULE_MAX_ARGNAMES];
	uint16_t argmask;
	int16_t call;           /* call id in the rule set, -1 for a call no rule names */
	bool has_ret;
	char text[EV_TEXT];     /* empty unless keep_text */
};

struct partial {
	uint16_t rule;
	uint8_t step;
	uint16_t mask;          /* items of the current step already matched (bit = item - start) */
	uint32_t bound;         /* variables bound */
	uint64_t first_time;
	uint64_t bind[RULE_MAX_VARS];
	uint64_t n[RULE_MAX_ITEMS]; /* event number matched by each item */
};

struct stream {
	uint32_t pid, ppid, uid;
	bool has_pid, has_uid, used;
	uint64_t count;         /* events kept so far: the count clock */
	uint64_t next_n;
	struct ev_rec *ring;
	uint32_t cap, head, len;
	uint64_t next_b;        /* next level-0 window boundary not yet processed */
	uint64_t det_n;         /* events numbered below this belong to a reported instance */
	uint64_t own_n;         /* events numbered below this were inherited from the parent */
	uint64_t touched;       /* engine tick of the last event (eviction) */
	struct partial *parts;
	uint32_t nparts, partcap;
};

struct engine {
	struct engine_opts o;
	unsigned levels;        /* K + 1: level k has batches of t << k */
	uint64_t t_top;         /* t << K, the first batch duration >= l_max */
	struct stream *pool;
	uint32_t *free_slots, nfree;
	uint32_t *tab, tabmask; /* pid hash table: slot + 1, 0 = empty */
	uint32_t hand;          /* eviction clock hand */
	uint64_t tick;
	const struct ev_rec **win; /* scratch: the window being searched */
	struct partial *pscratch;  /* scratch: a stream's partial matches (incremental) */
	uint64_t hash_fork, hash_exit, hash_child;
	uint64_t reported[64];  /* source positions of recently reported instances' first events */
	unsigned nreported;
	struct engine_stats st;
};

static inline struct ev_rec *stream_rec(const struct stream *s, uint32_t i)
{
	return &s->ring[(s->head + i) & (s->cap - 1)];
}

/* engine.c */
void engine_report(struct engine *e, struct stream *s, const struct rule *r,
		   const struct ev_rec **m, unsigned nm, uint64_t detect_time, int level);
uint64_t engine_within(const struct engine *e, const struct rule *r);

/* pww.c: process every boundary up to now (exclusive of events at now), or all (finish). */
void pww_advance(struct engine *e, struct stream *s, uint64_t now);
void pww_finish(struct engine *e, struct stream *s);

/* match.c: search window w[0..n) for rule r; on success fills m (one event per item, in item
 * order) and returns true. Only events numbered min_n or more are used, and the last one must be
 * numbered min_last or more (the stream's own, not inherited). */
bool match_window(struct engine *e, const struct rule *r, const struct ev_rec **w, unsigned n,
		  uint64_t min_n, uint64_t min_last, const struct ev_rec **m);
/* Does item it match event ev under bindings bind/bound? New bindings are added; *newly gets
 * their bits so the caller can undo them. */
bool match_item(const struct rule_item *it, const struct ev_rec *ev, uint64_t *bind,
		uint32_t *bound, uint32_t *newly);

/* match_incr.c */
void incr_feed(struct engine *e, struct stream *s, const struct ev_rec *r);
void incr_copy(struct engine *e, struct stream *dst, const struct stream *src);

#endif /* SW_ENGINE_PRIV_H */
