/* cmd_baseline.c: `shellwatch baseline learn` and `shellwatch baseline score`: learn what each
 * interpreter's command lines look like on this host into a baseline file, and score command
 * lines against one (docs/baseline.md). A thin shell around include/baseline.h: options, inputs
 * (include/bl_input.h; `learn --live` is baseline_live.c), the report, the output. */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "baseline.h"
#include "baseline_live.h"
#include "bl_input.h"
#include "commands.h"
#include "duration.h"
#include "trace_read.h"
#include "tsv.h"

#define MAX_INPUTS 256

enum { OPT_FEATURES = 1200, OPT_UNSEEN, OPT_SEED, OPT_TREES, OPT_SAMPLE, OPT_CONTAM, OPT_MIN,
       OPT_OUTLIERS };

struct learn_args {
	struct baseline_opts o;
	enum bl_format fmt;
	bool all;                    /* --group all: one group of every command line */
	const char *out;
	const char *in[MAX_INPUTS];
	unsigned nin;
	uint64_t live_ns;
};

static const struct argp_option learn_options[] = {
	{ "format", 'f', "lines|auditd|trace", 0, "input format: one command line a line (default), "
	  "an auditd log (EXECVE records), or a text trace (its execs)", 0 },
	{ "group", 'g', "interpreter|all", 0, "group the lines by what ran them (default), or learn "
	  "every line as one group (to see why that does not work: docs/baseline.md)", 0 },
	{ "output", 'o', "FILE", 0, "write the baseline to FILE (required)", 0 },
	{ "live", 'l', "DURATION", 0, "learn from this host's execs for DURATION (10s, 30m, 8h, "
	  "7d; Ctrl-C ends it early), instead of files; needs root", 0 },
	{ "features", OPT_FEATURES, "tokens|hashed", 0, "the keys of a line: its tokens (default) or "
	  "the scoring model's hashed features", 0 },
	{ "unseen", OPT_UNSEEN, "isolate|ignore", 0, "tokens never seen in the group isolate a line "
	  "(default), or are ignored as scikit-learn does", 0 },
	{ "seed", OPT_SEED, "N", 0, "random seed (default 1): the same seed and input give the same "
	  "file", 0 },
	{ "trees", OPT_TREES, "N", 0, "trees per group (default 100)", 0 },
	{ "sample", OPT_SAMPLE, "N", 0, "lines each tree is grown on (default 256)", 0 },
	{ "contamination", OPT_CONTAM, "C", 0, "share of the training lines scoring above the "
	  "group's threshold (default 0.001)", 0 },
	{ "min-lines", OPT_MIN, "N", 0, "a group with fewer lines is reported and not learnt "
	  "(default 50)", 0 },
	{ 0 }
};

static unsigned long num(struct argp_state *state, const char *arg, unsigned long lo,
			 unsigned long hi, const char *what)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < lo || v > hi)
		argp_error(state, "%s takes a whole number from %lu to %lu, not '%s'", what, lo, hi,
			   arg);
	return v;
}

static error_t learn_opt(int key, char *arg, struct argp_state *state)
{
	struct learn_args *a = state->input;
	char *end;

	switch (key) {
	case 'f':
		if (bl_format_of(arg, &a->fmt))
			argp_error(state, "--format is lines, auditd or trace, not '%s'", arg);
		break;
	case 'g':
		if (strcmp(arg, "interpreter") && strcmp(arg, "all"))
			argp_error(state, "--group is interpreter or all, not '%s'", arg);
		a->all = !strcmp(arg, "all");
		break;
	case 'o': a->out = arg; break;
	case 'l':
		if (parse_amount(arg, true, 1000000000ull, &a->live_ns))
			argp_error(state, "--live takes a duration (seconds, or 500ms, 30m, 8h, 7d), "
					  "not '%s'", arg);
		break;
	case OPT_FEATURES:
		if (bl_features_of(arg, &a->o.features))
			argp_error(state, "--features is tokens or hashed, not '%s'", arg);
		break;
	case OPT_UNSEEN:
		if (strcmp(arg, "isolate") && strcmp(arg, "ignore"))
			argp_error(state, "--unseen is isolate or ignore, not '%s'", arg);
		a->o.ignore_unseen = !strcmp(arg, "ignore");
		break;
	case OPT_SEED: a->o.seed = num(state, arg, 0, ULONG_MAX, "--seed"); break;
	case OPT_TREES: a->o.trees = (uint32_t)num(state, arg, 1, 10000, "--trees"); break;
	case OPT_SAMPLE: a->o.sample = (uint32_t)num(state, arg, 2, 65536, "--sample"); break;
	case OPT_MIN: a->o.min_lines = (uint32_t)num(state, arg, 1, UINT32_MAX, "--min-lines"); break;
	case OPT_CONTAM:
		errno = 0;
		a->o.contamination = strtod(arg, &end);
		if (errno || end == arg || *end || !(a->o.contamination >= 0) ||
		    a->o.contamination > 0.5)
			argp_error(state, "--contamination takes a number from 0 to 0.5, not '%s'", arg);
		break;
	case ARGP_KEY_ARG:
		if (a->nin == MAX_INPUTS)
			argp_error(state, "at most %d input files", MAX_INPUTS);
		a->in[a->nin++] = arg;
		break;
	case ARGP_KEY_END:
		if (!a->out)
			argp_error(state, "--output FILE is required");
		if (!a->nin == !a->live_ns)
			argp_error(state, a->nin ? "input files or --live, not both" :
						   "no input: FILE... or --live DURATION");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp learn_argp = { learn_options, learn_opt, "FILE...",
	"Learn what each interpreter's command lines look like on this host.\v"
	"Groups command lines by what ran them (python, perl, ruby, php, node, awk, lua, tcl, and "
	"shells given -c), fits an Isolation Forest per group and writes the baseline file. Groups "
	"with fewer than --min-lines lines are reported and not learnt. A FILE of - is standard "
	"input; files may be gzip-compressed. docs/baseline.md.", NULL, NULL, NULL };

static void learn_one(void *ctx, const struct bl_cmd *c, const char *shown, size_t len)
{
	(void)shown, (void)len;
	if (baseline_learner_add(ctx, c) == -2)
		fprintf(stderr, "shellwatch baseline learn: out of memory: line not learnt\n");
}

static int learn_files(struct learn_args *a, struct baseline_learner *l)
{
	struct bl_input_stats st = { 0 };

	for (unsigned i = 0; i < a->nin; i++)
		if (bl_input_read(a->in[i], a->fmt, learn_one, l, &st)) {
			fprintf(stderr, "shellwatch baseline learn: %s: %s\n", a->in[i],
				strerror(errno));
			return SW_EXIT_RUNTIME;
		}
	if (st.bad || st.partial || st.cut)
		fprintf(stderr, "shellwatch baseline learn: %llu bad records or lines, %llu incomplete "
			"commands, %llu lines cut to %u KiB (learnt as far as known)\n",
			(unsigned long long)st.bad, (unsigned long long)st.partial,
			(unsigned long long)st.cut, SW_LINE_MAX >> 10);
	return SW_EXIT_OK;
}

static void report(const struct baseline *b)
{
	struct baseline_opts o;

	baseline_options(b, &o);
	for (unsigned i = 0; i < baseline_ngroups(b); i++) {
		struct baseline_group_info gi;

		baseline_group_info(b, i, &gi);
		if (!gi.lines)
			continue;
		fprintf(stderr, "shellwatch baseline learn: %s: %llu lines (%llu distinct)",
			gi.def->name, (unsigned long long)gi.lines, (unsigned long long)gi.distinct);
		if (gi.learnt)
			fprintf(stderr, ", %u keys, %u columns, threshold %.4f\n", gi.vocab, gi.columns,
				gi.threshold);
		else
			fprintf(stderr, ": too few to learn from (--min-lines %u), not learnt\n",
				o.min_lines);
	}
	fprintf(stderr, "shellwatch baseline learn: %llu lines in no group\n",
		(unsigned long long)baseline_ungrouped(b));
}

/* Written to FILE.tmp, then renamed: a reader never sees half a baseline. */
static int write_file(const struct baseline *b, const char *path)
{
	size_t n = strlen(path) + 8;
	char *tmp = malloc(n);
	FILE *f;
	int rc = -1;

	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmp", path);
	if ((f = fopen(tmp, "w"))) {
		rc = baseline_save(b, f);
		rc = fclose(f) || rc ? -1 : rename(tmp, path);
		if (rc)
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

static int learn(int argc, char **argv)
{
	static const struct bl_group_def all = { "all", "*", BL_SRC_ANY };
	struct learn_args a = { .o = baseline_opts_default() };
	struct baseline_learner *l;
	struct baseline *b;
	int rc;

	if (argp_parse(&learn_argp, argc, argv, 0, NULL, &a))
		return SW_EXIT_USAGE;
	if (!(l = baseline_learner_new(&a.o, a.all ? &all : NULL, a.all ? 1 : 0))) {
		fprintf(stderr, "shellwatch baseline learn: out of memory\n");
		return SW_EXIT_RUNTIME;
	}
	rc = a.live_ns ? baseline_live_learn(l, a.live_ns) : learn_files(&a, l);
	if (rc) {
		baseline_learner_free(l);
		return rc;
	}
	if (!(b = baseline_learner_finish(l))) {
		fprintf(stderr, "shellwatch baseline learn: out of memory\n");
		return SW_EXIT_RUNTIME;
	}
	report(b);
	rc = write_file(b, a.out);
	if (rc)
		fprintf(stderr, "shellwatch baseline learn: cannot write %s: %s\n", a.out,
			strerror(errno));
	baseline_free(b);
	return rc ? SW_EXIT_RUNTIME : SW_EXIT_OK;
}

/* ---- score -------------------------------------------------------------------------------- */

struct score_args {
	enum bl_format fmt;
	bool explain, outliers;
	const char *path, *input;
};

struct scoring {
	const struct score_args *a;
	const struct baseline *b;
	uint64_t lines, scored, outliers;
};

static const struct argp_option score_options[] = {
	{ "format", 'f', "lines|auditd|trace", 0, "input format (as for learn)", 0 },
	{ "explain", 'e', NULL, 0, "add a column: the tokens never seen in the line's group, then "
	  "its rare ones with the number of training lines that had them", 0 },
	{ "outliers", OPT_OUTLIERS, NULL, 0, "print only the lines above their group's threshold",
	  0 },
	{ 0 }
};

static error_t score_opt(int key, char *arg, struct argp_state *state)
{
	struct score_args *a = state->input;

	switch (key) {
	case 'f':
		if (bl_format_of(arg, &a->fmt))
			argp_error(state, "--format is lines, auditd or trace, not '%s'", arg);
		break;
	case 'e': a->explain = true; break;
	case OPT_OUTLIERS: a->outliers = true; break;
	case ARGP_KEY_ARG:
		if (!a->path)
			a->path = arg;
		else if (!a->input)
			a->input = arg;
		else
			argp_error(state, "one baseline and one input file");
		break;
	case ARGP_KEY_END:
		if (!a->path)
			argp_error(state, "no baseline file");
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

static const struct argp score_argp = { score_options, score_opt, "BASELINE [FILE|-]",
	"Score command lines against a baseline: how unusual each is for its group.\v"
	"Prints `score<TAB>group<TAB>command` for every input command, in input order: the score "
	"in (0,1] (above about 0.6 is rare; the group's threshold decides, --outliers), `-` as "
	"score for a group that was not learnt, `-` as group and score for a line in no group. "
	"The command is escaped like `shellwatch score` does. Reads FILE, or standard input when FILE "
	"is - or missing.", NULL, NULL, NULL };

static void put_explain(const struct baseline_explain *ex)
{
	for (uint32_t i = 0; i < ex->n; i++) {
		fputs(i == 0 ? (ex->unseen ? "unseen: " : "rare: ") :
		      i == ex->unseen ? "; rare: " : ", ", stdout);
		tsv_put(stdout, ex->item[i].text, strlen(ex->item[i].text));
		if (i >= ex->unseen)
			printf(" %llu/%llu", (unsigned long long)ex->item[i].df,
			       (unsigned long long)ex->lines);
	}
}

static void score_one(void *ctx, const struct bl_cmd *c, const char *shown, size_t len)
{
	struct scoring *s = ctx;
	struct baseline_result r;
	struct baseline_explain ex;
	struct baseline_group_info gi;

	baseline_score(s->b, c, &r, s->a->explain ? &ex : NULL);
	s->lines++;
	s->scored += r.learnt;
	s->outliers += r.outlier;
	if (s->a->outliers && !r.outlier)
		return;
	if (r.group >= 0)
		baseline_group_info(s->b, (unsigned)r.group, &gi);
	if (r.learnt)
		printf("%.6f\t%s\t", r.score, gi.def->name);
	else
		printf("-\t%s\t", r.group >= 0 ? gi.def->name : "-");
	tsv_put(stdout, shown, len);
	if (s->a->explain && r.learnt) {
		putchar('\t');
		put_explain(&ex);
	}
	putchar('\n');
}

static int score(int argc, char **argv)
{
	struct score_args a = { 0 };
	struct scoring s = { .a = &a };
	struct bl_input_stats st = { 0 };
	struct baseline *b;
	char err[512];
	int rc = SW_EXIT_OK;

	if (argp_parse(&score_argp, argc, argv, 0, NULL, &a))
		return SW_EXIT_USAGE;
	if (!(b = baseline_load_file(a.path, err, sizeof(err)))) {
		fprintf(stderr, "shellwatch baseline score: %s\n", err);
		return SW_EXIT_USAGE;
	}
	s.b = b;
	if (bl_input_read(a.input ? a.input : "-", a.fmt, score_one, &s, &st)) {
		fprintf(stderr, "shellwatch baseline score: %s: %s\n", a.input ? a.input : "stdin",
			strerror(errno));
		rc = SW_EXIT_RUNTIME;
	}
	baseline_free(b);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "shellwatch baseline score: write error\n");
		return SW_EXIT_RUNTIME;
	}
	fprintf(stderr, "shellwatch baseline score: %llu lines, %llu in learnt groups, %llu "
		"outliers\n", (unsigned long long)s.lines, (unsigned long long)s.scored,
		(unsigned long long)s.outliers);
	return rc;
}

/* ---- baseline ----------------------------------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f, "Usage: shellwatch baseline learn [OPTION...] FILE... -o BASELINE\n"
		   "  or:  shellwatch baseline learn --live DURATION -o BASELINE\n"
		   "  or:  shellwatch baseline score [OPTION...] BASELINE [FILE|-]\n\n");
}

int cmd_baseline(int argc, char **argv)
{
	static char name[64];

	if (argc > 1 && (!strcmp(argv[1], "learn") || !strcmp(argv[1], "score"))) {
		snprintf(name, sizeof(name), "shellwatch baseline %s", argv[1]);
		argv[1] = name;
		return !strcmp(argv[1] + 20, "learn") ? learn(argc - 1, argv + 1)
						      : score(argc - 1, argv + 1);
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		argp_help(&learn_argp, stdout, ARGP_HELP_STD_HELP, "shellwatch baseline learn");
		putchar('\n');
		argp_help(&score_argp, stdout, ARGP_HELP_STD_HELP, "shellwatch baseline score");
		return SW_EXIT_OK;
	}
	usage(stderr);
	fprintf(stderr, "`shellwatch baseline --help` lists the options.\n");
	return SW_EXIT_USAGE;
}
