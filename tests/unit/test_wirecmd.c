/* test_wirecmd.c: commands off the wire (user/sources/wirecmd.c): the forms the loops that run
 * received lines give their commands (popen's sh -c, perl's `LINE 2>&1 |`, a shell's eval, Tcl's
 * exec with braces, a batch of lines), and what must not match (other words, a prefix, binary
 * data, a line cut at the end of the kept bytes). */
#include <string.h>
#include "tap.h"
#include "wirecmd.h"

/* argv with ^ for its NULs: "sh^-c^id" is argv {"sh", "-c", "id"}. */
static int m(const char *recv, const char *argv_carets, int cut)
{
	char argv[512];
	size_t n = strlen(argv_carets);

	memcpy(argv, argv_carets, n + 1);
	for (size_t i = 0; i < n; i++)
		if (argv[i] == '^')
			argv[i] = '\0';
	return wirecmd_match(recv, strlen(recv), cut, argv, n + 1);
}

static void test_popen_forms(void)
{
	CHECK(m("id\n", "id", 0));                                 /* a program run as received */
	CHECK(m("uname -a\n", "uname^-a", 0));
	CHECK(m("ls -la /tmp\n", "/bin/sh^-c^ls -la /tmp\n", 0)); /* subprocess shell=True */
	CHECK(m("ls -la /tmp\r\n", "sh^-c^ls -la /tmp", 0));      /* popen, the line end dropped */
	CHECK(m("echo a; id\n", "sh^-c^echo a; id 2>&1 ", 0));    /* perl open(P, "$c 2>&1 |") */
	CHECK(m("cat /etc/passwd | head -3\n", "bash^-lc^cat /etc/passwd | head -3", 0));
	CHECK(m("echo 'a b'\n", "echo^a b", 0));                   /* quotes removed */
}

static void test_loops(void)
{
	CHECK(m("echo sw-pid=$PPID; id\n", "id", 0));              /* bash: eval "$l" runs `id` */
	CHECK(m("whoami && hostname\n", "hostname", 0));
	CHECK(m("sh -c {echo x=$PPID}\n", "sh^-c^echo x=$PPID", 0)); /* tclsh: exec with braces */
	CHECK(m("pwd\nid\n", "id", 0));                             /* a batch: the second line */
	CHECK(m("cat > /tmp/x\n", "cat", 0));                       /* redirections are not words */
}

static void test_no_match(void)
{
	CHECK(!m("id -u\n", "id", 0));                              /* other words */
	CHECK(!m("id\n", "id^-u", 0));
	CHECK(!m("sleep 5\n", "sleep^6", 0));
	CHECK(!m("GET / HTTP/1.1\r\nHost: x\r\n\r\n", "sh^-c^date", 0)); /* a web server's CGI */
	CHECK(!m("identify a.png\n", "id", 0));                    /* not a substring */
	CHECK(!m("ide", "id", 1));                                  /* a cut last line */
	CHECK(!m("id\x01\x02\n", "id", 0));                         /* not text */
	CHECK(!m("\xc3\xa9 id\n", "id", 0));
	CHECK(!m("", "id", 0));
	CHECK(!m("id\n", "", 0));
	CHECK(!m("echo a; id\n", "sh^-c^echo a", 0));               /* part of the list only */
	CHECK(m("'unterminated\n", "unterminated", 0));           /* a quote runs to the line end */
}

int main(void)
{
	RUN(test_popen_forms);
	RUN(test_loops);
	RUN(test_no_match);
	return tap_done();
}
