/* live_decode.h: the kernel's records (include/wire.h) as events (include/event.h). Pure: no BPF,
 * no I/O, so it is part of the core library and unit-tested offline. */
#ifndef SW_LIVE_DECODE_H
#define SW_LIVE_DECODE_H

#include <stddef.h>
#include "event.h"
#include "wire.h"

/* Decode one wire record (size bytes at raw) into ev, arguments and typed facts, keeping its
 * strings in scratch (cap bytes). Returns 0, or -EINVAL for a record that is too short, of an
 * unknown type or call, or -ENOSPC when scratch is too small. */
int live_decode(const void *raw, size_t size, struct sw_event *ev, char *scratch, size_t cap);

#endif /* SW_LIVE_DECODE_H */
