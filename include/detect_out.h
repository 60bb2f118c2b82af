/* detect_out.h: the detection writer shared by `replay` and `run`: a text block for people or one
 * JSON object per line (json-c) with the field names of docs/design.md (ECS where one exists). */
#ifndef SW_DETECT_OUT_H
#define SW_DETECT_OUT_H

#include <stdbool.h>
#include <stdio.h>
#include "engine.h"

/* Write d to f; returns 0 or -1 on a write error. */
int detect_write_text(FILE *f, const struct sw_detection *d);
int detect_write_json(FILE *f, const struct sw_detection *d);

#endif /* SW_DETECT_OUT_H */
