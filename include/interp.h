/* interp.h: which command interpreter a program name stands for ("python3.11" -> python), the
 * one list shared by the tokenizer (class tokens, interpreter payloads) and the judge (is the
 * exec'd program a shell). */
#ifndef SW_INTERP_H
#define SW_INTERP_H

#include <stddef.h>

enum interp_kind {
	INTERP_NONE = 0,
	INTERP_SHELL,     /* sh, bash, dash, zsh, ksh, ash, mksh, csh, tcsh, fish, rbash */
	INTERP_LAUNCHER,  /* su, runuser: start a shell */
	INTERP_BUSYBOX,   /* busybox: a shell among its applets */
	INTERP_PYTHON,
	INTERP_PERL,
	INTERP_RUBY,
	INTERP_PHP,
	INTERP_NODE,
	INTERP_LUA,
	INTERP_AWK,
	INTERP_TCL,       /* tclsh, wish, expect */
};

/* How an exec'd file was found to be an interpreter (include/interpid.h). */
enum interp_by {
	INTERP_BY_NONE = 0,
	INTERP_BY_INODE,     /* the installed file itself */
	INTERP_BY_BUILDID,   /* a copy of it (same ELF build-id) */
	INTERP_BY_NAME,      /* only its name says so */
};

/* The interpreter of a command name (a basename; a trailing version like "3.11" is ignored). */
enum interp_kind interp_of(const char *name, size_t n);
/* The same for a path: its basename. */
enum interp_kind interp_of_path(const char *path);
/* Length of name without a trailing version ("python3.11" -> 6); never below 1. */
size_t interp_strip_version(const char *name, size_t n);

/* "inode", "build-id", "name", "none", and back (INTERP_BY_NONE for anything else). */
const char *interp_by_name(enum interp_by by);
enum interp_by interp_by_of(const char *s, size_t n);

#endif /* SW_INTERP_H */
