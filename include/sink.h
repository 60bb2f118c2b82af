/* sink.h: the one output of alerts, for `run` and `replay`: standard output or a file opened for
 * appending (reopened on request, for log rotation), as text or JSON lines, and optionally
 * syslog. */
#ifndef SW_SINK_H
#define SW_SINK_H

#include <stdbool.h>
#include <stdio.h>
#include "alert.h"

struct sink {
	const char *path;       /* NULL: standard output */
	FILE *f;
	bool json, syslog;
	unsigned long write_errors;
};

/* 0, or -errno when the file cannot be opened. */
int sink_open(struct sink *s);
/* Reopen the file (SIGHUP after log rotation); 0 or -errno (the old file stays in use). */
int sink_reopen(struct sink *s);
void sink_write(struct sink *s, const struct alert *a);
void sink_close(struct sink *s);

#endif /* SW_SINK_H */
