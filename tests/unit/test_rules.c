/* test_rules.c: the pattern-language parser: the built-in rules, the parts of an item, and syntax
 * errors that name file:line:column. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rules.h"
#include "tap.h"

static char err[256];

static int parse(struct ruleset *rs, const char *text)
{
	memset(rs, 0, sizeof(*rs));
	return rules_parse(rs, text, strlen(text), "r.rules", err, sizeof(err));
}

static void test_defaults(void)
{
	struct ruleset rs = { 0 };

	CHECKF(rules_load_default(&rs, err, sizeof(err)) == 0, "%s", err);
	CHECK(rs.nrules >= 2 && !strcmp(rs.rules[0].name, "reverse-shell"));
	CHECK(rules_call_id(&rs, rule_hash("dup2", 4)) >= 0 && rules_call_id(&rs, rule_hash("read", 4)) < 0);
	rules_free(&rs);
}

static void test_seed_pattern(void)
{
	struct ruleset rs;
	const struct rule *r;

	CHECKF(parse(&rs, "# the seed\nrule bind\naccept fd=x => y\n"
			  "dup fd=y => 0 | dup fd=y => 1 | dup fd=y => 2\nexecve exe=z\n") == 0, "%s", err);
	r = &rs.rules[0];
	CHECK(rs.nrules == 1 && r->nsteps == 3 && r->nitems == 5 && r->nvars == 3);
	CHECK(r->step_start[1] == 1 && r->step_start[2] == 4 && r->step_start[3] == 5);
	CHECK(r->items[0].ncons == 1 && r->items[0].cons[0].v.var == 0 && r->items[0].has_ret);
	CHECK(r->items[1].ret.var == -1 && r->items[1].ret.nalts == 1 &&
	      r->items[1].ret.alts[0] == rule_hash("0", 1));
	rules_free(&rs);
}

static void test_extensions(void)
{
	struct ruleset rs;
	const struct rule_item *it;

	CHECKF(parse(&rs, "rule a\nwithin 50\nwithin 2s\n"
			  "dup|dup2|fcntl fd=* family?=inet|inet6 name=\"two words\" => y:0|1|2\n"
			  "* => x\n") == 0, "%s", err);
	it = &rs.rules[0].items[0];
	CHECK(rs.rules[0].within_count == 50 && rs.rules[0].within_ns == 2000000000ULL);
	CHECK(__builtin_popcountll(it->calls) == 3 && it->ncons == 3);
	CHECK(it->cons[0].v.any && it->cons[1].optional && it->cons[1].v.nalts == 2);
	CHECK(it->cons[2].v.alts[0] == rule_hash("two words", 9));
	CHECK(it->ret.var == 0 && it->ret.nalts == 3);
	CHECK(rs.rules[0].items[1].calls == 0); /* "*": any call */
	rules_free(&rs);
}

static void test_errors(void)
{
	static const struct { const char *text, *where; } cases[] = {
		{ "dup fd=x\n", "r.rules:1:1:" },
		{ "rule a\n\ndup fd\n", "r.rules:3:5:" },
		{ "rule a\ndup fd=x =>\n", "r.rules:2:10:" },
		{ "rule a\ndup fd=x | | execve\n", "r.rules:2:12:" },
		{ "rule a\nDup fd=1\n", "r.rules:2:1:" },
		{ "rule a\ndup fd=\"x\n", "r.rules:2:8:" },
		{ "rule a\nwithin 5h\n", "r.rules:2:9:" },
		{ "rule a\nwithin -1\n", "r.rules:2:8:" },
		{ "rule a\nrule b\nexecve\n", "r.rules:2:1:" },
		{ "rule a\nexecve\nrule a\nexecve\n", "r.rules:3:6:" },
		{ "rule a\ndup fd=1||2\n", "r.rules:2:10:" },
		{ "rule\n", "r.rules:1:1:" },
		{ "", "r.rules: no rules" },
	};
	struct ruleset rs;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = parse(&rs, cases[i].text);

		CHECKF(rc == -1 && !strncmp(err, cases[i].where, strlen(cases[i].where)),
		       "case %zu: rc %d, '%s', want '%s'", i, rc, err, cases[i].where);
		rules_free(&rs);
	}
}

static void test_file(void)
{
	struct ruleset rs = { 0 };
	char path[] = "/tmp/sw-rules-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	fputs("rule x\nexecve\n\nrule y\nconnect fd=\n", f);
	fclose(f);
	CHECK(rules_load_file(&rs, path, err, sizeof(err)) == -1);
	CHECKF(strstr(err, ":5:12: empty value") != NULL, "%s", err);
	rules_free(&rs);
	unlink(path);
	CHECK(rules_load_file(&rs, "/nonexistent/r", err, sizeof(err)) == -1 && strstr(err, "No such"));
}

int main(void)
{
	RUN(test_defaults);
	RUN(test_seed_pattern);
	RUN(test_extensions);
	RUN(test_errors);
	RUN(test_file);
	return tap_done();
}
