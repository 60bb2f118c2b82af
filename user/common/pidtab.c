/* pidtab.c: pid -> slot index (include/pidtab.h). An entry is empty when its slot is -1, so every
 * pid, 0 included, is a key. */
#include <stdlib.h>
#include "pidtab.h"

struct entry {
	uint32_t pid;
	int32_t slot;    /* -1: empty */
};

struct pidtab {
	uint32_t mask;   /* capacity - 1, a power of two at least twice max entries */
	uint32_t max, n;
	struct entry e[];
};

static uint32_t home(const struct pidtab *t, uint32_t pid)
{
	return (pid * 2654435761u) & t->mask;
}

struct pidtab *pidtab_new(uint32_t max_entries)
{
	uint32_t cap = 16;
	struct pidtab *t;

	if (max_entries > (1u << 28))
		return NULL;
	while (cap < 2 * max_entries)
		cap <<= 1;
	t = malloc(sizeof(*t) + (size_t)cap * sizeof(struct entry));
	if (!t)
		return NULL;
	t->mask = cap - 1;
	t->max = max_entries;
	t->n = 0;
	for (uint32_t i = 0; i < cap; i++)
		t->e[i].slot = -1;
	return t;
}

void pidtab_free(struct pidtab *t)
{
	free(t);
}

static uint32_t probe(const struct pidtab *t, uint32_t pid)
{
	uint32_t i = home(t, pid);

	while (t->e[i].slot >= 0 && t->e[i].pid != pid)
		i = (i + 1) & t->mask;
	return i;
}

int32_t pidtab_get(const struct pidtab *t, uint32_t pid)
{
	return t->e[probe(t, pid)].slot;
}

int pidtab_put(struct pidtab *t, uint32_t pid, int32_t slot)
{
	uint32_t i = probe(t, pid);

	if (slot < 0)
		return -1;
	if (t->e[i].slot < 0) {
		if (t->n >= t->max)
			return -1;
		t->n++;
		t->e[i].pid = pid;
	}
	t->e[i].slot = slot;
	return 0;
}

void pidtab_del(struct pidtab *t, uint32_t pid)
{
	uint32_t hole = probe(t, pid), i;

	if (t->e[hole].slot < 0)
		return;
	t->e[hole].slot = -1;
	t->n--;
	/* Backward shift: move later entries of the run into the hole when their home allows. */
	for (i = (hole + 1) & t->mask; t->e[i].slot >= 0; i = (i + 1) & t->mask) {
		uint32_t h = home(t, t->e[i].pid);

		if (((i - h) & t->mask) >= ((i - hole) & t->mask)) {
			t->e[hole] = t->e[i];
			t->e[i].slot = -1;
			hole = i;
		}
	}
}
