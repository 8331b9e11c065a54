/* The emitters behind emitter_table (emit_table.c), one per file. */
#ifndef TUNC_EMIT_TARGETS_H
#define TUNC_EMIT_TARGETS_H

#include "emit/emit.h"

bool emit_ios(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
bool emit_pix(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
bool emit_asa(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
bool emit_netsh(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
bool emit_powershell(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
/* GW.keys beside GW.ps1: the pre-shared keys the script reads (mode 0600). */
bool emit_powershell_keys(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
bool emit_xfrm(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
bool emit_swanctl(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
/* PEER.peer.txt: what a peer's administrator configures to match. */
bool emit_peer_sheet(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
/* The whole topology (mg is NULL): engine.xml, see doc/engine-xml.md. */
bool emit_engine(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);

#endif
