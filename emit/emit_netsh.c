/* Windows: a .cmd script of netsh commands.
 *
 * Windows 2000/2003 and ISA Server (dialects "ipsec-static", "isa"): the
 * legacy IPsec Policy Agent, `netsh ipsec static`, built the way KB 252735
 * (seed 002) builds a tunnel: one policy per gateway, per tunnel two one-way
 * filter lists, one filter action and two rules whose tunnel endpoints are
 * the peer (outbound) and this gateway (inbound); static routes for the
 * inner subnets because the tunnel is not a routable interface (seed 004).
 * ISA's filter lists hold what ISA builds from a remote site, its own
 * external address included (seed 001), and the remote-site settings are
 * written as comments.
 *
 * Windows 2008 and later (dialect "advfirewall"): the main-mode proposals
 * are global and each tunnel is one `consec` rule in tunnel mode. */
#include "config.h"
#include "emit/common.h"
#include "emit/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NL "\r\n"
#define CMT "REM"

struct netsh {
	struct emit_ctx *ctx;
	const struct model_gateway *mg;
	struct strbuf *out;
	bool ok;
	bool isa;
	char policy[EMIT_NAME_MAX];
};

static void fail(struct netsh *s, const struct model_tunnel *mt, struct tunc_loc loc,
		 const char *what)
{
	struct diag *d = emit_error(s->ctx, s->mg, "platform-unsupported", loc, "the netsh emitter cannot write %s for %s (%s)",
				    what, s->mg->ir->name, s->mg->platform->description);
	if (mt)
		diag_tunnel(d, mt->ir->name);
	s->ok = false;
}

/* A main-mode method (IKE suite C of MT) that Windows cannot run. */
static void fail_mm_method(struct netsh *s, const struct model_tunnel *mt,
			   const struct emit_ike_combo *c)
{
	char what[128];
	snprintf(what, sizeof(what), "a main-mode method %s/%s/group %u", encryption_name(c->enc),
		 integrity_name(c->integ), c->group);
	fail(s, mt, mt->ike->loc, what);
}

/* Writes KEY inside a double-quoted cmd.exe argument: '%' doubles (a batch
 * file expands %VAR%); a '"' cannot be written at all. */
static bool put_key(struct netsh *s, const struct model_tunnel *mt, const struct emit_secret *key)
{
	if (!emit_secret_plain(key, true, s->mg->platform->limits.psk_forbidden)) {
		fail(s, mt, mt->psk->loc, "this pre-shared key: a cmd.exe argument takes no '\"' "
		     "or non-printable character");
		return false;
	}
	for (size_t i = 0; i < key->len; i++) {
		if (key->bytes[i] == '%')
			strbuf_putc(s->out, '%');
		strbuf_putc(s->out, (char)key->bytes[i]);
	}
	s->ctx->holds_key = true;
	return true;
}

/* ---- legacy `netsh ipsec static` ---- */

/* ConfAlg-HashAlg-GroupNum; NULL: not offered by the Policy Agent. */
static const char *const mm_conf[ENC__COUNT] = {[ENC_DES] = "DES", [ENC_3DES] = "3DES"};
static const char *const mm_hash[INTEG__COUNT] = {[INTEG_MD5] = "MD5", [INTEG_SHA1] = "SHA1"};
static const char *const qm_conf[ENC__COUNT] = {
	[ENC_NULL] = "None", [ENC_DES] = "DES", [ENC_3DES] = "3DES",
};
static const char *const qm_auth[INTEG__COUNT] = {
	[INTEG_NONE] = "None", [INTEG_MD5] = "MD5", [INTEG_SHA1] = "SHA1",
};

static int mm_group(unsigned g)
{
	/* GroupNum 1 = low (DH group 1), 2 = medium (group 2), 3 = DH2048 (group 14). */
	return g == 1 ? 1 : g == 2 ? 2 : g == 14 ? 3 : 0;
}

static void filter_addr(struct strbuf *out, const char *which, const struct ip_prefix *p)
{
	char a[ADDR_STRLEN], m[ADDR_STRLEN];
	if (p->len == 0) {
		strbuf_printf(out, " %saddr=any", which);
		return;
	}
	emit_net(p, a, sizeof(a));
	v4_mask_format(p->len, false, m, sizeof(m));
	strbuf_printf(out, " %saddr=%s %smask=%s", which, a, which, m);
}

static void write_filter_list(struct netsh *s, const struct model_tunnel *mt, enum spd_dir dir,
			      const char *list)
{
	const struct ir_tunnel_end *e = mt->here;
	strbuf_printf(s->out, "netsh ipsec static add filterlist name=\"%s\"" NL, list);
	size_t n = 0;
	for (size_t i = 0; i < s->mg->spd[dir].n; i++) {
		const struct spd_entry *en = &s->mg->spd[dir].v[i];
		if (en->tunnel != mt || en->action != SPD_PROTECT)
			continue;
		if (en->sel.src.addr.family != AF_V4) {
			fail(s, mt, en->loc, "an IPv6 tunnel filter");
			continue;
		}
		if (en->origin == ORIGIN_PLATFORM && en->note)
			strbuf_printf(s->out, CMT " %s (the platform adds this filter on its own)" NL,
				      en->note);
		strbuf_printf(s->out, "netsh ipsec static add filter filterlist=\"%s\"", list);
		filter_addr(s->out, "src", &en->sel.src);
		filter_addr(s->out, "dst", &en->sel.dst);
		unsigned proto = en->sel.proto;
		if (proto == PROTO_ANY)
			strbuf_puts(s->out, " protocol=ANY");
		else if (proto == 1 || proto == 6 || proto == 17)
			strbuf_printf(s->out, " protocol=%s", proto == 1 ? "ICMP" : proto == 6 ? "TCP" : "UDP");
		else
			strbuf_printf(s->out, " protocol=%u", proto);
		if (en->sel.port_lo || en->sel.port_hi) {
			if (en->sel.port_lo != en->sel.port_hi) {
				fail(s, mt, e->protocol_loc, "a port range in a filter (one port only)");
				continue;
			}
			strbuf_printf(s->out, " dstport=%u", en->sel.port_lo);
		}
		strbuf_printf(s->out, " mirrored=%s" NL, e->mirrored ? "yes" : "no");
		n++;
	}
	if (!n)
		strbuf_puts(s->out, CMT " no selector pair: this filter list is empty" NL);
}

static void legacy_cleanup(struct netsh *s)
{
	/* Re-running replaces what an earlier run installed: the policy (and
	 * with it its rules), then its filter lists and filter actions. */
	strbuf_puts(s->out, CMT " Remove what an earlier run of this script installed." NL);
	strbuf_printf(s->out, "netsh ipsec static set policy name=\"%s\" assign=no >nul 2>&1" NL,
		      s->policy);
	strbuf_printf(s->out, "netsh ipsec static delete policy name=\"%s\" >nul 2>&1" NL, s->policy);
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		char base[EMIT_NAME_MAX];
		emit_name(base, sizeof(base), "tunc-", s->mg->tunnels.v[t]->ir->name);
		strbuf_printf(s->out, "netsh ipsec static delete filterlist name=\"%s-out\" >nul 2>&1" NL
				      "netsh ipsec static delete filterlist name=\"%s-in\" >nul 2>&1" NL
				      "netsh ipsec static delete filteraction name=\"%s\" >nul 2>&1" NL,
			      base, base, base);
	}
}

static void legacy_policy(struct netsh *s)
{
	struct emit_set seen = {0};
	uint64_t lifetime = 0;
	bool lifetimes_differ = false;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		if (!mt->ike)
			continue;
		if (mt->ike->version != 1)
			fail(s, mt, mt->ike->version_loc.file ? mt->ike->version_loc : mt->ike->loc,
			     "IKEv2 (the IPsec Policy Agent speaks IKEv1 only)");
		if (mt->ike->mode == IKE_MODE_AGGRESSIVE)
			fail(s, mt, mt->ike->mode_loc, "aggressive mode (Windows has main mode only)");
		if (!lifetime)
			lifetime = mt->ike->lifetime_s;
		else if (lifetime != mt->ike->lifetime_s)
			lifetimes_differ = true;
		struct emit_ike_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ike_combos(mt->ike, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			if (!mm_conf[c[i].enc] || !mm_hash[c[i].integ] || !mm_group(c[i].group)) {
				fail_mm_method(s, mt, &c[i]);
				continue;
			}
			char m[64];
			snprintf(m, sizeof(m), "%s-%s-%d", mm_conf[c[i].enc], mm_hash[c[i].integ],
				 mm_group(c[i].group));
			emit_set_add(&seen, m);
		}
	}
	if (lifetimes_differ)
		strbuf_puts(s->out, CMT " The tunnels describe different IKE lifetimes; one policy "
				    "has one main-mode lifetime: the first tunnel's." NL);
	strbuf_printf(s->out, "netsh ipsec static add policy name=\"%s\" description=\"tunc: "
		      "tunnels of %s\" mmpfs=no mmlifetime=%llu activatedefaultrule=no assign=no "
		      "mmsecmethods=\"", s->policy, s->policy + 5, emit_minutes(lifetime));
	for (size_t i = 0; i < seen.n; i++)
		strbuf_printf(s->out, "%s%s", i ? " " : "", seen.v[i]);
	strbuf_puts(s->out, "\"" NL);
	emit_set_free(&seen);
}

static void isa_remote_site(struct netsh *s, const struct model_tunnel *mt)
{
	char peer[ADDR_STRLEN], local[ADDR_STRLEN];
	emit_addr(&mt->remote_endpoint, peer, sizeof(peer));
	emit_addr(&mt->local_endpoint, local, sizeof(local));
	strbuf_puts(s->out, CMT " ISA Server remote site for this tunnel (Networks > Remote Sites), "
			    "as described:" NL);
	strbuf_printf(s->out, CMT "   Name: %s   VPN protocol: IP Security protocol (IPsec) tunnel mode" NL,
		      mt->peer ? mt->peer->name : "?");
	strbuf_printf(s->out, CMT "   Remote site gateway IP address: %s   Local VPN gateway IP "
		      "address: %s" NL, peer, local);
	strbuf_printf(s->out, CMT "   Addresses (remote networks):");
	for (size_t r = 0; r < mt->here->remote.n; r++) {
		char p[ADDR_STRLEN];
		prefix_format(&mt->here->remote.v[r].p, p, sizeof(p), true);
		strbuf_printf(s->out, " %s", p);
	}
	strbuf_puts(s->out, NL);
	if (mt->ike && mt->ike->encryption.n && mt->ike->integrity.n && mt->ike->group.n)
		strbuf_printf(s->out, CMT "   Phase I: %s / %s / DH group %u / %llu s" NL,
			      encryption_name(mt->ike->encryption.v[0]),
			      integrity_name(mt->ike->integrity.v[0]), mt->ike->group.v[0],
			      (unsigned long long)mt->ike->lifetime_s);
	if (mt->ipsec) {
		strbuf_printf(s->out, CMT "   Phase II: %s %s / %s / %llu s / PFS %s" NL,
			      mt->ipsec->protocol == IPSEC_AH ? "AH" : "ESP",
			      mt->ipsec->encryption.n ? encryption_name(mt->ipsec->encryption.v[0]) : "-",
			      mt->ipsec->integrity.n ? integrity_name(mt->ipsec->integrity.v[0]) : "none",
			      (unsigned long long)mt->ipsec->lifetime_s, mt->ipsec->pfs ? "on" : "off");
	}
	strbuf_puts(s->out, CMT "   Authentication: pre-shared key (as in the rules below)" NL);
}

static void legacy_tunnel(struct netsh *s, const struct model_tunnel *mt)
{
	emit_tunnel_banner(s->ctx, mt, s->out, CMT, NL);
	if (!mt->ike || !mt->ipsec) {
		fail(s, mt, mt->ir->loc, "a tunnel without IKE and IPsec proposals");
		return;
	}
	if (s->isa)
		isa_remote_site(s, mt);
	char base[EMIT_NAME_MAX], out_list[EMIT_NAME_MAX + 8], in_list[EMIT_NAME_MAX + 8];
	emit_name(base, sizeof(base), "tunc-", mt->ir->name);
	snprintf(out_list, sizeof(out_list), "%s-out", base);
	snprintf(in_list, sizeof(in_list), "%s-in", base);
	/* Two one-way filter lists (KB 252735: not mirrored, address only). */
	write_filter_list(s, mt, SPD_OUT, out_list);
	write_filter_list(s, mt, SPD_IN, in_list);

	struct emit_esp_combo c[EMIT_COMBOS_MAX];
	size_t n = emit_ipsec_combos(mt->ipsec, c, EMIT_COMBOS_MAX);
	unsigned long long kb = mt->ipsec->lifetime_kb ? mt->ipsec->lifetime_kb : 100000;
	if (!mt->ipsec->lifetime_kb)
		strbuf_puts(s->out, CMT " No volume lifetime is described: 100000k is the Windows "
				    "default, written because the method syntax takes both." NL);
	if (mt->ipsec->pfs)
		strbuf_printf(s->out, CMT " PFS group %u is described; the Policy Agent chooses the "
			      "PFS group itself (uncertain: believed to be the main-mode group)." NL,
			      mt->ipsec->pfs);
	strbuf_printf(s->out, "netsh ipsec static add filteraction name=\"%s\" qmpfs=%s inpass=%s "
		      "soft=no action=negotiate qmsecmethods=\"", base, mt->ipsec->pfs ? "yes" : "no",
		      mt->here->accept_unsecured ? "yes" : "no");
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_putc(s->out, ' ');
		if (c[i].ah) {
			if (!mm_hash[c[i].integ]) {
				fail(s, mt, mt->ipsec->loc, "this AH integrity");
				continue;
			}
			strbuf_printf(s->out, "AH[%s]", mm_hash[c[i].integ]);
		} else {
			if (!qm_conf[c[i].enc] || !qm_auth[c[i].integ]) {
				char what[128];
				snprintf(what, sizeof(what), "a quick-mode method %s/%s",
					 encryption_name(c[i].enc), integrity_name(c[i].integ));
				fail(s, mt, mt->ipsec->loc, what);
				continue;
			}
			strbuf_printf(s->out, "ESP[%s,%s]", qm_conf[c[i].enc], qm_auth[c[i].integ]);
		}
		strbuf_printf(s->out, ":%lluk/%llus", kb, (unsigned long long)mt->ipsec->lifetime_s);
	}
	strbuf_puts(s->out, "\"" NL);

	char peer[ADDR_STRLEN], self[ADDR_STRLEN];
	emit_addr(&mt->remote_endpoint, peer, sizeof(peer));
	emit_addr(&mt->local_endpoint, self, sizeof(self));
	struct emit_secret key;
	if (!emit_psk_read(s->ctx, mt, &key)) {
		s->ok = false;
		return;
	}
	/* Outbound: the tunnel endpoint is the peer; inbound: this gateway. */
	const char *lists[2] = {out_list, in_list}, *ends[2] = {peer, self};
	for (int r = 0; r < 2; r++) {
		strbuf_printf(s->out, "netsh ipsec static add rule name=\"%s\" policy=\"%s\" "
			      "filterlist=\"%s\" filteraction=\"%s\" tunnel=%s conntype=all "
			      "activate=yes psk=\"", lists[r], s->policy, lists[r], base, ends[r]);
		if (!put_key(s, mt, &key))
			break;
		strbuf_puts(s->out, "\"" NL);
	}
	emit_secret_free(&key);
}

/* ---- Windows 2008+: `netsh advfirewall` ---- */

static const char *const af_enc[ENC__COUNT] = {
	[ENC_DES] = "des", [ENC_3DES] = "3des", [ENC_AES128] = "aes128",
	[ENC_AES192] = "aes192", [ENC_AES256] = "aes256",
	[ENC_AES128_GCM] = "aesgcm128", [ENC_AES256_GCM] = "aesgcm256",
};
static const char *const af_integ[INTEG__COUNT] = {
	[INTEG_MD5] = "md5", [INTEG_SHA1] = "sha1", [INTEG_SHA256] = "sha256",
	[INTEG_SHA384] = "sha384",
};
static const char *af_group(unsigned g)
{
	switch (g) {
	case 1: return "dhgroup1";
	case 2: return "dhgroup2";
	case 14: return "dhgroup14";
	case 19: return "ecdhp256";
	case 20: return "ecdhp384";
	default: return NULL;
	}
}

static void af_mainmode(struct netsh *s)
{
	struct emit_set items = {0};
	unsigned group = 0;
	uint64_t lifetime = 0;
	const struct model_tunnel *first = NULL;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		if (!mt->ike)
			continue;
		if (mt->ike->mode == IKE_MODE_AGGRESSIVE)
			fail(s, mt, mt->ike->mode_loc, "aggressive mode (Windows has main mode only)");
		if (!first) {
			first = mt;
			lifetime = mt->ike->lifetime_s;
		}
		struct emit_ike_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ike_combos(mt->ike, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			if (!af_enc[c[i].enc] || encryption_is_aead(c[i].enc) || !af_integ[c[i].integ] ||
			    !af_group(c[i].group)) {
				fail_mm_method(s, mt, &c[i]);
				continue;
			}
			if (!group)
				group = c[i].group;
			else if (group != c[i].group) {
				fail(s, mt, mt->ike->group_loc.file ? mt->ike->group_loc : mt->ike->loc,
				     "main-mode methods with two DH groups (the global list "
				     "`keyexch:enc-integrity,...` takes one)");
				continue;
			}
			char m[64];
			snprintf(m, sizeof(m), "%s-%s", af_enc[c[i].enc], af_integ[c[i].integ]);
			emit_set_add(&items, m);
		}
	}
	if (!first) {
		emit_set_free(&items);
		return;
	}
	strbuf_puts(s->out, CMT " Main mode is global: these proposals apply to every connection "
			    "security rule of this computer." NL);
	strbuf_puts(s->out, CMT " Uncertain: one report says Windows Server 2019/2022 tunnel rules "
			    "offer the built-in default main-mode set instead." NL);
	strbuf_printf(s->out, "netsh advfirewall set global mainmode mmsecmethods %s:",
		      af_group(group) ? af_group(group) : "dhgroup2");
	for (size_t i = 0; i < items.n; i++)
		strbuf_printf(s->out, "%s%s", i ? "," : "", items.v[i]);
	strbuf_puts(s->out, NL);
	strbuf_printf(s->out, "netsh advfirewall set global mainmode mmkeylifetime %llumin,0sess" NL,
		      emit_minutes(lifetime));
	emit_set_free(&items);
}

static void af_endpoints(struct strbuf *out, const ir_prefix_vec *list)
{
	for (size_t i = 0; i < list->n; i++) {
		char p[ADDR_STRLEN];
		struct ip_prefix n = prefix_network(&list->v[i].p);
		prefix_format(&n, p, sizeof(p), true);
		strbuf_printf(out, "%s%s", i ? "," : "", n.len ? p : "any");
	}
}

static void af_tunnel(struct netsh *s, const struct model_tunnel *mt)
{
	emit_tunnel_banner(s->ctx, mt, s->out, CMT, NL);
	if (!mt->ike || !mt->ipsec) {
		fail(s, mt, mt->ir->loc, "a tunnel without IKE and IPsec proposals");
		return;
	}
	const struct ir_tunnel_end *e = mt->here;
	if (e->mirrored)
		strbuf_puts(s->out, CMT " `mirrored` is described: a connection security rule is "
				    "always symmetric, there is nothing to tick." NL);
	if (e->accept_unsecured)
		strbuf_puts(s->out, CMT " `accept-unsecured` is described: written as "
				    "action=requireinrequestout." NL);
	char name[EMIT_NAME_MAX], peer[ADDR_STRLEN], self[ADDR_STRLEN];
	emit_name(name, sizeof(name), "tunc-", mt->ir->name);
	emit_addr(&mt->remote_endpoint, peer, sizeof(peer));
	emit_addr(&mt->local_endpoint, self, sizeof(self));
	strbuf_printf(s->out, "netsh advfirewall consec delete rule name=\"%s\" >nul 2>&1" NL, name);
	strbuf_printf(s->out, "netsh advfirewall consec add rule name=\"%s\" enable=yes profile=any "
		      "type=static mode=tunnel endpoint1=", name);
	af_endpoints(s->out, &e->local);
	strbuf_puts(s->out, " endpoint2=");
	af_endpoints(s->out, &e->remote);
	strbuf_printf(s->out, " localtunnelendpoint=%s remotetunnelendpoint=%s", self, peer);
	if (e->proto == PROTO_ANY)
		strbuf_puts(s->out, " protocol=any");
	else {
		const char *pn = e->proto == 1 ? "icmpv4" : e->proto == 6 ? "tcp" : e->proto == 17 ? "udp" : NULL;
		if (pn)
			strbuf_printf(s->out, " protocol=%s", pn);
		else
			strbuf_printf(s->out, " protocol=%u", e->proto);
		if (e->port_lo || e->port_hi) {
			if (e->port_lo == e->port_hi)
				strbuf_printf(s->out, " port2=%u", e->port_lo);
			else
				strbuf_printf(s->out, " port2=%u-%u", e->port_lo, e->port_hi);
		}
	}
	strbuf_printf(s->out, " action=%s auth1=computerpsk auth1psk=\"",
		      e->accept_unsecured ? "requireinrequestout" : "requireinrequireout");
	struct emit_secret key;
	if (!emit_psk_read(s->ctx, mt, &key)) {
		s->ok = false;
		return;
	}
	bool ok = put_key(s, mt, &key);
	emit_secret_free(&key);
	if (!ok)
		return;
	strbuf_puts(s->out, "\"");
	if (mt->ipsec->pfs) {
		const char *g = af_group(mt->ipsec->pfs);
		if (!g)
			fail(s, mt, mt->ipsec->pfs_loc, "this PFS group");
		strbuf_printf(s->out, " qmpfs=%s", g ? g : "none");
	} else
		strbuf_puts(s->out, " qmpfs=none");
	strbuf_puts(s->out, " qmsecmethods=");
	struct emit_esp_combo c[EMIT_COMBOS_MAX];
	size_t n = emit_ipsec_combos(mt->ipsec, c, EMIT_COMBOS_MAX);
	bool null_noted = false;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_putc(s->out, ',');
		if (c[i].ah) {
			if (!af_integ[c[i].integ] || c[i].integ == INTEG_SHA384) {
				fail(s, mt, mt->ipsec->loc, "this AH integrity");
				continue;
			}
			strbuf_printf(s->out, "ah:%s", af_integ[c[i].integ]);
		} else if (encryption_is_aead(c[i].enc)) {
			strbuf_printf(s->out, "esp:%s-%s", af_enc[c[i].enc], af_enc[c[i].enc]);
		} else {
			const char *enc = c[i].enc == ENC_NULL ? "none" : af_enc[c[i].enc];
			const char *integ = af_integ[c[i].integ];
			if (!enc || !integ || c[i].integ == INTEG_SHA384) {
				char what[128];
				snprintf(what, sizeof(what), "a quick-mode method %s/%s",
					 encryption_name(c[i].enc), integrity_name(c[i].integ));
				fail(s, mt, mt->ipsec->loc, what);
				continue;
			}
			null_noted |= c[i].enc == ENC_NULL;
			strbuf_printf(s->out, "esp:%s-%s", integ, enc);
		}
		strbuf_printf(s->out, "+%llumin", emit_minutes(mt->ipsec->lifetime_s));
		if (mt->ipsec->lifetime_kb)
			strbuf_printf(s->out, "+%llukb", (unsigned long long)mt->ipsec->lifetime_kb);
	}
	strbuf_puts(s->out, NL);
	if (null_noted)
		strbuf_puts(s->out, CMT " Uncertain: ESP without encryption is written esp:INTEGRITY-none "
				    "(the usage text lists no `none` encryption)." NL);
}

/* ---- routes (both dialects) ---- */

static void write_routes(struct netsh *s)
{
	bool header = false;
	struct emit_set done = {0};
	/* The routes written in the description, then one per remote inner
	 * subnet that none of them names: the tunnel is not a routable
	 * interface, so each inner destination needs its own route (seed 004).
	 * Its next hop is the one this gateway's routing gives that subnet. */
	for (size_t i = 0; i < s->mg->routes.n; i++) {
		const struct model_route *r = &s->mg->routes.v[i];
		if (r->connected || !r->via.family || r->dst.addr.family != AF_V4)
			continue;
		char net[ADDR_STRLEN], m[ADDR_STRLEN], via[ADDR_STRLEN], key[128];
		emit_net(&r->dst, net, sizeof(net));
		v4_mask_format(r->dst.len, false, m, sizeof(m));
		emit_addr(&r->via, via, sizeof(via));
		snprintf(key, sizeof(key), "%s/%u", net, r->dst.len);
		emit_set_add(&done, key);
		if (!header) {
			strbuf_puts(s->out, CMT " Routes" NL);
			header = true;
		}
		strbuf_printf(s->out, "route -p add %s mask %s %s", net, m, via);
		if (r->metric > 1)
			strbuf_printf(s->out, " metric %u", r->metric);
		strbuf_puts(s->out, NL);
	}
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		for (size_t j = 0; j < mt->here->remote.n; j++) {
			struct ip_prefix p = prefix_network(&mt->here->remote.v[j].p);
			if (p.addr.family != AF_V4)
				continue;
			char net[ADDR_STRLEN], m[ADDR_STRLEN], key[128];
			emit_net(&p, net, sizeof(net));
			snprintf(key, sizeof(key), "%s/%u", net, p.len);
			if (!emit_set_add(&done, key))
				continue;
			if (!header) {
				strbuf_puts(s->out, CMT " Routes" NL);
				header = true;
			}
			struct ip_addr probe = prefix_first_host(&p);
			const struct model_route *r = model_route_lookup(s->mg, &probe);
			v4_mask_format(p.len, false, m, sizeof(m));
			if (!r || !r->via.family) {
				strbuf_printf(s->out, CMT " %s mask %s (tunnel %s): no next hop described "
					      "for it, no route written" NL, net, m, mt->ir->name);
				continue;
			}
			char via[ADDR_STRLEN], rloc[512];
			emit_addr(&r->via, via, sizeof(via));
			emit_loc_text(s->ctx, r->loc, rloc, sizeof(rloc));
			strbuf_printf(s->out, CMT " remote subnet of tunnel %s, next hop as routed by %s" NL,
				      mt->ir->name, rloc);
			strbuf_printf(s->out, "route -p add %s mask %s %s" NL, net, m, via);
		}
	}
	emit_set_free(&done);
}

bool emit_netsh(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct netsh s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	const char *dialect = mg->platform->emit_dialect ? mg->platform->emit_dialect : "ipsec-static";
	bool modern = strcmp(dialect, "advfirewall") == 0;
	s.isa = strcmp(dialect, "isa") == 0;
	emit_name(s.policy, sizeof(s.policy), "tunc-", mg->ir->name);
	emit_header(ctx, mg, out, CMT, NL, mg->tunnels.n > 0);
	strbuf_puts(out, "@echo off" NL);
	if (modern) {
		af_mainmode(&s);
		for (size_t t = 0; t < mg->tunnels.n; t++)
			af_tunnel(&s, mg->tunnels.v[t]);
	} else if (mg->tunnels.n) {
		legacy_cleanup(&s);
		strbuf_printf(out, CMT " One policy for all tunnels of %s (one policy is assigned at a "
			      "time)." NL, mg->ir->name);
		legacy_policy(&s);
		for (size_t t = 0; t < mg->tunnels.n; t++)
			legacy_tunnel(&s, mg->tunnels.v[t]);
		strbuf_puts(out, CMT " Assign the policy last, once all its rules exist." NL);
		strbuf_printf(out, "netsh ipsec static set policy name=\"%s\" assign=yes" NL, s.policy);
	}
	write_routes(&s);
	return s.ok;
}
