/* groups.c: what ran a command line and which baseline group that makes it (include/bl_groups.h).
 * The groups are a table; this file only matches names against it. */
#include <string.h>
#include "bl_groups.h"
#include "cmdsrc.h"
#include "interp.h"

static const struct bl_group_def builtin[] = {
	{ "python", "python pypy", BL_SRC_ANY },
	{ "perl", "perl", BL_SRC_ANY },
	{ "ruby", "ruby", BL_SRC_ANY },
	{ "php", "php php-cli php-cgi", BL_SRC_ANY },
	{ "node", "node nodejs", BL_SRC_ANY },
	{ "awk", "awk gawk mawk nawk", BL_SRC_ANY },
	{ "lua", "lua luajit", BL_SRC_ANY },
	{ "tcl", "tclsh wish expect", BL_SRC_ANY },
	{ "shell-c", "sh bash dash zsh ksh mksh ash yash rbash", BL_SRC_CODE },
};

const struct bl_group_def *bl_groups_builtin(unsigned *n)
{
	*n = sizeof(builtin) / sizeof(builtin[0]);
	return builtin;
}

/* The word at *pos (blank separated), pos moved past it. */
static struct sw_str word(const char *s, size_t len, size_t *pos)
{
	size_t b;

	while (*pos < len && (s[*pos] == ' ' || s[*pos] == '\t'))
		(*pos)++;
	b = *pos;
	while (*pos < len && s[*pos] != ' ' && s[*pos] != '\t')
		(*pos)++;
	return (struct sw_str){ s + b, (uint32_t)(*pos - b) };
}

static struct sw_str basename_of(struct sw_str w)
{
	for (uint32_t i = w.len; i > 0; i--)
		if (w.p[i - 1] == '/')
			return (struct sw_str){ w.p + i, w.len - i };
	return w;
}

/* Copy a program name, quotes dropped, cut to fit. */
static void set_prog(struct bl_cmd *c, struct sw_str w)
{
	size_t n = 0;

	w = basename_of(w);
	for (uint32_t i = 0; i < w.len && n + 1 < sizeof(c->prog); i++)
		if (w.p[i] != '\'' && w.p[i] != '"')
			c->prog[n++] = w.p[i];
	c->prog[n] = '\0';
}

static bool is_assignment(struct sw_str w)
{
	uint32_t i = 0;

	while (i < w.len && (w.p[i] == '_' || ((w.p[i] | 0x20) >= 'a' && (w.p[i] | 0x20) <= 'z') ||
			     (i && w.p[i] >= '0' && w.p[i] <= '9')))
		i++;
	return i && i < w.len && w.p[i] == '=';
}

void bl_cmd_from_line(struct bl_cmd *c, const char *line, size_t len)
{
	size_t pos = 0;
	struct sw_str w;

	do   /* VAR=value words before the command are the shell's, not a program */
		w = word(line, len, &pos);
	while (w.len && is_assignment(w));
	set_prog(c, w);
	if (!strcmp(c->prog, "busybox"))
		set_prog(c, word(line, len, &pos));
	c->text = line;
	c->len = len;
}

/* argv without a leading "busybox" word: what the applet's own argument rules see. */
static struct sw_str applet_argv(struct sw_str argv)
{
	size_t pos = 0;
	struct sw_str w = basename_of(word(argv.p, argv.len, &pos));

	if (!sw_str_eqc(w, "busybox"))
		return argv;
	while (pos < argv.len && argv.p[pos] == ' ')
		pos++;
	return (struct sw_str){ argv.p + pos, (uint32_t)(argv.len - pos) };
}

/* text = argv up to the code, then the code to the end in single quotes ('\'' inside), cut to
 * fit cap bytes with its NUL. */
static void requote(struct bl_cmd *c, struct sw_str argv, size_t code, char *buf, size_t cap)
{
	size_t n = 0;

	if (cap < 8) {
		c->text = argv.p, c->len = argv.len;
		return;
	}
	for (size_t i = 0; i < code && n < cap - 3; i++)
		buf[n++] = argv.p[i];
	buf[n++] = '\'';
	for (size_t i = code; i < argv.len; i++) {
		bool q = argv.p[i] == '\'';

		if (n + (q ? 4 : 1) > cap - 2)
			break;
		if (q)
			memcpy(buf + n, "'\\''", 4);
		else
			buf[n] = argv.p[i];
		n += q ? 4 : 1;
	}
	buf[n++] = '\'';
	buf[n] = '\0';
	c->text = buf, c->len = n;
}

void bl_cmd_from_exec(struct bl_cmd *c, struct sw_str exe, struct sw_str interp, struct sw_str argv,
		      char *buf, size_t cap)
{
	size_t pos = 0;
	struct sw_str args = applet_argv(argv);
	enum interp_kind k;
	struct cmdsrc cs;

	set_prog(c, interp.len ? interp : exe.len ? exe : word(argv.p, argv.len, &pos));
	if (!strncmp(c->prog, "busybox", 7)) {   /* "busybox sh" (the judge's name) or the file */
		const char *sp = strchr(c->prog, ' ');

		pos = 0;
		if (sp)
			memmove(c->prog, sp + 1, strlen(sp));
		else
			set_prog(c, word(args.p, args.len, &pos));
	}
	c->text = argv.p, c->len = argv.len;
	k = interp_of(c->prog, strlen(c->prog));
	if (k == INTERP_NONE || k == INTERP_LAUNCHER || k == INTERP_BUSYBOX)
		return;
	cs = cmdsrc_of(k, args.p, args.len);
	if (cs.src == CMDSRC_STRING && cs.arg && cs.arg_len)
		requote(c, argv, (size_t)(cs.arg - argv.p), buf, cap);
}

/* name (version stripped) is a word of the space-separated list; "*" is every name */
static bool listed(const char *list, const char *name, size_t n)
{
	for (const char *w = list; *w;) {
		size_t wl = strcspn(w, " ");

		if ((wl == n && !memcmp(w, name, n)) || (wl == 1 && *w == '*'))
			return true;
		w += wl;
		w += *w == ' ';
	}
	return false;
}

static bool gives_code(const struct bl_cmd *c)
{
	enum interp_kind k = interp_of(c->prog, strlen(c->prog));
	struct sw_str args = applet_argv((struct sw_str){ c->text, (uint32_t)c->len });

	return cmdsrc_of(k, args.p, args.len).src == CMDSRC_STRING;
}

int bl_group_of(const struct bl_group_def *defs, unsigned n, const struct bl_cmd *c)
{
	size_t len = strlen(c->prog);

	if (!len)
		return -1;
	len = interp_strip_version(c->prog, len);
	for (unsigned i = 0; i < n; i++)
		if (listed(defs[i].programs, c->prog, len))
			return defs[i].source == BL_SRC_ANY || gives_code(c) ? (int)i : -1;
	return -1;
}

static bool name_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '.' || ch == '_' || ch == '+' || ch == '-';
}

/* words of name characters, one space apart (several only when many) */
static bool words_ok(const char *s, size_t cap, bool many)
{
	size_t n = strnlen(s, cap);

	if (!n || n == cap || s[0] == ' ' || s[n - 1] == ' ')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]) && !(many && s[i] == ' ' && s[i + 1] != ' ') &&
		    !(many && s[i] == '*' && (!i || s[i - 1] == ' ') && (s[i + 1] == ' ' || !s[i + 1])))
			return false;
	return true;
}

bool bl_group_def_valid(const struct bl_group_def *d)
{
	return words_ok(d->name, sizeof(d->name), false) &&
	       words_ok(d->programs, sizeof(d->programs), true) &&
	       (d->source == BL_SRC_ANY || d->source == BL_SRC_CODE);
}
