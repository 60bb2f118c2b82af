/* cmdsrc.h: where an interpreter takes its commands from, by its own argument rules: standard
 * input (no script operand, -i, -s, `-`, /dev/stdin), a string on the command line (-c, -e, -r,
 * awk's program), or a script file. A remote shell is an interpreter reading its commands from the
 * network: from stdin, when stdin is a connection. An interpreter running a script file or a -c
 * string with a connection on stdin (CGI, an inetd service) reads data from it, not commands. */
#ifndef SW_CMDSRC_H
#define SW_CMDSRC_H

#include <stddef.h>
#include "interp.h"

enum cmd_source {
	CMDSRC_NONE = 0,  /* not an interpreter */
	CMDSRC_STDIN,     /* commands from standard input */
	CMDSRC_STRING,    /* from the command line: -c, -e, -r, awk's program */
	CMDSRC_FILE,      /* from a script file (or a module: python -m) */
};

struct cmdsrc {
	enum cmd_source src;
	const char *arg;  /* STRING: the code; FILE: the path (into argv, not NUL-terminated) */
	size_t arg_len;
};

/* The command source of an interpreter of kind k run with argv (the arguments joined by single
 * spaces, argv[0] first, as the sensor reports them). Arguments with spaces inside cannot be told
 * apart from two arguments; options come before them, so the decision holds. */
struct cmdsrc cmdsrc_of(enum interp_kind k, const char *argv, size_t len);

const char *cmdsrc_name(enum cmd_source s);

#endif /* SW_CMDSRC_H */
