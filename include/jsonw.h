/* jsonw.h: the JSON outputs' writer over json-c: fields named by dotted paths land in nested
 * objects ("process.parent.pid" -> {"process":{"parent":{"pid":...}}}), and every string is valid
 * UTF-8. A string that is not (argv is bytes) is escaped reversibly: each byte outside a valid
 * UTF-8 sequence becomes \xHH and each backslash \\, and the field's dotted name is listed in an
 * array of the document (e.g. shellwatch.escaped), so a reader knows to undo it. Valid strings
 * are written as they are.
 *
 *   struct jw w;
 *   jw_init(&w, "shellwatch.escaped");
 *   jw_int(&w, "process.pid", 42);
 *   jw_str(&w, "process.command_line", cmd);
 *   char *line = jw_finish(&w, &len);      // "{...}\n", malloc'd; the tree is freed
 */
#ifndef SW_JSONW_H
#define SW_JSONW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <json-c/json.h>

struct jw {
	json_object *root;
	json_object *escaped;     /* dotted names of the strings escaped; NULL: none yet */
	const char *escaped_at;   /* where that list goes (a dotted path) */
};

/* Length of the valid UTF-8 sequence at s (1 to 4 bytes), 0 when the bytes there are none. */
size_t utf8_seq(const unsigned char *s, size_t n);
bool utf8_valid(const char *s, size_t n);
/* The reversible escape of s (see above), malloc'd and NUL-terminated; NULL out of memory. */
char *utf8_escape(const char *s, size_t n, size_t *out_len);

void jw_init(struct jw *w, const char *escaped_at);
/* The object that holds the last part of path, created as needed; *last points to that part. */
json_object *jw_parent(struct jw *w, const char *path, const char **last);
void jw_put(struct jw *w, const char *path, json_object *v);
/* A JSON string of s (n bytes) for the field path, escaped and listed when not valid UTF-8. */
json_object *jw_string(struct jw *w, const char *path, const char *s, size_t n);
void jw_str(struct jw *w, const char *path, const char *s);
void jw_strn(struct jw *w, const char *path, const char *s, size_t n);
/* Left out when s is "". */
void jw_str_opt(struct jw *w, const char *path, const char *s);
void jw_int(struct jw *w, const char *path, int64_t v);
void jw_num(struct jw *w, const char *path, double v);
void jw_bool(struct jw *w, const char *path, bool v);
/* An array of n constant strings (valid UTF-8 by construction). */
void jw_strs(struct jw *w, const char *path, const char *const *v, unsigned n);
/* An array of the words of s split at single spaces (process.args), except the spaces marked
 * in inner (a bitmap of nbytes bytes, include/argl.h; NULL: none); returns how many. */
unsigned jw_words(struct jw *w, const char *path, const char *s, const uint8_t *inner,
		  size_t nbytes);
/* sub's document, to be placed in w (in an array: OCSF's evidences); the strings sub escaped are
 * listed in w as PREFIX.NAME. sub is empty afterwards. */
json_object *jw_adopt(struct jw *w, const char *prefix, struct jw *sub);
/* The document as one line ending in '\n', malloc'd (*len without the NUL); frees the tree.
 * NULL when out of memory. */
char *jw_finish(struct jw *w, size_t *len);

#endif /* SW_JSONW_H */
