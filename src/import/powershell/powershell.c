/* Windows Server 2012 and later: PowerShell scripts of NetSecurity and
 * NetTCPIP cmdlets, as tunc's powershell target writes them (GW.ps1 with its
 * keys in GW.keys beside it) and as Microsoft documents them by hand.
 *
 * The script is evaluated as far as the tunnels need: `$var = ...`
 * assignments of the objects the New-NetIPsec* cmdlets return, comma lists
 * and @( ) arrays, hash tables and splatting, ( ) subexpressions, and sets
 * named by `$set.Name` or by their -Name.  Statements inside if / foreach
 * blocks are read as if they ran once.  Each `New-NetIPsecRule -Mode
 * Tunnel` is one tunnel end, with the main-mode rule toward its remote
 * endpoint (or a -Default main-mode set), its quick-mode set and its
 * phase-1 auth set.  What gets a note: doc/import.md. */
#include "config.h"
#include "import/powershell/ps.h"
#include "import/lines.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "ir/addr.h"

/* ---- detection ---- */


int powershell_detect(const char *text, size_t size)
{
	if (ps_find_ci(text, size, "New-NetIPsecRule") || ps_find_ci(text, size, "New-NetIPsecMainModeRule") ||
	    ps_find_ci(text, size, "New-NetIPsecQuickModeCryptoSet"))
		return 95;
	if (ps_find_ci(text, size, "#Requires -Modules NetSecurity") ||
	    ps_find_ci(text, size, "-NetIPsec"))
		return 60;
	return 0;
}

/* ---- tunnels ---- */

/* A set named by VAL: $set.Name (the object) or its -Name. */
static int set_ref(struct ps *s, const struct cmd *c, const char *param, enum okind k)
{
	const struct arg *a = ps_arg(c, param);
	if (!a)
		return -1;
	const struct val *v = &a->v;
	if (a->has_v && v->k == V_OBJ && s->objs.v[v->obj].k == k)
		return v->obj;
	if (a->has_v && v->k == V_STR)
		for (size_t i = 0; i < s->objs.n; i++)
			if (s->objs.v[i].k == k && s->objs.v[i].name && strcasecmp(s->objs.v[i].name, v->s) == 0)
				return (int)i;
	diag_front(s->r->diags, "undefined", a->has_v ? v->loc : a->name.loc,
		   "-%s names no set this script makes (give $set.Name or the set's -Name)", param);
	return -1;
}

static const char *display(struct ps *s, const struct obj *o, const char *fallback)
{
	const struct val *d = ps_str_arg(s, &o->c, "DisplayName");
	const char *n = d ? d->s : o->name ? o->name : fallback;
	return strncmp(n, "tunc-", 5) == 0 ? n + 5 : n;
}

/* The imported proposal of set SET (built once per IKE version). */
static int proposal(struct ps *s, int set, unsigned version)
{
	struct obj *o = &s->objs.v[set];
	if (o->prop[version] >= 0)
		return o->prop[version];
	bool ike = o->k == O_MMSET;
	struct imp_proposal p = {.ike = ike, .loc = o->c.loc, .version = ike ? version : 0,
				 .lifetime_s = o->p.lifetime_s, .lifetime_loc = o->p.lifetime_loc,
				 .pfs = o->p.pfs};
	p.name = arena_printf(PS_ARENA(s), "%s-%s", PS_DEV(s)->name.s, display(s, o, ike ? "main-mode" : "quick-mode"));
	for (size_t i = 0; i < o->members.n; i++) {
		const struct obj *m = &s->objs.v[o->members.v[i]];
		if (m->skip)
			continue;
		for (size_t k = 0; k < m->p.enc.n; k++)
			ps_push(s, &p.enc, &p.enc_loc, m->p.enc.v[k].text, m->p.enc.v[k].loc);
		for (size_t k = 0; k < m->p.integ.n; k++)
			ps_push(s, &p.integ, &p.integ_loc, m->p.integ.v[k].text, m->p.integ.v[k].loc);
		for (size_t k = 0; k < m->p.group.n; k++)
			ps_push(s, &p.group, &p.group_loc, m->p.group.v[k].text, m->p.group.v[k].loc);
		if (!ike && !p.protocol.s)
			p.protocol = m->p.protocol;
		else if (!ike && strcmp(p.protocol.s, m->p.protocol.s) != 0)
			imp_unmodelled(s->r, m->c.loc, "ESP and AH proposals in one quick-mode set "
				       "(the first one's protocol is taken)");
		if (!ike && !p.lifetime_s) {
			p.lifetime_s = m->p.lifetime_s;
			p.lifetime_loc = m->p.lifetime_loc;
		}
	}
	arena_vec_push(PS_ARENA(s), &PS_DEV(s)->proposals, p);
	o->prop[version] = (int)PS_DEV(s)->proposals.n - 1;
	return o->prop[version];
}

/* No main-mode set applies: Windows negotiates its built-in default,
 * `dhgroup2-aes128-sha1,dhgroup2-3des-sha1` (KB 949856, as netsh
 * advfirewall names it), located at the rule that relies on it. */
static int default_main_mode(struct ps *s, const struct cmd *rule, unsigned version)
{
	diag_add(s->r->diags, DIAG_NOTE, "not-modelled", rule->loc, "no main-mode crypto set "
		 "applies to this tunnel rule: Windows' default main mode (AES-128 or 3DES, SHA-1, "
		 "DH group 2) is taken");
	struct imp_proposal p = {.ike = true, .loc = rule->loc, .version = version,
				 .name = arena_printf(PS_ARENA(s), "%s-default-main-mode", PS_DEV(s)->name.s)};
	ps_push(s, &p.enc, &p.enc_loc, "aes128", rule->loc);
	ps_push(s, &p.enc, &p.enc_loc, "3des", rule->loc);
	ps_push(s, &p.integ, &p.integ_loc, "sha1", rule->loc);
	ps_push(s, &p.group, &p.group_loc, "2", rule->loc);
	p.lifetime_s = WINDOWS_MM_MINUTES * 60;
	p.lifetime_loc = rule->loc;
	arena_vec_push(PS_ARENA(s), &PS_DEV(s)->proposals, p);
	return (int)PS_DEV(s)->proposals.n - 1;
}

/* -LocalAddress / -RemoteAddress: each prefix or address, Any. */
static bool selectors(struct ps *s, const struct obj *rule, const char *param, bool v6,
		      imp_text_vec *out, struct tunc_loc *loc)
{
	const struct arg *a = ps_arg(&rule->c, param);
	if (!a || !a->has_v) {
		arena_vec_push(PS_ARENA(s), out, ((struct imp_text){v6 ? "::/0" : "0.0.0.0/0", rule->c.loc}));
		*loc = rule->c.loc;
		return true;
	}
	*loc = a->v.loc;
	const struct val *items = a->v.k == V_LIST ? a->v.items : &a->v;
	size_t n = a->v.k == V_LIST ? a->v.n : 1;
	for (size_t i = 0; i < n; i++) {
		const char *t = items[i].k == V_STR ? items[i].s : NULL;
		const char *pfx = t && strcasecmp(t, "Any") == 0 ? (v6 ? "::/0" : "0.0.0.0/0") :
				  t ? ps_prefix_text(s, t) : NULL;
		if (!pfx) {
			imp_unmodelled(s->r, items[i].loc, arena_printf(PS_ARENA(s), "-%s %s (tunc reads "
				       "addresses, prefixes and Any)", param, t ? t : "not given literally"));
			continue;
		}
		arena_vec_push(PS_ARENA(s), out, ((struct imp_text){pfx, items[i].loc}));
	}
	return out->n > 0;
}

/* The main-mode rule toward PEER from SELF (Any or absent matches). */
static const struct obj *mm_rule(struct ps *s, const struct imp_text *self, const struct imp_text *peer)
{
	for (size_t i = 0; i < s->objs.n; i++) {
		const struct obj *o = &s->objs.v[i];
		if (o->k != O_MMRULE || (ps_arg(&o->c, "Enabled") && ps_is_false(s, &o->c, "Enabled")))
			continue;
		bool match = true;
		const char *params[2] = {"LocalAddress", "RemoteAddress"};
		const struct imp_text *want[2] = {self, peer};
		for (int k = 0; k < 2 && match; k++) {
			const struct arg *a = ps_arg(&o->c, params[k]);
			if (!a || !a->has_v)
				continue;
			const struct val *items = a->v.k == V_LIST ? a->v.items : &a->v;
			size_t n = a->v.k == V_LIST ? a->v.n : 1;
			bool any = false;
			for (size_t j = 0; j < n && !any; j++) {
				struct ip_prefix p;
				struct ip_addr x;
				const char *t = items[j].k == V_STR ? ps_prefix_text(s, items[j].s) : NULL;
				any = (items[j].k == V_STR && strcasecmp(items[j].s, "Any") == 0) ||
				      (t && prefix_parse(t, &p) && addr_parse(want[k]->s, &x) &&
				       prefix_contains_addr(&p, &x));
			}
			match = any;
		}
		if (match)
			return o;
	}
	return NULL;
}

static struct imp_text key_of(struct ps *s, int p1)
{
	const struct obj *o = &s->objs.v[p1];
	for (size_t i = 0; i < o->members.n; i++)
		if (s->objs.v[o->members.v[i]].psk.s)
			return s->objs.v[o->members.v[i]].psk;
	return (struct imp_text){0};
}

static bool one_address(struct ps *s, const struct obj *rule, const char *param, struct imp_text *out)
{
	const struct arg *a = ps_arg(&rule->c, param);
	if (!a || !a->has_v) {
		diag_front(s->r->diags, "syntax", rule->c.loc, "incomplete statement: a tunnel rule "
			   "without -%s", param);
		return false;
	}
	struct ip_addr x;
	if (a->v.k != V_STR || !addr_parse(a->v.s, &x)) {
		imp_unmodelled(s->r, a->v.loc, arena_printf(PS_ARENA(s), "-%s other than one address "
							    "(a dynamic or multi-endpoint tunnel)", param));
		return false;
	}
	*out = (struct imp_text){a->v.s, a->v.loc};
	return true;
}

static void tunnel(struct ps *s, int idx)
{
	const struct obj *o = &s->objs.v[idx];
	const struct cmd *c = &o->c;
	bool skip = false;
	const struct val *mode = ps_str_arg(s, c, "Mode");
	if (ps_arg(c, "Enabled") && ps_is_false(s, c, "Enabled")) {
		imp_unmodelled(s->r, c->loc, "a disabled IPsec rule (it is left out)");
		return;
	}
	if (!mode) {
		imp_unmodelled(s->r, c->loc, "a transport-mode IPsec rule");
		return;
	}
	if (!ps_lookup(s, c, mode, "Mode", ps_modes, &skip))
		return;
	struct imp_end e = {.name = display(s, o, "tunnel"), .loc = c->loc, .pair = -1, .ike = -1, .ipsec = -1};
	if (!one_address(s, o, "LocalTunnelEndpoint", &e.local_addr) ||
	    !one_address(s, o, "RemoteTunnelEndpoint", &e.peer_addr))
		return;
	struct ip_addr ep;
	addr_parse(e.local_addr.s, &ep);
	bool v6 = ep.family != AF_V4;
	if (!selectors(s, o, "LocalAddress", v6, &e.local_ts, &e.local_loc) ||
	    !selectors(s, o, "RemoteAddress", v6, &e.remote_ts, &e.remote_loc))
		return;
	const char *dirs[2] = {"InboundSecurity", "OutboundSecurity"};
	for (int k = 0; k < 2; k++) {
		const struct val *v = ps_str_arg(s, c, dirs[k]);
		if (v)
			ps_lookup(s, c, v, dirs[k], ps_securities, &skip);
	}
	const char *ports[3] = {"Protocol", "LocalPort", "RemotePort"};
	for (int k = 0; k < 3; k++) {
		const struct val *v = ps_str_arg(s, c, ports[k]);
		if (v && strcasecmp(v->s, "Any") != 0)
			imp_unmodelled(s->r, v->loc, "a tunnel rule for one protocol or port");
	}
	unsigned version = 1;
	const struct val *km = ps_str_arg(s, c, "KeyModule");
	if (km) {
		const char *w = ps_lookup(s, c, km, "KeyModule", ps_key_modules, &skip);
		version = w && *w == '2' ? 2 : 1;
	}
	const struct obj *mm = mm_rule(s, &e.local_addr, &e.peer_addr);
	int mmset = mm ? set_ref(s, &mm->c, "MainModeCryptoSet", O_MMSET) : -1;
	for (size_t i = 0; mmset < 0 && i < s->objs.n; i++)
		if (s->objs.v[i].k == O_MMSET && s->objs.v[i].is_default)
			mmset = (int)i;
	if (mmset >= 0)
		e.ike = proposal(s, mmset, version);
	else
		e.ike = default_main_mode(s, c, version);
	int qm = set_ref(s, c, "QuickModeCryptoSet", O_QMSET);
	if (qm >= 0) {
		e.ipsec = proposal(s, qm, 0);
		struct imp_proposal *p = &PS_DEV(s)->proposals.v[e.ipsec];
		/* SameAsMainMode: the main mode's (first) group. */
		if (p->pfs.s && strcmp(p->pfs.s, "mainmode") == 0) {
			const struct imp_proposal *ike = e.ike >= 0 ? &PS_DEV(s)->proposals.v[e.ike] : NULL;
			p->pfs.s = ike && ike->group.n ? ike->group.v[0].text : "none";
		}
	}
	int p1 = set_ref(s, c, "Phase1AuthSet", O_P1SET);
	if (p1 < 0 && mm)
		p1 = set_ref(s, &mm->c, "Phase1AuthSet", O_P1SET);
	if (p1 >= 0)
		e.psk = key_of(s, p1);
	else
		imp_unmodelled(s->r, c->loc, "a tunnel rule with no phase-1 auth set (Windows' "
			       "default, Kerberos, is not a pre-shared key)");
	arena_vec_push(PS_ARENA(s), &PS_DEV(s)->ends, e);
}

/* "# Gateway NAME (Windows Server 2022, site S)": tunc's header. */
static void header(struct ps *s)
{
	const char *t = s->r->src->text;
	size_t size = s->r->src->size < 4096 ? s->r->src->size : 4096;
	const char *g = ps_find_ci(t, size, "# Gateway ");
	if (!g)
		return;
	const char *n = g + 10, *ne = n;
	while ((size_t)(ne - t) < size && *ne != ' ' && *ne != '\n')
		ne++;
	const char *w = ps_find_ci(ne, size - (size_t)(ne - t), " (Windows Server ");
	const char *eol = memchr(n, '\n', size - (size_t)(n - t));
	if (!w || (eol && w > eol))
		return;
	const char *v = w + 17, *ve = v;
	while (isdigit((unsigned char)*ve))
		ve++;
	if (ve - v != 4 || ne == n)
		return;
	PS_DEV(s)->name = imp_word(s->r, n, (size_t)(ne - n), (size_t)(n - t));
	PS_DEV(s)->version = imp_word(s->r, v, (size_t)(ve - v), (size_t)(v - t));
}

/* tunc's comment lines `#   tunc-iface NAME PREFIX [outside]` (what the
 * script expects, emit_powershell.c): the interfaces with their addresses,
 * the inner ones too, which the script otherwise names only by their
 * forwarding.  An alias the script addresses itself (New-NetIPAddress)
 * keeps that address.  A line of another form is a comment like any. */
static void described_ifaces(struct ps *s)
{
	struct imp_device *d = PS_DEV(s);
	size_t pos = 0;
	struct imp_line l;
	while (imp_next_line(s->r, &pos, &l)) {
		if (l.n < 4 || !imp_is(&l, 0, "#") || !imp_is(&l, 1, "tunc-iface"))
			continue;
		struct imp_text name = imp_lw(s->r, &l, 2), addr = imp_lw(s->r, &l, 3);
		if (strcmp(addr.s, "-") == 0)
			continue;       /* described without an address */
		struct ip_prefix p;
		if (!prefix_parse(addr.s, &p)) {
			diag_front(s->r->diags, "invalid-value", addr.loc,
				   "'%s' is not an address and prefix length", addr.s);
			continue;
		}
		bool have = false;
		for (size_t i = 0; i < d->ifaces.n && !have; i++)
			have = strcasecmp(d->ifaces.v[i].name.s, name.s) == 0;
		if (have)
			continue;
		struct imp_iface f = {.name = name, .address = addr,
				      .outside = l.n > 4 && imp_is(&l, 4, "outside")};
		arena_vec_push(PS_ARENA(s), &d->ifaces, f);
	}
}

/* The script sets no address (tunc's does not): a tunnel endpoint is on
 * the interface whose route reaches its peer (the longest New-NetRoute
 * with -InterfaceAlias), written as orient.c writes an endpoint with no
 * interface, ADDR/0, but under the script's alias rather than ethN. */
static void endpoint_ifaces(struct ps *s)
{
	struct imp_device *d = PS_DEV(s);
	for (size_t k = 0; k < d->ends.n; k++) {
		const struct imp_end *e = &d->ends.v[k];
		struct ip_addr peer;
		if (!e->local_addr.s || !e->peer_addr.s || !addr_parse(e->peer_addr.s, &peer))
			continue;
		bool have = false;
		for (size_t i = 0; i < d->ifaces.n && !have; i++) {
			const char *f = d->ifaces.v[i].address.s;
			size_t n = strlen(e->local_addr.s);
			have = f && strncmp(f, e->local_addr.s, n) == 0 && f[n] == '/';
		}
		const struct ps_route_alias *best = NULL;
		unsigned best_len = 0;
		for (size_t i = 0; !have && i < s->route_aliases.n; i++) {
			struct ip_prefix p;
			if (prefix_parse(s->route_aliases.v[i].dst, &p) && prefix_contains_addr(&p, &peer) &&
			    (!best || p.len > best_len)) {
				best = &s->route_aliases.v[i];
				best_len = p.len;
			}
		}
		for (size_t i = 0; best && i < d->ifaces.n; i++)
			if (strcasecmp(d->ifaces.v[i].name.s, best->alias.s) == 0)
				best = NULL;    /* the alias has its own address: not this one */
		if (!best)
			continue;
		struct imp_iface f = {.name = best->alias,
				      .address = {arena_printf(PS_ARENA(s), "%s/0", e->local_addr.s),
						  e->local_addr.loc},
				      .outside = true};
		arena_vec_push(PS_ARENA(s), &d->ifaces, f);
	}
}

void powershell_read(struct imp_read *r)
{
	struct ps s = {.r = r};
	r->dev->platform = "windows";
	r->dev->name = (struct imp_text){imp_name_from_path(r->arena, r->src->path), imp_loc(r, 0, 1)};
	/* No header: the oldest Windows with the NetSecurity cmdlets. */
	r->dev->version = (struct imp_text){"2012", r->dev->name.loc};
	header(&s);
	if (!ps_lex(r, &s.tok))
		return;

	ps_run(&s);
	described_ifaces(&s);
	for (size_t i = 0; i < s.objs.n; i++)
		if (s.objs.v[i].k == O_RULE)
			tunnel(&s, (int)i);
	endpoint_ifaces(&s);
	ps_attach_firewall(&s);
	/* An interface holding a tunnel endpoint is outside. */
	for (size_t i = 0; i < r->dev->ifaces.n; i++)
		for (size_t k = 0; k < r->dev->ends.n; k++) {
			const char *a = r->dev->ends.v[k].local_addr.s, *f = r->dev->ifaces.v[i].address.s;
			if (strncmp(f, a, strlen(a)) == 0 && f[strlen(a)] == '/')
				r->dev->ifaces.v[i].outside = true;
		}
	r->dev->ifaces_from_ends = true;
}
