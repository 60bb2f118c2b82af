/* liveloop.c: signals and the poll loop of `run` and `record` (include/liveloop.h). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include "fdscan.h"
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
	struct fdscan *files;        /* the kernel's view of the file tables; NULL: /proc's */
	const struct procscan_entry *cur;
	struct procscan_entry k;     /* cur with the kernel's stdio */
	sw_event_cb cb;
	void *ctx;
	uint32_t pid;
	const char *comm;
	int rc;
	char scratch[PROCSCAN_SCRATCH];
};

/* A connection the process holds off stdio: an event after its proc line. */
static void seed_sock(void *ctx, int32_t fd, const struct wire_fd *sock, bool accepted)
{
	struct seed *s = ctx;
	struct sw_event ev;

	if (s->rc || procscan_sock_event(s->cur, live_clock_ns(), fd, sock, accepted, &ev,
					 s->scratch, sizeof(s->scratch)))
		return;
	s->rc = s->cb(s->ctx, &ev);
}

/* A process found running: its proc event (stdio as the kernel's scan saw it, when it ran), then
 * the connections it holds on other fds. */
static void seed_proc(void *ctx, const struct procscan_entry *e)
{
	struct seed *s = ctx;
	struct sw_event ev;

	if (s->rc || (s->pid && e->pid != s->pid) || (s->comm && strcmp(e->comm, s->comm)))
		return;
	s->k = *e;
	if (s->files && fdscan_stdio(s->files, e->pid, s->k.stdio))
		e = &s->k;
	if (procscan_event(e, live_clock_ns(), &ev, s->scratch, sizeof(s->scratch)))
		return;
	if (e->exe_ino)
		interpid_annotate(s->interps, &ev, e->exe_dev, e->exe_ino);
	s->rc = s->cb(s->ctx, &ev);
	s->cur = e;
	fdscan_socks(s->files, e->pid, seed_sock, s);
}

int liveloop_seed(struct live *lv, sw_event_cb cb, void *ctx, uint32_t pid, const char *comm,
		  int *scan_err)
{
	static struct seed s;
	struct hostinfo h;
	struct sw_event ev;
	int n;

	s = (struct seed){ .interps = live_interps(lv), .cb = cb, .ctx = ctx, .pid = pid,
			   .comm = comm, .files = fdscan_new() };
	*scan_err = 0;
	if (s.files && live_scan(lv, fdscan_add, s.files) == 0) {
		fdscan_finish(s.files);
	} else {
		fdscan_free(s.files);   /* /proc's view: fds 0-2 only, this namespace's sockets */
		s.files = NULL;
	}
	hostinfo_read(&h);
	hostinfo_event(&h, &ev);
	if ((s.rc = cb(ctx, &ev)))
		return s.rc;
	n = procscan("/proc", seed_proc, &s);
	*scan_err = n < 0 ? n : 0;
	if (fdscan_dropped(s.files))
		fprintf(stderr, "shellwatch: start-up scan: %llu open files past the first %d were "
			"not read; connections held on them are unknown to the sensor\n",
			(unsigned long long)fdscan_dropped(s.files), FDSCAN_MAX);
	fdscan_free(s.files);
	return s.rc;
}
