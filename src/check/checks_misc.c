/* unused: a proposal, host or peer defined and never used. */
#include "config.h"
#include "check/checks.h"
#include "check/util.h"

void check_unused(struct check_ctx *ctx)
{
	const struct ir *ir = ctx->ir;
	for (size_t i = 0; i < ir->ikes.n; i++) {
		const struct ir_ike *p = ir->ikes.v[i];
		if (p->used)
			continue;
		struct diag *d = check_report(ctx, p->loc,
			"ike %s is defined but no tunnel end uses it", p->name);
		diag_fix(d, "remove ike %s, or name it in the tunnel ('ike %s;') that was meant "
			 "to use it", p->name, p->name);
	}
	for (size_t i = 0; i < ir->ipsecs.n; i++) {
		const struct ir_ipsec *p = ir->ipsecs.v[i];
		if (p->used)
			continue;
		struct diag *d = check_report(ctx, p->loc,
			"ipsec %s is defined but no tunnel end uses it", p->name);
		diag_fix(d, "remove ipsec %s, or name it in the tunnel ('ipsec %s;') that was "
			 "meant to use it", p->name, p->name);
	}
	for (size_t i = 0; i < ir->hosts.n; i++) {
		const struct ir_host *h = ir->hosts.v[i];
		if (h->used)
			continue;
		struct diag *d = check_report(ctx, h->loc,
			"host %s is defined but no expectation uses it", h->name);
		diag_fix(d, "remove host %s, or use it in an 'expect'", h->name);
	}
	for (size_t i = 0; i < ir->gateways.n; i++) {
		const struct ir_gateway *g = ir->gateways.v[i];
		if (g->kind != GW_PEER || g->used)
			continue;
		struct diag *d = check_report(ctx, g->loc,
			"peer %s is defined but no tunnel uses it", g->name);
		diag_gateway(d, g->name);
		diag_fix(d, "remove peer %s, or name it in a tunnel ('between GATEWAY and %s;')",
			 g->name, g->name);
	}
}
