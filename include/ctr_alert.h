/* ctr_alert.h: container names and images on `run`'s alerts (user/containers/ctr_alert.c).
 * Every exec in a container asks the metadata cache about it (include/ctr_meta.h: the first ask
 * queues a question to the runtime, off the alert path), so by the time a shell in it is alerted
 * the answer is usually there. When the container is so new that the runtime is still being
 * asked (a shell that is the container's first program), its alert is held until the answer
 * comes, at most CTR_HOLD_MS: a runtime that is absent or known to be down holds nothing, and the
 * kill (run --kill) is never held, only the output.
 *
 *   if (!ctr_hold_put(h, m, a, now)) write(a);       // at each alert
 *   ctr_hold_flush(h, m, now, false, write, ctx);    // after each poll; true at the stop
 */
#ifndef SW_CTR_ALERT_H
#define SW_CTR_ALERT_H

#include <stdbool.h>
#include <stdint.h>
#include "alert.h"
#include "ctr_meta.h"
#include "event.h"

/* An event: when it is an exec in a container, make sure the cache knows of it. m may be NULL. */
void ctr_alert_prime(struct ctr_meta *m, const struct sw_event *ev);
/* The alert's container name, image and pod from the cache, when known. m may be NULL.
 * Returns what the cache says: CTR_META_PENDING while the runtime is being asked. */
enum ctr_meta_state ctr_alert_fill(struct ctr_meta *m, struct alert *a);

#define CTR_HOLD_MS 500      /* longest an alert waits for its container's name */
#define CTR_HOLD_MAX 32      /* alerts held at once; more are written without waiting */

struct ctr_hold;
struct ctr_hold *ctr_hold_new(void);
void ctr_hold_free(struct ctr_hold *h);
/* Fill a from the cache; when its container is still being asked about, keep a copy (true: the
 * caller must not write it; ctr_hold_flush will). False: a is filled as far as known, write it. */
bool ctr_hold_put(struct ctr_hold *h, struct ctr_meta *m, struct alert *a, uint64_t now_ns);
/* Hand to write every held alert whose answer came or whose time is up (all when all is set),
 * filled, in the order they were held. Returns how many are still held. */
int ctr_hold_flush(struct ctr_hold *h, struct ctr_meta *m, uint64_t now_ns, bool all,
		   void (*write)(void *ctx, struct alert *a), void *ctx);

#endif /* SW_CTR_ALERT_H */
