/* Port-translating NAT devices (`behind-nat ADDR pat;`, a peer's
 * `behind-nat pat;`): many inside flows share one public address, so the
 * device forwards inward only what answers a flow an inside end opened.
 * An outbound packet opens a mapping (public address and port, the remote
 * address and port it went to); an inbound packet passes only when it
 * comes from that remote address and port to that public port (address-
 * and port-dependent filtering, RFC 4787 §5).  Nothing from outside can
 * start a flow toward the end: not IKE, not a ping.
 *
 * Ports are kept as the inside end sent them (the model has one end behind
 * each device, so no two flows compete for a port); ICMP echo maps by its
 * identifier.  A mapping lives as long as the run: NAT-T keepalives (RFC
 * 3948 §4, one every 20 s by default) and DPD keep the IKE and UDP 4500
 * mappings of an established tunnel open, which is the point of them.
 * The one-to-one `behind-nat ADDR` (a static NAT) is topology.c's. */
#include "config.h"
#include "engine/engine_internal.h"

#include <stdio.h>
#include <string.h>

static uint64_t pat_hash(const struct pat_key *k)
{
	uint64_t h = u64map_mix_bytes(0, k->pub.b, sizeof(k->pub.b));
	h = u64map_mix_bytes(h, k->remote.b, sizeof(k->remote.b));
	return u64map_mix(h, (uint64_t)k->proto << 32 | (uint64_t)k->pub_port << 16 | k->remote_port);
}

static bool pat_key_equal(const struct pat_key *a, const struct pat_key *b)
{
	return a->proto == b->proto && a->pub_port == b->pub_port &&
	       a->remote_port == b->remote_port && addr_equal(&a->pub, &b->pub) &&
	       addr_equal(&a->remote, &b->remote);
}

/* The ports a PAT device keys a packet by: TCP/UDP ports, an echo's
 * identifier (both ways), nothing for other protocols. */
static void flow_ports(const struct pkt_info *pi, uint16_t *local, uint16_t *remote, bool outbound)
{
	*local = *remote = 0;
	if (pi->has_ports) {
		*local = outbound ? pi->sport : pi->dport;
		*remote = outbound ? pi->dport : pi->sport;
	} else if (pi->is_echo_request || pi->is_echo_reply) {
		*local = *remote = pi->echo_id;
	}
}

static bool pat_find(const struct engine *e, const struct pat_key *k)
{
	struct u64map_iter it;
	size_t v;
	for (bool more = u64map_first(&e->pat_ix, pat_hash(k), &it, &v); more;
	     more = u64map_next(&it, &v))
		if (pat_key_equal(&e->pats.v[v], k))
			return true;
	return false;
}

const struct ip_addr *pat_of_receiver(const struct model_gateway *node,
				      const struct ir_interface *ifc, bool via_nat,
				      struct tunc_loc *loc)
{
	const struct ir_iface_written *w = ifc ? ir_iface_written(ifc) : NULL;
	if (via_nat && w && w->behind_nat && w->behind_pat && w->nat_address.family) {
		*loc = w->behind_nat_loc;
		return &w->nat_address;
	}
	const struct ir_gateway *g = node->ir;
	if (g->kind == GW_PEER && g->behind_nat && g->behind_pat) {
		*loc = g->behind_nat_loc;
		return &g->address;
	}
	return NULL;
}

const struct ip_addr *pat_of_sender(const struct model_gateway *mg,
				    const struct ir_interface *egress, const struct ip_addr *src,
				    struct tunc_loc *loc)
{
	const struct ir_iface_written *w = egress ? ir_iface_written(egress) : NULL;
	if (w && w->behind_nat && w->behind_pat && w->nat_address.family &&
	    egress->has_address && addr_equal(src, &egress->address.addr)) {
		*loc = w->behind_nat_loc;
		return &w->nat_address;
	}
	const struct ir_gateway *g = mg->ir;
	if (g->kind == GW_PEER && g->behind_nat && g->behind_pat && addr_equal(src, &g->address)) {
		*loc = g->behind_nat_loc;
		return &g->address;
	}
	return NULL;
}

static const char *proto_text(unsigned proto)
{
	const char *name = protocol_name(proto);
	return name ? name : "IP";
}

void pat_open(struct engine *e, const struct model_gateway *mg, const struct ip_addr *pub,
	      struct tunc_loc loc, const struct pkt_info *pi, const char *what)
{
	struct pat_key k;
	memset(&k, 0, sizeof(k));
	k.pub = *pub;
	k.remote = pi->dst;
	k.proto = pi->proto;
	flow_ports(pi, &k.pub_port, &k.remote_port, true);
	if (pat_find(e, &k))
		return;
	u64map_add(&e->pat_ix, pat_hash(&k), e->pats.n);
	arena_vec_push(&e->arena, &e->pats, k);
	char p[ADDR_STRLEN];
	addr_format(pub, p, sizeof(p));
	trace_add(e, arena_printf(&e->arena, "nat(%s)", p), STAGE_WIRE, loc,
		  "PAT mapping %s %s:%u <-> %s:%u opened by %s's %s; answers from %s:%u may come in",
		  proto_text(k.proto), p, (unsigned)k.pub_port, addr_text(e, &k.remote),
		  (unsigned)k.remote_port, mg->ir->name, what, addr_text(e, &k.remote),
		  (unsigned)k.remote_port);
}

bool pat_admits(struct engine *e, const struct ip_addr *pub, const struct pkt_info *pi)
{
	struct pat_key k;
	memset(&k, 0, sizeof(k));
	k.pub = *pub;
	k.remote = pi->src;
	k.proto = pi->proto;
	flow_ports(pi, &k.pub_port, &k.remote_port, false);
	return pat_find(e, &k);
}

void pat_refused(const struct model_gateway *node, const struct ip_addr *pub, char *why,
		 size_t why_size)
{
	char p[ADDR_STRLEN];
	addr_format(pub, p, sizeof(p));
	snprintf(why, why_size, "dropped: %s is behind PAT %s; no inbound initiation",
		 node->ir->name, p);
}

void pat_reset(struct engine *e)
{
	u64map_clear(&e->pat_ix);
	e->pats.n = 0;
}

void pat_keepalive(struct engine *e, const struct sa_bundle *b)
{
	if (!b->udp_encap)
		return;
	for (int s = 0; s < 2; s++) {
		const struct model_tunnel *mt = b->mt[s];
		if (!mt->behind_pat_here)
			continue;
		const struct ir_gateway *g = b->side[s]->ir;
		struct tunc_loc loc = g->kind == GW_PEER ? g->behind_nat_loc
			: mt->here->endpoint_iface ? ir_iface_written(mt->here->endpoint_iface)->behind_nat_loc
						   : mt->ir->loc;
		struct pkt_info pi;
		memset(&pi, 0, sizeof(pi));
		pi.family = b->seen_src[s].family;
		pi.src = b->seen_src[s];
		pi.dst = b->seen_src[1 - s];
		pi.proto = IPPROTO_UDP_;
		pi.has_ports = true;
		pi.sport = pi.dport = 4500;
		pat_open(e, b->side[s], &b->seen_src[s], loc, &pi,
			 "NAT-T (UDP 4500), kept open by its NAT-T keepalives (RFC 3948)");
	}
}
