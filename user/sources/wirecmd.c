/* wirecmd.c: commands that came off the wire (include/wirecmd.h). A small word splitter of its
 * own, not the scoring tokenizer: that one turns addresses and numbers into classes, while here
 * `sleep 5` must not equal `sleep 6`. */
#include <stddef.h>
#include <string.h>
#include "wirecmd.h"

#define WC_WORDS 64      /* words of one line (or -c string) looked at */
#define WC_CMDS 16       /* simple commands of one line */
#define WC_BUF 1024      /* their unquoted bytes */

struct cmdlist {
	int ncmd, nword;
	int first[WC_CMDS], count[WC_CMDS];
	unsigned short off[WC_WORDS], len[WC_WORDS];
	unsigned used;
	char buf[WC_BUF];
};

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool op(char c)
{
	return c == ';' || c == '&' || c == '|' || c == '\n';
}

/* A word that redirects (2>&1, >f, <f, >>f, N<>f): true; *target_next when its target is the
 * next word (`> f`). Quoted words are never redirections. */
static bool redirection(const char *w, size_t n, bool *target_next)
{
	size_t i = 0;

	while (i < n && w[i] >= '0' && w[i] <= '9')
		i++;
	if (i >= n || (w[i] != '>' && w[i] != '<'))
		return false;
	i++;
	if (i < n && (w[i] == '>' || w[i] == '&' || w[i] == '<'))
		i++;
	*target_next = i == n;
	return true;
}

static void end_cmd(struct cmdlist *l)
{
	if (l->ncmd < WC_CMDS && l->nword > l->first[l->ncmd]) {
		l->count[l->ncmd] = l->nword - l->first[l->ncmd];
		l->ncmd++;
	}
	if (l->ncmd < WC_CMDS)
		l->first[l->ncmd] = l->nword;
}

/* Copy one word from s[*i..n) into l's buffer, quotes, escapes and a leading brace group (Tcl's
 * quoting) removed. Returns false when the buffer or word table is full. */
static bool word(struct cmdlist *l, const char *s, size_t n, size_t *i, bool *quoted)
{
	unsigned start = l->used;
	int depth;

	if (l->nword >= WC_WORDS)
		return false;
	*quoted = false;
	if (s[*i] == '{' && *i + 1 < n && !blank(s[*i + 1]) && s[*i + 1] != '\n') {
		*quoted = true;
		for (depth = 1, (*i)++; *i < n && depth; (*i)++) {
			depth += s[*i] == '{' ? 1 : s[*i] == '}' ? -1 : 0;
			if (depth && l->used < WC_BUF)
				l->buf[l->used++] = s[*i];
		}
	}
	while (*i < n && !blank(s[*i]) && !op(s[*i])) {
		char q = s[*i];

		if (q == '\'' || q == '"') {
			*quoted = true;
			for ((*i)++; *i < n && s[*i] != q; (*i)++) {
				if (q == '"' && s[*i] == '\\' && *i + 1 < n)
					(*i)++;
				if (l->used < WC_BUF)
					l->buf[l->used++] = s[*i];
			}
			if (*i < n)
				(*i)++;
			continue;
		}
		if (q == '\\' && *i + 1 < n)
			(*i)++, *quoted = true;
		if (l->used < WC_BUF)
			l->buf[l->used++] = s[*i];
		(*i)++;
	}
	if (l->used >= WC_BUF)
		return false;
	l->off[l->nword] = (unsigned short)start;
	l->len[l->nword] = (unsigned short)(l->used - start);
	l->nword++;
	return true;
}

/* Split s[0..n) (one line; newlines inside separate commands too) into simple commands. */
static void split(struct cmdlist *l, const char *s, size_t n)
{
	size_t i = 0;
	bool quoted, skip_next = false, target;

	memset(l, 0, offsetof(struct cmdlist, buf));
	while (i < n) {
		if (blank(s[i])) {
			i++;
		} else if (op(s[i])) {
			end_cmd(l);
			i++;
		} else {
			if (!word(l, s, n, &i, &quoted))
				break;
			if (skip_next) {            /* the target of `> f` */
				l->nword--, skip_next = false;
			} else if (!quoted && redirection(l->buf + l->off[l->nword - 1],
							 l->len[l->nword - 1], &target)) {
				l->nword--, skip_next = target;
			}
			l->used = l->nword ? l->off[l->nword - 1] + l->len[l->nword - 1] : 0;
		}
	}
	end_cmd(l);
}

static bool word_eq(const struct cmdlist *a, int i, const char *w, size_t n)
{
	return a->len[i] == n && memcmp(a->buf + a->off[i], w, n) == 0;
}

static bool cmd_eq(const struct cmdlist *a, int ca, const struct cmdlist *b, int cb)
{
	if (a->count[ca] != b->count[cb])
		return false;
	for (int k = 0; k < a->count[ca]; k++)
		if (!word_eq(a, a->first[ca] + k, b->buf + b->off[b->first[cb] + k],
			     b->len[b->first[cb] + k]))
			return false;
	return true;
}

static bool lists_eq(const struct cmdlist *a, const struct cmdlist *b)
{
	if (a->ncmd != b->ncmd || !a->ncmd)
		return false;
	for (int c = 0; c < a->ncmd; c++)
		if (!cmd_eq(a, c, b, c))
			return false;
	return true;
}

/* argv (NUL-separated) as a command list of one command, word for word. */
static void argv_words(struct cmdlist *l, const char *argv, size_t n)
{
	size_t i = 0;

	memset(l, 0, offsetof(struct cmdlist, buf));
	while (n && argv[n - 1] == '\0')
		n--;
	if (!n)
		return;
	while (i <= n && l->nword < WC_WORDS) {
		size_t e = i;

		while (e < n && argv[e])
			e++;
		if (l->used + (e - i) > WC_BUF)
			break;
		memcpy(l->buf + l->used, argv + i, e - i);
		l->off[l->nword] = (unsigned short)l->used;
		l->len[l->nword++] = (unsigned short)(e - i);
		l->used += (unsigned)(e - i);
		i = e + 1;
	}
	end_cmd(l);
}

/* The string after a -c option (`-c`, or letters ending in c: `-lc`) among the first words. */
static bool dash_c(const struct cmdlist *a, const char **s, size_t *n)
{
	for (int i = 1; i + 1 < a->nword && i < 4; i++) {
		const char *w = a->buf + a->off[i];
		size_t k, len = a->len[i];

		if (len < 2 || w[0] != '-' || w[len - 1] != 'c')
			continue;
		for (k = 1; k < len && ((w[k] >= 'a' && w[k] <= 'z') || (w[k] >= 'A' && w[k] <= 'Z'));
		     k++)
			;
		if (k == len) {
			*s = a->buf + a->off[i + 1];
			*n = a->len[i + 1];
			return true;
		}
	}
	return false;
}

static bool text(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') ||
		    (unsigned char)s[i] > 0x7e)
			return false;
	return true;
}

bool wirecmd_match(const char *recv, size_t recv_len, bool cut, const char *argv, size_t argv_len)
{
	struct cmdlist a, c, r;
	const char *cs = NULL;
	size_t cn = 0, i = 0;
	bool has_c;

	if (memchr(recv, '\0', recv_len)) {      /* a C string sent with its NUL: up to it */
		recv_len = (size_t)((const char *)memchr(recv, '\0', recv_len) - recv);
		cut = false;
	}
	if (!recv_len || !text(recv, recv_len))
		return false;
	argv_words(&a, argv, argv_len);
	if (!a.ncmd)
		return false;
	has_c = dash_c(&a, &cs, &cn);
	if (has_c)
		split(&c, cs, cn);
	while (i < recv_len) {
		size_t e = i;

		while (e < recv_len && recv[e] != '\n')
			e++;
		if (e == recv_len && cut)
			break;
		split(&r, recv + i, e - i);
		for (int k = 0; k < r.ncmd; k++)
			if (cmd_eq(&r, k, &a, 0))
				return true;
		if (has_c && lists_eq(&r, &c))
			return true;
		i = e + 1;
	}
	return false;
}
