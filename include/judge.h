/* judge.h: the detection logic, one for `run` (live events) and `replay` (a capture). It consumes
 * struct sw_event only (include/event.h): every event updates the process table and feeds the rule
 * engine; every exec is judged on the signals of user/judge/signals.c (the rules, inet sockets on
 * stdio of the process and its ancestors, pipe relays, what the program is and where it takes its
 * commands from, the command scores), and one remote shell yields one alert, with a severity,
 * that lists every signal that fired (docs/run.md).
 *
 * Time comes from the events (t_ns), never from a clock: a low or medium alert waits hold_ns of
 * event time for a high one in the same process tree, which absorbs it; high alerts are emitted at
 * once. A live driver with no events to give says how far time has moved with judge_tick(). It
 * links without libbpf.
 *
 *   struct judge_opts o = judge_opts_default();
 *   o.rules = &rs; o.on_alert = fn; o.ctx = me;
 *   struct judge *j = judge_new(&o);
 *   judge_event(j, &ev) ...; judge_free(j);   // judge_free emits what is still held
 */
#ifndef SW_JUDGE_H
#define SW_JUDGE_H

#include <stdbool.h>
#include <stdint.h>
#include "alert.h"
#include "engine.h"
#include "event.h"
#include "model.h"
#include "policy.h"
#include "proctab.h"
#include "rules.h"

typedef void (*judge_alert_fn)(void *ctx, struct alert *a);
struct baseline;             /* include/baseline.h */

struct judge_opts {
	const struct ruleset *rules;
	struct engine_opts engine;   /* rules, on_detect and ctx are the judge's own */
	const struct model *model;   /* NULL: no command scoring */
	double threshold;            /* score at or above which a command line is suspicious */
	uint32_t max_procs;          /* process table capacity */
	uint64_t hold_ns;            /* how long a low or medium alert waits to be absorbed */
	const struct policy *policy; /* sanctioned servers, exceptions; NULL: the built-in servers */
	const struct baseline *baseline; /* this host's baseline (docs/baseline.md); NULL: none */
	enum severity min_severity;  /* alerts below it are counted, not emitted (default medium) */
	bool show_suppressed;        /* emit alerts an exception matched, marked suppressed_by */
	judge_alert_fn on_alert;
	void *ctx;
};

struct judge_stats {
	uint64_t events, execs, alerts;
	uint64_t by_severity[4];     /* alerts decided, by enum severity (emitted or not) */
	uint64_t below_min;          /* decided but below min_severity: not emitted */
	uint64_t suppressed;         /* an exception matched */
	uint64_t sanctioned;         /* execs whose network facts were a sanctioned server's */
	uint64_t merged;             /* signals folded into an alert already raised for the tree */
	uint64_t absorbed;           /* held alerts absorbed by a high one of their tree */
	uint64_t pending_dropped;    /* held alerts decided early: no room to hold them */
	uint64_t kernel_kills;       /* execs the kernel killed (run --kill), alerted or merged */
	struct proctab_stats procs;
	struct engine_stats engine;
};

struct judge;

/* run's settings: incremental matcher on event time, 64 events per stream, 8192 streams. */
struct judge_opts judge_opts_default(void);
/* NULL with errno set. */
struct judge *judge_new(const struct judge_opts *o);
void judge_event(struct judge *j, const struct sw_event *ev);
/* No events until now_ns (the events' clock): emits score-only alerts whose hold ran out and
 * closes the engine's windows. */
void judge_tick(struct judge *j, uint64_t now_ns);
void judge_stats(const struct judge *j, struct judge_stats *st);
/* End of input: searches what is still open and emits every held alert. */
void judge_finish(struct judge *j);
/* judge_finish(), then frees; NULL is fine. */
void judge_free(struct judge *j);

/* The entity id of a process (ECS process.entity_id): 16 hex digits of a hash of the boot id,
 * the pid and the start time in clock ticks (what /proc/PID/stat shows), so the id is the same
 * from a live event, a recorded trace and the /proc scan. "" when the start time is unknown. */
void judge_entity_id(char *buf, size_t len, const char *boot_id, uint32_t pid, uint64_t start_ns);

#endif /* SW_JUDGE_H */
