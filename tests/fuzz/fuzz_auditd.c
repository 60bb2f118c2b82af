/* fuzz_auditd.c: the auditd reader on arbitrary lines, both ways it is used: joined into commands
 * (`score -f auditd`: every delivered event has nargs <= argc-or-cap, and its command line fits
 * the length it reports) and into sw_events (`replay -f auditd`: every event has a call name, a
 * pid, at most SW_EVENT_MAX_ARGS arguments, and facts of its kind). Never crashes. */
#include <stdint.h>
#include <stdio.h>
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

static int on_event(void *ctx, const struct sw_event *ev)
{
	(void)ctx;
	if (!ev->call.len || !ev->has_pid || ev->nargs > SW_EVENT_MAX_ARGS ||
	    ev->kind != sw_kind_of_call(ev->call))
		abort();
	for (uint32_t i = 0; i < ev->nargs; i++)   /* every string readable */
		if (ev->args[i].val.len && !memchr(ev->args[i].val.p, ev->args[i].val.p[0], 1))
			abort();
	return 0;
}

static void as_events(const uint8_t *data, size_t size)
{
	FILE *f = size ? fmemopen((void *)data, size, "r") : NULL;
	struct sw_read_stats st = { 0 };

	if (!f)
		return;
	auditd_read_events(f, "fuzz", false, on_event, NULL, &st, NULL);
	fclose(f);
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
	as_events(data, size);
	return 0;
}
