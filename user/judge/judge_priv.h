/* judge_priv.h: the judge's state, shared by judge.c (events, alerts, holds), signals.c (the
 * signal table and its predicates) and relay.c (pipe relays). */
#ifndef SW_JUDGE_PRIV_H
#define SW_JUDGE_PRIV_H

#include "judge.h"
#include "pipemap.h"

#define PENDING_MAX 32

struct judge {
	struct judge_opts o;
	struct engine *e;
	struct proctab *procs;
	struct pipemap *readers;     /* pipe or fifo -> a process reading it on its stdin */
	struct pipemap *writers;     /* pipe or fifo -> a process writing it on its stdout/stderr */
	struct judge_stats st;
	uint64_t now;                /* the latest event time seen (or ticked) */
	uint64_t advanced;           /* engine windows closed up to here */
	bool finished;               /* judge_finish ran: the input is over */
	char host[64], boot_id[40];  /* from the capture's meta event */
	uint32_t next_id;
	uint32_t cur_pid;            /* the exec being judged, for rule hits found while feeding it */
	bool cur_hit;
	struct alert hit;            /* rule name and matched events of that hit */
	unsigned npending;
	struct alert pending[PENDING_MAX]; /* score-only alerts on hold; decided_ns: hold start */
	struct alert scratch;
};

/* What the signal predicates look at: one exec (or a later re-judgement) of process p. */
struct verdict {
	struct judge *j;
	const struct proc *p, *pp;   /* the process and its parent (NULL unknown) */
	bool rule_hit;
	const struct sw_fd *peer;    /* the remote end the first signal that named one points at */
};

/* signals.c: every signal of the table whose predicate holds; v->peer set on the way. */
uint32_t signals_judge(struct verdict *v);
/* The score signals of a command line's score and its ancestors' best. */
uint32_t signals_score(const struct judge *j, double score, double pscore);

/* judge.c, for the predicates */
const struct proc *judge_parent(struct judge *j, const struct proc *p);
const struct sw_fd *judge_inet_stdio(const struct sw_fd fds[3]);
const struct sw_fd *judge_last_sock(const struct proc *p);
double judge_ancestor_score(struct judge *j, const struct proc *p);
bool judge_is_shell(const struct proc *p);

/* relay.c: pipe relays */
void relay_remember(struct judge *j, const struct proc *p);
/* The process on the input side of shell s's relay, or NULL (see relay.c). */
const struct proc *relay_of(struct judge *j, const struct proc *s);
/* A connection made by p after a shell started: the shells it may complete a relay for are
 * judged again. */
void relay_recheck(struct judge *j, const struct proc *p);

/* judge.c, for relay.c */
void judge_raise_relay(struct judge *j, struct proc *shell, const struct proc *relay);

#endif /* SW_JUDGE_PRIV_H */
