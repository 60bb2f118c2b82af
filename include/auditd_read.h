/* auditd_read.h: reader of auditd logs (raw audit.log lines, log_format RAW or ENRICHED; ENRICHED
 * adds interpreted fields after a 0x1d byte, which the reader ignores). The records of one audit
 * event share the serial in msg=audit(SEC.MS:SERIAL); the reader joins the ones it uses into one
 * struct auditd_event:
 *
 *   type=SYSCALL msg=audit(1700000000.123:4242): arch=c000003e syscall=59 success=yes exit=0
 *       a0=55d0... items=2 ppid=10 pid=11 auid=0 uid=0 ... comm="bash" exe="/usr/bin/bash" ...
 *   type=EXECVE msg=audit(1700000000.123:4242): argc=3 a0="bash" a1="-c" a2=6563686F2068690A
 *   type=SOCKADDR msg=audit(...): saddr=02001F907F0000010000000000000000
 *   type=PROCTITLE msg=audit(...): proctitle=62617368002D63...
 *
 * Quoted values are literal; unquoted values are hex when they are hex (auditd hex-encodes
 * arguments, names and titles with blanks, quotes or control bytes), "(null)" is empty. A long
 * argument comes as aN_len=LEN aN[0]=... aN[1]=..., possibly over several EXECVE records. The CWD
 * record (type=CWD ... cwd="/dir") gives the working directory; other record types (PATH, ...)
 * are not kept.
 *
 * An event is delivered when it ends: at its EOE record (auditd usually does not write them), at
 * its PROCTITLE (the last record of a syscall event), or as soon as the EXECVE arguments and the
 * CWD record that follows them are all in (the rest of an exec's records add nothing the readers
 * use; its late records are then dropped);
 * or, cut short and counted: when AUDITD_PENDING events are being assembled (the oldest), when
 * no record came for it in AUDITD_STALE_LINES lines, or at auditd_finish(). Bad records never
 * stop the reader: they are counted and, with a bad-record callback, reported by line.
 *
 * Two users: auditd_read_events() (auditd_events.c) turns events into struct sw_event for
 * `replay --format auditd`; auditd_new() + auditd_cmdline() give the executed command lines for
 * `score --format auditd`.
 */
#ifndef SW_AUDITD_READ_H
#define SW_AUDITD_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "event.h"
#include "trace_read.h"

#define AUDITD_MAX_ARGS 256          /* arguments kept per event; more mark it partial */
#define AUDITD_MAX_BYTES (256 << 10) /* decoded bytes kept per event; more mark it partial */
#define AUDITD_PENDING 32            /* events assembled at once; the oldest is flushed when full */
#define AUDITD_STALE_LINES 512       /* an event with no record for this many lines is flushed */
#define AUDITD_DONE_RING 64          /* events delivered early, whose late records are dropped */

struct auditd_exec {
	uint64_t serial;           /* event id */
	char time[32];             /* seconds.millis text of msg=audit(...) */
	uint64_t line;             /* input line of the event's first record */
	uint32_t argc;             /* argc= as recorded */
	uint32_t nargs;            /* arguments present in argv (missing ones are empty) */
	bool partial;              /* an argument is missing, cut or out of order */
	struct sw_str argv[AUDITD_MAX_ARGS];
};

/* The SYSCALL record's fields the readers use. */
struct auditd_syscall {
	uint32_t arch, nr;         /* arch=: AUDIT_ARCH_* (c000003e x86_64); syscall= */
	bool has_exit;             /* exit= and success= present (not for exit and exit_group,
				    * which do not return) */
	bool success;
	int64_t exit;              /* return value: -errno on failure */
	uint64_t a[4];             /* a0..a3, the first four arguments as registers */
	uint32_t pid, ppid, uid;   /* pid= (thread group), ppid=, uid= (real) */
	bool has_uid;
	struct sw_str comm, exe;   /* decoded; empty when absent or (null) */
};

struct auditd_event {
	uint64_t serial;
	uint64_t line;             /* input line of its first record */
	uint64_t t_ms;             /* msg=audit(SEC.MS:...) in ms since the epoch (wall clock) */
	bool complete;             /* it ended (EOE, PROCTITLE, all arguments); false: cut short */
	bool has_syscall, has_sockaddr, has_execve, has_proctitle, has_cwd;
	struct auditd_syscall sc;
	struct sw_str saddr;       /* SOCKADDR: the struct sockaddr, as the caller gave it */
	struct sw_str proctitle;   /* PROCTITLE: the command line, NUL-separated, <= 128 bytes */
	struct sw_str cwd;         /* CWD: the working directory, decoded (when has_cwd) */
	struct auditd_exec exec;   /* EXECVE records (when has_execve) */
};

struct auditd_stats {
	uint64_t lines;
	uint64_t records;          /* records of the types read: SYSCALL, EXECVE, SOCKADDR,
				    * PROCTITLE, CWD, EOE */
	uint64_t execve_records;
	uint64_t events;           /* events delivered */
	uint64_t partial_events;   /* ... whose EXECVE arguments are incomplete */
	uint64_t bad_records;      /* a record of those types that does not parse */
	uint64_t not_audit;        /* a non-empty line that is not an audit record at all */
	uint64_t flushed_full;     /* events cut short: the table was full, ... */
	uint64_t flushed_stale;    /* ... no record for AUDITD_STALE_LINES lines, ... */
	uint64_t flushed_end;      /* ... still pending at auditd_finish() */
	uint64_t late_records;     /* records of an event already delivered, but for an exec's
				    * PROCTITLE (dropped) */
};

typedef void (*auditd_cb)(void *ctx, const struct auditd_exec *ex);
typedef void (*auditd_event_cb)(void *ctx, const struct auditd_event *ev);
/* A bad record or line: its line number and a static reason. */
typedef void (*auditd_bad_cb)(void *ctx, uint64_t line, const char *why);
struct auditd_reader;

/* Every joined event to fn (bad may be NULL). NULL on allocation failure. The event and its
 * strings live only during the call. */
struct auditd_reader *auditd_join_new(auditd_event_cb fn, auditd_bad_cb bad, void *ctx);
/* Only the events with EXECVE records, to cb, as commands. */
struct auditd_reader *auditd_new(auditd_cb cb, void *ctx);
void auditd_feed_line(struct auditd_reader *r, const char *line, size_t len);
/* A line longer than SW_LINE_MAX (trace_read_lines cut it): a bad record, skipped. No kernel
 * record comes near it (MAX_AUDIT_MESSAGE_LENGTH is 8970 bytes). */
void auditd_feed_cut(struct auditd_reader *r);
void auditd_finish(struct auditd_reader *r);          /* deliver what is still pending */
const struct auditd_stats *auditd_stats(const struct auditd_reader *r);
void auditd_free(struct auditd_reader *r);

/* The command line of ex: arguments joined by spaces, each quoted for the shell ('...') when it
 * has blanks or shell syntax in it. Writes at most cap bytes (NUL-terminated when cap > 0) and
 * returns the length the whole line needs. */
size_t auditd_cmdline(const struct auditd_exec *ex, char *dst, size_t cap);
/* The same into *buf (*cap bytes), grown to fit; returns the length of what *buf holds: the
 * whole line, or what fits when it cannot grow (out of memory). */
size_t auditd_cmdline_grow(const struct auditd_exec *ex, char **buf, size_t *cap);

/* ---- auditd_events.c: audit events as struct sw_event (docs/auditd.md) ---- */

#define AUDITD_ARCH_X86_64 0xc000003eu
#define AUDITD_ARCH_AARCH64 0xc00000b7u
#define AUDITD_PROCS 16384         /* processes remembered for fork bookkeeping */

/* What auditd_read_events() skipped or could not finish, for its summary line. */
struct auditd_event_stats {
	uint64_t other_arch;       /* SYSCALL records of other architectures */
	uint64_t other_calls;      /* syscalls the judge has no use for (fcntl other than F_DUPFD*,
				    * a thread's exit, a record without exit=, ...) */
	uint64_t failed;           /* failed dup, exec or clone (dropped as the live sensor does) */
	uint64_t threads;          /* clone with CLONE_THREAD; clone3 children never seen again */
	uint64_t forks_inferred;   /* forks announced at the child's first event (its parent's
				    * record came later or not at all) */
	uint64_t no_syscall;       /* events without a usable SYSCALL record */
	uint64_t procs_evicted;    /* processes forgotten because AUDITD_PROCS were remembered */
};

/* Read an auditd log to its end (lines of trace_read_lines: at most SW_LINE_MAX bytes), every
 * event to cb in the order the events end (ev->seq: the line of its first record). Bad records
 * (also a NUL byte or a cut line) are reported as "name:line: reason" on stderr (the first
 * SW_SHOW_BAD), counted in st->bad; a summary of what was skipped goes to stderr when there
 * is any. Returns 0, the callback's non-zero value, or -1 (read error or, with strict, a bad
 * record). es may be NULL. */
int auditd_read_events(FILE *f, const char *name, bool strict, sw_event_cb cb, void *ctx,
		       struct sw_read_stats *st, struct auditd_event_stats *es);

#endif /* SW_AUDITD_READ_H */
