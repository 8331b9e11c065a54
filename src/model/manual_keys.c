/* Manually keyed SAs (see manual_keys.h): HKDF-SHA-256 through OpenSSL's
 * EVP_KDF "HKDF".
 *
 *   PRK  = HKDF-Extract(salt = "tunc xfrm sa v1", IKM = the pre-shared key)
 *   OKM  = HKDF-Expand(PRK, info, L)
 *   info = "tunc-xfrm-v1" || field(tunnel) || field(from) || field(to) ||
 *          field(purpose)         field(s) = 2-byte big-endian length || s
 *
 * purpose is "enc:ALG" or "auth:ALG".  The length prefixes keep any two
 * different (tunnel, from, to, purpose) tuples apart whatever the names
 * hold.
 *
 * SPIs use no key at all:
 *
 *   SPI  = first 4 bytes of SHA-256("tunc manual spi v2" || field(tunnel) ||
 *          field(from) || field(to) || attempt as 4 bytes big-endian)
 *
 * with the smallest attempt that gives a value of at least 0x100 not yet
 * taken among the SAs arriving at gateway TO. */
#include "config.h"
#include "model/manual_keys.h"
#include "ir/psk.h"
#include "util/arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

/* The labels are the Linux kernel's algorithm names, which the xfrm script
 * writes and which also enter the HKDF info: one table, so every end
 * derives the same keys.  tests/both-ends.sh reads the keys back from both
 * ends' files and compares them. */
static const struct {
	const char *label;
	size_t key;
} enc_table[ENC__COUNT] = {
	[ENC_NULL] = {"ecb(cipher_null)", 0},
	[ENC_DES] = {"cbc(des)", 8},
	[ENC_3DES] = {"cbc(des3_ede)", 24},
	[ENC_AES128] = {"cbc(aes)", 16},
	[ENC_AES192] = {"cbc(aes)", 24},
	[ENC_AES256] = {"cbc(aes)", 32},
};

/* An HMAC key as long as the digest (RFC 2104 §3, RFC 2404, RFC 4868). */
static const struct {
	const char *label;
	size_t key;
} auth_table[INTEG__COUNT] = {
	[INTEG_MD5] = {"hmac(md5)", 16},
	[INTEG_SHA1] = {"hmac(sha1)", 20},
	[INTEG_SHA256] = {"hmac(sha256)", 32},
	[INTEG_SHA384] = {"hmac(sha384)", 48},
	[INTEG_SHA512] = {"hmac(sha512)", 64},
};

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
	secret_wipe(info, sizeof(info));
	return ok;
}

bool keys_derive_sa(const struct secret *key, const char *tunnel,
		    const char *from, const char *to,
		    const char *enc_alg, size_t enc_len,
		    const char *auth_alg, size_t auth_len, struct sa_keys *out)
{
	memset(out, 0, sizeof(*out));
	if (enc_len > KEYS_MAX || auth_len > KEYS_MAX || !key->len)
		return false;
	const unsigned char *psk = key->bytes;
	size_t psk_len = key->len;
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
	secret_wipe(k, sizeof(*k));
}

/* ---- SPIs: public, unique per receiving gateway ---- */

static const char spi_label[] = "tunc manual spi v2";

static int digest_field(EVP_MD_CTX *ctx, const char *s)
{
	size_t n = strlen(s);
	if (n > 0xffff)
		n = 0xffff;
	unsigned char len[2] = {(unsigned char)(n >> 8), (unsigned char)n};
	return EVP_DigestUpdate(ctx, len, 2) == 1 && EVP_DigestUpdate(ctx, s, n) == 1;
}

uint32_t manual_spi_candidate(const char *tunnel, const char *from, const char *to,
			      uint32_t attempt)
{
	unsigned char tail[4] = {(unsigned char)(attempt >> 24), (unsigned char)(attempt >> 16),
				 (unsigned char)(attempt >> 8), (unsigned char)attempt};
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	bool ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1 &&
		  EVP_DigestUpdate(ctx, spi_label, strlen(spi_label)) == 1 &&
		  digest_field(ctx, tunnel) && digest_field(ctx, from) && digest_field(ctx, to) &&
		  EVP_DigestUpdate(ctx, tail, sizeof(tail)) == 1 &&
		  EVP_DigestFinal_ex(ctx, md, &md_len) == 1 && md_len >= 4;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return 0;
	return (uint32_t)md[0] << 24 | (uint32_t)md[1] << 16 | (uint32_t)md[2] << 8 | md[3];
}

/* Either end says `keying manual;`: that end installs static SAs (its far
 * end, if not asked too, is keying-mismatch), and both read the SPIs here. */
static bool keyed_by_hand(const struct model_gateway *mg, const struct model_tunnel *mt)
{
	(void)mg;
	return model_end_manual(mt->here) || model_end_manual(model_tunnel_there(mt));
}

/* An open-addressing set of SPIs (0 marks a free slot: never an SPI). */
struct spi_set {
	uint32_t *slot;
	size_t mask;
};

static bool spi_set_add(struct spi_set *s, uint32_t spi)
{
	size_t i = (size_t)(spi * 2654435761u) & s->mask;
	for (; s->slot[i]; i = (i + 1) & s->mask)
		if (s->slot[i] == spi)
			return false;
	s->slot[i] = spi;
	return true;
}

/* The SPI of the SA arriving at MG over MT: the first free candidate. */
static uint32_t spi_in(struct spi_set *taken, const struct model_gateway *mg,
		       const struct model_tunnel *mt)
{
	const char *from = model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "";
	for (uint32_t attempt = 0; attempt < 1000000; attempt++) {
		uint32_t c = manual_spi_candidate(mt->ir->name, from, mg->ir->name, attempt);
		if (!c)
			return 0;       /* OpenSSL failed: manual_derive refuses */
		if (c >= 0x100 && spi_set_add(taken, c))
			return c;
	}
	return 0;
}

/* A problem with the SAs MT's key gives, for lint (model->manual_problems). */
static void problem(struct model *m, const struct model_tunnel *mt, const char *what)
{
	arena_vec_push(&m->arena, &m->manual_problems,
		       ((struct manual_problem){mt, arena_strdup(&m->arena, what)}));
}

/* Does MT's end's key give its SAs (manual_given_parse)?  Then MT takes
 * their SPIs.  A key that cannot be read now is derived from (emit and
 * the engine say why it cannot be read); one that gives SAs wrongly is a
 * problem and keeps the derived SPIs. */
static void given_spis(struct model *m, struct model_tunnel *mt)
{
	const struct ir_ipsec *ipsec = model_tunnel_ipsec(mt);
	const struct ir_psk *psk = model_tunnel_psk(mt);
	if (!model_end_manual(mt->here) || !psk || psk->source == PSK_NONE)
		return;
	struct secret key;
	char err[300];
	if (!psk_load(m->ir->sources, psk, &key, err, sizeof(err)))
		return;
	/* The lengths are checked against a suite that can be keyed by hand
	 * (AES-GCM is manual-key-aead's). */
	struct manual_suite suite;
	size_t len;
	const struct manual_suite *fit = NULL;
	if (ipsec) {
		manual_first_offer(ipsec, &suite);
		if ((suite.ah || manual_enc_label(suite.enc, &len)) &&
		    (suite.integ == INTEG_NONE || manual_auth_label(suite.integ, &len)))
			fit = &suite;
	}
	struct sa_keys out, in;
	enum manual_given g = manual_given_parse(&key, model_tunnel_self(mt)->name,
						 model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "", fit, &out, &in,
						 err, sizeof(err));
	secret_free(&key);
	if (g == MANUAL_GIVEN) {
		mt->manual_given = true;
		mt->manual_spi_in = in.spi;
		mt->manual_spi_out = out.spi;
	} else if (g == MANUAL_GIVEN_BAD) {
		problem(m, mt, err);
	}
	keys_wipe(&out);
	keys_wipe(&in);
}

/* The tunnel of MG other than MT whose inbound SA has SPI. */
static const struct model_tunnel *spi_owner(const struct model_gateway *mg,
					    const struct model_tunnel *mt, uint32_t spi)
{
	for (size_t t = 0; t < mg->tunnels.n; t++)
		if (mg->tunnels.v[t] != mt && mg->tunnels.v[t]->manual_spi_in == spi)
			return mg->tunnels.v[t];
	return NULL;
}

void manual_spis_assign(struct model *m)
{
	for (size_t g = 0; g < m->gateways.n; g++) {
		struct model_gateway *mg = m->gateways.v[g];
		size_t n = 0;
		for (size_t t = 0; t < mg->tunnels.n; t++)
			n += keyed_by_hand(mg, mg->tunnels.v[t]);
		if (!n)
			continue;
		size_t cap = 16;
		while (cap < 2 * n)
			cap *= 2;
		struct spi_set taken = {xcalloc(cap, sizeof(uint32_t)), cap - 1};
		/* The SPIs given in key files first: derived ones keep clear of them. */
		for (size_t t = 0; t < mg->tunnels.n; t++) {
			struct model_tunnel *mt = mg->tunnels.v[t];
			if (!keyed_by_hand(mg, mt))
				continue;
			given_spis(m, mt);
			if (mt->manual_given && !spi_set_add(&taken, mt->manual_spi_in)) {
				const struct model_tunnel *o = spi_owner(mg, mt, mt->manual_spi_in);
				char what[300];
				snprintf(what, sizeof(what), "SPI 0x%08x arrives at %s for tunnel %s "
					 "and for tunnel %s: the kernel keys an SA by destination, SPI "
					 "and protocol, so the second is refused",
					 mt->manual_spi_in, mg->ir->name, o ? o->ir->name : "?",
					 mt->ir->name);
				problem(m, mt, what);
			}
		}
		for (size_t t = 0; t < mg->tunnels.n; t++) {
			struct model_tunnel *mt = mg->tunnels.v[t];
			if (keyed_by_hand(mg, mt) && !mt->manual_given)
				mt->manual_spi_in = spi_in(&taken, mg, mt);
		}
		free(taken.slot);
	}
	/* What a gateway sends with is what the other end receives with. */
	for (size_t g = 0; g < m->gateways.n; g++) {
		struct model_gateway *mg = m->gateways.v[g];
		for (size_t t = 0; t < mg->tunnels.n; t++) {
			struct model_tunnel *mt = mg->tunnels.v[t];
			if (!mt->manual_spi_in || mt->manual_given)
				continue;
			if (mt->peer_tunnel)
				mt->manual_spi_out = mt->peer_tunnel->manual_spi_in;
			else if (model_tunnel_peer(mt) == model_tunnel_self(mt))
				mt->manual_spi_out = mt->manual_spi_in;
			else            /* the far end is not modelled: its first choice */
				for (uint32_t k = 0; mt->manual_spi_out < 0x100 && k < 1000; k++)
					mt->manual_spi_out = manual_spi_candidate(
						mt->ir->name, model_tunnel_self(mt)->name,
						model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "", k);
		}
	}
}

/* ---- a tunnel end's SA pair ---- */

void manual_first_offer(const struct ir_ipsec *ps, struct manual_suite *out)
{
	out->ah = ps->protocol == IPSEC_AH;
	out->enc = !out->ah && ps->encryption.n ? ps->encryption.v[0] : ENC_NULL;
	out->integ = ps->integrity.n ? ps->integrity.v[0] : INTEG_NONE;
}

const char *manual_enc_label(enum encryption e, size_t *key_len)
{
	if ((unsigned)e >= ENC__COUNT || !enc_table[e].label)
		return NULL;
	*key_len = enc_table[e].key;
	return enc_table[e].label;
}

const char *manual_auth_label(enum integrity i, size_t *key_len)
{
	if ((unsigned)i >= INTEG__COUNT || !auth_table[i].label)
		return NULL;
	*key_len = auth_table[i].key;
	return auth_table[i].label;
}

bool manual_derive(const struct secret *key, const struct model_tunnel *mt,
		   const struct manual_suite *s, struct sa_keys *out, struct sa_keys *in)
{
	memset(out, 0, sizeof(*out));
	memset(in, 0, sizeof(*in));
	const char *enc_label = "", *auth_label = "";
	size_t enc_len = 0, auth_len = 0;
	if (!s->ah && !(enc_label = manual_enc_label(s->enc, &enc_len)))
		return false;
	if (s->integ != INTEG_NONE && !(auth_label = manual_auth_label(s->integ, &auth_len)))
		return false;
	if (!mt->manual_spi_in || !mt->manual_spi_out)
		return false;
	/* The same arguments as emit_xfrm.c: (tunnel, sender, receiver). */
	const char *self = model_tunnel_self(mt)->name;
	const char *peer = model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "";
	if (!keys_derive_sa(key, mt->ir->name, self, peer, enc_label, enc_len,
			    auth_label, auth_len, out) ||
	    !keys_derive_sa(key, mt->ir->name, peer, self, enc_label, enc_len,
			    auth_label, auth_len, in))
		return false;
	out->spi = mt->manual_spi_out;
	in->spi = mt->manual_spi_in;
	return true;
}

enum manual_fail manual_keys_load(const struct source_set *sources, const struct model_tunnel *mt,
				  const struct manual_suite *s, struct sa_keys *out,
				  struct sa_keys *in, char *err, size_t err_size)
{
	memset(out, 0, sizeof(*out));
	memset(in, 0, sizeof(*in));
	struct secret key;
	if (!psk_load(sources, model_tunnel_psk(mt), &key, err, err_size))
		return MANUAL_NO_KEY;
	char why[300];
	enum manual_given g = manual_given_parse(&key, model_tunnel_self(mt)->name,
						 model_tunnel_peer(mt) ? model_tunnel_peer(mt)->name : "", s, out, in, why,
						 sizeof(why));
	if (g == MANUAL_GIVEN_BAD) {
		secret_free(&key);
		snprintf(err, err_size, "the SAs it gives: %s", why);
		return MANUAL_NO_KEY;
	}
	bool ok = g == MANUAL_GIVEN || manual_derive(&key, mt, s, out, in);
	secret_free(&key);
	if (ok)
		return MANUAL_OK;
	keys_wipe(out);
	keys_wipe(in);
	snprintf(err, err_size, "this suite cannot be keyed by hand");
	return MANUAL_NO_SUITE;
}
