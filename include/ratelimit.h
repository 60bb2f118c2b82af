/* ratelimit.h: a token bucket: `rate` tokens a second, at most `burst` saved up; each record
 * takes one, and a record that finds none is dropped and counted (run --events). */
#ifndef SW_RATELIMIT_H
#define SW_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct token_bucket {
	double rate, burst, tokens;
	uint64_t last_ns;
	uint64_t passed, dropped;
};

void tb_init(struct token_bucket *b, double rate, double burst);
/* Take a token at now_ns (any monotonic clock); false (and counted) when there is none. */
bool tb_take(struct token_bucket *b, uint64_t now_ns);

#endif /* SW_RATELIMIT_H */
