/* outfmt.h: the JSON documents shellwatch writes, one line each (malloc'd, '\n'-terminated):
 * an alert in ECS (alert_ecs.c) or OCSF (alert_ocsf.c), and with `run --events` the exec,
 * connect and accept events it judged, in ECS (event_ecs.c). docs/alert.schema.json describes
 * the ECS documents, docs/run.md and docs/shellwatch.8 list their fields. */
#ifndef SW_OUTFMT_H
#define SW_OUTFMT_H

#include <stddef.h>
#include <stdint.h>
#include "alert.h"
#include "event.h"
#include "version.h"

#define ECS_VERSION "8.11.0"
#define OCSF_VERSION "1.1.0"

/* Who writes: the sensor's host (live) and version. machine_id and boot_id are "" when unknown
 * (replay: the capture's machine is not this one, so host.id is left out). */
struct out_ident {
	const char *hostname;
	const char *machine_id;
	const char *boot_id;
};

/* Wall-clock now, as ECS and syslog write it: "2026-11-22T14:06:52.992715Z". */
void out_wall_time(char *buf, size_t len, uint64_t wall_ns);
uint64_t out_wall_now_ns(void);

char *alert_ecs(const struct alert *a, const struct out_ident *id, size_t *len);
char *alert_ocsf(const struct alert *a, const struct out_ident *id, size_t *len);
/* An exec, or an inet connect or accept the judge takes (others: NULL, *len 0), at wall_ns. */
char *event_ecs(const struct sw_event *ev, const struct out_ident *id, uint64_t wall_ns,
		size_t *len);
/* True for the events event_ecs writes. */
bool event_ecs_wanted(const struct sw_event *ev);

#endif /* SW_OUTFMT_H */
