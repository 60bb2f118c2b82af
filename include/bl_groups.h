/* bl_groups.h: which group of the host baseline a command line belongs to, by what ran it: a
 * table (data, not code) of group name, program names and which command lines of them count.
 * The built-in table has python, perl, ruby, php, node, awk, lua, tcl and shell-c (a shell given
 * its commands with -c); a baseline file carries the table it was learnt with (docs/baseline.md),
 * so scoring groups lines the way learning did.
 *
 * What ran a line (bl_cmd_*): for a command line as typed (shell-quoted: one line of a file,
 * auditd's arguments) the first word; for an exec as the sensor reports it (arguments joined by
 * spaces, quotes lost) the interpreter the source identified, else the file's name, else argv[0];
 * busybox: the applet. An exec's code string (-c, -e, -r, awk's program) is quoted again, so both
 * forms give the tokenizer the same text. */
#ifndef SW_BL_GROUPS_H
#define SW_BL_GROUPS_H

#include <stdbool.h>
#include <stddef.h>
#include "event.h"

#define BL_GROUP_NAME_MAX 24
#define BL_PROGRAMS_MAX 128
#define BL_PROG_MAX 32

/* Which command lines of the group's programs count. */
enum bl_source {
	BL_SRC_ANY = 0,    /* every command line */
	BL_SRC_CODE,       /* only those given code to run as a string (-c, -e, awk's program) */
};

struct bl_group_def {
	char name[BL_GROUP_NAME_MAX];
	char programs[BL_PROGRAMS_MAX];   /* names without version, space separated: "python pypy";
					     "*": every program */
	enum bl_source source;
};

/* The built-in table; *n gets its length. */
const struct bl_group_def *bl_groups_builtin(unsigned *n);

/* What ran a command line, and the text to tokenize. */
struct bl_cmd {
	char prog[BL_PROG_MAX];    /* the program's name as run ("python3.11"); "" unknown */
	const char *text;          /* the command line, shell-quoted */
	size_t len;
};

/* A command line as typed: text is line itself. */
void bl_cmd_from_line(struct bl_cmd *c, const char *line, size_t len);
/* An exec (exe, the source's interpreter name, argv joined by spaces; any may be empty): the code
 * string is quoted again into buf (cap bytes; the text is cut to fit). */
void bl_cmd_from_exec(struct bl_cmd *c, struct sw_str exe, struct sw_str interp, struct sw_str argv,
		      char *buf, size_t cap);

/* Index of the group of c among defs[0..n), or -1 when none: the program's name without directory
 * and version in a row's programs, and the row's source satisfied. */
int bl_group_of(const struct bl_group_def *defs, unsigned n, const struct bl_cmd *c);
/* A group name and its programs are words of [A-Za-z0-9._+-] (programs: several, one space
 * apart, or the word "*"). */
bool bl_group_def_valid(const struct bl_group_def *d);

#endif /* SW_BL_GROUPS_H */
