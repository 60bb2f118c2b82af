/* test_procscan.c: what user/sources/procscan.c reads from /proc: a fake /proc tree with hand-written
 * socket tables (IPv4 and IPv6 endpoints, stat with a tricky comm), and the real /proc with a
 * child of this test that holds a loopback TCP connection on its stdin. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "procscan.h"
#include "tap.h"

#define MAXE 4096

static struct procscan_entry seen[8];
static uint32_t want_pid;
static int nseen, total;

static void collect(void *ctx, const struct procscan_entry *e)
{
	(void)ctx;
	total++;
	if ((!want_pid || e->pid == want_pid) && nseen < 8)
		seen[nseen++] = *e;
}

/* len 0: the whole string */
static void put(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!len)
		len = strlen(text);
	if (f) {
		fwrite(text, 1, len, f);
		fclose(f);
	}
}

/* A path of 40 components of 9 bytes ("/dir00000" ...): longer than WIRE_CWD_MAX. */
static const char *long_dir(void)
{
	static char d[400];

	for (int i = 0; i < 40; i++)
		snprintf(d + 9 * i, sizeof(d) - 9 * (size_t)i, "/dir%05d", i);
	return d;
}

/* The entry's proc event names the working directory it read. */
static void check_proc_cwd(const struct procscan_entry *e, const char *want)
{
	static char scratch[PROCSCAN_SCRATCH];
	struct sw_event ev;
	const struct sw_str *v;

	CHECK(procscan_event(e, 1, &ev, scratch, sizeof(scratch)) == 0);
	v = sw_event_arg(&ev, "cwd");
	CHECKF(v && sw_str_eqc(*v, want) && sw_str_eqc(ev.exec.cwd, want), "%.*s",
	       v ? (int)v->len : 0, v ? v->p : "");
}

static void test_fake_proc(void)
{
	char root[] = "/tmp/sw-procscan-XXXXXX", p[256];
	struct in6_addr v6;
	uint8_t lo[4] = { 127, 0, 0, 1 };

	if (!mkdtemp(root)) {
		CHECKF(0, "mkdtemp");
		return;
	}
	snprintf(p, sizeof(p), "%s/net", root), mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/42", root), mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/42/fd", root), mkdir(p, 0700);
	snprintf(p, sizeof(p), "%s/net/tcp", root);
	put(p, "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	       "   0: 0100007F:A000 0100007F:115C 01 00000000:00000000 00:00000000 00000000     0        0 555 1 0 20 4 30 10 -1\n", 0);
	snprintf(p, sizeof(p), "%s/net/tcp6", root);
	put(p, "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	       "   0: 00000000000000000000000001000000:A001 00000000000000000000000001000000:2329 01 00000000:00000000 00:00000000 00000000     0        0 777 1 0 20 4 30 10 -1\n", 0);
	snprintf(p, sizeof(p), "%s/42/stat", root);
	put(p, "42 (we) ird) S 7 42 42 0 -1\n", 0);
	snprintf(p, sizeof(p), "%s/42/cmdline", root);
	put(p, "bash\0-i\0", 8);
	snprintf(p, sizeof(p), "%s/42/fd/0", root);
	CHECK(symlink("socket:[555]", p) == 0);
	snprintf(p, sizeof(p), "%s/42/fd/1", root);
	CHECK(symlink("socket:[777]", p) == 0);
	snprintf(p, sizeof(p), "%s/42/fd/2", root);
	CHECK(symlink("pipe:[9]", p) == 0);
	snprintf(p, sizeof(p), "%s/42/cwd", root);
	CHECK(symlink("/srv/a dir", p) == 0);
	nseen = total = 0, want_pid = 0;
	CHECKF(procscan(root, collect, NULL) == 1 && nseen == 1, "total %d", total);
	if (nseen != 1)
		return;
	CHECK(seen[0].pid == 42 && seen[0].ppid == 7 && !strcmp(seen[0].comm, "we) ird"));
	CHECK(!strcmp(seen[0].cmd, "bash -i"));
	CHECK(seen[0].stdio[0].kind == WIRE_FD_SOCK && seen[0].stdio[0].family == AF_INET);
	CHECK(!memcmp(seen[0].stdio[0].paddr, lo, 4) && seen[0].stdio[0].pport == 4444);
	CHECK(seen[0].stdio[0].lport == 0xA000);
	inet_pton(AF_INET6, "::1", &v6);
	CHECK(seen[0].stdio[1].family == AF_INET6 && !memcmp(seen[0].stdio[1].paddr, &v6, 16));
	CHECK(seen[0].stdio[1].pport == 9001);
	CHECK(seen[0].stdio[2].kind == WIRE_FD_PIPE);
	CHECK(seen[0].cwd_len == 10 && !memcmp(seen[0].cwd, "/srv/a dir", 10) && !seen[0].cwd_trunc);
	check_proc_cwd(&seen[0], "/srv/a dir");
	/* a cwd longer than the kernel keeps: its end from a '/' on, marked cut */
	snprintf(p, sizeof(p), "%s/42/cwd", root);
	unlink(p);
	CHECK(symlink(long_dir(), p) == 0);
	nseen = total = 0;
	CHECK(procscan(root, collect, NULL) == 1 && nseen == 1);
	CHECK(nseen == 1 && seen[0].cwd_trunc && seen[0].cwd_len <= WIRE_CWD_MAX &&
	      seen[0].cwd[0] == '/' && !memcmp(seen[0].cwd, long_dir() + strlen(long_dir()) -
					      seen[0].cwd_len, seen[0].cwd_len));
	snprintf(p, sizeof(p), "rm -rf %s", root);
	CHECK(system(p) == 0);
}

/* A child with a loopback TCP connection on its stdin, as a reverse shell started earlier. */
static void test_real_proc(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0), hold[2], s;
	pid_t child;

	CHECK(l >= 0 && c >= 0 && pipe(hold) == 0);
	CHECK(bind(l, (struct sockaddr *)&sa, sizeof(sa)) == 0 && listen(l, 1) == 0);
	CHECK(getsockname(l, (struct sockaddr *)&sa, &len) == 0);
	CHECK(connect(c, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	s = accept(l, NULL, NULL);
	child = fork();
	if (child == 0) {
		char b;

		dup2(c, 0);
		close(hold[1]);
		while (read(hold[0], &b, 1) > 0)
			;
		_exit(0);
	}
	close(hold[0]);
	nseen = total = 0, want_pid = (uint32_t)child;
	/* the child may not have done its dup2 yet: rescan until it has, a bounded number of times */
	for (int i = 0; i < 500; i++) {
		nseen = 0;
		procscan("/proc", collect, NULL);
		if (nseen && seen[0].stdio[0].kind == WIRE_FD_SOCK)
			break;
		usleep(10000);
	}
	CHECKF(nseen == 1 && total > 1, "seen %d of %d", nseen, total);
	if (nseen == 1) {
		CHECK(seen[0].ppid == (uint32_t)getpid());
		CHECKF(seen[0].stdio[0].kind == WIRE_FD_SOCK && seen[0].stdio[0].family == AF_INET,
		       "kind %d family %d", seen[0].stdio[0].kind, seen[0].stdio[0].family);
		CHECK(seen[0].stdio[0].pport == ntohs(sa.sin_port));
		CHECK(seen[0].exe[0] == '/');
	}
	close(hold[1]);
	waitpid(child, NULL, 0);
	close(s), close(c), close(l);
}

static void test_missing_root(void)
{
	CHECK(procscan("/nonexistent-proc", collect, NULL) < 0);
}

int main(void)
{
	RUN(test_fake_proc);
	RUN(test_real_proc);
	RUN(test_missing_root);
	return tap_done();
}
