/* liveloop.c: signals and the poll loop of `run` and `record` (include/liveloop.h). */
#include <signal.h>
#include <string.h>
#include "hostinfo.h"
#include "interpid.h"
#include "liveloop.h"
#include "procscan.h"

static volatile sig_atomic_t stop, reopen;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen = 1;
	else
		stop = 1;
}

void liveloop_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

bool liveloop_take_reopen(void)
{
	bool r = reopen;

	reopen = 0;
	return r;
}

int liveloop_run(struct live *lv, int slice_ms, int (*each)(void *ctx, uint64_t before),
		 void *ctx)
{
	int err = 0;

	while (!stop && err >= 0) {
		uint64_t before = live_clock_ns();

		err = live_poll(lv, slice_ms);
		if (err >= 0 && each)
			err = each(ctx, before);
	}
	if (err >= 0) {
		uint64_t before = live_clock_ns();

		err = live_drain(lv);  /* everything that arrived before the stop */
		if (err >= 0 && each)
			err = each(ctx, before);
	}
	return err < 0 ? err : 0;
}

struct seed {
	struct interpid *interps;
	sw_event_cb cb;
	void *ctx;
	uint32_t pid;
	const char *comm;
	int rc;
	char scratch[PROCSCAN_SCRATCH];
};

static void seed_proc(void *ctx, const struct procscan_entry *e)
{
	struct seed *s = ctx;
	struct sw_event ev;

	if (s->rc || (s->pid && e->pid != s->pid) || (s->comm && strcmp(e->comm, s->comm)))
		return;
	if (procscan_event(e, live_clock_ns(), &ev, s->scratch, sizeof(s->scratch)))
		return;
	if (e->exe_ino)
		interpid_annotate(s->interps, &ev, e->exe_dev, e->exe_ino);
	s->rc = s->cb(s->ctx, &ev);
}

int liveloop_seed(struct live *lv, sw_event_cb cb, void *ctx, uint32_t pid, const char *comm,
		  int *scan_err)
{
	static struct seed s;
	struct hostinfo h;
	struct sw_event ev;
	int n;

	s = (struct seed){ .interps = live_interps(lv), .cb = cb, .ctx = ctx, .pid = pid,
			   .comm = comm };
	*scan_err = 0;
	hostinfo_read(&h);
	hostinfo_event(&h, &ev);
	if ((s.rc = cb(ctx, &ev)))
		return s.rc;
	n = procscan("/proc", seed_proc, &s);
	*scan_err = n < 0 ? n : 0;
	return s.rc;
}
