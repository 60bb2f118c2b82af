/* shtok.h: shell-aware tokenizer for command scoring (Shell Language Processing).
 *
 * Turns one command line into a sequence of normalized tokens: quotes and escapes removed, $VAR,
 * ${...}, $(...) and backticks expanded into their own tokens, operators (| ; && ||) and
 * redirections kept with their fd numbers ("2>&1", "N<>", ">&"), /dev/tcp/HOST/PORT split into
 * "/dev/tcp" + address + port, and the code given to sh/bash/python/perl/ruby/php/node/lua/awk by
 * -c/-e/-r tokenized further. What varies between instances of one technique becomes a class token
 * (<IP> <IP6> <IPDEC> <IPHEX> <HOST> <PORT> <NUM> <RND> <B64> <LONG> <BIN>), so a model learns the
 * technique, not the address. It never fails: malformed input degrades to a simpler split, and an
 * input with no token yields the single token <EMPTY>. No allocation: the caller owns the struct.
 */
#ifndef SW_SHTOK_H
#define SW_SHTOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"

#define SHTOK_MAX_TOKENS 256     /* tokens beyond this are counted in dropped */
#define SHTOK_TOK_MAX 48         /* longer tokens are cut to this many bytes */
#define SHTOK_BUF (SHTOK_MAX_TOKENS * SHTOK_TOK_MAX)
#define SHTOK_MAX_INPUT 65536    /* bytes of a command line looked at; the rest counts as dropped */

struct shtok {
	uint32_t n;                      /* tokens in this result */
	uint32_t dropped;                /* tokens (or input bytes) that did not fit */
	uint32_t used;                   /* bytes of buf in use */
	bool last_addr;                  /* last token was an address: a number after it is a port */
	uint16_t off[SHTOK_MAX_TOKENS];
	uint8_t len[SHTOK_MAX_TOKENS];
	char buf[SHTOK_BUF];
};

/* Tokenize s[0..len) into t (previous content is discarded). Returns t->n, always >= 1. */
uint32_t shtok_run(struct shtok *t, const char *s, size_t len);

static inline struct sw_str shtok_get(const struct shtok *t, uint32_t i)
{
	return (struct sw_str){ t->buf + t->off[i], t->len[i] };
}

#endif /* SW_SHTOK_H */
