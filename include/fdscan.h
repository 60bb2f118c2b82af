/* fdscan.h: the file tables of the processes running when the sensor starts, as the kernel's
 * task_file iterator reported them (bpf/shellwatch.bpf.c scan_files, user/sources/live.c
 * live_scan): what fds 0-2 are and which inet sockets each process holds, whatever network
 * namespace they are in (/proc/net/tcp shows only the reader's own, and nothing at all under
 * systemd's PrivateNetwork=). user/sources/fdscan.c keeps them for the start-up scan.
 *
 *   struct fdscan *t = fdscan_new();
 *   live_scan(lv, fdscan_add, t);    // one call per record
 *   fdscan_finish(t);
 *   fdscan_stdio(t, pid, stdio);     // true: stdio[] filled
 *   fdscan_socks(t, pid, fn, ctx);   // its inet connections off stdio
 */
#ifndef SW_FDSCAN_H
#define SW_FDSCAN_H

#include <stdbool.h>
#include <stdint.h>
#include "wire.h"

#define FDSCAN_MAX 1048576   /* records kept at most; more are counted in dropped */

struct fdscan;

struct fdscan *fdscan_new(void);
void fdscan_free(struct fdscan *t);
/* A record of the iterator (ctx: the table). */
void fdscan_add(void *t, const struct wire_scan *r);
/* Sort for lookups; after the last fdscan_add. */
void fdscan_finish(struct fdscan *t);
/* What fds 0, 1, 2 of pid are (WIRE_FD_NONE: not open); false when pid was not scanned. */
bool fdscan_stdio(const struct fdscan *t, uint32_t pid, struct wire_fd stdio[3]);
/* Each inet socket of pid on fd 3 and above that is a connection (not a listener); accepted:
 * its local port is one a listener on the host has. */
void fdscan_socks(const struct fdscan *t, uint32_t pid,
		  void (*fn)(void *ctx, int32_t fd, const struct wire_fd *s, bool accepted), void *ctx);
/* Records not kept (more than FDSCAN_MAX). */
uint64_t fdscan_dropped(const struct fdscan *t);

#endif /* SW_FDSCAN_H */
