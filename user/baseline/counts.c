/* counts.c: a multiset of byte strings for the host baseline (include/bl_counts.h). */
#include <stdlib.h>
#include <string.h>
#include "bl_counts.h"

uint32_t bl_hash(const char *s, uint32_t len)
{
	uint32_t h = 2166136261u;

	for (uint32_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static uint32_t *find_slot(const struct bl_counts *m, const char *s, uint32_t len, uint32_t hash)
{
	uint32_t i = (hash * 2654435761u) & m->mask;

	for (;; i = (i + 1) & m->mask) {
		uint32_t e = m->slot[i];

		if (!e)
			return &m->slot[i];
		e--;
		if (m->e[e].hash == hash && m->e[e].len == len &&
		    (!len || !memcmp(m->text + m->e[e].off, s, len)))
			return &m->slot[i];
	}
}

/* Keep the table at most half full: twice the slots, entries put back. */
static int grow_slots(struct bl_counts *m)
{
	uint32_t size = m->mask ? 2 * (m->mask + 1) : 64;
	uint32_t *old = m->slot;

	if (!(m->slot = calloc(size, sizeof(*m->slot)))) {
		m->slot = old;
		return -1;
	}
	m->mask = size - 1;
	for (uint32_t i = 0; i < m->n; i++)
		*find_slot(m, m->text + m->e[i].off, m->e[i].len, m->e[i].hash) = i + 1;
	free(old);
	return 0;
}

static int put_text(struct bl_counts *m, const char *s, uint32_t len)
{
	if (m->tlen + len > m->tcap) {
		uint64_t cap = m->tcap ? 2 * m->tcap : 4096;
		char *t;

		while (cap < m->tlen + len)
			cap *= 2;
		if (!(t = realloc(m->text, cap)))
			return -1;
		m->text = t, m->tcap = cap;
	}
	if (len)
		memcpy(m->text + m->tlen, s, len);
	m->tlen += len;
	return 0;
}

int64_t bl_counts_add(struct bl_counts *m, const char *s, uint32_t len, uint32_t hash,
		      uint64_t count)
{
	uint32_t *slot;

	if ((m->n + 1) * 2 > m->mask && grow_slots(m))
		return -1;
	slot = find_slot(m, s, len, hash);
	if (*slot) {
		m->e[*slot - 1].count += count;
		return *slot - 1;
	}
	if (m->n == m->cap) {
		uint32_t cap = m->cap ? 2 * m->cap : 64;
		struct bl_count *e = realloc(m->e, cap * sizeof(*e));

		if (!e)
			return -1;
		m->e = e, m->cap = cap;
	}
	if (put_text(m, s, len))
		return -1;
	m->e[m->n] = (struct bl_count){ hash, len, m->tlen - len, count, -1 };
	*slot = ++m->n;
	return m->n - 1;
}

int64_t bl_counts_find(const struct bl_counts *m, const char *s, uint32_t len, uint32_t hash)
{
	uint32_t *slot;

	if (!m->n)
		return -1;
	slot = find_slot(m, s, len, hash);
	return *slot ? (int64_t)*slot - 1 : -1;
}

void bl_counts_free(struct bl_counts *m)
{
	free(m->e);
	free(m->slot);
	free(m->text);
	memset(m, 0, sizeof(*m));
}
