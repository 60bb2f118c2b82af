/* liveloop.h: what `run` and `record` share around live capture: the events that come before the
 * live ones (this host, the processes already running), their signal handling (INT and TERM stop,
 * HUP asks to reopen the output, PIPE is ignored; one sig_atomic_t flag each) and the poll loop
 * that drains the ring buffer until a stop. */
#ifndef SW_LIVELOOP_H
#define SW_LIVELOOP_H

#include <stdbool.h>
#include <stdint.h>
#include "live.h"
#include "trace_read.h"

void liveloop_signals(void);
/* True once a SIGHUP came since the last call. */
bool liveloop_take_reopen(void);
/* Poll lv in slices of slice_ms until INT or TERM; after each slice call each(ctx, before), with
 * before the clock (live_clock_ns) read before the slice: every event up to then is delivered.
 * A negative return of each stops the loop. At the stop, one last poll takes what arrived. Returns
 * 0, each's negative value, or -errno from the ring buffer. */
int liveloop_run(struct live *lv, int slice_ms, int (*each)(void *ctx, uint64_t before),
		 void *ctx);

/* What comes before the live events, for `run` to judge and `record` to write: this host's meta
 * event, then a `proc` event for every process /proc shows (only pid, or only tasks named comm,
 * when set). Call after attaching, so no process falls between the scan and the live events. A
 * non-zero return of cb stops and is returned. *scan_err: 0, or -errno when /proc cannot be read
 * (the caller says so; the processes started before the sensor are then unknown). */
int liveloop_seed(struct live *lv, sw_event_cb cb, void *ctx, uint32_t pid, const char *comm,
		  int *scan_err);

#endif /* SW_LIVELOOP_H */
