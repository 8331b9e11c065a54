/* The engine's forwarding: a packet's way through one gateway, stage by
 * stage in the order its platform row gives (platform.h outbound[] /
 * inbound[]), then on to the next node or host.  What happened is recorded
 * with record.c's functions. */
#include "config.h"
#include "model/filters.h"
#include "engine/engine_internal.h"
#include "model/overhead.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- packets ---- */

bool pkt_refresh(struct pkt *p)
{
	return pkt_parse(p->buf, p->len, &p->pi) == PKT_OK;
}

static bool is_own_address(const struct model_gateway *mg, const struct ip_addr *a)
{
	const struct ir_gateway *g = mg->ir;
	if (g->kind == GW_PEER)
		return addr_equal(&g->address, a);
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		if (ifc->has_address && addr_equal(&ifc->address.addr, a))
			return true;
	}
	return false;
}

static bool is_ipsec_packet(const struct pkt_info *pi)
{
	return pi->proto == IPPROTO_ESP_ || pi->proto == IPPROTO_AH_ ||
	       (pi->proto == IPPROTO_UDP_ && pi->spi);
}

/* ---- filters ---- */

struct match_pkt pkt_match_view(const struct pkt_info *pi)
{
	return (struct match_pkt){.src = pi->src, .dst = pi->dst, .proto = pi->proto,
				  .has_ports = pi->has_ports, .dport = pi->dport};
}

/* Applies one interface filter; false when it drops the packet. */
static bool apply_filter(struct pass *ps, const struct ir_interface *ifc, const struct ir_filter *f)
{
	struct match_pkt mp = pkt_match_view(&ps->p->pi);
	struct filter_verdict v = filter_match(ps->mg->platform, f, &mp);
	const struct ir_filter_rule *rule = v.rule;
	const char *dir = f->dir == FILTER_IN ? "in" : "out";
	struct tunc_loc loc = rule ? rule->loc : (f->default_loc.file ? f->default_loc : f->loc);
	const char *what = rule ? "rule" : "default";
	if (v.action == FILTER_PERMIT) {
		trace_add(ps->e, ps->mg->ir->name, STAGE_FILTER, loc, "permit (%s, filter %s on %s)",
			  what, dir, ifc->name);
		return true;
	}
	packet_drop(ps->e, ps->gs, ps->mg->ir->name, STAGE_FILTER, loc, "filter",
		    "filter %s on %s drops it (%s)", dir, ifc->name, rule ? "rule" : "default drop");
	ps->done = true;
	return false;
}

/* Why a filter did not see the packet, for the trace. */
static void filter_unseen(struct pass *ps, const struct ir_interface *ifc, bool own, const char *dir)
{
	if (own)
		trace_add(ps->e, ps->mg->ir->name, STAGE_FILTER, ps->mg->ir->platform_loc,
			  "not checked (%s-the-box traffic: the access list on %s is for traffic "
			  "through the device)", dir, ifc->name);
	else
		trace_add(ps->e, ps->mg->ir->name, STAGE_FILTER, ps->mg->ir->platform_loc,
			  "not checked (routed traffic: the firewall rules on %s filter traffic to "
			  "and from %s itself)", ifc->name, ps->mg->ir->name);
}

static void stage_filter(struct pass *ps)
{
	const struct platform_info *pl = ps->mg->platform;
	/* To or from the box itself (its IKE, the ESP it sends and receives),
	 * or routed through it: where the row says its interface filters do
	 * not see that (model/filters.h). */
	bool own_in = ps->local_dst;
	bool own_out = ps->local_origin || ps->encapsulated;
	if (ps->in_iface && !ps->filter_in_done && ir_iface_written(ps->in_iface)->filter_in &&
	    !filter_sees(pl, own_in)) {
		ps->filter_in_done = true;
		filter_unseen(ps, ps->in_iface, own_in, "to");
	}
	if (ps->in_iface && !ps->filter_in_done && ir_iface_written(ps->in_iface)->filter_in) {
		ps->filter_in_done = true;
		if (ps->inbound && pl->sysopt_permit_ipsec &&
		    (is_ipsec_packet(&ps->p->pi) || ps->p->tunnel)) {
			trace_add(ps->e, ps->mg->ir->name, STAGE_FILTER, ps->mg->ir->platform_loc,
				  "permit (sysopt connection permit-ipsec: IPsec traffic bypasses the ACL on %s)",
				  ps->in_iface->name);
		} else if (!apply_filter(ps, ps->in_iface, ir_iface_written(ps->in_iface)->filter_in)) {
			return;
		}
	}
	if (ps->out_iface && !ps->filter_out_done && ir_iface_written(ps->out_iface)->filter_out) {
		ps->filter_out_done = true;
		if (!filter_sees(pl, own_out))
			filter_unseen(ps, ps->out_iface, own_out, "from");
		else
			apply_filter(ps, ps->out_iface, ir_iface_written(ps->out_iface)->filter_out);
	}
}

/* ---- route ---- */

static void route_trace(struct pass *ps, const char *what)
{
	if (!trace_on(ps->e))
		return;
	char dst[ADDR_STRLEN], via[ADDR_STRLEN] = "";
	const struct model_route *r = ps->route;
	addr_format(&ps->p->pi.dst, dst, sizeof(dst));
	if (r->via.family)
		addr_format(&r->via, via, sizeof(via));
	char rp[ADDR_STRLEN];
	prefix_format(&r->dst, rp, sizeof(rp), false);
	if (r->tunnel) {
		trace_add(ps->e, ps->mg->ir->name, STAGE_ROUTE, r->loc,
			  "%s%s via the tunnel interface of %s (route %s)", what, dst,
			  r->tunnel->ir->name, r->dst.len ? rp : "default");
	} else if (!r->iface) {
		trace_add(ps->e, ps->mg->ir->name, STAGE_ROUTE, r->loc, "%s%s %s (%s)", what, dst,
			  r->dst.len ? "is behind it" : "reached directly", rp);
	} else if (r->via.family) {
		trace_add(ps->e, ps->mg->ir->name, STAGE_ROUTE, r->loc, "%s%s via %s on %s (route %s)",
			  what, dst, via, r->iface->name, r->dst.len ? rp : "default");
	} else {
		trace_add(ps->e, ps->mg->ir->name, STAGE_ROUTE, r->loc, "%s%s connected on %s (%s)",
			  what, dst, r->iface->name, rp);
	}
}

static void run_stages(struct pass *ps, const enum stage *stages, size_t from);

static size_t stage_index(const enum stage *stages, enum stage st)
{
	for (size_t i = 0; i < PIPELINE_MAX && stages[i] != STAGE__COUNT; i++)
		if (stages[i] == st)
			return i;
	return PIPELINE_MAX;
}

static void stage_route(struct pass *ps)
{
	struct pkt *p = ps->p;
	const char *node = ps->mg->ir->name;
	if (ps->local_dst) {
		trace_add(ps->e, node, STAGE_ROUTE, LOC_NONE, "%s is %s's own address",
			  addr_text(ps->e, &p->pi.dst), node);
		return;
	}
	ps->route = model_route_lookup(ps->mg, &p->pi.dst, &ps->route_scratch);
	if (!ps->route) {
		packet_unreachable(ps->e, node, STAGE_ROUTE, LOC_NONE, "no route to %s at %s",
				   addr_text(ps->e, &p->pi.dst), node);
		ps->done = true;
		return;
	}
	ps->out_iface = ps->route->iface;
	ps->next_hop = ps->route->via;
	ps->route_tunnel = ps->route->tunnel;
	route_trace(ps, "");
	if (!ps->local_origin && ps->mg->ir->kind == GW_GATEWAY) {
		if (!pkt_dec_ttl(p->buf, p->len)) {
			packet_drop(ps->e, ps->gs, node, STAGE_ROUTE, ps->route->loc, "ttl-exceeded",
				    "TTL exceeded (a routing loop?)");
			ps->done = true;
			return;
		}
		pkt_refresh(p);
	}
	/* Arrived from outside and leaves toward the outside again: transit,
	 * the rest of the way is the outbound pipeline's. */
	bool leaves_outside = ps->out_iface ? ps->out_iface->outside : ps->route->dst.len == 0;
	if (ps->inbound && leaves_outside) {
		ps->inbound = false;
		const enum stage *out = ps->mg->platform->outbound;
		run_stages(ps, out, stage_index(out, STAGE_ROUTE) + 1);
		ps->done = true;
	}
}

/* Does the route lead toward the outside (the peers), where IPsec applies? */
static bool toward_outside(const struct pass *ps)
{
	if (!ps->route)
		return false;
	if (ps->out_iface)
		return ps->out_iface->outside;
	if (ps->route_tunnel)
		return true;
	return ps->route->dst.len == 0;         /* a peer's "reached directly" */
}

/* ---- NAT ---- */

static void nat_rewrite_src(struct pass *ps, const struct ip_addr *to, const struct ir_nat_rule *n,
			    const char *kind)
{
	struct pkt *p = ps->p;
	const char *from = trace_on(ps->e) ? addr_text(ps->e, &p->pi.src) : NULL;
	pkt_set_addr(p->buf, p->len, true, to);
	pkt_refresh(p);
	if (from)
		trace_add(ps->e, ps->mg->ir->name, STAGE_NAT, n->loc, "%s: source %s -> %s", kind,
			  from, addr_text(ps->e, to));
}

static void stage_nat(struct pass *ps)
{
	const struct ir_gateway *g = ps->mg->ir;
	if (!g->nat.n || !toward_outside(ps) || ps->encapsulated || ps->route_tunnel)
		return;         /* the NAT rules are the outside interfaces', not the tunnel's */
	struct match_pkt mp = pkt_match_view(&ps->p->pi);
	struct nat_decision d = nat_match(ps->mg, &mp, ps->out_iface);
	const struct ir_nat_rule *n = d.rule;
	if (!n) {
		trace_add(ps->e, g->name, STAGE_NAT, g->nat_loc, "no rule matches: not translated");
		return;
	}
	switch (n->kind) {
	case NAT_EXEMPT:
		trace_add(ps->e, g->name, STAGE_NAT, n->loc, "exempt: not translated");
		break;
	case NAT_EXEMPT_TUNNELS:
		trace_add(ps->e, g->name, STAGE_NAT, n->loc,
			  "exempt tunnels: matches %s's selectors, not translated",
			  d.tunnel_entry->tunnel->ir->name);
		break;
	case NAT_OVERLOAD:
		nat_rewrite_src(ps, &d.to, n, "overload");
		break;
	case NAT_STATIC:
		nat_rewrite_src(ps, &d.to, n, "static");
		break;
	}
}

/* ---- SPD, IKE, ESP ---- */

/* A route-based end: what the route sends into its tunnel interface is
 * protected when one of its selector pairs (any to any unless its block
 * says otherwise) holds it; there is no SPD to consult. */
static void route_based_spd(struct pass *ps)
{
	struct model_tunnel *mt = ps->route_tunnel;
	const struct pkt_info *pi = &ps->p->pi;
	struct selector_pairs pairs = model_tunnel_selectors(mt, pi->family);
	char sel[160];
	for (size_t i = 0; i < pairs.n; i++) {
		if (!selector_matches(&pairs.v[i].sel, &pi->src, &pi->dst, pi->proto, pi->dport))
			continue;
		ps->route_sel = pairs.v[i].sel;
		selector_format(&ps->route_sel, sel, sizeof(sel));
		trace_add(ps->e, ps->mg->ir->name, STAGE_SPD, model_tunnel_selectors_loc(mt),
			  "PROTECT %s %s (route-based: its tunnel interface)", mt->ir->name, sel);
		return;
	}
	packet_drop(ps->e, ps->gs, ps->mg->ir->name, STAGE_SPD, ir_end_route_based(mt->here)->loc,
		    "spd-discard", "%s -> %s is routed into the tunnel interface of %s, but none of "
		    "its selectors holds it", addr_text(ps->e, &pi->src), addr_text(ps->e, &pi->dst),
		    mt->ir->name);
	ps->done = true;
}

static void stage_spd(struct pass *ps)
{
	struct pkt *p = ps->p;
	const char *node = ps->mg->ir->name;
	if (!toward_outside(ps) || ps->encapsulated)
		return;
	if (ps->route_tunnel) {
		route_based_spd(ps);
		return;
	}
	const struct spd_entry *se = model_spd_lookup(ps->mg, SPD_OUT, &p->pi.src, &p->pi.dst,
						      p->pi.proto, p->pi.dport);
	char sel[160];
	if (!se) {
		trace_add(ps->e, node, STAGE_SPD, LOC_NONE, "BYPASS (no policy)");
		return;
	}
	sel[0] = '\0';
	if (trace_on(ps->e) || se->action == SPD_DISCARD) {
		const struct selector ssel = spd_entry_sel(se);
		selector_format(&ssel, sel, sizeof(sel));
	}
	switch (se->action) {
	case SPD_PROTECT: {
		/* A crypto map is bound to one interface (IOS, PIX): traffic
		 * routed out of another one never meets it. */
		const struct ir_interface *map_iface = se->tunnel->here->endpoint_iface;
		if (ps->mg->platform->crypto_per_interface && ps->out_iface && map_iface &&
		    ps->out_iface != map_iface) {
			trace_add(ps->e, node, STAGE_SPD, se->loc,
				  "BYPASS: the crypto map of %s is on %s, the packet leaves by %s",
				  se->tunnel->ir->name, map_iface->name, ps->out_iface->name);
			break;
		}
		ps->spd = se;
		struct strbuf nb = STRBUF_INIT;
		const char *note = model_spd_note(ps->mg, se, &nb);
		if (note)
			trace_add(ps->e, node, STAGE_SPD, se->loc, "PROTECT %s %s [%s]",
				  se->tunnel->ir->name, sel, note);
		else
			trace_add(ps->e, node, STAGE_SPD, se->loc, "PROTECT %s %s",
				  se->tunnel->ir->name, sel);
		strbuf_free(&nb);
		break;
	}
	case SPD_BYPASS:
		if (se->origin == ORIGIN_DEFAULT)
			trace_add(ps->e, node, STAGE_SPD, se->loc, "BYPASS (no tunnel selector matches)");
		else
			trace_add(ps->e, node, STAGE_SPD, se->loc, "BYPASS %s", sel);
		break;
	case SPD_DISCARD:
		packet_drop(ps->e, ps->gs, node, STAGE_SPD, se->loc, "spd-discard", "DISCARD %s", sel);
		ps->done = true;
		break;
	}
}

static void stage_ike(struct pass *ps)
{
	if ((!ps->spd || ps->spd->action != SPD_PROTECT) && !ps->route_tunnel)
		return;
	if (ps->encapsulated)
		return;
	struct model_tunnel *mt = ps->spd ? ps->spd->tunnel : ps->route_tunnel;
	const char *node = ps->mg->ir->name;
	ps->bundle = sa_find_out(ps->e, ps->mg, mt, &ps->p->pi, &ps->bundle_side);
	if (ps->bundle) {
		trace_add(ps->e, node, STAGE_IKE, mt->ir->loc, "SA established: spi 0x%08x",
			  ps->bundle->out[ps->bundle_side].cfg.spi);
		return;
	}
	char why[512];
	struct tunc_loc loc = mt->ir->loc;
	if (manual_tunnel(ps->mg, mt)) {
		/* Static SAs: nothing is negotiated, nothing can be waited for. */
		ps->bundle = manual_install(ps, why, sizeof(why), &loc);
		if (!ps->bundle) {
			packet_drop(ps->e, ps->gs, node, STAGE_IKE, loc, "manual-keying",
				    "no manually keyed SA (%s)", why);
			ps->done = true;
		}
		return;
	}
	ps->bundle = ike_negotiate(ps, why, sizeof(why), &loc);
	if (!ps->bundle) {
		/* WHY is in the platform's own words (ike.c). */
		packet_drop(ps->e, ps->gs, node, STAGE_IKE, loc, "negotiation", "%s", why);
		ps->done = true;
	}
}

/* ---- sizes: MSS clamping and the path MTU ---- */

static struct ipsec_suite suite_of(const struct ipsec_sa *sa)
{
	return (struct ipsec_suite){.protocol = sa->cfg.protocol, .enc = sa->cfg.enc,
				    .integ = sa->cfg.integ, .outer_family = sa->cfg.dst.family,
				    .udp_encap = sa->cfg.udp_encap};
}

/* The MTU of the interface MG's packets to the peer at DST leave by. */
static unsigned path_mtu(const struct model_gateway *mg, const struct ip_addr *dst,
			 const struct ir_interface **iface)
{
	struct model_route scratch;
	const struct model_route *r = model_route_lookup(mg, dst, &scratch);
	*iface = r ? r->iface : NULL;
	return *iface ? ir_iface_written(*iface)->mtu : 1500;
}

/* `tcp-mss auto|N` at MT's end: a TCP SYN (or SYN-ACK) entering or leaving
 * its tunnel gets its MSS option lowered to the clamp (auto: the largest
 * inner packet the path MTU carries after SA's overhead, less the IP and
 * TCP headers). */
static void clamp_mss(struct pass *ps, const struct model_tunnel *mt, const struct ipsec_sa *sa)
{
	struct pkt *p = ps->p;
	const struct ir_tcp_mss *m = ir_end_tcp_mss(mt->here);
	if (!p->pi.tcp_syn_any || !p->pi.tcp_mss || (m->mode != TCP_MSS_AUTO && m->mode != TCP_MSS_FIXED))
		return;
	size_t headers = (p->pi.family == AF_V6 ? 40 : 20) + 20;
	unsigned clamp = m->value;
	char how[160];
	if (m->mode == TCP_MSS_AUTO) {
		const struct ir_interface *ifc;
		unsigned mtu = path_mtu(ps->mg, &sa->cfg.dst, &ifc);
		struct ipsec_suite su = suite_of(sa);
		size_t inner = ipsec_max_inner(&su, mtu);
		clamp = inner > headers ? (unsigned)(inner - headers) : 0;
		snprintf(how, sizeof(how), "auto: %zu-byte inner packets fit the %u-byte MTU of %s, "
			 "less %zu bytes of IP and TCP headers", inner, mtu, ifc ? ifc->name : "the path",
			 headers);
	} else {
		snprintf(how, sizeof(how), "tcp-mss %u", clamp);
	}
	if (p->pi.tcp_mss <= clamp) {
		trace_add(ps->e, ps->mg->ir->name, STAGE_ESP, m->loc, "TCP MSS %u kept (%s)",
			  p->pi.tcp_mss, how);
		return;
	}
	unsigned was = p->pi.tcp_mss;
	pkt_set_mss(p->buf, p->len, (uint16_t)clamp);
	pkt_refresh(p);
	trace_add(ps->e, ps->mg->ir->name, STAGE_ESP, m->loc, "TCP MSS %u -> %u (%s)", was, clamp,
		  how);
}

/* The outer packet must fit the MTU of the interface it leaves by: too
 * big with DF set (IPv6: always) is refused with ICMP "fragmentation
 * needed" (IPv6: "packet too big") to the sender; without DF the outer
 * packet is fragmented.  False when the packet is dropped. */
static bool fits_path(struct pass *ps, const struct ipsec_sa *sa, struct tunc_loc loc)
{
	struct pkt *p = ps->p;
	const char *node = ps->mg->ir->name;
	const struct ir_interface *ifc;
	unsigned mtu = path_mtu(ps->mg, &sa->cfg.dst, &ifc);
	struct ipsec_suite su = suite_of(sa);
	struct ipsec_overhead o = ipsec_overhead_of(&su, p->len);
	if (o.outer <= mtu)
		return true;
	char parts[200];
	ipsec_overhead_format(&o, parts, sizeof(parts));
	const struct ir_iface_written *w = ifc ? ir_iface_written(ifc) : &ir_iface_written_none;
	struct tunc_loc mloc = w->mtu_loc.file ? w->mtu_loc : loc;
	const char *ifname = ifc ? ifc->name : "the path";
	if (p->pi.df || p->pi.family == AF_V6) {
		size_t inner = ipsec_max_inner(&su, mtu);
		bool v6 = p->pi.family == AF_V6;
		packet_drop(ps->e, ps->gs, node, STAGE_ESP, mloc, "too-big",
			    "the %zu-byte packet becomes %zu bytes (+ %s), more than the %u-byte MTU "
			    "of %s; %s: ICMP%s \"%s\" (type %d code %d, next-hop MTU %zu) back to %s",
			    p->len, o.outer, parts, mtu, ifname,
			    v6 ? "IPv6 is never fragmented on the way" : "DF is set",
			    v6 ? "v6" : "", v6 ? "packet too big" : "fragmentation needed",
			    v6 ? 2 : 3, v6 ? 0 : 4, inner, addr_text(ps->e, &p->pi.src));
		ps->done = true;
		return false;
	}
	size_t per = (mtu - 20) & ~(size_t)7;   /* IPv4 fragment data, 8-byte units */
	size_t frags = (o.outer - 20 + per - 1) / per;
	trace_add(ps->e, node, STAGE_ESP, mloc,
		  "the %zu-byte packet becomes %zu bytes (+ %s), more than the %u-byte MTU of %s; "
		  "DF is clear: the outer packet leaves in %zu fragments, the peer reassembles it",
		  p->len, o.outer, parts, mtu, ifname, frags);
	return true;
}

static void stage_esp(struct pass *ps)
{
	if (!ps->bundle)
		return;
	struct pkt *p = ps->p;
	const char *node = ps->mg->ir->name;
	struct sa_bundle *b = ps->bundle;
	struct ipsec_sa *sa = &b->out[ps->bundle_side];
	uint8_t out[ENGINE_BUF];
	size_t olen = 0;
	clamp_mss(ps, b->mt[ps->bundle_side], sa);
	const struct ir_ipsec *proposal = model_tunnel_ipsec(b->mt[ps->bundle_side]);
	struct tunc_loc loc = proposal ? proposal->loc : b->tunnel->loc;
	if (!fits_path(ps, sa, loc))
		return;
	size_t inner_len = p->len;
	enum ipsec_result res = ipsec_encapsulate(sa, p->buf, p->len, out, sizeof(out), &olen);
	if (res != IPSEC_OK) {
		packet_drop(ps->e, ps->gs, node, STAGE_ESP, loc, ipsec_drop_reason_name(res),
			    "encapsulation failed: %s", ipsec_drop_reason_name(res));
		ps->done = true;
		return;
	}
	memcpy(p->buf, out, olen);
	p->len = olen;
	pkt_refresh(p);
	ps->encapsulated = true;
	ps->route_tunnel = NULL;
	/* Where the route was chosen before IPsec, the packet leaves with the
	 * address of that route's interface (seed 002's multihomed pitfall). */
	if (ps->mg->platform->route_before_ipsec && ps->out_iface && ps->out_iface->has_address &&
	    ps->out_iface->address.addr.family == p->pi.src.family &&
	    !addr_equal(&ps->out_iface->address.addr, &p->pi.src)) {
		const char *was = addr_text(ps->e, &p->pi.src);
		pkt_set_addr(p->buf, p->len, true, &ps->out_iface->address.addr);
		pkt_refresh(p);
		trace_add(ps->e, node, STAGE_ESP, ps->route->loc,
			  "the route leaves by %s: outer source %s instead of the endpoint %s",
			  ps->out_iface->name, addr_text(ps->e, &p->pi.src), was);
	}
	ps->gs->encaps++;
	if (trace_on(ps->e))
		trace_add(ps->e, node, STAGE_ESP, loc,
			  "%s spi 0x%08x seq %u%s: %s -> %s, %zu -> %zu bytes",
			  sa->cfg.protocol == IPSEC_AH ? "AH" : "ESP", sa->cfg.spi, sa->seq,
			  sa->cfg.udp_encap ? " in UDP 4500" : "", addr_text(ps->e, &p->pi.src),
			  addr_text(ps->e, &p->pi.dst), inner_len, olen);
	/* Where the tunnel is an interface (or the SPD sits on it), the new
	 * outer packet is routed by its own destination; Windows keeps the
	 * route chosen for the inner packet (seed 004). */
	if (!ps->mg->platform->route_before_ipsec) {
		const struct model_route *r = model_route_lookup(ps->mg, &p->pi.dst,
								 &ps->route_scratch);
		if (!r) {
			packet_unreachable(ps->e, node, STAGE_ROUTE, LOC_NONE, "no route to peer %s",
					   addr_text(ps->e, &p->pi.dst));
			ps->done = true;
			return;
		}
		ps->route = r;
		ps->out_iface = r->iface;
		ps->next_hop = r->via;
		ps->filter_out_done = false;
		route_trace(ps, "outer: ");
	}
}

/* ---- inbound ---- */

static void stage_decap(struct pass *ps)
{
	struct pkt *p = ps->p;
	const char *node = ps->mg->ir->name;
	if (!ps->local_dst || !is_ipsec_packet(&p->pi))
		return;
	int side = 0;
	unsigned proto = p->pi.proto;
	struct sa_bundle *b = sa_find_in(ps->e, ps->mg, proto, p->pi.spi, &side);
	if (!b) {
		char hint[400];
		struct tunc_loc loc = LOC_NONE;
		if (manual_unknown_spi_hint(ps->e, ps->mg, proto, p->pi.spi, hint, sizeof(hint), &loc))
			packet_drop(ps->e, ps->gs, node, STAGE_DECAP, loc, "unknown-spi",
				    "no inbound SA with spi 0x%08x (%s)", p->pi.spi, hint);
		else
			packet_drop(ps->e, ps->gs, node, STAGE_DECAP, LOC_NONE, "unknown-spi",
				    "no inbound SA with spi 0x%08x", p->pi.spi);
		ps->done = true;
		return;
	}
	struct ipsec_sa *sa = &b->in[side];
	const struct ir_tunnel_end *here = b->mt[side]->here;
	if (ir_end_written(here)->mirrored) {
		/* A mirrored Windows tunnel filter gives the inbound direction the
		 * same tunnel endpoint as the outbound one: the other end's. */
		packet_drop(ps->e, ps->gs, node, STAGE_DECAP, ir_end_written(here)->mirrored_loc, "mirrored-filter",
			    "spi 0x%08x: %s's inbound SA is bound to tunnel endpoint %s, not %s (the filter is mirrored)",
			    p->pi.spi, node, addr_text(ps->e, model_tunnel_remote_ep(b->mt[side])),
			    addr_text(ps->e, &p->pi.dst));
		ps->done = true;
		return;
	}
	/* A negotiated SA knows the address its peer spoke from; a manually
	 * keyed one is found by destination, SPI and protocol alone (RFC 4301
	 * §4.1; the Linux kernel's state lookup), whatever a NAT device made of
	 * the source. */
	if (!b->manual && sa->cfg.src.family && !addr_equal(&sa->cfg.src, &p->pi.src)) {
		packet_drop(ps->e, ps->gs, node, STAGE_DECAP, b->tunnel->loc, "unexpected-source",
			    "spi 0x%08x from %s, but the SA's peer is %s", p->pi.spi,
			    addr_text(ps->e, &p->pi.src), addr_text(ps->e, &sa->cfg.src));
		ps->done = true;
		return;
	}
	uint8_t out[ENGINE_BUF];
	size_t olen = 0;
	uint32_t seq = 0;
	struct ipsec_outer outer;
	if (ipsec_parse_outer(p->buf, p->len, 0, &outer) == IPSEC_OK)
		seq = outer.seq;
	enum ipsec_result res = ipsec_decapsulate(sa, p->buf, p->len, out, sizeof(out), &olen);
	if (res != IPSEC_OK) {
		char hint[400];
		struct tunc_loc loc = b->tunnel->loc;
		if (!manual_decap_hint(b, side, hint, sizeof(hint), &loc))
			hint[0] = '\0';
		packet_drop(ps->e, ps->gs, node, STAGE_DECAP, loc,
			    ipsec_drop_reason_name(res), "%s spi 0x%08x seq %u: %s%s%s%s",
			    sa->cfg.protocol == IPSEC_AH ? "AH" : "ESP", sa->cfg.spi, seq,
			    ipsec_drop_reason_name(res), hint[0] ? " (" : "", hint,
			    hint[0] ? ")" : "");
		ps->done = true;
		return;
	}
	memcpy(p->buf, out, olen);
	p->len = olen;
	if (!pkt_refresh(p)) {
		packet_drop(ps->e, ps->gs, node, STAGE_DECAP, b->tunnel->loc, "bad-inner",
			    "the decapsulated packet is malformed");
		ps->done = true;
		return;
	}
	p->tunnel = b->tunnel;
	p->decap_bundle = b;
	p->decap_side = side;
	ps->gs->decaps++;
	ps->local_dst = is_own_address(ps->mg, &p->pi.dst);
	char desc[200] = "";
	if (trace_on(ps->e))
		pkt_describe(&p->pi, desc, sizeof(desc));
	trace_add(ps->e, node, STAGE_DECAP, b->tunnel->loc, "%s spi 0x%08x seq %u: ICV ok, inner %s",
		  sa->cfg.protocol == IPSEC_AH ? "AH" : "ESP", sa->cfg.spi, seq, desc);
	clamp_mss(ps, b->mt[side], &b->out[side]);
}

static void stage_inbound_check(struct pass *ps)
{
	struct pkt *p = ps->p;
	const char *node = ps->mg->ir->name;
	char sel[160];
	if (p->decap_bundle) {
		struct sa_bundle *b = p->decap_bundle;
		struct selector s = b->sel;     /* side 0's local -> remote */
		if (p->decap_side == 0) {       /* side 0 receives remote -> local */
			s.src = b->sel.dst;
			s.dst = b->sel.src;
		}
		p->decap_bundle = NULL;
		/* A route-based end has no inbound policies of its own: its
		 * tunnel interface takes what the SA's selectors hold, as an
		 * IKE-keyed one does (below). */
		if (b->manual && !b->mt[p->decap_side]->route_based) {
			/* One SA pair for the whole tunnel: the packet must match one
			 * of the tunnel's inbound policies (Linux drops what matches
			 * none: XfrmInNoPols). */
			const struct spd_entry *se = manual_inbound_entry(b, p->decap_side, &p->pi,
									  !ps->local_dst);
			if (!se) {
				packet_drop(ps->e, ps->gs, node, STAGE_INBOUND_CHECK, b->tunnel->loc,
					    "inbound-check", "%s -> %s matches none of %s's inbound "
					    "policies for %s", addr_text(ps->e, &p->pi.src),
					    addr_text(ps->e, &p->pi.dst), node, b->tunnel->name);
				ps->done = true;
				return;
			}
			const struct selector ssel = spd_entry_sel(se);
			selector_format(&ssel, sel, sizeof(sel));
			trace_add(ps->e, node, STAGE_INBOUND_CHECK, se->loc,
				  "matches %s's policy %s", b->tunnel->name, sel);
			return;
		}
		bool matches = selector_matches(&s, &p->pi.src, &p->pi.dst, p->pi.proto, p->pi.dport);
		sel[0] = '\0';
		if (!matches || trace_on(ps->e))
			selector_format(&s, sel, sizeof(sel));
		if (!matches) {
			packet_drop(ps->e, ps->gs, node, STAGE_INBOUND_CHECK, b->tunnel->loc,
				    "inbound-check", "%s -> %s does not match the SA's selectors %s",
				    addr_text(ps->e, &p->pi.src), addr_text(ps->e, &p->pi.dst), sel);
			ps->done = true;
			return;
		}
		trace_add(ps->e, node, STAGE_INBOUND_CHECK, b->tunnel->loc, "matches SA selectors %s", sel);
		return;
	}
	if (is_ipsec_packet(&p->pi))
		return;
	/* A clear packet that the policy says must arrive protected. */
	enum spd_dir dir = !ps->local_dst && ps->mg->platform->has_fwd_policy ? SPD_FWD : SPD_IN;
	const struct spd_entry *se = model_spd_lookup(ps->mg, dir, &p->pi.src, &p->pi.dst,
						      p->pi.proto, p->pi.dport);
	if (!se || se->action == SPD_BYPASS)
		return;
	const struct selector ssel = spd_entry_sel(se);
	selector_format(&ssel, sel, sizeof(sel));
	if (se->action == SPD_PROTECT && se->tunnel && ir_end_written(se->tunnel->here)->accept_unsecured) {
		trace_add(ps->e, node, STAGE_INBOUND_CHECK, ir_end_written(se->tunnel->here)->accept_unsecured_loc,
			  "accepted in clear although %s requires IPsec (accept-unsecured)",
			  se->tunnel->ir->name);
		return;
	}
	packet_drop(ps->e, ps->gs, node, STAGE_INBOUND_CHECK, se->loc, "clear-in-tunnel",
		    "arrived in clear, but %s requires IPsec for %s",
		    se->tunnel ? se->tunnel->ir->name : "the policy", sel);
	ps->done = true;
}

static void deliver_local(struct pass *ps);

static void stage_deliver(struct pass *ps)
{
	if (ps->local_dst) {
		deliver_local(ps);
		return;
	}
	if (!ps->route)
		stage_route(ps);
	if (!ps->done)
		wire_send(ps);
}

static void stage_wire(struct pass *ps)
{
	if (!ps->route) {
		packet_unreachable(ps->e, ps->mg->ir->name, STAGE_WIRE, LOC_NONE, "no route");
		ps->done = true;
		return;
	}
	wire_send(ps);
}

static void run_stage(struct pass *ps, enum stage st)
{
	switch (st) {
	case STAGE_ROUTE: stage_route(ps); break;
	case STAGE_FILTER: stage_filter(ps); break;
	case STAGE_NAT: stage_nat(ps); break;
	case STAGE_SPD: stage_spd(ps); break;
	case STAGE_IKE: stage_ike(ps); break;
	case STAGE_ESP: stage_esp(ps); break;
	case STAGE_WIRE: stage_wire(ps); ps->done = true; break;
	case STAGE_DECAP: stage_decap(ps); break;
	case STAGE_INBOUND_CHECK: stage_inbound_check(ps); break;
	case STAGE_DELIVER: stage_deliver(ps); ps->done = true; break;
	case STAGE__COUNT: break;
	}
}

static void run_stages(struct pass *ps, const enum stage *stages, size_t from)
{
	for (size_t i = from; i < PIPELINE_MAX && stages[i] != STAGE__COUNT && !ps->done; i++)
		run_stage(ps, stages[i]);
}

/* ---- nodes and hosts ---- */

void start_pass(struct engine *e, struct model_gateway *mg, const struct ir_interface *iface,
		       struct pkt *p, bool from_inside, bool local_origin)
{
	struct pass ps;
	memset(&ps, 0, sizeof(ps));
	ps.e = e;
	ps.mg = mg;
	ps.gs = gw_state_of(e, mg);
	ps.p = p;
	ps.in_iface = iface;
	ps.local_origin = local_origin;
	ps.local_dst = is_own_address(mg, &p->pi.dst);
	ps.inbound = !from_inside && !local_origin;
	if (++p->hops > ENGINE_MAX_HOPS) {
		packet_drop(e, ps.gs, mg->ir->name, STAGE_ROUTE, LOC_NONE, "loop",
			    "crossed %d gateways: a routing loop", ENGINE_MAX_HOPS);
		return;
	}
	if (ps.gs)
		ps.gs->received += !local_origin;
	const enum stage *stages = ps.inbound || ps.local_dst ? mg->platform->inbound
							       : mg->platform->outbound;
	if (ps.local_dst && !ps.inbound)
		ps.inbound = true;
	run_stages(&ps, stages, 0);
	if (!ps.done && !e->cur->decided) {
		/* A pipeline without a final stage for this packet: deliver it. */
		if (ps.local_dst)
			deliver_local(&ps);
		else if (ps.route)
			wire_send(&ps);
	}
}

void node_receive(struct engine *e, struct model_gateway *mg, const struct ir_interface *iface,
		  struct pkt *p)
{
	bool from_inside = iface && !iface->outside;
	start_pass(e, mg, iface, p, from_inside, false);
}

static void send_echo_reply(struct engine *e, struct model_gateway *mg,
			    const struct ir_interface *iface, const struct pkt *req, bool from_host,
			    const char *host_name);

/* Does the receiver answer what it got?  An echo request and a TCP SYN
 * always (round trips, LANGUAGE.md); a UDP datagram when it was sent with
 * `reply` (once: not the answer itself). */
static bool answers(const struct engine *e, const struct pkt_info *pi)
{
	if (pkt_wants_reply(pi))
		return true;
	return pi->proto == IPPROTO_UDP_ && !pi->spi && e->cur && e->cur->wants_reply &&
	       !e->cur->reply;
}

static void deliver_local(struct pass *ps)
{
	struct engine *e = ps->e;
	char desc[200] = "";
	if (trace_on(e))
		pkt_describe(&ps->p->pi, desc, sizeof(desc));
	trace_add(e, ps->mg->ir->name, STAGE_DELIVER, LOC_NONE, "%s delivered to %s itself", desc,
		  ps->mg->ir->name);
	if (ps->p->pi.tcp_syn_any && !ps->p->pi.is_tcp_syn)
		e->cur->mss_received = ps->p->pi.tcp_mss;
	ps->gs->delivered++;
	packet_delivered(e, ps->p);
	ps->done = true;
	if (answers(e, &ps->p->pi))
		send_echo_reply(e, ps->mg, NULL, ps->p, false, ps->mg->ir->name);
}

static const char *host_name_of(struct engine *e, const struct ip_addr *a)
{
	for (size_t i = 0; i < e->ir->hosts.n; i++)
		if (addr_equal(&e->ir->hosts.v[i]->addr, a))
			return e->ir->hosts.v[i]->name;
	return addr_text(e, a);
}

void host_receive(struct engine *e, struct model_gateway *mg, const struct ir_interface *iface,
		  struct pkt *p)
{
	const char *name = host_name_of(e, &p->pi.dst);
	char desc[200] = "";
	if (trace_on(e))
		pkt_describe(&p->pi, desc, sizeof(desc));
	trace_add(e, name, STAGE_DELIVER, LOC_NONE, "%s received", desc);
	if (p->pi.tcp_syn_any && !p->pi.is_tcp_syn)
		e->cur->mss_received = p->pi.tcp_mss;   /* what the sender's segments obey */
	struct gw_state *gs = gw_state_of(e, mg);
	if (gs)
		gs->delivered++;
	packet_delivered(e, p);
	if (answers(e, &p->pi))
		send_echo_reply(e, mg, iface, p, true, name);
}

static void send_echo_reply(struct engine *e, struct model_gateway *mg,
			    const struct ir_interface *iface, const struct pkt *req, bool from_host,
			    const char *name)
{
	struct pkt *rp = xcalloc(1, sizeof(*rp));
	rp->len = req->pi.proto == IPPROTO_UDP_
		? pkt_udp_reply(req->buf, req->len, rp->buf, sizeof(rp->buf))
		: pkt_reply(req->buf, req->len, rp->buf, sizeof(rp->buf));
	if (!rp->len || !pkt_refresh(rp)) {
		free(rp);
		return;
	}
	/* The SYN-ACK advertises the answering host's own MSS, not the one the
	 * SYN arrived with (hosts alike: the link that carries `size`). */
	if (rp->pi.tcp_mss && e->host_mss) {
		pkt_set_mss(rp->buf, rp->len, e->host_mss);
		pkt_refresh(rp);
	}
	struct packet_result *req_result = e->cur;
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	addr_format(&rp->pi.src, src, sizeof(src));
	addr_format(&rp->pi.dst, dst, sizeof(dst));
	struct packet_result *r = result_new(e, rp->pi.proto == IPPROTO_TCP_
		? arena_printf(&e->arena, "%s -> %s tcp %u (SYN-ACK)", src, dst, rp->pi.dport)
		: rp->pi.proto == IPPROTO_UDP_
		? arena_printf(&e->arena, "%s -> %s udp %u (reply)", src, dst, rp->pi.dport)
		: arena_printf(&e->arena, "%s -> %s icmp (echo reply)", src, dst));
	req_result->reply = r;
	e->cur = r;
	if (from_host) {
		char desc[200] = "";
		if (trace_on(e))
			pkt_describe(&rp->pi, desc, sizeof(desc));
		uint8_t smac[6], dmac[6];
		mac_of_addr(&rp->pi.src, smac);
		if (iface) {
			mac_of_iface(e, mg, iface, dmac);
			capture_frame(e, mg, iface, smac, dmac, rp);
			trace_add(e, name, STAGE_WIRE, LOC_NONE, "%s to %s (%s)", desc, mg->ir->name,
				  iface->name);
		} else {
			trace_add(e, name, STAGE_WIRE, LOC_NONE, "%s to %s", desc, mg->ir->name);
		}
		start_pass(e, mg, iface, rp, true, false);
	} else {
		start_pass(e, mg, NULL, rp, true, true);
	}
	if (!r->decided)
		packet_lost(e, mg->ir->name);
	e->cur = req_result;
	free(rp);
}
