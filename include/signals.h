/* signals.h: the facts an alert lists, as bits of alert.signals. Each one is a row of the table in
 * user/judge/signals.c (bit, name, strength, predicate, doc line): adding a signal is one row, one
 * predicate and one test. docs/run.md carries the table's doc lines. The alert's severity follows
 * from the facts (signals_severity in user/judge/signals.c, docs/run.md). */
#ifndef SW_SIGNALS_H
#define SW_SIGNALS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
	SIG_RULE = 1 << 0,           /* a rule matched the process stream (engine) */
	SIG_STDIO_SOCKET = 1 << 1,   /* the exec'd program has an inet socket on fd 0, 1 or 2 */
	SIG_PARENT_SOCKET = 1 << 2,  /* its parent or grandparent has an inet socket on stdio */
	SIG_SCORE = 1 << 3,          /* its command line scored at or above the threshold */
	SIG_PARENT_SCORE = 1 << 4,   /* its parent's (or an ancestor's) command line did */
	SIG_HOLDS_SOCKET = 1 << 5,   /* its parent holds an inet connection, its stdio a pipe/tty */
	SIG_PIPE_RELAY = 1 << 6,     /* fed and read through pipes by network processes */
	SIG_INTERPRETER = 1 << 7,    /* the program is a command interpreter (shell, python, ...) */
	SIG_CMD_STDIN = 1 << 8,      /* it takes its commands from stdin */
	SIG_CMD_FROM_NET = 1 << 9,   /* its command line is what it or its parent just received */
	SIG_ANOMALY = 1 << 10,       /* its command line is an outlier of its host baseline group */
	SIG_PARENT_ANOMALY = 1 << 11, /* its parent's (or grandparent's) command line was one */
};

/* What a signal is, for the severity. */
enum sig_strength {
	SIG_NETWORK,    /* a network fact: stdin and/or stdout reach a connection */
	SIG_IDENTITY,   /* what the program is and where its commands come from */
	SIG_SUSPECTS,   /* the command score, the host baseline */
	SIG_PATTERN,    /* a rule of the pattern language */
};

/* The signal's name ("stdio-socket"), NULL for a bit no row has. */
const char *signal_name(uint32_t bit);
/* "rule,stdio-socket,score": the signals set, comma separated, in the table's order. */
void signals_str(uint32_t signals, char *buf, size_t len);
/* Calls fn for each signal set in signals, in the table's order. */
void signals_each(uint32_t signals, void (*fn)(void *ctx, const char *name), void *ctx);
/* The table as markdown rows: | `name` | doc | strength | (docs/run.md carries them). */
void signals_doc(FILE *f);

#endif /* SW_SIGNALS_H */
