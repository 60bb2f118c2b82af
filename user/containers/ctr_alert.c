/* ctr_alert.c: the metadata cache between `run`'s events and its alerts (include/ctr_alert.h). */
#include <stdio.h>
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

void ctr_alert_fill(struct ctr_meta *m, struct alert *a)
{
	struct ctr_meta_info info;
	enum ctr_runtime rt = ctr_runtime_parse(a->ctr_runtime);

	if (!m || !a->container[0] || rt == CTR_NONE ||
	    ctr_meta_lookup(m, rt, a->container, &info) != CTR_META_KNOWN)
		return;
	snprintf(a->ctr_name, sizeof(a->ctr_name), "%s", info.name);
	snprintf(a->ctr_image, sizeof(a->ctr_image), "%s", info.image);
	snprintf(a->pod_name, sizeof(a->pod_name), "%s", info.pod_name);
	snprintf(a->pod_namespace, sizeof(a->pod_namespace), "%s", info.pod_namespace);
}
