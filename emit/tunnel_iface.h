/* What the emitters of route-based ends and MSS clamping share: the clamped
 * TCP MSS of a tunnel (one formula for every platform) and the Linux xfrm
 * interface of a route-based end (its if_id and name, written by both the
 * xfrm script that creates it and swanctl.conf whose CHILD_SA carries the
 * if_id). */
#ifndef TUNC_EMIT_TUNNEL_IFACE_H
#define TUNC_EMIT_TUNNEL_IFACE_H

#include <stdbool.h>
#include <stddef.h>

#include "model/model.h"

/* The MSS that TCP SYNs through MT (an end at MG) are clamped to, for
 * inner packets of FAMILY (AF_V4 or AF_V6); 0 when the end does not clamp
 * (`tcp-mss off` or none).  `tcp-mss N` is N; `auto` is computed as the
 * engine does, for the proposal's suite with the largest overhead. */
unsigned emit_tcp_mss(const struct model_gateway *mg, const struct model_tunnel *mt,
		      unsigned family);

/* Where a platform clamps or detects dead peers once for all its tunnels
 * (PIX and ASA `sysopt connection tcpmss`, PIX `isakmp keepalive`): the
 * tunnel with the smallest clamped MSS (*MSS set; NULL: none clamps) and
 * the one with the shortest `dpd` (NULL: none sets it). */
const struct model_tunnel *emit_smallest_mss(const struct model_gateway *mg, unsigned *mss);
const struct model_tunnel *emit_shortest_dpd(const struct model_gateway *mg);

/* The inner family of MT's traffic: its tunnel interface's for a
 * route-based end, else IPv6 when every local subnet is IPv6. */
unsigned emit_inner_family(const struct model_tunnel *mt);

/* The far end's address on a route-based end's link (the next hop of the
 * routes through the tunnel interface); false when MT is not route-based. */
bool emit_tunnel_peer_address(const struct model_tunnel *mt, struct ip_addr *out);

/* A route-based Linux end's xfrm interface: if_id is 1 + the tunnel's
 * place among the gateway's tunnels (unique per gateway, stable while the
 * file's order is); the interface is named "ipsec" followed by it. */
unsigned emit_xfrm_if_id(const struct model_gateway *mg, const struct model_tunnel *mt);
void emit_xfrm_if_name(const struct model_gateway *mg, const struct model_tunnel *mt, char *buf,
		       size_t size);

#endif
