/* syslog_out.h: alerts (and events) to syslog: the local socket /dev/log, or a collector over
 * UDP (RFC 5426: one message per datagram) or TCP (RFC 6587 octet counting: "LEN MSG").
 * Messages are RFC 5424 ("<PRI>1 TIME HOST shellwatch PID MSGID - MSG") or RFC 3164 ("<PRI>Mmm dd
 * hh:mm:ss [HOST ]shellwatch[PID]: MSG"); MSG is the JSON document, one line whatever the command
 * line held. Default: RFC 5424 to a collector, RFC 3164 to the local socket, since neither
 * journald nor rsyslog's imuxsock parse RFC 5424 there by default.
 *
 * Nothing blocks: messages wait in a bounded queue while the destination is away; a broken
 * connection is reopened with backoff (100 ms doubling to 5 s), and what was sent on it in the
 * last SYSLOG_RESEND_MS before the break was noticed is sent again (at least once: a collector
 * that died with them unread loses nothing; one that had read them gets them twice, counted as
 * resent). A full queue drops the new message, counted. */
#ifndef SW_SYSLOG_OUT_H
#define SW_SYSLOG_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#define SYSLOG_RESEND_MS 2000
#define SYSLOG_QUEUE_MAX 4096          /* messages */
#define SYSLOG_QUEUE_BYTES (16u << 20) /* and bytes */

enum syslog_proto { SYSLOG_UNIX = 0, SYSLOG_UDP, SYSLOG_TCP };
enum syslog_format { SYSLOG_FMT_DEFAULT = 0, SYSLOG_RFC3164, SYSLOG_RFC5424 };

struct syslog_dest {
	enum syslog_proto proto;
	enum syslog_format format;
	struct sockaddr_storage addr;  /* UDP, TCP */
	socklen_t addr_len;
	char path[108];                /* UNIX: the socket (default /dev/log) */
	char name[160];                /* for messages: "/dev/log", "tcp://127.0.0.1:514" */
};

struct syslog_stats {
	uint64_t queued;        /* handed to the queue */
	uint64_t sent;          /* written to the socket (a resent one counts again) */
	uint64_t dropped;       /* lost: the queue was full, or still unsent at exit */
	uint64_t dropped_alerts;/* of those, alerts */
	uint64_t resent;        /* sent again after a broken connection */
	uint64_t connects;      /* connections made (the first one included) */
	uint64_t errors;        /* failed connects and sends */
	uint64_t pending;       /* in the queue now, not yet sent */
	bool connected;
};

struct syslog_out;

/* "tcp://HOST:PORT", "udp://HOST:PORT" (HOST an address or a name, resolved now; [v6]:PORT;
 * PORT defaults to 514), or "unix:///PATH"; -1 with why set on a bad one. */
int syslog_parse_dest(const char *url, struct syslog_dest *d, char *why, size_t len);
/* The local socket, /dev/log. */
void syslog_local_dest(struct syslog_dest *d);
/* NULL with errno set. Connects at once, without waiting. */
struct syslog_out *syslog_out_new(const struct syslog_dest *d);
/* Format msg (a JSON line; a trailing newline is left out) and queue it; severity is syslog's
 * (1 alert .. 6 info); msgid "alert" or "event". Sends what it can at once. */
void syslog_out_send(struct syslog_out *s, int severity, const char *msgid, const char *msg,
		     size_t len, bool is_alert);
/* Reconnect when due, send what is queued; call now and then (run: every poll slice). */
void syslog_out_tick(struct syslog_out *s);
void syslog_out_stats(const struct syslog_out *s, struct syslog_stats *st);
const char *syslog_out_name(const struct syslog_out *s);
/* Send what is queued for up to wait_ms (TCP: until the collector confirms it read everything
 * by closing its side), count the rest as dropped, free. NULL is fine. */
void syslog_out_close(struct syslog_out *s, int wait_ms, struct syslog_stats *final);

/* The message as it goes out (for tests): RFC 5424 or 3164 per d->format (DEFAULT: 5424 unless
 * d is the local socket), without TCP framing. Returns its length (may exceed cap: cut). */
size_t syslog_format_msg(const struct syslog_dest *d, char *buf, size_t cap, int severity,
			 const char *msgid, const char *host, uint64_t wall_ns, int pid,
			 const char *msg, size_t len);

#endif /* SW_SYSLOG_OUT_H */
