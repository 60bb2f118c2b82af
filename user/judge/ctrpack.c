/* ctrpack.c: container identities packed for the process table (include/ctrpack.h). */
#include <stdio.h>
#include <string.h>
#include "ctrpack.h"

static int nibble(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
	       c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* n hex digits of s (dashes skipped where the uuid has them) into n/2 bytes. */
static bool unhex(uint8_t *out, const char *s, size_t len, size_t n, bool uuid)
{
	size_t k = 0;

	for (size_t i = 0; i < len; i++) {
		int hi, lo;

		if (uuid && (i == 8 || i == 13 || i == 18 || i == 23)) {
			if (s[i] != '-')
				return false;
			continue;
		}
		if (i + 1 >= len || k >= n / 2 || (hi = nibble(s[i])) < 0 || (lo = nibble(s[i + 1])) < 0)
			return false;
		out[k++] = (uint8_t)(hi << 4 | lo);
		i++;
	}
	return k == n / 2;
}

void ctr_pack(struct ctr_packed *c, const struct sw_exec_facts *x)
{
	memset(c, 0, sizeof(*c));
	if (x->ctr_runtime == CTR_NONE || x->ctr_id.len != CTR_ID_LEN ||
	    !unhex(c->id, x->ctr_id.p, x->ctr_id.len, CTR_ID_LEN, false)) {
		memset(c, 0, sizeof(*c));
		return;
	}
	c->runtime = x->ctr_runtime;
	c->has_pod = x->pod_uid.len == CTR_POD_UID_LEN &&
		     unhex(c->pod, x->pod_uid.p, x->pod_uid.len, 32, true);
}

void ctr_unpack_id(const struct ctr_packed *c, char id[CTR_ID_LEN + 1])
{
	id[0] = '\0';
	for (size_t i = 0; c->runtime != CTR_NONE && i < sizeof(c->id); i++)
		snprintf(id + 2 * i, 3, "%02x", c->id[i]);
}

void ctr_unpack_pod(const struct ctr_packed *c, char pod[CTR_POD_UID_LEN + 1])
{
	const uint8_t *u = c->pod;

	pod[0] = '\0';
	if (c->runtime == CTR_NONE || !c->has_pod)
		return;
	snprintf(pod, CTR_POD_UID_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", u[0], u[1],
		 u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		 u[15]);
}
