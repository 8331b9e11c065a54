/* The IKE negotiation, simulated: the exchange is not put on the wire, but
 * every decision a real responder makes is taken from the two ends'
 * configurations: can the initiator reach the responder (routes, filters,
 * NAT), does the responder know the initiator's address, is there a
 * common phase 1 proposal, are the pre-shared keys equal, does the
 * responder have a policy for the proposed selectors (exactly, as a subset
 * or narrowed, by the responder's platform: model/ike_answer.h), a common
 * phase 2 proposal and the same PFS group.  Which suite is chosen, whose
 * lifetime counts and what the initiator shows on a failure are the
 * platform table's ike_rules (doc/engine.md, "IKE: whose rules").  Success
 * installs a pair of SAs whose SPIs and keys come from the engine's seeded
 * generator.  A tunnel keyed by hand
 * negotiates nothing: manual.c installs its static SAs instead. */
#include "config.h"
#include "model/filters.h"
#include "engine/engine_internal.h"
#include "ir/psk.h"
#include "model/ike_answer.h"

#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

/* ---- SA lookup ---- */

static struct selector side_selector(const struct sa_bundle *b, int side)
{
	struct selector s = b->sel;
	if (side == 1) {
		s.src = b->sel.dst;
		s.dst = b->sel.src;
	}
	return s;
}

static uint64_t out_key(const struct model_gateway *mg, const struct ir_tunnel *t)
{
	return u64map_mix(u64map_mix(0, (uintptr_t)mg), (uintptr_t)t);
}

static uint64_t in_key(const struct model_gateway *mg, enum ipsec_protocol proto, uint32_t spi)
{
	return u64map_mix(u64map_mix(u64map_mix(1, (uintptr_t)mg), proto), spi);
}

/* Does side S of B carry MG's outbound packet PI on tunnel T? */
static bool out_fits(const struct sa_bundle *b, int s, const struct model_gateway *mg,
		     const struct ir_tunnel *t, const struct pkt_info *pi)
{
	if (b->side[s] != mg || b->tunnel != t || !b->ready[s])
		return false;
	/* A manually keyed pair serves every policy of its tunnel. */
	struct selector sel = side_selector(b, s);
	return b->manual || selector_matches(&sel, &pi->src, &pi->dst, pi->proto, pi->dport);
}

/* Values in the indexes are bundle index * 2 + side; the smallest one that
 * fits is what a scan of e->bundles, side 0 before side 1, would find. */
struct sa_bundle *sa_find_out(struct engine *e, struct model_gateway *mg, const struct model_tunnel *mt,
			      const struct pkt_info *pi, int *side)
{
	struct u64map_iter it;
	size_t v, best = SIZE_MAX;
	for (bool more = u64map_first(&e->sa_out_ix, out_key(mg, mt->ir), &it, &v); more;
	     more = u64map_next(&it, &v))
		if (v < best && out_fits(e->bundles.v[v / 2], (int)(v % 2), mg, mt->ir, pi))
			best = v;
	if (best == SIZE_MAX)
		return NULL;
	*side = (int)(best % 2);
	return e->bundles.v[best / 2];
}

struct sa_bundle *sa_find_in(struct engine *e, const struct model_gateway *mg, unsigned proto,
			     uint32_t spi, int *side)
{
	enum ipsec_protocol want = proto == IPPROTO_AH_ ? IPSEC_AH : IPSEC_ESP;
	struct u64map_iter it;
	size_t v, best = SIZE_MAX;
	for (bool more = u64map_first(&e->sa_in_ix, in_key(mg, want, spi), &it, &v); more;
	     more = u64map_next(&it, &v)) {
		const struct sa_bundle *b = e->bundles.v[v / 2];
		int s = (int)(v % 2);
		if (v < best && b->side[s] == mg && b->ready[1 - s] && b->in[s].cfg.spi == spi &&
		    b->in[s].cfg.protocol == want)
			best = v;
	}
	if (best == SIZE_MAX)
		return NULL;
	*side = (int)(best % 2);
	return e->bundles.v[best / 2];
}

void sa_bundle_add(struct engine *e, struct sa_bundle *b)
{
	size_t i = e->bundles.n;
	arena_vec_push(&e->arena, &e->bundles, b);
	for (int s = 0; s < 2; s++) {
		u64map_add(&e->sa_out_ix, out_key(b->side[s], b->tunnel), 2 * i + (size_t)s);
		u64map_add(&e->sa_in_ix, in_key(b->side[s], b->in[s].cfg.protocol, b->in[s].cfg.spi),
			   2 * i + (size_t)s);
		u64map_add(&e->spi_ix, b->out[s].cfg.spi, i);
	}
}

void sa_free_all(struct engine *e)
{
	for (size_t i = 0; i < e->bundles.n; i++) {
		struct sa_bundle *b = e->bundles.v[i];
		for (int s = 0; s < 2; s++) {
			if (b->ready[s]) {
				ipsec_sa_free(&b->out[s]);
				ipsec_sa_free(&b->in[1 - s]);
			}
		}
	}
	e->bundles.n = 0;
	u64map_clear(&e->sa_out_ix);
	u64map_clear(&e->sa_in_ix);
	u64map_clear(&e->spi_ix);
}

/* ---- reachability of the IKE exchange ---- */

/* Does filter F of gateway MG drop the gateway's own IKE packet PI? */
static bool filter_blocks(const struct model_gateway *mg, const struct ir_filter *f,
			  const struct pkt_info *pi, struct tunc_loc *loc)
{
	if (!f || !filter_sees(mg->platform, true))
		return false;
	struct match_pkt mp = pkt_match_view(pi);
	struct filter_verdict v = filter_match(mg->platform, f, &mp);
	if (v.action == FILTER_PERMIT)
		return false;
	*loc = v.rule ? v.rule->loc : (f->default_loc.file ? f->default_loc : f->loc);
	return true;
}

/* Can FROM send UDP PORT from SRC to DST and reach TO?  SEEN gets the source
 * address TO sees (after a NAT device). */
static bool udp_path(struct engine *e, struct model_gateway *from, struct model_gateway *to,
		     const struct ip_addr *src, const struct ip_addr *dst, uint16_t port,
		     struct ip_addr *seen, char *why, size_t why_size, struct tunc_loc *loc)
{
	char d[ADDR_STRLEN];
	addr_format(dst, d, sizeof(d));
	struct pkt_info pi;
	memset(&pi, 0, sizeof(pi));
	pi.family = dst->family;
	pi.src = *src;
	pi.dst = *dst;
	pi.proto = IPPROTO_UDP_;
	pi.has_ports = true;
	pi.sport = pi.dport = port;
	*seen = *src;

	const struct ir_interface *egress = NULL;
	struct ip_addr next_hop;
	memset(&next_hop, 0, sizeof(next_hop));
	struct model_route scratch;
	const struct model_route *r = NULL;
	if (from->ir->kind == GW_GATEWAY) {
		r = model_route_lookup(from, dst, &scratch);
		if (!r) {
			snprintf(why, why_size, "%s has no route to %s", from->ir->name, d);
			return false;
		}
		egress = r->iface;
		next_hop = r->via;
		if (egress && filter_blocks(from, ir_iface_written(egress)->filter_out, &pi, loc)) {
			snprintf(why, why_size, "filter out on %s's %s drops UDP %u to %s",
				 from->ir->name, egress->name, port, d);
			return false;
		}
	}
	struct next_target t;
	next_target(e, from, egress, &next_hop, &pi, &t);
	if (t.kind != NEXT_NODE || t.node != to) {
		if (t.kind == NEXT_NODE)
			snprintf(why, why_size, "%s reaches %s instead of %s", d, t.node->ir->name,
				 to->ir->name);
		else
			snprintf(why, why_size, "no answer from %s: %.200s", d, t.reason);
		if (r)
			*loc = r->loc;
		return false;
	}
	if (egress && ir_iface_written(egress)->behind_nat &&
	    ir_iface_written(egress)->nat_address.family &&
	    egress->has_address && addr_equal(src, &egress->address.addr))
		*seen = ir_iface_written(egress)->nat_address;
	/* A port-translating NAT on either side: the sender's opens a mapping,
	 * the receiver's lets in only what answers one. */
	struct tunc_loc pat_loc;
	const struct ip_addr *pat = pat_of_sender(from, egress, src, &pat_loc);
	struct pkt_info seen_pi = pi;
	seen_pi.src = *seen;
	if (pat)
		pat_open(e, from, pat, pat_loc, &seen_pi, "IKE");
	pat = pat_of_receiver(to, t.iface, t.via_nat, &pat_loc);
	if (pat && !pat_admits(e, pat, &seen_pi)) {
		pat_refused(to, pat, why, why_size);
		*loc = pat_loc;
		return false;
	}
	if (t.iface && filter_blocks(to, ir_iface_written(t.iface)->filter_in, &pi, loc)) {
		snprintf(why, why_size, "filter in on %s's %s drops UDP %u from %s", to->ir->name,
			 t.iface->name, port, addr_text(e, src));
		return false;
	}
	return true;
}

/* The source address of a gateway's IKE and ESP packets to DST.  Where the
 * tunnel is not an interface (Windows), the stack picks the address of the
 * interface the route to DST leaves by, whatever the tunnel rule says (KB
 * 252735: "The source IP of the tunneled packet is the source IP on the
 * outbound interface"); elsewhere the SA's local endpoint. */
struct ip_addr ike_source(const struct model_gateway *mg, const struct model_tunnel *mt,
			  const struct ip_addr *dst)
{
	if (mg->ir->kind == GW_GATEWAY && mg->platform->route_before_ipsec) {
		struct model_route scratch;
		const struct model_route *r = model_route_lookup(mg, dst, &scratch);
		if (r && r->iface && r->iface->has_address &&
		    r->iface->address.addr.family == dst->family)
			return r->iface->address.addr;
	}
	return *model_tunnel_local_ep(mt);
}

/* ---- proposals ---- */

static bool has_enc(const ir_enc_vec *v, enum encryption x)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == x)
			return true;
	return false;
}

static bool has_integ(const ir_integ_vec *v, enum integrity x)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == x)
			return true;
	return false;
}

static bool has_group(const ir_group_vec *v, unsigned x)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i] == x)
			return true;
	return false;
}

static void list_ike(const struct ir_ike *k, char *buf, size_t size)
{
	size_t n = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < k->encryption.n && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : "",
				      encryption_name(k->encryption.v[i]));
	for (size_t i = 0; i < k->integrity.n && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : " ",
				      integrity_name(k->integrity.v[i]));
	for (size_t i = 0; i < k->group.n && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%u", i ? "," : " group ", k->group.v[i]);
}

static void list_ipsec(const struct ir_ipsec *k, char *buf, size_t size)
{
	size_t n = (size_t)snprintf(buf, size, "%s", k->protocol == IPSEC_AH ? "ah" : "esp");
	for (size_t i = 0; i < k->encryption.n && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : " ",
				      encryption_name(k->encryption.v[i]));
	for (size_t i = 0; i < k->integrity.n && n < size; i++)
		n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? "," : " ",
				      integrity_name(k->integrity.v[i]));
	if (n < size)
		snprintf(buf + n, size - n, " pfs %s", k->pfs ? "" : "none");
	if (k->pfs && n < size) {
		size_t m = strlen(buf);
		snprintf(buf + m, size - m, "%u", k->pfs);
	}
}

struct phase1 {
	enum encryption enc;
	enum integrity integ;
	unsigned group;
};

static bool phase1_match(const struct ir_ike *a, const struct platform_info *pa,
			 const struct ir_ike *b, const struct platform_info *pb, struct phase1 *out)
{
	for (size_t i = 0; i < a->encryption.n; i++) {
		enum encryption enc = a->encryption.v[i];
		if (!platform_has_enc_ike(pa, enc) || !platform_has_enc_ike(pb, enc) ||
		    !has_enc(&b->encryption, enc))
			continue;
		for (size_t j = 0; j < a->integrity.n; j++) {
			enum integrity in = a->integrity.v[j];
			if (!(pa->ike_integrity & BIT(in)) || !(pb->ike_integrity & BIT(in)) ||
			    !has_integ(&b->integrity, in))
				continue;
			for (size_t k = 0; k < a->group.n; k++) {
				unsigned g = a->group.v[k];
				if (platform_has_group(pa, g) && platform_has_group(pb, g) &&
				    has_group(&b->group, g)) {
					*out = (struct phase1){enc, in, g};
					return true;
				}
			}
		}
	}
	return false;
}

struct phase2 {
	enum ipsec_protocol protocol;
	enum encryption enc;
	enum integrity integ;
};

static bool phase2_match(const struct ir_ipsec *a, const struct platform_info *pa,
			 const struct ir_ipsec *b, const struct platform_info *pb, struct phase2 *out)
{
	if (a->protocol != b->protocol)
		return false;
	if (a->protocol == IPSEC_AH) {
		if (!pa->ah || !pb->ah)
			return false;
		for (size_t j = 0; j < a->integrity.n; j++) {
			enum integrity in = a->integrity.v[j];
			if (in != INTEG_NONE && (pa->esp_integrity & BIT(in)) &&
			    (pb->esp_integrity & BIT(in)) && has_integ(&b->integrity, in)) {
				*out = (struct phase2){IPSEC_AH, ENC_NULL, in};
				return true;
			}
		}
		return false;
	}
	for (size_t i = 0; i < a->encryption.n; i++) {
		enum encryption enc = a->encryption.v[i];
		if (!platform_has_enc_esp(pa, enc) || !platform_has_enc_esp(pb, enc) ||
		    !has_enc(&b->encryption, enc))
			continue;
		if (encryption_is_aead(enc)) {
			*out = (struct phase2){IPSEC_ESP, enc, INTEG_NONE};
			return true;
		}
		for (size_t j = 0; j < a->integrity.n; j++) {
			enum integrity in = a->integrity.v[j];
			if (in == INTEG_NONE && enc == ENC_NULL)
				continue;       /* ESP with neither is not allowed (RFC 4303 3.2) */
			if ((pa->esp_integrity & BIT(in)) && (pb->esp_integrity & BIT(in)) &&
			    has_integ(&b->integrity, in)) {
				*out = (struct phase2){IPSEC_ESP, enc, in};
				return true;
			}
		}
	}
	return false;
}

/* ---- selectors ---- */

static struct tunc_loc end_selector_loc(const struct model_tunnel *mt)
{
	if (mt->here->remote_set)
		return ir_end_written(mt->here)->remote_loc;
	if (mt->here->local_set)
		return ir_end_written(mt->here)->local_loc;
	return mt->ir->loc;
}

/* ---- keys and SAs ---- */

static void iv_fn(void *ctx, uint8_t *iv, size_t len)
{
	struct engine *e = ctx;
	drbg_bytes(&e->ivs, iv, len);
}

static bool spi_taken(const struct engine *e, uint32_t spi)
{
	struct u64map_iter it;
	size_t i;
	for (bool more = u64map_first(&e->spi_ix, spi, &it, &i); more; more = u64map_next(&it, &i))
		for (int s = 0; s < 2; s++)
			if (e->bundles.v[i]->out[s].cfg.spi == spi)
				return true;
	return false;
}

static uint32_t new_spi(struct engine *e, uint32_t other)
{
	for (;;) {
		uint32_t spi = drbg_u32(&e->keys);
		if (spi >= 0x100 && spi != other && !spi_taken(e, spi))
			return spi;
	}
}

/* Installs one direction: side S's outbound SA and its copy at the other side. */
static bool install(struct engine *e, struct sa_bundle *b, int s, const struct phase2 *p2,
		    uint32_t spi, char *why, size_t why_size)
{
	uint8_t ek[IPSEC_MAX_KEY], ak[IPSEC_MAX_KEY];
	size_t el = p2->protocol == IPSEC_AH ? 0 : ipsec_enc_key_len(p2->enc);
	size_t al = ipsec_auth_key_len(p2->integ);
	if (el > sizeof(ek) || al > sizeof(ak)) {
		snprintf(why, why_size, "key too long");
		return false;
	}
	drbg_bytes(&e->keys, ek, el);
	drbg_bytes(&e->keys, ak, al);
	struct ipsec_sa_config c;
	memset(&c, 0, sizeof(c));
	c.dir = IPSEC_SA_OUT;
	c.protocol = p2->protocol;
	c.spi = spi;
	c.src = *model_tunnel_local_ep(b->mt[s]);
	c.dst = *model_tunnel_remote_ep(b->mt[s]);
	c.enc = p2->enc;
	c.integ = p2->integ;
	c.enc_key = ek;
	c.enc_key_len = el;
	c.auth_key = ak;
	c.auth_key_len = al;
	c.udp_encap = b->udp_encap;
	c.sport = c.dport = b->udp_encap ? IPSEC_NATT_PORT : 0;
	c.ttl = 64;
	c.iv_fn = iv_fn;
	c.iv_ctx = e;
	char err[200] = "";
	bool ok = ipsec_sa_init(&b->out[s], &c, err, sizeof(err));
	if (ok) {
		c.dir = IPSEC_SA_IN;
		c.src = b->seen_src[s];
		ok = ipsec_sa_init(&b->in[1 - s], &c, err, sizeof(err));
		if (!ok)
			ipsec_sa_free(&b->out[s]);
	}
	OPENSSL_cleanse(ek, sizeof(ek));
	OPENSSL_cleanse(ak, sizeof(ak));
	if (!ok) {
		snprintf(why, why_size, "SA setup failed: %s", err);
		return false;
	}
	b->ready[s] = true;
	return true;
}

/* ---- the negotiation ---- */

/* One negotiation, filled in phase by phase: side 0 is the gateway whose
 * packet starts it (the initiator), side 1 the other end (the responder). */
struct negotiation {
	struct engine *e;
	struct pass *ps;
	const struct spd_entry *se;             /* the initiator's PROTECT entry (NULL:
						 * route-based, ps->route_sel) */
	struct selector prop;                   /* what the initiator proposes */
	struct model_gateway *g0, *g1;
	struct model_tunnel *mt0, *mt1;         /* mt1: the responder's tunnel, once TS agree */
	const struct platform_info *p0, *p1;
	const char *n0, *n1;
	char rep[ADDR_STRLEN];                  /* the responder's address, as text */
	struct ip_addr seen0, seen1;            /* the sources each side sees */
	bool v1;                                /* IKEv1 */
	unsigned version;                       /* the initiator's IKE version */
	const char *p1_name, *p2_name;          /* the phases as the version names them */
	bool child_in_auth;                     /* IKEv2: the first CHILD_SA, inside IKE_AUTH */
	struct phase1 ph1;
	const struct spd_entry *re;             /* the responder's entry for the proposal */
	struct tunc_loc re_loc;                 /* its statement (or the route-based pair's) */
	struct selector agreed;                 /* the selectors of the SA pair */
	struct phase2 ph2;
	char pfs_note[400];                     /* IKEv2: PFS differs, up until the first rekey */
	bool narrowed_outside;                  /* the responder narrowed, and the packet is
						 * outside the part it accepted */
	enum ike_failure fail_kind;             /* IKE_FAIL__COUNT: not a negotiation failure */
	char *why;                              /* a failure: what and where */
	size_t why_size;
	struct tunc_loc *why_loc;
};

#define FAIL(loc_, ...) FAIL_AS(IKE_FAIL__COUNT, loc_, __VA_ARGS__)
/* A failure the platforms name in their own words (enum ike_failure). */
#define FAIL_AS(kind_, loc_, ...)                                              \
	do {                                                                   \
		ng->fail_kind = (kind_);                                       \
		snprintf(ng->why, ng->why_size, __VA_ARGS__);                  \
		*ng->why_loc = (loc_);                                         \
		return false;                                                  \
	} while (0)

static bool ike_sa_up(const struct negotiation *ng);

/* Both ends are there to negotiate: the other end is modelled, both have
 * endpoints, and both run IKE. */
static bool ike_ends(struct negotiation *ng)
{
	struct model_tunnel *mt0 = ng->mt0;
	const char *tun = mt0->ir->name;
	/* The model links the two ends (a gateway to itself is its own other
	 * end): no search of the peer's tunnels. */
	ng->mt1 = mt0->peer_tunnel ? mt0->peer_tunnel
				   : model_tunnel_peer(mt0) == model_tunnel_self(mt0) ? mt0 : NULL;
	if (!ng->g1 || !ng->mt1)
		FAIL(mt0->ir->loc, "the other end of %s is not modelled", tun);
	ng->n1 = ng->g1->ir->name;
	ng->p1 = ng->g1->platform;
	addr_format(model_tunnel_remote_ep(mt0), ng->rep, sizeof(ng->rep));
	if (!model_tunnel_local_ep(mt0)->family || !model_tunnel_remote_ep(mt0)->family)
		FAIL(mt0->ir->loc, "%s has no tunnel endpoint for %s", ng->n0, tun);

	/* An end asked for static SAs runs no IKE for this tunnel (a pair keyed
	 * by hand on both ends never gets here): the other end's IKE gets no
	 * answer, or its static SAs meet an IKE initiator. */
	struct model_tunnel *mt1 = ng->mt1;
	if (model_end_manual(mt0->here) || model_end_manual(mt1->here)) {
		const struct model_tunnel *manual = model_end_manual(mt0->here) ? mt0 : mt1;
		const struct model_tunnel *other = manual == mt0 ? mt1 : mt0;
		const struct ir_gateway *og = model_tunnel_self(other);
		bool can = og->pinfo && og->pinfo->manual_keying_capable;
		FAIL(manual->here->keying_loc.file ? manual->here->keying_loc : mt0->ir->loc,
		     "%s is keyed by hand and runs no IKE for %s, and %s (%s) %s: the tunnel "
		     "never comes up", model_tunnel_self(manual)->name, tun, og->name,
		     og->pinfo ? og->pinfo->description : "?",
		     can ? "negotiates its SAs with IKE" : "cannot be keyed by hand");
	}
	return true;
}

/* A cloud peer that waits for the other end (its rules' responder_only:
 * AWS with its default startup action) never starts IKE: its side's traffic
 * waits until the other end's starts the tunnel. */
static bool ike_initiator_starts(struct negotiation *ng)
{
	const struct platform_peer_rules *r = ng->p0 ? ng->p0->rules : NULL;
	if (!r || !r->responder_only)
		return true;
	const struct ir_gateway *g = ng->g0->ir;
	FAIL(g->platform_loc.file ? g->platform_loc : g->loc, "%s (%s) does not start IKE: it "
	     "waits for %s to start tunnel %s", ng->n0, ng->p0->description, ng->n1,
	     ng->mt0->ir->name);
}

/* A provider that takes one SA pair per tunnel (one_sa_pair) refuses a
 * second CHILD_SA of other selectors while the first is up: the SA pair per
 * selector pair of a policy-based end (a crypto map's ACL lines) gets no
 * further than the first (doc/cloud-peers.md: refused, not replacing). */
static bool ike_one_sa_pair(struct negotiation *ng)
{
	const struct model_gateway *cloud = NULL;
	const struct model_tunnel *other = NULL;
	const struct platform_info *other_p = NULL;
	for (int s = 0; s < 2; s++) {
		const struct platform_info *p = s ? ng->p1 : ng->p0;
		if (p && p->rules && p->rules->one_sa_pair) {
			cloud = s ? ng->g1 : ng->g0;
			other = s ? ng->mt0 : ng->mt1;
			other_p = s ? ng->p0 : ng->p1;
		}
	}
	/* The other end's SA pairs: one per selector pair, or one for all. */
	if (!cloud || !other || !other_p || !ike_sa_per_selector_pair(other_p, other))
		return true;
	const struct ir_tunnel *t = ng->mt0->ir;
	for (size_t i = 0; i < ng->e->bundles.n; i++) {
		const struct sa_bundle *b = ng->e->bundles.v[i];
		if (b->tunnel != t || b->manual)
			continue;
		int s = b->side[0] == ng->g0 ? 0 : 1;
		struct selector have = side_selector(b, s);
		if (selector_covers(&have, &ng->agreed))
			continue;       /* the SA pair that is up carries it */
		char htext[200], ntext[200];
		selector_format(&have, htext, sizeof(htext));
		selector_format(&ng->agreed, ntext, sizeof(ntext));
		FAIL_AS(IKE_FAIL_TS, cloud->ir->platform_loc.file ? cloud->ir->platform_loc
								   : cloud->ir->loc,
			"%s: %s (%s) takes one SA pair per tunnel and %s already has one for %s: the "
			"second, for %s, is refused (%s)", ng->p2_name, cloud->ir->name,
			cloud->platform->description, t->name, htext, ntext,
			ng->v1 ? "INVALID_ID_INFORMATION" : "TS_UNACCEPTABLE");
	}
	return true;
}

/* The exchange itself must get through: UDP 500 (and 4500 with NAT-T). */
static bool ike_exchange_reaches(struct negotiation *ng)
{
	struct model_tunnel *mt0 = ng->mt0, *mt1 = ng->mt1;
	struct tunc_loc loc = mt0->ir->loc;
	char path_why[300];
	struct ip_addr src0 = ike_source(ng->g0, mt0, model_tunnel_remote_ep(mt0));
	if (!udp_path(ng->e, ng->g0, ng->g1, &src0, model_tunnel_remote_ep(mt0), 500, &ng->seen0,
		      path_why, sizeof(path_why), &loc))
		FAIL(loc, "no response to IKE from %s: %s", ng->rep, path_why);
	/* The responder knows its peer by address: the one it sees must be the
	 * one it has configured. */
	if (!addr_equal(&ng->seen0, model_tunnel_remote_ep(mt1)))
		FAIL(ir_end_written(mt1->here)->remote_endpoint_set ? ir_end_written(mt1->here)->remote_endpoint_loc : mt1->ir->loc,
		     "%s sees IKE from %s but has %s configured as %s's address", ng->n1,
		     addr_text(ng->e, &ng->seen0), addr_text(ng->e, model_tunnel_remote_ep(mt1)),
		     ng->n0);
	struct ip_addr src1 = ike_source(ng->g1, mt1, &ng->seen0);
	if (!udp_path(ng->e, ng->g1, ng->g0, &src1, &ng->seen0, 500, &ng->seen1, path_why,
		      sizeof(path_why), &loc))
		FAIL(loc, "%s's answers do not come back: %s", ng->n1, path_why);
	return true;
}

/* Phase 1 (IKEv1 main or aggressive mode; IKEv2 IKE_SA_INIT and IKE_AUTH):
 * the same version and mode, a common proposal, equal pre-shared keys. */
static bool ike_phase1(struct negotiation *ng)
{
	const char *n0 = ng->n0, *n1 = ng->n1;
	const struct platform_info *p0 = ng->p0, *p1 = ng->p1;
	struct model_tunnel *mt0 = ng->mt0, *mt1 = ng->mt1;
	const struct ir_ike *k0 = model_tunnel_ike(mt0), *k1 = model_tunnel_ike(mt1);
	if (!k0 || !k1)
		FAIL(mt0->ir->loc, "%s has no IKE proposal", k0 ? n1 : n0);
	ng->version = k0->version;
	if (!(p0->ike_versions & BIT(k0->version)))
		FAIL(k0->version_loc.file ? k0->version_loc : k0->loc, "%s (%s) does not speak IKEv%u",
		     n0, p0->description, k0->version);
	if (k0->version != k1->version)
		FAIL_AS(IKE_FAIL_PHASE1, k1->version_loc.file ? k1->version_loc : k1->loc,
		     "%s starts IKEv%u but %s is configured for IKEv%u", n0, k0->version, n1,
		     k1->version);
	if (!(p1->ike_versions & BIT(k1->version)))
		FAIL(k1->loc, "%s (%s) does not speak IKEv%u", n1, p1->description, k1->version);
	bool v1 = ng->v1 = k0->version == 1;
	ng->p1_name = v1 ? (k0->mode == IKE_MODE_AGGRESSIVE ? "aggressive mode" : "main mode")
			 : "IKE_SA_INIT";
	/* IKEv2's first CHILD_SA is created inside IKE_AUTH; later ones, of an
	 * IKE SA already up, by CREATE_CHILD_SA. */
	ng->child_in_auth = !v1 && !ike_sa_up(ng);
	ng->p2_name = v1 ? "quick mode" : ng->child_in_auth ? "IKE_AUTH" : "CREATE_CHILD_SA";
	if (v1 && !ike_mode_accepted(p1, k0->mode, k1->mode))
		FAIL_AS(IKE_FAIL_MODE, k1->mode_loc.file ? k1->mode_loc : k1->loc,
		     "%s uses %s mode, %s expects %s mode", n0,
		     k0->mode == IKE_MODE_MAIN ? "main" : "aggressive", n1,
		     k1->mode == IKE_MODE_MAIN ? "main" : "aggressive");
	if (v1 && k0->mode == IKE_MODE_AGGRESSIVE && (!p0->aggressive_mode || !p1->aggressive_mode))
		FAIL_AS(IKE_FAIL_PHASE1, k0->mode_loc, "aggressive mode is not available on %s",
		     !p0->aggressive_mode ? p0->description : p1->description);
	/* The responder walks its own offers (IOS: its isakmp policies by
	 * priority; charon: its proposals) or the initiator's, as its platform
	 * does; the match is the same either way, only the suite differs. */
	bool own = platform_ike_rules(p1)->responder_order;
	if (!(own ? phase1_match(k1, p1, k0, p0, &ng->ph1) : phase1_match(k0, p0, k1, p1, &ng->ph1))) {
		char a[200], b[200];
		list_ike(k0, a, sizeof(a));
		list_ike(k1, b, sizeof(b));
		FAIL_AS(IKE_FAIL_PHASE1, k1->loc, "%s: no proposal chosen: %s offers %s, %s accepts %s",
			ng->p1_name, n0, a, n1, b);
	}
	if (!ike_lifetime_accepted(p1, k0->version, k0->lifetime_s, k1->lifetime_s))
		FAIL_AS(IKE_FAIL_PHASE1, k1->lifetime_loc.file ? k1->lifetime_loc : k1->loc,
			"%s: no proposal chosen: %s (%s) matches a phase 1 policy only if the "
			"initiator's lifetime is no longer than its own: %s offers %llu s, %s has "
			"%llu s", ng->p1_name, n1, p1->description, n0,
			(unsigned long long)k0->lifetime_s, n1, (unsigned long long)k1->lifetime_s);

	/* Pre-shared keys: compared, never printed. */
	struct secret key0, key1;
	char perr[300];
	if (!psk_load(ng->e->ir->sources, model_tunnel_psk(mt0), &key0, perr, sizeof(perr)))
		FAIL(model_tunnel_psk(mt0)->loc, "%s's pre-shared key: %s", n0, perr);
	if (!psk_load(ng->e->ir->sources, model_tunnel_psk(mt1), &key1, perr, sizeof(perr))) {
		secret_free(&key0);
		FAIL(model_tunnel_psk(mt1)->loc, "%s's pre-shared key: %s", n1, perr);
	}
	bool same = secret_equal(&key0, &key1);
	secret_free(&key0);
	secret_free(&key1);
	if (!same)
		FAIL_AS(IKE_FAIL_AUTH, model_tunnel_psk(mt1)->loc,
			"%s: authentication failed: the pre-shared keys of %s and %s differ",
		     v1 ? "main mode message 5" : "IKE_AUTH", n0, n1);
	return true;
}

/* Is there already an IKE SA between the two ends for tunnel T (a CHILD_SA
 * of it is up)?  Then another CHILD_SA is a CREATE_CHILD_SA of its own. */
static bool ike_sa_up(const struct negotiation *ng)
{
	struct u64map_iter it;
	size_t v;
	for (bool more = u64map_first(&ng->e->sa_out_ix, out_key(ng->g0, ng->mt0->ir), &it, &v);
	     more; more = u64map_next(&it, &v)) {
		const struct sa_bundle *b = ng->e->bundles.v[v / 2];
		if (b->tunnel == ng->mt0->ir && !b->manual)
			return true;
	}
	return false;
}

/* Proxy IDs (IKEv1) or traffic selectors (IKEv2): the responder must have
 * a policy that accepts the proposed selectors, exactly, as a subset or
 * narrowed, as its platform does (ike_ts_answer).  The first of its
 * policies toward the initiator, in SPD order, that accepts the packet's
 * part wins; where every acceptable policy narrows the packet away, the
 * CHILD_SA still comes up for the narrowed part (RFC 7296 §2.9:
 * TS_UNACCEPTABLE only when no part is acceptable) and this packet is not
 * protected.  The responder's tunnel is the one its policy belongs to. */
static bool ike_traffic_selectors(struct negotiation *ng)
{
	const struct pkt_info *pi = &ng->ps->p->pi;
	struct selector prop = ng->prop;
	char ptext[200];
	selector_format(&prop, ptext, sizeof(ptext));
	const struct spd_entry *re = NULL, *outside = NULL;
	struct selector agreed = prop, outside_sel = prop;
	policy_ix_need(ng->e);
	struct u64map_iter it;
	size_t i, best = SIZE_MAX, best_outside = SIZE_MAX;
	for (bool more = u64map_first(&ng->e->policy_peer_ix, policy_peer_key(ng->g1, ng->g0->ir),
				      &it, &i);
	     more; more = u64map_next(&it, &i)) {
		if (i >= best || i >= model_spd_count(ng->g1, SPD_IN))
			continue;
		const struct spd_entry *c = model_spd_entry(ng->g1, SPD_IN, i);
		if (c->action != SPD_PROTECT || !c->tunnel || model_tunnel_peer(c->tunnel) != ng->g0->ir)
			continue;
		struct selector nar;
		const struct selector csel = spd_entry_sel(c);
		enum ts_answer a = ike_ts_answer(ng->p1, ng->version, c->tunnel->route_based, &csel,
						  &prop, &nar);
		if (a == TS_REFUSED)
			continue;
		if (selector_matches(&nar, &pi->src, &pi->dst, pi->proto, pi->dport)) {
			re = c;
			best = i;
			agreed = nar;
		} else if (i < best_outside) {
			outside = c;
			best_outside = i;
			outside_sel = nar;
		}
	}
	/* A route-based responder has no SPD entries: its tunnel's selector
	 * pairs (any to any unless its block says otherwise), seen inbound,
	 * are its policy, answered by the same rules. */
	const struct model_tunnel *rb = ng->mt0->peer_tunnel;
	struct tunc_loc rb_loc = LOC_NONE, rb_outside_loc = LOC_NONE;
	bool rb_ok = false, rb_outside = false;
	if (!re && rb && rb->route_based) {
		struct selector_pairs pairs = model_tunnel_selectors(rb, pi->family);
		for (size_t k = 0; k < pairs.n && !rb_ok; k++) {
			struct selector in = pairs.v[k].sel, nar;
			in.src = pairs.v[k].sel.dst;
			in.dst = pairs.v[k].sel.src;
			if (ike_ts_answer(ng->p1, ng->version, true, &in, &prop, &nar) == TS_REFUSED)
				continue;
			if (selector_matches(&nar, &pi->src, &pi->dst, pi->proto, pi->dport)) {
				rb_ok = true;
				rb_loc = model_tunnel_selectors_loc(rb);
				agreed = nar;
			} else if (!rb_outside && !outside) {
				rb_outside = true;
				rb_outside_loc = model_tunnel_selectors_loc(rb);
				outside_sel = nar;
			}
		}
	}
	if (!rb_ok && rb_outside) {
		rb_ok = true;
		rb_loc = rb_outside_loc;
		agreed = outside_sel;
		ng->narrowed_outside = true;
	}
	if (rb_ok) {
		ng->re = NULL;
		ng->re_loc = rb_loc;
		ng->agreed = agreed;
		ng->mt1 = (struct model_tunnel *)rb;
		return true;
	}
	if (!re && outside) {
		re = outside;
		agreed = outside_sel;
		ng->narrowed_outside = true;
	}
	if (!re)
		FAIL_AS(IKE_FAIL_TS, end_selector_loc(ng->mt1), "%s: %s has no policy for %s from %s "
			"(%s): it accepts selectors %s", ng->p2_name, ng->n1, ptext, ng->n0,
			ng->v1 ? "no proxy ID match" : "TS_UNACCEPTABLE",
			ike_ts_accept_text(ng->p1, ng->version, rb && rb->route_based));
	ng->re = re;
	ng->re_loc = re->loc;
	ng->agreed = agreed;
	ng->mt1 = re->tunnel;
	return true;
}

/* Phase 2 (IKEv1 quick mode; IKEv2 the CHILD_SA): a common proposal and
 * the same PFS group (IKEv2: a PFS mismatch only bites at the rekey). */
static bool ike_phase2(struct negotiation *ng)
{
	const char *n0 = ng->n0, *n1 = ng->n1, *p2_name = ng->p2_name;
	const struct ir_ipsec *s0 = model_tunnel_ipsec(ng->mt0), *s1 = model_tunnel_ipsec(ng->mt1);
	if (!s0 || !s1)
		FAIL(ng->mt0->ir->loc, "%s has no IPsec proposal", s0 ? n1 : n0);
	bool own = platform_ike_rules(ng->p1)->responder_order;
	if (!(own ? phase2_match(s1, ng->p1, s0, ng->p0, &ng->ph2)
		  : phase2_match(s0, ng->p0, s1, ng->p1, &ng->ph2))) {
		char a[200], b[200];
		list_ipsec(s0, a, sizeof(a));
		list_ipsec(s1, b, sizeof(b));
		FAIL_AS(IKE_FAIL_PHASE2, s1->loc, "%s: no proposal chosen: %s offers %s, %s accepts %s",
			p2_name, n0, a, n1, b);
	}
	char pfs0[24] = "none", pfs1[24] = "none";
	if (s0->pfs)
		snprintf(pfs0, sizeof(pfs0), "group %u", s0->pfs);
	if (s1->pfs)
		snprintf(pfs1, sizeof(pfs1), "group %u", s1->pfs);
	/* IKEv1 quick mode carries the KE of PFS, so a mismatch fails at once;
	 * so does an IKEv2 CHILD_SA created by CREATE_CHILD_SA of an IKE SA
	 * already up.  The first CHILD_SA of IKEv2 rides in IKE_AUTH, which
	 * has no key exchange (RFC 7296 §1.2): it comes up, and the mismatch
	 * bites at its first rekey (CREATE_CHILD_SA with KE), at the rekey
	 * time of whichever end rekeys first (ike_first_rekey_s). */
	if (s0->pfs != s1->pfs && !ng->child_in_auth)
		FAIL_AS(IKE_FAIL_PHASE2, s1->pfs_loc.file ? s1->pfs_loc : s1->loc,
			"%s: PFS differs: %s uses %s, %s %s", p2_name, n0, pfs0, n1, pfs1);
	if (s0->pfs != s1->pfs) {
		uint64_t at = ike_first_rekey_s(ng->p0, s0->lifetime_s, ng->p1, s1->lifetime_s);
		snprintf(ng->pfs_note, sizeof(ng->pfs_note), "; PFS differs (%s %s, %s %s): this "
			 "first CHILD_SA rides in IKE_AUTH without a key exchange and comes up, its "
			 "rekey (CREATE_CHILD_SA with KE) fails with NO_PROPOSAL_CHOSEN at %llu s",
			 n0, pfs0, n1, pfs1, (unsigned long long)at);
	}
	return true;
}

/* Installs the agreed SA pair and traces both phases; NULL (with why)
 * when the SAs cannot be set up. */
static struct sa_bundle *ike_install(struct negotiation *ng)
{
	struct engine *e = ng->e;
	struct model_tunnel *mt0 = ng->mt0, *mt1 = ng->mt1;
	const struct platform_info *p0 = ng->p0, *p1 = ng->p1;
	const struct phase2 *ph2 = &ng->ph2;
	if (ng->narrowed_outside) {
		/* The narrowed pair may be up already (an earlier packet of
		 * this kind): not a second one. */
		struct u64map_iter it;
		size_t v;
		for (bool more = u64map_first(&e->sa_out_ix, out_key(ng->g0, mt0->ir), &it, &v); more;
		     more = u64map_next(&it, &v)) {
			struct sa_bundle *old = e->bundles.v[v / 2];
			if (old->tunnel == mt0->ir && !old->manual &&
			    memcmp(&old->sel, &ng->agreed, sizeof(old->sel)) == 0)
				return old;
		}
	}
	struct sa_bundle *b = arena_alloc(&e->arena, sizeof(*b));
	b->id = (unsigned)e->bundles.n + 1;
	b->tunnel = mt0->ir;
	b->side[0] = ng->g0;
	b->side[1] = ng->g1;
	b->mt[0] = mt0;
	b->mt[1] = mt1;
	b->sel = ng->agreed;
	b->e = e;
	bool behind = mt0->behind_nat_here || mt0->behind_nat_there;
	b->udp_encap = behind && ph2->protocol == IPSEC_ESP && mt0->nat_traversal &&
		       mt1->nat_traversal && p0->nat_traversal && p1->nat_traversal;
	b->seen_src[0] = ng->seen0;
	b->seen_src[1] = ng->seen1;
	uint32_t spi0 = new_spi(e, 0), spi1 = new_spi(e, spi0);
	char err[300];
	if (!install(e, b, 0, ph2, spi0, err, sizeof(err))) {
		snprintf(ng->why, ng->why_size, "%s", err);
		*ng->why_loc = mt0->ir->loc;
		return NULL;
	}
	if (!install(e, b, 1, ph2, spi1, err, sizeof(err))) {
		ipsec_sa_free(&b->out[0]);
		ipsec_sa_free(&b->in[1]);
		snprintf(ng->why, ng->why_size, "%s", err);
		*ng->why_loc = mt0->ir->loc;
		return NULL;
	}
	sa_bundle_add(e, b);

	const char *n0 = ng->n0, *n1 = ng->n1;
	const struct ir_ipsec *s0 = model_tunnel_ipsec(mt0);
	char atext[200], narrowed[300] = "";
	selector_format(&ng->agreed, atext, sizeof(atext));
	if (memcmp(&ng->agreed, &ng->prop, sizeof(ng->agreed)) != 0) {
		char ptext[200];
		selector_format(&ng->prop, ptext, sizeof(ptext));
		snprintf(narrowed, sizeof(narrowed), " (narrowed by %s from %s)", n1, ptext);
	}
	trace_add(e, n0, STAGE_IKE, mt0->ir->loc,
		  "%s with %s (%s): %s %s group %u, pre-shared keys match%s", ng->p1_name, n1, ng->rep,
		  encryption_name(ng->ph1.enc), integrity_name(ng->ph1.integ), ng->ph1.group,
		  b->udp_encap ? ", NAT detected: NAT-T (UDP 4500)" : "");
	if (ph2->protocol == IPSEC_AH)
		trace_add(e, n0, STAGE_IKE, ng->re_loc,
			  "%s %s%s accepted by %s: ah %s%s, spi out 0x%08x in 0x%08x%s", ng->p2_name,
			  atext, narrowed, n1, integrity_name(ph2->integ), s0->pfs ? " pfs" : "",
			  spi0, spi1, ng->pfs_note);
	else
		trace_add(e, n0, STAGE_IKE, ng->re_loc,
			  "%s %s%s accepted by %s: esp %s %s%s, spi out 0x%08x in 0x%08x%s",
			  ng->p2_name, atext, narrowed, n1, encryption_name(ph2->enc),
			  integrity_name(ph2->integ), s0->pfs ? " pfs" : "", spi0, spi1, ng->pfs_note);
	pat_keepalive(e, b);
	return b;
}

struct sa_bundle *ike_negotiate(struct pass *ps, char *why, size_t why_size, struct tunc_loc *why_loc)
{
	struct negotiation ng;
	memset(&ng, 0, sizeof(ng));
	ng.e = ps->e;
	ng.ps = ps;
	ng.se = ps->spd;
	ng.prop = ng.se ? spd_entry_sel(ng.se) : ps->route_sel;
	ng.mt0 = ng.se ? ng.se->tunnel : ps->route_tunnel;
	ng.g0 = ps->mg;
	ng.g1 = ng.mt0->peer_model;
	ng.p0 = ng.g0->platform;
	ng.n0 = ng.g0->ir->name;
	char detail[512];
	ng.why = detail;
	ng.why_size = sizeof(detail);
	ng.why_loc = why_loc;
	ng.fail_kind = IKE_FAIL__COUNT;
	detail[0] = '\0';
	struct sa_bundle *b = NULL;
	if (ike_ends(&ng) && ike_initiator_starts(&ng) && ike_exchange_reaches(&ng) &&
	    ike_phase1(&ng) && ike_traffic_selectors(&ng) && ike_one_sa_pair(&ng) &&
	    ike_phase2(&ng))
		b = ike_install(&ng);
	if (b && ng.narrowed_outside) {
		/* Up for the narrowed part only: this packet stays unprotected. */
		char atext[200];
		selector_format(&b->sel, atext, sizeof(atext));
		snprintf(why, why_size, "%s narrowed the selectors to %s: the SA pair is up for "
			 "that part only, and this packet is outside it", ng.n1, atext);
		*why_loc = ng.re->loc;
		return NULL;
	}
	if (b) {
		ps->bundle_side = 0;
		return b;
	}
	/* In the initiator's own words (the platform table's ike_rules). */
	char words[300];
	ike_failure_text(ng.p0, ng.version ? ng.version : 1, ng.fail_kind, ng.rep[0] ? ng.rep : "?",
			 words, sizeof(words));
	snprintf(why, why_size, "%s (%s)", words, detail);
	return NULL;
}
