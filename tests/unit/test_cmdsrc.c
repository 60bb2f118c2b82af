/* test_cmdsrc.c: where each interpreter takes its commands from (user/judge/cmdsrc.c), by its
 * own argument rules, one table row per case: shells, busybox, python, perl, ruby, php, node, lua,
 * tclsh, awk; the stdin spellings; the option arguments that are not scripts. */
#include <string.h>
#include "cmdsrc.h"
#include "tap.h"

struct row {
	const char *argv;
	enum cmd_source want;
	const char *arg;    /* the code or script expected, NULL: not checked */
};

static void check_rows(enum interp_kind k, const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct cmdsrc c = cmdsrc_of(k, rows[i].argv, strlen(rows[i].argv));

		CHECKF(c.src == rows[i].want, "%s: %s, want %s", rows[i].argv, cmdsrc_name(c.src),
		       cmdsrc_name(rows[i].want));
		if (rows[i].arg)
			CHECKF(c.arg && c.arg_len == strlen(rows[i].arg) &&
				       !memcmp(c.arg, rows[i].arg, c.arg_len),
			       "%s: arg '%.*s', want '%s'", rows[i].argv, (int)c.arg_len,
			       c.arg ? c.arg : "", rows[i].arg);
	}
}

#define ROWS(k, ...)                                                              \
	do {                                                                      \
		static const struct row r_[] = { __VA_ARGS__ };                   \
		check_rows(k, r_, sizeof(r_) / sizeof(r_[0]));                    \
	} while (0)

static void test_shells(void)
{
	ROWS(INTERP_SHELL,
	     { "sh", CMDSRC_STDIN, NULL }, { "bash -i", CMDSRC_STDIN, NULL },
	     { "/bin/sh -i", CMDSRC_STDIN, NULL }, { "-bash", CMDSRC_STDIN, NULL },
	     { "bash --norc --noprofile -i", CMDSRC_STDIN, NULL },
	     { "sh -s arg1 arg2", CMDSRC_STDIN, NULL }, { "sh -", CMDSRC_STDIN, NULL },
	     { "bash /dev/stdin", CMDSRC_STDIN, NULL }, { "dash /proc/self/fd/0", CMDSRC_STDIN, NULL },
	     { "bash -c echo hi", CMDSRC_STRING, "echo hi" }, { "sh -ic id", CMDSRC_STRING, "id" },
	     { "bash -lc make test", CMDSRC_STRING, "make test" },
	     { "zsh -o errexit -c true", CMDSRC_STRING, "true" },
	     { "sh script.sh", CMDSRC_FILE, "script.sh" },
	     { "/bin/sh /usr/lib/cgi-bin/x.cgi", CMDSRC_FILE, "/usr/lib/cgi-bin/x.cgi" },
	     { "bash -e -x ./build.sh --fast", CMDSRC_FILE, "./build.sh" },
	     { "bash --rcfile /etc/x script", CMDSRC_FILE, "script" },
	     { "ksh -- -odd-name", CMDSRC_FILE, "-odd-name" },
	     { "bash +o history", CMDSRC_STDIN, NULL }, { "mksh -o vi", CMDSRC_STDIN, NULL });
	ROWS(INTERP_BUSYBOX,
	     { "busybox sh", CMDSRC_STDIN, NULL }, { "busybox ash -c id", CMDSRC_STRING, "id" },
	     { "busybox sh /tmp/x", CMDSRC_FILE, "/tmp/x" });
}

static void test_python(void)
{
	ROWS(INTERP_PYTHON,
	     { "python3", CMDSRC_STDIN, NULL }, { "python3 -i", CMDSRC_STDIN, NULL },
	     { "python3 -", CMDSRC_STDIN, NULL }, { "python3 -u -", CMDSRC_STDIN, NULL },
	     { "python3 -c import os", CMDSRC_STRING, "import os" },
	     { "python -Sc print(1)", CMDSRC_STRING, "print(1)" },
	     { "python3 -W ignore x.py", CMDSRC_FILE, "x.py" },
	     { "python3 -m http.server 8000", CMDSRC_FILE, "http.server" },
	     { "/usr/bin/python3 -B -E /opt/app/main.py --port 1", CMDSRC_FILE, "/opt/app/main.py" });
}

static void test_perl_ruby_php(void)
{
	ROWS(INTERP_PERL,
	     { "perl", CMDSRC_STDIN, NULL }, { "perl -e print", CMDSRC_STRING, "print" },
	     { "perl -MIO::Socket -e x", CMDSRC_STRING, "x" },
	     { "perl -MEnglish x.pl", CMDSRC_FILE, "x.pl" }, { "perl -I lib t.pl", CMDSRC_FILE, "t.pl" },
	     { "perl -w /usr/bin/cloc", CMDSRC_FILE, "/usr/bin/cloc" });
	ROWS(INTERP_RUBY,
	     { "ruby", CMDSRC_STDIN, NULL }, { "ruby -rsocket -e c=1", CMDSRC_STRING, "c=1" },
	     { "ruby -r socket -e c=1", CMDSRC_STRING, "c=1" }, { "ruby app.rb", CMDSRC_FILE, "app.rb" });
	ROWS(INTERP_PHP,
	     { "php", CMDSRC_STDIN, NULL }, { "php -a", CMDSRC_STDIN, NULL },
	     { "php -r $s=1;", CMDSRC_STRING, "$s=1;" }, { "php -f index.php", CMDSRC_FILE, "index.php" },
	     { "php -d memory_limit=1G artisan", CMDSRC_FILE, "artisan" },
	     { "php-cgi", CMDSRC_STDIN, NULL });
}

static void test_node_lua_tcl_awk(void)
{
	ROWS(INTERP_NODE,
	     { "node", CMDSRC_STDIN, NULL }, { "node -i", CMDSRC_STDIN, NULL },
	     { "node -e require('x')", CMDSRC_STRING, "require('x')" },
	     { "node --eval 1+1", CMDSRC_STRING, "1+1" }, { "node -p 1", CMDSRC_STRING, "1" },
	     { "node -r dotenv/config server.js", CMDSRC_FILE, "server.js" },
	     { "node --require ts-node/register app.ts", CMDSRC_FILE, "app.ts" });
	ROWS(INTERP_LUA,
	     { "lua5.4", CMDSRC_STDIN, NULL }, { "lua -e x=1", CMDSRC_STRING, "x=1" },
	     { "lua -l socket r.lua", CMDSRC_FILE, "r.lua" }, { "lua -", CMDSRC_STDIN, NULL });
	ROWS(INTERP_TCL,
	     { "tclsh", CMDSRC_STDIN, NULL }, { "tclsh x.tcl", CMDSRC_FILE, "x.tcl" },
	     { "tclsh -encoding utf-8 x.tcl", CMDSRC_FILE, "x.tcl" });
	ROWS(INTERP_AWK,
	     { "awk {print}", CMDSRC_STRING, "{print}" },
	     { "gawk -F: {print $1} /etc/passwd", CMDSRC_STRING, "{print $1} /etc/passwd" },
	     { "awk -v x=1 BEGIN{}", CMDSRC_STRING, "BEGIN{}" },
	     { "gawk -f prog.awk data", CMDSRC_FILE, "prog.awk" },
	     { "awk -f /dev/stdin", CMDSRC_STDIN, NULL }, { "gawk --source BEGIN{}", CMDSRC_STRING, NULL });
}

static void test_not_interpreters(void)
{
	struct cmdsrc c = cmdsrc_of(INTERP_NONE, "ls -la", 6);

	CHECK(c.src == CMDSRC_NONE);
	c = cmdsrc_of(INTERP_SHELL, "", 0);
	CHECK(c.src == CMDSRC_STDIN);
}

int main(void)
{
	RUN(test_shells);
	RUN(test_python);
	RUN(test_perl_ruby_php);
	RUN(test_node_lua_tcl_awk);
	RUN(test_not_interpreters);
	return tap_done();
}
