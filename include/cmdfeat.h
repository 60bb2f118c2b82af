/* cmdfeat.h: the features of one tokenized command line (named so as not to shadow glibc's
 * <features.h>): binary presence of hashed token unigrams, bigrams and token pieces (the letter and
 * digit runs of a token with punctuation in it: "/dev/tcp" -> dev, tcp), FNV-1a 32-bit, low `bits`
 * bits, deduplicated, each remembering where it came from so a score can be explained. Pieces let
 * an unseen token share evidence with known ones. Shared by inference (score.c) and training
 * (tools/featurize). */
#ifndef SW_CMDFEAT_H
#define SW_CMDFEAT_H

#include <stdint.h>
#include "event.h"
#include "shtok.h"

#define FEAT_PIECES_MAX (2 * SHTOK_MAX_TOKENS)   /* pieces beyond this are not used */
#define FEAT_MAX (2 * SHTOK_MAX_TOKENS + FEAT_PIECES_MAX)

enum feat_kind { FEAT_UNIGRAM, FEAT_BIGRAM, FEAT_PIECE };
#define FEAT_BITS_MIN 8
#define FEAT_BITS_MAX 24

struct features {
	uint32_t n;
	uint32_t bucket[FEAT_MAX];   /* distinct buckets, in first-seen order */
	uint16_t tok[FEAT_MAX];      /* the token (for a bigram: its second token) */
	uint8_t kind[FEAT_MAX];      /* enum feat_kind */
	uint8_t poff[FEAT_MAX], plen[FEAT_MAX]; /* a piece: its bytes in the token */
};

/* FNV-1a 32 of a token; of a bigram: FNV-1a over a, the byte 0x1f and the 4 bytes of b's hash
 * (little-endian); of a piece: over the byte 0x1e, then the piece. */
uint32_t feat_hash_unigram(struct sw_str a);
uint32_t feat_hash_bigram(struct sw_str a, struct sw_str b);
uint32_t feat_hash_piece(struct sw_str p);

/* Fill f from the tokens of t, with buckets masked to `bits` bits (FEAT_BITS_MIN..FEAT_BITS_MAX). */
void features_extract(const struct shtok *t, unsigned bits, struct features *f);
/* The same for tokens [from, to) only. */
void features_extract_range(const struct shtok *t, uint32_t from, uint32_t to, unsigned bits,
			    struct features *f);

/* Hash once, select many times (scoring several ranges of one line): uni[i] is the unigram hash
 * of token i, bi[i] the bigram hash of tokens i-1, i (i >= 1), pieces pstart[i]..pstart[i+1]-1
 * belong to token i. */
struct feat_hashes {
	uint32_t n, np;
	uint32_t uni[SHTOK_MAX_TOKENS], bi[SHTOK_MAX_TOKENS];
	uint16_t pstart[SHTOK_MAX_TOKENS + 1];
	uint32_t piece[FEAT_PIECES_MAX];
	uint8_t poff[FEAT_PIECES_MAX], plen[FEAT_PIECES_MAX];
};
void features_hash(const struct shtok *t, struct feat_hashes *h);
void features_select(const struct feat_hashes *h, uint32_t from, uint32_t to, unsigned bits,
		     struct features *f);

#endif /* SW_CMDFEAT_H */
