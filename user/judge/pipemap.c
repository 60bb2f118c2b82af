/* pipemap.c: the (dev, inode) -> pid cache of include/pipemap.h. */
#include <stdlib.h>
#include "pipemap.h"

struct pipe_slot {
	uint64_t ino;
	uint32_t dev, pid;
};

struct pipemap {
	uint32_t mask;
	uint32_t *next;                  /* per bucket: the way to overwrite next */
	struct pipe_slot *slots;         /* buckets * PIPEMAP_WAYS */
};

static uint32_t bucket_of(const struct pipemap *m, uint64_t ino, uint32_t dev)
{
	uint64_t h = (ino ^ ((uint64_t)dev << 32)) * 0x9e3779b97f4a7c15ull;

	return (uint32_t)(h >> 32) & m->mask;
}

struct pipemap *pipemap_new(uint32_t buckets)
{
	struct pipemap *m = calloc(1, sizeof(*m));
	uint32_t n = 16;

	while (n < buckets && n < (1u << 20))
		n <<= 1;
	if (!m)
		return NULL;
	m->mask = n - 1;
	m->next = calloc(n, sizeof(*m->next));
	m->slots = calloc((size_t)n * PIPEMAP_WAYS, sizeof(*m->slots));
	if (!m->next || !m->slots) {
		pipemap_free(m);
		return NULL;
	}
	return m;
}

void pipemap_free(struct pipemap *m)
{
	if (!m)
		return;
	free(m->next);
	free(m->slots);
	free(m);
}

static void put(struct pipemap *m, uint64_t ino, uint32_t dev, uint32_t pid)
{
	uint32_t b = bucket_of(m, ino, dev);
	struct pipe_slot *s = &m->slots[(size_t)b * PIPEMAP_WAYS];

	for (int i = 0; i < PIPEMAP_WAYS; i++)
		if (s[i].ino == ino && s[i].dev == dev) {
			s[i].pid = pid;
			return;
		}
	s += m->next[b];
	m->next[b] = (m->next[b] + 1) % PIPEMAP_WAYS;
	s->ino = ino, s->dev = dev, s->pid = pid;
}

static uint32_t get(const struct pipemap *m, uint64_t ino, uint32_t dev)
{
	const struct pipe_slot *s = &m->slots[(size_t)bucket_of(m, ino, dev) * PIPEMAP_WAYS];

	for (int i = 0; i < PIPEMAP_WAYS; i++)
		if (s[i].ino == ino && s[i].dev == dev)
			return s[i].pid;
	return 0;
}

void pipemap_put(struct pipemap *m, const struct sw_fd *f, uint32_t pid)
{
	if (sw_fd_is_pipe(f))
		put(m, f->ino, f->dev, pid);
}

uint32_t pipemap_get(const struct pipemap *m, const struct sw_fd *f)
{
	return sw_fd_is_pipe(f) ? get(m, f->ino, f->dev) : 0;
}

/* Keys of their own: a device no pipe has (UINT32_MAX). */
void pipemap_put_key(struct pipemap *m, uint64_t key, uint32_t pid)
{
	put(m, key, UINT32_MAX, pid);
}

uint32_t pipemap_get_key(const struct pipemap *m, uint64_t key)
{
	return get(m, key, UINT32_MAX);
}
