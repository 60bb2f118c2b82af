/* rules.h: the pattern language (docs/rules.md) and its compiled form.
 *
 * A rule is a name, optional limits, and ordered steps; a step is one or more items joined by
 * " | " that must all occur, in any order. An item is a call (or alternatives a|b|c, or *), named
 * argument constraints and an optional "=> value" on the return value. Values are literals,
 * alternatives of literals, "*", variables (x, y, z1: bound at first use, equal after, and two
 * variables never bind the same value) or a constrained variable "y:0|1|2".
 *
 * Values are compared by a 64-bit hash of their text (rule_hash), so a stored event keeps only the
 * hashes of the arguments some rule names and the engine never allocates per event.
 */
#ifndef SW_RULES_H
#define SW_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RULE_MAX_ALTS 8
#define RULE_MAX_CONS 6     /* argument constraints per item */
#define RULE_MAX_ITEMS 16   /* items per rule, all steps together */
#define RULE_MAX_STEPS 8
#define RULE_MAX_VARS 16
#define RULE_MAX_CALLS 64   /* distinct call names in a rule set */
#define RULE_MAX_ARGNAMES 16 /* distinct argument names in a rule set */
#define RULE_NAME_MAX 64
#define RULE_MAX_RULES 256  /* rules in a rule set (the built-in set has 8) */
#define RULE_FILE_MAX (4u << 20) /* bytes of a rules file */

struct rule_value {
	int8_t var;          /* variable index, or -1 */
	bool any;            /* "*": anything (when no variable and no alternatives) */
	uint8_t nalts;       /* literal alternatives (a constraint on an unbound variable too) */
	uint64_t alts[RULE_MAX_ALTS];
};

struct rule_cons {
	uint8_t slot;        /* argument name index in the rule set */
	bool optional;       /* name?=value: only checked when the event has the argument */
	struct rule_value v;
};

struct rule_item {
	uint64_t calls;      /* bit i set: call id i matches; 0 means any call */
	uint8_t ncons;
	bool has_ret;
	struct rule_cons cons[RULE_MAX_CONS];
	struct rule_value ret;
};

struct rule {
	char name[RULE_NAME_MAX];
	uint8_t nsteps, nitems, nvars;
	uint8_t step_start[RULE_MAX_STEPS + 1]; /* items of step s: [step_start[s], step_start[s+1]) */
	struct rule_item items[RULE_MAX_ITEMS];
	uint64_t within_count;  /* max span in events (count mode), 0 = engine's L_max */
	uint64_t within_ns;     /* max span in ns (time mode), 0 = engine's L_max */
};

struct ruleset {
	struct rule *rules;
	unsigned nrules;
	unsigned ncalls, nargnames;
	char *calls[RULE_MAX_CALLS];
	char *argnames[RULE_MAX_ARGNAMES];
	uint64_t call_hash[RULE_MAX_CALLS];
	uint64_t arg_hash[RULE_MAX_ARGNAMES];
};

/* FNV-1a over the bytes: how values, call and argument names are compared. */
static inline uint64_t rule_hash(const char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)p[i]) * 0x100000001b3ULL;
	return h;
}

/* Parse rules from text; fname is used in messages. On a syntax error returns -1 and writes
 * "fname:line:column: reason" to err. rs must be zeroed or freed before. */
int rules_parse(struct ruleset *rs, const char *text, size_t len, const char *fname, char *err,
		size_t errlen);
/* Read and parse a file (err as above, or "path: strerror"). */
int rules_load_file(struct ruleset *rs, const char *path, char *err, size_t errlen);
/* The built-in rules (user/engine/rules_default.c); their text is rules_default_text. */
int rules_load_default(struct ruleset *rs, char *err, size_t errlen);
extern const char rules_default_text[];
void rules_free(struct ruleset *rs);

/* Call id of a call name, or -1 if no rule names it. Linear over at most 64 hashes. */
int rules_call_id(const struct ruleset *rs, uint64_t call_hash);
/* Argument slot of an argument name, or -1. */
int rules_arg_slot(const struct ruleset *rs, uint64_t name_hash);

#endif /* SW_RULES_H */
