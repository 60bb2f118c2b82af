/* featurize.c: the training side of command scoring uses exactly the C tokenizer and hashing of the
 * sensor: this tool reads command lines (one a line) and prints, per line, either the hashed
 * feature buckets (for tools/train.py) or the tokens (to look at what the model sees). */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include "cmdfeat.h"
#include "shtok.h"

struct opts {
	unsigned bits;
	int tokens;
};

static const struct argp_option options[] = {
	{ "bits", 'b', "N", 0, "hash buckets are 2^N (default 18)", 0 },
	{ "tokens", 't', NULL, 0, "print the tokens, separated by spaces, instead of buckets", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct opts *o = state->input;
	char *end;

	switch (key) {
	case 'b':
		o->bits = (unsigned)strtoul(arg, &end, 10);
		if (*end || o->bits < FEAT_BITS_MIN || o->bits > FEAT_BITS_MAX)
			argp_error(state, "--bits must be %d..%d", FEAT_BITS_MIN, FEAT_BITS_MAX);
		return 0;
	case 't':
		o->tokens = 1;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "no arguments: command lines come on stdin");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static void print_line(const struct opts *o, struct shtok *t, struct features *f)
{
	if (o->tokens) {
		for (uint32_t i = 0; i < t->n; i++) {
			struct sw_str s = shtok_get(t, i);

			printf("%s%.*s", i ? " " : "", (int)s.len, s.p);
		}
	} else {
		features_extract(t, o->bits, f);
		for (uint32_t i = 0; i < f->n; i++)
			printf("%s%u", i ? " " : "", f->bucket[i]);
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL,
		"Print the features (or --tokens) of each command line read on stdin.", 0, 0, 0 };
	struct opts o = { .bits = 18 };
	static struct shtok t;
	static struct features f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	argp_err_exit_status = 2;
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		shtok_run(&t, line, (size_t)n);
		print_line(&o, &t, &f);
	}
	free(line);
	return ferror(stdout) ? 1 : 0;
}
