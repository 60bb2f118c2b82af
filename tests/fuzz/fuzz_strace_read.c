/* fuzz_strace_read.c: libFuzzer target for the strace reader, read as `replay -f strace` reads a
 * capture (fuzz_replay.h), into an engine: the lines of one input share a reader (split calls,
 * threads, fifos). */
#include "fuzz_replay.h"
#include "strace_read.h"

static int feed(void *ctx, const struct sw_event *ev)
{
	engine_feed(ctx, ev);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strace_reader *r = strace_reader_new();
	struct engine *e = r ? fuzz_engine(size ? data[0] : 0) : NULL;

	if (e)
		fuzz_read(data, size, strace_parse_line, r, feed, e);
	fuzz_engine_end(e);
	strace_reader_free(r);
	return 0;
}
