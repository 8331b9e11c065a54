/* The network between the gateways.  Each gateway interface is a link;
 * a site's hosts sit on the inside link of their gateway; peers are reached
 * directly.  Next hops that are neither a gateway nor a peer are routers:
 * one that some gateway's default route points at is an Internet router and
 * reaches every endpoint on the Internet; any other router reaches only what
 * the routes via it name (a leased line, seed 004).  An endpoint that such a
 * private router reaches is not on the Internet. */
#include "config.h"
#include "engine/engine_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct router *router_find(const struct engine *e, const struct ip_addr *a)
{
	size_t lo = 0, hi = e->routers.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = addr_compare(&e->routers_by_addr[mid]->addr, a);
		if (c == 0)
			return e->routers_by_addr[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct model_gateway *owner_of(const struct engine *e, const struct ip_addr *a,
			       const struct ir_interface **iface, bool *via_nat)
{
	*iface = NULL;
	*via_nat = false;
	/* The first owner a scan of gateways and interfaces would meet: the
	 * leftmost entry with this address (topology_build's index). */
	size_t lo = 0, hi = e->n_owners;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (addr_compare(&e->owners[mid].addr, a) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == e->n_owners || !addr_equal(&e->owners[lo].addr, a))
		return NULL;
	*iface = e->owners[lo].iface;
	*via_nat = e->owners[lo].via_nat;
	return e->owners[lo].mg;
}

/* The inner subnets of G: its site's, or a peer's own. */
static const ir_prefix_vec *inner_subnets(const struct ir_gateway *g)
{
	return g->kind == GW_PEER ? &g->subnets : g->site ? &g->site->subnets : NULL;
}

static bool inside_of(const struct ir_gateway *g, const struct ip_addr *a)
{
	const ir_prefix_vec *subnets = inner_subnets(g);
	for (size_t j = 0; subnets && j < subnets->n; j++)
		if (prefix_contains_addr(&subnets->v[j].p, a))
			return true;
	return false;
}

static uint64_t inner_key(const struct ip_prefix *net)
{
	return u64map_mix_bytes((uint64_t)net->addr.family << 8 | net->len, net->addr.b,
				sizeof(net->addr.b));
}

/* inner_owner_of()'s index: every inner subnet, by its network address and
 * length, with its gateway's index. */
static void inner_build(struct engine *e)
{
	for (size_t i = 0; i < e->m->gateways.n; i++) {
		const ir_prefix_vec *subnets = inner_subnets(e->m->gateways.v[i]->ir);
		for (size_t j = 0; subnets && j < subnets->n; j++) {
			struct ip_prefix net = prefix_network(&subnets->v[j].p);
			unsigned fl = (unsigned)net.addr.family << 8 | net.len;
			bool known = false;
			for (size_t k = 0; k < e->inner_lens.n && !known; k++)
				known = e->inner_lens.v[k] == fl;
			if (!known)
				arena_vec_push(&e->arena, &e->inner_lens, fl);
			u64map_add(&e->inner_ix, inner_key(&net), i);
		}
	}
}

/* The first gateway, in the model's order, one of whose inner subnets holds
 * A: one probe per distinct subnet length, not a scan of the gateways. */
static struct model_gateway *inner_first(const struct engine *e, const struct ip_addr *a)
{
	size_t best = SIZE_MAX;
	for (size_t k = 0; k < e->inner_lens.n; k++) {
		unsigned fl = e->inner_lens.v[k];
		if (fl >> 8 != a->family)
			continue;
		struct ip_prefix net = {*a, (uint8_t)(fl & 0xff)};
		net = prefix_network(&net);
		struct u64map_iter it;
		size_t i;
		for (bool more = u64map_first(&e->inner_ix, inner_key(&net), &it, &i); more;
		     more = u64map_next(&it, &i))
			if (i < best && inside_of(e->m->gateways.v[i]->ir, a))
				best = i;
	}
	return best == SIZE_MAX ? NULL : e->m->gateways.v[best];
}

struct model_gateway *inner_owner_of(const struct engine *e, const struct ip_addr *a,
				     const struct ir_interface **iface)
{
	*iface = NULL;
	struct model_gateway *mg = inner_first(e, a);
	if (!mg)
		return NULL;
	const struct ir_gateway *g = mg->ir;
	/* A site's host sits on the inside link whose subnet holds it, or
	 * behind the gateway's inside router. */
	for (size_t j = 0; j < g->interfaces.n; j++) {
		const struct ir_interface *ifc = g->interfaces.v[j];
		if (!ifc->outside && ifc->has_address && prefix_contains_addr(&ifc->address, a)) {
			*iface = ifc;
			return mg;
		}
	}
	struct model_route scratch;
	const struct model_route *r = model_route_lookup(mg, a, &scratch);
	if (r && r->iface && !r->iface->outside)
		*iface = r->iface;
	else
		for (size_t j = 0; j < g->interfaces.n && !*iface; j++)
			if (!g->interfaces.v[j]->outside)
				*iface = g->interfaces.v[j];
	return mg;
}

struct router *private_router_for(const struct engine *e, const struct ip_addr *a)
{
	struct router *best = NULL;
	unsigned best_len = 0;
	for (size_t i = 0; i < e->private_routers.n; i++) {
		struct router *r = e->private_routers.v[i];
		for (size_t j = 0; j < r->reach.n; j++) {
			if (prefix_contains_addr(&r->reach.v[j], a) &&
			    (!best || r->reach.v[j].len > best_len)) {
				best = r;
				best_len = r->reach.v[j].len;
			}
		}
	}
	return best;
}

static bool router_reaches(const struct router *r, const struct ip_addr *a)
{
	for (size_t j = 0; j < r->reach.n; j++)
		if (prefix_contains_addr(&r->reach.v[j], a))
			return true;
	return false;
}

/* topology_build's indexes: every address a gateway or peer owns (kept
 * for owner_of()) and the routers (kept for router_find()), each sorted by
 * address, so that building the network of a hub with 100,000 spokes, and
 * each packet's way through it, costs O(log n) per lookup and not a scan
 * (lint builds an engine for its probes, src/check/probe.c). */
struct via_ref {
	struct ip_addr addr;
	size_t seq;                     /* the route's place in gateway, route order */
	const struct model_gateway *mg;
	/* What the router takes of the route: a route's pointer may be
	 * model_route_at's scratch (a connected one), so not kept. */
	const struct ir_interface *iface;
	struct ip_prefix dst;
};

static int via_ref_cmp(const void *x, const void *y)
{
	const struct via_ref *a = x, *b = y;
	int c = addr_compare(&a->addr, &b->addr);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int router_seq_cmp(const void *x, const void *y)
{
	const struct via_ref *a = *(const struct via_ref *const *)x;
	const struct via_ref *b = *(const struct via_ref *const *)y;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static int owner_ref_cmp(const void *x, const void *y)
{
	const struct owner_ref *a = x, *b = y;
	int c = addr_compare(&a->addr, &b->addr);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* owner_of()'s index: a peer's address, an interface's address and the
 * public address of the NAT device in front of it, in scan order, sorted. */
static void owners_build(struct engine *e)
{
	size_t cap = 0, k = 0;
	for (size_t i = 0; i < e->m->gateways.n; i++)
		cap += 1 + 2 * e->m->gateways.v[i]->ir->interfaces.n;
	struct owner_ref *v = arena_alloc(&e->arena, (cap ? cap : 1) * sizeof(*v));
	for (size_t i = 0; i < e->m->gateways.n; i++) {
		struct model_gateway *mg = e->m->gateways.v[i];
		const struct ir_gateway *g = mg->ir;
		if (g->kind == GW_PEER) {
			v[k] = (struct owner_ref){g->address, k, mg, NULL, false};
			k++;
			continue;
		}
		for (size_t j = 0; j < g->interfaces.n; j++) {
			const struct ir_interface *ifc = g->interfaces.v[j];
			if (ifc->has_address) {
				v[k] = (struct owner_ref){ifc->address.addr, k, mg, ifc, false};
				k++;
			}
			const struct ir_iface_written *w = ir_iface_written(ifc);
			if (w->behind_nat && w->nat_address.family) {
				v[k] = (struct owner_ref){w->nat_address, k, mg, ifc, true};
				k++;
			}
		}
	}
	qsort(v, k, sizeof(*v), owner_ref_cmp);
	e->owners = v;
	e->n_owners = k;
}

void topology_build(struct engine *e)
{
	owners_build(e);
	inner_build(e);
	/* The next hops that are routers, in gateway and route order. */
	size_t n_vias = 0, cap = 0, seq = 0;
	for (size_t i = 0; i < e->m->gateways.n; i++)
		cap += model_route_count(e->m->gateways.v[i]);
	struct via_ref *vias = xcalloc(cap ? cap : 1, sizeof(*vias));
	for (size_t i = 0; i < e->m->gateways.n; i++) {
		const struct model_gateway *mg = e->m->gateways.v[i];
		size_t n_routes = model_route_count(mg);
		for (size_t j = 0; j < n_routes; j++, seq++) {
			struct model_route scratch;
			const struct model_route *rt = model_route_at(mg, j, &scratch);
			if (!rt->via.family)
				continue;
			const struct ir_interface *ifc;
			bool nat;
			if (owner_of(e, &rt->via, &ifc, &nat))
				continue;       /* a gateway or peer, not a router */
			if (rt->iface && !rt->iface->outside)
				continue;       /* an inside router: it reaches the site */
			vias[n_vias++] = (struct via_ref){rt->via, seq, mg, rt->iface, rt->dst};
		}
	}
	/* One router per address, made where the address first appears, so
	 * the routers keep the order a scan of the routes would give. */
	qsort(vias, n_vias, sizeof(*vias), via_ref_cmp);
	struct via_ref **firsts = xcalloc(n_vias ? n_vias : 1, sizeof(*firsts));
	struct router **made = xcalloc(n_vias ? n_vias : 1, sizeof(*made));
	size_t n_routers = 0;
	for (size_t i = 0; i < n_vias; i++) {
		if (i == 0 || !addr_equal(&vias[i].addr, &vias[i - 1].addr))
			firsts[n_routers++] = &vias[i];
	}
	qsort(firsts, n_routers, sizeof(*firsts), router_seq_cmp);
	for (size_t i = 0; i < n_routers; i++) {
		const struct via_ref *f = firsts[i];
		struct router *r = arena_alloc(&e->arena, sizeof(*r));
		r->addr = f->addr;
		r->name = addr_text(e, &f->addr);
		r->via_gw = f->mg;
		r->via_iface = f->iface;
		arena_vec_push(&e->arena, &e->routers, r);
		made[f - vias] = r;
	}
	/* router_find's index: made[] is in address order already. */
	e->routers_by_addr = arena_alloc(&e->arena, (n_routers ? n_routers : 1) * sizeof(struct router *));
	for (size_t i = 0, k = 0; i < n_vias; i++)
		if (made[i])
			e->routers_by_addr[k++] = made[i];
	/* Within one address the routes are in order: the first made it. */
	struct router *cur = NULL;
	for (size_t i = 0; i < n_vias; i++) {
		if (made[i])
			cur = made[i];
		if (vias[i].dst.len == 0)
			cur->internet = true;
		else
			arena_vec_push(&e->arena, &cur->reach, vias[i].dst);
	}
	for (size_t i = 0; i < e->routers.n; i++)
		if (!e->routers.v[i]->internet)
			arena_vec_push(&e->arena, &e->private_routers, e->routers.v[i]);
	free(made);
	free(firsts);
	free(vias);
}

/* ---- MAC addresses: locally administered, derived from names' indexes
 * and addresses, so captures are the same on every run. ---- */

void mac_of_iface(const struct engine *e, const struct model_gateway *mg,
		  const struct ir_interface *iface, uint8_t mac[6])
{
	long at = gateway_index(e, mg);
	unsigned gi = at < 0 ? 0 : (unsigned)at, ii = 0xff;
	for (size_t i = 0; iface && i < mg->ir->interfaces.n; i++)
		if (mg->ir->interfaces.v[i] == iface)
			ii = (unsigned)i;
	mac[0] = 0x02;
	mac[1] = 0x00;
	mac[2] = 0x00;
	mac[3] = (uint8_t)(gi >> 8);
	mac[4] = (uint8_t)gi;
	mac[5] = (uint8_t)ii;
}

void mac_of_addr(const struct ip_addr *a, uint8_t mac[6])
{
	size_t n = a->family == AF_V6 ? 16 : 4;
	mac[0] = 0x02;
	mac[1] = 0x01;
	mac[2] = a->b[n - 4];
	mac[3] = a->b[n - 3];
	mac[4] = a->b[n - 2];
	mac[5] = a->b[n - 1];
}

/* ---- where a packet goes ---- */

static const char *pkt_kind(const struct pkt_info *pi)
{
	if (pi->proto == IPPROTO_ESP_ || (pi->proto == IPPROTO_UDP_ && pi->spi))
		return "ESP";
	if (pi->proto == IPPROTO_AH_)
		return "AH";
	return "packet";
}

static void set_node(struct next_target *out, struct model_gateway *node,
		     const struct ir_interface *ifc, bool via_nat)
{
	out->kind = NEXT_NODE;
	out->node = node;
	out->iface = ifc;
	out->via_nat = via_nat;
}

/* An inner address reached through a router: its node receives the packet
 * from outside (on its endpoint interface). */
static bool inner_node(const struct engine *e, const struct ip_addr *a, struct next_target *out)
{
	const struct ir_interface *ifc;
	struct model_gateway *mg = inner_owner_of(e, a, &ifc);
	if (!mg)
		return false;
	const struct ir_interface *outside = NULL;
	for (size_t i = 0; i < mg->ir->interfaces.n && !outside; i++)
		if (mg->ir->interfaces.v[i]->outside)
			outside = mg->ir->interfaces.v[i];
	set_node(out, mg, outside, false);
	return true;
}

void next_target(struct engine *e, const struct model_gateway *mg, const struct ir_interface *iface,
		 const struct ip_addr *next_hop, const struct pkt_info *pi, struct next_target *out)
{
	memset(out, 0, sizeof(*out));
	const struct ip_addr *dst = &pi->dst;
	const struct ir_interface *dif = NULL;
	bool dnat = false;
	struct model_gateway *downer = owner_of(e, dst, &dif, &dnat);
	char dtext[ADDR_STRLEN];
	addr_format(dst, dtext, sizeof(dtext));

	if (mg->ir->kind == GW_PEER) {
		/* A peer reaches every endpoint directly. */
		if (downer && downer != mg) {
			set_node(out, downer, dif, dnat);
			return;
		}
		out->kind = NEXT_EXIT;
		snprintf(out->reason, sizeof(out->reason), "left %s in clear toward %s",
			 mg->ir->name, dtext);
		return;
	}

	if (!next_hop || !next_hop->family) {
		/* Connected: the destination itself must be on the link. */
		if (downer && downer != mg) {
			set_node(out, downer, dif, dnat);
			return;
		}
		out->kind = NEXT_UNREACHABLE;
		snprintf(out->reason, sizeof(out->reason), "nothing answers for %s on %s's link %s",
			 dtext, mg->ir->name, iface ? iface->name : "?");
		return;
	}

	const struct ir_interface *nif = NULL;
	bool nnat = false;
	struct model_gateway *nowner = owner_of(e, next_hop, &nif, &nnat);
	if (nowner && nowner != mg) {
		set_node(out, nowner, nif, nnat);   /* the next hop is a gateway itself */
		return;
	}
	struct router *r = router_find(e, next_hop);
	char nh[ADDR_STRLEN];
	addr_format(next_hop, nh, sizeof(nh));
	out->via = r ? r->name : addr_text(e, next_hop);
	if (!r || r->internet) {
		if (downer) {
			struct router *pr = private_router_for(e, dst);
			if (pr && pr != r) {
				out->kind = NEXT_DROP;
				snprintf(out->reason, sizeof(out->reason),
					 "wrong next hop (%s handed to %s, %s %s is reached via %s)",
					 pkt_kind(pi), nh, downer->ir->kind == GW_PEER ? "peer" : "gateway",
					 dtext, pr->name);
				return;
			}
			set_node(out, downer, dif, dnat);
			return;
		}
		out->kind = NEXT_EXIT;
		snprintf(out->reason, sizeof(out->reason), "left %s in clear toward the Internet via %s",
			 mg->ir->name, nh);
		return;
	}
	/* A private router: it reaches what the routes via it name. */
	if (router_reaches(r, dst)) {
		if (downer) {
			set_node(out, downer, dif, dnat);
			return;
		}
		if (inner_node(e, dst, out))
			return;
		out->kind = NEXT_EXIT;
		snprintf(out->reason, sizeof(out->reason), "left %s in clear via %s", mg->ir->name, nh);
		return;
	}
	out->kind = NEXT_DROP;
	if (downer) {
		struct router *pr = private_router_for(e, dst);
		snprintf(out->reason, sizeof(out->reason),
			 "wrong next hop (%s handed to %s, %s %s is reached via %s)", pkt_kind(pi), nh,
			 downer->ir->kind == GW_PEER ? "peer" : "gateway", dtext,
			 pr ? pr->name : "the Internet");
	} else {
		snprintf(out->reason, sizeof(out->reason), "wrong next hop (%s handed to %s, which does not reach %s)",
			 pkt_kind(pi), nh, dtext);
	}
}

/* The NAT device in front of an interface or a peer: many-to-one, so it
 * maps flows by port.  ESP and AH have no ports: it rewrites their source
 * on the way out (breaking AH's ICV) but has nothing to map them back by on
 * the way in.  NAT-T puts ESP in UDP 4500 for that reason (RFC 3948). */
static bool nat_device_inbound(struct engine *e, struct pkt *p, struct model_gateway *node,
			       const struct ir_interface *ifc, bool via_nat)
{
	bool behind = via_nat || (node->ir->kind == GW_PEER && node->ir->behind_nat);
	if (!behind)
		return true;
	const char *name = node->ir->name;
	struct tunc_loc loc = ifc ? ir_iface_written(ifc)->behind_nat_loc : node->ir->behind_nat_loc;
	char nat_addr[ADDR_STRLEN];
	addr_format(&p->pi.dst, nat_addr, sizeof(nat_addr));
	if (p->pi.proto == IPPROTO_ESP_ || p->pi.proto == IPPROTO_AH_) {
		packet_drop(e, gw_state_of(e, node), arena_printf(&e->arena, "nat(%s)", nat_addr),
			    STAGE_WIRE, loc, "nat-device",
			    "the NAT device %s in front of %s has no mapping for %s (no ports; NAT-T not in use)",
			    nat_addr, name, p->pi.proto == IPPROTO_ESP_ ? "ESP" : "AH");
		return false;
	}
	struct tunc_loc pat_loc;
	const struct ip_addr *pat = pat_of_receiver(node, ifc, via_nat, &pat_loc);
	if (pat && !pat_admits(e, pat, &p->pi)) {
		char why[300];
		pat_refused(node, pat, why, sizeof(why));
		packet_drop(e, gw_state_of(e, node), arena_printf(&e->arena, "nat(%s)", nat_addr),
			    STAGE_WIRE, pat_loc, "nat-device", "%s (nothing it sent opened a mapping "
			    "for this packet from %s)", why, addr_text(e, &p->pi.src));
		return false;
	}
	if (via_nat && ifc && ifc->has_address) {
		pkt_set_addr(p->buf, p->len, false, &ifc->address.addr);
		pkt_refresh(p);
		trace_add(e, arena_printf(&e->arena, "nat(%s)", nat_addr), STAGE_WIRE, loc,
			  "NAT device: destination %s -> %s", nat_addr, addr_text(e, &ifc->address.addr));
	}
	return true;
}

/* A one-to-one or PAT device rewrites the source of what leaves by IFC. */
static void nat_device_rewrite(struct pass *ps)
{
	const struct ir_interface *ifc = ps->out_iface;
	struct pkt *p = ps->p;
	const struct ir_iface_written *w = ifc ? ir_iface_written(ifc) : NULL;
	if (!w || !w->behind_nat || !w->nat_address.family || !ifc->has_address ||
	    !addr_equal(&p->pi.src, &ifc->address.addr))
		return;
	char nat_addr[ADDR_STRLEN];
	addr_format(&w->nat_address, nat_addr, sizeof(nat_addr));
	const char *from = addr_text(ps->e, &p->pi.src);
	pkt_set_addr(p->buf, p->len, true, &w->nat_address);
	pkt_refresh(p);
	trace_add(ps->e, arena_printf(&ps->e->arena, "nat(%s)", nat_addr), STAGE_WIRE,
		  w->behind_nat_loc, "NAT device: source %s -> %s", from, nat_addr);
}

static void nat_device_outbound(struct pass *ps)
{
	const struct ir_interface *ifc = ps->out_iface;
	struct pkt *p = ps->p;
	struct tunc_loc pat_loc;
	const struct ip_addr *pat = pat_of_sender(ps->mg, ifc, &p->pi.src, &pat_loc);
	nat_device_rewrite(ps);
	if (pat)
		pat_open(ps->e, ps->mg, pat, pat_loc, &p->pi, "packet");
}

static void host_on_link(struct pass *ps)
{
	struct engine *e = ps->e;
	struct pkt *p = ps->p;
	const struct ir_interface *ifc;
	struct model_gateway *owner = inner_owner_of(e, &p->pi.dst, &ifc);
	const char *node = ps->mg->ir->name;
	if (owner != ps->mg) {
		packet_unreachable(e, node, STAGE_WIRE, ps->route ? ps->route->loc : LOC_NONE,
				   "no host %s behind %s", addr_text(e, &p->pi.dst), node);
		ps->done = true;
		return;
	}
	if (ps->out_iface) {
		uint8_t smac[6], dmac[6];
		mac_of_iface(e, ps->mg, ps->out_iface, smac);
		mac_of_addr(&p->pi.dst, dmac);
		capture_frame(e, ps->mg, ps->out_iface, smac, dmac, p);
		char desc[200] = "";
		if (trace_on(e))
			pkt_describe(&p->pi, desc, sizeof(desc));
		trace_add(e, node, STAGE_WIRE, ps->route ? ps->route->loc : LOC_NONE, "%s out of %s",
			  desc, ps->out_iface->name);
	}
	if (ps->gs)
		ps->gs->sent++;
	host_receive(e, ps->mg, ps->out_iface, p);
	ps->done = true;
}

void wire_send(struct pass *ps)
{
	struct engine *e = ps->e;
	struct pkt *p = ps->p;
	const char *node = ps->mg->ir->name;
	ps->done = true;
	bool outside = ps->out_iface ? ps->out_iface->outside
				     : (ps->route && ps->route->dst.len == 0);
	if (!outside) {
		host_on_link(ps);
		return;
	}
	struct next_target t;
	next_target(e, ps->mg, ps->out_iface, &ps->next_hop, &p->pi, &t);
	char desc[200] = "";
	if (trace_on(e))
		pkt_describe(&p->pi, desc, sizeof(desc));
	struct tunc_loc rloc = ps->route ? ps->route->loc : LOC_NONE;
	if (ps->out_iface) {
		uint8_t smac[6], dmac[6];
		mac_of_iface(e, ps->mg, ps->out_iface, smac);
		if (ps->next_hop.family)
			mac_of_addr(&ps->next_hop, dmac);
		else
			mac_of_addr(&p->pi.dst, dmac);
		capture_frame(e, ps->mg, ps->out_iface, smac, dmac, p);
		trace_add(e, node, STAGE_WIRE, rloc, "%s out of %s%s%s", desc, ps->out_iface->name,
			  t.via ? " to " : "", t.via ? t.via : "");
	} else {
		trace_add(e, node, STAGE_WIRE, rloc, "%s sent", desc);
	}
	if (ps->gs)
		ps->gs->sent++;
	switch (t.kind) {
	case NEXT_DROP:
		packet_drop(e, ps->gs, node, STAGE_WIRE, rloc, "wrong-next-hop", "%s", t.reason);
		return;
	case NEXT_UNREACHABLE:
		packet_unreachable(e, node, STAGE_WIRE, rloc, "%s", t.reason);
		return;
	case NEXT_EXIT:
		trace_add(e, node, STAGE_WIRE, rloc, "%s", t.reason);
		packet_left_clear(e, p, t.reason);
		return;
	case NEXT_HOST:
	case NEXT_NODE:
		break;
	}
	nat_device_outbound(ps);
	if (!nat_device_inbound(e, p, t.node, t.iface, t.via_nat))
		return;
	if (t.iface) {
		uint8_t smac[6], dmac[6];
		if (t.via)
			mac_of_addr(&ps->next_hop, smac);
		else
			mac_of_iface(e, ps->mg, ps->out_iface, smac);
		mac_of_iface(e, t.node, t.iface, dmac);
		capture_frame(e, t.node, t.iface, smac, dmac, p);
	}
	node_receive(e, t.node, t.iface, p);
}
