/* fuzz_trace_read.c: libFuzzer target for the seed text-format reader, read as `replay` reads a
 * trace (fuzz_replay.h), into an engine. Every event is also written back with trace_format()
 * and parsed again: the two must agree. */
#include <string.h>
#include "fuzz_replay.h"
#include "trace_fmt.h"

static void round_trip(const struct sw_event *ev)
{
	char out[8192], again[8192];
	struct sw_event ev2;
	const char *why;
	size_t n = trace_format(ev, out, sizeof(out));

	if (n >= sizeof(out))
		return;
	memcpy(again, out, n + 1);
	if (trace_parse_line(NULL, again, n, &ev2, &why) != 1 || !sw_str_eq(ev->call, ev2.call) ||
	    ev->nargs != ev2.nargs || ev->has_ret != ev2.has_ret ||
	    (ev->has_ret && !sw_str_eq(ev->ret, ev2.ret)) || ev->pid != ev2.pid || ev->t_ns != ev2.t_ns)
		abort();
	for (uint32_t i = 0; i < ev->nargs; i++)
		if (!sw_str_eq(ev->args[i].name, ev2.args[i].name) ||
		    !sw_str_eq(ev->args[i].val, ev2.args[i].val))
			abort();
}

static int feed(void *ctx, const struct sw_event *ev)
{
	round_trip(ev);
	engine_feed(ctx, ev);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct engine *e = fuzz_engine(size ? data[0] : 0);

	if (e)
		fuzz_read(data, size, trace_parse_line, NULL, feed, e);
	fuzz_engine_end(e);
	return 0;
}
