/* hostinfo.h: the machine the events come from (host name and boot id), as the `meta` event that
 * `run` gives its judge first and `record` writes as its trace's header, so alerts of a replay
 * name the recorded host and entity ids stay the same (docs/trace-format.md). */
#ifndef SW_HOSTINFO_H
#define SW_HOSTINFO_H

#include "event.h"

struct hostinfo {
	char host[64];
	char boot_id[40];
	char machine_id[40];   /* /etc/machine-id (ECS host.id); not part of the meta event */
};

/* This machine: gethostname, /proc/sys/kernel/random/boot_id and /etc/machine-id ("" when
 * unreadable). */
void hostinfo_read(struct hostinfo *h);
/* The meta event of h (its strings point into h). */
void hostinfo_event(const struct hostinfo *h, struct sw_event *ev);

#endif /* SW_HOSTINFO_H */
