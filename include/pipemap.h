/* pipemap.h: which process holds which end of a pipe or fifo, as far as `shellwatch run` needs to
 * know: a small set-associative cache from (dev, inode) to a pid, fixed size, no allocation after
 * creation; an entry may be stale (the caller checks the pid still has that pipe on its stdio) or
 * evicted by a newer one (round robin within its bucket). */
#ifndef SW_PIPEMAP_H
#define SW_PIPEMAP_H

#include <stdint.h>
#include "event.h"

struct pipemap;

/* buckets is rounded up to a power of two; each bucket holds PIPEMAP_WAYS entries. */
#define PIPEMAP_WAYS 4
struct pipemap *pipemap_new(uint32_t buckets);
void pipemap_free(struct pipemap *m);
/* Remember that pid holds the pipe or fifo f (kind PIPE or FIFO; others are ignored). */
void pipemap_put(struct pipemap *m, const struct sw_fd *f, uint32_t pid);
/* The pid last remembered for f, 0 if none. */
uint32_t pipemap_get(const struct pipemap *m, const struct sw_fd *f);
/* The same cache under any key the caller names (the judge keys pipe creators by their pid). */
void pipemap_put_key(struct pipemap *m, uint64_t key, uint32_t pid);
uint32_t pipemap_get_key(const struct pipemap *m, uint64_t key);
#endif /* SW_PIPEMAP_H */
