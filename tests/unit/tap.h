/* tap.h: a tiny TAP emitter for C unit tests; tests/run counts the lines.
 *
 *   static void test_quotes(void) { CHECK(x == 1); CHECKF(n > 0, "n=%d", n); }
 *   int main(void) { RUN(test_quotes); return tap_done(); }
 */
#ifndef SW_TAP_H
#define SW_TAP_H

#include <stdio.h>

static int tap_count, tap_failures, tap_cur_failed;

#define CHECKF(cond, ...)                                                              \
	do {                                                                           \
		if (!(cond)) {                                                         \
			printf("#   %s:%d: CHECK(%s) failed: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);                                           \
			printf("\n");                                                  \
			tap_cur_failed = 1;                                            \
		}                                                                      \
	} while (0)
#define CHECK(cond) CHECKF(cond, "%s", "")

#define RUN(fn)                                                                         \
	do {                                                                            \
		tap_cur_failed = 0;                                                     \
		fn();                                                                   \
		tap_failures += tap_cur_failed;                                         \
		printf("%sok %d - %s\n", tap_cur_failed ? "not " : "", ++tap_count, #fn); \
		fflush(stdout);                                                         \
	} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failures ? 1 : 0;
}

#endif /* SW_TAP_H */
