/* test_strace_read.c: strace -f output to events: prefixes, times, the calls rules use, split
 * calls, threads, exits, and bad lines; with -y/-yy, fd annotations stripped from the numbers and
 * turned into the trace vocabulary's facts (sockets, pipes, terminals, files, fifos made in the
 * capture), and odd annotations rejected with a reason or ignored. */
#include <string.h>
#include <sys/socket.h>
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
	CHECK(arg_is(&ev, "argl", "2,2,10") && sw_str_eqc(ev.exec.argl, "2,2,10"));
	CHECK(parse("5 execve(\"/bin/cat\", [\"cat\", \"\", \"f\"], 0x1) = 0", &ev) == 1);
	CHECK(arg_is(&ev, "argv", "cat  f") && arg_is(&ev, "argl", "3,0,1"));
	CHECK(parse("5 execve(\"/bin/sh\", [\"sh\", \"-i\"], 0x1) = 0", &ev) == 1);
	CHECK(arg_is(&ev, "argv", "sh -i") && !sw_event_arg(&ev, "argl"));
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

/* The dup event of line: fd=, newfd= (or NULL) and the result as numbers, src= as given. */
static bool dup_is(const char *line, struct sw_event *ev, const char *fd, const char *newfd,
		   const char *ret, const char *src)
{
	if (parse(line, ev) != 1 || ev->kind != SW_EV_DUP || !arg_is(ev, "fd", fd))
		return false;
	if ((newfd && !arg_is(ev, "newfd", newfd)) || !sw_str_eqc(ev->ret, ret))
		return false;
	return src ? arg_is(ev, "src", src) : !sw_event_arg(ev, "src");
}

static void test_yy_dup_sockets(void)
{
	struct sw_event ev;
	const struct sw_fd *f = &ev.dup.src;

	CHECK(dup_is("5 dup2(3<TCP:[127.0.0.1:40000->127.0.0.1:4444]>, 1</dev/pts/0<char 136:0>>) = "
		     "1<TCP:[127.0.0.1:40000->127.0.0.1:4444]>", &ev, "3", "1", "1", "sock:inet"));
	CHECK(arg_is(&ev, "peer", "127.0.0.1:4444") && arg_is(&ev, "local", "127.0.0.1:40000"));
	CHECK(arg_is(&ev, "sock", "1") && ev.dup.oldfd == 3 && ev.dup.newfd == 1 && ev.dup.ret == 1);
	CHECK(f->kind == SW_FD_SOCK && f->family == AF_INET && f->pport == 4444 && f->lport == 40000);
	CHECK(f->paddr[0] == 127 && f->paddr[3] == 1 && f->laddr[0] == 127);
	CHECK(dup_is("5 dup2(3<TCPv6:[[::1]:40000->[::1]:4444]>, 0) = 0<TCPv6:[[::1]:40000->[::1]:4444]>",
		     &ev, "3", "0", "0", "sock:inet6"));
	CHECK(arg_is(&ev, "peer", "[::1]:4444") && arg_is(&ev, "local", "[::1]:40000"));
	CHECK(f->family == AF_INET6 && f->pport == 4444 && f->paddr[15] == 1 && f->lport == 40000);
	CHECK(dup_is("5 dup(3<UDP:[10.0.0.1:5353->10.0.0.2:53]>) = 4<UDP:[10.0.0.1:5353->10.0.0.2:53]>",
		     &ev, "3", NULL, "4", "sock:inet"));
	CHECK(f->family == AF_INET && f->pport == 53 && f->paddr[3] == 2);
	CHECK(dup_is("5 dup2(3<UNIX-STREAM:[12345->12346]>, 0) = 0<UNIX-STREAM:[12345->12346]>", &ev,
		     "3", "0", "0", "sock:unix"));
	CHECK(!sw_event_arg(&ev, "peer") && f->kind == SW_FD_SOCK && f->family == AF_UNIX);
	CHECK(dup_is("5 dup2(3<UNIX:[7,\"/run/a>b, c\"]>, 2) = 2<UNIX:[7,\"/run/a>b, c\"]>", &ev,
		     "3", "2", "2", "sock:unix"));
	CHECK(dup_is("5 dup2(3<socket:[123]>, 2) = 2<socket:[123]>", &ev, "3", "2", "2", "sock:other"));
	CHECK(arg_is(&ev, "sock", "1") && f->kind == SW_FD_SOCK && f->family == 0);
	CHECK(dup_is("5 fcntl(3<NETLINK:[ROUTE:1234]>, F_DUPFD_CLOEXEC, 0) = 4<NETLINK:[ROUTE:1234]>",
		     &ev, "3", NULL, "4", "sock:other"));
	CHECK(arg_is(&ev, "arg", "0") && ev.dup.flags == 1030);
	/* a socket before its connect (the inode only), a listening one (our end only) */
	CHECK(dup_is("5 dup2(3<TCP:[101250]>, 0) = 0<TCP:[101250]>", &ev, "3", "0", "0", "sock:inet"));
	CHECK(!sw_event_arg(&ev, "peer") && !sw_event_arg(&ev, "local") && f->pport == 0);
	CHECK(dup_is("5 dup(3<TCP:[0.0.0.0:4444]>) = 5<TCP:[0.0.0.0:4444]>", &ev, "3", NULL, "5",
		     "sock:inet"));
	CHECK(!sw_event_arg(&ev, "peer") && arg_is(&ev, "local", "0.0.0.0:4444") && f->lport == 4444);
}

static void test_yy_dup_others(void)
{
	struct sw_event ev;
	const struct sw_fd *f = &ev.dup.src;

	CHECK(dup_is("5 dup2(4<pipe:[79220]>, 1</tmp/out>) = 1<pipe:[79220]>", &ev, "4", "1", "1",
		     "pipe"));
	CHECK(arg_is(&ev, "pipe", "0:79220") && !sw_event_arg(&ev, "sock"));
	CHECK(f->kind == SW_FD_PIPE && f->ino == 79220 && f->dev == 0 && sw_fd_is_pipe(f));
	CHECK(dup_is("5 dup3(3<pipe:[5]>, 0</dev/null<char 1:3>>, O_CLOEXEC) = 0<pipe:[5]>", &ev, "3",
		     "0", "0", "pipe"));
	CHECK(arg_is(&ev, "flags", "O_CLOEXEC") && ev.dup.flags == 02000000 && f->ino == 5);
	/* terminals: by the device's major (-yy) or, without it, by the path */
	CHECK(dup_is("5 dup2(5</dev/pts/0<char 136:0>>, 0) = 0</dev/pts/0<char 136:0>>", &ev, "5", "0",
		     "0", "tty"));
	CHECK(f->kind == SW_FD_TTY);
	CHECK(dup_is("5 dup2(5</dev/pts/3>, 1) = 1</dev/pts/3>", &ev, "5", "1", "1", "tty"));
	CHECK(dup_is("5 dup(5</dev/tty<char 5:0>>) = 6</dev/tty<char 5:0>>", &ev, "5", NULL, "6",
		     "tty"));
	CHECK(dup_is("5 dup(5</dev/ttyS0<char 4:64>>) = 6</dev/ttyS0<char 4:64>>", &ev, "5", NULL, "6",
		     "tty"));
	CHECK(dup_is("5 dup(5</dev/ptmx<char 5:2>>) = 6</dev/ptmx<char 5:2>>", &ev, "5", NULL, "6",
		     "tty"));
	CHECK(dup_is("5 dup(5</dev/tty1>) = 6</dev/tty1>", &ev, "5", NULL, "6", "tty"));
	CHECK(dup_is("5 dup2(3</dev/null<char 1:3>>, 2) = 2</dev/null<char 1:3>>", &ev, "3", "2", "2",
		     "other"));
	CHECK(f->kind == SW_FD_OTHER);
	CHECK(dup_is("5 dup2(3</dev/null>, 2) = 2</dev/null>", &ev, "3", "2", "2", "other"));
	CHECK(dup_is("5 dup(3</dev/sda1<block 8:1>>) = 4</dev/sda1<block 8:1>>", &ev, "3", NULL, "4",
		     "other"));
	CHECK(dup_is("5 dup(3</dev/shm/x>) = 4</dev/shm/x>", &ev, "3", NULL, "4", "file"));
	/* files: paths quote <, > and " but not brackets, parentheses or commas */
	CHECK(dup_is("5 dup2(3</tmp/file>, 0) = 0</tmp/file>", &ev, "3", "0", "0", "file"));
	CHECK(f->kind == SW_FD_FILE && !sw_event_arg(&ev, "pipe"));
	CHECK(dup_is("5 dup2(3</tmp/a (b[, c{>, 1</tmp/x y>) = 1</tmp/a (b[, c{>", &ev, "3", "1", "1",
		     "file"));
	CHECK(dup_is("5 dup2(3</tmp/q\\\"x\\76y\\\\>, 1) = 1</tmp/q\\\"x\\76y\\\\>", &ev, "3", "1", "1",
		     "file"));
	CHECK(dup_is("5 dup2(3</tmp/del>(deleted), 100</tmp/o>(deleted)) = 100</tmp/del>(deleted)", &ev,
		     "3", "100", "100", "file"));
	CHECK(dup_is("5 dup(3<anon_inode:[eventfd]>) = 4<anon_inode:[eventfd]>", &ev, "3", NULL, "4",
		     "other"));
	CHECK(dup_is("5 dup(3<anon_inode:bpf-map>) = 4<anon_inode:bpf-map>", &ev, "3", NULL, "4",
		     "other"));
	CHECK(dup_is("5 dup(3<net:[4026531840]>) = 4<net:[4026531840]>", &ev, "3", NULL, "4", "other"));
	/* the result tells when the old fd does not */
	CHECK(dup_is("5 dup(3) = 4<pipe:[9]>", &ev, "3", NULL, "4", "pipe") && f->ino == 9);
	CHECK(dup_is("5 dup2(3<TCP:[1]>, 99) = -1 EBADF (Bad file descriptor)", &ev, "3", "99", "-9",
		     "sock:inet"));
}

static void test_yy_sockets(void)
{
	struct sw_event ev;
	const struct sw_fd *f = &ev.sock.sock;

	CHECK(parse("5 accept4(3<TCP:[127.0.0.1:4444]>, {sa_family=AF_INET, sin_port=htons(5555), "
		    "sin_addr=inet_addr(\"127.0.0.1\")}, [16], SOCK_CLOEXEC) = "
		    "4<TCP:[127.0.0.1:4444->127.0.0.1:5555]>", &ev) == 1);
	CHECK(arg_is(&ev, "fd", "3") && arg_is(&ev, "local", "127.0.0.1:4444"));
	CHECK(arg_is(&ev, "family", "inet") && arg_is(&ev, "addr", "127.0.0.1"));
	CHECK(arg_is(&ev, "port", "5555") && sw_str_eqc(ev.ret, "4"));
	CHECK(ev.kind == SW_EV_SOCK && ev.sock.accepted && ev.sock.fd == 3 && ev.sock.ret == 4);
	CHECK(f->family == AF_INET && f->lport == 4444 && f->pport == 5555 && f->laddr[0] == 127);
	/* no sockaddr: the peer from the new fd's annotation */
	CHECK(parse("5 accept(3<TCP:[0.0.0.0:4444]>, NULL, NULL) = 4<TCP:[10.0.0.5:4444->10.0.0.9:5555]>",
		    &ev) == 1);
	CHECK(arg_is(&ev, "family", "inet") && arg_is(&ev, "addr", "10.0.0.9"));
	CHECK(arg_is(&ev, "port", "5555"));
	CHECK(arg_is(&ev, "local", "10.0.0.5:4444") && f->paddr[3] == 9 && f->pport == 5555);
	CHECK(parse("5 accept4(3<TCPv6:[[::]:4444]>, NULL, NULL, 0) = 4<TCPv6:[[::1]:4444->[::1]:5555]>",
		    &ev) == 1);
	CHECK(arg_is(&ev, "family", "inet6") && arg_is(&ev, "addr", "::1"));
	CHECK(arg_is(&ev, "port", "5555"));
	CHECK(f->family == AF_INET6 && f->paddr[15] == 1 && f->pport == 5555 && f->lport == 4444);
	CHECK(parse("5 accept(3<UNIX-STREAM:[1,\"/run/s\"]>, NULL, NULL) = "
		    "4<UNIX-STREAM:[2->3,\"/run/s\"]>", &ev) == 1);
	CHECK(ev.nargs == 1 && arg_is(&ev, "fd", "3") && sw_str_eqc(ev.ret, "4"));
	/* connect: the socket's inode only, or our end when it was bound first */
	CHECK(parse("5 connect(3<TCP:[101250]>, {sa_family=AF_INET, sin_port=htons(4444), "
		    "sin_addr=inet_addr(\"127.0.0.1\")}, 16) = 0", &ev) == 1);
	CHECK(arg_is(&ev, "fd", "3") && !sw_event_arg(&ev, "local") && arg_is(&ev, "port", "4444"));
	CHECK(!ev.sock.accepted && ev.sock.fd == 3 && ev.sock.ret == 0 && f->pport == 4444);
	CHECK(parse("5 connect(3<UDP:[0.0.0.0:5353]>, {sa_family=AF_INET, sin_port=htons(53), "
		    "sin_addr=inet_addr(\"10.0.0.2\")}, 16) = 0", &ev) == 1);
	CHECK(arg_is(&ev, "local", "0.0.0.0:5353") && f->lport == 5353 && f->pport == 53);
	CHECK(parse("5 connect(5<TCPv6:[99930]>, {sa_family=AF_INET6, sin6_port=htons(22), "
		    "sin6_flowinfo=htonl(0), inet_pton(AF_INET6, \"::1\", &sin6_addr), sin6_scope_id=0}, "
		    "28) = -1 EINPROGRESS (Operation now in progress)", &ev) == 1);
	CHECK(arg_is(&ev, "fd", "5") && sw_str_eqc(ev.ret, "-115") && f->family == AF_INET6);
}

static void test_yy_results(void)
{
	struct sw_event ev;

	CHECK(parse("5 openat(AT_FDCWD</tmp/a b>, \"x\", O_RDONLY) = 3</tmp/a b/x>", &ev) == 1);
	CHECK(sw_str_eqc(ev.call, "openat") && sw_str_eqc(ev.ret, "3") && ev.nargs == 0);
	CHECK(parse("5 openat(AT_FDCWD</t>, \"/dev/null\", O_RDWR) = 4</dev/null<char 1:3>>", &ev) == 1 &&
	      sw_str_eqc(ev.ret, "4"));
	CHECK(parse("5 read(0</dev/pts/0<char 136:0>>, \"a<b>\", 3) = 3", &ev) == 1 &&
	      sw_str_eqc(ev.ret, "3"));
	CHECK(parse("5 socketpair(AF_UNIX, SOCK_STREAM, 0, [3<UNIX-STREAM:[1->2]>, 4<UNIX-STREAM:[2->1]>])"
		    " = 0", &ev) == 1 && sw_str_eqc(ev.ret, "0"));
	CHECK(parse("5 pipe2([3<pipe:[79220]>, 4<pipe:[79220]>], 0) = 0", &ev) == 1 && ev.nargs == 0);
	CHECK(parse("5 pselect6(4, [0<pipe:[1]> 3<TCP:[1.2.3.4:5->6.7.8.9:10]>], NULL, NULL, NULL, NULL)"
		    " = 1 (in [0])", &ev) == 1 && sw_str_eqc(ev.ret, "1"));
	CHECK(parse("5 execveat(AT_FDCWD</tmp>, \"/bin/sh\", [\"sh\"], 0x7ff /* 1 var */, 0) = 0",
		    &ev) == 1);
	CHECK(arg_is(&ev, "exe", "/bin/sh") && arg_is(&ev, "argv", "sh"));
	/* split calls keep the annotations of both halves */
	CHECK(parse("20 dup2(4<pipe:[7]>, 1</dev/null<char 1:3>> <unfinished ...>", &ev) == 0);
	CHECK(dup_is("20 <... dup2 resumed>) = 1<pipe:[7]>", &ev, "4", "1", "1", "pipe"));
	CHECK(arg_is(&ev, "pipe", "0:7"));
}

static void test_yy_fifos(void)
{
	struct sw_event ev;
	uint64_t f1, f2;

	CHECK(parse("30 mknodat(AT_FDCWD</tmp/w>, \"f\", S_IFIFO|0666) = 0", &ev) == 1);
	CHECK(dup_is("31 dup2(3</tmp/w/f>, 0</dev/null<char 1:3>>) = 0</tmp/w/f>", &ev, "3", "0", "0",
		     "fifo"));
	f1 = ev.dup.src.ino;
	CHECK(ev.dup.src.kind == SW_FD_FIFO && f1 > (1ULL << 62) && ev.dup.src.dev == 0);
	CHECK(dup_is("32 dup2(3</tmp/w/f>, 1) = 1</tmp/w/f>", &ev, "3", "1", "1", "fifo"));
	CHECK(ev.dup.src.ino == f1);
	CHECK(parse("30 mknod(\"/tmp/g\", S_IFIFO|0600) = 0", &ev) == 1);
	CHECK(dup_is("32 dup(3</tmp/g>) = 4</tmp/g>", &ev, "3", NULL, "4", "fifo"));
	CHECK(ev.dup.src.ino != f1);
	CHECK(parse("30 mknodat(AT_FDCWD</tmp/w>, \"./k\", S_IFIFO|0666) = 0", &ev) == 1);
	CHECK(dup_is("32 dup(3</tmp/w/k>) = 4</tmp/w/k>", &ev, "3", NULL, "4", "fifo"));
	CHECK(parse("30 mknodat(AT_FDCWD</tmp/a\\76b>, \"f\\\"\", S_IFIFO|0666) = 0", &ev) == 1);
	CHECK(dup_is("32 dup(3</tmp/a\\76b/f\\\">) = 4</tmp/a\\76b/f\\\">", &ev, "3", NULL, "4", "fifo"));
	/* not fifos: a relative name without a directory, a regular file, a failed mknod */
	CHECK(parse("30 mknod(\"h\", S_IFIFO|0600) = 0", &ev) == 1);
	CHECK(dup_is("32 dup(3</h>) = 4</h>", &ev, "3", NULL, "4", "file"));
	CHECK(parse("30 mknodat(AT_FDCWD</tmp/w>, \"r\", S_IFREG|0644) = 0", &ev) == 1);
	CHECK(dup_is("32 dup(3</tmp/w/r>) = 4</tmp/w/r>", &ev, "3", NULL, "4", "file"));
	CHECK(parse("30 mknodat(AT_FDCWD</tmp/w>, \"e\", S_IFIFO|0666) = -1 EEXIST (File exists)",
		    &ev) == 1);
	CHECK(dup_is("32 dup(3</tmp/w/e>) = 4</tmp/w/e>", &ev, "3", NULL, "4", "file"));
	/* removed, it is a file again; made again, it is another fifo */
	CHECK(parse("30 unlinkat(AT_FDCWD</tmp/w>, \"f\", 0) = 0", &ev) == 1);
	CHECK(dup_is("32 dup(3</tmp/w/f>) = 4</tmp/w/f>", &ev, "3", NULL, "4", "file"));
	CHECK(parse("30 unlink(\"/tmp/g\") = 0", &ev) == 1);
	CHECK(dup_is("32 dup(3</tmp/g>) = 4</tmp/g>", &ev, "3", NULL, "4", "file"));
	CHECK(parse("30 mknodat(AT_FDCWD</tmp/w>, \"f\", S_IFIFO|0666) = 0", &ev) == 1);
	CHECK(dup_is("32 dup(3</tmp/w/f>) = 4</tmp/w/f>", &ev, "3", NULL, "4", "fifo"));
	f2 = ev.dup.src.ino;
	CHECK(f2 != f1 && f2 > (1ULL << 62));
	/* more fifos than the reader remembers: the oldest are forgotten, nothing breaks */
	for (int i = 0; i < 100; i++) {
		char line[128];

		snprintf(line, sizeof(line), "30 mknodat(AT_FDCWD</tmp/m>, \"%d\", S_IFIFO|0600) = 0",
			 i);
		CHECK(parse(line, &ev) == 1);
	}
	CHECK(dup_is("32 dup(3</tmp/m/99>) = 4</tmp/m/99>", &ev, "3", NULL, "4", "fifo"));
	CHECK(dup_is("32 dup(3</tmp/m/0>) = 4</tmp/m/0>", &ev, "3", NULL, "4", "file"));
}

/* Odd or cut annotations: a line that no longer parses is rejected with a reason (and counted as
 * a bad line by the caller); otherwise what follows the number is ignored or says little. */
static void test_yy_odd(void)
{
	static const char *bad[] = {
		"5 dup2(3<TCP:[1.2.3.4:5, 1) = 1",
		"5 dup2(3<UNIX:[1,\"/run/x]>, 1) = 1",
		"5 dup2(3<TCP:[1.2.3.4:5->6.7.8.9:10]>, 1<pipe:[",
		"5 dup2(3<pipe:[1]>, 1) = <pipe:[1]>",
	};
	struct sw_event ev;
	char line[1024];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECKF(parse(bad[i], &ev) == -1, "not rejected with a reason: %s", bad[i]);
	CHECK(dup_is("5 dup2(3<, 1) = 1", &ev, "3", "1", "1", NULL));
	CHECK(dup_is("5 dup2(3<>, 1) = 1<>", &ev, "3", "1", "1", NULL));
	CHECK(dup_is("5 dup2(3</dev/pts/0<char 136:0, 0) = 0", &ev, "3", "0", "0", NULL));
	CHECK(dup_is("5 dup(3<TCP:[1.2.3.4:5->6.7.8.9:10]>>) = 4", &ev, "3", NULL, "4", NULL));
	CHECK(dup_is("5 dup2(3<TCP:[1.2.3.4:99999->x]>, 1) = 1<", &ev, "3", "1", "1", "sock:inet"));
	CHECK(ev.dup.src.family == AF_INET && ev.dup.src.pport == 0 && ev.dup.src.lport == 0);
	CHECK(dup_is("5 dup2(3<pipe:[12x]>, 0) = 0", &ev, "3", "0", "0", "pipe"));
	CHECK(!sw_event_arg(&ev, "pipe") && !sw_fd_is_pipe(&ev.dup.src));
	CHECK(dup_is("5 dup2(3<pipe:[]>, 0) = 0", &ev, "3", "0", "0", "pipe"));
	CHECK(dup_is("5 dup2(3<:[1]>, 0) = 0", &ev, "3", "0", "0", "other"));
	CHECK(dup_is("5 dup2(3<weird>, 0) = 0", &ev, "3", "0", "0", "other"));
	CHECK(dup_is("5 dup2(3<tcp:[1.2.3.4:5->6.7.8.9:10]>, 0) = 0", &ev, "3", "0", "0", "other"));
	CHECK(parse("5 write(1<pipe:[1]>, \"3<x\", 3) = 3", &ev) == 1 && sw_str_eqc(ev.ret, "3"));
	CHECK(parse("5 ioctl(3<TCP:[1]>, FIONREAD, [1<<3]) = 0", &ev) == 1);
	/* a long path */
	memset(line, 0, sizeof(line));
	strcpy(line, "5 dup(3</");
	memset(line + strlen(line), 'a', 900);
	strcat(line, ">) = 4");
	CHECK(dup_is(line, &ev, "3", NULL, "4", "file"));
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
	RUN(test_yy_dup_sockets);
	RUN(test_yy_dup_others);
	RUN(test_yy_sockets);
	RUN(test_yy_results);
	RUN(test_yy_fifos);
	RUN(test_yy_odd);
	RUN(test_bad_lines);
	strace_reader_free(rd);
	return tap_done();
}
