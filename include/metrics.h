/* metrics.h: `run`'s metrics in the Prometheus text exposition format (0.0.4): events by kind,
 * what the kernel filtered, what was dropped where (ring buffer, decoder, engine, rate limit,
 * output queue), execs judged, alerts by rule and severity, kills, the exec-to-alert latency
 * histogram, and how full the process table and the engine's streams are.
 *
 * The counters are the stages' own (struct live_stats, struct judge_stats, struct sink_stats),
 * read at each rendering; struct metrics keeps only what none of them counts: events by kind,
 * alerts by rule and severity, the latency histogram. The text goes to a file replaced
 * atomically (node_exporter's textfile collector: --metrics-file) and to an HTTP listener
 * (--metrics-listen, metrics_http_*). */
#ifndef SW_METRICS_H
#define SW_METRICS_H

#include <stddef.h>
#include <stdint.h>
#include "alert.h"
#include "ctr_meta.h"
#include "event.h"
#include "judge.h"
#include "live.h"
#include "sink.h"

#define METRICS_KINDS 9
#define METRICS_RULES 32          /* distinct rule names counted; more go to rule="other" */
#define METRICS_LAT_BUCKETS 12

struct metrics {
	uint64_t by_kind[METRICS_KINDS];
	struct {
		char rule[RULE_NAME_MAX];
		uint64_t n[4];            /* by enum severity */
	} alerts[METRICS_RULES + 1];
	unsigned nrules;
	uint64_t lat[METRICS_LAT_BUCKETS + 1];   /* non-cumulative; the last is +Inf */
	uint64_t lat_count;
	double lat_sum;
	uint64_t start_wall_s;
};

/* What the stages say, read now. live is NULL when there is no live capture. */
struct metrics_view {
	const struct live_stats *live;
	const struct judge_stats *judge;
	const struct sink_stats *sink;
	const char *sink_names[2];        /* the syslog destinations' names */
	uint64_t procs_capacity, streams_capacity;
	uint64_t kills_user, kills_failed;
	const struct ctr_meta_stats *ctr;  /* container metadata lookups; NULL: not asked */
};

void metrics_init(struct metrics *m);
void metrics_event(struct metrics *m, const struct sw_event *ev);
/* An alert written; latency_ns from its exec to now (0: none to count, e.g. the /proc scan). */
void metrics_alert(struct metrics *m, const struct alert *a, uint64_t latency_ns);
/* The exposition text, malloc'd; NULL out of memory. */
char *metrics_render(const struct metrics *m, const struct metrics_view *v, size_t *len);
/* Replace path with text atomically (a temporary file in the same directory, renamed), mode
 * 0644 so node_exporter's user reads it. 0, or -errno with why set. */
int metrics_write_file(const char *path, const char *text, size_t len, char *why, size_t wlen);

/* The HTTP listener: a thread answering GET /metrics with the last text published. */
struct metrics_http;
/* addr is "IP:PORT" or "[IPv6]:PORT". NULL with why set. */
struct metrics_http *metrics_http_start(const char *addr, char *why, size_t wlen);
void metrics_http_publish(struct metrics_http *h, const char *text, size_t len);
void metrics_http_stop(struct metrics_http *h);

#endif /* SW_METRICS_H */
