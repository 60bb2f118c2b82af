/* trace_fmt.h: the text trace format, one event per line (docs/trace-format.md).
 *
 *   system-call [name=value ...] [=> return-value]
 *
 * Shared by `record` (writer) and the seed-format reader (unquote), so quoting has one definition.
 */
#ifndef SW_TRACE_FMT_H
#define SW_TRACE_FMT_H

#include <stddef.h>
#include <stdbool.h>
#include "event.h"

/* True if the value must be written between double quotes. */
bool trace_needs_quotes(const char *s, size_t len);

/* Append value s[0..len) to dst (capacity cap, always NUL-terminated when cap > 0), quoted and
 * escaped if needed. Returns the length the full output needs (like snprintf): >= cap means cut. */
size_t trace_put_value(char *dst, size_t cap, const char *s, size_t len);

/* Decode a quoted value: src points at the opening '"'. Writes the decoded bytes to dst (cap bytes;
 * decoded output is never longer than the input) and stores their count in *out_len. Returns the
 * number of source bytes consumed including both quotes, or -1 if the closing quote is missing or an
 * escape is malformed. */
long trace_unquote(const char *src, size_t srclen, char *dst, size_t cap, size_t *out_len);

/* Format one event as a line (no newline): call, then pid=/ppid=/uid=/t= when known, then the
 * arguments, then "=> ret". Returns the length needed (>= cap means the line was cut). */
size_t trace_format(const struct sw_event *ev, char *dst, size_t cap);

#endif /* SW_TRACE_FMT_H */
