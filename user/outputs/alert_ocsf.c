/* alert_ocsf.c: an alert as an OCSF 1.1 Detection Finding (class_uid 2004, category Findings,
 * activity Create) with the host profile: finding_info (the rule as analytic, the MITRE ATT&CK
 * attacks), severity_id and confidence_id from the severity, device (this host), actor (the
 * parent process that started it, and the user), and one evidence with the process, its
 * connection_info and both endpoints. What OCSF has no attribute for is under unmapped. */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "attack.h"
#include "jsonw.h"
#include "outfmt.h"
#include "swfields_priv.h"

static const char *const sev_caption[] = { "Unknown", "Low", "Medium", "High" };

static void put_class(struct jw *w, const struct alert *a, uint64_t ms)
{
	/* severity_id: 2 Low, 3 Medium, 4 High; confidence_id: 1 Low, 2 Medium, 3 High */
	int s = a->severity <= SEV_HIGH ? (int)a->severity : 0;

	jw_int(w, "activity_id", 1);
	jw_str(w, "activity_name", "Create");
	jw_int(w, "category_uid", 2);
	jw_str(w, "category_name", "Findings");
	jw_int(w, "class_uid", 2004);
	jw_str(w, "class_name", "Detection Finding");
	jw_int(w, "type_uid", 200401);
	jw_str(w, "type_name", "Detection Finding: Create");
	jw_int(w, "time", (int64_t)ms);
	jw_int(w, "severity_id", s ? s + 1 : 0);
	jw_str(w, "severity", sev_caption[s]);
	jw_int(w, "confidence_id", s);
	jw_str(w, "confidence", sev_caption[s]);
	jw_int(w, "risk_score", (int64_t)alert_risk_score(a));
	jw_int(w, "status_id", a->suppressed_by ? 3 : 1);
	jw_str(w, "status", a->suppressed_by ? "Suppressed" : "New");
}

static void put_metadata(struct jw *w, const struct alert *a)
{
	static const char *const profiles[1] = { "host" };
	char uid[24];

	snprintf(uid, sizeof(uid), "%u", a->id);
	jw_str(w, "metadata.version", OCSF_VERSION);
	jw_str(w, "metadata.product.name", "shellwatch");
	jw_str(w, "metadata.product.vendor_name", "shellwatch");
	jw_str(w, "metadata.product.version", SW_VERSION);
	jw_strs(w, "metadata.profiles", profiles, 1);
	jw_str(w, "metadata.log_name", "alert");
	jw_str(w, "metadata.uid", uid);
}

static json_object *ref(const char *uid, const char *name)
{
	json_object *o = json_object_new_object();
	char url[80];

	attack_url(uid, url, sizeof(url));
	json_object_object_add(o, "uid", json_object_new_string(uid));
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "src_url", json_object_new_string(url));
	return o;
}

static json_object *attacks(const struct alert *a)
{
	struct attack_ref t[ATTACK_MAX];
	unsigned n = alert_attacks(a, t);
	json_object *arr = json_object_new_array();

	for (unsigned i = 0; i < n; i++) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "version", json_object_new_string(ATTACK_VERSION));
		json_object_object_add(o, "tactic", ref(t[i].tactic_id, t[i].tactic_name));
		if (t[i].parent_id) {
			json_object_object_add(o, "technique", ref(t[i].parent_id, t[i].parent_name));
			json_object_object_add(o, "sub_technique", ref(t[i].id, t[i].name));
		} else {
			json_object_object_add(o, "technique", ref(t[i].id, t[i].name));
		}
		json_object_array_add(arr, o);
	}
	return arr;
}

static void put_finding(struct jw *w, const struct alert *a, uint64_t ms)
{
	static const char *const types[1] = { "Remote Shell" };
	char uid[64], rid[24];

	if (a->entity_id[0])
		snprintf(uid, sizeof(uid), "%s:%u", a->entity_id, a->id);
	else
		snprintf(uid, sizeof(uid), "pid-%u:%u", a->pid, a->id);
	jw_str(w, "finding_info.uid", uid);
	jw_str(w, "finding_info.title", alert_name(a));
	jw_str(w, "finding_info.desc", alert_rule_desc(a));
	jw_strs(w, "finding_info.types", types, 1);
	jw_int(w, "finding_info.created_time", (int64_t)ms);
	jw_str(w, "finding_info.analytic.uid", alert_rule_id(a, rid, sizeof(rid)));
	jw_str(w, "finding_info.analytic.name", alert_name(a));
	jw_int(w, "finding_info.analytic.type_id", 1);
	jw_str(w, "finding_info.analytic.type", "Rule");
	jw_put(w, "finding_info.attacks", attacks(a));
}

/* A process object at path: pid, uid (the entity id), name, cmd_line, file. */
static void put_proc(struct jw *w, const char *path, uint32_t pid, const char *eid,
		     const char *name, const char *cmd, const char *exe)
{
	const char *base = strrchr(exe, '/');
	char p[80];

#define AT(field) (snprintf(p, sizeof(p), "%s.%s", path, field), p)
	jw_int(w, AT("pid"), pid);
	jw_str_opt(w, AT("uid"), eid);
	jw_str_opt(w, AT("name"), name);
	jw_str_opt(w, AT("cmd_line"), cmd);
	if (exe[0]) {
		jw_str(w, AT("file.path"), exe);
		jw_str(w, AT("file.name"), base ? base + 1 : exe);
		jw_int(w, AT("file.type_id"), 1);
		jw_str(w, AT("file.type"), "Regular File");
	}
#undef AT
}

static void put_actor(struct jw *w, const struct alert *a, const struct out_ident *id)
{
	char uid[16];
	const char *host = a->host[0] ? a->host : id->hostname;

	jw_int(w, "device.type_id", 0);
	jw_str(w, "device.type", "Unknown");
	jw_str_opt(w, "device.hostname", host);
	jw_str_opt(w, "device.uid", id->machine_id);
	put_proc(w, "actor.process", a->ppid, a->parent_entity_id, a->pcomm, a->pcmd, a->pexe);
	if (a->has_uid) {
		snprintf(uid, sizeof(uid), "%u", a->uid);
		jw_str(w, "actor.user.uid", uid);
	}
}

static void put_endpoints(struct jw *w, const struct alert *a)
{
	int af = a->peer.family == AF_INET6 ? AF_INET6 : AF_INET;
	int dir = a->direction == DIR_INBOUND ? 1 : a->direction == DIR_OUTBOUND ? 2 : 0;
	static const char *const dirs[] = { "Unknown", "Inbound", "Outbound" };
	char ip[INET6_ADDRSTRLEN];

	jw_int(w, "connection_info.direction_id", dir);
	jw_str(w, "connection_info.direction", dirs[dir]);
	alert_peer_ip(&a->peer, ip, sizeof(ip));
	jw_str(w, "dst_endpoint.ip", ip);
	jw_int(w, "dst_endpoint.port", a->peer.pport);
	if (a->peer.lport && inet_ntop(af, a->peer.laddr, ip, sizeof(ip))) {
		jw_str(w, "src_endpoint.ip", ip);
		jw_int(w, "src_endpoint.port", a->peer.lport);
	}
}

/* The one evidence: the process (with its parent and user) and the connection behind it. */
static void put_evidence(struct jw *w, const struct alert *a)
{
	json_object *arr = json_object_new_array();
	struct jw e;
	char uid[16];

	jw_init(&e, NULL);
	put_proc(&e, "process", a->pid, a->entity_id, a->comm, a->cmd, a->exe);
	put_proc(&e, "process.parent_process", a->ppid, a->parent_entity_id, a->pcomm, a->pcmd,
		 a->pexe);
	if (a->has_uid) {
		snprintf(uid, sizeof(uid), "%u", a->uid);
		jw_str(&e, "process.user.uid", uid);
	}
	jw_str_opt(&e, "process.container.uid", a->container);
	jw_str_opt(&e, "process.container.name", a->ctr_name);
	jw_str_opt(&e, "process.container.runtime", a->ctr_runtime);
	jw_str_opt(&e, "process.container.image.name", a->ctr_image);
	jw_str_opt(&e, "process.container.pod_uuid", a->pod_uid);
	if (a->has_peer)
		put_endpoints(&e, a);
	json_object_array_add(arr, jw_adopt(w, "evidences", &e));
	jw_put(w, "evidences", arr);
}

/* shellwatch's own fields (swfields.c), the alert's id, and the working directories: OCSF 1.1's
 * process object has none. */
static void put_unmapped(struct jw *w, const struct alert *a)
{
	jw_int(w, "unmapped.shellwatch.alert_id", a->id);
	put_shellwatch_fields(w, a, "unmapped.shellwatch.");
	jw_str_opt(w, "unmapped.shellwatch.working_directory", a->cwd);
	jw_str_opt(w, "unmapped.shellwatch.parent_working_directory", a->pcwd);
}

char *alert_ocsf(const struct alert *a, const struct out_ident *id, size_t *len)
{
	uint64_t ms = out_wall_now_ns() / 1000000ull;
	char msg[160];
	struct jw w;

	jw_init(&w, "unmapped.shellwatch.escaped");
	snprintf(msg, sizeof(msg), "remote shell: %s (%s), pid %u", alert_name(a),
		 severity_name(a->severity), a->pid);
	put_class(&w, a, ms);
	jw_str(&w, "message", msg);
	put_metadata(&w, a);
	put_finding(&w, a, ms);
	put_actor(&w, a, id);
	put_evidence(&w, a);
	put_unmapped(&w, a);
	return jw_finish(&w, len);
}
