/* sink.c: where alerts and events go, for `run` and `replay` alike: one format to standard
 * output or a file, plus syslog when asked; failures reported at once and counted
 * (include/sink.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "sink.h"

#define SAY_EVERY_NS 10000000000ull

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static const char *out_name(const struct sink *s)
{
	return s->o.file.path ? s->o.file.path : "standard output";
}

static int open_syslog(struct sink *s)
{
	struct syslog_dest d;

	for (int i = 0; i < 2; i++) {
		if (!(i ? s->o.has_server : s->o.syslog_local))
			continue;
		if (i)
			d = s->o.server;
		else
			syslog_local_dest(&d);
		d.format = s->o.syslog_format;
		snprintf(s->sl_name[i], sizeof(s->sl_name[i]), "%s", d.name);
		if (!(s->sl[i] = syslog_out_new(&d)))
			return -errno;
	}
	return 0;
}

int sink_open(struct sink *s, const struct sink_opts *o, const struct out_ident *id,
	      const char *cmd)
{
	char why[600];
	int rc;

	memset(s, 0, sizeof(*s));
	s->o = *o;
	s->id = *id;
	s->cmd = cmd;
	tb_init(&s->events, o->events_rate, o->events_burst);
	if ((rc = outfile_open(&s->file, &o->file, why, sizeof(why)))) {
		fprintf(stderr, "%s: cannot open the output: %s\n", cmd, why);
		return rc;
	}
	if ((rc = open_syslog(s)))
		fprintf(stderr, "%s: syslog: %s\n", cmd, strerror(-rc));
	return rc;
}

int sink_reopen(struct sink *s)
{
	char why[600];
	int rc = outfile_reopen(&s->file, why, sizeof(why));

	if (rc)
		fprintf(stderr, "%s: cannot reopen the output: %s (still writing to the old file)\n",
			s->cmd, why);
	return rc;
}

/* One record to the output; a failure is said at once, then at most every 10 s, and once
 * more when the output works again. */
static bool put(struct sink *s, const char *buf, size_t len, bool alert)
{
	int rc = buf ? outfile_write(&s->file, buf, len) : -ENOMEM;
	uint64_t now;

	if (!rc) {
		if (s->last_err)
			fprintf(stderr, "%s: writing to %s again (%llu alerts lost before)\n", s->cmd,
				out_name(s), (unsigned long long)s->st.alerts_lost);
		s->last_err = 0;
		return true;
	}
	now = mono_ns();
	if (rc != s->last_err || now - s->err_said_ns >= SAY_EVERY_NS) {
		fprintf(stderr, "%s: cannot write %s to %s: %s (%llu alerts lost so far; detection "
			"goes on)\n", s->cmd, alert ? "an alert" : "an event", out_name(s),
			strerror(-rc), (unsigned long long)s->st.alerts_lost + alert);
		s->err_said_ns = now;
	}
	s->last_err = rc;
	return false;
}

static char *render(const struct sink *s, enum sink_format f, const struct alert *a,
		    size_t *len)
{
	char *buf = NULL;
	FILE *m;

	switch (f) {
	case SINK_ECS: return alert_ecs(a, &s->id, len);
	case SINK_OCSF: return alert_ocsf(a, &s->id, len);
	default: break;
	}
	if (!(m = open_memstream(&buf, len)))
		return NULL;
	alert_write_text(m, a);
	if (fclose(m)) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void to_syslog(struct sink *s, int sev, const char *msgid, const char *json, size_t len,
		      bool alert)
{
	for (int i = 0; i < 2; i++)
		if (s->sl[i] && json)
			syslog_out_send(s->sl[i], sev, msgid, json, len, alert);
}

void sink_write(struct sink *s, const struct alert *a)
{
	size_t len = 0, jlen = 0;
	char *buf = render(s, s->o.format, a, &len), *json = NULL;
	bool ok = put(s, buf, len, true);

	s->st.alerts += ok;
	s->st.alert_errors += !ok;
	s->st.alerts_lost += !ok;
	if (s->sl[0] || s->sl[1]) {
		json = s->o.format == SINK_TEXT ? render(s, SINK_ECS, a, &jlen) : buf;
		jlen = s->o.format == SINK_TEXT ? jlen : len;
		/* syslog severities: 1 alert (high), 4 warning (medium), 5 notice (low) */
		to_syslog(s, a->severity == SEV_HIGH ? 1 : a->severity == SEV_MEDIUM ? 4 : 5, "alert",
			  json, jlen, true);
	}
	if (json != buf)
		free(json);
	free(buf);
}

void sink_event(struct sink *s, const struct sw_event *ev, uint64_t now_ns, uint64_t wall_ns)
{
	size_t len;
	char *buf;
	bool ok;

	if (!event_ecs_wanted(ev) || !tb_take(&s->events, now_ns))
		return;
	buf = event_ecs(ev, &s->id, wall_ns, &len);
	ok = put(s, buf, len, false);
	s->st.events += ok;
	s->st.event_errors += !ok;
	to_syslog(s, 6, "event", buf, len, false);
	free(buf);
}

void sink_tick(struct sink *s)
{
	for (int i = 0; i < 2; i++)
		if (s->sl[i])
			syslog_out_tick(s->sl[i]);
}

void sink_stats(const struct sink *s, struct sink_stats *st)
{
	*st = s->st;
	st->events_limited = s->events.dropped;
	st->rotations = s->file.rotations;
	for (int i = 0; i < 2; i++) {
		if (s->sl[i]) {
			st->has_syslog[i] = true;
			syslog_out_stats(s->sl[i], &st->syslog[i]);
		}
		if (st->has_syslog[i])
			st->alerts_lost += st->syslog[i].dropped_alerts;
	}
}

bool sink_lost(const struct sink *s)
{
	struct sink_stats st;

	sink_stats(s, &st);
	return st.alerts_lost > 0;
}

void sink_summary(const struct sink *s, char *buf, size_t len)
{
	struct sink_stats st;
	size_t n = 0;

	sink_stats(s, &st);
	buf[0] = '\0';
#define ADD(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, n ? "; " : ""), \
		  n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	if (st.alert_errors || st.event_errors)
		ADD("output %s: %llu alerts and %llu events could not be written", out_name(s),
		    (unsigned long long)st.alert_errors, (unsigned long long)st.event_errors);
	if (st.events || st.events_limited)
		ADD("events: %llu written, %llu dropped by the rate limit",
		    (unsigned long long)st.events, (unsigned long long)st.events_limited);
	if (st.rotations)
		ADD("%llu rotations", (unsigned long long)st.rotations);
	for (int i = 0; i < 2; i++)
		if (st.has_syslog[i])
			ADD("syslog %s: %llu sent, %llu queued now, %llu dropped (%llu alerts), "
			    "%llu resent, %llu connections, %llu errors", s->sl_name[i],
			    (unsigned long long)st.syslog[i].sent,
			    (unsigned long long)st.syslog[i].pending,
			    (unsigned long long)st.syslog[i].dropped,
			    (unsigned long long)st.syslog[i].dropped_alerts,
			    (unsigned long long)st.syslog[i].resent,
			    (unsigned long long)st.syslog[i].connects,
			    (unsigned long long)st.syslog[i].errors);
#undef ADD
}

void sink_close(struct sink *s)
{
	struct syslog_stats fin;

	outfile_close(&s->file);
	for (int i = 0; i < 2; i++) {
		if (!s->sl[i])
			continue;
		syslog_out_close(s->sl[i], 2000, &fin);
		s->sl[i] = NULL;
		s->st.has_syslog[i] = true;
		s->st.syslog[i] = fin;
	}
}
