/* cmd_score.c: `shellwatch score`: score command lines (one a line, or auditd EXECVE records) for
 * how likely they are malicious and print `score<TAB>command` for each, in input order. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "auditd_read.h"
#include "commands.h"
#include "score.h"
#include "tsv.h"
#include "trace_read.h"

struct score_opts {
	const char *input;       /* NULL or "-": stdin */
	const char *model_path;
	bool auditd, explain, thr_model;
	double threshold;        /* print only lines scoring >= this; 0 prints all */
};

struct score_ctx {
	const struct score_opts *o;
	const struct model *m;
	FILE *out;
	struct auditd_reader *ar; /* --format auditd */
	char *cmd;               /* auditd command line buffer */
	size_t cmd_cap;
	double thr;
};

static const struct argp_option options[] = {
	{ "format", 'f', "lines|auditd", 0,
	  "input format: one command per line (default), or auditd log with EXECVE records", 0 },
	{ "explain", 'e', NULL, 0,
	  "add a third column: the tokens (or token pairs) with the largest weights, signed", 0 },
	{ "threshold", 't', "X|model", 0,
	  "print only commands scoring at or above X (0..1); 'model' uses the model's suggested "
	  "threshold (false-positive rate 1e-3 on its validation data). Default: print all", 0 },
	{ "model", 'm', "FILE", 0, "score with the model in FILE instead of the built-in one", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct score_opts *o = state->input;
	char *end;

	switch (key) {
	case 'f':
		if (strcmp(arg, "lines") && strcmp(arg, "auditd"))
			argp_error(state, "--format must be lines or auditd, not '%s'", arg);
		o->auditd = !strcmp(arg, "auditd");
		return 0;
	case 'e':
		o->explain = true;
		return 0;
	case 't':
		o->thr_model = !strcmp(arg, "model");
		errno = 0;
		o->threshold = o->thr_model ? 0 : strtod(arg, &end);
		if (!o->thr_model && (errno || end == arg || *end || !(o->threshold >= 0) ||
				      o->threshold > 1))
			argp_error(state, "--threshold must be a number in [0,1] or 'model', not '%s'", arg);
		return 0;
	case 'm':
		o->model_path = arg;
		return 0;
	case ARGP_KEY_ARG:
		if (o->input)
			argp_error(state, "only one input file");
		o->input = arg;
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static void score_one(struct score_ctx *c, const char *cmd, size_t len)
{
	struct score_explain ex;
	double s = score_cmdline(c->m, cmd, len, c->o->explain ? &ex : NULL);

	if (s < c->thr)
		return;
	fprintf(c->out, "%.6f\t", s);
	tsv_put(c->out, cmd, len);
	for (uint32_t i = 0; c->o->explain && i < ex.n; i++) {
		fputs(i ? ", " : "\t", c->out);
		tsv_put(c->out, ex.item[i].text, strlen(ex.item[i].text));
		fprintf(c->out, " (%+.2f)", ex.item[i].weight);
	}
	putc('\n', c->out);
}

static void on_exec(void *ctx, const struct auditd_exec *ex)
{
	struct score_ctx *c = ctx;
	size_t n = auditd_cmdline_grow(ex, &c->cmd, &c->cmd_cap);

	score_one(c, c->cmd ? c->cmd : "", n);   /* out of memory: what fits, not nothing */
}

static int on_line(void *ctx, char *line, size_t len, bool cut)
{
	struct score_ctx *c = ctx;

	if (c->ar && cut)
		auditd_feed_cut(c->ar);
	else if (c->ar)
		auditd_feed_line(c->ar, line, len);
	else
		score_one(c, line, len);  /* a cut line: scored on its first SW_LINE_MAX bytes */
	return 0;
}

static void auditd_done(struct score_ctx *c)
{
	const struct auditd_stats *st = auditd_stats(c->ar);

	auditd_finish(c->ar);
	if (st->bad_records || st->partial_events)
		fprintf(stderr, "shellwatch score: auditd: %llu bad records, %llu "
			"incomplete commands (scored as far as known)\n",
			(unsigned long long)st->bad_records, (unsigned long long)st->partial_events);
	auditd_free(c->ar);
}

/* Every line of in (trace_read_lines: at most SW_LINE_MAX bytes, the rest skipped). */
static int run(struct score_ctx *c, FILE *in, const char *name)
{
	struct sw_read_stats st = { 0 };
	int rc;

	c->ar = c->o->auditd ? auditd_new(on_exec, c) : NULL;
	if (c->o->auditd && !c->ar) {
		fprintf(stderr, "shellwatch score: out of memory\n");
		return -1;
	}
	rc = trace_read_lines(in, name, on_line, c, &st);
	if (c->ar)
		auditd_done(c);
	if (st.cut && !c->o->auditd)
		fprintf(stderr, "shellwatch score: %s: %llu lines longer than 256 KiB: scored on "
			"their start, %llu bytes skipped\n", name, (unsigned long long)st.cut,
			(unsigned long long)st.skipped);
	free(c->cmd);
	return rc;
}

static const struct model *pick_model(const struct score_opts *o, struct model *own)
{
	char err[512];

	if (!o->model_path)
		return score_model_default();
	if (model_load_file(own, o->model_path, err, sizeof(err))) {
		fprintf(stderr, "shellwatch score: %s\n", err);
		return NULL;
	}
	return own;
}

int cmd_score(int argc, char **argv)
{
	static const struct argp argp = { options, parse_opt, "[FILE|-]",
		"Score command lines for how likely they are malicious, 0 (benign) to 1.\v"
		"Prints `score<TAB>command` for every input command, in input order; the command is "
		"escaped (\\\\ \\t \\n \\r \\xHH) so each result is one line. With --format auditd, "
		"each EXECVE event (records joined by event id) is one command, its arguments quoted "
		"for the shell. Reads FILE, or standard input when FILE is - or missing.", 0, 0, 0 };
	struct score_opts o = { 0 };
	struct score_ctx c = { .o = &o, .out = stdout };
	struct model own = { 0 };
	FILE *in = stdin;
	int rc;

	if (argp_parse(&argp, argc, argv, 0, NULL, &o))
		return SW_EXIT_USAGE;
	c.m = pick_model(&o, &own);
	if (!c.m)   /* a file named on the command line that cannot be used: a usage error */
		return o.model_path ? SW_EXIT_USAGE : SW_EXIT_RUNTIME;
	c.thr = o.thr_model ? c.m->threshold : o.threshold;
	if (o.input && strcmp(o.input, "-") && !(in = fopen(o.input, "rb"))) {
		fprintf(stderr, "shellwatch score: %s: %s\n", o.input, strerror(errno));
		model_free(&own);
		return SW_EXIT_RUNTIME;
	}
	rc = run(&c, in, o.input && strcmp(o.input, "-") ? o.input : "<stdin>");
	if (in != stdin)
		fclose(in);
	model_free(&own);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "shellwatch score: write error\n");
		return SW_EXIT_RUNTIME;
	}
	return rc ? SW_EXIT_RUNTIME : SW_EXIT_OK;
}
