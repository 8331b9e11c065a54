/* Unit tests of the checks (src/check/checks_*.c): cases the golden files
 * cannot show (a platform pair with nothing in common does not exist in
 * today's table; IKEv1 against IKEv2 selector narrowing; secrets never in
 * a message) and the helpers the checks share. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check/check.h"
#include "check/key_entropy.h"
#include "check/probe.h"
#include "check/util.h"
#include "frontend_util.h"
#include "model/model.h"
#include "util/arena.h"

/* ---- running one check on a text ---- */

struct linted {
	struct parsed p;
	struct model *m;
	struct diag_list findings;
};

/* Parses and resolves TEXT, lets TWEAK change the IR, builds the model and
 * runs only CHECK. */
static void lint_one(struct linted *l, const char *text, const char *check,
		     void (*tweak)(struct ir *))
{
	parse_text(&l->p, text, true);
	ck_assert_msg(l->p.ok, "the test policy does not load");
	if (tweak)
		tweak(&l->p.ir);
	ck_assert(policy_build_model(&l->p.pol));
	l->m = l->p.model;
	struct check_options o;
	check_options_init(&o);
	for (size_t i = 0; i < check_count; i++)
		o.enabled[i] = false;
	ck_assert(check_options_set(&o, check, true));
	diag_list_init(&l->findings);
	checks_run(&l->p.ir, l->m, &o, &l->findings);
	check_options_free(&o);
}

static void linted_free(struct linted *l)
{
	diag_list_free(&l->findings);
	parsed_free(&l->p);     /* and the model */
}

static size_t count_sev(const struct linted *l, enum diag_severity sev)
{
	size_t n = 0;
	for (size_t i = 0; i < l->findings.n; i++)
		n += l->findings.v[i].severity == sev;
	return n;
}

static bool any_text_has(const struct linted *l, const char *needle)
{
	for (size_t i = 0; i < l->findings.n; i++) {
		const struct diag *d = &l->findings.v[i];
		if (strstr(diag_message(d), needle) || (d->fix.fmt && strstr(diag_fix_text(d), needle)))
			return true;
		for (size_t j = 0; j < d->n_related; j++)
			if (strstr(diag_related_message(d, j), needle))
				return true;
	}
	return false;
}

/* Two IOS routers; %s: IKE version, %s: rtr-b's per-end block, %s: psk. */
static char *policy(unsigned version, const char *b_block, const char *psk)
{
	static const char fmt[] =
		"ike p1 { version %u; encryption aes256; integrity sha256; group 19; }\n"
		"ipsec p2 { encryption aes256-gcm; integrity none; pfs 19; }\n"
		"site hq { subnet 192.168.1.0/24;\n"
		"  gateway rtr-a { platform ios 15.4;\n"
		"    interface Gi0/0 { address 198.51.100.1/24; outside; }\n"
		"    interface Gi0/1 { address 192.168.1.1/24; }\n"
		"    route default via 198.51.100.254; } }\n"
		"site branch { subnet 192.168.2.0/24;\n"
		"  gateway rtr-b { platform ios 15.4;\n"
		"    interface Gi0/0 { address 203.0.113.1/24; outside; }\n"
		"    interface Gi0/1 { address 192.168.2.1/24; }\n"
		"    route default via 203.0.113.254; } }\n"
		"tunnel t { between rtr-a and rtr-b; ike p1; ipsec p2; %s\n"
		"  rtr-b { %s } }\n";
	size_t n = sizeof(fmt) + strlen(b_block) + strlen(psk) + 16;
	char *s = malloc(n);
	snprintf(s, n, fmt, version, psk, b_block);
	return s;
}

/* ---- selector-mirror: IKEv1 exact, IKEv2 narrowing ---- */

START_TEST(test_mirror_consistent_by_construction)
{
	struct linted l;
	char *text = policy(1, "", "psk env \"T_PSK\";");
	lint_one(&l, text, "selector-mirror", NULL);
	ck_assert_int_eq(l.findings.n, 0);
	linted_free(&l);
	free(text);
}
END_TEST

START_TEST(test_mirror_ikev1_subset_is_error)
{
	struct linted l;
	char *text = policy(1, "remote 192.168.1.0/25;", "psk env \"T_PSK\";");
	lint_one(&l, text, "selector-mirror", NULL);
	/* IOS accepts proxy IDs inside its crypto ACL (a subset): rtr-b's
	 * /25 started toward rtr-a is accepted, rtr-a's /24 toward rtr-b is
	 * not (ike-behaviour.md; the engine agrees). */
	ck_assert_int_eq(count_sev(&l, DIAG_ERROR), 1);
	ck_assert(any_text_has(&l, "as a subset of its own"));
	ck_assert(any_text_has(&l, "IKEv1"));
	linted_free(&l);
	free(text);
}
END_TEST

START_TEST(test_mirror_ikev2_subset_narrows)
{
	struct linted l;
	char *text = policy(2, "remote 192.168.1.0/25;", "psk env \"T_PSK\";");
	lint_one(&l, text, "selector-mirror", NULL);
	/* rtr-b's pair is narrower: rtr-a's proposal is narrowed (a warning for
	 * the traffic outside), rtr-b's proposal is covered by rtr-a's pair. */
	ck_assert_int_eq(count_sev(&l, DIAG_ERROR), 0);
	ck_assert_int_eq(count_sev(&l, DIAG_WARNING), 1);
	ck_assert(any_text_has(&l, "narrows"));
	linted_free(&l);
	free(text);
}
END_TEST

START_TEST(test_mirror_ikev2_disjoint_is_error)
{
	struct linted l;
	char *text = policy(2, "remote 192.168.7.0/24;", "psk env \"T_PSK\";");
	lint_one(&l, text, "selector-mirror", NULL);
	ck_assert_int_eq(count_sev(&l, DIAG_ERROR), 2);
	linted_free(&l);
	free(text);
}
END_TEST

/* ---- secrets never appear ---- */

START_TEST(test_psk_mismatch_hides_keys)
{
	struct linted l;
	char *text = policy(2, "psk \"Second-Key-Of-Rtr-B-99\";",
			    "psk \"First-Key-Of-Rtr-A-123\";");
	lint_one(&l, text, "psk-mismatch", NULL);
	ck_assert_int_eq(l.findings.n, 1);
	ck_assert(!any_text_has(&l, "Key-Of"));
	linted_free(&l);
	free(text);

	text = policy(2, "psk \"First-Key-Of-Rtr-A-123\";", "psk \"First-Key-Of-Rtr-A-123\";");
	lint_one(&l, text, "psk-mismatch", NULL);
	ck_assert_int_eq(l.findings.n, 0);
	linted_free(&l);
	free(text);
}
END_TEST

START_TEST(test_weak_psk_says_length_and_classes_only)
{
	struct linted l;
	char *text = policy(2, "", "psk \"hunter\";");
	lint_one(&l, text, "weak-psk", NULL);
	ck_assert_int_eq(l.findings.n, 1);
	ck_assert(any_text_has(&l, "6 characters"));
	ck_assert(any_text_has(&l, "lowercase"));
	ck_assert(!any_text_has(&l, "hunter"));
	linted_free(&l);
	free(text);
}
END_TEST

/* ---- manual-key-entropy ---- */

static double bits_of(const char *k)
{
	return key_entropy_bits((const unsigned char *)k, strlen(k));
}

START_TEST(test_key_entropy_counts_patterns_low)
{
	/* Repeats, sequences and words count for little; length alone does not help. */
	ck_assert(bits_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") < 5);
	ck_assert(bits_of("abcdefghijklmnopqrstuvwxyz0123456789") < 64);
	ck_assert(bits_of("correct horse battery staple") < 128);
	ck_assert(bits_of("ThisIsMySecretVpnKeyForTheBranch2024!") < 128);
	ck_assert(bits_of("Mixed-fixture-key-0123456789abcdef") < 128);
	/* Base64 padding is worth nothing. */
	ck_assert(bits_of("q7Rv2Xk9==") == bits_of("q7Rv2Xk9"));
	/* Random keys of 256 bits pass (openssl rand -base64 32 / -hex 32). */
	ck_assert(bits_of("q7Rv2Xk9Lw4Tz8Nc3Hp6Ys1Fb5Jm0Gd+Ue/Ka7Wc2Q==") >= 128);
	ck_assert(bits_of("3f9c1a7e5b2d8046c9e1f3a5b7d90c2e4f6a8b1c3d5e7f90a2b4c6d8e0f1a3b5") >= 128);
	/* Hex counts 4 bits a character: 32 characters are at most 128. */
	ck_assert(bits_of("3f9c1a7e5b2d8046c9e1f3a5b7d90c2e") <= 128);
	/* A byte outside printable ASCII makes the alphabet every byte. */
	ck_assert(bits_of("\x01\x9f\x33\xc4") == 32);
}
END_TEST

START_TEST(test_manual_key_entropy_error_without_key)
{
	struct linted l;
	char *text = policy(2, "", "keying manual; psk \"Branch-Lab-Key-2024!\";");
	lint_one(&l, text, "manual-key-entropy", NULL);
	ck_assert_int_eq(count_sev(&l, DIAG_ERROR), 1);
	ck_assert(any_text_has(&l, "one captured packet"));
	ck_assert(!any_text_has(&l, "Branch-Lab"));
	linted_free(&l);
	free(text);
	/* IKE-keyed: the exchange adds randomness, weak-psk's business. */
	text = policy(2, "", "psk \"Branch-Lab-Key-2024!\";");
	lint_one(&l, text, "manual-key-entropy", NULL);
	ck_assert_int_eq(l.findings.n, 0);
	linted_free(&l);
	free(text);
	text = policy(2, "", "keying manual; psk \"q7Rv2Xk9Lw4Tz8Nc3Hp6Ys1Fb5Jm0Gd+Ue/Ka7Wc2Q==\";");
	lint_one(&l, text, "manual-key-entropy", NULL);
	ck_assert_int_eq(l.findings.n, 0);
	linted_free(&l);
	free(text);
}
END_TEST

/* ---- no-common-proposal: a platform pair the table does not have ---- */

static struct platform_info only_v2_aes, only_v1_des;

static void give_disjoint_platforms(struct ir *ir)
{
	/* Copies of real rows, narrowed so that they share nothing. */
	only_v2_aes = *platform_find(PLAT_LINUX, NULL);
	only_v2_aes.description = "test row A";
	only_v2_aes.ike_versions = BIT(2);
	only_v2_aes.ike_encryption = BIT(ENC_AES256);
	only_v2_aes.dh_groups = UINT64_C(1) << 19;
	only_v1_des = *platform_find(PLAT_WINDOWS, "2000");
	only_v1_des.description = "test row B";
	ir_find_gateway(ir, "rtr-a")->pinfo = &only_v2_aes;
	ir_find_gateway(ir, "rtr-b")->pinfo = &only_v1_des;
}

START_TEST(test_no_common_proposal)
{
	struct linted l;
	char *text = policy(2, "", "psk env \"T_PSK\";");
	lint_one(&l, text, "no-common-proposal", give_disjoint_platforms);
	ck_assert_int_eq(l.findings.n, 1);
	ck_assert(any_text_has(&l, "IKE version"));
	ck_assert(any_text_has(&l, "IKE encryption"));
	ck_assert(any_text_has(&l, "DH group"));
	linted_free(&l);
	free(text);

	/* The real rows of the same two ends share suites: no finding. */
	text = policy(2, "", "psk env \"T_PSK\";");
	lint_one(&l, text, "no-common-proposal", NULL);
	ck_assert_int_eq(l.findings.n, 0);
	linted_free(&l);
	free(text);
}
END_TEST

/* ---- helpers ---- */

static struct selector sel(const char *src, const char *dst, unsigned proto)
{
	struct selector s;
	memset(&s, 0, sizeof(s));
	ck_assert(prefix_parse(src, &s.src));
	ck_assert(prefix_parse(dst, &s.dst));
	s.proto = proto;
	return s;
}

/* The algorithm table (ir/enums.h): every weak row says why, strength
 * orders rows, and a group's row is found by its number. */
START_TEST(test_algorithm_table)
{
	for (unsigned e = 0; e < ENC__COUNT; e++) {
		const struct alg_info *a = encryption_info((enum encryption)e);
		ck_assert_str_eq(a->name, encryption_name((enum encryption)e));
		ck_assert_msg((a->strength < STRENGTH_GOOD) == (a->weakness != NULL), "%s", a->name);
		ck_assert(a->rfc8221 && a->rfc8247);
	}
	for (unsigned i = 0; i < INTEG__COUNT; i++) {
		const struct alg_info *a = integrity_info((enum integrity)i);
		ck_assert_msg((a->strength < STRENGTH_GOOD) == (a->weakness != NULL), "%s", a->name);
	}
	ck_assert(alg_stronger(encryption_info(ENC_3DES), encryption_info(ENC_DES)));
	ck_assert(alg_stronger(encryption_info(ENC_AES128), encryption_info(ENC_3DES)));
	ck_assert(alg_stronger(encryption_info(ENC_DES), encryption_info(ENC_NULL)));
	ck_assert(alg_stronger(integrity_info(INTEG_SHA256), integrity_info(INTEG_SHA1)));
	ck_assert(alg_stronger(dh_group_info(5), dh_group_info(2)));
	ck_assert(alg_stronger(dh_group_info(14), dh_group_info(5)));
	ck_assert(!alg_stronger(dh_group_info(2), dh_group_info(5)));
	ck_assert_int_eq(dh_group_info(1)->strength, STRENGTH_BROKEN);
	ck_assert_str_eq(dh_group_info(19)->rfc8247, "SHOULD");
	ck_assert_str_eq(dh_group_info(14)->rfc8247, "MUST");
	ck_assert_ptr_null(dh_group_info(3));
}
END_TEST

START_TEST(test_selector_relations)
{
	struct selector a = sel("10.0.0.0/8", "192.168.0.0/16", PROTO_ANY);
	struct selector b = sel("10.1.0.0/16", "192.168.2.0/24", 6);
	struct selector c = sel("10.1.0.0/16", "172.16.0.0/12", PROTO_ANY);
	ck_assert(ck_selector_covers(&a, &b));
	ck_assert(!ck_selector_covers(&b, &a));
	ck_assert(ck_selector_overlaps(&a, &b));
	ck_assert(!ck_selector_overlaps(&a, &c));
	struct selector m = ck_selector_mirror(&b);
	ck_assert(prefix_equal(&m.src, &b.dst) && prefix_equal(&m.dst, &b.src));
	ck_assert(ck_selector_equal(&a, &a) && !ck_selector_equal(&a, &b));
	struct selector udp = sel("10.1.0.0/16", "192.168.2.0/24", 17);
	ck_assert(!ck_selector_overlaps(&b, &udp));
}
END_TEST

START_TEST(test_dedup_counts)
{
	struct dedup d = {0};
	static const int x = 1, y = 2;
	ck_assert_int_eq(ck_dedup_add(&d, &x, NULL, 1, 0)->count, 1);
	ck_assert_int_eq(ck_dedup_add(&d, &y, NULL, 1, 1)->count, 1);
	for (int i = 0; i < 1000; i++)
		ck_dedup_add(&d, &x, &y, (unsigned)i, (size_t)i);
	ck_assert_int_eq(ck_dedup_add(&d, &x, NULL, 1, 9)->count, 2);
	ck_assert_int_eq(d.v[0].first, 0);
	ck_assert_int_eq(d.n, 1002);
	ck_dedup_free(&d);
}
END_TEST

/* ck_psk_source_name (made in a buffer, copied by the caller when new)
 * names every source as ck_psk_source_key (made in an arena) did. */
START_TEST(test_psk_source_name_as_key)
{
	static const struct ir_psk keys[] = {
		{"hub.psk", {.file = 7, .offset = 3}, PSK_FILE},
		{"secrets/a b.psk", {.file = 4294967295u, .offset = 9}, PSK_FILE},
		{"T_PSK", {.file = 2, .offset = 1}, PSK_ENV},
		{"an inline key of some length, longer than the head", {.file = 1}, PSK_INLINE},
		{"", {.file = 0}, PSK_FILE},
	};
	struct arena a;
	arena_init(&a);
	struct strbuf b = STRBUF_INIT;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_str_eq(ck_psk_source_name(&b, &keys[i]), ck_psk_source_key(&a, &keys[i]));
	ck_assert_str_eq(ck_psk_source_name(&b, &keys[0]), "1:7:hub.psk");
	ck_assert_str_eq(ck_psk_source_name(&b, &keys[2]), "2:0:T_PSK");
	strbuf_free(&b);
	arena_free(&a);
}
END_TEST

/* ck_peer_route keeps its answers for the checks marked reads_peer_routes
 * only, the same as a lookup afresh, and ck_cache_release frees them once
 * the last marked check has run (or the later ones are disabled). */
START_TEST(test_peer_routes_released_after_last_reader)
{
	char *text = policy(2, "", "psk \"0123456789abcdef0123\";");
	struct parsed p;
	parse_text(&p, text, true);
	free(text);
	ck_assert(p.ok);
	ck_assert(policy_build_model(&p.pol));
	struct check_cache cache = {0};
	struct check_ctx ctx = {.ir = &p.ir, .model = p.model, .cache = &cache};
	struct tviews tvs;
	ck_tviews_build(&ctx, &tvs);
	ck_assert_uint_eq(tvs.n, 1);
	const struct check_info *unmarked = check_find("selector-mirror");
	const struct check_info *first = check_find("route-missing");
	const struct check_info *last = check_find("ike-blocked");
	ck_assert(!unmarked->reads_peer_routes && first->reads_peer_routes && last->reads_peer_routes);
	struct model_route s1, s2;
	ctx.current = unmarked;
	const struct model_route *afresh = ck_peer_route(&ctx, &tvs.v[0], 0, &s1);
	ck_assert_ptr_nonnull(afresh);
	ck_assert_ptr_null(cache.peer_routes);
	ctx.current = first;
	const struct model_route *kept = ck_peer_route(&ctx, &tvs.v[0], 0, &s2);
	ck_assert_ptr_nonnull(cache.peer_routes);
	ck_assert(prefix_equal(&kept->dst, &afresh->dst));
	kept = ck_peer_route(&ctx, &tvs.v[0], 0, &s2);     /* from the cache */
	ck_assert(prefix_equal(&kept->dst, &afresh->dst));
	ck_cache_release(&cache, NULL, (size_t)(first - check_table));
	ck_assert_ptr_nonnull(cache.peer_routes);          /* ike-blocked reads them later */
	struct check_options o;
	check_options_init(&o);
	ck_assert(check_options_set(&o, "ike-blocked", false));
	ck_assert(check_options_set(&o, "egress-address", false));
	ck_assert(check_options_set(&o, "peer-unreachable", false));
	ck_cache_release(&cache, &o, (size_t)(first - check_table));
	ck_assert_ptr_null(cache.peer_routes);             /* no enabled reader left */
	check_options_free(&o);
	ck_peer_route(&ctx, &tvs.v[0], 0, &s2);
	ck_cache_release(&cache, NULL, (size_t)(last - check_table));
	ck_assert_ptr_null(cache.peer_routes);
	ck_cache_free(&cache);
	parsed_free(&p);
}
END_TEST

START_TEST(test_probe_filter_first_match)
{
	struct parsed p;
	parse_text(&p,
		"site s { subnet 10.0.0.0/24; gateway g { platform ios;\n"
		"  interface e { address 198.51.100.1/24; outside;\n"
		"    filter in { permit 203.0.113.1 -> 198.51.100.1 udp 500; drop any -> any udp;\n"
		"                default permit; } } } }\n", true);
	ck_assert(p.ok);
	const struct ir_filter *f = ir_iface_written(ir_find_gateway(&p.ir, "g")->interfaces.v[0])->filter_in;
	ck_assert_ptr_nonnull(f);
	struct probe_pkt ike = {.proto = 17, .dport = 500};
	ck_assert(addr_parse("203.0.113.1", &ike.src));
	ck_assert(addr_parse("198.51.100.1", &ike.dst));
	ck_assert_int_eq(probe_filter(NULL, f, false, &ike).action, FILTER_PERMIT);
	ike.dport = 4500;
	ck_assert_int_eq(probe_filter(NULL, f, false, &ike).action, FILTER_DROP);
	ike.proto = 50;
	ike.dport = 0;
	ck_assert_int_eq(probe_filter(NULL, f, false, &ike).action, FILTER_PERMIT);
	parsed_free(&p);
}
END_TEST

/* ---- psk-reuse: one finding per shared key, from the uses in tunnel order ---- */

/* Two keys, each shared: the first by three tunnels from ga, the second
 * by t4, whose two ends write it apart, and t5.  Each finding names the
 * first tunnel, the first one between other peers and how many more. */
START_TEST(test_psk_reuse_groups)
{
	struct linted l;
	lint_one(&l,
		"ike default { version 2; encryption aes256; integrity sha256; group 19; }\n"
		"ipsec default { encryption aes256-gcm; integrity none; pfs 19; }\n"
		"site sa { subnet 10.0.0.0/24;\n"
		"  gateway ga { platform ios 15.4;\n"
		"    interface wan { address 198.51.100.1/24; outside; }\n"
		"    interface lan { address 10.0.0.1/24; }\n"
		"    route default via 198.51.100.254; } }\n"
		"site sb { subnet 10.1.0.0/24;\n"
		"  gateway gb { platform ios 15.4;\n"
		"    interface wan { address 198.51.101.1/24; outside; }\n"
		"    interface lan { address 10.1.0.1/24; }\n"
		"    route default via 198.51.101.254; } }\n"
		"site sc { subnet 10.2.0.0/24;\n"
		"  gateway gc { platform ios 15.4;\n"
		"    interface wan { address 198.51.102.1/24; outside; }\n"
		"    interface lan { address 10.2.0.1/24; }\n"
		"    route default via 198.51.102.254; } }\n"
		"site sd { subnet 10.3.0.0/24;\n"
		"  gateway gd { platform ios 15.4;\n"
		"    interface wan { address 198.51.103.1/24; outside; }\n"
		"    interface lan { address 10.3.0.1/24; }\n"
		"    route default via 198.51.103.254; } }\n"
		"tunnel t1 { between ga and gb; psk \"Xk3p9Lq2Vw8Rz5Tn7Bm4\"; }\n"
		"tunnel t2 { between ga and gc; psk \"Xk3p9Lq2Vw8Rz5Tn7Bm4\"; }\n"
		"tunnel t3 { between ga and gd; psk \"Xk3p9Lq2Vw8Rz5Tn7Bm4\"; }\n"
		"tunnel t4 { between gb and gc; gb { psk \"Hd6Fj1Ys0Ue2Wq9Pc3Ga\"; } gc { psk \"Hd6Fj1Ys0Ue2Wq9Pc3Ga\"; } }\n"
		"tunnel t5 { between gc and gd; psk \"Hd6Fj1Ys0Ue2Wq9Pc3Ga\"; }\n"
		, "psk-reuse", NULL);
	ck_assert_uint_eq(l.findings.n, 2);
	ck_assert(any_text_has(&l, "tunnel t2's pre-shared key (inline) is also the key of tunnel t1 "
			       "(ga and gb) and 1 other tunnel:"));
	ck_assert(any_text_has(&l, "tunnel t5's pre-shared key (inline) is also the key of tunnel t4 "
			       "(gb and gc):"));
	ck_assert(any_text_has(&l, "tunnel t4's key is configured here"));
	ck_assert(!any_text_has(&l, "Xk3p9Lq2Vw8Rz5Tn7Bm4"));
	linted_free(&l);
	/* One key source only (its key held, never hashed): still found. */
	lint_one(&l,
		"ike default { version 2; encryption aes256; integrity sha256; group 19; }\n"
		"ipsec default { encryption aes256-gcm; integrity none; pfs 19; }\n"
		"site sa { subnet 10.0.0.0/24;\n"
		"  gateway ga { platform ios 15.4;\n"
		"    interface wan { address 198.51.100.1/24; outside; }\n"
		"    interface lan { address 10.0.0.1/24; }\n"
		"    route default via 198.51.100.254; } }\n"
		"site sb { subnet 10.1.0.0/24;\n"
		"  gateway gb { platform ios 15.4;\n"
		"    interface wan { address 198.51.101.1/24; outside; }\n"
		"    interface lan { address 10.1.0.1/24; }\n"
		"    route default via 198.51.101.254; } }\n"
		"site sc { subnet 10.2.0.0/24;\n"
		"  gateway gc { platform ios 15.4;\n"
		"    interface wan { address 198.51.102.1/24; outside; }\n"
		"    interface lan { address 10.2.0.1/24; }\n"
		"    route default via 198.51.102.254; } }\n"
		"site sd { subnet 10.3.0.0/24;\n"
		"  gateway gd { platform ios 15.4;\n"
		"    interface wan { address 198.51.103.1/24; outside; }\n"
		"    interface lan { address 10.3.0.1/24; }\n"
		"    route default via 198.51.103.254; } }\n"
		"tunnel t1 { between ga and gb; psk \"Xk3p9Lq2Vw8Rz5Tn7Bm4\"; }\n"
		"tunnel t2 { between ga and gc; psk \"Xk3p9Lq2Vw8Rz5Tn7Bm4\"; }\n"
		"tunnel t3 { between ga and gd; psk \"Xk3p9Lq2Vw8Rz5Tn7Bm4\"; }\n"
		, "psk-reuse", NULL);
	ck_assert_uint_eq(l.findings.n, 1);
	ck_assert(any_text_has(&l, "tunnel t2's pre-shared key (inline) is also the key of tunnel t1 "
			       "(ga and gb) and 1 other tunnel:"));
	linted_free(&l);
}
END_TEST

/* ---- a tunnel end's outbound entries ---- */

/* ck_spd_out_of gives each end what the checks' sorted copy of every
 * gateway's outbound PROTECT entries gave (tunnel_spd_of, before): those
 * whose tunnel is the end's, in SPD order.  Several pairs a tunnel, a
 * hub with two spokes, a Linux end, IPv6 and a route-based end. */
START_TEST(test_spd_out_as_sorted_copy)
{
	struct parsed p;
	parse_text(&p,
		"ike default { version 2; encryption aes256; integrity sha256; group 19; }\n"
		"ipsec default { encryption aes256-gcm; integrity none; pfs 19; }\n"
		"site hub { subnet 192.168.0.0/16; subnet 172.16.0.0/24; subnet 2001:db8:1::/48;\n"
		"  gateway hub-gw { platform ios 15.4;\n"
		"    interface Gi0/0 { address 198.51.100.1/24; outside; }\n"
		"    interface Gi0/1 { address 192.168.0.1/16; }\n"
		"    route default via 198.51.100.254; } }\n"
		"site a { subnet 10.1.0.0/24; subnet 10.1.1.0/24; subnet 2001:db8:2::/48;\n"
		"  gateway ga { platform linux;\n"
		"    interface wan { address 203.0.113.1/24; outside; }\n"
		"    interface lan { address 10.1.0.1/24; }\n"
		"    route default via 203.0.113.254; } }\n"
		"site b { subnet 10.2.0.0/24;\n"
		"  gateway gb { platform ios 15.4;\n"
		"    interface wan { address 203.0.114.1/24; outside; }\n"
		"    interface lan { address 10.2.0.1/24; }\n"
		"    route default via 203.0.114.254; } }\n"
		"tunnel ta { between hub-gw and ga; psk \"0123456789abcdef0123\"; }\n"
		"tunnel tb { between hub-gw and gb; psk \"0123456789abcdef0124\";\n"
		"  gb { protocol tcp 443; } }\n"
		"tunnel tr { between ga and gb; psk \"0123456789abcdef0125\";\n"
		"  gb { route-based 169.254.20.0/30; } }\n", true);
	ck_assert(p.ok);
	ck_assert(policy_build_model(&p.pol));
	const struct model *m = p.model;
	struct check_ctx ctx = {.ir = &p.ir, .model = m};
	struct tviews tvs;
	ck_tviews_build(&ctx, &tvs);
	size_t ends = 0, entries = 0;
	for (size_t i = 0; i < tvs.n; i++)
		for (int a = 0; a < 2; a++) {
			const struct model_tunnel *mt = tvs.v[i].mt[a];
			if (!mt)
				continue;
			/* What the sorted copy held for MT: a scan of every gateway. */
			const struct spd_entry *want[64];
			size_t n = 0;
			for (size_t g = 0; g < m->gateways.n; g++) {
				const struct model_gateway *mg = m->gateways.v[g];
				for (size_t k = 0; k < model_spd_count(mg, SPD_OUT); k++) {
					const struct spd_entry *e = model_spd_entry(mg, SPD_OUT, k);
					if (e->action == SPD_PROTECT && e->tunnel == mt) {
						ck_assert_uint_lt(n, 64);
						want[n++] = e;
					}
				}
			}
			struct ck_spd_out out = ck_spd_out_of(tvs.v[i].mg[a], mt);
			ck_assert_uint_eq(out.refs.n, n);
			for (size_t k = 0; k < n; k++)
				ck_assert_ptr_eq(ck_spd_out_at(&out, k), want[k]);
			ends++;
			entries += n;
		}
	ck_assert_uint_eq(ends, 6);
	ck_assert_uint_gt(entries, 6);  /* several pairs per end */
	ck_assert_uint_eq(ck_spd_out_of(NULL, NULL).refs.n, 0);
	ck_tviews_free(&tvs);
	parsed_free(&p);
}
END_TEST

/* ---- tunnels keyed by hand: no IKE between a Linux end and its peer ---- */

/* Linux rtr-a and rtr-b; %s: rtr-a's outside interface extras, %s: rtr-b's
 * per-end block. */
/* Two Linux gateways; KEYING is written at tunnel level ("keying manual;"
 * or ""). */
static char *linux_policy_keyed(const char *keying, const char *a_iface, const char *b_block)
{
	static const char fmt[] =
		"ike p1 { version 2; encryption aes256; integrity sha256; group 19; lifetime 8h; }\n"
		"ike v1 { version 1; encryption 3des; integrity sha1; group 2; lifetime 1h; }\n"
		"ipsec p2 { encryption aes128, aes256; integrity sha256; pfs none; lifetime 1h; }\n"
		"ipsec swapped { encryption aes256, aes128; integrity sha256; pfs none; lifetime 1h; }\n"
		"ipsec later { encryption aes128, 3des; integrity sha256, sha1; pfs 19; lifetime 2h; }\n"
		"site hq { subnet 192.168.1.0/24;\n"
		"  gateway rtr-a { platform linux;\n"
		"    interface eth0 { address 198.51.100.1/24; outside; %s }\n"
		"    interface eth1 { address 192.168.1.1/24; }\n"
		"    route default via 198.51.100.254; } }\n"
		"site branch { subnet 192.168.2.0/24;\n"
		"  gateway rtr-b { platform linux;\n"
		"    interface eth0 { address 203.0.113.1/24; outside; }\n"
		"    interface eth1 { address 192.168.2.1/24; }\n"
		"    route default via 203.0.113.254; } }\n"
		"tunnel t { between rtr-a and rtr-b; ike p1; ipsec p2; psk \"First-Key-Of-Rtr-A-123\";\n"
		"  %s rtr-b { %s } }\n";
	size_t n = sizeof(fmt) + strlen(keying) + strlen(a_iface) + strlen(b_block) + 16;
	char *s = malloc(n);
	snprintf(s, n, fmt, a_iface, keying, b_block);
	return s;
}

static size_t lint_keyed(const char *keying, const char *a_iface, const char *b_block,
			 const char *check, const char *needle)
{
	struct linted l;
	char *text = linux_policy_keyed(keying, a_iface, b_block);
	lint_one(&l, text, check, NULL);
	size_t n = l.findings.n;
	if (needle)
		ck_assert_msg(!n || any_text_has(&l, needle), "%s: '%s' not said", check, needle);
	linted_free(&l);
	free(text);
	return n;
}

/* A tunnel that says `keying manual;`. */
static size_t lint_count(const char *a_iface, const char *b_block, const char *check,
			 const char *needle)
{
	return lint_keyed("keying manual;", a_iface, b_block, check, needle);
}

/* ---- pat-no-initiator ---- */

/* rtr-a and rtr-b with A_NAT and B_NAT on their outside interfaces, and EXPECTS. */
static size_t lint_pat(const char *a_nat, const char *b_nat, const char *expects,
		       enum diag_severity sev, const char *needle)
{
	static const char fmt[] =
		"ike p1 { version 2; encryption aes256; integrity sha256; group 19; }\n"
		"ipsec p2 { encryption aes256-gcm; integrity none; pfs 19; }\n"
		"site hq { subnet 192.168.1.0/24; host pc1 192.168.1.10;\n"
		"  gateway rtr-a { platform ios 15.4;\n"
		"    interface Gi0/0 { address 198.51.100.1/24; outside; %s }\n"
		"    interface Gi0/1 { address 192.168.1.1/24; }\n"
		"    route default via 198.51.100.254; } }\n"
		"site branch { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"
		"  gateway rtr-b { platform ios 15.4;\n"
		"    interface Gi0/0 { address 100.64.0.2/24; outside; %s }\n"
		"    interface Gi0/1 { address 192.168.2.1/24; }\n"
		"    route default via 100.64.0.1; } }\n"
		"tunnel t { between rtr-a and rtr-b; ike p1; ipsec p2; psk env \"T_PSK\"; }\n%s";
	char text[2048];
	snprintf(text, sizeof(text), fmt, a_nat, b_nat, expects);
	struct linted l;
	lint_one(&l, text, "pat-no-initiator", NULL);
	size_t n = count_sev(&l, sev);
	ck_assert_msg(!n || !needle || any_text_has(&l, needle), "'%s' not said", needle);
	ck_assert_uint_eq(l.findings.n, n);
	linted_free(&l);
	return n;
}

START_TEST(test_pat_no_initiator)
{
	const char *pat = "behind-nat 192.0.2.200 pat;";
	const char *from_hq = "expect pc1 -> srv1 dropped;\n";
	const char *from_branch = "expect srv1 -> pc1 protected by t;\n";
	/* Only rtr-b can start it, and nothing from its side does. */
	ck_assert_uint_eq(lint_pat("", pat, from_hq, DIAG_WARNING, "only rtr-b can start"), 1);
	ck_assert_uint_eq(lint_pat("", pat, "", DIAG_WARNING, "no inbound initiation"), 1);
	/* Traffic from rtr-b's side starts it. */
	ck_assert_uint_eq(lint_pat("", pat, from_branch, DIAG_WARNING, NULL), 0);
	/* A one-to-one NAT lets rtr-a start it. */
	ck_assert_uint_eq(lint_pat("", "behind-nat 192.0.2.200;", from_hq, DIAG_WARNING, NULL), 0);
	/* Both behind PAT: neither can, whatever the expectations. */
	ck_assert_uint_eq(lint_pat("behind-nat 192.0.2.100 pat;", pat, from_branch, DIAG_ERROR,
				   "neither end's IKE reaches"), 1);
}
END_TEST

START_TEST(test_linux_negotiates_ike)
{
	/* Two Linux ends run IKE (strongSwan) unless asked: their IKE
	 * proposals are compared, nothing is keyed by hand. */
	ck_assert_uint_eq(lint_keyed("", "", "ike v1;", "ike-mismatch", NULL), 1);
	ck_assert_uint_eq(lint_keyed("", "", "", "manual-keying", NULL), 0);
	ck_assert_uint_eq(lint_keyed("", "", "", "keying-mismatch", NULL), 0);
	/* Swapped offers negotiate (IKE finds the common suite). */
	ck_assert_uint_eq(lint_keyed("", "", "ipsec swapped;", "ipsec-mismatch",
				     "start with different offers"), 0);
	/* Asked on one end only: that end runs no IKE, the other does. */
	ck_assert_uint_eq(lint_keyed("", "", "keying manual;", "keying-mismatch",
				     "negotiates its SAs with IKE"), 1);
	/* Asked on both: what it costs, said once per gateway. */
	ck_assert_uint_eq(lint_keyed("keying manual;", "", "", "manual-keying",
				     "replay protection lost"), 2);
}
END_TEST

START_TEST(test_manual_keying_no_ike)
{
	/* IKE proposals and lifetimes are not used: nothing to disagree on. */
	ck_assert_uint_eq(lint_count("", "ike v1;", "ike-mismatch", NULL), 0);
	ck_assert_uint_eq(lint_count("", "ike v1; ipsec later;", "lifetime-mismatch", NULL), 0);
	/* UDP 500 need not pass; ESP must. */
	ck_assert_uint_eq(lint_count("filter in { permit any -> any esp; drop any -> any udp 500; }",
				     "", "ike-blocked", NULL), 0);
	ck_assert_uint_eq(lint_count("filter in { drop any -> any esp; }", "", "ike-blocked",
				     "static SAs are installed"), 1);
	/* IKE would agree on swapped offers; static SAs take the first. */
	ck_assert_uint_eq(lint_count("", "ipsec swapped;", "ipsec-mismatch",
				     "start with different offers"), 1);
	/* Later offers and PFS are never used. */
	ck_assert_uint_eq(lint_count("", "ipsec later;", "ipsec-mismatch", NULL), 0);
	ck_assert_uint_eq(lint_count("", "psk \"Second-Key-Of-Rtr-B-99\";", "psk-mismatch",
				     "keyed by hand"), 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("checks");
	TCase *mirror = tcase_create("selector-mirror");
	tcase_add_test(mirror, test_mirror_consistent_by_construction);
	tcase_add_test(mirror, test_mirror_ikev1_subset_is_error);
	tcase_add_test(mirror, test_mirror_ikev2_subset_narrows);
	tcase_add_test(mirror, test_mirror_ikev2_disjoint_is_error);
	suite_add_tcase(s, mirror);
	TCase *secrets = tcase_create("secrets");
	tcase_add_test(secrets, test_psk_mismatch_hides_keys);
	tcase_add_test(secrets, test_psk_reuse_groups);
	tcase_add_test(secrets, test_weak_psk_says_length_and_classes_only);
	tcase_add_test(secrets, test_key_entropy_counts_patterns_low);
	tcase_add_test(secrets, test_manual_key_entropy_error_without_key);
	suite_add_tcase(s, secrets);
	TCase *platforms = tcase_create("platforms");
	tcase_add_test(platforms, test_no_common_proposal);
	tcase_add_test(platforms, test_manual_keying_no_ike);
	tcase_add_test(platforms, test_linux_negotiates_ike);
	tcase_add_test(platforms, test_pat_no_initiator);
	suite_add_tcase(s, platforms);
	TCase *helpers = tcase_create("helpers");
	tcase_add_test(helpers, test_selector_relations);
	tcase_add_test(helpers, test_algorithm_table);
	tcase_add_test(helpers, test_dedup_counts);
	tcase_add_test(helpers, test_probe_filter_first_match);
	tcase_add_test(helpers, test_spd_out_as_sorted_copy);
	tcase_add_test(helpers, test_psk_source_name_as_key);
	tcase_add_test(helpers, test_peer_routes_released_after_last_reader);
	suite_add_tcase(s, helpers);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
