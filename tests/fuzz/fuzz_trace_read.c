/* fuzz_trace_read.c: libFuzzer target for the seed text-format reader. Each line is parsed; an
 * event is written back with trace_format() and parsed again (the two must agree), then fed to
 * an engine with the built-in rules (PWW or incremental, chosen by the first byte). */
#include <stdlib.h>
#include <string.h>
#include "engine.h"
#include "trace_fmt.h"
#include "trace_read.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ruleset rs;
	static int loaded;
	char err[256], *buf = malloc(size + 1);
	struct engine_opts o = engine_opts_default(ENGINE_COUNT);
	struct engine *e;
	size_t start = 0;

	if (!loaded && rules_load_default(&rs, err, sizeof(err)) == 0)
		loaded = 1;
	memcpy(buf, data, size);
	o.rules = &rs, o.max_streams = 16, o.max_events = 64, o.l_max = 20;
	o.mode = size && (data[0] & 1) ? ENGINE_INCREMENTAL : ENGINE_PWW;
	e = engine_new(&o);
	for (size_t i = 0; i <= size && e; i++) {
		struct sw_event ev;
		const char *why;

		if (i < size && buf[i] != '\n')
			continue;
		if (trace_parse_line(NULL, buf + start, i - start, &ev, &why) == 1) {
			round_trip(&ev);
			ev.seq = start;
			engine_feed(e, &ev);
		}
		start = i + 1;
	}
	if (e)
		engine_flush(e);
	engine_free(e);
	free(buf);
	return 0;
}
