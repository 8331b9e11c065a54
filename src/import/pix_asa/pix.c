/* Cisco PIX 6.3 configuration reader.  Its own statements: `nameif`, `ip
 * address IFNAME`, `isakmp policy N ...` and `isakmp key`, and NAT as
 * `nat (IF) 0 access-list ACL` (exemption), `nat (IF) ID NET MASK` with
 * `global (IF) ID interface` (overload) and `static (IN,OUT) GLOBAL LOCAL`;
 * the rest is common.c's (doc/import.md). */
#include "config.h"
#include "import/pix_asa/fw.h"

#include <string.h>

#include "ir/addr.h"

/* `nat (IF) ID NET MASK` and `global (IF) ID interface`, joined at the end
 * (show running-config prints the globals first). */
struct pix_nat {
	struct imp_text id, src;
	struct tunc_loc loc;
};
struct pix {
	struct fw fw;
	ARENA_VEC(struct pix_nat) nats, globals;        /* a global's src is its interface */
	imp_nat_vec statics;            /* after the exemptions, before nat ID */
};

int pix_detect(const char *text, size_t size)
{
	static const char *const marks[] = {
		"PIX Version ", "nameif ", "ip address ", "isakmp ", "global (", "fixup ",
		"sysopt connection permit-ipsec",
	};
	return fw_detect(text, size, marks, sizeof(marks) / sizeof(marks[0]));
}

/* nameif HARDWARE NAME securityN: the interface is known by NAME, and
 * written so, unless NAME is PIX 6.3's own for HARDWARE (`ethernet0 outside
 * security0`, `ethernet1 inside security100`, what tunc writes for a .tun
 * interface named ethernet0 or ethernet1): then by HARDWARE, so that those
 * lines are written again (doc/import.md). */
static void nameif(struct fw *s, const struct imp_line *l)
{
	if (imp_incomplete(s->r, l, 3, "nameif HARDWARE NAME securityN"))
		return;
	struct imp_text hw = imp_lw(s->r, l, 1), name = imp_lw(s->r, l, 2);
	bool usual = (strcmp(hw.s, "ethernet0") == 0 && strcmp(name.s, "outside") == 0 &&
		      imp_is(l, 3, "security0")) ||
		     (strcmp(hw.s, "ethernet1") == 0 && strcmp(name.s, "inside") == 0 &&
		      imp_is(l, 3, "security100"));
	struct imp_iface *f = fw_iface(s, name.s, imp_lspan(s->r, l, 2, 2), false);
	if (!f)
		f = fw_add_iface(s, usual ? hw : (struct imp_text){name.s, imp_lspan(s->r, l, 2, 2)},
				 name.s);
	if (imp_is(l, 3, "security0"))
		f->outside = true;
}

/* ip address IFNAME ADDRESS NETMASK */
static void ip_address(struct fw *s, const struct imp_line *l)
{
	if (imp_incomplete(s->r, l, 4, "ip address IFNAME ADDRESS NETMASK"))
		return;
	struct imp_text n = imp_lw(s->r, l, 2);
	struct imp_iface *f = fw_iface(s, n.s, n.loc, true);
	/* PIX 6.3 names ethernet0 `outside` (security0) unless told otherwise. */
	if (strcmp(n.s, "outside") == 0 && f->name.loc.offset == n.loc.offset)
		f->outside = true;
	if (imp_is(l, 3, "dhcp") || imp_is(l, 3, "pppoe")) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "a dynamic interface address");
		return;
	}
	f->address = imp_addr_mask(s->r, l, 3, false);
}

/* isakmp key KEY address ADDR [netmask MASK] [no-xauth] [no-config-mode] */
static void isakmp_key(struct fw *s, const struct imp_line *l)
{
	if (imp_incomplete(s->r, l, 5, "isakmp key KEY address ADDRESS [netmask MASK]"))
		return;
	if (!imp_is(l, 3, "address")) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "a key for a hostname");
		return;
	}
	if (imp_is(l, 5, "netmask") && !imp_is(l, 6, "255.255.255.255") && !imp_is(l, 6, "0.0.0.0")) {
		imp_unmodelled(s->r, imp_lspan(s->r, l, 5, 6), "a key for a range of peers");
		return;
	}
	fw_add_key(s, 1, imp_lw(s->r, l, 4), imp_lw(s->r, l, 2));
}

/* nat (IF) 0 access-list ACL | nat (IF) ID NET MASK [0 0] */
static void nat(struct pix *p, const struct imp_line *l)
{
	struct fw *s = &p->fw;
	struct imp_text in, out;
	if (imp_incomplete(s->r, l, 4, "nat (IFNAME) ID ...") || !fw_nat_ifaces(s, l, 1, &in, &out))
		return;
	struct imp_text id = imp_lw(s->r, l, 2);
	if (imp_is(l, 2, "0") && imp_is(l, 3, "access-list") &&
	    !imp_incomplete(s->r, l, 5, "nat (IFNAME) 0 access-list ACL")) {
		struct imp_text acl = imp_lw(s->r, l, 4);
		arena_vec_push(FW_A(s), &s->nat0_acls, acl);
		return;
	}
	if (imp_is(l, 2, "0") || imp_is(l, 3, "access-list") || l->n < 5) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this nat statement");
		return;
	}
	size_t i = 3;
	struct pix_nat n = {id, fw_addr_mask(s, l, &i), imp_lloc(s->r, l)};
	if (n.src.s)
		arena_vec_push(FW_A(s), &p->nats, n);
}

/* global (IF) ID interface */
static void global(struct pix *p, const struct imp_line *l)
{
	struct fw *s = &p->fw;
	struct imp_text in, out;
	if (imp_incomplete(s->r, l, 4, "global (IFNAME) ID interface") ||
	    !fw_nat_ifaces(s, l, 1, &in, &out))
		return;
	if (!imp_is(l, 3, "interface")) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "a global address pool");
		return;
	}
	struct pix_nat g = {imp_lw(s->r, l, 2), in, imp_lloc(s->r, l)};
	arena_vec_push(FW_A(s), &p->globals, g);
}

/* static (IN,OUT) GLOBAL LOCAL [netmask 255.255.255.255] [0 0] */
static void static_nat(struct pix *p, const struct imp_line *l)
{
	struct fw *s = &p->fw;
	struct imp_text in, out;
	if (imp_incomplete(s->r, l, 4, "static (INSIDE,OUTSIDE) GLOBAL LOCAL") ||
	    !fw_nat_ifaces(s, l, 1, &in, &out))
		return;
	struct ip_addr g, a;
	struct imp_text glob = imp_lw(s->r, l, 2), local = imp_lw(s->r, l, 3);
	bool host = !imp_is(l, 4, "netmask") || imp_is(l, 5, "255.255.255.255");
	if (!addr_parse(glob.s, &g) || !addr_parse(local.s, &a) || !host) {
		imp_unmodelled(s->r, imp_lloc(s->r, l), "this static statement");
		return;
	}
	fw_nat_push(s, &p->statics, NAT_STATIC, local, glob, out, imp_lloc(s->r, l));
}

/* `isakmp keepalive SECONDS [RETRY]`: global on 6.3, every end's dpd. */
static void keepalive(struct fw *s, const struct imp_line *l)
{
	if (imp_incomplete(s->r, l, 3, "isakmp keepalive SECONDS [RETRY]"))
		return;
	struct imp_text n = imp_lw(s->r, l, 2);
	if (n.s[0] < '0' || n.s[0] > '9') {
		diag_front(s->r->diags, "invalid-value", n.loc, "'%s' is not a number of seconds", n.s);
		return;
	}
	struct cisco_key k = {{"0.0.0.0", n.loc}, {arena_printf(FW_A(s), "%ss", n.s),
						   imp_lloc(s->r, l)}};
	arena_vec_push(FW_A(s), &s->dpds, k);
}

static void top(struct pix *p, const struct imp_line *l)
{
	struct fw *s = &p->fw;
	s->ctx = FW_OTHER;
	if (fw_version(s, l, "PIX"))
		return;
	if (imp_is(l, 0, "nameif"))
		nameif(s, l);
	else if (imp_is(l, 0, "ip") && imp_is(l, 1, "address"))
		ip_address(s, l);
	else if (imp_is(l, 0, "isakmp") && imp_is(l, 1, "policy") &&
		 !imp_incomplete(s->r, l, 5, "isakmp policy N SETTING VALUE"))
		fw_ikev1_item(s, l, 3);
	else if (imp_is(l, 0, "isakmp") && imp_is(l, 1, "key"))
		isakmp_key(s, l);
	else if (imp_is(l, 0, "isakmp") && imp_is(l, 1, "keepalive"))
		keepalive(s, l);
	else if (imp_is(l, 0, "isakmp") && (imp_is(l, 1, "enable") ||
		 (imp_is(l, 1, "identity") && imp_is(l, 2, "address"))))
		;               /* what the model assumes */
	else if (imp_is(l, 0, "nat"))
		nat(p, l);
	else if (imp_is(l, 0, "global"))
		global(p, l);
	else if (imp_is(l, 0, "static"))
		static_nat(p, l);
	else
		fw_top(s, l);
}

/* Each `nat (IF) ID` translates to the interface of its `global (IF) ID`. */
static void join_nat(struct pix *p)
{
	struct fw *s = &p->fw;
	for (size_t i = 0; i < p->nats.n; i++) {
		const struct pix_nat *n = &p->nats.v[i];
		bool found = false;
		for (size_t k = 0; k < p->globals.n; k++) {
			const struct pix_nat *g = &p->globals.v[k];
			if (strcmp(g->id.s, n->id.s) != 0)
				continue;
			found = true;
			struct imp_iface *f = fw_iface(s, g->src.s, g->src.loc, false);
			if (!f) {
				diag_front(s->r->diags, "undefined-name", g->src.loc,
					   "interface '%s' is not defined in this configuration", g->src.s);
				continue;
			}
			fw_nat_push(s, &FW_DEV(s)->nat, NAT_OVERLOAD, n->src, (struct imp_text){0},
				    (struct imp_text){f->name.s, g->src.loc}, n->loc);
		}
		if (!found)
			imp_unmodelled(s->r, n->loc, "a nat statement with no 'global ... interface'");
	}
}

void pix_read(struct imp_read *r)
{
	struct pix p = {0};
	fw_init(&p.fw, r, "pix");
	struct imp_line l;
	size_t pos = 0;
	while (imp_next_line(r, &pos, &l)) {
		cisco_mark_keys(r, &l);  /* before anything is said of the line */
		if (l.n == 0 || l.w[0].s[0] == ':' || l.w[0].s[0] == '!')
			continue;
		if (l.indent == 0)
			top(&p, &l);
		else
			fw_sub(&p.fw, &l);
	}
	/* PIX order: exemptions (nat 0), static, then nat ID with its global. */
	fw_finish(&p.fw);
	fw_nat_append(&p.fw, &p.statics);
	join_nat(&p);
}
