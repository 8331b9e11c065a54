/* filter-unsupported: an interface filter that the gateway's platform
 * configuration cannot hold with the meaning the engine gives it (PIX 6.3
 * has no outbound access-group, RRAS filters take one action per list and
 * single ports, ISA Server filters with its own firewall policy).  The
 * question is the one the emitters ask (model/filters.h), so what lint
 * passes is what compile writes. */
#include "config.h"
#include "check/checks.h"
#include "check/util.h"
#include "model/filters.h"

#include <stdio.h>

void check_filter_unsupported(struct check_ctx *ctx)
{
	for (size_t i = 0; i < ctx->ir->gateways.n; i++) {
		const struct ir_gateway *g = ctx->ir->gateways.v[i];
		const struct platform_info *p = ck_gw_platform(g);
		if (!p)
			continue;
		for (size_t k = 0; k < g->interfaces.n; k++) {
			const struct ir_interface *ifc = g->interfaces.v[k];
			const struct ir_filter *fs[2] = {ir_iface_written(ifc)->filter_in, ir_iface_written(ifc)->filter_out};
			for (int d = 0; d < 2; d++) {
				const struct ir_filter *f = fs[d];
				const struct ir_filter_rule *rule;
				char why[300];
				if (!f || filter_expressible(p, g, f, &rule, why, sizeof(why)))
					continue;
				struct diag *diag = check_report(ctx, rule ? rule->loc : f->loc,
					"%s's filter %s on %s cannot be written for %s: %s; the "
					"device would not filter as described",
					g->name, f->dir == FILTER_IN ? "in" : "out", ifc->name,
					p->description, why);
				diag_gateway(diag, g->name);
				diag_fix(diag, "rewrite the filter in a form %s takes (the finding "
					 "says which), or filter on another device or interface",
					 p->description);
			}
		}
	}
}
