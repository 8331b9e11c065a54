/* Shared by sa.c, esp.c and ah.c: byte helpers, the outer header writer and
 * the anti-replay window.  Not part of the engine's API (that is esp.h). */
#ifndef TUNC_IPSEC_INTERNAL_H
#define TUNC_IPSEC_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "engine/esp.h"

#define IPV4_HDR 20
#define IPV6_HDR 40
#define UDP_HDR 8
#define ESP_HDR 8                       /* SPI + sequence number */
#define AH_FIXED 12                     /* next header, length, reserved, SPI, sequence */
#define IPPROTO_IPIP_ 4
#define IPPROTO_IPV6_ 41
#define IPPROTO_UDP_ 17
#define IPPROTO_ESP_ 50
#define IPPROTO_AH_ 51
#define IP_MAX_PACKET 65535u

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Bytes of the outer IP header (and UDP header when encapsulating). */
size_t ipsec_outer_hdr_len(const struct ipsec_sa *sa);

/* Writes the outer IP header (and UDP header) for an outer packet of
 * TOTAL bytes whose IP payload starts with protocol PROTO; TOS is the
 * inner packet's DSCP/ECN byte, copied (RFC 4301 §5.1.2.1).  The IPv4
 * checksum is filled in; an IPv6 UDP checksum is left for
 * ipsec_finish_udp6(). */
void ipsec_write_outer(const struct ipsec_sa *sa, uint8_t *out, size_t total,
		       uint8_t tos, uint32_t seq);
/* IPv6 forbids a zero UDP checksum: computes it over the finished packet. */
void ipsec_finish_udp6(uint8_t *pkt, size_t total);
uint16_t ipsec_ip_checksum(const uint8_t *p, size_t len, uint32_t sum);

/* The inner packet's next-header value (4 or 41) and its DSCP/ECN byte;
 * false when it is neither IPv4 nor IPv6 of a plausible length. */
bool ipsec_inner_kind(const uint8_t *inner, size_t len, uint8_t *next_header, uint8_t *tos);
/* Does the decrypted inner packet agree with NEXT_HEADER? */
bool ipsec_inner_matches(uint8_t next_header, const uint8_t *inner, size_t len);

/* RFC 4303 §3.4.3 anti-replay: check before the ICV, update after it. */
enum ipsec_result ipsec_replay_check(const struct ipsec_replay *w, uint32_t seq);
void ipsec_replay_update(struct ipsec_replay *w, uint32_t seq);

/* HMAC of the SA over the concatenation of up to three pieces (NULL/0
 * skipped) into MAC (the full digest; the ICV is its first icv_len bytes). */
bool ipsec_hmac(struct ipsec_sa *sa, const uint8_t *a, size_t alen,
		const uint8_t *b, size_t blen, const uint8_t *c, size_t clen,
		uint8_t *mac);

/* Counts R for the SA and returns it. */
static inline enum ipsec_result ipsec_count(struct ipsec_sa *sa, enum ipsec_result r,
					    size_t inner_bytes)
{
	if (r == IPSEC_OK) {
		sa->counters.packets++;
		sa->counters.bytes += inner_bytes;
	} else {
		sa->counters.drops[r]++;
	}
	return r;
}

enum ipsec_result ipsec_esp_encapsulate(struct ipsec_sa *sa, const uint8_t *inner,
					size_t inner_len, uint8_t *out, size_t out_size,
					size_t *out_len);
enum ipsec_result ipsec_esp_decapsulate(struct ipsec_sa *sa, const uint8_t *pkt,
					const struct ipsec_outer *o, uint8_t *out,
					size_t out_size, size_t *out_len);
enum ipsec_result ipsec_ah_encapsulate(struct ipsec_sa *sa, const uint8_t *inner,
				       size_t inner_len, uint8_t *out, size_t out_size,
				       size_t *out_len);
enum ipsec_result ipsec_ah_decapsulate(struct ipsec_sa *sa, const uint8_t *pkt,
				       const struct ipsec_outer *o, uint8_t *out,
				       size_t out_size, size_t *out_len);

#endif
