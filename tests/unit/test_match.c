/* test_match.c: the matcher, through the engine (PWW with one window over everything, and the
 * incremental matcher): the dup group in every order, interleaved noise, variable mismatches,
 * distinct variables, call alternatives and optional arguments. */
#include "rules.h"
#include "tap.h"
#include "test_engine_util.h"

static const char seed_rule[] = "rule bind\naccept fd=x => y\n"
				"dup fd=y => 0 | dup fd=y => 1 | dup fd=y => 2\nexecve exe=z\n";

/* Detections of rules text on lines, in both modes; -1 if the modes disagree. */
static int detections(const char *rules, const char *const *lines, unsigned n)
{
	struct ruleset rs = { 0 };
	char err[256];
	unsigned count[2];

	if (rules_parse(&rs, rules, strlen(rules), "t", err, sizeof(err)))
		return -2;
	for (int m = 0; m < 2; m++) {
		struct got g;
		struct engine *e = new_engine(&rs, m ? ENGINE_INCREMENTAL : ENGINE_PWW, 64, 64, &g);

		for (unsigned i = 0; i < n; i++)
			feed_line(e, lines[i], i + 1);
		engine_flush(e);
		engine_free(e);
		count[m] = g.n;
	}
	rules_free(&rs);
	return count[0] == count[1] ? (int)count[0] : -1;
}

static void test_every_dup_order(void)
{
	static const int perm[6][3] = { { 0, 1, 2 }, { 0, 2, 1 }, { 1, 0, 2 },
					{ 1, 2, 0 }, { 2, 0, 1 }, { 2, 1, 0 } };

	for (int p = 0; p < 6; p++) {
		char dups[3][32];
		const char *lines[] = { "accept fd=3 => 4", "read fd=0", dups[0], "write fd=1",
					dups[1], dups[2], "mmap", "execve exe=/bin/sh" };

		for (int k = 0; k < 3; k++)
			snprintf(dups[k], sizeof(dups[k]), "dup fd=4 => %d", perm[p][k]);
		CHECKF(detections(seed_rule, lines, 8) == 1, "order %d%d%d", perm[p][0], perm[p][1],
		       perm[p][2]);
	}
}

static void test_mismatches(void)
{
	const char *wrong_fd[] = { "accept fd=3 => 4", "dup fd=4 => 0", "dup fd=5 => 1",
				   "dup fd=4 => 2", "execve exe=/bin/sh" };
	const char *missing[] = { "accept fd=3 => 4", "dup fd=4 => 0", "dup fd=4 => 1",
				  "execve exe=/bin/sh" };
	const char *early_exec[] = { "accept fd=3 => 4", "dup fd=4 => 0", "dup fd=4 => 1",
				     "execve exe=/bin/sh", "dup fd=4 => 2" };
	const char *no_exe[] = { "accept fd=3 => 4", "dup fd=4 => 0", "dup fd=4 => 1",
				 "dup fd=4 => 2", "execve" };

	CHECK(detections(seed_rule, wrong_fd, 5) == 0);
	CHECK(detections(seed_rule, missing, 4) == 0);
	CHECK(detections(seed_rule, early_exec, 5) == 0);
	CHECK(detections(seed_rule, no_exe, 5) == 0); /* exe=z needs the argument */
}

static void test_rebinding_by_backtracking(void)
{
	/* the first accept is a decoy: only the second one's fd is dup'ed */
	const char *lines[] = { "accept fd=3 => 4", "accept fd=3 => 5", "dup fd=5 => 0",
				"dup fd=5 => 1", "dup fd=5 => 2", "execve exe=/bin/sh" };

	CHECK(detections(seed_rule, lines, 6) == 1);
}

static void test_distinct_variables(void)
{
	/* x and y cannot both be 4 */
	const char *same[] = { "accept fd=4 => 4", "dup fd=4 => 0", "dup fd=4 => 1", "dup fd=4 => 2",
			       "execve exe=/bin/sh" };

	CHECK(detections(seed_rule, same, 5) == 0);
}

static void test_default_rules_shapes(void)
{
	const char *bash[] = { "connect pid=5 fd=3 family=inet addr=127.0.0.1 port=4444 => 0",
			       "dup2 pid=5 fd=3 newfd=1 => 1", "dup2 pid=5 fd=1 newfd=2 => 2",
			       "dup2 pid=5 fd=1 newfd=0 => 0", "execve pid=5 exe=/bin/bash => 0" };
	const char *unix_sock[] = { "connect pid=5 fd=3 family=unix addr=/x => 0",
				    "dup2 pid=5 fd=3 newfd=0 => 0", "dup2 pid=5 fd=3 newfd=1 => 1",
				    "dup2 pid=5 fd=3 newfd=2 => 2", "execve pid=5 exe=/bin/sh => 0" };
	const char *seed_mixed[] = { "accept fd=3 => 4", "dup3 fd=4 newfd=2 => 2",
				     "fcntl fd=4 cmd=F_DUPFD arg=0 => 0", "dup2 fd=4 newfd=1 => 1",
				     "execve exe=/bin/sh" };

	CHECK(detections(rules_default_text, bash, 5) == 1);
	CHECK(detections(rules_default_text, unix_sock, 5) == 0); /* family?= rejects unix */
	CHECK(detections(rules_default_text, seed_mixed, 5) == 1); /* no family: still matches */
}

static void test_many_candidates(void)
{
	/* 200 accepts, each fd dup'ed onto 0 and 1 but never 2: many partial matches, none whole */
	static char buf[601][40];
	const char *lines[601];
	unsigned n = 0;

	for (unsigned i = 0; i < 200; i++)
		snprintf(buf[n], sizeof(buf[n]), "accept fd=3 => %u", 10 + i), lines[n] = buf[n], n++;
	for (unsigned i = 0; i < 200; i++) {
		snprintf(buf[n], sizeof(buf[n]), "dup fd=%u => 0", 10 + i), lines[n] = buf[n], n++;
		snprintf(buf[n], sizeof(buf[n]), "dup fd=%u => 1", 10 + i), lines[n] = buf[n], n++;
	}
	snprintf(buf[n], sizeof(buf[n]), "execve exe=/bin/sh"), lines[n] = buf[n], n++;
	CHECK(detections(seed_rule, lines, n) == 0);
}

int main(void)
{
	RUN(test_every_dup_order);
	RUN(test_mismatches);
	RUN(test_rebinding_by_backtracking);
	RUN(test_distinct_variables);
	RUN(test_default_rules_shapes);
	RUN(test_many_candidates);
	return tap_done();
}
