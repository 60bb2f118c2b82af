/* featurize.c: the training side of command scoring uses exactly the C tokenizer and hashing of the
 * sensor: this tool reads command lines (one a line) and prints, per line, either the hashed
 * feature buckets (for tools/train.py) or the tokens (to look at what the model sees); with
 * --elements, the buckets of each list element of a line with list operators, as score_cmdline
 * splits it (tools/train.py trains on the elements of benign lines: a line is scored as the highest
 * of it and its elements). */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cmdfeat.h"
#include "shtok.h"

struct opts {
	unsigned bits;
	int tokens, elements;
};

static const struct argp_option options[] = {
	{ "bits", 'b', "N", 0, "hash buckets are 2^N (default 18)", 0 },
	{ "tokens", 't', NULL, 0, "print the tokens, separated by spaces, instead of buckets", 0 },
	{ "elements", 'e', NULL, 0, "print LINE<TAB>buckets for each list element (split at ; && || &) "
	  "of the lines that have more than one (LINE counts from 0); nothing for the others", 0 },
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
	case 'e':
		o->elements = 1;
		return 0;
	case ARGP_KEY_ARG:
		argp_error(state, "no arguments: command lines come on stdin");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static void print_buckets(const struct features *f)
{
	for (uint32_t i = 0; i < f->n; i++)
		printf("%s%u", i ? " " : "", f->bucket[i]);
	putchar('\n');
}

/* The list elements of score_cmdline (user/scoring/score.c): tokens between ; && || & */
static int is_list_op(struct sw_str s)
{
	return sw_str_eqc(s, ";") || sw_str_eqc(s, "&&") || sw_str_eqc(s, "||") || sw_str_eqc(s, "&");
}

static void print_elements(const struct opts *o, size_t lineno, struct shtok *t, struct features *f)
{
	uint32_t from = 0;

	for (uint32_t i = 0; i <= t->n; i++) {
		if (i < t->n && !is_list_op(shtok_get(t, i)))
			continue;
		if (i == t->n && from == 0)
			return; /* no list operator: the line is its only element */
		if (i > from) {
			features_extract_range(t, from, i, o->bits, f);
			printf("%zu\t", lineno);
			print_buckets(f);
		}
		from = i + 1;
	}
}

static void print_line(const struct opts *o, struct shtok *t, struct features *f)
{
	if (o->tokens) {
		for (uint32_t i = 0; i < t->n; i++) {
			struct sw_str s = shtok_get(t, i);

			printf("%s%.*s", i ? " " : "", (int)s.len, s.p);
		}
		putchar('\n');
	} else {
		features_extract(t, o->bits, f);
		print_buckets(f);
	}
}

int main(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, NULL,
		"Print the features (or --tokens) of each command line read on stdin.", 0, 0, 0 };
	struct opts o = { .bits = 18 };
	struct shtok *t = malloc(sizeof(*t));
	struct features *f = malloc(sizeof(*f));
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t n;

	argp_err_exit_status = 2;
	argp_parse(&argp, argc, argv, 0, NULL, &o);
	if (!t || !f)
		return 1;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n > 0 && line[n - 1] == '\n')
			n--;
		shtok_run(t, line, (size_t)n);
		if (o.elements)
			print_elements(&o, lineno++, t, f);
		else
			print_line(&o, t, f);
	}
	free(line);
	free(t);
	free(f);
	return ferror(stdout) ? 1 : 0;
}
