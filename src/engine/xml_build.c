/* engine.xml elements to IR.  Each element is handed to the same action
 * the .tun parser calls for the statement it stands for (src/ir/build.c),
 * so values are checked, defaults set and diagnostics worded exactly as for
 * a .tun file; only the text comes from attributes instead of tokens.  The
 * schema (data/engine.rng) has already checked the structure, but nothing
 * here relies on it for memory safety: a missing attribute is skipped. */
#include "config.h"
#include "engine/xml_internal.h"
#include "ir/build.h"

#include <stdio.h>
#include <string.h>

#define ARENA(l) (&(l)->ir->arena)

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

#define FOR_EACH_ELEMENT(child, parent)                                        \
	for (xmlNode *child = (parent)->children; child; child = child->next)  \
		if (child->type == XML_ELEMENT_NODE)

/* A prefix attribute (`any` as the grammar's keyword), located at LOC. */
static bool prefix_of(struct xml_loader *l, xmlNode *n, const char *attr, struct tunc_loc loc,
		      struct ir_prefix *out)
{
	const char *text = xml_prop(l, n, attr);
	if (!text) {
		memset(out, 0, sizeof(*out));
		return false;
	}
	if (strcmp(text, "any") == 0 || strcmp(text, "default") == 0) {
		*out = build_any(loc);
		return true;
	}
	return build_prefix(&l->pc, text, loc, false, out);
}

/* "aes256 3des" -> words, each located at LOC. */
static void words_of(struct xml_loader *l, const char *text, struct tunc_loc loc, word_vec *out)
{
	out->v = NULL;
	out->n = out->cap = 0;
	const char *p = text;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
			p++;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
			p++;
		if (p > start) {
			struct word w = {arena_strndup(ARENA(l), start, (size_t)(p - start)), loc};
			arena_vec_push(ARENA(l), out, w);
		}
	}
}

static void list_attr(struct xml_loader *l, xmlNode *n, const char *attr,
		      void (*action)(struct parse_ctx *, const word_vec *, struct tunc_loc))
{
	const char *text = xml_prop(l, n, attr);
	if (!text)
		return;
	struct tunc_loc loc = xml_loc(l, n, attr);
	word_vec w;
	words_of(l, text, loc, &w);
	action(&l->pc, &w, loc);
}

/* lifetime="SECONDS" [lifetime-kb="KB"] */
static void lifetime_attr(struct xml_loader *l, xmlNode *n)
{
	const char *s = xml_prop(l, n, "lifetime"), *kb = xml_prop(l, n, "lifetime-kb");
	if (!s)
		return;
	struct tunc_loc loc = xml_loc(l, n, "lifetime");
	const char *vol = kb ? arena_printf(ARENA(l), "%sK", kb) : NULL;
	build_lifetime(&l->pc, s, loc, vol, kb ? xml_loc(l, n, "lifetime-kb") : LOC_NONE, loc);
}

/* ---- proposals ---- */

static void load_ike(struct xml_loader *l, xmlNode *n)
{
	const char *name = xml_prop(l, n, "name"), *v;
	if (!name)
		return;
	build_ike_begin(&l->pc, name, xml_loc(l, n, NULL));
	if ((v = xml_prop(l, n, "version")))
		build_version(&l->pc, v, xml_loc(l, n, "version"));
	if ((v = xml_prop(l, n, "mode")))
		build_mode(&l->pc, v, xml_loc(l, n, "mode"));
	list_attr(l, n, "encryption", build_encryption);
	list_attr(l, n, "integrity", build_integrity);
	list_attr(l, n, "group", build_groups);
	lifetime_attr(l, n);
	build_proposal_end(&l->pc);
}

static void load_ipsec(struct xml_loader *l, xmlNode *n)
{
	const char *name = xml_prop(l, n, "name"), *v;
	if (!name)
		return;
	build_ipsec_begin(&l->pc, name, xml_loc(l, n, NULL));
	if ((v = xml_prop(l, n, "protocol")))
		build_ipsec_protocol(&l->pc, v, xml_loc(l, n, "protocol"));
	list_attr(l, n, "encryption", build_encryption);
	list_attr(l, n, "integrity", build_integrity);
	if ((v = xml_prop(l, n, "pfs")))
		build_pfs(&l->pc, v, xml_loc(l, n, "pfs"));
	lifetime_attr(l, n);
	build_proposal_end(&l->pc);
}

/* ---- sites, gateways, peers ---- */

static void load_subnet(struct xml_loader *l, xmlNode *n)
{
	ir_prefix_vec v = {0};
	struct ir_prefix p;
	struct tunc_loc loc = xml_loc(l, n, NULL);
	if (!prefix_of(l, n, "prefix", loc, &p))
		return;
	arena_vec_push(ARENA(l), &v, p);
	build_subnets(&l->pc, &v, loc);
}

static void load_platform(struct xml_loader *l, xmlNode *n)
{
	const char *name = xml_prop(l, n, "name");
	if (name)
		build_platform(&l->pc, name, xml_loc(l, n, "name"), xml_prop(l, n, "version"),
			       xml_loc(l, n, "version"), xml_loc(l, n, NULL));
}

static bool action_of(struct xml_loader *l, xmlNode *n, const char *attr)
{
	const char *v = xml_prop(l, n, attr);
	return v && strcmp(v, "drop") == 0;
}

static void load_filter(struct xml_loader *l, xmlNode *n)
{
	const char *dir = xml_prop(l, n, "dir");
	if (!dir)
		return;
	build_filter_begin(&l->pc, strcmp(dir, "out") == 0 ? FILTER_OUT : FILTER_IN,
			   xml_loc(l, n, NULL));
	FOR_EACH_ELEMENT(r, n) {
		if (!is(r, "rule"))
			continue;
		struct ir_prefix src, dst;
		if (!prefix_of(l, r, "from", xml_loc(l, r, "from"), &src) ||
		    !prefix_of(l, r, "to", xml_loc(l, r, "to"), &dst))
			continue;
		build_filter_rule(&l->pc, action_of(l, r, "action") ? FILTER_DROP : FILTER_PERMIT,
				  &src, &dst, xml_prop(l, r, "protocol"), xml_loc(l, r, "protocol"),
				  xml_prop(l, r, "port"), xml_loc(l, r, "port"), xml_loc(l, r, NULL));
	}
	if (xml_prop(l, n, "default"))
		build_filter_default(&l->pc, action_of(l, n, "default") ? FILTER_DROP : FILTER_PERMIT,
				     xml_loc(l, n, "default"));
	build_filter_end(&l->pc);
}

static void load_interface(struct xml_loader *l, xmlNode *n)
{
	const char *name = xml_prop(l, n, "name"), *v;
	if (!name)
		return;
	build_interface_begin(&l->pc, name, xml_loc(l, n, NULL));
	if ((v = xml_prop(l, n, "address")))
		build_if_address(&l->pc, v, xml_loc(l, n, "address"), xml_loc(l, n, "address"));
	if (xml_prop(l, n, "outside"))
		build_if_outside(&l->pc, xml_loc(l, n, "outside"));
	if ((v = xml_prop(l, n, "behind-nat"))) {
		build_if_behind_nat(&l->pc, v, xml_loc(l, n, "behind-nat"), xml_loc(l, n, "behind-nat"));
		if (xml_prop(l, n, "behind-nat-pat"))
			build_if_behind_pat(&l->pc);
	}
	if ((v = xml_prop(l, n, "mtu")))
		build_if_mtu(&l->pc, v, xml_loc(l, n, "mtu"), xml_loc(l, n, "mtu"));
	FOR_EACH_ELEMENT(c, n)
		if (is(c, "filter"))
			load_filter(l, c);
	build_interface_end(&l->pc);
}

static void load_route(struct xml_loader *l, xmlNode *n)
{
	struct ir_prefix dst;
	const char *via = xml_prop(l, n, "via"), *tunnel = xml_prop(l, n, "tunnel");
	if ((!via && !tunnel) || !prefix_of(l, n, "to", xml_loc(l, n, "to"), &dst))
		return;
	if (tunnel) {
		build_route_tunnel(&l->pc, &dst, tunnel, xml_loc(l, n, "tunnel"), xml_loc(l, n, NULL));
		return;
	}
	build_route(&l->pc, &dst, via, xml_loc(l, n, "via"), xml_prop(l, n, "dev"),
		    xml_loc(l, n, "dev"), xml_prop(l, n, "metric"), xml_loc(l, n, "metric"),
		    xml_loc(l, n, NULL));
}

static void load_nat(struct xml_loader *l, xmlNode *n)
{
	build_nat_begin(&l->pc, xml_loc(l, n, NULL));
	FOR_EACH_ELEMENT(r, n) {
		struct tunc_loc loc = xml_loc(l, r, NULL);
		struct ir_prefix src, dst;
		if (is(r, "exempt")) {
			if (prefix_of(l, r, "from", xml_loc(l, r, "from"), &src) &&
			    prefix_of(l, r, "to", xml_loc(l, r, "to"), &dst))
				build_nat_exempt(&l->pc, &src, &dst, loc);
		} else if (is(r, "exempt-tunnels")) {
			build_nat_exempt_tunnels(&l->pc, loc);
		} else if (is(r, "overload")) {
			const char *ifc = xml_prop(l, r, "interface");
			if (ifc && prefix_of(l, r, "from", xml_loc(l, r, "from"), &src))
				build_nat_overload(&l->pc, &src, ifc, xml_loc(l, r, "interface"), loc);
		} else if (is(r, "static")) {
			const char *from = xml_prop(l, r, "from"), *to = xml_prop(l, r, "to");
			if (from && to)
				build_nat_static(&l->pc, from, xml_loc(l, r, "from"), to,
						 xml_loc(l, r, "to"), loc);
		}
	}
}

static void load_gateway(struct xml_loader *l, xmlNode *n, enum gateway_kind kind)
{
	const char *name = xml_prop(l, n, "name"), *v;
	if (!name)
		return;
	build_gateway_begin(&l->pc, kind, name, xml_loc(l, n, NULL));
	if (kind == GW_PEER) {
		if ((v = xml_prop(l, n, "address")))
			build_peer_address(&l->pc, v, xml_loc(l, n, "address"), xml_loc(l, n, "address"));
		if (xml_prop(l, n, "behind-nat"))
			build_peer_behind_nat(&l->pc, xml_loc(l, n, "behind-nat"));
		if (xml_prop(l, n, "behind-nat") && xml_prop(l, n, "behind-nat-pat"))
			build_peer_behind_pat(&l->pc);
	}
	FOR_EACH_ELEMENT(c, n) {
		if (is(c, "platform"))
			load_platform(l, c);
		else if (is(c, "interface") && kind == GW_GATEWAY)
			load_interface(l, c);
		else if (is(c, "route") && kind == GW_GATEWAY)
			load_route(l, c);
		else if (is(c, "nat") && kind == GW_GATEWAY)
			load_nat(l, c);
		else if (is(c, "subnet") && kind == GW_PEER)
			load_subnet(l, c);
		/* <spd> and <tunnel-interface> are derived, for readers:
		 * rebuilt, not read. */
	}
	build_gateway_end(&l->pc);
}

static void load_site(struct xml_loader *l, xmlNode *n)
{
	const char *name = xml_prop(l, n, "name");
	if (!name)
		return;
	build_site_begin(&l->pc, name, xml_loc(l, n, NULL));
	FOR_EACH_ELEMENT(c, n) {
		if (is(c, "subnet")) {
			load_subnet(l, c);
		} else if (is(c, "host")) {
			const char *h = xml_prop(l, c, "name"), *a = xml_prop(l, c, "address");
			if (h && a)
				build_host(&l->pc, h, xml_loc(l, c, NULL), a, xml_loc(l, c, "address"),
					   xml_loc(l, c, NULL));
		} else if (is(c, "gateway")) {
			load_gateway(l, c, GW_GATEWAY);
		}
	}
	build_site_end(&l->pc);
}

/* ---- tunnels ---- */

static void load_psk(struct xml_loader *l, xmlNode *n)
{
	const char *source = xml_prop(l, n, "source");
	struct tunc_loc loc = xml_loc(l, n, NULL);
	if (!source)
		return;
	if (strcmp(source, "file") == 0 || strcmp(source, "env") == 0) {
		bool file = source[0] == 'f';
		const char *v = xml_prop(l, n, file ? "path" : "name");
		if (v)
			build_psk(&l->pc, file ? PSK_FILE : PSK_ENV, v, loc);
		return;
	}
	/* The key itself is never in engine.xml. */
	struct diag *d = diag_front(l->diags, "invalid-value", loc,
				    "the pre-shared key of tunnel %s was written inline in the .tun "
				    "file, and engine.xml never carries a key",
				    l->pc.cur_tunnel ? l->pc.cur_tunnel->name : "?");
	diag_fix(d, "use `psk file \"FILE\";` or `psk env \"VAR\";` in the .tun file and compile again");
}

static void load_selectors(struct xml_loader *l, xmlNode *n, bool local)
{
	ir_prefix_vec v = {0};
	FOR_EACH_ELEMENT(p, n) {
		struct ir_prefix pr;
		if (is(p, "prefix") && prefix_of(l, p, "value", xml_loc(l, p, NULL), &pr))
			arena_vec_push(ARENA(l), &v, pr);
	}
	build_end_selectors(&l->pc, local, &v, xml_loc(l, n, NULL));
}

/* <route-based>, <tcp-mss>, <dpd> in a tunnel or an end; false for
 * another element. */
static bool load_route_based(struct xml_loader *l, xmlNode *c)
{
	struct tunc_loc loc = xml_loc(l, c, NULL);
	const char *v;
	if (is(c, "route-based")) {
		if ((v = xml_prop(l, c, "link")))
			build_route_based(&l->pc, v, xml_loc(l, c, "link"), loc);
	} else if (is(c, "tcp-mss")) {
		if ((v = xml_prop(l, c, "value")))
			build_tcp_mss(&l->pc, v, xml_loc(l, c, "value"), loc);
	} else if (is(c, "dpd")) {
		if ((v = xml_prop(l, c, "every")))
			build_dpd(&l->pc, v, xml_loc(l, c, "every"), loc);
	} else {
		return false;
	}
	return true;
}

static void load_end(struct xml_loader *l, xmlNode *n)
{
	const char *gw = xml_prop(l, n, "gateway"), *v;
	if (!gw)
		return;
	build_end_begin(&l->pc, gw, xml_loc(l, n, NULL));
	FOR_EACH_ELEMENT(c, n) {
		struct tunc_loc loc = xml_loc(l, c, NULL);
		if (is(c, "local") || is(c, "remote")) {
			load_selectors(l, c, is(c, "local"));
		} else if (is(c, "protocol")) {
			if ((v = xml_prop(l, c, "name")))
				build_end_protocol(&l->pc, v, xml_loc(l, c, "name"), xml_prop(l, c, "port"),
						   xml_loc(l, c, "port"), loc);
		} else if (is(c, "local-endpoint") || is(c, "remote-endpoint")) {
			if ((v = xml_prop(l, c, "address")))
				build_end_endpoint(&l->pc, is(c, "local-endpoint"), v, loc, loc);
		} else if (is(c, "ike") || is(c, "ipsec")) {
			if ((v = xml_prop(l, c, "ref")))
				build_proposal_ref(&l->pc, is(c, "ike"), v, loc);
		} else if (is(c, "psk")) {
			load_psk(l, c);
		} else if (is(c, "mirrored") || is(c, "accept-unsecured")) {
			build_end_flag(&l->pc, is(c, "mirrored"), loc);
		} else if (is(c, "keying")) {
			if ((v = xml_prop(l, c, "value")))
				build_keying(&l->pc, v, loc, loc);
		} else {
			load_route_based(l, c);
		}
	}
	build_end_end(&l->pc);
}

static void load_tunnel(struct xml_loader *l, xmlNode *n)
{
	const char *name = xml_prop(l, n, "name"), *v;
	if (!name)
		return;
	build_tunnel_begin(&l->pc, name, xml_loc(l, n, NULL));
	if ((v = xml_prop(l, n, "nat-traversal")))
		build_nat_traversal(&l->pc, v, xml_loc(l, n, "nat-traversal"));
	FOR_EACH_ELEMENT(c, n) {
		if (is(c, "between")) {
			const char *a = xml_prop(l, c, "a"), *b = xml_prop(l, c, "b");
			if (a && b)
				build_between(&l->pc, a, xml_loc(l, c, "a"), b, xml_loc(l, c, "b"),
					      xml_loc(l, c, NULL));
		} else if (is(c, "ike") || is(c, "ipsec")) {
			if ((v = xml_prop(l, c, "ref")))
				build_proposal_ref(&l->pc, is(c, "ike"), v, xml_loc(l, c, NULL));
		} else if (is(c, "psk")) {
			load_psk(l, c);
		} else if (is(c, "keying")) {
			if ((v = xml_prop(l, c, "value")))
				build_keying(&l->pc, v, xml_loc(l, c, NULL), xml_loc(l, c, NULL));
		} else if (is(c, "end")) {
			load_end(l, c);
		} else {
			load_route_based(l, c);
		}
	}
	build_tunnel_end(&l->pc);
}

/* ---- expectations ---- */

static bool point_of(struct xml_loader *l, xmlNode *n, struct expect_point_src *p)
{
	const char *v;
	if (!n)
		return false;
	if ((v = xml_prop(l, n, "name")))
		*p = (struct expect_point_src){v, xml_loc(l, n, NULL), false};
	else if ((v = xml_prop(l, n, "address")))
		*p = (struct expect_point_src){v, xml_loc(l, n, NULL), true};
	else
		return false;
	return true;
}

static void load_expect(struct xml_loader *l, xmlNode *n)
{
	xmlNode *from = NULL, *to = NULL;
	FOR_EACH_ELEMENT(c, n) {
		if (is(c, "from"))
			from = c;
		else if (is(c, "to"))
			to = c;
	}
	struct expect_point_src src, dst;
	const char *verdict = xml_prop(l, n, "verdict");
	enum verdict vd;
	if (!point_of(l, from, &src) || !point_of(l, to, &dst) || !verdict ||
	    !verdict_lookup(verdict, &vd))
		return;
	const char *proto = xml_prop(l, n, "protocol"), *port = xml_prop(l, n, "port");
	const char *tunnel = xml_prop(l, n, "tunnel");
	const char *reply = xml_prop(l, n, "reply");
	build_expect(&l->pc, &src, &dst, proto, xml_loc(l, n, "protocol"), port,
		     xml_loc(l, n, "port"), reply && strcmp(reply, "true") == 0, xml_loc(l, n, "reply"),
		     vd, tunnel, xml_loc(l, n, "tunnel"), xml_loc(l, n, NULL));
	const char *size = xml_prop(l, n, "size"), *df = xml_prop(l, n, "df");
	build_expect_size(&l->pc, &(struct expect_size_src){size, xml_loc(l, n, "size"),
							   df && strcmp(df, "true") == 0});
	/* The statement as the .tun file wrote it, for reports; or one made
	 * up from the attributes when the file does not say. */
	struct ir_expect *e = &l->ir->expects.v[l->ir->expects.n - 1];
	const char *text = xml_prop(l, n, "text");
	if (!text)
		text = arena_printf(ARENA(l), "expect %s -> %s%s%s%s%s %s%s%s;", src.text, dst.text,
				    proto ? " " : "", proto ? proto : "", port ? " " : "",
				    port ? port : "", verdict, tunnel ? " by " : "",
				    tunnel ? tunnel : "");
	e->text = text;
}

void xml_build_start(struct xml_loader *l)
{
	l->diags_before = l->diags->n;
	memset(&l->pc, 0, sizeof(l->pc));
	l->pc.ir = l->ir;
	l->pc.diags = l->diags;
	l->pc.file = l->xml_file;
	l->pc.dir = ".";
}

void xml_build_element(struct xml_loader *l, xmlNode *n)
{
	if (is(n, "ike"))
		load_ike(l, n);
	else if (is(n, "ipsec"))
		load_ipsec(l, n);
	else if (is(n, "site"))
		load_site(l, n);
	else if (is(n, "peer"))
		load_gateway(l, n, GW_PEER);
	else if (is(n, "tunnel"))
		load_tunnel(l, n);
	else if (is(n, "expect"))
		load_expect(l, n);
}

bool xml_build_finish(struct xml_loader *l)
{
	for (size_t i = l->diags_before; i < l->diags->n; i++)
		if (l->diags->v[i].severity == DIAG_ERROR)
			return false;
	return true;
}
