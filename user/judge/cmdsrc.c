/* cmdsrc.c: the command source of an interpreter from its arguments (include/cmdsrc.h). One
 * table row per interpreter family: which short flags take the code, which take an argument of
 * their own (so the next word is not the script), and which mean "read stdin". */
#include <stdbool.h>
#include <string.h>
#include "cmdsrc.h"

struct word {
	const char *p;
	size_t n;
};

struct family {
	enum interp_kind kind;
	const char *code;      /* short flags whose argument is the code: -c, -e, -r */
	const char *witharg;   /* short flags that take an argument (not the code) */
	const char *stdin_fl;  /* short flags that make it read commands from stdin */
	const char *const *long_witharg;  /* long options taking the next word */
	const char *const *long_code;     /* long options taking the code */
	const char *file_flag; /* flags whose argument is the script or module (php -f, awk -f,
				  python -m) */
	const char *const *long_file;     /* long options taking the script */
};

static const char *const sh_long[] = { "--rcfile", "--init-file", NULL };
static const char *const node_long_arg[] = { "--require", "--import", "--loader", "--input-type",
					     "--conditions", NULL };
static const char *const node_long_code[] = { "--eval", "--print", NULL };
static const char *const tcl_long[] = { "-encoding", NULL };
static const char *const awk_long_code[] = { "--source", NULL };
static const char *const awk_long_file[] = { "--file", "--include", NULL };

static const struct family families[] = {
	/* kind, code flags, flags with an argument, stdin flags, long with arg, long code,
	   script flags, long script */
	{ INTERP_SHELL, "c", "oO", "s", sh_long, NULL, NULL, NULL },
	{ INTERP_PYTHON, "c", "WXQ", "", NULL, NULL, "m", NULL },
	{ INTERP_PERL, "eE", "IMm", "", NULL, NULL, NULL, NULL },
	{ INTERP_RUBY, "e", "CrIEFKW", "", NULL, NULL, NULL, NULL },
	{ INTERP_PHP, "rBRE", "dcz", "a", NULL, NULL, "fF", NULL },
	{ INTERP_NODE, "ep", "r", "i", node_long_arg, node_long_code, NULL, NULL },
	{ INTERP_LUA, "e", "l", "i", NULL, NULL, NULL, NULL },
	{ INTERP_TCL, "", "", "", tcl_long, NULL, NULL, NULL },
	{ INTERP_AWK, "e", "vF", "", NULL, awk_long_code, "fE", awk_long_file },
};

static const struct family *family_of(enum interp_kind k)
{
	if (k == INTERP_BUSYBOX || k == INTERP_LAUNCHER)
		k = INTERP_SHELL;
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (families[i].kind == k)
			return &families[i];
	return NULL;
}

/* The next space-separated word at *pos, or n == 0 at the end. */
static struct word next_word(const char *s, size_t len, size_t *pos)
{
	struct word w;

	while (*pos < len && s[*pos] == ' ')
		(*pos)++;
	w.p = s + *pos;
	while (*pos < len && s[*pos] != ' ')
		(*pos)++;
	w.n = (size_t)(s + *pos - w.p);
	return w;
}

static struct word rest_of(const char *s, size_t len, size_t pos)
{
	while (pos < len && s[pos] == ' ')
		pos++;
	return (struct word){ s + pos, len - pos };
}

static bool word_is(struct word w, const char *c)
{
	return w.n == strlen(c) && !memcmp(w.p, c, w.n);
}

static bool in_list(struct word w, const char *const *list)
{
	for (; list && *list; list++)
		if (word_is(w, *list))
			return true;
	return false;
}

/* A script operand that is standard input after all. */
static bool is_stdin_path(struct word w)
{
	return word_is(w, "-") || word_is(w, "/dev/stdin") || word_is(w, "/dev/fd/0") ||
	       word_is(w, "/proc/self/fd/0");
}

static struct cmdsrc make(enum cmd_source src, struct word w)
{
	return (struct cmdsrc){ src, w.p, w.n };
}

/* A cluster of short flags "-xyz": what it says. *takes_next: the next word is an argument of
 * one of them (code or not). */
enum cluster { CL_NONE, CL_CODE, CL_STDIN, CL_FILE };

static enum cluster short_flags(const struct family *f, struct word w, bool *takes_next,
				struct word *attached)
{
	*takes_next = false;
	for (size_t i = 1; i < w.n; i++) {
		char c = w.p[i];
		bool rest = i + 1 < w.n;

		if (strchr(f->code, c)) {
			*attached = (struct word){ w.p + i + 1, w.n - i - 1 };
			*takes_next = !rest;
			return CL_CODE;
		}
		if (f->file_flag && strchr(f->file_flag, c)) {
			*attached = (struct word){ w.p + i + 1, w.n - i - 1 };
			*takes_next = !rest;
			return CL_FILE;
		}
		if (strchr(f->witharg, c)) {
			*takes_next = !rest;   /* -Wignore or -W ignore */
			return CL_NONE;
		}
		if (strchr(f->stdin_fl, c))
			return CL_STDIN;
	}
	return CL_NONE;
}

struct cmdsrc cmdsrc_of(enum interp_kind k, const char *s, size_t len)
{
	const struct family *f = family_of(k);
	size_t pos = 0;
	bool from_stdin = false, takes_next;
	struct word w, attached;

	if (!f)
		return (struct cmdsrc){ CMDSRC_NONE, NULL, 0 };
	next_word(s, len, &pos);                       /* argv[0] */
	if (k == INTERP_BUSYBOX)
		next_word(s, len, &pos);               /* the applet: busybox sh ... */
	while ((w = next_word(s, len, &pos)).n) {
		if (word_is(w, "--")) {
			w = next_word(s, len, &pos);
			break;
		}
		if (in_list(w, f->long_code))
			return make(CMDSRC_STRING, rest_of(s, len, pos));
		if (in_list(w, f->long_file)) {
			w = next_word(s, len, &pos);
			return make(is_stdin_path(w) ? CMDSRC_STDIN : CMDSRC_FILE, w);
		}
		if (in_list(w, f->long_witharg)) {
			next_word(s, len, &pos);
			continue;
		}
		if (w.n > 2 && w.p[0] == '-' && w.p[1] == '-')
			continue;                      /* another long option */
		if (w.n < 2 || (w.p[0] != '-' && !(k == INTERP_SHELL && w.p[0] == '+')))
			break;                         /* the first operand */
		switch (short_flags(f, w, &takes_next, &attached)) {
		case CL_CODE:
			return make(CMDSRC_STRING, takes_next ? rest_of(s, len, pos) : attached);
		case CL_FILE:
			w = takes_next ? next_word(s, len, &pos) : attached;
			return make(is_stdin_path(w) ? CMDSRC_STDIN : CMDSRC_FILE, w);
		case CL_STDIN:
			from_stdin = true;
			break;
		case CL_NONE:
			if (takes_next)
				next_word(s, len, &pos);
			break;
		}
	}
	if (k == INTERP_AWK)   /* the first operand is the program */
		return make(w.n ? CMDSRC_STRING : CMDSRC_STDIN, rest_of(s, len, (size_t)(w.p - s)));
	if (from_stdin || !w.n || is_stdin_path(w))
		return make(CMDSRC_STDIN, (struct word){ NULL, 0 });
	return make(CMDSRC_FILE, w);
}

const char *cmdsrc_name(enum cmd_source s)
{
	static const char *const names[] = { "none", "stdin", "string", "file" };

	return s < sizeof(names) / sizeof(names[0]) ? names[s] : "none";
}
