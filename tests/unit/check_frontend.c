/* Unit tests of the front end: addresses, the scanner and parser, and the
 * resolver (names, defaults, endpoints). */
#include "config.h"

#include <check.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "frontend_util.h"
#include "ir/addr.h"
#include "platform/platform.h"
#include "util/source.h"
#include "util/suggest.h"

/* ---- addresses and prefixes ---- */

START_TEST(test_prefix_parse_v4)
{
	struct ip_prefix p;
	ck_assert(prefix_parse("192.168.1.0/24", &p));
	ck_assert_int_eq(p.addr.family, AF_V4);
	ck_assert_int_eq(p.len, 24);
	ck_assert(!prefix_has_host_bits(&p));
	ck_assert(prefix_parse("192.168.1.5/24", &p));
	ck_assert(prefix_has_host_bits(&p));
	struct ip_prefix n = prefix_network(&p);
	char buf[ADDR_STRLEN];
	prefix_format(&n, buf, sizeof(buf), false);
	ck_assert_str_eq(buf, "192.168.1.0/24");
	ck_assert(prefix_parse("10.0.0.1", &p));
	ck_assert_int_eq(p.len, 32);
	ck_assert(!prefix_parse("10.0.0.0/33", &p));
	ck_assert(!prefix_parse("10.0.0.256/8", &p));
	ck_assert(!prefix_parse("10.0.0/8", &p));
	ck_assert(!prefix_parse("10.0.0.0/", &p));
	ck_assert(!prefix_parse("10.0.0.0/2x", &p));
}
END_TEST

START_TEST(test_prefix_parse_v6)
{
	struct ip_prefix p;
	char buf[ADDR_STRLEN];
	ck_assert(prefix_parse("2001:db8::/32", &p));
	ck_assert_int_eq(p.addr.family, AF_V6);
	ck_assert_int_eq(p.len, 32);
	ck_assert(prefix_parse("2001:db8::1/32", &p));
	ck_assert(prefix_has_host_bits(&p));
	struct ip_prefix n = prefix_network(&p);
	prefix_format(&n, buf, sizeof(buf), false);
	ck_assert_str_eq(buf, "2001:db8::/32");
	ck_assert(prefix_parse("::/0", &p));
	ck_assert_int_eq(p.len, 0);
	ck_assert(!prefix_parse("2001:db8::/129", &p));
	ck_assert(!prefix_parse("2001:db8:::1", &p));
	ck_assert(prefix_parse("fe80::1", &p));
	ck_assert_int_eq(p.len, 128);
}
END_TEST

START_TEST(test_prefix_relations)
{
	struct ip_prefix a, b, c;
	struct ip_addr x;
	prefix_parse("10.0.0.0/8", &a);
	prefix_parse("10.1.0.0/16", &b);
	prefix_parse("11.0.0.0/8", &c);
	ck_assert(prefix_contains(&a, &b));
	ck_assert(!prefix_contains(&b, &a));
	ck_assert(prefix_overlaps(&a, &b));
	ck_assert(!prefix_overlaps(&a, &c));
	addr_parse("10.1.2.3", &x);
	ck_assert(prefix_contains_addr(&b, &x));
	ck_assert(!prefix_contains_addr(&c, &x));
	/* IPv4 and IPv6 never contain each other, even at /0. */
	struct ip_prefix any6 = prefix_any(AF_V6);
	ck_assert(!prefix_contains_addr(&any6, &x));
}
END_TEST

START_TEST(test_first_host_and_masks)
{
	struct ip_prefix p;
	char buf[ADDR_STRLEN];
	prefix_parse("192.168.2.0/24", &p);
	struct ip_addr h = prefix_first_host(&p);
	addr_format(&h, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.168.2.1");
	prefix_parse("192.168.2.7/32", &p);
	h = prefix_first_host(&p);
	addr_format(&h, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.168.2.7");
	prefix_parse("2001:db8::/64", &p);
	h = prefix_first_host(&p);
	addr_format(&h, buf, sizeof(buf));
	ck_assert_str_eq(buf, "2001:db8::1");
	v4_mask_format(24, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "255.255.255.0");
	v4_mask_format(30, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.0.0.3");
	v4_mask_format(0, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "0.0.0.0");
}
END_TEST

/* ---- scanner and parser ---- */

static const char *const full_language =
	"# every statement of LANGUAGE.md\n"
	"ike modern { version 2; mode main; encryption aes256, aes128; integrity sha256;\n"
	"  group 14, 19; lifetime 24h; }\n"
	"ike legacy { version 1; mode aggressive; encryption 3des; integrity sha1; group 2; lifetime 86400; }\n"
	"ipsec modern { protocol esp; encryption aes256-gcm; integrity none; pfs 14; lifetime 1h 4G; }\n"
	"ipsec auth { protocol ah; integrity sha1; pfs none; lifetime 60m; }\n"
	"site hq {\n"
	"  subnet 192.168.1.0/24, 2001:db8:1::/48;\n"
	"  host pc1 192.168.1.10;\n"
	"  gateway rtr-a {\n"
	"    platform ios 15.4;\n"
	"    interface GigabitEthernet0/0 {\n"
	"      address 198.51.100.1/30; outside; behind-nat 203.0.113.200;\n"
	"      filter in { permit 192.168.1.0/24 -> 192.168.2.0/24; permit any -> any udp 500;\n"
	"                  drop 10.0.0.0/8 -> any tcp 1000-2000; permit any -> any 50; default drop; }\n"
	"      filter out { default permit; }\n"
	"    }\n"
	"    interface GigabitEthernet0/1 { address 192.168.1.1/24; }\n"
	"    interface eth0.100 { address 2001:db8:1::1/64; }\n"
	"    route default via 198.51.100.2;\n"
	"    route 10.50.0.0/16 via 192.168.1.254 metric 5;\n"
	"    route 10.60.0.0/16 via 192.168.1.254 dev GigabitEthernet0/1 metric 7;\n"
	"    nat { exempt 192.168.1.0/24 -> 192.168.2.0/24; exempt tunnels;\n"
	"          overload 192.168.1.0/24 on GigabitEthernet0/0; static 192.168.1.5 to 198.51.100.5; }\n"
	"  }\n"
	"}\n"
	"site branch { subnet 192.168.2.0/24; host \"srv 1\" 192.168.2.10;\n"
	"  gateway rtr-b { platform linux; interface eth0 { address 203.0.113.1/30; outside; }\n"
	"    interface eth1 { address 192.168.2.1/24; } route default via 203.0.113.2; } }\n"
	"peer partner-gw { address 203.0.113.50; subnet 10.9.0.0/16; platform pix 6.3; behind-nat; }\n"
	"tunnel hq-branch {\n"
	"  between rtr-a and rtr-b; ike modern; ipsec modern; psk file \"secrets/hq-branch.psk\";\n"
	"  nat-traversal auto;\n"
	"  rtr-b { local 192.168.2.0/24; remote 192.168.1.0/24, 198.51.100.1; protocol tcp 443;\n"
	"          local-endpoint 203.0.113.1; remote-endpoint 198.51.100.1; ike legacy; ipsec auth;\n"
	"          psk env \"B_PSK\"; mirrored; accept-unsecured; }\n"
	"}\n"
	"tunnel hq-partner { between rtr-a and partner-gw; ike modern; ipsec modern; psk \"inline \\\"key\\\" \\\\x\"; nat-traversal on; }\n"
	"expect pc1 -> \"srv 1\" icmp protected by hq-branch;\n"
	"expect rtr-a -> 192.168.2.0/24 protected;\n"
	"expect 192.168.1.10 -> 8.8.8.8 tcp 443 clear;\n"
	"expect 192.168.1.10 -> 10.9.1.1 dropped;\n"
	"expect pc1 -> 10.99.0.1 unreachable;\n";

START_TEST(test_parse_full_language)
{
	struct parsed p;
	parse_text(&p, full_language, true);
	for (size_t i = 0; i < p.diags.n; i++)
		fprintf(stderr, "unexpected: %s\n", diag_message(&p.diags.v[i]));
	ck_assert_uint_eq(p.diags.n, 0);
	ck_assert(p.ok);
	ck_assert_uint_eq(p.ir.ikes.n, 2);
	ck_assert_uint_eq(p.ir.ipsecs.n, 2);
	ck_assert_uint_eq(p.ir.sites.n, 2);
	ck_assert_uint_eq(p.ir.gateways.n, 3);
	ck_assert_uint_eq(p.ir.tunnels.n, 2);
	ck_assert_uint_eq(p.ir.expects.n, 5);

	struct ir_ike *modern = p.ir.ikes.v[0];
	ck_assert_uint_eq(modern->encryption.n, 2);
	ck_assert_int_eq(modern->encryption.v[1], ENC_AES128);
	ck_assert_uint_eq(modern->group.n, 2);
	ck_assert_uint_eq(modern->group.v[1], 19);
	ck_assert_uint_eq(modern->lifetime_s, 86400);
	struct ir_ike *legacy = p.ir.ikes.v[1];
	ck_assert_int_eq(legacy->mode, IKE_MODE_AGGRESSIVE);
	ck_assert_int_eq(legacy->encryption.v[0], ENC_3DES);
	struct ir_ipsec *m = p.ir.ipsecs.v[0];
	ck_assert_uint_eq(m->lifetime_s, 3600);
	ck_assert_uint_eq(m->lifetime_kb, 4ull * 1024 * 1024);
	ck_assert_uint_eq(m->pfs, 14);
	ck_assert_int_eq(p.ir.ipsecs.v[1]->protocol, IPSEC_AH);
	ck_assert_uint_eq(p.ir.ipsecs.v[1]->lifetime_s, 3600);

	struct ir_gateway *a = ir_find_gateway(&p.ir, "rtr-a");
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(a->platform, PLAT_IOS);
	ck_assert_str_eq(a->version, "15.4");
	ck_assert_uint_eq(a->interfaces.n, 3);
	struct ir_interface *outside = a->interfaces.v[0];
	ck_assert(outside->outside && ir_iface_written(outside)->behind_nat);
	ck_assert_uint_eq(ir_iface_written(outside)->filter_in->rules.n, 4);
	ck_assert_int_eq(ir_iface_written(outside)->filter_in->default_action, FILTER_DROP);
	ck_assert_uint_eq(ir_iface_written(outside)->filter_in->rules.v[2].port_lo, 1000);
	ck_assert_uint_eq(ir_iface_written(outside)->filter_in->rules.v[2].port_hi, 2000);
	ck_assert_uint_eq(ir_iface_written(outside)->filter_in->rules.v[3].proto, 50);
	ck_assert_uint_eq(a->nat.n, 4);
	ck_assert_int_eq(a->nat.v[1].kind, NAT_EXEMPT_TUNNELS);
	ck_assert_ptr_eq(a->nat.v[2].iface.target, outside);
	/* The 3 written routes: the connected ones are implied (the model's). */
	ck_assert_uint_eq(a->routes.n, 3);
	ck_assert_uint_eq(a->routes.v[1].metric, 5);
	ck_assert_ptr_eq(a->routes.v[1].dev.target, a->interfaces.v[1]);

	/* Resolve frees the site, tunnel and gateway name tables (2 MB each
	 * on a 100,000-spoke hub); a lookup by gateway name builds its table
	 * again, and tunnels are found by a scan. */
	ck_assert(p.ir.names_released);
	ck_assert_uint_eq(p.ir.site_names.n, 0);
	ck_assert_uint_eq(p.ir.tunnel_names.n, 0);
	struct ir_gateway *peer = ir_find_gateway(&p.ir, "partner-gw");
	ck_assert_uint_eq(p.ir.gateway_names.n, p.ir.gateways.n);
	ck_assert_ptr_null(ir_find_gateway(&p.ir, "no-such-gw"));
	ck_assert_ptr_null(ir_find_tunnel(&p.ir, "no-such-tunnel"));
	ck_assert_int_eq(peer->kind, GW_PEER);
	ck_assert(peer->behind_nat);
	ck_assert_int_eq(peer->platform, PLAT_PIX);

	struct ir_tunnel *t = ir_find_tunnel(&p.ir, "hq-branch");
	struct ir_tunnel_end *b = &t->end[1];
	ck_assert(b->has_block && ir_end_written(b)->mirrored && ir_end_written(b)->accept_unsecured);
	ck_assert_uint_eq(b->remote.n, 2);
	ck_assert_uint_eq(b->proto, 6);
	ck_assert_uint_eq(b->port_lo, 443);
	ck_assert_str_eq(ir_end_ike(b)->name, "legacy");
	ck_assert_str_eq(ir_end_ike(&t->end[0])->name, "modern");
	ck_assert_int_eq(ir_end_psk(b)->source, PSK_ENV);
	ck_assert_int_eq(ir_end_psk(&t->end[0])->source, PSK_FILE);
	struct ir_tunnel *t2 = ir_find_tunnel(&p.ir, "hq-partner");
	ck_assert_str_eq(t2->psk.value, "inline \"key\" \\x");
	ck_assert_int_eq(t2->nat_traversal, NATT_ON);

	ck_assert_int_eq(p.ir.expects.v[0].dst.kind, EXPECT_HOST);
	ck_assert_int_eq(p.ir.expects.v[1].src.kind, EXPECT_GATEWAY);
	ck_assert_int_eq(p.ir.expects.v[2].proto, 6);
	ck_assert_uint_eq(p.ir.expects.v[2].port, 443);
	ck_assert_int_eq(p.ir.expects.v[4].verdict, VERDICT_UNREACHABLE);
	ck_assert_str_eq(p.ir.expects.v[0].text, "expect pc1 -> \"srv 1\" icmp protected by hq-branch;");
	parsed_free(&p);
}
END_TEST

/* A name or plain string written again takes the text read before
 * (issue 15: a hub's spokes repeat the hub's, proposals' and key file's
 * names); an escaped string is still unescaped, and differing texts stay
 * apart. */
START_TEST(test_repeated_names_share_text)
{
	struct parsed p;
	parse_text(&p,
		   "tunnel a { between hub-gw and s1; ike hub; psk file \"hub.psk\"; }\n"
		   "tunnel b { between hub-gw and s2; ike hub; psk file \"hub.psk\"; }\n"
		   "tunnel c { between hub-gx and s3; ike \"hub\"; psk \"k\\\"y\"; }\n",
		   false);
	ck_assert(p.ok);
	const struct ir_tunnel *a = p.ir.tunnels.v[0], *b = p.ir.tunnels.v[1], *c = p.ir.tunnels.v[2];
	ck_assert_ptr_eq(a->end[0].gw.name, b->end[0].gw.name);
	ck_assert_ptr_eq(a->ike.name, b->ike.name);
	ck_assert_ptr_eq(a->ike.name, c->ike.name);     /* "hub" as a string too */
	ck_assert_ptr_eq(a->psk.value, b->psk.value);
	ck_assert_str_eq(a->psk.value, "hub.psk");
	ck_assert_str_eq(c->end[0].gw.name, "hub-gx");
	ck_assert_str_eq(a->end[1].gw.name, "s1");
	ck_assert_str_eq(b->end[1].gw.name, "s2");
	ck_assert_str_eq(c->psk.value, "k\"y");
	parsed_free(&p);
}
END_TEST

/* An address token's text is parsed by its rule's action and not kept
 * (issue 15: a spoke writes four, some 55 bytes of the arena): writing an
 * address takes no more of the arena than not writing it; and the rules
 * that hold two addresses and read on before their action (`nat static A
 * to B`, `expect A -> B`, a route with `dev` and `metric`) still see each
 * its own text. */
START_TEST(test_address_texts_not_kept)
{
	struct parsed with, without;
	parse_text(&with, "site s { gateway g { interface wan { address 100.64.0.1/30; } } }", false);
	parse_text(&without, "site s { gateway g { interface wan { } } }", false);
	ck_assert(with.ok && without.ok);
	ck_assert_uint_eq(with.ir.arena.total, without.ir.arena.total);
	ck_assert(with.ir.gateways.v[0]->interfaces.v[0]->has_address);
	parsed_free(&with);
	parsed_free(&without);

	struct parsed p;
	parse_text(&p,
		   "site a { subnet 10.1.0.0/16; host h 10.1.0.9;\n"
		   " gateway ga { interface wan { address 203.0.113.1/24; outside; behind-nat 100.64.0.7; }\n"
		   "  interface lan { address 10.1.0.1/16; }\n"
		   "  route 10.8.0.0/16 via 203.0.113.254 dev wan metric 7;\n"
		   "  route default via 203.0.113.253;\n"
		   "  nat { static 10.1.0.5 to 203.0.113.5; } } }\n"
		   "expect 10.1.0.9 -> 10.8.0.1 tcp 80 protected;\n"
		   "expect 2001:db8::1 -> 2001:db8::2 dropped;\n",
		   false);
	ck_assert(p.ok);
	const struct ir_gateway *g = p.ir.gateways.v[0];
	char buf[ADDR_STRLEN];
	prefix_format(&g->interfaces.v[0]->address, buf, sizeof(buf), false);
	ck_assert_str_eq(buf, "203.0.113.1/24");
	addr_format(&ir_iface_written(g->interfaces.v[0])->nat_address, buf, sizeof(buf));
	ck_assert_str_eq(buf, "100.64.0.7");
	prefix_format(&g->routes.v[0].dst.p, buf, sizeof(buf), false);
	ck_assert_str_eq(buf, "10.8.0.0/16");
	addr_format(&g->routes.v[0].via, buf, sizeof(buf));
	ck_assert_str_eq(buf, "203.0.113.254");
	ck_assert_uint_eq(g->routes.v[0].metric, 7);
	addr_format(&g->routes.v[1].via, buf, sizeof(buf));
	ck_assert_str_eq(buf, "203.0.113.253");
	addr_format(&g->nat.v[0].static_from, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.1.0.5");
	addr_format(&g->nat.v[0].static_to, buf, sizeof(buf));
	ck_assert_str_eq(buf, "203.0.113.5");
	addr_format(&p.ir.hosts.v[0]->addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "10.1.0.9");
	prefix_format(&p.ir.expects.v[0].src.prefix.p, buf, sizeof(buf), false);
	ck_assert_str_eq(buf, "10.1.0.9/32");
	prefix_format(&p.ir.expects.v[0].dst.prefix.p, buf, sizeof(buf), false);
	ck_assert_str_eq(buf, "10.8.0.1/32");
	prefix_format(&p.ir.expects.v[1].src.prefix.p, buf, sizeof(buf), false);
	ck_assert_str_eq(buf, "2001:db8::1/128");
	prefix_format(&p.ir.expects.v[1].dst.prefix.p, buf, sizeof(buf), false);
	ck_assert_str_eq(buf, "2001:db8::2/128");
	parsed_free(&p);
}
END_TEST

/* An interface's filters live in its seldom-written block (issue 15):
 * one with a filter has the block, read through ir_iface_written(); one
 * with none has no block and reads no filter. */
START_TEST(test_iface_filters_out_of_line)
{
	struct parsed p;
	parse_text(&p,
		   "site a { gateway ga {\n"
		   "  interface wan { address 203.0.113.1/24; outside;\n"
		   "    filter out { permit any -> any; default drop; } }\n"
		   "  interface lan { address 10.1.0.1/16; } } }\n",
		   false);
	ck_assert(p.ok);
	const struct ir_interface *wan = p.ir.gateways.v[0]->interfaces.v[0];
	const struct ir_interface *lan = p.ir.gateways.v[0]->interfaces.v[1];
	ck_assert_ptr_nonnull(wan->written);
	ck_assert_ptr_null(ir_iface_written(wan)->filter_in);
	ck_assert_ptr_nonnull(ir_iface_written(wan)->filter_out);
	ck_assert_int_eq(ir_iface_written(wan)->filter_out->default_action, FILTER_DROP);
	ck_assert_uint_eq(ir_iface_written(wan)->filter_out->rules.n, 1);
	ck_assert_int_eq(ir_iface_written(wan)->mtu, 1500);
	ck_assert(!ir_iface_written(wan)->behind_nat);
	ck_assert_ptr_null(lan->written);
	ck_assert_ptr_null(ir_iface_written(lan)->filter_in);
	ck_assert_ptr_null(ir_iface_written(lan)->filter_out);
	parsed_free(&p);
}
END_TEST

START_TEST(test_keyword_as_quoted_name)
{
	struct parsed p;
	parse_text(&p, "site \"site\" { subnet 10.0.0.0/8; host \"host\" 10.0.0.1; }", true);
	ck_assert(p.ok);
	ck_assert_str_eq(p.ir.sites.v[0]->name, "site");
	ck_assert_str_eq(p.ir.hosts.v[0]->name, "host");
	parsed_free(&p);
}
END_TEST

START_TEST(test_three_syntax_errors_reported)
{
	struct parsed p;
	parse_text(&p,
		   "ike a { version 1 encryption aes256; }\n"   /* missing ';' */
		   "site s { subnet 10.0.0.0/8; host h; }\n"    /* host without address */
		   "tunnel t { between x and ; }\n",            /* missing name */
		   false);
	ck_assert(!p.ok);
	ck_assert_uint_eq(count_check(&p, "syntax"), 3);
	unsigned line, col;
	diag_pos(&p, 0, &line, &col);
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 18);             /* just after "version 1" */
	diag_pos(&p, 1, &line, &col);
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 35);
	diag_pos(&p, 2, &line, &col);
	ck_assert_uint_eq(line, 3);
	ck_assert_uint_eq(col, 26);
	ck_assert_str_eq(diag_message(&p.diags.v[0]), "expected ';' after '1'");
	parsed_free(&p);
}
END_TEST

/* The only message of P is at LINE:COL and contains TEXT. */
static void assert_one(struct parsed *p, unsigned line, unsigned col, const char *text)
{
	ck_assert_msg(p->diags.n == 1, "%zu diagnostics, first: %s", p->diags.n,
		      p->diags.n ? diag_message(&p->diags.v[0]) : "");
	unsigned l, c;
	diag_pos(p, 0, &l, &c);
	ck_assert_msg(l == line && c == col, "at %u:%u, want %u:%u: %s", l, c, line, col,
		      diag_message(&p->diags.v[0]));
	ck_assert_msg(strstr(diag_message(&p->diags.v[0]), text), "'%s' lacks '%s'",
		      diag_message(&p->diags.v[0]), text);
}

START_TEST(test_keywords_as_names)
{
	struct parsed p;
	parse_text(&p,
		   "ike ike { version 1; encryption aes128; integrity sha1; group 2; }\n"
		   "ipsec default { encryption aes128; integrity sha1; }\n"
		   "site default { subnet 10.1.0.0/16; host host 10.1.0.5;\n"
		   "  gateway pix { platform pix;\n"
		   "    interface outside { address 198.51.100.1/24; outside; }\n"
		   "    interface inside { address 10.1.0.1/16; }\n"
		   "    route default via 198.51.100.254 dev outside;\n"
		   "    nat { exempt tunnels; overload 10.1.0.0/16 on outside; } } }\n"
		   "peer site { address 203.0.113.9; subnet 10.9.0.0/16; }\n"
		   "tunnel tunnel { between pix and site; ike ike; psk env \"K\";\n"
		   "  \"site\" { local 10.9.0.0/16; } }\n"   /* `site {` here would start a site */
		   "expect host -> site protected by tunnel;\n",
		   true);
	ck_assert_msg(p.ok, "%s", p.diags.n ? diag_message(&p.diags.v[0]) : "");
	ck_assert_str_eq(p.ir.ikes.v[0]->name, "ike");
	ck_assert_str_eq(p.ir.sites.v[0]->name, "default");
	ck_assert_str_eq(p.ir.hosts.v[0]->name, "host");
	struct ir_gateway *g = ir_find_gateway(&p.ir, "pix");
	ck_assert_ptr_nonnull(g);
	ck_assert_str_eq(g->interfaces.v[0]->name, "outside");
	ck_assert(g->interfaces.v[0]->outside);
	ck_assert_str_eq(g->interfaces.v[1]->name, "inside");
	ck_assert(!g->interfaces.v[1]->outside);
	struct ir_tunnel *t = ir_find_tunnel(&p.ir, "tunnel");
	ck_assert_ptr_nonnull(t);
	ck_assert_str_eq(t->end[1].gw.name, "site");
	ck_assert(t->end[1].has_block);
	parsed_free(&p);
}
END_TEST

/* Every keyword is found in the scanner's table (through its hash):
 * one that was not would scan as a name, and `mode NAME;` is valid syntax
 * while `mode KEYWORD;` is not.  (`on` is also a value, so not listed.) */
START_TEST(test_every_keyword_scans)
{
	static const char *const keywords[] = {
		"accept-unsecured", "address", "and", "any", "behind-nat", "between", "by", "clear",
		"default", "dev", "drop", "dropped", "encryption", "env", "exempt", "expect", "file",
		"filter", "gateway", "group", "host", "ike", "in", "include", "integrity",
		"interface", "ipsec", "keying", "lifetime", "local", "local-endpoint", "metric",
		"mirrored", "mode", "nat", "nat-traversal", "out", "outside", "overload",
		"pat", "peer", "permit", "pfs", "platform", "protected", "protocol", "psk", "remote",
		"remote-endpoint", "route", "site", "static", "subnet", "to", "tunnel", "tunnels",
		"unreachable", "version", "via",
	};
	for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
		char text[128];
		snprintf(text, sizeof(text), "ike a { mode %s; }", keywords[i]);
		struct parsed p;
		parse_text(&p, text, false);
		ck_assert_msg(count_check(&p, "syntax") >= 1, "'%s' does not scan as a keyword",
			      keywords[i]);
		parsed_free(&p);
	}
}
END_TEST

START_TEST(test_missing_semicolon_before_brace)
{
	/* Reported once, after the token it should follow; the next block
	 * (with its pfs line) is parsed as its own. */
	struct parsed p;
	parse_text(&p,
		   "ike a { version 1; encryption aes128; integrity sha1; group 14 }\n"
		   "ipsec b { encryption aes128; integrity sha1; pfs 14; }\n",
		   false);
	assert_one(&p, 1, 63, "expected ';' after '14'");
	ck_assert_uint_eq(p.ir.ipsecs.n, 1);
	ck_assert_uint_eq(p.ir.ipsecs.v[0]->pfs, 14);
	ck_assert_uint_eq(p.ir.ikes.v[0]->group.n, 1);
	parsed_free(&p);

	/* On its own line, between statements. */
	parse_text(&p, "site s {\n  subnet 10.0.0.0/8\n  host h 10.0.0.1;\n}\n", false);
	assert_one(&p, 2, 20, "expected ';' after '10.0.0.0/8'");
	ck_assert_uint_eq(p.ir.hosts.n, 1);
	parsed_free(&p);

	/* A key is never quoted back. */
	parse_text(&p, "tunnel t { psk \"s3cret\" }\n", false);
	assert_one(&p, 1, 24, "expected ';' after the string");
	ck_assert_ptr_null(strstr(diag_message(&p.diags.v[0]), "s3cret"));
	parsed_free(&p);
}
END_TEST

START_TEST(test_open_block_reported_where_opened)
{
	struct parsed p;
	parse_text(&p,
		   "ike a { version 1; encryption aes128; integrity sha1; group 14; }\n"
		   "site s {\n"
		   "  subnet 10.1.0.0/16;\n"
		   "\n"
		   "site t { subnet 10.2.0.0/16; }\n",
		   false);
	assert_one(&p, 2, 8, "site 's' is not closed");
	ck_assert_uint_eq(p.diags.v[0].n_related, 1);
	ck_assert_uint_eq(p.ir.sites.n, 2);     /* and site t is parsed on its own */
	parsed_free(&p);

	parse_text(&p, "tunnel t { between a and b;\n  a { local 10.0.0.0/8;\n", false);
	ck_assert_uint_eq(p.diags.n, 2);        /* both blocks, innermost first */
	unsigned line, col;
	diag_pos(&p, 0, &line, &col);
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 5);
	diag_pos(&p, 1, &line, &col);
	ck_assert_uint_eq(line, 1);
	ck_assert_uint_eq(col, 10);
	parsed_free(&p);
}
END_TEST

START_TEST(test_did_you_mean)
{
	struct parsed p;
	parse_text(&p, "ike a { encrption aes128; }\n", false);
	assert_one(&p, 1, 9, "unknown keyword 'encrption'; did you mean 'encryption'?");
	parsed_free(&p);

	parse_text(&p, "tunnel t { betwen a and b; }\n", false);
	assert_one(&p, 1, 12, "did you mean 'between'?");
	parsed_free(&p);

	parse_text(&p, "ike a { encryption aes257; integrity sha265; group 41; }\n", false);
	ck_assert_uint_eq(p.diags.n, 3);
	ck_assert_ptr_nonnull(strstr(diag_message(&p.diags.v[0]), "; did you mean 'aes256'?"));
	ck_assert_ptr_nonnull(strstr(diag_message(&p.diags.v[1]), "; did you mean 'sha256'?"));
	ck_assert_ptr_null(strstr(diag_message(&p.diags.v[2]), "did you mean"));  /* 1, 14 or 21 */
	parsed_free(&p);

	parse_text(&p, "site s { gateway g { platform cisco-ios; } gateway h { platform lnux; } }\n", false);
	ck_assert_uint_eq(p.diags.n, 2);
	ck_assert_ptr_null(strstr(diag_message(&p.diags.v[0]), "did you mean"));
	ck_assert_ptr_nonnull(strstr(diag_message(&p.diags.v[1]), "did you mean 'linux'?"));
	parsed_free(&p);

	parse_text(&p,
		   "ike default { version 1; encryption aes128; integrity sha1; group 14; }\n"
		   "ipsec default { encryption aes128; integrity sha1; }\n"
		   "site a { subnet 10.1.0.0/16; host pc1 10.1.0.9; gateway rtr-a { interface e0 {\n"
		   "  address 198.51.100.1/24; outside; } route default via 198.51.100.2 dev e1; } }\n"
		   "site b { subnet 10.2.0.0/16; gateway rtr-b { interface e0 { address 198.51.100.2/24; outside; } } }\n"
		   "tunnel t { between rtr-a and rtr-bb; psk env \"K\"; }\n"
		   "expect pc2 -> 10.2.0.1 protected;\n",
		   true);
	ck_assert(!p.ok);
	ck_assert_uint_eq(count_check(&p, "undefined-name"), 3);
	bool gw = false, host = false, dev = false;
	for (size_t i = 0; i < p.diags.n; i++) {
		const char *m = diag_message(&p.diags.v[i]);
		gw |= strstr(m, "'rtr-bb' is not defined; did you mean 'rtr-b'?") != NULL;
		host |= strstr(m, "'pc2' is neither a host nor a gateway; did you mean 'pc1'?") != NULL;
		dev |= strstr(m, "no interface named e1; did you mean 'e0'?") != NULL;
	}
	ck_assert(gw && host && dev);
	parsed_free(&p);
}
END_TEST

START_TEST(test_suggest)
{
	ck_assert_uint_eq(edit_distance("encryption", "encryption"), 0);
	ck_assert_uint_eq(edit_distance("encrpytion", "encryption"), 1);  /* a swap */
	ck_assert_uint_eq(edit_distance("encrption", "encryption"), 1);
	ck_assert_uint_eq(edit_distance("", "abc"), 3);
	struct arena a;
	arena_init(&a);
	struct suggest s;
	suggest_init(&s, "sha265");
	suggest_consider(&s, "sha256");
	suggest_consider(&s, "sha384");
	ck_assert_str_eq(suggest_text(&s, &a), "did you mean 'sha256'?");
	suggest_init(&s, "x");          /* one letter: nothing is a typo of it */
	suggest_consider(&s, "y");
	ck_assert_ptr_null(suggest_text(&s, &a));
	suggest_init(&s, "rtr-c");      /* two as close: both, sorted */
	suggest_consider(&s, "rtr-d");
	suggest_consider(&s, "rtr-b");
	ck_assert_str_eq(suggest_text(&s, &a), "did you mean 'rtr-b' or 'rtr-d'?");
	suggest_consider(&s, "rtr-e");  /* three: no guess */
	ck_assert_ptr_null(suggest_text(&s, &a));
	arena_free(&a);
}
END_TEST

/* The arena (issue 15): strings take their length and no alignment,
 * other blocks stay aligned for any type, a list just filled gives back
 * its unused room, and a reserved list holds what it was given. */
START_TEST(test_arena_layout)
{
	struct arena a;
	arena_init(&a);
	char *s1 = arena_strdup(&a, "t0"), *s2 = arena_strdup(&a, "t1");
	ck_assert_ptr_eq(s2, s1 + 3);           /* "t0\0" then "t1" */
	ck_assert_str_eq(s1, "t0");
	ck_assert_str_eq(arena_printf(&a, "%s-%d", "hub", 7), "hub-7");
	void *p = arena_alloc(&a, 24);
	ck_assert_uint_eq((uintptr_t)p % _Alignof(max_align_t), 0);
	ck_assert_uint_eq(((unsigned char *)p)[23], 0);   /* arena_alloc zeroes */

	ir_prefix_vec v = {0};
	struct ir_prefix x = {.p = {.len = 24}};
	arena_vec_push(&a, &v, x);              /* room for four */
	size_t before = a.total;
	arena_vec_shrink(&a, &v);
	ck_assert_uint_eq(v.cap, 1);
	ck_assert_uint_eq(before - a.total, 3 * sizeof(struct ir_prefix));
	char *next = arena_strdup(&a, "x");
	ck_assert_ptr_eq(next, (char *)(v.v + 1));      /* the room was given back */
	arena_vec_shrink(&a, &v);               /* no longer the newest: kept */
	ck_assert_uint_eq(v.cap, 1);
	arena_vec_push(&a, &v, x);              /* full: grows into a new block */
	ck_assert_uint_eq(v.n, 2);
	ck_assert_uint_eq(v.v[1].p.len, 24);

	ARENA_VEC(int) w = {0};
	arena_vec_push(&a, &w, 5);
	arena_vec_reserve(&a, &w, 3);
	ck_assert_uint_eq(w.cap, 4);            /* four already: nothing to do */
	arena_vec_reserve(&a, &w, 9);
	ck_assert_uint_eq(w.cap, 9);
	ck_assert_int_eq(w.v[0], 5);
	int *old = w.v;
	for (int i = 1; i < 9; i++)
		arena_vec_push(&a, &w, i);
	ck_assert_ptr_eq(w.v, old);             /* no growth within the reservation */
	arena_free(&a);
}
END_TEST

/* Typed blocks and lists are aligned for their type alone (issue 15): two
 * 72-byte sites follow each other with no rounding to 16, a one-prefix
 * list after a string starts at the next multiple of 4, and arena_alloc
 * still aligns for any type. */
START_TEST(test_arena_type_alignment)
{
	struct arena a;
	arena_init(&a);
	(void)arena_strdup(&a, "x");
	struct ir_site *s1 = arena_new(&a, struct ir_site);
	struct ir_site *s2 = arena_new(&a, struct ir_site);
	ck_assert_uint_eq((uintptr_t)s1 % _Alignof(struct ir_site), 0);
	ck_assert_ptr_eq((char *)s2, (char *)s1 + sizeof(struct ir_site));
	ck_assert_uint_eq(((unsigned char *)s2)[sizeof(*s2) - 1], 0);   /* zeroed */

	char *str = arena_strdup(&a, "ab");
	ir_prefix_vec v = {0};
	arena_vec_push(&a, &v, ((struct ir_prefix){.p = {.len = 8}}));
	ck_assert_uint_eq((uintptr_t)v.v % _Alignof(struct ir_prefix), 0);
	uintptr_t want = ((uintptr_t)(str + 3) + _Alignof(struct ir_prefix) - 1) &
			 ~(uintptr_t)(_Alignof(struct ir_prefix) - 1);
	ck_assert_uint_eq((uintptr_t)v.v, want);
	arena_vec_shrink(&a, &v);
	struct ir_interface *i = arena_new(&a, struct ir_interface);
	ck_assert_uint_eq((uintptr_t)i % _Alignof(struct ir_interface), 0);
	ck_assert_uint_lt((char *)i - (char *)(v.v + 1), (ptrdiff_t)_Alignof(struct ir_interface));

	(void)arena_strdup(&a, "y");
	void *any = arena_alloc(&a, 24);
	ck_assert_uint_eq((uintptr_t)any % _Alignof(max_align_t), 0);
	arena_free(&a);
}
END_TEST

/* Allocation's fast path (issue 15) stops at each chunk's prefaulted
 * window and at its end: 40 MB in blocks of odd sizes, through small
 * chunks, big ones and many prefault windows, each block where it should
 * be, aligned, zeroed and apart from the others. */
START_TEST(test_arena_windows)
{
	struct arena a;
	arena_init(&a);
	unsigned char *prev = NULL;
	size_t prev_size = 0, total = 0, jumps = 0;
	for (size_t i = 0; total < 40u * 1024 * 1024; i++) {
		size_t size = 1 + (i * 7919) % 4093;
		unsigned char *p = arena_alloc(&a, size);
		ck_assert_uint_eq((uintptr_t)p % _Alignof(max_align_t), 0);
		ck_assert_uint_eq(p[0] | p[size - 1], 0);
		memset(p, 0xa5, size);
		ck_assert(!prev || p >= prev + prev_size || p + size <= prev);
		/* Right after the previous block (rounded up), but in a new
		 * chunk: chunks double up to 16 MiB, so about a dozen. */
		if (prev && p != prev + ((prev_size + _Alignof(max_align_t) - 1) &
					 ~(_Alignof(max_align_t) - 1)))
			jumps++;
		prev = p;
		prev_size = size;
		total += size;
	}
	ck_assert_uint_le(jumps, 16);
	ck_assert_uint_eq(a.total, total);
	arena_free(&a);
}
END_TEST

/* The lists of one element per spoke grow on the heap; every list counts
 * in 32 bits (issue 15: a spoke's IR holds a dozen). */
START_TEST(test_vec_sizes)
{
	ARENA_VEC(struct ir_tunnel *) v = {0};
	ck_assert_uint_eq(sizeof(v), 16);
	struct ir_tunnel t[3];
	for (size_t i = 0; i < 100000; i++)
		heap_vec_push(&v, &t[i % 3]);
	ck_assert_uint_eq(v.n, 100000);
	ck_assert_uint_ge(v.cap, v.n);
	ck_assert_ptr_eq(v.v[99999], &t[0]);
	free(v.v);
	/* An end that writes nothing of its own holds no copy of the tunnel's
	 * proposals, key or statement locations. */
	ck_assert_uint_le(sizeof(struct ir_tunnel_end), 176);
}
END_TEST

/* The cloud rows (issue 12): a peer takes them, a gateway does not; each
 * vocabulary names exactly what the row's masks offer, so the peer sheet
 * and the checks cannot disagree. */
static uint64_t names_mask(const struct platform_name *l)
{
	uint64_t m = 0;
	for (; l && l->name; l++)
		m |= UINT64_C(1) << l->id;
	return m;
}

START_TEST(test_cloud_rows)
{
	static const enum platform_id cloud[] = {PLAT_AWS, PLAT_AZURE, PLAT_GCP};
	for (size_t i = 0; i < sizeof(cloud) / sizeof(cloud[0]); i++) {
		const struct platform_info *p = platform_find(cloud[i], NULL);
		ck_assert_ptr_nonnull(p);
		ck_assert(p->peer_only && p->rules && p->vocab && !p->emit_target);
		ck_assert_uint_eq(names_mask(p->vocab->ike_enc), p->ike_encryption);
		ck_assert_uint_eq(names_mask(p->vocab->ike_integ), p->ike_integrity);
		ck_assert_uint_eq(names_mask(p->vocab->ike_groups), p->dh_groups);
		/* ESP: the AEAD ciphers' `integrity none` has no name of its own
		 * except where the provider spells it (Azure). */
		ck_assert_uint_eq(names_mask(p->vocab->esp_enc), p->esp_encryption);
		ck_assert_uint_eq(names_mask(p->vocab->esp_integ) | BIT(INTEG_NONE), p->esp_integrity);
		uint64_t pfs = p->rules->pfs_groups ? p->rules->pfs_groups : p->dh_groups;
		ck_assert_uint_eq(names_mask(p->vocab->pfs_groups), pfs);
		if (p->rules->ike_lifetime_min && p->rules->ike_lifetime_max)
			ck_assert_uint_lt(p->rules->ike_lifetime_min, p->rules->ike_lifetime_max);
		const char *name = platform_name(cloud[i]);
		char text[200];
		snprintf(text, sizeof(text), "peer p { address 192.0.2.1; platform %s; }", name);
		struct parsed ok;
		parse_text(&ok, text, false);
		ck_assert_msg(ok.ok, "%s", ok.diags.n ? diag_message(&ok.diags.v[0]) : "");
		ck_assert_ptr_eq(ok.ir.gateways.v[0]->pinfo, p);
		parsed_free(&ok);
		snprintf(text, sizeof(text), "site s { gateway g { platform %s; } }", name);
		struct parsed bad;
		parse_text(&bad, text, false);
		ck_assert(!bad.ok);
		ck_assert_str_eq(bad.diags.v[0].check, "unknown-platform");
		ck_assert_ptr_nonnull(strstr(diag_message(&bad.diags.v[0]), "describes a peer"));
		parsed_free(&bad);
	}
}
END_TEST

START_TEST(test_device_versions)
{
	static const struct { const char *text; enum platform_id id; const char *row; } ok[] = {
		{"platform ios 15.4(3)M", PLAT_IOS, "15"},
		{"platform ios 12.4(24)T", PLAT_IOS, "12.4"},
		{"platform ios 15.2", PLAT_IOS, "15"},
		{"platform pix 6.3(5)", PLAT_PIX, "6.3"},
		{"platform windows 2012r2", PLAT_WINDOWS, "2012"},
		{"platform windows 2008R2", PLAT_WINDOWS, "2008"},
		{"platform windows 2016", PLAT_WINDOWS, "2016"},
		{"platform windows 2019", PLAT_WINDOWS, "2019"},
		{"platform linux 6.1.0-13-amd64", PLAT_LINUX, ""},
		{"platform linux 5.10.0-21-cloud-amd64", PLAT_LINUX, ""},
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		char text[200];
		snprintf(text, sizeof(text), "site s { gateway g { %s; } }", ok[i].text);
		struct parsed p;
		parse_text(&p, text, false);
		ck_assert_msg(p.ok, "%s: %s", ok[i].text, p.diags.n ? diag_message(&p.diags.v[0]) : "");
		const struct ir_gateway *g = p.ir.gateways.v[0];
		ck_assert_int_eq(g->platform, ok[i].id);
		ck_assert_str_eq(g->pinfo->version_match, ok[i].row);
		parsed_free(&p);
	}
	static const char *const bad[] = {
		"platform ios 16.9(1)", "platform pix 6.2(1)", "platform windows 2016r2",
		"platform windows 2012sp1", "platform ios 15.4-2",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[200];
		snprintf(text, sizeof(text), "site s { gateway g { %s; } }", bad[i]);
		struct parsed p;
		parse_text(&p, text, false);
		ck_assert_msg(!p.ok, "accepted: %s", bad[i]);
		ck_assert_uint_eq(count_check(&p, "unknown-platform"), 1);
		ck_assert_ptr_nonnull(strstr(diag_message(&p.diags.v[0]), "version"));
		parsed_free(&p);
	}
}
END_TEST

START_TEST(test_lexical_errors)
{
	static const char *const bad[] = {
		"site s { subnet \"10.0.0.0/8; }",      /* unterminated string */
		"site s { subnet 10.0.0.0/8; } $",      /* invalid character */
		"site s { subnet 10.0.0.0/8;",          /* end of file inside a block */
		"ike a { lifetime 10x; }",              /* bad duration */
		"ike a { lifetime 10G; }",              /* a volume where a duration goes */
		"site s { subnet 10.0.0.0/8 }",         /* missing ';' before '}' */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct parsed p;
		parse_text(&p, bad[i], true);
		ck_assert_msg(!p.ok, "accepted: %s", bad[i]);
		ck_assert_msg(p.diags.n >= 1, "no diagnostic for: %s", bad[i]);
		ck_assert(p.diags.v[0].front_end);
		parsed_free(&p);
	}
}
END_TEST

START_TEST(test_value_errors)
{
	struct parsed p;
	parse_text(&p,
		   "ike a { encryption aes999; integrity none; group 3; version 3; mode fast; }\n"
		   "ipsec b { encryption null; protocol gre; pfs 7; lifetime 0; }\n"
		   "site s { subnet 10.0.0.0/33, 300.1.1.1, 10.1.1.1/8; }\n",
		   false);
	ck_assert(!p.ok);
	/* aes999, none for IKE, group 3, version 3, mode fast, protocol gre,
	 * pfs 7, lifetime 0, /33, 300.1.1.1 and the host bits of 10.1.1.1/8 */
	ck_assert_uint_eq(p.diags.n, 11);
	ck_assert_uint_eq(count_check(&p, "host-bits"), 1);
	ck_assert_ptr_nonnull(p.diags.v[10].fix.fmt);
	ck_assert_ptr_nonnull(strstr(diag_message(&p.diags.v[10]), "did you mean '10.0.0.0/8'"));
	parsed_free(&p);
}
END_TEST

/* ---- resolution ---- */

static const char *const two_sites =
	"ike default { version 1; encryption aes128; integrity sha1; group 14; }\n"
	"ipsec default { encryption aes128; integrity sha1; }\n"
	"site a { subnet 10.1.0.0/16; gateway ga { interface wan { address 198.51.100.1/24; outside; }\n"
	"  interface wan2 { address 192.0.2.1/24; outside; }\n"
	"  interface lan { address 10.1.0.1/16; } route default via 198.51.100.254;\n"
	"  route 100.64.0.0/24 via 192.0.2.254; } }\n"
	"site b { subnet 10.2.0.0/16, 10.3.0.0/16; gateway gb { interface wan { address 203.0.113.1/24; outside; behind-nat 100.64.0.1; }\n"
	"  interface lan { address 10.2.0.1/16; } route default via 203.0.113.254; } }\n"
	"tunnel ab { between ga and gb; psk env \"AB\"; }\n";

START_TEST(test_resolve_defaults_and_endpoints)
{
	struct parsed p;
	parse_text(&p, two_sites, true);
	ck_assert(p.ok);
	struct ir_tunnel *t = ir_find_tunnel(&p.ir, "ab");
	struct ir_tunnel_end *a = &t->end[0], *b = &t->end[1];
	ck_assert_str_eq(ir_end_ike(a)->name, "default");
	ck_assert_str_eq(ir_end_ipsec(b)->name, "default");
	ck_assert_uint_eq(a->local.n, 1);
	ck_assert_uint_eq(a->remote.n, 2);
	ck_assert_uint_eq(b->local.n, 2);
	char buf[ADDR_STRLEN];
	/* gb is seen at 100.64.0.1 (behind NAT); ga routes that by wan2: its endpoint. */
	addr_format(&a->local_endpoint, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.0.2.1");
	ck_assert_str_eq(a->endpoint_iface->name, "wan2");
	/* gb is behind NAT: ga is configured with the address the world sees. */
	addr_format(&a->remote_endpoint, buf, sizeof(buf));
	ck_assert_str_eq(buf, "100.64.0.1");
	addr_format(&b->remote_endpoint, buf, sizeof(buf));
	ck_assert_str_eq(buf, "192.0.2.1");
	ck_assert(ir_end_ike(a)->used);
	parsed_free(&p);
}
END_TEST

/* What a tunnel rarely writes (route-based, tcp-mss, dpd; endpoints and
 * Windows flags as written) is out of line: a tunnel that writes none
 * carries no block and reads the defaults; one that does gives each end a
 * merged block of its own, and the per-end block keeps what it wrote
 * (engine.xml and import write the blocks back). */
START_TEST(test_rare_settings_out_of_line)
{
	static const char *const text =
		"ike default { version 2; encryption aes128; integrity sha256; group 14; }\n"
		"ipsec default { encryption aes128; integrity sha256; }\n"
		"site a { subnet 10.1.0.0/16; gateway ga { interface wan { address 198.51.100.1/24; outside; }\n"
		"  interface lan { address 10.1.0.1/16; } route default via 198.51.100.254; } }\n"
		"site b { subnet 10.2.0.0/16; gateway gb { interface wan { address 203.0.113.1/24; outside; }\n"
		"  interface lan { address 10.2.0.1/16; } route default via 203.0.113.254; } }\n"
		"tunnel plain { between ga and gb; psk env \"AB\"; }\n"
		"tunnel rb { between ga and gb; psk env \"AB\"; route-based 169.254.10.0/30; tcp-mss 1300;\n"
		"  gb { dpd 10s; } }\n";
	struct parsed p;
	parse_text(&p, text, true);
	ck_assert(p.ok);
	const struct ir_tunnel *plain = ir_find_tunnel(&p.ir, "plain");
	ck_assert_ptr_null(plain->link);
	for (int i = 0; i < 2; i++) {
		const struct ir_tunnel_end *e = &plain->end[i];
		ck_assert_ptr_null(e->link);
		ck_assert_ptr_null(e->written);
		ck_assert(!ir_end_route_based(e)->set);
		ck_assert_int_eq(ir_end_tcp_mss(e)->mode, TCP_MSS_UNSET);
		ck_assert(!ir_end_dpd(e)->set);
		ck_assert(!ir_end_written(e)->local_endpoint_set && !ir_end_written(e)->mirrored);
	}

	const struct ir_tunnel *rb = ir_find_tunnel(&p.ir, "rb");
	ck_assert(ir_tunnel_route_based(rb)->set);
	ck_assert(!ir_tunnel_dpd(rb)->set);
	const struct ir_tunnel_end *ga = &rb->end[0], *gb = &rb->end[1];
	ck_assert_ptr_ne(ga->link, gb->link);
	ck_assert(ir_end_route_based(ga)->set && ir_end_route_based(gb)->set);
	ck_assert_uint_eq(ir_end_tcp_mss(ga)->value, 1300);
	ck_assert_uint_eq(ir_end_tcp_mss(gb)->value, 1300);
	ck_assert(!ir_end_dpd(ga)->set);
	ck_assert_uint_eq(ir_end_dpd(gb)->interval_s, 10);
	char buf[ADDR_STRLEN];
	addr_format(&ir_end_tunnel_address(ga)->addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "169.254.10.1");
	addr_format(&ir_end_tunnel_address(gb)->addr, buf, sizeof(buf));
	ck_assert_str_eq(buf, "169.254.10.2");
	/* The block as written: its dpd, not the tunnel's route-based or MSS. */
	ck_assert_uint_eq(rb->end_blocks.n, 1);
	const struct ir_tunnel_end *blk = rb->end_blocks.v[0];
	ck_assert(ir_end_dpd(blk)->set);
	ck_assert(!ir_end_route_based(blk)->set);
	ck_assert_int_eq(ir_end_tcp_mss(blk)->mode, TCP_MSS_UNSET);
	parsed_free(&p);
}
END_TEST

START_TEST(test_resolve_errors)
{
	struct parsed p;
	parse_text(&p,
		   "ike x { } ike x { }\n"
		   "site a { subnet 10.1.0.0/16; gateway g { interface e { address 10.1.0.1/16; } } }\n"
		   "site a { }\n"
		   "tunnel t { between g and nowhere; ike missing; psk env \"K\"; nobody { local any; } }\n"
		   "tunnel u { between g and g; psk env \"K\"; }\n"
		   "tunnel v { psk env \"K\"; }\n"
		   "expect ghost -> 10.0.0.1 clear by nope;\n",
		   true);
	ck_assert(!p.ok);
	ck_assert_uint_eq(count_check(&p, "duplicate-name"), 2);
	/* nowhere, missing, nobody, ghost, nope */
	ck_assert_uint_eq(count_check(&p, "undefined-name"), 5);
	/* the duplicate points back at the first definition */
	ck_assert_uint_eq(p.diags.v[0].n_related, 1);
	parsed_free(&p);
}
END_TEST

START_TEST(test_missing_proposal_and_endpoint)
{
	struct parsed p;
	parse_text(&p,
		   "site a { subnet 10.1.0.0/16; gateway g { interface e { address 10.1.0.1/16; } } }\n"
		   "peer q { address 192.0.2.9; subnet 10.9.0.0/16; }\n"
		   "tunnel t { between g and q; }\n",
		   true);
	ck_assert(!p.ok);
	bool no_ike = false, no_outside = false, no_psk = false;
	for (size_t i = 0; i < p.diags.n; i++) {
		const char *m = diag_message(&p.diags.v[i]);
		no_ike |= strstr(m, "no ike proposal") != NULL;
		no_outside |= strstr(m, "no outside interface") != NULL;
		no_psk |= strstr(m, "no pre-shared key") != NULL;
	}
	ck_assert(no_ike && no_outside && no_psk);
	parsed_free(&p);
}
END_TEST

START_TEST(test_any_follows_family)
{
	struct parsed p;
	parse_text(&p,
		   "ike default { version 2; encryption aes128; integrity sha256; group 19; }\n"
		   "ipsec default { encryption aes128-gcm; integrity none; }\n"
		   "site a { subnet 2001:db8:a::/48; gateway g { interface e { address 2001:db8:ffff::1/64; outside; } } }\n"
		   "peer q { address 2001:db8:ffff::2; subnet 2001:db8:b::/48; }\n"
		   "tunnel t { between g and q; psk env \"K\"; g { local any; } }\n",
		   true);
	ck_assert(p.ok);
	struct ir_tunnel_end *e = &ir_find_tunnel(&p.ir, "t")->end[0];
	ck_assert_int_eq(e->local.v[0].p.addr.family, AF_V6);
	ck_assert_uint_eq(e->local.v[0].p.len, 0);
	parsed_free(&p);
}
END_TEST

/* ---- secrets in the sources ---- */

static const char *shown(struct source_set *s, uint32_t f, unsigned line)
{
	static char buf[256];
	size_t len;
	char *to_free;
	const char *t = source_line_shown(s, f, line, &len, &to_free, NULL, NULL);
	snprintf(buf, sizeof(buf), "%.*s", (int)len, t);
	free(to_free);
	return buf;
}

START_TEST(test_mark_secret)
{
	struct source_set s;
	source_set_init(&s);
	const char *text = "key AAAA x\nkey BBBB y\nkey CCCC z\nplain\n";
	uint32_t f = source_add_buffer(&s, "t", text, strlen(text));
	/* Out of file order, a repeat, then the same offset longer. */
	source_mark_secret(&s, (struct tunc_loc){f, 26, 4});     /* CCCC */
	source_mark_secret(&s, (struct tunc_loc){f, 4, 4});      /* AAAA */
	source_mark_secret(&s, (struct tunc_loc){f, 26, 4});
	source_mark_secret(&s, (struct tunc_loc){f, 15, 2});     /* BB.. */
	source_mark_secret(&s, (struct tunc_loc){f, 15, 6});     /* BBBB y */
	source_mark_secret(&s, (struct tunc_loc){f, 15, 4});     /* shorter: kept longer */
	source_mark_secret(&s, (struct tunc_loc){0, 4, 4});      /* no file: nothing */
	source_mark_secret(&s, (struct tunc_loc){f, 4, 0});      /* empty: nothing */
	const struct source_file *sf = source_get(&s, f);
	ck_assert_uint_eq(sf->n_secrets, 3);
	for (size_t i = 1; i < sf->n_secrets; i++)
		ck_assert_uint_lt(sf->secrets[i - 1].offset, sf->secrets[i].offset);
	ck_assert_str_eq(shown(&s, f, 1), "key ******** x");
	ck_assert_str_eq(shown(&s, f, 2), "key ********");
	ck_assert_str_eq(shown(&s, f, 3), "key ******** z");
	ck_assert_str_eq(shown(&s, f, 4), "plain");
	source_set_free(&s);
}
END_TEST

/* A span that starts lines before (an unclosed string) still masks the
 * lines it reaches, among many short spans. */
START_TEST(test_mark_secret_spans_lines)
{
	struct source_set s;
	source_set_init(&s);
	char text[20000 * 8 + 1];
	size_t n = 0;
	for (int i = 0; i < 20000; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n, "k %04d\n", i % 10000);
	uint32_t f = source_add_buffer(&s, "t", text, n);
	for (int i = 0; i < 20000; i++)
		if (i != 100)
			source_mark_secret(&s, (struct tunc_loc){f, (uint32_t)(i * 7 + 2), 4});
	for (int i = 0; i < 20000; i++)         /* every one again: found, not added */
		source_mark_secret(&s, (struct tunc_loc){f, (uint32_t)(i * 7 + 2), 4});
	ck_assert_uint_eq(source_get(&s, f)->n_secrets, 20000);
	ck_assert_str_eq(shown(&s, f, 12345), "k ********");
	/* From line 99's key to line 102's end. */
	source_mark_secret(&s, (struct tunc_loc){f, 98 * 7 + 2, 3 * 7 + 4});
	ck_assert_str_eq(shown(&s, f, 101), "********");
	ck_assert_str_eq(shown(&s, f, 102), "********");
	ck_assert_str_eq(shown(&s, f, 103), "k ********");
	source_set_free(&s);
}
END_TEST

/* ---- released sources: lines read back ---- */

/* Writes TEXT to a new file in a fresh directory; its path in PATH. */
static void write_temp(char *path, size_t size, const char *text, size_t n)
{
	char dir[] = "/tmp/tunc-srcXXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, size, "%s/p.tun", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(text, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static void remove_temp(const char *path)
{
	char *dir = strdup(path);
	unlink(path);
	*strrchr(dir, '/') = '\0';
	rmdir(dir);
	free(dir);
}

/* Some 300 KB over several read-back windows: short and long lines, a
 * CRLF line, inline keys (one at a window's edge) and a last line without
 * a newline. */
static char *released_text(size_t *n)
{
	size_t cap = 400000, len = 0;
	char *t = malloc(cap);
	for (int i = 0; len < 300000; i++) {
		if (i % 97 == 5)
			len += (size_t)snprintf(t + len, cap - len, "tunnel t%d { psk \"key-%d-x\"; }\n",
						i, i);
		else if (i % 89 == 7)
			len += (size_t)snprintf(t + len, cap - len, "site s%d { }\r\n", i);
		else if (i % 1000 == 3) {
			len += (size_t)snprintf(t + len, cap - len, "# %d ", i);
			memset(t + len, 'x', 70000);    /* longer than a window */
			len += 70000;
			t[len++] = '\n';
		} else
			len += (size_t)snprintf(t + len, cap - len, "  line %d;\n", i);
	}
	len += (size_t)snprintf(t + len, cap - len, "last psk \"end\"");
	*n = len;
	return t;
}

struct shown_line {
	char *text;
	size_t len, from, to;
	bool masked;
};

static struct shown_line shown_at(struct source_set *s, uint32_t f, unsigned line)
{
	struct shown_line r = {.from = 3, .to = 9};
	char *to_free;
	const char *t = source_line_shown(s, f, line, &r.len, &to_free, &r.from, &r.to);
	r.text = t ? strndup(t, r.len) : NULL;
	r.masked = to_free != NULL;
	free(to_free);
	return r;
}

static void collect(void *arg, const char *piece, size_t n)
{
	struct { char *buf; size_t n; } *c = arg;
	memcpy(c->buf + c->n, piece, n);
	c->n += n;
}

/* Every line shown after the text is released (read back, a window at a
 * time, in order, backwards and at random) is the line shown before,
 * masks and columns too; the whole text reads back as it was. */
START_TEST(test_released_lines_read_back)
{
	size_t n;
	char *text = released_text(&n);
	char path[4200];
	write_temp(path, sizeof(path), text, n);
	struct source_set s;
	source_set_init(&s);
	uint32_t f = source_load(&s, path, LOC_NONE);
	ck_assert_uint_ne(f, 0);
	size_t lines = source_get(&s, f)->n_lines;
	ck_assert_uint_gt(lines, 1000);
	struct shown_line *before = calloc(lines + 2, sizeof(*before));
	for (unsigned l = 0; l <= lines + 1; l++)
		before[l] = shown_at(&s, f, l);
	source_release(&s, f);
	ck_assert_ptr_null(source_get(&s, f)->text);
	for (int pass = 0; pass < 3; pass++)
		for (unsigned k = 0; k <= lines + 1; k++) {
			unsigned l = pass == 0 ? k : pass == 1 ? (unsigned)(lines + 1 - k)
				     : (unsigned)((k * 7919u) % (lines + 2));
			struct shown_line after = shown_at(&s, f, l);
			ck_assert_ptr_nonnull(after.text);
			ck_assert_uint_eq(after.len, before[l].len);
			ck_assert_mem_eq(after.text, before[l].text, after.len);
			ck_assert_uint_eq(after.from, before[l].from);
			ck_assert_uint_eq(after.to, before[l].to);
			ck_assert_int_eq(after.masked, before[l].masked);
			size_t len;
			const char *plain = source_line_text(&s, f, l, &len);
			if (!after.masked)
				ck_assert_mem_eq(plain, before[l].text, len);
			free(after.text);
		}
	ck_assert_str_eq(before[lines].text, "last psk \"********\"");
	struct { char *buf; size_t n; } all = {malloc(n), 0};
	ck_assert(source_each_piece(&s, f, collect, &all));
	ck_assert_uint_eq(all.n, n);
	ck_assert_mem_eq(all.buf, text, n);
	free(all.buf);
	for (unsigned l = 0; l <= lines + 1; l++)
		free(before[l].text);
	free(before);
	source_set_free(&s);
	remove_temp(path);
	free(text);
}
END_TEST

/* A released file changed behind tunc's back (truncated, rewritten in
 * place, replaced, removed): its lines are left out, never another
 * text's, and nothing crashes. */
START_TEST(test_released_file_changed)
{
	size_t n;
	char *text = released_text(&n);
	for (int how = 0; how < 4; how++) {
		char path[4200];
		write_temp(path, sizeof(path), text, n);
		struct source_set s;
		source_set_init(&s);
		uint32_t f = source_load(&s, path, LOC_NONE);
		ck_assert_uint_ne(f, 0);
		unsigned last = (unsigned)source_get(&s, f)->n_lines;
		source_release(&s, f);
		if (how == 0)
			ck_assert_int_eq(truncate(path, 10), 0);
		else if (how == 1) {
			/* Same size, new bytes; the time set apart so that a
			 * coarse clock cannot hide the change. */
			int fd = open(path, O_WRONLY);
			ck_assert_int_ge(fd, 0);
			ck_assert_int_eq(pwrite(fd, "XXXX", 4, 0), 4);
			struct timespec times[2] = {{0, UTIME_OMIT}, {12345, 0}};
			ck_assert_int_eq(futimens(fd, times), 0);
			close(fd);
		} else if (how == 2) {
			char other[4300];
			snprintf(other, sizeof(other), "%s.new", path);
			FILE *o = fopen(other, "w");
			ck_assert_ptr_nonnull(o);
			ck_assert_uint_eq(fwrite(text, 1, n, o), n);
			fclose(o);
			ck_assert_int_eq(rename(other, path), 0);
		} else
			ck_assert_int_eq(unlink(path), 0);
		for (unsigned l = 1; l <= last; l += 997) {
			struct shown_line r = shown_at(&s, f, l);
			ck_assert_ptr_null(r.text);
			ck_assert_uint_eq(r.len, 0);
			size_t len = 1;
			const char *t = source_line_text(&s, f, l, &len);
			ck_assert_str_eq(t, "");
			ck_assert_uint_eq(len, 0);
		}
		ck_assert(!source_each_piece(&s, f, collect, &(struct { char *b; size_t n; }){0}));
		/* Line and column need no text. */
		unsigned line, col;
		source_line_col(&s, (struct tunc_loc){f, (uint32_t)n - 1, 1}, &line, &col);
		ck_assert_uint_eq(line, last);
		source_set_free(&s);
		remove_temp(path);
	}
	free(text);
}
END_TEST

/* The compact line index (16-bit offsets in blocks, 32-bit ones for a
 * block spanning 64 KiB or more) answers as a plain table of line starts:
 * every line's start, and line and column of each byte around the starts. */
START_TEST(test_line_index_compact)
{
	size_t n;
	char *text = released_text(&n);
	struct source_set s;
	source_set_init(&s);
	uint32_t f = source_add_buffer(&s, "t", text, n);
	size_t lines = 1;
	for (size_t i = 0; i < n; i++)
		lines += text[i] == '\n';
	ck_assert_uint_eq(source_get(&s, f)->n_lines, lines);
	ck_assert_ptr_nonnull(source_get(&s, f)->line_wide);     /* a wide block was made */
	unsigned line = 1;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i == start || i == n || text[i] == '\n' || i % 4099 == 0) {
			unsigned l, c;
			source_line_col(&s, (struct tunc_loc){f, (uint32_t)i, 1}, &l, &c);
			ck_assert_uint_eq(l, line);
			ck_assert_uint_eq(c, i - start + 1);
		}
		if (i == start)
			ck_assert_uint_eq(source_line_start(&s, f, line), start);
		if (i < n && text[i] == '\n') {
			line++;
			start = i + 1;
		}
	}
	ck_assert_uint_eq(source_line_start(&s, f, (unsigned)lines + 1), 0);
	source_set_free(&s);
	free(text);
}
END_TEST

/* Lines of several released files asked in turn (a finding in one, its
 * note in another; more files than windows) read back as they were. */
START_TEST(test_released_files_in_turn)
{
	enum { FILES = 6 };
	size_t n;
	char *text = released_text(&n);
	char path[FILES][4200];
	struct source_set s;
	source_set_init(&s);
	uint32_t f[FILES];
	for (int k = 0; k < FILES; k++) {
		text[2] = (char)('a' + k);      /* line 1's 'l': each file its own */
		write_temp(path[k], sizeof(path[k]), text, n);
		f[k] = source_load(&s, path[k], LOC_NONE);
		ck_assert_uint_ne(f[k], 0);
	}
	unsigned lines = (unsigned)source_get(&s, f[0])->n_lines;
	source_release(&s, f[0]);
	for (unsigned step = 0; step < 3000; step++) {
		int k = (int)((step * 7u) % FILES);
		unsigned l = 1 + (step * 101u + (unsigned)k * 977u) % lines;
		size_t len;
		const char *t = source_line_text(&s, f[k], l, &len);
		size_t at = source_line_start(&s, f[k], l);
		ck_assert_mem_eq(t, l == 1 ? "  " : text + at, l == 1 ? 2 : len);
		if (l == 1)
			ck_assert_int_eq(t[2], 'a' + k);
	}
	source_set_free(&s);
	for (int k = 0; k < FILES; k++)
		remove_temp(path[k]);
	free(text);
}
END_TEST

/* A buffer (tests, fuzzing) has no file behind it: it is kept. */
START_TEST(test_buffer_not_released)
{
	struct source_set s;
	source_set_init(&s);
	uint32_t f = source_add_buffer(&s, "b", "one\ntwo\n", 8);
	source_release(&s, f);
	ck_assert_ptr_nonnull(source_get(&s, f)->text);
	ck_assert_str_eq(shown(&s, f, 2), "two");
	source_set_free(&s);
}
END_TEST

static Suite *frontend_suite(void)
{
	Suite *s = suite_create("frontend");
	TCase *addr = tcase_create("addresses");
	tcase_add_test(addr, test_prefix_parse_v4);
	tcase_add_test(addr, test_prefix_parse_v6);
	tcase_add_test(addr, test_prefix_relations);
	tcase_add_test(addr, test_first_host_and_masks);
	suite_add_tcase(s, addr);
	TCase *parser = tcase_create("parser");
	tcase_add_test(parser, test_parse_full_language);
	tcase_add_test(parser, test_keyword_as_quoted_name);
	tcase_add_test(parser, test_three_syntax_errors_reported);
	tcase_add_test(parser, test_keywords_as_names);
	tcase_add_test(parser, test_every_keyword_scans);
	tcase_add_test(parser, test_missing_semicolon_before_brace);
	tcase_add_test(parser, test_open_block_reported_where_opened);
	tcase_add_test(parser, test_did_you_mean);
	tcase_add_test(parser, test_suggest);
	tcase_add_test(parser, test_arena_layout);
	tcase_add_test(parser, test_arena_type_alignment);
	tcase_add_test(parser, test_address_texts_not_kept);
	tcase_add_test(parser, test_iface_filters_out_of_line);
	tcase_add_test(parser, test_repeated_names_share_text);
	tcase_add_test(parser, test_arena_windows);
	tcase_add_test(parser, test_vec_sizes);
	tcase_add_test(parser, test_device_versions);
	tcase_add_test(parser, test_cloud_rows);
	tcase_add_test(parser, test_lexical_errors);
	tcase_add_test(parser, test_value_errors);
	suite_add_tcase(s, parser);
	TCase *resolve = tcase_create("resolve");
	tcase_add_test(resolve, test_resolve_defaults_and_endpoints);
	tcase_add_test(resolve, test_rare_settings_out_of_line);
	tcase_add_test(resolve, test_resolve_errors);
	tcase_add_test(resolve, test_missing_proposal_and_endpoint);
	tcase_add_test(resolve, test_any_follows_family);
	suite_add_tcase(s, resolve);
	TCase *secrets = tcase_create("secrets");
	tcase_add_test(secrets, test_mark_secret);
	tcase_add_test(secrets, test_mark_secret_spans_lines);
	suite_add_tcase(s, secrets);
	TCase *released = tcase_create("released");
	tcase_add_test(released, test_released_lines_read_back);
	tcase_add_test(released, test_released_file_changed);
	tcase_add_test(released, test_buffer_not_released);
	tcase_add_test(released, test_line_index_compact);
	tcase_add_test(released, test_released_files_in_turn);
	suite_add_tcase(s, released);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(frontend_suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
