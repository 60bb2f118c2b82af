/* hostinfo.c: this machine's name and boot id as a meta event (include/hostinfo.h). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "hostinfo.h"

void hostinfo_read(struct hostinfo *h)
{
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "r");

	memset(h, 0, sizeof(*h));
	if (gethostname(h->host, sizeof(h->host)))
		h->host[0] = '\0';
	h->host[sizeof(h->host) - 1] = '\0';
	if (f) {
		if (!fgets(h->boot_id, sizeof(h->boot_id), f))
			h->boot_id[0] = '\0';
		h->boot_id[strcspn(h->boot_id, "\n")] = '\0';
		fclose(f);
	}
}

void hostinfo_event(const struct hostinfo *h, struct sw_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->call = sw_str_c("meta");
	ev->args[ev->nargs++] = (struct sw_arg){ sw_str_c("host"), sw_str_c(h->host) };
	ev->args[ev->nargs++] = (struct sw_arg){ sw_str_c("boot_id"), sw_str_c(h->boot_id) };
	sw_event_facts(ev);
}
