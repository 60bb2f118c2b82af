/* test_live_decode.c: the wire -> sw_event conversion (user/live_decode.c), checked through the
 * trace lines record writes, with hand-built wire records and hand-written expected lines. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include "live.h"
#include "tap.h"
#include "trace_fmt.h"

static char scratch[8192], line[20000];

static void hdr(struct wire_hdr *h, uint16_t type, uint16_t call, uint32_t size, const char *comm)
{
	h->type = type;
	h->call = call;
	h->size = size;
	h->ktime = 123456789;
	h->pid = 100, h->tid = 101, h->ppid = 1, h->uid = 1000;
	strncpy(h->comm, comm, sizeof(h->comm));
}

/* Decode and format; the line, or "ERR <errno>". */
static const char *render(const void *raw, size_t size)
{
	struct sw_event ev;
	int err = live_decode(raw, size, &ev, scratch, sizeof(scratch));

	if (err) {
		snprintf(line, sizeof(line), "ERR %d", -err);
		return line;
	}
	trace_format(&ev, line, sizeof(line));
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
	EXPECT_LINE(s, "accept4 pid=100 ppid=1 uid=1000 t=123456789 comm=nc fd=3 family=inet6 addr=fe80::1 port=50000 => 4");
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
		       "peer0=127.0.0.2:40000 local0=127.0.0.1:22 peer1=[::1]:7 local1=[::]:0 => 0");
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
	RUN(test_exec_truncated_and_kinds);
	RUN(test_process_events);
	RUN(test_comm_quoted);
	RUN(test_bad_records);
	return tap_done();
}
