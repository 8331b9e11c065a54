#include "config.h"
#include "ir/addr.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool addr_parse(const char *text, struct ip_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (strchr(text, ':')) {
		if (inet_pton(AF_INET6, text, out->b) != 1)
			return false;
		out->family = AF_V6;
		return true;
	}
	if (inet_pton(AF_INET, text, out->b) != 1)
		return false;
	out->family = AF_V4;
	return true;
}

unsigned addr_max_len(const struct ip_addr *a)
{
	return a->family == AF_V6 ? 128 : 32;
}

bool prefix_parse(const char *text, struct ip_prefix *out)
{
	char buf[ADDR_STRLEN];
	const char *slash = strchr(text, '/');
	size_t alen = slash ? (size_t)(slash - text) : strlen(text);
	if (alen >= sizeof(buf))
		return false;
	memcpy(buf, text, alen);
	buf[alen] = '\0';
	if (!addr_parse(buf, &out->addr))
		return false;
	unsigned max = addr_max_len(&out->addr);
	if (!slash) {
		out->len = (uint8_t)max;
		return true;
	}
	const char *n = slash + 1;
	if (!*n || strlen(n) > 3)
		return false;
	unsigned len = 0;
	for (; *n; n++) {
		if (*n < '0' || *n > '9')
			return false;
		len = len * 10 + (unsigned)(*n - '0');
	}
	if (len > max)
		return false;
	out->len = (uint8_t)len;
	return true;
}

void addr_format(const struct ip_addr *a, char *buf, size_t size)
{
	/* IPv4 by hand: inet_ntop goes through sprintf, and lint of a big
	 * policy formats hundreds of thousands of addresses. */
	if (a->family == AF_V4) {
		char t[16], *p = t;
		for (int i = 0; i < 4; i++) {
			unsigned v = a->b[i];
			if (v >= 100)
				*p++ = (char)('0' + v / 100);
			if (v >= 10)
				*p++ = (char)('0' + v / 10 % 10);
			*p++ = (char)('0' + v % 10);
			*p++ = i < 3 ? '.' : '\0';
		}
		if ((size_t)(p - t) <= size) {
			memcpy(buf, t, (size_t)(p - t));
			return;
		}
	}
	if (!inet_ntop(a->family == AF_V6 ? AF_INET6 : AF_INET, a->b, buf, (socklen_t)size))
		snprintf(buf, size, "?");
}

void prefix_format(const struct ip_prefix *p, char *buf, size_t size, bool host_bare)
{
	/* "/N" by hand, as addr_format does IPv4: snprintf was most of the
	 * cost of lint's findings on a big hub. */
	char a[ADDR_STRLEN + 8];
	addr_format(&p->addr, a, ADDR_STRLEN);
	size_t n = strlen(a);
	if (!host_bare || p->len != addr_max_len(&p->addr)) {
		unsigned len = p->len;
		a[n++] = '/';
		if (len >= 100)
			a[n++] = (char)('0' + len / 100);
		if (len >= 10)
			a[n++] = (char)('0' + len / 10 % 10);
		a[n++] = (char)('0' + len % 10);
		a[n] = '\0';
	}
	if (!size)
		return;
	if (n >= size)          /* cut as snprintf would */
		n = size - 1;
	memcpy(buf, a, n);
	buf[n] = '\0';
}

bool addr_equal(const struct ip_addr *a, const struct ip_addr *b)
{
	return a->family == b->family && memcmp(a->b, b->b, 16) == 0;
}

int addr_compare(const struct ip_addr *a, const struct ip_addr *b)
{
	if (a->family != b->family)
		return a->family < b->family ? -1 : 1;
	return memcmp(a->b, b->b, 16);
}

bool prefix_equal(const struct ip_prefix *a, const struct ip_prefix *b)
{
	return a->len == b->len && addr_equal(&a->addr, &b->addr);
}

static bool bits_match(const uint8_t *a, const uint8_t *b, unsigned len)
{
	unsigned full = len / 8, rest = len % 8;
	/* At most 16 bytes: a loop is cheaper than a call to memcmp. */
	for (unsigned i = 0; i < full; i++)
		if (a[i] != b[i])
			return false;
	if (rest) {
		uint8_t mask = (uint8_t)(0xff << (8 - rest));
		if ((a[full] & mask) != (b[full] & mask))
			return false;
	}
	return true;
}

struct ip_prefix prefix_network(const struct ip_prefix *p)
{
	struct ip_prefix n = *p;
	unsigned max = addr_max_len(&p->addr), len = p->len;
	if (len >= max)
		return n;
	/* The byte the prefix ends in keeps its first len % 8 bits; the
	 * ones after it are cleared whole (a loop per bit took 150
	 * instructions a call). */
	n.addr.b[len / 8] &= (uint8_t)(0xff00u >> (len % 8));
	for (unsigned i = len / 8 + 1; i < max / 8; i++)
		n.addr.b[i] = 0;
	return n;
}

bool prefix_has_host_bits(const struct ip_prefix *p)
{
	struct ip_prefix n = prefix_network(p);
	return !addr_equal(&n.addr, &p->addr);
}

bool prefix_contains_addr(const struct ip_prefix *p, const struct ip_addr *a)
{
	return p->addr.family == a->family && bits_match(p->addr.b, a->b, p->len);
}

bool prefix_contains(const struct ip_prefix *outer, const struct ip_prefix *inner)
{
	return outer->addr.family == inner->addr.family && outer->len <= inner->len &&
	       bits_match(outer->addr.b, inner->addr.b, outer->len);
}

bool prefix_overlaps(const struct ip_prefix *a, const struct ip_prefix *b)
{
	return prefix_contains(a, b) || prefix_contains(b, a);
}

struct ip_prefix prefix_host(const struct ip_addr *a)
{
	struct ip_prefix p = {*a, (uint8_t)addr_max_len(a)};
	return p;
}

struct ip_prefix prefix_any(uint8_t family)
{
	struct ip_prefix p;
	memset(&p, 0, sizeof(p));
	p.addr.family = family ? family : AF_V4;
	return p;
}

struct ip_addr prefix_first_host(const struct ip_prefix *p)
{
	struct ip_prefix n = prefix_network(p);
	unsigned max = addr_max_len(&p->addr);
	if ((unsigned)p->len + 1 >= max)
		return n.addr;
	for (int i = (int)max / 8 - 1; i >= 0; i--)
		if (++n.addr.b[i] != 0)
			break;
	return n.addr;
}

void v4_mask_format(unsigned len, bool wildcard, char *buf, size_t size)
{
	uint32_t m = len ? 0xffffffffu << (32 - len) : 0;
	if (len > 32)
		m = 0xffffffffu;
	if (wildcard)
		m = ~m;
	snprintf(buf, size, "%u.%u.%u.%u", m >> 24, (m >> 16) & 0xff, (m >> 8) & 0xff, m & 0xff);
}
