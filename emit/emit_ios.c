/* Cisco IOS: IKEv1 (`crypto isakmp`) and IKEv2 (`crypto ikev2`) with crypto
 * maps, as in seed 003 §9 and emitters-research.md §2.  Sub-mode blocks,
 * wildcard masks, one crypto map per outside interface with a sequence per
 * tunnel, NAT exemption as `deny` lines ahead of the overload's `permit`.
 *
 * A tunnel whose far end is keyed by hand (Linux: `ip xfrm` states, no IKE
 * daemon) becomes an `ipsec-manual` entry holding the same two SAs (see
 * write_manual_entry). */
#include "config.h"
#include "emit/common.h"
#include "emit/fidelity.h"
#include "emit/manual.h"
#include "emit/tunnel_iface.h"
#include "emit/targets.h"
#include "model/filters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NL "\n"

/* Spellings, indexed by the language's enums; NULL: IOS has no such thing. */
static const char *const ike1_enc[ENC__COUNT] = {
	[ENC_DES] = "des", [ENC_3DES] = "3des", [ENC_AES128] = "aes 128",
	[ENC_AES192] = "aes 192", [ENC_AES256] = "aes 256",
};
static const char *const ike1_hash[INTEG__COUNT] = {
	[INTEG_MD5] = "md5", [INTEG_SHA1] = "sha", [INTEG_SHA256] = "sha256",
	[INTEG_SHA384] = "sha384", [INTEG_SHA512] = "sha512",
};
static const char *const ike2_enc[ENC__COUNT] = {
	[ENC_DES] = "des", [ENC_3DES] = "3des", [ENC_AES128] = "aes-cbc-128",
	[ENC_AES192] = "aes-cbc-192", [ENC_AES256] = "aes-cbc-256",
	[ENC_AES128_GCM] = "aes-gcm-128", [ENC_AES256_GCM] = "aes-gcm-256",
};
static const char *const ike2_integ[INTEG__COUNT] = {
	[INTEG_MD5] = "md5", [INTEG_SHA1] = "sha1", [INTEG_SHA256] = "sha256",
	[INTEG_SHA384] = "sha384", [INTEG_SHA512] = "sha512",
};
static const char *const esp_enc[ENC__COUNT] = {
	[ENC_NULL] = "esp-null", [ENC_DES] = "esp-des", [ENC_3DES] = "esp-3des",
	[ENC_AES128] = "esp-aes 128", [ENC_AES192] = "esp-aes 192", [ENC_AES256] = "esp-aes 256",
	[ENC_AES128_GCM] = "esp-gcm 128", [ENC_AES256_GCM] = "esp-gcm 256",
};
static const char *const esp_auth[INTEG__COUNT] = {
	[INTEG_MD5] = "esp-md5-hmac", [INTEG_SHA1] = "esp-sha-hmac",
	[INTEG_SHA256] = "esp-sha256-hmac", [INTEG_SHA384] = "esp-sha384-hmac",
	[INTEG_SHA512] = "esp-sha512-hmac",
};
static const char *const ah_auth[INTEG__COUNT] = {
	[INTEG_MD5] = "ah-md5-hmac", [INTEG_SHA1] = "ah-sha-hmac",
	[INTEG_SHA256] = "ah-sha256-hmac", [INTEG_SHA384] = "ah-sha384-hmac",
	[INTEG_SHA512] = "ah-sha512-hmac",
};

struct ios {
	struct emit_ctx *ctx;
	const struct model_gateway *mg;
	struct strbuf *out;
	bool ok;
	struct emit_set isakmp;         /* "enc/integ/group/lifetime" of each policy, in order */
	struct emit_set maps;           /* interface names carrying a crypto map */
	unsigned map_seq[64];
};

static void fail(struct ios *s, const struct model_tunnel *mt, struct tunc_loc loc,
		 const char *what)
{
	struct diag *d = emit_error(s->ctx, s->mg, "platform-unsupported", loc, "the ios emitter cannot write %s for %s",
				    what, s->mg->ir->name);
	if (mt)
		diag_tunnel(d, mt->ir->name);
	s->ok = false;
}

/* ---- names ---- */

static void map_name(const char *iface, char *buf, size_t size)
{
	emit_name(buf, size, "tunc-", iface ? iface : "map");
}

/* ---- IKEv1 ---- */

static void isakmp_key(const struct emit_ike_combo *c, uint64_t lifetime, char *buf, size_t size)
{
	snprintf(buf, size, "%d/%d/%u/%llu", (int)c->enc, (int)c->integ, c->group,
		 (unsigned long long)lifetime);
}

static void write_isakmp_policies(struct ios *s)
{
	bool any = false, natt = false;
	struct emit_ike_policy pol[EMIT_COMBOS_MAX];
	size_t np = 0;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		const struct ir_ike *ike = model_tunnel_ike(mt);
		if (!ike || ike->version != 1 || manual_toward_peer(mt))
			continue;
		any = true;
		natt |= mt->nat_traversal;
		struct emit_ike_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ike_combos(ike, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			if (!ike1_enc[c[i].enc] || !ike1_hash[c[i].integ]) {
				char what[128];
				snprintf(what, sizeof(what), "an IKEv1 policy with %s/%s "
					 "(crypto isakmp policy has no such algorithm)",
					 encryption_name(c[i].enc), integrity_name(c[i].integ));
				fail(s, mt, ike->encryption_loc.file ? ike->encryption_loc
							      : ike->loc, what);
				continue;
			}
			char key[64];
			isakmp_key(&c[i], ike->lifetime_s, key, sizeof(key));
			if (!emit_set_add(&s->isakmp, key) || np == EMIT_COMBOS_MAX)
				continue;
			pol[np++] = (struct emit_ike_policy){c[i], ike->lifetime_s, mt};
		}
	}
	if (!any)
		return;
	/* Priority order is match order: the strongest suite first. */
	emit_ike_policies_sort(pol, np);
	for (size_t i = 0; i < np; i++) {
		unsigned prio = emit_number(s->ctx, i + 1);
		if (prio > 10000) {
			fail(s, pol[i].mt, model_tunnel_ike(pol[i].mt)->loc,
			     "an ISAKMP policy numbered above "
			     "10000 (lower --base)");
			break;
		}
		strbuf_printf(s->out, "crypto isakmp policy %u" NL, prio);
		strbuf_printf(s->out, " encryption %s" NL, ike1_enc[pol[i].c.enc]);
		strbuf_printf(s->out, " hash %s" NL, ike1_hash[pol[i].c.integ]);
		strbuf_puts(s->out, " authentication pre-share" NL);
		strbuf_printf(s->out, " group %u" NL, pol[i].c.group);
		strbuf_printf(s->out, " lifetime %llu" NL, (unsigned long long)pol[i].lifetime_s);
	}
	/* `dpd`: the keepalive is global for IKEv1 on IOS, so the shortest
	 * interval of the IKEv1 tunnels that set one is written, periodic. */
	const struct model_tunnel *dpd = NULL;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		const struct ir_ike *proposal = model_tunnel_ike(mt);
		if (proposal && proposal->version == 1 && !manual_toward_peer(mt) &&
		    ir_end_dpd(mt->here)->set &&
		    (!dpd || ir_end_dpd(mt->here)->interval_s < ir_end_dpd(dpd->here)->interval_s))
			dpd = mt;
	}
	if (dpd) {
		char where[512];
		emit_loc_text(s->ctx, ir_end_dpd(dpd->here)->loc, where, sizeof(where));
		strbuf_printf(s->out, "! Dead peer detection: dpd of tunnel %s (%s), global for IKEv1; "
			      "retried every 3 s." NL "crypto isakmp keepalive %llu 3 periodic" NL,
			      dpd->ir->name, where, (unsigned long long)ir_end_dpd(dpd->here)->interval_s);
	} else {
		/* The platform row's default (platform.h dpd_default_s). */
		unsigned every = s->mg->platform->dpd_default_s;
		strbuf_printf(s->out, "! Dead peer detection: keepalives every %u s, retried every 3 s." NL,
			      every);
		strbuf_printf(s->out, "crypto isakmp keepalive %u 3" NL, every);
	}
	if (natt)
		strbuf_puts(s->out, "crypto isakmp nat keepalive 20" NL);
	strbuf_puts(s->out, "!" NL);
}

/* ---- IKEv2 ---- */

static void ike2_proposal_name(const struct ir_ike *ike, bool aead, char *buf, size_t size)
{
	char raw[EMIT_NAME_MAX];
	snprintf(raw, sizeof(raw), "%s%s", ike->name ? ike->name : "ike", aead ? "-aead" : "");
	emit_name(buf, size, "tunc-", raw);
}

static void write_ike2_proposal(struct ios *s, const struct model_tunnel *mt, bool aead,
				struct emit_set *written)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	bool has = false;
	for (size_t e = 0; e < ike->encryption.n; e++)
		has |= encryption_is_aead(ike->encryption.v[e]) == aead;
	if (!has)
		return;
	char name[EMIT_NAME_MAX];
	ike2_proposal_name(ike, aead, name, sizeof(name));
	if (!emit_set_add(written, name))
		return;
	strbuf_printf(s->out, "crypto ikev2 proposal %s" NL " encryption", name);
	for (size_t e = 0; e < ike->encryption.n; e++) {
		enum encryption enc = ike->encryption.v[e];
		if (encryption_is_aead(enc) != aead)
			continue;
		if (!ike2_enc[enc]) {
			fail(s, mt, ike->encryption_loc, "this IKEv2 encryption");
			continue;
		}
		strbuf_printf(s->out, " %s", ike2_enc[enc]);
	}
	/* With an AEAD cipher IKEv2 negotiates no integrity, only the PRF. */
	strbuf_puts(s->out, aead ? NL " prf" : NL " integrity");
	for (size_t i = 0; i < ike->integrity.n; i++) {
		enum integrity in = ike->integrity.v[i];
		if (!ike2_integ[in]) {
			fail(s, mt, ike->integrity_loc, "this IKEv2 integrity");
			continue;
		}
		strbuf_printf(s->out, " %s", ike2_integ[in]);
	}
	strbuf_puts(s->out, NL " group");
	for (size_t g = 0; g < ike->group.n; g++)
		strbuf_printf(s->out, " %u", ike->group.v[g]);
	strbuf_puts(s->out, NL);
}

static void write_ike2_global(struct ios *s)
{
	struct emit_set written = {0};
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		const struct ir_ike *ike = model_tunnel_ike(mt);
		if (!ike || ike->version != 2 || manual_toward_peer(mt))
			continue;
		write_ike2_proposal(s, mt, false, &written);
		write_ike2_proposal(s, mt, true, &written);
	}
	if (written.n) {
		/* One policy holding every proposal: a policy without `match`
		 * statements applies to every IKEv2 peer of this router. */
		strbuf_puts(s->out, "crypto ikev2 policy tunc" NL);
		for (size_t i = 0; i < written.n; i++)
			strbuf_printf(s->out, " proposal %s" NL, written.v[i]);
		strbuf_puts(s->out, "!" NL);
	}
	emit_set_free(&written);
}

/* ---- transform sets ---- */

static void write_transform_sets(struct ios *s)
{
	struct emit_set written = {0};
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		struct emit_esp_combo c[EMIT_COMBOS_MAX];
		size_t n = manual_map_combos(mt, c);
		for (size_t i = 0; i < n; i++) {
			char name[EMIT_NAME_MAX];
			emit_tset_name(&c[i], name, sizeof(name));
			if (!emit_set_add(&written, name))
				continue;
			const char *enc = c[i].ah ? NULL : esp_enc[c[i].enc];
			const char *auth = c[i].ah ? ah_auth[c[i].integ] : esp_auth[c[i].integ];
			if ((!c[i].ah && !enc) || (c[i].ah && !auth)) {
				fail(s, mt, model_tunnel_ipsec(mt)->loc, "this transform set");
				continue;
			}
			strbuf_printf(s->out, "crypto ipsec transform-set %s", name);
			if (enc)
				strbuf_printf(s->out, " %s", enc);
			if (auth)
				strbuf_printf(s->out, " %s", auth);
			strbuf_puts(s->out, NL " mode tunnel" NL);
		}
	}
	if (written.n)
		strbuf_puts(s->out, "!" NL);
	emit_set_free(&written);
}

/* ---- per tunnel ---- */

static void write_key(struct ios *s, const struct model_tunnel *mt, const char *peer_addr,
		      const char *local_addr, const char *profile)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	struct secret key;
	if (!emit_psk_read(s->ctx, mt, &key)) {
		s->ok = false;
		return;
	}
	if (!secret_printable(&key, true, s->mg->platform->limits.psk_forbidden)) {
		fail(s, mt, model_tunnel_psk(mt)->loc,
		     "this pre-shared key: IOS takes no space, '?', '\"' "
		     "or non-printable character in a key");
		secret_free(&key);
		return;
	}
	s->ctx->holds_key = true;
	char peer[EMIT_NAME_MAX];
	emit_name(peer, sizeof(peer), "", model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "peer");
	if (ike->version == 2) {
		strbuf_printf(s->out, "crypto ikev2 keyring %s" NL, profile);
		strbuf_printf(s->out, " peer %s" NL, peer);
		strbuf_printf(s->out, "  address %s%s" NL, peer_addr,
			      model_tunnel_remote_ep(mt)->family == AF_V6 ? "/128" : "");
		strbuf_printf(s->out, "  pre-shared-key %.*s" NL, (int)key.len, (const char *)key.bytes);
		strbuf_puts(s->out, "!" NL);
		strbuf_printf(s->out, "crypto ikev2 profile %s" NL, profile);
		/* IPv4 takes an address and mask, IPv6 an address/prefix
		 * (command reference, "match identity" and the keyring's
		 * "address"); doc/emitters.md, route-based tunnels. */
		if (model_tunnel_remote_ep(mt)->family == AF_V6)
			strbuf_printf(s->out, " match identity remote address %s/128" NL, peer_addr);
		else
			strbuf_printf(s->out, " match identity remote address %s 255.255.255.255" NL,
				      peer_addr);
		strbuf_printf(s->out, " identity local address %s" NL, local_addr);
		strbuf_puts(s->out, " authentication remote pre-share" NL);
		strbuf_puts(s->out, " authentication local pre-share" NL);
		strbuf_puts(s->out, " ! Uncertain: releases before 15.x take `keyring NAME`." NL);
		strbuf_printf(s->out, " keyring local %s" NL, profile);
		/* The IKE SA lifetime lives in the profile (120-86400 s). */
		strbuf_printf(s->out, " lifetime %llu" NL, (unsigned long long)ike->lifetime_s);
		strbuf_printf(s->out, " dpd %llu 3 periodic" NL, ir_end_dpd(mt->here)->set ?
			      (unsigned long long)ir_end_dpd(mt->here)->interval_s
			      : (unsigned long long)s->mg->platform->dpd_default_s);
		strbuf_puts(s->out, "!" NL);
	} else if (ike->mode == IKE_MODE_AGGRESSIVE) {
		strbuf_puts(s->out, "! Aggressive mode: the key is given per peer (uncertain: syntax "
				    "from secondary sources)." NL);
		strbuf_printf(s->out, "crypto isakmp peer address %s" NL, peer_addr);
		strbuf_printf(s->out, " set aggressive-mode password %.*s" NL, (int)key.len,
			      (const char *)key.bytes);
		strbuf_printf(s->out, " set aggressive-mode client-endpoint ipv4-address %s" NL,
			      local_addr);
		strbuf_puts(s->out, "!" NL);
	} else {
		strbuf_printf(s->out, "crypto isakmp key %.*s address %s" NL, (int)key.len,
			      (const char *)key.bytes, peer_addr);
	}
	secret_free(&key);
}

static void write_acl(struct ios *s, const struct model_tunnel *mt, const char *acl)
{
	strbuf_printf(s->out, "ip access-list extended %s" NL, acl);
	struct selector_pairs v6 = model_tunnel_selectors(mt, AF_V6);
	for (size_t i = 0; i < v6.n; i++)
		fail(s, mt, v6.v[i].local->loc, "an IPv6 selector in an IPv4 crypto map");
	struct selector_pairs v4 = model_tunnel_selectors(mt, AF_V4);
	for (size_t i = 0; i < v4.n; i++) {
		const struct selector *sel = &v4.v[i].sel;
		strbuf_puts(s->out, " permit ");
		emit_acl_proto(s->out, sel->proto, "ahp");
		strbuf_putc(s->out, ' ');
		emit_acl_addr(s->out, &sel->src, true);
		strbuf_putc(s->out, ' ');
		emit_acl_addr(s->out, &sel->dst, true);
		emit_acl_ports(s->out, sel->port_lo, sel->port_hi);
		strbuf_puts(s->out, NL);
	}
	if (!v4.n)
		strbuf_puts(s->out, " ! no selector pair: this tunnel protects nothing" NL);
	strbuf_puts(s->out, "!" NL);
}

/* ---- manual keys toward a far end keyed by hand ---- */

/* Can this tunnel be keyed by hand here?  Reports why not. */
static bool manual_check(struct ios *s, const struct model_tunnel *mt, struct manual_suite *ms)
{
	char what[300];
	struct tunc_loc loc;
	if (manual_cisco_check(mt, ms, what, sizeof(what), &loc))
		return true;
	fail(s, mt, loc, what);
	return false;
}

static void write_manual_entry(struct ios *s, const struct model_tunnel *mt,
			       const struct manual_suite *ms, const char *map, unsigned seq,
			       const char *peer, const char *acl)
{
	struct sa_keys outk, ink;
	if (!manual_keys(s->ctx, mt, ms, &outk, &ink)) {
		s->ok = false;
		return;
	}
	const struct ir_gateway *far = model_tunnel_peer(mt);
	manual_cisco_comment(s->out, "!", mt, ms);
	strbuf_printf(s->out, "crypto map %s %u ipsec-manual" NL, map, seq);
	char desc[EMIT_NAME_MAX];
	emit_name(desc, sizeof(desc), "", mt->ir->name);
	strbuf_printf(s->out, " description tunc tunnel %s", desc);
	emit_name(desc, sizeof(desc), "", far->name);
	strbuf_printf(s->out, " to %s (manual keys)" NL, desc);
	strbuf_printf(s->out, " set peer %s" NL, peer);
	struct emit_esp_combo c = {.ah = ms->ah, .enc = ms->enc, .integ = ms->integ};
	char ts[EMIT_NAME_MAX];
	emit_tset_name(&c, ts, sizeof(ts));
	strbuf_printf(s->out, " set transform-set %s" NL, ts);
	/* Inbound: what the far end sends with (its outbound state). */
	manual_cisco_session_key(s->out, " ", "inbound", ms, &ink);
	manual_cisco_session_key(s->out, " ", "outbound", ms, &outk);
	strbuf_printf(s->out, " match address %s" NL, acl);
	strbuf_puts(s->out, "!" NL);
	keys_wipe(&outk);
	keys_wipe(&ink);
}

/* ---- route-based ends: virtual tunnel interfaces ----
 * Cisco IOS Security Configuration Guide, "IPsec Virtual Tunnel
 * Interfaces": `interface TunnelN`, `tunnel source`, `tunnel destination`,
 * `tunnel mode ipsec ipv4|ipv6`, `tunnel protection ipsec profile`, and
 * `crypto ipsec profile` holding the transform sets (doc/emitters.md). */

/* TunnelN: N is the tunnel's place among this router's tunnels, so the
 * number is stable as long as the file's order is. */
/* What a crypto map entry and a VTI's IPsec profile both say about the SA:
 * transform sets, IKEv2 profile, PFS, lifetimes. */
static void write_sa_settings(struct ios *s, const struct model_tunnel *mt, const char *profile)
{
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	strbuf_puts(s->out, " set transform-set");
	struct emit_esp_combo c[EMIT_COMBOS_MAX];
	size_t n = emit_ipsec_combos(ipsec, c, EMIT_COMBOS_MAX);
	emit_tset_list(s->out, c, n);
	strbuf_puts(s->out, NL);
	if (model_tunnel_ike(mt)->version == 2)
		strbuf_printf(s->out, " set ikev2-profile %s" NL, profile);
	if (ipsec->pfs)
		strbuf_printf(s->out, " set pfs group%u" NL, ipsec->pfs);
	strbuf_printf(s->out, " set security-association lifetime seconds %llu" NL,
		      (unsigned long long)ipsec->lifetime_s);
	if (ipsec->lifetime_kb)
		strbuf_printf(s->out, " set security-association lifetime kilobytes %llu" NL,
			      (unsigned long long)ipsec->lifetime_kb);
}

static size_t vti_number(const struct model_gateway *mg, const struct model_tunnel *mt)
{
	for (size_t t = 0; t < mg->tunnels.n; t++)
		if (mg->tunnels.v[t] == mt)
			return t;
	return 0;
}

static void write_vti(struct ios *s, const struct model_tunnel *mt, const char *peer,
		      const char *local, const char *profile)
{
	if (model_tunnel_ike(mt)->version == 1 && model_tunnel_remote_ep(mt)->family == AF_V6) {
		fail(s, mt, ir_end_route_based(mt->here)->loc, "an IKEv1 key for an IPv6 peer");
		return;
	}
	/* A static VTI's IPsec SA is always any to any (platform-limit). */
	if (s->mg->platform->limits.route_based_any && (mt->here->local_set || mt->here->remote_set)) {
		fail(s, mt, ir_end_route_based(mt->here)->loc, "a tunnel interface with narrowed selectors "
		     "(an IOS static VTI proposes any to any)");
		return;
	}
	write_key(s, mt, peer, local, profile);
	strbuf_printf(s->out, "crypto ipsec profile %s" NL, profile);
	write_sa_settings(s, mt, profile);
	strbuf_puts(s->out, "!" NL);

	bool v6 = ir_end_tunnel_address(mt->here)->addr.family == AF_V6;
	char addr[ADDR_STRLEN], desc[EMIT_NAME_MAX];
	emit_addr(&ir_end_tunnel_address(mt->here)->addr, addr, sizeof(addr));
	strbuf_printf(s->out, "interface Tunnel%zu" NL, vti_number(s->mg, mt));
	emit_name(desc, sizeof(desc), "", mt->ir->name);
	strbuf_printf(s->out, " description tunc tunnel %s", desc);
	emit_name(desc, sizeof(desc), "", model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "?");
	strbuf_printf(s->out, " to %s" NL, desc);
	if (v6)
		strbuf_printf(s->out, " ipv6 address %s/%u" NL, addr, ir_end_tunnel_address(mt->here)->len);
	else {
		char m[ADDR_STRLEN];
		v4_mask_format(ir_end_tunnel_address(mt->here)->len, false, m, sizeof(m));
		strbuf_printf(s->out, " ip address %s %s" NL, addr, m);
	}
	if (ir_end_tcp_mss(mt->here)->mode == TCP_MSS_AUTO || ir_end_tcp_mss(mt->here)->mode == TCP_MSS_FIXED)
		strbuf_printf(s->out, " %s tcp adjust-mss %u" NL, v6 ? "ipv6" : "ip", emit_tcp_mss(s->mg, mt, emit_inner_family(mt)));
	const struct ir_interface *ifc = mt->here->endpoint_iface;
	if (ifc)
		strbuf_printf(s->out, " tunnel source %s" NL, ifc->name);
	else
		strbuf_printf(s->out, " tunnel source %s" NL, local);
	strbuf_printf(s->out, " tunnel mode ipsec %s" NL,
		      model_tunnel_remote_ep(mt)->family == AF_V6 ? "ipv6" : "ipv4");
	strbuf_printf(s->out, " tunnel destination %s" NL, peer);
	strbuf_printf(s->out, " tunnel protection ipsec profile %s" NL, profile);
	strbuf_puts(s->out, "!" NL);
}

static void write_tunnel(struct ios *s, const struct model_tunnel *mt)
{
	emit_tunnel_banner(s->ctx, mt, s->out, "!", NL);
	if (!model_tunnel_ike(mt) || !model_tunnel_ipsec(mt)) {
		fail(s, mt, mt->ir->loc, "a tunnel without IKE and IPsec proposals");
		return;
	}
	char peer[ADDR_STRLEN], local[ADDR_STRLEN];
	emit_addr(model_tunnel_remote_ep(mt), peer, sizeof(peer));
	emit_addr(model_tunnel_local_ep(mt), local, sizeof(local));
	if (!model_tunnel_remote_ep(mt)->family) {
		fail(s, mt, mt->ir->loc, "a crypto map without the peer's address");
		return;
	}
	char profile[EMIT_NAME_MAX], acl[EMIT_NAME_MAX];
	emit_name(profile, sizeof(profile), "tunc-", mt->ir->name);
	if (mt->route_based) {
		write_vti(s, mt, peer, local, profile);
		return;
	}
	if (model_tunnel_remote_ep(mt)->family != AF_V4) {
		fail(s, mt, mt->ir->loc, "an IPv6 crypto map peer");
		return;
	}
	emit_name(acl, sizeof(acl), "tunc-", mt->ir->name);
	bool manual = manual_toward_peer(mt);
	struct manual_suite ms;
	if (manual && !manual_check(s, mt, &ms))
		return;
	if (!manual)
		write_key(s, mt, peer, local, profile);
	write_acl(s, mt, acl);

	const struct ir_interface *ifc = mt->here->endpoint_iface;
	const char *ifname = ifc ? ifc->name : NULL;
	emit_set_add(&s->maps, ifname ? ifname : "");
	long mi = emit_set_index(&s->maps, ifname ? ifname : "");
	unsigned seq = s->ctx->base + (mi >= 0 && mi < 64 ? (s->map_seq[mi] += 10) : 10);
	char map[EMIT_NAME_MAX];
	map_name(ifname, map, sizeof(map));
	if (manual) {
		write_manual_entry(s, mt, &ms, map, seq, peer, acl);
		return;
	}
	strbuf_printf(s->out, "crypto map %s %u ipsec-isakmp" NL, map, seq);
	char desc[EMIT_NAME_MAX];
	emit_name(desc, sizeof(desc), "", mt->ir->name);
	strbuf_printf(s->out, " description tunc tunnel %s", desc);
	emit_name(desc, sizeof(desc), "", model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "?");
	strbuf_printf(s->out, " to %s" NL, desc);
	strbuf_printf(s->out, " set peer %s" NL, peer);
	write_sa_settings(s, mt, profile);
	strbuf_printf(s->out, " match address %s" NL, acl);
	strbuf_puts(s->out, "!" NL);
}

/* ---- interfaces, NAT, routes ---- */

static bool nat_translates(const struct emit_nat_list *nat)
{
	for (size_t i = 0; i < nat->n; i++)
		if (nat->v[i].kind != NAT_EXEMPT)
			return true;
	return false;
}

static bool nat_outside(const struct ir_interface *ifc, const struct ir_gateway *g)
{
	if (ifc->outside)
		return true;
	for (size_t i = 0; i < g->nat.n; i++)
		if (g->nat.v[i].kind == NAT_OVERLOAD && g->nat.v[i].iface.target == ifc)
			return true;
	return false;
}

/* Filter F on interface IFC as an extended ACL, rule for rule, ending with
 * its default: `ip access-group` binds it in write_interfaces.  IOS runs the
 * inbound ACL before decryption and the outbound one after NAT and
 * encryption, where the model's pipeline puts the filter (platform.c). */
static bool write_filter_acl(struct ios *s, const struct ir_interface *ifc, const struct ir_filter *f)
{
	const struct ir_filter_rule *bad;
	char why[300], acl[EMIT_NAME_MAX], where[512];
	if (!filter_expressible(s->mg->platform, s->mg->ir, f, &bad, why, sizeof(why))) {
		emit_error(s->ctx, s->mg, "filter-unsupported", bad ? bad->loc : f->loc,
			   "the ios emitter cannot write filter %s on %s: %s",
			   f->dir == FILTER_IN ? "in" : "out", ifc->name, why);
		s->ok = false;
		return false;
	}
	emit_filter_acl_name(ifc->name, f, acl, sizeof(acl));
	emit_loc_text(s->ctx, f->loc, where, sizeof(where));
	strbuf_printf(s->out, "! filter %s on %s (%s); removed first so that a second paste "
		      "does not append to it" NL, f->dir == FILTER_IN ? "in" : "out", ifc->name, where);
	strbuf_printf(s->out, "no ip access-list extended %s" NL, acl);
	strbuf_printf(s->out, "ip access-list extended %s" NL, acl);
	for (size_t i = 0; i < f->rules.n; i++) {
		strbuf_putc(s->out, ' ');
		emit_filter_ace(s->out, &f->rules.v[i], true, "ahp");
		strbuf_puts(s->out, NL);
	}
	strbuf_putc(s->out, ' ');
	emit_filter_default_ace(s->out, f);
	strbuf_puts(s->out, NL "!" NL);
	return true;
}

static void write_filter_acls(struct ios *s)
{
	const struct ir_gateway *g = s->mg->ir;
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		if (ir_iface_written(ifc)->filter_in)
			write_filter_acl(s, ifc, ir_iface_written(ifc)->filter_in);
		if (ir_iface_written(ifc)->filter_out)
			write_filter_acl(s, ifc, ir_iface_written(ifc)->filter_out);
	}
}

static void write_access_groups(struct ios *s, const struct ir_interface *ifc)
{
	const struct ir_filter *fs[2] = {ir_iface_written(ifc)->filter_in, ir_iface_written(ifc)->filter_out};
	for (int d = 0; d < 2; d++) {
		if (!fs[d])
			continue;
		char acl[EMIT_NAME_MAX];
		emit_filter_acl_name(ifc->name, fs[d], acl, sizeof(acl));
		strbuf_printf(s->out, " ip access-group %s %s" NL, acl, d == 0 ? "in" : "out");
	}
}

/* `tcp-mss` of a crypto-map tunnel: `ip tcp adjust-mss` on the inside
 * interface its local subnets are on (a crypto map is no interface of its
 * own).  It clamps every TCP SYN through that interface, toward the tunnel
 * or not, so the smallest of the tunnels' values there is written. */
static void write_inside_mss(struct ios *s, const struct ir_interface *ifc)
{
	if (ifc->outside)
		return;
	unsigned mss = 0;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		if (mt->route_based)
			continue;               /* clamped on its tunnel interface */
		unsigned m = emit_tcp_mss(s->mg, mt, AF_V4);
		bool here = false;
		for (size_t l = 0; l < mt->here->local.n && !here; l++) {
			struct ip_addr a = prefix_first_host(&mt->here->local.v[l].p);
			here = a.family == AF_V4 && emit_iface_for(s->mg, &a) == ifc;
		}
		if (m && here && (!mss || m < mss))
			mss = m;
	}
	if (mss)
		strbuf_printf(s->out, " ip tcp adjust-mss %u" NL, mss);
}

static void write_interfaces(struct ios *s, const struct emit_nat_list *nat)
{
	const struct ir_gateway *g = s->mg->ir;
	bool translates = nat_translates(nat);
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		long mi = emit_set_index(&s->maps, ifc->name);
		strbuf_printf(s->out, "interface %s" NL, ifc->name);
		if (ifc->has_address) {
			char a[ADDR_STRLEN], m[ADDR_STRLEN];
			emit_addr(&ifc->address.addr, a, sizeof(a));
			if (ifc->address.addr.family == AF_V4) {
				v4_mask_format(ifc->address.len, false, m, sizeof(m));
				strbuf_printf(s->out, " ip address %s %s" NL, a, m);
			} else
				strbuf_printf(s->out, " ipv6 address %s/%u" NL, a, ifc->address.len);
		}
		if (translates)
			strbuf_printf(s->out, " ip nat %s" NL, nat_outside(ifc, g) ? "outside" : "inside");
		if (mi >= 0) {
			char map[EMIT_NAME_MAX];
			map_name(ifc->name, map, sizeof(map));
			strbuf_printf(s->out, " crypto map %s" NL, map);
		}
		write_inside_mss(s, ifc);
		write_access_groups(s, ifc);
		strbuf_puts(s->out, "!" NL);
	}
	/* A peer has no interfaces described: say where the map goes. */
	long mi = emit_set_index(&s->maps, "");
	if (mi >= 0) {
		char map[EMIT_NAME_MAX];
		map_name(NULL, map, sizeof(map));
		strbuf_printf(s->out, "! Apply crypto map %s to the interface that holds this "
			      "router's tunnel address:" NL "!   interface <outside>" NL
			      "!    crypto map %s" NL "!" NL, map, map);
	}
}

static void write_nat(struct ios *s, const struct emit_nat_list *nat)
{
	const struct ir_gateway *g = s->mg->ir;
	unsigned k = 0;
	for (size_t i = 0; i < nat->n; i++) {
		const struct emit_nat_line *o = &nat->v[i];
		if (o->kind == NAT_STATIC) {
			char from[ADDR_STRLEN], to[ADDR_STRLEN];
			emit_addr(&o->src.addr, from, sizeof(from));
			emit_addr(&o->dst.addr, to, sizeof(to));
			strbuf_printf(s->out, "ip nat inside source static %s %s" NL, from, to);
			continue;
		}
		if (o->kind != NAT_OVERLOAD)
			continue;
		if (o->src.addr.family != AF_V4) {
			fail(s, NULL, o->rule->loc, "IPv6 NAT");
			continue;
		}
		/* The rules before this overload, in order: an exemption is a
		 * `deny` (IOS NAT skips what the list denies), then the permit. */
		char acl[EMIT_NAME_MAX], num[16];
		snprintf(num, sizeof(num), "%u", ++k);
		emit_name(acl, sizeof(acl), "tunc-nat-", num);
		strbuf_printf(s->out, "ip access-list extended %s" NL, acl);
		for (size_t j = 0; j < i; j++) {
			const struct emit_nat_line *x = &nat->v[j];
			if (x->kind != NAT_EXEMPT || x->src.addr.family != AF_V4)
				continue;
			strbuf_puts(s->out, " deny   ip ");
			emit_acl_addr(s->out, &x->src, true);
			strbuf_putc(s->out, ' ');
			emit_acl_addr(s->out, &x->dst, true);
			strbuf_puts(s->out, NL);
		}
		strbuf_puts(s->out, " permit ip ");
		emit_acl_addr(s->out, &o->src, true);
		strbuf_puts(s->out, " any" NL "!" NL);
		const struct ir_interface *ifc = o->rule->iface.target;
		const char *ifname = ifc ? ifc->name : o->rule->iface.name ? o->rule->iface.name : "?";
		/* A route-map that also matches the exit interface: with several
		 * uplinks each overload translates only what leaves by its own
		 * interface (a bare `source list` would take whichever list
		 * matches first, whatever the exit). */
		strbuf_printf(s->out, "route-map %s permit 10" NL, acl);
		strbuf_printf(s->out, " match ip address %s" NL, acl);
		strbuf_printf(s->out, " match interface %s" NL "!" NL, ifname);
		strbuf_printf(s->out, "ip nat inside source route-map %s interface %s overload" NL,
			      acl, ifname);
		strbuf_puts(s->out, "!" NL);
	}
	(void)g;
}

/* Where a route points: "IFACE NEXTHOP" when `dev` was written (a next hop
 * IOS could not resolve on its own, such as a /32 dialer's peer: a fully
 * specified static route), the next hop, or the interface alone. */
static void route_target(const struct model_route *r, char *buf, size_t size)
{
	char via[ADDR_STRLEN];
	if (!r->via.family) {
		snprintf(buf, size, "%s", r->iface ? r->iface->name : "Null0");
		return;
	}
	emit_addr(&r->via, via, sizeof(via));
	if (r->iface_written && r->iface)
		snprintf(buf, size, "%s %s", r->iface->name, via);
	else
		snprintf(buf, size, "%s", via);
}

static void write_routes(struct ios *s)
{
	struct model_route scratch;
	for (size_t i = 0, n_routes = model_route_count(s->mg); i < n_routes; i++) {
		const struct model_route *r = model_route_at(s->mg, i, &scratch);
		if (r->connected)
			continue;
		char net[ADDR_STRLEN], via[ADDR_STRLEN + EMIT_NAME_MAX + 2];
		emit_net(&r->dst, net, sizeof(net));
		if (r->tunnel)
			snprintf(via, sizeof(via), "Tunnel%zu", vti_number(s->mg, r->tunnel));
		else
			route_target(r, via, sizeof(via));
		if (r->dst.addr.family == AF_V4) {
			char m[ADDR_STRLEN];
			v4_mask_format(r->dst.len, false, m, sizeof(m));
			strbuf_printf(s->out, "ip route %s %s %s", net, m, via);
		} else
			strbuf_printf(s->out, "ipv6 route %s/%u %s", net, r->dst.len, via);
		/* A metric above the default becomes the administrative distance. */
		if (r->metric > 1)
			strbuf_printf(s->out, " %u", r->metric);
		strbuf_puts(s->out, NL);
	}
}

bool emit_ios(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct ios s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	emit_header(ctx, mg, out, "!", NL, mg->tunnels.n > 0);
	strbuf_puts(out, "!" NL);
	write_isakmp_policies(&s);
	write_ike2_global(&s);
	write_transform_sets(&s);
	for (size_t t = 0; t < mg->tunnels.n; t++)
		write_tunnel(&s, mg->tunnels.v[t]);
	struct emit_nat_list nat;
	emit_nat_expand(mg, &nat);
	write_filter_acls(&s);
	write_interfaces(&s, &nat);
	write_nat(&s, &nat);
	emit_nat_free(&nat);
	write_routes(&s);
	strbuf_puts(out, "end" NL);
	emit_set_free(&s.isakmp);
	emit_set_free(&s.maps);
	return s.ok;
}
