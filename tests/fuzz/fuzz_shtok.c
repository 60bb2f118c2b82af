/* fuzz_shtok.c: the tokenizer on arbitrary bytes: never crashes, always at least one token, tokens
 * within their bounds; features of the result stay within the bucket range. */
#include <stdint.h>
#include <stdlib.h>
#include "cmdfeat.h"
#include "shtok.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct shtok t;
	static struct features f;
	uint32_t n = shtok_run(&t, (const char *)data, size);

	if (n < 1 || n > SHTOK_MAX_TOKENS || t.used > SHTOK_BUF)
		abort();
	for (uint32_t i = 0; i < n; i++)
		if (shtok_get(&t, i).len > SHTOK_TOK_MAX)
			abort();
	features_extract(&t, 12, &f);
	for (uint32_t i = 0; i < f.n; i++)
		if (f.bucket[i] >= (1u << 12) || f.tok[i] >= n)
			abort();
	return 0;
}
