/* procscan.h: what /proc says about the processes that were running before `shellwatch run`
 * attached, so the parent-score and parent-socket signals also work for them (an ssh session, a
 * long-running shell, or a reverse shell that connected before the sensor started). */
#ifndef SW_PROCSCAN_H
#define SW_PROCSCAN_H

#include <stdint.h>
#include "wire.h"

struct procscan_entry {
	uint32_t pid, ppid, uid;     /* uid: the real uid */
	char comm[WIRE_COMM_LEN];
	char cmd[256];               /* argv joined by spaces */
	char exe[WIRE_EXE_MAX];      /* the executable, "" when unreadable */
	struct wire_fd stdio[3];     /* what fds 0, 1, 2 are; inet sockets with both ends */
};

typedef void (*procscan_fn)(void *ctx, const struct procscan_entry *e);

/* Call fn for every process under proc_root ("/proc"); sockets are resolved through the net/tcp
 * and net/tcp6 tables of proc_root. Returns the number of processes, or -errno. */
int procscan(const char *proc_root, procscan_fn fn, void *ctx);

#endif /* SW_PROCSCAN_H */
