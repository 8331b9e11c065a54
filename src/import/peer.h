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

/* A peer's sheet (PEER.peer.txt) and its configuration (tunc's `! Peer
 * NAME` header, src/import/ios/) among DEVS describe one peer: the
 * configuration is the device (it holds the proposals and the key).  Each
 * sheet end gives the configuration's end toward the same address what it
 * lacks (its endpoint, NAT traversal); a selector, proposal or endpoint on
 * which they differ is a `peer-sheet-differs` warning at the sheet's line,
 * the configuration's as the related location.  The sheet then holds
 * nothing more (no ends, no proposals) and builds nothing.  A peer
 * configuration's end still without its own address (IKEv1: no IKEv2
 * identity) takes the one a gateway's end with mirrored selectors at its
 * `set peer` address names as its peer. */
void imp_merge_peer_sheets(struct imp_device *devs, size_t n, struct diag_list *diags);

/* E of a peer sheet pairs with no configuration among the files: an error,
 * at its tunnel section. */
void imp_unpaired_peer(struct parse_ctx *c, const struct imp_device *d, const struct imp_end *e);

#endif
