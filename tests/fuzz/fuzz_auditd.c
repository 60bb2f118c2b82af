/* fuzz_auditd.c: the auditd reader on arbitrary lines: never crashes, every delivered event has
 * nargs <= argc-or-cap, and its command line fits the length it reports. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "auditd_read.h"

static void on_exec(void *ctx, const struct auditd_exec *ex)
{
	char small[64];
	size_t need = auditd_cmdline(ex, small, sizeof(small)), again;
	char *big = malloc(need + 1);

	(void)ctx;
	if (ex->nargs > AUDITD_MAX_ARGS || !big)
		abort();
	again = auditd_cmdline(ex, big, need + 1);
	if (again != need || strlen(big) > need)
		abort();
	free(big);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct auditd_reader *r = auditd_new(on_exec, NULL);
	const char *p = (const char *)data, *end = p + size;

	if (!r)
		return 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);

		auditd_feed_line(r, p, n);
		p += n + 1;
	}
	auditd_finish(r);
	auditd_free(r);
	return 0;
}
