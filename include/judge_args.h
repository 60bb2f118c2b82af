/* judge_args.h: the options `run` and `replay` share to configure the judge (--rules, --model,
 * --threshold, --no-score, --hold, --engine, --exceptions, --min-severity, --show-suppressed,
 * --baseline, --max-procs), as one argp child parser, and the loading of the rules, model, exceptions and
 * baseline they name. */
#ifndef SW_JUDGE_ARGS_H
#define SW_JUDGE_ARGS_H

#include <argp.h>
#include <stdbool.h>
#include <stdint.h>
#include "judge.h"
#include "model.h"
#include "rules.h"

struct judge_args {
	const char *rules_path, *model_path, *exceptions_path;
	double threshold;            /* < 0: the model's own */
	bool no_score, pww, show_suppressed;
	enum severity min_severity;
	uint64_t hold_ns;
	uint32_t max_procs;          /* --max-procs; 0: the command's default */
	struct ruleset rules;
	struct model model;
	const struct model *m;
	struct policy *policy;
	const char *baseline_path;
	struct baseline *baseline;   /* --baseline: loaded, owned */
};

/* A child parser: its input is a struct judge_args (state->child_inputs[i] at ARGP_KEY_INIT). */
extern const struct argp judge_argp;

void judge_args_init(struct judge_args *a);
/* Load the rules, the model, the exceptions (--exceptions, else /etc/shellwatch/exceptions.conf
 * when it exists) and the baseline, and set o's rules, model, threshold, engine mode, hold, policy,
 * baseline and severity.
 * Errors are printed as "CMD: why"; returns 0, SW_EXIT_USAGE or SW_EXIT_RUNTIME. */
int judge_args_apply(struct judge_args *a, const char *cmd, struct judge_opts *o);
void judge_args_free(struct judge_args *a);

#endif /* SW_JUDGE_ARGS_H */
