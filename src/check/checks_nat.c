/* Checks about NAT: nat-not-exempt, windows-nat-tunnel, ah-behind-nat,
 * nat-traversal-off. */
#include "config.h"
#include "check/checks.h"
#include "check/probe.h"
#include "check/util.h"

#include <stdio.h>
#include <string.h>

static void fmt_nat_rule(const struct ir_nat_rule *r, char *buf, size_t size)
{
	char a[ADDR_STRLEN], b[ADDR_STRLEN];
	switch (r->kind) {
	case NAT_EXEMPT:
		ck_fmt_prefix(&r->src.p, a);
		ck_fmt_prefix(&r->dst.p, b);
		snprintf(buf, size, "exempt %s -> %s", a, b);
		break;
	case NAT_EXEMPT_TUNNELS:
		snprintf(buf, size, "exempt tunnels");
		break;
	case NAT_OVERLOAD:
		ck_fmt_prefix(&r->src.p, a);
		snprintf(buf, size, "overload %s on %s", a, r->iface.name ? r->iface.name : "?");
		break;
	case NAT_STATIC:
		ck_fmt_addr(&r->static_from, a);
		ck_fmt_addr(&r->static_to, b);
		snprintf(buf, size, "static %s to %s", a, b);
		break;
	}
}

/* ---- nat-not-exempt ---- */

void check_nat_not_exempt(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		const struct ir_tunnel *t = tv->t;
		for (int a = 0; a < 2; a++) {
			const struct ir_gateway *g = tv_gw(tv, a), *peer = tv_gw(tv, 1 - a);
			const struct model_gateway *mg = tv->mg[a];
			if (!ck_gateway_end(tv, a) || !g->nat.n)
				continue;
			const struct platform_info *p = ck_gw_platform(g);
			/* Where NAT runs after the policy, or breaks tunnel mode
			 * anyway (windows-nat-tunnel), an exemption is not the point. */
			if (!ck_stage_before(p, STAGE_NAT, STAGE_SPD) || p->nat_breaks_tunnel)
				continue;
			struct ck_spd_out ea = ck_spd_out_of(mg, tv->mt[a]);
			for (size_t k = 0; k < ea.refs.n; k++) {
				const struct spd_entry *e = ck_spd_out_at(&ea, k);
				const struct selector esel = spd_entry_sel(e);
				if (e->origin != ORIGIN_TUNNEL)
					continue;
				/* The model's pre-check: a translating rule comes first. */
				struct probe_pkt pk = probe_pkt_of(&esel);
				struct model_route scratch;
				const struct model_route *rt = probe_route(mg, &pk.dst, &scratch);
				const struct ir_interface *egress = probe_route_iface(mg, rt);
				const struct ir_nat_rule *r = probe_nat(mg, &pk, egress);
				if (!nat_rule_translates(r))
					continue;
				/* The engine's answer: the pair's first hosts, as `tunc
				 * run` sends them.  Reported when it translates them at
				 * G and they do not travel in a tunnel. */
				char send[200];
				struct probe_pkt hosts = pk;
				hosts.src = probe_host_of(&esel.src, g, peer);
				hosts.dst = probe_host_of(&esel.dst, g, peer);
				probe_send_text(&hosts, send, sizeof(send));
				struct probe_result pr;
				bool probed = probe_send(ctx, send, &pr);
				if (probed) {
					if (!pr.nat || pr.nat_node != g->name ||
					    pr.verdict == VERDICT_PROTECTED)
						continue;
					r = pr.nat;
				}
				char sel[160], rule[160], ls[ADDR_STRLEN], rs[ADDR_STRLEN];
				selector_format(&esel, sel, sizeof(sel));
				fmt_nat_rule(r, rule, sizeof(rule));
				ck_fmt_prefix(&esel.src, ls);
				ck_fmt_prefix(&esel.dst, rs);
				struct diag *d = check_report(ctx, r->loc,
					"%s translates tunnel %s's traffic %s with '%s' before the crypto "
					"map sees it (on %s NAT runs before IPsec): its source is rewritten, "
					"no longer matches the selectors, and the traffic to %s never "
					"enters the tunnel",
					g->name, t->name, sel, rule, p->description, ck_gw_name(peer));
				ck_diag_names(d, t, g, peer);
				diag_fix(d, "add 'exempt tunnels;' (or 'exempt %s -> %s;') ahead of '%s' "
					 "in %s's nat", ls, rs, rule, g->name);
				if (loc_known(e->loc))
					diag_related(d, e->loc, "tunnel %s's selectors at %s", t->name, g->name);
				if (probed)
					probe_note(d, &pr, r->loc);
				break;  /* one finding per end: the fix covers every pair */
			}
		}
	}
	ck_tviews_free(&tvs);
}

/* ---- windows-nat-tunnel ---- */

void check_windows_nat_tunnel(struct check_ctx *ctx)
{
	const struct ir *ir = ctx->ir;
	/* Per gateway: the first tunnel whose endpoint interface it translates on. */
	for (size_t gi = 0; gi < ir->gateways.n; gi++) {
		const struct ir_gateway *g = ir->gateways.v[gi];
		if (g->kind != GW_GATEWAY || !g->nat.n || !ck_gw_platform(g)->nat_breaks_tunnel)
			continue;
		const struct model_gateway *mg = ctx->model ? model_gateway_of(ctx->model, g) : NULL;
		if (!mg || !mg->tunnels.n)
			continue;
		bool done = false;
		for (size_t k = 0; k < mg->tunnels.n && !done; k++) {
			const struct model_tunnel *mt = mg->tunnels.v[k];
			const struct ir_interface *ep_if = mt->here->endpoint_iface;
			for (size_t r = 0; r < g->nat.n && !done; r++) {
				const struct ir_nat_rule *rule = &g->nat.v[r];
				if (!nat_rule_translates(rule))
					continue;
				const struct ir_interface *on = rule->iface.target;
				if (rule->kind == NAT_OVERLOAD && on && ep_if && on != ep_if)
					continue;
				char text[160], ep[ADDR_STRLEN];
				fmt_nat_rule(rule, text, sizeof(text));
				ck_fmt_addr(model_tunnel_local_ep(mt), ep);
				const char *ifname = ep_if ? ep_if->name : (on ? on->name : "its outside interface");
				struct diag *d = check_report(ctx, rule->loc,
					"%s runs Routing and Remote Access NAT ('%s') on %s, the interface "
					"of its tunnel endpoint %s for tunnel %s%s: on %s IPsec tunnel mode "
					"does not work through RRAS NAT",
					g->name, text, ifname, ep, mt->ir->name,
					mg->tunnels.n > 1 ? " and its other tunnels" : "",
					ck_gw_platform(g)->description);
				ck_diag_names(d, mt->ir, g, model_tunnel_peer(mt));
				diag_fix(d, "move NAT off %s (to another device), or run the tunnel on ISA "
					 "Server 2004 or later, or on Windows Server 2008 or later", g->name);
				if (loc_known(g->platform_loc))
					diag_related(d, g->platform_loc, "%s's platform is %s", g->name,
						     ck_gw_platform(g)->description);
				done = true;
			}
		}
	}
}

/* ---- ah-behind-nat and nat-traversal-off ---- */

/* Is end A behind NAT, and where is that said?  An interface's or a peer's
 * `behind-nat`, or the gateway's own static NAT of its endpoint. */
static bool end_nat(const struct tview *tv, int a, struct tunc_loc *where)
{
	const struct ir_gateway *g = tv_gw(tv, a);
	const struct ir_tunnel_end *e = &tv->t->end[a];
	if (!g)
		return false;
	if (g->kind == GW_PEER) {
		*where = loc_or(g->behind_nat_loc, g->loc);
		return g->behind_nat;
	}
	if (e->endpoint_iface && ir_iface_written(e->endpoint_iface)->behind_nat) {
		*where = loc_or(ir_iface_written(e->endpoint_iface)->behind_nat_loc,
				e->endpoint_iface->loc);
		return true;
	}
	const struct model_tunnel *mt = tv->mt[a];
	if (mt && model_tunnel_local_ep(mt)->family) {
		for (size_t r = 0; r < g->nat.n; r++) {
			const struct ir_nat_rule *rule = &g->nat.v[r];
			if (rule->kind == NAT_STATIC &&
			    addr_equal(&rule->static_from, model_tunnel_local_ep(mt))) {
				*where = rule->loc;
				return true;
			}
		}
	}
	return false;
}

/* The first end of the tunnel that is behind NAT (-1: neither), and in
 * *WHERE where that is said. */
static int end_behind_nat(const struct tview *tv, struct tunc_loc *where)
{
	*where = LOC_NONE;
	for (int a = 0; a < 2; a++)
		if (end_nat(tv, a, where))
			return a;
	return -1;
}

/* What a check looks at in tunnel TV, whose end BEHIND is behind NAT (said
 * at NAT_LOC). */
typedef void nat_tunnel_fn(struct check_ctx *ctx, const struct tview *tv, int behind,
			   struct tunc_loc nat_loc);

/* Runs FN on every tunnel with an end behind NAT, in file order. */
static void each_tunnel_behind_nat(struct check_ctx *ctx, nat_tunnel_fn *fn)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		struct tunc_loc nat_loc;
		int behind = end_behind_nat(&tvs.v[i], &nat_loc);
		if (behind >= 0)
			fn(ctx, &tvs.v[i], behind, nat_loc);
	}
	ck_tviews_free(&tvs);
}

static void ah_behind_nat(struct check_ctx *ctx, const struct tview *tv, int behind,
			  struct tunc_loc nat_loc)
{
	const struct ir_tunnel *t = tv->t;
	const struct ir_ipsec *reported = NULL;
	for (int a = 0; a < 2; a++) {
		const struct ir_ipsec *ps = ir_end_ipsec(&t->end[a]);
		if (!ps || ps->protocol != IPSEC_AH || ps == reported)
			continue;
		reported = ps;
		struct diag *d = check_report(ctx, loc_or(ps->protocol_loc, ps->loc),
			"tunnel %s uses AH (ipsec %s at %s) but %s is behind NAT: NAT rewrites "
			"the IP header that AH authenticates, so every packet fails its "
			"integrity check, and AH cannot be carried in NAT-T",
			t->name, ps->name, ck_gw_name(tv_gw(tv, a)), ck_gw_name(tv_gw(tv, behind)));
		ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
		diag_fix(d, "use 'protocol esp;' in ipsec %s (with NAT traversal) for tunnel %s",
			 ps->name, t->name);
		if (loc_known(nat_loc))
			diag_related(d, nat_loc, "%s is behind NAT here", ck_gw_name(tv_gw(tv, behind)));
	}
}

void check_ah_behind_nat(struct check_ctx *ctx)
{
	each_tunnel_behind_nat(ctx, ah_behind_nat);
}

static void nat_traversal_off(struct check_ctx *ctx, const struct tview *tv, int behind,
			      struct tunc_loc nat_loc)
{
	const struct ir_tunnel *t = tv->t;
	const char *who = ck_gw_name(tv_gw(tv, behind));
	if (t->nat_traversal == NATT_OFF) {
		struct diag *d = check_report(ctx, loc_or(t->nat_traversal_loc, t->loc),
			"tunnel %s turns NAT traversal off, but %s is behind NAT: ESP has no "
			"ports, so the NAT device cannot return it, and phase 1 may come up "
			"while no ESP gets through",
			t->name, who);
		ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
		diag_fix(d, "set 'nat-traversal auto;' (or remove 'nat-traversal off;') in "
			 "tunnel %s", t->name);
		if (loc_known(nat_loc))
			diag_related(d, nat_loc, "%s is behind NAT here", who);
		return;
	}
	for (int a = 0; a < 2; a++) {
		const struct ir_gateway *g = tv_gw(tv, a);
		if (!g || ck_gw_platform(g)->nat_traversal || (a == 1 && tv_gw(tv, 0) == g))
			continue;
		struct diag *d = check_report(ctx, loc_or(g->platform_loc, g->loc),
			"%s (%s) has no NAT traversal, but %s, an end of tunnel %s, is behind "
			"NAT: ESP cannot pass the NAT device",
			g->name, ck_gw_platform_text(g), who, t->name);
		ck_diag_names(d, t, tv_gw(tv, 0), tv_gw(tv, 1));
		diag_fix(d, "give %s a public address without NAT, or use a platform with "
			 "NAT-T (Windows Server 2003 or later, IOS, PIX 6.3, Linux)", who);
		if (loc_known(nat_loc))
			diag_related(d, nat_loc, "%s is behind NAT here", who);
	}
}

void check_nat_traversal_off(struct check_ctx *ctx)
{
	each_tunnel_behind_nat(ctx, nat_traversal_off);
}
