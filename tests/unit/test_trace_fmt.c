/* test_trace_fmt.c: trace-line formatting and quoting (spaces, quotes, newlines, non-UTF-8). */
#include <string.h>
#include "tap.h"
#include "trace_fmt.h"

static const char *put(const char *s, size_t len)
{
	static char buf[256];

	trace_put_value(buf, sizeof(buf), s, len);
	return buf;
}

static void test_bare_values(void)
{
	CHECK(!strcmp(put("/bin/sh", 7), "/bin/sh"));
	CHECK(!strcmp(put("a=b", 3), "a=b"));
	CHECK(!strcmp(put("h\xc3\xa9llo", 6), "h\xc3\xa9llo")); /* valid UTF-8 stays bare */
}

static void test_quoted_values(void)
{
	CHECK(!strcmp(put("", 0), "\"\""));
	CHECK(!strcmp(put("sh -i", 5), "\"sh -i\""));
	CHECKF(!strcmp(put("say \"hi\"", 8), "\"say \\\"hi\\\"\""), "%s", put("say \"hi\"", 8));
	CHECK(!strcmp(put("a\nb\tc\\", 6), "\"a\\nb\\tc\\\\\""));
	CHECK(!strcmp(put("\xff\x01", 2), "\"\\xff\\x01\""));
	CHECK(!strcmp(put("\xc3", 1), "\"\\xc3\""));        /* cut UTF-8 sequence */
	CHECK(!strcmp(put("\xed\xa0\x80", 3), "\"\\xed\\xa0\\x80\"")); /* surrogate */
	CHECK(!strcmp(put("a\0b", 3), "\"a\\x00b\""));
}

static void test_round_trip(void)
{
	const char *samples[] = { "", "x", "two words", "q\"uote", "back\\slash", "nl\nx",
				  "\xff\xfe bytes", "\xe2\x82\xac euro", "tab\there\r" };

	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t len = strlen(samples[i]) + (i == 0 ? 0 : 0), dlen = 0;
		char enc[128], dec[128];

		trace_put_value(enc, sizeof(enc), samples[i], len);
		if (enc[0] != '"') {
			CHECKF(strlen(enc) == len && !memcmp(enc, samples[i], len), "%s", enc);
			continue;
		}
		long used = trace_unquote(enc, strlen(enc), dec, sizeof(dec), &dlen);
		CHECKF(used == (long)strlen(enc), "sample %zu: used %ld of %zu", i, used, strlen(enc));
		CHECKF(dlen == len && !memcmp(dec, samples[i], len), "sample %zu", i);
	}
}

static void test_unquote_errors(void)
{
	char dec[16];
	size_t n;

	CHECK(trace_unquote("\"open", 5, dec, sizeof(dec), &n) == -1);
	CHECK(trace_unquote("\"bad\\q\"", 7, dec, sizeof(dec), &n) == -1);
	CHECK(trace_unquote("\"\\x4\"", 5, dec, sizeof(dec), &n) == -1);
	CHECK(trace_unquote("noquote", 7, dec, sizeof(dec), &n) == -1);
	CHECK(trace_unquote("\"ab\" rest", 9, dec, sizeof(dec), &n) == 4 && n == 2);
}

static void test_format_event(void)
{
	struct sw_event ev = { 0 };
	char line[256];

	ev.call = sw_str_c("dup2");
	ev.args[0] = (struct sw_arg){ sw_str_c("fd"), sw_str_c("4") };
	ev.args[1] = (struct sw_arg){ sw_str_c("newfd"), sw_str_c("0") };
	ev.nargs = 2;
	ev.ret = sw_str_c("0");
	ev.has_ret = true;
	trace_format(&ev, line, sizeof(line));
	CHECKF(!strcmp(line, "dup2 fd=4 newfd=0 => 0"), "%s", line);

	ev.has_pid = ev.has_time = true;
	ev.pid = 10, ev.ppid = 1, ev.uid = 0, ev.t_ns = 123;
	ev.args[1].val = sw_str_c("");
	trace_format(&ev, line, sizeof(line));
	CHECKF(!strcmp(line, "dup2 pid=10 ppid=1 t=123 fd=4 newfd=\"\" => 0"), "%s", line);
	ev.has_uid = true;   /* an unknown uid (strace) is left out, a known one written */
	trace_format(&ev, line, sizeof(line));
	CHECKF(!strcmp(line, "dup2 pid=10 ppid=1 uid=0 t=123 fd=4 newfd=\"\" => 0"), "%s", line);

	/* A cut line stays NUL-terminated and reports the length it needed. */
	size_t need = trace_format(&ev, line, 8);
	CHECK(need > 8 && strlen(line) == 7);
}

int main(void)
{
	RUN(test_bare_values);
	RUN(test_quoted_values);
	RUN(test_round_trip);
	RUN(test_unquote_errors);
	RUN(test_format_event);
	return tap_done();
}
