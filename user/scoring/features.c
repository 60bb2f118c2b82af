/* features.c: hashed unigram, bigram and piece presence features of a token sequence
 * (include/cmdfeat.h).
 * Deduplication uses a small open-addressing set sized to the feature count, on the stack. */
#include <stdbool.h>
#include <string.h>
#include "cmdfeat.h"

#define FNV_BASIS 2166136261u
#define FNV_PRIME 16777619u

static uint32_t fnv_add(uint32_t h, const char *p, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= FNV_PRIME;
	}
	return h;
}

uint32_t feat_hash_unigram(struct sw_str a)
{
	return fnv_add(FNV_BASIS, a.p, a.len);
}

/* FNV-1a over a, the byte 0x1f, and the 4 bytes (little-endian) of b's unigram hash: each token
 * is hashed once, a bigram costs 5 more bytes. */
static uint32_t bigram_of(uint32_t ha, uint32_t hb)
{
	char le[5] = { 0x1f, (char)hb, (char)(hb >> 8), (char)(hb >> 16), (char)(hb >> 24) };

	return fnv_add(ha, le, 5);
}

uint32_t feat_hash_bigram(struct sw_str a, struct sw_str b)
{
	return bigram_of(feat_hash_unigram(a), feat_hash_unigram(b));
}

uint32_t feat_hash_piece(struct sw_str p)
{
	return fnv_add(fnv_add(FNV_BASIS, "\x1e", 1), p.p, p.len);
}

struct dedup {
	uint32_t mask;
	uint32_t slot[2 * FEAT_MAX];   /* bucket + 1; 0 is empty */
};

/* True if bucket b was not in the set yet (and adds it). */
static int dedup_add(struct dedup *d, uint32_t b)
{
	uint32_t i = (b * 2654435761u) & d->mask;

	while (d->slot[i]) {
		if (d->slot[i] == b + 1)
			return 0;
		i = (i + 1) & d->mask;
	}
	d->slot[i] = b + 1;
	return 1;
}

/* Adds bucket b unless present; returns its index, or -1 when not added. */
static int add(struct features *f, struct dedup *d, uint32_t b, uint32_t tok, int kind)
{
	if (f->n >= FEAT_MAX || !dedup_add(d, b))
		return -1;
	f->bucket[f->n] = b;
	f->tok[f->n] = (uint16_t)tok;
	f->kind[f->n] = (uint8_t)kind;
	return (int)f->n++;
}

static bool is_word_char(char c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '_';
}

/* Pieces of token i: runs of letters, digits and _ of 2+ bytes, for tokens with punctuation in
 * them; class tokens (<IP>) have none. */
static void hash_pieces(struct feat_hashes *h, struct sw_str tok)
{
	uint32_t i = 0;

	if (tok.len < 3 || tok.p[0] == '<')
		return;
	while (i < tok.len) {
		uint32_t b;

		while (i < tok.len && !is_word_char(tok.p[i]))
			i++;
		b = i;
		while (i < tok.len && is_word_char(tok.p[i]))
			i++;
		if (i - b < 2 || i - b == tok.len || h->np >= FEAT_PIECES_MAX)
			continue;
		h->piece[h->np] = feat_hash_piece((struct sw_str){ tok.p + b, i - b });
		h->poff[h->np] = (uint8_t)b;
		h->plen[h->np++] = (uint8_t)(i - b);
	}
}

void features_hash(const struct shtok *t, struct feat_hashes *h)
{
	h->n = t->n;
	h->np = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		struct sw_str cur = shtok_get(t, i);

		h->uni[i] = fnv_add(FNV_BASIS, cur.p, cur.len);
		h->bi[i] = i ? bigram_of(h->uni[i - 1], h->uni[i]) : 0;
		h->pstart[i] = (uint16_t)h->np;
		hash_pieces(h, cur);
	}
	h->pstart[t->n] = (uint16_t)h->np;
}

void features_select(const struct feat_hashes *h, uint32_t from, uint32_t to, unsigned bits,
		     struct features *f)
{
	struct dedup d;
	uint32_t size = 16, mask;

	if (bits < FEAT_BITS_MIN)
		bits = FEAT_BITS_MIN;
	if (bits > FEAT_BITS_MAX)
		bits = FEAT_BITS_MAX;
	mask = (1u << bits) - 1;
	if (to > h->n)
		to = h->n;
	if (from > to)
		from = to;
	while (size < 2 * (2 * (to - from) + h->pstart[to] - h->pstart[from]) && size < 2 * FEAT_MAX)
		size <<= 1;
	d.mask = size - 1;
	memset(d.slot, 0, size * sizeof(d.slot[0]));
	f->n = 0;
	for (uint32_t i = from; i < to; i++) {
		add(f, &d, h->uni[i] & mask, i, FEAT_UNIGRAM);
		if (i > from)
			add(f, &d, h->bi[i] & mask, i, FEAT_BIGRAM);
		for (uint32_t p = h->pstart[i]; p < h->pstart[i + 1]; p++) {
			int k = add(f, &d, h->piece[p] & mask, i, FEAT_PIECE);

			if (k >= 0) {
				f->poff[k] = h->poff[p];
				f->plen[k] = h->plen[p];
			}
		}
	}
}

void features_extract_range(const struct shtok *t, uint32_t from, uint32_t to, unsigned bits,
			    struct features *f)
{
	struct feat_hashes h;

	features_hash(t, &h);
	features_select(&h, from, to, bits, f);
}

void features_extract(const struct shtok *t, unsigned bits, struct features *f)
{
	features_extract_range(t, 0, t->n, bits, f);
}
