/* gen_shellcode.c: print shell-code instances after the case study's generative model
 * (tools/shellcode.h), in the seed trace format.
 *   gen_shellcode [-n COUNT] [-s SEED]     instances separated by a "# instance N" line
 */
#include <argp.h>
#include <stdlib.h>
#include "shellcode.h"

struct args {
	unsigned long n, seed;
};

static error_t parse_opt(int key, char *arg, struct argp_state *st)
{
	struct args *a = st->input;
	char *end;

	switch (key) {
	case 'n': case 's':
		*(key == 'n' ? &a->n : &a->seed) = strtoul(arg, &end, 10);
		if (*end || !*arg)
			argp_error(st, "-%c takes a number", key);
		break;
	case ARGP_KEY_ARG:
		argp_error(st, "no arguments");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct argp_option opts[] = {
		{ "count", 'n', "N", 0, "instances to print (default 1)", 0 },
		{ "seed", 's', "SEED", 0, "random seed (default 1)", 0 },
		{ 0 }
	};
	static const struct argp argp = { opts, parse_opt, 0,
		"Print remote-shell instances (accept, three dups in random order, execve).", 0, 0, 0 };
	struct args a = { 1, 1 };
	uint64_t rng;
	char lines[SHELLCODE_LEN][SHELLCODE_LINE];

	argp_err_exit_status = 2;
	if (argp_parse(&argp, argc, argv, 0, 0, &a))
		return 2;
	rng = a.seed * 2654435761u + 88172645463325252ULL;
	for (unsigned long i = 0; i < a.n; i++) {
		shellcode_gen(&rng, lines);
		printf("# instance %lu\n", i + 1);
		for (int k = 0; k < SHELLCODE_LEN; k++)
			printf("%s\n", lines[k]);
	}
	return ferror(stdout) ? 1 : 0;
}
