/* event.h: the one event record every source yields (live capture, seed trace, strace, auditd).
 *
 * The engine (rules, PWW), the trace writer and every reader speak this record, so everything
 * downstream of capture is tested offline. Strings are borrowed: they point into storage owned by
 * whoever produced the event and stay valid only for the duration of the call that receives it;
 * keep a copy of anything you need later. Strings are NOT NUL-terminated in general: use len.
 * docs/trace-format.md lists the calls and argument names the sensor emits.
 */
#ifndef SW_EVENT_H
#define SW_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#define SW_EVENT_MAX_ARGS 16

struct sw_str {
	const char *p;
	uint32_t len;
};

struct sw_arg {
	struct sw_str name;
	struct sw_str val;
};

struct sw_event {
	struct sw_str call;            /* system call or process event name: "dup2", "execve", "fork" */
	uint32_t nargs;                /* arguments in args[], in source order */
	struct sw_arg args[SW_EVENT_MAX_ARGS];
	struct sw_str ret;             /* return value text; valid when has_ret */
	bool has_ret;
	bool has_pid;                  /* pid and ppid known (live, pid=, strace -f) */
	bool has_uid;                  /* uid known (live, uid=; strace does not show it) */
	bool has_time;                 /* t_ns known (live, t=, strace -t/-tt/-ttt) */
	uint32_t pid, ppid, uid;       /* process (tgid), parent, real uid */
	uint64_t t_ns;                 /* event time in ns (monotonic for live capture) */
	uint64_t seq;                  /* position in the source: line number or event counter */
};

static inline struct sw_str sw_str_c(const char *s)
{
	uint32_t n = 0;

	while (s[n])
		n++;
	return (struct sw_str){ s, n };
}

static inline bool sw_str_eq(struct sw_str a, struct sw_str b)
{
	if (a.len != b.len)
		return false;
	for (uint32_t i = 0; i < a.len; i++)
		if (a.p[i] != b.p[i])
			return false;
	return true;
}

static inline bool sw_str_eqc(struct sw_str a, const char *c)
{
	uint32_t i = 0;

	for (; i < a.len; i++)
		if (c[i] == '\0' || c[i] != a.p[i])
			return false;
	return c[i] == '\0';
}

/* The value of the named argument, or NULL if the event has none. */
static inline const struct sw_str *sw_event_arg(const struct sw_event *ev, const char *name)
{
	for (uint32_t i = 0; i < ev->nargs; i++)
		if (sw_str_eqc(ev->args[i].name, name))
			return &ev->args[i].val;
	return 0;
}

#endif /* SW_EVENT_H */
