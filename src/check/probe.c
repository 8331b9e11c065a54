/* Probes answered from the model (see probe.h). */
#include "config.h"
#include "check/probe.h"

#include <string.h>

struct probe_pkt probe_pkt_of(const struct selector *s)
{
	struct probe_pkt p;
	memset(&p, 0, sizeof(p));
	p.src = prefix_first_host(&s->src);
	p.dst = prefix_first_host(&s->dst);
	p.proto = s->proto == PROTO_ANY ? 1 : s->proto;
	p.dport = s->port_lo;
	return p;
}

const struct model_route *probe_route(const struct model_gateway *mg, const struct ip_addr *dst)
{
	if (!mg || !dst->family)
		return NULL;
	return model_route_lookup(mg, dst);
}

const struct ir_interface *probe_route_iface(const struct model_gateway *mg,
					     const struct model_route *r)
{
	if (!r)
		return NULL;
	if (r->iface)
		return r->iface;
	if (!r->via.family || !mg)
		return NULL;
	const struct ir_gateway *g = mg->ir;
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		if (ifc->has_address && prefix_contains_addr(&ifc->address, &r->via))
			return ifc;
	}
	return NULL;
}

static bool rule_matches(const struct ir_filter_rule *r, const struct probe_pkt *p)
{
	if (!prefix_contains_addr(&r->src.p, &p->src) || !prefix_contains_addr(&r->dst.p, &p->dst))
		return false;
	if (r->proto != PROTO_ANY && r->proto != p->proto)
		return false;
	if ((r->port_lo || r->port_hi) && (p->dport < r->port_lo || p->dport > r->port_hi))
		return false;
	return true;
}

struct filter_verdict probe_filter(const struct ir_filter *f, const struct probe_pkt *p)
{
	if (!f)
		return (struct filter_verdict){FILTER_PERMIT, NULL};
	for (size_t i = 0; i < f->rules.n; i++) {
		const struct ir_filter_rule *r = &f->rules.v[i];
		/* An address family the rule cannot hold never matches it. */
		if (r->src.p.addr.family != p->src.family)
			continue;
		if (rule_matches(r, p))
			return (struct filter_verdict){r->action, r};
	}
	return (struct filter_verdict){f->default_action, NULL};
}

bool nat_rule_translates(const struct ir_nat_rule *r)
{
	return r && (r->kind == NAT_OVERLOAD || r->kind == NAT_STATIC);
}

const struct ir_nat_rule *probe_nat(const struct model_gateway *mg, const struct probe_pkt *p,
				    const struct ir_interface *egress, bool in_tunnel)
{
	if (!mg)
		return NULL;
	const struct ir_gateway *g = mg->ir;
	for (size_t i = 0; i < g->nat.n; i++) {
		const struct ir_nat_rule *r = &g->nat.v[i];
		switch (r->kind) {
		case NAT_EXEMPT:
			if (r->src.p.addr.family == p->src.family &&
			    prefix_contains_addr(&r->src.p, &p->src) &&
			    prefix_contains_addr(&r->dst.p, &p->dst))
				return r;
			break;
		case NAT_EXEMPT_TUNNELS:
			if (in_tunnel)
				return r;
			break;
		case NAT_OVERLOAD: {
			const struct ir_interface *on = r->iface.target;
			if (on && egress && on != egress)
				break;
			if (r->src.p.addr.family == p->src.family &&
			    prefix_contains_addr(&r->src.p, &p->src))
				return r;
			break;
		}
		case NAT_STATIC:
			if (addr_equal(&r->static_from, &p->src))
				return r;
			break;
		}
	}
	return NULL;
}

const struct spd_entry *probe_spd_tunnel(const struct spd_entry *const *entries, size_t n,
					 const struct probe_pkt *p)
{
	for (size_t i = 0; i < n; i++)
		if (selector_matches(&entries[i]->sel, &p->src, &p->dst, p->proto, p->dport))
			return entries[i];
	return NULL;
}
