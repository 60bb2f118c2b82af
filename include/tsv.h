/* tsv.h: one field of a tab-separated output line, so a command line of any bytes prints as one
 * field on one line: \\ \t \n \r, and \xHH for other control bytes. What `score` and `baseline
 * score` print commands with (docs/scoring.md). */
#ifndef SW_TSV_H
#define SW_TSV_H

#include <stddef.h>
#include <stdio.h>

void tsv_put(FILE *f, const char *s, size_t n);

#endif /* SW_TSV_H */
