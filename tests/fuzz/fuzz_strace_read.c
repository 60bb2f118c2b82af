/* fuzz_strace_read.c: libFuzzer target for the strace reader: lines of one input share a reader
 * (split calls, threads), and the events go to an engine (time or count windows, PWW or
 * incremental, chosen by the first byte). */
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "strace_read.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset rs;
	static int loaded;
	char err[256], *buf = malloc(size + 1);
	struct strace_reader *r = strace_reader_new();
	uint8_t sel = size ? data[0] : 0;
	struct engine_opts o = engine_opts_default(sel & 2 ? ENGINE_TIME : ENGINE_COUNT);
	struct engine *e;
	size_t start = 0;

	if (!loaded && rules_load_default(&rs, err, sizeof(err)) == 0)
		loaded = 1;
	memcpy(buf, data, size);
	o.rules = &rs, o.max_streams = 16, o.max_events = 64;
	o.mode = sel & 1 ? ENGINE_INCREMENTAL : ENGINE_PWW;
	e = engine_new(&o);
	for (size_t i = 0; i <= size && e && r; i++) {
		struct sw_event ev;
		const char *why;

		if (i < size && buf[i] != '\n')
			continue;
		if (strace_parse_line(r, buf + start, i - start, &ev, &why) == 1) {
			ev.seq = start;
			engine_feed(e, &ev);
		}
		start = i + 1;
	}
	if (e) {
		engine_advance(e, 1ULL << 40);
		engine_flush(e);
	}
	engine_free(e);
	strace_reader_free(r);
	free(buf);
	return 0;
}
