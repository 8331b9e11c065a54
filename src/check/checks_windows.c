/* Checks from KB 252735 (seed 002) about how a tunnel end's filters and
 * filter action are built: tunnel-port-filter, mirrored-tunnel-filter,
 * accept-unsecured.  They read each end as configured. */
#include "config.h"
#include "check/checks.h"
#include "check/util.h"

#include <stdio.h>

/* End A of T, skipping the second end of a tunnel from a gateway to itself. */
static const struct ir_gateway *end_gateway(const struct ir_tunnel *t, int a)
{
	const struct ir_gateway *g = ir_end_gateway(&t->end[a]);
	if (a == 1 && g == ir_end_gateway(&t->end[0]))
		return NULL;
	return g;
}

/* What a check looks at in one end E (end A of T, at G; OTHER the far end). */
typedef void end_check_fn(struct check_ctx *ctx, const struct ir_tunnel *t, int a,
			  const struct ir_tunnel_end *e, const struct ir_gateway *g,
			  const struct ir_gateway *other);

/* Runs FN on every end of every tunnel, in file order, each gateway once. */
static void each_end(struct check_ctx *ctx, end_check_fn *fn)
{
	for (size_t i = 0; i < ctx->ir->tunnels.n; i++) {
		for (int a = 0; a < 2; a++) {
			const struct ir_tunnel *t = ctx->ir->tunnels.v[i];
			const struct ir_gateway *g = end_gateway(t, a);
			if (g)
				fn(ctx, t, a, &t->end[a], g, ir_end_gateway(&t->end[1 - a]));
		}
	}
}

static void tunnel_port_filter_end(struct check_ctx *ctx, const struct ir_tunnel *t, int a,
				   const struct ir_tunnel_end *e, const struct ir_gateway *g,
				   const struct ir_gateway *other)
{
	if (e->proto == PROTO_ANY && !e->port_lo && !e->port_hi)
		return;
	const struct platform_info *p = ck_gw_platform(g);
	char what[40];
	ck_fmt_proto(e->proto, e->port_lo, e->port_hi, what, sizeof(what));
	struct tunc_loc loc = loc_or(ir_end_written(e)->protocol_loc, ck_end_loc(t, a));
	struct diag *d;
	if (!p->selector_ports) {
		d = check_report_sev(ctx, DIAG_ERROR, loc,
			"%s restricts tunnel %s's selectors to %s, but %s tunnel rules take "
			"only addresses: KB 252735 says to leave the filter's protocol at Any "
			"for a tunnel rule",
			g->name, t->name, what, p->description);
		diag_fix(d, "remove the protocol restriction from %s's block in tunnel %s "
			 "(and drop other traffic with filters if it must not pass)",
			 g->name, t->name);
	} else {
		d = check_report_sev(ctx, DIAG_WARNING, loc,
			"%s restricts tunnel %s's selectors to %s: %s must restrict them "
			"identically, and other traffic between the sites is not protected",
			g->name, t->name, what, ck_gw_name(other));
		diag_fix(d, "protect all traffic between the sites (remove the restriction) "
			 "and filter what must not pass");
	}
	ck_diag_names(d, t, g, other);
}

void check_tunnel_port_filter(struct check_ctx *ctx)
{
	each_end(ctx, tunnel_port_filter_end);
}

static void mirrored_tunnel_filter_end(struct check_ctx *ctx, const struct ir_tunnel *t, int a,
				       const struct ir_tunnel_end *e, const struct ir_gateway *g,
				       const struct ir_gateway *other)
{
	if (!ir_end_written(e)->mirrored)
		return;
	struct diag *d = check_report(ctx, loc_or(ir_end_written(e)->mirrored_loc, ck_end_loc(t, a)),
		"%s's filter list for tunnel %s is marked Mirrored: a tunnel needs one "
		"filter list per direction, each in its own rule with its own tunnel "
		"endpoint (%s's outbound rule points at %s, the inbound one at %s itself)",
		g->name, t->name, g->name, ck_gw_name(other), g->name);
	ck_diag_names(d, t, g, other);
	diag_fix(d, "remove 'mirrored;' from %s's block in tunnel %s: tunc writes two "
		 "one-way filter lists and two rules", g->name, t->name);
}

void check_mirrored_tunnel_filter(struct check_ctx *ctx)
{
	each_end(ctx, mirrored_tunnel_filter_end);
}

static void accept_unsecured_end(struct check_ctx *ctx, const struct ir_tunnel *t, int a,
				 const struct ir_tunnel_end *e, const struct ir_gateway *g,
				 const struct ir_gateway *other)
{
	if (!ir_end_written(e)->accept_unsecured)
		return;
	struct diag *d = check_report(ctx, loc_or(ir_end_written(e)->accept_unsecured_loc, ck_end_loc(t, a)),
		"%s's filter action for tunnel %s accepts unsecured communication: "
		"traffic meant to arrive through the tunnel from %s is also accepted "
		"in clear, from anyone on the path",
		g->name, t->name, ck_gw_name(other));
	ck_diag_names(d, t, g, other);
	diag_fix(d, "remove 'accept-unsecured;' from %s's block in tunnel %s, so that "
		 "its filter action only negotiates security", g->name, t->name);
}

void check_accept_unsecured(struct check_ctx *ctx)
{
	each_end(ctx, accept_unsecured_end);
}
