/* background.h: load a capture (seed format or strace, plain or gzip) as seed-format lines of
 * one stream (pid, ppid, uid and time dropped: one system call per time unit, as in the case
 * study). Shared by tools/inject and tools/study. */
#ifndef SW_TOOLS_BACKGROUND_H
#define SW_TOOLS_BACKGROUND_H

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "strace_read.h"
#include "trace_fmt.h"
#include "trace_read.h"

#define BACKGROUND_LINE 8192 /* longest line kept */

struct background {
	char **lines;
	size_t n, cap;
};

static int background_add(void *ctx, const struct sw_event *ev)
{
	struct background *b = ctx;
	struct sw_event one = *ev;
	char buf[BACKGROUND_LINE];

	one.has_pid = one.has_time = false;
	if (trace_format(&one, buf, sizeof(buf)) >= sizeof(buf))
		return 0; /* a cut line would not parse back: leave the event out */
	if (b->n == b->cap) {
		char **nl = realloc(b->lines, (b->cap = b->cap * 2 + 1024) * sizeof(*nl));

		if (!nl)
			return -1;
		b->lines = nl;
	}
	b->lines[b->n] = strdup(buf);
	return b->lines[b->n++] ? 0 : -1;
}

/* Returns 0, or -1 with a message on stderr. */
static int background_load(struct background *b, const char *path, bool strace)
{
	struct strace_reader *sr = strace ? strace_reader_new() : NULL;
	struct sw_read_stats st = { 0 };
	FILE *f = trace_open(path);
	int rc;

	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		strace_reader_free(sr);
		return -1;
	}
	rc = trace_read_file(f, path, false, strace ? strace_parse_line : trace_parse_line, sr,
			     background_add, b, &st);
	fclose(f);
	strace_reader_free(sr);
	if (rc)
		fprintf(stderr, "%s: cannot load the background\n", path);
	return rc ? -1 : 0;
}

static void background_free(struct background *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->lines[i]);
	free(b->lines);
	memset(b, 0, sizeof(*b));
}

#endif /* SW_TOOLS_BACKGROUND_H */
