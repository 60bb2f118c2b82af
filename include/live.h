/* live.h: live capture, the loader and ring-buffer consumer around bpf/shellwatch.bpf.c.
 *
 *   struct live_opts o = { .on_event = fn, .cb_ctx = me };
 *   char why[256];
 *   struct live *lv = live_open(&o, why, sizeof(why));   // NULL: why says what and what to do
 *   while (!stop)
 *           live_poll(lv, 100);                           // calls fn once per event
 *   live_stats(lv, &st);
 *   live_close(lv);
 *
 * Used by `shellwatch record` and `shellwatch run`. Each event reaches the callback as the struct
 * sw_event every source yields (argument names as in docs/trace-format.md and typed facts, strings
 * in a scratch buffer valid during the call only).
 */
#ifndef SW_LIVE_H
#define SW_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "live_decode.h"
#include "wire.h"

/* Return 0 to go on, a negative value to stop live_poll early (it then returns that value). */
typedef int (*live_event_fn)(void *cb_ctx, const struct sw_event *ev);

struct live_opts {
	live_event_fn on_event;
	void *cb_ctx;
	uint32_t pid;          /* report only this process (tgid); 0: all */
	const char *comm;      /* report only tasks with this comm (max 15 bytes); NULL: all */
	uint32_t ringbuf_mb;   /* ring buffer size in MiB, a power of 2; 0: 8 */
	bool verbose;          /* libbpf's own messages on stderr */
	bool kill_remote_shell;  /* the kernel SIGKILLs an installed interpreter exec'd to take its
				    commands from an inet socket on stdin and stdout (wire_exec.killed
				    says so): `run --kill` */
};

struct live_stats {
	uint64_t events;       /* delivered to the callback */
	uint64_t filtered;     /* hook runs the kernel filters rejected */
	uint64_t dropped;      /* lost: the events ring buffer full */
	uint64_t exec_dropped; /* execs lost: their own ring buffer full (an exec flood) */
	uint64_t bad;          /* records user space could not decode (counted, skipped) */
	uint64_t execs;        /* exec events delivered */
	uint64_t exec_lat_sum_ns; /* sum of their delays from the kernel to the callback */
	uint64_t exec_lat_max_ns; /* worst such delay */
};

struct live;

/* Open, configure, load and attach. NULL on error, with a one-line reason in why. */
struct live *live_open(const struct live_opts *opts, char *why, size_t whylen);

/* Exec events wake live_poll at once; other events do not wake it (too costly per event) and
 * wait in the ring buffer until the next exec or at most LIVE_FLUSH_MS, when live_poll looks. */
#define LIVE_FLUSH_MS 10

/* Wait up to timeout_ms for events and deliver every event available; returns as soon as some
 * were delivered. Returns their number (0 on timeout or on a signal, so callers can check their
 * stop flag), the callback's negative value, or -errno. */
int live_poll(struct live *lv, int timeout_ms);
/* At a stop: hand on everything the rings hold now, without waiting (a flood's backlog included,
 * which live_poll takes only a queue at a time). The count handed on, or fn's negative value. */
int live_drain(struct live *lv);

void live_stats(const struct live *lv, struct live_stats *st);

/* Now, on the clock of wire_hdr.ktime (CLOCK_MONOTONIC, what bpf_ktime_get_ns reads), in ns. */
uint64_t live_clock_ns(void);

/* The start-up scan: every process's fds 0-2 and its other inet sockets, through the kernel's
 * task_file iterator (bpf/shellwatch.bpf.c scan_files), one call of fn per record. 0, or -errno
 * (-EOPNOTSUPP when the program is off): the caller then falls back to /proc. */
int live_scan(struct live *lv, void (*fn)(void *ctx, const struct wire_scan *r), void *ctx);

/* The host's interpreters the loader read (include/interpid.h), for the events of other sources
 * of the same run (the /proc scan). */
struct interpid *live_interps(struct live *lv);

/* Detach and free; NULL is fine. */
void live_close(struct live *lv);

#endif /* SW_LIVE_H */
