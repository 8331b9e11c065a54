/* IPv4 and IPv6 addresses and prefixes.  Addresses are kept in network byte
 * order in 16 bytes (IPv4 in the first 4) so one set of routines serves both. */
#ifndef TUNC_ADDR_H
#define TUNC_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum addr_family { AF_NONE_ = 0, AF_V4 = 4, AF_V6 = 6 };

struct ip_addr {
	uint8_t family;                 /* AF_V4 or AF_V6 */
	uint8_t b[16];
};

struct ip_prefix {
	struct ip_addr addr;
	uint8_t len;                    /* 0..32 or 0..128 */
};

#define ADDR_STRLEN 64                  /* room for any address or prefix text */

bool addr_parse(const char *text, struct ip_addr *out);
/* "A/N" or a bare address (host prefix).  Host bits are kept as written. */
bool prefix_parse(const char *text, struct ip_prefix *out);
unsigned addr_max_len(const struct ip_addr *a);
void addr_format(const struct ip_addr *a, char *buf, size_t size);
/* "A/N", or just "A" for a host prefix when HOST_BARE is set. */
void prefix_format(const struct ip_prefix *p, char *buf, size_t size, bool host_bare);

bool addr_equal(const struct ip_addr *a, const struct ip_addr *b);
int addr_compare(const struct ip_addr *a, const struct ip_addr *b);
bool prefix_equal(const struct ip_prefix *a, const struct ip_prefix *b);
bool prefix_has_host_bits(const struct ip_prefix *p);
/* P with its host bits cleared. */
struct ip_prefix prefix_network(const struct ip_prefix *p);
bool prefix_contains_addr(const struct ip_prefix *p, const struct ip_addr *a);
/* Does OUTER hold every address of INNER? */
bool prefix_contains(const struct ip_prefix *outer, const struct ip_prefix *inner);
bool prefix_overlaps(const struct ip_prefix *a, const struct ip_prefix *b);
struct ip_prefix prefix_host(const struct ip_addr *a);
struct ip_prefix prefix_any(uint8_t family);
/* The first host address of a prefix (the network address itself for /31,
 * /32, /127 and /128), as `expect` uses it. */
struct ip_addr prefix_first_host(const struct ip_prefix *p);
/* Netmask and wildcard mask of an IPv4 prefix length, as dotted quads. */
void v4_mask_format(unsigned len, bool wildcard, char *buf, size_t size);

#endif
