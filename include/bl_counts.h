/* bl_counts.h: a multiset of byte strings, what the host baseline counts: the distinct command
 * lines of a group (how often each ran) and the group's vocabulary (in how many lines each token
 * or hashed feature was). Entries keep the order they were first added in; each can carry a
 * column number (the vocabulary's columns of the forest). Open addressing on a caller-given 32-bit
 * hash, strings compared in full. */
#ifndef SW_BL_COUNTS_H
#define SW_BL_COUNTS_H

#include <stdint.h>

struct bl_count {
	uint32_t hash;
	uint32_t len;
	uint64_t off;      /* the string, in text */
	uint64_t count;
	int32_t col;       /* -1: none */
};

struct bl_counts {
	uint32_t n, cap;
	struct bl_count *e;
	uint32_t *slot;    /* entry + 1; 0: empty */
	uint32_t mask;
	char *text;
	uint64_t tlen, tcap;
};

/* FNV-1a 32 of s: the hash the baseline uses for lines and tokens. */
uint32_t bl_hash(const char *s, uint32_t len);
/* Add count to the entry of s (created with col -1 if new). Its index, or -1 when out of memory. */
int64_t bl_counts_add(struct bl_counts *m, const char *s, uint32_t len, uint32_t hash,
		      uint64_t count);
/* The entry of s, or -1. */
int64_t bl_counts_find(const struct bl_counts *m, const char *s, uint32_t len, uint32_t hash);
static inline const char *bl_counts_text(const struct bl_counts *m, uint32_t i)
{
	return m->text + m->e[i].off;
}
void bl_counts_free(struct bl_counts *m);

#endif /* SW_BL_COUNTS_H */
