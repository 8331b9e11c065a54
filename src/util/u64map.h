/* A hash multimap from 64-bit keys to indexes (open addressing, linear
 * probing, no removal).  Callers make the key from what they look up (a
 * pointer, an SPI, several things mixed with u64map_mix) and check each candidate, so a
 * key shared by two different things costs a comparison, never a wrong
 * answer.  The engine's per-packet lookups (bundles, SPIs, inner subnets,
 * interfaces) go through it, so a run costs the same per packet with ten
 * tunnels or a hundred thousand. */
#ifndef TUNC_U64MAP_H
#define TUNC_U64MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct u64map {
	struct u64map_slot { uint64_t key; size_t val; } *slots;  /* val 0: empty */
	size_t cap, n;
	size_t room;            /* entries it holds before growing */
};

/* Walks the values of one key: u64map_first, then u64map_next until false. */
struct u64map_iter {
	const struct u64map *m;
	uint64_t key;
	size_t at;
};

void u64map_init(struct u64map *m);
void u64map_free(struct u64map *m);
/* Room for MORE entries beyond those held, in one allocation sized to be
 * three quarters full: for a caller that knows its count. */
void u64map_reserve(struct u64map *m, size_t more);
/* Forgets every entry, keeping the memory. */
void u64map_clear(struct u64map *m);
/* Adds VAL under KEY (a key may hold several values). */
void u64map_add(struct u64map *m, uint64_t key, size_t val);
/* The first value under KEY into *VAL; false when there is none. */
bool u64map_first(const struct u64map *m, uint64_t key, struct u64map_iter *it, size_t *val);
bool u64map_next(struct u64map_iter *it, size_t *val);

/* Mixes V into the key H (a 64-bit finaliser: every bit of V moves H). */
static inline uint64_t u64map_mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15u + (h << 6) + (h >> 2);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdu;
	h ^= h >> 33;
	return h;
}

static inline uint64_t u64map_mix_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t w = 0;
	for (size_t i = 0; i < n; i++) {
		w = w << 8 | b[i];
		if (i % 8 == 7) {
			h = u64map_mix(h, w);
			w = 0;
		}
	}
	return u64map_mix(h, w ^ n);
}

#endif
