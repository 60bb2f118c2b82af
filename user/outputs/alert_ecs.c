/* alert_ecs.c: an alert as one Elastic Common Schema document, nested objects as ECS documents
 * them and Elastic's endpoint writes its alerts: event.* (kind alert, categories, types, action,
 * severity, risk score), rule.*, threat.* (MITRE ATT&CK), process.* with process.parent.*, user,
 * host, agent, network, destination (the remote end) and source (ours); shellwatch.* holds what
 * ECS has no field for. docs/alert.schema.json is its schema. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "attack.h"
#include "ecs_priv.h"
#include "swfields_priv.h"

static void put_event(struct jw *w, const struct alert *a)
{
	const char *cat[3] = { "intrusion_detection", "process", "network" };
	const char *type[4] = { "info", "start" };
	unsigned nt = 2;

	if (a->has_peer)
		type[nt++] = "connection";
	if (a->killed)
		type[nt++] = "denied";
	jw_str(w, "event.kind", "alert");
	jw_strs(w, "event.category", cat, a->has_peer ? 3 : 2);
	jw_strs(w, "event.type", type, nt);
	jw_str(w, "event.action", "rule_detection");
	jw_str(w, "event.module", "shellwatch");
	jw_str(w, "event.dataset", "shellwatch.alert");
	jw_int(w, "event.id", a->id);
	jw_int(w, "event.severity", alert_severity_score(a->severity));
	jw_num(w, "event.risk_score", alert_risk_score(a));
}

static void put_rule(struct jw *w, const struct alert *a)
{
	char buf[24];

	jw_str(w, "rule.id", alert_rule_id(a, buf, sizeof(buf)));
	jw_str(w, "rule.name", alert_name(a));
	jw_str(w, "rule.description", alert_rule_desc(a));
	jw_str(w, "rule.category", "remote-shell");
	jw_str(w, "rule.ruleset", "shellwatch");
}

/* Adds s to the array unless it is there already. */
static void add_once(json_object *arr, const char *s)
{
	for (size_t i = 0; i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s))
			return;
	json_object_array_add(arr, json_object_new_string(s));
}

/* id, name and reference arrays of one threat.* object. */
static void add_ref(json_object *o[3], const char *id, const char *name)
{
	char url[80];

	attack_url(id, url, sizeof(url));
	add_once(o[0], id), add_once(o[1], name), add_once(o[2], url);
}

static void put_refs(struct jw *w, const char *path, json_object *o[3])
{
	static const char *const part[3] = { "id", "name", "reference" };
	char p[64];

	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s.%s", path, part[i]);
		if (json_object_array_length(o[i]))
			jw_put(w, p, o[i]);
		else
			json_object_put(o[i]);
	}
}

static void put_threat(struct jw *w, const struct alert *a)
{
	struct attack_ref t[ATTACK_MAX];
	unsigned n = alert_attacks(a, t);
	json_object *tac[3], *tec[3], *sub[3];

	for (int i = 0; i < 3; i++) {
		tac[i] = json_object_new_array();
		tec[i] = json_object_new_array();
		sub[i] = json_object_new_array();
	}
	for (unsigned i = 0; i < n; i++) {
		add_ref(tac, t[i].tactic_id, t[i].tactic_name);
		if (t[i].parent_id) {
			add_ref(tec, t[i].parent_id, t[i].parent_name);
			add_ref(sub, t[i].id, t[i].name);
		} else {
			add_ref(tec, t[i].id, t[i].name);
		}
	}
	jw_str(w, "threat.framework", "MITRE ATT&CK");
	put_refs(w, "threat.tactic", tac);
	put_refs(w, "threat.technique", tec);
	put_refs(w, "threat.technique.subtechnique", sub);
}

/* WHO.command_line, and WHO.args and WHO.args_count: the sources give argv joined by spaces,
 * and the spaces inside an argument apart (argl), so the arguments are its words split at the
 * other spaces. */
void ecs_cmdline(struct jw *w, const char *who, const char *cmd, const uint8_t *inner,
		 size_t nbytes)
{
	char p[48];
	unsigned n;

	snprintf(p, sizeof(p), "%s.command_line", who);
	jw_str(w, p, cmd);
	if (!cmd[0])
		return;
	snprintf(p, sizeof(p), "%s.args", who);
	n = jw_words(w, p, cmd, inner, nbytes);
	snprintf(p, sizeof(p), "%s.args_count", who);
	jw_int(w, p, n);
}

/* container.*, process.vpid and, for a Kubernetes pod, orchestrator.*: what the cgroup said,
 * with what the runtime's API said when `run` had it (docs/containers.md). */
static void put_container(struct jw *w, const struct alert *a)
{
	if (!a->container[0])
		return;
	jw_str(w, "container.id", a->container);
	jw_str_opt(w, "container.runtime", a->ctr_runtime);
	jw_str_opt(w, "container.name", a->ctr_name);
	jw_str_opt(w, "container.image.name", a->ctr_image);
	if (a->ns_pid)
		jw_int(w, "process.vpid", a->ns_pid);
	if (!a->pod_uid[0] && !a->pod_name[0])
		return;
	jw_str(w, "orchestrator.type", "kubernetes");
	jw_str(w, "orchestrator.resource.type", "pod");
	jw_str_opt(w, "orchestrator.resource.id", a->pod_uid);
	jw_str_opt(w, "orchestrator.resource.name", a->pod_name);
	jw_str_opt(w, "orchestrator.namespace", a->pod_namespace);
}

static void put_process(struct jw *w, const struct alert *a)
{
	char uid[16];

	jw_int(w, "process.pid", a->pid);
	jw_str_opt(w, "process.entity_id", a->entity_id);
	jw_str(w, "process.name", a->comm);
	jw_str(w, "process.executable", a->exe);
	jw_str_opt(w, "process.working_directory", a->cwd);
	ecs_cmdline(w, "process", a->cmd, a->cmd_inner, sizeof(a->cmd_inner));
	jw_int(w, "process.parent.pid", a->ppid);
	jw_str_opt(w, "process.parent.entity_id", a->parent_entity_id);
	jw_str(w, "process.parent.name", a->pcomm);
	jw_str_opt(w, "process.parent.executable", a->pexe);
	jw_str_opt(w, "process.parent.working_directory", a->pcwd);
	ecs_cmdline(w, "process.parent", a->pcmd, a->pcmd_inner, sizeof(a->pcmd_inner));
	if (a->has_uid) {
		snprintf(uid, sizeof(uid), "%u", a->uid);
		jw_str(w, "user.id", uid);
	}
	put_container(w, a);
}

static bool zero(const uint8_t *b, size_t n)
{
	while (n--)
		if (*b++)
			return false;
	return true;
}

static void put_network(struct jw *w, const struct alert *a)
{
	int af = a->peer.family == AF_INET6 ? AF_INET6 : AF_INET;
	char ip[INET6_ADDRSTRLEN];

	if (!a->has_peer)
		return;
	jw_str(w, "network.direction", direction_name(a->direction));
	jw_str(w, "network.type", af == AF_INET6 ? "ipv6" : "ipv4");
	alert_peer_ip(&a->peer, ip, sizeof(ip));
	jw_str(w, "destination.ip", ip);
	jw_int(w, "destination.port", a->peer.pport);
	if (!zero(a->peer.laddr, af == AF_INET6 ? 16 : 4) &&
	    inet_ntop(af, a->peer.laddr, ip, sizeof(ip)))
		jw_str(w, "source.ip", ip);
	if (a->peer.lport)
		jw_int(w, "source.port", a->peer.lport);
}

char *alert_ecs(const struct alert *a, const struct out_ident *id, size_t *len)
{
	char msg[160], ip[INET6_ADDRSTRLEN] = "";
	struct jw w;

	jw_init(&w, "shellwatch.escaped");
	if (a->has_peer)
		alert_peer_ip(&a->peer, ip, sizeof(ip));
	snprintf(msg, sizeof(msg), "remote shell: %s (%s), pid %u%s%s%s", alert_name(a),
		 severity_name(a->severity), a->pid, a->has_peer ? ", remote " : "", ip,
		 a->suppressed_by ? ", suppressed" : "");
	ecs_head(&w, id, a->host, out_wall_now_ns());
	jw_str(&w, "message", msg);
	put_event(&w, a);
	put_rule(&w, a);
	put_threat(&w, a);
	put_process(&w, a);
	put_network(&w, a);
	put_shellwatch_fields(&w, a, "shellwatch.");
	return jw_finish(&w, len);
}
