/* bench_score.c: speed of tokenize + features + score on one core, commands/s, with the embedded
 * model. Reads command lines from a file, scores them all repeatedly for about SECONDS of this
 * thread's CPU time (so other load on the machine does not count), and prints wall time too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "score.h"

static double now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	const struct model *m = score_model_default();
	char **lines = NULL, *line = NULL;
	size_t n = 0, cap = 0, total = 0;
	double secs = argc > 2 ? atof(argv[2]) : 2.0, sum = 0, t0, t1, w0;
	FILE *f;

	if (argc < 2 || !(f = fopen(argv[1], "r")) || !m) {
		fprintf(stderr, "usage: bench_score FILE [SECONDS] (FILE: one command a line)\n");
		return 2;
	}
	while (getline(&line, &cap, f) >= 0) {
		line[strcspn(line, "\n")] = '\0';
		lines = realloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = strdup(line);
	}
	fclose(f);
	if (!n)
		return 2;
	w0 = now(CLOCK_MONOTONIC);
	t0 = now(CLOCK_THREAD_CPUTIME_ID);
	do {
		for (size_t i = 0; i < n; i++)
			sum += score_cmdline(m, lines[i], strlen(lines[i]), NULL);
		total += n;
		t1 = now(CLOCK_THREAD_CPUTIME_ID);
	} while (t1 - t0 < secs);
	printf("%zu commands in %.3f s CPU (%.3f s wall): %.0f commands/s of CPU time (%.2f us each; "
	       "checksum %.3f)\n", total, t1 - t0, now(CLOCK_MONOTONIC) - w0,
	       (double)total / (t1 - t0), 1e6 * (t1 - t0) / (double)total, sum);
	return 0;
}
