/* engine_priv.h: the engine's internal records, shared by engine.c (streams, intake), pww.c
 * (window schedule), match.c (window search) and match_incr.c (incremental matcher), and the
 * interface of the two matchers. */
#ifndef SW_ENGINE_PRIV_H
#define SW_ENGINE_PRIV_H

#include "engine.h"

struct pidtab;

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
	const struct matcher *m;   /* the search of o.mode */
	unsigned levels;        /* K + 1: level k has batches of t << k */
	uint64_t t_top;         /* t << K, the first batch duration >= l_max */
	struct stream *pool;
	uint32_t *free_slots, nfree;
	struct pidtab *tab;     /* pid -> index in pool */
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

/* A matcher: how the rules are searched in a stream (pww.c: windows; match_incr.c: per event).
 * engine.c calls these at fixed points and knows nothing else of the search. */
struct matcher {
	/* An event at stream time now is about to be appended. */
	void (*before_append)(struct engine *e, struct stream *s, uint64_t now);
	/* Event r was appended. */
	void (*appended)(struct engine *e, struct stream *s, const struct ev_rec *r);
	/* Time passed to now with no event (a live source): close what is due. */
	void (*advance)(struct engine *e, struct stream *s, uint64_t now);
	/* The stream ends (exit, eviction, end of input): search what is still open. */
	void (*finish)(struct engine *e, struct stream *s);
	/* Events older than *now - horizon can no longer be part of a match; sets *now. */
	uint64_t (*horizon)(const struct engine *e, const struct stream *s, uint64_t *now);
	/* A child of a process with stream p starts with p's recent events. */
	bool (*inherits)(const struct stream *p);
	/* child c got p's events; had_own: c already had partial matches of its own. */
	void (*inherited)(struct engine *e, struct stream *c, const struct stream *p, bool had_own);
	bool by_time;   /* something closes as time passes: engine_advance visits the streams */
};

extern const struct matcher pww_matcher;   /* pww.c */
extern const struct matcher incr_matcher;  /* match_incr.c */

/* match.c: search window w[0..n) for rule r; on success fills m (one event per item, in item
 * order) and returns true. Only events numbered min_n or more are used, and the last one must be
 * numbered min_last or more (the stream's own, not inherited). */
bool match_window(struct engine *e, const struct rule *r, const struct ev_rec **w, unsigned n,
		  uint64_t min_n, uint64_t min_last, const struct ev_rec **m);
/* Does item it match event ev under bindings bind/bound? New bindings are added; *newly gets
 * their bits so the caller can undo them. */
bool match_item(const struct rule_item *it, const struct ev_rec *ev, uint64_t *bind,
		uint32_t *bound, uint32_t *newly);

#endif /* SW_ENGINE_PRIV_H */
