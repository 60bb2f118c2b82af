/* shellcode.h: the generative model of the case study's shell code and its injection into a
 * background trace, shared by tools/gen_shellcode, tools/inject and tools/study.
 *
 * An instance is `accept fd=L => x`, the three dups of x onto 0, 1 and 2 in random order (each a
 * random member of the dup family, always returning the new fd), then an execve of a shell: the
 * seed's model with our vocabulary (docs/trace-format.md). Spreading an instance over d events
 * keeps its first event at the start and its last at the end and places the others at random
 * distinct offsets in between, in order.
 */
#ifndef SW_TOOLS_SHELLCODE_H
#define SW_TOOLS_SHELLCODE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define SHELLCODE_LEN 5
#define SHELLCODE_LINE 96

static inline uint64_t sc_rand(uint64_t *s)
{
	*s ^= *s << 13, *s ^= *s >> 7, *s ^= *s << 17;
	return *s;
}

/* One instance as seed-format lines. */
static inline void shellcode_gen(uint64_t *rng, char lines[SHELLCODE_LEN][SHELLCODE_LINE])
{
	static const char *shells[] = { "/bin/sh", "/bin/bash", "/bin/dash", "/usr/bin/zsh", "/bin/csh" };
	unsigned listen = 3 + (unsigned)(sc_rand(rng) % 8), x = listen + 1 + (unsigned)(sc_rand(rng) % 200);
	int order[3] = { 0, 1, 2 };

	for (int i = 2; i > 0; i--) {
		int j = (int)(sc_rand(rng) % (uint64_t)(i + 1)), t = order[i];

		order[i] = order[j], order[j] = t;
	}
	snprintf(lines[0], SHELLCODE_LINE, "accept fd=%u => %u", listen, x);
	for (int k = 0; k < 3; k++) {
		int fd = order[k];

		switch (sc_rand(rng) % 4) {
		case 0: snprintf(lines[k + 1], SHELLCODE_LINE, "dup fd=%u => %d", x, fd); break;
		case 1: snprintf(lines[k + 1], SHELLCODE_LINE, "dup2 fd=%u newfd=%d => %d", x, fd, fd); break;
		case 2: snprintf(lines[k + 1], SHELLCODE_LINE, "dup3 fd=%u newfd=%d flags=0 => %d", x, fd, fd); break;
		default: snprintf(lines[k + 1], SHELLCODE_LINE, "fcntl fd=%u cmd=F_DUPFD arg=%d => %d", x, fd, fd);
		}
	}
	snprintf(lines[4], SHELLCODE_LINE, "execve exe=%s => 0", shells[sc_rand(rng) % 5]);
}

/* Offsets of the instance's events when spread over d >= SHELLCODE_LEN events: off[0] = 0,
 * off[4] = d - 1, the three others distinct, uniform in between, increasing. */
static inline void shellcode_spread(uint64_t *rng, unsigned d, unsigned off[SHELLCODE_LEN])
{
	unsigned n = 1;

	off[0] = 0;
	while (n < SHELLCODE_LEN - 1) {
		unsigned v = 1 + (unsigned)(sc_rand(rng) % (d - 2)), k = n;

		for (unsigned i = 1; i < n; i++)
			if (off[i] == v)
				k = 0;
		if (!k)
			continue;
		while (k > 1 && off[k - 1] > v) /* insertion keeps them sorted */
			off[k] = off[k - 1], k--;
		off[k] = v, n++;
	}
	off[SHELLCODE_LEN - 1] = d - 1;
}

#endif /* SW_TOOLS_SHELLCODE_H */
