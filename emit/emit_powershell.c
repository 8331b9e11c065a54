/* Windows Server 2012 and later: a PowerShell script of NetSecurity and
 * NetTCPIP cmdlets (`powershell` target, GW.ps1), and its key file
 * (`powershell-keys` target, GW.keys, mode 0600).
 *
 * Per tunnel: the main-mode and quick-mode crypto sets, a phase-1 auth set
 * with the pre-shared key, a main-mode rule toward the peer and one
 * `New-NetIPsecRule -Mode Tunnel` with `-KeyModule IKEv1|IKEv2`; then
 * forwarding on every interface and the routes (the tunnel is not a
 * routable interface: each remote inner subnet needs a route, seed 004).
 *
 * The key never appears in the script: the script reads GW.keys from its
 * own directory into a variable.  It still reaches New-NetIPsecAuthProposal
 * as a parameter value, which PowerShell module logging (when enabled)
 * records, and Windows stores it in the policy store readable by
 * administrators: doc/emitters.md, "powershell".
 *
 * Syntax: emitters-research.md §3 ([PS-NEWRULE], [PS-MMPROP], [PS-QMPROP],
 * [PS-QMSET], [PS-MMSET], [PS-NEWROUTE]).  The selectors are the model's
 * outbound SPD entries for the tunnel. */
#include "config.h"
#include "emit/common.h"
#include "emit/targets.h"
#include "emit/filter_walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NL "\r\n"
#define CMT "#"

static const char *const mm_enc[ENC__COUNT] = {
	[ENC_DES] = "DES", [ENC_3DES] = "DES3", [ENC_AES128] = "AES128",
	[ENC_AES192] = "AES192", [ENC_AES256] = "AES256",
};
static const char *const mm_hash[INTEG__COUNT] = {
	[INTEG_MD5] = "MD5", [INTEG_SHA1] = "SHA1", [INTEG_SHA256] = "SHA256",
	[INTEG_SHA384] = "SHA384",
};
static const char *const qm_enc[ENC__COUNT] = {
	[ENC_NULL] = "None", [ENC_DES] = "DES", [ENC_3DES] = "DES3", [ENC_AES128] = "AES128",
	[ENC_AES192] = "AES192", [ENC_AES256] = "AES256",
	[ENC_AES128_GCM] = "AESGCM128", [ENC_AES256_GCM] = "AESGCM256",
};
/* GCM's integrity is its GMAC of the same key length. */
static const char *const qm_gmac[ENC__COUNT] = {
	[ENC_AES128_GCM] = "AESGMAC128", [ENC_AES256_GCM] = "AESGMAC256",
};
static const char *const qm_hash[INTEG__COUNT] = {
	[INTEG_NONE] = "None", [INTEG_MD5] = "MD5", [INTEG_SHA1] = "SHA1",
	[INTEG_SHA256] = "SHA256",
};

static const char *dh_name(unsigned g)
{
	switch (g) {
	case 1: return "DH1";
	case 2: return "DH2";
	case 14: return "DH14";
	case 19: return "DH19";
	case 20: return "DH20";
	default: return NULL;
	}
}

struct ps {
	struct emit_ctx *ctx;
	const struct model_gateway *mg;
	struct strbuf *out;
	bool ok;
};

static void fail(struct ps *s, const struct model_tunnel *mt, struct tunc_loc loc, const char *what)
{
	struct diag *d = emit_error(s->ctx, s->mg, "platform-unsupported", loc,
				    "the powershell emitter cannot write %s for %s (%s)", what,
				    s->mg->ir->name, s->mg->platform->description);
	if (mt)
		diag_tunnel(d, mt->ir->name);
	s->ok = false;
}

/* A PowerShell single-quoted string: quotes doubled. */
static void ps_quote(struct strbuf *out, const char *text)
{
	strbuf_putc(out, '\'');
	for (; *text; text++) {
		if (*text == '\'')
			strbuf_putc(out, '\'');
		strbuf_putc(out, *text);
	}
	strbuf_putc(out, '\'');
}

static void key_file_name(const struct model_gateway *mg, char *buf, size_t size)
{
	emit_file_name(buf, size, mg->ir->name, ".keys");
}

/* The distinct sources (LOCAL) or destinations of MT's outbound SPD
 * entries, as "a/len,b/len". */
static size_t spd_side(const struct ps *s, const struct model_tunnel *mt, bool local,
		       struct strbuf *out)
{
	struct emit_set seen = {0};
	struct spd_refs mine = model_tunnel_spd(mt, SPD_OUT);
	for (size_t i = 0; i < mine.n; i++) {
		const struct spd_entry *e = model_spd_entry(s->mg, SPD_OUT, mine.v[i]);
		const struct selector sel = spd_entry_sel(e);
		struct ip_prefix p = prefix_network(local ? &sel.src : &sel.dst);
		char text[ADDR_STRLEN + 8];
		prefix_format(&p, text, sizeof(text), true);
		if (emit_set_add(&seen, text))
			strbuf_printf(out, "%s'%s'", seen.n > 1 ? "," : "", text);
	}
	size_t n = seen.n;
	emit_set_free(&seen);
	return n;
}

static void write_main_mode(struct ps *s, const struct model_tunnel *mt, const char *name)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	if (ike->mode == IKE_MODE_AGGRESSIVE)
		fail(s, mt, ike->mode_loc, "aggressive mode (Windows has main mode only)");
	struct emit_ike_combo c[EMIT_COMBOS_MAX];
	size_t n = emit_ike_combos(ike, c, EMIT_COMBOS_MAX), written = 0;
	for (size_t i = 0; i < n; i++) {
		if (!mm_enc[c[i].enc] || !mm_hash[c[i].integ] || !dh_name(c[i].group)) {
			char what[160];
			snprintf(what, sizeof(what), "a main-mode proposal %s/%s/group %u",
				 encryption_name(c[i].enc), integrity_name(c[i].integ), c[i].group);
			fail(s, mt, ike->loc, what);
			continue;
		}
		strbuf_printf(s->out, "$mm%zu = New-NetIPsecMainModeCryptoProposal -Encryption %s "
			      "-Hash %s -KeyExchange %s" NL, ++written, mm_enc[c[i].enc],
			      mm_hash[c[i].integ], dh_name(c[i].group));
	}
	if (!written)
		return;
	strbuf_printf(s->out, "$mmSet = New-NetIPsecMainModeCryptoSet -DisplayName '%s' -Proposal ",
		      name);
	for (size_t i = 1; i <= written; i++)
		strbuf_printf(s->out, "%s$mm%zu", i > 1 ? "," : "", i);
	strbuf_printf(s->out, " -MaxMinutes %llu" NL, emit_minutes(ike->lifetime_s));
}

static void write_quick_mode(struct ps *s, const struct model_tunnel *mt, const char *name)
{
	const struct ir_ipsec *ps = model_tunnel_ipsec(mt);
	struct emit_esp_combo c[EMIT_COMBOS_MAX];
	size_t n = emit_ipsec_combos(ps, c, EMIT_COMBOS_MAX), written = 0;
	bool gcm = false;
	for (size_t i = 0; i < n; i++) {
		if (c[i].ah) {
			if (!qm_hash[c[i].integ] || c[i].integ == INTEG_NONE) {
				fail(s, mt, ps->loc, "this AH integrity");
				continue;
			}
			strbuf_printf(s->out, "$qm%zu = New-NetIPsecQuickModeCryptoProposal "
				      "-Encapsulation AH -AHHash %s", ++written, qm_hash[c[i].integ]);
		} else {
			bool aead = encryption_is_aead(c[i].enc);
			const char *enc = qm_enc[c[i].enc];
			const char *hash = aead ? qm_gmac[c[i].enc] : qm_hash[c[i].integ];
			if (!enc || !hash) {
				char what[128];
				snprintf(what, sizeof(what), "a quick-mode proposal %s/%s",
					 encryption_name(c[i].enc), integrity_name(c[i].integ));
				fail(s, mt, ps->loc, what);
				continue;
			}
			gcm |= aead;
			strbuf_printf(s->out, "$qm%zu = New-NetIPsecQuickModeCryptoProposal "
				      "-Encapsulation ESP -Encryption %s -ESPHash %s", ++written, enc, hash);
		}
		strbuf_printf(s->out, " -MaxMinutes %llu", emit_minutes(ps->lifetime_s));
		if (ps->lifetime_kb)
			strbuf_printf(s->out, " -MaxKiloBytes %llu", (unsigned long long)ps->lifetime_kb);
		strbuf_puts(s->out, NL);
	}
	if (gcm)
		strbuf_puts(s->out, CMT " Uncertain: AES-GCM is paired with the AES-GMAC ESP hash of the "
				    "same length, as netsh's esp:aesgcmN-aesgcmN." NL);
	if (!written)
		return;
	const char *pfs = "None";
	if (ps->pfs && !(pfs = dh_name(ps->pfs))) {
		fail(s, mt, ps->pfs_loc, "this PFS group");
		pfs = "None";
	}
	strbuf_printf(s->out, "$qmSet = New-NetIPsecQuickModeCryptoSet -DisplayName '%s' -Proposal ",
		      name);
	for (size_t i = 1; i <= written; i++)
		strbuf_printf(s->out, "%s$qm%zu", i > 1 ? "," : "", i);
	strbuf_printf(s->out, " -PerfectForwardSecrecyGroup %s" NL, pfs);
}

static void write_tunnel(struct ps *s, const struct model_tunnel *mt)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	emit_tunnel_banner(s->ctx, mt, s->out, CMT, NL);
	if (!ike || !model_tunnel_ipsec(mt)) {
		fail(s, mt, mt->ir->loc, "a tunnel without IKE and IPsec proposals "
		     "(Windows has no static SAs)");
		return;
	}
	if (mt->here->proto != PROTO_ANY || mt->here->port_lo || mt->here->port_hi)
		fail(s, mt, mt->ir->loc, "a protocol or port in a tunnel rule");
	char name[EMIT_NAME_MAX], peer[ADDR_STRLEN], self[ADDR_STRLEN];
	emit_name(name, sizeof(name), "tunc-", mt->ir->name);
	emit_addr(model_tunnel_remote_ep(mt), peer, sizeof(peer));
	emit_addr(model_tunnel_local_ep(mt), self, sizeof(self));

	/* Re-running replaces what an earlier run installed under these names. */
	strbuf_printf(s->out, "Get-NetIPsecRule -DisplayName '%s' -ErrorAction SilentlyContinue | "
		      "Remove-NetIPsecRule" NL, name);
	strbuf_printf(s->out, "Get-NetIPsecMainModeRule -DisplayName '%s' -ErrorAction "
		      "SilentlyContinue | Remove-NetIPsecMainModeRule" NL, name);
	strbuf_printf(s->out, "Get-NetIPsecPhase1AuthSet -DisplayName '%s' -ErrorAction "
		      "SilentlyContinue | Remove-NetIPsecPhase1AuthSet" NL, name);
	strbuf_printf(s->out, "Get-NetIPsecMainModeCryptoSet -DisplayName '%s' -ErrorAction "
		      "SilentlyContinue | Remove-NetIPsecMainModeCryptoSet" NL, name);
	strbuf_printf(s->out, "Get-NetIPsecQuickModeCryptoSet -DisplayName '%s' -ErrorAction "
		      "SilentlyContinue | Remove-NetIPsecQuickModeCryptoSet" NL, name);

	write_main_mode(s, mt, name);
	write_quick_mode(s, mt, name);
	char tkey[EMIT_NAME_MAX];
	emit_name(tkey, sizeof(tkey), "", mt->ir->name);
	strbuf_printf(s->out, "$auth = New-NetIPsecAuthProposal -Machine -PreSharedKey "
		      "$tuncKeys['%s']" NL, tkey);
	strbuf_printf(s->out, "$p1 = New-NetIPsecPhase1AuthSet -DisplayName '%s' -Proposal $auth" NL,
		      name);
	strbuf_puts(s->out, CMT " Uncertain: scoping the main-mode rule to the two endpoints "
			    "(emitters-research.md §3 pitfall 2)." NL);
	strbuf_printf(s->out, "New-NetIPsecMainModeRule -DisplayName '%s' -LocalAddress %s "
		      "-RemoteAddress %s -MainModeCryptoSet $mmSet.Name -Phase1AuthSet $p1.Name "
		      "| Out-Null" NL, name, self, peer);

	struct strbuf local = STRBUF_INIT, remote = STRBUF_INIT;
	size_t nl = spd_side(s, mt, true, &local), nr = spd_side(s, mt, false, &remote);
	if (!nl || !nr)
		strbuf_puts(s->out, CMT " no selector pair: this tunnel protects nothing" NL);
	else {
		strbuf_printf(s->out, "New-NetIPsecRule -DisplayName '%s' -Mode Tunnel -LocalAddress %s "
			      "-RemoteAddress %s -LocalTunnelEndpoint %s -RemoteTunnelEndpoint %s "
			      "-InboundSecurity Require -OutboundSecurity Require -Phase1AuthSet "
			      "$p1.Name -QuickModeCryptoSet $qmSet.Name -KeyModule %s | Out-Null" NL,
			      name, strbuf_cstr(&local), strbuf_cstr(&remote), self, peer,
			      ike->version == 2 ? "IKEv2" : "IKEv1");
	}
	strbuf_free(&local);
	strbuf_free(&remote);
}

/* ---- interface filters: Windows Firewall rules ----
 * One New-NetFirewallRule per filter rule, bound to its interface
 * (-InterfaceAlias) and direction; the filter's default is the firewall
 * profile's default action for the direction (Set-NetFirewallProfile), one
 * for the whole server.  Windows Firewall rules have no order: a matching
 * Block rule wins over any matching Allow rule ([MS-FASP] 2.2.34), which is
 * the engine's verdict on this platform too (model/match.h), and
 * filter_expressible refuses the filters whose order would matter.  The
 * firewall filters traffic to and from the server itself, not what it
 * routes (filters_host_only; doc/emitters.md, "powershell"). */

struct fw_walk {
	struct ps *s;
	unsigned n;                     /* rules written, for their names */
	bool dir_default[2], dir_drop[2];
};

static void fw_prefix(struct strbuf *out, const char *param, const struct ir_prefix *p)
{
	if (!p->p.len)
		return;                 /* any: the parameter's own default */
	char text[ADDR_STRLEN + 8];
	struct ip_prefix n = prefix_network(&p->p);
	prefix_format(&n, text, sizeof(text), true);
	strbuf_printf(out, " -%s '%s'", param, text);
}

static void fw_protocol(struct strbuf *out, unsigned proto)
{
	switch (proto) {
	case PROTO_ANY: return;
	case 6: strbuf_puts(out, " -Protocol TCP"); return;
	case 17: strbuf_puts(out, " -Protocol UDP"); return;
	case 1: strbuf_puts(out, " -Protocol ICMPv4"); return;
	case 58: strbuf_puts(out, " -Protocol ICMPv6"); return;
	default: strbuf_printf(out, " -Protocol %u", proto); return;
	}
}

static void write_fw_filter(void *arg, const struct ir_interface *ifc, const struct ir_filter *f)
{
	struct fw_walk *w = arg;
	struct ps *s = w->s;
	bool in = f->dir == FILTER_IN;
	char where[512];
	emit_loc_text(s->ctx, f->loc, where, sizeof(where));
	strbuf_printf(s->out, CMT " filter %s on %s (%s)" NL, in ? "in" : "out", ifc->name, where);
	for (size_t r = 0; r < f->rules.n; r++) {
		const struct ir_filter_rule *rule = &f->rules.v[r];
		char name[EMIT_NAME_MAX + 32];
		emit_loc_text(s->ctx, rule->loc, where, sizeof(where));
		snprintf(name, sizeof(name), "tunc-%s-%s-%u", s->mg->ir->name, in ? "in" : "out", ++w->n);
		strbuf_printf(s->out, CMT " %s" NL "New-NetFirewallRule -DisplayName ", where);
		ps_quote(s->out, name);
		strbuf_printf(s->out, " -Group 'tunc' -Direction %s -Action %s -InterfaceAlias ",
			      in ? "Inbound" : "Outbound",
			      rule->action == FILTER_PERMIT ? "Allow" : "Block");
		ps_quote(s->out, ifc->name);
		fw_protocol(s->out, rule->proto);
		/* Inbound, the source is the remote end; outbound, the local one. */
		fw_prefix(s->out, in ? "RemoteAddress" : "LocalAddress", &rule->src);
		fw_prefix(s->out, in ? "LocalAddress" : "RemoteAddress", &rule->dst);
		if (rule->port_lo || rule->port_hi) {
			strbuf_printf(s->out, " -%s %u", in ? "LocalPort" : "RemotePort", rule->port_lo);
			if (rule->port_hi != rule->port_lo)
				strbuf_printf(s->out, "-%u", rule->port_hi);
		}
		strbuf_puts(s->out, " | Out-Null" NL);
	}
	w->dir_default[!in] = true;
	w->dir_drop[!in] = f->default_action == FILTER_DROP;
}

static void write_filters(struct ps *s)
{
	const struct ir_gateway *g = s->mg->ir;
	bool any = false;
	for (size_t i = 0; i < g->interfaces.n; i++)
		any |= ir_iface_written(g->interfaces.v[i])->filter_in || ir_iface_written(g->interfaces.v[i])->filter_out;
	if (!any)
		return;
	strbuf_puts(s->out, CMT " Interface filters as Windows Firewall rules (group 'tunc', "
			    "replaced on each run).  They filter traffic to and from this server "
			    "only, not what it routes; a Block rule wins over an Allow rule "
			    "whatever their order." NL);
	strbuf_puts(s->out, CMT " Uncertain: the rules are stateful, so the answers to a "
			    "connection they allow pass the other direction's rules." NL);
	strbuf_puts(s->out, "Get-NetFirewallRule -Group 'tunc' -ErrorAction SilentlyContinue | "
			    "Remove-NetFirewallRule" NL);
	struct fw_walk w = {.s = s};
	if (!emit_each_filter(s->ctx, s->mg, "powershell", write_fw_filter, &w))
		s->ok = false;
	/* The defaults: the profile's, for every interface (filter_expressible
	 * holds every filter of a direction to one default). */
	for (int d = 0; d < 2; d++)
		if (w.dir_default[d])
			strbuf_printf(s->out, "Set-NetFirewallProfile -Profile Domain,Private,Public "
				      "-Enabled True -Default%sAction %s" NL, d ? "Outbound" : "Inbound",
				      w.dir_drop[d] ? "Block" : "Allow");
		else
			strbuf_printf(s->out, CMT " Uncertain: no filter %s is described, so the %s "
				      "default is left as Windows has it (out of the box: %s), which "
				      "tunc's engine does not model." NL, d ? "out" : "in",
				      d ? "outbound" : "inbound",
				      d ? "allow" : "block unsolicited connections to this server");
}

/* NAT traversal toward or from a gateway behind NAT: the PolicyAgent value
 * netsh's 2008 script sets too (2: this end may be behind NAT, 1: servers
 * behind NAT); read when the IPsec service starts. */
static void write_natt(struct ps *s)
{
	bool any = false, here = false;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		any |= mt->behind_nat_here || mt->behind_nat_there;
		here |= mt->behind_nat_here;
	}
	if (!any)
		return;
	strbuf_puts(s->out, CMT " NAT traversal (read when the IPsec service starts: restart it)" NL);
	strbuf_printf(s->out, "Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\"
		      "PolicyAgent' -Name AssumeUDPEncapsulationContextOnSendRule -Type DWord "
		      "-Value %d" NL, here ? 2 : 1);
}

static void write_forwarding(struct ps *s)
{
	const struct ir_gateway *g = s->mg->ir;
	if (!g->interfaces.n)
		return;
	/* The addresses as comment lines, as the xfrm script writes them: the
	 * script does not re-address the server's adapters, and `tunc import`
	 * reads the interfaces back from these lines (an inner interface is
	 * otherwise named only by its forwarding). */
	strbuf_puts(s->out, CMT " This script expects the interfaces as described (it sets no "
			    "address):" NL);
	emit_iface_lines(g, s->out, CMT, NL, false);
	strbuf_puts(s->out, CMT " Forwarding between the interfaces (a gateway routes), at once "
			    "and after a restart" NL);
	strbuf_puts(s->out, "Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\"
			    "Tcpip\\Parameters' -Name IPEnableRouter -Type DWord -Value 1" NL);
	for (size_t i = 0; i < g->interfaces.n; i++) {
		strbuf_puts(s->out, "Set-NetIPInterface -InterfaceAlias ");
		ps_quote(s->out, g->interfaces.v[i]->name);
		strbuf_puts(s->out, " -Forwarding Enabled" NL);
	}
}

static void write_route(struct ps *s, const struct ip_prefix *dst, const struct model_route *r)
{
	char p[ADDR_STRLEN + 8], via[ADDR_STRLEN];
	struct ip_prefix n = prefix_network(dst);
	prefix_format(&n, p, sizeof(p), true);
	emit_addr(&r->via, via, sizeof(via));
	strbuf_printf(s->out, "Get-NetRoute -DestinationPrefix '%s' -ErrorAction SilentlyContinue | "
		      "Remove-NetRoute -Confirm:$false" NL, p);
	strbuf_printf(s->out, "New-NetRoute -DestinationPrefix '%s' -InterfaceAlias ", p);
	ps_quote(s->out, r->iface ? r->iface->name : "?");
	strbuf_printf(s->out, " -NextHop %s", via);
	if (r->metric > 1)
		strbuf_printf(s->out, " -RouteMetric %u", r->metric);
	strbuf_puts(s->out, " | Out-Null" NL);
}

static void write_routes(struct ps *s)
{
	struct emit_set done = {0};
	bool header = false;
	struct model_route scratch;
	for (size_t i = 0, n_routes = model_route_count(s->mg); i < n_routes; i++) {
		const struct model_route *r = model_route_at(s->mg, i, &scratch);
		if (r->connected || !r->via.family)
			continue;
		char key[ADDR_STRLEN + 8];
		struct ip_prefix n = prefix_network(&r->dst);
		prefix_format(&n, key, sizeof(key), true);
		emit_set_add(&done, key);
		if (!header)
			strbuf_puts(s->out, CMT " Routes" NL);
		header = true;
		write_route(s, &r->dst, r);
	}
	/* Each remote inner subnet (the model's selectors) not routed above:
	 * the next hop this gateway's routing gives it. */
	for (size_t i = 0; i < model_spd_count(s->mg, SPD_OUT); i++) {
		const struct spd_entry *e = model_spd_entry(s->mg, SPD_OUT, i);
		if (e->action != SPD_PROTECT || !e->tunnel)
			continue;
		char key[ADDR_STRLEN + 8];
		const struct selector sel = spd_entry_sel(e);
		struct ip_prefix n = prefix_network(&sel.dst);
		prefix_format(&n, key, sizeof(key), true);
		if (!emit_set_add(&done, key))
			continue;
		if (!header)
			strbuf_puts(s->out, CMT " Routes" NL);
		header = true;
		struct ip_addr probe = prefix_first_host(&n);
		const struct model_route *r = model_route_lookup(s->mg, &probe, &scratch);
		if (!r || !r->via.family) {
			strbuf_printf(s->out, CMT " %s (tunnel %s): no next hop described for it, no "
				      "route written" NL, key, e->tunnel->ir->name);
			continue;
		}
		char rloc[512];
		emit_loc_text(s->ctx, r->loc, rloc, sizeof(rloc));
		strbuf_printf(s->out, CMT " remote subnet of tunnel %s, next hop as routed by %s" NL,
			      e->tunnel->ir->name, rloc);
		write_route(s, &n, r);
	}
	emit_set_free(&done);
}

bool emit_powershell(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct ps s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	emit_header(ctx, mg, out, CMT, NL, false);
	strbuf_puts(out, "#Requires -RunAsAdministrator" NL "#Requires -Modules NetSecurity, NetTCPIP"
			 NL "$ErrorActionPreference = 'Stop'" NL);
	if (mg->tunnels.n) {
		char kf[EMIT_NAME_MAX + 16];
		key_file_name(mg, kf, sizeof(kf));
		strbuf_printf(out, CMT " The pre-shared keys come from %s beside this script "
			      "(`tunc compile` writes it mode 0600; on Windows give it an ACL for "
			      "Administrators only), one line per tunnel: NAME KEY." NL, kf);
		strbuf_puts(out, "$tuncKeys = @{}" NL);
		strbuf_printf(out, "foreach ($line in Get-Content -LiteralPath "
			      "(Join-Path $PSScriptRoot '%s')) {" NL, kf);
		strbuf_puts(out, "    $name, $key = $line -split ' ', 2" NL
				 "    $tuncKeys[$name] = $key" NL "}" NL);
	}
	for (size_t t = 0; t < mg->tunnels.n; t++)
		write_tunnel(&s, mg->tunnels.v[t]);
	write_filters(&s);
	write_natt(&s);
	write_forwarding(&s);
	write_routes(&s);
	return s.ok;
}

/* GW.keys: "TUNNEL KEY" per tunnel, LF-terminated, read by GW.ps1. */
bool emit_powershell_keys(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct ps s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	for (size_t t = 0; t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		const struct ir_psk *psk = model_tunnel_psk(mt);
		if (!psk)
			continue;
		struct secret key;
		if (!emit_psk_read(ctx, mt, &key)) {
			s.ok = false;
			continue;
		}
		if (!secret_printable(&key, true, "")) {
			fail(&s, mt, psk->loc, "this pre-shared key: the key file takes printable "
			     "characters only");
			secret_free(&key);
			continue;
		}
		char tkey[EMIT_NAME_MAX];
		emit_name(tkey, sizeof(tkey), "", mt->ir->name);
		strbuf_printf(out, "%s %.*s\n", tkey, (int)key.len, (const char *)key.bytes);
		ctx->holds_key = true;
		secret_free(&key);
	}
	return s.ok;
}
