/* SPD lookup index: hash tables on (destination prefix length, masked
 * destination), and inside a large destination group a second level on
 * (source prefix length, masked source), as the kernel's xfrm keeps a
 * second tree on the source; see spd_index.h. */
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
	uint8_t src_len;                /* building only */
	struct u128 dst;                /* masked; building only */
};

/* A destination group with more entries than this is looked up through a
 * second level on the source prefix instead of scanned. */
enum { GROUP_SCAN_MAX = 16 };

struct slot {
	struct u128 key;
	uint32_t start, count;          /* into cands */
	uint32_t first_index;           /* the group's smallest entry index */
	uint32_t sub;                   /* 1 + its second level in spd_index.subs; 0: none */
	uint8_t len;
	uint8_t used;
	/* A second-level slot of one entry whose source is of the group's
	 * family is verified here, without a load of its candidate (a cache
	 * miss in a large SPD): the key is its source; protocol and ports. */
	uint8_t direct;
	uint8_t proto;                  /* direct: PROTO_ANY (0) or the protocol */
	uint16_t port_lo, port_hi;      /* direct: both 0 for any port */
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

/* The second level of one large destination group: its entries grouped by
 * (source prefix length, masked source), each subgroup in index order. */
enum { SRC_LENS_INLINE = 2 };
struct src_level {
	struct len_info *lens;          /* source lengths, sorted by min_index */
	size_t n_lens;
	struct slot *slots;             /* open addressing, power of two */
	size_t mask;
	/* Up to SRC_LENS_INLINE lengths (most hubs: one or two local subnet
	 * lengths) kept here, beside the header, rather than a load away. */
	struct len_info inline_lens[SRC_LENS_INLINE];
};

struct spd_index {
	struct cand *cands;             /* grouped by (family, len, key), index order inside
					 * (a large group: by source length and source) */
	size_t n;
	struct family_index fam[2];     /* IPv4, IPv6 */
	struct src_level *subs;
	size_t n_subs, cap_subs;
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

static int cmp_src(const void *pa, const void *pb)
{
	const struct cand *a = pa, *b = pb;
	if (a->src_len != b->src_len)
		return a->src_len < b->src_len ? -1 : 1;
	if (a->src.hi != b->src.hi)
		return a->src.hi < b->src.hi ? -1 : 1;
	if (a->src.lo != b->src.lo)
		return a->src.lo < b->src.lo ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

static bool same_src(const struct cand *a, const struct cand *b)
{
	return a->src_len == b->src_len && a->src.hi == b->src.hi && a->src.lo == b->src.lo;
}

static int cmp_len(const void *pa, const void *pb)
{
	const struct len_info *a = pa, *b = pb;
	return a->min_index < b->min_index ? -1 : a->min_index > b->min_index;
}

/* The second level of the group at cands[start, start + count): sorted by
 * source, one slot per (source length, masked source). */
static void build_src_level(struct spd_index *ix, struct src_level *sl, size_t start,
			    size_t count, uint8_t family)
{
	struct cand *c = ix->cands + start;
	qsort(c, count, sizeof(*c), cmp_src);
	size_t groups = 0;
	for (size_t i = 0; i < count; i++)
		if (i == 0 || !same_src(&c[i], &c[i - 1]))
			groups++;
	size_t cap = 8;
	while (cap < 2 * groups)
		cap *= 2;
	sl->slots = xcalloc(cap, sizeof(*sl->slots));
	sl->mask = cap - 1;
	uint32_t min_by_len[129];
	bool has_len[129] = { false };
	for (size_t i = 0; i < count;) {
		size_t j = i + 1;
		while (j < count && same_src(&c[j], &c[i]))
			j++;
		size_t h = hash(c[i].src, c[i].src_len) & sl->mask;
		while (sl->slots[h].used)
			h = (h + 1) & sl->mask;
		sl->slots[h] = (struct slot){ c[i].src, (uint32_t)(start + i), (uint32_t)(j - i),
					      c[i].index, 0, c[i].src_len, 1, 0, 0, 0, 0 };
		if (j - i == 1 && c[i].src_family == family && c[i].proto <= UINT8_MAX) {
			sl->slots[h].direct = 1;
			sl->slots[h].proto = (uint8_t)c[i].proto;
			sl->slots[h].port_lo = c[i].any_port ? 0 : c[i].port_lo;
			sl->slots[h].port_hi = c[i].any_port ? 0 : c[i].port_hi;
		}
		unsigned L = c[i].src_len;
		if (!has_len[L] || c[i].index < min_by_len[L]) {
			min_by_len[L] = c[i].index;
			has_len[L] = true;
		}
		i = j;
	}
	sl->lens = xcalloc(129, sizeof(*sl->lens));
	for (unsigned L = 0; L <= 128; L++)
		if (has_len[L])
			sl->lens[sl->n_lens++] = (struct len_info){ mask_of(L), min_by_len[L],
								    (uint8_t)L };
	qsort(sl->lens, sl->n_lens, sizeof(*sl->lens), cmp_len);
	if (sl->n_lens <= SRC_LENS_INLINE)
		memcpy(sl->inline_lens, sl->lens, sl->n_lens * sizeof(*sl->lens));
}

static void build_family(struct spd_index *ix, struct family_index *fi, size_t start,
			 size_t count, uint8_t family)
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
					      c[i].index, 0, c[i].dst_len, 1, 0, 0, 0, 0 };
		size_t fb = hash(c[i].dst, c[i].dst_len) >> 7 & fi->filter_mask;
		fi->filter[fb / 64] |= UINT64_C(1) << (fb % 64);
		unsigned L = c[i].dst_len;
		if (!has_len[L] || c[i].index < min_by_len[L]) {
			min_by_len[L] = c[i].index;     /* first of the group: its smallest */
			has_len[L] = true;
		}
		/* Last: the second level reorders the group by source. */
		if (j - i > GROUP_SCAN_MAX) {
			if (ix->n_subs == ix->cap_subs) {
				ix->cap_subs = ix->cap_subs ? 2 * ix->cap_subs : 16;
				ix->subs = xrealloc(ix->subs, ix->cap_subs * sizeof(*ix->subs));
			}
			struct src_level *sl = &ix->subs[ix->n_subs++];
			memset(sl, 0, sizeof(*sl));
			build_src_level(ix, sl, start + i, j - i, family);
			fi->slots[h].sub = (uint32_t)ix->n_subs;
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
			c->src_len = (uint8_t)sl;
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
	build_family(ix, &ix->fam[0], 0, counts[0], AF_V4);
	build_family(ix, &ix->fam[1], counts[0], counts[1], AF_V6);
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
	for (size_t i = 0; i < ix->n_subs; i++) {
		free(ix->subs[i].lens);
		free(ix->subs[i].slots);
	}
	free(ix->subs);
	free(ix->cands);
	free(ix);
}

size_t spd_index_size(const struct spd_index *ix)
{
	return ix->n;
}

/* The first entry of C[0, N) (index order) that matches beyond its
 * destination, if its index is below BEST. */
static size_t scan(const struct cand *c, size_t n, size_t best, uint8_t family, struct u128 s,
		   unsigned proto, uint16_t dport)
{
	for (const struct cand *end = c + n; c < end && c->index < best; c++) {
		if (c->src_family != family)
			continue;
		if (((s.hi & c->src_mask.hi) != c->src.hi) ||
		    ((s.lo & c->src_mask.lo) != c->src.lo))
			continue;
		if (c->proto && c->proto != proto)
			continue;
		if (!c->any_port && (dport < c->port_lo || dport > c->port_hi))
			continue;
		return c->index;
	}
	return best;
}

/* A slot of TABLE (MASK) for KEY of length LEN, or NULL. */
static const struct slot *probe(const struct slot *table, size_t mask, struct u128 key,
				unsigned len, size_t hv)
{
	for (size_t h = hv & mask;; h = (h + 1) & mask) {
		const struct slot *sl = &table[h];
		if (!sl->used)
			return NULL;
		if (sl->len == len && sl->key.hi == key.hi && sl->key.lo == key.lo)
			return sl;
	}
}

/* The best entry of a large group through its second level: one probe per
 * distinct source length, in the order of their smallest entry index. */
static size_t lookup_src_level(const struct spd_index *ix, const struct src_level *sl,
			       size_t best, uint8_t family, struct u128 s, unsigned proto,
			       uint16_t dport)
{
	const struct len_info *lens = sl->n_lens <= SRC_LENS_INLINE ? sl->inline_lens : sl->lens;
	for (size_t l = 0; l < sl->n_lens; l++) {
		const struct len_info *li = &lens[l];
		if (li->min_index >= best)
			break;
		struct u128 key = and128(s, li->mask);
		const struct slot *g = probe(sl->slots, sl->mask, key, li->len, hash(key, li->len));
		if (!g || g->first_index >= best)
			continue;
		if (!g->direct)
			best = scan(ix->cands + g->start, g->count, best, family, s, proto, dport);
		else if ((!g->proto || g->proto == proto) &&
			 ((!g->port_lo && !g->port_hi) || (dport >= g->port_lo && dport <= g->port_hi)))
			best = g->first_index;  /* its only entry, the key being its source */
	}
	return best;
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
		const struct slot *sl = probe(fi->slots, fi->mask, key, li->len, hv);
		if (!sl || sl->first_index >= best)
			continue;
		if (sl->sub)
			best = lookup_src_level(ix, &ix->subs[sl->sub - 1], best, dst->family, s,
						proto, dport);
		else
			best = scan(ix->cands + sl->start, sl->count, best, dst->family, s, proto,
				    dport);
	}
	return best;
}
