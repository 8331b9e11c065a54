/* Probes: what one packet meets at one gateway, stage by stage, answered
 * from the model.  Checks that claim a packet's fate (route-missing's wrong
 * next hop, nat-not-exempt's translation, ike-blocked's filter) ask here, so
 * that each claim is one call that can be swapped for the engine's
 * single-packet API (src/engine) once it exists, and lint and `tunc run`
 * cannot disagree.  Every function answers exactly one stage. */
#ifndef TUNC_CHECK_PROBE_H
#define TUNC_CHECK_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

struct probe_pkt {
	struct ip_addr src, dst;
	unsigned proto;                 /* PROTO_ANY is probed as ICMP */
	uint16_t dport;
};

/* A packet standing for a selector: the first host of each prefix. */
struct probe_pkt probe_pkt_of(const struct selector *s);

/* ROUTE: the route the gateway takes for DST (longest prefix). */
const struct model_route *probe_route(const struct model_gateway *mg, const struct ip_addr *dst);
/* The interface a route leaves by (its own, or the one holding its next hop). */
const struct ir_interface *probe_route_iface(const struct model_gateway *mg,
					     const struct model_route *r);

/* FILTER: first matching rule, else the filter's default.  A NULL filter
 * permits everything. */
struct filter_verdict {
	enum filter_action action;
	const struct ir_filter_rule *rule;      /* NULL: the default decided */
};
struct filter_verdict probe_filter(const struct ir_filter *f, const struct probe_pkt *p);

/* NAT: the first rule of the gateway that matches an outbound packet leaving
 * by EGRESS.  IN_TUNNEL tells whether the packet is covered by one of the
 * gateway's tunnel selectors (for `exempt tunnels`).  NULL: no rule. */
const struct ir_nat_rule *probe_nat(const struct model_gateway *mg, const struct probe_pkt *p,
				    const struct ir_interface *egress, bool in_tunnel);
bool nat_rule_translates(const struct ir_nat_rule *r);

/* SPD, within one tunnel's entries (ENTRIES, in order): the first that
 * matches, or NULL.  Ordering between tunnels is selector-overlap's concern. */
const struct spd_entry *probe_spd_tunnel(const struct spd_entry *const *entries, size_t n,
					 const struct probe_pkt *p);

#endif
