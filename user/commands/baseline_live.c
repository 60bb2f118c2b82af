/* baseline_live.c: learning the baseline from live execs (include/baseline_live.h), the live
 * source as `record` uses it (liveloop.h): every exec event's argv, grouped by the interpreter the
 * sensor identified (a renamed copy is still python). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "baseline_live.h"
#include "commands.h"
#include "live.h"
#include "liveloop.h"

#define STOPPED ECANCELED   /* liveloop_run's each() asks to stop: the time is up */

struct learning {
	struct baseline_learner *l;
	uint64_t until_ns;
	uint64_t execs, grouped;
	char buf[4 * WIRE_ARGV_MAX + 8];
};

static int on_event(void *ctx, const struct sw_event *ev)
{
	struct learning *s = ctx;
	const struct sw_exec_facts *x = &ev->exec;
	struct bl_cmd c;

	if (ev->kind != SW_EV_EXEC)
		return 0;
	bl_cmd_from_exec(&c, x->exe, x->interp, x->argv, s->buf, sizeof(s->buf));
	s->execs++;
	s->grouped += baseline_learner_add(s->l, &c) >= 0;
	return 0;
}

static int time_up(void *ctx, uint64_t before)
{
	struct learning *s = ctx;

	return before >= s->until_ns ? -STOPPED : 0;
}

int baseline_live_learn(struct baseline_learner *l, uint64_t duration_ns)
{
	static struct learning s;
	struct live_opts o = { .on_event = on_event, .cb_ctx = &s };
	struct live *lv;
	char why[512];
	int err;

	s = (struct learning){ .l = l };
	liveloop_signals();
	if (!(lv = live_open(&o, why, sizeof(why)))) {
		fprintf(stderr, "shellwatch baseline learn: %s\n", why);
		return SW_EXIT_RUNTIME;
	}
	s.until_ns = live_clock_ns() + duration_ns;
	fprintf(stderr, "shellwatch baseline learn: ready\n");
	err = liveloop_run(lv, 100, time_up, &s);
	live_close(lv);
	fprintf(stderr, "shellwatch baseline learn: %llu execs, %llu in a group\n",
		(unsigned long long)s.execs, (unsigned long long)s.grouped);
	if (err < 0 && err != -STOPPED) {
		fprintf(stderr, "shellwatch baseline learn: stopped: %s\n", strerror(-err));
		return SW_EXIT_RUNTIME;
	}
	return SW_EXIT_OK;
}
