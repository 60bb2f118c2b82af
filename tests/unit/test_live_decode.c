/* test_live_decode.c: the wire -> sw_event conversion (user/sources/live_decode.c), checked
 * through the trace lines record writes, with hand-built wire records and hand-written expected
 * lines; and for every record, that the facts the judge gets from the line read back
 * (sw_event_facts) are the facts the live decoder set: a recording replays to the same
 * judgement. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "live_decode.h"
#include "tap.h"
#include "trace_fmt.h"
#include "trace_read.h"

static char scratch[8192], line[20000];

static void hdr(struct wire_hdr *h, uint16_t type, uint16_t call, uint32_t size, const char *comm)
{
	h->type = type;
	h->call = call;
	h->size = size;
	h->ktime = 123456789;
	h->pid = 100, h->tid = 101, h->ppid = 1, h->uid = 1000;
	h->start = 0;
	memset(h->comm, 0, sizeof(h->comm));   /* as strncpy, without FORTIFY's warning */
	memcpy(h->comm, comm, strnlen(comm, sizeof(h->comm)));
}

static bool same_fd(const struct sw_fd *a, const struct sw_fd *b)
{
	return a->kind == b->kind && a->family == b->family && a->lport == b->lport &&
	       a->pport == b->pport && !memcmp(a->laddr, b->laddr, 16) &&
	       !memcmp(a->paddr, b->paddr, 16) && a->ino == b->ino && a->dev == b->dev &&
	       a->owner == b->owner;
}

static bool same_str(struct sw_str a, struct sw_str b)
{
	return a.len == b.len && (!a.len || !memcmp(a.p, b.p, a.len));   /* "" may have no pointer */
}

/* The facts of the live event and of its trace line read back agree. */
static void check_facts(const struct sw_event *a, const struct sw_event *b)
{
	bool same = a->kind == b->kind && same_str(a->comm, b->comm) && a->pid == b->pid &&
		    a->ppid == b->ppid && a->uid == b->uid && a->t_ns == b->t_ns &&
		    a->has_start == b->has_start && a->start_ns == b->start_ns;

	switch (a->kind) {
	case SW_EV_SOCK:
		same &= a->sock.accepted == b->sock.accepted && a->sock.fd == b->sock.fd &&
			a->sock.ret == b->sock.ret && same_fd(&a->sock.sock, &b->sock.sock);
		break;
	case SW_EV_DUP:
		same &= a->dup.oldfd == b->dup.oldfd && a->dup.newfd == b->dup.newfd &&
			a->dup.ret == b->dup.ret && a->dup.flags == b->dup.flags &&
			same_fd(&a->dup.src, &b->dup.src);
		break;
	case SW_EV_EXEC:
		same &= same_str(a->exec.exe, b->exec.exe) && same_str(a->exec.argv, b->exec.argv) &&
			a->exec.argv_trunc == b->exec.argv_trunc && a->exec.killed == b->exec.killed &&
			a->exec.stdio_known == b->exec.stdio_known &&
			a->exec.pstart_ns == b->exec.pstart_ns &&
			a->exec.cmd_from_net == b->exec.cmd_from_net &&
			a->exec.ctr_runtime == b->exec.ctr_runtime &&
			same_str(a->exec.ctr_id, b->exec.ctr_id) &&
			same_str(a->exec.pod_uid, b->exec.pod_uid) && a->exec.ns_pid == b->exec.ns_pid &&
			a->exec.pidns == b->exec.pidns && a->exec.netns == b->exec.netns &&
			same_str(a->exec.cwd, b->exec.cwd) && same_str(a->exec.argl, b->exec.argl);
		for (int i = 0; i < 3; i++)
			same &= same_fd(&a->exec.stdio[i], &b->exec.stdio[i]);
		break;
	case SW_EV_FORK:
		same &= a->fork_child == b->fork_child;
		break;
	case SW_EV_EXIT:
		same &= a->exit.code == b->exit.code && a->exit.sig == b->exit.sig;
		break;
	default:
		break;
	}
	CHECKF(same, "facts differ once written and read back: %s", line);
}

/* Decode and format; the line, or "ERR <errno>". The line read back must give the same facts. */
static const char *render(const void *raw, size_t size)
{
	static char copy[sizeof(line)];
	struct sw_event ev, back;
	const char *why = "";
	int err = live_decode(raw, size, &ev, scratch, sizeof(scratch));
	size_t n;

	if (err) {
		snprintf(line, sizeof(line), "ERR %d", -err);
		return line;
	}
	n = trace_format(&ev, line, sizeof(line));
	memcpy(copy, line, n + 1);
	CHECKF(trace_parse_line(NULL, copy, n, &back, &why) == 1, "%s: %s", line, why);
	check_facts(&ev, &back);
	return line;
}

#define EXPECT_LINE(raw, want)                                                         \
	do {                                                                           \
		const char *got_ = render(&(raw), sizeof(raw));                        \
		CHECKF(!strcmp(got_, want), "\n#   got  %s\n#   want %s", got_, want); \
	} while (0)

static void test_dup_family(void)
{
	struct wire_dup d = { 0 };

	hdr(&d.hdr, WIRE_DUP, WIRE_C_DUP2, sizeof(d), "bash");
	d.oldfd = 3, d.newfd = 0, d.ret = 0, d.sock = 1;
	EXPECT_LINE(d, "dup2 pid=100 ppid=1 uid=1000 t=123456789 comm=bash fd=3 newfd=0 sock=1 => 0");
	d.hdr.call = WIRE_C_DUP3, d.flags = 02000000, d.newfd = 2, d.ret = 2, d.sock = 0;
	EXPECT_LINE(d, "dup3 pid=100 ppid=1 uid=1000 t=123456789 comm=bash fd=3 newfd=2 flags=0x80000 => 2");
	d.hdr.call = WIRE_C_DUP, d.newfd = -1, d.ret = 1, d.sock = 1;
	EXPECT_LINE(d, "dup pid=100 ppid=1 uid=1000 t=123456789 comm=bash fd=3 sock=1 => 1");
	d.hdr.call = WIRE_C_FCNTL, d.flags = 1030, d.newfd = 10, d.ret = 10;
	EXPECT_LINE(d, "fcntl pid=100 ppid=1 uid=1000 t=123456789 comm=bash fd=3 cmd=F_DUPFD_CLOEXEC arg=10 sock=1 => 10");
}

static void test_sock(void)
{
	struct wire_sock_ev s = { 0 };

	hdr(&s.hdr, WIRE_SOCK, WIRE_C_CONNECT, sizeof(s), "nc");
	s.fd = 3, s.ret = -115;
	s.sock.kind = WIRE_FD_SOCK, s.sock.family = AF_INET, s.sock.pport = 4444;
	inet_pton(AF_INET, "10.1.2.3", s.sock.paddr);
	EXPECT_LINE(s, "connect pid=100 ppid=1 uid=1000 t=123456789 comm=nc fd=3 family=inet addr=10.1.2.3 port=4444 => -115");
	s.hdr.call = WIRE_C_ACCEPT4, s.ret = 4, s.sock.family = AF_INET6, s.sock.pport = 50000;
	memset(s.sock.paddr, 0, 16);
	inet_pton(AF_INET6, "fe80::1", s.sock.paddr);
	inet_pton(AF_INET6, "fe80::2", s.sock.laddr);
	s.sock.lport = 22;
	s.hdr.start = 987654321;
	EXPECT_LINE(s, "accept4 pid=100 ppid=1 uid=1000 t=123456789 start=987654321 comm=nc fd=3 local=[fe80::2]:22 family=inet6 addr=fe80::1 port=50000 => 4");
	s.hdr.start = 0;
	s.sock.family = AF_UNIX;
	EXPECT_LINE(s, "accept4 pid=100 ppid=1 uid=1000 t=123456789 comm=nc fd=3 family=unix => 4");
	s.sock.family = 16;  /* AF_NETLINK: no name, so the number */
	EXPECT_LINE(s, "accept4 pid=100 ppid=1 uid=1000 t=123456789 comm=nc fd=3 family=16 => 4");
}

static void test_exec(void)
{
	static struct wire_exec e;
	static const char argv[] = "sh\0-c\0echo \"hi there\"\0";

	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, WIRE_EXEC, WIRE_C_EXECVEAT, sizeof(e), "sh");
	strcpy(e.exe, "/bin/sh");
	memcpy(e.argv, argv, sizeof(argv));
	e.argv_len = sizeof(argv) - 1;  /* ends with the last argument's NUL */
	e.fds[0].kind = WIRE_FD_SOCK, e.fds[0].family = AF_INET;
	inet_pton(AF_INET, "127.0.0.1", e.fds[0].laddr);
	inet_pton(AF_INET, "127.0.0.2", e.fds[0].paddr);
	e.fds[0].lport = 22, e.fds[0].pport = 40000;
	e.fds[1].kind = WIRE_FD_SOCK, e.fds[1].family = AF_INET6, e.fds[1].pport = 7;
	inet_pton(AF_INET6, "::1", e.fds[1].paddr);
	e.fds[2].kind = WIRE_FD_TTY;
	EXPECT_LINE(e, "execveat pid=100 ppid=1 uid=1000 t=123456789 comm=sh exe=/bin/sh "
		       "argv=\"sh -c echo \\\"hi there\\\"\" fd0=sock:inet fd1=sock:inet6 fd2=tty "
		       "peer0=127.0.0.2:40000 local0=127.0.0.1:22 peer1=[::1]:7 local1=[::]:0 "
		       "argl=2,2,15 => 0");
	/* pipes and fifos name themselves; the kernel's kill and the parent's start time */
	memset(e.fds, 0, sizeof(e.fds));
	e.fds[0].kind = WIRE_FD_FIFO, e.fds[0].ino = 777, e.fds[0].dev = 26;
	e.fds[1].kind = WIRE_FD_PIPE, e.fds[1].ino = 4242, e.fds[1].dev = 13;
	e.fds[2].kind = WIRE_FD_SOCK, e.fds[2].family = AF_UNIX;
	e.fds[1].owner = 4321, e.fds[2].owner = 4322, e.fds[0].owner = 99;  /* a fifo has none */
	e.killed = 1, e.pstart = 555, e.hdr.start = 666;
	EXPECT_LINE(e, "execveat pid=100 ppid=1 uid=1000 t=123456789 start=666 comm=sh exe=/bin/sh "
		       "argv=\"sh -c echo \\\"hi there\\\"\" fd0=fifo fd1=pipe fd2=sock:unix "
		       "pipe0=26:777 pipe1=13:4242 owner1=4321 owner2=4322 pstart=555 killed=1 "
		       "argl=2,2,15 => 0");
	e.fds[2].family = 16;   /* netlink: "other", family unknown either way */
	render(&e, sizeof(e));
}

/* What the parent just received, run as the command: the exec says so (and only then; the
 * received bytes themselves never reach the trace). */
static void test_exec_received_command(void)
{
	static struct wire_exec e;
	static const char argv[] = "/bin/sh\0-c\0id; uname\n";

	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, WIRE_EXEC, WIRE_C_EXECVE, sizeof(e), "sh");
	strcpy(e.exe, "/bin/sh");
	memcpy(e.argv, argv, sizeof(argv));
	e.argv_len = sizeof(argv) - 1;
	memcpy(e.recv, "id; uname\r\nsecret", 18);
	e.recv_len = 18, e.recv_from = 2, e.recv_age = 1000;
	render(&e, sizeof(e));
	CHECKF(strstr(line, " cmd_from_net=parent ") && !strstr(line, "secret"), "%s", line);
	e.recv_from = 1;   /* the process itself, before its exec */
	render(&e, sizeof(e));
	CHECKF(strstr(line, " cmd_from_net=self "), "%s", line);
	memcpy(e.recv, "GET / HTTP/1.1\r\n", 16);
	e.recv_len = 16;
	render(&e, sizeof(e));
	CHECKF(!strstr(line, "cmd_from_net"), "%s", line);
	memcpy(e.recv, "id; uname\n", 10);   /* a match long ago does not count */
	e.recv_len = 10, e.recv_age = 20000000000ull;
	render(&e, sizeof(e));
	CHECKF(!strstr(line, "cmd_from_net"), "%s", line);
	memcpy(e.argv, "id\0", 3);              /* the command run directly */
	e.argv_len = 3, e.recv_age = 5;
	memcpy(e.recv, "id\n", 3);
	e.recv_len = 3;
	render(&e, sizeof(e));
	CHECKF(strstr(line, " cmd_from_net=self "), "%s", line);
}

/* The cgroup names the kernel read name the container (include/container.h): podman's, a
 * Kubernetes pod's; a host process's cgroup says nothing, and neither do its namespaces. */
static void test_exec_container(void)
{
	static struct wire_exec e;
	static const char id[] = "4f9c1b2a3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8";

	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, WIRE_EXEC, WIRE_C_EXECVE, sizeof(e), "sh");
	strcpy(e.exe, "/bin/sh");
	memcpy(e.argv, "sh", 3);
	e.argv_len = 3;
	snprintf(e.cgroup[0], WIRE_CGROUP_NAME, "libpod-%s", id);
	strcpy(e.cgroup[1], "libpod_parent");
	e.cgroup_level = 2, e.ns_pid = 1, e.pidns = 4026532252u, e.netns = 4026532177u;
	render(&e, sizeof(e));
	CHECKF(strstr(line, " ctr=podman:4f9c1b2a3d4e") && strstr(line, id) &&
	       strstr(line, " ns_pid=1 pidns=4026532252 netns=4026532177 ") && !strstr(line, "pod="),
	       "%s", line);
	snprintf(e.cgroup[0], WIRE_CGROUP_NAME, "cri-containerd-%s.scope", id);
	strcpy(e.cgroup[1], "kubepods-besteffort-pod0b1c2d3e_4f50_6172_8394_a5b6c7d8e9f0.slice");
	strcpy(e.cgroup[2], "kubepods-besteffort.slice");
	render(&e, sizeof(e));
	CHECKF(strstr(line, " ctr=containerd:4f9c") &&
	       strstr(line, " pod=0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0 "), "%s", line);
	strcpy(e.cgroup[0], "session-3.scope");
	strcpy(e.cgroup[1], "user-0.slice");
	strcpy(e.cgroup[2], "user.slice");
	render(&e, sizeof(e));
	CHECKF(!strstr(line, "ctr=") && !strstr(line, "netns="), "%s", line);
}

static void test_exec_truncated_and_kinds(void)
{
	static struct wire_exec e;

	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, WIRE_EXEC, WIRE_C_EXECVE, sizeof(e), "x");
	memset(e.argv, 'a', WIRE_ARGV_MAX);  /* full buffer, no NUL: cut by the kernel */
	e.argv_len = WIRE_ARGV_MAX, e.argv_trunc = 1;
	e.fds[0].kind = WIRE_FD_PIPE, e.fds[1].kind = WIRE_FD_FILE, e.fds[2].kind = 99;
	render(&e, sizeof(e));
	CHECKF(strstr(line, " exe=\"\" argv=aaaa") != NULL, "%.80s", line);
	CHECK(strstr(line, "a argv_trunc=1 fd0=pipe fd1=file fd2=other => 0") != NULL);
	CHECKF(strlen(line) > WIRE_ARGV_MAX, "len %zu", strlen(line));
}

/* The working directory: whole, with bytes to quote, cut by the kernel (its end kept, marked),
 * the root, none; each written and read back the same (render checks the facts). */
static void test_exec_cwd(void)
{
	static struct wire_exec e;
	static const char dir[] = "/tmp/a dir/\"q\"";
	struct sw_event ev;
	char deep[WIRE_CWD_MAX];

	memset(&e, 0, sizeof(e));
	hdr(&e.hdr, WIRE_EXEC, WIRE_C_EXECVE, sizeof(e), "sh");
	strcpy(e.exe, "/bin/sh");
	memcpy(e.cwd, dir, sizeof(dir) - 1);
	e.cwd_len = sizeof(dir) - 1;
	render(&e, sizeof(e));
	CHECKF(strstr(line, " fd2=none cwd=\"/tmp/a dir/\\\"q\\\"\" => 0") != NULL, "%s", line);
	CHECK(live_decode(&e, sizeof(e), &ev, scratch, sizeof(scratch)) == 0);
	CHECK(sw_str_eqc(ev.exec.cwd, dir) && sw_str_eqc(*sw_event_arg(&ev, "cwd"), dir));
	/* cut: the kernel kept a full buffer of the path's end */
	for (size_t i = 0; i < sizeof(deep); i++)
		deep[i] = i % 8 ? 'd' : '/';
	memcpy(e.cwd, deep, sizeof(deep));
	e.cwd_len = WIRE_CWD_MAX, e.cwd_trunc = 1;
	CHECK(live_decode(&e, sizeof(e), &ev, scratch, sizeof(scratch)) == 0);
	CHECK(ev.exec.cwd.len == WIRE_CWD_MAX + 3 && !memcmp(ev.exec.cwd.p, ".../ddd", 7) &&
	      !memcmp(ev.exec.cwd.p + 3, deep, sizeof(deep)));
	render(&e, sizeof(e));
	e.cwd[0] = '/', e.cwd_len = 1, e.cwd_trunc = 0;
	render(&e, sizeof(e));
	CHECKF(strstr(line, " fd2=none cwd=/ => 0") != NULL, "%s", line);
	e.cwd_len = 0;              /* unreadable: no argument at all */
	render(&e, sizeof(e));
	CHECKF(!strstr(line, "cwd="), "%s", line);
	CHECK(live_decode(&e, sizeof(e), &ev, scratch, sizeof(scratch)) == 0 && !ev.exec.cwd.len);
}

static void test_process_events(void)
{
	struct wire_fork f = { 0 };
	struct wire_exit x = { 0 };

	hdr(&f.hdr, WIRE_FORK, WIRE_C_FORK, sizeof(f), "bash");
	f.child = 4242;
	EXPECT_LINE(f, "fork pid=100 ppid=1 uid=1000 t=123456789 comm=bash child=4242");
	hdr(&x.hdr, WIRE_EXIT, WIRE_C_EXIT, sizeof(x), "bash");
	x.status = 3 << 8;
	EXPECT_LINE(x, "exit pid=100 ppid=1 uid=1000 t=123456789 comm=bash code=3");
	x.status = 9;
	EXPECT_LINE(x, "exit pid=100 ppid=1 uid=1000 t=123456789 comm=bash code=0 sig=9");
}

static void test_comm_quoted(void)
{
	struct wire_fork f = { 0 };

	hdr(&f.hdr, WIRE_FORK, WIRE_C_FORK, sizeof(f), "");
	memcpy(f.hdr.comm, "my prog\xff\x01" "abcdefg", 16);  /* full 16 bytes, no NUL */
	EXPECT_LINE(f, "fork pid=100 ppid=1 uid=1000 t=123456789 comm=\"my prog\\xff\\x01abcdefg\" child=0");
}

static void test_bad_records(void)
{
	struct wire_dup d = { 0 };
	struct wire_fork f = { 0 };
	struct sw_event ev;

	hdr(&d.hdr, WIRE_DUP, WIRE_C_DUP2, sizeof(d), "a");
	CHECK(live_decode(&d, sizeof(d.hdr) - 1, &ev, scratch, sizeof(scratch)) == -EINVAL);
	CHECK(live_decode(&d, sizeof(d) - 1, &ev, scratch, sizeof(scratch)) == -EINVAL);
	d.hdr.size = sizeof(d) + 8;  /* header claims more than the record's type has */
	CHECK(live_decode(&d, sizeof(d), &ev, scratch, sizeof(scratch)) == -EINVAL);
	d.hdr.size = sizeof(d), d.hdr.call = WIRE_C_EXECVE;  /* call does not match the body */
	CHECK(live_decode(&d, sizeof(d), &ev, scratch, sizeof(scratch)) == -EINVAL);
	d.hdr.call = WIRE_C_MAX;
	CHECK(live_decode(&d, sizeof(d), &ev, scratch, sizeof(scratch)) == -EINVAL);
	d.hdr.call = 0;
	CHECK(live_decode(&d, sizeof(d), &ev, scratch, sizeof(scratch)) == -EINVAL);
	hdr(&f.hdr, WIRE_FORK, WIRE_C_FORK, sizeof(f), "bash");
	CHECK(live_decode(&f, sizeof(f), &ev, scratch, 4) == -ENOSPC);
	CHECK(live_decode(&f, sizeof(f), &ev, scratch, sizeof(scratch)) == 0);
}

int main(void)
{
	RUN(test_dup_family);
	RUN(test_sock);
	RUN(test_exec);
	RUN(test_exec_received_command);
	RUN(test_exec_container);
	RUN(test_exec_truncated_and_kinds);
	RUN(test_exec_cwd);
	RUN(test_process_events);
	RUN(test_comm_quoted);
	RUN(test_bad_records);
	return tap_done();
}
