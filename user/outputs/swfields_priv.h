/* swfields_priv.h: shellwatch's own fields of an alert (severity, scores, interpreter, signals,
 * the matched events, kill, truncation), which ECS writes under `shellwatch.` and OCSF under
 * `unmapped.shellwatch.` (alert_ecs.c, alert_ocsf.c): one writer, two prefixes. */
#ifndef SW_SWFIELDS_PRIV_H
#define SW_SWFIELDS_PRIV_H

#include "alert.h"
#include "jsonw.h"

/* prefix: "shellwatch." or "unmapped.shellwatch." (the dot included). */
void put_shellwatch_fields(struct jw *w, const struct alert *a, const char *prefix);

#endif /* SW_SWFIELDS_PRIV_H */
