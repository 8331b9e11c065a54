/* Unit tests of the front end: addresses, the scanner and parser, and the
 * resolver (names, defaults, endpoints). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "frontend_util.h"
#include "ir/addr.h"

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
		fprintf(stderr, "unexpected: %s\n", p.diags.v[i].message);
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
	ck_assert(outside->outside && outside->behind_nat);
	ck_assert_uint_eq(outside->filter_in->rules.n, 4);
	ck_assert_int_eq(outside->filter_in->default_action, FILTER_DROP);
	ck_assert_uint_eq(outside->filter_in->rules.v[2].port_lo, 1000);
	ck_assert_uint_eq(outside->filter_in->rules.v[2].port_hi, 2000);
	ck_assert_uint_eq(outside->filter_in->rules.v[3].proto, 50);
	ck_assert_uint_eq(a->nat.n, 4);
	ck_assert_int_eq(a->nat.v[1].kind, NAT_EXEMPT_TUNNELS);
	ck_assert_ptr_eq(a->nat.v[2].iface.target, outside);
	/* 3 written routes plus 3 implied connected ones. */
	ck_assert_uint_eq(a->routes.n, 6);
	ck_assert_uint_eq(a->routes.v[1].metric, 5);
	ck_assert_ptr_eq(a->routes.v[1].dev.target, a->interfaces.v[1]);

	struct ir_gateway *peer = ir_find_gateway(&p.ir, "partner-gw");
	ck_assert_int_eq(peer->kind, GW_PEER);
	ck_assert(peer->behind_nat);
	ck_assert_int_eq(peer->platform, PLAT_PIX);

	struct ir_tunnel *t = ir_find_tunnel(&p.ir, "hq-branch");
	struct ir_tunnel_end *b = &t->end[1];
	ck_assert(b->has_block && b->mirrored && b->accept_unsecured);
	ck_assert_uint_eq(b->remote.n, 2);
	ck_assert_uint_eq(b->proto, 6);
	ck_assert_uint_eq(b->port_lo, 443);
	ck_assert_str_eq(ir_end_ike(b)->name, "legacy");
	ck_assert_str_eq(ir_end_ike(&t->end[0])->name, "modern");
	ck_assert_int_eq(b->psk.source, PSK_ENV);
	ck_assert_int_eq(t->end[0].psk.source, PSK_FILE);
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
	ck_assert_uint_eq(col, 19);
	diag_pos(&p, 1, &line, &col);
	ck_assert_uint_eq(line, 2);
	ck_assert_uint_eq(col, 35);
	diag_pos(&p, 2, &line, &col);
	ck_assert_uint_eq(line, 3);
	ck_assert_uint_eq(col, 26);
	ck_assert_ptr_nonnull(strstr(p.diags.v[0].message, "expected ';'"));
	parsed_free(&p);
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
	ck_assert_ptr_nonnull(p.diags.v[10].fix);
	ck_assert_ptr_nonnull(strstr(p.diags.v[10].message, "did you mean '10.0.0.0/8'"));
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
		const char *m = p.diags.v[i].message;
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
	tcase_add_test(parser, test_lexical_errors);
	tcase_add_test(parser, test_value_errors);
	suite_add_tcase(s, parser);
	TCase *resolve = tcase_create("resolve");
	tcase_add_test(resolve, test_resolve_defaults_and_endpoints);
	tcase_add_test(resolve, test_resolve_errors);
	tcase_add_test(resolve, test_missing_proposal_and_endpoint);
	tcase_add_test(resolve, test_any_follows_family);
	suite_add_tcase(s, resolve);
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
