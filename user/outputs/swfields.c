/* swfields.c: shellwatch's own alert fields for both JSON formats (swfields_priv.h). */
#include <stdio.h>
#include <string.h>
#include "cmdsrc.h"
#include "interp.h"
#include "signals.h"
#include "swfields_priv.h"

/* prefix + name, in buf. */
static const char *at(char *buf, size_t cap, const char *prefix, const char *name)
{
	snprintf(buf, cap, "%s%s", prefix, name);
	return buf;
}

static void add_signal(void *ctx, const char *name)
{
	json_object_array_add(ctx, json_object_new_string(name));
}

void put_shellwatch_fields(struct jw *w, const struct alert *a, const char *prefix)
{
	json_object *sigs = json_object_new_array(), *m = json_object_new_array();
	char p[96];

	jw_str(w, at(p, sizeof(p), prefix, "severity"), severity_name(a->severity));
	if (a->score >= 0)
		jw_num(w, at(p, sizeof(p), prefix, "score"), a->score);
	if (a->pscore >= 0)
		jw_num(w, at(p, sizeof(p), prefix, "parent_score"), a->pscore);
	if (a->interp[0]) {
		jw_str(w, at(p, sizeof(p), prefix, "interpreter"), a->interp);
		jw_str(w, at(p, sizeof(p), prefix, "interpreter_by"), interp_by_name(a->interp_by));
		jw_str(w, at(p, sizeof(p), prefix, "command_source"), cmdsrc_name(a->cmdsrc));
	}
	if (a->suppressed_by)
		jw_str(w, at(p, sizeof(p), prefix, "suppressed_by"), a->suppressed_by);
	signals_each(a->signals, add_signal, sigs);
	jw_put(w, at(p, sizeof(p), prefix, "signals"), sigs);
	jw_num(w, at(p, sizeof(p), prefix, "delay_ms"), alert_delay_ms(a));
	at(p, sizeof(p), prefix, "matched");
	for (unsigned i = 0; i < a->nmatched; i++)
		json_object_array_add(m, jw_string(w, p, a->matched[i], strlen(a->matched[i])));
	jw_put(w, p, m);
	if (a->killed) {
		jw_str(w, at(p, sizeof(p), prefix, "killed"),
		       a->killed_in_kernel ? "kernel" : "user-space");
		jw_num(w, at(p, sizeof(p), prefix, "killed_ms"),
		       (double)(a->kill_ns - a->exec_ns) / 1e6);
	}
	if (a->cmd_trunc)
		jw_bool(w, at(p, sizeof(p), prefix, "command_line_truncated"), true);
	if (a->cmd_trunc && a->cmd_len)
		jw_int(w, at(p, sizeof(p), prefix, "command_line_length"), a->cmd_len);
}
