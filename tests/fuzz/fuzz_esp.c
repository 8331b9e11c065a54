/* libFuzzer target: ESP/AH decapsulation of arbitrary bytes must never read
 * out of bounds, crash or leak, whatever the suite.
 *
 * Input: byte 0 picks the suite and the NAT-T flag; the rest is the outer
 * packet.  When byte 0 has its top bit set, the rest is instead an inner
 * packet that is encapsulated first and then decapsulated (with the SPI
 * checks passing), so the fuzzer reaches the paths after the ICV too. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/esp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
	enum ipsec_protocol proto;
	enum encryption enc;
	enum integrity integ;
} suites[] = {
	{ IPSEC_ESP, ENC_AES128_GCM, INTEG_NONE }, { IPSEC_ESP, ENC_AES256_GCM, INTEG_NONE },
	{ IPSEC_ESP, ENC_AES128, INTEG_SHA1 },     { IPSEC_ESP, ENC_AES256, INTEG_SHA256 },
	{ IPSEC_ESP, ENC_3DES, INTEG_SHA1 },       { IPSEC_ESP, ENC_NULL, INTEG_SHA1 },
	{ IPSEC_AH, ENC_NULL, INTEG_SHA1 },        { IPSEC_AH, ENC_NULL, INTEG_SHA256 },
};
#define N_SUITES (sizeof(suites) / sizeof(suites[0]))

static void iv_zero(void *ctx, uint8_t *iv, size_t len)
{
	(void)ctx;
	memset(iv, 0x5a, len);
}

static uint8_t out[70000], back[70000];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned pick = data[0] & 0x0f;
	bool udp = data[0] & 0x10, v6 = data[0] & 0x20, encap_first = data[0] & 0x80;
	const uint8_t *pkt = data + 1;
	size_t len = size - 1;
	if (pick >= N_SUITES)
		pick %= N_SUITES;
	if (suites[pick].proto == IPSEC_AH)
		udp = false;

	static const uint8_t key[64] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	struct ipsec_sa_config c = { 0 };
	c.protocol = suites[pick].proto;
	c.spi = 0x1001;
	addr_parse(v6 ? "2001:db8::1" : "198.51.100.1", &c.src);
	addr_parse(v6 ? "2001:db8::2" : "203.0.113.1", &c.dst);
	c.enc = suites[pick].enc;
	c.integ = suites[pick].integ;
	c.enc_key = key;
	c.enc_key_len = c.protocol == IPSEC_ESP ? ipsec_enc_key_len(c.enc) : 0;
	c.auth_key = key;
	c.auth_key_len = ipsec_auth_key_len(c.integ);
	c.udp_encap = udp;
	c.iv_fn = iv_zero;

	struct ipsec_sa in, sa_out;
	char err[200];
	c.dir = IPSEC_SA_IN;
	if (!ipsec_sa_init(&in, &c, err, sizeof(err)))
		abort();
	size_t n;
	struct ipsec_outer o;
	/* Exact-size copy: any overread hits the redzone. */
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, pkt, len);
	if (encap_first) {
		c.dir = IPSEC_SA_OUT;
		if (!ipsec_sa_init(&sa_out, &c, err, sizeof(err)))
			abort();
		size_t olen;
		if (ipsec_encapsulate(&sa_out, copy, len, out, sizeof(out), &olen) == IPSEC_OK) {
			if (ipsec_decapsulate(&in, out, olen, back, sizeof(back), &n) != IPSEC_OK ||
			    n != len || memcmp(back, copy, len) != 0)
				abort();        /* a round trip must succeed */
		}
		ipsec_sa_free(&sa_out);
	} else {
		(void)ipsec_parse_outer(copy, len, 0, &o);
		enum ipsec_result r = ipsec_decapsulate(&in, copy, len, back, sizeof(back), &n);
		if (r == IPSEC_OK && n > len)
			abort();
	}
	free(copy);
	ipsec_sa_free(&in);
	return 0;
}
