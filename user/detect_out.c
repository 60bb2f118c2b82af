/* detect_out.c: writes a detection as text or as a JSON line (json-c).
 *
 * Process and network fields (process.executable, process.command_line, destination.ip, ...) are
 * read back from the matched trace lines with the seed-format reader, so every source gives the
 * same record without the engine carrying strings.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <json-c/json.h>
#include "detect_out.h"
#include "trace_read.h"

static void put_time(FILE *f, enum engine_clock clock, uint64_t v)
{
	if (clock == ENGINE_TIME)
		fprintf(f, "%" PRIu64 ".%09" PRIu64 "s", v / 1000000000u, v % 1000000000u);
	else
		fprintf(f, "%" PRIu64, v);
}

int detect_write_text(FILE *f, const struct sw_detection *d)
{
	fprintf(f, "DETECTED %s pid=%" PRIu32, d->rule, d->pid);
	if (d->ppid)
		fprintf(f, " ppid=%" PRIu32, d->ppid);
	fprintf(f, " lines=%" PRIu64 "-%" PRIu64 " %s=", d->first_seq, d->last_seq,
		d->clock == ENGINE_TIME ? "time" : "event");
	put_time(f, d->clock, d->detect_time);
	fprintf(f, " delay=");
	put_time(f, d->clock, d->delay);
	fprintf(f, "%s", d->clock == ENGINE_TIME ? "" : " events");
	if (d->level >= 0)
		fprintf(f, " level=%d", d->level);
	fputc('\n', f);
	for (unsigned i = 0; i < d->nmatched; i++)
		fprintf(f, "    %s\n", d->matched[i]);
	return ferror(f) ? -1 : 0;
}

static void add_str(json_object *o, const char *key, const struct sw_str *v)
{
	if (v)
		json_object_object_add(o, key, json_object_new_string_len(v->p, (int)v->len));
}

static void add_num(json_object *o, const char *key, const struct sw_str *v)
{
	char buf[24];
	char *end;
	long long n;

	if (!v || v->len == 0 || v->len >= sizeof(buf))
		return;
	memcpy(buf, v->p, v->len);
	buf[v->len] = '\0';
	n = strtoll(buf, &end, 10);
	if (*end == '\0')
		json_object_object_add(o, key, json_object_new_int64(n));
}

/* Fields from one matched event, parsed back from its trace line. */
static void add_event_fields(json_object *o, const char *line)
{
	char buf[512];
	struct sw_event ev;
	const char *why;
	size_t n = strlen(line);

	if (n >= sizeof(buf))
		return;
	memcpy(buf, line, n + 1);
	if (trace_parse_line(NULL, buf, n, &ev, &why) != 1)
		return;
	if (sw_str_eqc(ev.call, "connect")) {
		add_str(o, "destination.ip", sw_event_arg(&ev, "addr"));
		add_num(o, "destination.port", sw_event_arg(&ev, "port"));
	} else if (sw_str_eqc(ev.call, "accept") || sw_str_eqc(ev.call, "accept4")) {
		add_str(o, "source.ip", sw_event_arg(&ev, "addr"));
		add_num(o, "source.port", sw_event_arg(&ev, "port"));
	} else if (sw_str_eqc(ev.call, "execve") || sw_str_eqc(ev.call, "execveat")) {
		add_str(o, "process.executable", sw_event_arg(&ev, "exe"));
		add_str(o, "process.command_line", sw_event_arg(&ev, "argv"));
	}
}

static void add_timestamp(json_object *o)
{
	struct timespec ts;
	struct tm tm;
	char buf[64];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), ".%03ldZ", ts.tv_nsec / 1000000);
	json_object_object_add(o, "@timestamp", json_object_new_string(buf));
}

int detect_write_json(FILE *f, const struct sw_detection *d)
{
	json_object *o = json_object_new_object(), *m = json_object_new_array();
	bool ns = d->clock == ENGINE_TIME;
	char uid[16];

	add_timestamp(o);
	json_object_object_add(o, "event.kind", json_object_new_string("alert"));
	json_object_object_add(o, "event.module", json_object_new_string("shellwatch"));
	json_object_object_add(o, "rule.name", json_object_new_string(d->rule));
	if (d->has_pid) {
		json_object_object_add(o, "process.pid", json_object_new_int64(d->pid));
		json_object_object_add(o, "process.parent.pid", json_object_new_int64(d->ppid));
	}
	if (d->has_uid) {
		snprintf(uid, sizeof(uid), "%" PRIu32, d->uid);
		json_object_object_add(o, "user.id", json_object_new_string(uid));
	}
	for (unsigned i = 0; i < d->nmatched; i++) {
		add_event_fields(o, d->matched[i]);
		json_object_array_add(m, json_object_new_string(d->matched[i]));
	}
	if (ns)
		json_object_object_add(o, "shellwatch.delay_ms", json_object_new_double((double)d->delay / 1e6));
	else
		json_object_object_add(o, "shellwatch.delay_events", json_object_new_int64((int64_t)d->delay));
	json_object_object_add(o, ns ? "shellwatch.time_ns" : "shellwatch.position",
			       json_object_new_int64((int64_t)d->detect_time));
	json_object_object_add(o, "shellwatch.first_line", json_object_new_int64((int64_t)d->first_seq));
	json_object_object_add(o, "shellwatch.last_line", json_object_new_int64((int64_t)d->last_seq));
	json_object_object_add(o, "shellwatch.level", json_object_new_int(d->level));
	json_object_object_add(o, "shellwatch.matched", m);
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return ferror(f) ? -1 : 0;
}
