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
#include "emit/filter_walk.h"
#include "model/filters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NL "\r\n"
#define CMT "REM"
/* Ends a command whose failure must stop the script (the cleanup commands,
 * expected to fail on a first run, are not checked). */
#define CHECKED NL "if errorlevel 1 goto tunc_failed" NL

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
	fail(s, mt, model_tunnel_ike(mt)->loc, what);
}

/* Writes KEY inside a double-quoted cmd.exe argument: '%' doubles (a batch
 * file expands %VAR%); a '"' cannot be written at all. */
static bool put_key(struct netsh *s, const struct model_tunnel *mt, const struct secret *key)
{
	if (!secret_printable(key, true, s->mg->platform->limits.psk_forbidden)) {
		fail(s, mt, model_tunnel_psk(mt)->loc,
		     "this pre-shared key: a cmd.exe argument takes no '\"' "
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
	strbuf_printf(s->out, "netsh ipsec static add filterlist name=\"%s\"" CHECKED, list);
	size_t n = 0;
	struct spd_refs mine = model_tunnel_spd(mt, dir);
	for (size_t i = 0; i < mine.n; i++) {
		const struct spd_entry *en = model_spd_entry(s->mg, dir, mine.v[i]);
		const struct selector sel = spd_entry_sel(en);
		if (sel.src.addr.family != AF_V4) {
			fail(s, mt, en->loc, "an IPv6 tunnel filter");
			continue;
		}
		struct strbuf nb = STRBUF_INIT;
		const char *note = en->origin == ORIGIN_PLATFORM ? model_spd_note(s->mg, en, &nb) : NULL;
		if (note)
			strbuf_printf(s->out, CMT " %s (the platform adds this filter on its own)" NL,
				      note);
		strbuf_free(&nb);
		strbuf_printf(s->out, "netsh ipsec static add filter filterlist=\"%s\"", list);
		filter_addr(s->out, "src", &sel.src);
		filter_addr(s->out, "dst", &sel.dst);
		unsigned proto = sel.proto;
		if (proto == PROTO_ANY)
			strbuf_puts(s->out, " protocol=ANY");
		else if (proto == 1 || proto == 6 || proto == 17)
			strbuf_printf(s->out, " protocol=%s", proto == 1 ? "ICMP" : proto == 6 ? "TCP" : "UDP");
		else
			strbuf_printf(s->out, " protocol=%u", proto);
		if (sel.port_lo || sel.port_hi) {
			if (sel.port_lo != sel.port_hi) {
				fail(s, mt, ir_end_written(e)->protocol_loc, "a port range in a filter (one port only)");
				continue;
			}
			strbuf_printf(s->out, " dstport=%u", sel.port_lo);
		}
		strbuf_printf(s->out, " mirrored=%s" CHECKED, ir_end_written(e)->mirrored ? "yes" : "no");
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
		const struct ir_ike *ike = model_tunnel_ike(mt);
		if (!ike)
			continue;
		if (ike->version != 1)
			fail(s, mt, ike->version_loc.file ? ike->version_loc : ike->loc,
			     "IKEv2 (the IPsec Policy Agent speaks IKEv1 only)");
		if (ike->mode == IKE_MODE_AGGRESSIVE)
			fail(s, mt, ike->mode_loc, "aggressive mode (Windows has main mode only)");
		if (!lifetime)
			lifetime = ike->lifetime_s;
		else if (lifetime != ike->lifetime_s)
			lifetimes_differ = true;
		struct emit_ike_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ike_combos(ike, c, EMIT_COMBOS_MAX);
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
	strbuf_puts(s->out, "\"" CHECKED);
	emit_set_free(&seen);
}

static void isa_remote_site(struct netsh *s, const struct model_tunnel *mt)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	char peer[ADDR_STRLEN], local[ADDR_STRLEN];
	emit_addr(model_tunnel_remote_ep(mt), peer, sizeof(peer));
	emit_addr(model_tunnel_local_ep(mt), local, sizeof(local));
	strbuf_puts(s->out, CMT " ISA Server remote site for this tunnel (Networks > Remote Sites), "
			    "as described:" NL);
	strbuf_printf(s->out, CMT "   Name: %s   VPN protocol: IP Security protocol (IPsec) tunnel mode" NL,
		      model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "?");
	strbuf_printf(s->out, CMT "   Remote site gateway IP address: %s   Local VPN gateway IP "
		      "address: %s" NL, peer, local);
	strbuf_printf(s->out, CMT "   Addresses (remote networks):");
	for (size_t r = 0; r < mt->here->remote.n; r++) {
		char p[ADDR_STRLEN];
		prefix_format(&mt->here->remote.v[r].p, p, sizeof(p), true);
		strbuf_printf(s->out, " %s", p);
	}
	strbuf_puts(s->out, NL);
	if (ike && ike->encryption.n && ike->integrity.n && ike->group.n)
		strbuf_printf(s->out, CMT "   Phase I: %s / %s / DH group %u / %llu s" NL,
			      encryption_name(ike->encryption.v[0]),
			      integrity_name(ike->integrity.v[0]), ike->group.v[0],
			      (unsigned long long)ike->lifetime_s);
	if (ipsec) {
		strbuf_printf(s->out, CMT "   Phase II: %s %s / %s / %llu s / PFS %s" NL,
			      ipsec->protocol == IPSEC_AH ? "AH" : "ESP",
			      ipsec->encryption.n ? encryption_name(ipsec->encryption.v[0]) : "-",
			      ipsec->integrity.n ? integrity_name(ipsec->integrity.v[0]) : "none",
			      (unsigned long long)ipsec->lifetime_s, ipsec->pfs ? "on" : "off");
	}
	strbuf_puts(s->out, CMT "   Authentication: pre-shared key (as in the rules below)" NL);
}

static void legacy_tunnel(struct netsh *s, const struct model_tunnel *mt)
{
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	emit_tunnel_banner(s->ctx, mt, s->out, CMT, NL);
	if (!model_tunnel_ike(mt) || !ipsec) {
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
	size_t n = emit_ipsec_combos(ipsec, c, EMIT_COMBOS_MAX);
	unsigned long long kb = ipsec->lifetime_kb ? ipsec->lifetime_kb : 100000;
	if (!ipsec->lifetime_kb)
		strbuf_puts(s->out, CMT " No volume lifetime is described: 100000k is the Windows "
				    "default, written because the method syntax takes both." NL);
	if (ipsec->pfs)
		strbuf_printf(s->out, CMT " PFS group %u is described; the Policy Agent chooses the "
			      "PFS group itself (uncertain: believed to be the main-mode group)." NL,
			      ipsec->pfs);
	strbuf_printf(s->out, "netsh ipsec static add filteraction name=\"%s\" qmpfs=%s inpass=%s "
		      "soft=no action=negotiate qmsecmethods=\"", base, ipsec->pfs ? "yes" : "no",
		      ir_end_written(mt->here)->accept_unsecured ? "yes" : "no");
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_putc(s->out, ' ');
		if (c[i].ah) {
			if (!mm_hash[c[i].integ]) {
				fail(s, mt, ipsec->loc, "this AH integrity");
				continue;
			}
			strbuf_printf(s->out, "AH[%s]", mm_hash[c[i].integ]);
		} else {
			if (!qm_conf[c[i].enc] || !qm_auth[c[i].integ]) {
				char what[128];
				snprintf(what, sizeof(what), "a quick-mode method %s/%s",
					 encryption_name(c[i].enc), integrity_name(c[i].integ));
				fail(s, mt, ipsec->loc, what);
				continue;
			}
			strbuf_printf(s->out, "ESP[%s,%s]", qm_conf[c[i].enc], qm_auth[c[i].integ]);
		}
		strbuf_printf(s->out, ":%lluk/%llus", kb, (unsigned long long)ipsec->lifetime_s);
	}
	strbuf_puts(s->out, "\"" CHECKED);

	char peer[ADDR_STRLEN], self[ADDR_STRLEN];
	emit_addr(model_tunnel_remote_ep(mt), peer, sizeof(peer));
	emit_addr(model_tunnel_local_ep(mt), self, sizeof(self));
	struct secret key;
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
		strbuf_puts(s->out, "\"" CHECKED);
	}
	secret_free(&key);
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
		const struct ir_ike *ike = model_tunnel_ike(mt);
		if (!ike)
			continue;
		if (ike->mode == IKE_MODE_AGGRESSIVE)
			fail(s, mt, ike->mode_loc, "aggressive mode (Windows has main mode only)");
		if (ike->version != 1)
			fail(s, mt, ike->version_loc.file ? ike->version_loc : ike->loc,
			     "IKEv2 (a connection security rule negotiates IKEv1 and AuthIP only)");
		if (!first) {
			first = mt;
			lifetime = ike->lifetime_s;
		}
		struct emit_ike_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ike_combos(ike, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			if (!af_enc[c[i].enc] || encryption_is_aead(c[i].enc) || !af_integ[c[i].integ] ||
			    !af_group(c[i].group)) {
				fail_mm_method(s, mt, &c[i]);
				continue;
			}
			if (!group)
				group = c[i].group;
			else if (group != c[i].group) {
				fail(s, mt, ike->group_loc.file ? ike->group_loc : ike->loc,
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
	strbuf_puts(s->out, CHECKED);
	strbuf_printf(s->out, "netsh advfirewall set global mainmode mmkeylifetime %llumin,0sess" CHECKED,
		      emit_minutes(lifetime));
	emit_set_free(&items);
}

/* The sources (DST false) or destinations of MT's selector pairs, each
 * once: a connection security rule pairs every endpoint1 with every
 * endpoint2 of its family, which gives back exactly those pairs. */
static void af_endpoints(struct strbuf *out, const struct model_tunnel *mt, bool dst)
{
	struct selector_pairs pairs = model_tunnel_selectors(mt, 0);
	struct emit_set seen = {0};
	for (size_t i = 0; i < pairs.n; i++) {
		const struct ip_prefix *n = dst ? &pairs.v[i].sel.dst : &pairs.v[i].sel.src;
		char p[ADDR_STRLEN];
		prefix_format(n, p, sizeof(p), true);
		if (emit_set_add(&seen, p))
			strbuf_printf(out, "%s%s", seen.n > 1 ? "," : "", n->len ? p : "any");
	}
	emit_set_free(&seen);
}

static void af_tunnel(struct netsh *s, const struct model_tunnel *mt)
{
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	emit_tunnel_banner(s->ctx, mt, s->out, CMT, NL);
	if (!model_tunnel_ike(mt) || !ipsec) {
		fail(s, mt, mt->ir->loc, "a tunnel without IKE and IPsec proposals");
		return;
	}
	const struct ir_tunnel_end *e = mt->here;
	if (ir_end_written(e)->mirrored)
		strbuf_puts(s->out, CMT " `mirrored` is described: a connection security rule is "
				    "always symmetric, there is nothing to tick." NL);
	if (ir_end_written(e)->accept_unsecured)
		strbuf_puts(s->out, CMT " `accept-unsecured` is described: written as "
				    "action=requestinrequestout (inbound clear text accepted; netsh "
				    "has no request-in/require-out, so outbound is only requested "
				    "too: uncertain)." NL);
	char name[EMIT_NAME_MAX], peer[ADDR_STRLEN], self[ADDR_STRLEN];
	emit_name(name, sizeof(name), "tunc-", mt->ir->name);
	emit_addr(model_tunnel_remote_ep(mt), peer, sizeof(peer));
	emit_addr(model_tunnel_local_ep(mt), self, sizeof(self));
	strbuf_printf(s->out, "netsh advfirewall consec delete rule name=\"%s\" >nul 2>&1" NL, name);
	strbuf_printf(s->out, "netsh advfirewall consec add rule name=\"%s\" enable=yes profile=any "
		      "type=static mode=tunnel endpoint1=", name);
	af_endpoints(s->out, mt, false);
	strbuf_puts(s->out, " endpoint2=");
	af_endpoints(s->out, mt, true);
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
		      ir_end_written(e)->accept_unsecured ? "requestinrequestout" : "requireinrequireout");
	struct secret key;
	if (!emit_psk_read(s->ctx, mt, &key)) {
		s->ok = false;
		return;
	}
	bool ok = put_key(s, mt, &key);
	secret_free(&key);
	if (!ok)
		return;
	strbuf_puts(s->out, "\"");
	if (ipsec->pfs) {
		const char *g = af_group(ipsec->pfs);
		if (!g)
			fail(s, mt, ipsec->pfs_loc, "this PFS group");
		strbuf_printf(s->out, " qmpfs=%s", g ? g : "none");
	} else
		strbuf_puts(s->out, " qmpfs=none");
	strbuf_puts(s->out, " qmsecmethods=");
	struct emit_esp_combo c[EMIT_COMBOS_MAX];
	size_t n = emit_ipsec_combos(ipsec, c, EMIT_COMBOS_MAX);
	bool null_noted = false;
	for (size_t i = 0; i < n; i++) {
		if (i)
			strbuf_putc(s->out, ',');
		if (c[i].ah) {
			if (!af_integ[c[i].integ] || c[i].integ == INTEG_SHA384) {
				fail(s, mt, ipsec->loc, "this AH integrity");
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
				fail(s, mt, ipsec->loc, what);
				continue;
			}
			null_noted |= c[i].enc == ENC_NULL;
			strbuf_printf(s->out, "esp:%s-%s", integ, enc);
		}
		strbuf_printf(s->out, "+%llumin", emit_minutes(ipsec->lifetime_s));
		if (ipsec->lifetime_kb)
			strbuf_printf(s->out, "+%llukb", (unsigned long long)ipsec->lifetime_kb);
	}
	strbuf_puts(s->out, CHECKED);
	if (null_noted)
		strbuf_puts(s->out, CMT " Uncertain: ESP without encryption is written esp:INTEGRITY-none "
				    "(the usage text lists no `none` encryption)." NL);
}

/* ---- routes (both dialects) ---- */

/* A persistent route, added only when the routing table does not hold it
 * yet (a second run, or a route configured by hand): `route print NET`
 * lists the routes to NET, and findstr looks for this one's line
 * (destination, mask, gateway). */
static void add_route(struct netsh *s, const char *net, const char *mask, const char *via,
		      unsigned metric)
{
	strbuf_printf(s->out, "route print %s | findstr /r /c:\"^ *%s  *%s  *%s \" >nul" NL,
		      net, net, mask, via);
	strbuf_printf(s->out, "if errorlevel 1 route -p add %s mask %s %s", net, mask, via);
	if (metric > 1)
		strbuf_printf(s->out, " metric %u", metric);
	strbuf_puts(s->out, CHECKED);
}

static void write_routes(struct netsh *s)
{
	bool header = false;
	struct emit_set done = {0};
	/* The routes written in the description, then one per remote inner
	 * subnet that none of them names: the tunnel is not a routable
	 * interface, so each inner destination needs its own route (seed 004).
	 * Its next hop is the one this gateway's routing gives that subnet. */
	struct model_route scratch;
	for (size_t i = 0, n_routes = model_route_count(s->mg); i < n_routes; i++) {
		const struct model_route *r = model_route_at(s->mg, i, &scratch);
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
		add_route(s, net, m, via, r->metric);
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
			const struct model_route *r = model_route_lookup(s->mg, &probe, &scratch);
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
			add_route(s, net, m, via, 0);
		}
	}
	emit_set_free(&done);
}

/* ---- the host: filters, forwarding, NAT-T (all dialects) ---- */

/* What each dialect's Windows needs to forward and to keep SAs through NAT.
 * IPEnableRouter: KB 315236 (2003), KB 230082 (2000), read at start-up;
 * 2008 and later also switch forwarding on per interface at once.
 * AssumeUDPEncapsulationContextOnSendRule: KB 885407 (2003 SP1, under the
 * IPSec service) and KB 926179 (Vista / 2008 and later, PolicyAgent). */
struct win_host {
	const char *dialect;
	bool ip_enable_router;          /* write IPEnableRouter=1 */
	bool forwarding_per_interface;  /* netsh interface ipv4 set interface ... forwarding=enabled */
	const char *natt_key;           /* where the NAT-T value lives; NULL: no NAT-T */
	const char *note;               /* a comment in place of the settings, or NULL */
	const char *reg_note;           /* a comment on reg.exe, or NULL */
};

static const struct win_host win_hosts[] = {
	{"ipsec-static", true, false, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\IPSec", NULL,
	 "On Windows 2000 reg.exe comes with the Support Tools (2003 has it built in)."},
	{"advfirewall", true, true, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\PolicyAgent", NULL,
	 NULL},
	{"isa", false, false, "HKLM\\SYSTEM\\CurrentControlSet\\Services\\IPSec",
	 "ISA Server routes between its networks itself: IP routing is not set here.", NULL},
};

static const struct win_host *win_host_of(const char *dialect)
{
	for (size_t i = 0; i < sizeof(win_hosts) / sizeof(win_hosts[0]); i++)
		if (strcmp(win_hosts[i].dialect, dialect) == 0)
			return &win_hosts[i];
	return &win_hosts[0];
}

/* The address and mask of an RRAS filter (all zeros: any). */
static void rras_addr(struct strbuf *out, const char *which, const struct ip_prefix *p)
{
	char a[ADDR_STRLEN], m[ADDR_STRLEN];
	emit_net(p, a, sizeof(a));
	v4_mask_format(p->len, false, m, sizeof(m));
	strbuf_printf(out, " %saddr=%s %smask=%s", which, a, which, m);
}

static void rras_filter_args(struct netsh *s, const char *ifname, const char *type,
			     const struct ir_filter_rule *r, bool *uncertain)
{
	strbuf_printf(s->out, "name=\"%s\" filtertype=%s", ifname, type);
	rras_addr(s->out, "src", &r->src.p);
	rras_addr(s->out, "dst", &r->dst.p);
	if (r->proto == PROTO_ANY)
		strbuf_puts(s->out, " proto=any");
	else if (r->proto == 6 || r->proto == 17)
		strbuf_printf(s->out, " proto=%s srcport=0 dstport=%u", r->proto == 6 ? "tcp" : "udp",
			      r->port_lo);
	else if (r->proto == 1)
		strbuf_puts(s->out, " proto=icmp type=255 code=255");
	else {
		strbuf_printf(s->out, " proto=%u", r->proto);
		*uncertain = true;
	}
}

/* RRAS packet filters (`netsh routing ip`): per interface and direction one
 * list whose filters all take the action opposite to the default, as the
 * RRAS dialog has it ("drop all packets except those that meet the criteria
 * below" for `default drop`).  They sit above IPsec (seed 002): the rules
 * are written as described, on the inner addresses.  filter_expressible
 * (lint: filter-unsupported) says which filters this form can hold. */
struct rras_walk {
	struct netsh *s;
	bool any, uncertain;
};

static void write_rras_filter(void *arg, const struct ir_interface *ifc, const struct ir_filter *f)
{
	struct rras_walk *w = arg;
	struct netsh *s = w->s;
	char where[512];
	if (!w->any)
		strbuf_puts(s->out, CMT " Packet filters: Routing and Remote Access must "
				    "run with LAN routing enabled." NL);
	w->any = true;
	bool in = f->dir == FILTER_IN;
	const char *type = in ? "input" : "output";
	bool drop = f->default_action == FILTER_DROP;
	emit_loc_text(s->ctx, f->loc, where, sizeof(where));
	strbuf_printf(s->out, CMT " filter %s on %s (%s): %s all packets except those "
		      "that meet the criteria below" NL, in ? "in" : "out", ifc->name,
		      where, drop ? "drop" : "receive");
	for (size_t r = 0; r < f->rules.n; r++) {
		const struct ir_filter_rule *rule = &f->rules.v[r];
		if (filter_rule_redundant(f, r)) {
			emit_loc_text(s->ctx, rule->loc, where, sizeof(where));
			strbuf_printf(s->out, CMT " (%s repeats the default: nothing to "
				      "write)" NL, where);
			continue;
		}
		strbuf_puts(s->out, "netsh routing ip delete filter ");
		rras_filter_args(s, ifc->name, type, rule, &w->uncertain);
		strbuf_puts(s->out, " >nul 2>&1" NL "netsh routing ip add filter ");
		rras_filter_args(s, ifc->name, type, rule, &w->uncertain);
		strbuf_puts(s->out, CHECKED);
	}
	/* The action last, once the exceptions are in place. */
	strbuf_printf(s->out, "netsh routing ip set filter name=\"%s\" filtertype=%s "
		      "action=%s" CHECKED, ifc->name, type, drop ? "drop" : "forward");
}

static void write_rras_filters(struct netsh *s)
{
	struct rras_walk w = {.s = s};
	if (!emit_each_filter(s->ctx, s->mg, "netsh", write_rras_filter, &w))
		s->ok = false;
	if (w.uncertain)
		strbuf_puts(s->out, CMT " Uncertain: proto= with a protocol number (the usage text "
				    "lists any, tcp, tcp-est, udp and icmp)." NL);
}

static bool nat_anywhere(const struct model_gateway *mg, bool *here)
{
	bool any = false;
	*here = false;
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		any |= mt->behind_nat_here || mt->behind_nat_there;
		*here |= mt->behind_nat_here;
	}
	return any;
}

static void write_host(struct netsh *s, const char *dialect)
{
	const struct win_host *h = win_host_of(dialect);
	const struct ir_gateway *g = s->mg->ir;
	bool here;
	if (h->reg_note)
		strbuf_printf(s->out, CMT " %s" NL, h->reg_note);
	if (s->mg->platform->nat_traversal && h->natt_key && nat_anywhere(s->mg, &here)) {
		strbuf_printf(s->out, CMT " NAT traversal: %s; read when the IPsec service starts "
			      "(restart it, or the computer)." NL,
			      here ? "this gateway is behind NAT (2: both ends may be)"
				   : "a peer is behind NAT (1: servers behind NAT)");
		strbuf_printf(s->out, "reg add \"%s\" /v AssumeUDPEncapsulationContextOnSendRule "
			      "/t REG_DWORD /d %d /f >nul" CHECKED, h->natt_key, here ? 2 : 1);
	}
	if (h->note) {
		strbuf_printf(s->out, CMT " %s" NL, h->note);
		return;
	}
	strbuf_puts(s->out, CMT " A gateway forwards: IP routing on (read at start-up; RRAS LAN "
			    "routing turns it on at once)." NL);
	if (h->ip_enable_router)
		strbuf_puts(s->out, "reg add \"HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\"
				    "Parameters\" /v IPEnableRouter /t REG_DWORD /d 1 /f >nul" CHECKED);
	if (h->forwarding_per_interface)
		for (size_t i = 0; i < g->interfaces.n; i++) {
			const struct ir_interface *ifc = g->interfaces.v[i];
			if (!ifc->has_address || ifc->address.addr.family != AF_V4)
				continue;
			strbuf_printf(s->out, "netsh interface ipv4 set interface \"%s\" "
				      "forwarding=enabled" CHECKED, ifc->name);
		}
}

/* The interfaces as comment lines, as the xfrm and PowerShell scripts write
 * them: the script addresses no adapter (Windows' addresses are set outside
 * it), and `tunc import` reads the interfaces back from these lines, an
 * interface that only a route leaves by (seed 002's Backup) included. */
static void write_described_ifaces(struct netsh *s)
{
	const struct ir_gateway *g = s->mg->ir;
	if (!g->interfaces.n)
		return;
	strbuf_puts(s->out, CMT " This script expects the interfaces as described (it sets no "
			    "address):" NL);
	emit_iface_lines(g, s->out, CMT, NL, true);
}

/* The end of the script: success, or the failed command's errorlevel stops it. */
static void write_footer(struct strbuf *out)
{
	strbuf_puts(out, "echo tunc: all commands succeeded." NL "exit /b 0" NL
			 ":tunc_failed" NL
			 "echo tunc: the command above failed; the script stopped there. 1>&2" NL
			 "exit /b 1" NL);
}

bool emit_netsh(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct netsh s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	const char *dialect = mg->platform->emit_dialect ? mg->platform->emit_dialect : "ipsec-static";
	bool modern = strcmp(dialect, "advfirewall") == 0;
	s.isa = strcmp(dialect, "isa") == 0;
	emit_name(s.policy, sizeof(s.policy), "tunc-", mg->ir->name);
	emit_header(ctx, mg, out, CMT, NL, mg->tunnels.n > 0);
	write_described_ifaces(&s);
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
		strbuf_printf(out, "netsh ipsec static set policy name=\"%s\" assign=yes" CHECKED, s.policy);
	}
	write_rras_filters(&s);
	write_routes(&s);
	write_host(&s, dialect);
	write_footer(out);
	return s.ok;
}
