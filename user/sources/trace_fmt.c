/* trace_fmt.c: writing the text trace format, with the quoting every reader undoes.
 *
 * A value is written bare unless it is empty or holds a byte that would break the line's grammar
 * (space, tab, quote, backslash, control bytes, invalid UTF-8). Quoted values use C escapes:
 * \" \\ \n \t \r and \xHH for any other control byte, DEL, or byte of an invalid UTF-8 sequence.
 * Valid UTF-8 is kept as it is, so non-ASCII command lines stay readable.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "trace_fmt.h"

/* Length of the valid UTF-8 sequence at s (>= 2), or 0 if s[0] does not start one. */
static size_t utf8_seq_len(const unsigned char *s, size_t len)
{
	size_t n;
	uint32_t cp;

	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool trace_needs_quotes(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;

	if (len == 0)
		return true;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];

		if (c <= ' ' || c == '"' || c == '\\' || c == 0x7f)
			return true;
		if (c >= 0x80) {
			size_t n = utf8_seq_len(u + i, len - i);

			if (!n)
				return true;
			i += n - 1;
		}
	}
	return false;
}

struct outbuf {
	char *p;
	size_t cap, len;
};

static void out_bytes(struct outbuf *o, const char *s, size_t n)
{
	if (o->len + 1 < o->cap) {
		size_t room = o->cap - 1 - o->len;

		memcpy(o->p + o->len, s, n < room ? n : room);
	}
	o->len += n;
}

static void out_escaped(struct outbuf *o, const unsigned char *u, size_t len)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		unsigned char c = u[i];
		char esc[4] = { '\\', 0, 0, 0 };
		size_t n = 2;

		if (c >= 0x80) {
			size_t k = utf8_seq_len(u + i, len - i);

			if (k) {
				out_bytes(o, (const char *)u + i, k);
				i += k - 1;
				continue;
			}
		}
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\t': esc[1] = 't'; break;
		case '\r': esc[1] = 'r'; break;
		default:
			if (c >= ' ' && c < 0x7f) {
				out_bytes(o, (const char *)&c, 1);
				continue;
			}
			esc[1] = 'x', esc[2] = hex[c >> 4], esc[3] = hex[c & 15], n = 4;
		}
		out_bytes(o, esc, n);
	}
}

static void out_quoted(struct outbuf *o, const char *s, size_t len)
{
	out_bytes(o, "\"", 1);
	out_escaped(o, (const unsigned char *)s, len);
	out_bytes(o, "\"", 1);
}

static void out_value(struct outbuf *o, const char *s, size_t len)
{
	if (trace_needs_quotes(s, len))
		out_quoted(o, s, len);
	else
		out_bytes(o, s, len);
}

static size_t out_finish(struct outbuf *o)
{
	if (o->cap)
		o->p[o->len < o->cap ? o->len : o->cap - 1] = '\0';
	return o->len;
}

size_t trace_put_value(char *dst, size_t cap, const char *s, size_t len)
{
	struct outbuf o = { dst, cap, 0 };

	out_value(&o, s, len);
	return out_finish(&o);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long trace_unquote(const char *src, size_t srclen, char *dst, size_t cap, size_t *out_len)
{
	size_t i = 1, n = 0;

	if (srclen == 0 || src[0] != '"')
		return -1;
	while (i < srclen && src[i] != '"') {
		char c = src[i++];

		if (c == '\\') {
			if (i >= srclen)
				return -1;
			switch (src[i++]) {
			case 'n': c = '\n'; break;
			case 't': c = '\t'; break;
			case 'r': c = '\r'; break;
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'x': {
				int hi = i + 1 < srclen ? hexval(src[i]) : -1;
				int lo = hi >= 0 ? hexval(src[i + 1]) : -1;

				if (lo < 0)
					return -1;
				c = (char)(hi << 4 | lo);
				i += 2;
				break;
			}
			default:
				return -1;
			}
		}
		if (n < cap)
			dst[n] = c;
		n++;
	}
	if (i >= srclen)
		return -1;
	*out_len = n < cap ? n : cap;
	return (long)(i + 1);
}

static void out_u64(struct outbuf *o, const char *prefix, size_t plen, uint64_t v)
{
	char tmp[24], *p = tmp + sizeof(tmp);

	do
		*--p = (char)('0' + v % 10);
	while (v /= 10);
	out_bytes(o, prefix, plen);
	out_bytes(o, p, (size_t)(tmp + sizeof(tmp) - p));
}

size_t trace_format(const struct sw_event *ev, char *dst, size_t cap)
{
	struct outbuf o = { dst, cap, 0 };

	if (ev->kind == SW_EV_META)
		out_bytes(&o, "# shellwatch-trace 1", 20);   /* the header: readers skip comments */
	else if (ev->call.len && ev->call.p[0] == '#')
		out_quoted(&o, ev->call.p, ev->call.len);    /* bare, the line would be a comment */
	else
		out_value(&o, ev->call.p, ev->call.len);
	if (ev->has_pid) {
		out_u64(&o, " pid=", 5, ev->pid);
		out_u64(&o, " ppid=", 6, ev->ppid);
		if (ev->has_uid)
			out_u64(&o, " uid=", 5, ev->uid);
	}
	if (ev->has_time)
		out_u64(&o, " t=", 3, ev->t_ns);
	if (ev->has_start)
		out_u64(&o, " start=", 7, ev->start_ns);
	for (uint32_t i = 0; i < ev->nargs; i++) {
		out_bytes(&o, " ", 1);
		out_bytes(&o, ev->args[i].name.p, ev->args[i].name.len);
		out_bytes(&o, "=", 1);
		out_value(&o, ev->args[i].val.p, ev->args[i].val.len);
	}
	if (ev->has_ret) {
		out_bytes(&o, " => ", 4);
		out_value(&o, ev->ret.p, ev->ret.len);
	}
	return out_finish(&o);
}
