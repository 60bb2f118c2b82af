/* trace_read.h: readers that turn text captures into struct sw_event records.
 *
 * A reader is a line parser: it gets one line (without the newline, writable: values are unquoted
 * in place) and fills an event whose strings borrow from the line or from the parser's own state.
 * trace_read_file() is the loop shared by every format: it numbers lines, reports a bad line as
 * "file:line: reason" on stderr, counts it and goes on (or stops with --strict).
 */
#ifndef SW_TRACE_READ_H
#define SW_TRACE_READ_H

#include <stdbool.h>
#include <stdio.h>
#include "event.h"

/* Returns 1 when ev holds an event, 0 for a line without one (comment, blank, signal), -1 for a bad
 * line with *why set to a static reason. ev->seq is set by the caller. */
typedef int (*sw_line_parser)(void *state, char *line, size_t len, struct sw_event *ev,
			      const char **why);
/* Receives each event; a non-zero return stops the loop and is returned. */
typedef int (*sw_event_cb)(void *ctx, const struct sw_event *ev);

struct sw_read_stats {
	uint64_t lines, events, bad;
};

/* The seed text format (docs/trace-format.md): pid=/ppid=/uid=/t= go to the event's fields. */
int trace_parse_line(void *state, char *line, size_t len, struct sw_event *ev, const char **why);

/* Open a capture for reading, plain or gzip-compressed (zlib reads both); "-" is standard input.
 * NULL with errno set on failure. Close with fclose(). */
FILE *trace_open(const char *path);

/* Read f to its end. Returns 0, the callback's non-zero value, or -1 (read error, or a bad line
 * with strict). */
int trace_read_file(FILE *f, const char *name, bool strict, sw_line_parser parse, void *pstate,
		    sw_event_cb cb, void *ctx, struct sw_read_stats *st);

#endif /* SW_TRACE_READ_H */
