/* test_pww.c: Progressive Window Widening: an instance no longer than L_max is found wherever it is
 * injected (every offset against the batch boundaries, after long backgrounds that made the engine
 * drop old events), within the delay bound, once; a clean background gives nothing; time-based
 * windows and engine_advance(). */
#include "rules.h"
#include "tap.h"
#include "test_engine_util.h"

static struct ruleset rs;
static uint64_t rng = 88172645463325252ULL;

static uint64_t next_rand(void)
{
	rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
	return rng;
}

/* A background event: mostly unrelated calls, some dups and accepts that never complete an
 * instance (the dups go to fds >= 3), and execs when exec (they would end an injected one early). */
static void noise_ex(char *buf, size_t cap, bool exec)
{
	static const char *calls[] = { "read fd=3", "write fd=1", "mmap", "close fd=5", "openat",
				       "futex", "execve exe=/bin/ls" };
	uint64_t r = next_rand();

	if (r % 10 == 0)
		snprintf(buf, cap, "dup2 fd=%u newfd=%u => %u", (unsigned)(r >> 8) % 9,
			 3 + (unsigned)(r >> 16) % 9, 3 + (unsigned)(r >> 16) % 9);
	else if (r % 10 == 1)
		snprintf(buf, cap, "accept fd=3 => %u", 4 + (unsigned)(r >> 8) % 9);
	else
		snprintf(buf, cap, "%s", calls[(r >> 8) % (exec ? 7 : 6)]);
}

static void noise(char *buf, size_t cap)
{
	noise_ex(buf, cap, false);
}

static struct engine *pww_engine(uint64_t t, uint64_t l_max, struct got *g)
{
	struct engine_opts o = engine_opts_default(ENGINE_COUNT);

	o.rules = &rs, o.t = t, o.l_max = l_max, o.keep_all = true, o.keep_text = false;
	o.on_detect = got_cb, o.ctx = g;
	memset(g, 0, sizeof(*g));
	return engine_new(&o);
}

/* Background of pre events, then the 5-event instance spread over span events (noise between),
 * then post events of background. Returns the time (event index) of the instance's last event. */
static uint64_t run_instance(struct engine *e, unsigned pre, unsigned span, unsigned post)
{
	static const char *inst[] = { "accept fd=3 => 40", "dup fd=40 => 1", "dup fd=40 => 2",
				      "dup fd=40 => 0", "execve exe=/bin/sh" };
	char buf[128];
	uint64_t seq = 0, last = 0;

	for (unsigned i = 0; i < pre; i++)
		noise(buf, sizeof(buf)), feed_line(e, buf, ++seq);
	for (unsigned i = 0, k = 0; i < span; i++) {
		/* item k goes at offset k * (span - 1) / 4 */
		if (k < 5 && i == k * (span - 1) / 4) {
			feed_line(e, inst[k++], ++seq);
			last = seq - 1;
		} else {
			noise(buf, sizeof(buf)), feed_line(e, buf, ++seq);
		}
	}
	for (unsigned i = 0; i < post; i++)
		noise(buf, sizeof(buf)), feed_line(e, buf, ++seq);
	engine_flush(e);
	return last;
}

static void test_found_at_every_offset(void)
{
	const uint64_t t = 5, l_max = 100;
	unsigned bad = 0, cases = 0;

	for (unsigned span = 5; span <= l_max; span = span * 2 + 3) {
		for (unsigned pre = 300; pre < 300 + 2 * 160; pre += 7) {
			struct got g;
			struct engine *e = pww_engine(t, l_max, &g);
			uint64_t last = run_instance(e, pre, span, 300);
			uint64_t bound = 4 * (span > t ? span : t);

			cases++;
			if (g.n != 1 || g.last_time != last || g.delay > bound) {
				if (bad++ < 5)
					printf("#   span %u pre %u: %u detections, last %llu want %llu, "
					       "delay %llu bound %llu\n", span, pre, g.n,
					       (unsigned long long)g.last_time, (unsigned long long)last,
					       (unsigned long long)g.delay, (unsigned long long)bound);
			}
			engine_free(e);
		}
	}
	CHECKF(bad == 0, "%u of %u placements wrong", bad, cases);
}

static void test_after_long_background(void)
{
	struct got g;
	struct engine *e = pww_engine(5, 100, &g);
	struct engine_stats st;
	uint64_t last = run_instance(e, 20000, 100, 10);

	engine_stats(e, &st);
	CHECK(g.n == 1 && g.last_time == last);
	CHECKF(st.bytes_max < 1024 * 1024, "held %llu bytes", (unsigned long long)st.bytes_max);
	engine_free(e);
}

static void test_clean_background(void)
{
	struct got g;
	struct engine *e = pww_engine(5, 100, &g);
	char buf[128];
	struct engine_stats st;

	for (unsigned i = 0; i < 50000; i++)
		noise_ex(buf, sizeof(buf), true), feed_line(e, buf, i + 1);
	engine_flush(e);
	engine_stats(e, &st);
	CHECK(g.n == 0);
	CHECK(st.searched > 50000); /* it did search */
	engine_free(e);
}

static void test_work_counts_levels(void)
{
	/* every level searches about 2 T events: levels = 1 + log2(L_max / t) */
	struct got g;
	struct engine *e = pww_engine(5, 80, &g); /* t_k: 5 10 20 40 80 -> 5 levels */
	char buf[128];
	struct engine_stats st;

	for (unsigned i = 0; i < 10000; i++)
		noise(buf, sizeof(buf)), feed_line(e, buf, i + 1);
	engine_flush(e);
	engine_stats(e, &st);
	CHECKF(st.searched >= 5 * 2 * 10000 - 1000 && st.searched <= 5 * 2 * 10000 + 1000,
	       "work %llu", (unsigned long long)st.searched);
	engine_free(e);
}

static void test_time_clock_and_advance(void)
{
	struct engine_opts o = engine_opts_default(ENGINE_TIME);
	const char *inst[] = { "connect pid=9 t=1000000000 fd=3 => 0", "dup2 pid=9 t=1010000000 fd=3 => 0",
			       "dup2 pid=9 t=1020000000 fd=3 => 1", "dup2 pid=9 t=1030000000 fd=3 => 2",
			       "execve pid=9 t=1040000000 exe=/bin/sh => 0" };
	struct got g = { 0 };
	struct engine *e;

	o.rules = &rs, o.t = 10000000, o.l_max = 100000000; /* 10 ms, 100 ms */
	o.on_detect = got_cb, o.ctx = &g;
	e = engine_new(&o);
	for (int i = 0; i < 5; i++)
		feed_line(e, inst[i], (uint64_t)i + 1);
	CHECK(g.n == 0);             /* its windows have not closed yet */
	engine_advance(e, 1045000000);
	CHECK(g.n == 0);
	engine_advance(e, 1300000000); /* a quiet process is searched when time passes */
	CHECK(g.n == 1 && g.pid == 9 && g.last_time == 1040000000 && g.detect_time % 10000000 == 0);
	CHECK(g.delay > 0 && g.delay <= 2 * 80000000ULL);
	engine_flush(e);
	CHECK(g.n == 1);
	engine_free(e);
}

static void test_within(void)
{
	const char *text = "rule r\nwithin 10\naccept fd=3 => 40\ndup fd=40 => 1 | dup fd=40 => 2 | "
			   "dup fd=40 => 0\nexecve exe=/bin/sh\n";
	struct ruleset short_rs = { 0 };
	char err[128];
	struct got g;
	struct engine *e;

	CHECK(rules_parse(&short_rs, text, strlen(text), "t", err, sizeof(err)) == 0);
	e = new_engine(&short_rs, ENGINE_PWW, 5, 100, &g);
	feed_line(e, "accept fd=3 => 40", 1);
	for (int i = 0; i < 20; i++)
		feed_line(e, "accept fd=3 => 7", 2);
	feed_line(e, "dup fd=40 => 1", 3), feed_line(e, "dup fd=40 => 2", 4);
	feed_line(e, "dup fd=40 => 0", 5), feed_line(e, "execve exe=/bin/sh", 6);
	engine_flush(e);
	CHECK(g.n == 0); /* 25 events > within 10 */
	engine_free(e);
	rules_free(&short_rs);
}

/* A clock that jumps (issue 13): a child's event at the end of time, then its parent's fork much
 * earlier (the trace of the issue, and strace's vfork child seen before the parent's vfork). The
 * windows between are empty and skipped: a few searches, not one per 50 ms of the jump. Then a
 * real instance after the jump is still found. */
static void test_clock_jump(void)
{
	const char *lines[] = {
		"fcntl pid=2 t=17953526159491016000 fd=3 cmd=F_DUPFD arg=0 => 4",
		"fork pid=1 t=1795356159461240000 child=2",
		"fork pid=1 t=1795356159461240001 child=3",
		"connect pid=3 t=4000000000000000000 fd=3 => 0",
		"dup2 pid=3 t=4000000000010000000 fd=3 => 0",
		"dup2 pid=3 t=4000000000020000000 fd=3 => 1",
		"dup2 pid=3 t=4000000000030000000 fd=3 => 2",
		"execve pid=3 t=4000000000040000000 exe=/bin/sh => 0",
	};
	for (int mode = 0; mode < 2; mode++) {
		struct engine_opts o = engine_opts_default(ENGINE_TIME);
		struct engine_stats st;
		struct got g = { 0 };
		struct engine *e;

		o.rules = &rs, o.mode = mode ? ENGINE_INCREMENTAL : ENGINE_PWW;
		o.on_detect = got_cb, o.ctx = &g;
		e = engine_new(&o);
		for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
			feed_line(e, lines[i], i + 1);
		engine_advance(e, UINT64_MAX);
		engine_flush(e);
		engine_stats(e, &st);
		CHECKF(g.n == 1 && g.pid == 3, "mode %d: %u detections, pid %u", mode, g.n, g.pid);
		CHECKF(st.windows < 10000, "mode %d: %llu windows searched", mode,
		       (unsigned long long)st.windows);
		engine_free(e);
	}
}

/* An inherited ring stays in time order: the vfork child's own events, earlier than the parent's
 * fork, take the fork's time, so the windows of the child still find its instance. */
static void test_vfork_child_first(void)
{
	const char *lines[] = {
		"connect pid=1 t=1000000000 fd=3 => 0",
		"dup2 pid=2 t=1010000000 fd=3 => 0", "dup2 pid=2 t=1020000000 fd=3 => 1",
		"fork pid=1 t=1030000000 child=2",
		"dup2 pid=2 t=1025000000 fd=3 => 2", "execve pid=2 t=1040000000 exe=/bin/sh => 0",
	};
	struct engine_opts o = engine_opts_default(ENGINE_TIME);
	struct got g = { 0 };
	struct engine *e;

	o.rules = &rs, o.on_detect = got_cb, o.ctx = &g;
	e = engine_new(&o);
	for (unsigned i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		feed_line(e, lines[i], i + 1);
	engine_flush(e);
	CHECKF(g.n == 1 && g.pid == 2, "%u detections, pid %u", g.n, g.pid);
	engine_free(e);
}

int main(void)
{
	char err[256];

	if (rules_load_default(&rs, err, sizeof(err)))
		return 1;
	RUN(test_found_at_every_offset);
	RUN(test_after_long_background);
	RUN(test_clean_background);
	RUN(test_work_counts_levels);
	RUN(test_time_clock_and_advance);
	RUN(test_within);
	RUN(test_clock_jump);
	RUN(test_vfork_child_first);
	rules_free(&rs);
	return tap_done();
}
