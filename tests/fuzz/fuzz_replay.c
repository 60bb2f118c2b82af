/* fuzz_replay.c: libFuzzer target for `replay` end to end: a capture (the first byte's bits 2-3
 * pick the format: the text trace, strace or an auditd log) read by its reader into the judge
 * (rules, signals, process table, pipe relays, command scores, alerts), as `replay` runs it
 * (fuzz_replay.h). Slower than the reader targets (a judge per input): it is there for what only
 * the judge does with hostile events. */
#include "auditd_read.h"
#include "fuzz_replay.h"
#include "strace_read.h"

static int feed(void *ctx, const struct sw_event *ev)
{
	judge_event(ctx, ev);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t sel = size ? data[0] : 0;
	struct strace_reader *r = NULL;
	struct judge *j = fuzz_judge(sel);
	struct sw_read_stats st = { 0 };
	FILE *f;

	if (!j)
		return 0;
	switch (sel >> 2 & 3) {
	case 1:
		if ((r = strace_reader_new()))
			fuzz_read(data, size, strace_parse_line, r, feed, j);
		strace_reader_free(r);
		break;
	case 2:
		if ((f = size ? fmemopen((void *)data, size, "r") : NULL)) {
			auditd_read_events(f, "fuzz", false, feed, j, &st, NULL);
			fclose(f);
		}
		break;
	default:
		fuzz_read(data, size, trace_parse_line, NULL, feed, j);
	}
	judge_free(j);   /* judge_finish: what is open is searched, what is held emitted */
	return 0;
}
