/* sink.h: the one output of alerts (and, with `run --events`, events), for `run` and `replay`:
 * one format (a text line, ECS JSON, OCSF JSON) to standard output or a file (include/outfile.h:
 * opened safely, rotated by size, reopened on SIGHUP), and to syslog: the local socket and/or a
 * collector (include/syslog_out.h; the message is the JSON document, ECS unless OCSF is asked).
 *
 * A record the output cannot take is reported on stderr at once (then at most every 10 s, and
 * when it works again), counted, and detection goes on; sink_lost() says whether any alert was
 * lost, for the exit status. */
#ifndef SW_SINK_H
#define SW_SINK_H

#include <stdbool.h>
#include <stdint.h>
#include "alert.h"
#include "event.h"
#include "outfile.h"
#include "outfmt.h"
#include "ratelimit.h"
#include "syslog_out.h"

enum sink_format { SINK_TEXT = 0, SINK_ECS, SINK_OCSF };

struct sink_opts {
	enum sink_format format;
	struct outfile_opts file;       /* path NULL: standard output */
	bool syslog_local;              /* --syslog: /dev/log */
	bool has_server;                /* --syslog-server */
	struct syslog_dest server;
	enum syslog_format syslog_format;
	double events_rate, events_burst; /* --events: records a second, and saved up */
};

struct sink_stats {
	uint64_t alerts, events;        /* written to the output */
	uint64_t alert_errors, event_errors; /* the output could not take them */
	uint64_t alerts_lost;           /* alerts the output or a syslog queue lost */
	uint64_t events_limited;        /* events dropped by the rate limit */
	uint64_t rotations;
	bool has_syslog[2];             /* local, server */
	struct syslog_stats syslog[2];
};

struct sink {
	struct sink_opts o;
	const char *cmd;                /* "shellwatch run": names the messages */
	struct out_ident id;
	struct outfile file;
	struct syslog_out *sl[2];
	char sl_name[2][160];
	struct token_bucket events;
	struct sink_stats st;
	int last_err;                   /* the output's last error, 0 when it works */
	uint64_t err_said_ns;
};

/* 0, or -errno with the reason printed as "CMD: ...". */
int sink_open(struct sink *s, const struct sink_opts *o, const struct out_ident *id,
	      const char *cmd);
/* Reopen the file (SIGHUP after log rotation); 0 or -errno (the old file stays in use). */
int sink_reopen(struct sink *s);
void sink_write(struct sink *s, const struct alert *a);
/* --events: ev as an ECS event document, when it is one (include/outfmt.h) and the rate allows;
 * now_ns is any monotonic clock (the rate), wall_ns the event's wall-clock time. */
void sink_event(struct sink *s, const struct sw_event *ev, uint64_t now_ns, uint64_t wall_ns);
/* Now and then: syslog reconnects and queues. */
void sink_tick(struct sink *s);
void sink_stats(const struct sink *s, struct sink_stats *st);
/* What the outputs did, for the closing lines: "output FILE: N alerts ... could not be written;
 * events: ...; N rotations; syslog DEST: N sent, ...", "" when there is nothing to say. */
void sink_summary(const struct sink *s, char *buf, size_t len);
bool sink_lost(const struct sink *s);
/* Flushes syslog (up to 2 s), then closes. */
void sink_close(struct sink *s);

#endif /* SW_SINK_H */
