/* The parser's actions: each grammar rule calls one of these to add what it
 * recognised to the IR.  Kept out of parser.y so the generated C stays small
 * and this code builds with the strict warnings. */
#ifndef TUNC_IR_BUILD_H
#define TUNC_IR_BUILD_H

#include "grammar.h"

struct word {
	const char *text;
	struct tunc_loc loc;
};
typedef ARENA_VEC(struct word) word_vec;

/* Values */
bool build_prefix(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		  bool allow_host_bits, struct ir_prefix *out);
bool build_address(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		   struct ip_addr *out);
struct ir_prefix build_any(struct tunc_loc loc);
bool build_number(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		  uint64_t max, uint64_t *out);
bool build_duration(struct parse_ctx *c, const char *text, struct tunc_loc loc, uint64_t *out);
bool build_volume(struct parse_ctx *c, const char *text, struct tunc_loc loc, uint64_t *out_kb);
unsigned build_protocol(struct parse_ctx *c, const char *text, struct tunc_loc loc);
void build_port(struct parse_ctx *c, const char *text, struct tunc_loc loc,
		uint16_t *lo, uint16_t *hi);

/* Proposals */
void build_ike_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc);
void build_ipsec_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc);
void build_proposal_end(struct parse_ctx *c);
void build_version(struct parse_ctx *c, const char *text, struct tunc_loc loc);
void build_mode(struct parse_ctx *c, const char *text, struct tunc_loc loc);
void build_encryption(struct parse_ctx *c, const word_vec *w, struct tunc_loc loc);
void build_integrity(struct parse_ctx *c, const word_vec *w, struct tunc_loc loc);
void build_groups(struct parse_ctx *c, const word_vec *w, struct tunc_loc loc);
void build_lifetime(struct parse_ctx *c, const char *dur, struct tunc_loc dloc,
		    const char *vol, struct tunc_loc vloc, struct tunc_loc loc);
void build_ipsec_protocol(struct parse_ctx *c, const char *text, struct tunc_loc loc);
void build_pfs(struct parse_ctx *c, const char *text, struct tunc_loc loc);

/* Sites, gateways, peers */
void build_site_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc);
void build_site_end(struct parse_ctx *c);
void build_subnets(struct parse_ctx *c, const ir_prefix_vec *v, struct tunc_loc loc);
void build_host(struct parse_ctx *c, const char *name, struct tunc_loc nloc,
		const char *addr, struct tunc_loc aloc, struct tunc_loc loc);
void build_gateway_begin(struct parse_ctx *c, enum gateway_kind kind, const char *name,
			 struct tunc_loc loc);
void build_gateway_end(struct parse_ctx *c);
void build_platform(struct parse_ctx *c, const char *name, struct tunc_loc nloc,
		    const char *version, struct tunc_loc vloc, struct tunc_loc loc);
void build_peer_address(struct parse_ctx *c, const char *text, struct tunc_loc aloc,
			struct tunc_loc loc);
void build_peer_behind_nat(struct parse_ctx *c, struct tunc_loc loc);
/* `behind-nat pat;`: the NAT in front of it translates ports (no inbound initiation). */
void build_peer_behind_pat(struct parse_ctx *c);
void build_interface_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc);
void build_interface_end(struct parse_ctx *c);
void build_if_address(struct parse_ctx *c, const char *text, struct tunc_loc aloc,
		      struct tunc_loc loc);
void build_if_outside(struct parse_ctx *c, struct tunc_loc loc);
void build_if_mtu(struct parse_ctx *c, const char *text, struct tunc_loc vloc, struct tunc_loc loc);
void build_if_behind_nat(struct parse_ctx *c, const char *text, struct tunc_loc aloc,
			 struct tunc_loc loc);
/* `behind-nat ADDR pat;`: after build_if_behind_nat, the NAT translates ports. */
void build_if_behind_pat(struct parse_ctx *c);
/* The current interface's ir_iface_written, allocated at its first write. */
struct ir_iface_written *build_iface_written(struct parse_ctx *c);
void build_filter_begin(struct parse_ctx *c, enum filter_dir dir, struct tunc_loc loc);
void build_filter_end(struct parse_ctx *c);
void build_filter_rule(struct parse_ctx *c, enum filter_action action,
		       const struct ir_prefix *src, const struct ir_prefix *dst,
		       const char *proto, struct tunc_loc ploc,
		       const char *port, struct tunc_loc portloc, struct tunc_loc loc);
void build_filter_default(struct parse_ctx *c, enum filter_action action, struct tunc_loc loc);
void build_route(struct parse_ctx *c, const struct ir_prefix *dst, const char *via,
		 struct tunc_loc vloc, const char *dev, struct tunc_loc devloc,
		 const char *metric, struct tunc_loc mloc, struct tunc_loc loc);
void build_nat_begin(struct parse_ctx *c, struct tunc_loc loc);
void build_nat_exempt(struct parse_ctx *c, const struct ir_prefix *src,
		      const struct ir_prefix *dst, struct tunc_loc loc);
void build_nat_exempt_tunnels(struct parse_ctx *c, struct tunc_loc loc);
void build_nat_overload(struct parse_ctx *c, const struct ir_prefix *src, const char *iface,
			struct tunc_loc iloc, struct tunc_loc loc);
void build_nat_static(struct parse_ctx *c, const char *from, struct tunc_loc floc,
		      const char *to, struct tunc_loc tloc, struct tunc_loc loc);

/* Tunnels */
void build_tunnel_begin(struct parse_ctx *c, const char *name, struct tunc_loc loc);
void build_tunnel_end(struct parse_ctx *c);
void build_between(struct parse_ctx *c, const char *a, struct tunc_loc aloc,
		   const char *b, struct tunc_loc bloc, struct tunc_loc loc);
void build_proposal_ref(struct parse_ctx *c, bool ike, const char *name, struct tunc_loc loc);
void build_psk(struct parse_ctx *c, enum psk_source src, const char *value, struct tunc_loc loc);
void build_nat_traversal(struct parse_ctx *c, const char *text, struct tunc_loc loc);
/* `keying ike|manual;` in a tunnel or a per-end block. */
void build_keying(struct parse_ctx *c, const char *text, struct tunc_loc loc, struct tunc_loc stmt);
/* `route-based PREFIX;`, `tcp-mss auto|N|off;`, `dpd DURATION;` in a tunnel
 * or a per-end block (src/ir/build_route_based.c). */
void build_route_based(struct parse_ctx *c, const char *text, struct tunc_loc ploc,
		       struct tunc_loc loc);
void build_tcp_mss(struct parse_ctx *c, const char *text, struct tunc_loc vloc, struct tunc_loc loc);
void build_dpd(struct parse_ctx *c, const char *text, struct tunc_loc vloc, struct tunc_loc loc);
void build_end_begin(struct parse_ctx *c, const char *gw, struct tunc_loc loc);
void build_end_end(struct parse_ctx *c);
void build_end_selectors(struct parse_ctx *c, bool local, const ir_prefix_vec *v,
			 struct tunc_loc loc);
void build_end_protocol(struct parse_ctx *c, const char *proto, struct tunc_loc ploc,
			const char *port, struct tunc_loc portloc, struct tunc_loc loc);
void build_end_endpoint(struct parse_ctx *c, bool local, const char *addr,
			struct tunc_loc aloc, struct tunc_loc loc);
void build_end_flag(struct parse_ctx *c, bool mirrored, struct tunc_loc loc);

/* Expectations */
struct expect_point_src {
	const char *text;
	struct tunc_loc loc;
	bool is_address;
};
void build_expect(struct parse_ctx *c, const struct expect_point_src *src,
		  const struct expect_point_src *dst, const char *proto, struct tunc_loc ploc,
		  const char *port, struct tunc_loc portloc, bool reply, struct tunc_loc rloc,
		  enum verdict v, const char *tunnel, struct tunc_loc tloc, struct tunc_loc loc);
/* `size N` and `df` of an expectation: applied to the last one built
 * (src/ir/build_route_based.c). */
struct expect_size_src {
	const char *size;               /* NULL: not written */
	struct tunc_loc size_loc;
	bool df;
};
void build_expect_size(struct parse_ctx *c, const struct expect_size_src *s);
/* `route PREFIX via tunnel NAME;` (src/ir/build_route_based.c). */
void build_route_tunnel(struct parse_ctx *c, const struct ir_prefix *dst, const char *tunnel,
			struct tunc_loc tloc, struct tunc_loc loc);

#endif
