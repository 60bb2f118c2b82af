/* outfile.h: the file (or standard output) that alerts and events go to, opened so that a user
 * the sensor watches cannot redirect it: no symbolic link unless allowed, never in a directory
 * everyone can write to without the sticky bit, never a file another user planted in a sticky
 * one; created 0640 at most. Each record is written whole (a failed one is taken back out of a
 * regular file, so no line is half there); the file is rotated by size (FILE -> FILE.1 -> ...
 * FILE.KEEP, the oldest removed) and reopened on request (SIGHUP after an outside rotation). */
#ifndef SW_OUTFILE_H
#define SW_OUTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct outfile_opts {
	const char *path;         /* NULL: standard output */
	uint64_t max_size;        /* rotate before a record would take the file past it; 0: never */
	unsigned keep;            /* rotated files kept: FILE.1 .. FILE.keep (0: none) */
	bool follow_symlink;      /* allow path to be a symbolic link */
};

struct outfile {
	struct outfile_opts o;
	int fd;
	bool regular;             /* a regular file: it has a size, it rotates */
	uint64_t size;
	uint64_t rotations;
};

/* 0, or -errno with why set ("PATH is a symbolic link ..."). */
int outfile_open(struct outfile *f, const struct outfile_opts *o, char *why, size_t len);
/* Close and open the path again (the old file stays in use when that fails). */
int outfile_reopen(struct outfile *f, char *why, size_t len);
/* 0, or -errno: the record is not in the file. */
int outfile_write(struct outfile *f, const char *buf, size_t n);
void outfile_close(struct outfile *f);

#endif /* SW_OUTFILE_H */
