/* test_strace_read.c: strace -f output to events: prefixes, times, the calls rules use, split
 * calls, threads, exits, and bad lines. */
#include <string.h>
#include "strace_read.h"
#include "tap.h"

static struct strace_reader *rd;

static int parse(const char *line, struct sw_event *ev)
{
	static char buf[1024];
	const char *why = NULL;
	int rc;

	snprintf(buf, sizeof(buf), "%s", line);
	rc = strace_parse_line(rd, buf, strlen(buf), ev, &why);
	if (rc < 0 && !why)
		return -2; /* a bad line must say why */
	return rc;
}

static bool arg_is(const struct sw_event *ev, const char *name, const char *val)
{
	const struct sw_str *v = sw_event_arg(ev, name);

	return v && sw_str_eqc(*v, val);
}

static void test_prefixes_and_times(void)
{
	struct sw_event ev;

	CHECK(parse("dup2(3, 0) = 0", &ev) == 1 && !ev.has_pid && !ev.has_time);
	CHECK(parse("[pid  1234] dup2(3, 0) = 0", &ev) == 1 && ev.has_pid && ev.pid == 1234);
	CHECK(parse("1234  dup2(3, 0)   = 0", &ev) == 1 && ev.pid == 1234);
	CHECK(parse("77 13:55:56 dup(3) = 4", &ev) == 1 && ev.t_ns == 50156ULL * 1000000000ULL);
	CHECK(parse("77 13:55:56.524212 dup(3) = 4", &ev) == 1 &&
	      ev.t_ns == 50156ULL * 1000000000ULL + 524212000ULL);
	CHECK(parse("1795355778.673624 dup(3) = 4", &ev) == 1 && !ev.has_pid &&
	      ev.t_ns == 1795355778ULL * 1000000000ULL + 673624000ULL);
	CHECK(parse("[pid 9] 1795355778.5 dup(3) = 4", &ev) == 1 && ev.pid == 9 &&
	      ev.t_ns == 1795355778500000000ULL);
}

static void test_sockets(void)
{
	struct sw_event ev;

	CHECK(parse("5 connect(3, {sa_family=AF_INET, sin_port=htons(4444), "
		    "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0", &ev) == 1);
	CHECK(sw_str_eqc(ev.call, "connect") && arg_is(&ev, "fd", "3") && arg_is(&ev, "family", "inet"));
	CHECK(arg_is(&ev, "addr", "127.0.0.1") && arg_is(&ev, "port", "4444") && sw_str_eqc(ev.ret, "0"));
	CHECK(parse("5 connect(4, {sa_family=AF_INET6, sin6_port=htons(22), sin6_flowinfo=htonl(0), "
		    "inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, 28) = -1 EINPROGRESS "
		    "(Operation now in progress)", &ev) == 1);
	CHECK(arg_is(&ev, "family", "inet6") && arg_is(&ev, "addr", "::1") && arg_is(&ev, "port", "22"));
	CHECK(sw_str_eqc(ev.ret, "-115"));
	CHECK(parse("5 connect(3, {sa_family=AF_UNIX, sun_path=\"/run/x\"}, 110) = -1 ENOENT (No such "
		    "file or directory)", &ev) == 1);
	CHECK(arg_is(&ev, "family", "unix") && arg_is(&ev, "addr", "/run/x") && sw_str_eqc(ev.ret, "-2"));
	CHECK(parse("5 accept4(3, {sa_family=AF_INET, sin_port=htons(59070), sin_addr=inet_addr("
		    "\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = 4", &ev) == 1);
	CHECK(sw_str_eqc(ev.call, "accept4") && arg_is(&ev, "fd", "3") && sw_str_eqc(ev.ret, "4"));
	CHECK(parse("5 accept(3, NULL, NULL) = 7", &ev) == 1 && arg_is(&ev, "fd", "3") && ev.nargs == 1);
}

static void test_dup_family(void)
{
	struct sw_event ev;

	CHECK(parse("5 dup(3) = 4", &ev) == 1 && arg_is(&ev, "fd", "3") && sw_str_eqc(ev.ret, "4"));
	CHECK(parse("5 dup2(4, 1) = 1", &ev) == 1 && arg_is(&ev, "newfd", "1"));
	CHECK(parse("5 dup3(4, 2, O_CLOEXEC) = 2", &ev) == 1 && arg_is(&ev, "flags", "O_CLOEXEC"));
	CHECK(parse("5 fcntl(3, F_DUPFD_CLOEXEC, 0) = 4", &ev) == 1 && arg_is(&ev, "cmd", "F_DUPFD_CLOEXEC"));
	CHECK(arg_is(&ev, "arg", "0") && sw_str_eqc(ev.ret, "4"));
	CHECK(parse("5 fcntl(3, F_SETFD, FD_CLOEXEC) = 0", &ev) == 0); /* not a dup: no event */
	CHECK(parse("5 dup2(3, 99) = -1 EBADF (Bad file descriptor)", &ev) == 1 && sw_str_eqc(ev.ret, "-9"));
}

static void test_exec(void)
{
	struct sw_event ev;

	CHECK(parse("5 execve(\"/bin/sh\", [\"sh\", \"-c\", \"echo \\\"hi\\\"\\n\"], 0x7ff /* 37 vars */) = 0",
		    &ev) == 1);
	CHECK(arg_is(&ev, "exe", "/bin/sh") && arg_is(&ev, "argv", "sh -c echo \"hi\"\n"));
	CHECK(!sw_event_arg(&ev, "argv_trunc"));
	CHECK(parse("5 execve(\"/usr/bin/python3\", [\"python3\", \"-c\", \"import socket,os,sub\"...], "
		    "0x5 /* 3 vars */) = 0", &ev) == 1);
	CHECK(arg_is(&ev, "argv", "python3 -c import socket,os,sub") && arg_is(&ev, "argv_trunc", "1"));
	CHECK(parse("5 execve(\"/nope\", [\"nope\"], 0x1 /* 1 var */) = -1 ENOENT (No such file)", &ev) == 0);
	CHECK(parse("5 execve(\"\\33\\0x\", [\"a\"], 0x1) = 0", &ev) == 1 && ev.args[0].val.len == 3);
}

static void test_processes(void)
{
	struct sw_event ev;

	CHECK(parse("10 clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|SIGCHLD, child_tidptr=0x7f)"
		    " = 11", &ev) == 1);
	CHECK(sw_str_eqc(ev.call, "fork") && arg_is(&ev, "child", "11") && ev.pid == 10);
	CHECK(parse("11 dup(3) = 4", &ev) == 1 && ev.pid == 11 && ev.ppid == 10);
	CHECK(parse("10 clone3({flags=CLONE_VM|CLONE_FS|CLONE_THREAD|CLONE_SIGHAND, exit_signal=0}, 88)"
		    " = 12", &ev) == 0);
	CHECK(parse("12 dup(3) = 5", &ev) == 1 && ev.pid == 10); /* a thread counts for its process */
	CHECK(parse("12 +++ exited with 0 +++", &ev) == 0);     /* a thread ending is not an exit */
	CHECK(parse("10 vfork() = 13", &ev) == 1 && arg_is(&ev, "child", "13"));
	CHECK(parse("13 exit_group(0) = ?", &ev) == 0);
	CHECK(parse("13 +++ exited with 3 +++", &ev) == 1 && sw_str_eqc(ev.call, "exit"));
	CHECK(arg_is(&ev, "code", "3") && ev.pid == 13);
	CHECK(parse("14 +++ killed by SIGKILL +++", &ev) == 1 && arg_is(&ev, "code", "SIGKILL"));
	CHECK(parse("10 --- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=13} ---", &ev) == 0);
	CHECK(parse("strace: Process 10 attached", &ev) == 0);
}

static void test_split_calls(void)
{
	struct sw_event ev;

	CHECK(parse("20 dup2(3, 0 <unfinished ...>", &ev) == 0);
	CHECK(parse("21 dup(7) = 8", &ev) == 1 && ev.pid == 21);
	CHECK(parse("20 <... dup2 resumed>) = 0", &ev) == 1);
	CHECK(sw_str_eqc(ev.call, "dup2") && arg_is(&ev, "fd", "3") && arg_is(&ev, "newfd", "0"));
	CHECK(parse("20 clone(child_stack=NULL, flags=SIGCHLD <unfinished ...>", &ev) == 0);
	CHECK(parse("20 <... clone resumed>, child_tidptr=0x7f) = 22", &ev) == 1 && arg_is(&ev, "child", "22"));
	CHECK(parse("20 read(0,  <detached ...>", &ev) == 0);
}

static void test_bad_lines(void)
{
	static const char *bad[] = {
		"5 dup2(3, 0", "5 dup2 3, 0) = 0", "5 dup2(3, 0)", "5 dup2(3, 0) =", "[pid x] dup(3) = 4",
		"5 25:00:00 dup(3) = 4", "5 <... dup resumed>) = 4", "5 <... dup) = 4",
		"5 connect(3) = 0", "5 write(1, \"abc, 3) = 3", "5 1.x dup(1) = 2", "5 dup3(3, 0) = 0",
		"5 dup2(3) = 3", "5 dup() = 3",
	};
	struct sw_event ev;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECKF(parse(bad[i], &ev) == -1, "not rejected with a reason: %s", bad[i]);
}

int main(void)
{
	rd = strace_reader_new();
	RUN(test_prefixes_and_times);
	RUN(test_sockets);
	RUN(test_dup_family);
	RUN(test_exec);
	RUN(test_processes);
	RUN(test_split_calls);
	RUN(test_bad_lines);
	strace_reader_free(rd);
	return tap_done();
}
