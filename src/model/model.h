/* The model: each gateway's effective behaviour, derived from the resolved
 * IR.  Checks, emitters and the engine all read this one structure, so what
 * lint says, what compile writes and what run shows cannot disagree.
 *
 * Every derived entry remembers the source location that caused it (a
 * tunnel's `local`/`remote` statement, a route, or the platform row when the
 * platform adds it on its own). */
#ifndef TUNC_MODEL_H
#define TUNC_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "ir/ir.h"
#include "platform/platform.h"

struct strbuf;

enum spd_action { SPD_PROTECT, SPD_BYPASS, SPD_DISCARD };
enum spd_dir { SPD_OUT, SPD_IN, SPD_FWD };

/* Why an SPD entry exists. */
enum spd_origin {
	ORIGIN_TUNNEL,          /* a tunnel's selectors (its local/remote) */
	ORIGIN_PLATFORM,        /* the platform adds it on its own (ISA, seed 001) */
	ORIGIN_DEFAULT,         /* the final default of the SPD */
};

/* Traffic selector: src/dst prefixes, protocol (PROTO_ANY) and a port range
 * on the destination (0,0 = any). */
struct selector {
	struct ip_prefix src, dst;
	unsigned proto;
	uint16_t port_lo, port_hi;
};

struct model_gateway;

/* One selector pair of a tunnel end: one of its local prefixes with one of
 * its remote prefixes of the same address family (no selector spans two),
 * as this end sends: src = local, dst = remote, with the end's protocol
 * and port restriction.  The SPD's tunnel entries, every emitter's access
 * list, filter list or policy and every check read these pairs. */
struct selector_pair {
	const struct ir_prefix *local, *remote; /* as written: their locations, `any` */
	struct selector sel;                    /* prefixes with host bits cleared */
	/* The statement behind the pair is the same for all of an end's:
	 * model_tunnel_selectors_loc (64 bytes in the arena, not 80). */
};

/* A run of selector pairs (model_tunnel_selectors). */
struct selector_pairs {
	const struct selector_pair *v;
	size_t n;
};

/* A tunnel end's PROTECT entries of one direction (model_tunnel_spd):
 * places in its gateway's SPD of direction dir (model_spd_entry), in SPD
 * order. */
struct spd_refs {
	const unsigned *v;
	size_t n;
};

/* One tunnel as seen from one of its ends (two per tunnel: ordered
 * without holes, 8-byte fields first).  What the IR already says is read
 * from it, not copied: the other end's config, the end's proposals and
 * key, the endpoints (model_tunnel_there, _ike, _ipsec, _psk,
 * _local_ep, _remote_ep): 96 bytes, not 160 (a hub of N spokes holds 2N of
 * these). */
struct model_tunnel {
	const struct ir_tunnel *ir;
	const struct ir_tunnel_end *here;       /* this end's config (its gateway:
						 * model_tunnel_self; the other end's:
						 * model_tunnel_there, _peer) */
	struct model_gateway *peer_model;       /* NULL when the peer is not modelled */
	struct model_tunnel *peer_tunnel;       /* this tunnel at the other end (NULL: not
						 * modelled, or a gateway to itself) */
	/* Selector pairs, IPv4 first, then IPv6, each in the order written
	 * (local-major); n_pairs[0] IPv4, n_pairs[1] IPv6.  Read them with
	 * model_tunnel_selectors.  32-bit counts: build_selectors allocates
	 * the pairs first, and 2^32 of them would not fit in memory. */
	struct selector_pair *pairs;
	/* This end's PROTECT entries in its gateway's SPD: n_spd_refs[dir]
	 * places in the SPD of each direction, in SPD order, one direction
	 * after the other.  Read them with model_tunnel_spd.  Up to
	 * MODEL_SPD_REFS_INLINE places in all (a spoke's or a hub's end with
	 * one selector pair: one out, one in) sit in the pointer's own room
	 * (spd_refs_inline); more in a block shared by the gateway's ends. */
	union {
		unsigned *block;
		unsigned inl[2];
	} spd_refs;
	uint32_t n_pairs[2];
	/* Keyed by hand (either end's platform has manual_keying): the SPIs of
	 * the SA arriving here and of the one sent to the peer, from public
	 * inputs only and unique among the SAs arriving at each gateway
	 * (src/model/manual_keys.h).  0: negotiated by IKE. */
	uint32_t manual_spi_in, manual_spi_out;
	unsigned n_spd_refs[3];
	uint32_t ir_index;                      /* ir's place in the IR's tunnels (file order) */
	signed char end;                        /* index of this end in ir->end (0 or 1) */
	bool nat_traversal;                     /* NAT-T in effect (auto + an end behind NAT, or on) */
	bool behind_nat_here, behind_nat_there;
	bool behind_pat_here, behind_pat_there; /* that NAT translates ports: no inbound initiation */
	/* A route-based end (`route-based`): its selector pairs are any to any
	 * unless its block gives local/remote, and its SPD entries are bound to
	 * its tunnel interface, not in the gateway's SPD: what enters the tunnel
	 * is what the routes through it send there (doc/route-based.md). */
	bool route_based;
	/* Keyed by hand with the SAs this end's key file gives (SPIs and keys
	 * as they are, manual_given_parse), not derived from a pre-shared key. */
	bool manual_given;
	bool spd_refs_inline;                   /* spd_refs.inl, not .block */
};

/* The other end's config. */
static inline const struct ir_tunnel_end *model_tunnel_there(const struct model_tunnel *mt)
{
	return &mt->ir->end[1 - mt->end];
}

/* This end's effective IKE and IPsec proposals (NULL: none resolved) and
 * its pre-shared key, as resolve left them in the IR. */
static inline const struct ir_ike *model_tunnel_ike(const struct model_tunnel *mt)
{
	return ir_end_ike(mt->here);
}

static inline const struct ir_ipsec *model_tunnel_ipsec(const struct model_tunnel *mt)
{
	return ir_end_ipsec(mt->here);
}

static inline const struct ir_psk *model_tunnel_psk(const struct model_tunnel *mt)
{
	return ir_end_psk(mt->here);
}

/* This end's own address and its peer's as the tunnel uses them: the IR
 * end's effective endpoints where resolve found them, else the zero
 * address (family 0: unknown). */
extern const struct ip_addr model_no_endpoint;
static inline const struct ip_addr *model_tunnel_local_ep(const struct model_tunnel *mt)
{
	return mt->here->local_endpoint_known ? &mt->here->local_endpoint : &model_no_endpoint;
}

static inline const struct ip_addr *model_tunnel_remote_ep(const struct model_tunnel *mt)
{
	return mt->here->remote_endpoint_known ? &mt->here->remote_endpoint : &model_no_endpoint;
}

/* The gateway of MT's end, and the other end's (NULL: not resolved). */
static inline const struct ir_gateway *model_tunnel_self(const struct model_tunnel *mt)
{
	return ir_end_gateway(mt->here);
}

static inline const struct ir_gateway *model_tunnel_peer(const struct model_tunnel *mt)
{
	return ir_end_gateway(model_tunnel_there(mt));
}

/* A hub holds two of these per spoke, and a spoke two.  An entry does not
 * hold its selector: a tunnel's entries are its selector pairs, outbound
 * as they are and inbound (and forwarded) mirrored, so an entry points at
 * the pair's selector and says whether it reads it mirrored; read it with
 * spd_entry_sel.  32 bytes where a copy of the selector took 72 (on a hub
 * of 100,000 spokes, about 18 MB).  Its place in its direction is its
 * place in the array (model_spd_entry); its note, where it has one, is
 * worked out when read (model_spd_note). */
struct spd_entry {
	const struct selector *stored_sel;      /* as stored: read spd_entry_sel */
	struct model_tunnel *tunnel;            /* PROTECT: the tunnel template */
	struct tunc_loc loc;                    /* the statement behind it */
	enum spd_dir dir : 8;
	enum spd_action action : 8;
	enum spd_origin origin : 8;
	bool mirrored : 1;                      /* stored_sel with src and dst swapped */
};

/* Entry E's selector: what the packet's addresses, protocol and
 * destination port are matched against. */
static inline struct selector spd_entry_sel(const struct spd_entry *e)
{
	const struct selector *s = e->stored_sel;
	if (!e->mirrored)
		return *s;
	return (struct selector){s->dst, s->src, s->proto, s->port_lo, s->port_hi};
}

/* spd_entry_sel(E).src and .dst without the copy (hot loops: sorting a
 * hub's SPD, the engine's packet path). */
static inline const struct ip_prefix *spd_entry_src(const struct spd_entry *e)
{
	return e->mirrored ? &e->stored_sel->dst : &e->stored_sel->src;
}

static inline const struct ip_prefix *spd_entry_dst(const struct spd_entry *e)
{
	return e->mirrored ? &e->stored_sel->src : &e->stored_sel->dst;
}

/* Ordered without holes (72 bytes, not 88). */
struct model_route {
	const struct ir_interface *iface;
	struct model_tunnel *tunnel;            /* through a route-based end's tunnel
						 * interface (iface NULL) */
	struct ip_prefix dst;
	struct ip_addr via;                     /* zero family: connected */
	bool iface_written;                     /* `dev IFACE` was written: the device is told
						 * the interface too (a /32 dialer next hop) */
	bool connected;
	unsigned metric;
	struct tunc_loc loc;
};

struct model_gateway {
	const struct ir_gateway *ir;            /* gateway or peer */
	const struct platform_info *platform;
	/* The SPD's entries the model stores (all but the final defaults):
	 * one block, direction d's n_spd[d] entries, in order, after those
	 * of the directions before it (model_spd_stored_at).  A spoke's one
	 * or two entries a direction took three lists of 16 bytes (80 bytes
	 * a spoke's gateway, not 112).  Read the SPD with model_spd_count
	 * and model_spd_entry. */
	struct spd_entry *spd;
	/* The routes the model stores, read with model_route_count and
	 * model_route_at: the written ones (a peer's: what sits behind it and
	 * the rest of the world), n_written_routes of them, then the
	 * route-based ends' routes through their tunnel interfaces.  The
	 * routes to the connected subnets come between the two in the route
	 * order, but are implied by the addressed interfaces
	 * (n_connected_routes of them) and made when read: they were two of a
	 * spoke's three routes (144 of its 224 bytes).  Exact size: no room
	 * is left over, so no capacity is kept. */
	struct model_route *stored_routes;
	uint32_t n_stored_routes, n_written_routes, n_connected_routes;
	uint32_t n_spd[3];                      /* spd's, by enum spd_dir */
	ARENA_VEC(struct model_tunnel *) tunnels;      /* in file order */
	/* Lookup indexes of a gateway with many SPD entries or tunnels (a
	 * hub); NULL for the others. */
	struct model_gateway_ix *ix;
};

struct model_gateway_ix {
	/* Over the stored entries of a direction (model/spd_index.h), built
	 * by the direction's first model_spd_lookup() when it has
	 * SPD_INDEX_MIN entries (the gateway has this block from
	 * model_build() then); NULL, or n_spd[d] != spd_index_size()
	 * (entries added later): a linear scan. */
	struct spd_index *spd[3];
	/* model_tunnel_of's index (ir tunnel -> place in tunnels: model.c's
	 * places_*), n_tunnel_slots slots; NULL: a scan. */
	uint32_t *tunnels;
	size_t n_tunnel_slots;
};

struct manual_problem;

struct model {
	struct arena arena;
	const struct ir *ir;
	ARENA_VEC(struct model_gateway *) gateways;    /* ir->gateways order */
	/* What is wrong with SAs given in key files (model/manual_keys.h). */
	ARENA_VEC(struct manual_problem) manual_problems;
};

/* `keying manual;` (LANGUAGE.md): is end E asked for static SAs? */
static inline bool model_end_manual(const struct ir_tunnel_end *e)
{
	return e->keying == KEYING_MANUAL;
}
/* Is tunnel T keyed by hand: both ends asked for static SAs and both
 * platforms can hold them?  Then no IKE runs between them and each end
 * installs the same SAs derived from its pre-shared key (emit/manual.h).
 * One end asked and the other not (or unable) is keying-mismatch. */
bool model_keyed_by_hand(const struct ir_tunnel *t);

/* Builds the model of a resolved IR (ir_resolve returned true). */
struct model *model_build(const struct ir *ir);
void model_free(struct model *m);

/* The selector pairs of MT's end of address FAMILY (AF_V4 or AF_V6), or of
 * both (0: IPv4 first), built once by model_build: the one place where a
 * tunnel end's local and remote prefixes become selectors. */
struct selector_pairs model_tunnel_selectors(const struct model_tunnel *mt, unsigned family);
/* The statement behind every selector pair of MT's end: its `remote`, else
 * its `local`, else the tunnel (both inherited from the sites); a
 * route-based end's `route-based` when its block says neither. */
struct tunc_loc model_tunnel_selectors_loc(const struct model_tunnel *mt);

/* MT's PROTECT entries of direction DIR at its own gateway, in SPD order,
 * listed once by model_build: the emitters and checks read a tunnel's
 * policies here instead of scanning the gateway's whole SPD per tunnel
 * (quadratic on a hub).  Entry I is model_spd_entry(mg, DIR, refs.v[I]). */
#define MODEL_SPD_REFS_INLINE 2
static inline struct spd_refs model_tunnel_spd(const struct model_tunnel *mt, enum spd_dir dir)
{
	size_t skip = 0;
	for (int d = SPD_OUT; d < (int)dir; d++)
		skip += mt->n_spd_refs[d];
	const unsigned *v = mt->spd_refs_inline ? mt->spd_refs.inl : mt->spd_refs.block;
	return (struct spd_refs){mt->n_spd_refs[dir] ? v + skip : NULL, mt->n_spd_refs[dir]};
}

/* The final defaults of a gateway's SPD in each direction it has: bypass
 * any to any, IPv4 then IPv6.  Every gateway has the same two, so the
 * model stores them once, here, not per gateway (on a hub of spokes they
 * were half of the SPD's memory). */
#define MODEL_SPD_DEFAULTS 2
extern const struct spd_entry model_spd_defaults[3][MODEL_SPD_DEFAULTS];

/* Does MG's SPD have direction DIR (forward policies: some platforms)? */
static inline bool model_spd_has_dir(const struct model_gateway *mg, enum spd_dir dir)
{
	return dir != SPD_FWD || mg->platform->has_fwd_policy;
}

/* A gateway's SPD of direction DIR: model_spd_count entries, entry I
 * model_spd_entry(mg, DIR, I), in order, the final defaults included
 * (last).  Every checker, emitter and the engine read the SPD through
 * these two, so what the model keeps implicit stays its own business. */
static inline size_t model_spd_count(const struct model_gateway *mg, enum spd_dir dir)
{
	return mg->n_spd[dir] + (model_spd_has_dir(mg, dir) ? MODEL_SPD_DEFAULTS : 0);
}

/* Where direction DIR's stored entries start in MG's block. */
static inline size_t model_spd_stored_at(const struct model_gateway *mg, enum spd_dir dir)
{
	return (dir >= SPD_IN ? mg->n_spd[SPD_OUT] : 0) + (dir == SPD_FWD ? mg->n_spd[SPD_IN] : 0);
}

static inline const struct spd_entry *model_spd_entry(const struct model_gateway *mg,
						      enum spd_dir dir, size_t i)
{
	size_t n = mg->n_spd[dir];
	return i < n ? &mg->spd[model_spd_stored_at(mg, dir) + i] : &model_spd_defaults[dir][i - n];
}

/* What explains entry E of MG's SPD, or NULL: for an entry the platform
 * adds on its own, "ISA adds isa-a (198.51.100.1) > 10.2.0.0/16" (written
 * into BUF, which is reset first), for the defaults "default: not IPsec
 * traffic".  Worked out when read: a hub would store one per spoke. */
const char *model_spd_note(const struct model_gateway *mg, const struct spd_entry *e,
			   struct strbuf *buf);

struct model_gateway *model_gateway_of(const struct model *m, const struct ir_gateway *g);
struct model_tunnel *model_tunnel_of(const struct model_gateway *mg, const struct ir_tunnel *t);

/* A gateway's routes: model_route_count of them, route I
 * model_route_at(mg, I, &scratch), in order: the written routes, the
 * connected subnets of its addressed interfaces (in interface order), the
 * routes through its route-based ends' tunnel interfaces.  A connected
 * route is not stored: it is made into SCRATCH, and the pointer returned
 * is SCRATCH's (valid while SCRATCH is); a stored one is returned as it
 * is.  Every checker, emitter and the engine read routes through these,
 * so what the model keeps implicit stays its own business.  Compare
 * routes by their place (model_route_find), not by pointer. */
#define MODEL_ROUTE_NONE SIZE_MAX

static inline size_t model_route_count(const struct model_gateway *mg)
{
	return (size_t)mg->n_stored_routes + mg->n_connected_routes;
}

const struct model_route *model_route_connected(const struct model_gateway *mg, size_t k,
						struct model_route *scratch);

static inline const struct model_route *model_route_at(const struct model_gateway *mg, size_t i,
						       struct model_route *scratch)
{
	if (i < mg->n_written_routes)
		return &mg->stored_routes[i];
	i -= mg->n_written_routes;
	if (i < mg->n_connected_routes)
		return model_route_connected(mg, i, scratch);
	return &mg->stored_routes[mg->n_written_routes + (i - mg->n_connected_routes)];
}

/* Longest-prefix match (lowest metric among equals, the first among
 * those): the route's place in model_route_at's order, MODEL_ROUTE_NONE
 * when no route matches. */
size_t model_route_find(const struct model_gateway *mg, const struct ip_addr *dst);
/* The same route itself (model_route_at, so it may be made in SCRATCH);
 * NULL: no route. */
const struct model_route *model_route_lookup(const struct model_gateway *mg,
					     const struct ip_addr *dst,
					     struct model_route *scratch);
/* First SPD entry of direction DIR matching the packet; NULL: none. */
const struct spd_entry *model_spd_lookup(const struct model_gateway *mg, enum spd_dir dir,
					 const struct ip_addr *src, const struct ip_addr *dst,
					 unsigned proto, uint16_t dport);
bool selector_matches(const struct selector *s, const struct ip_addr *src,
		      const struct ip_addr *dst, unsigned proto, uint16_t dport);
/* selector_matches(spd_entry_sel(E), ...) without the copy. */
bool spd_entry_matches(const struct spd_entry *e, const struct ip_addr *src,
		       const struct ip_addr *dst, unsigned proto, uint16_t dport);
/* "192.168.1.0/24 -> 192.168.2.0/24 tcp 443" */
void selector_format(const struct selector *s, char *buf, size_t size);

#endif
