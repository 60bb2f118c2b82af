/* test_argl.c: arguments' boundaries beside a space-joined command line (include/argl.h). */
#include <string.h>
#include "argl.h"
#include "tap.h"

static struct sw_str s_(const char *s)
{
	return sw_str_c(s);
}

static void test_text(void)
{
	static const struct {
		const char *argv;   /* NUL-separated */
		size_t n;
		const char *want;   /* "" : not needed */
	} rows[] = {
		{ "sh\0-c\0echo hi", 13, "2,2,7" },   /* an argument with a space */
		{ "bash\0-i", 7, "" },                /* splits back by itself */
		{ "cat\0\0f", 6, "3,0,1" },           /* an empty argument */
		{ "\0x", 2, "0,1" },                  /* an empty first one */
		{ "a b", 3, "3" },                    /* one argument */
		{ "", 0, "" },                        /* no arguments */
	};
	char out[64];

	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		size_t k = argl_text(rows[i].argv, rows[i].n, out, sizeof(out));

		CHECKF(k == strlen(rows[i].want) && !strcmp(out, rows[i].want), "row %zu: '%s'", i,
		       out);
	}
	CHECK(argl_text("sh\0-c\0echo hi", 13, out, 4) == 0 && !out[0]);   /* does not fit */
	CHECK(argl_text("x", 1, out, 0) == 0);
}

static void test_inner(void)
{
	uint8_t bits[4];

	CHECK(argl_inner(s_("sh -c echo hi"), s_("2,2,7"), bits, sizeof(bits)));
	for (size_t i = 0; i < 13; i++)
		CHECKF(argl_is_inner(bits, sizeof(bits), i) == (i == 10), "byte %zu", i);
	CHECK(argl_inner(s_("cat  f"), s_("3,0,1"), bits, sizeof(bits)));
	CHECK(!argl_is_inner(bits, sizeof(bits), 3) && !argl_is_inner(bits, sizeof(bits), 4));
	CHECK(argl_inner(s_("a b  c"), s_("6"), bits, sizeof(bits)));   /* one argument */
	CHECK(argl_is_inner(bits, sizeof(bits), 1) && argl_is_inner(bits, sizeof(bits), 4));
	/* lengths that do not describe the line: refused, nothing marked */
	static const char *const bad[] = { "", "2,2", "2,2,8", "2,,7", "2,2,7,", ",2,2,7", "3,1,7",
					   "2,2,x", "99999999999,1" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECKF(!argl_inner(s_("sh -c echo hi"), s_(bad[i]), bits, sizeof(bits)), "%s", bad[i]);
		CHECK(!bits[0] && !bits[1] && !bits[2] && !bits[3]);
	}
	/* a bitmap shorter than the line: the first bytes only */
	CHECK(argl_inner(s_("x 1234567890 y z"), s_("14,1"), bits, 1));
	CHECK(argl_is_inner(bits, 1, 1) && !argl_is_inner(bits, 1, 12) && !argl_is_inner(NULL, 0, 1));
}

int main(void)
{
	RUN(test_text);
	RUN(test_inner);
	return tap_done();
}
