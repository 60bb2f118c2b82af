/* ctrpack.h: a container's identity as the process table keeps it: the runtime, the 64-hex id
 * and the pod uid in binary (49 bytes, not 102 of text), filled from an exec's facts and turned
 * back into text for an alert (user/judge/ctrpack.c). */
#ifndef SW_CTRPACK_H
#define SW_CTRPACK_H

#include <stdbool.h>
#include <stdint.h>
#include "container.h"
#include "event.h"

struct ctr_packed {
	uint8_t runtime;        /* enum ctr_runtime; CTR_NONE: on the host */
	uint8_t has_pod;
	uint8_t id[CTR_ID_LEN / 2];
	uint8_t pod[16];
};

/* From an exec's ctr_runtime, ctr_id and pod_uid (event.h); runtime CTR_NONE when the id is not
 * 64 lower-case hex digits. A pod uid that is not 8-4-4-4-12 hex is left out. */
void ctr_pack(struct ctr_packed *c, const struct sw_exec_facts *x);
/* Back to text: the id (65 bytes with its NUL) and the pod uid (37), "" when none. */
void ctr_unpack_id(const struct ctr_packed *c, char id[CTR_ID_LEN + 1]);
void ctr_unpack_pod(const struct ctr_packed *c, char pod[CTR_POD_UID_LEN + 1]);

#endif /* SW_CTRPACK_H */
