/* Cisco ASA 8.4 and 9.x: interfaces with nameif and security-level,
 * network objects, the NAT exemption as twice NAT in section 1 (ahead of
 * the object-NAT PAT of section 2: the ASA translates before it consults
 * the crypto map), routes, interface access lists, `crypto ikev1|ikev2
 * policy`, IKEv1 transform sets and IKEv2 IPsec proposals, crypto map
 * entries, `tunnel-group ... type ipsec-l2l` holding the keys, and the map
 * and IKE bound to the outside interface last.
 *
 * Syntax: Cisco ASA Series VPN CLI Configuration Guide 9.x and the ASA
 * command reference (doc/emitters.md, "asa").  The selector pairs are the
 * model's (its outbound SPD entries for the tunnel), never recomputed. */
#include "config.h"
#include "emit/common.h"
#include "emit/filter_walk.h"
#include "emit/fidelity.h"
#include "emit/tunnel_iface.h"
#include "emit/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NL "\n"
/* crypto ikev1|ikev2 policy priorities run from 1 to 65535. */
#define ASA_POLICY_MAX 65535u

/* Spellings, indexed by the language's enums; NULL: the ASA has no such
 * thing in that place. */
static const char *const ike_enc[ENC__COUNT] = {
	[ENC_DES] = "des", [ENC_3DES] = "3des", [ENC_AES128] = "aes",
	[ENC_AES192] = "aes-192", [ENC_AES256] = "aes-256",
};
static const char *const ike2_enc_aead[ENC__COUNT] = {
	[ENC_AES128_GCM] = "aes-gcm", [ENC_AES256_GCM] = "aes-gcm-256",
};
static const char *const ike1_hash[INTEG__COUNT] = {
	[INTEG_MD5] = "md5", [INTEG_SHA1] = "sha",
};
static const char *const ike2_integ[INTEG__COUNT] = {
	[INTEG_MD5] = "md5", [INTEG_SHA1] = "sha", [INTEG_SHA256] = "sha256",
	[INTEG_SHA384] = "sha384", [INTEG_SHA512] = "sha512",
};
static const char *const esp1_enc[ENC__COUNT] = {
	[ENC_NULL] = "esp-null", [ENC_DES] = "esp-des", [ENC_3DES] = "esp-3des",
	[ENC_AES128] = "esp-aes", [ENC_AES192] = "esp-aes-192", [ENC_AES256] = "esp-aes-256",
};
static const char *const esp1_auth[INTEG__COUNT] = {
	[INTEG_NONE] = "esp-none", [INTEG_MD5] = "esp-md5-hmac", [INTEG_SHA1] = "esp-sha-hmac",
};
static const char *const esp2_enc[ENC__COUNT] = {
	[ENC_NULL] = "null", [ENC_DES] = "des", [ENC_3DES] = "3des", [ENC_AES128] = "aes",
	[ENC_AES192] = "aes-192", [ENC_AES256] = "aes-256",
	[ENC_AES128_GCM] = "aes-gcm", [ENC_AES256_GCM] = "aes-gcm-256",
};
static const char *const esp2_integ[INTEG__COUNT] = {
	[INTEG_NONE] = "null", [INTEG_MD5] = "md5", [INTEG_SHA1] = "sha-1",
	[INTEG_SHA256] = "sha-256", [INTEG_SHA384] = "sha-384", [INTEG_SHA512] = "sha-512",
};

struct asa {
	struct emit_ctx *ctx;
	const struct model_gateway *mg;
	struct strbuf *out;
	bool ok;
	struct emit_set objects;        /* network objects written */
	struct emit_set maps;           /* nameifs carrying a crypto map */
	struct emit_set groups;         /* tunnel-group names (peer addresses) written */
	struct emit_set vti_ifs;        /* nameifs that VTIs take as their source */
	unsigned map_seq[64];
	bool ike1, ike2;                /* some tunnel negotiates IKEv1 / IKEv2 */
};

/* A route-based tunnel's VTI: `interface TunnelN` (N: the tunnel's place
 * among the gateway's tunnels, as on IOS) named `vti-TUNNEL`. */
static size_t vti_number(const struct model_gateway *mg, const struct model_tunnel *mt)
{
	for (size_t t = 0; t < mg->tunnels.n; t++)
		if (mg->tunnels.v[t] == mt)
			return t;
	return 0;
}

static void vti_nameif(const struct model_tunnel *mt, char *buf, size_t size)
{
	emit_name(buf, size, "vti-", mt->ir->name);
}

static void fail(struct asa *s, const struct model_tunnel *mt, struct tunc_loc loc,
		 const char *what)
{
	struct diag *d = emit_error(s->ctx, s->mg, "platform-unsupported", loc,
				    "the asa emitter cannot write %s for %s (%s)", what,
				    s->mg->ir->name, s->mg->platform->description);
	if (mt)
		diag_tunnel(d, mt->ir->name);
	s->ok = false;
}

/* ---- interface names ----
 * ASA commands name an interface by its nameif.  A description that uses
 * hardware names (GigabitEthernet0/0, Ethernet0/1, Management0/0: a name
 * ending in a digit) gets the usual nameifs: the first outside interface
 * `outside`, the first inside one `inside`, others `intfN`.  Any other name
 * is taken as the nameif itself. */

static bool hw_name(const char *n)
{
	size_t len = strlen(n);
	return len > 1 && n[len - 1] >= '0' && n[len - 1] <= '9' &&
	       ((n[0] >= 'A' && n[0] <= 'Z') || (n[0] >= 'a' && n[0] <= 'z'));
}

static void nameif(const struct ir_gateway *g, const struct ir_interface *ifc, char *buf, size_t size)
{
	if (!ifc) {
		for (size_t i = 0; i < g->interfaces.n && !ifc; i++)
			if (g->interfaces.v[i]->outside)
				ifc = g->interfaces.v[i];
		if (!ifc) {
			snprintf(buf, size, "outside");
			return;
		}
	}
	if (!hw_name(ifc->name)) {
		emit_name(buf, size, "", ifc->name);
		return;
	}
	size_t idx = 0;
	bool first = true;
	for (; idx < g->interfaces.n && g->interfaces.v[idx] != ifc; idx++)
		if (g->interfaces.v[idx]->outside == ifc->outside)
			first = false;
	if (first)
		snprintf(buf, size, "%s", ifc->outside ? "outside" : "inside");
	else
		snprintf(buf, size, "intf%zu", idx);
}

/* The nameif of the interface whose subnet holds P's first address (the
 * first inside interface when none does). */
static void nameif_of_prefix(const struct asa *s, const struct ip_prefix *p, char *buf, size_t size)
{
	const struct ir_gateway *g = s->mg->ir;
	struct ip_addr a = prefix_first_host(p);
	const struct ir_interface *ifc = emit_iface_for(s->mg, &a);
	for (size_t i = 0; i < g->interfaces.n && !ifc; i++)
		if (!g->interfaces.v[i]->outside)
			ifc = g->interfaces.v[i];
	if (ifc)
		nameif(g, ifc, buf, size);
	else
		snprintf(buf, size, "inside");
}

static void write_interfaces(struct asa *s)
{
	const struct ir_gateway *g = s->mg->ir;
	for (size_t i = 0; i < g->interfaces.n; i++) {
		const struct ir_interface *ifc = g->interfaces.v[i];
		char n[EMIT_NAME_MAX];
		nameif(g, ifc, n, sizeof(n));
		if (hw_name(ifc->name))
			strbuf_printf(s->out, "interface %s" NL, ifc->name);
		else
			strbuf_printf(s->out, "! %s is a nameif: enter these lines under its "
				      "hardware interface." NL "interface %s" NL, n, ifc->name);
		/* Outside 0, the first inside 100, other inside interfaces 50. */
		unsigned sec = ifc->outside ? 0 : strcmp(n, "inside") == 0 ? 100 : 50;
		strbuf_printf(s->out, " nameif %s" NL " security-level %u" NL, n, sec);
		if (ifc->has_address) {
			char a[ADDR_STRLEN], m[ADDR_STRLEN];
			emit_addr(&ifc->address.addr, a, sizeof(a));
			if (ifc->address.addr.family == AF_V4) {
				v4_mask_format(ifc->address.len, false, m, sizeof(m));
				strbuf_printf(s->out, " ip address %s %s" NL, a, m);
			} else
				strbuf_printf(s->out, " ipv6 address %s/%u" NL, a, ifc->address.len);
		}
		strbuf_puts(s->out, "!" NL);
	}
}

/* ---- network objects ---- */

/* The name of the object for P, written (once) before its first use. */
static void object(struct asa *s, const struct ip_prefix *p, char *buf, size_t size)
{
	char net[ADDR_STRLEN], raw[ADDR_STRLEN + 8];
	emit_net(p, net, sizeof(net));
	snprintf(raw, sizeof(raw), "%s/%u", net, p->len);
	emit_name(buf, size, "tunc-net-", raw);
	if (!emit_set_add(&s->objects, buf))
		return;
	strbuf_printf(s->out, "object network %s" NL, buf);
	bool host = p->len == (emit_is_v4(p) ? 32u : 128u);
	if (host)
		strbuf_printf(s->out, " host %s" NL, net);
	else if (emit_is_v4(p)) {
		char m[ADDR_STRLEN];
		v4_mask_format(p->len, false, m, sizeof(m));
		strbuf_printf(s->out, " subnet %s %s" NL, net, m);
	} else
		strbuf_printf(s->out, " subnet %s/%u" NL, net, p->len);
}

/* ---- NAT ---- */

static void write_nat(struct asa *s)
{
	const struct ir_gateway *g = s->mg->ir;
	struct emit_nat_list nat;
	emit_nat_expand(s->mg, &nat);
	char outif[EMIT_NAME_MAX];
	nameif(g, NULL, outif, sizeof(outif));
	bool overload_seen = false, after_overload = false;
	/* Section 1 (twice NAT, in order): the exemptions, identity-mapped both
	 * ways.  route-lookup: the egress interface comes from the routing
	 * table, not from the mapped address. */
	for (size_t i = 0; i < nat.n; i++) {
		const struct emit_nat_line *o = &nat.v[i];
		if (o->kind == NAT_OVERLOAD)
			overload_seen = true;
		if (o->kind != NAT_EXEMPT)
			continue;
		after_overload |= overload_seen;
		char in[EMIT_NAME_MAX], src[EMIT_NAME_MAX], dst[EMIT_NAME_MAX];
		nameif_of_prefix(s, &o->src, in, sizeof(in));
		object(s, &o->src, src, sizeof(src));
		object(s, &o->dst, dst, sizeof(dst));
		strbuf_printf(s->out, "nat (%s,%s) source static %s %s destination static %s %s "
			      "no-proxy-arp route-lookup" NL, in, outif, src, src, dst, dst);
	}
	if (after_overload)
		strbuf_puts(s->out, "! Note: an exemption follows an overload in the description; "
				    "on the ASA twice NAT (section 1) applies before object NAT "
				    "(section 2)." NL);
	/* Section 2 (object NAT): the overloads and static mappings. */
	unsigned k = 0;
	for (size_t i = 0; i < nat.n; i++) {
		const struct emit_nat_line *o = &nat.v[i];
		if (o->kind != NAT_OVERLOAD && o->kind != NAT_STATIC)
			continue;
		char in[EMIT_NAME_MAX], obj[EMIT_NAME_MAX], num[16], a[ADDR_STRLEN];
		nameif_of_prefix(s, &o->src, in, sizeof(in));
		snprintf(num, sizeof(num), "%u", ++k);
		emit_addr(&o->src.addr, a, sizeof(a));
		if (o->kind == NAT_OVERLOAD) {
			char pat_if[EMIT_NAME_MAX], m[ADDR_STRLEN], net[ADDR_STRLEN];
			nameif(g, o->rule->iface.target, pat_if, sizeof(pat_if));
			emit_name(obj, sizeof(obj), "tunc-pat-", num);
			strbuf_printf(s->out, "object network %s" NL, obj);
			emit_net(&o->src, net, sizeof(net));
			if (emit_is_v4(&o->src)) {
				v4_mask_format(o->src.len, false, m, sizeof(m));
				strbuf_printf(s->out, " subnet %s %s" NL, net, m);
			} else
				strbuf_printf(s->out, " subnet %s/%u" NL, net, o->src.len);
			strbuf_printf(s->out, " nat (%s,%s) dynamic interface" NL, in, pat_if);
		} else {
			char to[ADDR_STRLEN];
			emit_addr(&o->dst.addr, to, sizeof(to));
			emit_name(obj, sizeof(obj), "tunc-static-", num);
			strbuf_printf(s->out, "object network %s" NL " host %s" NL, obj, a);
			strbuf_printf(s->out, " nat (%s,%s) static %s" NL, in, outif, to);
		}
	}
	emit_nat_free(&nat);
}

/* ---- routes and filters ---- */

static void write_routes(struct asa *s)
{
	struct model_route scratch;
	for (size_t i = 0, n_routes = model_route_count(s->mg); i < n_routes; i++) {
		const struct model_route *r = model_route_at(s->mg, i, &scratch);
		char n[EMIT_NAME_MAX], net[ADDR_STRLEN], via[ADDR_STRLEN];
		if (r->tunnel) {
			/* Through a VTI: the next hop is the far end's address on
			 * the tunnel's link. */
			struct ip_addr peer;
			if (!emit_tunnel_peer_address(r->tunnel, &peer))
				continue;
			vti_nameif(r->tunnel, n, sizeof(n));
			emit_addr(&peer, via, sizeof(via));
		} else if (r->connected || !r->via.family) {
			continue;
		} else {
			nameif(s->mg->ir, r->iface, n, sizeof(n));
			emit_addr(&r->via, via, sizeof(via));
		}
		emit_net(&r->dst, net, sizeof(net));
		if (emit_is_v4(&r->dst)) {
			char m[ADDR_STRLEN];
			v4_mask_format(r->dst.len, false, m, sizeof(m));
			strbuf_printf(s->out, "route %s %s %s %s %u" NL, n, net, m, via,
				      r->metric ? r->metric : 1);
		} else
			strbuf_printf(s->out, "ipv6 route %s %s/%u %s %u" NL, n, net, r->dst.len, via,
				      r->metric ? r->metric : 1);
	}
}

static void write_filter(void *arg, const struct ir_interface *ifc, const struct ir_filter *f)
{
	struct asa *s = arg;
	char n[EMIT_NAME_MAX], raw[EMIT_NAME_MAX + 8], acl[EMIT_NAME_MAX];
	nameif(s->mg->ir, ifc, n, sizeof(n));
	const char *dir = f->dir == FILTER_IN ? "in" : "out";
	snprintf(raw, sizeof(raw), "%s-%s", n, dir);
	emit_name(acl, sizeof(acl), "tunc-filter-", raw);
	for (size_t i = 0; i < f->rules.n; i++) {
		const struct ir_filter_rule *r = &f->rules.v[i];
		char loc[256];
		emit_loc_text(s->ctx, r->loc, loc, sizeof(loc));
		strbuf_printf(s->out, "access-list %s remark %s" NL, acl, loc);
		strbuf_printf(s->out, "access-list %s extended %s ", acl,
			      r->action == FILTER_PERMIT ? "permit" : "deny");
		emit_acl_proto(s->out, r->proto, "ah");
		strbuf_putc(s->out, ' ');
		emit_acl_addr(s->out, &r->src.p, false);
		strbuf_putc(s->out, ' ');
		emit_acl_addr(s->out, &r->dst.p, false);
		emit_acl_ports(s->out, r->port_lo, r->port_hi);
		strbuf_puts(s->out, NL);
	}
	strbuf_printf(s->out, "access-list %s extended %s ip any any" NL, acl,
		      f->default_action == FILTER_PERMIT ? "permit" : "deny");
	strbuf_printf(s->out, "access-group %s %s interface %s" NL, acl, dir, n);
}

/* `tcp-mss`: the ASA clamps every TCP connection it passes to one MSS
 * (`sysopt connection tcpmss N`, global; ASA command reference), so the
 * smallest of its tunnels' values is written. */
static void write_tcpmss(struct asa *s)
{
	unsigned mss;
	const struct model_tunnel *from = emit_smallest_mss(s->mg, &mss);
	if (!from)
		return;
	char where[512];
	emit_loc_text(s->ctx, ir_end_tcp_mss(from->here)->loc, where, sizeof(where));
	strbuf_printf(s->out, "! tcp-mss of tunnel %s (%s); global on the ASA: the smallest of "
		      "its tunnels'" NL "sysopt connection tcpmss %u" NL, from->ir->name, where, mss);
}

static void write_filters(struct asa *s)
{
	const struct ir_gateway *g = s->mg->ir;
	bool any = false;
	for (size_t i = 0; i < g->interfaces.n; i++)
		any |= ir_iface_written(g->interfaces.v[i])->filter_in || ir_iface_written(g->interfaces.v[i])->filter_out;
	/* The walk every filter-writing emitter shares: what the platform row
	 * cannot hold is refused with lint's words, not written. */
	if (!emit_each_filter(s->ctx, s->mg, "asa", write_filter, s))
		s->ok = false;
	/* The ASA default, written so that the reader sees it: decrypted
	 * traffic is not checked against the interface access lists. */
	if (any || s->mg->tunnels.n)
		strbuf_puts(s->out, "sysopt connection permit-vpn" NL);
	write_tcpmss(s);
}

/* ---- IKE policies ---- */

static void write_ike1_policies(struct asa *s, size_t *k)
{
	struct emit_set seen = {0};
	struct emit_ike_policy pol[EMIT_COMBOS_MAX];
	size_t np = 0;
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		const struct ir_ike *ike = model_tunnel_ike(mt);
		if (!ike || ike->version != 1)
			continue;
		struct emit_ike_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ike_combos(ike, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			if (!ike_enc[c[i].enc] || !ike1_hash[c[i].integ] ||
			    !platform_has_group(s->mg->platform, c[i].group)) {
				char what[160];
				snprintf(what, sizeof(what), "an IKEv1 policy with %s/%s/group %u "
					 "(IKEv1 policies take md5 or sha)", encryption_name(c[i].enc),
					 integrity_name(c[i].integ), c[i].group);
				fail(s, mt, ike->loc, what);
				continue;
			}
			char key[64];
			snprintf(key, sizeof(key), "%d/%d/%u/%llu", (int)c[i].enc, (int)c[i].integ,
				 c[i].group, (unsigned long long)ike->lifetime_s);
			if (!emit_set_add(&seen, key) || np == EMIT_COMBOS_MAX)
				continue;
			pol[np++] = (struct emit_ike_policy){c[i], ike->lifetime_s, mt};
		}
	}
	emit_set_free(&seen);
	/* Priority order is match order: the strongest suite first, as on IOS. */
	emit_ike_policies_sort(pol, np);
	for (size_t i = 0; i < np; i++) {
		unsigned prio = emit_number(s->ctx, ++*k);
		if (prio > ASA_POLICY_MAX) {
			fail(s, pol[i].mt, model_tunnel_ike(pol[i].mt)->loc,
			     "an IKEv1 policy numbered above "
			     "65535 (lower --base)");
			break;
		}
		strbuf_printf(s->out, "crypto ikev1 policy %u" NL, prio);
		strbuf_puts(s->out, " authentication pre-share" NL);
		strbuf_printf(s->out, " encryption %s" NL, ike_enc[pol[i].c.enc]);
		strbuf_printf(s->out, " hash %s" NL, ike1_hash[pol[i].c.integ]);
		strbuf_printf(s->out, " group %u" NL, pol[i].c.group);
		strbuf_printf(s->out, " lifetime %llu" NL, (unsigned long long)pol[i].lifetime_s);
	}
}

/* One IKEv2 policy per IKE block, split in two where it mixes AEAD and
 * non-AEAD ciphers (an AEAD policy negotiates integrity null). */
static void write_ike2_policy(struct asa *s, const struct model_tunnel *mt, bool aead,
			      struct emit_set *seen, size_t *k)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	bool has = false;
	for (size_t e = 0; e < ike->encryption.n; e++)
		has |= encryption_is_aead(ike->encryption.v[e]) == aead;
	char key[EMIT_NAME_MAX + 8];
	snprintf(key, sizeof(key), "%s%s", ike->name ? ike->name : "ike", aead ? "/aead" : "");
	if (!has || !emit_set_add(seen, key))
		return;
	unsigned prio = emit_number(s->ctx, ++*k);
	if (prio > ASA_POLICY_MAX) {
		fail(s, mt, ike->loc, "an IKEv2 policy numbered above 65535 (lower --base)");
		return;
	}
	strbuf_printf(s->out, "crypto ikev2 policy %u" NL " encryption", prio);
	for (size_t e = 0; e < ike->encryption.n; e++) {
		enum encryption enc = ike->encryption.v[e];
		if (encryption_is_aead(enc) != aead)
			continue;
		const char *w = aead ? ike2_enc_aead[enc] : ike_enc[enc];
		if (!w) {
			fail(s, mt, ike->encryption_loc, "this IKEv2 encryption");
			continue;
		}
		strbuf_printf(s->out, " %s", w);
	}
	strbuf_puts(s->out, NL " integrity");
	if (aead)
		strbuf_puts(s->out, " null");
	for (size_t i = 0; i < ike->integrity.n && !aead; i++) {
		enum integrity in = ike->integrity.v[i];
		if (!ike2_integ[in]) {
			fail(s, mt, ike->integrity_loc, "this IKEv2 integrity");
			continue;
		}
		strbuf_printf(s->out, " %s", ike2_integ[in]);
	}
	strbuf_puts(s->out, NL " group");
	for (size_t g = 0; g < ike->group.n; g++) {
		if (!platform_has_group(s->mg->platform, ike->group.v[g]))
			fail(s, mt, ike->group_loc, "this Diffie-Hellman group");
		strbuf_printf(s->out, " %u", ike->group.v[g]);
	}
	strbuf_puts(s->out, NL " prf");
	for (size_t i = 0; i < ike->integrity.n; i++)
		if (ike2_integ[ike->integrity.v[i]])
			strbuf_printf(s->out, " %s", ike2_integ[ike->integrity.v[i]]);
	strbuf_printf(s->out, NL " lifetime seconds %llu" NL, (unsigned long long)ike->lifetime_s);
}

static void write_ike_policies(struct asa *s)
{
	size_t k = 0;
	write_ike1_policies(s, &k);
	struct emit_set seen = {0};
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		const struct ir_ike *ike = model_tunnel_ike(mt);
		if (!ike || ike->version != 2)
			continue;
		/* In the description's order of preference. */
		bool aead_first = ike->encryption.n &&
				  encryption_is_aead(ike->encryption.v[0]);
		write_ike2_policy(s, mt, aead_first, &seen, &k);
		write_ike2_policy(s, mt, !aead_first, &seen, &k);
	}
	emit_set_free(&seen);
}

/* ---- IPsec proposals ---- */

/* Does the description prefer an AEAD cipher (listed first)? */
static bool aead_preferred(const struct ir_ipsec *ps)
{
	return ps->encryption.n && encryption_is_aead(ps->encryption.v[0]);
}

/* The IKEv2 IPsec proposal of MT for its AEAD or other ciphers ("" when it
 * has none of that kind). */
static void ike2_proposal_name(const struct model_tunnel *mt, bool aead, char *buf, size_t size)
{
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	bool has = false;
	for (size_t e = 0; e < ipsec->encryption.n; e++)
		has |= encryption_is_aead(ipsec->encryption.v[e]) == aead;
	if (!has) {
		buf[0] = '\0';
		return;
	}
	char raw[EMIT_NAME_MAX];
	snprintf(raw, sizeof(raw), "%s%s", ipsec->name ? ipsec->name : "ipsec",
		 aead ? "-aead" : "");
	emit_name(buf, size, "tunc-", raw);
}

static void write_ike2_proposal(struct asa *s, const struct model_tunnel *mt, bool aead,
				struct emit_set *written)
{
	char name[EMIT_NAME_MAX];
	ike2_proposal_name(mt, aead, name, sizeof(name));
	if (!name[0] || !emit_set_add(written, name))
		return;
	const struct ir_ipsec *ps = model_tunnel_ipsec(mt);
	strbuf_printf(s->out, "crypto ipsec ikev2 ipsec-proposal %s" NL " protocol esp encryption",
		      name);
	for (size_t e = 0; e < ps->encryption.n; e++)
		if (encryption_is_aead(ps->encryption.v[e]) == aead) {
			if (!esp2_enc[ps->encryption.v[e]])
				fail(s, mt, ps->encryption_loc, "this ESP encryption");
			else
				strbuf_printf(s->out, " %s", esp2_enc[ps->encryption.v[e]]);
		}
	strbuf_puts(s->out, NL " protocol esp integrity");
	if (aead || !ps->integrity.n)
		strbuf_puts(s->out, " null");
	for (size_t i = 0; i < ps->integrity.n && !aead; i++) {
		if (!esp2_integ[ps->integrity.v[i]] ||
		    !(s->mg->platform->esp_integrity & BIT(ps->integrity.v[i])))
			fail(s, mt, ps->integrity_loc, "this ESP integrity");
		else
			strbuf_printf(s->out, " %s", esp2_integ[ps->integrity.v[i]]);
	}
	strbuf_puts(s->out, NL);
}

static void write_proposals(struct asa *s)
{
	struct emit_set written = {0};
	for (size_t t = 0; t < s->mg->tunnels.n; t++) {
		const struct model_tunnel *mt = s->mg->tunnels.v[t];
		const struct ir_ike *ike = model_tunnel_ike(mt);
		const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
		if (!ike || !ipsec)
			continue;
		if (ipsec->protocol != IPSEC_ESP) {
			fail(s, mt, ipsec->protocol_loc.file ? ipsec->protocol_loc
				    : ipsec->loc, "AH (the ASA offers ESP only)");
			continue;
		}
		if (ike->version == 2) {
			bool aead_first = aead_preferred(ipsec);
			write_ike2_proposal(s, mt, aead_first, &written);
			write_ike2_proposal(s, mt, !aead_first, &written);
			continue;
		}
		struct emit_esp_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ipsec_combos(ipsec, c, EMIT_COMBOS_MAX);
		for (size_t i = 0; i < n; i++) {
			char name[EMIT_NAME_MAX];
			emit_tset_name(&c[i], name, sizeof(name));
			if (!emit_set_add(&written, name))
				continue;
			if (!esp1_enc[c[i].enc] || !esp1_auth[c[i].integ]) {
				char what[160];
				snprintf(what, sizeof(what), "an IKEv1 transform set with %s/%s "
					 "(SHA-2 and GCM need IKEv2 on the ASA)",
					 encryption_name(c[i].enc), integrity_name(c[i].integ));
				fail(s, mt, ipsec->loc, what);
				continue;
			}
			/* Tunnel mode is the ASA default: no `mode` line. */
			strbuf_printf(s->out, "crypto ipsec ikev1 transform-set %s %s %s" NL, name,
				      esp1_enc[c[i].enc], esp1_auth[c[i].integ]);
		}
	}
	emit_set_free(&written);
}

/* ---- per tunnel: crypto ACL, map entry, tunnel group ---- */

/* The crypto ACL: one permit line per outbound SPD entry of the model that
 * protects through MT, in SPD order. */
static void write_crypto_acl(struct asa *s, const struct model_tunnel *mt, const char *acl)
{
	size_t lines = 0;
	struct spd_refs mine = model_tunnel_spd(mt, SPD_OUT);
	for (size_t i = 0; i < mine.n; i++) {
		const struct spd_entry *e = model_spd_entry(s->mg, SPD_OUT, mine.v[i]);
		const struct selector sel = spd_entry_sel(e);
		if (!s->mg->platform->ipv6 && !emit_is_v4(&sel.src)) {
			fail(s, mt, e->loc, "an IPv6 selector");
			continue;
		}
		char src[EMIT_NAME_MAX], dst[EMIT_NAME_MAX];
		object(s, &sel.src, src, sizeof(src));
		object(s, &sel.dst, dst, sizeof(dst));
		strbuf_printf(s->out, "access-list %s extended permit ", acl);
		emit_acl_proto(s->out, sel.proto, "ah");
		strbuf_printf(s->out, " object %s object %s", src, dst);
		emit_acl_ports(s->out, sel.port_lo, sel.port_hi);
		strbuf_puts(s->out, NL);
		lines++;
	}
	if (!lines)
		strbuf_puts(s->out, "! no selector pair: this tunnel protects nothing" NL);
}

static void write_tunnel_group(struct asa *s, const struct model_tunnel *mt, const char *peer)
{
	if (!emit_set_add(&s->groups, peer)) {
		strbuf_printf(s->out, "! tunnel-group %s is written above: one per peer address; "
			      "its key serves this tunnel too." NL, peer);
		return;
	}
	struct secret key;
	if (!emit_psk_read(s->ctx, mt, &key)) {
		s->ok = false;
		return;
	}
	if (!secret_printable(&key, false, "?\"")) {
		fail(s, mt, model_tunnel_psk(mt)->loc,
		     "this pre-shared key: the ASA takes no space, '?', '\"' "
		     "or non-printable character in a key");
		secret_free(&key);
		return;
	}
	s->ctx->holds_key = true;
	strbuf_printf(s->out, "tunnel-group %s type ipsec-l2l" NL, peer);
	strbuf_printf(s->out, "tunnel-group %s ipsec-attributes" NL, peer);
	if (model_tunnel_ike(mt)->version == 2) {
		strbuf_printf(s->out, " ikev2 remote-authentication pre-shared-key %.*s" NL,
			      (int)key.len, (const char *)key.bytes);
		strbuf_printf(s->out, " ikev2 local-authentication pre-shared-key %.*s" NL,
			      (int)key.len, (const char *)key.bytes);
	} else
		strbuf_printf(s->out, " ikev1 pre-shared-key %.*s" NL, (int)key.len,
			      (const char *)key.bytes);
	secret_free(&key);
	if (ir_end_dpd(mt->here)->set) {
		/* DPD: `isakmp keepalive threshold SECONDS retry SECONDS` (10-3600,
		 * 2-10) in the tunnel group; uncertain: that it governs IKEv2 SAs
		 * too is from the command reference's wording, not a device. */
		strbuf_printf(s->out, " isakmp keepalive threshold %llu retry 2" NL,
			      (unsigned long long)ir_end_dpd(mt->here)->interval_s);
	}
}

/* ---- route-based tunnels: virtual tunnel interfaces (9.8+) ----
 * Cisco ASA Series VPN CLI Configuration Guide 9.8, "Virtual Tunnel
 * Interface": `crypto ipsec profile` (proposals, PFS, lifetime), then
 * `interface TunnelN` with nameif, address, `tunnel source interface`,
 * `tunnel destination`, `tunnel mode ipsec ipv4|ipv6` and `tunnel
 * protection ipsec profile`; routes name the VTI's nameif. */
static void write_vti(struct asa *s, const struct model_tunnel *mt, const char *peer)
{
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	if (!platform_route_based_at(s->mg->platform, s->mg->ir->version)) {
		fail(s, mt, ir_end_route_based(mt->here)->loc, "a virtual tunnel interface (9.8 and later)");
		return;
	}
	if (mt->here->local_set || mt->here->remote_set) {
		fail(s, mt, ir_end_route_based(mt->here)->loc, "a tunnel interface with narrowed selectors "
		     "(an ASA VTI proposes any to any)");
		return;
	}
	char profile[EMIT_NAME_MAX], vif[EMIT_NAME_MAX], src[EMIT_NAME_MAX], addr[ADDR_STRLEN];
	emit_name(profile, sizeof(profile), "tunc-", mt->ir->name);
	vti_nameif(mt, vif, sizeof(vif));
	nameif(s->mg->ir, mt->here->endpoint_iface, src, sizeof(src));
	emit_set_add(&s->vti_ifs, src);
	strbuf_printf(s->out, "crypto ipsec profile %s" NL, profile);
	if (model_tunnel_ike(mt)->version == 2) {
		s->ike2 = true;
		char a[EMIT_NAME_MAX], b[EMIT_NAME_MAX];
		bool aead_first = aead_preferred(ipsec);
		ike2_proposal_name(mt, aead_first, a, sizeof(a));
		ike2_proposal_name(mt, !aead_first, b, sizeof(b));
		strbuf_printf(s->out, " set ikev2 ipsec-proposal%s%s%s%s" NL,
			      a[0] ? " " : "", a, b[0] ? " " : "", b);
	} else {
		s->ike1 = true;
		strbuf_puts(s->out, " set ikev1 transform-set");
		struct emit_esp_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ipsec_combos(ipsec, c, EMIT_COMBOS_MAX);
		emit_tset_list(s->out, c, n);
		strbuf_puts(s->out, NL);
	}
	if (ipsec->pfs)
		strbuf_printf(s->out, " set pfs group%u" NL, ipsec->pfs);
	strbuf_printf(s->out, " set security-association lifetime seconds %llu" NL,
		      (unsigned long long)ipsec->lifetime_s);
	if (ipsec->lifetime_kb)
		strbuf_printf(s->out, " set security-association lifetime kilobytes %llu" NL,
			      (unsigned long long)ipsec->lifetime_kb);
	strbuf_puts(s->out, "!" NL);

	bool v6 = ir_end_tunnel_address(mt->here)->addr.family == AF_V6;
	emit_addr(&ir_end_tunnel_address(mt->here)->addr, addr, sizeof(addr));
	if (v6 || model_tunnel_remote_ep(mt)->family == AF_V6)
		strbuf_puts(s->out, "! Uncertain: IPv6 on a VTI (an IPv6 address, `tunnel mode "
				    "ipsec ipv6`) is from later 9.x guides than 9.8, not tried on "
				    "a device." NL);
	strbuf_printf(s->out, "interface Tunnel%zu" NL " nameif %s" NL, vti_number(s->mg, mt), vif);
	if (v6)
		strbuf_printf(s->out, " ipv6 address %s/%u" NL, addr, ir_end_tunnel_address(mt->here)->len);
	else {
		char m[ADDR_STRLEN];
		v4_mask_format(ir_end_tunnel_address(mt->here)->len, false, m, sizeof(m));
		strbuf_printf(s->out, " ip address %s %s" NL, addr, m);
	}
	strbuf_printf(s->out, " tunnel source interface %s" NL, src);
	strbuf_printf(s->out, " tunnel destination %s" NL, peer);
	strbuf_printf(s->out, " tunnel mode ipsec %s" NL,
		      model_tunnel_remote_ep(mt)->family == AF_V6 ? "ipv6" : "ipv4");
	strbuf_printf(s->out, " tunnel protection ipsec profile %s" NL "!" NL, profile);
	write_tunnel_group(s, mt, peer);
}

static void write_tunnel(struct asa *s, const struct model_tunnel *mt)
{
	const struct ir_ike *ike = model_tunnel_ike(mt);
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	emit_tunnel_banner(s->ctx, mt, s->out, "!", NL);
	if (!ipsec || !ike) {
		fail(s, mt, mt->ir->loc, "a tunnel without IKE and IPsec proposals "
		     "(the ASA has no static SAs)");
		return;
	}
	if (model_tunnel_remote_ep(mt)->family == 0) {
		fail(s, mt, mt->ir->loc, "a peer without an address");
		return;
	}
	char peer[ADDR_STRLEN], acl[EMIT_NAME_MAX], ifn[EMIT_NAME_MAX], map[EMIT_NAME_MAX];
	emit_addr(model_tunnel_remote_ep(mt), peer, sizeof(peer));
	if (mt->route_based) {
		write_vti(s, mt, peer);
		return;
	}
	emit_name(acl, sizeof(acl), "tunc-", mt->ir->name);
	write_crypto_acl(s, mt, acl);

	nameif(s->mg->ir, mt->here->endpoint_iface, ifn, sizeof(ifn));
	emit_set_add(&s->maps, ifn);
	long mi = emit_set_index(&s->maps, ifn);
	unsigned seq = s->ctx->base + (mi >= 0 && mi < 64 ? (s->map_seq[mi] += 10) : 10);
	emit_name(map, sizeof(map), "tunc-", ifn);
	strbuf_printf(s->out, "crypto map %s %u match address %s" NL, map, seq, acl);
	strbuf_printf(s->out, "crypto map %s %u set peer %s" NL, map, seq, peer);
	if (ike->version == 2) {
		s->ike2 = true;
		char a[EMIT_NAME_MAX], b[EMIT_NAME_MAX];
		bool aead_first = aead_preferred(ipsec);
		ike2_proposal_name(mt, aead_first, a, sizeof(a));
		ike2_proposal_name(mt, !aead_first, b, sizeof(b));
		strbuf_printf(s->out, "crypto map %s %u set ikev2 ipsec-proposal%s%s%s%s" NL, map, seq,
			      a[0] ? " " : "", a, b[0] ? " " : "", b);
	} else {
		s->ike1 = true;
		strbuf_printf(s->out, "crypto map %s %u set ikev1 transform-set", map, seq);
		struct emit_esp_combo c[EMIT_COMBOS_MAX];
		size_t n = emit_ipsec_combos(ipsec, c, EMIT_COMBOS_MAX);
		emit_tset_list(s->out, c, n);
		strbuf_puts(s->out, NL);
		if (ike->mode == IKE_MODE_AGGRESSIVE)
			strbuf_printf(s->out, "! Uncertain: the phase1-mode form is from the command "
				      "reference's crypto map set commands, not tested on a device." NL
				      "crypto map %s %u set ikev1 phase1-mode aggressive" NL, map, seq);
	}
	if (ipsec->pfs)
		strbuf_printf(s->out, "crypto map %s %u set pfs group%u" NL, map, seq, ipsec->pfs);
	strbuf_printf(s->out, "crypto map %s %u set security-association lifetime seconds %llu" NL,
		      map, seq, (unsigned long long)ipsec->lifetime_s);
	if (ipsec->lifetime_kb)
		strbuf_printf(s->out, "crypto map %s %u set security-association lifetime "
			      "kilobytes %llu" NL, map, seq, (unsigned long long)ipsec->lifetime_kb);
	write_tunnel_group(s, mt, peer);
}

bool emit_asa(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	struct asa s = {.ctx = ctx, .mg = mg, .out = out, .ok = true};
	emit_header(ctx, mg, out, "!", NL, mg->tunnels.n > 0);
	strbuf_puts(out, "! Interfaces are named by their nameif.  Uncertain (not tried on a "
			 "device): the security levels other than 0 and 100, and the IKEv2 "
			 "`prf` list repeating the integrity list." NL "!" NL);
	write_interfaces(&s);
	write_nat(&s);
	write_routes(&s);
	write_filters(&s);
	write_ike_policies(&s);
	write_proposals(&s);
	for (size_t t = 0; t < mg->tunnels.n; t++)
		write_tunnel(&s, mg->tunnels.v[t]);
	/* Bound last: the map and IKE go live on the interface with every
	 * entry in place. */
	for (size_t i = 0; i < s.maps.n; i++) {
		char map[EMIT_NAME_MAX];
		emit_name(map, sizeof(map), "tunc-", s.maps.v[i]);
		strbuf_printf(out, "crypto map %s interface %s" NL, map, s.maps.v[i]);
		if (s.ike1)
			strbuf_printf(out, "crypto ikev1 enable %s" NL, s.maps.v[i]);
		if (s.ike2)
			strbuf_printf(out, "crypto ikev2 enable %s" NL, s.maps.v[i]);
	}
	for (size_t i = 0; i < s.vti_ifs.n; i++) {
		if (emit_set_index(&s.maps, s.vti_ifs.v[i]) >= 0)
			continue;
		if (s.ike1)
			strbuf_printf(out, "crypto ikev1 enable %s" NL, s.vti_ifs.v[i]);
		if (s.ike2)
			strbuf_printf(out, "crypto ikev2 enable %s" NL, s.vti_ifs.v[i]);
	}
	strbuf_puts(out, "end" NL);
	emit_set_free(&s.objects);
	emit_set_free(&s.maps);
	emit_set_free(&s.groups);
	emit_set_free(&s.vti_ifs);
	return s.ok;
}
