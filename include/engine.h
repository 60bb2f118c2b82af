/* engine.h: detection on any stream of events (live, trace file, strace), source-agnostic.
 *
 * The engine keeps one stream per process (pid; the bare seed form is one stream, pid 0), drops
 * events no rule names (prefilter on the call name), and searches the rules either with
 * Progressive Window Widening (docs/engine.md) or with an incremental matcher
 * that advances partial matches on every event. Detections go to a callback. Memory is bounded:
 * a cap on streams and on the bytes they hold together (evictions counted) and on events held
 * per stream (drops counted), so a fork chain or storm cannot grow it.
 *
 *   struct engine_opts o = engine_opts_default(ENGINE_COUNT);
 *   o.rules = &rs; o.on_detect = cb; o.ctx = ctx;
 *   struct engine *e = engine_new(&o);
 *   engine_feed(e, &ev) ... engine_flush(e); engine_free(e);
 */
#ifndef SW_ENGINE_H
#define SW_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include "event.h"
#include "rules.h"

enum engine_clock {
	ENGINE_COUNT,   /* one time unit per event kept by the stream */
	ENGINE_TIME,    /* nanoseconds from the events (t_ns) */
};

enum engine_mode {
	ENGINE_PWW,     /* Progressive Window Widening: search windows as they close */
	ENGINE_INCREMENTAL, /* advance partial matches per event: earliest detection */
};

#define ENGINE_MAX_MATCHED RULE_MAX_ITEMS

struct sw_detection {
	const char *rule;
	uint32_t pid, ppid, uid;
	bool has_pid, has_uid;
	enum engine_clock clock;  /* unit of the times below: events of the stream, or ns */
	uint64_t first_time, last_time; /* first and last matched event */
	uint64_t detect_time;     /* end of the window that found it (PWW), the last event (incr.) */
	uint64_t delay;           /* detect_time - last_time */
	uint64_t first_seq, last_seq; /* source positions (line numbers) of those events */
	int level;                /* PWW level of the window, -1 for the incremental matcher */
	unsigned nmatched;
	const char *matched[ENGINE_MAX_MATCHED]; /* the matched events as trace lines, in order */
};

typedef void (*engine_detect_fn)(void *ctx, const struct sw_detection *d);

struct engine_opts {
	const struct ruleset *rules;
	enum engine_mode mode;
	enum engine_clock clock;
	uint64_t t;             /* initial batch duration (events or ns) */
	uint64_t l_max;         /* longest pattern instance (events or ns) */
	uint32_t max_streams;   /* cap on concurrent process streams (LRU-ish eviction) */
	uint32_t max_events;    /* cap on events held per stream (oldest dropped, counted) */
	uint32_t max_partials;  /* incremental: partial matches per stream */
	uint64_t max_bytes;     /* cap on what all streams hold together (rings, partial matches;
				   default 24 MiB, 0 none): beyond it the least recently used
				   streams are evicted, as when max_streams are in use */
	uint64_t search_budget; /* match steps per window search before giving up (counted) */
	bool keep_all;          /* no prefilter: keep every event (the study, like the paper) */
	bool keep_text;         /* keep each event's trace line for detections (default true) */
	bool inherit_on_fork;   /* a child starts with its parent's recent events (default true) */
	engine_detect_fn on_detect;
	void *ctx;
};

struct engine_stats {
	uint64_t fed;           /* events given to engine_feed */
	uint64_t kept;          /* events some rule can use (or all with keep_all) */
	uint64_t searched;      /* work: events in searched windows (PWW) or match attempts (incr.) */
	uint64_t windows;       /* windows searched */
	uint64_t detections;
	uint64_t duplicates;    /* instances already reported by a related process (same origin) */
	uint64_t streams, streams_max;   /* live now, most at once */
	uint64_t streams_evicted;        /* streams dropped because of max_streams or max_bytes */
	uint64_t events_dropped;         /* events dropped because of max_events */
	uint64_t partials_dropped;       /* incremental: partial matches dropped (cap) */
	uint64_t budget_exhausted;       /* window searches cut by search_budget */
	uint64_t forks_inherited;
	uint64_t bytes;                  /* memory held by streams now */
	uint64_t bytes_max;
};

struct engine;

struct engine_opts engine_opts_default(enum engine_clock clock);
/* NULL with errno set (EINVAL for bad options, ENOMEM). */
struct engine *engine_new(const struct engine_opts *o);
void engine_feed(struct engine *e, const struct sw_event *ev);
/* Time mode: close the windows of every stream that ended before now (ns); for a live source,
 * call it now and then (e.g. every 100 ms) so a quiet process is still searched. O(streams). */
void engine_advance(struct engine *e, uint64_t now);
/* End of input: search every window still open. */
void engine_flush(struct engine *e);
void engine_stats(const struct engine *e, struct engine_stats *st);
void engine_free(struct engine *e);

#endif /* SW_ENGINE_H */
