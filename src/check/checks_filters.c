/* ike-blocked: a packet filter on the path between the endpoints drops what
 * the tunnel needs.  Each end's outside interface (the one its route to the
 * peer leaves by) is checked in both directions, for IKE, NAT-T, ESP/AH, and
 * on platforms whose filters sit above IPsec (seed 002) for the inner
 * traffic instead of ESP.  A tunnel keyed by hand (model_keyed_by_hand:
 * both ends say `keying manual;` and hold the same static SAs) runs no IKE and
 * cannot use NAT-T, so only its ESP/AH must pass. */
#include "config.h"
#include "check/checks.h"
#include "check/probe.h"
#include "check/util.h"

#include <stdio.h>

static void fmt_pkt(const struct probe_pkt *p, char *buf, size_t size)
{
	char s[ADDR_STRLEN], d[ADDR_STRLEN], pr[40];
	ck_fmt_addr(&p->src, s);
	ck_fmt_addr(&p->dst, d);
	ck_fmt_proto(p->proto, p->dport, p->dport, pr, sizeof(pr));
	snprintf(buf, size, "%s -> %s %s", s, d, pr);
}

/* Reports the first blocked packet of one kind at one filter. */
static bool blocked(struct check_ctx *ctx, const struct tview *tv, int a,
		    const struct ir_interface *ifc, const struct ir_filter *f, const char *dir,
		    const struct probe_pkt *p, const char *what, const char *consequence)
{
	const struct ir_gateway *g = tv_gw(tv, a);
	/* IKE, NAT-T and ESP are the gateway's own; the inner traffic is routed. */
	const struct ip_addr *self = model_tunnel_local_ep(tv->mt[a]);
	bool own = addr_equal(&p->src, self) || addr_equal(&p->dst, self);
	struct filter_verdict v = probe_filter(ck_gw_platform(g), f, own, p);
	if (v.action != FILTER_DROP)
		return false;
	char pkt[200], rule[200];
	fmt_pkt(p, pkt, sizeof(pkt));
	/* The rule as the user writes it. */
	char s[ADDR_STRLEN], d[ADDR_STRLEN], pr[40];
	ck_fmt_addr(&p->src, s);
	ck_fmt_addr(&p->dst, d);
	if (p->proto == 17)
		ck_fmt_proto(p->proto, p->dport, p->dport, pr, sizeof(pr));
	else
		ck_fmt_proto(p->proto, 0, 0, pr, sizeof(pr));
	snprintf(rule, sizeof(rule), "permit %s -> %s %s;", s, d, pr);
	struct tunc_loc loc = v.rule ? v.rule->loc : loc_or(f->default_loc, f->loc);
	struct diag *diag = check_report(ctx, loc,
		"%s's filter %s on %s drops %s for tunnel %s (%s): %s",
		g->name, dir, ifc->name, what, tv->t->name, pkt, consequence);
	ck_diag_names(diag, tv->t, g, tv_gw(tv, 1 - a));
	diag_fix(diag, "add '%s' to %s's filter %s on %s, ahead of %s", rule, g->name, dir,
		 ifc->name, v.rule ? "this rule" : "the default drop");
	return true;
}

void check_ike_blocked(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++) {
		const struct tview *tv = &tvs.v[i];
		for (int a = 0; a < 2; a++) {
			const struct ir_gateway *g = tv_gw(tv, a);
			const struct model_tunnel *mt = tv->mt[a];
			const struct model_gateway *mg = tv->mg[a];
			if (!ck_gateway_end(tv, a))
				continue;
			if (!model_tunnel_local_ep(mt)->family || !model_tunnel_remote_ep(mt)->family)
				continue;
			struct model_route scratch;
			const struct ir_interface *ifc =
				probe_route_iface(mg, ck_peer_route(ctx, tv, a, &scratch));
			if (!ifc)
				ifc = mt->here->endpoint_iface;
			if (!ifc || (!ir_iface_written(ifc)->filter_in && !ir_iface_written(ifc)->filter_out))
				continue;
			const struct platform_info *p = ck_gw_platform(g);
			/* Its filters do not see its own IKE and ESP (ASA). */
			if (p->filters_skip_own)
				continue;
			const struct ir_gateway *far = tv_gw(tv, 1 - a);
			bool manual = far && model_keyed_by_hand(tv->t);
			/* Keyed by hand: no IKE, and no NAT-T without it. */
			bool natt = mt->nat_traversal && !manual;
			const struct ir_ipsec *ps = model_tunnel_ipsec(mt);
			unsigned espah = ps && ps->protocol == IPSEC_AH ? 51 : 50;
			const char *espah_name = espah == 51 ? "AH" : "ESP";
			const struct ip_addr *here = model_tunnel_local_ep(mt);
			const struct ip_addr *there = model_tunnel_remote_ep(mt);
			struct probe_pkt ike_out = {*here, *there, 17, 500};
			struct probe_pkt ike_in = {*there, *here, 17, 500};

			if (!manual &&
			    !blocked(ctx, tv, a, ifc, ir_iface_written(ifc)->filter_out, "out", &ike_out, "IKE (UDP 500)",
				     "phase 1 never starts"))
				blocked(ctx, tv, a, ifc, ir_iface_written(ifc)->filter_in, "in", &ike_in, "IKE (UDP 500)",
					"phase 1 never completes");
			if (natt) {
				struct probe_pkt o = ike_out, n = ike_in;
				o.dport = n.dport = 4500;
				if (!blocked(ctx, tv, a, ifc, ir_iface_written(ifc)->filter_out, "out", &o, "NAT-T (UDP 4500)",
					     "behind NAT, IKE and ESP move to UDP 4500 and stop"))
					blocked(ctx, tv, a, ifc, ir_iface_written(ifc)->filter_in, "in", &n, "NAT-T (UDP 4500)",
						"behind NAT, IKE and ESP move to UDP 4500 and stop");
			}
			if (!p->filter_above_ipsec) {
				/* The filter sees the ESP/AH packets (NAT-T carries them in
				 * UDP 4500 instead). */
				if (!natt) {
					struct probe_pkt o = ike_out, n = ike_in;
					o.proto = n.proto = espah;
					o.dport = n.dport = 0;
					blocked(ctx, tv, a, ifc, ir_iface_written(ifc)->filter_out, "out", &o, espah_name,
						manual ? "the static SAs are installed but no protected "
							 "packet leaves"
						       : "the SAs come up but no protected packet leaves");
					if (!p->sysopt_permit_ipsec)
						blocked(ctx, tv, a, ifc, ir_iface_written(ifc)->filter_in, "in", &n, espah_name,
							manual ? "the static SAs are installed but no "
								 "protected packet arrives"
							       : "the SAs come up but no protected "
								 "packet arrives");
				}
				continue;
			}
			/* Windows: the filter sees the clear inner packets (seed 002). */
			struct ck_spd_out ea = ck_spd_out_of(mg, mt);
			for (size_t k = 0; k < ea.refs.n; k++) {
				const struct spd_entry *e = ck_spd_out_at(&ea, k);
				if (e->origin != ORIGIN_TUNNEL)
					continue;
				const struct selector esel = spd_entry_sel(e);
				struct probe_pkt o = probe_pkt_of(&esel);
				struct probe_pkt n = o;
				n.src = o.dst;
				n.dst = o.src;
				bool hit = blocked(ctx, tv, a, ifc, ir_iface_written(ifc)->filter_out, "out", &o,
						   "the tunnel's traffic",
						   "on this platform the filter sits above IPsec and sees "
						   "the packet before it is encapsulated");
				hit |= blocked(ctx, tv, a, ifc, ir_iface_written(ifc)->filter_in, "in", &n,
					       "the tunnel's traffic",
					       "on this platform the filter sits above IPsec and sees "
					       "the packet after it is decapsulated");
				if (hit)
					break;  /* one pair tells the story */
			}
		}
	}
	ck_tviews_free(&tvs);
}
