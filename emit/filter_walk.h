/* The walk over a gateway's interface filters that every emitter writing
 * them shares (netsh's RRAS filters, the PIX's access lists, PowerShell's
 * firewall rules, nftables chains): each filter the platform can hold as
 * described goes to the writer, each other one is refused with the words
 * lint's filter-unsupported uses (model/filters.h), so what lint passes is
 * what compile writes. */
#ifndef TUNC_EMIT_FILTER_WALK_H
#define TUNC_EMIT_FILTER_WALK_H

#include <stdbool.h>

#include "emit/emit.h"

/* Writes filter F of interface IFC (F->dir says which). */
typedef void (*emit_filter_fn)(void *arg, const struct ir_interface *ifc, const struct ir_filter *f);

/* Calls WRITE for each filter of MG in interface order, `in` before `out`,
 * that MG's platform can hold; reports each other one as filter-unsupported
 * ("the TARGET emitter cannot write filter ...").  False when one was
 * refused. */
bool emit_each_filter(struct emit_ctx *ctx, const struct model_gateway *mg, const char *target,
		      emit_filter_fn write, void *arg);

#endif
