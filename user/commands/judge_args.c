/* judge_args.c: the judge's options for `run` and `replay` (include/judge_args.h). */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "baseline.h"
#include "commands.h"
#include "duration.h"
#include "judge_args.h"
#include "score.h"

enum { OPT_NO_SCORE = 1100, OPT_ENGINE, OPT_HOLD, OPT_EXCEPTIONS, OPT_MIN_SEV, OPT_SHOW_SUPP,
       OPT_BASELINE, OPT_MAX_PROCS };

static const struct argp_option options[] = {
	{ "rules", 'r', "FILE", 0, "rules file (docs/rules.md) instead of the built-in rules", 0 },
	{ "model", 'm', "FILE", 0, "command-scoring model instead of the embedded one", 0 },
	{ "threshold", 't', "X", 0, "score in [0,1] at or above which a command line is suspicious "
				    "(default: the model's, chosen at FPR 1e-3)", 0 },
	{ "no-score", OPT_NO_SCORE, 0, 0, "do not score command lines", 0 },
	{ "engine", OPT_ENGINE, "MODE", 0, "rule search: incremental (default, earliest detection) "
					   "or pww (Progressive Window Widening, 50 ms batches)", 0 },
	{ "hold", OPT_HOLD, "MS", 0, "how long (in the events' time) a low or medium alert waits for "
				     "a high one in the same process tree: milliseconds, or with "
				     "a unit (ms, s); default 200", 0 },
	{ "min-severity", OPT_MIN_SEV, "LEVEL", 0, "print alerts of this severity and above: low "
						   "(the command score alone), medium (default), "
						   "high; the others are counted", 0 },
	{ "exceptions", OPT_EXCEPTIONS, "FILE", 0, "sanctioned servers and exceptions (docs/"
						   "exceptions.md); default " POLICY_DEFAULT_PATH
						   " when it exists", 0 },
	{ "baseline", OPT_BASELINE, "FILE", 0, "this host's baseline (`shellwatch baseline learn`, "
					       "docs/baseline.md): an exec unlike what its interpreter "
					       "runs here raises the anomaly signal", 0 },
	{ "max-procs", OPT_MAX_PROCS, "N", 0, "processes the judge tracks at once, 16 to 16777216 "
					      "(default 65536 for run, 16384 for replay; about 1 KiB "
					      "each); beyond it they are counted as untracked", 0 },
	{ "show-suppressed", OPT_SHOW_SUPP, 0, 0, "also print the alerts an exception suppressed, "
						  "marked with the line that matched", 0 },
	{ 0 }
};

static error_t parse_opt(int key, char *arg, struct argp_state *state)
{
	struct judge_args *a = state->input;
	char *end;

	switch (key) {
	case 'r': a->rules_path = arg; break;
	case 'm': a->model_path = arg; break;
	case 't':
		a->threshold = strtod(arg, &end);
		if (end == arg || *end || !(a->threshold >= 0 && a->threshold <= 1))
			argp_error(state, "--threshold takes a number from 0 to 1, not '%s'", arg);
		break;
	case OPT_NO_SCORE: a->no_score = true; break;
	case OPT_ENGINE:
		if (strcmp(arg, "pww") && strcmp(arg, "incremental"))
			argp_error(state, "--engine is pww or incremental, not '%s'", arg);
		a->pww = !strcmp(arg, "pww");
		break;
	case OPT_MIN_SEV:
		if (!(a->min_severity = severity_of_name(arg)))
			argp_error(state, "--min-severity is low, medium or high, not '%s'", arg);
		break;
	case OPT_EXCEPTIONS: a->exceptions_path = arg; break;
	case OPT_SHOW_SUPP: a->show_suppressed = true; break;
	case OPT_BASELINE: a->baseline_path = arg; break;
	case OPT_MAX_PROCS: {
		unsigned long long n = strtoull(arg, &end, 10);

		if (end == arg || *end || arg[0] == '-' || n < 16 || n > (1u << 24))
			argp_error(state, "--max-procs takes a number from 16 to 16777216, not '%s'",
				   arg);
		a->max_procs = (uint32_t)n;
		break;
	}
	case OPT_HOLD:
		if (!strcmp(arg, "0"))
			a->hold_ns = 0;
		else if (parse_amount(arg, true, 1000000, &a->hold_ns) || a->hold_ns > 60000000000ull)
			argp_error(state, "--hold takes milliseconds from 0 to 60000 (or a duration "
					  "like 500ms, 2s), not '%s'", arg);
		break;
	default:
		return ARGP_ERR_UNKNOWN;
	}
	return 0;
}

const struct argp judge_argp = { options, parse_opt, NULL, NULL, NULL, NULL, NULL };

void judge_args_init(struct judge_args *a)
{
	memset(a, 0, sizeof(*a));
	a->threshold = -1;
	a->hold_ns = judge_opts_default().hold_ns;
	a->min_severity = judge_opts_default().min_severity;
}

/* --exceptions FILE, else the default file when there is one, else the built-in servers. */
static int load_policy(struct judge_args *a, const char *cmd)
{
	const char *path = a->exceptions_path;
	char why[512];

	if (!path && access(POLICY_DEFAULT_PATH, F_OK) == 0)
		path = POLICY_DEFAULT_PATH;
	a->policy = path ? policy_load(path, why, sizeof(why)) : policy_default();
	if (!a->policy)
		fprintf(stderr, "%s: %s\n", cmd, path ? why : "out of memory");
	return a->policy ? 0 : SW_EXIT_USAGE;
}

int judge_args_apply(struct judge_args *a, const char *cmd, struct judge_opts *o)
{
	char err[512];

	if (a->rules_path ? rules_load_file(&a->rules, a->rules_path, err, sizeof(err))
			  : rules_load_default(&a->rules, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", cmd, err);
		return SW_EXIT_USAGE;
	}
	o->rules = &a->rules;
	o->engine.mode = a->pww ? ENGINE_PWW : ENGINE_INCREMENTAL;
	o->hold_ns = a->hold_ns;
	if (a->max_procs)
		o->max_procs = a->max_procs;
	o->min_severity = a->min_severity;
	o->show_suppressed = a->show_suppressed;
	if (load_policy(a, cmd))
		return SW_EXIT_USAGE;
	o->policy = a->policy;
	if (a->baseline_path &&
	    !(a->baseline = baseline_load_file(a->baseline_path, err, sizeof(err)))) {
		fprintf(stderr, "%s: %s\n", cmd, err);
		return SW_EXIT_USAGE;
	}
	o->baseline = a->baseline;
	if (a->no_score)
		return 0;
	if (a->model_path) {
		if (model_load_file(&a->model, a->model_path, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", cmd, err);
			return SW_EXIT_USAGE;
		}
		a->m = &a->model;
	} else if (!(a->m = score_model_default())) {
		return SW_EXIT_RUNTIME;
	}
	o->model = a->m;
	o->threshold = a->threshold >= 0 ? a->threshold : a->m->threshold;
	return 0;
}

void judge_args_free(struct judge_args *a)
{
	policy_free(a->policy);
	baseline_free(a->baseline);
	rules_free(&a->rules);
	if (a->m == &a->model)
		model_free(&a->model);
}
