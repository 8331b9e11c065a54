/* ESP tunnel mode, RFC 4303: SPI, sequence number, IV, encrypted inner
 * packet with padding / pad length / next header, ICV.  AES-GCM per
 * RFC 4106 (nonce = salt || 8-byte explicit IV, AAD = SPI || sequence
 * number, 16-byte tag); CBC ciphers and NULL (RFC 2410) with a truncated
 * HMAC over ESP header, IV and ciphertext.  No allocation per packet: the
 * contexts prepared in sa.c are restarted with a new IV. */
#include "config.h"
#include "engine/ipsec_internal.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

static bool gcm_nonce(const struct ipsec_sa *sa, const uint8_t *iv, uint8_t nonce[12])
{
	memcpy(nonce, sa->salt, 4);
	memcpy(nonce + 4, iv, 8);
	return true;
}

/* Encrypts PAYLOAD[0..CLEN) in place and writes the ICV. */
static bool esp_seal(struct ipsec_sa *sa, const uint8_t *esp, const uint8_t *iv,
		     uint8_t *payload, size_t clen, uint8_t *icv)
{
	EVP_CIPHER_CTX *ctx = sa->cipher_ctx;
	int n = 0, fin = 0;
	if (sa->aead) {
		uint8_t nonce[12];
		gcm_nonce(sa, iv, nonce);
		return EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, nonce) == 1 &&
		       EVP_EncryptUpdate(ctx, NULL, &n, esp, ESP_HDR) == 1 &&
		       EVP_EncryptUpdate(ctx, payload, &n, payload, (int)clen) == 1 &&
		       EVP_EncryptFinal_ex(ctx, payload + n, &fin) == 1 &&
		       (size_t)(n + fin) == clen &&
		       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, (int)sa->icv_len, icv) == 1;
	}
	if (ctx && !(EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, iv) == 1 &&
		     EVP_EncryptUpdate(ctx, payload, &n, payload, (int)clen) == 1 &&
		     EVP_EncryptFinal_ex(ctx, payload + n, &fin) == 1 &&
		     (size_t)(n + fin) == clen))
		return false;
	uint8_t mac[EVP_MAX_MD_SIZE];
	if (!ipsec_hmac(sa, esp, (size_t)(payload + clen - esp), NULL, 0, NULL, 0, mac))
		return false;
	memcpy(icv, mac, sa->icv_len);
	return true;
}

enum ipsec_result ipsec_esp_encapsulate(struct ipsec_sa *sa, const uint8_t *inner,
					size_t inner_len, uint8_t *out, size_t out_size,
					size_t *out_len)
{
	uint8_t next_header, tos;
	if (!ipsec_inner_kind(inner, inner_len, &next_header, &tos))
		return IPSEC_BAD_INNER;
	size_t hdr = ipsec_outer_hdr_len(sa);
	size_t pad = (sa->block_len - (inner_len + 2) % sa->block_len) % sa->block_len;
	size_t clen = inner_len + pad + 2;
	size_t ip_hdr = sa->cfg.dst.family == AF_V6 ? IPV6_HDR : 0;
	if (inner_len > IP_MAX_PACKET)
		return IPSEC_TOO_BIG;
	size_t total = hdr + ESP_HDR + sa->iv_len + clen + sa->icv_len;
	if (total > out_size || total - ip_hdr > IP_MAX_PACKET)
		return IPSEC_TOO_BIG;

	uint32_t seq = sa->seq + 1;
	uint8_t *esp = out + hdr;
	uint8_t *iv = esp + ESP_HDR;
	uint8_t *payload = iv + sa->iv_len;
	put32(esp, sa->cfg.spi);
	put32(esp + 4, seq);
	if (sa->iv_len)
		sa->cfg.iv_fn(sa->cfg.iv_ctx, iv, sa->iv_len);
	memcpy(payload, inner, inner_len);
	for (size_t i = 0; i < pad; i++)
		payload[inner_len + i] = (uint8_t)(i + 1);     /* RFC 4303 §2.4 */
	payload[clen - 2] = (uint8_t)pad;
	payload[clen - 1] = next_header;
	if (!esp_seal(sa, esp, iv, payload, clen, payload + clen))
		return IPSEC_CRYPTO_ERROR;
	ipsec_write_outer(sa, out, total, tos, seq);
	if (sa->cfg.udp_encap && ip_hdr)
		ipsec_finish_udp6(out, total);
	sa->seq = seq;
	*out_len = total;
	return IPSEC_OK;
}

/* Verifies and decrypts CT[0..CLEN) into OUT. */
static enum ipsec_result esp_open(struct ipsec_sa *sa, const uint8_t *esp, const uint8_t *iv,
				  const uint8_t *ct, size_t clen, const uint8_t *icv,
				  uint8_t *out)
{
	EVP_CIPHER_CTX *ctx = sa->cipher_ctx;
	int n = 0, fin = 0;
	if (sa->aead) {
		uint8_t nonce[12], tag[16];
		gcm_nonce(sa, iv, nonce);
		memcpy(tag, icv, sizeof(tag));
		if (!(EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, nonce) == 1 &&
		      EVP_DecryptUpdate(ctx, NULL, &n, esp, ESP_HDR) == 1 &&
		      EVP_DecryptUpdate(ctx, out, &n, ct, (int)clen) == 1 &&
		      EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, (int)sizeof(tag), tag) == 1))
			return IPSEC_CRYPTO_ERROR;
		if (EVP_DecryptFinal_ex(ctx, out + n, &fin) != 1)
			return IPSEC_BAD_ICV;
		return IPSEC_OK;
	}
	uint8_t mac[EVP_MAX_MD_SIZE];
	if (!ipsec_hmac(sa, esp, (size_t)(icv - esp), NULL, 0, NULL, 0, mac))
		return IPSEC_CRYPTO_ERROR;
	if (CRYPTO_memcmp(mac, icv, sa->icv_len) != 0)
		return IPSEC_BAD_ICV;
	if (!ctx) {
		memcpy(out, ct, clen);
		return IPSEC_OK;
	}
	if (!(EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, iv) == 1 &&
	      EVP_DecryptUpdate(ctx, out, &n, ct, (int)clen) == 1 &&
	      EVP_DecryptFinal_ex(ctx, out + n, &fin) == 1 &&
	      (size_t)(n + fin) == clen))
		return IPSEC_CRYPTO_ERROR;
	return IPSEC_OK;
}

enum ipsec_result ipsec_esp_decapsulate(struct ipsec_sa *sa, const uint8_t *pkt,
					const struct ipsec_outer *o, uint8_t *out,
					size_t out_size, size_t *out_len)
{
	size_t avail = o->ip_len - o->ipsec_off;
	size_t fixed = ESP_HDR + sa->iv_len + sa->icv_len;
	if (avail < fixed + 2)
		return IPSEC_TRUNCATED;
	size_t clen = avail - fixed;
	if (clen % sa->block_len)
		return IPSEC_BAD_LENGTH;
	enum ipsec_result r = ipsec_replay_check(&sa->replay, o->seq);
	if (r != IPSEC_OK)
		return r;
	if (clen > out_size)
		return IPSEC_TOO_BIG;

	const uint8_t *esp = pkt + o->ipsec_off;
	const uint8_t *iv = esp + ESP_HDR;
	const uint8_t *ct = iv + sa->iv_len;
	r = esp_open(sa, esp, iv, ct, clen, ct + clen, out);
	if (r != IPSEC_OK)
		return r;
	/* Authenticated: only now may the window move (RFC 4303 §3.4.3). */
	ipsec_replay_update(&sa->replay, o->seq);

	size_t pad = out[clen - 2];
	uint8_t next_header = out[clen - 1];
	if (pad > clen - 2)
		return IPSEC_BAD_PADDING;
	size_t inner_len = clen - 2 - pad;
	for (size_t i = 0; i < pad; i++)
		if (out[inner_len + i] != (uint8_t)(i + 1))
			return IPSEC_BAD_PADDING;
	if (!ipsec_inner_matches(next_header, out, inner_len))
		return IPSEC_BAD_NEXT_HEADER;
	*out_len = inner_len;
	return IPSEC_OK;
}
