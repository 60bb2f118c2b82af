/* argl.c: arguments' boundaries beside a space-joined command line (include/argl.h). */
#include <stdio.h>
#include <string.h>
#include "argl.h"

/* Does the space-joined argv fail to split back: an argument with a space, or an empty one (a
 * NUL first, last or after another)? One pass, nothing written: the common answer is no. */
static bool needed(const char *argv, size_t n)
{
	if (memchr(argv, ' ', n) || argv[0] == '\0' || argv[n - 1] == '\0')
		return true;
	for (const char *p = argv; (p = memchr(p, '\0', n - (size_t)(p - argv))); p++)
		if (p[1] == '\0')
			return true;
	return false;
}

size_t argl_text(const char *argv, size_t n, char *out, size_t cap)
{
	size_t len = 0, start = 0, lim = cap < ARGL_TEXT_MAX + 1 ? cap : ARGL_TEXT_MAX + 1;

	if (!cap)
		return 0;
	out[0] = '\0';
	if (!n || !needed(argv, n))
		return 0;
	for (size_t i = 0; i <= n; i++) {
		char num[24];
		int k;

		if (i < n && argv[i] != '\0')
			continue;
		k = snprintf(num, sizeof(num), "%s%zu", len ? "," : "", i - start);
		if (k < 0 || len + (size_t)k + 1 > lim) {
			out[0] = '\0';
			return 0;
		}
		memcpy(out + len, num, (size_t)k + 1);
		len += (size_t)k;
		start = i + 1;
	}
	return len;
}

size_t argl_join(char *argv, size_t n, char *out, size_t cap)
{
	size_t k = argl_text(argv, n, out, cap);

	for (char *p = argv; (p = memchr(p, '\0', n - (size_t)(p - argv))); p++)
		*p = ' ';
	return k;
}

bool argl_inner(struct sw_str argv, struct sw_str argl, uint8_t *bits, size_t nbytes)
{
	size_t pos = 0, i = 0;

	memset(bits, 0, nbytes);
	if (!argl.len)
		return false;
	while (i < argl.len) {
		size_t l = 0, digits = 0;

		for (; i < argl.len && argl.p[i] >= '0' && argl.p[i] <= '9' && digits < 7; i++, digits++)
			l = l * 10 + (size_t)(argl.p[i] - '0');
		if (!digits || l > argv.len - pos || (i < argl.len && argl.p[i] != ','))
			goto bad;
		for (size_t k = pos; k < pos + l && k / 8 < nbytes; k++)
			if (argv.p[k] == ' ')
				bits[k / 8] |= (uint8_t)(1u << (k % 8));
		pos += l;
		if (i < argl.len) {          /* a comma: another argument follows, after a space */
			i++;
			if (pos >= argv.len || argv.p[pos] != ' ' || i == argl.len)
				goto bad;
			pos++;
		}
	}
	if (pos == argv.len)
		return true;
bad:
	memset(bits, 0, nbytes);
	return false;
}
