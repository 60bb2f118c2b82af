/* fuzz_ctr_meta.c: libFuzzer target for the parser of a container runtime's answer
 * (ctr_meta_parse_response, user/containers/ctr_meta.c): any bytes are an HTTP response that is
 * whole or not, framed by Content-Length, chunks or its end, with a JSON body or not. Checked:
 * no crash, no read beyond the input, the result is one of the enum's, and every string it keeps
 * is NUL-terminated, without control characters. */
#include <stdlib.h>
#include <string.h>
#include "ctr_meta.h"

static void clean(const char *s, size_t cap)
{
	size_t n = strnlen(s, cap);

	if (n == cap)
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *b = malloc(size ? size : 1);   /* exactly the input: ASan sees any overread */
	struct ctr_meta_info info;
	enum ctr_meta_parse r;

	if (!b)
		return 0;
	memcpy(b, data, size);
	r = ctr_meta_parse_response(b, size, 4096, &info);
	if (r > CMP_BAD_JSON)
		abort();
	clean(info.name, sizeof(info.name));
	clean(info.image, sizeof(info.image));
	clean(info.pod_name, sizeof(info.pod_name));
	clean(info.pod_namespace, sizeof(info.pod_namespace));
	if (r != CMP_OK && (info.name[0] || info.image[0]))
		abort();
	free(b);
	return 0;
}
