/* engine.xml: the whole topology for `tunc run ENGINE.xml` (data/engine.rng,
 * doc/engine-xml.md), written with libxml2's xmlTextWriter.
 *
 * The file carries the IR, not a serialized model: proposals, sites with
 * their hosts and gateways, peers, tunnels with each per-end block as it was
 * written, and expectations.  The loader (src/engine/xml_load.c) rebuilds the
 * IR from it with the parser's own actions and derives the model again, so
 * what `tunc run` does with engine.xml is what it does with the .tun file.
 * Each gateway's derived SPD is added for readers; the loader ignores it.
 *
 * Locations: `src` is "FILE:LINE:COL" of the statement, and `NAME-src` the
 * location the IR keeps for the value of attribute NAME, when it keeps one
 * apart.  <sources> names each .tun file with its SHA-256, so the loader can
 * tell whether the file it finds is the one that was compiled.
 *
 * Keys: only references (`psk file` path as written, `psk env` variable).
 * An inline key is written as <psk source="inline"/>, without the key. */
#include "config.h"
#include "emit/common.h"
#include "emit/targets.h"

#include <libxml/xmlstring.h>
#include <libxml/xmlwriter.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

struct writer {
	xmlTextWriterPtr w;
	struct emit_ctx *ctx;
	bool failed;                    /* a value XML cannot carry */
};

/* XML 1.0 carries UTF-8 text without control characters (other than tab
 * and newlines, which attribute values keep as character references). */
static bool xml_safe(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
			return false;
	return xmlCheckUTF8(X(s)) != 0;
}

static void attr(struct writer *wr, const char *name, const char *value)
{
	if (!value)
		return;
	if (!xml_safe(value)) {
		if (!wr->failed)
			emit_error(wr->ctx, NULL, "engine-xml", LOC_NONE,
				   "'%s' holds characters that XML cannot carry (control characters "
				   "or invalid UTF-8); engine.xml not written", name);
		wr->failed = true;
		return;
	}
	xmlTextWriterWriteAttribute(wr->w, X(name), X(value));
}

static void attr_u(struct writer *wr, const char *name, unsigned long long v)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%llu", v);
	attr(wr, name, buf);
}

static void loc_text(struct writer *wr, struct tunc_loc loc, char *buf, size_t size)
{
	unsigned line, col;
	source_line_col(wr->ctx->sources, loc, &line, &col);
	snprintf(buf, size, "%s:%u:%u", source_path(wr->ctx->sources, loc), line, col);
}

/* NAME="FILE:LINE:COL" when LOC is known. */
static void attr_loc(struct writer *wr, const char *name, struct tunc_loc loc)
{
	if (!loc.file || !wr->ctx->sources || loc.file >= wr->ctx->sources->n)
		return;
	char buf[4200];
	loc_text(wr, loc, buf, sizeof(buf));
	attr(wr, name, buf);
}

/* NAME-src for the value of attribute NAME. */
static void attr_value_loc(struct writer *wr, const char *name, struct tunc_loc loc)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s-src", name);
	attr_loc(wr, buf, loc);
}

static void start(struct writer *wr, const char *element)
{
	xmlTextWriterStartElement(wr->w, X(element));
}

static void end(struct writer *wr)
{
	xmlTextWriterEndElement(wr->w);
}

static void prefix_text(const struct ir_prefix *p, char *buf, size_t size)
{
	if (p->is_any)
		snprintf(buf, size, "any");
	else
		prefix_format(&p->p, buf, size, false);
}

static void attr_prefix(struct writer *wr, const char *name, const struct ir_prefix *p)
{
	char buf[ADDR_STRLEN];
	prefix_text(p, buf, sizeof(buf));
	attr(wr, name, buf);
	attr_value_loc(wr, name, p->loc);
}

static void attr_addr(struct writer *wr, const char *name, const struct ip_addr *a)
{
	char buf[ADDR_STRLEN];
	addr_format(a, buf, sizeof(buf));
	attr(wr, name, buf);
}

static void attr_protocol(struct writer *wr, const char *name, unsigned proto)
{
	const char *n = protocol_name(proto);
	if (n)
		attr(wr, name, n);
	else
		attr_u(wr, name, proto);
}

static void attr_ports(struct writer *wr, const char *name, uint16_t lo, uint16_t hi)
{
	char buf[16];
	if (!lo)
		return;
	if (lo == hi)
		snprintf(buf, sizeof(buf), "%u", lo);
	else
		snprintf(buf, sizeof(buf), "%u-%u", lo, hi);
	attr(wr, name, buf);
}

/* ---- sources ---- */

static void digest_piece(void *md_ctx, const char *piece, size_t n)
{
	(void)EVP_DigestUpdate(md_ctx, piece, n);
}

/* A source's SHA-256 as parsed: its text is read back once its parse is
 * over (src/util/source.h), so it is digested a piece at a time.  False
 * if it changed since (then it is left out, as an unreadable one was). */
static bool source_sha256(const struct source_set *s, uint32_t file, unsigned char *md,
			  unsigned int *md_len)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = c && EVP_DigestInit_ex(c, EVP_sha256(), NULL) &&
		  source_each_piece(s, file, digest_piece, c) &&
		  EVP_DigestFinal_ex(c, md, md_len);
	EVP_MD_CTX_free(c);
	return ok;
}

static void put_sources(struct writer *wr)
{
	const struct source_set *s = wr->ctx->sources;
	if (!s)
		return;
	start(wr, "sources");
	for (size_t i = 1; i < s->n; i++) {
		unsigned char md[EVP_MAX_MD_SIZE];
		unsigned int md_len = 0;
		char hex[2 * EVP_MAX_MD_SIZE + 1];
		if (!source_sha256(s, (uint32_t)i, md, &md_len))
			continue;
		for (unsigned k = 0; k < md_len; k++)
			snprintf(hex + 2 * k, 3, "%02x", md[k]);
		start(wr, "source");
		attr(wr, "path", s->files[i].path);
		attr(wr, "sha256", hex);
		end(wr);
	}
	end(wr);
}

/* ---- proposals ---- */

static void attr_enc(struct writer *wr, const ir_enc_vec *v, struct tunc_loc loc)
{
	char buf[256] = "";
	for (size_t i = 0; i < v->n; i++) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "", encryption_name(v->v[i]));
	}
	if (v->n)
		attr(wr, "encryption", buf);
	attr_value_loc(wr, "encryption", loc);
}

static void attr_integ(struct writer *wr, const ir_integ_vec *v, struct tunc_loc loc)
{
	char buf[256] = "";
	for (size_t i = 0; i < v->n; i++) {
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof(buf) - n, "%s%s", i ? " " : "", integrity_name(v->v[i]));
	}
	if (v->n)
		attr(wr, "integrity", buf);
	attr_value_loc(wr, "integrity", loc);
}

static void put_ike(struct writer *wr, const struct ir_ike *p)
{
	start(wr, "ike");
	attr(wr, "name", p->name);
	attr_loc(wr, "src", p->loc);
	attr_u(wr, "version", p->version);
	attr_value_loc(wr, "version", p->version_loc);
	attr(wr, "mode", p->mode == IKE_MODE_AGGRESSIVE ? "aggressive" : "main");
	attr_value_loc(wr, "mode", p->mode_loc);
	if (p->encryption.n)
		attr_enc(wr, &p->encryption, p->encryption_loc);
	if (p->integrity.n)
		attr_integ(wr, &p->integrity, p->integrity_loc);
	if (p->group.n) {
		char buf[256] = "";
		for (size_t i = 0; i < p->group.n; i++) {
			size_t n = strlen(buf);
			snprintf(buf + n, sizeof(buf) - n, "%s%u", i ? " " : "", p->group.v[i]);
		}
		attr(wr, "group", buf);
		attr_value_loc(wr, "group", p->group_loc);
	}
	attr_u(wr, "lifetime", p->lifetime_s);
	attr_value_loc(wr, "lifetime", p->lifetime_loc);
	end(wr);
}

static void put_ipsec(struct writer *wr, const struct ir_ipsec *p)
{
	start(wr, "ipsec");
	attr(wr, "name", p->name);
	attr_loc(wr, "src", p->loc);
	attr(wr, "protocol", p->protocol == IPSEC_AH ? "ah" : "esp");
	attr_value_loc(wr, "protocol", p->protocol_loc);
	if (p->encryption.n)
		attr_enc(wr, &p->encryption, p->encryption_loc);
	if (p->integrity.n)
		attr_integ(wr, &p->integrity, p->integrity_loc);
	if (p->pfs)
		attr_u(wr, "pfs", p->pfs);
	else
		attr(wr, "pfs", "none");
	attr_value_loc(wr, "pfs", p->pfs_loc);
	attr_u(wr, "lifetime", p->lifetime_s);
	if (p->lifetime_kb)
		attr_u(wr, "lifetime-kb", p->lifetime_kb);
	attr_value_loc(wr, "lifetime", p->lifetime_loc);
	end(wr);
}

/* ---- sites, gateways, peers ---- */

static void put_subnets(struct writer *wr, const ir_prefix_vec *v)
{
	for (size_t i = 0; i < v->n; i++) {
		start(wr, "subnet");
		char buf[ADDR_STRLEN];
		prefix_text(&v->v[i], buf, sizeof(buf));
		attr(wr, "prefix", buf);
		attr_loc(wr, "src", v->v[i].loc);
		end(wr);
	}
}

static void put_platform(struct writer *wr, const struct ir_gateway *g)
{
	if (!g->has_platform)
		return;
	start(wr, "platform");
	attr(wr, "name", platform_name(g->platform));
	if (g->version && *g->version)          /* the cloud rows have no version */
		attr(wr, "version", g->version);
	attr_loc(wr, "src", g->platform_loc);
	end(wr);
}

static void put_filter(struct writer *wr, const struct ir_filter *f)
{
	if (!f)
		return;
	start(wr, "filter");
	attr(wr, "dir", f->dir == FILTER_IN ? "in" : "out");
	attr_loc(wr, "src", f->loc);
	attr(wr, "default", f->default_action == FILTER_DROP ? "drop" : "permit");
	attr_value_loc(wr, "default", f->default_loc);
	for (size_t i = 0; i < f->rules.n; i++) {
		const struct ir_filter_rule *r = &f->rules.v[i];
		start(wr, "rule");
		attr(wr, "action", r->action == FILTER_DROP ? "drop" : "permit");
		attr_prefix(wr, "from", &r->src);
		attr_prefix(wr, "to", &r->dst);
		if (r->proto != PROTO_ANY)
			attr_protocol(wr, "protocol", r->proto);
		attr_ports(wr, "port", r->port_lo, r->port_hi);
		attr_loc(wr, "src", r->loc);
		end(wr);
	}
	end(wr);
}

static void put_interface(struct writer *wr, const struct ir_interface *ifc)
{
	start(wr, "interface");
	attr(wr, "name", ifc->name);
	attr_loc(wr, "src", ifc->loc);
	if (ifc->has_address) {
		char buf[ADDR_STRLEN];
		prefix_format(&ifc->address, buf, sizeof(buf), false);
		attr(wr, "address", buf);
		attr_value_loc(wr, "address", ifc->address_loc);
	}
	if (ifc->outside)
		attr(wr, "outside", "true");
	const struct ir_iface_written *w = ir_iface_written(ifc);
	if (w->behind_nat) {
		attr_addr(wr, "behind-nat", &w->nat_address);
		attr_value_loc(wr, "behind-nat", w->behind_nat_loc);
		if (w->behind_pat)
			attr(wr, "behind-nat-pat", "true");
	}
	if (w->mtu_loc.file) {
		attr_u(wr, "mtu", w->mtu);
		attr_value_loc(wr, "mtu", w->mtu_loc);
	}
	put_filter(wr, ir_iface_written(ifc)->filter_in);
	put_filter(wr, ir_iface_written(ifc)->filter_out);
	end(wr);
}

static void put_route(struct writer *wr, const struct ir_route *r)
{
	start(wr, "route");
	attr_prefix(wr, "to", &r->dst);
	if (r->tunnel) {
		attr(wr, "tunnel", r->tunnel->name);
		attr_value_loc(wr, "tunnel", r->tunnel->loc);
	} else {
		attr_addr(wr, "via", &r->via);
		attr_value_loc(wr, "via", r->via_loc);
	}
	if (r->dev.name) {
		attr(wr, "dev", r->dev.name);
		attr_value_loc(wr, "dev", r->dev.loc);
	}
	if (r->metric)
		attr_u(wr, "metric", r->metric);
	attr_loc(wr, "src", r->loc);
	end(wr);
}

static void put_nat(struct writer *wr, const struct ir_gateway *g)
{
	if (!g->nat.n && !g->nat_loc.file)
		return;
	start(wr, "nat");
	attr_loc(wr, "src", g->nat_loc);
	for (size_t i = 0; i < g->nat.n; i++) {
		const struct ir_nat_rule *n = &g->nat.v[i];
		switch (n->kind) {
		case NAT_EXEMPT:
			start(wr, "exempt");
			attr_prefix(wr, "from", &n->src);
			attr_prefix(wr, "to", &n->dst);
			break;
		case NAT_EXEMPT_TUNNELS:
			start(wr, "exempt-tunnels");
			break;
		case NAT_OVERLOAD:
			start(wr, "overload");
			attr_prefix(wr, "from", &n->src);
			attr(wr, "interface", n->iface.name);
			attr_value_loc(wr, "interface", n->iface.loc);
			break;
		case NAT_STATIC:
			start(wr, "static");
			attr_addr(wr, "from", &n->static_from);
			attr_value_loc(wr, "from", n->src.loc);
			attr_addr(wr, "to", &n->static_to);
			break;
		}
		attr_loc(wr, "src", n->loc);
		end(wr);
	}
	end(wr);
}

/* The derived SPD, for readers (the loader ignores it). */
static void put_spd(struct writer *wr, const struct ir_gateway *g)
{
	static const char *const dirs[] = {[SPD_OUT] = "out", [SPD_IN] = "in", [SPD_FWD] = "fwd"};
	static const char *const actions[] = {
		[SPD_PROTECT] = "protect", [SPD_BYPASS] = "bypass", [SPD_DISCARD] = "discard"};
	static const char *const origins[] = {
		[ORIGIN_TUNNEL] = "tunnel", [ORIGIN_PLATFORM] = "platform", [ORIGIN_DEFAULT] = "default"};
	const struct model_gateway *mg = model_gateway_of(wr->ctx->model, g);
	if (!mg)
		return;
	for (int d = SPD_OUT; d <= SPD_FWD; d++) {
		if (!model_spd_count(mg, d))
			continue;
		start(wr, "spd");
		attr(wr, "dir", dirs[d]);
		for (size_t i = 0; i < model_spd_count(mg, d); i++) {
			const struct spd_entry *se = model_spd_entry(mg, d, i);
			const struct selector sel = spd_entry_sel(se);
			char buf[ADDR_STRLEN];
			start(wr, "entry");
			attr(wr, "action", actions[se->action]);
			prefix_format(&sel.src, buf, sizeof(buf), false);
			attr(wr, "from", buf);
			prefix_format(&sel.dst, buf, sizeof(buf), false);
			attr(wr, "to", buf);
			if (sel.proto != PROTO_ANY)
				attr_protocol(wr, "protocol", sel.proto);
			attr_ports(wr, "port", sel.port_lo, sel.port_hi);
			if (se->tunnel)
				attr(wr, "tunnel", se->tunnel->ir->name);
			attr(wr, "origin", origins[se->origin]);
			struct strbuf nb = STRBUF_INIT;
			attr(wr, "note", model_spd_note(mg, se, &nb));
			strbuf_free(&nb);
			attr_loc(wr, "src", se->loc);
			end(wr);
		}
		end(wr);
	}
}

/* A route-based end's selector pairs, for readers (the loader ignores
 * them): they are not in the SPD but bound to the tunnel interface, and
 * what the emitters write for it (swanctl children, xfrm policies with an
 * if_id) comes from them. */
static void put_tunnel_interfaces(struct writer *wr, const struct ir_gateway *g)
{
	const struct model_gateway *mg = model_gateway_of(wr->ctx->model, g);
	for (size_t t = 0; mg && t < mg->tunnels.n; t++) {
		const struct model_tunnel *mt = mg->tunnels.v[t];
		if (!mt->route_based)
			continue;
		start(wr, "tunnel-interface");
		attr(wr, "tunnel", mt->ir->name);
		struct selector_pairs pairs = model_tunnel_selectors(mt, 0);
		for (size_t i = 0; i < pairs.n; i++) {
			const struct selector *sel = &pairs.v[i].sel;
			char buf[ADDR_STRLEN];
			start(wr, "pair");
			prefix_format(&sel->src, buf, sizeof(buf), false);
			attr(wr, "from", buf);
			prefix_format(&sel->dst, buf, sizeof(buf), false);
			attr(wr, "to", buf);
			if (sel->proto != PROTO_ANY)
				attr_protocol(wr, "protocol", sel->proto);
			attr_ports(wr, "port", sel->port_lo, sel->port_hi);
			attr_loc(wr, "src", model_tunnel_selectors_loc(mt));
			end(wr);
		}
		end(wr);
	}
}

static void put_gateway(struct writer *wr, const struct ir_gateway *g)
{
	start(wr, "gateway");
	attr(wr, "name", g->name);
	attr_loc(wr, "src", g->loc);
	put_platform(wr, g);
	for (size_t i = 0; i < g->interfaces.n; i++)
		put_interface(wr, g->interfaces.v[i]);
	for (size_t i = 0; i < g->routes.n; i++)
		put_route(wr, &g->routes.v[i]);
	put_nat(wr, g);
	put_spd(wr, g);
	put_tunnel_interfaces(wr, g);
	end(wr);
}

static void put_peer(struct writer *wr, const struct ir_gateway *g)
{
	start(wr, "peer");
	attr(wr, "name", g->name);
	attr_loc(wr, "src", g->loc);
	if (g->address.family) {
		attr_addr(wr, "address", &g->address);
		attr_value_loc(wr, "address", g->address_loc);
	}
	if (g->behind_nat) {
		attr(wr, "behind-nat", "true");
		attr_value_loc(wr, "behind-nat", g->behind_nat_loc);
		if (g->behind_pat)
			attr(wr, "behind-nat-pat", "true");
	}
	put_platform(wr, g);
	put_subnets(wr, &g->subnets);
	put_spd(wr, g);
	end(wr);
}

static void put_site(struct writer *wr, const struct ir_site *s)
{
	start(wr, "site");
	attr(wr, "name", s->name);
	attr_loc(wr, "src", s->loc);
	put_subnets(wr, &s->subnets);
	for (size_t i = 0; i < s->hosts.n; i++) {
		const struct ir_host *h = s->hosts.v[i];
		start(wr, "host");
		attr(wr, "name", h->name);
		attr_addr(wr, "address", &h->addr);
		attr_loc(wr, "src", h->loc);
		end(wr);
	}
	for (size_t i = 0; i < s->gateways.n; i++)
		put_gateway(wr, s->gateways.v[i]);
	end(wr);
}

/* Sites and peers in an order that keeps both the sites' order and the
 * order of gateways and peers (which names the engine's nodes): a site is
 * written just before its first gateway. */
static void put_sites_and_peers(struct writer *wr, const struct ir *ir)
{
	size_t next_site = 0;
	for (size_t i = 0; i < ir->gateways.n; i++) {
		const struct ir_gateway *g = ir->gateways.v[i];
		if (g->kind == GW_PEER) {
			put_peer(wr, g);
			continue;
		}
		size_t k = next_site;
		while (k < ir->sites.n && ir->sites.v[k] != g->site)
			k++;
		if (k == ir->sites.n)
			continue;       /* its site is written already */
		for (; next_site <= k; next_site++)
			put_site(wr, ir->sites.v[next_site]);
	}
	for (; next_site < ir->sites.n; next_site++)
		put_site(wr, ir->sites.v[next_site]);
}

/* ---- tunnels ---- */

static void put_ref(struct writer *wr, const char *element, const struct ir_ref *r)
{
	if (!r->name)
		return;
	start(wr, element);
	attr(wr, "ref", r->name);
	attr_loc(wr, "src", r->loc);
	end(wr);
}

static void put_psk(struct writer *wr, const struct ir_psk *p)
{
	if (p->source == PSK_NONE)
		return;
	start(wr, "psk");
	switch (p->source) {
	case PSK_FILE:
		attr(wr, "source", "file");
		attr(wr, "path", p->value);
		break;
	case PSK_ENV:
		attr(wr, "source", "env");
		attr(wr, "name", p->value);
		break;
	default:
		attr(wr, "source", "inline");   /* never the key itself */
		break;
	}
	attr_loc(wr, "src", p->loc);
	end(wr);
}

static void put_selectors(struct writer *wr, const char *element, const ir_prefix_vec *v,
			  struct tunc_loc loc)
{
	start(wr, element);
	attr_loc(wr, "src", loc);
	for (size_t i = 0; i < v->n; i++) {
		start(wr, "prefix");
		char buf[ADDR_STRLEN];
		prefix_text(&v->v[i], buf, sizeof(buf));
		attr(wr, "value", buf);
		attr_loc(wr, "src", v->v[i].loc);
		end(wr);
	}
	end(wr);
}

static void put_endpoint(struct writer *wr, const char *element, const struct ip_addr *a,
			 struct tunc_loc loc)
{
	start(wr, element);
	attr_addr(wr, "address", a);
	attr_loc(wr, "src", loc);
	end(wr);
}

static void put_flag(struct writer *wr, const char *element, struct tunc_loc loc)
{
	start(wr, element);
	attr_loc(wr, "src", loc);
	end(wr);
}

/* `keying ike|manual;` where written. */
static void put_keying(struct writer *wr, bool set, enum keying k, struct tunc_loc loc)
{
	if (!set)
		return;
	start(wr, "keying");
	attr(wr, "value", k == KEYING_MANUAL ? "manual" : "ike");
	attr_loc(wr, "src", loc);
	end(wr);
}

/* `route-based PREFIX;`, `tcp-mss auto|N|off;`, `dpd DURATION;` as written
 * at tunnel level or in a per-end block. */
static void put_route_based(struct writer *wr, const struct ir_route_based *rb,
			    const struct ir_tcp_mss *mss, const struct ir_dpd *dpd)
{
	if (rb->set) {
		start(wr, "route-based");
		attr_prefix(wr, "link", &rb->prefix);
		attr_loc(wr, "src", rb->loc);
		end(wr);
	}
	if (mss->mode != TCP_MSS_UNSET) {
		start(wr, "tcp-mss");
		if (mss->mode == TCP_MSS_FIXED)
			attr_u(wr, "value", mss->value);
		else
			attr(wr, "value", mss->mode == TCP_MSS_AUTO ? "auto" : "off");
		attr_loc(wr, "src", mss->loc);
		end(wr);
	}
	if (dpd->set) {
		start(wr, "dpd");
		char every[32];
		snprintf(every, sizeof(every), "%llus", (unsigned long long)dpd->interval_s);
		attr(wr, "every", every);
		attr_loc(wr, "src", dpd->loc);
		end(wr);
	}
}

/* A per-end block exactly as written: what it does not say stays unsaid. */
static void put_end_block(struct writer *wr, const struct ir_tunnel_end *e)
{
	start(wr, "end");
	attr(wr, "gateway", e->gw.name);
	const struct ir_end_written *w = ir_end_written(e);
	attr_loc(wr, "src", w->block_loc.file ? w->block_loc : e->gw.loc);
	if (e->local_set)
		put_selectors(wr, "local", &e->local, w->local_loc);
	if (e->remote_set)
		put_selectors(wr, "remote", &e->remote, w->remote_loc);
	if (w->protocol_loc.file || e->proto != PROTO_ANY) {
		start(wr, "protocol");
		attr_protocol(wr, "name", e->proto);
		attr_ports(wr, "port", e->port_lo, e->port_hi);
		attr_loc(wr, "src", w->protocol_loc);
		end(wr);
	}
	if (ir_end_written(e)->local_endpoint_set)
		put_endpoint(wr, "local-endpoint", &e->local_endpoint, ir_end_written(e)->local_endpoint_loc);
	if (ir_end_written(e)->remote_endpoint_set)
		put_endpoint(wr, "remote-endpoint", &e->remote_endpoint, ir_end_written(e)->remote_endpoint_loc);
	put_ref(wr, "ike", &w->ike);
	put_ref(wr, "ipsec", &w->ipsec);
	put_psk(wr, &w->psk);
	put_keying(wr, e->keying_set, e->keying, e->keying_loc);
	if (ir_end_written(e)->mirrored)
		put_flag(wr, "mirrored", ir_end_written(e)->mirrored_loc);
	if (ir_end_written(e)->accept_unsecured)
		put_flag(wr, "accept-unsecured", ir_end_written(e)->accept_unsecured_loc);
	put_route_based(wr, ir_end_route_based(e), ir_end_tcp_mss(e), ir_end_dpd(e));
	end(wr);
}

static void put_tunnel(struct writer *wr, const struct ir_tunnel *t)
{
	static const char *const natt[] = {[NATT_AUTO] = "auto", [NATT_ON] = "on", [NATT_OFF] = "off"};
	start(wr, "tunnel");
	attr(wr, "name", t->name);
	attr_loc(wr, "src", t->loc);
	if (t->nat_traversal_loc.file || t->nat_traversal != NATT_AUTO) {
		attr(wr, "nat-traversal", natt[t->nat_traversal]);
		attr_value_loc(wr, "nat-traversal", t->nat_traversal_loc);
	}
	if (t->has_between) {
		start(wr, "between");
		attr(wr, "a", t->end[0].gw.name);
		attr_value_loc(wr, "a", t->end[0].gw.loc);
		attr(wr, "b", t->end[1].gw.name);
		attr_value_loc(wr, "b", t->end[1].gw.loc);
		attr_loc(wr, "src", t->between_loc);
		end(wr);
	}
	put_ref(wr, "ike", &t->ike);
	put_ref(wr, "ipsec", &t->ipsec);
	put_psk(wr, &t->psk);
	put_keying(wr, t->keying_set, t->keying, t->keying_loc);
	put_route_based(wr, ir_tunnel_route_based(t), ir_tunnel_tcp_mss(t), ir_tunnel_dpd(t));
	for (size_t i = 0; i < t->end_blocks.n; i++)
		put_end_block(wr, t->end_blocks.v[i]);
	end(wr);
}

/* ---- expectations ---- */

static void put_point(struct writer *wr, const char *element, const struct ir_expect_point *p)
{
	start(wr, element);
	if (p->kind == EXPECT_PREFIX) {
		char buf[ADDR_STRLEN];
		prefix_format(&p->prefix.p, buf, sizeof(buf), true);
		attr(wr, "address", buf);
		attr_loc(wr, "src", p->prefix.loc);
	} else {
		attr(wr, "name", p->ref.name);
		attr_loc(wr, "src", p->ref.loc);
	}
	end(wr);
}

static void put_expect(struct writer *wr, const struct ir_expect *e)
{
	start(wr, "expect");
	attr_loc(wr, "src", e->loc);
	attr(wr, "text", e->text);
	if (e->proto != PROTO_ANY)
		attr_protocol(wr, "protocol", e->proto);
	if (e->port)
		attr_u(wr, "port", e->port);
	if (e->size) {
		attr_u(wr, "size", e->size);
		attr_value_loc(wr, "size", e->size_loc);
	}
	if (e->df)
		attr(wr, "df", "true");
	if (e->reply)
		attr(wr, "reply", "true");
	attr(wr, "verdict", verdict_name(e->verdict));
	if (e->tunnel.name) {
		attr(wr, "tunnel", e->tunnel.name);
		attr_value_loc(wr, "tunnel", e->tunnel.loc);
	}
	put_point(wr, "from", &e->src);
	put_point(wr, "to", &e->dst);
	end(wr);
}

bool emit_engine(struct emit_ctx *ctx, const struct model_gateway *mg, struct strbuf *out)
{
	(void)mg;
	const struct ir *ir = ctx->model->ir;
	xmlBufferPtr buf = xmlBufferCreate();
	if (!buf)
		return false;
	struct writer wr = {.w = xmlNewTextWriterMemory(buf, 0), .ctx = ctx};
	if (!wr.w) {
		xmlBufferFree(buf);
		return false;
	}
	xmlTextWriterSetIndent(wr.w, 1);
	xmlTextWriterSetIndentString(wr.w, X("  "));
	xmlTextWriterStartDocument(wr.w, NULL, "UTF-8", NULL);

	char comment[512];
	snprintf(comment, sizeof(comment),
		 " Generated by tunc %s for `tunc run engine.xml`; schema: engine.rng, "
		 "doc/engine-xml.md. Keys are referenced, never included. ", PACKAGE_VERSION);
	xmlTextWriterWriteComment(wr.w, X(comment));
	start(&wr, "engine");
	attr(&wr, "version", "1");
	attr(&wr, "source", ctx->source_name);
	put_sources(&wr);
	for (size_t i = 0; i < ir->ikes.n; i++)
		put_ike(&wr, ir->ikes.v[i]);
	for (size_t i = 0; i < ir->ipsecs.n; i++)
		put_ipsec(&wr, ir->ipsecs.v[i]);
	put_sites_and_peers(&wr, ir);
	for (size_t i = 0; i < ir->tunnels.n; i++)
		put_tunnel(&wr, ir->tunnels.v[i]);
	for (size_t i = 0; i < ir->expects.n; i++)
		put_expect(&wr, &ir->expects.v[i]);
	end(&wr);
	bool ok = xmlTextWriterEndDocument(wr.w) >= 0 && !wr.failed;
	xmlFreeTextWriter(wr.w);
	if (ok)
		strbuf_add(out, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	else if (!wr.failed)
		emit_error(ctx, NULL, "engine-xml", LOC_NONE, "engine.xml could not be written");
	xmlBufferFree(buf);
	return ok;
}
