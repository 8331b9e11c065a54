/* SPD lookup index: tuple space search, as Open vSwitch's classifier does
 * it.  One hash table per (destination prefix length, source prefix length)
 * present in the SPD, keyed by the masked (destination, source) pair; the
 * key's first entry is verified from its slot (protocol and ports are kept
 * there), so a hit costs one cache line and the tables' probes do not wait
 * for each other; see spd_index.h. */
#include "config.h"
#include "model/spd_index.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

/* One SPD entry, reduced; building only. */
struct ent {
	struct u128 dst, src;           /* masked */
	uint32_t index;
	unsigned proto;                 /* PROTO_ANY: any */
	uint16_t port_lo, port_hi;      /* both 0: any */
	uint8_t dst_len, src_len;
};

/* An entry of a key verified outside its slot: the key's later entries,
 * in index order (and the first one when its protocol does not fit the
 * slot). */
struct more {
	uint32_t index;
	unsigned proto;
	uint16_t port_lo, port_hi;
	uint32_t last;                  /* the key's last one */
};

/* What a slot holds besides its key (16 bytes). */
struct hit {
	uint32_t first_index;           /* the key's smallest entry index */
	uint32_t more;                  /* 1 + offset into spd_index.more; 0: none */
	uint16_t port_lo, port_hi;      /* the first entry's, when INLINE_OK */
	uint16_t proto;
	uint8_t used;
	uint8_t inline_ok;              /* the first entry is verified here */
};

/* Slots of one cache line or half of one (the tables are aligned). */
struct slot4 {
	uint64_t key;                   /* destination << 32 | source */
	struct hit h;
	uint64_t pad;
};

struct slot6 {
	struct u128 dst, src;
	struct hit h;
	uint64_t pad[2];
};

_Static_assert(sizeof(struct slot4) == 32, "an IPv4 slot is half a cache line");
_Static_assert(sizeof(struct slot6) == 64, "an IPv6 slot is a cache line");

/* One (destination length, source length) and its table. */
struct tuple {
	struct u128 dst_mask, src_mask;
	uint32_t dst_mask4, src_mask4;  /* IPv4: the same, 32 bits */
	uint32_t min_index;             /* smallest entry index in the table */
	size_t mask;                    /* slots - 1 (a power of two) */
	unsigned shift;                 /* 64 - log2(slots): a hash's top bits index */
	/* One bit per filter hash, 16 bits a key: "no key of this tuple" for
	 * most misses without a walk along the table (a branch mispredicted
	 * per slot looked at, a cache miss per line in a large SPD). */
	uint64_t *filter;
	unsigned fshift;                /* 64 - log2(filter bits) */
	void *slots;                    /* struct slot4 or slot6, aligned */
	void *mem;                      /* what to free */
};

struct family_index {
	struct tuple *tuples;           /* sorted by min_index */
	size_t n;
	size_t ahead;                   /* tuples prefetched: 0 while the tables fit in cache */
};

struct spd_index {
	size_t n;
	struct family_index fam[2];     /* IPv4, IPv6 */
	struct more *more;
	size_t n_more, cap_more;
};

/* In a large SPD, the first tuples' slots are prefetched before any is
 * verified: their loads (cache misses) are then in flight together.  Tables
 * that fit in the L2 cache gain nothing from it. */
enum { PREFETCH_TUPLES = 8, PREFETCH_MIN_BYTES = 1 << 20 };

/* Multiplicative (Fibonacci) hashing: the table index is the top bits of
 * the product, which depend on every bit of the key; one multiplication
 * per tuple keeps a small SPD's lookup as cheap as a large one's is short. */
static inline uint64_t hash4(uint64_t key)
{
	return key * 0x9e3779b97f4a7c15ULL;
}

/* The filter's hash: another multiplier, so its bits are independent of
 * the slot's. */
static inline uint64_t fhash4(uint64_t key)
{
	return key * 0xc2b2ae3d27d4eb4fULL;
}

static inline uint64_t fold6(struct u128 d, struct u128 s)
{
	uint64_t x = d.hi * 0xc2b2ae3d27d4eb4fULL ^ d.lo * 0x165667b19e3779f9ULL ^
		     s.hi * 0x27d4eb2f165667c5ULL ^ s.lo;
	return x ^ x >> 29;
}

static inline uint64_t hash6(uint64_t folded)
{
	return folded * 0x9e3779b97f4a7c15ULL;
}

static inline uint64_t fhash6(uint64_t folded)
{
	return folded * 0xc2b2ae3d27d4eb4fULL;
}

static inline bool filter_has(const uint64_t *filter, size_t bit)
{
	return filter[bit / 64] >> (bit % 64) & 1;
}

static inline uint64_t key4(struct u128 d, struct u128 s)
{
	return (d.hi & 0xffffffff00000000ULL) | s.hi >> 32;
}

static int fam_slot(uint8_t family)
{
	return family == AF_V6 ? 1 : family == AF_V4 ? 0 : -1;
}

static int cmp_u128(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

/* By tuple, then key, then index. */
static int cmp_ent(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;
	if (a->dst_len != b->dst_len)
		return a->dst_len < b->dst_len ? -1 : 1;
	if (a->src_len != b->src_len)
		return a->src_len < b->src_len ? -1 : 1;
	int c = cmp_u128(a->dst, b->dst);
	if (!c)
		c = cmp_u128(a->src, b->src);
	return c ? c : a->index < b->index ? -1 : a->index > b->index;
}

static bool same_tuple(const struct ent *a, const struct ent *b)
{
	return a->dst_len == b->dst_len && a->src_len == b->src_len;
}

static bool same_key(const struct ent *a, const struct ent *b)
{
	return same_tuple(a, b) && !cmp_u128(a->dst, b->dst) && !cmp_u128(a->src, b->src);
}

static int cmp_tuple(const void *pa, const void *pb)
{
	const struct tuple *a = pa, *b = pb;
	return a->min_index < b->min_index ? -1 : a->min_index > b->min_index;
}

/* Zeroed, aligned to a cache line; a big table on huge pages where the
 * system offers them (a lookup touches random lines of it: with 4 KiB pages
 * nearly each one is also a TLB miss). */
static void *table_alloc(size_t bytes, void **mem)
{
	size_t align = bytes >= ((size_t)2 << 20) ? (size_t)2 << 20 : 64;
	*mem = xmalloc(bytes + align);
	void *p = (void *)(((uintptr_t)*mem + align - 1) & ~(uintptr_t)(align - 1));
#ifdef MADV_HUGEPAGE
	if (align > 64)
		(void)madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return memset(p, 0, bytes);
}

static uint32_t add_more(struct spd_index *ix, const struct ent *e, bool last)
{
	if (ix->n_more == ix->cap_more) {
		ix->cap_more = ix->cap_more ? 2 * ix->cap_more : 64;
		ix->more = xrealloc(ix->more, ix->cap_more * sizeof(*ix->more));
	}
	ix->more[ix->n_more] = (struct more){ e->index, e->proto, e->port_lo, e->port_hi, last };
	return (uint32_t)ix->n_more++;
}

static bool any_traffic(const struct ent *e)
{
	return e->proto == PROTO_ANY && !e->port_lo && !e->port_hi;
}

/* The slot contents of the key at E[0, N) (index order). */
static struct hit make_hit(struct spd_index *ix, const struct ent *e, size_t n)
{
	/* An entry for any traffic hides the key's later ones. */
	for (size_t i = 0; i + 1 < n; i++)
		if (any_traffic(&e[i]))
			n = i + 1;
	struct hit h = { e[0].index, 0, 0, 0, 0, 1, e[0].proto <= UINT16_MAX };
	if (h.inline_ok) {
		h.proto = (uint16_t)e[0].proto;
		h.port_lo = e[0].port_lo;
		h.port_hi = e[0].port_hi;
	}
	for (size_t i = h.inline_ok ? 1 : 0; i < n; i++) {
		uint32_t at = add_more(ix, &e[i], i + 1 == n);
		if (!h.more)
			h.more = at + 1;
	}
	return h;
}

/* The table of the tuple at E[0, N), sorted by key. */
static void build_tuple(struct spd_index *ix, struct tuple *t, const struct ent *e, size_t n,
			bool v6)
{
	size_t keys = 0;
	for (size_t i = 0; i < n; i++)
		keys += i == 0 || !same_key(&e[i], &e[i - 1]);
	size_t cap = 8;
	unsigned bits = 3;
	while (cap < 2 * keys) {
		cap *= 2;
		bits++;
	}
	t->mask = cap - 1;
	t->shift = 64 - bits;
	unsigned fbits = 6;
	while (((size_t)1 << fbits) < 16 * keys)
		fbits++;
	t->filter = xcalloc(((size_t)1 << fbits) / 64, sizeof(*t->filter));
	t->fshift = 64 - fbits;
	t->slots = table_alloc(cap * (v6 ? sizeof(struct slot6) : sizeof(struct slot4)), &t->mem);
	t->dst_mask = mask_of(e[0].dst_len);
	t->src_mask = mask_of(e[0].src_len);
	t->dst_mask4 = (uint32_t)(t->dst_mask.hi >> 32);
	t->src_mask4 = (uint32_t)(t->src_mask.hi >> 32);
	t->min_index = UINT32_MAX;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && same_key(&e[j], &e[i]))
			j++;
		struct hit h = make_hit(ix, &e[i], j - i);
		if (h.first_index < t->min_index)
			t->min_index = h.first_index;
		if (v6) {
			struct slot6 *tab = t->slots;
			uint64_t folded = fold6(e[i].dst, e[i].src);
			size_t at = (size_t)(hash6(folded) >> t->shift), fb = fhash6(folded) >> t->fshift;
			t->filter[fb / 64] |= UINT64_C(1) << (fb % 64);
			while (tab[at].h.used)
				at = (at + 1) & t->mask;
			tab[at].dst = e[i].dst;
			tab[at].src = e[i].src;
			tab[at].h = h;
		} else {
			struct slot4 *tab = t->slots;
			uint64_t key = key4(e[i].dst, e[i].src);
			size_t at = (size_t)(hash4(key) >> t->shift), fb = fhash4(key) >> t->fshift;
			t->filter[fb / 64] |= UINT64_C(1) << (fb % 64);
			while (tab[at].h.used)
				at = (at + 1) & t->mask;
			tab[at].key = key;
			tab[at].h = h;
		}
		i = j;
	}
}

/* Appends selector S, entry I, to E[*K] if it belongs to family slot F. */
static void add_ent(struct ent *e, size_t *k, const struct selector *s, size_t i, int f)
{
	/* A source of another family never matches a packet of this one. */
	if (fam_slot(s->dst.addr.family) != f || s->src.addr.family != s->dst.addr.family)
		return;
	unsigned max = f ? 128 : 32;
	unsigned dl = s->dst.len > max ? max : s->dst.len;
	unsigned sl = s->src.len > max ? max : s->src.len;
	/* IPv4 sits in the top bits: a /L v4 prefix is a /L u128 prefix */
	e[(*k)++] = (struct ent){ and128(load(s->dst.addr.b), mask_of(dl)),
				  and128(load(s->src.addr.b), mask_of(sl)),
				  (uint32_t)i,
				  s->proto,
				  s->port_lo,
				  s->port_hi,
				  (uint8_t)dl,
				  (uint8_t)sl };
}

static void build_family(struct spd_index *ix, struct family_index *fi, struct ent *e,
			 size_t n, bool v6)
{
	qsort(e, n, sizeof(*e), cmp_ent);
	for (size_t i = 0; i < n; i++)
		fi->n += i == 0 || !same_tuple(&e[i], &e[i - 1]);
	fi->tuples = xcalloc(fi->n, sizeof(*fi->tuples));
	size_t t = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && same_tuple(&e[j], &e[i]))
			j++;
		build_tuple(ix, &fi->tuples[t++], e + i, j - i, v6);
		i = j;
	}
	qsort(fi->tuples, fi->n, sizeof(*fi->tuples), cmp_tuple);
	size_t bytes = 0;
	for (size_t i = 0; i < fi->n; i++)
		bytes += (fi->tuples[i].mask + 1) * (v6 ? sizeof(struct slot6) : sizeof(struct slot4));
	if (bytes >= PREFETCH_MIN_BYTES)
		fi->ahead = fi->n < PREFETCH_TUPLES ? fi->n : PREFETCH_TUPLES;
}

struct spd_index *spd_index_build_with(size_t n,
				       void (*sel_at)(const void *ctx, size_t i, struct selector *out),
				       const void *ctx)
{
	struct spd_index *ix = xcalloc(1, sizeof(*ix));
	ix->n = n;
	struct ent *e = xcalloc(n ? n : 1, sizeof(*e));
	for (int f = 0; f < 2; f++) {
		size_t k = 0;
		for (size_t i = 0; i < n; i++) {
			struct selector sel;
			sel_at(ctx, i, &sel);
			add_ent(e, &k, &sel, i, f);
		}
		build_family(ix, &ix->fam[f], e, k, f == 1);
	}
	free(e);
	return ix;
}

struct strided {
	const char *first;
	size_t stride;
};

static void strided_sel_at(const void *ctx, size_t i, struct selector *out)
{
	const struct strided *st = ctx;
	*out = *(const struct selector *)(st->first + i * st->stride);
}

struct spd_index *spd_index_build_strided(const struct selector *first, size_t n,
					  size_t stride)
{
	struct strided st = {(const char *)first, stride};
	return spd_index_build_with(n, strided_sel_at, &st);
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
		for (size_t t = 0; t < ix->fam[f].n; t++) {
			free(ix->fam[f].tuples[t].mem);
			free(ix->fam[f].tuples[t].filter);
		}
		free(ix->fam[f].tuples);
	}
	free(ix->more);
	free(ix);
}

size_t spd_index_size(const struct spd_index *ix)
{
	return ix->n;
}

static inline bool traffic_matches(unsigned e_proto, uint16_t lo, uint16_t hi, unsigned proto,
				   uint16_t dport)
{
	return (e_proto == PROTO_ANY || e_proto == proto) &&
	       ((!lo && !hi) || (dport >= lo && dport <= hi));
}

/* The best of BEST and the key of H (its destination and source match). */
static size_t verify(const struct spd_index *ix, const struct hit *h, size_t best,
		     unsigned proto, uint16_t dport)
{
	if (h->first_index >= best)
		return best;
	if (h->inline_ok && traffic_matches(h->proto, h->port_lo, h->port_hi, proto, dport))
		return h->first_index;
	if (!h->more)
		return best;
	for (const struct more *m = &ix->more[h->more - 1];; m++) {
		if (m->index >= best)
			return best;
		if (traffic_matches(m->proto, m->port_lo, m->port_hi, proto, dport))
			return m->index;
		if (m->last)
			return best;
	}
}

static size_t lookup4(const struct spd_index *ix, const struct family_index *fi, uint32_t d,
		      uint32_t s, unsigned proto, uint16_t dport)
{
	size_t at[PREFETCH_TUPLES];
	size_t ahead = fi->ahead;
	for (size_t t = 0; t < ahead; t++) {
		const struct tuple *tp = &fi->tuples[t];
		uint64_t key = (uint64_t)(d & tp->dst_mask4) << 32 | (s & tp->src_mask4);
		at[t] = (size_t)(hash4(key) >> tp->shift);
		__builtin_prefetch(&((const struct slot4 *)tp->slots)[at[t]]);
	}
	size_t best = SPD_INDEX_NONE;
	for (size_t t = 0; t < fi->n; t++) {
		const struct tuple *tp = &fi->tuples[t];
		if (tp->min_index >= best)
			break;          /* sorted: no later tuple can do better */
		uint64_t key = (uint64_t)(d & tp->dst_mask4) << 32 | (s & tp->src_mask4);
		if (!filter_has(tp->filter, fhash4(key) >> tp->fshift))
			continue;
		const struct slot4 *tab = tp->slots;
		size_t h = t < ahead ? at[t] : (size_t)(hash4(key) >> tp->shift);
		for (; tab[h].h.used; h = (h + 1) & tp->mask)
			if (tab[h].key == key) {
				best = verify(ix, &tab[h].h, best, proto, dport);
				break;
			}
	}
	return best;
}

static size_t lookup6(const struct spd_index *ix, const struct family_index *fi, struct u128 d,
		      struct u128 s, unsigned proto, uint16_t dport)
{
	size_t at[PREFETCH_TUPLES];
	size_t ahead = fi->ahead;
	for (size_t t = 0; t < ahead; t++) {
		const struct tuple *tp = &fi->tuples[t];
		at[t] = (size_t)(hash6(fold6(and128(d, tp->dst_mask), and128(s, tp->src_mask))) >>
				 tp->shift);
		__builtin_prefetch(&((const struct slot6 *)tp->slots)[at[t]]);
	}
	size_t best = SPD_INDEX_NONE;
	for (size_t t = 0; t < fi->n; t++) {
		const struct tuple *tp = &fi->tuples[t];
		if (tp->min_index >= best)
			break;
		struct u128 kd = and128(d, tp->dst_mask), ks = and128(s, tp->src_mask);
		uint64_t folded = fold6(kd, ks);
		if (!filter_has(tp->filter, fhash6(folded) >> tp->fshift))
			continue;
		const struct slot6 *tab = tp->slots;
		size_t h = t < ahead ? at[t] : (size_t)(hash6(folded) >> tp->shift);
		for (; tab[h].h.used; h = (h + 1) & tp->mask)
			if (!cmp_u128(tab[h].dst, kd) && !cmp_u128(tab[h].src, ks)) {
				best = verify(ix, &tab[h].h, best, proto, dport);
				break;
			}
	}
	return best;
}

size_t spd_index_lookup(const struct spd_index *ix, const struct ip_addr *src,
			const struct ip_addr *dst, unsigned proto, uint16_t dport)
{
	int f = fam_slot(dst->family);
	if (f < 0 || src->family != dst->family)
		return SPD_INDEX_NONE;
	struct u128 d = load(dst->b), s = load(src->b);
	if (f == 0)
		return lookup4(ix, &ix->fam[0], (uint32_t)(d.hi >> 32), (uint32_t)(s.hi >> 32), proto,
			       dport);
	return lookup6(ix, &ix->fam[1], d, s, proto, dport);
}
