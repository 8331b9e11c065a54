/* A far end tunc does not configure, as a peer sheet describes it
 * (src/import/sheet/): built as a `peer`, paired with the configuration of
 * the gateway at its other end like any two files (src/import/peer.c). */
#ifndef TUNC_IMPORT_PEER_H
#define TUNC_IMPORT_PEER_H

#include "import/device.h"

/* D (d->peer) as `peer NAME { address; subnet; platform; }`: its address
 * its first end's local address, its subnets what its ends protect. */
void imp_build_peer(struct parse_ctx *c, struct imp_device *d, const char *name);

/* E of D and F of OD are one tunnel's ends, one or both of a peer sheet,
 * inside the tunnel's block before the ends' blocks: the tunnel's NAT
 * traversal as the sheet says it; the key of the configured end as the
 * tunnel's (the sheet names only where it is kept); a route-based peer
 * end's subnets what its partner routes into the tunnel. */
void imp_pair_peer(struct parse_ctx *c, struct imp_device *d, struct imp_end *e,
		   struct imp_device *od, struct imp_end *f);

/* E of a peer sheet pairs with no configuration among the files: an error,
 * at its tunnel section. */
void imp_unpaired_peer(struct parse_ctx *c, const struct imp_device *d, const struct imp_end *e);

#endif
