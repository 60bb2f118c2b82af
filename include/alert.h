/* alert.h: the finding record: one per remote shell (or suspicious command), listing every signal
 * that fired. The judge (include/judge.h) fills it, `run` and `replay` alike; the outputs
 * (include/sink.h, include/outfmt.h) write it as a line for people, an ECS or OCSF JSON object,
 * to a file, standard output or syslog. docs/run.md and docs/alert.schema.json list the fields. */
#ifndef SW_ALERT_H
#define SW_ALERT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "engine.h"
#include "event.h"
#include "signals.h"

#define ALERT_CMD_MAX 1024
#define ALERT_EXE_MAX 256
#define ALERT_CWD_MAX 264     /* a working directory: the sources keep at most 256 bytes and "..." */
#define ALERT_ID_MAX 24      /* an entity id: 16 hex digits and a NUL */

/* How sure: high: an interpreter taking its commands from the network and writing back to it;
 * medium: partial network facts (an unknown program, or one running its own code, on an
 * outbound connection as stdin and stdout); low: the command score alone. */
enum severity { SEV_NONE = 0, SEV_LOW, SEV_MEDIUM, SEV_HIGH };

/* Which way the connection behind an alert was made, as far as the judge saw it. */
enum direction { DIR_UNKNOWN = 0, DIR_OUTBOUND, DIR_INBOUND };

struct alert {
	uint32_t id;                 /* counts up per judge: 1, 2, ... */
	uint32_t signals;
	enum severity severity;
	enum direction direction;
	uint32_t pid, ppid, uid;
	bool has_uid;
	uint64_t exec_ns;            /* event time of the exec that triggered it */
	uint64_t decided_ns;         /* event time of the decision; `run` sets the clock at output */
	uint64_t start_ns;           /* the process's start time (boot clock), 0 unknown */
	char entity_id[ALERT_ID_MAX];        /* "" when the start time is unknown */
	char parent_entity_id[ALERT_ID_MAX];
	char host[64];               /* the machine the events came from, "" unknown */
	char comm[16], pcomm[16];
	char exe[ALERT_EXE_MAX];
	char pexe[ALERT_EXE_MAX];    /* the parent's executable, "" unknown */
	char cwd[ALERT_CWD_MAX];     /* the working directory at its exec, "" unknown ("..." in front:
					the start was cut, include/event.h) */
	char pcwd[ALERT_CWD_MAX];    /* the parent's, at its exec (the table's copy), "" unknown */
	char interp[32];             /* the interpreter it is ("bash", "python3.11"), "" none */
	uint8_t interp_by;           /* enum interp_by: inode, build-id (a copy), name */
	uint8_t cmdsrc;              /* enum cmd_source: where it takes its commands from */
	char container[80];          /* container id, "" on the host (or unknown) */
	char ctr_runtime[12];        /* "docker", "podman", "containerd", "cri-o", "other"; "" */
	char pod_uid[40];            /* its Kubernetes pod's uid, "" none */
	uint32_t ns_pid;             /* the pid in the container's pid namespace, 0 unknown */
	/* from the runtime's API (include/ctr_meta.h), filled by `run` when known; "" else */
	char ctr_name[128], ctr_image[256], pod_name[256], pod_namespace[64];
	const char *suppressed_by;   /* the exception ("file:line") that matched; NULL: none */
	char cmd[ALERT_CMD_MAX], pcmd[ALERT_CMD_MAX];
	/* the spaces of cmd and pcmd that are inside an argument (include/argl.h; all clear: split
	 * at every space), for process.args */
	uint8_t cmd_inner[ALERT_CMD_MAX / 8], pcmd_inner[ALERT_CMD_MAX / 8];
	uint32_t cmd_len;            /* bytes of the whole command line; 0: unknown (the source cut it) */
	bool cmd_trunc;              /* cmd is not the whole command line (alert_set_cmd) */
	bool has_peer;
	struct sw_fd peer;           /* the remote end: stdio socket, or the rule's connect/accept */
	double score, pscore;        /* -1: not scored */
	char rule[RULE_NAME_MAX];
	unsigned nmatched;
	char matched[ENGINE_MAX_MATCHED][256];
	bool killed;                 /* --kill sent SIGKILL */
	bool killed_in_kernel;       /* at the exec, by the BPF program: before the program ran */
	uint64_t kill_ns;            /* time of the kill, 0 if none */
};

/* The alert's name: the rule's, else the strongest network fact ("stdio-socket",
 * "parent-stdio-socket", "pipe-relay", "socket-relay", "command-from-network"), else
 * "suspicious-command". */
const char *alert_name(const struct alert *a);
const char *severity_name(enum severity s);
/* "low", "medium", "high" -> the severity; SEV_NONE for anything else. */
enum severity severity_of_name(const char *s);
const char *direction_name(enum direction d);
/* "127.0.0.1" or "::1" from a socket's peer address. */
void alert_peer_ip(const struct sw_fd *s, char *buf, size_t len);
/* Milliseconds from the exec to the decision. */
double alert_delay_ms(const struct alert *a);
/* Set a->cmd from the command line s (len bytes; source_cut: the source already cut it, so its
 * whole length is unknown). A line longer than cmd keeps its head and its tail around a marker,
 * so what is padded in front is not all that is left; cmd_trunc and cmd_len say what happened. */
void alert_set_cmd(struct alert *a, const char *s, size_t len, bool source_cut);

/* The line for people (plus the matched events, indented). */
int alert_write_text(FILE *f, const struct alert *a);

#endif /* SW_ALERT_H */
