/* The NAT matcher (match.h): the gateway's rules in order, first match. */
#include "config.h"
#include "model/match.h"

#include <stddef.h>

bool nat_rule_translates(const struct ir_nat_rule *r)
{
	return r && (r->kind == NAT_OVERLOAD || r->kind == NAT_STATIC);
}

/* `exempt tunnels`: P is what one of MG's tunnels protects, by the SPD's
 * first match (a BYPASS or DISCARD entry before the tunnel's wins). */
static const struct spd_entry *tunnel_entry_of(const struct model_gateway *mg,
					       const struct match_pkt *p)
{
	const struct spd_entry *e = model_spd_lookup(mg, SPD_OUT, &p->src, &p->dst, p->proto,
						     p->dport);
	return e && e->action == SPD_PROTECT ? e : NULL;
}

struct nat_decision nat_match(const struct model_gateway *mg, const struct match_pkt *p,
			      const struct ir_interface *egress)
{
	struct nat_decision d = {0};
	const struct ir_gateway *g = mg->ir;
	for (size_t i = 0; i < g->nat.n; i++) {
		const struct ir_nat_rule *n = &g->nat.v[i];
		switch (n->kind) {
		case NAT_EXEMPT:
			if (prefix_contains_addr(&n->src.p, &p->src) &&
			    prefix_contains_addr(&n->dst.p, &p->dst)) {
				d.rule = n;
				return d;
			}
			break;
		case NAT_EXEMPT_TUNNELS:
			if ((d.tunnel_entry = tunnel_entry_of(mg, p))) {
				d.rule = n;
				return d;
			}
			break;
		case NAT_OVERLOAD: {
			/* Many-to-one to the address of its interface: only for
			 * packets leaving by it, and only with an address of
			 * the packet's family to translate to. */
			const struct ir_interface *ifc = n->iface.target;
			if (ifc && ifc == egress && ifc->has_address &&
			    ifc->address.addr.family == p->src.family &&
			    prefix_contains_addr(&n->src.p, &p->src)) {
				d.rule = n;
				d.to = ifc->address.addr;
				return d;
			}
			break;
		}
		case NAT_STATIC:
			if (addr_equal(&n->static_from, &p->src)) {
				d.rule = n;
				d.to = n->static_to;
				return d;
			}
			break;
		}
	}
	return d;
}
