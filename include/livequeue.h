/* livequeue.h: what the loader has taken from the kernel's two ring buffers and not yet handed on.
 * Exec records have a ring of their own ("execs", bpf/shellwatch.bpf.c) so a flood of other
 * events cannot push them out; this queue merges the two back into the events' time order. The
 * queue of other events is bounded (LIVEQUEUE_EVENTS): under a flood an exec waits behind at most
 * that many older events, not behind the whole backlog in the ring, and is judged at once.
 *
 *   struct livequeue *q = livequeue_new();
 *   ring_buffer__new(execs_fd, livequeue_take_exec, q, NULL);   // and _event for "events"
 *   ... poll ...; livequeue_deliver(q, fn, ctx);                // in time order
 */
#ifndef SW_LIVEQUEUE_H
#define SW_LIVEQUEUE_H

#include <stddef.h>
#include <stdint.h>

#define LIVEQUEUE_EXECS 256      /* exec records held at most (4.7 KiB each) */
#define LIVEQUEUE_EVENTS 128     /* other records held at most (128 bytes a slot): an exec waits
				  * behind at most this many under a flood */

struct livequeue;

struct livequeue *livequeue_new(void);
void livequeue_free(struct livequeue *q);
/* ring_buffer sample callbacks (ctx: the queue): copy one record in. -ENOSPC once full (libbpf
 * then stops reading that ring; what is left waits in the kernel); -EINVAL for a record too
 * large or too short to hold a header (counted, skipped). */
int livequeue_take_exec(void *q, void *data, size_t size);
int livequeue_take_event(void *q, void *data, size_t size);
/* True when the queue of other events is full (a flood is being read). */
int livequeue_events_full(const struct livequeue *q);
/* Hand every queued record to fn in time order (wire_hdr.ktime; ties: execs last), emptying the
 * queue. Stops at fn's negative value and returns it; else the number handed on. */
int livequeue_deliver(struct livequeue *q, int (*fn)(void *ctx, void *data, size_t size),
		      void *ctx);
/* Records skipped as malformed. */
uint64_t livequeue_bad(const struct livequeue *q);

#endif /* SW_LIVEQUEUE_H */
