/* A lookup index over an ordered SPD: which is the FIRST selector (lowest
 * index) that matches a packet, answered without scanning every entry.
 *
 * Matching is exactly selector_matches() (src/model/model.h): source and
 * destination prefixes of the packet's family, protocol (PROTO_ANY matches
 * all), destination port range (0,0 = any).  The index gives the same answer
 * as a linear scan in order (RFC 4301 §4.4.1: the first match wins); a
 * property test checks that on random inputs.
 *
 * How: tuple space search, as Open vSwitch's classifier does it.  Per
 * address family, one hash table per (destination prefix length, source
 * prefix length) present in the SPD, keyed by the masked (destination,
 * source) pair; a key's first entry (lowest index) is verified from its
 * slot, the key's later entries from a list in index order.  A lookup
 * probes one table per tuple, taking the tuples in order of their smallest
 * entry index and stopping as soon as no remaining tuple can beat the best
 * match found; a small filter per table answers most misses without
 * touching the table, and in a large SPD the first tuples' slots are
 * prefetched together.  Cost: one probe per distinct (destination length,
 * source length) pair (a handful in real SPDs), independent of the number
 * of entries; a hit is one cache line.
 *
 * The index copies what it needs: the selectors may change or go away
 * after spd_index_build() (rebuild to see changes).  Immutable once built,
 * so lookups may run from several threads. */
#ifndef TUNC_SPD_INDEX_H
#define TUNC_SPD_INDEX_H

#include <stddef.h>
#include <stdint.h>

#include "ir/addr.h"
#include "model/model.h"                /* struct selector */

#define SPD_INDEX_NONE SIZE_MAX         /* lookup: no selector matches */

struct spd_index;

/* Indexes SELS[0..N).  Never NULL (aborts on out-of-memory, like xmalloc). */
struct spd_index *spd_index_build(const struct selector *sels, size_t n);
/* The same over selectors embedded in larger records: the i-th selector is
 * at (const char *)FIRST + i * STRIDE, e.g. &pairs[0].sel with
 * sizeof(struct selector_pair), so the caller needs no copy. */
struct spd_index *spd_index_build_strided(const struct selector *first, size_t n,
					  size_t stride);
/* The same over selectors not stored as such: SEL_AT(CTX, i, &out) writes
 * the i-th (an SPD entry's, spd_entry_sel). */
struct spd_index *spd_index_build_with(size_t n,
				       void (*sel_at)(const void *ctx, size_t i, struct selector *out),
				       const void *ctx);
void spd_index_free(struct spd_index *ix);

/* The lowest index i such that selector_matches(&sels[i], src, dst, proto,
 * dport), or SPD_INDEX_NONE.  Allocates nothing. */
size_t spd_index_lookup(const struct spd_index *ix, const struct ip_addr *src,
			const struct ip_addr *dst, unsigned proto, uint16_t dport);

/* Entries indexed (N given to build). */
size_t spd_index_size(const struct spd_index *ix);

#endif
