/* Linux: strongSwan's swanctl.conf (emitters-research.md §4, the
 * swanctl.conf reference at docs.strongswan.org, strongSwan 5.9).
 *
 * One connection per tunnel keyed by IKE (the default); a tunnel that says
 * `keying manual;` is left to the xfrm script (emit_xfrm.c), which installs
 * its static SAs.  The children's traffic selectors are the model's
 * selector pairs of the tunnel (its outbound PROTECT entries), never
 * recomputed here.  The pre-shared key is read at compile time and written
 * into the `secrets` section, so the file is created with mode 0600.
 *
 * Proposals: for IKEv2 one proposal per class (AEAD ciphers cannot share a
 * proposal with the others), listing every offer of each kind in order;
 * for IKEv1 one proposal per combination, because charon sends only the
 * first algorithm of each kind from one IKEv1 proposal (validators.md §5).
 *
 * Lifetimes: the language's lifetime is the hard one, as on IOS.  charon
 * rekeys at rekey_time and deletes at life_time (CHILD_SA) or rekey_time +
 * over_time (IKE_SA), so rekeying is scheduled at 90% of the lifetime and
 * the SA dies at 100% (strongSwan's own default margin is 10%); a
 * CHILD_SA's rekey_time is the platform table's (ike_child_rekey_s). */
#include "config.h"
#include "emit/common.h"
#include "emit/manual.h"
#include "emit/tunnel_iface.h"
#include "emit/targets.h"
#include "model/ike_answer.h"

#include <stdio.h>
#include <string.h>

#define NL "\n"
#define CMT "#"

struct swan {
	struct emit_ctx *ctx;
	const struct model_gateway *mg;
	struct strbuf *out;
	bool ok;
};

static void fail(struct swan *s, const struct model_tunnel *mt, struct tunc_loc loc,
		 const char *what)
{
	struct diag *d = emit_error(s->ctx, s->mg, "platform-unsupported", loc,
				    "the swanctl emitter cannot write %s for %s", what, s->mg->ir->name);
	if (mt)
		diag_tunnel(d, mt->ir->name);
	s->ok = false;
}

/* strongSwan's names (the proposal keywords of its documentation). */
static const char *const enc_kw[ENC__COUNT] = {
	[ENC_NULL] = "null", [ENC_DES] = "des", [ENC_3DES] = "3des",
	[ENC_AES128] = "aes128", [ENC_AES192] = "aes192", [ENC_AES256] = "aes256",
	[ENC_AES128_GCM] = "aes128gcm16", [ENC_AES256_GCM] = "aes256gcm16",
};
static const char *const integ_kw[INTEG__COUNT] = {
	[INTEG_NONE] = NULL, [INTEG_MD5] = "md5", [INTEG_SHA1] = "sha1",
	[INTEG_SHA256] = "sha256", [INTEG_SHA384] = "sha384", [INTEG_SHA512] = "sha512",
};

/* A section name: strongSwan's settings treat '.' as a separator. */
static void section_name(char *buf, size_t size, const char *prefix, const char *name)
{
	emit_name(buf, size, prefix, name);
	for (char *p = buf; *p; p++)
		if (*p == '.')
			*p = '_';
}

/* "" or "," between list items. */
static void sep(struct strbuf *out, bool *first)
{
	if (!*first)
		strbuf_puts(out, ",");
	*first = false;
}

/* The IKEv2 proposals of IKE: one per class (non-AEAD, AEAD), in the order
 * of their first cipher, each listing every cipher, integrity (for AEAD:
 * the PRF) and group in order. */
static void ikev2_proposals(struct strbuf *out, const struct ir_ike *ike)
{
	bool first = true;
	bool aead_first = ike->encryption.n && encryption_is_aead(ike->encryption.v[0]);
	for (int pass = 0; pass < 2; pass++) {
		bool aead = pass == 0 ? aead_first : !aead_first;
		bool any = false;
		for (size_t i = 0; i < ike->encryption.n; i++)
			any |= encryption_is_aead(ike->encryption.v[i]) == aead;
		if (!any)
			continue;
		sep(out, &first);
		bool dash = false;
		for (size_t i = 0; i < ike->encryption.n; i++)
			if (encryption_is_aead(ike->encryption.v[i]) == aead) {
				strbuf_printf(out, "%s%s", dash ? "-" : "", enc_kw[ike->encryption.v[i]]);
				dash = true;
			}
		for (size_t i = 0; i < ike->integrity.n; i++)
			if (integ_kw[ike->integrity.v[i]])
				strbuf_printf(out, "-%s%s", aead ? "prf" : "", integ_kw[ike->integrity.v[i]]);
		for (size_t i = 0; i < ike->group.n; i++)
			strbuf_printf(out, "-%s", dh_group_name(ike->group.v[i]));
	}
}

static void ikev1_proposals(struct strbuf *out, const struct ir_ike *ike)
{
	struct emit_ike_combo c[EMIT_COMBOS_MAX];
	size_t n = emit_ike_combos(ike, c, EMIT_COMBOS_MAX);
	bool first = true;
	for (size_t i = 0; i < n; i++) {
		sep(out, &first);
		strbuf_printf(out, "%s", enc_kw[c[i].enc]);
		if (integ_kw[c[i].integ])
			strbuf_printf(out, "-%s%s", encryption_is_aead(c[i].enc) ? "prf" : "",
				      integ_kw[c[i].integ]);
		strbuf_printf(out, "-%s", dh_group_name(c[i].group));
	}
}

/* ESP or AH proposals, with the PFS group.  IKEv2: one per class as above;
 * IKEv1: one per combination. */
static void child_proposals(struct strbuf *out, const struct ir_ipsec *ps, unsigned ike_version)
{
	bool first = true;
	if (ps->protocol == IPSEC_AH || ike_version == 1) {
		struct emit_esp_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ipsec_combos(ps, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			sep(out, &first);
			bool dash = false;
			if (!c[i].ah) {
				strbuf_puts(out, enc_kw[c[i].enc]);
				dash = true;
			}
			if (integ_kw[c[i].integ]) {
				strbuf_printf(out, "%s%s", dash ? "-" : "", integ_kw[c[i].integ]);
				dash = true;
			}
			if (ps->pfs)
				strbuf_printf(out, "%s%s", dash ? "-" : "", dh_group_name(ps->pfs));
		}
		return;
	}
	bool aead_first = ps->encryption.n && encryption_is_aead(ps->encryption.v[0]);
	for (int pass = 0; pass < 2; pass++) {
		bool aead = pass == 0 ? aead_first : !aead_first;
		bool any = false;
		for (size_t i = 0; i < ps->encryption.n; i++)
			any |= encryption_is_aead(ps->encryption.v[i]) == aead;
		if (!any)
			continue;
		sep(out, &first);
		bool dash = false;
		for (size_t i = 0; i < ps->encryption.n; i++)
			if (encryption_is_aead(ps->encryption.v[i]) == aead) {
				strbuf_printf(out, "%s%s", dash ? "-" : "", enc_kw[ps->encryption.v[i]]);
				dash = true;
			}
		if (!aead)
			for (size_t i = 0; i < ps->integrity.n; i++)
				if (integ_kw[ps->integrity.v[i]])
					strbuf_printf(out, "-%s", integ_kw[ps->integrity.v[i]]);
		if (ps->pfs)
			strbuf_printf(out, "-%s", dh_group_name(ps->pfs));
	}
}

/* A traffic selector: "192.168.1.0/24", with "[tcp]" or "[tcp/443]" or
 * "[tcp/1024-2048]" where the selector is restricted; the port is the
 * remote side's (the destination of outbound traffic). */
static void put_ts(struct strbuf *out, const struct ip_prefix *p, const struct selector *sel,
		   bool remote)
{
	char a[ADDR_STRLEN];
	prefix_format(p, a, sizeof(a), false);
	strbuf_puts(out, a);
	if (sel->proto == PROTO_ANY)
		return;
	const char *pn = protocol_name(sel->proto);
	if (pn && strcmp(pn, "icmpv6") == 0)
		pn = "ipv6-icmp";
	if (pn)
		strbuf_printf(out, "[%s", pn);
	else
		strbuf_printf(out, "[%u", sel->proto);
	if (remote && (sel->port_lo || sel->port_hi)) {
		if (sel->port_lo == sel->port_hi)
			strbuf_printf(out, "/%u", sel->port_lo);
		else
			strbuf_printf(out, "/%u-%u", sel->port_lo, sel->port_hi);
	}
	strbuf_puts(out, "]");
}

static bool same_prefix(const struct ip_prefix *a, const struct ip_prefix *b)
{
	return a->len == b->len && addr_equal(&a->addr, &b->addr);
}

static bool same_restriction(const struct selector *a, const struct selector *b)
{
	return a->proto == b->proto && a->port_lo == b->port_lo && a->port_hi == b->port_hi;
}

/* The model's selector pairs of MT (outbound PROTECT entries, in order),
 * copied: an SPD entry's selector is read, not stored (spd_entry_sel). */
struct pairs {
	struct selector v[EMIT_COMBOS_MAX * 4];
	size_t n;
};

static void tunnel_pairs(const struct model_gateway *mg, const struct model_tunnel *mt,
			 struct pairs *p)
{
	p->n = 0;
	if (mt->route_based) {
		/* Its SPD entries are bound to its xfrm interface, not in the
		 * gateway's SPD: the model's selector pairs (any to any unless
		 * its block narrows them). */
		struct selector_pairs sp = model_tunnel_selectors(mt, 0);
		for (size_t i = 0; i < sp.n && p->n < sizeof(p->v) / sizeof(p->v[0]); i++)
			p->v[p->n++] = sp.v[i].sel;
		return;
	}
	struct spd_refs mine = model_tunnel_spd(mt, SPD_OUT);
	for (size_t i = 0; i < mine.n && p->n < sizeof(p->v) / sizeof(p->v[0]); i++)
		p->v[p->n++] = spd_entry_sel(model_spd_entry(mg, SPD_OUT, mine.v[i]));
}

/* The distinct sources (or destinations) of P, in order. */
static size_t distinct(const struct pairs *p, bool dst, const struct ip_prefix **out)
{
	size_t n = 0;
	for (size_t i = 0; i < p->n; i++) {
		const struct ip_prefix *x = dst ? &p->v[i].dst : &p->v[i].src;
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen |= same_prefix(out[k], x);
		if (!seen)
			out[n++] = x;
	}
	return n;
}

/* Are the pairs exactly the product of their distinct sources and
 * destinations (same family), with one restriction?  Then one child holds
 * them all; otherwise each pair is a child of its own. */
static bool is_product(const struct pairs *p, const struct ip_prefix **src, size_t ns,
		       const struct ip_prefix **dst, size_t nd)
{
	size_t expected = 0;
	for (size_t a = 0; a < ns; a++)
		for (size_t b = 0; b < nd; b++)
			expected += src[a]->addr.family == dst[b]->addr.family;
	if (expected != p->n)
		return false;
	for (size_t i = 1; i < p->n; i++)
		if (!same_restriction(&p->v[0], &p->v[i]))
			return false;
	return true;
}

static void put_lifetime(struct strbuf *out, const char *indent, const char *key, uint64_t s)
{
	strbuf_printf(out, "%s%s = %llus" NL, indent, key, (unsigned long long)s);
}

static void write_child(struct swan *s, const struct model_tunnel *mt, const char *name,
			const struct ip_prefix **local, size_t nl, const struct ip_prefix **remote,
			size_t nr, const struct selector *restriction)
{
	const struct ir_ipsec *ps = model_tunnel_ipsec(mt);
	const char *in = "            ";
	strbuf_printf(s->out, "        %s {" NL, name);
	strbuf_printf(s->out, "%slocal_ts = ", in);
	for (size_t i = 0; i < nl; i++) {
		if (i)
			strbuf_puts(s->out, ",");
		put_ts(s->out, local[i], restriction, false);
	}
	strbuf_printf(s->out, NL "%sremote_ts = ", in);
	for (size_t i = 0; i < nr; i++) {
		if (i)
			strbuf_puts(s->out, ",");
		put_ts(s->out, remote[i], restriction, true);
	}
	strbuf_puts(s->out, NL);
	char where[512];
	emit_loc_text(s->ctx, ps->loc, where, sizeof(where));
	strbuf_printf(s->out, "%s" CMT " ipsec %s (%s)" NL, in, ps->name ? ps->name : "?", where);
	strbuf_printf(s->out, "%s%s = ", in, ps->protocol == IPSEC_AH ? "ah_proposals" : "esp_proposals");
	child_proposals(s->out, ps, model_tunnel_ike(mt)->version);
	strbuf_puts(s->out, NL);
	strbuf_printf(s->out, "%smode = tunnel" NL, in);
	if (mt->route_based) {
		/* The xfrm interface the xfrm script creates: SAs and policies
		 * carry its if_id (strongSwan 5.8+; charon installs no routes
		 * for them, the script does). */
		unsigned id = emit_xfrm_if_id(s->mg, mt);
		strbuf_printf(s->out, "%sif_id_in = %u" NL "%sif_id_out = %u" NL, in, id, in, id);
	}
	/* When charon rekeys the CHILD_SA is the model's answer for this
	 * platform (ike_child_rekey_s, the engine's rekey time too). */
	put_lifetime(s->out, in, "rekey_time", ike_child_rekey_s(s->mg->platform, ps->lifetime_s));
	put_lifetime(s->out, in, "life_time", ps->lifetime_s);
	if (ps->lifetime_kb) {
		unsigned long long bytes = (unsigned long long)ps->lifetime_kb * 1024;
		strbuf_printf(s->out, "%srekey_bytes = %llu" NL, in, bytes - bytes / 10);
		strbuf_printf(s->out, "%slife_bytes = %llu" NL, in, bytes);
	}
	/* Like a crypto map: the policy is installed, traffic starts IKE. */
	strbuf_printf(s->out, "%sstart_action = trap" NL, in);
	strbuf_puts(s->out, "        }" NL);
}

static void write_children(struct swan *s, const struct model_tunnel *mt, const char *conn)
{
	struct pairs p;
	tunnel_pairs(s->mg, mt, &p);
	if (!p.n) {
		fail(s, mt, mt->ir->loc, "a tunnel that protects nothing");
		return;
	}
	const struct ip_prefix *src[sizeof(p.v) / sizeof(p.v[0])];
	const struct ip_prefix *dst[sizeof(p.v) / sizeof(p.v[0])];
	size_t ns = distinct(&p, false, src), nd = distinct(&p, true, dst);
	strbuf_puts(s->out, "    children {" NL);
	if (is_product(&p, src, ns, dst, nd)) {
		write_child(s, mt, conn, src, ns, dst, nd, &p.v[0]);
	} else {
		strbuf_puts(s->out, "        " CMT " The selector pairs are not one product of local "
				    "and remote: one child per pair." NL);
		for (size_t i = 0; i < p.n; i++) {
			/* Built to its length: the connection's name has no limit. */
			struct strbuf child = STRBUF_INIT;
			strbuf_printf(&child, "%s-%zu", conn, i + 1);
			const struct ip_prefix *l = &p.v[i].src, *r = &p.v[i].dst;
			write_child(s, mt, strbuf_cstr(&child), &l, 1, &r, 1, &p.v[i]);
			strbuf_free(&child);
		}
	}
	strbuf_puts(s->out, "    }" NL);
}

static void write_connection(struct swan *s, const struct model_tunnel *mt)
{
	emit_tunnel_banner(s->ctx, mt, s->out, CMT, NL);
	if (!model_tunnel_ike(mt) || !model_tunnel_ipsec(mt)) {
		fail(s, mt, mt->ir->loc, "a tunnel without IKE and IPsec proposals");
		return;
	}
	if (!model_tunnel_local_ep(mt)->family || !model_tunnel_remote_ep(mt)->family) {
		fail(s, mt, mt->ir->loc, "a connection without both tunnel endpoints");
		return;
	}
	const struct ir_ike *ike = model_tunnel_ike(mt);
	char conn[EMIT_NAME_MAX], local[ADDR_STRLEN], remote[ADDR_STRLEN], rid[ADDR_STRLEN];
	section_name(conn, sizeof(conn), "", mt->ir->name);
	emit_addr(model_tunnel_local_ep(mt), local, sizeof(local));
	emit_addr(model_tunnel_remote_ep(mt), remote, sizeof(remote));
	/* The far end identifies itself by its own address as it has it
	 * configured (behind a NAT: its private one), as IOS and charon do. */
	const struct ir_tunnel_end *there = model_tunnel_there(mt);
	if (there->local_endpoint_known)
		emit_addr(&there->local_endpoint, rid, sizeof(rid));
	else
		memcpy(rid, remote, sizeof(rid));
	char where[512];
	emit_loc_text(s->ctx, ike->loc, where, sizeof(where));

	strbuf_printf(s->out, "%s {" NL, conn);
	strbuf_printf(s->out, "    version = %u" NL, ike->version);
	if (ike->version == 1 && ike->mode == IKE_MODE_AGGRESSIVE)
		strbuf_puts(s->out, "    aggressive = yes" NL);
	strbuf_printf(s->out, "    local_addrs = %s" NL, local);
	strbuf_printf(s->out, "    remote_addrs = %s" NL, remote);
	strbuf_printf(s->out, "    " CMT " ike %s (%s)" NL, ike->name ? ike->name : "?", where);
	strbuf_puts(s->out, "    proposals = ");
	if (ike->version == 1)
		ikev1_proposals(s->out, ike);
	else
		ikev2_proposals(s->out, ike);
	strbuf_puts(s->out, NL);
	put_lifetime(s->out, "    ", "rekey_time", ike->lifetime_s - ike->lifetime_s / 10);
	put_lifetime(s->out, "    ", "over_time", ike->lifetime_s / 10);
	/* Dead peer detection: `dpd`'s interval, else the platform row's
	 * default (every 10 s, as the ios target writes it). */
	strbuf_printf(s->out, "    dpd_delay = %llus" NL, ir_end_dpd(mt->here)->set ?
		      (unsigned long long)ir_end_dpd(mt->here)->interval_s
		      : (unsigned long long)s->mg->platform->dpd_default_s);
	/* NAT-T forced: UDP 4500 even without a NAT (charon detects one
	 * on its own under `nat-traversal auto`). */
	if (mt->ir->nat_traversal == NATT_ON)
		strbuf_puts(s->out, "    encap = yes" NL);
	strbuf_puts(s->out, "    local {" NL "        auth = psk" NL);
	strbuf_printf(s->out, "        id = %s" NL "    }" NL, local);
	strbuf_puts(s->out, "    remote {" NL "        auth = psk" NL);
	strbuf_printf(s->out, "        id = %s" NL "    }" NL, rid);
	write_children(s, mt, conn);
	strbuf_puts(s->out, "}" NL);
}

/* The key as swanctl reads it: a quoted string when it can be one,
 * otherwise hex ("0x..."), so any bytes survive. */
static void put_secret(struct strbuf *out, const struct secret *k)
{
	if (k->len && secret_printable(k, true, "\"\\")) {
		strbuf_puts(out, "\"");
		strbuf_add(out, (const char *)k->bytes, k->len);
		strbuf_puts(out, "\"");
		return;
	}
	strbuf_puts(out, "0x");
	for (size_t i = 0; i < k->len; i++)
		strbuf_printf(out, "%02x", k->bytes[i]);
}

static void write_secret(struct swan *s, const struct model_tunnel *mt)
{
	const struct ir_psk *psk = model_tunnel_psk(mt);
	struct secret key;
	if (!emit_psk_read(s->ctx, mt, &key)) {
		s->ok = false;
		return;
	}
	char name[EMIT_NAME_MAX], local[ADDR_STRLEN], rid[ADDR_STRLEN];
	section_name(name, sizeof(name), "ike-", mt->ir->name);
	emit_addr(model_tunnel_local_ep(mt), local, sizeof(local));
	if (model_tunnel_there(mt)->local_endpoint_known)
		emit_addr(&model_tunnel_there(mt)->local_endpoint, rid, sizeof(rid));
	else
		emit_addr(model_tunnel_remote_ep(mt), rid, sizeof(rid));
	char where[512];
	emit_loc_text(s->ctx, psk && psk->loc.file ? psk->loc : mt->ir->loc, where,
		      sizeof(where));
	strbuf_printf(s->out, "    " CMT " tunnel %s's pre-shared key (%s)" NL, mt->ir->name, where);
	strbuf_printf(s->out, "    %s {" NL "        id-local = %s" NL "        id-remote = %s" NL,
		      name, local, rid);
	strbuf_puts(s->out, "        secret = ");
	put_secret(s->out, &key);
	strbuf_puts(s->out, NL "    }" NL);
	secret_free(&key);
	s->ctx->holds_key = true;
}

bool emit_swanctl(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct swan s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	size_t ike = 0;
	for (size_t t = 0; t < mg->tunnels.n; t++)
		ike += !manual_toward_peer(mg->tunnels.v[t]);
	emit_header(ctx, mg, out, CMT, NL, ike > 0);
	strbuf_puts(out, CMT " strongSwan 5.9+: load with 'swanctl --load-all --file THIS_FILE'." NL);
	char script[EMIT_NAME_MAX + 32];
	emit_file_name(script, sizeof(script), mg->ir->name, ".xfrm.sh");
	strbuf_printf(out, CMT " Forwarding, routes and NAT: %s." NL, script);
	strbuf_puts(out, "connections {" NL);
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		if (manual_toward_peer(mt)) {
			strbuf_printf(out, CMT " tunnel %s says 'keying manual': no IKE, its static SAs "
				      "are in %s" NL, mt->ir->name, script);
			continue;
		}
		write_connection(&s, mt);
	}
	strbuf_puts(out, "}" NL "secrets {" NL);
	for (size_t t = 0; t < mg->tunnels.n && s.ok; t++)
		if (!manual_toward_peer(mg->tunnels.v[t]))
			write_secret(&s, mg->tunnels.v[t]);
	strbuf_puts(out, "}" NL);
	return s.ok;
}
