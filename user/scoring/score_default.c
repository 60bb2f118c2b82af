/* score_default.c: the model embedded in the binary. mk/score.mk turns models/default.swm into
 * build/model_blob.c (xxd -i) and links it into the library (LIB_EXTRA_OBJS); it is parsed once,
 * on first use, so no file is needed at run time. Kept apart from score.c so programs that only
 * tokenize do not pull the blob in. */
#include <pthread.h>
#include <stdio.h>
#include "score.h"

extern unsigned char sw_model_blob[];
extern unsigned int sw_model_blob_len;

static struct model default_model;
static const struct model *default_ptr;
static pthread_once_t default_once = PTHREAD_ONCE_INIT;

static void load_default(void)
{
	char err[256];

	if (model_parse(&default_model, (const char *)sw_model_blob, sw_model_blob_len, err,
			sizeof(err)) == 0)
		default_ptr = &default_model;
	else
		fprintf(stderr, "shellwatch: embedded model: %s\n", err);
}

const struct model *score_model_default(void)
{
	pthread_once(&default_once, load_default);
	return default_ptr;
}
