/* ratelimit.c: the token bucket of include/ratelimit.h. */
#include "ratelimit.h"

void tb_init(struct token_bucket *b, double rate, double burst)
{
	*b = (struct token_bucket){ .rate = rate, .burst = burst, .tokens = burst };
}

bool tb_take(struct token_bucket *b, uint64_t now_ns)
{
	if (b->last_ns && now_ns > b->last_ns) {
		b->tokens += (double)(now_ns - b->last_ns) * b->rate / 1e9;
		if (b->tokens > b->burst)
			b->tokens = b->burst;
	}
	if (!b->last_ns || now_ns > b->last_ns)
		b->last_ns = now_ns;
	if (b->tokens < 1) {
		b->dropped++;
		return false;
	}
	b->tokens -= 1;
	b->passed++;
	return true;
}
