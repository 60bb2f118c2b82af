/* hostinfo.c: this machine's name, boot id and machine id; the first two as a meta event
 * (include/hostinfo.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "hostinfo.h"

/* The first line of a small file, "" when unreadable. */
static void read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = '\0';
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

void hostinfo_read(struct hostinfo *h)
{
	memset(h, 0, sizeof(*h));
	if (gethostname(h->host, sizeof(h->host)))
		h->host[0] = '\0';
	h->host[sizeof(h->host) - 1] = '\0';
	read_line("/proc/sys/kernel/random/boot_id", h->boot_id, sizeof(h->boot_id));
	read_line("/etc/machine-id", h->machine_id, sizeof(h->machine_id));
}

void hostinfo_event(const struct hostinfo *h, struct sw_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->call = sw_str_c("meta");
	ev->args[ev->nargs++] = (struct sw_arg){ sw_str_c("host"), sw_str_c(h->host) };
	ev->args[ev->nargs++] = (struct sw_arg){ sw_str_c("boot_id"), sw_str_c(h->boot_id) };
	sw_event_facts(ev);
}
