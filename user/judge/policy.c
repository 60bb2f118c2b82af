/* policy.c: sanctioned servers and exceptions (include/policy.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fnmatch.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "interp.h"
#include "policy.h"

#define MAX_KEYS 8
#define VALUE_MAX 256
#define MAX_ALLOWS 10000     /* allow lines of one policy (each ~2.3 KB): a bigger file is refused */
#define MAX_SERVERS 1000
#define LINE_MAX_LEN 2048

/* Remote-access servers whose accepted connections carry sessions by design. */
static const char *const default_servers[] = {
	"/usr/sbin/sshd", "/usr/local/sbin/sshd", "/usr/lib/openssh/sshd-session",
	"/usr/libexec/openssh/sshd-session", "/usr/lib/openssh/sshd-auth",
	"/usr/sbin/dropbear", "/usr/bin/dropbearmulti", "/usr/sbin/in.telnetd", "/usr/sbin/telnetd",
	"/usr/bin/mosh-server", "/usr/bin/ttyd", "/usr/bin/gotty", "/usr/bin/shellinaboxd",
	"/usr/lib/cockpit/cockpit-session", "/usr/libexec/cockpit-session",
	"/usr/bin/gitlab-runner", NULL,
};

enum key { K_EXE, K_PEXE, K_INTERP, K_CMDLINE, K_USER, K_REMOTE, K_PORT, K_CONTAINER, K_RULE };

static const char *const key_names[] = {
	[K_EXE] = "exe", [K_PEXE] = "parent-exe", [K_INTERP] = "interpreter",
	[K_CMDLINE] = "cmdline", [K_USER] = "user", [K_REMOTE] = "remote", [K_PORT] = "port",
	[K_CONTAINER] = "container", [K_RULE] = "rule",
};

struct cond {
	enum key key;
	char val[VALUE_MAX];
	uint32_t uid;                /* K_USER */
	int family;                  /* K_REMOTE: AF_INET or AF_INET6 */
	uint8_t net[16];
	unsigned prefix;
	unsigned lo, hi;             /* K_PORT */
};

struct allow {
	char where[64];              /* "file:line" */
	unsigned n;
	struct cond c[MAX_KEYS];
};

struct policy {
	char **servers;
	size_t nservers, cap_servers;
	struct allow *allows;
	size_t nallows, cap_allows;
};

/* Room for one more of n items in *v (capacity *cap, doubled when full). */
static int grow(void **v, size_t *cap, size_t n, size_t size)
{
	size_t c = *cap ? *cap * 2 : 16;
	void *nv;

	if (n < *cap)
		return 0;
	if (!(nv = realloc(*v, c * size)))
		return -1;
	*v = nv, *cap = c;
	return 0;
}

static int add_server(struct policy *p, const char *glob, const char **why)
{
	if (p->nservers >= MAX_SERVERS) {
		*why = "more than 1000 server lines";
		return -1;
	}
	if (grow((void **)&p->servers, &p->cap_servers, p->nservers, sizeof(*p->servers)) ||
	    !(p->servers[p->nservers] = strdup(glob))) {
		*why = "out of memory";
		return -1;
	}
	p->nservers++;
	return 0;
}

struct policy *policy_default(void)
{
	struct policy *p = calloc(1, sizeof(*p));
	const char *why;

	for (int i = 0; p && default_servers[i]; i++)
		if (add_server(p, default_servers[i], &why)) {
			policy_free(p);
			return NULL;
		}
	return p;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nservers; i++)
		free(p->servers[i]);
	free(p->servers);
	free(p->allows);
	free(p);
}

/* The next word of *s: bare up to a blank, or quoted with ' or "; copied into out. */
static int take_word(const char **s, char *out, size_t cap, const char **why)
{
	const char *c = *s;
	size_t n = 0;
	char q = 0;

	while (*c == ' ' || *c == '\t')
		c++;
	for (; *c && (q || (*c != ' ' && *c != '\t')); c++) {
		if (!q && (*c == '\'' || *c == '"')) {
			q = *c;
			continue;
		}
		if (q && *c == q) {
			q = 0;
			continue;
		}
		if (n + 1 >= cap) {
			*why = "value too long";
			return -1;
		}
		out[n++] = *c;
	}
	if (q) {
		*why = "unterminated quote";
		return -1;
	}
	out[n] = '\0';
	*s = c;
	return (int)n;
}

static int parse_cidr(struct cond *c, const char **why)
{
	char addr[VALUE_MAX], *slash;
	unsigned max;

	snprintf(addr, sizeof(addr), "%s", c->val);
	slash = strchr(addr, '/');
	if (slash)
		*slash++ = '\0';
	memset(c->net, 0, sizeof(c->net));
	c->family = inet_pton(AF_INET, addr, c->net) == 1 ? AF_INET :
		    inet_pton(AF_INET6, addr, c->net) == 1 ? AF_INET6 : 0;
	max = c->family == AF_INET ? 32 : 128;
	c->prefix = slash ? (unsigned)strtoul(slash, NULL, 10) : max;
	if (!c->family || c->prefix > max || (slash && !isdigit((unsigned char)*slash))) {
		*why = "remote= takes an address or CIDR network (10.0.0.0/8, ::1)";
		return -1;
	}
	return 0;
}

static int parse_value(struct cond *c, const char **why)
{
	char *end;

	switch (c->key) {
	case K_USER: {
		struct passwd *pw = getpwnam(c->val);
		unsigned long u = strtoul(c->val, &end, 10);

		if (pw)
			c->uid = pw->pw_uid;
		else if (*c->val && !*end)
			c->uid = (uint32_t)u;
		else {
			*why = "user= takes a user name known here or a uid";
			return -1;
		}
		return 0;
	}
	case K_REMOTE:
		return parse_cidr(c, why);
	case K_PORT:
		c->lo = (unsigned)strtoul(c->val, &end, 10);
		c->hi = *end == '-' ? (unsigned)strtoul(end + 1, &end, 10) : c->lo;
		if (end == c->val || *end || c->lo > c->hi || c->hi > 65535) {
			*why = "port= takes a port or a range N-M";
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

/* key=value: the key's index and the value parsed into c. */
static int parse_cond(const char **s, struct cond *c, const char **why)
{
	char word[VALUE_MAX + 32], *eq;
	size_t k;

	if (take_word(s, word, sizeof(word), why) < 0)
		return -1;
	eq = strchr(word, '=');
	if (!eq || eq == word) {
		*why = "expected key=value";
		return -1;
	}
	*eq = '\0';
	for (k = 0; k < sizeof(key_names) / sizeof(key_names[0]); k++)
		if (!strcmp(word, key_names[k]))
			break;
	if (k == sizeof(key_names) / sizeof(key_names[0])) {
		*why = "unknown key (exe, parent-exe, interpreter, cmdline, user, remote, port, "
		       "container, rule)";
		return -1;
	}
	c->key = (enum key)k;
	snprintf(c->val, sizeof(c->val), "%s", eq + 1);
	return parse_value(c, why);
}

static int parse_allow(struct policy *p, const char *s, const char *where, const char **why)
{
	struct allow a = { .n = 0 };

	snprintf(a.where, sizeof(a.where), "%s", where);
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (a.n == MAX_KEYS) {
			*why = "too many keys on one line";
			return -1;
		}
		if (parse_cond(&s, &a.c[a.n++], why))
			return -1;
	}
	if (!a.n) {
		*why = "allow needs at least one key=value";
		return -1;
	}
	if (p->nallows >= MAX_ALLOWS) {
		*why = "more than 10000 allow lines";
		return -1;
	}
	if (grow((void **)&p->allows, &p->cap_allows, p->nallows, sizeof(*p->allows))) {
		*why = "out of memory";
		return -1;
	}
	p->allows[p->nallows++] = a;
	return 0;
}

static int parse_line(struct policy *p, char *line, const char *where, const char **why)
{
	char word[VALUE_MAX];
	const char *s = line;

	line[strcspn(line, "\r\n")] = '\0';
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#')
		return 0;
	if (take_word(&s, word, sizeof(word), why) < 0)
		return -1;
	if (!strcmp(word, "server")) {
		if (take_word(&s, word, sizeof(word), why) <= 0 || word[0] != '/') {
			*why = *why ? *why : "server takes an absolute path (a glob)";
			return -1;
		}
		return add_server(p, word, why);
	}
	if (!strcmp(word, "allow"))
		return parse_allow(p, s, where, why);
	*why = "expected 'server PATH' or 'allow key=value ...'";
	return -1;
}

struct policy *policy_load(const char *path, char *whybuf, size_t len)
{
	struct policy *p = policy_default();
	FILE *f = fopen(path, "r");
	char *line = NULL, where[64];
	size_t cap = 0;
	ssize_t got;
	const char *why = NULL;
	unsigned n = 0;

	if (!f || !p) {
		snprintf(whybuf, len, "%s: %s", path, f ? "out of memory" : strerror(errno));
		goto fail;
	}
	while ((got = getline(&line, &cap, f)) > 0) {
		n++;
		snprintf(where, sizeof(where), "%s:%u", path, n);
		if (memchr(line, '\0', (size_t)got))
			why = "NUL byte in the line";
		else if (got > LINE_MAX_LEN)
			why = "line too long (more than 2048 bytes)";
		if (why || parse_line(p, line, where, &why)) {
			snprintf(whybuf, len, "%s:%u: %s", path, n, why ? why : "bad line");
			goto fail;
		}
	}
	free(line);
	fclose(f);
	return p;
fail:
	free(line);
	if (f)
		fclose(f);
	policy_free(p);
	return NULL;
}

bool policy_sanctioned(const struct policy *p, const char *exe)
{
	for (size_t i = 0; p && exe && exe[0] && i < p->nservers; i++)
		if (!fnmatch(p->servers[i], exe, 0))
			return true;
	return false;
}

static bool in_net(const struct cond *c, const struct alert *a)
{
	unsigned bits = c->prefix, i;

	if (!a->has_peer || a->peer.family != c->family)
		return false;
	for (i = 0; bits >= 8; i++, bits -= 8)
		if (a->peer.paddr[i] != c->net[i])
			return false;
	return !bits || ((a->peer.paddr[i] ^ c->net[i]) & (0xff << (8 - bits))) == 0;
}

static bool cond_holds(const struct cond *c, const struct alert *a, const char *pexe)
{
	switch (c->key) {
	case K_EXE: return !fnmatch(c->val, a->exe, 0);
	case K_PEXE: return pexe && !fnmatch(c->val, pexe, 0);
	case K_INTERP: return !fnmatch(c->val, a->interp, 0);
	case K_CMDLINE: return !fnmatch(c->val, a->cmd, 0);
	case K_USER: return a->has_uid && a->uid == c->uid;
	case K_REMOTE: return in_net(c, a);
	case K_PORT: return a->has_peer && a->peer.pport >= c->lo && a->peer.pport <= c->hi;
	case K_CONTAINER: return !fnmatch(c->val, a->container, 0);
	case K_RULE: return !fnmatch(c->val, alert_name(a), 0);
	}
	return false;
}

const char *policy_allows(const struct policy *p, const struct alert *a, const char *pexe)
{
	for (size_t i = 0; p && i < p->nallows; i++) {
		unsigned k = 0;

		while (k < p->allows[i].n && cond_holds(&p->allows[i].c[k], a, pexe))
			k++;
		if (k == p->allows[i].n)
			return p->allows[i].where;
	}
	return NULL;
}

size_t policy_rules(const struct policy *p)
{
	return p ? p->nallows : 0;
}
