/* Packets as bytes: building and parsing IPv4/IPv6 headers with ICMP echo,
 * TCP and UDP, with correct checksums.  The engine moves real packets so
 * that what the pcap shows and what the ESP code encrypts is what a host
 * would send.  The parser never reads outside the buffer it is given. */
#ifndef TUNC_ENGINE_PACKET_H
#define TUNC_ENGINE_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ir/addr.h"

#define PKT_MAX 65535                   /* the largest IP packet */
/* The ICMP echo payload Windows ping sends (seed 000: "abcdefghijklmnop..."). */
#define PKT_PING_PAYLOAD "abcdefghijklmnopqrstuvwabcdefghi"
#define PKT_PING_PAYLOAD_LEN 32

#define IPPROTO_ICMP_ 1
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define IPPROTO_ESP_ 50
#define IPPROTO_AH_ 51
#define IPPROTO_ICMPV6_ 58

/* X(ID, name): why a buffer is not a packet the engine accepts. */
#define PKT_ERRORS(X)                                                          \
	X(PKT_OK, "ok")                                                        \
	X(PKT_TRUNCATED, "truncated")           /* shorter than its headers say */ \
	X(PKT_OVERSIZED, "oversized")           /* longer than 65535 bytes */   \
	X(PKT_BAD_VERSION, "bad-version")       /* not IPv4 or IPv6 */          \
	X(PKT_BAD_HEADER, "bad-header")         /* IHL < 5, length < header, ... */ \
	X(PKT_BAD_CHECKSUM, "bad-checksum")     /* IPv4 header checksum */

#define X_ENUM(id, name) id,
enum pkt_error { PKT_ERRORS(X_ENUM) PKT_ERROR__COUNT };
#undef X_ENUM
const char *pkt_error_name(enum pkt_error e);

/* What the engine's stages look at. */
struct pkt_info {
	uint8_t family;                 /* AF_V4 / AF_V6 */
	struct ip_addr src, dst;
	unsigned proto;                 /* IPv4 protocol / IPv6 next header */
	uint8_t ttl;
	size_t hdr_len;                 /* IP header bytes */
	size_t ip_len;                  /* whole packet per its header */
	bool fragment;                  /* a non-first fragment: no transport header */
	bool has_ports;                 /* TCP/UDP with a complete port pair */
	uint16_t sport, dport;
	bool is_echo_request, is_echo_reply;
	bool is_tcp_syn;                /* a TCP SYN without ACK: opens a connection */
	bool tcp_syn_any;               /* SYN set (a SYN or a SYN-ACK) */
	uint16_t tcp_mss;               /* a SYN's MSS option; 0: none */
	bool df;                        /* IPv4 Don't Fragment (IPv6: routers never fragment) */
	uint16_t echo_id, echo_seq;
	uint32_t spi;                   /* ESP/AH (and ESP in UDP 4500): SPI, else 0 */
};

/* Parses LEN bytes of PKT.  Trailing bytes beyond the header's total length
 * (Ethernet padding) are allowed; fewer are PKT_TRUNCATED. */
enum pkt_error pkt_parse(const uint8_t *pkt, size_t len, struct pkt_info *out);

/* What to build. */
struct pkt_spec {
	struct ip_addr src, dst;        /* same family */
	unsigned proto;                 /* ICMP (echo), TCP (SYN), UDP, or another number (empty payload) */
	uint16_t sport, dport;
	bool echo_reply;                /* ICMP: reply instead of request */
	uint16_t echo_id, echo_seq;
	uint8_t ttl;                    /* 0: 128, as Windows sends */
	uint16_t ip_id;                 /* IPv4 identification */
	size_t size;                    /* the IP packet's length, padded with payload; 0: the
					 * headers and the 32-byte ping payload only */
	bool df;                        /* IPv4: set Don't Fragment */
	uint16_t mss;                   /* TCP SYN: an MSS option (RFC 9293 3.7.1); 0: none */
	bool tcp_data;                  /* TCP: an ACK carrying data, not a SYN */
};

/* Writes the packet into BUF (at least PKT_BUILD_MAX bytes and SPEC's
 * size); returns its length, 0 when SIZE cannot hold the headers. */
#define PKT_BUILD_MAX 128
size_t pkt_build(const struct pkt_spec *spec, uint8_t *buf, size_t size);

/* The Internet checksum (RFC 1071) of LEN bytes, folded, not inverted, with
 * an initial partial sum. */
uint32_t pkt_sum(const uint8_t *p, size_t len, uint32_t sum);
uint16_t pkt_fold(uint32_t sum);

/* Rewrites the source (or destination) address of the packet in place and
 * fixes the IPv4 header and TCP/UDP/ICMPv6 checksums.  The family must match. */
bool pkt_set_addr(uint8_t *pkt, size_t len, bool source, const struct ip_addr *a);
/* Rewrites the MSS option of the TCP SYN (or SYN-ACK) in place to MSS
 * and fixes the checksum; false when it has none. */
bool pkt_set_mss(uint8_t *pkt, size_t len, uint16_t mss);
/* Decrements the TTL / hop limit (IPv4 checksum fixed); false when it hits 0. */
bool pkt_dec_ttl(uint8_t *pkt, size_t len);

/* The reply a host sends to an echo request (addresses swapped, type
 * changed, same id/seq/payload).  Returns its length, 0 when PKT is not an
 * echo request. */
size_t pkt_echo_reply(const uint8_t *pkt, size_t len, uint8_t *out, size_t size);

/* The answer a host gives to a packet that asks for one: an echo reply to
 * an echo request (pkt_echo_reply), a SYN-ACK to a TCP SYN (addresses and
 * ports swapped, no payload).  0 when PKT asks for no answer. */
size_t pkt_reply(const uint8_t *pkt, size_t len, uint8_t *out, size_t size);
/* A UDP datagram's answer (`expect ... udp N reply`): addresses and ports
 * swapped, no payload.  0 when PKT is not UDP. */
size_t pkt_udp_reply(const uint8_t *pkt, size_t len, uint8_t *out, size_t size);
static inline bool pkt_wants_reply(const struct pkt_info *pi)
{
	return pi->is_echo_request || pi->is_tcp_syn;
}

/* "ICMP echo request 10.1.0.10 -> 10.2.0.10 id 1 seq 1" style summary. */
void pkt_describe(const struct pkt_info *pi, char *buf, size_t size);

#endif
