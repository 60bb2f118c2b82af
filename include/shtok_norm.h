/* shtok_norm.h: word normalization for the tokenizer (shtok.c): turns one shell word, with quotes
 * already removed, into class tokens (addresses, ports, hosts, URLs, paths, random names) appended
 * to a struct shtok. Split from the lexer so each file has one job. */
#ifndef SW_SHTOK_NORM_H
#define SW_SHTOK_NORM_H

#include <stddef.h>
#include "shtok.h"

/* Append one token (cut to SHTOK_TOK_MAX bytes; counted in t->dropped when t is full). */
void shtok_emit(struct shtok *t, const char *s, size_t n);

/* Append the normalized tokens of one word (may be several: "tcp:1.2.3.4:80" -> tcp <IP> <PORT>). */
void shtok_norm_word(struct shtok *t, const char *w, size_t n);

/* Append a command name: basename, interpreter version stripped ("/usr/bin/python3.11" -> python),
 * random names as <RND>, and the directory as its own token when it is not a standard bin dir. */
void shtok_norm_command(struct shtok *t, const char *w, size_t n);

/* The interpreter a command name (basename, version stripped) stands for. */
enum shtok_interp {
	SHTOK_OTHER, SHTOK_SHELL, SHTOK_PYTHON, SHTOK_PERL, SHTOK_RUBY, SHTOK_PHP, SHTOK_NODE,
	SHTOK_LUA, SHTOK_AWK,
};
enum shtok_interp shtok_interp_of(const char *w, size_t n);

#endif /* SW_SHTOK_NORM_H */
