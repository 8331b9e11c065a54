/* Unit tests of the engine: the packet parser and builder (checksums,
 * truncated/oversized/malformed input), the seeded generator, and each
 * stage's decisions on small policies (IKE, SPD, NAT, filters, routing,
 * NAT devices, inbound checks). */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/hmac.h>

#include "model/manual_keys.h"
#include "engine/drbg.h"
#include "engine/engine.h"
#include "engine/packet.h"
#include "frontend_util.h"
#include "model/model.h"

static struct ip_addr A(const char *s)
{
	struct ip_addr a;
	ck_assert_msg(addr_parse(s, &a), "bad test address %s", s);
	return a;
}

static size_t build(const char *src, const char *dst, unsigned proto, uint8_t *buf)
{
	struct pkt_spec s;
	memset(&s, 0, sizeof(s));
	s.src = A(src);
	s.dst = A(dst);
	s.proto = proto;
	s.sport = 49153;
	s.dport = 443;
	s.echo_id = 1;
	s.echo_seq = 7;
	s.ip_id = 42;
	size_t n = pkt_build(&s, buf, PKT_BUILD_MAX);
	ck_assert_uint_gt(n, 0);
	return n;
}

/* The transport checksum verifies (sum over pseudo-header + segment = 0xffff). */
static void assert_transport_checksum(const uint8_t *pkt, const struct pkt_info *pi)
{
	const uint8_t *t = pkt + pi->hdr_len;
	size_t tlen = pi->ip_len - pi->hdr_len;
	uint32_t sum = 0;
	if (pi->proto != 1) {
		size_t al = pi->family == AF_V6 ? 16 : 4;
		sum = pkt_sum(pi->src.b, al, 0);
		sum = pkt_sum(pi->dst.b, al, sum);
		sum += pi->proto + (uint32_t)tlen;
	}
	ck_assert_uint_eq(pkt_fold(pkt_sum(t, tlen, sum)), 0xffff);
}

START_TEST(test_build_parse_v4)
{
	static const unsigned protos[] = {1, 6, 17};
	uint8_t buf[PKT_BUILD_MAX];
	size_t n = build("10.1.0.10", "10.2.0.10", protos[_i], buf);
	struct pkt_info pi;
	ck_assert_int_eq(pkt_parse(buf, n, &pi), PKT_OK);
	ck_assert_uint_eq(pi.family, AF_V4);
	ck_assert_uint_eq(pi.proto, protos[_i]);
	ck_assert_uint_eq(pi.ip_len, n);
	ck_assert_uint_eq(pi.ttl, 128);
	assert_transport_checksum(buf, &pi);
	if (protos[_i] == 1) {
		ck_assert(pi.is_echo_request);
		ck_assert_uint_eq(pi.echo_seq, 7);
		ck_assert_uint_eq(n, 20 + 8 + 32);
		ck_assert(memcmp(buf + 28, "abcdefghijklmnopqrstuvwabcdefghi", 32) == 0);
	} else {
		ck_assert(pi.has_ports);
		ck_assert_uint_eq(pi.dport, 443);
		ck_assert_uint_eq(pi.sport, 49153);
	}
	/* Rewriting an address keeps every checksum right. */
	struct ip_addr nat = A("198.51.100.1");
	ck_assert(pkt_set_addr(buf, n, true, &nat));
	ck_assert_int_eq(pkt_parse(buf, n, &pi), PKT_OK);
	ck_assert(addr_equal(&pi.src, &nat));
	assert_transport_checksum(buf, &pi);
}
END_TEST

START_TEST(test_build_parse_v6_and_reply)
{
	uint8_t buf[PKT_BUILD_MAX], rep[PKT_BUILD_MAX];
	size_t n = build("2001:db8:1::10", "2001:db8:2::10", 1, buf);
	struct pkt_info pi;
	ck_assert_int_eq(pkt_parse(buf, n, &pi), PKT_OK);
	ck_assert_uint_eq(pi.family, AF_V6);
	ck_assert_uint_eq(pi.proto, 58);
	ck_assert(pi.is_echo_request);
	assert_transport_checksum(buf, &pi);
	size_t rn = pkt_echo_reply(buf, n, rep, sizeof(rep));
	ck_assert_uint_eq(rn, n);
	struct pkt_info ri;
	ck_assert_int_eq(pkt_parse(rep, rn, &ri), PKT_OK);
	ck_assert(ri.is_echo_reply);
	ck_assert(addr_equal(&ri.src, &pi.dst));
	ck_assert(addr_equal(&ri.dst, &pi.src));
	assert_transport_checksum(rep, &ri);
	/* A reply is not answered. */
	ck_assert_uint_eq(pkt_echo_reply(rep, rn, buf, sizeof(buf)), 0);
}
END_TEST

/* Every truncation of a valid packet is refused, never read past. */
START_TEST(test_truncated)
{
	uint8_t buf[PKT_BUILD_MAX];
	size_t n = build(_i ? "2001:db8::1" : "10.0.0.1", _i ? "2001:db8::2" : "10.0.0.2", 6, buf);
	for (size_t len = 0; len < n; len++) {
		uint8_t *copy = malloc(len ? len : 1);  /* exact size: ASan sees overreads */
		memcpy(copy, buf, len);
		struct pkt_info pi;
		enum pkt_error e = pkt_parse(copy, len, &pi);
		ck_assert_msg(e == PKT_TRUNCATED, "length %zu: %s", len, pkt_error_name(e));
		free(copy);
	}
}
END_TEST

START_TEST(test_malformed)
{
	uint8_t buf[PKT_MAX + 2];
	struct pkt_info pi;
	size_t n = build("10.0.0.1", "10.0.0.2", 17, buf);
	ck_assert_int_eq(pkt_parse(buf, PKT_MAX + 1, &pi), PKT_OVERSIZED);
	uint8_t bad[PKT_BUILD_MAX];
	memcpy(bad, buf, n);
	bad[0] = 0x55;                  /* version 5 */
	ck_assert_int_eq(pkt_parse(bad, n, &pi), PKT_BAD_VERSION);
	memcpy(bad, buf, n);
	bad[0] = 0x44;                  /* IHL 4 */
	ck_assert_int_eq(pkt_parse(bad, n, &pi), PKT_BAD_HEADER);
	memcpy(bad, buf, n);
	bad[2] = 0;
	bad[3] = 10;                    /* total length < header */
	ck_assert_int_eq(pkt_parse(bad, n, &pi), PKT_BAD_HEADER);
	memcpy(bad, buf, n);
	bad[8] ^= 1;                    /* TTL changed without the checksum */
	ck_assert_int_eq(pkt_parse(bad, n, &pi), PKT_BAD_CHECKSUM);
	memcpy(bad, buf, n);
	bad[2] = 0x01;                  /* says 256+ bytes, has fewer */
	bad[10] = bad[11] = 0;
	uint16_t c = (uint16_t)~pkt_fold(pkt_sum(bad, 20, 0));
	bad[10] = (uint8_t)(c >> 8);
	bad[11] = (uint8_t)c;
	ck_assert_int_eq(pkt_parse(bad, n, &pi), PKT_TRUNCATED);
	/* Ethernet padding after the packet is fine. */
	memcpy(bad, buf, n);
	ck_assert_int_eq(pkt_parse(bad, n + 6 <= sizeof(bad) ? n + 6 : n, &pi), PKT_OK);
	ck_assert_uint_eq(pi.ip_len, n);
	ck_assert_str_eq(pkt_error_name(PKT_TRUNCATED), "truncated");
}
END_TEST

START_TEST(test_drbg)
{
	struct drbg a, b, c;
	uint8_t x[100], y[100], z[100];
	drbg_init(&a, 1, "label");
	drbg_init(&b, 1, "label");
	drbg_init(&c, 2, "label");
	drbg_bytes(&a, x, 7);
	drbg_bytes(&a, x + 7, 93);      /* pieces give the same stream as one read */
	drbg_bytes(&b, y, 100);
	drbg_bytes(&c, z, 100);
	ck_assert(memcmp(x, y, 100) == 0);
	ck_assert(memcmp(x, z, 100) != 0);
	/* Known answer: block 0 is HMAC-SHA256(HMAC-SHA256(seed, label), 0^8). */
	uint8_t seed[8] = {0, 0, 0, 0, 0, 0, 0, 1}, key[32], ctr[8] = {0}, blk[32];
	unsigned len = 32;
	HMAC(EVP_sha256(), seed, 8, (const uint8_t *)"label", 5, key, &len);
	HMAC(EVP_sha256(), key, 32, ctr, 8, blk, &len);
	ck_assert(memcmp(x, blk, 32) == 0);
}
END_TEST

/* ---- stages on small policies ---- */

struct world {
	struct parsed p;
	struct model *m;
	struct engine *e;
};

static void world_open(struct world *w, const char *text, uint64_t seed)
{
	load_text(&w->p, text, POLICY_MODELLED);
	ck_assert_msg(w->p.ok, "the test policy must load");
	w->m = w->p.model;
	struct engine_options o = {.seed = seed};
	char err[200];
	w->e = engine_new(w->m, &o, err, sizeof(err));
	ck_assert_ptr_nonnull(w->e);
}

static void world_close(struct world *w)
{
	engine_free(w->e);
	parsed_free(&w->p);     /* and the model */
}

static struct packet_result *send_text(struct world *w, const char *text)
{
	struct engine_send s;
	char err[300];
	ck_assert_msg(engine_parse_send(w->e, text, &s, err, sizeof(err)), "%s", err);
	return engine_send(w->e, &s, 1);
}

static bool has_hop(const struct packet_result *r, const char *node, enum stage st, const char *text)
{
	for (; r; r = r->reply)
		for (size_t i = 0; i < r->hops.n; i++)
			if (r->hops.v[i].stage == st && strcmp(r->hops.v[i].node, node) == 0 &&
			    strstr(r->hops.v[i].result, text))
				return true;
	return false;
}

#define PROPOSALS                                                              \
	"ike k { version 1; encryption aes128; integrity sha256; group 14; }\n" \
	"ipsec p { encryption aes128; integrity sha256; pfs 14; }\n"

#define SITE_A(extra_iface, nat)                                               \
	"site a { subnet 192.168.1.0/24; host pc1 192.168.1.10;\n"             \
	"  gateway ra { platform ios;\n"                                       \
	"    interface g0 { address 198.51.100.1/24; outside; " extra_iface " }\n" \
	"    interface g1 { address 192.168.1.1/24; }\n"                       \
	"    route default via 198.51.100.254; " nat " } }\n"

#define SITE_B(platform, ike)                                                  \
	"site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"            \
	"  gateway rb { platform " platform ";\n"                              \
	"    interface e0 { address 203.0.113.1/24; outside; }\n"              \
	"    interface e1 { address 192.168.2.1/24; }\n"                       \
	"    route default via 203.0.113.254; } }\n"                           \
	"tunnel t { between ra and rb; ike " ike "; ipsec p; psk \"0123456789abcdefghij\"; }\n"

START_TEST(test_round_trip_protected)
{
	struct world w;
	world_open(&w, PROPOSALS SITE_A("", "") SITE_B("ios", "k"), 1);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	const struct ir_tunnel *t = NULL;
	ck_assert_int_eq(r->verdict, VERDICT_PROTECTED);
	ck_assert_ptr_nonnull(r->reply);
	ck_assert_int_eq(r->reply->verdict, VERDICT_PROTECTED);
	ck_assert_int_eq(packet_overall_verdict(r, &t), VERDICT_PROTECTED);
	ck_assert_str_eq(t->name, "t");
	ck_assert(has_hop(r, "rb", STAGE_DECAP, "ICV ok"));
	ck_assert(has_hop(r, "rb", STAGE_INBOUND_CHECK, "matches SA selectors"));
	ck_assert(has_hop(r, "ra", STAGE_IKE, "main mode with rb"));
	/* The second packet reuses the SA: no second negotiation. */
	struct packet_result *r2 = send_text(&w, "pc1 -> srv1");
	ck_assert(has_hop(r2, "ra", STAGE_IKE, "SA established"));
	ck_assert(!has_hop(r2, "ra", STAGE_IKE, "main mode"));
	ck_assert(has_hop(r2, "ra", STAGE_ESP, "seq 2"));
	/* Traffic to the Internet leaves in clear. */
	struct packet_result *r3 = send_text(&w, "pc1 -> 8.8.8.8 tcp 443");
	ck_assert_int_eq(r3->verdict, VERDICT_CLEAR);
	ck_assert_ptr_null(r3->reply);
	world_close(&w);
}
END_TEST

START_TEST(test_ike_failures)
{
	struct world w;
	/* Different IKE proposals: phase 1 fails, in IOS's words. */
	world_open(&w, PROPOSALS "ike other { version 1; encryption 3des; integrity sha1; group 2; }\n"
		   SITE_A("", "") "site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"
		   "  gateway rb { platform ios;\n"
		   "    interface e0 { address 203.0.113.1/24; outside; }\n"
		   "    interface e1 { address 192.168.2.1/24; }\n"
		   "    route default via 203.0.113.254; } }\n"
		   "tunnel t { between ra and rb; ike k; ipsec p; psk \"0123456789abcdefghij\";\n"
		   "  rb { ike other; } }\n", 1);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_IKE);
	ck_assert_str_eq(r->at_node, "ra");
	ck_assert_ptr_nonnull(strstr(r->reason, "no proposal chosen"));
	ck_assert_ptr_nonnull(strstr(r->reason, "%CRYPTO-6-IKMP_MODE_FAILURE: Processing of Main mode "
					      "failed with peer at 203.0.113.1"));
	world_close(&w);

	/* Different keys: compared, never printed. */
	world_open(&w, PROPOSALS SITE_A("", "") "site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"
		   "  gateway rb { platform ios;\n"
		   "    interface e0 { address 203.0.113.1/24; outside; }\n"
		   "    interface e1 { address 192.168.2.1/24; }\n"
		   "    route default via 203.0.113.254; } }\n"
		   "tunnel t { between ra and rb; ike k; ipsec p; psk \"0123456789abcdefghij\";\n"
		   "  rb { psk \"zyxwvutsrqponmlkjihg\"; } }\n", 1);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_ptr_nonnull(strstr(r->reason, "pre-shared keys of ra and rb differ"));
	for (size_t i = 0; i < r->hops.n; i++) {
		ck_assert_ptr_null(strstr(r->hops.v[i].result, "0123456789"));
		ck_assert_ptr_null(strstr(r->hops.v[i].result, "zyxwv"));
	}
	world_close(&w);

	/* IOS accepts IKEv1 proxy IDs inside its own, not wider: rb narrows
	 * its remote, ra proposes the whole /24. */
	world_open(&w, PROPOSALS SITE_A("", "") "site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"
		   "  gateway rb { platform ios;\n"
		   "    interface e0 { address 203.0.113.1/24; outside; }\n"
		   "    interface e1 { address 192.168.2.1/24; }\n"
		   "    route default via 203.0.113.254; } }\n"
		   "tunnel t { between ra and rb; ike k; ipsec p; psk \"0123456789abcdefghij\";\n"
		   "  rb { remote 192.168.1.0/25; } }\n", 1);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_ptr_nonnull(strstr(r->reason, "rb has no policy for 192.168.1.0/24 -> 192.168.2.0/24"));
	world_close(&w);
}
END_TEST

START_TEST(test_ikev2_narrowing)
{
	static const char text[] =
		"ike k2 { version 2; encryption aes128; integrity sha256; group 14; }\n"
		"ipsec p { encryption aes128-gcm; integrity none; }\n"
		SITE_A("", "")
		"site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"
		"  gateway rb { platform ios;\n"
		"    interface e0 { address 203.0.113.1/24; outside; }\n"
		"    interface e1 { address 192.168.2.1/24; }\n"
		"    route default via 203.0.113.254; } }\n"
		"tunnel t { between ra and rb; ike k2; ipsec p; psk \"0123456789abcdefghij\";\n"
		"  rb { remote 192.168.1.0/25; } }\n";
	struct world w;
	world_open(&w, text, 1);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_PROTECTED);
	ck_assert(has_hop(r, "ra", STAGE_IKE, "IKE_AUTH 192.168.1.0/25 -> 192.168.2.0/24 (narrowed "
			  "by rb from 192.168.1.0/24 -> 192.168.2.0/24) accepted"));
	/* Outside the narrowed selectors: the SA pair for the narrowed part
	 * is up, this packet is not protected (RFC 7296 §2.9: TS_UNACCEPTABLE
	 * only when no part is acceptable; ike-behaviour.md). */
	r = send_text(&w, "192.168.1.200 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_ptr_null(strstr(r->reason, "TS_UNACCEPTABLE"));
	ck_assert_ptr_nonnull(strstr(r->reason, "rb narrowed the selectors to 192.168.1.0/25 -> "
					      "192.168.2.0/24"));
	world_close(&w);
}
END_TEST

START_TEST(test_nat_and_filters)
{
	/* Overload without exemption: translated before the crypto map. */
	struct world w;
	world_open(&w, PROPOSALS SITE_A("", "nat { overload 192.168.1.0/24 on g0; }")
		   SITE_B("ios", "k"), 1);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_CLEAR);
	ck_assert(has_hop(r, "ra", STAGE_NAT, "overload: source 192.168.1.10 -> 198.51.100.1"));
	world_close(&w);

	world_open(&w, PROPOSALS SITE_A("", "nat { exempt tunnels; overload 192.168.1.0/24 on g0; }")
		   SITE_B("ios", "k"), 1);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	ck_assert(has_hop(r, "ra", STAGE_NAT, "exempt tunnels"));
	world_close(&w);

	/* An egress filter that drops ESP on IOS (the ACL sees the ESP packet). */
	world_open(&w, PROPOSALS SITE_A("filter out { permit any -> any udp 500; drop any -> any esp; }", "")
		   SITE_B("ios", "k"), 1);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_FILTER);
	world_close(&w);

	/* A filter that drops IKE: the negotiation never completes. */
	world_open(&w, PROPOSALS SITE_A("filter out { drop any -> any udp 500; }", "")
		   SITE_B("ios", "k"), 1);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_IKE);
	ck_assert_ptr_nonnull(strstr(r->reason, "drops UDP 500"));
	world_close(&w);
}
END_TEST

START_TEST(test_behind_nat)
{
	/* ra behind a NAT device, AH: the NAT rewrites the source AH covers. */
	static const char ah[] =
		"ike k { version 1; encryption aes128; integrity sha256; group 14; }\n"
		"ipsec p { protocol ah; integrity sha256; }\n"
		SITE_A("behind-nat 192.0.2.77;", "") SITE_B("ios", "k");
	struct world w;
	world_open(&w, ah, 1);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_DECAP);
	ck_assert_ptr_nonnull(strstr(r->reason, "bad-icv"));
	world_close(&w);

	/* ESP with NAT-T: UDP 4500 gets through both ways. */
	world_open(&w, PROPOSALS SITE_A("behind-nat 192.0.2.77;", "") SITE_B("ios", "k"), 1);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	ck_assert(has_hop(r, "ra", STAGE_ESP, "in UDP 4500"));
	world_close(&w);

	/* NAT-T off: ESP goes out, but the reply has no mapping back. */
	world_open(&w, PROPOSALS SITE_A("behind-nat 192.0.2.77;", "")
		   "site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"
		   "  gateway rb { platform ios;\n"
		   "    interface e0 { address 203.0.113.1/24; outside; }\n"
		   "    interface e1 { address 192.168.2.1/24; }\n"
		   "    route default via 203.0.113.254; } }\n"
		   "tunnel t { between ra and rb; ike k; ipsec p; psk \"0123456789abcdefghij\";"
		   " nat-traversal off; }\n", 1);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_PROTECTED);
	ck_assert_int_eq(r->reply->verdict, VERDICT_DROPPED);
	ck_assert_ptr_nonnull(strstr(r->reply->reason, "no mapping for ESP"));
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_DROPPED);
	world_close(&w);
}
END_TEST

START_TEST(test_behind_pat)
{
	/* ra behind a port-translating NAT: rb cannot start IKE toward it. */
	const char *pat = PROPOSALS SITE_A("behind-nat 192.0.2.77 pat;", "") SITE_B("ios", "k");
	struct world w;
	world_open(&w, pat, 1);
	struct packet_result *r = send_text(&w, "srv1 -> pc1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_IKE);
	ck_assert_str_eq(r->at_node, "rb");
	ck_assert_msg(strstr(r->reason, "dropped: ra is behind PAT 192.0.2.77; no inbound initiation"),
		      "%s", r->reason);
	/* ra starts it: its IKE opens the mapping, NAT-T adds UDP 4500's. */
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	ck_assert(has_hop(r, "nat(192.0.2.77)", STAGE_WIRE,
			  "PAT mapping udp 192.0.2.77:500 <-> 203.0.113.1:500 opened by ra's IKE"));
	ck_assert(has_hop(r, "nat(192.0.2.77)", STAGE_WIRE, "udp 192.0.2.77:4500"));
	ck_assert(has_hop(r, "nat(192.0.2.77)", STAGE_WIRE, "keepalives"));
	/* Now rb's traffic comes in through ra's NAT-T mapping. */
	r = send_text(&w, "srv1 -> pc1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	/* A packet rb's side starts in clear toward the NAT's address: nothing opened it. */
	r = send_text(&w, "srv1 -> 192.0.2.77 tcp 22");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_msg(strstr(r->reason, "no inbound initiation"), "%s", r->reason);
	/* A rewind forgets the mappings. */
	engine_rewind(w.e);
	r = send_text(&w, "srv1 -> pc1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	world_close(&w);

	/* Without pat the NAT is one-to-one: rb may start IKE through it. */
	world_open(&w, PROPOSALS SITE_A("behind-nat 192.0.2.77;", "") SITE_B("ios", "k"), 1);
	r = send_text(&w, "srv1 -> pc1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	world_close(&w);

	/* A peer behind PAT: the gateway cannot start IKE toward it. */
	world_open(&w, PROPOSALS SITE_A("", "")
		   "peer pb { address 203.0.113.9; subnet 192.168.2.0/24; behind-nat pat; }\n"
		   "tunnel t { between ra and pb; ike k; ipsec p; psk \"0123456789abcdefghij\"; }\n", 1);
	r = send_text(&w, "pc1 -> 192.168.2.10");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_msg(strstr(r->reason, "dropped: pb is behind PAT 203.0.113.9; no inbound initiation"),
		      "%s", r->reason);
	r = send_text(&w, "192.168.2.10 -> pc1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	world_close(&w);
}
END_TEST

/* Cisco's order of operation (platform rows): the inside interface's inbound
 * ACL sees the clear packet as it arrives, before encryption; its outbound
 * ACL sees the decrypted packet on its way to the host. */
static const char *inside_filter_policy(const char *platform, const char *filter)
{
	/* What PIX 6.3 can run (no SHA-2, no group 14). */
	static const char pix_proposals[] =
		"ike k { version 1; encryption aes128; integrity sha1; group 2; }\n"
		"ipsec p { encryption aes128; integrity sha1; pfs 2; }\n";
	static char text[2048];
	snprintf(text, sizeof(text), "%s"
		 "site a { subnet 192.168.1.0/24; host pc1 192.168.1.10;\n"
		 "  gateway ra { platform %s;\n"
		 "    interface g0 { address 198.51.100.1/24; outside; }\n"
		 "    interface g1 { address 192.168.1.1/24; %s }\n"
		 "    route default via 198.51.100.254; } }\n"
		 SITE_B("ios", "k"), strncmp(platform, "pix", 3) ? PROPOSALS : pix_proposals,
		 platform, filter);
	return text;
}

START_TEST(test_cisco_inside_filters)
{
	static const char *const platforms[] = {"ios", "pix 6.3"};
	for (size_t i = 0; i < 2; i++) {
		struct world w;
		world_open(&w, inside_filter_policy(platforms[i],
			"filter in { permit 192.168.1.0/24 -> 192.168.2.0/24; default drop; }"), 1);
		struct packet_result *r = send_text(&w, "pc1 -> srv1");
		ck_assert_msg(packet_overall_verdict(r, NULL) == VERDICT_PROTECTED, "%s: %s",
			      platforms[i], r->reason ? r->reason : "");
		ck_assert(has_hop(r, "ra", STAGE_FILTER, "permit (rule, filter in on g1)"));
		world_close(&w);
	}
	struct world w;
	world_open(&w, inside_filter_policy("ios",
		"filter out { drop 192.168.2.0/24 -> 192.168.1.0/24; default permit; }"), 1);
	struct packet_result *r = send_text(&w, "srv1 -> pc1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_FILTER);
	ck_assert_str_eq(r->at_node, "ra");
	ck_assert(has_hop(r, "ra", STAGE_DECAP, "ICV ok"));
	world_close(&w);
}
END_TEST

START_TEST(test_wrong_next_hop_and_unreachable)
{
	static const char text[] =
		PROPOSALS
		"site c { subnet 10.10.0.0/16; host pc1 10.10.0.20;\n"
		"  gateway w { platform windows 2003;\n"
		"    interface Internet { address 198.51.100.2/29; outside; }\n"
		"    interface Leased { address 172.16.0.1/30; outside; }\n"
		"    interface Internal { address 10.10.0.1/16; }\n"
		"    route default via 198.51.100.1;\n"
		"    route 203.0.113.10 via 172.16.0.2; } }\n"
		"peer pg { address 203.0.113.10; subnet 10.20.0.0/16; }\n"
		"ike w1 { version 1; encryption 3des; integrity sha1; group 2; }\n"
		"ipsec w1 { encryption 3des; integrity sha1; }\n"
		"tunnel t { between w and pg; ike w1; ipsec w1; psk \"0123456789abcdefghij\"; }\n";
	struct world w;
	world_open(&w, text, 1);
	struct packet_result *r = send_text(&w, "pc1 -> 10.20.0.5");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_WIRE);
	ck_assert_ptr_nonnull(strstr(r->reason,
		"wrong next hop (ESP handed to 198.51.100.1, peer 203.0.113.10 is reached via 172.16.0.2)"));
	/* The gateway's own traffic to the peer's address takes its host route. */
	r = send_text(&w, "w -> 203.0.113.10 udp 53");
	ck_assert_int_eq(r->verdict, VERDICT_CLEAR);
	/* No route at all: a gateway with only connected routes. */
	world_close(&w);
	world_open(&w, PROPOSALS
		   "site a { subnet 192.168.1.0/24; host pc1 192.168.1.10;\n"
		   "  gateway ra { platform ios;\n"
		   "    interface g0 { address 198.51.100.1/24; outside; }\n"
		   "    interface g1 { address 192.168.1.1/24; } } }\n", 1);
	r = send_text(&w, "pc1 -> 8.8.8.8");
	ck_assert_int_eq(r->verdict, VERDICT_UNREACHABLE);
	ck_assert_int_eq(r->at_stage, STAGE_ROUTE);
	world_close(&w);
}
END_TEST

START_TEST(test_deterministic_spis)
{
	struct world w1, w2, w3;
	world_open(&w1, PROPOSALS SITE_A("", "") SITE_B("ios", "k"), 7);
	world_open(&w2, PROPOSALS SITE_A("", "") SITE_B("ios", "k"), 7);
	world_open(&w3, PROPOSALS SITE_A("", "") SITE_B("ios", "k"), 8);
	struct packet_result *a = send_text(&w1, "pc1 -> srv1");
	struct packet_result *b = send_text(&w2, "pc1 -> srv1");
	struct packet_result *c = send_text(&w3, "pc1 -> srv1");
	ck_assert_uint_eq(a->hops.n, b->hops.n);
	bool differs = false;
	for (size_t i = 0; i < a->hops.n; i++) {
		ck_assert_str_eq(a->hops.v[i].result, b->hops.v[i].result);
		if (i < c->hops.n && strcmp(a->hops.v[i].result, c->hops.v[i].result) != 0)
			differs = true;
	}
	ck_assert(differs);             /* another seed, other SPIs */
	world_close(&w1);
	world_close(&w2);
	world_close(&w3);
}
END_TEST

/* ---- manually keyed tunnels (IOS toward Linux: both hold static SAs) ---- */

#define PSK_TEXT "0123456789abcdefghij"

static void hex_of(const unsigned char *b, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
}

/* IOS ra and Linux rb, sharing tunnel t; RA_IFACE goes into ra's outside
 * interface, RB into rb's block of the tunnel. */
static void manual_open(struct world *w, const char *ra_iface, const char *rb, uint64_t seed,
			const char *keylog)
{
	char text[4096];
	snprintf(text, sizeof(text), PROPOSALS
		 "ipsec other { encryption aes256; integrity sha256; }\n"
		 "ipsec gcm { encryption aes128-gcm; integrity none; }\n"
		 SITE_A("%s", "")
		 "site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"
		 "  gateway rb { platform linux;\n"
		 "    interface e0 { address 203.0.113.1/24; outside; }\n"
		 "    interface e1 { address 192.168.2.1/24; }\n"
		 "    route default via 203.0.113.254; } }\n"
		 "tunnel t { between ra and rb; ike k; ipsec p; psk \"" PSK_TEXT "\";\n"
		 "  keying manual; rb { %s } }\n", ra_iface, rb);
	load_text(&w->p, text, POLICY_MODELLED);
	ck_assert_msg(w->p.ok, "the test policy must load");
	w->m = w->p.model;
	struct engine_options o = {.seed = seed, .keylog_path = keylog};
	char err[200];
	w->e = engine_new(w->m, &o, err, sizeof(err));
	ck_assert_ptr_nonnull(w->e);
}

START_TEST(test_manual_keys)
{
	/* The SAs the emitters write (src/model/manual_keys.c, labels of the xfrm script). */
	struct sa_keys out, in;
	const struct secret psk = {(unsigned char *)PSK_TEXT, 20};
	ck_assert(keys_derive_sa(&psk, "t", "ra", "rb", "cbc(aes)", 16, "hmac(sha256)", 32, &out));
	ck_assert(keys_derive_sa(&psk, "t", "rb", "ra", "cbc(aes)", 16, "hmac(sha256)", 32, &in));
	/* SPIs from the names alone: the first candidate (one tunnel, no clash). */
	out.spi = manual_spi_candidate("t", "ra", "rb", 0);
	in.spi = manual_spi_candidate("t", "rb", "ra", 0);
	ck_assert_uint_ge(out.spi, 0x100);
	ck_assert_uint_ge(in.spi, 0x100);
	char want[120];
	snprintf(want, sizeof(want), "manual keys (no negotiation): spi 0x%08x / 0x%08x",
		 out.spi, in.spi);

	char keylog[] = "/tmp/tunc-manual-keylog.XXXXXX";
	int fd = mkstemp(keylog);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct world w;
	manual_open(&w, "", "", 1, keylog);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	ck_assert_msg(has_hop(r, "ra", STAGE_IKE, want), "no hop '%s'", want);
	ck_assert(!has_hop(r, "ra", STAGE_IKE, "main mode"));
	ck_assert(has_hop(r, "rb", STAGE_INBOUND_CHECK, "matches t's policy 192.168.1.0/24 -> 192.168.2.0/24"));
	/* Another destination of the tunnel takes the same pair. */
	r = send_text(&w, "pc1 -> 192.168.2.77 udp 53");
	ck_assert(has_hop(r, "ra", STAGE_IKE, "SA established"));
	char err[200];
	ck_assert(engine_finish(w.e, err, sizeof(err)));
	world_close(&w);

	/* The keylog carries exactly these keys, one line per direction. */
	FILE *f = fopen(keylog, "r");
	ck_assert_ptr_nonnull(f);
	char buf[4096] = "";
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	unlink(keylog);
	buf[n] = '\0';
	char line[600], ek[2 * KEYS_MAX + 1], ak[2 * KEYS_MAX + 1];
	hex_of(out.enc, out.enc_len, ek);
	hex_of(out.auth, out.auth_len, ak);
	snprintf(line, sizeof(line), "\"IPv4\",\"198.51.100.1\",\"203.0.113.1\",\"0x%08x\","
		 "\"AES-CBC [RFC3602]\",\"0x%s\",\"HMAC-SHA-256-128 [RFC4868]\",\"0x%s\"\n",
		 out.spi, ek, ak);
	ck_assert_msg(strstr(buf, line), "keylog %s lacks %s", buf, line);
	hex_of(in.enc, in.enc_len, ek);
	hex_of(in.auth, in.auth_len, ak);
	snprintf(line, sizeof(line), "\"IPv4\",\"203.0.113.1\",\"198.51.100.1\",\"0x%08x\","
		 "\"AES-CBC [RFC3602]\",\"0x%s\",\"HMAC-SHA-256-128 [RFC4868]\",\"0x%s\"\n",
		 in.spi, ek, ak);
	ck_assert_msg(strstr(buf, line), "keylog %s lacks %s", buf, line);
	size_t lines = 0;
	for (char *p = buf; (p = strchr(p, '\n')); p++)
		lines++;
	ck_assert_uint_eq(lines, 2);
	keys_wipe(&out);
	keys_wipe(&in);

	/* The seed does not enter derived SAs. */
	struct world w2;
	manual_open(&w2, "", "", 99, NULL);
	r = send_text(&w2, "pc1 -> srv1");
	ck_assert(has_hop(r, "ra", STAGE_IKE, want));
	world_close(&w2);
}
END_TEST

START_TEST(test_manual_mismatch)
{
	struct world w;
	/* Different keys: the same SPIs (public), other keys: the ICV fails. */
	manual_open(&w, "", "psk \"zyxwvutsrqponmlkjihg\";", 1, NULL);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_DECAP);
	ck_assert_str_eq(r->at_node, "rb");
	ck_assert_msg(strstr(r->reason, "bad-icv"), "%s", r->reason);
	ck_assert_ptr_nonnull(strstr(r->reason, "pre-shared keys of ra and rb differ"));
	for (; r; r = r->reply)
		for (size_t i = 0; i < r->hops.n; i++) {
			ck_assert_ptr_null(strstr(r->hops.v[i].result, "0123456789"));
			ck_assert_ptr_null(strstr(r->hops.v[i].result, "zyxwv"));
		}
	world_close(&w);

	/* Different first offers: same SPIs, other keys. */
	manual_open(&w, "", "ipsec other;", 1, NULL);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_DECAP);
	ck_assert_msg(strstr(r->reason, "bad-icv") || strstr(r->reason, "bad-padding"), "%s",
		      r->reason);
	ck_assert_ptr_nonnull(strstr(r->reason, "ra sends esp aes128 sha256, rb's SA has esp aes256 sha256"));
	world_close(&w);

	/* AES-GCM cannot be keyed by hand (RFC 4106): no SA, at IKE. */
	manual_open(&w, "", "ipsec gcm;", 1, NULL);
	r = send_text(&w, "srv1 -> pc1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_IKE);
	ck_assert_str_eq(r->at_node, "rb");
	ck_assert_ptr_nonnull(strstr(r->reason, "rb cannot key ESP aes128-gcm by hand"));
	world_close(&w);
}
END_TEST

START_TEST(test_manual_behind_nat)
{
	/* ra behind a NAT device: no NAT-T without IKE, so the ESP request
	 * gets out (the SA is found by SPI) and the reply has no mapping back. */
	struct world w;
	manual_open(&w, "behind-nat 192.0.2.77;", "", 1, NULL);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert(has_hop(r, "ra", STAGE_IKE, "manual keys (no negotiation)"));
	ck_assert(!has_hop(r, "ra", STAGE_ESP, "UDP 4500"));
	ck_assert_int_eq(r->verdict, VERDICT_PROTECTED);
	ck_assert_int_eq(r->reply->verdict, VERDICT_DROPPED);
	ck_assert_ptr_nonnull(strstr(r->reply->reason, "no mapping for ESP"));
	world_close(&w);
}
END_TEST

START_TEST(test_ios_linux_negotiate)
{
	/* IOS facing Linux (strongSwan) negotiates IKE unless the tunnel says
	 * `keying manual;`: main mode, quick mode with PFS, no static SAs. */
	struct world w;
	world_open(&w, PROPOSALS SITE_A("", "") SITE_B("linux", "k"), 1);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	ck_assert(has_hop(r, "ra", STAGE_IKE, "main mode"));
	ck_assert(!has_hop(r, "ra", STAGE_IKE, "manual keys"));
	world_close(&w);
}
END_TEST

/* PFS on one end only: IKEv1 quick mode carries the KE and fails at once;
 * IKEv2's first CHILD_SA rides in IKE_AUTH without one (RFC 7296 §1.2), so
 * it comes up and the trace says its rekey fails (charon does the same:
 * tests/swanctl-differential.sh). */
#define PFS_SITES(ike)                                                         \
	"ike k2 { version 2; encryption aes128; integrity sha256; group 14; }\n" \
	"ipsec nopfs { encryption aes128; integrity sha256; pfs none; lifetime 1h; }\n" \
	SITE_A("", "")                                                         \
	"site b { subnet 192.168.2.0/24; host srv1 192.168.2.10;\n"            \
	"  gateway rb { platform linux;\n"                                     \
	"    interface e0 { address 203.0.113.1/24; outside; }\n"              \
	"    interface e1 { address 192.168.2.1/24; }\n"                       \
	"    route default via 203.0.113.254; } }\n"                           \
	"tunnel t { between ra and rb; ike " ike "; ipsec p; psk \"0123456789abcdefghij\";\n" \
	"  rb { ipsec nopfs; } }\n"

START_TEST(test_pfs_mismatch_by_version)
{
	struct world w;
	world_open(&w, PROPOSALS PFS_SITES("k2"), 1);
	struct packet_result *r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(packet_overall_verdict(r, NULL), VERDICT_PROTECTED);
	ck_assert(has_hop(r, "ra", STAGE_IKE, "rides in IKE_AUTH without a key exchange"));
	/* At the first end's rekey: charon (rb) at 90 % of its 1 h, before
	 * IOS (ra) at 30 s before its 1 h. */
	ck_assert(has_hop(r, "ra", STAGE_IKE, "fails with NO_PROPOSAL_CHOSEN at 3240 s"));
	world_close(&w);
	world_open(&w, PROPOSALS PFS_SITES("k"), 1);
	r = send_text(&w, "pc1 -> srv1");
	ck_assert_int_eq(r->verdict, VERDICT_DROPPED);
	ck_assert_int_eq(r->at_stage, STAGE_IKE);
	ck_assert_ptr_nonnull(strstr(r->reason, "PFS differs: ra uses group 14, rb none"));
	world_close(&w);
}
END_TEST

START_TEST(test_parse_send)
{
	struct world w;
	world_open(&w, PROPOSALS SITE_A("", "") SITE_B("linux", "k"), 1);
	struct engine_send s;
	char err[300];
	ck_assert(engine_parse_send(w.e, "pc1 -> 192.168.2.0/24 tcp 22", &s, err, sizeof(err)));
	char d[ADDR_STRLEN];
	addr_format(&s.dst, d, sizeof(d));
	ck_assert_str_eq(d, "192.168.2.1");     /* the first host of the prefix */
	ck_assert_uint_eq(s.proto, 6);
	ck_assert_uint_eq(s.port, 22);
	ck_assert(engine_parse_send(w.e, "ra->srv1 47", &s, err, sizeof(err)));
	ck_assert_ptr_nonnull(s.src_gw);
	ck_assert_uint_eq(s.proto, 47);
	static const char *const bad[] = {
		"", "pc1", "pc1 ->", "-> srv1", "nobody -> srv1", "pc1 -> srv1 tcp 70000",
		"pc1 -> srv1 bogus", "pc1 -> srv1 icmp 5", "pc1 -> srv1 tcp 80 extra",
		"pc1 -> 2001:db8::1", "pc1 x -> srv1", "pc1 -> srv1 tcp -1",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!engine_parse_send(w.e, bad[i], &s, err, sizeof(err)),
			      "'%s' must be refused", bad[i]);
	world_close(&w);
}
END_TEST

static Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tp = tcase_create("packet");
	tcase_add_loop_test(tp, test_build_parse_v4, 0, 3);
	tcase_add_test(tp, test_build_parse_v6_and_reply);
	tcase_add_loop_test(tp, test_truncated, 0, 2);
	tcase_add_test(tp, test_malformed);
	tcase_add_test(tp, test_drbg);
	suite_add_tcase(s, tp);
	TCase *ts = tcase_create("stages");
	tcase_set_timeout(ts, 60);
	tcase_add_test(ts, test_round_trip_protected);
	tcase_add_test(ts, test_ike_failures);
	tcase_add_test(ts, test_ikev2_narrowing);
	tcase_add_test(ts, test_nat_and_filters);
	tcase_add_test(ts, test_behind_nat);
	tcase_add_test(ts, test_behind_pat);
	tcase_add_test(ts, test_cisco_inside_filters);
	tcase_add_test(ts, test_wrong_next_hop_and_unreachable);
	tcase_add_test(ts, test_deterministic_spis);
	tcase_add_test(ts, test_manual_keys);
	tcase_add_test(ts, test_manual_mismatch);
	tcase_add_test(ts, test_manual_behind_nat);
	tcase_add_test(ts, test_ios_linux_negotiate);
	tcase_add_test(ts, test_pfs_mismatch_by_version);
	tcase_add_test(ts, test_parse_send);
	suite_add_tcase(s, ts);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(engine_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
