/* ctr_alert.h: container names and images on `run`'s alerts (user/containers/ctr_alert.c).
 * Every exec in a container asks the metadata cache about it (include/ctr_meta.h: the first ask
 * queues a question to the runtime, off the alert path), so by the time a shell in it is alerted
 * the answer is usually there; an alert takes what is known then and is never held for it. */
#ifndef SW_CTR_ALERT_H
#define SW_CTR_ALERT_H

#include "alert.h"
#include "ctr_meta.h"
#include "event.h"

/* An event: when it is an exec in a container, make sure the cache knows of it. m may be NULL. */
void ctr_alert_prime(struct ctr_meta *m, const struct sw_event *ev);
/* The alert's container name, image and pod from the cache, when known. m may be NULL. */
void ctr_alert_fill(struct ctr_meta *m, struct alert *a);

#endif /* SW_CTR_ALERT_H */
