/* strace_read.h: a reader for `strace -f` output (optionally -t, -tt or -ttt, and -y or -yy) into
 * sw_event records with the vocabulary of docs/trace-format.md. Lines split by `<unfinished ...>` /
 * `<... resumed>` are joined; threads are folded into their process; clone/fork/vfork become `fork
 * child=N`, `+++ exited with N +++` becomes `exit code=N`. Other calls become events with their
 * name and return value only (background for the study). The fd annotations of -yy are stripped
 * from the numbers and become src=/peer=/local=/pipe= facts (docs/engine.md, "strace captures"). */
#ifndef SW_STRACE_READ_H
#define SW_STRACE_READ_H

#include <stddef.h>
#include "event.h"

struct strace_reader;

struct strace_reader *strace_reader_new(void);
void strace_reader_free(struct strace_reader *r);
/* An sw_line_parser (trace_read.h); state is a struct strace_reader. */
int strace_parse_line(void *state, char *line, size_t len, struct sw_event *ev, const char **why);

#endif /* SW_STRACE_READ_H */
