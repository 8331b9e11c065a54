/* ESP/AH data plane: known answers from an independent implementation,
 * round trips for every algorithm, and every malformed input dropped with
 * its reason. */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "engine/esp.h"
#include "engine/ipsec_internal.h"

#define BUF 70000

/* Deterministic IV generator: a counter, like the engine's seeded one. */
struct ivgen {
	uint64_t n;
	const uint8_t *fixed;           /* when set, always these bytes */
};

static void iv_next(void *ctx, uint8_t *iv, size_t len)
{
	struct ivgen *g = ctx;
	if (g->fixed) {
		memcpy(iv, g->fixed, len);
		return;
	}
	g->n++;
	for (size_t i = 0; i < len; i++)
		iv[i] = (uint8_t)(g->n >> (8 * (i % 8)) ^ i * 31);
}

static void hexdecode(const char *hex, uint8_t *out, size_t *len)
{
	size_t n = strlen(hex) / 2;
	for (size_t i = 0; i < n; i++) {
		unsigned v;
		ck_assert(sscanf(hex + 2 * i, "%2x", &v) == 1);
		out[i] = (uint8_t)v;
	}
	*len = n;
}

static uint8_t enc_key[IPSEC_MAX_KEY], auth_key[IPSEC_MAX_KEY];

static void fill_keys(void)
{
	for (int i = 0; i < IPSEC_MAX_KEY; i++) {
		enc_key[i] = (uint8_t)(0xa0 + i * 3);
		auth_key[i] = (uint8_t)(0x11 * (i + 1));
	}
}

static struct ipsec_sa_config base_config(enum ipsec_sa_dir dir, enum ipsec_protocol proto,
					  enum encryption enc, enum integrity integ,
					  int family, bool udp, struct ivgen *g)
{
	struct ipsec_sa_config c;
	memset(&c, 0, sizeof(c));
	fill_keys();
	c.dir = dir;
	c.protocol = proto;
	c.spi = 0x00001001;
	ck_assert(addr_parse(family == 6 ? "2001:db8::1" : "198.51.100.1", &c.src));
	ck_assert(addr_parse(family == 6 ? "2001:db8::2" : "203.0.113.1", &c.dst));
	c.enc = enc;
	c.integ = integ;
	c.enc_key = enc_key;
	c.enc_key_len = proto == IPSEC_ESP ? ipsec_enc_key_len(enc) : 0;
	c.auth_key = auth_key;
	c.auth_key_len = ipsec_auth_key_len(integ);
	c.udp_encap = udp;
	c.iv_fn = iv_next;
	c.iv_ctx = g;
	return c;
}

/* An SA pair (out, in) for one algorithm suite. */
struct pair {
	struct ipsec_sa out, in;
	struct ivgen g;
};

static bool pair_init(struct pair *p, enum ipsec_protocol proto, enum encryption enc,
		      enum integrity integ, int family, bool udp)
{
	char err[200];
	memset(&p->g, 0, sizeof(p->g));
	struct ipsec_sa_config c = base_config(IPSEC_SA_OUT, proto, enc, integ, family, udp, &p->g);
	if (!ipsec_sa_init(&p->out, &c, err, sizeof(err)))
		return false;
	c.dir = IPSEC_SA_IN;
	ck_assert_msg(ipsec_sa_init(&p->in, &c, err, sizeof(err)), "%s", err);
	return true;
}

static void pair_free(struct pair *p)
{
	ipsec_sa_free(&p->out);
	ipsec_sa_free(&p->in);
}

/* A plausible inner IPv4 or IPv6 packet of LEN bytes. */
static void make_inner(uint8_t *p, size_t len, int family)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(i * 13 + 7);
	if (family == 6) {
		p[0] = 0x6b;
		put16(p + 4, (uint16_t)(len - 40));
	} else {
		p[0] = 0x45;
		p[1] = 0x28;
		put16(p + 2, (uint16_t)len);
	}
}

static uint8_t inner[BUF], outer[BUF], back[BUF], tmp[BUF];

/* ------------------------------------------------------------------ */

/* Expected bytes from validators/make_esp_pcap.py (Python `cryptography`,
 * an independent ESP implementation): the ESP part (SPI to ICV) of its
 * packet for the inner ICMP echo below. */
static const char py_inner[] =
	"4500003b000740004001b656c0a8010ac0a8020a080004b91234000174756e632d6573"
	"702d636865636b2d30313233343536373839616263646566";
static const struct {
	enum encryption enc;
	enum integrity integ;
	const char *key, *akey, *iv, *esp, *uat;
} py_cases[] = {
	{ ENC_AES128, INTEG_SHA1, "00112233445566778899aabbccddeeff",
	  "0102030405060708090a0b0c0d0e0f1011121314", "000102030405060708090a0b0c0d0e0f",
	  "0000100100000001000102030405060708090a0b0c0d0e0f09e7da66b6a4fa9c71a410bfcf3b791a5a"
	  "b1a510b50e41bcdbf00e0515073d9a6881d6f195dbe0e3f5b9169c8509a5bc4d69e12a99a9b56d20b3"
	  "e79d491753d3a7ba15ad5f2332f473b628ab",
	  "\"IPv4\",\"198.51.100.1\",\"203.0.113.1\",\"0x00001001\",\"AES-CBC [RFC3602]\","
	  "\"0x00112233445566778899aabbccddeeff\",\"HMAC-SHA-1-96 [RFC2404]\","
	  "\"0x0102030405060708090a0b0c0d0e0f1011121314\"" },
	{ ENC_AES128_GCM, INTEG_NONE, "00112233445566778899aabbccddeeffcafebabe", "",
	  "0001020304050607",
	  "00001001000000010001020304050607dfe2ca33c735cb34fc5cfe4cdad94b56c4c918edf3bf0a03ef"
	  "93818af7d207a4be6486beda99de03060a96448fd3cb607d7947d85091fda6400e5cf09e830577c9d5"
	  "72e6b5aa6a4390c798b36d4d9b88",
	  "\"IPv4\",\"198.51.100.1\",\"203.0.113.1\",\"0x00001001\","
	  "\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x00112233445566778899aabbccddeeffcafebabe\","
	  "\"NULL\",\"\"" },
	{ ENC_NULL, INTEG_SHA256, "",
	  "0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", "",
	  "00001001000000014500003b000740004001b656c0a8010ac0a8020a080004b91234000174756e632d"
	  "6573702d636865636b2d303132333435363738396162636465660102030304e39d7e8011bf44c4f11a"
	  "73ef6c048c7a",
	  "\"IPv4\",\"198.51.100.1\",\"203.0.113.1\",\"0x00001001\",\"NULL\",\"\","
	  "\"HMAC-SHA-256-128 [RFC4868]\","
	  "\"0x0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20\"" },
};

START_TEST(test_known_answers)
{
	uint8_t key[64], akey[64], iv[16], want[512];
	size_t klen, alen, ivlen, wlen, ilen, olen, blen;
	char err[200], line[400];
	hexdecode(py_inner, inner, &ilen);
	hexdecode(py_cases[_i].key, key, &klen);
	hexdecode(py_cases[_i].akey, akey, &alen);
	hexdecode(py_cases[_i].iv, iv, &ivlen);
	hexdecode(py_cases[_i].esp, want, &wlen);

	struct ivgen g = { .fixed = iv };
	struct ipsec_sa_config c = base_config(IPSEC_SA_OUT, IPSEC_ESP, py_cases[_i].enc,
					       py_cases[_i].integ, 4, false, &g);
	c.enc_key = key;
	c.enc_key_len = klen;
	c.auth_key = akey;
	c.auth_key_len = alen;
	struct ipsec_sa out, in;
	ck_assert_msg(ipsec_sa_init(&out, &c, err, sizeof(err)), "%s", err);
	ck_assert_int_eq(ipsec_encapsulate(&out, inner, ilen, outer, BUF, &olen), IPSEC_OK);
	ck_assert_uint_eq(olen, 20 + wlen);
	ck_assert_mem_eq(outer + 20, want, wlen);
	ck_assert_uint_eq(outer[9], 50);
	ck_assert_uint_eq(ipsec_ip_checksum(outer, 20, 0), 0);

	ck_assert_int_ge(ipsec_sa_keylog_line(&out, line, sizeof(line)), 0);
	ck_assert_str_eq(line, py_cases[_i].uat);

	c.dir = IPSEC_SA_IN;
	ck_assert(ipsec_sa_init(&in, &c, err, sizeof(err)));
	ck_assert_int_eq(ipsec_decapsulate(&in, outer, olen, back, BUF, &blen), IPSEC_OK);
	ck_assert_uint_eq(blen, ilen);
	ck_assert_mem_eq(back, inner, ilen);
	ipsec_sa_free(&out);
	ipsec_sa_free(&in);
}
END_TEST

/* Every supported suite, both outer families, with and without NAT-T,
 * IPv4 and IPv6 inner packets, every residue of the padding. */
struct suite_case {
	enum ipsec_protocol proto;
	enum encryption enc;
	enum integrity integ;
};

static const struct suite_case suites[] = {
	{ IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE },
	{ IPSEC_ESP, ENC_AES256_GCM, INTEG_NONE },
	{ IPSEC_ESP, ENC_AES128, INTEG_SHA1 },
	{ IPSEC_ESP, ENC_AES192, INTEG_SHA256 },
	{ IPSEC_ESP, ENC_AES256, INTEG_SHA256 },
	{ IPSEC_ESP, ENC_AES256, INTEG_SHA384 },
	{ IPSEC_ESP, ENC_AES256, INTEG_SHA512 },
	{ IPSEC_ESP, ENC_3DES, INTEG_SHA1 },
	{ IPSEC_ESP, ENC_3DES, INTEG_MD5 },
	{ IPSEC_ESP, ENC_NULL, INTEG_SHA1 },
	{ IPSEC_ESP, ENC_NULL, INTEG_SHA512 },
	{ IPSEC_AH, ENC_NULL, INTEG_SHA1 },
	{ IPSEC_AH, ENC_NULL, INTEG_MD5 },
	{ IPSEC_AH, ENC_NULL, INTEG_SHA256 },
	{ IPSEC_AH, ENC_NULL, INTEG_SHA384 },
	{ IPSEC_AH, ENC_NULL, INTEG_SHA512 },
};
#define N_SUITES (sizeof(suites) / sizeof(suites[0]))

START_TEST(test_round_trip)
{
	const struct suite_case *s = &suites[_i];
	static const size_t sizes[] = { 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53,
					54, 55, 56, 57, 63, 64, 65, 100, 577, 1400, 1500, 9000 };
	for (int family = 4; family <= 6; family += 2) {
		for (int udp = 0; udp <= (s->proto == IPSEC_ESP); udp++) {
			struct pair p;
			ck_assert(pair_init(&p, s->proto, s->enc, s->integ, family, udp));
			uint32_t n = 0;
			for (int inner_family = 4; inner_family <= 6; inner_family += 2) {
				for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
					size_t ilen = sizes[k], olen, blen;
					make_inner(inner, ilen, inner_family);
					ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, ilen,
									   outer, BUF, &olen),
							 IPSEC_OK);
					n++;
					ck_assert_uint_le(olen, ilen + ipsec_overhead_max(&p.out));

					struct ipsec_outer o;
					ck_assert_int_eq(ipsec_parse_outer(outer, olen, 0, &o), IPSEC_OK);
					ck_assert_uint_eq(o.spi, 0x1001);
					ck_assert_uint_eq(o.seq, n);
					ck_assert(o.udp_encap == (udp != 0));
					ck_assert(o.protocol == s->proto);
					ck_assert(addr_equal(&o.src, &p.out.cfg.src));
					if (family == 4)
						ck_assert_uint_eq(ipsec_ip_checksum(outer, 20, 0), 0);
					if (s->proto == IPSEC_ESP && s->enc != ENC_NULL)
						/* the inner bytes do not appear in clear */
						ck_assert(memmem(outer, olen, inner + 20, 16) == NULL);

					ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, olen, back,
									   BUF, &blen),
							 IPSEC_OK);
					ck_assert_uint_eq(blen, ilen);
					ck_assert_mem_eq(back, inner, ilen);
				}
			}
			ck_assert_uint_eq(p.out.counters.packets, n);
			ck_assert_uint_eq(p.in.counters.packets, n);
			for (unsigned r = 1; r < IPSEC_RESULT__COUNT; r++)
				ck_assert_uint_eq(p.in.counters.drops[r], 0);
			pair_free(&p);
		}
	}
}
END_TEST

/* IPv6 forbids a zero UDP checksum: the one written must verify. */
START_TEST(test_udp6_checksum)
{
	struct pair p;
	size_t olen;
	ck_assert(pair_init(&p, IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE, 6, true));
	make_inner(inner, 100, 4);
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 100, outer, BUF, &olen), IPSEC_OK);
	ck_assert_uint_eq(outer[6], 17);
	uint32_t sum = 0;
	for (size_t i = 8; i < 40; i += 2)
		sum += get16(outer + i);
	sum += (uint32_t)(olen - 40) + 17;
	ck_assert_uint_ne(get16(outer + 46), 0);
	ck_assert_uint_eq(ipsec_ip_checksum(outer + 40, olen - 40, sum), 0);
	ck_assert_uint_eq(get16(outer + 40), 4500);
	ck_assert_uint_eq(get16(outer + 42), 4500);
	pair_free(&p);
}
END_TEST

/* Same configuration and IV stream: byte-identical packets. */
START_TEST(test_deterministic)
{
	struct pair a, b;
	size_t la, lb;
	ck_assert(pair_init(&a, IPSEC_ESP, ENC_AES256, INTEG_SHA256, 4, false));
	ck_assert(pair_init(&b, IPSEC_ESP, ENC_AES256, INTEG_SHA256, 4, false));
	make_inner(inner, 300, 4);
	for (int i = 0; i < 5; i++) {
		ck_assert_int_eq(ipsec_encapsulate(&a.out, inner, 300, outer, BUF, &la), IPSEC_OK);
		ck_assert_int_eq(ipsec_encapsulate(&b.out, inner, 300, tmp, BUF, &lb), IPSEC_OK);
		ck_assert_uint_eq(la, lb);
		ck_assert_mem_eq(outer, tmp, la);
	}
	pair_free(&a);
	pair_free(&b);
}
END_TEST

/* Every prefix of a good packet is dropped as truncated, whatever the
 * suite (the IP header still claims the full length). */
START_TEST(test_truncated_every_length)
{
	const struct suite_case *s = &suites[_i];
	for (int family = 4; family <= 6; family += 2) {
		struct pair p;
		size_t olen, blen;
		ck_assert(pair_init(&p, s->proto, s->enc, s->integ, family, false));
		make_inner(inner, 61, 4);
		ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 61, outer, BUF, &olen), IPSEC_OK);
		for (size_t len = 0; len < olen; len++) {
			/* exact-size heap copy so ASan sees any overread */
			uint8_t *cut = malloc(len ? len : 1);
			memcpy(cut, outer, len);
			ck_assert_int_eq(ipsec_decapsulate(&p.in, cut, len, back, BUF, &blen),
					 IPSEC_TRUNCATED);
			ck_assert_uint_eq(blen, 0);
			free(cut);
		}
		ck_assert_uint_eq(p.in.counters.drops[IPSEC_TRUNCATED], olen);
		/* Now shortened consistently: the IP header agrees with the cut. */
		for (size_t len = (family == 6 ? 40 : 20); len < olen; len++) {
			uint8_t *cut = malloc(len);
			memcpy(cut, outer, len);
			if (family == 6)
				put16(cut + 4, (uint16_t)(len - 40));
			else
				put16(cut + 2, (uint16_t)len);
			enum ipsec_result r = ipsec_decapsulate(&p.in, cut, len, back, BUF, &blen);
			ck_assert_msg(r == IPSEC_TRUNCATED || r == IPSEC_BAD_ICV ||
				      r == IPSEC_BAD_LENGTH || r == IPSEC_BAD_HEADER,
				      "len %zu: %s", len, ipsec_drop_reason_name(r));
			free(cut);
		}
		ck_assert_uint_eq(p.in.counters.packets, 0);
		ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, olen, back, BUF, &blen), IPSEC_OK);
		pair_free(&p);
	}
}
END_TEST

/* Flipping any authenticated byte is a bad ICV (the SPI bytes: an unknown
 * SPI); for AH the outer header's mutable fields are not authenticated. */
START_TEST(test_bad_icv_every_byte)
{
	const struct suite_case *s = &suites[_i];
	for (int family = 4; family <= 6; family += 2) {
		struct pair p;
		size_t olen, blen;
		ck_assert(pair_init(&p, s->proto, s->enc, s->integ, family, false));
		make_inner(inner, 77, 6);
		ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 77, outer, BUF, &olen), IPSEC_OK);
		struct ipsec_outer o;
		ck_assert_int_eq(ipsec_parse_outer(outer, olen, 0, &o), IPSEC_OK);
		size_t spi_at = o.ipsec_off + (s->proto == IPSEC_AH ? 4 : 0);
		uint64_t bad = 0;
		for (size_t i = o.ipsec_off; i < olen; i++) {
			if (s->proto == IPSEC_AH && i == o.ipsec_off + 1)
				continue;       /* AH length field: bad-header, below */
			memcpy(tmp, outer, olen);
			tmp[i] ^= 0x80;
			enum ipsec_result r = ipsec_decapsulate(&p.in, tmp, olen, back, BUF, &blen);
			enum ipsec_result want = i >= spi_at && i < spi_at + 4 ? IPSEC_UNKNOWN_SPI
									      : IPSEC_BAD_ICV;
			ck_assert_msg(r == want, "byte %zu: %s", i, ipsec_drop_reason_name(r));
			bad += r == IPSEC_BAD_ICV;
		}
		if (s->proto == IPSEC_AH) {
			memcpy(tmp, outer, olen);
			tmp[o.ipsec_off + 1] ^= 1;
			ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, olen, back, BUF, &blen),
					 IPSEC_BAD_HEADER);
			/* immutable outer fields are covered: the addresses */
			size_t addr_at = family == 6 ? 8 : 12;
			for (size_t i = addr_at; i < o.ipsec_off; i++) {
				memcpy(tmp, outer, olen);
				tmp[i] ^= 0x01;
				ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, olen, back, BUF, &blen),
						 IPSEC_BAD_ICV);
				bad++;
			}
			/* ...the mutable ones (TTL / hop limit) are not (RFC 4302 §3.3.3.1) */
			memcpy(tmp, outer, olen);
			tmp[family == 6 ? 7 : 8] = 1;
			ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, olen, back, BUF, &blen),
					 IPSEC_OK);
		} else {
			ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, olen, back, BUF, &blen),
					 IPSEC_OK);
		}
		ck_assert_uint_eq(p.in.counters.drops[IPSEC_BAD_ICV], bad);
		ck_assert_uint_eq(p.in.counters.packets, 1);
		pair_free(&p);
	}
}
END_TEST

/* Re-authenticates a NULL-encryption ESP packet after the test edited its
 * plaintext, so the checks after the ICV are reached. */
static void reseal_null_sha1(uint8_t *pkt, size_t len, size_t esp_off)
{
	size_t n;
	uint8_t mac[EVP_MAX_MD_SIZE];
	ck_assert(EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, auth_key, 20, pkt + esp_off,
			    len - esp_off - 12, mac, sizeof(mac), &n) != NULL);
	memcpy(pkt + len - 12, mac, 12);
}

START_TEST(test_bad_padding_and_next_header)
{
	struct pair p;
	size_t olen, blen;
	ck_assert(pair_init(&p, IPSEC_ESP, ENC_NULL, INTEG_SHA1, 4, false));
	make_inner(inner, 59, 4);       /* 59 + 2: three pad bytes 1 2 3 */
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 59, outer, BUF, &olen), IPSEC_OK);
	size_t trailer = olen - 12 - 2;  /* pad length, then next header */
	ck_assert_uint_eq(outer[trailer], 3);
	ck_assert_uint_eq(outer[trailer + 1], 4);
	ck_assert_uint_eq(outer[trailer - 3], 1);
	ck_assert_uint_eq(outer[trailer - 1], 3);

	uint32_t seq = 1;
	/* a pad byte that is not 1, 2, 3 */
	memcpy(tmp, outer, olen);
	tmp[trailer - 2] = 9;
	reseal_null_sha1(tmp, olen, 20);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, olen, back, BUF, &blen), IPSEC_BAD_PADDING);
	/* a pad length longer than the payload */
	memcpy(tmp, outer, olen);
	put32(tmp + 24, ++seq);
	tmp[trailer] = 250;
	reseal_null_sha1(tmp, olen, 20);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, olen, back, BUF, &blen), IPSEC_BAD_PADDING);
	/* next header that is not IPv4/IPv6 */
	memcpy(tmp, outer, olen);
	put32(tmp + 24, ++seq);
	tmp[trailer + 1] = 17;
	reseal_null_sha1(tmp, olen, 20);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, olen, back, BUF, &blen),
			 IPSEC_BAD_NEXT_HEADER);
	/* next header 41 but an IPv4 packet inside */
	memcpy(tmp, outer, olen);
	put32(tmp + 24, ++seq);
	tmp[trailer + 1] = 41;
	reseal_null_sha1(tmp, olen, 20);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, olen, back, BUF, &blen),
			 IPSEC_BAD_NEXT_HEADER);
	/* The edited packets authenticated, so they moved the window (RFC 4303
	 * §3.4.3) although they were dropped later: sequence 1 is now seen. */
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, olen, back, BUF, &blen), IPSEC_REPLAYED);
	ck_assert_uint_eq(p.in.counters.drops[IPSEC_BAD_PADDING], 2);
	ck_assert_uint_eq(p.in.counters.drops[IPSEC_BAD_NEXT_HEADER], 2);
	pair_free(&p);
}
END_TEST

START_TEST(test_cbc_bad_length)
{
	struct pair p;
	size_t olen, blen;
	ck_assert(pair_init(&p, IPSEC_ESP, ENC_AES128, INTEG_SHA1, 4, false));
	make_inner(inner, 100, 4);
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 100, outer, BUF, &olen), IPSEC_OK);
	/* one byte more: ciphertext no longer a multiple of 16 */
	memcpy(tmp, outer, olen);
	tmp[olen] = 0;
	put16(tmp + 2, (uint16_t)(olen + 1));
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, olen + 1, back, BUF, &blen),
			 IPSEC_BAD_LENGTH);
	pair_free(&p);
}
END_TEST

static void send_seq(struct pair *p, uint32_t seq, uint8_t *pkt, size_t *len)
{
	p->out.seq = seq - 1;
	make_inner(inner, 60, 4);
	ck_assert_int_eq(ipsec_encapsulate(&p->out, inner, 60, pkt, BUF, len), IPSEC_OK);
}

START_TEST(test_replay_window)
{
	struct pair p;
	size_t len, blen;
	ck_assert(pair_init(&p, IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE, 4, false));
	for (uint32_t s = 1; s <= 200; s++) {
		if (s == 150 || s == 170)
			continue;       /* arrive late, below */
		send_seq(&p, s, outer, &len);
		ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_OK);
	}
	send_seq(&p, 199, outer, &len);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_REPLAYED);
	send_seq(&p, 150, outer, &len);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_OK);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_REPLAYED);
	/* window 64, top 200: 137 is the oldest in the window, 136 too old */
	send_seq(&p, 136, outer, &len);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_TOO_OLD);
	send_seq(&p, 137, outer, &len);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_REPLAYED);
	/* a forged packet far ahead must not move the window (ICV first) */
	send_seq(&p, 100000, outer, &len);
	outer[len - 1] ^= 1;
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_BAD_ICV);
	send_seq(&p, 170, outer, &len);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_OK);
	/* a real jump ahead clears the map */
	send_seq(&p, 100000, outer, &len);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_OK);
	send_seq(&p, 99937, outer, &len);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_OK);
	send_seq(&p, 99936, outer, &len);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, outer, len, back, BUF, &blen), IPSEC_TOO_OLD);
	/* sequence number 0 is never sent */
	memcpy(tmp, outer, len);
	put32(tmp + 24, 0);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, len, back, BUF, &blen), IPSEC_REPLAYED);
	ck_assert_uint_eq(p.in.counters.drops[IPSEC_REPLAYED], 4);
	ck_assert_uint_eq(p.in.counters.drops[IPSEC_TOO_OLD], 2);
	pair_free(&p);
}
END_TEST

/* The window against a plain model (a set of seen numbers) on random
 * arrivals, for several window sizes. */
START_TEST(test_replay_property)
{
	static const unsigned sizes[] = { 64, 65, 100, 128, 1000, 1024, 4096 };
	unsigned size = sizes[_i];
	struct ipsec_replay w;
	struct ipsec_sa_config c;
	struct ipsec_sa sa;
	struct ivgen g = { 0 };
	char err[100];
	c = base_config(IPSEC_SA_IN, IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE, 4, false, &g);
	c.replay_window = size;
	ck_assert(ipsec_sa_init(&sa, &c, err, sizeof(err)));
	w = sa.replay;
	ipsec_sa_free(&sa);
	ck_assert_uint_eq(w.size, size);

	enum { SPAN = 30000 };
	static bool seen[SPAN + 1];
	memset(seen, 0, sizeof(seen));
	uint32_t top = 0;
	srand(size);
	for (int i = 0; i < 200000; i++) {
		uint32_t base = top > 2 * size ? top - 2 * size : 1;
		uint32_t seq = base + (uint32_t)rand() % (3 * size);
		if (rand() % 50 == 0)
			seq = top + 1 + (uint32_t)rand() % (2 * size);
		if (seq > SPAN)
			break;
		enum ipsec_result want = seq == 0 ? IPSEC_REPLAYED
			: seq > top ? IPSEC_OK
			: top - seq >= size ? IPSEC_TOO_OLD
			: seen[seq] ? IPSEC_REPLAYED : IPSEC_OK;
		enum ipsec_result got = ipsec_replay_check(&w, seq);
		ck_assert_msg(got == want, "seq %u top %u: %s, want %s", seq, top,
			      ipsec_drop_reason_name(got), ipsec_drop_reason_name(want));
		if (got == IPSEC_OK) {
			ipsec_replay_update(&w, seq);
			seen[seq] = true;
			if (seq > top)
				top = seq;
		}
	}
}
END_TEST

START_TEST(test_unknown_spi_and_protocol)
{
	struct pair p, ah;
	size_t len, blen;
	char err[100];
	ck_assert(pair_init(&p, IPSEC_ESP, ENC_AES128, INTEG_SHA1, 4, false));
	ck_assert(pair_init(&ah, IPSEC_AH, ENC_NULL, INTEG_SHA1, 4, false));
	make_inner(inner, 80, 4);
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 80, outer, BUF, &len), IPSEC_OK);
	struct ipsec_sa other;
	struct ivgen g = { 0 };
	struct ipsec_sa_config c = base_config(IPSEC_SA_IN, IPSEC_ESP, ENC_AES128, INTEG_SHA1, 4,
					       false, &g);
	c.spi = 0x2002;
	ck_assert(ipsec_sa_init(&other, &c, err, sizeof(err)));
	ck_assert_int_eq(ipsec_decapsulate(&other, outer, len, back, BUF, &blen),
			 IPSEC_UNKNOWN_SPI);
	/* an ESP packet given to the AH SA of the same SPI */
	ck_assert_int_eq(ipsec_decapsulate(&ah.in, outer, len, back, BUF, &blen),
			 IPSEC_UNKNOWN_SPI);
	/* wrong direction both ways */
	ck_assert_int_eq(ipsec_decapsulate(&p.out, outer, len, back, BUF, &blen),
			 IPSEC_WRONG_DIRECTION);
	ck_assert_int_eq(ipsec_encapsulate(&p.in, inner, 80, tmp, BUF, &blen),
			 IPSEC_WRONG_DIRECTION);
	ck_assert_uint_eq(other.counters.drops[IPSEC_UNKNOWN_SPI], 1);
	ipsec_sa_free(&other);
	pair_free(&p);
	pair_free(&ah);
}
END_TEST

START_TEST(test_outer_headers)
{
	struct ipsec_outer o;
	struct pair p;
	size_t len, blen;
	ck_assert(pair_init(&p, IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE, 4, true));
	make_inner(inner, 80, 4);
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 80, outer, BUF, &len), IPSEC_OK);
	ck_assert_int_eq(ipsec_parse_outer(outer, len, 0, &o), IPSEC_OK);
	ck_assert(o.udp_encap);
	ck_assert_uint_eq(o.ipsec_off, 28);
	/* NAT-T on another port is not ESP to us */
	ck_assert_int_eq(ipsec_parse_outer(outer, len, 4501, &o), IPSEC_BAD_HEADER);
	/* the non-ESP marker (IKE) and a keepalive */
	memcpy(tmp, outer, len);
	put32(tmp + 28, 0);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, len, back, BUF, &blen), IPSEC_BAD_HEADER);
	memcpy(tmp, outer, 29);
	tmp[28] = 0xff;
	put16(tmp + 2, 29);
	put16(tmp + 24, 9);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, 29, back, BUF, &blen), IPSEC_BAD_HEADER);
	/* a fragment, a bad version, a bad IHL, a UDP length beyond the packet */
	memcpy(tmp, outer, len);
	put16(tmp + 6, 0x2000);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, len, back, BUF, &blen), IPSEC_BAD_HEADER);
	memcpy(tmp, outer, len);
	tmp[0] = 0x55;
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, len, back, BUF, &blen), IPSEC_BAD_HEADER);
	tmp[0] = 0x44;
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, len, back, BUF, &blen), IPSEC_BAD_HEADER);
	memcpy(tmp, outer, len);
	put16(tmp + 24, (uint16_t)(len - 20 + 1));
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, len, back, BUF, &blen), IPSEC_TRUNCATED);
	/* an ESP SA with NAT-T refuses plain ESP (and the reverse) */
	struct pair plain;
	ck_assert(pair_init(&plain, IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE, 4, false));
	ck_assert_int_eq(ipsec_decapsulate(&plain.in, outer, len, back, BUF, &blen),
			 IPSEC_BAD_HEADER);
	/* trailing link-layer padding beyond the IP length is ignored */
	memcpy(tmp, outer, len);
	memset(tmp + len, 0, 6);
	ck_assert_int_eq(ipsec_decapsulate(&p.in, tmp, len + 6, back, BUF, &blen), IPSEC_OK);
	ck_assert_uint_eq(blen, 80);
	pair_free(&p);
	pair_free(&plain);
}
END_TEST

START_TEST(test_encap_limits)
{
	struct pair p;
	size_t len;
	ck_assert(pair_init(&p, IPSEC_ESP, ENC_AES128, INTEG_SHA1, 4, false));
	make_inner(inner, 100, 4);
	/* not an IP packet, or too short to be one */
	memset(tmp, 0x12, 100);
	ck_assert_int_eq(ipsec_encapsulate(&p.out, tmp, 100, outer, BUF, &len), IPSEC_BAD_INNER);
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 19, outer, BUF, &len), IPSEC_BAD_INNER);
	/* output buffer one byte short */
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 100, outer, BUF, &len), IPSEC_OK);
	size_t need = len;
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 100, outer, need - 1, &len),
			 IPSEC_TOO_BIG);
	ck_assert_uint_eq(len, 0);
	/* too big for IPv4 */
	make_inner(inner, 65535 - 30, 4);
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 65535 - 30, outer, BUF, &len),
			 IPSEC_TOO_BIG);
	/* the sequence number must not cycle (RFC 4303 §3.3.3) */
	make_inner(inner, 100, 4);
	p.out.seq = UINT32_MAX - 1;
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 100, outer, BUF, &len), IPSEC_OK);
	ck_assert_int_eq(ipsec_encapsulate(&p.out, inner, 100, outer, BUF, &len),
			 IPSEC_SEQ_OVERFLOW);
	ck_assert_uint_eq(p.out.counters.drops[IPSEC_SEQ_OVERFLOW], 1);
	ck_assert_uint_eq(p.out.counters.drops[IPSEC_TOO_BIG], 2);
	pair_free(&p);
}
END_TEST

START_TEST(test_init_refusals)
{
	struct ivgen g = { 0 };
	struct ipsec_sa sa;
	char err[200];
	struct ipsec_sa_config c;
#define REFUSED(mutate)                                                        \
	do {                                                                   \
		c = base_config(IPSEC_SA_OUT, IPSEC_ESP, ENC_AES128, INTEG_SHA1, 4, false, &g); \
		mutate;                                                        \
		err[0] = 0;                                                    \
		ck_assert(!ipsec_sa_init(&sa, &c, err, sizeof(err)));          \
		ck_assert(err[0] != 0);                                        \
	} while (0)
	REFUSED(c.enc_key_len = 15);
	REFUSED(c.auth_key_len = 16);
	REFUSED(c.spi = 255);
	REFUSED(addr_parse("2001:db8::9", &c.dst));
	REFUSED(c.integ = INTEG_NONE; c.auth_key_len = 0);
	REFUSED(c.enc = ENC_AES128_GCM; c.enc_key_len = 20);
	REFUSED(c.protocol = IPSEC_AH; c.udp_encap = true);
	REFUSED(c.iv_fn = NULL);
	REFUSED(c.replay_window = IPSEC_REPLAY_MAX + 1);
	/* the good one */
	c = base_config(IPSEC_SA_OUT, IPSEC_ESP, ENC_AES128, INTEG_SHA1, 4, false, &g);
	ck_assert(ipsec_sa_init(&sa, &c, err, sizeof(err)));
	ipsec_sa_free(&sa);
	/* AH has no Wireshark keylog line */
	c = base_config(IPSEC_SA_OUT, IPSEC_AH, ENC_NULL, INTEG_SHA1, 4, false, &g);
	ck_assert(ipsec_sa_init(&sa, &c, err, sizeof(err)));
	ck_assert_int_eq(ipsec_sa_keylog_line(&sa, err, sizeof(err)), -1);
	ipsec_sa_free(&sa);
}
END_TEST

START_TEST(test_reason_names)
{
	ck_assert_str_eq(ipsec_drop_reason_name(IPSEC_OK), "ok");
	ck_assert_str_eq(ipsec_drop_reason_name(IPSEC_BAD_ICV), "bad-icv");
	ck_assert_str_eq(ipsec_drop_reason_name(IPSEC_UNKNOWN_SPI), "unknown-spi");
	ck_assert_str_eq(ipsec_drop_reason_name(IPSEC_RESULT__COUNT), "unknown");
	for (unsigned r = 0; r < IPSEC_RESULT__COUNT; r++) {
		enum ipsec_result back_r;
		ck_assert(ipsec_drop_reason_lookup(ipsec_drop_reason_name(r), &back_r));
		ck_assert_int_eq(back_r, r);
	}
	enum ipsec_result x;
	ck_assert(!ipsec_drop_reason_lookup("nope", &x));
}
END_TEST

START_TEST(test_keylog_ipv6_gcm256)
{
	struct pair p;
	char line[400];
	ck_assert(pair_init(&p, IPSEC_ESP, ENC_AES256_GCM, INTEG_NONE, 6, false));
	int n = ipsec_sa_keylog_line(&p.out, line, sizeof(line));
	ck_assert_int_eq(n, (int)strlen(line));
	ck_assert(strncmp(line, "\"IPv6\",\"2001:db8::1\",\"2001:db8::2\",\"0x00001001\","
			  "\"AES-GCM with 16 octet ICV [RFC4106]\",\"0x", 80) == 0);
	/* key + salt = 36 bytes = 72 hex digits, then NULL authentication */
	const char *k = strstr(line, "[RFC4106]\",\"0x") + 14;
	ck_assert_uint_eq(strcspn(k, "\""), 72);
	ck_assert(strstr(line, ",\"NULL\",\"\"") != NULL);
	/* truncation is reported like snprintf */
	ck_assert_int_eq(ipsec_sa_keylog_line(&p.out, line, 10), n);
	pair_free(&p);
}
END_TEST

static Suite *esp_suite(void)
{
	Suite *s = suite_create("esp");
	TCase *tc = tcase_create("esp");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_known_answers, 0, 3);
	tcase_add_loop_test(tc, test_round_trip, 0, N_SUITES);
	tcase_add_test(tc, test_udp6_checksum);
	tcase_add_test(tc, test_deterministic);
	tcase_add_loop_test(tc, test_truncated_every_length, 0, N_SUITES);
	tcase_add_loop_test(tc, test_bad_icv_every_byte, 0, N_SUITES);
	tcase_add_test(tc, test_bad_padding_and_next_header);
	tcase_add_test(tc, test_cbc_bad_length);
	tcase_add_test(tc, test_replay_window);
	tcase_add_loop_test(tc, test_replay_property, 0, 7);
	tcase_add_test(tc, test_unknown_spi_and_protocol);
	tcase_add_test(tc, test_outer_headers);
	tcase_add_test(tc, test_encap_limits);
	tcase_add_test(tc, test_init_refusals);
	tcase_add_test(tc, test_reason_names);
	tcase_add_test(tc, test_keylog_ipv6_gcm256);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(esp_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
