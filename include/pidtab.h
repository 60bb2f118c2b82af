/* pidtab.h: an index from pid to a small integer (a slot in the caller's own pool), the one hash
 * table of the process table (user/judge/proctab.c) and of the engine's streams
 * (user/engine/engine.c). Open addressing with linear probing and backward-shift deletion, so
 * lookups never walk tombstones and the table never needs a rehash; fixed size, no allocation
 * after creation.
 *
 *   struct pidtab *t = pidtab_new(1000);     // room for 1000 pids at a load of at most 1/2
 *   pidtab_put(t, pid, slot);                 // slot >= 0, the caller's
 *   int32_t s = pidtab_get(t, pid);           // -1 when absent
 *   pidtab_del(t, pid);
 */
#ifndef SW_PIDTAB_H
#define SW_PIDTAB_H

#include <stdint.h>

struct pidtab;

/* Room for at least max_entries pids (every value, 0 included, is a key). NULL when out of
 * memory. */
struct pidtab *pidtab_new(uint32_t max_entries);
void pidtab_free(struct pidtab *t);
/* The slot stored for pid, or -1. */
int32_t pidtab_get(const struct pidtab *t, uint32_t pid);
/* Store (or replace) pid -> slot. -1 when the table already holds max_entries pids. */
int pidtab_put(struct pidtab *t, uint32_t pid, int32_t slot);
void pidtab_del(struct pidtab *t, uint32_t pid);

#endif /* SW_PIDTAB_H */
