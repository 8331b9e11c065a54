/* HKDF-SHA-256 through OpenSSL's EVP_KDF "HKDF".
 *
 *   PRK  = HKDF-Extract(salt = "tunc xfrm sa v1", IKM = the pre-shared key)
 *   OKM  = HKDF-Expand(PRK, info, L)
 *   info = "tunc-xfrm-v1" || field(tunnel) || field(from) || field(to) ||
 *          field(purpose)         field(s) = 2-byte big-endian length || s
 *
 * purpose is "spi", "enc:ALG" or "auth:ALG".  The length prefixes keep any
 * two different (tunnel, from, to, purpose) tuples apart whatever the names
 * hold. */
#include "config.h"
#include "emit/keys.h"

#include <stdio.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

static const char salt[] = "tunc xfrm sa v1";
static const char label[] = "tunc-xfrm-v1";

static size_t put_field(unsigned char *buf, size_t off, size_t cap, const char *s)
{
	size_t n = strlen(s);
	if (n > 0xffff)
		n = 0xffff;
	if (off + 2 + n > cap)
		return cap + 1;         /* too long: reported by the caller */
	buf[off] = (unsigned char)(n >> 8);
	buf[off + 1] = (unsigned char)n;
	memcpy(buf + off + 2, s, n);
	return off + 2 + n;
}

static bool hkdf(const unsigned char *ikm, size_t ikm_len, const char *tunnel,
		 const char *from, const char *to, const char *purpose,
		 unsigned char *out, size_t out_len)
{
	unsigned char info[1024];
	size_t n = strlen(label);
	memcpy(info, label, n);
	n = put_field(info, n, sizeof(info), tunnel);
	if (n <= sizeof(info))
		n = put_field(info, n, sizeof(info), from);
	if (n <= sizeof(info))
		n = put_field(info, n, sizeof(info), to);
	if (n <= sizeof(info))
		n = put_field(info, n, sizeof(info), purpose);
	if (n > sizeof(info))
		return false;

	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	if (!kdf)
		return false;
	EVP_KDF_CTX *kctx = EVP_KDF_CTX_new(kdf);
	EVP_KDF_free(kdf);
	if (!kctx)
		return false;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, (void *)ikm, ikm_len),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, strlen(salt)),
		OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, n),
		OSSL_PARAM_construct_end(),
	};
	bool ok = EVP_KDF_derive(kctx, out, out_len, params) == 1;
	EVP_KDF_CTX_free(kctx);
	OPENSSL_cleanse(info, sizeof(info));
	return ok;
}

bool keys_derive_sa(const unsigned char *psk, size_t psk_len, const char *tunnel,
		    const char *from, const char *to,
		    const char *enc_alg, size_t enc_len,
		    const char *auth_alg, size_t auth_len, struct sa_keys *out)
{
	memset(out, 0, sizeof(*out));
	if (enc_len > KEYS_MAX || auth_len > KEYS_MAX || !psk_len)
		return false;
	unsigned char spi[4];
	if (!hkdf(psk, psk_len, tunnel, from, to, "spi", spi, sizeof(spi)))
		return false;
	out->spi = (uint32_t)spi[0] << 24 | (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 | spi[3];
	if (out->spi < 0x100)           /* 1..255 are reserved by IANA, 0 is never an SPI */
		out->spi += 0x100;
	char purpose[128];
	if (enc_len) {
		snprintf(purpose, sizeof(purpose), "enc:%s", enc_alg);
		if (!hkdf(psk, psk_len, tunnel, from, to, purpose, out->enc, enc_len))
			goto fail;
		out->enc_len = enc_len;
	}
	if (auth_len) {
		snprintf(purpose, sizeof(purpose), "auth:%s", auth_alg);
		if (!hkdf(psk, psk_len, tunnel, from, to, purpose, out->auth, auth_len))
			goto fail;
		out->auth_len = auth_len;
	}
	return true;
fail:
	keys_wipe(out);
	return false;
}

void keys_wipe(struct sa_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
