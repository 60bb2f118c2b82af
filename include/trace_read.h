/* trace_read.h: readers that turn text captures into struct sw_event records.
 *
 * A reader is a line parser: it gets one line (without the newline, writable: values are unquoted
 * in place) and fills an event whose strings borrow from the line or from the parser's own state.
 * trace_read_lines() is the one line loop every text input shares (traces, strace, auditd, the
 * command lines of `score`): a line is at most SW_LINE_MAX bytes, the rest of a longer one is
 * skipped and counted, so memory stays flat whatever the input (/dev/zero is one endless line).
 * trace_read_file() parses each line into events: it numbers lines, reports a bad line as
 * "file:line: reason" on stderr (the first SW_SHOW_BAD of them, then only counts), counts it and
 * goes on (or stops with --strict).
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

#define SW_LINE_MAX (256u << 10)  /* longest line read: the rest of a longer one is skipped */
#define SW_SHOW_BAD 10            /* bad lines reported by file:line; the others only counted */

struct sw_read_stats {
	uint64_t lines, events, bad;
	uint64_t cut;             /* lines longer than SW_LINE_MAX (bad lines for the parsers) */
	uint64_t skipped;         /* bytes skipped: the rest of those lines */
};

/* One line, without its newline, writable and NUL-terminated at len (it may hold NUL bytes).
 * cut: the line is longer than SW_LINE_MAX; these are its first SW_LINE_MAX bytes and the rest
 * is skipped. A non-zero return stops the loop and is returned. */
typedef int (*sw_line_fn)(void *ctx, char *line, size_t len, bool cut);

/* The seed text format (docs/trace-format.md): pid=/ppid=/uid=/t= go to the event's fields. */
int trace_parse_line(void *state, char *line, size_t len, struct sw_event *ev, const char **why);

/* Open a capture for reading, plain or gzip-compressed (zlib reads both); "-" is standard input.
 * NULL with errno set on failure. Close with fclose(). */
FILE *trace_open(const char *path);

/* Every line of f to fn, counted in st->lines (and cut, skipped). Returns 0, fn's non-zero
 * value, or -1 (read error or out of memory, reported on stderr with name). */
int trace_read_lines(FILE *f, const char *name, sw_line_fn fn, void *ctx, struct sw_read_stats *st);

/* Count a bad line in st->bad and report the first SW_SHOW_BAD as "name:line: why" on stderr,
 * then once that the others are only counted. */
void trace_bad_line(const char *name, uint64_t line, const char *why, struct sw_read_stats *st);

/* Read f to its end. A line that is cut (SW_LINE_MAX) or holds a NUL byte is a bad line. Returns
 * 0, the callback's non-zero value, or -1 (read error, or a bad line with strict). */
int trace_read_file(FILE *f, const char *name, bool strict, sw_line_parser parse, void *pstate,
		    sw_event_cb cb, void *ctx, struct sw_read_stats *st);

#endif /* SW_TRACE_READ_H */
