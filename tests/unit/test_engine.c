/* test_engine.c: process streams: events of different processes never combine, a child inherits
 * its parent's recent events (also when its own events came first), exit frees a stream, the
 * caps count what they drop, an instance is reported once, the incremental matcher has no delay. */
#include "rules.h"
#include "tap.h"
#include "test_engine_util.h"

static struct ruleset rs;

static void feed_all(struct engine *e, const char *const *lines, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		CHECKF(feed_line(e, lines[i], i + 1) == 1, "bad test line %s", lines[i]);
	engine_flush(e);
}

static void test_processes_apart(void)
{
	const char *lines[] = { "connect pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 0",
				"dup2 pid=2 fd=3 => 1", "dup2 pid=1 fd=3 => 2", "execve pid=1 exe=/bin/sh => 0" };

	for (int m = 0; m < 2; m++) {
		struct got g;
		struct engine *e = new_engine(&rs, m ? ENGINE_INCREMENTAL : ENGINE_PWW, 5, 100, &g);

		feed_all(e, lines, 5);
		CHECK(g.n == 0);
		engine_free(e);
	}
}

static void test_fork_inheritance(void)
{
	/* python: connect and dups in the parent, the exec in a child */
	const char *lines[] = { "connect pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 1",
				"dup2 pid=1 fd=3 => 2", "fork pid=1 child=7", "execve pid=7 exe=/bin/sh => 0" };
	/* strace shows a vfork child's events before the parent's vfork returns */
	const char *early[] = { "connect pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 1",
				"dup2 pid=1 fd=3 => 2", "execve pid=7 exe=/bin/sh => 0", "fork pid=1 child=7" };

	for (int m = 0; m < 2; m++) {
		struct got g;
		struct engine *e = new_engine(&rs, m ? ENGINE_INCREMENTAL : ENGINE_PWW, 5, 100, &g);

		feed_all(e, lines, 6);
		CHECKF(g.n == 1 && g.pid == 7 && !strcmp(g.rule, "reverse-shell"), "mode %d: %u", m, g.n);
		engine_free(e);
	}
	struct got g;
	struct engine *e = new_engine(&rs, ENGINE_PWW, 5, 100, &g);

	feed_all(e, early, 6);
	CHECK(g.n == 1 && g.pid == 7);
	engine_free(e);
}

static void test_reported_once(void)
{
	/* the shell's own children inherit the instance: they must not raise it again */
	const char *lines[] = { "connect pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 1",
				"dup2 pid=1 fd=3 => 2", "execve pid=1 exe=/bin/sh => 0", "fork pid=1 child=8",
				"execve pid=8 exe=/bin/id => 0", "execve pid=1 exe=/bin/bash => 0" };

	for (int m = 0; m < 2; m++) {
		struct got g;
		struct engine *e = new_engine(&rs, m ? ENGINE_INCREMENTAL : ENGINE_PWW, 5, 100, &g);

		feed_all(e, lines, 8);
		CHECKF(g.n == 1, "mode %d: %u detections", m, g.n);
		engine_free(e);
	}
}

static void test_related_processes_once(void)
{
	/* the shell forks before its window closes (t = 5: events 0-4, then the execve at 5 and the
	 * fork at 6 come before the boundary at 10): the child inherits the unreported instance */
	const char *lines[] = { "dup2 pid=1 fd=7 newfd=9 => 9", "connect pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 1",
				"dup2 pid=1 fd=3 => 2", "execve pid=1 exe=/bin/sh => 0", "fork pid=1 child=8",
				"execve pid=8 exe=/bin/id => 0", "fork pid=8 child=9",
				"execve pid=9 exe=/bin/ls => 0" };

	for (int m = 0; m < 2; m++) {
		struct got g;
		struct engine *e = new_engine(&rs, m ? ENGINE_INCREMENTAL : ENGINE_PWW, 5, 100, &g);
		struct engine_stats st;

		feed_all(e, lines, 10);
		engine_stats(e, &st);
		CHECKF(g.n == 1 && g.pid == 1 && st.detections == 1, "mode %d: %u detections, pid %u", m,
		       g.n, g.pid);
		engine_free(e);
	}
}

static void test_exit_frees(void)
{
	struct got g;
	struct engine *e = new_engine(&rs, ENGINE_PWW, 5, 100, &g);
	struct engine_stats st;
	const char *lines[] = { "connect pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 0", "dup2 pid=1 fd=3 => 1",
				"dup2 pid=1 fd=3 => 2", "execve pid=1 exe=/bin/sh => 0", "exit pid=1 code=0",
				"dup2 pid=2 fd=3 => 0" };

	for (unsigned i = 0; i < 7; i++)
		feed_line(e, lines[i], i + 1);
	engine_stats(e, &st);
	CHECK(g.n == 1); /* searched at exit, before the stream went */
	CHECK(st.streams == 1 && st.streams_max == 1 && st.fed == 7 && st.kept == 6);
	engine_free(e);
}

static void test_caps(void)
{
	struct engine_opts o = engine_opts_default(ENGINE_COUNT);
	struct got g = { 0 };
	struct engine *e;
	struct engine_stats st;
	char line[64];

	o.rules = &rs, o.max_streams = 100, o.max_events = 16, o.on_detect = got_cb, o.ctx = &g;
	o.l_max = 1000;
	e = engine_new(&o);
	for (unsigned pid = 1; pid <= 1000; pid++) {
		snprintf(line, sizeof(line), "dup2 pid=%u fd=3 => 5", pid);
		feed_line(e, line, pid);
	}
	for (unsigned i = 0; i < 100; i++)
		feed_line(e, "dup2 pid=5000 fd=3 => 5", i);
	engine_stats(e, &st);
	CHECKF(st.streams == 100 && st.streams_evicted == 901, "%llu streams, %llu evicted", (unsigned long long)st.streams, (unsigned long long)st.streams_evicted);
	CHECKF(st.events_dropped == 100 - 16, "dropped %llu", (unsigned long long)st.events_dropped);
	engine_free(e);
	o.max_streams = 0;
	CHECK(engine_new(&o) == NULL);
}

static void test_incremental_no_delay(void)
{
	struct got g;
	struct engine *e = new_engine(&rs, ENGINE_INCREMENTAL, 5, 100, &g);

	feed_line(e, "accept fd=3 => 4", 1), feed_line(e, "dup fd=4 => 0", 2);
	feed_line(e, "dup fd=4 => 1", 3), feed_line(e, "dup fd=4 => 2", 4);
	CHECK(g.n == 0);
	feed_line(e, "execve exe=/bin/sh", 5);
	CHECK(g.n == 1 && g.delay == 0 && g.level == -1 && g.first_seq == 1 && g.last_seq == 5);
	engine_free(e);
}

/* A fork chain (issue 13): `fork pid=i child=i+1`, 20,000 deep, every process with a few events
 * of its own, each child inheriting its parent's. What all streams hold together stays under
 * max_bytes (plus one ring), the least recently used go (counted), and a shell at the end of the
 * chain is still found. */
static void test_fork_chain_bounded(void)
{
	for (int mode = 0; mode < 2; mode++) {
		struct engine_opts o = engine_opts_default(ENGINE_TIME);
		struct engine_stats st;
		struct got g = { 0 };
		struct engine *e;
		char line[128];
		unsigned n = 20000, i;

		o.rules = &rs, o.mode = mode ? ENGINE_INCREMENTAL : ENGINE_PWW;
		o.max_events = 64, o.max_streams = 8192, o.on_detect = got_cb, o.ctx = &g;
		e = engine_new(&o);
		for (i = 1; i <= n; i++) {
			snprintf(line, sizeof(line), "dup2 pid=%u t=%u fd=7 => 9", i, i);
			feed_line(e, line, 2 * i);
			snprintf(line, sizeof(line), "fork pid=%u t=%u child=%u", i, i, i + 1);
			feed_line(e, line, 2 * i + 1);
		}
		snprintf(line, sizeof(line), "connect pid=%u t=%u fd=3 => 0", i, i);
		feed_line(e, line, 2 * i + 2);
		for (int fd = 0; fd < 3; fd++) {
			snprintf(line, sizeof(line), "dup2 pid=%u t=%u fd=3 => %d", i, i, fd);
			feed_line(e, line, 2 * i + 3 + fd);
		}
		snprintf(line, sizeof(line), "execve pid=%u t=%u exe=/bin/sh => 0", i, i);
		feed_line(e, line, 2 * i + 6);
		engine_flush(e);
		engine_stats(e, &st);
		CHECKF(st.bytes_max <= o.max_bytes + 64 * 1024, "mode %d: held %llu bytes", mode,
		       (unsigned long long)st.bytes_max);
		CHECKF(st.streams_evicted > 0 && (mode || st.forks_inherited == n),
		       "mode %d: %llu evicted", mode, (unsigned long long)st.streams_evicted);
		CHECKF(g.n == 1 && g.pid == i, "mode %d: %u detections, pid %u", mode, g.n, g.pid);
		engine_free(e);
	}
}

int main(void)
{
	char err[256];

	if (rules_load_default(&rs, err, sizeof(err)))
		return 1;
	RUN(test_processes_apart);
	RUN(test_fork_inheritance);
	RUN(test_reported_once);
	RUN(test_related_processes_once);
	RUN(test_exit_frees);
	RUN(test_caps);
	RUN(test_incremental_no_delay);
	RUN(test_fork_chain_bounded);
	rules_free(&rs);
	return tap_done();
}
