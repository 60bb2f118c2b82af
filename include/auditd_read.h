/* auditd_read.h: reader of auditd EXECVE records (raw audit.log lines), joined into one executed
 * command per event.
 *
 *   type=EXECVE msg=audit(1700000000.123:4242): argc=3 a0="bash" a1="-c" a2=6563686F2068690A
 *
 * Quoted values are literal; unquoted values are hex (auditd hex-encodes arguments with blanks,
 * quotes or control bytes); a long argument comes as aN_len=LEN aN[0]=... aN[1]=..., possibly over
 * several EXECVE records. Records are joined by their event id (the number after ':'); an event is
 * delivered when all argc arguments are complete, at its EOE record, when too many events are
 * pending, or at auditd_finish(). Other record types are skipped. Bad lines never stop the reader:
 * they are counted. */
#ifndef SW_AUDITD_READ_H
#define SW_AUDITD_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"

#define AUDITD_MAX_ARGS 256        /* arguments kept per event; more mark it partial */
#define AUDITD_MAX_BYTES (256 << 10) /* argument bytes kept per event; more mark it partial */
#define AUDITD_PENDING 16          /* events assembled at once; the oldest is flushed when full */

struct auditd_exec {
	uint64_t serial;           /* event id */
	char time[32];             /* seconds.millis text of msg=audit(...) */
	uint64_t line;             /* input line of its first EXECVE record */
	uint32_t argc;             /* argc= as recorded */
	uint32_t nargs;            /* arguments present in argv (missing ones are empty) */
	bool partial;              /* an argument is missing, cut or out of order */
	struct sw_str argv[AUDITD_MAX_ARGS];
};

struct auditd_stats {
	uint64_t lines, execve_records, events, partial_events, bad_records;
};

typedef void (*auditd_cb)(void *ctx, const struct auditd_exec *ex);
struct auditd_reader;

/* NULL on allocation failure. cb gets each event; ex and its strings live only during the call. */
struct auditd_reader *auditd_new(auditd_cb cb, void *ctx);
void auditd_feed_line(struct auditd_reader *r, const char *line, size_t len);
void auditd_finish(struct auditd_reader *r);          /* deliver what is still pending */
const struct auditd_stats *auditd_stats(const struct auditd_reader *r);
void auditd_free(struct auditd_reader *r);

/* The command line of ex: arguments joined by spaces, each quoted for the shell ('...') when it
 * has blanks or shell syntax in it. Writes at most cap bytes (NUL-terminated when cap > 0) and
 * returns the length the whole line needs. */
size_t auditd_cmdline(const struct auditd_exec *ex, char *dst, size_t cap);

#endif /* SW_AUDITD_READ_H */
