/* How an IKE responder answers, by the platform table's ike_rules
 * (model/ike_answer.h). */
#include "config.h"
#include "model/ike_answer.h"

#include <stdio.h>
#include <string.h>

static bool ports_any(const struct selector *s)
{
	return !s->port_lo && !s->port_hi;
}

bool selector_covers(const struct selector *outer, const struct selector *inner)
{
	if (!prefix_contains(&outer->src, &inner->src) || !prefix_contains(&outer->dst, &inner->dst))
		return false;
	if (outer->proto != PROTO_ANY && outer->proto != inner->proto)
		return false;
	if (ports_any(outer))
		return true;
	return !ports_any(inner) && outer->port_lo <= inner->port_lo &&
	       inner->port_hi <= outer->port_hi;
}

bool selector_intersect(const struct selector *a, const struct selector *b,
			struct selector *out)
{
	if (!prefix_overlaps(&a->src, &b->src) || !prefix_overlaps(&a->dst, &b->dst))
		return false;
	if (a->proto != PROTO_ANY && b->proto != PROTO_ANY && a->proto != b->proto)
		return false;
	/* Overlapping prefixes nest: the longer one is the intersection. */
	out->src = a->src.len >= b->src.len ? a->src : b->src;
	out->dst = a->dst.len >= b->dst.len ? a->dst : b->dst;
	out->proto = a->proto != PROTO_ANY ? a->proto : b->proto;
	bool ap = !ports_any(a), bp = !ports_any(b);
	if (!ap && !bp) {
		out->port_lo = out->port_hi = 0;
	} else if (!ap || !bp) {
		const struct selector *s = ap ? a : b;
		out->port_lo = s->port_lo;
		out->port_hi = s->port_hi;
	} else {
		out->port_lo = a->port_lo > b->port_lo ? a->port_lo : b->port_lo;
		out->port_hi = a->port_hi < b->port_hi ? a->port_hi : b->port_hi;
		if (out->port_lo > out->port_hi)
			return false;
	}
	return true;
}

/* A route-based responder on a subset-accepting platform takes exactly
 * its own pair (an IOS VTI answers only its any-to-any pair). */
static enum ts_accept ts_accept_of(const struct platform_info *responder, unsigned version,
				   bool route_based)
{
	const struct ike_rules *r = platform_ike_rules(responder);
	enum ts_accept how = version < 3 ? r->ts_accept[version] : TS_ACCEPT_EXACT;
	return route_based && how == TS_ACCEPT_SUBSET ? TS_ACCEPT_EXACT : how;
}

enum ts_answer ike_ts_answer(const struct platform_info *responder, unsigned version,
			     bool route_based, const struct selector *own,
			     const struct selector *proposed, struct selector *agreed)
{
	*agreed = *proposed;
	switch (ts_accept_of(responder, version, route_based)) {
	case TS_ACCEPT_EXACT:
		return prefix_equal(&own->src, &proposed->src) &&
		       prefix_equal(&own->dst, &proposed->dst) && own->proto == proposed->proto &&
		       own->port_lo == proposed->port_lo && own->port_hi == proposed->port_hi
		       ? TS_AS_PROPOSED : TS_REFUSED;
	case TS_ACCEPT_SUBSET:
		return selector_covers(own, proposed) ? TS_AS_PROPOSED : TS_REFUSED;
	case TS_ACCEPT_NARROW:
		if (selector_covers(own, proposed))
			return TS_AS_PROPOSED;
		return selector_intersect(own, proposed, agreed) ? TS_NARROWED : TS_REFUSED;
	}
	return TS_REFUSED;
}

const char *ike_ts_accept_text(const struct platform_info *responder, unsigned version,
			       bool route_based)
{
	static const char *const text[] = {
		[TS_ACCEPT_EXACT] = "exactly",
		[TS_ACCEPT_SUBSET] = "as a subset of its own",
		[TS_ACCEPT_NARROW] = "narrowed to its own",
	};
	return text[ts_accept_of(responder, version, route_based)];
}

bool ike_lifetime_accepted(const struct platform_info *responder, unsigned version,
			   uint64_t offered_s, uint64_t own_s)
{
	if (version != 1 || platform_ike_rules(responder)->ike1_lifetime == IKE_LIFETIME_OWN)
		return true;
	return offered_s <= own_s;
}

bool ike_mode_accepted(const struct platform_info *responder, enum ike_mode offered,
		       enum ike_mode own)
{
	return offered == own || platform_ike_rules(responder)->answers_either_mode;
}

uint64_t ike_child_rekey_s(const struct platform_info *p, uint64_t lifetime_s)
{
	const struct ike_rules *r = platform_ike_rules(p);
	uint64_t before = lifetime_s / 100 * r->rekey_percent +
			  lifetime_s % 100 * r->rekey_percent / 100 + r->rekey_before_s;
	return before < lifetime_s ? lifetime_s - before : 0;
}

uint64_t ike_first_rekey_s(const struct platform_info *p0, uint64_t l0,
			   const struct platform_info *p1, uint64_t l1)
{
	uint64_t r0 = ike_child_rekey_s(p0, l0), r1 = ike_child_rekey_s(p1, l1);
	return r0 < r1 ? r0 : r1;
}

void ike_failure_text(const struct platform_info *initiator, unsigned version,
		      enum ike_failure f, const char *peer, char *buf, size_t size)
{
	const struct ike_rules *r = platform_ike_rules(initiator);
	const char *words = version < 3 && f < IKE_FAIL__COUNT ? r->failure[version][f] : NULL;
	if (!words && f == IKE_FAIL_MODE && version < 3)
		words = r->failure[version][IKE_FAIL_PHASE1];
	if (!words)
		words = initiator && initiator->negotiating_message ? initiator->negotiating_message
								    : "IKE negotiation did not complete";
	/* "PEER" stands for the responder's address. */
	const char *at = strstr(words, "PEER");
	if (at)
		snprintf(buf, size, "%.*s%s%s", (int)(at - words), words, peer, at + 4);
	else
		snprintf(buf, size, "%s", words);
}
