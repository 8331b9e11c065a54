/* Probes: what happens to one packet.
 *
 * A check that claims a packet's fate (gateway-own-traffic's ping that
 * negotiates forever, nat-not-exempt's translated tunnel traffic,
 * route-missing's ESP handed to the wrong router) gets it from the engine
 * (src/engine): probe_send() sends the packet through the model exactly as
 * `tunc run --send` does, so that lint and `tunc run` cannot disagree.
 * The engine is built on a check's first probe and shared by the run's
 * checks; checks probe only where a model-level pre-check says a problem is
 * possible, so sound configurations never build it (doc/checks.md).
 *
 * The pre-checks use the small model functions below, each answering one
 * stage (the route, a filter, the NAT rule, a tunnel's SPD entry); filters
 * and NAT by the model's own matchers (model/match.h), which the engine's
 * stages use too. */
#ifndef TUNC_CHECK_PROBE_H
#define TUNC_CHECK_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "check/check.h"
#include "diag/diag.h"
#include "model/match.h"
#include "model/model.h"

struct probe_pkt {
	struct ip_addr src, dst;
	unsigned proto;                 /* PROTO_ANY is probed as ICMP */
	uint16_t dport;
};

/* A packet standing for a selector: the first host of each prefix. */
struct probe_pkt probe_pkt_of(const struct selector *s);

/* ROUTE: the route the gateway takes for DST (longest prefix), perhaps
 * made in SCRATCH (a connected route: model_route_at). */
const struct model_route *probe_route(const struct model_gateway *mg, const struct ip_addr *dst,
				      struct model_route *scratch);
/* The interface a route leaves by (its own, or the one holding its next hop). */
const struct ir_interface *probe_route_iface(const struct model_gateway *mg,
					     const struct model_route *r);

/* FILTER and NAT: the model's matchers (model/match.h, the engine's too)
 * on a probe packet.  probe_filter: the verdict of filter F of a gateway of
 * platform PL (NULL: first match) on P, OWN when P is the gateway's own
 * traffic (to or from it), permit where PL's filters do not see such
 * traffic (filter_sees); a NULL filter permits everything.  probe_nat: the first
 * rule of the gateway that matches an outbound packet leaving by EGRESS
 * (NULL: no route, so no `overload ... on IFACE`), NULL when none does. */
struct filter_verdict probe_filter(const struct platform_info *pl, const struct ir_filter *f,
				   bool own, const struct probe_pkt *p);
const struct ir_nat_rule *probe_nat(const struct model_gateway *mg, const struct probe_pkt *p,
				    const struct ir_interface *egress);

/* SPD, within one tunnel end's outbound entries (ck_spd_out_of, in SPD
 * order): the first that matches, or NULL.  Ordering between tunnels is
 * selector-overlap's concern. */
struct ck_spd_out;
const struct spd_entry *probe_spd_tunnel(const struct ck_spd_out *out, const struct probe_pkt *p);

/* ---- the engine ---- */

struct probe_result {
	bool ran;                       /* false: the engine refused the packet (a bug) */
	char send[200];                 /* the packet, as `tunc run --send` takes it */
	enum verdict verdict;           /* the packet's own (a ping's request) */
	const struct ir_tunnel *tunnel; /* VERDICT_PROTECTED: its tunnel */
	char fate[700];                 /* the verdict as `tunc run` prints it:
					 * "dropped at isa-a/IKE: Negotiating IP Security (...)" */
	char at_node[80];               /* dropped/unreachable: where ("" otherwise) */
	enum stage at_stage;
	struct tunc_loc loc;            /* the statement that decided it, or LOC_NONE */
	const struct ir_nat_rule *nat;  /* a NAT rule that translated it on the way, or NULL */
	const char *nat_node;           /* the gateway of that rule */
	char nat_text[200];             /* what the engine says it did ("overload: source ...") */
};

/* Sends SEND ("isa-a -> 10.2.0.1", "192.168.1.1 -> 192.168.2.1 tcp 443")
 * through CTX's model on a network with no SA yet: it fares as with `tunc run
 * FILE --send SEND`.  Prints nothing and writes no file.  False (OUT->ran
 * false) when the engine does not take the text, which is a bug of the
 * calling check. */
bool probe_send(struct check_ctx *ctx, const char *send, struct probe_result *out);

/* A host of prefix P that is not an address of gateway G1 or G2 (the ends
 * of a tunnel): the first host, else the next ones; the first host when the
 * prefix has no other. */
struct ip_addr probe_host_of(const struct ip_prefix *p, const struct ir_gateway *g1,
			     const struct ir_gateway *g2);

/* "SRC -> DST [PROTO [PORT]]" for a packet, addresses as text. */
void probe_send_text(const struct probe_pkt *p, char *buf, size_t size);

/* Adds the engine's answer to finding D as a related note at the statement
 * that decided it (else at FALLBACK):
 *   the engine (tunc run --send 'isa-a -> 10.2.0.1'): dropped at isa-a/IKE: ...
 * and, when NAT translated the packet, "; on the way: rtr-a NAT overload: ...".
 * tests/lint-engine-agree.sh reruns the quoted packet and compares. */
void probe_note(struct diag *d, const struct probe_result *pr, struct tunc_loc fallback);

/* The engine's fate for the first packet end A's side of TV sends into the
 * tunnel (A's first selector pair, hosts that are neither end; a
 * route-based end's any-to-any pair: the first subnets behind each end):
 * probe_from_end fills PR (false: no such packet), probe_note_from_end adds
 * it as a note of D (probe_note). */
struct tview;
bool probe_from_end(struct check_ctx *ctx, const struct tview *tv, int a, struct probe_result *pr);
void probe_note_from_end(struct check_ctx *ctx, struct diag *d, const struct tview *tv, int a);

#endif
