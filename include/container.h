/* container.h: which container a process runs in, from the names of its cgroup directories
 * (user/containers/cgroup_name.c; the layouts are in docs/containers.md).
 *
 * Container runtimes name the cgroup they create for a container after its id: systemd-managed
 * ones a scope (`docker-<id>.scope`, `libpod-<id>.scope`, `cri-containerd-<id>.scope`,
 * `crio-<id>.scope`), cgroupfs-managed ones a directory (`/docker/<id>`,
 * `/libpod_parent/libpod-<id>`, `/kubepods/besteffort/pod<uid>/<id>`). The kernel side reads at
 * exec the names of the task's cgroup and of two of its ancestors; these functions turn them (or
 * a /proc/PID/cgroup path, or the whole file) into the runtime, the 64-hex container id and the
 * Kubernetes pod uid. No allocation, no I/O: safe on the alert path.
 *
 *   const char *names[3] = { "cri-containerd-<64hex>.scope",
 *                            "kubepods-besteffort-pod<uid_with_underscores>.slice",
 *                            "kubepods-besteffort.slice" };
 *   struct ctr_ref c;
 *   if (ctr_from_cgroup_names(names, &c))
 *           printf("%s %s %s\n", ctr_runtime_name(c.runtime), c.id, c.pod_uid);
 */
#ifndef SW_CONTAINER_H
#define SW_CONTAINER_H

#include <stdbool.h>

enum ctr_runtime {
	CTR_NONE,         /* not in a container (or not one these rules know) */
	CTR_DOCKER,
	CTR_PODMAN,
	CTR_CONTAINERD,   /* CRI (Kubernetes) and nerdctl */
	CTR_CRIO,
	CTR_OTHER,        /* a 64-hex cgroup under a parent no runtime above is known to use */
};

#define CTR_ID_LEN      64   /* hex digits of a container id */
#define CTR_POD_UID_LEN 36   /* 8-4-4-4-12 */
#define CTR_NAME_DEPTH  3    /* names the kernel side gives: the leaf and two ancestors */

struct ctr_ref {
	enum ctr_runtime runtime;
	char id[CTR_ID_LEN + 1];            /* lower-case hex; "" when runtime is CTR_NONE */
	char pod_uid[CTR_POD_UID_LEN + 1];  /* Kubernetes pod uid with dashes; "" when none */
};

/* names[0] is the task's cgroup directory name, names[1] its parent's, names[2] its
 * grandparent's, each NUL-terminated; "" (or NULL) where there is none (the root's name is "").
 * Names may be cut by the kernel side: a name whose id is not whole is not a container. The innermost container wins
 * (docker in docker); its pod uid is looked for in the names above it. False, and *out cleared,
 * when no name is a container's. */
bool ctr_from_cgroup_names(const char *const names[CTR_NAME_DEPTH], struct ctr_ref *out);

/* The same from a cgroup path ("/kubepods/besteffort/pod<uid>/<id>") or a single /proc/PID/cgroup
 * line ("0::/path", "4:memory:/path"; paths relative to a cgroup namespace, with "..", too). Up
 * to the innermost 64 components are used, so a pod uid more than two levels above the container
 * is still found, and a bare id's parent is known even when it is not among the last three names
 * (there ctr_from_cgroup_names says CTR_OTHER with the same id). */
bool ctr_from_cgroup_path(const char *path, struct ctr_ref *out);

/* The whole text of /proc/PID/cgroup (v2 `0::` line and v1 lines, any order): the unified line
 * first, then the v1 lines in file order; the first one that names a container. */
bool ctr_from_proc_cgroup(const char *text, struct ctr_ref *out);

/* ECS container.runtime: "docker", "podman", "containerd", "cri-o", "other"; "" for CTR_NONE. */
const char *ctr_runtime_name(enum ctr_runtime r);
/* The reverse (for traces): CTR_NONE for "" or an unknown name. */
enum ctr_runtime ctr_runtime_parse(const char *name);

#endif /* SW_CONTAINER_H */
