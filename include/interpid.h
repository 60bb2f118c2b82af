/* interpid.h: which installed program is an interpreter, by what the file is rather than what it
 * is called. At start-up the host's shells (/etc/shells) and interpreters (the programs of the
 * standard bin directories whose names are interpreters: python3.11, perl, gawk, busybox, ...)
 * are read once: their inode (dev, ino in the kernel's encoding, what the exec program sees) and
 * their ELF build-id. An exec'd file is then an interpreter when its inode is one of them (the
 * kernel's map answers at the exec) or, for a copy elsewhere (cp /bin/bash /tmp/x), when its
 * build-id is. The name is the last resort (strace and auditd captures, unreadable files). */
#ifndef SW_INTERPID_H
#define SW_INTERPID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "event.h"
#include "interp.h"

struct interp_file {
	uint32_t dev;        /* kernel encoding: MAJOR << 20 | MINOR */
	uint64_t ino;
	enum interp_kind kind;
	char name[32];       /* the installed name: "bash", "python3.11" */
	uint8_t build_id[20];
	uint8_t build_id_len;
};

struct interpid;

/* Read the host's interpreters under root ("/" normally; tests pass a fake tree). Never NULL
 * unless out of memory; a host without any is an empty table. */
struct interpid *interpid_scan(const char *root);
void interpid_free(struct interpid *t);
size_t interpid_count(const struct interpid *t);
const struct interp_file *interpid_at(const struct interpid *t, size_t i);

/* The interpreter an exec'd file is: by its inode, else (path readable) by its build-id, else by
 * its name (argv0 for busybox's applets). *by says how it was decided; *name the installed name
 * it matched (a renamed bash says "bash"). */
enum interp_kind interpid_lookup(struct interpid *t, uint32_t dev, uint64_t ino, const char *path,
				 enum interp_by *by, const char **name);

/* Add interp= and interp_by= to the exec event ev of a file (dev, ino) when it is an interpreter:
 * by inode; else, for a file outside the package directories (/usr/bin, /usr/lib, ...), by its
 * build-id, read through /proc/PID/exe when that is still the file (a memfd, a deleted copy), else
 * its path. Results per file are cached. Nothing is added for other programs, or when the event
 * has no room. */
void interpid_annotate(struct interpid *t, struct sw_event *ev, uint32_t dev, uint64_t ino);

/* The ELF build-id of the file at path (up to 20 bytes); its length, 0 when it has none. */
size_t interpid_build_id(const char *path, uint8_t out[20]);

#endif /* SW_INTERPID_H */
