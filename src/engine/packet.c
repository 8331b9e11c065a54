/* IPv4/IPv6 packets with ICMP echo, TCP and UDP: build, parse, rewrite. */
#include "config.h"
#include "engine/packet.h"

#include <stdio.h>
#include <string.h>

#include "ir/enums.h"

#define X_NAME(id, name) name,
static const char *const error_names[] = {PKT_ERRORS(X_NAME)};
#undef X_NAME

const char *pkt_error_name(enum pkt_error e)
{
	return e < PKT_ERROR__COUNT ? error_names[e] : "?";
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

uint32_t pkt_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;
	for (i = 0; i + 1 < len; i += 2)
		sum += get16(p + i);
	if (i < len)
		sum += (uint32_t)p[i] << 8;
	return sum;
}

uint16_t pkt_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static size_t addr_len(uint8_t family)
{
	return family == AF_V6 ? 16 : 4;
}

/* The pseudo-header sum of TCP/UDP/ICMPv6 (RFC 793, 768, 8200 8.1). */
static uint32_t pseudo_sum(uint8_t family, const uint8_t *src, const uint8_t *dst,
			   unsigned proto, size_t len)
{
	size_t al = addr_len(family);
	uint32_t sum = pkt_sum(src, al, 0);
	sum = pkt_sum(dst, al, sum);
	sum += proto;
	sum += (uint32_t)(len & 0xffff) + (uint32_t)(len >> 16);
	return sum;
}

/* Offset of the checksum field inside the transport header, or 0. */
static size_t csum_offset(unsigned proto)
{
	switch (proto) {
	case IPPROTO_TCP_: return 16;
	case IPPROTO_UDP_: return 6;
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_: return 2;
	default: return 0;
	}
}

/* Recomputes the transport checksum of a complete, unfragmented packet. */
static void fix_transport(uint8_t *pkt, const struct pkt_info *pi, bool fresh)
{
	size_t off = csum_offset(pi->proto);
	if (!off || pi->fragment)
		return;
	uint8_t *t = pkt + pi->hdr_len;
	size_t tlen = pi->ip_len - pi->hdr_len;
	if (tlen < off + 2)
		return;
	if (!fresh && pi->proto == IPPROTO_UDP_ && get16(t + 6) == 0 && pi->family == AF_V4)
		return;         /* IPv4 UDP sent without checksum stays so */
	put16(t + off, 0);
	uint32_t sum = 0;
	if (pi->proto != IPPROTO_ICMP_) {
		const uint8_t *src = pkt + (pi->family == AF_V6 ? 8 : 12);
		const uint8_t *dst = src + addr_len(pi->family);
		sum = pseudo_sum(pi->family, src, dst, pi->proto, tlen);
	}
	uint16_t c = (uint16_t)~pkt_fold(pkt_sum(t, tlen, sum));
	if (pi->proto == IPPROTO_UDP_ && c == 0)
		c = 0xffff;
	put16(t + off, c);
}

static void fix_ipv4_header(uint8_t *pkt, size_t hdr_len)
{
	put16(pkt + 10, 0);
	put16(pkt + 10, (uint16_t)~pkt_fold(pkt_sum(pkt, hdr_len, 0)));
}

/* The offset in the TCP header T of its MSS option's value, or 0. */
static size_t tcp_mss_offset(const uint8_t *t, size_t tlen)
{
	size_t doff = (size_t)(t[12] >> 4) * 4;
	if (doff > tlen)
		return 0;
	for (size_t i = 20; i < doff;) {
		if (t[i] == 0)                  /* end of options */
			return 0;
		if (t[i] == 1) {                /* no-operation */
			i++;
			continue;
		}
		if (i + 1 >= doff || t[i + 1] < 2 || i + t[i + 1] > doff)
			return 0;
		if (t[i] == 2 && t[i + 1] == 4)
			return i + 2;
		i += t[i + 1];
	}
	return 0;
}

static void parse_transport(const uint8_t *t, size_t tlen, struct pkt_info *pi)
{
	switch (pi->proto) {
	case IPPROTO_TCP_:
	case IPPROTO_UDP_:
		if (tlen >= 4) {
			pi->has_ports = true;
			pi->sport = get16(t);
			pi->dport = get16(t + 2);
		}
		if (pi->proto == IPPROTO_TCP_ && tlen >= 20) {
			pi->is_tcp_syn = (t[13] & 0x12) == 0x02;       /* SYN, no ACK */
			pi->tcp_syn_any = t[13] & 0x02;
			if (pi->tcp_syn_any)
				pi->tcp_mss = (uint16_t)(tcp_mss_offset(t, tlen) ?
					get16(t + tcp_mss_offset(t, tlen)) : 0);
		}
		if (pi->proto == IPPROTO_UDP_ && tlen >= 12 && pi->dport == 4500 &&
		    get32(t + 8) != 0)
			pi->spi = get32(t + 8);         /* ESP in UDP (RFC 3948) */
		break;
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_:
		if (tlen >= 8) {
			uint8_t type = t[0];
			bool v6 = pi->proto == IPPROTO_ICMPV6_;
			pi->is_echo_request = type == (v6 ? 128 : 8);
			pi->is_echo_reply = type == (v6 ? 129 : 0);
			pi->echo_id = get16(t + 4);
			pi->echo_seq = get16(t + 6);
		}
		break;
	case IPPROTO_ESP_:
		if (tlen >= 4)
			pi->spi = get32(t);
		break;
	case IPPROTO_AH_:
		if (tlen >= 8)
			pi->spi = get32(t + 4);
		break;
	default:
		break;
	}
}

enum pkt_error pkt_parse(const uint8_t *pkt, size_t len, struct pkt_info *pi)
{
	memset(pi, 0, sizeof(*pi));
	if (len > PKT_MAX)
		return PKT_OVERSIZED;
	if (len < 1)
		return PKT_TRUNCATED;
	unsigned version = pkt[0] >> 4;
	if (version == 4) {
		if (len < 20)
			return PKT_TRUNCATED;
		size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;
		size_t total = get16(pkt + 2);
		if (ihl < 20 || total < ihl)
			return PKT_BAD_HEADER;
		if (len < ihl || len < total)
			return PKT_TRUNCATED;
		if (pkt_fold(pkt_sum(pkt, ihl, 0)) != 0xffff)
			return PKT_BAD_CHECKSUM;
		pi->family = AF_V4;
		pi->hdr_len = ihl;
		pi->ip_len = total;
		pi->ttl = pkt[8];
		pi->proto = pkt[9];
		pi->src.family = pi->dst.family = AF_V4;
		memcpy(pi->src.b, pkt + 12, 4);
		memcpy(pi->dst.b, pkt + 16, 4);
		pi->fragment = (get16(pkt + 6) & 0x1fff) != 0;
		pi->df = (get16(pkt + 6) & 0x4000) != 0;
	} else if (version == 6) {
		if (len < 40)
			return PKT_TRUNCATED;
		size_t total = 40 + (size_t)get16(pkt + 4);
		if (len < total)
			return PKT_TRUNCATED;
		pi->family = AF_V6;
		pi->hdr_len = 40;
		pi->ip_len = total;
		pi->proto = pkt[6];
		pi->ttl = pkt[7];
		pi->src.family = pi->dst.family = AF_V6;
		memcpy(pi->src.b, pkt + 8, 16);
		memcpy(pi->dst.b, pkt + 24, 16);
	} else {
		return PKT_BAD_VERSION;
	}
	if (!pi->fragment)
		parse_transport(pkt + pi->hdr_len, pi->ip_len - pi->hdr_len, pi);
	return PKT_OK;
}

size_t pkt_build(const struct pkt_spec *s, uint8_t *buf, size_t size)
{
	if (size < PKT_BUILD_MAX || size < s->size || s->size > PKT_MAX ||
	    s->src.family != s->dst.family)
		return 0;
	memset(buf, 0, s->size > PKT_BUILD_MAX ? s->size : PKT_BUILD_MAX);
	bool v6 = s->src.family == AF_V6;
	size_t hl = v6 ? 40 : 20;
	uint8_t *t = buf + hl;
	size_t tlen = 0;
	unsigned proto = s->proto;
	if (proto == IPPROTO_ICMP_ && v6)
		proto = IPPROTO_ICMPV6_;

	switch (proto) {
	case IPPROTO_ICMP_:
	case IPPROTO_ICMPV6_:
		t[0] = v6 ? (s->echo_reply ? 129 : 128) : (s->echo_reply ? 0 : 8);
		put16(t + 4, s->echo_id);
		put16(t + 6, s->echo_seq);
		memcpy(t + 8, PKT_PING_PAYLOAD, PKT_PING_PAYLOAD_LEN);
		tlen = 8 + PKT_PING_PAYLOAD_LEN;
		if (s->size) {          /* the ping payload, repeated to the size (ping -s) */
			if (s->size < hl + 8)
				return 0;
			tlen = s->size - hl;
			for (size_t i = 8; i < tlen; i++)
				t[i] = (uint8_t)PKT_PING_PAYLOAD[(i - 8) % PKT_PING_PAYLOAD_LEN];
		}
		break;
	case IPPROTO_TCP_:
		put16(t, s->sport);
		put16(t + 2, s->dport);
		t[4] = 0; t[5] = 0; t[6] = 0x10; t[7] = 0x01;  /* initial sequence number */
		t[12] = 5 << 4;                 /* data offset: 20 bytes */
		t[13] = 0x02;                   /* SYN */
		put16(t + 14, 64240);           /* window */
		tlen = 20;
		if (s->tcp_data) {
			t[7] = 0x02;            /* the byte after the SYN's */
			put32(t + 8, 0x20000002u);      /* acknowledges the SYN-ACK */
			t[13] = 0x18;           /* PSH, ACK */
			if (s->size && s->size < hl + tlen)
				return 0;
			tlen = s->size ? s->size - hl : tlen;
		} else if (s->mss) {
			t[12] = 6 << 4;         /* 24 bytes: the MSS option */
			t[20] = 2;
			t[21] = 4;
			put16(t + 22, s->mss);
			tlen = 24;
		}
		break;
	case IPPROTO_UDP_:
		put16(t, s->sport);
		put16(t + 2, s->dport);
		put16(t + 4, 8);
		tlen = 8;
		break;
	default:
		tlen = 0;
		break;
	}
	if (s->size && proto != IPPROTO_ICMP_ && proto != IPPROTO_ICMPV6_ && !s->tcp_data) {
		if (s->size < hl + tlen)
			return 0;
		tlen = s->size - hl;            /* zero payload up to the size */
		if (proto == IPPROTO_UDP_)
			put16(t + 4, (uint16_t)tlen);
	}

	size_t total = hl + tlen;
	uint8_t ttl = s->ttl ? s->ttl : 128;
	if (v6) {
		buf[0] = 0x60;
		put16(buf + 4, (uint16_t)tlen);
		buf[6] = (uint8_t)proto;
		buf[7] = ttl;
		memcpy(buf + 8, s->src.b, 16);
		memcpy(buf + 24, s->dst.b, 16);
	} else {
		buf[0] = 0x45;
		put16(buf + 2, (uint16_t)total);
		put16(buf + 4, s->ip_id);
		if (s->df)
			put16(buf + 6, 0x4000);
		buf[8] = ttl;
		buf[9] = (uint8_t)proto;
		memcpy(buf + 12, s->src.b, 4);
		memcpy(buf + 16, s->dst.b, 4);
		fix_ipv4_header(buf, hl);
	}
	struct pkt_info pi;
	if (pkt_parse(buf, total, &pi) != PKT_OK)
		return 0;
	fix_transport(buf, &pi, true);
	return total;
}

bool pkt_set_addr(uint8_t *pkt, size_t len, bool source, const struct ip_addr *a)
{
	struct pkt_info pi;
	if (pkt_parse(pkt, len, &pi) != PKT_OK || pi.family != a->family)
		return false;
	size_t off = pi.family == AF_V6 ? (source ? 8 : 24) : (source ? 12 : 16);
	memcpy(pkt + off, a->b, addr_len(pi.family));
	if (pi.family == AF_V4)
		fix_ipv4_header(pkt, pi.hdr_len);
	fix_transport(pkt, &pi, false);
	return true;
}

bool pkt_set_mss(uint8_t *pkt, size_t len, uint16_t mss)
{
	struct pkt_info pi;
	if (pkt_parse(pkt, len, &pi) != PKT_OK || !pi.tcp_syn_any || !pi.tcp_mss)
		return false;
	uint8_t *t = pkt + pi.hdr_len;
	put16(t + tcp_mss_offset(t, pi.ip_len - pi.hdr_len), mss);
	fix_transport(pkt, &pi, false);
	return true;
}

bool pkt_dec_ttl(uint8_t *pkt, size_t len)
{
	struct pkt_info pi;
	if (pkt_parse(pkt, len, &pi) != PKT_OK || pi.ttl <= 1)
		return false;
	if (pi.family == AF_V6) {
		pkt[7]--;
	} else {
		pkt[8]--;
		fix_ipv4_header(pkt, pi.hdr_len);
	}
	return true;
}

size_t pkt_echo_reply(const uint8_t *pkt, size_t len, uint8_t *out, size_t size)
{
	struct pkt_info pi;
	if (pkt_parse(pkt, len, &pi) != PKT_OK || !pi.is_echo_request || pi.fragment ||
	    pi.ip_len > size)
		return 0;
	memcpy(out, pkt, pi.ip_len);
	size_t al = addr_len(pi.family);
	size_t so = pi.family == AF_V6 ? 8 : 12;
	memcpy(out + so, pkt + so + al, al);
	memcpy(out + so + al, pkt + so, al);
	out[pi.hdr_len] = pi.family == AF_V6 ? 129 : 0;
	if (pi.family == AF_V4) {
		out[8] = 128;
		fix_ipv4_header(out, pi.hdr_len);
	} else {
		out[7] = 128;
	}
	pi.proto = pi.family == AF_V6 ? IPPROTO_ICMPV6_ : IPPROTO_ICMP_;
	fix_transport(out, &pi, false);
	return pi.ip_len;
}

/* The IP header of an answer to PKT: PKT's own, addresses swapped. */
static void reply_ip_header(const uint8_t *pkt, const struct pkt_info *pi, uint8_t *out)
{
	memcpy(out, pkt, pi->hdr_len);
	size_t al = addr_len(pi->family);
	size_t so = pi->family == AF_V6 ? 8 : 12;
	memcpy(out + so, pkt + so + al, al);
	memcpy(out + so + al, pkt + so, al);
}

/* Sets the answer's lengths and TTL (128, as the engine's hosts answer)
 * and its checksums; TOTAL bytes in all.  0 when it does not parse. */
static size_t reply_finish(const struct pkt_info *pi, uint8_t *out, size_t total)
{
	size_t hl = pi->hdr_len;
	if (pi->family == AF_V4) {
		put16(out + 2, (uint16_t)total);
		out[8] = 128;
		fix_ipv4_header(out, hl);
	} else {
		put16(out + 4, (uint16_t)(total - hl));
		out[7] = 128;
	}
	struct pkt_info ri;
	if (pkt_parse(out, total, &ri) != PKT_OK)
		return 0;
	fix_transport(out, &ri, true);
	return total;
}

/* A SYN-ACK to the SYN in PKT: its IP header with the addresses swapped
 * and a 20-byte TCP header acknowledging the SYN (and any payload). */
static size_t tcp_syn_ack(const uint8_t *pkt, const struct pkt_info *pi, uint8_t *out, size_t size)
{
	size_t opt = pi->tcp_mss ? 4 : 0;       /* a SYN with an MSS option gets one back */
	size_t hl = pi->hdr_len, total = hl + 20 + opt;
	/* An IPv6 header with extension headers is not answered (the engine
	 * builds none). */
	if (total > size || (pi->family == AF_V6 && hl != 40))
		return 0;
	const uint8_t *t = pkt + hl;
	reply_ip_header(pkt, pi, out);
	uint8_t *r = out + hl;
	memset(r, 0, 20);
	put16(r, pi->dport);
	put16(r + 2, pi->sport);
	put32(r + 4, 0x20000001u);                      /* the answer's own sequence number */
	uint32_t seq = get32(t + 4);
	put32(r + 8, seq + 1 + (uint32_t)(pi->ip_len - hl - (size_t)(t[12] >> 4) * 4));
	r[12] = (uint8_t)((5 + opt / 4) << 4);
	r[13] = 0x12;                                   /* SYN, ACK */
	put16(r + 14, 64240);
	if (opt) {
		r[20] = 2;
		r[21] = 4;
		put16(r + 22, pi->tcp_mss);
	}
	return reply_finish(pi, out, total);
}

size_t pkt_udp_reply(const uint8_t *pkt, size_t len, uint8_t *out, size_t size)
{
	struct pkt_info pi;
	if (pkt_parse(pkt, len, &pi) != PKT_OK || pi.fragment || pi.proto != IPPROTO_UDP_ ||
	    !pi.has_ports)
		return 0;
	size_t hl = pi.hdr_len, total = hl + 8;
	if (total > size || (pi.family == AF_V6 && hl != 40))
		return 0;
	reply_ip_header(pkt, &pi, out);
	uint8_t *u = out + hl;
	memset(u, 0, 8);
	put16(u, pi.dport);
	put16(u + 2, pi.sport);
	put16(u + 4, 8);
	return reply_finish(&pi, out, total);
}

size_t pkt_reply(const uint8_t *pkt, size_t len, uint8_t *out, size_t size)
{
	struct pkt_info pi;
	if (pkt_parse(pkt, len, &pi) != PKT_OK || pi.fragment)
		return 0;
	if (pi.is_echo_request)
		return pkt_echo_reply(pkt, len, out, size);
	if (pi.is_tcp_syn)
		return tcp_syn_ack(pkt, &pi, out, size);
	return 0;
}

void pkt_describe(const struct pkt_info *pi, char *buf, size_t size)
{
	char src[ADDR_STRLEN], dst[ADDR_STRLEN];
	addr_format(&pi->src, src, sizeof(src));
	addr_format(&pi->dst, dst, sizeof(dst));
	if (pi->is_echo_request || pi->is_echo_reply)
		snprintf(buf, size, "ICMP echo %s %s -> %s id %u seq %u",
			 pi->is_echo_request ? "request" : "reply", src, dst,
			 pi->echo_id, pi->echo_seq);
	else if (pi->proto == IPPROTO_ESP_)
		snprintf(buf, size, "ESP %s -> %s spi 0x%08x", src, dst, pi->spi);
	else if (pi->proto == IPPROTO_AH_)
		snprintf(buf, size, "AH %s -> %s spi 0x%08x", src, dst, pi->spi);
	else if (pi->proto == IPPROTO_UDP_ && pi->spi)
		snprintf(buf, size, "ESP in UDP %s:%u -> %s:%u spi 0x%08x", src, pi->sport,
			 dst, pi->dport, pi->spi);
	else if (pi->has_ports)
		snprintf(buf, size, "%s %s:%u -> %s:%u",
			 pi->proto == IPPROTO_TCP_ ? "TCP" : "UDP", src, pi->sport, dst, pi->dport);
	else {
		const char *n = protocol_name(pi->proto);
		if (n)
			snprintf(buf, size, "%s %s -> %s", n, src, dst);
		else
			snprintf(buf, size, "protocol %u %s -> %s", pi->proto, src, dst);
	}
}
