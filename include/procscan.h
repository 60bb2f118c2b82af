/* procscan.h: what /proc says about the processes that were running before `run` or `record`
 * attached, so the parent-score and parent-socket signals also work for them (an ssh session, a
 * long-running shell, or a reverse shell that connected before the sensor started). Each becomes a
 * `proc` event (procscan_event), which `run` judges and `record` writes. */
#ifndef SW_PROCSCAN_H
#define SW_PROCSCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "wire.h"

struct procscan_entry {
	uint32_t pid, ppid, uid;     /* uid: the real uid */
	uint64_t start_ns;           /* start time, ns since boot (from clock ticks) */
	uint64_t pstart_ns;          /* the parent's, 0 unknown */
	char comm[WIRE_COMM_LEN];
	char cmd[1024];              /* argv joined by spaces */
	bool cmd_trunc;              /* the command line was longer */
	char exe[WIRE_EXE_MAX];      /* the executable, "" when unreadable */
	uint64_t exe_ino;            /* its file (0 unknown), for interpid_annotate */
	uint32_t exe_dev;
	struct wire_fd stdio[3];     /* what fds 0, 1, 2 are; inet sockets with both ends */
	char cgroup[3][WIRE_CGROUP_NAME]; /* its cgroup's last three names, as the exec program
					     reads them (the unified line, else memory's) */
	uint32_t ns_pid, pidns, netns;    /* NSpid's last value, ns/pid and ns/net inodes */
	char cwd[WIRE_CWD_MAX];      /* its working directory (the cwd link), "" when unreadable; */
	uint16_t cwd_len;            /* a longer one keeps its end from a '/' on, as the exec */
	bool cwd_trunc;              /* program does (cwd_trunc), not NUL-terminated */
};

typedef void (*procscan_fn)(void *ctx, const struct procscan_entry *e);

/* Call fn for every process under proc_root ("/proc"); sockets are resolved through the net/tcp
 * and net/tcp6 tables of proc_root. Returns the number of processes, or -errno. */
int procscan(const char *proc_root, procscan_fn fn, void *ctx);

/* The start time of pid as proc_root's PID/stat shows it, in ns (0 when unreadable). */
uint64_t procscan_start_ns(const char *proc_root, uint32_t pid);

/* The `proc` event of an entry at time t_ns (the events' clock): what the exec event of that
 * process would say. Strings live in scratch (cap bytes, PROCSCAN_SCRATCH is enough). 0 or
 * -ENOSPC. */
#define PROCSCAN_SCRATCH 8192
int procscan_event(const struct procscan_entry *e, uint64_t t_ns, struct sw_event *ev,
		   char *scratch, size_t cap);
/* A connection e's process held at the scan (fd 3 and above; include/fdscan.h), as the event
 * that made it: accept4 (accepted: its local port has a listener) or connect, marked scan=1 (not
 * a call seen live). Same contract as procscan_event. */
int procscan_sock_event(const struct procscan_entry *e, uint64_t t_ns, int32_t fd,
			const struct wire_fd *sock, bool accepted, struct sw_event *ev, char *scratch,
			size_t cap);

#endif /* SW_PROCSCAN_H */
