/* ctr_alert.c: the metadata cache between `run`'s events and its alerts, and the short hold of an
 * alert whose container the runtime is still describing (include/ctr_alert.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ctr_alert.h"

void ctr_alert_prime(struct ctr_meta *m, const struct sw_event *ev)
{
	struct ctr_meta_info info;
	char id[CTR_ID_LEN + 1];

	if (!m || ev->kind != SW_EV_EXEC || ev->exec.ctr_runtime == CTR_NONE ||
	    ev->exec.ctr_id.len != CTR_ID_LEN)
		return;
	memcpy(id, ev->exec.ctr_id.p, CTR_ID_LEN);
	id[CTR_ID_LEN] = '\0';
	ctr_meta_lookup(m, (enum ctr_runtime)ev->exec.ctr_runtime, id, &info);
}

enum ctr_meta_state ctr_alert_fill(struct ctr_meta *m, struct alert *a)
{
	struct ctr_meta_info info;
	enum ctr_runtime rt = ctr_runtime_parse(a->ctr_runtime);
	enum ctr_meta_state st;

	if (!m || !a->container[0] || rt == CTR_NONE)
		return CTR_META_NONE;
	st = ctr_meta_lookup(m, rt, a->container, &info);
	if (st != CTR_META_KNOWN)
		return st;
	snprintf(a->ctr_name, sizeof(a->ctr_name), "%s", info.name);
	snprintf(a->ctr_image, sizeof(a->ctr_image), "%s", info.image);
	snprintf(a->pod_name, sizeof(a->pod_name), "%s", info.pod_name);
	snprintf(a->pod_namespace, sizeof(a->pod_namespace), "%s", info.pod_namespace);
	return st;
}

struct ctr_hold {
	int n;
	uint64_t until[CTR_HOLD_MAX];
	struct alert a[CTR_HOLD_MAX];
};

struct ctr_hold *ctr_hold_new(void)
{
	return calloc(1, sizeof(struct ctr_hold));
}

void ctr_hold_free(struct ctr_hold *h)
{
	free(h);
}

bool ctr_hold_put(struct ctr_hold *h, struct ctr_meta *m, struct alert *a, uint64_t now_ns)
{
	if (ctr_alert_fill(m, a) != CTR_META_PENDING || !h || h->n == CTR_HOLD_MAX)
		return false;
	h->a[h->n] = *a;
	h->until[h->n++] = now_ns + CTR_HOLD_MS * 1000000ull;
	return true;
}

int ctr_hold_flush(struct ctr_hold *h, struct ctr_meta *m, uint64_t now_ns, bool all,
		   void (*write)(void *ctx, struct alert *a), void *ctx)
{
	int i, kept = 0;

	for (i = 0; h && i < h->n; i++) {
		if (ctr_alert_fill(m, &h->a[i]) == CTR_META_PENDING && !all && now_ns < h->until[i]) {
			if (kept != i) {
				h->a[kept] = h->a[i];
				h->until[kept] = h->until[i];
			}
			kept++;
			continue;
		}
		write(ctx, &h->a[i]);
	}
	if (h)
		h->n = kept;
	return kept;
}
