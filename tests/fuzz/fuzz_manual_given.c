/* libFuzzer target: a key file read as SAs given by hand
 * (manual_given_parse, src/model/manual_given.c) must never read out of
 * bounds, crash or leak, and what it accepts must be installable: SPIs of
 * at least 0x100, keys no longer than KEYS_MAX, and, against a suite, the
 * suite's lengths.
 *
 * Input: byte 0 picks the suite (or none); the rest is the key file. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "model/manual_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct manual_suite suites[] = {
	{false, ENC_AES128, INTEG_SHA256}, {false, ENC_3DES, INTEG_SHA1},
	{true, ENC_NULL, INTEG_SHA256},    {false, ENC_NULL, INTEG_MD5},
};
#define N_SUITES (sizeof(suites) / sizeof(suites[0]))

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned pick = data[0] % (N_SUITES + 1);
	const struct manual_suite *s = pick < N_SUITES ? &suites[pick] : NULL;
	struct secret key;
	secret_set(&key, data + 1, size - 1);
	struct sa_keys out, in;
	char err[300];
	enum manual_given g = manual_given_parse(&key, "rtr-a", "rtr-b", s, &out, &in, err,
						 sizeof(err));
	secret_free(&key);
	if (g == MANUAL_GIVEN) {
		if (out.spi < 0x100 || in.spi < 0x100 || out.enc_len > KEYS_MAX ||
		    out.auth_len > KEYS_MAX || in.enc_len > KEYS_MAX || in.auth_len > KEYS_MAX)
			abort();
		size_t el = 0, al = 0;
		if (s && !s->ah)
			manual_enc_label(s->enc, &el);
		if (s && s->integ != INTEG_NONE)
			manual_auth_label(s->integ, &al);
		if (s && (out.enc_len != el || in.enc_len != el || out.auth_len != al ||
			  in.auth_len != al))
			abort();
	} else if (g == MANUAL_GIVEN_BAD && !memchr(err, '\0', sizeof(err))) {
		abort();
	}
	keys_wipe(&out);
	keys_wipe(&in);
	return 0;
}
