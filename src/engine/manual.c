/* Manually keyed tunnels: no IKE runs, each end installs the static SAs its
 * emitter writes (the xfrm script's `ip xfrm state add` lines, a Cisco
 * `crypto map ... ipsec-manual` entry).  The engine installs exactly those:
 * SPIs and keys from src/model/manual_keys.h, as the emitters derive them
 * (HKDF-SHA-256 of the end's own pre-shared key) or take them from the
 * end's key file (SAs given by hand), the first offer of the end's own ipsec
 * proposal, one SA pair for the whole tunnel, no UDP encapsulation (only
 * IKE negotiates it), no PFS, no lifetimes.
 *
 * Nothing is compared: as on the real gateways, the SAs come up blind.
 * SPIs come from the names alone (the model's), so two ends always agree
 * on them; two ends whose keys or first offers differ do not agree on the
 * keys, and what arrives fails at DECAP (bad ICV or padding), where the
 * hint names the cause. */
#include "config.h"
#include "engine/engine_internal.h"
#include "ir/psk.h"
#include "model/manual_keys.h"

#include <stdio.h>
#include <string.h>

bool manual_tunnel(const struct model_gateway *mg, const struct model_tunnel *mt)
{
	(void)mg;
	return mt->peer_model && model_keyed_by_hand(mt->ir);
}

static void iv_fn(void *ctx, uint8_t *iv, size_t len)
{
	struct engine *e = ctx;
	drbg_bytes(&e->ivs, iv, len);
}

/* One SA of side MT's: DIR's endpoints as that end has them configured. */
static bool sa_setup(struct engine *e, struct ipsec_sa *sa, enum ipsec_sa_dir dir,
		     const struct model_tunnel *mt, const struct manual_suite *s,
		     const struct sa_keys *k, char *err, size_t err_size)
{
	struct ipsec_sa_config c;
	memset(&c, 0, sizeof(c));
	c.dir = dir;
	c.protocol = s->ah ? IPSEC_AH : IPSEC_ESP;
	c.spi = k->spi;
	c.src = dir == IPSEC_SA_OUT ? *model_tunnel_local_ep(mt) : *model_tunnel_remote_ep(mt);
	c.dst = dir == IPSEC_SA_OUT ? *model_tunnel_remote_ep(mt) : *model_tunnel_local_ep(mt);
	c.enc = s->enc;
	c.integ = s->integ;
	c.enc_key = k->enc;
	c.enc_key_len = k->enc_len;
	c.auth_key = k->auth;
	c.auth_key_len = k->auth_len;
	c.ttl = 64;
	c.iv_fn = iv_fn;
	c.iv_ctx = e;
	return ipsec_sa_init(sa, &c, err, err_size);
}

/* Side I of B: its two SAs from its own key and first offer.  On failure
 * nothing is left initialised. */
static bool side_install(struct engine *e, struct sa_bundle *b, int i, char *why,
			 size_t why_size, struct tunc_loc *why_loc)
{
	const struct model_tunnel *mt = b->mt[i];
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	const struct ir_psk *psk = model_tunnel_psk(mt);
	const char *name = b->side[i]->ir->name;
	*why_loc = mt->ir->loc;
	if (!model_tunnel_local_ep(mt)->family || !model_tunnel_remote_ep(mt)->family) {
		snprintf(why, why_size, "%s has no tunnel endpoint for %s", name, mt->ir->name);
		return false;
	}
	if (!ipsec) {
		snprintf(why, why_size, "%s has no IPsec proposal for %s", name, mt->ir->name);
		return false;
	}
	struct manual_suite suite;
	manual_first_offer(ipsec, &suite);
	if (!psk) {
		snprintf(why, why_size, "%s has no pre-shared key for %s", name, mt->ir->name);
		return false;
	}
	char err[300];
	struct sa_keys out, in;
	enum manual_fail f = manual_keys_load(e->ir->sources, mt, &suite, &out, &in, err,
					      sizeof(err));
	if (f == MANUAL_NO_KEY) {
		*why_loc = psk->loc;
		snprintf(why, why_size, "%s's pre-shared key: %s", name, err);
		return false;
	}
	if (f != MANUAL_OK) {
		*why_loc = ipsec->encryption_loc.file ? ipsec->encryption_loc : ipsec->loc;
		snprintf(why, why_size, "%s cannot key %s %s%s%s by hand", name,
			 suite.ah ? "AH" : "ESP", suite.ah ? "" : encryption_name(suite.enc),
			 suite.ah || suite.integ == INTEG_NONE ? "" : "/",
			 suite.integ == INTEG_NONE ? "" : integrity_name(suite.integ));
		return false;
	}
	bool ok = sa_setup(e, &b->out[i], IPSEC_SA_OUT, mt, &suite, &out, err, sizeof(err));
	if (ok) {
		ok = sa_setup(e, &b->in[i], IPSEC_SA_IN, mt, &suite, &in, err, sizeof(err));
		if (!ok)
			ipsec_sa_free(&b->out[i]);
	}
	keys_wipe(&out);
	keys_wipe(&in);
	if (!ok) {
		*why_loc = ipsec->loc;
		snprintf(why, why_size, "%s's manually keyed SA: %s", name, err);
	}
	return ok;
}

struct sa_bundle *manual_install(struct pass *ps, char *why, size_t why_size,
				 struct tunc_loc *why_loc)
{
	struct engine *e = ps->e;
	/* A crypto map's entry, or the route-based end the route chose. */
	struct model_tunnel *mt0 = ps->spd ? ps->spd->tunnel : ps->route_tunnel;
	struct model_gateway *g0 = ps->mg, *g1 = mt0->peer_model;
	struct model_tunnel *mt1 = mt0->peer_tunnel ? mt0->peer_tunnel
				   : model_tunnel_peer(mt0) == model_tunnel_self(mt0) ? mt0 : NULL;
	*why_loc = mt0->ir->loc;
	if (!mt1) {
		snprintf(why, why_size, "the other end of %s is not modelled", mt0->ir->name);
		return NULL;
	}
	struct sa_bundle *b = arena_alloc(&e->arena, sizeof(*b));
	b->id = (unsigned)e->bundles.n + 1;
	b->tunnel = mt0->ir;
	b->side[0] = g0;
	b->side[1] = g1;
	b->mt[0] = mt0;
	b->mt[1] = mt1;
	b->sel = ps->spd ? spd_entry_sel(ps->spd) : ps->route_sel;
	b->manual = true;
	b->e = e;
	b->seen_src[0] = *model_tunnel_remote_ep(mt1);
	b->seen_src[1] = *model_tunnel_remote_ep(mt0);
	if (!side_install(e, b, 0, why, why_size, why_loc))
		return NULL;
	if (!side_install(e, b, 1, why, why_size, why_loc)) {
		ipsec_sa_free(&b->out[0]);
		ipsec_sa_free(&b->in[0]);
		return NULL;
	}
	b->ready[0] = b->ready[1] = true;
	sa_bundle_add(e, b);

	const struct ipsec_sa *out = &b->out[0];
	if (out->cfg.protocol == IPSEC_AH)
		trace_add(e, g0->ir->name, STAGE_IKE, mt0->ir->loc,
			  "manual keys (no negotiation): spi 0x%08x / 0x%08x (out / in), ah %s, "
			  "%s %s's %s", out->cfg.spi, b->in[0].cfg.spi,
			  integrity_name(out->cfg.integ), mt0->manual_given ? "as given in" : "derived from",
			  g0->ir->name, mt0->manual_given ? "key file" : "pre-shared key");
	else
		trace_add(e, g0->ir->name, STAGE_IKE, mt0->ir->loc,
			  "manual keys (no negotiation): spi 0x%08x / 0x%08x (out / in), esp %s %s, "
			  "%s %s's %s", out->cfg.spi, b->in[0].cfg.spi,
			  encryption_name(out->cfg.enc), integrity_name(out->cfg.integ),
			  mt0->manual_given ? "as given in" : "derived from", g0->ir->name,
			  mt0->manual_given ? "key file" : "pre-shared key");
	ps->bundle_side = 0;
	return b;
}

bool manual_unknown_spi_hint(const struct engine *e, const struct model_gateway *mg,
			     unsigned proto, uint32_t spi, char *buf, size_t size,
			     struct tunc_loc *loc)
{
	enum ipsec_protocol got = proto == IPPROTO_AH_ ? IPSEC_AH : IPSEC_ESP;
	for (size_t i = 0; i < e->bundles.n; i++) {
		const struct sa_bundle *b = e->bundles.v[i];
		for (int s = 0; b->manual && s < 2; s++) {
			/* The packet is what the other side sent with its SA. */
			const struct ipsec_sa *in = &b->in[s], *sent = &b->out[1 - s];
			if (b->side[s] != mg || sent->cfg.spi != spi || sent->cfg.protocol != got)
				continue;
			const char *me = mg->ir->name, *peer = b->side[1 - s]->ir->name;
			if (in->cfg.protocol != got) {
				*loc = model_tunnel_ipsec(b->mt[s])->loc;
				snprintf(buf, size, "tunnel %s is keyed by hand: %s sends %s, %s's SA "
					 "is %s: each end keys its own first offer", b->tunnel->name,
					 peer, got == IPSEC_AH ? "AH" : "ESP", me,
					 in->cfg.protocol == IPSEC_AH ? "AH" : "ESP");
				return true;
			}
			if (in->cfg.spi == spi)
				continue;
			*loc = b->tunnel->loc;
			snprintf(buf, size, "tunnel %s is keyed by hand and %s's inbound SA has spi "
				 "0x%08x", b->tunnel->name, me, in->cfg.spi);
			return true;
		}
	}
	return false;
}

static void suite_text(const struct ipsec_sa *sa, char *buf, size_t size)
{
	if (sa->cfg.protocol == IPSEC_AH)
		snprintf(buf, size, "ah %s", integrity_name(sa->cfg.integ));
	else
		snprintf(buf, size, "esp %s %s", encryption_name(sa->cfg.enc),
			 integrity_name(sa->cfg.integ));
}

/* Do the two ends of B hold different pre-shared keys?  Read again here,
 * off the packet path: only a failed decapsulation asks. */
static bool keys_differ(const struct sa_bundle *b)
{
	struct secret k0, k1;
	char err[300];
	const struct source_set *src = b->e->ir->sources;
	if (!psk_load(src, model_tunnel_psk(b->mt[0]), &k0, err, sizeof(err)))
		return false;
	bool differ = false;
	if (psk_load(src, model_tunnel_psk(b->mt[1]), &k1, err, sizeof(err))) {
		differ = !secret_equal(&k0, &k1);
		secret_free(&k1);
	}
	secret_free(&k0);
	return differ;
}

bool manual_decap_hint(const struct sa_bundle *b, int side, char *buf, size_t size,
		       struct tunc_loc *loc)
{
	const struct ipsec_sa *in = &b->in[side], *sent = &b->out[1 - side];
	if (!b->manual)
		return false;
	if (in->cfg.enc == sent->cfg.enc && in->cfg.integ == sent->cfg.integ) {
		if (!keys_differ(b))
			return false;
		const struct model_tunnel *mt = b->mt[side];
		const struct ir_psk *psk = model_tunnel_psk(mt);
		*loc = psk && psk->loc.file ? psk->loc : b->tunnel->loc;
		if (b->mt[0]->manual_given || b->mt[1]->manual_given)
			snprintf(buf, size, "tunnel %s is keyed by hand and the SAs the key files of %s "
				 "and %s give differ in their keys", b->tunnel->name,
				 b->side[1 - side]->ir->name, b->side[side]->ir->name);
		else
			snprintf(buf, size, "tunnel %s is keyed by hand and the pre-shared keys of %s "
				 "and %s differ: the SPIs agree (they come from the names), the keys "
				 "do not", b->tunnel->name, b->side[1 - side]->ir->name,
				 b->side[side]->ir->name);
		return true;
	}
	char a[80], c[80];
	suite_text(sent, a, sizeof(a));
	suite_text(in, c, sizeof(c));
	*loc = model_tunnel_ipsec(b->mt[side])->loc;
	snprintf(buf, size, "tunnel %s is keyed by hand: %s sends %s, %s's SA has %s: "
		 "each end keys its own first offer", b->tunnel->name,
		 b->side[1 - side]->ir->name, a, b->side[side]->ir->name, c);
	return true;
}

const struct spd_entry *manual_inbound_entry(const struct sa_bundle *b, int side,
					     const struct pkt_info *pi, bool forwarded)
{
	const struct model_gateway *mg = b->side[side];
	enum spd_dir dir = forwarded && mg->platform->has_fwd_policy ? SPD_FWD : SPD_IN;
	struct engine *e = b->e;
	policy_ix_need(e);
	/* The first of the tunnel's entries that matches, in SPD order. */
	struct u64map_iter it;
	size_t i, best = SIZE_MAX;
	for (bool more = u64map_first(&e->policy_tunnel_ix, policy_tunnel_key(mg, dir, b->tunnel),
					&it, &i);
	     more; more = u64map_next(&it, &i)) {
		if (i >= best || i >= model_spd_count(mg, dir))
			continue;
		const struct spd_entry *se = model_spd_entry(mg, dir, i);
		if (se->action == SPD_PROTECT && se->tunnel &&
		    se->tunnel->ir == b->tunnel &&
		    spd_entry_matches(se, &pi->src, &pi->dst, pi->proto, pi->dport))
			best = i;
	}
	return best == SIZE_MAX ? NULL : model_spd_entry(mg, dir, best);
}
