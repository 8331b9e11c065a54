/* A lookup index over an ordered SPD: which is the FIRST selector (lowest
 * index) that matches a packet, answered without scanning every entry.
 *
 * Matching is exactly selector_matches() (src/model/model.h): source and
 * destination prefixes of the packet's family, protocol (PROTO_ANY matches
 * all), destination port range (0,0 = any).  The index gives the same answer
 * as a linear scan in order (RFC 4301 §4.4.1: the first match wins); a
 * property test checks that on random inputs.
 *
 * How: per address family, the entries are grouped by (destination prefix
 * length, masked destination) in a hash table, each group's entries in
 * index order.  A lookup probes one group per distinct destination prefix
 * length, taking the lengths in order of their smallest entry index and
 * stopping as soon as no remaining length can beat the best match found;
 * within a group it verifies candidates in index order and stops at the
 * first match.  Cost: (distinct destination lengths) hash probes plus the
 * candidates that share a destination prefix; an SPD whose entries all have
 * the same destination and differ only by source degrades toward a scan of
 * that group.
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
 * at (const char *)FIRST + i * STRIDE, e.g. &spd.v[0].sel with
 * sizeof(struct spd_entry), so model_spd_lookup needs no copy. */
struct spd_index *spd_index_build_strided(const struct selector *first, size_t n,
					  size_t stride);
void spd_index_free(struct spd_index *ix);

/* The lowest index i such that selector_matches(&sels[i], src, dst, proto,
 * dport), or SPD_INDEX_NONE.  Allocates nothing. */
size_t spd_index_lookup(const struct spd_index *ix, const struct ip_addr *src,
			const struct ip_addr *dst, unsigned proto, uint16_t dport);

/* Entries indexed (N given to build). */
size_t spd_index_size(const struct spd_index *ix);

#endif
