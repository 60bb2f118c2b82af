/* fuzz_rules.c: libFuzzer target for the rule parser. A rule set that parses is run on a fixed
 * remote-shell trace by both matchers, so odd rules exercise the search too. */
#include <string.h>
#include "engine.h"
#include "trace_read.h"

static const char *const trace[] = {
	"connect pid=1 fd=3 family=inet addr=127.0.0.1 port=4444 => 0", "dup2 pid=1 fd=3 newfd=1 => 1",
	"accept fd=3 => 4", "dup fd=4 => 0", "fork pid=1 child=2", "dup2 pid=2 fd=1 newfd=2 => 2",
	"fcntl pid=1 fd=3 cmd=F_DUPFD arg=0 => 0", "execve pid=2 exe=/bin/sh argv=\"sh -i\" => 0",
	"execve exe=/bin/sh", "exit pid=2 code=0",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ruleset rs = { 0 };
	char err[256];

	if (rules_parse(&rs, (const char *)data, size, "fuzz", err, sizeof(err)) == 0) {
		for (int m = 0; m < 2; m++) {
			struct engine_opts o = engine_opts_default(ENGINE_COUNT);
			struct engine *e;

			o.rules = &rs, o.mode = m ? ENGINE_INCREMENTAL : ENGINE_PWW, o.max_streams = 8;
			o.search_budget = 10000;
			e = engine_new(&o);
			for (size_t i = 0; e && i < sizeof(trace) / sizeof(trace[0]); i++) {
				char line[256];
				struct sw_event ev;
				const char *why;

				strcpy(line, trace[i]);
				if (trace_parse_line(NULL, line, strlen(line), &ev, &why) == 1)
					engine_feed(e, &ev);
			}
			if (e)
				engine_flush(e);
			engine_free(e);
		}
	}
	rules_free(&rs);
	return 0;
}
