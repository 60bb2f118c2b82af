/* cgroup_name.c: the container a process runs in, from the names of its cgroup directories
 * (include/container.h). Why names: every common runtime names the cgroup it makes for a
 * container after the container's id, so the kernel side only has to read a few directory names
 * at exec, and no runtime has to be asked on the alert path. The layouts recognised, each with a
 * table test in tests/unit/test_container.c, are listed in docs/containers.md.
 *
 * A name is looked at with its parent's name as context (a bare 64-hex name's runtime is its
 * parent's: "docker", "pod<uid>"); the innermost name that is a container's wins, and its
 * Kubernetes pod uid is looked for in the names above it. Everything works on (pointer, length)
 * slices, so names, paths and /proc/PID/cgroup lines share one matcher without copies. */
#include <stddef.h>
#include <string.h>
#include "container.h"

#define NAME_MAX_LEN 255   /* a cgroup directory name is a file name */
#define PATH_DEPTH   64    /* components of a path looked at (the innermost ones) */

struct slice {
	const char *s;
	size_t n;
};

/* Names that carry the id between a prefix and a suffix; the suffix "" is cgroupfs's. Conmon's
 * scopes (libpod-conmon-<id>.scope, crio-conmon-<id>.scope) never match: "conmon-..." is not hex. */
static const struct {
	const char *prefix, *suffix;
	enum ctr_runtime rt;
} wrapped[] = {
	{ "docker-", ".scope", CTR_DOCKER },                 /* systemd driver, also dockershim */
	{ "libpod-", ".scope", CTR_PODMAN },                 /* podman, systemd manager */
	{ "libpod-", "", CTR_PODMAN },                       /* podman, cgroupfs manager */
	{ "cri-containerd-", ".scope", CTR_CONTAINERD },     /* containerd CRI, SystemdCgroup */
	{ "nerdctl-", ".scope", CTR_CONTAINERD },            /* nerdctl, systemd manager */
	{ "crio-", ".scope", CTR_CRIO },                     /* CRI-O, systemd manager */
	{ "crio-", "", CTR_CRIO },                           /* CRI-O, cgroupfs manager */
};

static const char *const runtime_names[] = {
	[CTR_NONE] = "", [CTR_DOCKER] = "docker", [CTR_PODMAN] = "podman",
	[CTR_CONTAINERD] = "containerd", [CTR_CRIO] = "cri-o", [CTR_OTHER] = "other",
};

const char *ctr_runtime_name(enum ctr_runtime r)
{
	return (unsigned)r < sizeof(runtime_names) / sizeof(runtime_names[0]) ? runtime_names[r] : "";
}

enum ctr_runtime ctr_runtime_parse(const char *name)
{
	for (unsigned r = CTR_NONE + 1; r < sizeof(runtime_names) / sizeof(runtime_names[0]); r++)
		if (name && !strcmp(name, runtime_names[r]))
			return (enum ctr_runtime)r;
	return CTR_NONE;
}

static bool is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool eq(struct slice a, const char *lit)
{
	return a.n == strlen(lit) && !memcmp(a.s, lit, a.n);
}

static bool starts(struct slice a, const char *lit)
{
	size_t l = strlen(lit);

	return a.n >= l && !memcmp(a.s, lit, l);
}

static bool ends(struct slice a, const char *lit)
{
	size_t l = strlen(lit);

	return a.n >= l && !memcmp(a.s + a.n - l, lit, l);
}

/* A pod uid: 36 chars 8-4-4-4-12 with '-' (cgroupfs) or '_' (systemd slices, which reserve '-'),
 * or 32 hex digits (the uid kubelet gives a static pod is a hash). Written with dashes. */
static bool pod_uid(struct slice u, char out[CTR_POD_UID_LEN + 1])
{
	char t[CTR_POD_UID_LEN + 1];

	if (u.n == 32 && is_hex(u.s, u.n)) {
		memcpy(out, u.s, u.n);
		out[u.n] = '\0';
		return true;
	}
	if (u.n != CTR_POD_UID_LEN)
		return false;
	for (size_t i = 0; i < u.n; i++) {
		bool sep = i == 8 || i == 13 || i == 18 || i == 23;

		if (sep ? u.s[i] != '-' && u.s[i] != '_' : !is_hex(u.s + i, 1))
			return false;
		t[i] = sep ? '-' : u.s[i];
	}
	memcpy(out, t, u.n);
	out[u.n] = '\0';
	return true;
}

/* The pod uid a name carries: "pod<uid>" (cgroupfs) or "kubepods[-<qos>]-pod<uid_>.slice"
 * (systemd; also under kind's "kubelet-kubepods-..."). */
static bool pod_of(struct slice n, char out[CTR_POD_UID_LEN + 1])
{
	if (starts(n, "pod"))
		return pod_uid((struct slice){ n.s + 3, n.n - 3 }, out);
	if (!ends(n, ".slice") || !memmem(n.s, n.n, "kubepods", 8))
		return false;
	n.n -= 6;
	for (size_t i = n.n; i >= 4; i--)   /* the last "-pod" */
		if (!memcmp(n.s + i - 4, "-pod", 4))
			return pod_uid((struct slice){ n.s + i, n.n - i }, out);
	return false;
}

/* The runtime whose container the name is, given its parent's name (NULL: the root, or not
 * known), and its id; CTR_NONE when it is none. */
static enum ctr_runtime container_of(struct slice n, const struct slice *parent,
				     char id[CTR_ID_LEN + 1])
{
	enum ctr_runtime rt = CTR_NONE;

	if (n.n == CTR_ID_LEN && is_hex(n.s, n.n)) {
		char uid[CTR_POD_UID_LEN + 1];

		rt = CTR_OTHER;
		if (parent && eq(*parent, "docker"))
			rt = CTR_DOCKER;    /* cgroupfs driver; also docker in docker */
		else if (parent && starts(*parent, "pod") && pod_of(*parent, uid))
			rt = CTR_CONTAINERD;   /* kubelet with cgroupfs: containerd (dockershim was
						* the other, removed in Kubernetes 1.24) */
		memcpy(id, n.s, CTR_ID_LEN);
	} else {
		for (size_t i = 0; i < sizeof(wrapped) / sizeof(wrapped[0]); i++) {
			size_t p = strlen(wrapped[i].prefix), s = strlen(wrapped[i].suffix);

			if (n.n == p + CTR_ID_LEN + s && starts(n, wrapped[i].prefix) &&
			    ends(n, wrapped[i].suffix) && is_hex(n.s + p, CTR_ID_LEN)) {
				rt = wrapped[i].rt;
				memcpy(id, n.s + p, CTR_ID_LEN);
				break;
			}
		}
	}
	id[rt == CTR_NONE ? 0 : CTR_ID_LEN] = '\0';
	return rt;
}

/* names[0] innermost, each next one the previous one's parent. */
static bool match(const struct slice *names, size_t n, struct ctr_ref *out)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n; i++) {
		out->runtime = container_of(names[i], i + 1 < n ? &names[i + 1] : NULL, out->id);
		if (out->runtime == CTR_NONE)
			continue;
		for (size_t j = i + 1; j < n; j++)
			if (pod_of(names[j], out->pod_uid))
				break;
		return true;
	}
	return false;
}

bool ctr_from_cgroup_names(const char *const names[CTR_NAME_DEPTH], struct ctr_ref *out)
{
	struct slice s[CTR_NAME_DEPTH];
	size_t n = 0;

	/* Stop at the first absent name: the root's. */
	while (n < CTR_NAME_DEPTH && names[n] && names[n][0]) {
		s[n] = (struct slice){ names[n], strnlen(names[n], NAME_MAX_LEN + 1) };
		n++;
	}
	return match(s, n, out);
}

/* A path or a /proc/PID/cgroup line of n bytes (a newline ends it too). */
static bool path_ref(const char *p, size_t n, struct ctr_ref *out)
{
	struct slice s[PATH_DEPTH];
	size_t k = 0;
	const char *end = memchr(p, '\n', n);

	if (end)
		n = (size_t)(end - p);
	if (n && p[0] != '/') {   /* "hierarchy-id:controllers:path" */
		const char *c1 = memchr(p, ':', n);
		const char *c2 = c1 ? memchr(c1 + 1, ':', n - (size_t)(c1 + 1 - p)) : NULL;

		if (!c2) {
			memset(out, 0, sizeof(*out));
			return false;
		}
		n -= (size_t)(c2 + 1 - p);
		p = c2 + 1;
	}
	/* Components from the innermost out; deeper than PATH_DEPTH keeps the innermost. */
	for (size_t e = n; e > 0 && k < PATH_DEPTH;) {
		size_t b = e;

		while (b > 0 && p[b - 1] != '/')
			b--;
		if (e > b)
			s[k++] = (struct slice){ p + b, e - b };
		e = b ? b - 1 : 0;
	}
	return match(s, k, out);
}

bool ctr_from_cgroup_path(const char *path, struct ctr_ref *out)
{
	return path_ref(path, strlen(path), out);
}

bool ctr_from_proc_cgroup(const char *text, struct ctr_ref *out)
{
	/* Pass 0: the unified hierarchy's line; pass 1: the v1 lines in order. */
	for (int pass = 0; pass < 2; pass++)
		for (const char *l = text; *l;) {
			const char *nl = strchr(l, '\n');
			size_t n = nl ? (size_t)(nl - l) : strlen(l);
			bool v2 = n >= 3 && !memcmp(l, "0::", 3);

			if (v2 == (pass == 0) && path_ref(l, n, out))
				return true;
			l += n + (nl ? 1 : 0);
		}
	memset(out, 0, sizeof(*out));
	return false;
}
