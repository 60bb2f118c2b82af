/* relay.c: pipe relays for the judge. A process whose stdin is fed, or whose stdout/stderr is
 * read, through pipes or fifos by a process that holds an inet connection (nc ... | sh | nc ...,
 * sh < fifo | nc > fifo, openssl s_client relays), directly or through one filter in between. Who
 * holds which pipe end on its stdio comes from the exec facts (and dups onto 0-2), remembered in
 * two pipemaps. One closed loop needs more: `cat fifo | sh | nc > fifo`, where the filter reads
 * the fifo as a file argument the facts cannot see: when the network process on the output side
 * writes into a fifo and the shell's input comes from its pipeline sibling, the loop is taken as
 * closed. A pipe's creator, when the sensor saw the creation, holds its other end whatever fd it
 * uses: a creator holding a connection is a relay too. */
#include "interp.h"
#include "judge_priv.h"

void relay_remember(struct judge *j, const struct proc *p)
{
	pipemap_put(j->readers, &p->stdio[0], p->pid);
	pipemap_put(j->writers, &p->stdio[1], p->pid);
	pipemap_put(j->writers, &p->stdio[2], p->pid);
	for (int i = 0; i < 3; i++)
		if (p->stdio[i].owner && p->stdio[i].owner != p->pid)
			pipemap_put_key(j->owned, p->stdio[i].owner, p->pid);
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

/* The process that created pipe (or socketpair) f, when it holds an inet connection: it holds
 * the other end too, on whatever fd (node's spawn, python's subprocess with PIPE, perl's open2). */
static const struct proc *net_owner(struct judge *j, const struct sw_fd *f, uint32_t self)
{
	const struct proc *q = f->owner && f->owner != self ? proctab_get(j->procs, f->owner) : NULL;

	return q && judge_last_sock(q) ? q : NULL;
}

/* A process with an inet connection on the input side of pipe f (writer) or its output side,
 * directly or through one filter in between (`nc ... > fifo; cat fifo | sh`), else the pipe's
 * creator when it holds one. */
static const struct proc *net_side(struct judge *j, const struct sw_fd *f, bool writer,
				   uint32_t self)
{
	const struct proc *q = pipe_peer(j, f, writer, self);

	if (q && !judge_last_sock(q) && !judge_is_shell(q))
		q = pipe_peer(j, &q->stdio[writer ? 0 : 1], writer, q->pid);
	return q && judge_last_sock(q) ? q : net_owner(j, f, self);
}

const struct proc *relay_out(struct judge *j, const struct proc *p)
{
	const struct proc *q = net_side(j, &p->stdio[1], false, p->pid);

	return q ? q : net_side(j, &p->stdio[2], false, p->pid);
}

/* The fifo loop: p's input comes from a sibling filter, and the network process that reads p's
 * output writes into a fifo. */
static const struct proc *fifo_loop(struct judge *j, const struct proc *p)
{
	const struct proc *out = relay_out(j, p), *w = pipe_peer(j, &p->stdio[0], true, p->pid);

	if (!out || !w || w->ppid != out->ppid || judge_last_sock(w))
		return NULL;
	return out->stdio[1].kind == SW_FD_FIFO || out->stdio[0].kind == SW_FD_FIFO ? out : NULL;
}

const struct proc *relay_in(struct judge *j, const struct proc *p)
{
	const struct proc *q = net_side(j, &p->stdio[0], true, p->pid);

	return q ? q : fifo_loop(j, p);
}

/* The last process whose stdio is a pipe or socketpair p created, when it still is: node spawns
 * `sh` on socketpairs first and connects after. */
static struct proc *owned_by(struct judge *j, const struct proc *p)
{
	uint32_t pid = pipemap_get_key(j->owned, p->pid);
	struct proc *s = pid ? proctab_get(j->procs, pid) : NULL;

	for (int i = 0; s && i < 3; i++)
		if (s->stdio[i].owner == p->pid)
			return s;
	return NULL;
}

/* The interpreters within two pipes of p, on either side, and the one on pipes p created: the
 * ones its new connection may complete a relay for (nc connects once `sh` already reads the
 * pipe; node connects once its `sh` runs). */
void relay_recheck(struct judge *j, const struct proc *p)
{
	struct proc *o = owned_by(j, p);

	if (o && o->interp != INTERP_NONE && !o->alert)
		judge_again(j, o);
	for (int i = 0; i < 3; i++) {
		bool writer = i == 0;  /* who writes p's stdin; who reads p's stdout/stderr */
		const struct proc *q = pipe_peer(j, &p->stdio[i], writer, p->pid);
		struct proc *s;

		if (q && q->interp == INTERP_NONE)
			q = pipe_peer(j, &q->stdio[writer ? 0 : 1], writer, q->pid);
		if (q && q->interp != INTERP_NONE && (s = proctab_get(j->procs, q->pid)) && !s->alert)
			judge_again(j, s);
	}
}
