/* Checks about route-based ends and tunnel sizes (issue 13):
 * mixed-pair-selectors, mtu-overhead and tunnel-route-missing.  They ask
 * the model's single answers: ike_ts_answer (src/model/ike_answer.c) for
 * what a responder accepts, ipsec_overhead_of (src/model/overhead.c) for
 * what IPsec adds, model_route_lookup for where a packet goes, the same
 * ones the engine uses, so lint and `tunc run` agree. */
#include "config.h"
#include "check/check.h"
#include "check/checks.h"
#include "check/probe.h"
#include "check/util.h"
#include "model/ike_answer.h"
#include "model/overhead.h"

#include <stdio.h>

/* ---- mixed-pair-selectors ---- */

/* Does end I, initiating, get every selector pair it proposes accepted by
 * the other end?  On refusal, *REFUSED is the first pair refused. */
static bool initiator_succeeds(const struct tview *tv, int i, unsigned version,
			       struct selector *refused)
{
	const struct model_tunnel *mi = tv->mt[i], *mr = tv->mt[1 - i];
	const struct platform_info *pr = ck_gw_platform(tv_gw(tv, 1 - i));
	struct selector_pairs prop = model_tunnel_selectors(mi, 0);
	struct selector_pairs own = model_tunnel_selectors(mr, 0);
	for (size_t p = 0; p < prop.n; p++) {
		bool ok = false;
		for (size_t o = 0; o < own.n && !ok; o++) {
			struct selector in = own.v[o].sel, agreed;
			in.src = own.v[o].sel.dst;
			in.dst = own.v[o].sel.src;
			ok = ike_ts_answer(pr, version, mr->route_based, &in, &prop.v[p].sel,
					   &agreed) != TS_REFUSED;
		}
		if (!ok) {
			*refused = prop.v[p].sel;
			return false;
		}
	}
	return true;
}

bool ck_mixed_pair_judged(const struct tview *tv)
{
	if (!tv->mt[0] || !tv->mt[1])
		return false;
	const struct ir_ike *k0 = model_tunnel_ike(tv->mt[0]), *k1 = model_tunnel_ike(tv->mt[1]);
	return tv->mt[0]->route_based != tv->mt[1]->route_based &&
	       k0 && k1 && !model_end_manual(tv->mt[0]->here) &&
	       !model_end_manual(tv->mt[1]->here) &&
	       k0->version == k1->version;
}

/* The engine's answer for end I's side starting the tunnel: a packet from
 * the first host of its first local prefix to the first host of a remote
 * prefix of the same family (what its routes or its crypto map send into
 * the tunnel), on a network with no SA yet, as a note of D. */
static void probe_initiator(struct check_ctx *ctx, struct diag *d, const struct tview *tv, int i)
{
	const ir_prefix_vec *local = &tv->t->end[i].local, *remote = &tv->t->end[i].remote;
	for (size_t l = 0; l < local->n; l++)
		for (size_t r = 0; r < remote->n; r++) {
			struct ip_prefix lp = prefix_network(&local->v[l].p);
			struct ip_prefix rp = prefix_network(&remote->v[r].p);
			if (lp.addr.family != rp.addr.family)
				continue;
			struct probe_pkt p = {.src = probe_host_of(&lp, tv_gw(tv, 0), tv_gw(tv, 1)),
					      .dst = probe_host_of(&rp, tv_gw(tv, 0), tv_gw(tv, 1)),
					      .proto = 1};
			char send[200];
			probe_send_text(&p, send, sizeof(send));
			struct probe_result pr;
			if (probe_send(ctx, send, &pr))
				probe_note(d, &pr, ck_end_loc(tv->t, i));
			return;
		}
}

void check_mixed_pair_selectors(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t k = 0; k < tvs.n; k++) {
		const struct tview *tv = &tvs.v[k];
		if (!ck_mixed_pair_judged(tv))
			continue;
		unsigned version = model_tunnel_ike(tv->mt[0])->version;
		struct selector refused[2];
		bool ok[2];
		for (int i = 0; i < 2; i++)
			ok[i] = initiator_succeeds(tv, i, version, &refused[i]);
		if (ok[0] && ok[1])
			continue;
		int rb = tv->mt[0]->route_based ? 0 : 1;
		const struct ir_gateway *g = tv_gw(tv, rb), *other = tv_gw(tv, 1 - rb);
		char why[2][400];
		for (int i = 0; i < 2; i++) {
			if (ok[i]) {
				snprintf(why[i], sizeof(why[i]), "%s initiating succeeds", ck_gw_name(tv_gw(tv, i)));
				continue;
			}
			char sel[160];
			selector_format(&refused[i], sel, sizeof(sel));
			snprintf(why[i], sizeof(why[i]), "%s initiating fails: it proposes %s and %s "
				 "(%s) accepts IKEv%u selectors %s", ck_gw_name(tv_gw(tv, i)), sel,
				 ck_gw_name(tv_gw(tv, 1 - i)), ck_gw_platform_text(tv_gw(tv, 1 - i)), version,
				 ike_ts_accept_text(ck_gw_platform(tv_gw(tv, 1 - i)), version,
						    tv->mt[1 - i] && tv->mt[1 - i]->route_based));
		}
		struct diag *d = check_report_sev(ctx, ok[0] || ok[1] ? DIAG_WARNING : DIAG_ERROR,
			ir_end_route_based(tv->mt[rb]->here)->loc,
			"tunnel %s is a mixed pair (%s route-based, %s policy-based) whose ends "
			"cannot agree on selectors both ways: %s; %s", tv->t->name, ck_gw_name(g),
			ck_gw_name(other), why[0], why[1]);
		ck_diag_names(d, tv->t, g, other);
		/* IKEv2 only where both platforms speak it (not PIX 6.3). */
		const struct platform_info *pg = ck_gw_platform(g), *po = ck_gw_platform(other);
		bool v2 = version == 1 && pg && po && (pg->ike_versions & BIT(2)) &&
			  (po->ike_versions & BIT(2));
		/* Where the route-based end's tunnel interface is always any to
		 * any (IOS, ASA: platform-limit), it cannot take the other's
		 * selectors: its end becomes policy-based. */
		if (pg && pg->limits.route_based_any)
			diag_fix(d, "make %s's end policy-based (no `route-based`: its crypto map "
				 "then proposes and accepts %s's subnets)%s", ck_gw_name(g),
				 ck_gw_name(other), v2 ? ", or use IKEv2 (the responder narrows)" : "");
		else
			diag_fix(d, "give %s's block `local` and `remote` matching %s's selectors%s",
				 ck_gw_name(g), ck_gw_name(other),
				 v2 ? ", or use IKEv2 (the responder narrows)" : "");
		/* Each direction as `tunc run` has it (tests/lint-engine-agree.sh
		 * replays both). */
		for (int i = 0; i < 2; i++)
			if (tv_gw(tv, i)->kind == GW_GATEWAY)
				probe_initiator(ctx, d, tv, i);
	}
	ck_tviews_free(&tvs);
}

/* ---- mtu-overhead ---- */

/* The largest packet the inside links of G carry (1500 by default). */
static unsigned inside_mtu(const struct ir_gateway *g)
{
	unsigned m = 0;
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		unsigned v = ir_iface_written(ifc)->mtu;
		if (!ifc->outside && v > m)
			m = v;
	}
	return m ? m : 1500;
}

static bool clamps(const struct ir_tcp_mss *m)
{
	return m->mode == TCP_MSS_AUTO || m->mode == TCP_MSS_FIXED;
}

void check_mtu_overhead(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t k = 0; k < tvs.n; k++) {
		const struct tview *tv = &tvs.v[k];
		for (int a = 0; a < 2; a++) {
			const struct model_tunnel *mt = tv->mt[a];
			const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
			const struct ir_gateway *g = tv_gw(tv, a);
			if (!mt || g->kind != GW_GATEWAY || !ipsec || clamps(ir_end_tcp_mss(mt->here)))
				continue;
			const struct ir_interface *ifc = mt->here->endpoint_iface;
			/* Where sizes were thought about: a route-based end, an
			 * MTU written, or clamping turned off on purpose. */
			bool sized = mt->route_based || ir_end_tcp_mss(mt->here)->mode == TCP_MSS_OFF ||
				     (ifc && ir_iface_written(ifc)->mtu_loc.file);
			if (!sized || !model_tunnel_local_ep(mt)->family)
				continue;
			const struct ir_ipsec *s = ipsec;
			struct ipsec_suite su = {
				.protocol = s->protocol,
				.enc = s->encryption.n ? s->encryption.v[0] : ENC_NULL,
				.integ = s->integrity.n ? s->integrity.v[0] : INTEG_NONE,
				.outer_family = model_tunnel_local_ep(mt)->family,
				.udp_encap = s->protocol == IPSEC_ESP && mt->nat_traversal &&
					     (mt->behind_nat_here || mt->behind_nat_there)};
			unsigned path = ifc ? ir_iface_written(ifc)->mtu : 1500;
			unsigned inner = inside_mtu(g);
			struct ipsec_overhead o = ipsec_overhead_of(&su, inner);
			if (o.outer <= path)
				continue;
			char parts[200];
			ipsec_overhead_format(&o, parts, sizeof(parts));
			size_t fits = ipsec_max_inner(&su, path);
			struct tunc_loc loc = ifc && ir_iface_written(ifc)->mtu_loc.file
					    ? ir_iface_written(ifc)->mtu_loc
					    : mt->route_based ? ir_end_route_based(mt->here)->loc
					    : ck_end_loc(tv->t, a);
			struct diag *d = check_report(ctx, loc,
				"%s: a %u-byte packet from inside becomes %zu bytes in tunnel %s (+ %s), "
				"more than the %u-byte MTU of %s, and no tcp-mss clamps TCP: full-size "
				"segments with DF are dropped (ICMP fragmentation needed, next-hop MTU "
				"%zu), without DF fragmented", g->name, inner, o.outer, tv->t->name, parts,
				path, ifc ? ifc->name : "its outside interface", fits);
			ck_diag_names(d, tv->t, g, tv_gw(tv, 1 - a));
			diag_fix(d, "add `tcp-mss auto;` to tunnel %s (clamps the MSS to %zu)",
				 tv->t->name, fits > 40 ? fits - 40 : 0);
		}
	}
	ck_tviews_free(&tvs);
}

/* ---- tunnel-route-missing ---- */

/* A route-based end protects what its routes send into its tunnel
 * interface.  Its routes to the far subnets through it are implied, but a
 * route of the gateway can win over them for some of those addresses (a
 * more specific route, or one to the same prefix written first): that
 * traffic leaves by another interface, in clear.  The candidates are each
 * far subnet's first host and the first host of every route inside it; the
 * model's route lookup (the engine's) decides each, and the engine's fate
 * for a packet from this end's side is quoted. */

/* The first host of P, or its only address. */
static struct ip_addr route_probe_host(const struct ip_prefix *p, const struct tview *tv)
{
	return probe_host_of(p, tv_gw(tv, 0), tv_gw(tv, 1));
}

/* A packet from end A's first local prefix of DST's family to DST, through
 * the engine; false when it has no such prefix. */
static bool probe_to(struct check_ctx *ctx, const struct tview *tv, int a,
		     const struct ip_addr *dst, struct probe_result *pr)
{
	const ir_prefix_vec *local = &tv->t->end[a].local;
	for (size_t i = 0; i < local->n; i++) {
		struct ip_prefix lp = prefix_network(&local->v[i].p);
		if (lp.addr.family != dst->family)
			continue;
		struct probe_pkt p = {.src = route_probe_host(&lp, tv), .dst = *dst, .proto = 1};
		char send[200];
		probe_send_text(&p, send, sizeof(send));
		return probe_send(ctx, send, pr);
	}
	return false;
}

static void route_text(const struct model_gateway *mg, const struct model_route *r, char *buf,
		       size_t size)
{
	char dst[ADDR_STRLEN], via[ADDR_STRLEN];
	ck_fmt_prefix(&r->dst, dst);
	const struct ir_interface *ifc = probe_route_iface(mg, r);
	if (r->via.family) {
		ck_fmt_addr(&r->via, via);
		snprintf(buf, size, "%s via %s%s%s", r->dst.len ? dst : "default", via,
			 ifc ? " on " : "", ifc ? ifc->name : "");
	} else {
		snprintf(buf, size, "%s on %s (connected)", dst, ifc ? ifc->name : "?");
	}
}

/* Reports route R of end A's gateway taking HOST (in far subnet RP) away
 * from the tunnel, unless the engine protects the packet after all. */
static void route_bypass_report(struct check_ctx *ctx, const struct tview *tv, int a,
				const struct ip_prefix *rp, const struct model_route *r,
				const struct ip_addr *host)
{
	const struct model_gateway *mg = tv->mg[a];
	const struct model_tunnel *mt = tv->mt[a];
	const struct ir_gateway *g = tv_gw(tv, a), *peer = tv_gw(tv, 1 - a);
	struct probe_result pr;
	bool probed = probe_to(ctx, tv, a, host, &pr);
	if (probed && pr.verdict == VERDICT_PROTECTED && pr.tunnel == tv->t)
		return;
	char rs[ADDR_STRLEN], part[ADDR_STRLEN], rt[200];
	ck_fmt_prefix(rp, rs);
	struct ip_prefix within = r->dst.len > rp->len ? r->dst : *rp;
	ck_fmt_prefix(&within, part);
	route_text(mg, r, rt, sizeof(rt));
	const struct ir_interface *ifc = probe_route_iface(mg, r);
	char what[400];
	if (r->dst.len > rp->len)
		snprintf(what, sizeof(what), "%s (part of %s, tunnel %s's remote subnet behind %s)",
			 part, rs, tv->t->name, ck_gw_name(peer));
	else
		snprintf(what, sizeof(what), "%s (tunnel %s's remote subnet behind %s)", rs,
			 tv->t->name, ck_gw_name(peer));
	char fate[800];
	if (!probed || pr.verdict == VERDICT_CLEAR)
		snprintf(fate, sizeof(fate), "leaves by %s in clear",
			 ifc ? ifc->name : "another interface");
	else
		snprintf(fate, sizeof(fate), "does not get through the tunnel (%s)", pr.fate);
	struct tunc_loc loc = loc_known(r->loc) ? r->loc : g->loc;
	struct diag *d = check_report(ctx, loc,
		"%s routes %s by '%s', not through tunnel %s's interface: a route-based end "
		"protects only what its routes send into the tunnel, so that traffic %s",
		g->name, what, rt, tv->t->name, fate);
	ck_diag_names(d, tv->t, g, peer);
	if (r->connected)
		diag_fix(d, "the far subnet %s overlaps %s's own network on %s: renumber one "
			 "of them", part, g->name, ifc ? ifc->name : "?");
	else
		diag_fix(d, "remove this route, or send %s into the tunnel with 'route %s via "
			 "tunnel %s;'", part, part, tv->t->name);
	diag_related(d, ir_end_route_based(mt->here)->loc, "the route to %s through tunnel %s's "
		     "interface is implied here", rs, tv->t->name);
	if (probed)
		probe_note(d, &pr, loc);
}

/* Does route R take HOST elsewhere than MT's (or another) tunnel
 * interface?  A far subnet routed into another tunnel interface is
 * routing's choice between tunnels (a cloud connection's standby), and
 * one connected on an inside interface overlaps this site
 * (selector-overlap's). */
static bool bypasses(const struct model_gateway *mg, const struct model_route *r)
{
	if (!r || r->tunnel)
		return false;
	const struct ir_interface *ifc = probe_route_iface(mg, r);
	return !(r->connected && ifc && !ifc->outside);
}

static void tunnel_route_end(struct check_ctx *ctx, const struct tview *tv, int a)
{
	const struct model_gateway *mg = tv->mg[a];
	const struct model_tunnel *mt = tv->mt[a];
	if (!mt || !mg || !mt->route_based)
		return;
	const ir_prefix_vec *remote = &mt->here->remote;
	for (size_t k = 0; k < remote->n; k++) {
		struct ip_prefix rp = prefix_network(&remote->v[k].p);
		if (!rp.len)
			continue;       /* `any`: what enters is routing's to say */
		/* The subnet's own first host, then every route inside it or
		 * to all of it, each reported once. */
		/* Routes are compared by their place (model_route_find): a
		 * connected one is made anew at each reading. */
		struct ip_addr host = route_probe_host(&rp, tv);
		size_t first = host.family ? model_route_find(mg, &host) : MODEL_ROUTE_NONE;
		struct model_route scratch;
		if (first != MODEL_ROUTE_NONE) {
			const struct model_route *fr = model_route_at(mg, first, &scratch);
			if (bypasses(mg, fr))
				route_bypass_report(ctx, tv, a, &rp, fr, &host);
		}
		size_t n_routes = model_route_count(mg);
		for (size_t i = 0; i < n_routes; i++) {
			const struct model_route *r = model_route_at(mg, i, &scratch);
			if (i == first || r->dst.addr.family != rp.addr.family ||
			    r->dst.len < rp.len || !prefix_contains(&rp, &r->dst))
				continue;
			struct ip_addr h = route_probe_host(&r->dst, tv);
			if (h.family && model_route_find(mg, &h) == i && bypasses(mg, r))
				route_bypass_report(ctx, tv, a, &rp, r, &h);
		}
	}
}

void check_tunnel_route_missing(struct check_ctx *ctx)
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t k = 0; k < tvs.n; k++)
		for (int a = 0; a < 2; a++)
			if (ck_gateway_end(&tvs.v[k], a))
				tunnel_route_end(ctx, &tvs.v[k], a);
	ck_tviews_free(&tvs);
}
