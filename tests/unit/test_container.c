/* test_container.c: container identity from cgroup names (user/containers/cgroup_name.c). One row
 * per layout the runtimes really create (docs/containers.md), each checked twice: as a whole path
 * (ctr_from_cgroup_path) and as the kernel side gives it, the leaf and two ancestors' names
 * (ctr_from_cgroup_names). Then whole /proc/PID/cgroup files (v1 lines and the v2 `0::` line,
 * including the ones podman makes on this hybrid machine), names the kernel cut, and the runtime
 * names. */
#include <stdio.h>
#include <string.h>
#include "container.h"
#include "tap.h"

/* Container ids and pod uids of real length and shape. */
#define A  "0f3ec4b5a6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678901abcd"
#define B  "af817c7bdb76b808549c488b2a94fa4b484a697c134413c4b4b7a394e9cbf621"
#define U  "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
#define U_ "0b1c2d3e_4f50_6172_8394_a5b6c7d8e9f0"
#define S  "6a3b4c5d6e7f80910a1b2c3d4e5f6071"   /* a static pod's uid: a 32-hex hash */

struct row {
	const char *what, *path;
	enum ctr_runtime rt;      /* from the whole path; CTR_NONE: not a container */
	const char *id, *pod;
	/* From the last three names when it differs from the path's (the window is too short);
	 * NULL: the same. */
	const struct ctr_ref *win;
};
#define ROW(what, path, rt, id, pod) { what, path, rt, id, pod, NULL }
#define ROW_WIN(what, path, rt, id, pod, ...) \
	{ what, path, rt, id, pod, &(const struct ctr_ref){ __VA_ARGS__ } }

static const struct row rows[] = {
	/* docker */
	ROW("docker, systemd driver", "/system.slice/docker-" A ".scope", CTR_DOCKER, A, ""),
	ROW("docker, cgroupfs driver", "/docker/" A, CTR_DOCKER, A, ""),
	ROW("docker rootless, systemd",
	    "/user.slice/user-1000.slice/user@1000.service/user.slice/docker-" A ".scope", CTR_DOCKER, A,
	    ""),
	ROW("docker in docker (cgroupfs): the inner one", "/docker/" A "/docker/" B, CTR_DOCKER, B, ""),
	ROW("docker in docker, outer systemd scope", "/system.slice/docker-" A ".scope/docker/" B,
	    CTR_DOCKER, B, ""),
	/* The container's own systemd made sub-cgroups: the path still knows the parent "docker";
	 * the three names end at the id, whose parent the kernel did not read. */
	ROW_WIN("systemd inside a docker container", "/docker/" A "/system.slice/ssh.service", CTR_DOCKER, A,
	    "", CTR_OTHER, A, ""),
	/* podman */
	ROW("podman rootful, cgroupfs (this machine)", "/libpod_parent/libpod-" B, CTR_PODMAN, B, ""),
	ROW("podman rootful, systemd", "/machine.slice/libpod-" A ".scope", CTR_PODMAN, A, ""),
	ROW("podman, crun's container sub-cgroup", "/machine.slice/libpod-" A ".scope/container",
	    CTR_PODMAN, A, ""),
	ROW("podman rootless, systemd",
	    "/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" A ".scope/container",
	    CTR_PODMAN, A, ""),
	ROW("podman pod, systemd", "/machine.slice/machine-libpod_pod_" B ".slice/libpod-" A ".scope",
	    CTR_PODMAN, A, ""),
	ROW("podman pod, cgroupfs", "/libpod_parent/" B "/libpod-" A, CTR_PODMAN, A, ""),
	ROW("podman before 1.0: ctr sub-cgroup", "/libpod_parent/libpod-" A "/ctr", CTR_PODMAN, A, ""),
	/* containerd */
	ROW("containerd CRI, systemd, burstable",
	    "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" U_
	    ".slice/cri-containerd-" A ".scope", CTR_CONTAINERD, A, U),
	ROW("containerd CRI, systemd, guaranteed",
	    "/kubepods.slice/kubepods-pod" U_ ".slice/cri-containerd-" A ".scope", CTR_CONTAINERD, A, U),
	ROW("containerd CRI, cgroupfs, besteffort", "/kubepods/besteffort/pod" U "/" A, CTR_CONTAINERD,
	    A, U),
	ROW("containerd CRI, cgroupfs, guaranteed", "/kubepods/pod" U "/" A, CTR_CONTAINERD, A, U),
	ROW("kind: kubelet's nested slices",
	    "/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/"
	    "kubelet-kubepods-besteffort-pod" U_ ".slice/cri-containerd-" A ".scope",
	    CTR_CONTAINERD, A, U),
	ROW("static pod: 32-hex uid",
	    "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" S
	    ".slice/cri-containerd-" A ".scope", CTR_CONTAINERD, A, S),
	ROW("nerdctl, systemd", "/system.slice/nerdctl-" A ".scope", CTR_CONTAINERD, A, ""),
	/* The pod slice three levels up: only the whole path reaches it. */
	ROW_WIN("containerd, sub-cgroups of the container",
	    "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" U_
	    ".slice/cri-containerd-" A ".scope/init.scope/sub", CTR_CONTAINERD, A, U,
	    CTR_CONTAINERD, A, ""),
	/* CRI-O */
	ROW("CRI-O, systemd",
	    "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" U_ ".slice/crio-" A
	    ".scope", CTR_CRIO, A, U),
	ROW("CRI-O, cgroupfs", "/kubepods/burstable/pod" U "/crio-" A, CTR_CRIO, A, U),
	ROW("dockershim, systemd",
	    "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" U_ ".slice/docker-" A
	    ".scope", CTR_DOCKER, A, U),
	/* 64 hex under a parent no runtime is known by: a container of some runtime */
	ROW("docker --cgroup-parent=/batch", "/batch/" A, CTR_OTHER, A, ""),
	ROW("Amazon ECS (cgroupfs)", "/ecs/" S "/" A, CTR_OTHER, A, ""),
	/* not containers */
	ROW("login session", "/user.slice/user-0.slice/session-3.scope", CTR_NONE, "", ""),
	ROW("a service", "/system.slice/ssh.service", CTR_NONE, "", ""),
	ROW("init", "/init.scope", CTR_NONE, "", ""),
	ROW("the root", "/", CTR_NONE, "", ""),
	ROW("empty", "", CTR_NONE, "", ""),
	ROW("docker's daemon", "/system.slice/docker.service", CTR_NONE, "", ""),
	ROW("containerd's daemon", "/system.slice/containerd.service", CTR_NONE, "", ""),
	ROW("podman's conmon, systemd", "/machine.slice/libpod-conmon-" A ".scope", CTR_NONE, "", ""),
	ROW("podman's conmon, cgroupfs (this machine)", "/libpod_parent/conmon", CTR_NONE, "", ""),
	ROW("CRI-O's conmon, systemd",
	    "/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" U_
	    ".slice/crio-conmon-" A ".scope", CTR_NONE, "", ""),
	ROW("CRI-O's conmon, system.slice", "/system.slice/crio-conmon-" A ".scope", CTR_NONE, "", ""),
	ROW("CRI-O's conmon, cgroupfs", "/kubepods/burstable/pod" U "/crio-conmon-" A, CTR_NONE, "",
	    ""),
	ROW("a pod's cgroup itself", "/kubepods/besteffort/pod" U, CTR_NONE, "", ""),
	ROW("a QoS slice", "/kubepods.slice/kubepods-burstable.slice", CTR_NONE, "", ""),
	ROW("63 hex digits", "/docker/" "0f3ec4b5a6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9012345678901abc",
	    CTR_NONE, "", ""),
	ROW("65 hex digits", "/docker/" A "0", CTR_NONE, "", ""),
	ROW("upper-case hex", "/docker/0F3EC4B5A6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9012345678901ABCD",
	    CTR_NONE, "", ""),
	ROW("a scope cut in the id", "/system.slice/docker-0f3ec4b5a6d7e8f90a1b2c3d4e5f6071.scope",
	    CTR_NONE, "", ""),
	ROW("another suffix", "/system.slice/docker-" A ".service", CTR_NONE, "", ""),
	ROW("systemd-nspawn payload", "/machine.slice/systemd-nspawn@web.service/payload", CTR_NONE, "",
	    ""),
};

static bool same(const struct ctr_ref *c, enum ctr_runtime rt, const char *id, const char *pod)
{
	return c->runtime == rt && !strcmp(c->id, id) && !strcmp(c->pod_uid, pod);
}

/* The last three names of a path, innermost first, into buf. */
static void last_names(const char *path, char buf[3][256], const char *names[3])
{
	const char *end = path + strlen(path);

	for (int i = 0; i < 3; i++) {
		const char *b = end;

		while (b > path && b[-1] != '/')
			b--;
		snprintf(buf[i], sizeof(buf[i]), "%.*s", (int)(end - b), b);
		names[i] = buf[i];
		end = b > path ? b - 1 : path;
	}
}

static void test_layouts_path(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		struct ctr_ref c;
		bool got = ctr_from_cgroup_path(r->path, &c);

		CHECKF(got == (r->rt != CTR_NONE) && same(&c, r->rt, r->id, r->pod),
		       "%s: %s -> %d %s runtime=%s id=%s pod=%s", r->what, r->path, got,
		       got ? "" : "(false)", ctr_runtime_name(c.runtime), c.id, c.pod_uid);
	}
}

static void test_layouts_names(void)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		const struct row *r = &rows[i];
		char buf[3][256];
		const char *names[3];
		enum ctr_runtime rt = r->win ? r->win->runtime : r->rt;
		const char *pod = r->win ? r->win->pod_uid : r->pod;
		struct ctr_ref c;
		bool got;

		last_names(r->path, buf, names);
		got = ctr_from_cgroup_names(names, &c);
		CHECKF(got == (rt != CTR_NONE) && same(&c, rt, rt == CTR_NONE ? "" : r->id, pod),
		       "%s: [%s | %s | %s] -> %d runtime=%s id=%s pod=%s", r->what, names[0],
		       names[1], names[2], got, ctr_runtime_name(c.runtime), c.id, c.pod_uid);
	}
}

/* /proc/PID/cgroup lines: "hierarchy:controllers:path". */
static void test_proc_lines(void)
{
	struct ctr_ref c;

	CHECK(ctr_from_cgroup_path("0::/libpod_parent/libpod-" B, &c) && same(&c, CTR_PODMAN, B, ""));
	CHECK(ctr_from_cgroup_path("9:name=systemd:/libpod_parent/libpod-" B "\n", &c) &&
	      same(&c, CTR_PODMAN, B, ""));
	CHECK(ctr_from_cgroup_path("4:memory:/docker/" A, &c) && same(&c, CTR_DOCKER, A, ""));
	CHECK(ctr_from_cgroup_path("3:cpu,cpuacct:/kubepods/besteffort/pod" U "/" A, &c) &&
	      same(&c, CTR_CONTAINERD, A, U));
	CHECK(!ctr_from_cgroup_path("8:pids:/libpod_parent/conmon", &c) && same(&c, CTR_NONE, "", ""));
	CHECK(!ctr_from_cgroup_path("0::/", &c));
	CHECK(!ctr_from_cgroup_path("garbage without colons", &c) && same(&c, CTR_NONE, "", ""));
	CHECK(!ctr_from_cgroup_path("1:", &c));
	CHECK(!ctr_from_cgroup_path("::", &c));
	CHECK(!ctr_from_cgroup_path("///", &c));
	CHECK(ctr_from_cgroup_path("//docker//" A "/", &c) && same(&c, CTR_DOCKER, A, ""));
	/* Read from inside a private cgroup namespace (a sensor pod on cgroup v2): paths of other
	 * cgroups are relative to the reader's, with ".." */
	CHECK(ctr_from_cgroup_path("0::/../../kubepods-besteffort.slice/kubepods-besteffort-pod" U_
				   ".slice/cri-containerd-" A ".scope", &c) &&
	      same(&c, CTR_CONTAINERD, A, U));
	/* ... and a process of the reader's own cgroup namespace shows "/" */
	CHECK(!ctr_from_cgroup_path("0::/", &c));
}

/* Whole files, as /proc/PID/cgroup reads. The first two are this machine's (podman 4.3, runc,
 * cgroupfs manager, hybrid v1/v2): the container's process and its conmon. */
static void test_proc_files(void)
{
	static const char podman_here[] =
		"9:name=systemd:/libpod_parent/libpod-" B "\n"
		"8:pids:/libpod_parent/libpod-" B "\n"
		"7:blkio:/libpod_parent/libpod-" B "\n"
		"6:freezer:/libpod_parent/libpod-" B "\n"
		"5:devices:/libpod_parent/libpod-" B "\n"
		"4:memory:/libpod_parent/libpod-" B "\n"
		"3:cpuset:/libpod_parent/libpod-" B "\n"
		"2:cpuacct:/libpod_parent/libpod-" B "\n"
		"1:cpu:/libpod_parent/libpod-" B "\n"
		"0::/libpod_parent/libpod-" B "\n";
	static const char conmon_here[] =
		"9:name=systemd:/\n8:pids:/libpod_parent/conmon\n7:blkio:/libpod_parent/conmon\n"
		"4:memory:/libpod_parent/conmon\n1:cpu:/libpod_parent/conmon\n0::/\n";
	/* A hybrid host whose kubelet manages only the v1 hierarchies: the unified line says
	 * nothing, a v1 line does. */
	static const char v1_only[] =
		"12:memory:/kubepods/burstable/pod" U "/" A "\n"
		"1:name=systemd:/kubepods/burstable/pod" U "/" A "\n"
		"0::/system.slice/containerd.service\n";
	/* Pure v2: one line. */
	static const char v2_only[] =
		"0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" U_
		".slice/crio-" A ".scope\n";
	/* The unified line is read first even when it comes last. */
	static const char v2_first[] =
		"4:memory:/docker/" B "\n0::/system.slice/docker-" A ".scope";
	static const char host[] =
		"9:name=systemd:/user.slice/user-0.slice/session-3.scope\n8:pids:/user.slice\n"
		"0::/user.slice/user-0.slice/session-3.scope\n";
	struct ctr_ref c;

	CHECK(ctr_from_proc_cgroup(podman_here, &c) && same(&c, CTR_PODMAN, B, ""));
	CHECK(!ctr_from_proc_cgroup(conmon_here, &c) && same(&c, CTR_NONE, "", ""));
	CHECK(ctr_from_proc_cgroup(v1_only, &c) && same(&c, CTR_CONTAINERD, A, U));
	CHECK(ctr_from_proc_cgroup(v2_only, &c) && same(&c, CTR_CRIO, A, U));
	CHECK(ctr_from_proc_cgroup(v2_first, &c) && same(&c, CTR_DOCKER, A, ""));
	CHECK(!ctr_from_proc_cgroup(host, &c));
	CHECK(!ctr_from_proc_cgroup("", &c));
	CHECK(!ctr_from_proc_cgroup("\n\n\n", &c));
}

/* The kernel side reads at most 95 bytes of a name: a cut name is not a container, and the
 * matcher neither reads past a name nor mistakes a cut id for a whole one. */
static void test_cut_names(void)
{
	char leaf[96], longname[300];
	const char *names[3] = { leaf, "system.slice", "" };
	struct ctr_ref c;

	snprintf(leaf, sizeof(leaf), "cri-containerd-%s.scope", A);
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_CONTAINERD, A, ""));
	leaf[15 + 40] = '\0';   /* the id cut */
	CHECK(!ctr_from_cgroup_names(names, &c) && same(&c, CTR_NONE, "", ""));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	names[0] = longname;
	CHECK(!ctr_from_cgroup_names(names, &c));
	/* NULL and "" stop the names: the root */
	names[0] = A, names[1] = NULL, names[2] = "docker";
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_OTHER, A, ""));
	names[0] = "", names[1] = "docker-" A ".scope";
	CHECK(!ctr_from_cgroup_names(names, &c));
	names[0] = A, names[1] = "docker", names[2] = NULL;
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_DOCKER, A, ""));
	/* a pod slice whose uid is cut */
	names[0] = "cri-containerd-" A ".scope";
	names[1] = "kubepods-burstable-pod0b1c2d3e_4f50_6172_8394.slice";
	names[2] = "kubepods-burstable.slice";
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_CONTAINERD, A, ""));
	names[1] = "kubepods-burstable-pod" U ".slice";   /* dashes are fine too */
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_CONTAINERD, A, U));
	names[1] = "kubepods-burstable-podzb1c2d3e_4f50_6172_8394_a5b6c7d8e9f0.slice";
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_CONTAINERD, A, ""));
	names[1] = "pod" U "x";
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_CONTAINERD, A, ""));
	/* a uid bad only near its end leaves nothing behind */
	names[1] = "pod0b1c2d3e-4f50-6172-8394-a5b6c7d8e9fz";
	names[2] = "";
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_CONTAINERD, A, ""));
	names[1] = "kubepods-besteffort-pod0b1c2d3e_4f50_6172_8394_a5b6c7d8e9fz.slice";
	CHECK(ctr_from_cgroup_names(names, &c) && same(&c, CTR_CONTAINERD, A, ""));
}

/* A path deeper than the matcher's window (64 components) keeps its innermost components. */
static void test_deep_path(void)
{
	char path[4096] = "";
	struct ctr_ref c;
	size_t n = 0;

	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "/d%d", i);
	snprintf(path + n, sizeof(path) - n, "/docker/%s", A);
	CHECK(ctr_from_cgroup_path(path, &c) && same(&c, CTR_DOCKER, A, ""));
	n = (size_t)snprintf(path, sizeof(path), "/docker/%s", A);
	for (int i = 0; i < 100; i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "/d%d", i);
	CHECK(!ctr_from_cgroup_path(path, &c) && same(&c, CTR_NONE, "", ""));
}

static void test_runtime_names(void)
{
	static const char *const want[] = { "", "docker", "podman", "containerd", "cri-o", "other" };

	for (int r = CTR_NONE; r <= CTR_OTHER; r++) {
		CHECKF(!strcmp(ctr_runtime_name((enum ctr_runtime)r), want[r]), "%d: %s", r,
		       ctr_runtime_name((enum ctr_runtime)r));
		CHECKF(ctr_runtime_parse(want[r]) == (enum ctr_runtime)r, "%s", want[r]);
	}
	CHECK(!strcmp(ctr_runtime_name((enum ctr_runtime)99), ""));
	CHECK(ctr_runtime_parse("crio") == CTR_NONE);
	CHECK(ctr_runtime_parse(NULL) == CTR_NONE);
}

int main(void)
{
	RUN(test_layouts_path);
	RUN(test_layouts_names);
	RUN(test_proc_lines);
	RUN(test_proc_files);
	RUN(test_cut_names);
	RUN(test_deep_path);
	RUN(test_runtime_names);
	printf("# %zu layouts, each as a path and as the kernel's three names\n",
	       sizeof(rows) / sizeof(rows[0]));
	return tap_done();
}
