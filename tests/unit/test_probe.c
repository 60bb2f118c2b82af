/* test_probe.c: feature probing (user/sources/probe.c). Without root: section parsing, the loss table, and
 * which fixture programs get turned off against a fake tracefs and a fake vmlinux BTF. As root: the
 * basic probes pass here, a process without capabilities is refused with a reason, and after probing
 * the fixture object loads although some of its programs cannot exist on any kernel. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "probe.h"
#include "probe_fixture.skel.h"
#include "probe_guarded.skel.h"
#include "tap.h"

static char tmpdir[256];

static void test_parse_sections(void)
{
	struct sw_attach at;

	CHECK(sw_probe_parse_section("tp/syscalls/sys_enter_connect", &at) == 0);
	CHECK(at.kind == SW_ATTACH_TP && !strcmp(at.cat, "syscalls") &&
	      !strcmp(at.name, "sys_enter_connect"));
	CHECK(sw_probe_parse_section("tracepoint/sched/sched_process_fork", &at) == 0);
	CHECK(at.kind == SW_ATTACH_TP && !strcmp(at.cat, "sched"));
	CHECK(sw_probe_parse_section("tp_btf/sched_process_exec", &at) == 0);
	CHECK(at.kind == SW_ATTACH_TP_BTF && !strcmp(at.name, "sched_process_exec") && !at.cat[0]);
	CHECK(sw_probe_parse_section("raw_tp/sys_enter", &at) == 0);
	CHECK(at.kind == SW_ATTACH_RAW_TP && !strcmp(at.name, "sys_enter"));
	CHECK(sw_probe_parse_section("raw_tracepoint/sys_exit", &at) == 0);
	CHECK(at.kind == SW_ATTACH_RAW_TP && !strcmp(at.name, "sys_exit"));
	CHECK(sw_probe_parse_section("kprobe/do_sys_open", &at) == 0 && at.kind == SW_ATTACH_OTHER);
	CHECK(sw_probe_parse_section("iter/task_file", &at) == 0 && at.kind == SW_ATTACH_ITER &&
	      !strcmp(at.name, "task_file"));
	CHECK(sw_probe_parse_section("license", &at) == 0 && at.kind == SW_ATTACH_OTHER);
}

static void test_parse_malformed(void)
{
	struct sw_attach at;
	char longname[300];

	CHECK(sw_probe_parse_section("tp/syscalls", &at) == -EINVAL);
	CHECK(sw_probe_parse_section("tp/syscalls/", &at) == -EINVAL);
	CHECK(sw_probe_parse_section("tp//sys_enter_connect", &at) == -EINVAL);
	CHECK(sw_probe_parse_section("tp/a/b/c", &at) == -EINVAL);
	CHECK(sw_probe_parse_section("tp_btf/", &at) == -EINVAL);
	CHECK(sw_probe_parse_section("raw_tp/a/b", &at) == -EINVAL);
	CHECK(sw_probe_parse_section(NULL, &at) == -EINVAL);
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	memcpy(longname, "tp_btf/", 7);
	CHECK(sw_probe_parse_section(longname, &at) == -EINVAL);
}

static void test_losses(void)
{
	CHECK(strstr(sw_probe_loss("sys_enter_connect"), "reverse shells"));
	CHECK(strstr(sw_probe_loss("sys_exit_accept4"), "accept4"));
	CHECK(strstr(sw_probe_loss("task_file"), "/proc instead"));
	CHECK(strstr(sw_probe_loss("sys_enter_accept"), "accepted connections are"));
	CHECK(strstr(sw_probe_loss("sys_enter_dup"), "dup of sockets"));
	CHECK(strstr(sw_probe_loss("sys_enter_dup2"), "dup2"));
	CHECK(strstr(sw_probe_loss("sched_process_exec"), "program starts"));
	CHECK(strstr(sw_probe_loss("sys_enter_reconnect"), "not recorded")); /* whole words only */
	CHECK(strstr(sw_probe_loss("whatever"), "not recorded"));
	CHECK(strstr(sw_probe_loss(NULL), "not recorded"));
}

static int write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ok = fd >= 0 && write(fd, data, len) == (ssize_t)len;

	if (fd >= 0)
		close(fd);
	return ok ? 0 : -1;
}

/* A tracefs tree with only the events given (each "cat/name"). */
static void make_tracefs(const char *root, const char *const *events)
{
	char path[512];

	mkdir(root, 0755);
	snprintf(path, sizeof(path), "%s/events", root);
	mkdir(path, 0755);
	for (; *events; events++) {
		char cat[64];
		const char *slash = strchr(*events, '/');

		snprintf(cat, sizeof(cat), "%.*s", (int)(slash - *events), *events);
		snprintf(path, sizeof(path), "%s/events/%s", root, cat);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/events/%s", root, *events);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/events/%s/id", root, *events);
		write_file(path, "1\n", 2);
	}
}

/* A raw BTF file that knows only the tracepoint sched_process_exec. */
static int make_btf(const char *path)
{
	struct btf *btf = btf__new_empty();
	const void *raw;
	__u32 size;
	int id, r = -1;

	if (!btf)
		return -1;
	id = btf__add_int(btf, "int", 4, BTF_INT_SIGNED);
	if (id > 0 && btf__add_typedef(btf, "btf_trace_sched_process_exec", id) > 0) {
		raw = btf__raw_data(btf, &size);
		r = raw ? write_file(path, raw, size) : -1;
	}
	btf__free(btf);
	return r;
}

/* Run the prober on a fresh fixture object; returns the count and the warnings (caller frees). */
static int probe_fixture(struct probe_fixture **skel, const struct sw_probe_opts *opts, char **warn)
{
	size_t len;
	FILE *f = open_memstream(warn, &len);
	int n;

	*skel = probe_fixture__open();
	if (!*skel || !f) {
		if (f)
			fclose(f);
		return -1;
	}
	n = opts ? sw_probe_disable_missing_opts((*skel)->obj, f, opts)
		 : sw_probe_disable_missing((*skel)->obj, f);
	fclose(f);
	return n;
}

static int count_lines(const char *s)
{
	int n = 0;

	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

static void test_fake_kernel(void)
{
	static const char *const events[] = { "syscalls/sys_enter_connect", "raw_syscalls/sys_enter",
					      NULL };
	struct sw_probe_opts opts = { 0 };
	struct probe_fixture *skel;
	char tfs[300], btfp[300], *warn = NULL;
	int n;

	snprintf(tfs, sizeof(tfs), "%s/tracefs", tmpdir);
	snprintf(btfp, sizeof(btfp), "%s/vmlinux.btf", tmpdir);
	make_tracefs(tfs, events);
	CHECK(make_btf(btfp) == 0);
	opts.tracefs = tfs;
	opts.btf_path = btfp;
	n = probe_fixture(&skel, &opts, &warn);
	CHECKF(n == 3, "%d programs left on, want 3", n);
	if (skel) {
		CHECK(bpf_program__autoload(skel->progs.tp_present));
		CHECK(!bpf_program__autoload(skel->progs.tp_missing));
		CHECK(bpf_program__autoload(skel->progs.btf_present));
		CHECK(!bpf_program__autoload(skel->progs.btf_missing));
		CHECK(bpf_program__autoload(skel->progs.raw_present));
		CHECK(!bpf_program__autoload(skel->progs.raw_missing));
		CHECK(!bpf_program__autoload(skel->progs.helper_missing)); /* no sys_enter_dup2 here */
	}
	CHECKF(count_lines(warn) == 4, "warnings:\n%s", warn);
	CHECK(warn && strstr(warn, "tp_missing (tracepoint/syscalls/sys_enter_no_such_call) disabled: "
				   "this kernel has no tracepoint syscalls/sys_enter_no_such_call"));
	CHECK(warn && strstr(warn, "btf_missing (tp_btf/no_such_tracepoint) disabled"));
	CHECK(warn && strstr(warn, "raw_missing (raw_tp/no_such_raw_tracepoint) disabled"));
	CHECK(warn && strstr(warn, "helper_missing (tp/syscalls/sys_enter_dup2) disabled: this kernel "
				   "has no tracepoint syscalls/sys_enter_dup2; dup2 redirections"));
	CHECK(warn && !strstr(warn, "tp_present"));
	free(warn);
	probe_fixture__destroy(skel);
}

/* No tracefs and no BTF: every tracepoint program goes off, each with the reason and the fix. */
static void test_nothing_left(void)
{
	struct sw_probe_opts opts = { 0 };
	struct probe_fixture *skel;
	char empty[300], btfp[300], *warn = NULL;
	int n;

	snprintf(empty, sizeof(empty), "%s/empty", tmpdir);
	mkdir(empty, 0755);
	snprintf(btfp, sizeof(btfp), "%s/no-such.btf", tmpdir);
	opts.tracefs = empty;
	opts.btf_path = btfp;
	n = probe_fixture(&skel, &opts, &warn);
	CHECKF(n == 0, "%d programs left on, want 0", n);
	CHECKF(count_lines(warn) == 7, "warnings:\n%s", warn);
	CHECK(warn && strstr(warn, "tp_present (tp/syscalls/sys_enter_connect) disabled: no readable "
				   "tracefs (mount -t tracefs nodev /sys/kernel/tracing, as root); outgoing"));
	CHECK(warn && strstr(warn, "btf_present (tp_btf/sched_process_exec) disabled: no kernel BTF"));
	free(warn);
	probe_fixture__destroy(skel);
	CHECK(sw_probe_disable_missing(NULL, stderr) == -EINVAL);
}

/* Live, as root: what this kernel has is kept, what no kernel has is turned off, then it loads. */
static void test_live_load(void)
{
	struct probe_fixture *skel;
	char why[256], *warn = NULL;
	int n, err;

	if (geteuid() != 0) {
		printf("# live probing not run: not root\n");
		return;
	}
	CHECKF(sw_probe_basics(why, sizeof(why)) == 0, "%s", why);
	n = probe_fixture(&skel, NULL, &warn);
	CHECKF(n == 3, "%d programs left on, want 3; warnings:\n%s", n, warn);
	CHECKF(count_lines(warn) == 4, "warnings:\n%s", warn);
	CHECK(warn && strstr(warn, "helper_missing (tp/syscalls/sys_enter_dup2) disabled: this kernel "
				   "lacks the BPF helper #9999"));
	err = skel ? probe_fixture__load(skel) : -1;
	CHECKF(err == 0, "load after probing failed: %d", err);
	err = err ? err : probe_fixture__attach(skel);
	CHECKF(err == 0, "attach after probing failed: %d", err);
	free(warn);
	probe_fixture__destroy(skel);
}

/* A call to a missing helper behind a CO-RE check is dead code on this kernel: the program stays on
 * (no warning) and loads. */
static void test_guarded_helper(void)
{
	static const char *const events[] = { "syscalls/sys_enter_connect", NULL };
	struct sw_probe_opts opts = { 0 };
	struct probe_guarded *skel = probe_guarded__open();
	char tfs[300], *warn = NULL;
	size_t len;
	FILE *f = open_memstream(&warn, &len);
	int n, err;

	if (!skel || !f) {
		CHECK(!"open");
		goto out;
	}
	snprintf(tfs, sizeof(tfs), "%s/tracefs-guarded", tmpdir);
	make_tracefs(tfs, events);
	opts.tracefs = tfs;
	n = sw_probe_disable_missing_opts(skel->obj, f, &opts);
	fflush(f);
	CHECKF(n == 1, "%d programs left on, want 1; warnings:\n%s", n, warn);
	CHECKF(len == 0, "warnings:\n%s", warn);
	if (geteuid() == 0) {
		err = probe_guarded__load(skel);
		CHECKF(err == 0, "load failed: %d", err);
	}
out:
	if (f)
		fclose(f);
	free(warn);
	probe_guarded__destroy(skel);
}

/* A process without capabilities is refused with a reason that says what to do. */
static void test_basics_unprivileged(void)
{
	char why[256] = "";
	int fds[2], status = 0;
	ssize_t got;
	pid_t pid;

	if (geteuid() != 0 || pipe(fds)) {
		printf("# unprivileged probe not run: needs root to drop privileges\n");
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		if (setgid(65534) || setuid(65534))
			_exit(3);
		why[0] = '\0';
		if (sw_probe_basics(why, sizeof(why)) == 0)
			_exit(4);
		_exit(write(fds[1], why, strlen(why)) > 0 ? 0 : 5);
	}
	close(fds[1]);
	got = read(fds[0], why, sizeof(why) - 1);
	why[got > 0 ? got : 0] = '\0';
	close(fds[0]);
	waitpid(pid, &status, 0);
	CHECKF(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	CHECKF(strstr(why, "run as root"), "reason: %s", why);
}

int main(void)
{
	const char *base = getenv("SW_TMP");

	snprintf(tmpdir, sizeof(tmpdir), "%s/probe.XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(tmpdir))
		snprintf(tmpdir, sizeof(tmpdir), "/tmp");
	libbpf_set_print(NULL);
	RUN(test_parse_sections);
	RUN(test_parse_malformed);
	RUN(test_losses);
	RUN(test_fake_kernel);
	RUN(test_nothing_left);
	RUN(test_live_load);
	RUN(test_guarded_helper);
	RUN(test_basics_unprivileged);
	return tap_done();
}
