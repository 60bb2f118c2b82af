/* proctab.h: what the judge knows about each process, for the signals the engine's rules do not
 * give: what its stdio is (from the exec fact, kept current by dups onto 0-2), the inet sockets it
 * connected or accepted, its command line and score, its working directory (at its exec), its
 * start time (its identity with the pid), and the alert that covers its process tree. Children
 * inherit it all on fork; entries go on exit.
 *
 * A fixed pool indexed by a pidtab (no allocation after creation): under a fork storm, processes
 * beyond the capacity are not tracked and counted in `dropped`.
 */
#ifndef SW_PROCTAB_H
#define SW_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ctrpack.h"
#include "event.h"

#define PROC_CMD_MAX 256     /* bytes of the command line kept (shown as the parent command) */
#define PROC_SOCKS 4         /* recent inet sockets remembered per process */
#define PROC_EXE_MAX 96      /* bytes of the executable's path kept */
#define PROC_COMM_MAX 16
#define PROC_CWD_MAX 128     /* bytes of the working directory kept: a longer one keeps its end
				after "..." (proc_copy_cwd) */

/* proc_sock.flags */
enum {
	PSOCK_OUTBOUND = 1 << 0,   /* it connected */
	PSOCK_INBOUND = 1 << 1,    /* it accepted */
	PSOCK_SANCTIONED = 1 << 2, /* accepted by a sanctioned remote-access server (policy.h) */
	PSOCK_OLD_IMAGE = 1 << 3,  /* made before the process's last exec: most sockets are
				      close-on-exec, so it is probably gone */
};

struct proc_sock {
	int32_t fd;          /* -1: empty */
	uint32_t flags;      /* PSOCK_* */
	struct sw_fd sock;   /* family and endpoints */
};

struct proc {
	uint32_t pid;
	uint32_t ppid;
	uint32_t uid;
	bool has_uid;
	uint64_t exec_ns;    /* event time of the last exec (0: not seen) */
	uint64_t start_ns;   /* start time (boot clock), 0 unknown */
	uint64_t pstart_ns;  /* the parent's, 0 unknown */
	struct sw_fd stdio[3];
	struct proc_sock socks[PROC_SOCKS];
	uint32_t alert;      /* id of the confirmed alert covering this process tree, 0 none */
	uint32_t suspect;    /* id of a pending score-only alert of this tree, 0 none */
	float score;         /* of its command line, -1 when not scored */
	uint8_t interp;      /* enum interp_kind of the program it runs (busybox: the applet) */
	uint8_t interp_by;   /* enum interp_by */
	uint8_t cmdsrc;      /* enum cmd_source */
	uint8_t alert_sev;   /* severity of the alert covering its tree */
	uint8_t cmd_from_net; /* its last exec ran what it (1) or its parent (2) just received */
	uint8_t anomaly;     /* its command line is an outlier of its baseline group (--baseline) */
	uint32_t ns_pid;     /* its pid in its container's pid namespace, 0 unknown */
	struct ctr_packed ctr; /* the container it runs in (runtime CTR_NONE: the host) */
	char interp_name[32];
	char comm[PROC_COMM_MAX];
	char cmd[PROC_CMD_MAX];
	uint8_t cmd_inner[PROC_CMD_MAX / 8]; /* its spaces inside an argument (include/argl.h) */
	char exe[PROC_EXE_MAX];
	char cwd[PROC_CWD_MAX]; /* at its last exec (or the scan), "" unknown */
};

struct proctab_stats {
	uint64_t live, max_live;
	uint64_t dropped;    /* processes not tracked because the table was full */
};

struct proctab;

struct proctab *proctab_new(uint32_t capacity);
void proctab_free(struct proctab *t);

struct proc *proctab_get(struct proctab *t, uint32_t pid);
/* The entry for pid, created empty (stdio unknown) if new; NULL when full. */
struct proc *proctab_upsert(struct proctab *t, uint32_t pid, uint32_t ppid);
/* A new process: a copy of the parent's entry (if known) under the child's pid. */
struct proc *proctab_fork(struct proctab *t, uint32_t parent, uint32_t child);
void proctab_remove(struct proctab *t, uint32_t pid);
void proctab_stats(const struct proctab *t, struct proctab_stats *st);

/* Copy the working directory cwd into dst (cap bytes, NUL-terminated). One that does not fit
 * keeps its end, from a '/' on where one is near, after "...": the same mark the sources use for a
 * path whose start they cut (include/event.h), so a cut path never looks whole. */
void proc_copy_cwd(char *dst, size_t cap, struct sw_str cwd);

/* p exec'd: the sockets it remembers were made by its old image (PSOCK_OLD_IMAGE). */
void proc_exec_ages_socks(struct proc *p);
/* Remember that fd of p is this inet socket (connect, accept), with its PSOCK_* flags. */
void proc_add_sock(struct proc *p, int32_t fd, const struct sw_fd *sock, uint32_t flags);
/* The remembered socket behind fd (its record, or its endpoints), or NULL. */
const struct proc_sock *proc_sock_entry(const struct proc *p, int32_t fd);
const struct sw_fd *proc_sock(const struct proc *p, int32_t fd);
/* The remembered socket with the same endpoints as s (a socket seen on stdio), or NULL. */
const struct proc_sock *proc_sock_like(const struct proc *p, const struct sw_fd *s);

#endif /* SW_PROCTAB_H */
