/* alert.h: what `shellwatch run` reports: one alert per remote shell, listing every signal that
 * fired, written as a line for people or a JSON object (ECS field names, docs/design.md). */
#ifndef SW_ALERT_H
#define SW_ALERT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "engine.h"
#include "wire.h"

/* Signals, as bits of alert.signals. */
enum {
	SIG_RULE = 1 << 0,           /* a rule matched the process stream (engine) */
	SIG_STDIO_SOCKET = 1 << 1,   /* the exec'd program has an inet socket on fd 0, 1 or 2 */
	SIG_PARENT_SOCKET = 1 << 2,  /* its parent or grandparent has an inet socket on stdio */
	SIG_SCORE = 1 << 3,          /* its command line scored at or above the threshold */
	SIG_PARENT_SCORE = 1 << 4,   /* its parent's (or an ancestor's) command line did */
	SIG_HOLDS_SOCKET = 1 << 5,   /* supporting: a shell whose parent holds an inet connection */
	SIG_PIPE_RELAY = 1 << 6,     /* a shell reading from and writing to processes that hold inet
					connections, through pipes or fifos (nc | sh | nc, mkfifo) */
};
#define SIG_CONFIRMED (SIG_RULE | SIG_STDIO_SOCKET | SIG_PARENT_SOCKET | SIG_PIPE_RELAY)

/* A remote shell, not only a suspicious command. A shell started by a process holding an inet
 * connection is a relay (socat, ncat -e) only when a command line of the tree also looks
 * malicious; alone it is every ssh login. */
static inline bool alert_confirmed(uint32_t sig)
{
	return (sig & SIG_CONFIRMED) ||
	       ((sig & SIG_HOLDS_SOCKET) && (sig & (SIG_SCORE | SIG_PARENT_SCORE)));
}

#define ALERT_CMD_MAX 1024

struct alert {
	uint32_t id;
	uint32_t signals;
	uint32_t pid, ppid, uid;
	uint64_t exec_ns;            /* ktime of the exec that triggered it */
	uint64_t detect_ns;          /* ktime when the alert was decided */
	char comm[WIRE_COMM_LEN], pcomm[WIRE_COMM_LEN];
	char exe[WIRE_EXE_MAX];
	char cmd[ALERT_CMD_MAX], pcmd[ALERT_CMD_MAX];
	bool has_peer;
	struct wire_fd peer;         /* the remote end: stdio socket, or the rule's connect/accept */
	double score, pscore;        /* -1: not scored */
	char rule[RULE_NAME_MAX];
	unsigned nmatched;
	char matched[ENGINE_MAX_MATCHED][256];
	bool killed;                 /* --kill sent SIGKILL */
	bool killed_in_kernel;       /* at the exec, by the BPF program: before the program ran */
	uint64_t kill_ns;            /* ktime of the kill, 0 if none */
};

/* The alert's name: the rule's, else "stdio-socket", "parent-stdio-socket" or
 * "suspicious-command". */
const char *alert_name(const struct alert *a);
/* "rule,stdio-socket,score": the signals that fired, comma separated. */
void alert_signals_str(uint32_t signals, char *buf, size_t len);
/* "127.0.0.1" or "::1" from a socket's peer address. */
void alert_peer_ip(const struct wire_fd *s, char *buf, size_t len);

int alert_write_text(FILE *f, const struct alert *a);
int alert_write_json(FILE *f, const struct alert *a, const char *hostname);

#endif /* SW_ALERT_H */
