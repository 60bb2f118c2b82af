/* attack.c: rule ids and descriptions, MITRE ATT&CK techniques, severity and risk scores of an
 * alert, shared by the ECS and OCSF writers (include/attack.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "attack.h"
#include "interp.h"
#include "signals.h"

static const struct rule_row {
	const char *name, *id, *desc;
} rules[] = {
	{ "reverse-shell", "SW-1001", "a process connected out, put the socket on its stdio and exec'd a program" },
	{ "reverse-shell-chain", "SW-1002", "a process connected out and chained the socket onto stdio through another fd before an exec" },
	{ "reverse-shell-copy", "SW-1003", "a process connected out and copied the socket onto stdio before an exec" },
	{ "reverse-shell-relay", "SW-1004", "a process connected out and a child exec'd with the socket on its stdio" },
	{ "bind-shell", "SW-1011", "a process accepted a connection, put it on its stdio and exec'd a program" },
	{ "bind-shell-chain", "SW-1012", "a process accepted a connection and chained it onto stdio through another fd before an exec" },
	{ "bind-shell-copy", "SW-1013", "a process accepted a connection and copied it onto stdio before an exec" },
	{ "bind-shell-relay", "SW-1014", "a process accepted a connection and a child exec'd with it on its stdio" },
	{ "stdio-socket", "SW-2001", "a program was exec'd with an inet connection on its standard input or output" },
	{ "parent-stdio-socket", "SW-2002", "a program's parent or grandparent has an inet connection on its stdio and relays it" },
	{ "pipe-relay", "SW-2003", "a program's stdin and output are relayed through pipes by processes holding inet connections" },
	{ "socket-relay", "SW-2004", "a program's parent holds an inet connection and relays it through pipes or a terminal" },
	{ "suspicious-command", "SW-3001", "a command line scored as malicious by the shell-language model" },
};

static const struct rule_row *rule_row(const char *name)
{
	for (size_t i = 0; i < sizeof(rules) / sizeof(rules[0]); i++)
		if (!strcmp(rules[i].name, name))
			return &rules[i];
	return NULL;
}

const char *alert_rule_id(const struct alert *a, char *buf, size_t len)
{
	const char *name = alert_name(a);
	const struct rule_row *r = rule_row(name);
	uint32_t h = 2166136261u;   /* FNV-1a 32 */

	if (r)
		return r->id;
	for (const char *c = name; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	snprintf(buf, len, "SW-X%08x", h);
	return buf;
}

const char *alert_rule_desc(const struct alert *a)
{
	const struct rule_row *r = rule_row(alert_name(a));

	return r ? r->desc : "a rule of the --rules file matched the process's events";
}

#define EXEC "TA0002", "Execution"
#define C2 "TA0011", "Command and Control"
#define T1059 "T1059", "Command and Scripting Interpreter"

static const struct attack_ref t_shell = { "T1059.004", "Unix Shell", T1059, EXEC };
static const struct attack_ref t_python = { "T1059.006", "Python", T1059, EXEC };
static const struct attack_ref t_js = { "T1059.007", "JavaScript", T1059, EXEC };
static const struct attack_ref t_interp = { T1059, NULL, NULL, EXEC };
static const struct attack_ref t_raw = { "T1095", "Non-Application Layer Protocol", NULL, NULL, C2 };
static const struct attack_ref t_port = { "T1571", "Non-Standard Port", NULL, NULL, C2 };

static const struct attack_ref *interp_attack(const struct alert *a)
{
	const char *n = a->interp[0] ? a->interp : a->comm;

	switch (interp_of(n, strlen(n))) {
	case INTERP_SHELL: case INTERP_LAUNCHER: case INTERP_BUSYBOX: return &t_shell;
	case INTERP_PYTHON: return &t_python;
	case INTERP_NODE: return &t_js;
	case INTERP_NONE: return NULL;
	default: return &t_interp;   /* perl, ruby, php, lua, awk, tcl: no sub-technique */
	}
}

/* Ports whose own protocol is a remote shell (ssh, telnet, rexec/rlogin/rsh, telnets): a shell
 * there uses the port for what it is meant for. */
static bool shell_port(unsigned p)
{
	return p == 22 || p == 23 || (p >= 512 && p <= 514) || p == 992;
}

unsigned alert_attacks(const struct alert *a, struct attack_ref *out)
{
	const struct attack_ref *t = interp_attack(a);
	unsigned n = 0;

	if (t)
		out[n++] = *t;
	if (a->has_peer) {
		out[n++] = t_raw;
		if (!shell_port(a->peer.pport))
			out[n++] = t_port;
	}
	if (!n)
		out[n++] = t_interp;
	return n;
}

void attack_url(const char *id, char *buf, size_t len)
{
	const char *dot = strchr(id, '.');

	if (!strncmp(id, "TA", 2))
		snprintf(buf, len, "https://attack.mitre.org/tactics/%s/", id);
	else if (dot)
		snprintf(buf, len, "https://attack.mitre.org/techniques/%.*s/%s/", (int)(dot - id), id,
			 dot + 1);
	else
		snprintf(buf, len, "https://attack.mitre.org/techniques/%s/", id);
}

int alert_severity_score(enum severity s)
{
	static const int score[] = { 0, 21, 47, 73 };

	return (unsigned)s < 4 ? score[s] : 0;
}

/* The strength of each signal, by name, from the judge's table (signals_doc): network,
 * identity, suspects or pattern. */
static struct { char name[40]; char kind; } strength[32];

static void load_strengths(void)
{
	char *doc = NULL, *line, *save = NULL;
	size_t len = 0, n = 0;
	FILE *f = open_memstream(&doc, &len);

	if (!f)
		return;
	signals_doc(f);
	fclose(f);
	for (line = strtok_r(doc, "\n", &save); line && n < 32; line = strtok_r(NULL, "\n", &save)) {
		char *b = strchr(line, '`'), *e = b ? strchr(b + 1, '`') : NULL;
		char *end = line + strlen(line), *k;

		while (end > line && (end[-1] == ' ' || end[-1] == '|'))
			*--end = '\0';
		k = strrchr(line, ' ');
		if (!b || !e || !k || (size_t)(e - b - 1) >= sizeof(strength[0].name))
			continue;
		memcpy(strength[n].name, b + 1, (size_t)(e - b - 1));
		strength[n++].kind = k[1];
	}
	free(doc);
}

static void count_signal(void *ctx, const char *name)
{
	unsigned *c = ctx;

	for (size_t i = 0; i < 32 && strength[i].name[0]; i++) {
		if (strcmp(strength[i].name, name))
			continue;
		switch (strength[i].kind) {
		case 'n': c[0]++; break;
		case 'p': c[1]++; break;
		case 'i': c[2]++; break;
		}
		return;
	}
}

double alert_risk_score(const struct alert *a)
{
	unsigned c[3] = { 0 };     /* network, pattern, identity */
	double best = a->score > a->pscore ? a->score : a->pscore, extra;
	double cap = a->severity == SEV_HIGH ? 26 : a->severity ? 25 : 20;

	if (!strength[0].name[0])
		load_strengths();
	signals_each(a->signals, count_signal, c);
	extra = 6.0 * (c[0] < 2 ? c[0] : 2) + 6.0 * (c[1] ? 1 : 0) + 3.0 * (c[2] < 2 ? c[2] : 2) +
		(best > 0 ? 4.0 * best : 0);
	if (extra > cap)
		extra = cap;
	return (double)alert_severity_score(a->severity) + (double)(int)(extra + 0.5);
}
