/* The filter matcher and the NAT matcher: which rule decides a packet.
 *
 * One of each, for everything that asks: the engine's FILTER and NAT stages
 * (src/engine/forward.c) and its IKE reachability test (src/engine/ike.c)
 * on the packets they carry, lint's probes (src/check/probe.c) on the
 * packets a check stands for a selector with.  So lint and `tunc run`
 * cannot disagree on a rule (tests/unit/check_matchers.c runs one table of
 * packets through both).  The semantics, and why: doc/engine.md, "Filter and
 * NAT matching". */
#ifndef TUNC_MODEL_MATCH_H
#define TUNC_MODEL_MATCH_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

/* A packet as the matchers see it. */
struct match_pkt {
	struct ip_addr src, dst;
	unsigned proto;                 /* an IP protocol number */
	bool has_ports;                 /* TCP/UDP with a transport header */
	uint16_t dport;                 /* 0 unless HAS_PORTS */
};

/* FILTER: the first rule of F that matches P, else F's default; on a
 * platform whose rules have no order (PL's filter_form
 * FILTER_FORM_BLOCK_WINS) a matching drop rule, else a matching permit
 * rule, else the default.  PL NULL: first match.  A NULL filter permits
 * everything.  Whether the filter sees P at all is filter_sees'
 * (model/filters.h). */
struct filter_verdict {
	enum filter_action action;
	const struct ir_filter_rule *rule;      /* NULL: the default decided */
};
struct filter_verdict filter_match(const struct platform_info *pl, const struct ir_filter *f,
				   const struct match_pkt *p);

/* NAT: the first rule of gateway MG that matches P leaving by EGRESS (NULL:
 * by no interface, as a packet without a route). */
struct nat_decision {
	const struct ir_nat_rule *rule;         /* NULL: no rule matches */
	const struct spd_entry *tunnel_entry;   /* `exempt tunnels`: the PROTECT entry */
	struct ip_addr to;                      /* overload, static: the new source */
};
struct nat_decision nat_match(const struct model_gateway *mg, const struct match_pkt *p,
			      const struct ir_interface *egress);
/* Does rule R rewrite addresses (overload, static), rather than exempt? */
bool nat_rule_translates(const struct ir_nat_rule *r);

#endif
