/* bl_input.h: command lines for the host baseline from a file: one command line a line (as typed,
 * shell-quoted), an auditd log (each EXECVE event, its arguments quoted for the shell), or a text
 * trace (docs/trace-format.md: each exec, the interpreter it names and its argv), on the line loop
 * every text input shares (include/trace_read.h: a line longer than SW_LINE_MAX is taken by its
 * start). Files may be gzip-compressed; "-" is standard input. */
#ifndef SW_BL_INPUT_H
#define SW_BL_INPUT_H

#include <stdint.h>
#include "bl_groups.h"

enum bl_format { BL_IN_LINES = 0, BL_IN_AUDITD, BL_IN_TRACE };

/* One command line: c to group and score, shown as what to print (the line as read). */
typedef void (*bl_input_fn)(void *ctx, const struct bl_cmd *c, const char *shown, size_t len);

struct bl_input_stats {
	uint64_t commands;      /* delivered */
	uint64_t bad;           /* bad trace lines or auditd records (reported on stderr) */
	uint64_t partial;       /* auditd commands whose arguments were incomplete */
	uint64_t cut;           /* lines longer than SW_LINE_MAX: their start only */
};

/* "lines", "auditd", "trace" -> 0 and *f; -1 otherwise. */
int bl_format_of(const char *s, enum bl_format *f);
/* Read path to its end. 0, or -1 with errno (cannot open, read error). */
int bl_input_read(const char *path, enum bl_format f, bl_input_fn fn, void *ctx,
		  struct bl_input_stats *st);

#endif /* SW_BL_INPUT_H */
