/* ctr_probe.c: the container library on live data, for the shell tests beside it (built as
 * build/tests/ctr_probe by mk/containers.mk; not a test_* program, so tests/run does not run it
 * alone).
 *   ctr_probe cgroup PID
 *       What /proc/PID/cgroup says, three ways, one line each: "file RUNTIME ID POD" (the whole
 *       file, ctr_from_proc_cgroup), "v2 RUNTIME ID POD" (the last three names of the unified
 *       line, as the kernel side reads them), "v1 RUNTIME ID POD" (the same of the first v1
 *       line); "-" for an empty field. Exit 0 when the file names a container.
 *   ctr_probe meta RUNTIME SOCKET ID [WAIT_MS]
 *       Asks RUNTIME (docker or podman) on SOCKET about container ID through ctr_meta, waiting at
 *       most WAIT_MS (5000) for the answer: "known NAME IMAGE POD NAMESPACE", "none" or
 *       "pending", then "# stats ...". Exit 0 known, 1 none, 2 pending or usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "container.h"
#include "ctr_meta.h"

static const char *dash(const char *s)
{
	return s && s[0] ? s : "-";
}

static void show(const char *what, bool found, const struct ctr_ref *c)
{
	printf("%s %s %s %s\n", what, found ? ctr_runtime_name(c->runtime) : "none", dash(c->id),
	       dash(c->pod_uid));
}

/* The last three names of the path in line (after "N:controllers:"), as the kernel side gives. */
static bool names_of_line(char *line, struct ctr_ref *c)
{
	char *p = strchr(line, ':'), *end;
	const char *names[CTR_NAME_DEPTH] = { "", "", "" };

	p = p ? strchr(p + 1, ':') : NULL;
	if (!p)
		return ctr_from_cgroup_names(names, c);
	end = p + strlen(p);
	for (int i = 0; i < CTR_NAME_DEPTH && end > p + 1; i++) {
		char *b = end;

		while (b > p + 1 && b[-1] != '/')
			b--;
		*end = '\0';
		names[i] = b;
		end = b > p + 1 ? b - 1 : b;
	}
	return ctr_from_cgroup_names(names, c);
}

static int cmd_cgroup(const char *pid)
{
	char path[64], text[8192], *line, *save = NULL;
	char v2[1024] = "", v1[1024] = "";
	struct ctr_ref c;
	size_t n;
	bool found;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	if (!(f = fopen(path, "r"))) {
		perror(path);
		return 2;
	}
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	found = ctr_from_proc_cgroup(text, &c);
	show("file", found, &c);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, "0::", 3))
			snprintf(v2, sizeof(v2), "%s", line);
		else if (!v1[0])
			snprintf(v1, sizeof(v1), "%s", line);
	}
	show("v2", v2[0] && names_of_line(v2, &c), &c);
	show("v1", v1[0] && names_of_line(v1, &c), &c);
	return found ? 0 : 1;
}

static int cmd_meta(const char *rt_name, const char *sock, const char *id, unsigned wait_ms)
{
	enum ctr_runtime rt = ctr_runtime_parse(rt_name);
	struct ctr_meta_opts o = ctr_meta_opts_default();
	struct ctr_meta_info info;
	struct ctr_meta_stats st;
	enum ctr_meta_state s;
	struct ctr_meta *m;
	struct timespec t0, t;

	if (rt != CTR_DOCKER && rt != CTR_PODMAN) {
		fprintf(stderr, "ctr_probe: runtime docker or podman\n");
		return 2;
	}
	snprintf(rt == CTR_DOCKER ? o.docker_socket : o.podman_socket, CTR_META_SOCK_MAX, "%s", sock);
	if (!(m = ctr_meta_new(&o))) {
		perror("ctr_meta_new");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		uint64_t gen = ctr_meta_generation(m);
		long el;

		s = ctr_meta_lookup(m, rt, id, &info);
		clock_gettime(CLOCK_MONOTONIC, &t);
		el = (t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000;
		if (s != CTR_META_PENDING || el >= (long)wait_ms)
			break;
		ctr_meta_wait(m, gen, wait_ms - (unsigned)el);
	}
	if (s == CTR_META_KNOWN)
		printf("known %s %s %s %s\n", dash(info.name), dash(info.image), dash(info.pod_name),
		       dash(info.pod_namespace));
	else
		printf("%s\n", s == CTR_META_NONE ? "none" : "pending");
	ctr_meta_stats(m, &st);
	printf("# stats lookups=%llu queued=%llu answered=%llu not_found=%llu bad_response=%llu "
	       "unreachable=%llu skipped=%llu\n", (unsigned long long)st.lookups,
	       (unsigned long long)st.queued, (unsigned long long)st.answered,
	       (unsigned long long)st.not_found, (unsigned long long)st.bad_response,
	       (unsigned long long)st.unreachable, (unsigned long long)st.skipped);
	ctr_meta_free(m);
	return s == CTR_META_KNOWN ? 0 : s == CTR_META_NONE ? 1 : 2;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "cgroup"))
		return cmd_cgroup(argv[2]);
	if ((argc == 5 || argc == 6) && !strcmp(argv[1], "meta"))
		return cmd_meta(argv[2], argv[3], argv[4],
				argc == 6 ? (unsigned)strtoul(argv[5], NULL, 10) : 5000);
	fprintf(stderr, "usage: ctr_probe cgroup PID | ctr_probe meta docker|podman SOCKET ID "
		"[WAIT_MS]\n");
	return 2;
}
