/* SPD lookup index: hash tables on (destination prefix length, masked
 * destination), see spd_index.h. */
#include "config.h"
#include "model/spd_index.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

/* Addresses as two 64-bit halves (IPv4 in the top 32 bits of HI), so
 * masking and comparing is a few integer operations for both families. */
struct u128 {
	uint64_t hi, lo;
};

static struct u128 load(const uint8_t b[16])
{
	struct u128 v = { 0, 0 };
	for (int i = 0; i < 8; i++) {
		v.hi = v.hi << 8 | b[i];
		v.lo = v.lo << 8 | b[8 + i];
	}
	return v;
}

static struct u128 mask_of(unsigned len)
{
	struct u128 m;
	m.hi = len == 0 ? 0 : len >= 64 ? UINT64_MAX : UINT64_MAX << (64 - len);
	m.lo = len <= 64 ? 0 : len >= 128 ? UINT64_MAX : UINT64_MAX << (128 - len);
	return m;
}

static inline struct u128 and128(struct u128 a, struct u128 m)
{
	return (struct u128){ a.hi & m.hi, a.lo & m.lo };
}

/* One entry, reduced to what verification needs. */
struct cand {
	struct u128 src, src_mask;
	uint32_t index;
	uint16_t port_lo, port_hi;
	unsigned proto;                 /* PROTO_ANY: any */
	uint8_t src_family;
	uint8_t any_port;
	uint8_t dst_len;                /* building only */
	struct u128 dst;                /* masked; building only */
};

struct slot {
	struct u128 key;
	uint32_t start, count;          /* into cands */
	uint32_t first_index;           /* the group's smallest entry index */
	uint8_t len;
	uint8_t used;
};

/* A destination prefix length present in one family. */
struct len_info {
	struct u128 mask;
	uint32_t min_index;             /* smallest entry index with this length */
	uint8_t len;
};

struct family_index {
	struct len_info *lens;          /* sorted by min_index */
	size_t n_lens;
	struct slot *slots;             /* open addressing, power of two */
	size_t mask;
	/* A one-bit-per-hash filter in front of the table: most lengths have
	 * no group for a given destination, and the filter (small enough to
	 * stay in cache) says so without touching the table. */
	uint64_t *filter;
	size_t filter_mask;             /* in bits */
};

struct spd_index {
	struct cand *cands;             /* grouped by (family, len, key), index order inside */
	size_t n;
	struct family_index fam[2];     /* IPv4, IPv6 */
};

static inline size_t hash(struct u128 k, unsigned len)
{
	uint64_t h = k.hi * 0x9e3779b97f4a7c15ULL ^ (k.lo + len) * 0xc2b2ae3d27d4eb4fULL;
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	return (size_t)(h ^ h >> 32);
}

static int fam_slot(uint8_t family)
{
	return family == AF_V6 ? 1 : family == AF_V4 ? 0 : -1;
}

static int cmp_cand(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	if (a->dst_len != b->dst_len)
		return a->dst_len < b->dst_len ? -1 : 1;
	if (a->dst.hi != b->dst.hi)
		return a->dst.hi < b->dst.hi ? -1 : 1;
	if (a->dst.lo != b->dst.lo)
		return a->dst.lo < b->dst.lo ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static bool same_group(const struct cand *a, const struct cand *b)
{
	return a->dst_len == b->dst_len && a->dst.hi == b->dst.hi && a->dst.lo == b->dst.lo;
}

static int cmp_len(const void *pa, const void *pb)
{
	const struct len_info *a = pa, *b = pb;
	return a->min_index < b->min_index ? -1 : a->min_index > b->min_index;
}

static void build_family(struct spd_index *ix, struct family_index *fi, size_t start,
			 size_t count)
{
	struct cand *c = ix->cands + start;
	qsort(c, count, sizeof(*c), cmp_cand);
	size_t groups = 0;
	for (size_t i = 0; i < count; i++)
		if (i == 0 || !same_group(&c[i], &c[i - 1]))
			groups++;
	size_t cap = 8;
	while (cap < 2 * groups)
		cap *= 2;
	fi->slots = xcalloc(cap, sizeof(*fi->slots));
	fi->mask = cap - 1;
	size_t fbits = 1024;
	while (fbits < 16 * groups)
		fbits *= 2;
	fi->filter = xcalloc(fbits / 64, sizeof(*fi->filter));
	fi->filter_mask = fbits - 1;

	uint32_t min_by_len[129];
	bool has_len[129] = { false };
	for (size_t i = 0; i < count;) {
		size_t j = i + 1;
		while (j < count && same_group(&c[j], &c[i]))
			j++;
		size_t h = hash(c[i].dst, c[i].dst_len) & fi->mask;
		while (fi->slots[h].used)
			h = (h + 1) & fi->mask;
		fi->slots[h] = (struct slot){ c[i].dst, (uint32_t)(start + i), (uint32_t)(j - i),
					      c[i].index, c[i].dst_len, 1 };
		size_t fb = hash(c[i].dst, c[i].dst_len) >> 7 & fi->filter_mask;
		fi->filter[fb / 64] |= UINT64_C(1) << (fb % 64);
		unsigned L = c[i].dst_len;
		if (!has_len[L] || c[i].index < min_by_len[L]) {
			min_by_len[L] = c[i].index;     /* first of the group: its smallest */
			has_len[L] = true;
		}
		i = j;
	}
	fi->lens = xcalloc(129, sizeof(*fi->lens));
	for (unsigned L = 0; L <= 128; L++)
		if (has_len[L])
			fi->lens[fi->n_lens++] = (struct len_info){ mask_of(L), min_by_len[L],
								    (uint8_t)L };
	qsort(fi->lens, fi->n_lens, sizeof(*fi->lens), cmp_len);
}

struct spd_index *spd_index_build_strided(const struct selector *first, size_t n,
					  size_t stride)
{
	struct spd_index *ix = xcalloc(1, sizeof(*ix));
	ix->n = n;
	ix->cands = xcalloc(n ? n : 1, sizeof(*ix->cands));
	/* IPv4 entries first, then IPv6; an entry of neither family never matches */
	size_t counts[2] = { 0, 0 }, k = 0;
	for (int f = 0; f < 2; f++) {
		for (size_t i = 0; i < n; i++) {
			const struct selector *s =
				(const struct selector *)((const char *)first + i * stride);
			if (fam_slot(s->dst.addr.family) != f)
				continue;
			unsigned max = f ? 128 : 32;
			unsigned dl = s->dst.len > max ? max : s->dst.len;
			unsigned sl = s->src.len > max ? max : s->src.len;
			/* IPv4 sits in the top bits: a /L v4 prefix is a /L u128 prefix */
			struct cand *c = &ix->cands[k++];
			c->index = (uint32_t)i;
			c->dst_len = (uint8_t)dl;
			c->dst = and128(load(s->dst.addr.b), mask_of(dl));
			c->src_mask = mask_of(sl);
			c->src = and128(load(s->src.addr.b), c->src_mask);
			c->src_family = s->src.addr.family;
			c->proto = s->proto;
			c->any_port = !s->port_lo && !s->port_hi;
			c->port_lo = s->port_lo;
			c->port_hi = s->port_hi;
			counts[f]++;
		}
	}
	build_family(ix, &ix->fam[0], 0, counts[0]);
	build_family(ix, &ix->fam[1], counts[0], counts[1]);
	return ix;
}

struct spd_index *spd_index_build(const struct selector *sels, size_t n)
{
	return spd_index_build_strided(sels, n, sizeof(*sels));
}

void spd_index_free(struct spd_index *ix)
{
	if (!ix)
		return;
	for (int f = 0; f < 2; f++) {
		free(ix->fam[f].lens);
		free(ix->fam[f].slots);
		free(ix->fam[f].filter);
	}
	free(ix->cands);
	free(ix);
}

size_t spd_index_size(const struct spd_index *ix)
{
	return ix->n;
}

size_t spd_index_lookup(const struct spd_index *ix, const struct ip_addr *src,
			const struct ip_addr *dst, unsigned proto, uint16_t dport)
{
	int f = fam_slot(dst->family);
	if (f < 0 || src->family != dst->family)
		return SPD_INDEX_NONE;
	const struct family_index *fi = &ix->fam[f];
	struct u128 d = load(dst->b), s = load(src->b);
	size_t best = SPD_INDEX_NONE;
	for (size_t l = 0; l < fi->n_lens; l++) {
		const struct len_info *li = &fi->lens[l];
		if (li->min_index >= best)
			break;          /* sorted: no later length can do better */
		struct u128 key = and128(d, li->mask);
		size_t hv = hash(key, li->len), fb = hv >> 7 & fi->filter_mask;
		if (!(fi->filter[fb / 64] & UINT64_C(1) << (fb % 64)))
			continue;
		size_t h = hv & fi->mask;
		const struct slot *sl;
		for (;; h = (h + 1) & fi->mask) {
			sl = &fi->slots[h];
			if (!sl->used || (sl->len == li->len && sl->key.hi == key.hi &&
					  sl->key.lo == key.lo))
				break;
		}
		if (!sl->used || sl->first_index >= best)
			continue;
		const struct cand *c = ix->cands + sl->start, *end = c + sl->count;
		for (; c < end && c->index < best; c++) {
			if (c->src_family != dst->family)
				continue;
			if (((s.hi & c->src_mask.hi) != c->src.hi) ||
			    ((s.lo & c->src_mask.lo) != c->src.lo))
				continue;
			if (c->proto && c->proto != proto)
				continue;
			if (!c->any_port && (dport < c->port_lo || dport > c->port_hi))
				continue;
			best = c->index;
			break;
		}
	}
	return best;
}
