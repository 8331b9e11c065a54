/* The SPD index answers exactly what a first-match linear scan with
 * selector_matches() answers: property test on random, heavily overlapping
 * selectors and packets, for both families, plus corner cases. */
#include "config.h"

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "model/spd_index.h"
#include "model/model.h"

static uint64_t rng_state;

static uint32_t rnd(void)
{
	/* xorshift64*: deterministic per seed, independent of libc */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 0x2545f4914f6cdd1dULL) >> 32);
}

/* Addresses from a small pool so prefixes overlap a lot. */
static void rand_addr(struct ip_addr *a, uint8_t family)
{
	memset(a, 0, sizeof(*a));
	a->family = family;
	if (family == AF_V4) {
		a->b[0] = 10;
		a->b[1] = (uint8_t)(rnd() % 3);
		a->b[2] = (uint8_t)(rnd() % 4);
		a->b[3] = (uint8_t)(rnd() % 8 * 32 + rnd() % 4);
	} else {
		a->b[0] = 0x20;
		a->b[1] = 0x01;
		a->b[2] = 0x0d;
		a->b[3] = 0xb8;
		a->b[7] = (uint8_t)(rnd() % 3);
		a->b[8] = (uint8_t)(rnd() % 2 * 0x80);
		a->b[15] = (uint8_t)(rnd() % 4);
	}
}

static const unsigned v4_lens[] = { 0, 8, 14, 16, 22, 23, 24, 27, 30, 32 };
static const unsigned v6_lens[] = { 0, 32, 48, 56, 63, 64, 65, 120, 127, 128 };

static void rand_prefix(struct ip_prefix *p, uint8_t family)
{
	rand_addr(&p->addr, family);    /* host bits kept, as the parser does */
	p->len = (uint8_t)(family == AF_V4 ? v4_lens[rnd() % 10] : v6_lens[rnd() % 10]);
}

static const unsigned protos[] = { PROTO_ANY, PROTO_ANY, 1, 6, 17, 50 };
static const uint16_t ports[] = { 0, 22, 53, 80, 443, 500, 4500 };

static void rand_selector(struct selector *s)
{
	uint8_t fam = rnd() % 5 == 0 ? AF_V6 : AF_V4;
	memset(s, 0, sizeof(*s));
	rand_prefix(&s->src, fam);
	rand_prefix(&s->dst, fam);
	s->proto = protos[rnd() % 6];
	if (rnd() % 3 == 0) {
		uint16_t a = ports[rnd() % 7], b = ports[rnd() % 7];
		s->port_lo = a < b ? a : b;
		s->port_hi = a < b ? b : a;
	}
}

static size_t linear(const struct selector *s, size_t n, const struct ip_addr *src,
		     const struct ip_addr *dst, unsigned proto, uint16_t dport)
{
	for (size_t i = 0; i < n; i++)
		if (selector_matches(&s[i], src, dst, proto, dport))
			return i;
	return SPD_INDEX_NONE;
}

START_TEST(test_matches_linear_scan)
{
	static const size_t sizes[] = { 0, 1, 2, 7, 50, 300, 2000, 6000 };
	size_t n = sizes[_i];
	rng_state = 0x9e3779b97f4a7c15ULL + _i;
	struct selector *s = calloc(n ? n : 1, sizeof(*s));
	for (size_t i = 0; i < n; i++)
		rand_selector(&s[i]);
	struct spd_index *ix = spd_index_build(s, n);
	ck_assert_uint_eq(spd_index_size(ix), n);
	size_t hits = 0;
	for (int q = 0; q < 20000; q++) {
		struct ip_addr src, dst;
		uint8_t fam = rnd() % 5 == 0 ? AF_V6 : AF_V4;
		rand_addr(&src, fam);
		rand_addr(&dst, rnd() % 50 == 0 ? (fam == AF_V4 ? AF_V6 : AF_V4) : fam);
		unsigned proto = protos[rnd() % 6];
		if (proto == PROTO_ANY)
			proto = 47;
		uint16_t dport = rnd() % 4 ? ports[rnd() % 7] : (uint16_t)rnd();
		size_t want = linear(s, n, &src, &dst, proto, dport);
		size_t got = spd_index_lookup(ix, &src, &dst, proto, dport);
		ck_assert_msg(got == want, "n=%zu query %d: index %zu, linear scan %zu", n, q, got,
			      want);
		hits += want != SPD_INDEX_NONE;
	}
	if (n >= 50)
		ck_assert_uint_gt(hits, 1000);  /* the test exercises matches, not only misses */
	spd_index_free(ix);
	free(s);
}
END_TEST

/* Selectors embedded in larger records, as model_spd_lookup has them. */
struct record {
	int before;
	struct selector sel;
	char after[13];
};

START_TEST(test_strided)
{
	rng_state = 42;
	enum { N = 500 };
	struct record *r = calloc(N, sizeof(*r));
	struct selector *flat = calloc(N, sizeof(*flat));
	for (size_t i = 0; i < N; i++) {
		rand_selector(&r[i].sel);
		flat[i] = r[i].sel;
	}
	struct spd_index *ix = spd_index_build_strided(&r[0].sel, N, sizeof(*r));
	for (int q = 0; q < 5000; q++) {
		struct ip_addr src, dst;
		rand_addr(&src, AF_V4);
		rand_addr(&dst, AF_V4);
		ck_assert_uint_eq(spd_index_lookup(ix, &src, &dst, 6, 443),
				  linear(flat, N, &src, &dst, 6, 443));
	}
	spd_index_free(ix);
	free(r);
	free(flat);
}
END_TEST

START_TEST(test_first_match_wins)
{
	struct selector s[3];
	memset(s, 0, sizeof(s));
	ck_assert(prefix_parse("0.0.0.0/0", &s[0].src));
	ck_assert(prefix_parse("192.168.2.0/24", &s[0].dst));
	s[0].proto = 6;
	s[0].port_lo = s[0].port_hi = 443;
	ck_assert(prefix_parse("192.168.1.0/24", &s[1].src));
	ck_assert(prefix_parse("192.168.2.77", &s[1].dst));       /* longer, but later */
	ck_assert(prefix_parse("0.0.0.0/0", &s[2].src));
	ck_assert(prefix_parse("0.0.0.0/0", &s[2].dst));
	struct spd_index *ix = spd_index_build(s, 3);
	struct ip_addr a, b, c;
	ck_assert(addr_parse("192.168.1.5", &a));
	ck_assert(addr_parse("192.168.2.77", &b));
	ck_assert(addr_parse("2001:db8::1", &c));
	ck_assert_uint_eq(spd_index_lookup(ix, &a, &b, 6, 443), 0);
	ck_assert_uint_eq(spd_index_lookup(ix, &a, &b, 6, 80), 1);
	ck_assert_uint_eq(spd_index_lookup(ix, &a, &b, 17, 443), 1);
	ck_assert_uint_eq(spd_index_lookup(ix, &b, &a, 1, 0), 2);
	ck_assert_uint_eq(spd_index_lookup(ix, &c, &c, 1, 0), SPD_INDEX_NONE);
	ck_assert_uint_eq(spd_index_lookup(ix, &a, &c, 1, 0), SPD_INDEX_NONE);
	spd_index_free(ix);
}
END_TEST

/* Many entries toward one destination, told apart by source, protocol and
 * port: one table per (destination length, source length), several of
 * them for one destination, against a scan in order. */
START_TEST(test_large_groups_by_source)
{
	rng_state = 0x51a7e5ULL;
	enum { N = 5000 };
	struct selector *s = calloc(N, sizeof(*s));
	static const unsigned src_lens[] = { 0, 8, 16, 24, 24, 24, 28, 32 };
	for (size_t i = 0; i < N; i++) {
		uint8_t fam = rnd() % 8 == 0 ? AF_V6 : AF_V4;
		rand_selector(&s[i]);
		/* Four destinations only, so every group is large. */
		rand_addr(&s[i].dst.addr, fam);
		s[i].dst.addr.b[fam == AF_V4 ? 3 : 15] = (uint8_t)(rnd() % 2);
		s[i].dst.len = (uint8_t)(fam == AF_V4 ? 24 + rnd() % 2 * 8 : 120);
		rand_addr(&s[i].src.addr, fam);
		s[i].src.len = (uint8_t)(fam == AF_V4 ? src_lens[rnd() % 8] : 64 + rnd() % 3 * 32);
	}
	struct spd_index *ix = spd_index_build(s, N);
	size_t hits = 0;
	for (int q = 0; q < 20000; q++) {
		struct ip_addr src, dst;
		uint8_t fam = rnd() % 8 == 0 ? AF_V6 : AF_V4;
		rand_addr(&src, fam);
		rand_addr(&dst, fam);
		dst.b[fam == AF_V4 ? 3 : 15] = (uint8_t)(rnd() % 3);
		unsigned proto = protos[rnd() % 6];
		if (proto == PROTO_ANY)
			proto = 47;
		uint16_t dport = ports[rnd() % 7];
		size_t want = linear(s, N, &src, &dst, proto, dport);
		size_t got = spd_index_lookup(ix, &src, &dst, proto, dport);
		ck_assert_msg(got == want, "query %d: index %zu, linear scan %zu", q, got, want);
		hits += want != SPD_INDEX_NONE;
	}
	ck_assert_uint_gt(hits, 5000);
	spd_index_free(ix);
	free(s);
}
END_TEST

/* Keys of one entry each (distinct sources): verified from their slot.
 * Some entries have a source of the other family, all ::/0 or 0.0.0.0/0
 * (key 0, length 0, like a 0/0 of the destination's own family): they never
 * match, so they must never be answered from a slot. */
START_TEST(test_single_entry_subgroups)
{
	rng_state = 0x0ddba11ULL;
	enum { N = 3000 };
	struct selector *s = calloc(N, sizeof(*s));
	for (size_t i = 0; i < N; i++) {
		memset(&s[i], 0, sizeof(s[i]));
		uint8_t dfam = i % 2 ? AF_V4 : AF_V6;
		rand_addr(&s[i].dst.addr, dfam);
		s[i].dst.addr.b[dfam == AF_V4 ? 3 : 15] = 1;
		s[i].dst.len = (uint8_t)(dfam == AF_V4 ? 24 : 120);
		uint8_t sfam = rnd() % 50 == 0 ? (dfam == AF_V4 ? AF_V6 : AF_V4) : dfam;
		memset(&s[i].src.addr, 0, sizeof(s[i].src.addr));
		s[i].src.addr.family = sfam;
		if (sfam != dfam) {
			s[i].src.len = 0;       /* key 0, length 0: as a 0/0 of the group's family */
		} else if (sfam == AF_V4) {
			s[i].src.addr.b[0] = 10;
			s[i].src.addr.b[1] = (uint8_t)(rnd() % 8);
			s[i].src.addr.b[2] = (uint8_t)rnd();
			s[i].src.addr.b[3] = (uint8_t)rnd();
			s[i].src.len = (uint8_t)(rnd() % 2 ? 24 : 32);
		} else {
			s[i].src.addr.b[0] = 0x20;
			s[i].src.addr.b[1] = 0x01;
			s[i].src.addr.b[6] = (uint8_t)(rnd() % 8);
			s[i].src.addr.b[7] = (uint8_t)rnd();
			s[i].src.addr.b[15] = (uint8_t)rnd();
			s[i].src.len = (uint8_t)(rnd() % 2 ? 64 : 128);
		}
		s[i].proto = protos[rnd() % 6];
		if (rnd() % 3 == 0) {
			uint16_t a = ports[rnd() % 7], b = ports[rnd() % 7];
			s[i].port_lo = a < b ? a : b;
			s[i].port_hi = a < b ? b : a;
		}
	}
	struct spd_index *ix = spd_index_build(s, N);
	size_t hits = 0;
	for (int q = 0; q < 30000; q++) {
		/* Aimed at an entry's source and destination, or at its family's
		 * pool with a random source. */
		const struct selector *e = &s[rnd() % N];
		uint8_t fam = e->dst.addr.family;
		struct ip_addr src = e->src.addr, dst = e->dst.addr;
		if (src.family != fam || rnd() % 4 == 0) {
			memset(&src, 0, sizeof(src));
			src.family = fam;
			src.b[0] = fam == AF_V4 ? 10 : 0x20;
			src.b[1] = fam == AF_V4 ? (uint8_t)(rnd() % 8) : 0x01;
			src.b[fam == AF_V4 ? 2 : 7] = (uint8_t)rnd();
			src.b[fam == AF_V4 ? 3 : 15] = (uint8_t)rnd();
		}
		unsigned proto = rnd() % 2 && e->proto ? e->proto : protos[rnd() % 6];
		if (proto == PROTO_ANY)
			proto = 47;
		uint16_t dport = rnd() % 2 && e->port_lo ? e->port_lo : ports[rnd() % 7];
		size_t want = linear(s, N, &src, &dst, proto, dport);
		size_t got = spd_index_lookup(ix, &src, &dst, proto, dport);
		ck_assert_msg(got == want, "query %d: index %zu, linear scan %zu", q, got, want);
		hits += want != SPD_INDEX_NONE;
	}
	ck_assert_uint_gt(hits, 10000);
	spd_index_free(ix);
	free(s);
}
END_TEST

/* Many entries of one (destination, source) pair, told apart only by
 * protocol and port: the first is verified from its slot, the others from
 * the key's list in index order; an entry for any traffic hides the ones
 * after it; a protocol too large for the slot (as a selector may hold any
 * unsigned) is verified from the list. */
START_TEST(test_shared_keys)
{
	rng_state = 0x5ea7ed0ULL;
	enum { N = 4000, BIG_PROTO = 70000 };
	static const unsigned key_protos[] = { PROTO_ANY, 6, 6, 17, 17, 1, BIG_PROTO };
	struct selector *s = calloc(N, sizeof(*s));
	for (size_t i = 0; i < N; i++) {
		uint8_t fam = rnd() % 4 == 0 ? AF_V6 : AF_V4;
		memset(&s[i], 0, sizeof(s[i]));
		/* Four destinations and four sources a family, two lengths each. */
		rand_addr(&s[i].dst.addr, fam);
		rand_addr(&s[i].src.addr, fam);
		s[i].dst.addr.b[fam == AF_V4 ? 2 : 7] = (uint8_t)(rnd() % 4);
		s[i].src.addr.b[fam == AF_V4 ? 2 : 7] = (uint8_t)(rnd() % 4);
		s[i].dst.len = (uint8_t)(fam == AF_V4 ? 24 : 64);
		s[i].src.len = (uint8_t)(fam == AF_V4 ? 16 + rnd() % 2 * 8 : 48 + rnd() % 2 * 16);
		s[i].proto = key_protos[rnd() % 7];
		/* any traffic seldom, so that most keys hold a long list */
		if (s[i].proto == PROTO_ANY && rnd() % 8)
			s[i].proto = 6;
		if (rnd() % 2) {
			uint16_t a = ports[rnd() % 7], b = ports[rnd() % 7];
			s[i].port_lo = a < b ? a : b;
			s[i].port_hi = a < b ? b : a;
		}
	}
	struct spd_index *ix = spd_index_build(s, N);
	size_t hits = 0, late = 0;
	for (int q = 0; q < 20000; q++) {
		const struct selector *e = &s[rnd() % N];
		uint8_t fam = e->dst.addr.family;
		struct ip_addr src, dst;
		rand_addr(&src, fam);
		rand_addr(&dst, fam);
		src.b[fam == AF_V4 ? 2 : 7] = e->src.addr.b[fam == AF_V4 ? 2 : 7];
		dst.b[fam == AF_V4 ? 2 : 7] = e->dst.addr.b[fam == AF_V4 ? 2 : 7];
		unsigned proto = key_protos[1 + rnd() % 6];
		uint16_t dport = rnd() % 3 ? ports[rnd() % 7] : (uint16_t)rnd();
		size_t want = linear(s, N, &src, &dst, proto, dport);
		size_t got = spd_index_lookup(ix, &src, &dst, proto, dport);
		ck_assert_msg(got == want, "query %d: index %zu, linear scan %zu", q, got, want);
		hits += want != SPD_INDEX_NONE;
		late += want != SPD_INDEX_NONE && want > 100;
	}
	ck_assert_uint_gt(hits, 10000);
	ck_assert_uint_gt(late, 1000);  /* answers from deep in the keys' lists too */
	spd_index_free(ix);
	free(s);
}
END_TEST

/* Tables of more than a mebibyte a family (their slots are prefetched
 * before any is verified) and more tuples than are prefetched at once,
 * against a scan in order. */
START_TEST(test_large_tables)
{
	rng_state = 0x1a59eULL;
	enum { N = 45000 };
	static const unsigned v4_dl[] = { 16, 24, 28, 32 }, v4_sl[] = { 0, 16, 24, 32 };
	static const unsigned v6_dl[] = { 48, 64, 128 }, v6_sl[] = { 0, 56, 64, 128 };
	struct selector *s = calloc(N, sizeof(*s));
	for (size_t i = 0; i < N; i++) {
		uint8_t fam = i % 3 == 0 ? AF_V6 : AF_V4;
		memset(&s[i], 0, sizeof(s[i]));
		s[i].dst.addr.family = s[i].src.addr.family = fam;
		for (int b = 0; b < (fam == AF_V4 ? 4 : 16); b++) {
			s[i].dst.addr.b[b] = (uint8_t)(b < 2 ? 0x20u + (unsigned)b : rnd());
			s[i].src.addr.b[b] = (uint8_t)(b < 2 ? 0x0au + (unsigned)b : rnd());
		}
		s[i].dst.len = (uint8_t)(fam == AF_V4 ? v4_dl[rnd() % 4] : v6_dl[rnd() % 3]);
		s[i].src.len = (uint8_t)(fam == AF_V4 ? v4_sl[rnd() % 4] : v6_sl[rnd() % 4]);
		if (rnd() % 4 == 0) {
			s[i].proto = 6;
			s[i].port_lo = s[i].port_hi = ports[1 + rnd() % 6];
		}
	}
	struct spd_index *ix = spd_index_build(s, N);
	size_t hits = 0;
	for (int q = 0; q < 3000; q++) {
		const struct selector *e = &s[rnd() % N];
		uint8_t fam = e->dst.addr.family;
		struct ip_addr src = e->src.addr, dst = e->dst.addr;
		/* inside the entry, or only near it */
		dst.b[fam == AF_V4 ? 3 : 15] = (uint8_t)rnd();
		if (rnd() % 4 == 0)
			src.b[fam == AF_V4 ? 2 : 9] = (uint8_t)rnd();
		unsigned proto = rnd() % 2 ? 6 : 17;
		uint16_t dport = rnd() % 2 && e->port_lo ? e->port_lo : ports[rnd() % 7];
		size_t want = linear(s, N, &src, &dst, proto, dport);
		size_t got = spd_index_lookup(ix, &src, &dst, proto, dport);
		ck_assert_msg(got == want, "query %d: index %zu, linear scan %zu", q, got, want);
		hits += want != SPD_INDEX_NONE;
	}
	ck_assert_uint_gt(hits, 1500);
	spd_index_free(ix);
	free(s);
}
END_TEST

static Suite *spd_suite(void)
{
	Suite *s = suite_create("spd_index");
	TCase *tc = tcase_create("spd_index");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_matches_linear_scan, 0, 8);
	tcase_add_test(tc, test_strided);
	tcase_add_test(tc, test_large_groups_by_source);
	tcase_add_test(tc, test_single_entry_subgroups);
	tcase_add_test(tc, test_shared_keys);
	tcase_add_test(tc, test_large_tables);
	tcase_add_test(tc, test_first_match_wins);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(spd_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
