/* correlate.h: the live detection logic of `shellwatch run`. Every live event updates the
 * process table and feeds the rule engine; every exec is judged on three signals (the rules, the
 * kernel fact "an inet socket is on stdio" for the process and its parent and grandparent, and the
 * command scores of the process and its ancestors) and one remote shell yields one alert that
 * lists every signal that fired (docs/run.md).
 *
 * A score-only ("suspicious-command") alert waits hold_ns for a confirmed one in the same process
 * tree, which absorbs it; confirmed alerts are emitted at once.
 */
#ifndef SW_CORRELATE_H
#define SW_CORRELATE_H

#include <stdbool.h>
#include <stdint.h>
#include "alert.h"
#include "engine.h"
#include "event.h"
#include "model.h"
#include "proctab.h"
#include "procscan.h"
#include "rules.h"
#include "wire.h"

typedef void (*correlate_alert_fn)(void *ctx, struct alert *a);

struct correlate_opts {
	const struct ruleset *rules;
	enum engine_mode mode;       /* ENGINE_INCREMENTAL (default: earliest) or ENGINE_PWW */
	const struct model *model;   /* NULL: no command scoring */
	double threshold;            /* score at or above which a command line is suspicious */
	uint32_t max_procs;          /* process table capacity */
	uint64_t hold_ns;            /* how long a score-only alert waits to be absorbed */
	correlate_alert_fn on_alert;
	void *ctx;
};

struct correlate_stats {
	uint64_t execs, alerts, confirmed, suspicious;
	uint64_t merged;             /* signals folded into an alert already raised for the tree */
	uint64_t absorbed;           /* score-only alerts absorbed by a confirmed one */
	uint64_t pending_dropped;    /* score-only alerts emitted early: no room to hold them */
	uint64_t kernel_kills;       /* execs the kernel killed (run --kill), alerted or merged */
	struct proctab_stats procs;
	struct engine_stats engine;
};

struct correlate;

/* NULL with errno set. */
struct correlate *correlate_new(const struct correlate_opts *o);
void correlate_event(struct correlate *c, const struct sw_event *ev, const struct wire_hdr *raw);
/* A process that was running before the sensor attached (user/procscan.c): entered unless a live
 * event already created it. One that already has an inet socket on stdio (a remote shell started
 * before the sensor) is alerted at once, as `stdio-socket`, once per process tree. */
void correlate_seed(struct correlate *c, const struct procscan_entry *e);
/* Call now and then (every poll): emits score-only alerts whose hold ran out, advances the
 * engine's clock. now_ns is CLOCK_MONOTONIC, the clock of the kernel's event times. */
void correlate_tick(struct correlate *c, uint64_t now_ns);
void correlate_stats(const struct correlate *c, struct correlate_stats *st);
/* Emits every held alert, then frees; NULL is fine. */
void correlate_free(struct correlate *c);

#endif /* SW_CORRELATE_H */
