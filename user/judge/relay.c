/* relay.c: pipe relays for the judge. A shell whose stdin is fed, and whose stdout or stderr is
 * read, through pipes or fifos, by processes that hold inet connections (nc ... | sh | nc ...,
 * sh < fifo | nc > fifo, openssl s_client relays), directly or through one filter in between.
 * Both directions are needed: `curl ... | sh` is not a remote shell. Who holds which pipe end on
 * its stdio comes from the exec facts (and dups onto 0-2), remembered in two pipemaps. */
#include "judge_priv.h"

void relay_remember(struct judge *j, const struct proc *p)
{
	pipemap_put(j->readers, &p->stdio[0], p->pid);
	pipemap_put(j->writers, &p->stdio[1], p->pid);
	pipemap_put(j->writers, &p->stdio[2], p->pid);
}

/* The process on the other end of pipe f: its writer (f is someone's stdin) or its reader (f
 * is someone's stdout/stderr), if it still has f on its stdio. */
static const struct proc *pipe_peer(struct judge *j, const struct sw_fd *f, bool writer,
				    uint32_t self)
{
	uint32_t pid = pipemap_get(writer ? j->writers : j->readers, f);
	const struct proc *q = pid && pid != self ? proctab_get(j->procs, pid) : NULL;

	if (!q)
		return NULL;
	if (writer ? sw_fd_same_pipe(&q->stdio[1], f) || sw_fd_same_pipe(&q->stdio[2], f)
		   : sw_fd_same_pipe(&q->stdio[0], f))
		return q;
	return NULL;   /* stale: q's stdio changed since */
}

/* A process with an inet connection on the input side of pipe f (writer) or its output side,
 * directly or through one filter in between (`nc ... > fifo; cat fifo | sh`). */
static const struct proc *net_side(struct judge *j, const struct sw_fd *f, bool writer,
				   uint32_t self)
{
	const struct proc *q = pipe_peer(j, f, writer, self);

	if (q && !judge_last_sock(q) && !judge_is_shell(q))
		q = pipe_peer(j, &q->stdio[writer ? 0 : 1], writer, q->pid);
	return q && judge_last_sock(q) ? q : NULL;
}

const struct proc *relay_of(struct judge *j, const struct proc *s)
{
	const struct proc *in = judge_is_shell(s) ? net_side(j, &s->stdio[0], true, s->pid) : NULL;

	if (in && (net_side(j, &s->stdio[1], false, s->pid) ||
		   net_side(j, &s->stdio[2], false, s->pid)))
		return in;
	return NULL;
}

/* The shells within two pipes of p, on either side: the ones its new connection may complete a
 * relay for (nc connects once `sh` already reads the pipe). */
void relay_recheck(struct judge *j, const struct proc *p)
{
	for (int i = 0; i < 3; i++) {
		bool writer = i == 0;  /* who writes p's stdin; who reads p's stdout/stderr */
		const struct proc *q = pipe_peer(j, &p->stdio[i], writer, p->pid), *relay;
		struct proc *shell;

		if (q && !judge_is_shell(q))
			q = pipe_peer(j, &q->stdio[writer ? 0 : 1], writer, q->pid);
		if (!q || !judge_is_shell(q))
			continue;
		shell = proctab_get(j->procs, q->pid);
		relay = shell && !shell->alert ? relay_of(j, shell) : NULL;
		if (relay)
			judge_raise_relay(j, shell, relay);
	}
}
