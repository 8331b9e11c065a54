/* The engine's internals, shared by its files (engine.c, record.c,
 * forward.c, topology.c, ike.c, manual.c, capture.c, trace.c, send.c).  Not
 * for use outside src/engine. */
#ifndef TUNC_ENGINE_INTERNAL_H
#define TUNC_ENGINE_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "engine/drbg.h"
#include "engine/engine.h"
#include "engine/esp.h"
#include "engine/packet.h"
#include "model/match.h"
#include "util/arena.h"
#include "util/outfile.h"
#include "util/u64map.h"

#define ENGINE_BUF 9216                 /* `size` up to 9000 bytes; ESP adds < 100 */
#define ENGINE_MAX_HOPS 32              /* gateways a packet may cross (loop guard) */

/* A router named as a next hop that is neither a gateway nor a peer. */
struct router {
	struct ip_addr addr;
	bool internet;                  /* some gateway's default route points at it */
	ARENA_VEC(struct ip_prefix) reach;      /* the prefixes routed via it */
	const struct model_gateway *via_gw;     /* a gateway that names it */
	const struct ir_interface *via_iface;
	const char *name;               /* its address as text */
};

/* Both directions of a negotiated SA pair.  Side 0 initiated.  A manually
 * keyed pair (manual.c) was installed, not negotiated: each side's SAs are
 * its own (out[i] and in[i] from side i's key and first offer), so out[s]
 * and in[1-s] differ when the two ends' keys or proposals do. */
struct sa_bundle {
	unsigned id;
	const struct ir_tunnel *tunnel;
	struct model_gateway *side[2];
	struct model_tunnel *mt[2];
	struct selector sel;            /* side 0's view: its local -> its remote */
	bool manual;                    /* keyed by hand: covers the whole tunnel, whatever sel says */
	bool udp_encap;
	struct ip_addr seen_src[2];     /* the outer source the other side sees from side i */
	struct ipsec_sa out[2], in[2];  /* out[i] is side i's outbound; in[1-i] its peer's copy */
	bool ready[2];                  /* out[i]/in[1-i] initialised */
	struct engine *e;               /* for the IV generator */
	uint64_t iv_counter[2];
};

/* Counts by reason, per gateway. */
struct reason_count {
	const char *reason;
	uint64_t n;
};

struct gw_state {
	struct model_gateway *mg;
	uint64_t sent, received, encaps, decaps, delivered;
	ARENA_VEC(struct reason_count) drops;
};

struct link_capture {
	const char *name;               /* GATEWAY-IFACE */
	const struct model_gateway *mg;
	const struct ir_interface *iface;
	void *dumper;                   /* pcap_dumper_t */
	struct outfile file;            /* renamed into place when the run ends */
	uint64_t frames;
};

/* A packet in flight. */
struct pkt {
	uint8_t buf[ENGINE_BUF];
	size_t len;
	struct pkt_info pi;
	const struct ir_tunnel *tunnel;         /* travelled in an SA of this tunnel */
	struct sa_bundle *decap_bundle;         /* the SA that just decapsulated it */
	int decap_side;
	unsigned hops;
};

/* One gateway's handling of one packet. */
struct pass {
	struct engine *e;
	struct model_gateway *mg;
	struct gw_state *gs;
	struct pkt *p;
	const struct ir_interface *in_iface;    /* NULL: from a host behind a peer or local */
	bool local_origin;                      /* the gateway's own traffic */
	bool inbound;                           /* arrived from outside */
	const struct model_route *route;       /* may point at route_scratch */
	struct model_route route_scratch;       /* a connected route, made when looked up
						 * (model_route_at) */
	const struct ir_interface *out_iface;
	struct ip_addr next_hop;                /* family 0: the destination itself */
	bool local_dst;                         /* addressed to this gateway */
	const struct spd_entry *spd;
	struct model_tunnel *route_tunnel;      /* the route chose this route-based end's
						 * tunnel interface */
	struct selector route_sel;              /* route_tunnel: its selector pair that the
						 * packet matches (what IKE proposes) */
	struct sa_bundle *bundle;
	int bundle_side;
	bool encapsulated;
	bool filter_in_done, filter_out_done;
	bool done;                              /* the packet's fate is decided */
};

/* A PAT device's mapping, as seen from its public side (pat.c). */
struct pat_key {
	struct ip_addr pub, remote;
	unsigned proto;
	uint16_t pub_port, remote_port;
};

/* An address a gateway or peer owns (owner_of's index). */
struct owner_ref {
	struct ip_addr addr;
	size_t seq;                     /* place in a scan of gateways and interfaces */
	struct model_gateway *mg;
	const struct ir_interface *iface;
	bool via_nat;
};

struct engine {
	const struct model *m;
	const struct ir *ir;
	struct engine_options opts;
	struct arena arena;
	struct drbg keys;
	struct drbg ivs;
	ARENA_VEC(struct router *) routers;
	struct owner_ref *owners;               /* sorted by address, then seq */
	size_t n_owners;
	struct router **routers_by_addr;        /* router_find's index (addresses are unique) */
	ARENA_VEC(struct router *) private_routers;     /* the non-Internet ones, in order */
	ARENA_VEC(struct sa_bundle *) bundles;
	/* Indexes over bundles (value: bundle index * 2 + side), so that each
	 * packet's SA lookup costs the same whatever the number of tunnels:
	 * sa_find_out's (gateway, tunnel), sa_find_in's (gateway, protocol,
	 * SPI), new_spi's outbound SPIs (value: bundle index). */
	struct u64map sa_out_ix, sa_in_ix, spi_ix;
	/* policy_ix.c: PROTECT entries of the IN and FWD SPDs (value: the
	 * entry's index) by (gateway, direction, tunnel), and of the IN SPDs
	 * by (gateway, the tunnel's peer); built at their first use. */
	struct u64map policy_tunnel_ix, policy_peer_ix;
	bool policy_ix_built;
	/* inner_owner_of's index: (family, length, subnet) -> gateway index,
	 * and the distinct (family << 8 | length) of the subnets. */
	struct u64map inner_ix;
	ARENA_VEC(unsigned) inner_lens;
	/* pat.c: the mappings PAT devices hold (value: index in pats). */
	struct u64map pat_ix;
	ARENA_VEC(struct pat_key) pats;
	ARENA_VEC(struct gw_state) gws;         /* indexed like m->gateways */
	struct gw_state **gws_by_mg;            /* gw_state_of's index, by the model's address */
	ARENA_VEC(struct link_capture) links;
	void *pcap_dead;                        /* pcap_t for the dumpers */
	uint64_t events;                        /* pcap timestamps */
	struct packet_result *cur;              /* the result being recorded */
	/* Packet results, their hops and texts: forgotten at once by
	 * engine_forget_traces() when the caller has written them. */
	struct arena trace_arena;
	struct packet_result *scratch_result[2];        /* no_traces: request, reply */
	uint16_t ip_id;
	uint16_t host_mss;                      /* TCP with `size`: the MSS the hosts advertise */
	char pcap_error[256];
};

/* Are trace lines being recorded?  False for `run --counters` (no_traces):
 * a trace line's arguments that cost something to make (packet
 * descriptions, selectors, addresses) need not be made then. */
static inline bool trace_on(const struct engine *e)
{
	return e->cur && !e->opts.no_traces;
}

/* record.c: what happened to the packet being recorded (e->cur). */
void trace_add(struct engine *e, const char *node, enum stage st, struct tunc_loc loc,
	       const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Records the packet's fate once (the first call wins). */
void packet_drop(struct engine *e, struct gw_state *gs, const char *node, enum stage st,
		 struct tunc_loc loc, const char *category, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
void packet_unreachable(struct engine *e, const char *node, enum stage st,
			struct tunc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void packet_delivered(struct engine *e, const struct pkt *p);
void packet_left_clear(struct engine *e, const struct pkt *p, const char *where);
/* Dropped at NODE without a stage deciding: nothing came of it. */
void packet_lost(struct engine *e, const char *node);
void count_drop(struct engine *e, struct gw_state *gs, const char *reason);
/* A new, empty result for the packet described by TEXT. */
struct packet_result *result_new(struct engine *e, const char *text);
const char *addr_text(struct engine *e, const struct ip_addr *a);

/* engine.c */
struct gw_state *gw_state_of(struct engine *e, const struct model_gateway *mg);
/* MG's place in m->gateways, or -1. */
long gateway_index(const struct engine *e, const struct model_gateway *mg);

/* forward.c: the stage pipeline. */
/* MG handles P, arrived on IFACE (NULL: from a peer's host or its own
 * stack), FROM_INSIDE or from outside, LOCAL_ORIGIN when MG sent it. */
void start_pass(struct engine *e, struct model_gateway *mg, const struct ir_interface *iface,
		struct pkt *p, bool from_inside, bool local_origin);
/* A gateway or peer receives P on IFACE (NULL for a peer). */
void node_receive(struct engine *e, struct model_gateway *mg, const struct ir_interface *iface,
		  struct pkt *p);
/* A host (an address behind MG) receives P. */
void host_receive(struct engine *e, struct model_gateway *mg, const struct ir_interface *iface,
		  struct pkt *p);
/* The packet as the model's filter and NAT matchers see it (model/match.h). */
struct match_pkt pkt_match_view(const struct pkt_info *pi);
bool pkt_refresh(struct pkt *p);

/* pat.c: port-translating NAT devices (`behind-nat ... pat`). */
/* The public address of the PAT in front of NODE, which a packet reaches
 * on IFC (VIA_NAT: addressed to that NAT), or NULL; *LOC: where it is said. */
const struct ip_addr *pat_of_receiver(const struct model_gateway *node,
				      const struct ir_interface *ifc, bool via_nat,
				      struct tunc_loc *loc);
/* The public address of the PAT a packet of MG from SRC leaving by EGRESS
 * (NULL: a peer) goes through, or NULL. */
const struct ip_addr *pat_of_sender(const struct model_gateway *mg,
				    const struct ir_interface *egress, const struct ip_addr *src,
				    struct tunc_loc *loc);
/* MG's outbound packet PI (source already PUB) opens a mapping; WHAT says
 * what the packet is ("IKE", "packet"), traced once per mapping. */
void pat_open(struct engine *e, const struct model_gateway *mg, const struct ip_addr *pub,
	      struct tunc_loc loc, const struct pkt_info *pi, const char *what);
/* Does the PAT at PUB hold a mapping that inbound PI answers? */
bool pat_admits(struct engine *e, const struct ip_addr *pub, const struct pkt_info *pi);
/* The reason a PAT refuses what NODE did not open. */
void pat_refused(const struct model_gateway *node, const struct ip_addr *pub, char *why,
		 size_t why_size);
/* A negotiated SA pair in UDP 4500: the PAT'd end's NAT-T mapping, which
 * its keepalives hold open for the far end's ESP. */
void pat_keepalive(struct engine *e, const struct sa_bundle *b);
/* Forgets every mapping (engine_rewind). */
void pat_reset(struct engine *e);

/* topology.c */
void topology_build(struct engine *e);
struct router *router_find(const struct engine *e, const struct ip_addr *a);
/* The gateway or peer owning A (an interface address, a peer address, or
 * the public address of a NAT device in front of it). */
struct model_gateway *owner_of(const struct engine *e, const struct ip_addr *a,
			       const struct ir_interface **iface, bool *via_nat);
/* A non-Internet router that reaches A specifically, or NULL. */
struct router *private_router_for(const struct engine *e, const struct ip_addr *a);
/* The node behind which A sits as an inner address (site or peer subnets). */
struct model_gateway *inner_owner_of(const struct engine *e, const struct ip_addr *a,
				     const struct ir_interface **iface);

/* Where a packet handed by MG out of IFACE to NEXT_HOP (family 0: the
 * destination) goes. */
enum next_kind { NEXT_NODE, NEXT_HOST, NEXT_EXIT, NEXT_DROP, NEXT_UNREACHABLE };
struct next_target {
	enum next_kind kind;
	struct model_gateway *node;     /* NEXT_NODE: the receiver; NEXT_HOST: the host's gateway */
	const struct ir_interface *iface;       /* where it arrives */
	bool via_nat;                   /* through the NAT device in front of NODE */
	const char *via;                /* the router's name, when one was used */
	char reason[256];               /* NEXT_DROP / NEXT_UNREACHABLE / NEXT_EXIT */
};
void next_target(struct engine *e, const struct model_gateway *mg, const struct ir_interface *iface,
		 const struct ip_addr *next_hop, const struct pkt_info *pi, struct next_target *out);
/* Sends P out of MG's IFACE toward NEXT_HOP: capture, NAT device, next node. */
void wire_send(struct pass *ps);
/* Deterministic MAC addresses. */
void mac_of_iface(const struct engine *e, const struct model_gateway *mg,
		  const struct ir_interface *iface, uint8_t mac[6]);
void mac_of_addr(const struct ip_addr *a, uint8_t mac[6]);

/* ike.c */
/* The established SA pair for MG's outbound packet on TUNNEL, or NULL. */
struct sa_bundle *sa_find_out(struct engine *e, struct model_gateway *mg, const struct model_tunnel *mt,
			      const struct pkt_info *pi, int *side);
/* Simulates the negotiation; on success returns the new bundle. */
struct sa_bundle *ike_negotiate(struct pass *ps, char *why, size_t why_size, struct tunc_loc *why_loc);
/* The source address MG's IKE/ESP packets to DST leave with. */
struct ip_addr ike_source(const struct model_gateway *mg, const struct model_tunnel *mt,
			  const struct ip_addr *dst);
/* The inbound SA with SPI at MG, or NULL. */
struct sa_bundle *sa_find_in(struct engine *e, const struct model_gateway *mg, unsigned proto,
			     uint32_t spi, int *side);
/* Adds B (set up, both sides ready as they will be) to e->bundles and the
 * lookup indexes. */
void sa_bundle_add(struct engine *e, struct sa_bundle *b);
void sa_free_all(struct engine *e);

/* manual.c */
/* Is MT's tunnel keyed by hand (model_keyed_by_hand: `keying manual;` on
 * both ends)?  Then no IKE runs for it. */
bool manual_tunnel(const struct model_gateway *mg, const struct model_tunnel *mt);
/* Installs the manually keyed SA pair of PS's tunnel (both ends at once,
 * each from its own pre-shared key and first offer: src/model/manual_keys.h); on
 * success returns the new bundle, else NULL with why. */
struct sa_bundle *manual_install(struct pass *ps, char *why, size_t why_size,
				 struct tunc_loc *why_loc);
/* Why MG has no inbound SA for an IPsec packet of PROTO with SPI, when a
 * manually keyed tunnel explains it (the two ends' keys or protocols
 * differ): a sentence into BUF and the statement into LOC.  False when
 * none does. */
bool manual_unknown_spi_hint(const struct engine *e, const struct model_gateway *mg,
			     unsigned proto, uint32_t spi, char *buf, size_t size,
			     struct tunc_loc *loc);
/* Why side SIDE of manual bundle B could not decapsulate what the other
 * side sent, when their first offers differ; false otherwise. */
bool manual_decap_hint(const struct sa_bundle *b, int side, char *buf, size_t size,
		       struct tunc_loc *loc);
/* Does a packet decapsulated by side SIDE of manual bundle B match one of
 * that side's inbound policies of its tunnel (the FWD ones on a forwarding
 * platform when FORWARDED)?  Returns the entry, or NULL. */
const struct spd_entry *manual_inbound_entry(const struct sa_bundle *b, int side,
					     const struct pkt_info *pi, bool forwarded);

/* policy_ix.c: the keys of e->policy_tunnel_ix and e->policy_peer_ix,
 * which policy_ix_need() builds once.  A key may hold other entries too:
 * check each. */
uint64_t policy_tunnel_key(const struct model_gateway *mg, enum spd_dir dir,
			   const struct ir_tunnel *t);
uint64_t policy_peer_key(const struct model_gateway *mg, const struct ir_gateway *peer);
void policy_ix_need(struct engine *e);

/* capture.c */
bool capture_open(struct engine *e, char *err, size_t err_size);
void capture_frame(struct engine *e, const struct model_gateway *mg, const struct ir_interface *iface,
		   const uint8_t src_mac[6], const uint8_t dst_mac[6], const struct pkt *p);
/* Finishes every capture: complete ones are renamed into place; after a
 * write error none is, and pcap_error names the file and the reason. */
void capture_close(struct engine *e);
/* Removes every unfinished capture (a run that failed writes none). */
void capture_discard(struct engine *e);
bool keylog_write(struct engine *e, char *err, size_t err_size);

#endif
