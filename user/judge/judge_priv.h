/* judge_priv.h: the judge's state, shared by judge.c (events, alerts, holds), signals.c (the
 * signal table, its predicates and the severity) and relay.c (pipe relays). */
#ifndef SW_JUDGE_PRIV_H
#define SW_JUDGE_PRIV_H

#include "judge.h"
#include "pipemap.h"

#define PENDING_MAX 32
#define SCORE_CACHE 4096   /* recent command lines' scores: hosts run the same commands again */

struct score_memo {
	uint64_t hash;     /* of the command line; 0: empty */
	uint32_t len;
	float score;
};

struct judge {
	struct judge_opts o;
	struct policy *own_policy;   /* the built-in one, when o.policy is NULL */
	const struct policy *policy;
	struct engine *e;
	struct proctab *procs;
	struct pipemap *readers;     /* pipe or fifo -> a process reading it on its stdin */
	struct pipemap *writers;     /* pipe or fifo -> a process writing it on its stdout/stderr */
	struct pipemap *owned;       /* pid -> the last process with a pipe or socketpair it created
					on its stdio (relay.c: its connection may come later) */
	struct judge_stats st;
	uint64_t now;                /* the latest event time seen (or ticked) */
	uint64_t advanced;           /* engine windows closed up to here */
	bool finished;               /* judge_finish ran: the input is over */
	char host[64], boot_id[40];  /* from the capture's meta event */
	uint32_t next_id;
	uint32_t cur_pid;            /* the exec being judged, for rule hits found while feeding it */
	bool cur_hit, hit_inbound;
	struct alert hit;            /* rule name and matched events of that hit */
	unsigned npending;
	struct alert pending[PENDING_MAX]; /* alerts on hold (low, medium); decided_ns: hold start */
	struct alert scratch;
	struct score_memo scores[SCORE_CACHE];
};

/* How a process's stdin (or its stdout/stderr) reaches the network, when it does. */
struct net_path {
	uint32_t via;                /* the signal that showed it (SIG_STDIO_SOCKET, ...), 0: it does not */
	const struct sw_fd *sock;    /* the connection */
	uint32_t flags;              /* PSOCK_*: its direction, sanctioned */
};

/* What the signal predicates look at: one exec (or a later re-judgement) of process p. */
struct verdict {
	struct judge *j;
	const struct proc *p, *pp;   /* the process and its parent (NULL unknown) */
	bool rule_hit;
	bool rule_inbound;           /* the rule's episode starts with an accept */
	struct net_path in, out;     /* the first signal that shows each side sets it */
	const struct sw_fd *peer;    /* the remote end the first signal that named one points at */
};

/* signals.c: every signal of the table whose predicate holds; v's paths and peer set on the way.
 * Then the severity those signals and paths make. */
uint32_t signals_judge(struct verdict *v);
enum severity signals_severity(const struct verdict *v, uint32_t sig);
enum direction signals_direction(const struct verdict *v);
/* The score signals of a command line's score and its ancestors' best. */
uint32_t signals_score(const struct judge *j, double score, double pscore);

/* judge.c, for the predicates */
const struct proc *judge_parent(struct judge *j, const struct proc *p);
const struct sw_fd *judge_inet_stdio(const struct sw_fd fds[3]);
const struct proc_sock *judge_last_sock(const struct proc *p);
double judge_ancestor_score(struct judge *j, const struct proc *p);
bool judge_is_shell(const struct proc *p);
/* The PSOCK_* flags of socket s as seen by holder (its own record of it, else a guess from the
 * ports), plus PSOCK_SANCTIONED when holder is a sanctioned server. */
uint32_t judge_sock_flags(struct judge *j, const struct proc *holder, const struct sw_fd *s);

/* relay.c: pipe relays */
void relay_remember(struct judge *j, const struct proc *p);
/* The process holding a connection on the input (stdin) or output (stdout/stderr) side of p's
 * pipes, directly or through one filter, or NULL. */
const struct proc *relay_in(struct judge *j, const struct proc *p);
const struct proc *relay_out(struct judge *j, const struct proc *p);
/* A connection made by p after an interpreter started: the ones it may complete a relay for
 * are judged again. */
void relay_recheck(struct judge *j, const struct proc *p);

/* judge.c, for relay.c: judge process p again (a relay completed after its exec). */
void judge_again(struct judge *j, struct proc *p);

#endif /* SW_JUDGE_PRIV_H */
