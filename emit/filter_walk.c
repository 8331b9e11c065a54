/* The shared walk over interface filters (filter_walk.h). */
#include "config.h"
#include "emit/filter_walk.h"
#include "emit/common.h"
#include "model/filters.h"

bool emit_each_filter(struct emit_ctx *ctx, const struct model_gateway *mg, const char *target,
		      emit_filter_fn write, void *arg)
{
	const struct ir_gateway *g = mg->ir;
	bool ok = true;
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		const struct ir_filter *fs[2] = {ir_iface_written(ifc)->filter_in, ir_iface_written(ifc)->filter_out};
		for (int d = 0; d < 2; d++) {
			const struct ir_filter *f = fs[d];
			const struct ir_filter_rule *bad;
			char why[300];
			if (!f)
				continue;
			if (!filter_expressible(mg->platform, g, f, &bad, why, sizeof(why))) {
				emit_error(ctx, mg, "filter-unsupported", bad ? bad->loc : f->loc,
					   "the %s emitter cannot write filter %s on %s: %s", target,
					   d == 0 ? "in" : "out", ifc->name, why);
				ok = false;
				continue;
			}
			write(arg, ifc, f);
		}
	}
	return ok;
}
