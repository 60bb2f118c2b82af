/* inject.c: spread one generated shell-code instance (tools/shellcode.h) over d events of a
 * background trace and print the result in the seed format (one stream, no pids or times).
 *   inject -d D [-s SEED] [-p POS] [--strace] BACKGROUND
 * stderr gets "# injected at lines A..B" (1-based lines of the output).
 */
#include <argp.h>
#include "background.h"
#include "shellcode.h"

struct args {
	unsigned long d, seed, pos;
	bool strace, has_pos;
	const char *file;
};

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	switch (key) {
	case 'd': case 's': case 'p':
		*(key == 'd' ? &a->d : key == 's' ? &a->seed : &a->pos) = strtoul(arg, &end, 10);
		if (*end || !*arg)
			argp_error(st, "-%c takes a number", key);
		a->has_pos |= key == 'p';
		break;
	case 'S': a->strace = true; break;
	case ARGP_KEY_ARG:
		if (a->file)
			argp_error(st, "one background file");
		a->file = arg;
		break;
	case ARGP_KEY_END:
		if (!a->file || a->d < SHELLCODE_LEN)
			argp_error(st, "need -d D (at least %d) and a background file", SHELLCODE_LEN);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp_option opts[] = {
		{ "spread", 'd', "D", 0, "spread the instance over D events", 0 },
		{ "seed", 's', "SEED", 0, "random seed (default 1)", 0 },
		{ "pos", 'p', "POS", 0, "background events before the instance (default random)", 0 },
		{ "strace", 'S', 0, 0, "the background is strace -f output", 0 },
		{ 0 }
	};
	static const struct argp argp = { opts, parse_opt, "BACKGROUND",
		"Inject one remote-shell instance spread over D events into a background trace.", 0, 0, 0 };
	struct args a = { .seed = 1 };
	struct background b = { 0 };
	char inst[SHELLCODE_LEN][SHELLCODE_LINE];
	unsigned off[SHELLCODE_LEN];
	uint64_t rng;
	size_t bi = 0, k = 0, start;

	argp_err_exit_status = 2;
	if (argp_parse(&argp, argc, argv, 0, 0, &a))
		return 2;
	if (background_load(&b, a.file, a.strace))
		return 1;
	rng = a.seed * 2654435761u + 88172645463325252ULL;
	shellcode_gen(&rng, inst);
	shellcode_spread(&rng, (unsigned)a.d, off);
	start = a.has_pos ? a.pos : (size_t)(sc_rand(&rng) % (b.n + 1));
	start = start > b.n ? b.n : start;
	for (size_t out = 0; bi < b.n || k < SHELLCODE_LEN; out++) {
		bool mine = k < SHELLCODE_LEN && out >= start && out - start == off[k];

		printf("%s\n", mine ? inst[k++] : bi < b.n ? b.lines[bi++] : "nop");
	}
	fprintf(stderr, "# injected at lines %zu..%zu\n", start + 1, start + off[SHELLCODE_LEN - 1] + 1);
	background_free(&b);
	return ferror(stdout) ? 1 : 0;
}
