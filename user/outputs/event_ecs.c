/* event_ecs.c: `run --events`: the exec, connect and accept events the judge takes, as ECS
 * documents of event.kind "event" (process start, network connection start), with the same
 * host, agent and process fields as the alerts, so a SIEM can correlate them itself. Also the
 * head every ECS document of shellwatch starts with. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "argl.h"
#include "container.h"
#include "ecs_priv.h"
#include "judge.h"

void ecs_head(struct jw *w, const struct out_ident *id, const char *host, uint64_t wall_ns)
{
	char when[48];

	out_wall_time(when, sizeof(when), wall_ns);
	jw_str(w, "@timestamp", when);
	jw_str(w, "ecs.version", ECS_VERSION);
	jw_str(w, "agent.type", "shellwatch");
	jw_str(w, "agent.version", SW_VERSION);
	host = host && host[0] ? host : id->hostname;
	jw_str_opt(w, "host.name", host);
	jw_str_opt(w, "host.hostname", host);
	jw_str_opt(w, "host.id", id->machine_id);
}

bool event_ecs_wanted(const struct sw_event *ev)
{
	const struct sw_sock_facts *s = &ev->sock;

	if (ev->kind == SW_EV_EXEC)
		return true;
	if (ev->kind != SW_EV_SOCK || !sw_fd_is_inet(&s->sock))
		return false;
	return s->accepted ? s->ret >= 0 : (s->ret == 0 || s->ret == -EINPROGRESS);
}

/* A borrowed string as a C string, cut to the buffer. */
static const char *cstr(char *buf, size_t cap, struct sw_str s)
{
	size_t n = s.len < cap - 1 ? s.len : cap - 1;

	memcpy(buf, s.p, n);
	buf[n] = '\0';
	return buf;
}

static void put_process(struct jw *w, const struct sw_event *ev, const struct out_ident *id)
{
	char buf[ALERT_CMD_MAX], eid[ALERT_ID_MAX], uid[16];
	uint8_t inner[ALERT_CMD_MAX / 8];

	jw_int(w, "process.pid", ev->pid);
	if (ev->has_start && id->boot_id[0]) {
		judge_entity_id(eid, sizeof(eid), id->boot_id, ev->pid, ev->start_ns);
		jw_str_opt(w, "process.entity_id", eid);
	}
	if (ev->comm.len)
		jw_strn(w, "process.name", ev->comm.p, ev->comm.len);
	if (ev->kind == SW_EV_EXEC) {
		jw_strn(w, "process.executable", ev->exec.exe.p, ev->exec.exe.len);
		if (ev->exec.cwd.len)
			jw_strn(w, "process.working_directory", ev->exec.cwd.p, ev->exec.cwd.len);
		if (ev->exec.argv.len >= sizeof(buf) ||
		    !argl_inner(ev->exec.argv, ev->exec.argl, inner, sizeof(inner)))
			memset(inner, 0, sizeof(inner));
		ecs_cmdline(w, "process", cstr(buf, sizeof(buf), ev->exec.argv), inner,
			    sizeof(inner));
		if (ev->exec.argv_trunc || ev->exec.argv.len >= sizeof(buf))
			jw_bool(w, "shellwatch.command_line_truncated", true);
	}
	if (ev->has_pid)
		jw_int(w, "process.parent.pid", ev->ppid);
	if (ev->kind == SW_EV_EXEC && ev->exec.pstart_ns && id->boot_id[0]) {
		judge_entity_id(eid, sizeof(eid), id->boot_id, ev->ppid, ev->exec.pstart_ns);
		jw_str_opt(w, "process.parent.entity_id", eid);
	}
	if (ev->has_uid) {
		snprintf(uid, sizeof(uid), "%u", ev->uid);
		jw_str(w, "user.id", uid);
	}
	if (ev->kind == SW_EV_EXEC && ev->exec.ctr_runtime != CTR_NONE) {
		jw_strn(w, "container.id", ev->exec.ctr_id.p, ev->exec.ctr_id.len);
		jw_str(w, "container.runtime", ctr_runtime_name(ev->exec.ctr_runtime));
		if (ev->exec.ns_pid)
			jw_int(w, "process.vpid", ev->exec.ns_pid);
		if (ev->exec.pod_uid.len) {
			jw_str(w, "orchestrator.type", "kubernetes");
			jw_str(w, "orchestrator.resource.type", "pod");
			jw_strn(w, "orchestrator.resource.id", ev->exec.pod_uid.p, ev->exec.pod_uid.len);
		}
	}
}

static void put_ip(struct jw *w, const char *path, int af, const uint8_t *addr)
{
	char ip[INET6_ADDRSTRLEN];

	if (inet_ntop(af, addr, ip, sizeof(ip)))
		jw_str(w, path, ip);
}

/* Like the alerts: destination is the remote end, source ours; network.direction says who
 * opened the connection. */
static void put_network(struct jw *w, const struct sw_fd *s, bool inbound)
{
	int af = s->family == AF_INET6 ? AF_INET6 : AF_INET;

	jw_str(w, "network.direction", inbound ? "inbound" : "outbound");
	jw_str(w, "network.type", af == AF_INET6 ? "ipv6" : "ipv4");
	put_ip(w, "destination.ip", af, s->paddr);
	if (s->pport)
		jw_int(w, "destination.port", s->pport);
	if (s->lport) {
		put_ip(w, "source.ip", af, s->laddr);
		jw_int(w, "source.port", s->lport);
	}
}

char *event_ecs(const struct sw_event *ev, const struct out_ident *id, uint64_t wall_ns,
		size_t *len)
{
	static const char *const proc[1] = { "process" }, *const net[1] = { "network" };
	static const char *const start[1] = { "start" }, *const conn[2] = { "connection", "start" };
	bool exec = ev->kind == SW_EV_EXEC;
	struct jw w;

	*len = 0;
	if (!event_ecs_wanted(ev))
		return NULL;
	jw_init(&w, "shellwatch.escaped");
	ecs_head(&w, id, NULL, wall_ns);
	jw_str(&w, "event.kind", "event");
	jw_strs(&w, "event.category", exec ? proc : net, 1);
	jw_strs(&w, "event.type", exec ? start : conn, exec ? 1 : 2);
	jw_str(&w, "event.action", exec ? "exec" : ev->sock.accepted ? "accept" : "connect");
	jw_str(&w, "event.module", "shellwatch");
	jw_str(&w, "event.dataset", "shellwatch.event");
	put_process(&w, ev, id);
	if (!exec)
		put_network(&w, &ev->sock.sock, ev->sock.accepted);
	return jw_finish(&w, len);
}
