/* What each NetSecurity / NetTCPIP cmdlet the reader knows does: the
 * proposals, sets and rules it makes (objects a tunnel refers to), routes,
 * interfaces, the registry values and the key file; a note for the cmdlets
 * and parameters that bear on IPsec and are not modelled. */
#include "config.h"
#include "import/powershell/ps.h"
#include "import/lines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ir/addr.h"

/* ---- text ---- */

const char *ps_find_ci(const char *text, size_t size, const char *w)
{
	size_t n = strlen(w);
	for (size_t i = 0; i + n <= size; i++)
		if (strncasecmp(text + i, w, n) == 0)
			return text + i;
	return NULL;
}

/* ---- arguments ---- */

const struct arg *ps_arg(const struct cmd *c, const char *name)
{
	for (size_t i = 0; i < c->a.n; i++)
		if (c->a.v[i].name.s && strcasecmp(c->a.v[i].name.s, name) == 0)
			return &c->a.v[i];
	return NULL;
}

/* The value of -NAME as one string (NULL when absent or not a string). */
const struct val *ps_str_arg(struct ps *s, const struct cmd *c, const char *name)
{
	const struct arg *a = ps_arg(c, name);
	if (!a)
		return NULL;
	if (!a->has_v) {
		diag_front(s->r->diags, "syntax", a->name.loc, "-%s takes a value", name);
		return NULL;
	}
	if (a->v.k == V_LIST && a->v.n)
		return a->v.items[0].k == V_STR ? &a->v.items[0] : NULL;
	return a->v.k == V_STR ? &a->v : NULL;
}

static const struct val *ps_positional(const struct cmd *c, size_t n)
{
	for (size_t i = 0; i < c->a.n; i++)
		if (!c->a.v[i].name.s && n-- == 0)
			return &c->a.v[i].v;
	return NULL;
}

/* Every parameter of C not in KNOWN gets a note: it may change what the
 * cmdlet does, and tunc does not model it. */
static void check_params(struct ps *s, const struct cmd *c, const char *const *known)
{
	static const char *const always[] = {
		"DisplayName", "Name", "ID", "Description", "Group", "PolicyStore", "GPOSession",
		"CimSession", "ThrottleLimit", "AsJob", "WhatIf", "Confirm", "ErrorAction",
		"PassThru", "Profile", "Platform", NULL,
	};
	for (size_t i = 0; i < c->a.n; i++) {
		const char *n = c->a.v[i].name.s;
		bool ok = !n;
		for (size_t k = 0; !ok && always[k]; k++)
			ok = strcasecmp(always[k], n) == 0;
		for (size_t k = 0; !ok && known[k]; k++)
			ok = strcasecmp(known[k], n) == 0;
		if (!ok)
			imp_unmodelled(s->r, c->a.v[i].name.loc,
				       arena_printf(PS_ARENA(s), "-%s of %s", n, c->name));
	}
}


/* The .tun word for the value of -PARAM, from TABLE; an error for a value
 * Windows does not take, a note (NULL, *skip) for one tunc does not model. */
const char *ps_lookup(struct ps *s, const struct cmd *c, const struct val *v, const char *param,
			  const struct map *table, bool *skip)
{
	for (size_t i = 0; table[i].ps; i++)
		if (strcasecmp(table[i].ps, v->s) == 0) {
			if (!table[i].tun) {
				imp_unmodelled(s->r, v->loc, arena_printf(PS_ARENA(s), "-%s %s of %s", param,
									     v->s, c->name));
				*skip = true;
			}
			return table[i].tun;
		}
	char known[256] = "";
	for (size_t i = 0; table[i].ps; i++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s", i ? ", " : "",
			 table[i].ps);
	diag_front(s->r->diags, "invalid-value", v->loc, "unknown value '%s' for -%s (%s)", v->s,
		   param, known);
	*skip = true;
	return NULL;
}

static const struct map mm_enc[] = {
	{"DES", "des"}, {"DES3", "3des"}, {"AES128", "aes128"}, {"AES192", "aes192"},
	{"AES256", "aes256"}, {"None", "null"}, {NULL, NULL},
};
static const struct map qm_enc[] = {
	{"None", "null"}, {"DES", "des"}, {"DES3", "3des"}, {"AES128", "aes128"},
	{"AES192", "aes192"}, {"AES256", "aes256"}, {"AESGCM128", "aes128-gcm"},
	{"AESGCM192", NULL}, {"AESGCM256", "aes256-gcm"}, {NULL, NULL},
};
static const struct map hashes[] = {
	{"None", "none"}, {"MD5", "md5"}, {"SHA1", "sha1"}, {"SHA256", "sha256"},
	{"SHA384", "sha384"}, {"AESGMAC128", "gmac"}, {"AESGMAC192", NULL},
	{"AESGMAC256", "gmac"}, {NULL, NULL},
};
static const struct map groups[] = {
	{"DH1", "1"}, {"DH2", "2"}, {"DH14", "14"}, {"DH19", "19"}, {"DH20", "20"},
	{"DH24", "24"}, {"None", NULL}, {NULL, NULL},
};
static const struct map pfs_groups[] = {
	{"None", "none"}, {"DH1", "1"}, {"DH2", "2"}, {"DH14", "14"}, {"DH19", "19"},
	{"DH20", "20"}, {"DH24", "24"}, {"SameAsMainMode", "mainmode"}, {NULL, NULL},
};
static const struct map encaps[] = {{"ESP", "esp"}, {"AH", "ah"}, {NULL, NULL}};
const struct map ps_modes[] = {
	{"Tunnel", "tunnel"}, {"Transport", NULL}, {"None", NULL}, {NULL, NULL},
};
const struct map ps_key_modules[] = {
	{"Default", "1"}, {"IKEv1", "1"}, {"IKEv2", "2"}, {"AuthIP", NULL}, {NULL, NULL},
};
const struct map ps_securities[] = {
	{"Require", "require"}, {"Request", NULL}, {"None", NULL}, {NULL, NULL},
};
static const struct map booleans[] = {
	{"True", "true"}, {"False", "false"}, {"Enabled", "true"}, {"Disabled", "false"},
	{"$true", "true"}, {"$false", "false"}, {"1", "true"}, {"0", "false"}, {NULL, NULL},
};

void ps_push(struct ps *s, word_vec *v, struct tunc_loc *where, const char *w, struct tunc_loc loc)
{
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->v[i].text, w) == 0)
			return;
	if (!v->n)
		*where = loc;
	arena_vec_push(PS_ARENA(s), v, ((struct word){w, loc}));
}

/* -PARAM's value(s) through TABLE into V. */
static void algs(struct ps *s, struct obj *o, const char *param, const struct map *table,
		 word_vec *v, struct tunc_loc *where)
{
	const struct arg *a = ps_arg(&o->c, param);
	if (!a || !a->has_v)
		return;
	const struct val *items = a->v.k == V_LIST ? a->v.items : &a->v;
	size_t n = a->v.k == V_LIST ? a->v.n : 1;
	for (size_t i = 0; i < n; i++) {
		if (items[i].k != V_STR) {
			imp_unmodelled(s->r, items[i].loc, arena_printf(PS_ARENA(s), "-%s not given literally", param));
			o->skip = true;
			continue;
		}
		const char *w = ps_lookup(s, &o->c, &items[i], param, table, &o->skip);
		if (w)
			ps_push(s, v, where, w, items[i].loc);
	}
}

static uint64_t minutes(struct ps *s, const struct cmd *c, struct tunc_loc *loc)
{
	const struct val *m = ps_str_arg(s, c, "MaxMinutes");
	if (!m)
		return 0;
	char *end;
	unsigned long long n = strtoull(m->s, &end, 10);
	if (*end || !n) {
		diag_front(s->r->diags, "invalid-value", m->loc, "-MaxMinutes takes a number of minutes");
		return 0;
	}
	*loc = m->loc;
	return n * 60;
}

static int new_obj(struct ps *s, enum okind k, const struct cmd *c)
{
	struct obj o = {.k = k, .c = *c, .prop = {-1, -1, -1}};
	const struct val *n = ps_str_arg(s, c, "Name");
	if (!n)
		n = ps_str_arg(s, c, "ID");
	o.name = n ? n->s : NULL;
	arena_vec_push(PS_ARENA(s), &s->objs, o);
	return (int)s->objs.n - 1;
}

static void mm_proposal(struct ps *s, struct obj *o)
{
	static const char *const known[] = {"Encryption", "Hash", "KeyExchange", NULL};
	check_params(s, &o->c, known);
	algs(s, o, "Encryption", mm_enc, &o->p.enc, &o->p.enc_loc);
	algs(s, o, "Hash", hashes, &o->p.integ, &o->p.integ_loc);
	algs(s, o, "KeyExchange", groups, &o->p.group, &o->p.group_loc);
}

static void qm_proposal(struct ps *s, struct obj *o)
{
	static const char *const known[] = {"Encapsulation", "Encryption", "ESPHash", "AHHash",
					    "MaxMinutes", "MaxKiloBytes", NULL};
	check_params(s, &o->c, known);
	word_vec enc = {0};
	struct tunc_loc where;
	algs(s, o, "Encapsulation", encaps, &enc, &where);
	if (enc.n > 1) {
		imp_unmodelled(s->r, where, "AH and ESP together in one quick-mode proposal");
		o->skip = true;
	}
	o->p.protocol = (struct imp_text){enc.n ? enc.v[0].text : "esp", enc.n ? where : o->c.loc};
	bool ah = strcmp(o->p.protocol.s, "ah") == 0;
	if (ah) {
		algs(s, o, "AHHash", hashes, &o->p.integ, &o->p.integ_loc);
	} else {
		algs(s, o, "Encryption", qm_enc, &o->p.enc, &o->p.enc_loc);
		algs(s, o, "ESPHash", hashes, &o->p.integ, &o->p.integ_loc);
	}
	/* GCM carries its own integrity (GMAC of the same key, as the emitter
	 * pairs them); GMAC without GCM is integrity-only ESP tunc lacks. */
	bool gcm = o->p.enc.n && strstr(o->p.enc.v[0].text, "gcm");
	for (size_t i = 0; i < o->p.integ.n; i++)
		if (strcmp(o->p.integ.v[i].text, "gmac") == 0) {
			if (gcm)
				o->p.integ.v[i].text = "none";
			else {
				imp_unmodelled(s->r, o->p.integ.v[i].loc, "an AES-GMAC ESP hash without AES-GCM");
				o->skip = true;
			}
		}
	if (gcm && !o->p.integ.n)
		ps_push(s, &o->p.integ, &o->p.integ_loc, "none", o->p.enc_loc);
	o->p.lifetime_s = minutes(s, &o->c, &o->p.lifetime_loc);
}

/* -Proposal $a,$b or (New-...): the proposals of a set, of kind K. */
static void members(struct ps *s, struct obj *o, enum okind k)
{
	const struct arg *a = ps_arg(&o->c, "Proposal");
	if (!a || !a->has_v) {
		diag_front(s->r->diags, "syntax", o->c.loc, "incomplete statement: -Proposal is missing");
		return;
	}
	const struct val *items = a->v.k == V_LIST ? a->v.items : &a->v;
	size_t n = a->v.k == V_LIST ? a->v.n : 1;
	for (size_t i = 0; i < n; i++) {
		if (items[i].k == V_OBJ && s->objs.v[items[i].obj].k == k) {
			arena_vec_push(PS_ARENA(s), &o->members, items[i].obj);
		} else if (items[i].k == V_VAR) {
			diag_front(s->r->diags, "undefined", items[i].loc, "$%s is not set before "
				   "(to a New-NetIPsec*Proposal)", items[i].s);
		} else {
			diag_front(s->r->diags, "invalid-value", items[i].loc,
				   "-Proposal takes the proposals New-NetIPsec%sProposal returns",
				   k == O_MMPROP ? "MainModeCrypto" : k == O_QMPROP ? "QuickModeCrypto" : "Auth");
		}
	}
}

static void auth_proposal(struct ps *s, int idx)
{
	static const char *const known[] = {"Machine", "PreSharedKey", NULL};
	struct obj *o = &s->objs.v[idx];
	check_params(s, &o->c, known);
	const struct arg *k = ps_arg(&o->c, "PreSharedKey");
	if (!k) {
		imp_unmodelled(s->r, o->c.loc, "authentication other than a pre-shared key");
		return;
	}
	if (!k->has_v) {
		diag_front(s->r->diags, "syntax", k->name.loc, "-PreSharedKey takes a value");
		return;
	}
	if (k->v.k == V_STR) {
		o->psk = (struct imp_text){k->v.s, k->v.loc};
	} else if (k->v.k == V_KEYREF) {
		for (size_t i = 0; i < s->keys.n; i++)
			if (strcmp(s->keys.v[i].name, k->v.s) == 0)
				o->psk = s->keys.v[i].key;
		if (!o->psk.s && s->keys_ok)
			diag_front(s->r->diags, "undefined", k->v.loc, "the key file the script reads "
				   "has no key '%s'", k->v.s);
		else if (!o->psk.s && !s->keys_read)
			imp_unmodelled(s->r, k->v.loc, "a key read from a table the script does not "
				       "fill from a key file beside it");
	} else {
		imp_unmodelled(s->r, k->v.loc, "a pre-shared key not given literally (nor from "
			       "the key file beside the script)");
	}
}

/* `$x = ...` of a proposal or set: the object, for -Proposal and .Name. */
static void make(struct ps *s, enum okind k, struct cmd *c, struct val *out)
{
	int i = new_obj(s, k, c);
	out->k = V_OBJ;
	out->obj = i;
	struct obj *o = &s->objs.v[i];
	switch (k) {
	case O_MMPROP:
		mm_proposal(s, o);
		break;
	case O_QMPROP:
		qm_proposal(s, o);
		break;
	case O_AUTH:
		auth_proposal(s, i);
		break;
	case O_MMSET: {
		static const char *const known[] = {"Proposal", "MaxMinutes", "MaxSessions", "Default",
						    "ForceDiffieHellman", NULL};
		check_params(s, c, known);
		o->is_default = ps_arg(c, "Default") != NULL;
		o->p.lifetime_s = minutes(s, c, &o->p.lifetime_loc);
		if (!o->p.lifetime_s) {
			/* Windows' default -MaxMinutes of a main-mode set. */
			o->p.lifetime_s = WINDOWS_MM_MINUTES * 60;
			o->p.lifetime_loc = c->loc;
		}
		members(s, o, O_MMPROP);
		break;
	}
	case O_QMSET: {
		static const char *const known[] = {"Proposal", "PerfectForwardSecrecyGroup", NULL};
		check_params(s, c, known);
		members(s, o, O_QMPROP);
		o = &s->objs.v[i];
		const struct val *g = ps_str_arg(s, c, "PerfectForwardSecrecyGroup");
		bool skip = false;
		const char *w = g ? ps_lookup(s, c, g, "PerfectForwardSecrecyGroup", pfs_groups, &skip) : "none";
		/* Windows' default: no PFS. */
		if (w)
			o->p.pfs = (struct imp_text){w, g ? g->loc : c->loc};
		break;
	}
	case O_P1SET: {
		static const char *const known[] = {"Proposal", NULL};
		check_params(s, c, known);
		members(s, o, O_AUTH);
		break;
	}
	case O_MMRULE: {
		static const char *const known[] = {"LocalAddress", "RemoteAddress", "MainModeCryptoSet",
						    "Phase1AuthSet", "Enabled", "InterfaceType", NULL};
		check_params(s, c, known);
		break;
	}
	case O_RULE: {
		static const char *const known[] = {
			"Mode", "LocalTunnelEndpoint", "RemoteTunnelEndpoint", "LocalAddress",
			"RemoteAddress", "InboundSecurity", "OutboundSecurity", "QuickModeCryptoSet",
			"Phase1AuthSet", "KeyModule", "Enabled", "Protocol", "LocalPort", "RemotePort",
			"InterfaceType", NULL,
		};
		check_params(s, c, known);
		break;
	}
	}
}

/* ---- routes, interfaces, registry ---- */

/* "10.1.0.0/16", "203.0.113.10" (a host) -> "NET/LEN"; NULL when neither. */
const char *ps_prefix_text(struct ps *s, const char *t)
{
	struct ip_prefix p;
	struct ip_addr a;
	if (strchr(t, '/'))
		return prefix_parse(t, &p) ? t : NULL;
	if (!addr_parse(t, &a))
		return NULL;
	return arena_printf(PS_ARENA(s), "%s/%u", t, addr_max_len(&a));
}

static void new_route(struct ps *s, const struct cmd *c)
{
	const struct val *d = ps_str_arg(s, c, "DestinationPrefix"), *h = ps_str_arg(s, c, "NextHop");
	if (!d) {
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement: -DestinationPrefix is missing");
		return;
	}
	const char *dst = ps_prefix_text(s, d->s);
	if (!dst) {
		diag_front(s->r->diags, "invalid-value", d->loc, "'%s' is not an address prefix", d->s);
		return;
	}
	struct ip_addr a;
	static const uint8_t zero[16];
	if (!h || (addr_parse(h->s, &a) && memcmp(a.b, zero, sizeof(zero)) == 0)) {
		imp_unmodelled(s->r, c->loc, "an on-link route (no -NextHop)");
		return;
	}
	if (!addr_parse(h->s, &a)) {
		diag_front(s->r->diags, "invalid-value", h->loc, "'%s' is not an address", h->s);
		return;
	}
	struct imp_route r = {.dst = {dst, d->loc}, .via = {h->s, h->loc}, .loc = c->loc};
	arena_vec_push(PS_ARENA(s), &PS_DEV(s)->routes, r);
	const struct val *alias = ps_str_arg(s, c, "InterfaceAlias");
	if (alias)
		arena_vec_push(PS_ARENA(s), &s->route_aliases,
			       ((struct ps_route_alias){dst, {alias->s, alias->loc}}));
}

/* route.exe: `route [-p] add NET mask MASK GATEWAY [metric N] [if N]`. */
static void route_exe(struct ps *s, const struct cmd *c)
{
	size_t i = 0;          /* -p (persistent) is a switch */
	const struct val *w = ps_positional(c, i);
	if (!w || w->k != V_STR || strcasecmp(w->s, "add") != 0)
		return;         /* print, delete: nothing to model */
	const struct val *net = ps_positional(c, i + 1), *mk = ps_positional(c, i + 2),
			 *mask = ps_positional(c, i + 3), *gw = ps_positional(c, i + 4);
	if (!net || !mk || !mask || !gw || mk->k != V_STR || strcasecmp(mk->s, "mask") != 0 ||
	    net->k != V_STR || mask->k != V_STR || gw->k != V_STR) {
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement: route add NET mask MASK GATEWAY");
		return;
	}
	int len = imp_mask_len(mask->s, false);
	struct ip_addr a;
	if (len < 0 || !addr_parse(net->s, &a) || !addr_parse(gw->s, &a)) {
		diag_front(s->r->diags, "invalid-value", len < 0 ? mask->loc : net->loc,
			   "expected route add NET mask MASK GATEWAY with addresses and a netmask");
		return;
	}
	struct imp_route r = {.dst = {imp_prefix(PS_ARENA(s), net->s, len), net->loc},
			      .via = {gw->s, gw->loc}, .loc = c->loc};
	arena_vec_push(PS_ARENA(s), &PS_DEV(s)->routes, r);
}

static void new_ip_address(struct ps *s, const struct cmd *c)
{
	const struct val *alias = ps_str_arg(s, c, "InterfaceAlias"), *ip = ps_str_arg(s, c, "IPAddress"),
			 *len = ps_str_arg(s, c, "PrefixLength"), *gw = ps_str_arg(s, c, "DefaultGateway");
	if (!alias || !ip || !len) {
		diag_front(s->r->diags, "syntax", c->loc, "incomplete statement: New-NetIPAddress "
			   "-InterfaceAlias A -IPAddress ADDR -PrefixLength N");
		return;
	}
	const char *pfx = arena_printf(PS_ARENA(s), "%s/%s", ip->s, len->s);
	struct ip_prefix p;
	if (!prefix_parse(pfx, &p)) {
		diag_front(s->r->diags, "invalid-value", loc_span(ip->loc, len->loc),
			   "'%s' is not an address and prefix length", pfx);
		return;
	}
	struct imp_iface f = {.name = {alias->s, alias->loc},
			      .address = {pfx, loc_span(ip->loc, len->loc)}};
	arena_vec_push(PS_ARENA(s), &PS_DEV(s)->ifaces, f);
	if (gw) {
		struct imp_route r = {.dst = {p.addr.family == AF_V4 ? "0.0.0.0/0" : "::/0", gw->loc},
				      .via = {gw->s, gw->loc}, .loc = c->loc};
		arena_vec_push(PS_ARENA(s), &PS_DEV(s)->routes, r);
	}
}

bool ps_is_false(struct ps *s, const struct cmd *c, const char *param)
{
	const struct val *v = ps_str_arg(s, c, param);
	bool skip = false;
	const char *w = v ? ps_lookup(s, c, v, param, booleans, &skip) : NULL;
	return w && strcmp(w, "false") == 0;
}

/* Set-ItemProperty: forwarding (IPEnableRouter) and the PolicyAgent's
 * NAT-traversal value. */
static void registry(struct ps *s, const struct cmd *c)
{
	const struct val *path = ps_str_arg(s, c, "Path"), *name = ps_str_arg(s, c, "Name"),
			 *v = ps_str_arg(s, c, "Value");
	if (!path || !name)
		return;
	if (ps_find_ci(path->s, strlen(path->s), "Tcpip\\Parameters") &&
	    strcasecmp(name->s, "IPEnableRouter") == 0) {
		if (v && strcmp(v->s, "0") == 0)
			imp_unmodelled(s->r, c->loc, "IPEnableRouter 0 (tunc takes a gateway to forward)");
		return;
	}
	if (ps_find_ci(path->s, strlen(path->s), "PolicyAgent") || ps_find_ci(path->s, strlen(path->s), "IPsec"))
		imp_unmodelled(s->r, c->loc, arena_printf(PS_ARENA(s), "the IPsec registry value %s (a "
							  "gateway behind NAT is not recognised from it)",
							  name->s));
}

static void join_path(struct ps *s, const struct cmd *c)
{
	const struct val *dir = ps_positional(c, 0), *file = ps_positional(c, 1);
	const struct arg *pa = ps_arg(c, "Path"), *ca = ps_arg(c, "ChildPath");
	if (pa && pa->has_v)
		dir = &pa->v;
	if (ca && ca->has_v)
		file = &ca->v;
	if (!dir || !file || dir->k != V_VAR || strcasecmp(dir->s, "PSScriptRoot") != 0 ||
	    file->k != V_STR || s->keys_read)
		return;
	s->keys_read = true;
	s->keys_ok = ps_keys_load(s->r, file->s, file->loc, &s->keys);
}

/* ---- Windows Firewall: the gateway's interface filters ----
 * What tunc's powershell target writes (emit/emit_powershell.c): one
 * New-NetFirewallRule per filter rule on its -InterfaceAlias, the default
 * per direction from Set-NetFirewallProfile.  A Block rule wins over an
 * Allow rule whatever their order, which is this platform's filter form. */

/* -PARAM's one address or prefix, "0.0.0.0/0" (any) when absent; NULL
 * (after a note) for what a filter rule cannot hold (a list, LocalSubnet). */
static const char *fw_address(struct ps *s, const struct cmd *c, const char *param,
			      struct tunc_loc *loc)
{
	const struct arg *a = ps_arg(c, param);
	*loc = c->loc;
	if (!a)
		return "0.0.0.0/0";
	const struct val *v = ps_str_arg(s, c, param);
	const char *p = v && !(a->v.k == V_LIST && a->v.n > 1) ? ps_prefix_text(s, v->s) : NULL;
	if (v && strcasecmp(v->s, "Any") == 0 && a->v.k != V_LIST)
		return "0.0.0.0/0";
	if (!p) {
		imp_unmodelled(s->r, a->name.loc, arena_printf(PS_ARENA(s), "a firewall rule's -%s "
							       "other than one address or prefix", param));
		return NULL;
	}
	*loc = v->loc;
	return p;
}

static void firewall_rule(struct ps *s, const struct cmd *c)
{
	static const char *const unread[] = {"Program", "Service", "Package", "Owner",
		"RemoteUser", "RemoteMachine", "LocalUser", "IcmpType", "InterfaceType", "Profile",
		"Authentication", "Encryption", "EdgeTraversalPolicy", "DynamicTarget"};
	for (size_t i = 0; i < sizeof(unread) / sizeof(unread[0]); i++)
		if (ps_arg(c, unread[i])) {
			imp_unmodelled(s->r, c->loc, arena_printf(PS_ARENA(s), "a firewall rule "
								  "restricted by -%s", unread[i]));
			return;
		}
	const struct val *alias = ps_str_arg(s, c, "InterfaceAlias"), *dir = ps_str_arg(s, c, "Direction"),
			 *act = ps_str_arg(s, c, "Action"), *proto = ps_str_arg(s, c, "Protocol");
	if (!alias) {
		imp_unmodelled(s->r, c->loc, "a firewall rule on every interface (no -InterfaceAlias)");
		return;
	}
	bool in = !dir || strcasecmp(dir->s, "Outbound") != 0;
	const struct val *name = ps_str_arg(s, c, "Name"), *display = ps_str_arg(s, c, "DisplayName");
	struct ps_fw_rule fr = {.alias = {alias->s, alias->loc}, .dir = in ? FILTER_IN : FILTER_OUT,
				.rule = {.permit = !act || strcasecmp(act->s, "Block") != 0, .loc = c->loc},
				.name = name ? name->s : NULL, .display = display ? display->s : NULL,
				/* a disabled rule filters nothing (unless enabled later) */
				.disabled = ps_arg(c, "Enabled") && ps_is_false(s, c, "Enabled")};
	if (act && strcasecmp(act->s, "Allow") != 0 && strcasecmp(act->s, "Block") != 0) {
		imp_unmodelled(s->r, act->loc, "a firewall rule's action other than Allow or Block");
		return;
	}
	/* Inbound, the source is the remote end; outbound, the local one. */
	struct tunc_loc sl, dl;
	const char *src = fw_address(s, c, in ? "RemoteAddress" : "LocalAddress", &sl);
	const char *dst = fw_address(s, c, in ? "LocalAddress" : "RemoteAddress", &dl);
	if (!src || !dst)
		return;
	fr.rule.src = (struct imp_text){src, sl};
	fr.rule.dst = (struct imp_text){dst, dl};
	if (proto && strcasecmp(proto->s, "Any") != 0) {
		static const struct map protos[] = {{"TCP", "tcp"}, {"UDP", "udp"}, {"ICMPv4", "icmp"},
						    {"ICMPv6", "58"}};
		const char *w = NULL;
		for (size_t i = 0; i < sizeof(protos) / sizeof(protos[0]) && !w; i++)
			if (strcasecmp(proto->s, protos[i].ps) == 0)
				w = protos[i].tun;
		if (!w && strspn(proto->s, "0123456789") == strlen(proto->s) && *proto->s)
			w = proto->s;
		if (!w) {
			imp_unmodelled(s->r, proto->loc, "a firewall rule's protocol other than TCP, "
				       "UDP, ICMPv4, ICMPv6 or a number");
			return;
		}
		fr.rule.proto = (struct imp_text){w, proto->loc};
	}
	const char *own = in ? "LocalPort" : "RemotePort", *other = in ? "RemotePort" : "LocalPort";
	if (ps_arg(c, other)) {
		imp_unmodelled(s->r, c->loc, arena_printf(PS_ARENA(s), "a firewall rule restricted by "
							  "-%s (a filter rule names the destination "
							  "port only)", other));
		return;
	}
	const struct val *port = ps_str_arg(s, c, own);
	if (ps_arg(c, own)) {
		const struct arg *pa = ps_arg(c, own);
		if (!port || (pa->v.k == V_LIST && pa->v.n > 1) ||
		    strspn(port->s, "0123456789-") != strlen(port->s) || !*port->s) {
			imp_unmodelled(s->r, pa->name.loc, arena_printf(PS_ARENA(s), "a firewall rule's "
								       "-%s other than one port or "
								       "range", own));
			return;
		}
		fr.rule.port = (struct imp_text){port->s, port->loc};
	}
	arena_vec_push(PS_ARENA(s), &s->fw_rules, fr);
}

/* Set-NetFirewallRule -Name|-DisplayName N [-Enabled True|False] [-Action
 * Allow|Block]: the rules of that name (New-NetFirewallRule's, earlier in
 * the script) turned on or off or their action changed.  What else Set can
 * change (addresses, ports) is noted and not applied; a name no rule has is
 * noted. */
static void firewall_rule_set(struct ps *s, const struct cmd *c)
{
	static const char *const known[] = {"Name", "DisplayName", "Enabled", "Action", NULL};
	const struct val *name = ps_str_arg(s, c, "Name"), *display = ps_str_arg(s, c, "DisplayName");
	const struct val *act = ps_str_arg(s, c, "Action");
	check_params(s, c, known);     /* what else it changes is noted, not applied */
	if ((!name && !display) || (act && strcasecmp(act->s, "Allow") != 0 &&
				     strcasecmp(act->s, "Block") != 0)) {
		imp_unmodelled(s->r, act && (name || display) ? act->loc : c->loc,
			       "a change to a firewall rule (Set-NetFirewallRule) other than "
			       "enabling, disabling or an Allow/Block action of a named rule");
		return;
	}
	bool found = false;
	for (size_t i = 0; i < s->fw_rules.n; i++) {
		struct ps_fw_rule *fr = &s->fw_rules.v[i];
		if (!(name && fr->name && strcasecmp(fr->name, name->s) == 0) &&
		    !(display && fr->display && strcasecmp(fr->display, display->s) == 0))
			continue;
		found = true;
		if (ps_arg(c, "Enabled"))
			fr->disabled = ps_is_false(s, c, "Enabled");
		if (act) {
			fr->rule.permit = strcasecmp(act->s, "Block") != 0;
			fr->rule.loc = act->loc;
		}
	}
	if (!found)
		imp_unmodelled(s->r, c->loc, arena_printf(PS_ARENA(s), "Set-NetFirewallRule of '%s', "
							  "which no New-NetFirewallRule before it makes",
							  name ? name->s : display->s));
}

static void firewall_profile(struct ps *s, const struct cmd *c)
{
	if (ps_arg(c, "Enabled") && ps_is_false(s, c, "Enabled")) {
		imp_unmodelled(s->r, c->loc, "Windows Firewall turned off (its rules are read as if on)");
		return;
	}
	static const char *const params[2] = {"DefaultInboundAction", "DefaultOutboundAction"};
	for (int d = 0; d < 2; d++) {
		const struct val *v = ps_str_arg(s, c, params[d]);
		if (!v)
			continue;
		if (strcasecmp(v->s, "Allow") == 0 || strcasecmp(v->s, "Block") == 0)
			s->fw_default[d] = (struct imp_text){v->s, v->loc};
		else
			imp_unmodelled(s->r, v->loc, arena_printf(PS_ARENA(s), "-%s %s", params[d], v->s));
	}
}

void ps_attach_firewall(struct ps *s)
{
	struct imp_device *d = PS_DEV(s);
	for (size_t i = 0; i < s->fw_rules.n; i++) {
		const struct ps_fw_rule *fr = &s->fw_rules.v[i];
		if (fr->disabled)
			continue;
		struct imp_iface *f = NULL;
		for (size_t k = 0; k < d->ifaces.n && !f; k++)
			if (strcasecmp(d->ifaces.v[k].name.s, fr->alias.s) == 0)
				f = &d->ifaces.v[k];
		if (!f) {
			imp_unmodelled(s->r, fr->rule.loc, "a firewall rule on an interface the script "
				       "gives no address");
			continue;
		}
		struct imp_filter *flt = &f->filter[fr->dir];
		if (!flt->set) {
			flt->set = true;
			flt->loc = fr->rule.loc;
			/* Unstated, Windows' own: inbound block, outbound allow. */
			const struct imp_text *dflt = &s->fw_default[fr->dir == FILTER_IN ? 0 : 1];
			flt->default_permit = dflt->s ? strcasecmp(dflt->s, "Allow") == 0 :
					      fr->dir == FILTER_OUT;
			flt->default_loc = dflt->s ? dflt->loc : fr->rule.loc;
		}
		arena_vec_push(PS_ARENA(s), &flt->rules, fr->rule);
	}
}

static bool prefix_of(const char *name, const char *verb)
{
	return strncasecmp(name, verb, strlen(verb)) == 0;
}

void ps_dispatch(struct ps *s, struct cmd *c, struct val *out)
{
	static const struct { const char *name; enum okind k; } makers[] = {
		{"New-NetIPsecMainModeCryptoProposal", O_MMPROP},
		{"New-NetIPsecQuickModeCryptoProposal", O_QMPROP},
		{"New-NetIPsecAuthProposal", O_AUTH},
		{"New-NetIPsecMainModeCryptoSet", O_MMSET},
		{"New-NetIPsecQuickModeCryptoSet", O_QMSET},
		{"New-NetIPsecPhase1AuthSet", O_P1SET},
		{"New-NetIPsecMainModeRule", O_MMRULE},
		{"New-NetIPsecRule", O_RULE},
	};
	for (size_t i = 0; i < sizeof(makers) / sizeof(makers[0]); i++)
		if (strcasecmp(c->name, makers[i].name) == 0) {
			make(s, makers[i].k, c, out);
			return;
		}
	const char *n = c->name;
	if (strcasecmp(n, "New-NetRoute") == 0)
		new_route(s, c);
	else if (strcasecmp(n, "route") == 0 || strcasecmp(n, "route.exe") == 0)
		route_exe(s, c);
	else if (strcasecmp(n, "New-NetIPAddress") == 0)
		new_ip_address(s, c);
	else if (strcasecmp(n, "Set-NetIPInterface") == 0) {
		if (ps_arg(c, "Forwarding") && ps_is_false(s, c, "Forwarding"))
			imp_unmodelled(s->r, c->loc, "forwarding disabled on an interface (tunc takes a "
				       "gateway to forward between its interfaces)");
	} else if (strcasecmp(n, "Set-ItemProperty") == 0 || strcasecmp(n, "New-ItemProperty") == 0)
		registry(s, c);
	else if (strcasecmp(n, "Join-Path") == 0)
		join_path(s, c);
	else if (strcasecmp(n, "netsh") == 0 || strcasecmp(n, "netsh.exe") == 0)
		imp_unmodelled(s->r, c->loc, "netsh in a PowerShell script (read the netsh commands "
			       "as their own script: --from netsh)");
	else if (strcasecmp(n, "New-NetFirewallRule") == 0)
		firewall_rule(s, c);
	else if (strcasecmp(n, "Set-NetFirewallRule") == 0)
		firewall_rule_set(s, c);
	else if (strcasecmp(n, "Set-NetFirewallProfile") == 0)
		firewall_profile(s, c);
	else if (ps_find_ci(n, strlen(n), "-NetIPsec") && !prefix_of(n, "Get-") && !prefix_of(n, "Remove-"))
		imp_unmodelled(s->r, c->loc, arena_printf(PS_ARENA(s), "%s", n));
	else if (strcasecmp(n, "Set-NetFirewallSetting") == 0 && c->a.n)
		imp_unmodelled(s->r, c->loc, "global IPsec settings (Set-NetFirewallSetting)");
}
