/* The clamped TCP MSS and the Linux xfrm interface of a tunnel end
 * (emit/tunnel_iface.h). */
#include "config.h"
#include "emit/tunnel_iface.h"

#include "emit/common.h"
#include "model/overhead.h"

#include <stdio.h>

unsigned emit_inner_family(const struct model_tunnel *mt)
{
	if (mt->route_based)
		return ir_end_tunnel_address(mt->here)->addr.family == AF_V6 ? AF_V6 : AF_V4;
	const ir_prefix_vec *l = &mt->here->local;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].p.addr.family == AF_V4)
			return AF_V4;
	return l->n ? AF_V6 : AF_V4;
}

/* `tcp-mss auto`: as the engine clamps (src/engine/forward.c), the largest
 * inner packet that fits the MTU of the interface toward the peer after
 * the ESP overhead (src/model/overhead.c), less the inner IP and TCP
 * headers; a device may negotiate any suite of the proposal, so the one
 * with the largest overhead decides. */
unsigned emit_tcp_mss(const struct model_gateway *mg, const struct model_tunnel *mt,
		      unsigned family)
{
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	const struct ir_tcp_mss *m = ir_end_tcp_mss(mt->here);
	if (m->mode == TCP_MSS_FIXED)
		return m->value;
	if (m->mode != TCP_MSS_AUTO || !ipsec)
		return 0;
	struct model_route scratch;
	const struct model_route *r = model_route_lookup(mg, model_tunnel_remote_ep(mt), &scratch);
	unsigned mtu = r && r->iface ? ir_iface_written(r->iface)->mtu : 1500;
	struct emit_esp_combo c[EMIT_COMBOS_MAX];
	size_t n = emit_ipsec_combos(ipsec, c, EMIT_COMBOS_MAX);
	size_t inner = 0;
	for (size_t i = 0; i < n; i++) {
		struct ipsec_suite su = {.protocol = c[i].ah ? IPSEC_AH : IPSEC_ESP, .enc = c[i].enc,
					 .integ = c[i].integ,
					 .outer_family = (uint8_t)model_tunnel_remote_ep(mt)->family,
					 .udp_encap = mt->nat_traversal && !c[i].ah};
		size_t fit = ipsec_max_inner(&su, mtu);
		if (i == 0 || fit < inner)
			inner = fit;
	}
	size_t headers = (family == AF_V6 ? 40 : 20) + 20;
	return inner > headers ? (unsigned)(inner - headers) : 0;
}

unsigned emit_xfrm_if_id(const struct model_gateway *mg, const struct model_tunnel *mt)
{
	for (size_t t = 0; t < mg->tunnels.n; t++)
		if (mg->tunnels.v[t] == mt)
			return (unsigned)t + 1;
	return 0;
}

void emit_xfrm_if_name(const struct model_gateway *mg, const struct model_tunnel *mt, char *buf,
		       size_t size)
{
	snprintf(buf, size, "ipsec%u", emit_xfrm_if_id(mg, mt));
}

bool emit_tunnel_peer_address(const struct model_tunnel *mt, struct ip_addr *out)
{
	if (!mt->route_based)
		return false;
	if (ir_end_route_based(model_tunnel_there(mt))->set) {
		*out = ir_end_tunnel_address(model_tunnel_there(mt))->addr;
		return true;
	}
	/* The far end is policy-based: the link's other usable address (the
	 * ends take them in the order of `between`; doc/language-decisions.md). */
	const struct ip_prefix *mine = ir_end_tunnel_address(mt->here);
	unsigned max = addr_max_len(&mine->addr);
	unsigned first = mine->len == max - 1 ? 0 : 1;
	struct ip_prefix link = ir_end_route_based(mt->here)->prefix.p;
	unsigned last = max / 8 - 1;
	unsigned off = (unsigned)(uint8_t)(mine->addr.b[last] - link.addr.b[last]);
	*out = mine->addr;
	out->b[last] = (uint8_t)(link.addr.b[last] + (off == first ? first + 1 : first));
	return true;
}

const struct model_tunnel *emit_smallest_mss(const struct model_gateway *mg, unsigned *mss)
{
	const struct model_tunnel *from = NULL;
	*mss = 0;
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		unsigned m = emit_tcp_mss(mg, mt, emit_inner_family(mt));
		if (m && (!from || m < *mss)) {
			*mss = m;
			from = mt;
		}
	}
	return from;
}

const struct model_tunnel *emit_shortest_dpd(const struct model_gateway *mg)
{
	const struct model_tunnel *from = NULL;
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		if (ir_end_dpd(mt->here)->set && (!from || ir_end_dpd(mt->here)->interval_s < ir_end_dpd(from->here)->interval_s))
			from = mt;
	}
	return from;
}
