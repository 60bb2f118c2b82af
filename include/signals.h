/* signals.h: the facts an alert lists, as bits of alert.signals. Each one is a row of the table in
 * user/judge/signals.c (bit, name, strength, predicate, doc line): adding a signal is one row, one
 * predicate and one test. docs/run.md prints the table's doc lines. */
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
	SIG_HOLDS_SOCKET = 1 << 5,   /* a shell whose parent holds an inet connection */
	SIG_PIPE_RELAY = 1 << 6,     /* a shell fed and read through pipes by network processes */
};

/* How much a signal says on its own. */
enum sig_strength {
	SIG_CONFIRMS,   /* a remote shell: alert at once */
	SIG_SUSPECTS,   /* a suspicious command: held, absorbed by a confirmed alert of its tree */
	SIG_SUPPORTS,   /* confirms together with a SUSPECTS signal, nothing alone */
};

/* A remote shell, not only a suspicious command. */
bool alert_confirmed(uint32_t signals);
/* The signal's name ("stdio-socket"), NULL for a bit no row has. */
const char *signal_name(uint32_t bit);
/* "rule,stdio-socket,score": the signals set, comma separated, in the table's order. */
void signals_str(uint32_t signals, char *buf, size_t len);
/* Calls fn for each signal set in signals, in the table's order. */
void signals_each(uint32_t signals, void (*fn)(void *ctx, const char *name), void *ctx);

/* The table as markdown rows: | `name` | doc | strength | (docs/run.md carries them). */
void signals_doc(FILE *f);

#endif /* SW_SIGNALS_H */
