/* shtok_norm.h: word normalization for the tokenizer (shtok.c): turns one shell word, with quotes
 * already removed, into class tokens (addresses, ports, hosts, URLs, paths, random names) appended
 * to a struct shtok. Split from the lexer so each file has one job. */
#ifndef SW_SHTOK_NORM_H
#define SW_SHTOK_NORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "interp.h"
#include "shtok.h"

/* Append one token (cut to SHTOK_TOK_MAX bytes; counted in t->dropped when t is full). */
void shtok_emit(struct shtok *t, const char *s, size_t n);

/* Append the normalized tokens of one word, maybe several ("tcp:1.2.3.4:80" -> tcp <IP> <PORT>). */
void shtok_norm_word(struct shtok *t, const char *w, size_t n);

/* Append a command name: basename, interpreter version stripped ("/usr/bin/python3.11" -> python),
 * random names as <RND>, and the directory as its own token when it is not a standard bin dir. */
void shtok_norm_command(struct shtok *t, const char *w, size_t n);

/* Small fixed word sets: W("bash") entries, looked up by length first. */
struct shtok_word {
	uint8_t n;
	const char *s;
};
#define W(x) { sizeof(x) - 1, x }
#define IN_SET(s, n, set, nocase) shtok_in_set(s, n, set, sizeof(set) / sizeof(set[0]), nocase)
bool shtok_in_set(const char *s, size_t n, const struct shtok_word *set, size_t count, bool nocase);

/* The interpreter a command name stands for, as the tokenizer sees it (include/interp.h; su and
 * runuser count as shells, busybox as a plain program). */
enum interp_kind shtok_interp_of(const char *w, size_t n);

#endif /* SW_SHTOK_NORM_H */
