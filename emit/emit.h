/* The emitters: one file per target behind this table.  Each takes the const
 * model of one gateway and writes its whole configuration into a buffer. */
#ifndef TUNC_EMIT_H
#define TUNC_EMIT_H

#include <stdbool.h>

#include "diag/diag.h"
#include "model/model.h"
#include "util/strbuf.h"

struct emit_ctx {
	const struct model *model;
	const struct source_set *sources;
	struct diag_list *diags;        /* I/O problems reading keys, etc. */
	const char *source_name;        /* the .tun named on the command line */
	unsigned base;                  /* `compile --base`: generated numbers (policies,
					 * map entries) start at base + 10 */
	bool holds_key;                 /* set by the emitter when it wrote a key */
};

struct emitter {
	const char *name;               /* "ios", "pix", "netsh", "xfrm", "engine" */
	const char *extension;          /* ".ios.cfg" ... */
	bool whole_topology;            /* engine.xml: one file for all gateways */
	/* Writes the configuration of MG (NULL for whole_topology emitters).
	 * Returns false on failure, with a diagnostic in ctx->diags. */
	bool (*emit)(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out);
	bool every_peer;                /* written for every peer, whatever its platform
					 * (the peer sheet) */
};

extern const struct emitter emitter_table[];
extern const size_t emitter_count;
const struct emitter *emitter_find(const char *name);

#endif
