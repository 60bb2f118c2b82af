/* shtok.c: the shell lexer of the tokenizer (include/shtok.h). Walks a command line once: operators
 * and redirections become tokens of their own, words lose their quotes and go to shtok_norm.c,
 * substitutions and the code after -c/-e/-r of shells and interpreters are lexed recursively (depth
 * limited; deeper text degrades to a whitespace split). Quoted words with blanks in them (socat
 * exec:'sh -li', echo "* * * * * sh -c ...") are lexed as shell too. Never fails. */
#include <string.h>
#include "shtok.h"
#include "shtok_norm.h"

#define MAX_DEPTH 4
#define WORD_MAX 4096

struct lexst {                   /* state of the simple command being lexed at one depth */
	enum interp_kind cmd;   /* interpreter of this command, if any */
	bool cmdpos;             /* the next word is a command name */
	bool prefix;             /* after sudo/env/nohup/...: flags and numbers keep cmdpos */
	bool want_payload;       /* the next word is code (after -c/-e/-r) */
	bool awk_optarg;         /* the next word is the argument of an awk option */
	bool redir_target;       /* the next word is a redirection target */
	bool heredoc;            /* the next word is a here-document delimiter */
};

struct word {
	char s[WORD_MAX];
	size_t n;
	bool quoted, qspace, sub; /* had quotes; blanks inside quotes; had a substitution */
};

static void sh_lex(struct shtok *t, const char *s, size_t n, int depth);

static void emit_s(struct shtok *t, const char *s)
{
	shtok_emit(t, s, strlen(s));
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void wput(struct word *w, char c)
{
	if (w->n < WORD_MAX)
		w->s[w->n++] = c;
}

/* Index of the ')' closing a "$(" whose content starts at s[i]; n if unterminated. */
static size_t match_paren(const char *s, size_t n, size_t i)
{
	int level = 1;

	for (; i < n; i++) {
		char c = s[i];

		if (c == '\\') {
			i++;
		} else if (c == '\'' || c == '"') {
			const char *q = memchr(s + i + 1, c, n - i - 1);

			i = q ? (size_t)(q - s) : n;
		} else if (c == '(') {
			level++;
		} else if (c == ')' && --level == 0) {
			return i;
		}
	}
	return n;
}

/* Lex a command substitution body as its own token run: "$(" ... ")". */
static void substitution(struct shtok *t, const char *s, size_t n, int depth, struct word *w)
{
	emit_s(t, "$(");
	sh_lex(t, s, n, depth + 1);
	emit_s(t, ")");
	w->sub = true;
}

/* Variable names that mean the same everywhere keep their name; others become $V. */
static void put_var(struct word *w, const char *name, size_t n)
{
	static const struct shtok_word keep[] = { W("HOME"), W("PATH"), W("USER"), W("SHELL"),
		W("IFS"), W("PWD"), W("RANDOM"), W("HOSTNAME"), W("TMPDIR"), W("UID"), W("EUID"),
		W("LD_PRELOAD"), W("LD_LIBRARY_PATH"), W("BASH"), W("PS1"), W("HISTFILE") };
	bool k = (n == 1 && !((name[0] | 0x20) >= 'a' && (name[0] | 0x20) <= 'z') && name[0] != '_') ||
		 IN_SET(name, n, keep, false);

	wput(w, '$');
	if (!k) {
		wput(w, 'V');
		return;
	}
	for (size_t i = 0; i < n; i++)
		wput(w, name[i]);
}

static size_t name_len(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z' ? 1 :
			 (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
		i++;
	return i;
}

/* s[0] == '$': $(...), ${...}, $'...', $NAME, $1, $?. Returns bytes consumed. */
static size_t dollar(struct shtok *t, const char *s, size_t n, int depth, struct word *w)
{
	size_t k, e;

	if (n > 1 && s[1] == '(') {
		e = match_paren(s, n, 2);
		substitution(t, s + 2, e - 2, depth, w);
		return e < n ? e + 1 : n;
	}
	if (n > 1 && s[1] == '{') {
		const char *rb = memchr(s + 2, '}', n - 2);

		e = rb ? (size_t)(rb - s) + 1 : n;
		k = name_len(s + 2, e - 2);
		put_var(w, s + 2, k ? k : (e > 3 ? 1 : 0));
		return e;
	}
	if (n > 1 && s[1] == '\'') {
		const char *q = memchr(s + 2, '\'', n - 2);

		e = q ? (size_t)(q - s) : n;
		for (k = 2; k < e; k++)
			wput(w, s[k]);
		w->quoted = true;
		return e < n ? e + 1 : n;
	}
	k = name_len(s + 1, n - 1);
	if (k && s[1] >= '0' && s[1] <= '9')
		k = 1;
	if (!k && n > 1 && strchr("?$!#@*-", s[1]) && s[1])
		k = 1;
	if (!k) {
		wput(w, '$');
		return 1;
	}
	put_var(w, s + 1, k);
	return k + 1;
}

static size_t backtick(struct shtok *t, const char *s, size_t n, int depth, struct word *w)
{
	size_t i = 1;

	while (i < n && s[i] != '`')
		i += s[i] == '\\' ? 2 : 1;
	if (i > n)
		i = n;
	substitution(t, s + 1, i - 1, depth, w);
	return i < n ? i + 1 : n;
}

/* Body of "..." starting after the quote; returns bytes consumed including the closing quote. */
static size_t dquote(struct shtok *t, const char *s, size_t n, int depth, struct word *w)
{
	size_t i = 0;

	w->quoted = true;
	while (i < n && s[i] != '"') {
		char c = s[i];

		if (c == '\\' && i + 1 < n) {
			if (!strchr("\"$`\\\n", s[i + 1]))
				wput(w, c);
			wput(w, s[i + 1]);
			i += 2;
		} else if (c == '$') {
			i += dollar(t, s + i, n - i, depth, w);
		} else if (c == '`') {
			i += backtick(t, s + i, n - i, depth, w);
		} else {
			w->qspace |= is_blank(c);
			wput(w, c);
			i++;
		}
	}
	return i < n ? i + 1 : n;
}

static bool is_word_end(char c)
{
	return is_blank(c) || c == '|' || c == '&' || c == ';' || c == '(' || c == ')' || c == '<' ||
	       c == '>';
}

/* Read one word into w (quotes removed); returns bytes consumed (>= 1). */
static size_t read_word(struct shtok *t, const char *s, size_t n, int depth, struct word *w)
{
	size_t i = 0;

	w->n = 0;
	w->quoted = w->qspace = w->sub = false;
	while (i < n && !is_word_end(s[i])) {
		char c = s[i];

		if (c == '\\') {
			if (i + 1 < n && s[i + 1] != '\n')
				wput(w, s[i + 1]);
			i += 2;
		} else if (c == '\'') {
			const char *q = memchr(s + i + 1, '\'', n - i - 1);
			size_t e = q ? (size_t)(q - s) : n;

			for (size_t k = i + 1; k < e; k++) {
				w->qspace |= is_blank(s[k]);
				wput(w, s[k]);
			}
			w->quoted = true;
			i = e + 1;
		} else if (c == '"') {
			i += 1 + dquote(t, s + i + 1, n - i - 1, depth, w);
		} else if (c == '$') {
			i += dollar(t, s + i, n - i, depth, w);
		} else if (c == '`') {
			i += backtick(t, s + i, n - i, depth, w);
		} else {
			wput(w, c);
			i++;
		}
	}
	return i > n ? n : (i ? i : 1);
}

/* Code of an interpreter (python/perl/ruby/php/node/lua/awk): identifiers, numbers and string
 * literals; strings with blanks are lexed as shell, others normalized; punctuation dropped. */
static void code_lex(struct shtok *t, const char *s, size_t n, int depth)
{
	size_t i = 0;

	while (i < n && t->n < SHTOK_MAX_TOKENS) {
		unsigned char c = (unsigned char)s[i];
		size_t k;

		if (c == '_' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9')) {
			k = name_len(s + i, n - i);
			while (c >= '0' && c <= '9' && i + k < n && (s[i + k] == '.' || s[i + k] == 'x'))
				k += 1 + name_len(s + i + k + 1, n - i - k - 1);
			shtok_norm_word(t, s + i, k);
			i += k;
		} else if (c == '\'' || c == '"' || c == '`') {
			bool blank = false;

			for (k = i + 1; k < n && s[k] != (char)c; k += s[k] == '\\' ? 2 : 1)
				blank |= is_blank(s[k]);
			if (k > n)
				k = n;
			if (blank)
				sh_lex(t, s + i + 1, k - i - 1, depth + 1);
			else
				shtok_norm_word(t, s + i + 1, k - i - 1);
			i = k + 1;
		} else if (c == '$' && i + 1 < n && name_len(s + i + 1, n - i - 1)) {
			emit_s(t, "$V");
			i += 1 + name_len(s + i + 1, n - i - 1);
		} else {
			i++;
		}
	}
}

/* Degraded mode past MAX_DEPTH: split at blanks, normalize each piece. */
static void plain_split(struct shtok *t, const char *s, size_t n)
{
	size_t i = 0;

	while (i < n) {
		size_t b;

		while (i < n && is_blank(s[i]))
			i++;
		b = i;
		while (i < n && !is_blank(s[i]))
			i++;
		shtok_norm_word(t, s + b, i - b);
	}
}

static void reset_command(struct lexst *st)
{
	*st = (struct lexst){ .cmdpos = true };
}

/* Operators: | || |& && & ; ;; ( ) and newline. Returns bytes consumed, 0 if none. */
static size_t lex_operator(struct shtok *t, struct lexst *st, const char *s, size_t n)
{
	static const char *const ops[] = { "||", "|&", "&&", ";;", "|", "&", ";", "(", ")", "\n" };

	if (s[0] != '|' && s[0] != '&' && s[0] != ';' && s[0] != '(' && s[0] != ')' && s[0] != '\n')
		return 0;
	for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t k = ops[i][1] ? 2 : 1;

		if (k > n || s[0] != ops[i][0] || (k == 2 && s[1] != ops[i][1]))
			continue;
		if (ops[i][0] == '&' && k == 1 && n > 1 && s[1] == '>')
			return 0; /* &> is a redirection */
		emit_s(t, ops[i][0] == '\n' ? ";" : ops[i]);
		reset_command(st);
		return k;
	}
	return 0;
}

/* fd number in a redirection: 0-2 as is, others as N. */
static size_t put_fd(char *out, size_t o, const char *s, size_t k)
{
	if (k == 1 && s[0] <= '2')
		out[o++] = s[0];
	else if (k)
		out[o++] = 'N';
	return o;
}

/* [fd]op[&fd|-] with op one of &>> &> <<< <<- << <> <& >> >& >| < >. Returns bytes, 0 if none. */
static size_t lex_redirect(struct shtok *t, struct lexst *st, const char *s, size_t n)
{
	static const char *const ops[] = { "&>>", "&>", "<<<", "<<-", "<<", "<>", "<&", ">>",
					   ">&", ">|", "<", ">" };
	size_t d = 0, i, o, k = 0;
	char out[16];

	while (d < n && d < 4 && s[d] >= '0' && s[d] <= '9')
		d++;
	if (d >= n || (s[d] != '<' && s[d] != '>' && s[d] != '&'))
		return 0;
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		k = strlen(ops[i]);
		if (d + k <= n && !memcmp(s + d, ops[i], k))
			break;
	}
	if (i == sizeof(ops) / sizeof(ops[0]))
		return 0;
	o = put_fd(out, 0, s, d);
	memcpy(out + o, ops[i], k);
	o += k;
	k += d;
	if (ops[i][k - d - 1] == '&' && ops[i][0] != '&') {
		size_t e = k;

		while (e < n && e - k < 4 && s[e] >= '0' && s[e] <= '9')
			e++;
		if (e == k && k < n && s[k] == '-')
			out[o++] = s[e++];
		else
			o = put_fd(out, o, s + k, e - k);
		st->redir_target = e == k;
		k = e;
	} else {
		st->heredoc = !strncmp(ops[i], "<<", 2) && strcmp(ops[i], "<<<");
		st->redir_target = !st->heredoc;
	}
	shtok_emit(t, out, o);
	return k;
}

static bool is_prefix_cmd(const char *w, size_t n)
{
	static const struct shtok_word prefix[] = { W("sudo"), W("doas"), W("nohup"), W("env"),
		W("exec"), W("timeout"), W("nice"), W("ionice"), W("setsid"), W("command"),
		W("builtin"), W("busybox"), W("stdbuf"), W("time"), W("!"), W("{"), W("then"),
		W("do"), W("else"), W("elif"), W("if"), W("while"), W("until"), W("xargs"),
		W("watch"), W("chroot"), W("strace"), W("unbuffer") };

	return IN_SET(w, n, prefix, false);
}

/* Does the word have a separator that makes it a list rather than a command (exec:sh,pty)? */
static bool has_list_sep(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ':' || s[i] == ',' || s[i] == '@')
			return true;
	return false;
}

static bool is_assignment(const char *w, size_t n)
{
	size_t k = name_len(w, n);

	return k > 0 && k < n && w[k] == '=' && !(w[0] >= '0' && w[0] <= '9');
}

/* Does flag w of command kind take the code as its next word? */
static bool is_payload_flag(enum interp_kind kind, const char *w, size_t n)
{
	char last = w[n - 1];

	if (n < 2 || w[0] != '-')
		return false;
	switch (kind) {
	case INTERP_SHELL:
		return w[1] != '-' && memchr(w, 'c', n);
	case INTERP_PYTHON:
		return w[1] != '-' && last == 'c';
	case INTERP_PERL:
		return w[1] != '-' && (last == 'e' || last == 'E');
	case INTERP_RUBY:
	case INTERP_LUA:
		return n == 2 && last == 'e';
	case INTERP_PHP:
		return n == 2 && last == 'r';
	case INTERP_NODE:
		return (n == 2 && (last == 'e' || last == 'p')) || (n == 6 && !memcmp(w, "--eval", 6));
	default:
		return false;
	}
}

static void command_word(struct shtok *t, struct lexst *st, const struct word *w)
{
	bool arg = w->s[0] == '-' || (w->s[0] >= '0' && w->s[0] <= '9');
	const char *base = w->s;

	if (is_assignment(w->s, w->n) || (st->prefix && arg) || has_list_sep(w->s, w->n)) {
		shtok_norm_word(t, w->s, w->n);
		return;
	}
	if (is_prefix_cmd(w->s, w->n)) {
		shtok_emit(t, w->s, w->n);
		st->prefix = true;
		return;
	}
	shtok_norm_command(t, w->s, w->n);
	for (size_t i = 0; i < w->n; i++)
		if (w->s[i] == '/')
			base = w->s + i + 1;
	st->cmd = shtok_interp_of(base, w->n - (size_t)(base - w->s));
	st->cmdpos = st->prefix = false;
}

static void payload(struct shtok *t, enum interp_kind kind, const struct word *w, int depth)
{
	if (kind == INTERP_SHELL)
		sh_lex(t, w->s, w->n, depth + 1);
	else if (depth + 1 > MAX_DEPTH)
		plain_split(t, w->s, w->n);
	else
		code_lex(t, w->s, w->n, depth + 1);
}

/* An argument of an awk command: options, their arguments, then the program. */
static bool awk_word(struct shtok *t, struct lexst *st, const struct word *w, int depth)
{
	if (st->awk_optarg || w->s[0] == '-') {
		st->awk_optarg = !st->awk_optarg && w->n == 2 && strchr("Fvf", w->s[1]);
		shtok_norm_word(t, w->s, w->n);
		return true;
	}
	payload(t, INTERP_AWK, w, depth);
	st->cmd = INTERP_NONE;
	return true;
}

static void finish_word(struct shtok *t, struct lexst *st, const struct word *w, int depth)
{
	if (!w->n)
		return;
	if (st->heredoc) {
		st->heredoc = false;
		emit_s(t, "<DELIM>");
	} else if (st->redir_target) {
		st->redir_target = false;
		if (w->qspace) /* here-string: bash <<< "sh -i" */
			sh_lex(t, w->s, w->n, depth + 1);
		else
			shtok_norm_word(t, w->s, w->n);
	} else if (st->cmdpos) {
		command_word(t, st, w);
	} else if (st->want_payload) {
		st->want_payload = false;
		payload(t, st->cmd, w, depth);
	} else if (st->cmd == INTERP_AWK && awk_word(t, st, w, depth)) {
		return;
	} else if (is_payload_flag(st->cmd, w->s, w->n)) {
		shtok_emit(t, w->s, w->n);
		st->want_payload = true;
	} else if (w->qspace) {
		sh_lex(t, w->s, w->n, depth + 1);
	} else {
		shtok_norm_word(t, w->s, w->n);
	}
}

static void sh_lex(struct shtok *t, const char *s, size_t n, int depth)
{
	struct lexst st;
	struct word w;
	size_t i = 0;

	if (depth > MAX_DEPTH) {
		plain_split(t, s, n);
		return;
	}
	reset_command(&st);
	while (i < n && t->n < SHTOK_MAX_TOKENS) {
		size_t k;

		if (is_blank(s[i]) && s[i] != '\n') {
			i++;
		} else if (s[i] == '#') {
			const char *nl = memchr(s + i, '\n', n - i);

			i = nl ? (size_t)(nl - s) : n;
		} else if ((k = lex_redirect(t, &st, s + i, n - i)) ||
			   (k = lex_operator(t, &st, s + i, n - i))) {
			i += k;
		} else {
			i += read_word(t, s + i, n - i, depth, &w);
			finish_word(t, &st, &w, depth);
		}
	}
}

uint32_t shtok_run(struct shtok *t, const char *s, size_t len)
{
	t->n = t->used = t->dropped = 0;
	t->last_addr = false;
	if (len > SHTOK_MAX_INPUT) {
		t->dropped += (uint32_t)(len - SHTOK_MAX_INPUT);
		len = SHTOK_MAX_INPUT;
	}
	sh_lex(t, s, len, 0);
	if (!t->n)
		shtok_emit(t, "<EMPTY>", 7);
	return t->n;
}
