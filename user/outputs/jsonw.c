/* jsonw.c: nested JSON documents from dotted field names, with strings that are always valid
 * UTF-8 (include/jsonw.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "argl.h"
#include "jsonw.h"

size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0];
	uint32_t cp, min;
	size_t len;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f, min = 0x80;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f, min = 0x800;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;   /* overlong, beyond Unicode, or a surrogate */
	return len;
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;

	for (size_t i = 0, k; i < n; i += k)
		if (!(k = utf8_seq(p + i, n - i)))
			return false;
	return true;
}

char *utf8_escape(const char *s, size_t n, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(4 * n + 1), *o = out;

	if (!out)
		return NULL;
	for (size_t i = 0, k; i < n; i += k) {
		k = utf8_seq(p + i, n - i);
		if (!k) {
			o += sprintf(o, "\\x%02X", p[i]);
			k = 1;
		} else if (p[i] == '\\') {
			*o++ = '\\', *o++ = '\\';
		} else {
			memcpy(o, p + i, k);
			o += k;
		}
	}
	*o = '\0';
	if (out_len)
		*out_len = (size_t)(o - out);
	return out;
}

void jw_init(struct jw *w, const char *escaped_at)
{
	w->root = json_object_new_object();
	w->escaped = NULL;
	w->escaped_at = escaped_at;
}

json_object *jw_parent(struct jw *w, const char *path, const char **last)
{
	json_object *o = w->root, *next;
	const char *dot;
	char key[64];

	while ((dot = strchr(path, '.')) && (size_t)(dot - path) < sizeof(key)) {
		memcpy(key, path, (size_t)(dot - path));
		key[dot - path] = '\0';
		if (!json_object_object_get_ex(o, key, &next) ||
		    !json_object_is_type(next, json_type_object)) {
			next = json_object_new_object();
			json_object_object_add(o, key, next);
		}
		o = next;
		path = dot + 1;
	}
	*last = path;
	return o;
}

void jw_put(struct jw *w, const char *path, json_object *v)
{
	const char *last;
	json_object *o = jw_parent(w, path, &last);

	json_object_object_add(o, last, v);
}

/* Names path in the document's list of escaped strings (once). */
static void list_escaped(struct jw *w, const char *path)
{
	if (!w->escaped)
		w->escaped = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(w->escaped); i++)
		if (!strcmp(json_object_get_string(json_object_array_get_idx(w->escaped, i)), path))
			return;
	json_object_array_add(w->escaped, json_object_new_string(path));
}

json_object *jw_string(struct jw *w, const char *path, const char *s, size_t n)
{
	json_object *v;
	size_t len;
	char *e;

	if (utf8_valid(s, n))
		return json_object_new_string_len(s, (int)n);
	e = utf8_escape(s, n, &len);
	v = json_object_new_string_len(e ? e : "", e ? (int)len : 0);
	free(e);
	list_escaped(w, path);
	return v;
}

void jw_strn(struct jw *w, const char *path, const char *s, size_t n)
{
	jw_put(w, path, jw_string(w, path, s, n));
}

void jw_str(struct jw *w, const char *path, const char *s)
{
	jw_strn(w, path, s, strlen(s));
}

void jw_str_opt(struct jw *w, const char *path, const char *s)
{
	if (s && s[0])
		jw_str(w, path, s);
}

void jw_int(struct jw *w, const char *path, int64_t v)
{
	jw_put(w, path, json_object_new_int64(v));
}

/* 15 significant digits: 0.465844, not json-c's 0.46584400000000001. */
void jw_num(struct jw *w, const char *path, double v)
{
	char buf[32];

	if (!isfinite(v))
		v = 0;
	snprintf(buf, sizeof(buf), "%.15g", v);
	jw_put(w, path, json_object_new_double_s(v, buf));
}

void jw_bool(struct jw *w, const char *path, bool v)
{
	jw_put(w, path, json_object_new_boolean(v));
}

void jw_strs(struct jw *w, const char *path, const char *const *v, unsigned n)
{
	json_object *a = json_object_new_array();

	for (unsigned i = 0; i < n; i++)
		json_object_array_add(a, json_object_new_string(v[i]));
	jw_put(w, path, a);
}

unsigned jw_words(struct jw *w, const char *path, const char *s, const uint8_t *inner,
		  size_t nbytes)
{
	json_object *a = json_object_new_array();
	bool esc = !utf8_valid(s, strlen(s));   /* then every word is escaped, alike */
	const char *line = s;
	unsigned n = 0;
	size_t len;
	char *e;

	for (const char *sp; ; s = sp + 1, n++) {
		size_t k;

		for (sp = strchr(s, ' '); sp && argl_is_inner(inner, nbytes, (size_t)(sp - line));
		     sp = strchr(sp + 1, ' '))
			;
		k = sp ? (size_t)(sp - s) : strlen(s);
		if (esc && (e = utf8_escape(s, k, &len))) {
			json_object_array_add(a, json_object_new_string_len(e, (int)len));
			free(e);
		} else {
			json_object_array_add(a, json_object_new_string_len(s, (int)k));
		}
		if (!sp)
			break;
	}
	if (esc)
		list_escaped(w, path);
	jw_put(w, path, a);
	return n + 1;
}

json_object *jw_adopt(struct jw *w, const char *prefix, struct jw *sub)
{
	json_object *root = sub->root;
	char name[128];

	for (size_t i = 0; sub->escaped && i < json_object_array_length(sub->escaped); i++) {
		snprintf(name, sizeof(name), "%s.%s", prefix,
			 json_object_get_string(json_object_array_get_idx(sub->escaped, i)));
		list_escaped(w, name);
	}
	if (sub->escaped)
		json_object_put(sub->escaped);
	sub->root = sub->escaped = NULL;
	return root;
}

/* json-c leaves DEL and the C1 controls (U+0080-U+009F) raw; a terminal may act on them, so they
 * become \u escapes too (in JSON text they can only be inside strings). n is strlen(s). */
static char *copy_escaping_controls(const char *s, size_t n, size_t *len)
{
	char *out = malloc(6 * n + 2), *o = out;   /* a DEL byte takes six */

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (uint8_t)s[i];

		if (c == 0x7f) {
			o += sprintf(o, "\\u007f");
		} else if (c == 0xc2 && i + 1 < n && (uint8_t)s[i + 1] >= 0x80 &&
			   (uint8_t)s[i + 1] <= 0x9f) {
			o += sprintf(o, "\\u%04x", (uint8_t)s[++i]);
		} else {
			*o++ = (char)c;
		}
	}
	*o++ = '\n';
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

char *jw_finish(struct jw *w, size_t *len)
{
	const char *s;
	char *out;

	if (w->escaped)
		jw_put(w, w->escaped_at, w->escaped);
	s = json_object_to_json_string_ext(w->root, JSON_C_TO_STRING_PLAIN |
					   JSON_C_TO_STRING_NOSLASHESCAPE);
	out = copy_escaping_controls(s, strlen(s), len);
	json_object_put(w->root);
	w->root = w->escaped = NULL;
	return out;
}
