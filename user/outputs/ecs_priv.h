/* ecs_priv.h: what the two ECS writers (alert_ecs.c, event_ecs.c) share. */
#ifndef SW_ECS_PRIV_H
#define SW_ECS_PRIV_H

#include "jsonw.h"
#include "outfmt.h"

/* @timestamp, ecs.version, agent.type and agent.version, host.name and host.hostname (host, or
 * this machine's name when host is ""), host.id (the machine id, when known). */
void ecs_head(struct jw *w, const struct out_ident *id, const char *host, uint64_t wall_ns);
/* WHO.command_line, WHO.args, WHO.args_count (args split at the spaces not in inner, a bitmap
 * of nbytes bytes from include/argl.h; NULL: at every space). */
void ecs_cmdline(struct jw *w, const char *who, const char *cmd, const uint8_t *inner,
		 size_t nbytes);

#endif /* SW_ECS_PRIV_H */
