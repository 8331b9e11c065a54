/* Checks about routes: route-missing, egress-address, peer-unreachable. */
#include "config.h"
#include "check/checks.h"
#include "check/probe.h"
#include "check/util.h"

#include <stdio.h>
#include <string.h>

/* Runs FN on each configured gateway end (ck_gateway_end) of every tunnel,
 * in file order: peers are described, not configured, and their routes are
 * not known. */
static void each_gateway_end(struct check_ctx *ctx,
			     void (*fn)(struct check_ctx *ctx, const struct tview *tv, int a))
{
	struct tviews tvs;
	ck_tviews_build(ctx, &tvs);
	for (size_t i = 0; i < tvs.n; i++)
		for (int a = 0; a < 2; a++)
			if (ck_gateway_end(&tvs.v[i], a))
				fn(ctx, &tvs.v[i], a);
	ck_tviews_free(&tvs);
}

static void fmt_route(const struct model_gateway *mg, const struct model_route *r,
		      char *buf, size_t size)
{
	const struct ir_interface *ifc = probe_route_iface(mg, r);
	char dst[ADDR_STRLEN], via[ADDR_STRLEN];
	ck_fmt_prefix(&r->dst, dst);
	bool is_default = r->dst.len == 0;
	if (r->via.family) {
		ck_fmt_addr(&r->via, via);
		snprintf(buf, size, "%s via %s%s%s", is_default ? "default" : dst, via,
			 ifc ? " on " : "", ifc ? ifc->name : "");
	} else {
		snprintf(buf, size, "%s on %s (connected)", dst, ifc ? ifc->name : "?");
	}
}

/* The route statement to point at: a written route, else the gateway. */
static struct tunc_loc route_loc(const struct model_route *r, const struct ir_gateway *g)
{
	if (r && !r->connected && loc_known(r->loc))
		return r->loc;
	return g->loc;
}

/* ---- route-missing ---- */

/* The engine's answer for traffic from end A's site to remote prefix RP:
 * the first hosts of the end's first local prefix of RP's family and of RP. */
static bool probe_remote(struct check_ctx *ctx, const struct tview *tv, int a,
			 const struct ip_prefix *rp, struct probe_result *pr)
{
	const ir_prefix_vec *local = &tv->t->end[a].local;
	for (size_t i = 0; i < local->n; i++) {
		struct ip_prefix lp = prefix_network(&local->v[i].p);
		if (lp.addr.family != rp->addr.family)
			continue;
		struct probe_pkt p = {.src = probe_host_of(&lp, tv_gw(tv, a), tv_gw(tv, 1 - a)),
				      .dst = probe_host_of(rp, tv_gw(tv, a), tv_gw(tv, 1 - a)),
				      .proto = 1};
		char send[200];
		probe_send_text(&p, send, sizeof(send));
		return probe_send(ctx, send, pr);
	}
	return false;
}

/* The peer's endpoint and the route to it, as findings name them (once
 * per end: an empty PEER_EP means not yet made). */
static void peer_texts(const struct model_gateway *mg, const struct model_tunnel *mt,
		       const struct model_route *to_peer, char *peer_ep, char *peer_rt,
		       size_t rt_size)
{
	if (peer_ep[0])
		return;
	ck_fmt_addr(model_tunnel_remote_ep(mt), peer_ep);
	fmt_route(mg, to_peer, peer_rt, rt_size);
}

static void route_missing_end(struct check_ctx *ctx, const struct tview *tv, int a)
{
	const struct ir_tunnel *t = tv->t;
	const struct model_gateway *mg = tv->mg[a];
	const struct model_tunnel *mt = tv->mt[a];
	const struct ir_gateway *g = tv_gw(tv, a), *peer = tv_gw(tv, 1 - a);
	const struct platform_info *p = ck_gw_platform(g);
	/* A route-based end's far subnets are routed into its tunnel
	 * interface by construction: what takes them elsewhere is
	 * tunnel-route-missing's (checks_route_based.c). */
	if (mt->route_based)
		return;
	struct model_route peer_scratch, inner_scratch;
	const struct model_route *to_peer = ck_peer_route(ctx, tv, a, &peer_scratch);
	if (!to_peer)
		return;         /* peer-unreachable says so */
	const struct ir_interface *peer_if = probe_route_iface(mg, to_peer);
	/* The texts are made only for a finding: formatting them for every
	 * end of a hub's tunnels was a tenth of lint's time. */
	char peer_ep[ADDR_STRLEN] = "", peer_rt[160] = "";

	const ir_prefix_vec *remote = &t->end[a].remote;
	for (size_t r = 0; r < remote->n; r++) {
		struct ip_prefix rp = prefix_network(&remote->v[r].p);
		/* The peer's own endpoint among the remote addresses
		 * (seed 001's fix) is routed like the peer. */
		if (prefix_contains_addr(&rp, model_tunnel_remote_ep(mt)))
			continue;
		struct ip_addr host = prefix_first_host(&rp);
		const struct model_route *inner = probe_route(mg, &host, &inner_scratch);
		char rs[ADDR_STRLEN];
		struct probe_result pr;
		bool probed;
		if (!inner) {
			probed = probe_remote(ctx, tv, a, &rp, &pr);
			if (probed && pr.verdict == VERDICT_PROTECTED)
				continue;
			peer_texts(mg, mt, to_peer, peer_ep, peer_rt, sizeof(peer_rt));
			ck_fmt_prefix(&rp, rs);
			struct diag *d;
			if (!probed || pr.verdict == VERDICT_UNREACHABLE)
				d = check_report(ctx, route_loc(to_peer, g),
					"%s has no route for %s, the remote subnet of tunnel %s "
					"behind %s: its traffic is unreachable before IPsec sees it",
					g->name, rs, t->name, ck_gw_name(peer));
			else
				d = check_report(ctx, route_loc(to_peer, g),
					"%s has no route for %s, the remote subnet of tunnel %s "
					"behind %s: its traffic does not get through (%s)",
					g->name, rs, t->name, ck_gw_name(peer), pr.fate);
			ck_diag_names(d, t, g, peer);
			if (probed)
				probe_note(d, &pr, route_loc(to_peer, g));
			if (to_peer->via.family) {
				char via[ADDR_STRLEN];
				ck_fmt_addr(&to_peer->via, via);
				diag_fix(d, "add 'route %s via %s;' to %s (the next hop of its "
					 "route to the peer %s)", rs, via, g->name, peer_ep);
			} else {
				diag_fix(d, "add a route for %s to %s by %s, the interface "
					 "that reaches the peer %s", rs, g->name,
					 peer_if ? peer_if->name : "the outside interface", peer_ep);
			}
			continue;
		}
		/* Routed into this tunnel's own interface (route-based), or, for a
		 * route-based end, into another tunnel interface: which of two
		 * tunnels to the same networks carries the traffic is routing's
		 * choice (the standby of a cloud connection's pair, AWS). */
		if (inner->tunnel == mt || (inner->tunnel && mt->route_based))
			continue;
		const struct ir_interface *inner_if = probe_route_iface(mg, inner);
		bool if_differs = inner_if != peer_if;
		bool via_differs = !addr_equal(&inner->via, &to_peer->via);
		/* A connected route for the remote subnet means it is
		 * local: the peer's side overlaps ours (selector-overlap). */
		if (inner->connected && inner_if && !inner_if->outside)
			continue;
		bool wrong;
		const char *why;
		if (p->route_before_ipsec) {
			wrong = if_differs || via_differs;
			why = "the route is chosen before IPsec (the tunnel is not a routable "
			      "interface), so the ESP packets to";
		} else if (p->crypto_per_interface) {
			wrong = if_differs;
			why = "the crypto map sits on the interface the route leaves by, so "
			      "traffic for it never meets the crypto map toward";
		} else {
			wrong = false;
			why = "";
		}
		if (!wrong)
			continue;
		/* The engine's answer decides; its fate is what the
		 * message claims. */
		probed = probe_remote(ctx, tv, a, &rp, &pr);
		if (probed && pr.verdict == VERDICT_PROTECTED)
			continue;
		bool as_said = !probed ||
			(p->route_before_ipsec ? pr.verdict == VERDICT_DROPPED &&
						 pr.at_stage == STAGE_WIRE
					       : pr.verdict == VERDICT_CLEAR);
		peer_texts(mg, mt, to_peer, peer_ep, peer_rt, sizeof(peer_rt));
		ck_fmt_prefix(&rp, rs);
		char inner_rt[160], hop[ADDR_STRLEN + 40];
		fmt_route(mg, inner, inner_rt, sizeof(inner_rt));
		if (inner->via.family) {
			char v[ADDR_STRLEN];
			ck_fmt_addr(&inner->via, v);
			snprintf(hop, sizeof(hop), "%s", v);
		} else {
			snprintf(hop, sizeof(hop), "%s", inner_if ? inner_if->name : "?");
		}
		struct diag *d;
		if (!as_said)
			d = check_report(ctx, route_loc(inner, g),
				"%s routes %s (tunnel %s's remote subnet behind %s) by '%s', "
				"but the peer %s by '%s': on %s %s %s, and its traffic does "
				"not get through (%s)",
				g->name, rs, t->name, ck_gw_name(peer), inner_rt, peer_ep, peer_rt,
				p->description, why, peer_ep, pr.fate);
		else if (p->route_before_ipsec)
			d = check_report(ctx, route_loc(inner, g),
				"%s routes %s (tunnel %s's remote subnet behind %s) by '%s', "
				"but the peer %s by '%s': on %s %s %s are handed to %s",
				g->name, rs, t->name, ck_gw_name(peer), inner_rt, peer_ep, peer_rt,
				p->description, why, peer_ep, hop);
		else
			d = check_report(ctx, route_loc(inner, g),
				"%s routes %s (tunnel %s's remote subnet behind %s) by '%s', "
				"but the peer %s by '%s': on %s %s %s, and it leaves by %s in "
				"clear",
				g->name, rs, t->name, ck_gw_name(peer), inner_rt, peer_ep, peer_rt,
				p->description, why, peer_ep,
				inner_if ? inner_if->name : "another interface");
		ck_diag_names(d, t, g, peer);
		if (to_peer->via.family) {
			char via[ADDR_STRLEN];
			ck_fmt_addr(&to_peer->via, via);
			if (peer_if)
				diag_fix(d, "add 'route %s via %s dev %s;' to %s", rs, via,
					 peer_if->name, g->name);
			else
				diag_fix(d, "add 'route %s via %s;' to %s", rs, via, g->name);
		} else {
			diag_fix(d, "add a route for %s to %s by %s", rs, g->name,
				 peer_if ? peer_if->name : "the peer's interface");
		}
		if (!to_peer->connected && loc_known(to_peer->loc))
			diag_related(d, to_peer->loc, "the peer %s is reached by this route",
				     peer_ep);
		if (probed)
			probe_note(d, &pr, route_loc(inner, g));
	}
}

void check_route_missing(struct check_ctx *ctx)
{
	each_gateway_end(ctx, route_missing_end);
}

/* ---- egress-address ---- */

static void egress_address_end(struct check_ctx *ctx, const struct tview *tv, int a)
{
	const struct ir_tunnel *t = tv->t;
	const struct model_gateway *mg = tv->mg[a];
	const struct model_tunnel *mt = tv->mt[a];
	const struct ir_gateway *g = tv_gw(tv, a), *peer = tv_gw(tv, 1 - a);
	if (!model_tunnel_local_ep(mt)->family)
		return;
	struct model_route peer_scratch, scratch;
	const struct model_route *to_peer = ck_peer_route(ctx, tv, a, &peer_scratch);
	const struct ir_interface *out_if = probe_route_iface(mg, to_peer);
	if (!out_if || !out_if->has_address ||
	    addr_equal(&out_if->address.addr, model_tunnel_local_ep(mt)))
		return;
	/* The interface that holds the endpoint, and a next hop on it. */
	const struct ir_interface *ep_if = NULL;
	for (size_t k = 0; k < g->interfaces.n; k++) {
		const struct ir_interface *ifc = g->interfaces.v[k];
		if (ifc->has_address && addr_equal(&ifc->address.addr, model_tunnel_local_ep(mt)))
			ep_if = ifc;
	}
	/* Connected routes have no next hop: via_ep, if any, is a stored
	 * route, and stays valid after the loop. */
	const struct model_route *via_ep = NULL;
	size_t n_routes = ep_if ? model_route_count(mg) : 0;
	for (size_t k = 0; k < n_routes; k++) {
		const struct model_route *r = model_route_at(mg, k, &scratch);
		if (r->via.family && probe_route_iface(mg, r) == ep_if) {
			via_ep = r;
			break;
		}
	}
	char src[ADDR_STRLEN], ep[ADDR_STRLEN], peer_ep[ADDR_STRLEN];
	ck_fmt_addr(&out_if->address.addr, src);
	ck_fmt_addr(model_tunnel_local_ep(mt), ep);
	ck_fmt_addr(model_tunnel_remote_ep(mt), peer_ep);
	const struct ir_tunnel_end *e = &t->end[a];
	char remote_text[ADDR_STRLEN + 32] = "the remote subnets";
	if (e->remote.n) {
		struct ip_prefix rp = prefix_network(&e->remote.v[0].p);
		ck_fmt_prefix(&rp, remote_text);
		if (e->remote.n > 1) {
			size_t l = strlen(remote_text);
			snprintf(remote_text + l, sizeof(remote_text) - l, " (and the other "
				 "remote subnets)");
		}
	}
	struct tunc_loc loc = route_loc(to_peer, g);
	struct diag *d = check_report(ctx, loc,
		"%s sends tunnel %s's packets to %s out of %s (%s), but its tunnel "
		"endpoint is %s%s%s%s: %s sees %s as the source and does not accept them",
		g->name, t->name, peer_ep, out_if->name, src, ep,
		ep_if ? " (" : "", ep_if ? ep_if->name : "", ep_if ? ")" : "",
		ck_gw_name(peer), src);
	ck_diag_names(d, t, g, peer);
	if (via_ep) {
		char v[ADDR_STRLEN];
		ck_fmt_addr(&via_ep->via, v);
		diag_fix(d, "add 'route %s via %s dev %s;' to %s, and the same for %s, "
			 "binding them to the endpoint's interface", peer_ep, v,
			 ep_if->name, g->name, remote_text);
	} else {
		diag_fix(d, "add static routes for %s and %s by %s (the interface of the "
			 "endpoint %s, via its router), or use %s as the endpoint", peer_ep,
			 remote_text, ep_if ? ep_if->name : "the endpoint's interface", ep, src);
	}
	if (ir_end_written(e)->local_endpoint_set && loc_known(ir_end_written(e)->local_endpoint_loc))
		diag_related(d, ir_end_written(e)->local_endpoint_loc, "the endpoint %s is configured here",
			     ep);
}

void check_egress_address(struct check_ctx *ctx)
{
	each_gateway_end(ctx, egress_address_end);
}

/* ---- peer-unreachable ---- */

static void peer_unreachable_end(struct check_ctx *ctx, const struct tview *tv, int a)
{
	const struct ir_tunnel *t = tv->t;
	const struct model_tunnel *mt = tv->mt[a];
	const struct ir_gateway *g = tv_gw(tv, a), *peer = tv_gw(tv, 1 - a);
	if (!model_tunnel_remote_ep(mt)->family)
		return;         /* no address known: the resolver says so */
	struct model_route scratch;
	if (ck_peer_route(ctx, tv, a, &scratch))
		return;
	char ep[ADDR_STRLEN];
	ck_fmt_addr(model_tunnel_remote_ep(mt), ep);
	struct diag *d = check_report(ctx, g->loc,
		"%s has no route to %s, the tunnel endpoint of %s for tunnel %s: IKE "
		"never leaves %s, and phase 1 never starts",
		g->name, ep, ck_gw_name(peer), t->name, g->name);
	ck_diag_names(d, t, g, peer);
	/* Suggest the outside interface's router, if one is known. */
	const struct ir_interface *out = t->end[a].endpoint_iface;
	if (out)
		diag_fix(d, "add a route to %s by %s, e.g. 'route default via ROUTER;' "
			 "with the Internet router on %s's subnet", ep, out->name, out->name);
	else
		diag_fix(d, "add a route to %s by the outside interface, e.g. 'route "
			 "default via ROUTER;'", ep);
	const struct ir_tunnel_end *e = &t->end[a];
	if (ir_end_written(e)->remote_endpoint_set && loc_known(ir_end_written(e)->remote_endpoint_loc))
		diag_related(d, ir_end_written(e)->remote_endpoint_loc, "the peer's endpoint is configured here");
	else if (peer && peer->kind == GW_PEER && loc_known(peer->address_loc))
		diag_related(d, peer->address_loc, "%s's address", ck_gw_name(peer));
}

void check_peer_unreachable(struct check_ctx *ctx)
{
	each_gateway_end(ctx, peer_unreachable_end);
}
