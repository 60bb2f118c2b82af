/* argl.h: where an exec's arguments begin and end in its space-joined command line.
 *
 * Every source joins argv with single spaces (the judge, the rules and the scores read one
 * string). That string splits back into the arguments unless one of them is empty or holds a
 * space (`sh -c 'echo hi'`); then the source also gives "argl", the arguments' lengths in bytes,
 * comma-separated ("2,2,7"), as the trace argument argl= (docs/trace-format.md). Alerts use it for
 * ECS process.args (user/common/argl.c).
 *
 *   n = argl_join(nul_separated, len, buf, sizeof(buf));   // NULs to spaces; argl, or ""
 *   argl_inner(argv, argl, bits, sizeof(bits));             // spaces inside arguments
 */
#ifndef SW_ARGL_H
#define SW_ARGL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"

#define ARGL_TEXT_MAX 1024   /* longest argl kept; a longer one is left out (split at spaces) */

/* The argl of argv given NUL-separated (n bytes, no trailing NUL), into out (cap bytes, NUL-
 * terminated). Returns its length; 0 when the joined line splits back by itself, or when the
 * argl would not fit in out or ARGL_TEXT_MAX. */
size_t argl_text(const char *argv, size_t n, char *out, size_t cap);

/* argl_text, then argv's NUL separators become spaces in place: the joined line every source
 * gives, and its argl. */
size_t argl_join(char *argv, size_t n, char *out, size_t cap);

/* Set in bits (a bitmap of nbytes bytes: byte i of argv is bit i % 8 of bits[i / 8]) the spaces
 * of argv that are inside an argument, as argl says. False, with bits all clear, when argl is
 * empty or does not describe argv (its lengths and separators do not add up to argv's length). */
bool argl_inner(struct sw_str argv, struct sw_str argl, uint8_t *bits, size_t nbytes);

/* Is byte i of a line a space inside an argument (bits from argl_inner; NULL: none is)? */
static inline bool argl_is_inner(const uint8_t *bits, size_t nbytes, size_t i)
{
	return bits && i / 8 < nbytes && ((bits[i / 8] >> (i % 8)) & 1);
}

#endif /* SW_ARGL_H */
