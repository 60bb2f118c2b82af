/* alert_out.c: writes an alert (the judge's finding, include/alert.h) as one line for people (plus
 * the matched events, indented) or as one JSON object per line with ECS field names (json-c).
 * `run` and `replay` both write through here. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <json-c/json.h>
#include "alert.h"
#include "cmdsrc.h"
#include "interp.h"
#include "trace_fmt.h"

const char *alert_name(const struct alert *a)
{
	if (a->signals & SIG_RULE)
		return a->rule;
	if (a->signals & SIG_STDIO_SOCKET)
		return "stdio-socket";
	if (a->signals & SIG_PARENT_SOCKET)
		return "parent-stdio-socket";
	if (a->signals & SIG_PIPE_RELAY)
		return "pipe-relay";
	if (a->signals & SIG_HOLDS_SOCKET)
		return "socket-relay";
	if (a->signals & SIG_CMD_FROM_NET)
		return "command-from-network";
	return "suspicious-command";
}

static const char *const sev_names[] = { "none", "low", "medium", "high" };

const char *severity_name(enum severity s)
{
	return (unsigned)s < sizeof(sev_names) / sizeof(sev_names[0]) ? sev_names[s] : "none";
}

enum severity severity_of_name(const char *s)
{
	for (unsigned i = 1; i < sizeof(sev_names) / sizeof(sev_names[0]); i++)
		if (!strcmp(s, sev_names[i]))
			return (enum severity)i;
	return SEV_NONE;
}

const char *direction_name(enum direction d)
{
	return d == DIR_OUTBOUND ? "outbound" : d == DIR_INBOUND ? "inbound" : "unknown";
}

void alert_peer_ip(const struct sw_fd *s, char *buf, size_t len)
{
	if (!inet_ntop(s->family == AF_INET6 ? AF_INET6 : AF_INET, s->paddr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

static void wall_time(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06ldZ", ts.tv_nsec / 1000);
}

double alert_delay_ms(const struct alert *a)
{
	return a->decided_ns > a->exec_ns ? (double)(a->decided_ns - a->exec_ns) / 1e6 : 0;
}

static void put_quoted(FILE *f, const char *key, const char *s)
{
	char buf[4 * ALERT_CMD_MAX + 8];

	trace_put_value(buf, sizeof(buf), s, strlen(s));
	fprintf(f, " %s=%s", key, buf);
}

int alert_write_text(FILE *f, const struct alert *a)
{
	char when[48], sigs[128], ip[INET6_ADDRSTRLEN];

	wall_time(when, sizeof(when));
	signals_str(a->signals, sigs, sizeof(sigs));
	fprintf(f, "%s ALERT %s severity=%s pid=%" PRIu32 " ppid=%" PRIu32, when, alert_name(a),
		severity_name(a->severity), a->pid, a->ppid);
	if (a->has_uid)
		fprintf(f, " uid=%" PRIu32, a->uid);
	put_quoted(f, "comm", a->comm);
	put_quoted(f, "parent", a->pcomm);
	put_quoted(f, "exe", a->exe);
	if (a->interp[0])
		fprintf(f, " interp=%s(%s) commands=%s", a->interp, interp_by_name(a->interp_by),
			cmdsrc_name(a->cmdsrc));
	if (a->has_peer) {
		alert_peer_ip(&a->peer, ip, sizeof(ip));
		fprintf(f, a->peer.family == AF_INET6 ? " remote=[%s]:%u" : " remote=%s:%u", ip,
			a->peer.pport);
		fprintf(f, " %s", direction_name(a->direction));
	}
	if (a->score >= 0)
		fprintf(f, " score=%.3f", a->score);
	if (a->pscore >= 0)
		fprintf(f, " parent_score=%.3f", a->pscore);
	fprintf(f, " signals=%s delay=%.3fms", sigs, alert_delay_ms(a));
	if (a->killed)
		fprintf(f, " killed=%s", a->killed_in_kernel ? "kernel,at-exec" : "user-space");
	if (a->killed && !a->killed_in_kernel)
		fprintf(f, ",%.3fms", (double)(a->kill_ns - a->exec_ns) / 1e6);
	if (a->suppressed_by)
		fprintf(f, " suppressed_by=%s", a->suppressed_by);
	put_quoted(f, "cmd", a->cmd);
	put_quoted(f, "parent_cmd", a->pcmd);
	fputc('\n', f);
	for (unsigned i = 0; i < a->nmatched; i++)
		fprintf(f, "    %s\n", a->matched[i]);
	return ferror(f) ? -1 : 0;
}

static void add(json_object *o, const char *key, json_object *v)
{
	json_object_object_add(o, key, v);
}

static void add_peer(json_object *o, const struct alert *a)
{
	char ip[INET6_ADDRSTRLEN];

	if (!a->has_peer)
		return;
	add(o, "network.direction", json_object_new_string(direction_name(a->direction)));
	alert_peer_ip(&a->peer, ip, sizeof(ip));
	add(o, "destination.ip", json_object_new_string(ip));
	add(o, "destination.port", json_object_new_int(a->peer.pport));
	if (a->peer.lport)
		add(o, "source.port", json_object_new_int(a->peer.lport));
}

/* ECS event.severity, a number: what Elastic's rules use for low, medium, high. */
static const int severity_score[] = { 0, 21, 47, 73 };

static void add_signal(void *ctx, const char *name)
{
	json_object_array_add(ctx, json_object_new_string(name));
}

static void add_nonempty(json_object *o, const char *key, const char *s)
{
	if (s[0])
		add(o, key, json_object_new_string(s));
}

int alert_write_json(FILE *f, const struct alert *a)
{
	json_object *o = json_object_new_object(), *m = json_object_new_array();
	json_object *sigs = json_object_new_array();
	char when[48], uid[16];

	wall_time(when, sizeof(when));
	snprintf(uid, sizeof(uid), "%" PRIu32, a->uid);
	add(o, "@timestamp", json_object_new_string(when));
	add(o, "event.kind", json_object_new_string("alert"));
	add(o, "event.module", json_object_new_string("shellwatch"));
	add(o, "event.id", json_object_new_int64(a->id));
	add(o, "rule.name", json_object_new_string(alert_name(a)));
	add(o, "event.severity", json_object_new_int(severity_score[a->severity]));
	add(o, "shellwatch.severity", json_object_new_string(severity_name(a->severity)));
	add_nonempty(o, "host.name", a->host);
	add(o, "process.pid", json_object_new_int64(a->pid));
	add(o, "process.parent.pid", json_object_new_int64(a->ppid));
	add_nonempty(o, "process.entity_id", a->entity_id);
	add_nonempty(o, "process.parent.entity_id", a->parent_entity_id);
	add(o, "process.name", json_object_new_string(a->comm));
	add(o, "process.parent.name", json_object_new_string(a->pcomm));
	add(o, "process.executable", json_object_new_string(a->exe));
	add(o, "process.command_line", json_object_new_string(a->cmd));
	add(o, "process.parent.command_line", json_object_new_string(a->pcmd));
	if (a->has_uid)
		add(o, "user.id", json_object_new_string(uid));
	add_peer(o, a);
	if (a->score >= 0)
		add(o, "shellwatch.score", json_object_new_double(a->score));
	if (a->pscore >= 0)
		add(o, "shellwatch.parent_score", json_object_new_double(a->pscore));
	if (a->interp[0]) {
		add(o, "shellwatch.interpreter", json_object_new_string(a->interp));
		add(o, "shellwatch.interpreter_by",
		    json_object_new_string(interp_by_name(a->interp_by)));
		add(o, "shellwatch.command_source", json_object_new_string(cmdsrc_name(a->cmdsrc)));
	}
	if (a->suppressed_by)
		add(o, "shellwatch.suppressed_by", json_object_new_string(a->suppressed_by));
	signals_each(a->signals, add_signal, sigs);
	add(o, "shellwatch.signals", sigs);
	add(o, "shellwatch.delay_ms", json_object_new_double(alert_delay_ms(a)));
	for (unsigned i = 0; i < a->nmatched; i++)
		json_object_array_add(m, json_object_new_string(a->matched[i]));
	add(o, "shellwatch.matched", m);
	if (a->killed)
		add(o, "shellwatch.killed", json_object_new_string(a->killed_in_kernel ? "kernel" : "user-space"));
	if (a->killed)
		add(o, "shellwatch.killed_ms",
		    json_object_new_double((double)(a->kill_ns - a->exec_ns) / 1e6));
	fprintf(f, "%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN |
							   JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(o);
	return ferror(f) ? -1 : 0;
}
