/* AH tunnel mode, RFC 4302: the ICV covers the outer IP header with its
 * mutable fields zeroed (§3.3.3.1), the AH header with a zero ICV field,
 * and the whole inner packet.  The ICV field is padded (with zeros) so the AH
 * header is a multiple of 4 bytes over IPv4 and of 8 over IPv6 (§2.2). */
#include "config.h"
#include "engine/ipsec_internal.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#define AH_ICV_FIELD_MAX 36

static size_t icv_field(const struct ipsec_sa *sa)
{
	size_t align = sa->cfg.dst.family == AF_V6 ? 8 : 4;
	size_t n = AH_FIXED + sa->icv_len;
	return (n + align - 1) / align * align - AH_FIXED;
}

/* Copies the outer IP header with the fields a router may change zeroed. */
static void immutable_header(const uint8_t *ip, size_t len, uint8_t *h)
{
	memcpy(h, ip, len);
	if (len == IPV4_HDR) {
		h[1] = 0;               /* DSCP/ECN */
		h[6] = h[7] = 0;        /* flags, fragment offset */
		h[8] = 0;               /* TTL */
		h[10] = h[11] = 0;      /* checksum */
	} else {
		h[0] &= 0xf0;           /* traffic class, flow label */
		h[1] = h[2] = h[3] = 0;
		h[7] = 0;               /* hop limit */
	}
}

static bool ah_icv(struct ipsec_sa *sa, const uint8_t *ip, size_t ip_hdr, const uint8_t *ah,
		   size_t ah_len, const uint8_t *inner, size_t inner_len, uint8_t *mac)
{
	uint8_t h[IPV6_HDR], ahz[AH_FIXED + AH_ICV_FIELD_MAX];
	immutable_header(ip, ip_hdr, h);
	/* Only the ICV proper is zeroed: its padding is covered as sent
	 * (RFC 4302 §3.3.3.2.1; Linux does the same). */
	memcpy(ahz, ah, ah_len);
	memset(ahz + AH_FIXED, 0, sa->icv_len);
	return ipsec_hmac(sa, h, ip_hdr, ahz, ah_len, inner, inner_len, mac);
}

enum ipsec_result ipsec_ah_encapsulate(struct ipsec_sa *sa, const uint8_t *inner,
				       size_t inner_len, uint8_t *out, size_t out_size,
				       size_t *out_len)
{
	uint8_t next_header, tos;
	if (!ipsec_inner_kind(inner, inner_len, &next_header, &tos))
		return IPSEC_BAD_INNER;
	size_t ip_hdr = ipsec_outer_hdr_len(sa);
	size_t ah_len = AH_FIXED + icv_field(sa);
	size_t payload_max = sa->cfg.dst.family == AF_V6 ? IP_MAX_PACKET + IPV6_HDR
							  : IP_MAX_PACKET;
	if (inner_len > IP_MAX_PACKET)
		return IPSEC_TOO_BIG;
	size_t total = ip_hdr + ah_len + inner_len;
	if (total > out_size || total > payload_max)
		return IPSEC_TOO_BIG;

	uint32_t seq = sa->seq + 1;
	ipsec_write_outer(sa, out, total, tos, seq);
	uint8_t *ah = out + ip_hdr;
	ah[0] = next_header;
	ah[1] = (uint8_t)(ah_len / 4 - 2);
	ah[2] = ah[3] = 0;
	put32(ah + 4, sa->cfg.spi);
	put32(ah + 8, seq);
	memset(ah + AH_FIXED, 0, ah_len - AH_FIXED);
	memcpy(ah + ah_len, inner, inner_len);
	uint8_t mac[EVP_MAX_MD_SIZE];
	if (!ah_icv(sa, out, ip_hdr, ah, ah_len, inner, inner_len, mac))
		return IPSEC_CRYPTO_ERROR;
	memcpy(ah + AH_FIXED, mac, sa->icv_len);
	sa->seq = seq;
	*out_len = total;
	return IPSEC_OK;
}

enum ipsec_result ipsec_ah_decapsulate(struct ipsec_sa *sa, const uint8_t *pkt,
				       const struct ipsec_outer *o, uint8_t *out,
				       size_t out_size, size_t *out_len)
{
	size_t ip_hdr = o->family == AF_V6 ? IPV6_HDR : IPV4_HDR;
	if (o->ipsec_off != ip_hdr)
		return IPSEC_BAD_HEADER;        /* IPv4 options: not produced, not accepted */
	const uint8_t *ah = pkt + o->ipsec_off;
	size_t ah_len = ((size_t)ah[1] + 2) * 4;
	if (ah_len != AH_FIXED + icv_field(sa))
		return IPSEC_BAD_HEADER;
	if (o->ip_len - o->ipsec_off < ah_len)
		return IPSEC_TRUNCATED;
	enum ipsec_result r = ipsec_replay_check(&sa->replay, o->seq);
	if (r != IPSEC_OK)
		return r;
	const uint8_t *inner = ah + ah_len;
	size_t inner_len = o->ip_len - o->ipsec_off - ah_len;
	if (inner_len > out_size)
		return IPSEC_TOO_BIG;

	uint8_t mac[EVP_MAX_MD_SIZE];
	if (!ah_icv(sa, pkt, ip_hdr, ah, ah_len, inner, inner_len, mac))
		return IPSEC_CRYPTO_ERROR;
	if (CRYPTO_memcmp(mac, ah + AH_FIXED, sa->icv_len) != 0)
		return IPSEC_BAD_ICV;
	ipsec_replay_update(&sa->replay, o->seq);
	if (!ipsec_inner_matches(ah[0], inner, inner_len))
		return IPSEC_BAD_NEXT_HEADER;
	memcpy(out, inner, inner_len);
	*out_len = inner_len;
	return IPSEC_OK;
}
