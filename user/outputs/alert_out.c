/* alert_out.c: the alert record's own helpers (its name, severity and direction names, the
 * command line it keeps) and the line for people (plus the matched events, indented); the JSON
 * documents are alert_ecs.c and alert_ocsf.c. `run` and `replay` both write through here. */
#include <arpa/inet.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "alert.h"
#include "cmdsrc.h"
#include "interp.h"
#include "outfmt.h"
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

/* A cut at a character boundary: not inside a UTF-8 sequence (continuation bytes 10xxxxxx). */
static size_t char_start(const char *s, size_t i, size_t len, int dir)
{
	for (int k = 0; k < 3 && i > 0 && i < len && ((uint8_t)s[i] & 0xc0) == 0x80; k++)
		i = dir < 0 ? i - 1 : i + 1;
	return i;
}

void alert_set_cmd(struct alert *a, const char *s, size_t len, bool source_cut)
{
	const size_t cap = sizeof(a->cmd) - 1;
	char mark[48];
	size_t m, head, tail;

	a->cmd_trunc = source_cut;
	a->cmd_len = source_cut || len > UINT32_MAX ? 0 : (uint32_t)len;
	if (len <= cap) {
		memcpy(a->cmd, s, len);
		a->cmd[len] = '\0';
		return;
	}
	a->cmd_trunc = true;
	m = (size_t)snprintf(mark, sizeof(mark), "[...%zu bytes cut...]", len);  /* the longest */
	head = char_start(s, (cap - m) / 2, len, -1);
	tail = char_start(s, len - (cap - m - head), len, +1);
	m = (size_t)snprintf(mark, sizeof(mark), "[...%zu bytes cut...]", tail - head);
	memcpy(a->cmd, s, head);
	memcpy(a->cmd + head, mark, m);
	memcpy(a->cmd + head + m, s + tail, len - tail);
	a->cmd[head + m + len - tail] = '\0';
}

uint64_t out_wall_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void out_wall_time(char *buf, size_t len, uint64_t wall_ns)
{
	time_t sec = (time_t)(wall_ns / 1000000000ull);
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%06uZ", (unsigned)(wall_ns % 1000000000ull / 1000));
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

	out_wall_time(when, sizeof(when), out_wall_now_ns());
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
	if (a->container[0])
		fprintf(f, " container=%s:%.12s", a->ctr_runtime, a->container);
	if (a->ctr_name[0])
		put_quoted(f, "container_name", a->ctr_name);
	if (a->ctr_image[0])
		put_quoted(f, "image", a->ctr_image);
	if (a->pod_name[0] || a->pod_uid[0])
		put_quoted(f, "pod", a->pod_name[0] ? a->pod_name : a->pod_uid);
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
	if (a->cmd_trunc)
		fprintf(f, a->cmd_len ? " cmd_truncated=%u" : " cmd_truncated=?", a->cmd_len);
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
