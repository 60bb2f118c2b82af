/* metrics.c: the Prometheus text exposition of run's counters, and its atomic file
 * (include/metrics.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "metrics.h"
#include "outfmt.h"

static const char *const kind_names[METRICS_KINDS] = {
	"other", "connect", "accept", "dup", "exec", "fork", "exit", "proc", "meta"
};
static const double lat_le[METRICS_LAT_BUCKETS] = {
	0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 1, 2.5
};

void metrics_init(struct metrics *m)
{
	memset(m, 0, sizeof(*m));
	m->start_wall_s = out_wall_now_ns() / 1000000000ull;
	snprintf(m->alerts[METRICS_RULES].rule, sizeof(m->alerts[0].rule), "other");
}

void metrics_event(struct metrics *m, const struct sw_event *ev)
{
	static const unsigned of_kind[] = {
		[SW_EV_OTHER] = 0, [SW_EV_SOCK] = 1, [SW_EV_DUP] = 3, [SW_EV_EXEC] = 4,
		[SW_EV_FORK] = 5, [SW_EV_EXIT] = 6, [SW_EV_PROC] = 7, [SW_EV_META] = 8,
	};
	unsigned k = (unsigned)ev->kind < sizeof(of_kind) / sizeof(of_kind[0]) ? of_kind[ev->kind] : 0;

	if (k == 1 && ev->sock.accepted)
		k = 2;
	m->by_kind[k]++;
}

void metrics_alert(struct metrics *m, const struct alert *a, uint64_t latency_ns)
{
	const char *rule = alert_name(a);
	unsigned i, b;
	double s;

	for (i = 0; i < m->nrules && strcmp(m->alerts[i].rule, rule); i++)
		;
	if (i == m->nrules && i < METRICS_RULES)
		snprintf(m->alerts[m->nrules++].rule, sizeof(m->alerts[0].rule), "%s", rule);
	m->alerts[i].n[a->severity & 3]++;
	if (!latency_ns)
		return;
	s = (double)latency_ns / 1e9;
	for (b = 0; b < METRICS_LAT_BUCKETS && s > lat_le[b]; b++)
		;
	m->lat[b]++;
	m->lat_count++;
	m->lat_sum += s;
}

/* A label value: backslash, double quote and newline escaped. */
static void label(FILE *f, const char *v)
{
	for (; *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void head(FILE *f, const char *name, const char *type, const char *help)
{
	fprintf(f, "# HELP shellwatch_%s %s\n# TYPE shellwatch_%s %s\n", name, help, name, type);
}

static void one(FILE *f, const char *name, const char *type, const char *help, double v)
{
	head(f, name, type, help);
	fprintf(f, "shellwatch_%s %.17g\n", name, v);
}

static void put_events(FILE *f, const struct metrics *m, const struct metrics_view *v)
{
	head(f, "events_total", "counter", "Events the judge took, by kind.");
	for (unsigned k = 0; k < METRICS_KINDS; k++)
		fprintf(f, "shellwatch_events_total{kind=\"%s\"} %llu\n", kind_names[k],
			(unsigned long long)m->by_kind[k]);
	if (v->live)
		one(f, "events_filtered_total", "counter", "Hook runs the kernel filters rejected.",
		    (double)v->live->filtered);
	head(f, "events_dropped_total", "counter", "Events lost, by where.");
	if (v->live)
		fprintf(f, "shellwatch_events_dropped_total{stage=\"ringbuf\"} %llu\n"
			"shellwatch_events_dropped_total{stage=\"ringbuf_exec\"} %llu\n"
			"shellwatch_events_dropped_total{stage=\"decode\"} %llu\n",
			(unsigned long long)v->live->dropped, (unsigned long long)v->live->exec_dropped,
			(unsigned long long)v->live->bad);
	fprintf(f, "shellwatch_events_dropped_total{stage=\"engine\"} %llu\n"
		"shellwatch_events_dropped_total{stage=\"rate_limit\"} %llu\n",
		(unsigned long long)v->judge->engine.events_dropped,
		(unsigned long long)v->sink->events_limited);
	one(f, "execs_judged_total", "counter", "Execs the judge judged.", (double)v->judge->execs);
	if (v->live && v->live->execs) {
		one(f, "exec_delivery_seconds_sum", "counter", "Kernel-to-user delay of exec events, "
		    "summed.", (double)v->live->exec_lat_sum_ns / 1e9);
		one(f, "exec_delivery_seconds_count", "counter", "Exec events delivered.",
		    (double)v->live->execs);
	}
}

static void put_alerts(FILE *f, const struct metrics *m, const struct metrics_view *v)
{
	const struct judge_stats *j = v->judge;

	head(f, "alerts_total", "counter", "Alerts written, by rule and severity.");
	for (unsigned i = 0; i <= METRICS_RULES; i++) {
		if (i >= m->nrules && i < METRICS_RULES)
			continue;
		for (unsigned s = SEV_LOW; s <= SEV_HIGH; s++) {
			if (i == METRICS_RULES && !m->alerts[i].n[s])
				continue;
			fputs("shellwatch_alerts_total{rule=\"", f);
			label(f, m->alerts[i].rule);
			fprintf(f, "\",severity=\"%s\"} %llu\n", severity_name(s),
				(unsigned long long)m->alerts[i].n[s]);
		}
	}
	head(f, "alerts_decided_total", "counter", "Alerts the judge decided, by severity "
	     "(written or not).");
	for (unsigned s = SEV_LOW; s <= SEV_HIGH; s++)
		fprintf(f, "shellwatch_alerts_decided_total{severity=\"%s\"} %llu\n",
			severity_name(s), (unsigned long long)j->by_severity[s]);
	one(f, "alerts_below_min_severity_total", "counter", "Alerts below --min-severity.",
	    (double)j->below_min);
	one(f, "alerts_suppressed_total", "counter", "Alerts an exception suppressed.",
	    (double)j->suppressed);
	one(f, "alerts_merged_total", "counter", "Signals folded into an alert already raised.",
	    (double)j->merged);
	one(f, "alerts_absorbed_total", "counter", "Held alerts absorbed by a high one.",
	    (double)j->absorbed);
	head(f, "kills_total", "counter", "Remote shells killed (--kill), by where.");
	fprintf(f, "shellwatch_kills_total{where=\"kernel\"} %llu\n"
		"shellwatch_kills_total{where=\"user\"} %llu\n",
		(unsigned long long)j->kernel_kills, (unsigned long long)v->kills_user);
	one(f, "kill_failures_total", "counter", "Kills from user space that failed.",
	    (double)v->kills_failed);
}

static void put_latency(FILE *f, const struct metrics *m)
{
	uint64_t cum = 0;

	head(f, "exec_to_alert_seconds", "histogram", "From the exec of a high alert's process to "
	     "the alert written.");
	for (unsigned b = 0; b < METRICS_LAT_BUCKETS; b++) {
		cum += m->lat[b];
		fprintf(f, "shellwatch_exec_to_alert_seconds_bucket{le=\"%g\"} %llu\n", lat_le[b],
			(unsigned long long)cum);
	}
	fprintf(f, "shellwatch_exec_to_alert_seconds_bucket{le=\"+Inf\"} %llu\n"
		"shellwatch_exec_to_alert_seconds_sum %.9f\n"
		"shellwatch_exec_to_alert_seconds_count %llu\n",
		(unsigned long long)m->lat_count, m->lat_sum, (unsigned long long)m->lat_count);
}

static void put_tables(FILE *f, const struct metrics_view *v)
{
	const struct judge_stats *j = v->judge;

	one(f, "process_table_entries", "gauge", "Processes in the table now.", (double)j->procs.live);
	one(f, "process_table_max_entries", "gauge", "Most processes in the table at once.",
	    (double)j->procs.max_live);
	one(f, "process_table_capacity", "gauge", "Processes the table can hold.",
	    (double)v->procs_capacity);
	one(f, "processes_untracked_total", "counter", "Processes not tracked: the table was full.",
	    (double)j->procs.dropped);
	one(f, "engine_streams", "gauge", "Process streams the rule engine holds now.",
	    (double)j->engine.streams);
	one(f, "engine_streams_capacity", "gauge", "Streams the rule engine can hold.",
	    (double)v->streams_capacity);
	one(f, "engine_streams_evicted_total", "counter", "Streams evicted: the engine was full.",
	    (double)j->engine.streams_evicted);
	one(f, "engine_bytes", "gauge", "Memory the rule engine's streams hold.", (double)j->engine.bytes);
}

/* What the container runtimes' APIs said (include/ctr_meta.h). */
static void put_containers(FILE *f, const struct metrics_view *v)
{
	const struct ctr_meta_stats *c = v->ctr;
	static const char *const res[] = { "answered", "not_found", "bad_response", "unreachable",
					   "skipped", "dropped" };

	if (!c)
		return;
	uint64_t n[] = { c->answered, c->not_found, c->bad_response, c->unreachable, c->skipped,
			 c->dropped };

	head(f, "container_meta_lookups_total", "counter",
	     "Questions about containers for their names and images, by what came of them.");
	for (size_t i = 0; i < sizeof(n) / sizeof(n[0]); i++)
		fprintf(f, "shellwatch_container_meta_lookups_total{result=\"%s\"} %llu\n", res[i],
			(unsigned long long)n[i]);
}

static void put_output(FILE *f, const struct metrics_view *v)
{
	const struct sink_stats *s = v->sink;

	head(f, "output_records_total", "counter", "Records written to the output, by type.");
	fprintf(f, "shellwatch_output_records_total{type=\"alert\"} %llu\n"
		"shellwatch_output_records_total{type=\"event\"} %llu\n",
		(unsigned long long)s->alerts, (unsigned long long)s->events);
	head(f, "output_errors_total", "counter", "Records the output could not take, by type.");
	fprintf(f, "shellwatch_output_errors_total{type=\"alert\"} %llu\n"
		"shellwatch_output_errors_total{type=\"event\"} %llu\n",
		(unsigned long long)s->alert_errors, (unsigned long long)s->event_errors);
	one(f, "alerts_lost_total", "counter", "Alerts the output or a syslog queue lost.",
	    (double)s->alerts_lost);
	head(f, "syslog_messages_total", "counter", "Syslog messages, by destination and result.");
	for (int i = 0; i < 2; i++) {
		static const char *const res[] = { "sent", "dropped", "resent" };
		uint64_t n[3] = { s->syslog[i].sent, s->syslog[i].dropped, s->syslog[i].resent };

		for (int r = 0; s->has_syslog[i] && r < 3; r++) {
			fputs("shellwatch_syslog_messages_total{destination=\"", f);
			label(f, v->sink_names[i]);
			fprintf(f, "\",result=\"%s\"} %llu\n", res[r], (unsigned long long)n[r]);
		}
	}
	head(f, "syslog_queue_length", "gauge", "Syslog messages waiting to be sent.");
	for (int i = 0; i < 2; i++) {
		if (!s->has_syslog[i])
			continue;
		fputs("shellwatch_syslog_queue_length{destination=\"", f);
		label(f, v->sink_names[i]);
		fprintf(f, "\"} %llu\n", (unsigned long long)s->syslog[i].pending);
	}
}

char *metrics_render(const struct metrics *m, const struct metrics_view *v, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	head(f, "build_info", "gauge", "The sensor's version.");
	fprintf(f, "shellwatch_build_info{version=\"%s\"} 1\n", SW_VERSION);
	one(f, "start_time_seconds", "gauge", "When the sensor started (Unix time).",
	    (double)m->start_wall_s);
	put_events(f, m, v);
	put_alerts(f, m, v);
	put_latency(f, m);
	put_tables(f, v);
	put_output(f, v);
	put_containers(f, v);
	if (fclose(f)) {
		free(buf);
		return NULL;
	}
	return buf;
}

int metrics_write_file(const char *path, const char *text, size_t len, char *why, size_t wlen)
{
	char tmp[PATH_MAX];
	size_t off = 0;
	ssize_t w;
	int fd, rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", path, (int)getpid());
	unlink(tmp);
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || fchmod(fd, 0644)) {
		rc = -errno;
		snprintf(why, wlen, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			close(fd);
		return rc;
	}
	while (off < len && ((w = write(fd, text + off, len - off)) > 0 || errno == EINTR))
		off += w > 0 ? (size_t)w : 0;
	if (off < len)
		rc = -(errno ? errno : EIO);
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		snprintf(why, wlen, "%s: %s", path, strerror(-rc));
		unlink(tmp);
	}
	return rc;
}
