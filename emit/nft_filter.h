/* The nftables section of the Linux script for interface filters. */
#ifndef TUNC_EMIT_NFT_FILTER_H
#define TUNC_EMIT_NFT_FILTER_H

#include "emit/emit.h"

/* Writes MG's interface filters as table inet tunc_filter_GW (deleted and
 * rebuilt on each run); nothing when it has none.  False (with a
 * diagnostic) when a filter cannot be written. */
bool emit_nft_filters(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);

#endif
