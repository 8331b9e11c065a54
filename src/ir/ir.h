/* The IR: the .tun file as written, with names resolved and defaults applied.
 *
 * The parser (grammar/) fills these structures with names as written
 * (struct ir_ref with target == NULL); ir_resolve() (resolve.c) binds every
 * reference, applies the defaults of LANGUAGE.md and reports what is wrong.
 * Nothing is fixed silently: a value that is invalid stays marked invalid and
 * the diagnostic says so.  Every node carries the location of the text it
 * came from.  All memory belongs to the IR's arena. */
#ifndef TUNC_IR_H
#define TUNC_IR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/addr.h"
#include "ir/enums.h"
#include "util/arena.h"
#include "util/source.h"
#include "util/symtab.h"

struct diag_list;

/* A name used somewhere, bound by ir_resolve(). */
struct ir_ref {
	const char *name;               /* NULL when absent */
	struct tunc_loc loc;
	void *target;                   /* the definition, once resolved */
};

/* A prefix as written: LOC covers its text. */
struct ir_prefix {
	struct ip_prefix p;
	struct tunc_loc loc;
	bool is_any;                    /* written as `any` / `default` */
};
typedef ARENA_VEC(struct ir_prefix) ir_prefix_vec;

typedef ARENA_VEC(enum encryption) ir_enc_vec;
typedef ARENA_VEC(enum integrity) ir_integ_vec;
typedef ARENA_VEC(unsigned) ir_group_vec;

enum ike_mode { IKE_MODE_MAIN, IKE_MODE_AGGRESSIVE };
enum ipsec_protocol { IPSEC_ESP, IPSEC_AH };

struct ir_ike {
	const char *name;
	struct tunc_loc loc;            /* the name in `ike NAME {` */
	unsigned version;               /* 1 or 2 */
	enum ike_mode mode;
	ir_enc_vec encryption;          /* offers in order of preference */
	ir_integ_vec integrity;
	ir_group_vec group;
	uint64_t lifetime_s;
	struct tunc_loc version_loc, mode_loc, encryption_loc, integrity_loc,
		group_loc, lifetime_loc;
	bool used;                      /* referenced by some tunnel end */
};

struct ir_ipsec {
	const char *name;
	struct tunc_loc loc;
	enum ipsec_protocol protocol;
	ir_enc_vec encryption;          /* empty for AH */
	ir_integ_vec integrity;
	unsigned pfs;                   /* DH group, 0 = none */
	uint64_t lifetime_s;
	uint64_t lifetime_kb;           /* 0 = no volume limit */
	struct tunc_loc protocol_loc, encryption_loc, integrity_loc, pfs_loc,
		lifetime_loc;
	bool used;
};

enum filter_action { FILTER_PERMIT, FILTER_DROP };

struct ir_filter_rule {
	enum filter_action action;
	struct ir_prefix src, dst;
	unsigned proto;                 /* PROTO_ANY or an IP protocol number */
	uint16_t port_lo, port_hi;      /* 0,0 = any port */
	struct tunc_loc loc;            /* the whole rule */
};

enum filter_dir { FILTER_IN, FILTER_OUT };

struct ir_filter {
	enum filter_dir dir;
	ARENA_VEC(struct ir_filter_rule) rules;
	enum filter_action default_action;      /* permit unless said */
	struct tunc_loc loc, default_loc;
};

struct ir_gateway;

/* What an interface seldom writes: `behind-nat ADDR [pat];`, `mtu N;` and
 * its filters.  Out of line like ir_end_written: NULL until the interface
 * writes one of them, read through ir_iface_written(), whose default is no
 * NAT, an MTU of 1500 and no filter (a hub's spokes have two interfaces
 * each, mostly without). */
struct ir_iface_written {
	struct ir_filter *filter_in, *filter_out;       /* NULL: none */
	struct ip_addr nat_address;     /* what the upstream NAT device shows */
	bool behind_nat;
	bool behind_pat;                /* `behind-nat ADDR pat;`: it maps by port, no inbound initiation */
	unsigned mtu;                   /* `mtu N;`, 1500 when not written */
	struct tunc_loc behind_nat_loc;
	struct tunc_loc mtu_loc;        /* zero when not written */
};

extern const struct ir_iface_written ir_iface_written_none;

/* 72 bytes, not 128: the seldom written part out of line, no holes. */
struct ir_interface {
	const char *name;
	struct tunc_loc loc;
	struct ip_prefix address;       /* address and prefix length (host bits allowed) */
	bool has_address;
	bool outside;
	struct tunc_loc address_loc;
	struct ir_iface_written *written;       /* NULL: nothing seldom written */
	struct ir_gateway *gateway;
};

static inline const struct ir_iface_written *ir_iface_written(const struct ir_interface *ifc)
{
	return ifc->written ? ifc->written : &ir_iface_written_none;
}

/* A route as written (the routes to connected subnets are implied: the
 * model adds them from the interfaces).  Ordered without holes, the rare
 * `via tunnel` out of line (128 bytes, not 160): every gateway has a few. */
struct ir_route {
	struct ir_ref dev;              /* target: struct ir_interface */
	struct ir_ref *tunnel;          /* `via tunnel NAME` (else NULL): target struct
					 * ir_tunnel, whose route-based end at this
					 * gateway carries it */
	struct ir_prefix dst;
	struct ip_addr via;
	struct tunc_loc via_loc;
	unsigned metric;
	struct tunc_loc loc;            /* the whole statement */
};

enum nat_kind { NAT_EXEMPT, NAT_EXEMPT_TUNNELS, NAT_OVERLOAD, NAT_STATIC };

struct ir_nat_rule {
	enum nat_kind kind;
	struct ir_prefix src, dst;      /* exempt: src -> dst; overload: src */
	struct ir_ref iface;            /* overload ... on IFACE */
	struct ip_addr static_from, static_to;
	struct tunc_loc loc;
};

struct ir_site;

/* Gateways and peers share one namespace and one structure: a tunnel end is
 * either.  A peer has no site and no interfaces; it has `address`. */
enum gateway_kind { GW_GATEWAY, GW_PEER };

/* Ordered without holes (192 bytes, not 248): pointers and lists, then
 * locations, then the small fields. */
struct ir_gateway {
	const char *name;
	struct ir_site *site;           /* NULL for a peer */
	const char *version;            /* as written or the platform default */
	const struct platform_info *pinfo;      /* from the platform table */
	ARENA_VEC(struct ir_interface *) interfaces;
	ARENA_VEC(struct ir_route) routes;      /* as written (not the connected ones) */
	ARENA_VEC(struct ir_nat_rule) nat;
	ir_prefix_vec subnets;          /* peers */
	struct tunc_loc loc;
	struct tunc_loc platform_loc;
	struct tunc_loc nat_loc;
	struct tunc_loc address_loc;    /* peers */
	struct tunc_loc behind_nat_loc; /* peers */
	enum gateway_kind kind;
	enum platform_id platform;      /* PLAT_GENERIC when not given */
	struct ip_addr address;         /* peers */
	bool has_platform;
	bool behind_nat;                /* peers */
	bool behind_pat;                /* `behind-nat pat;`: no inbound initiation */
	bool used;
};

struct ir_host {
	const char *name;
	struct tunc_loc loc;
	struct ip_addr addr;
	struct ir_site *site;
	bool used;
};

struct ir_site {
	const char *name;
	struct tunc_loc loc;
	ir_prefix_vec subnets;
	ARENA_VEC(struct ir_host *) hosts;
	ARENA_VEC(struct ir_gateway *) gateways;
};

enum psk_source { PSK_NONE, PSK_FILE, PSK_ENV, PSK_INLINE };

/* 24 bytes (value first): every tunnel holds three. */
struct ir_psk {
	const char *value;              /* path, variable name or the key itself */
	struct tunc_loc loc;
	enum psk_source source;
};

enum nat_traversal { NATT_AUTO, NATT_ON, NATT_OFF };

/* How an end gets its SAs (`keying ike|manual;`): negotiated by IKE unless
 * the tunnel or the end's block asks for static, manually keyed SAs. */
enum keying { KEYING_IKE, KEYING_MANUAL };

/* `route-based PREFIX;` (LANGUAGE.md): the end has a tunnel interface
 * addressed from PREFIX (an IPv4 /30 or /31, an IPv6 /126 or /127) and
 * routing, not its selectors, decides what enters the tunnel. */
struct ir_route_based {
	bool set;
	struct ir_prefix prefix;        /* the link prefix as written */
	struct tunc_loc loc;            /* the whole statement */
};

/* `tcp-mss auto|N|off;`: clamp the MSS of TCP SYNs through the tunnel. */
enum tcp_mss_mode { TCP_MSS_UNSET, TCP_MSS_OFF, TCP_MSS_AUTO, TCP_MSS_FIXED };
struct ir_tcp_mss {
	enum tcp_mss_mode mode;
	unsigned value;                 /* TCP_MSS_FIXED */
	struct tunc_loc loc;
};

/* `dpd DURATION;`: dead-peer detection at this interval. */
struct ir_dpd {
	uint64_t interval_s;
	struct tunc_loc loc;
	bool set;
};

/* What a tunnel or one of its ends rarely writes: `route-based`, `tcp-mss`,
 * `dpd` and, for a route-based end, its tunnel interface's address.  Kept
 * out of line (NULL until one of them is written, or given by the tunnel):
 * a hub's 100,000 tunnels that write none of them would otherwise carry
 * three copies of 120 bytes each.  Readers go through the accessors below,
 * which answer the defaults (nothing set) for NULL. */
struct ir_link_settings {
	struct ir_route_based route_based;
	struct ip_prefix tunnel_address;        /* route-based: this end's tunnel interface
						 * address, with the link prefix's length;
						 * unused at tunnel level */
	struct ir_tcp_mss tcp_mss;
	struct ir_dpd dpd;
};

extern const struct ir_link_settings ir_link_settings_none;

static inline const struct ir_link_settings *ir_link_of(const struct ir_link_settings *l)
{
	return l ? l : &ir_link_settings_none;
}

/* The block *SLOT points to, allocated in A (from the defaults) at the first
 * write; for the builders and ir_resolve only. */
struct ir_link_settings *ir_link_settings_mut(struct arena *a, struct ir_link_settings **slot);

/* What a per-end block wrote, as written: its proposals and key, the
 * locations of its statements, `local-endpoint` and `remote-endpoint` (the
 * effective endpoints stay in the end) and the Windows filter flags
 * `mirrored` and `accept-unsecured`.  Out of line like ir_link_settings:
 * NULL for an end without a block (a hub's spokes), which would otherwise
 * carry 160 bytes of empty references and locations.  A per-end block has
 * one from build_end_begin on; the end it is merged into shares it. */
struct ir_end_written {
	struct ir_ref ike, ipsec;
	struct ir_psk psk;
	struct tunc_loc block_loc;
	struct tunc_loc local_loc, remote_loc;
	struct tunc_loc protocol_loc;
	struct tunc_loc local_endpoint_loc, remote_endpoint_loc;
	struct tunc_loc mirrored_loc, accept_unsecured_loc;
	bool local_endpoint_set, remote_endpoint_set;
	bool mirrored, accept_unsecured;
};

extern const struct ir_end_written ir_end_written_none;

/* One end of a tunnel, as configured at that end.  The *_set flags say
 * what its per-end block wrote, ir_end_written() the rest of what it wrote;
 * the values are effective (defaults applied by ir_resolve).  The
 * effective proposals and key point at what the block wrote, else at the
 * tunnel's (a hub's 100,000 spokes' ends write nothing of their own), else
 * at the default proposal's reference: read through ir_end_ike(),
 * ir_end_ipsec() and ir_end_psk().  A per-end block as parsed
 * (ir_tunnel.end_blocks) is this structure too, with only the written part
 * set.  Ordered without holes (176 bytes, not 304). */
struct ir_tunnel_end {
	struct ir_ref gw;               /* target: struct ir_gateway */
	ir_prefix_vec local, remote;
	struct ir_interface *endpoint_iface;    /* gateway: its outside interface */
	/* Effective (ir_resolve): per-end, tunnel or default; NULL before. */
	const struct ir_ref *ike, *ipsec;
	const struct ir_psk *psk;
	/* What the block wrote: read through ir_end_written(). */
	struct ir_end_written *written;
	/* Effective (the block's, else the tunnel's); read through
	 * ir_end_route_based() and its siblings below. */
	struct ir_link_settings *link;
	struct tunc_loc keying_loc;
	unsigned proto;                 /* selector restriction, PROTO_ANY if none */
	enum keying keying;             /* effective: per-end, tunnel, or IKE */
	uint16_t port_lo, port_hi;
	struct ip_addr local_endpoint, remote_endpoint;   /* effective */
	bool local_endpoint_known, remote_endpoint_known;
	bool has_block;                 /* a per-end block exists */
	bool local_set, remote_set;
	bool keying_set;                /* written (in the block, or at tunnel level) */
};

/* Ordered without holes, as the ends (528 bytes). */
struct ir_tunnel {
	const char *name;
	struct ir_tunnel_end end[2];    /* in the order of `between A and B` */
	/* Per-end blocks as parsed; ir_resolve merges each into end[0] or end[1]. */
	ARENA_VEC(struct ir_tunnel_end *) end_blocks;
	struct ir_ref ike, ipsec;       /* as written at tunnel level */
	struct ir_psk psk;
	/* As written at tunnel level; ir_resolve gives them to the ends.  Read
	 * through ir_tunnel_route_based() and its siblings below. */
	struct ir_link_settings *link;
	struct tunc_loc loc;
	struct tunc_loc between_loc;
	struct tunc_loc keying_loc;
	struct tunc_loc nat_traversal_loc;
	/* One byte each, not an enum's four: 528 bytes, not 536. */
	uint8_t keying;                 /* enum keying as written at tunnel level
					 * (KEYING_IKE if not) */
	uint8_t nat_traversal;          /* enum nat_traversal */
	bool has_between;
	bool keying_set;
};

enum expect_kind { EXPECT_HOST, EXPECT_GATEWAY, EXPECT_PREFIX };

struct ir_expect_point {
	enum expect_kind kind;          /* a name resolves to a host or a gateway */
	struct ir_ref ref;
	struct ir_prefix prefix;
	struct ip_addr addr;            /* effective address (ir_resolve) */
};

/* `size N` on an expectation or `tunc run --send`: 68 bytes hold the
 * headers of every packet the engine sends (IPv6 40 + TCP 20 + MSS 4);
 * 9000 is the common jumbo frame. */
#define IR_PACKET_SIZE_MIN 68
#define IR_PACKET_SIZE_MAX 9000

struct ir_expect {
	struct ir_expect_point src, dst;
	unsigned proto;
	uint16_t port;
	bool reply;                     /* `reply`: a UDP datagram is answered (a round trip) */
	unsigned size;                  /* `size N`: the inner IP packet's length; 0: not written */
	struct tunc_loc size_loc;
	bool df;                        /* `df`: sent with Don't Fragment */
	enum verdict verdict;
	struct ir_ref tunnel;           /* optional `by TUNNEL` */
	struct tunc_loc loc;
	const char *text;               /* the statement as written, for reports */
};

struct ir {
	struct arena arena;
	struct source_set *sources;     /* borrowed */
	ARENA_VEC(struct ir_ike *) ikes;
	ARENA_VEC(struct ir_ipsec *) ipsecs;
	/* One element per spoke of a hub: on the heap (heap_vec_push, freed
	 * by ir_free), not in the arena, which kept every outgrown block. */
	ARENA_VEC(struct ir_site *) sites;
	ARENA_VEC(struct ir_gateway *) gateways;   /* gateways and peers, in file order */
	ARENA_VEC(struct ir_host *) hosts;
	ARENA_VEC(struct ir_tunnel *) tunnels;
	ARENA_VEC(struct ir_expect) expects;
	struct symtab ike_names, ipsec_names, site_names, gateway_names,
		host_names, tunnel_names;
	bool resolved;
	/* ir_resolve has freed the name tables (release_resolve_tables):
	 * gateway_names is built again at the first ir_find_gateway. */
	bool names_released;
};

void ir_init(struct ir *ir, struct source_set *sources);
void ir_free(struct ir *ir);

/* Binds names, applies defaults, validates; appends diagnostics.  Returns
 * false if any error was reported (the IR must then not reach the model). */
bool ir_resolve(struct ir *ir, struct diag_list *diags);

/* Parses PATH (following includes) into IR; parse errors go to DIAGS.
 * Returns false on any error, including I/O (reported as a diagnostic). */
bool ir_parse_file(struct ir *ir, const char *path, struct diag_list *diags);
/* The same for an in-memory buffer (tests, fuzzing); includes are refused. */
bool ir_parse_buffer(struct ir *ir, const char *name, const char *text,
		     size_t size, struct diag_list *diags);
/* Each of the above plus ir_resolve (also after value errors, not after a
 * syntax error); src/policy is the one caller. */
bool ir_load_file(struct ir *ir, const char *path, struct diag_list *diags);
bool ir_load_buffer(struct ir *ir, const char *name, const char *text, size_t size,
		    struct diag_list *diags);

/* Lookups by name (NULL when undefined). */
struct ir_gateway *ir_find_gateway(const struct ir *ir, const char *name);
struct ir_tunnel *ir_find_tunnel(const struct ir *ir, const char *name);
struct ir_host *ir_find_host(const struct ir *ir, const char *name);

/* The other end of a tunnel. */
static inline int ir_end_index(const struct ir_tunnel *t, const struct ir_gateway *g)
{
	return t->end[0].gw.target == g ? 0 : t->end[1].gw.target == g ? 1 : -1;
}
static inline struct ir_gateway *ir_end_gateway(const struct ir_tunnel_end *e)
{
	return (struct ir_gateway *)e->gw.target;
}
static inline struct ir_ike *ir_end_ike(const struct ir_tunnel_end *e)
{
	return e->ike ? (struct ir_ike *)e->ike->target : NULL;
}
static inline struct ir_ipsec *ir_end_ipsec(const struct ir_tunnel_end *e)
{
	return e->ipsec ? (struct ir_ipsec *)e->ipsec->target : NULL;
}

/* What E's block wrote (nothing, with no location, when it has none). */
static inline const struct ir_end_written *ir_end_written(const struct ir_tunnel_end *e)
{
	return e->written ? e->written : &ir_end_written_none;
}

/* E's effective proposal references (none, all zero, before ir_resolve). */
static inline const struct ir_ref *ir_end_ike_ref(const struct ir_tunnel_end *e)
{
	return e->ike ? e->ike : &ir_end_written_none.ike;
}
static inline const struct ir_ref *ir_end_ipsec_ref(const struct ir_tunnel_end *e)
{
	return e->ipsec ? e->ipsec : &ir_end_written_none.ipsec;
}

/* E's effective pre-shared key (source PSK_NONE when there is none). */
static inline const struct ir_psk *ir_end_psk(const struct ir_tunnel_end *e)
{
	return e->psk ? e->psk : &ir_end_written_none.psk;
}

/* An end's effective route-based link, tunnel address, MSS clamp and DPD;
 * the tunnel's as written at its level. */
static inline const struct ir_route_based *ir_end_route_based(const struct ir_tunnel_end *e)
{
	return &ir_link_of(e->link)->route_based;
}
static inline const struct ip_prefix *ir_end_tunnel_address(const struct ir_tunnel_end *e)
{
	return &ir_link_of(e->link)->tunnel_address;
}
static inline const struct ir_tcp_mss *ir_end_tcp_mss(const struct ir_tunnel_end *e)
{
	return &ir_link_of(e->link)->tcp_mss;
}
static inline const struct ir_dpd *ir_end_dpd(const struct ir_tunnel_end *e)
{
	return &ir_link_of(e->link)->dpd;
}
static inline const struct ir_route_based *ir_tunnel_route_based(const struct ir_tunnel *t)
{
	return &ir_link_of(t->link)->route_based;
}
static inline const struct ir_tcp_mss *ir_tunnel_tcp_mss(const struct ir_tunnel *t)
{
	return &ir_link_of(t->link)->tcp_mss;
}
static inline const struct ir_dpd *ir_tunnel_dpd(const struct ir_tunnel *t)
{
	return &ir_link_of(t->link)->dpd;
}

#endif
