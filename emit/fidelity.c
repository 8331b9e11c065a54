/* Shared by the emitters for configurations that work as pasted (fidelity.h). */
#include "config.h"
#include "emit/fidelity.h"

#include <stdio.h>

/* Comparable security strength in bits (NIST SP 800-57 Part 1, table 2;
 * MD5 and SHA-1 as HMAC keyed integrity are not the weak link, their
 * collision strength is taken all the same, as their rank). */
static unsigned enc_strength(enum encryption e)
{
	switch (e) {
	case ENC_DES: return 56;
	case ENC_3DES: return 112;
	case ENC_AES128: case ENC_AES128_GCM: return 128;
	case ENC_AES192: return 192;
	case ENC_AES256: case ENC_AES256_GCM: return 256;
	default: return 0;
	}
}

static unsigned integ_strength(enum integrity i, enum encryption e)
{
	switch (i) {
	case INTEG_MD5: return 64;
	case INTEG_SHA1: return 80;
	case INTEG_SHA256: return 128;
	case INTEG_SHA384: return 192;
	case INTEG_SHA512: return 256;
	default: return enc_strength(e);        /* AEAD: the cipher's own */
	}
}

static unsigned group_strength(unsigned g)
{
	switch (g) {
	case 1: return 64;
	case 2: return 80;
	case 5: return 96;
	case 14: return 112;
	case 15: case 19: return 128;
	case 16: return 150;
	case 20: return 192;
	case 21: return 256;
	default: return 0;
	}
}

static void strength(const struct emit_ike_combo *c, unsigned *min, unsigned *sum)
{
	unsigned e = enc_strength(c->enc), i = integ_strength(c->integ, c->enc),
		 g = group_strength(c->group);
	*min = e < i ? e : i;
	if (g < *min)
		*min = g;
	*sum = e + i + g;
}

static bool stronger(const struct emit_ike_policy *a, const struct emit_ike_policy *b)
{
	unsigned amin, asum, bmin, bsum;
	strength(&a->c, &amin, &asum);
	strength(&b->c, &bmin, &bsum);
	return amin != bmin ? amin > bmin : asum > bsum;
}

void emit_ike_policies_sort(struct emit_ike_policy *v, size_t n)
{
	/* Insertion sort: stable, and the lists are short. */
	for (size_t i = 1; i < n; i++) {
		struct emit_ike_policy x = v[i];
		size_t j = i;
		while (j > 0 && stronger(&x, &v[j - 1])) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = x;
	}
}

void emit_filter_acl_name(const char *ifname, const struct ir_filter *f, char *buf, size_t size)
{
	char raw[EMIT_NAME_MAX];
	snprintf(raw, sizeof(raw), "%s-%s", ifname, f->dir == FILTER_IN ? "in" : "out");
	emit_name(buf, size, "tunc-filter-", raw);
}

void emit_filter_ace(struct strbuf *out, const struct ir_filter_rule *r, bool wildcard,
		     const char *ah_word)
{
	strbuf_puts(out, r->action == FILTER_PERMIT ? "permit " : "deny ");
	emit_acl_proto(out, r->proto, ah_word);
	strbuf_putc(out, ' ');
	emit_acl_addr(out, &r->src.p, wildcard);
	strbuf_putc(out, ' ');
	emit_acl_addr(out, &r->dst.p, wildcard);
	emit_acl_ports(out, r->port_lo, r->port_hi);
}

void emit_filter_default_ace(struct strbuf *out, const struct ir_filter *f)
{
	strbuf_puts(out, f->default_action == FILTER_PERMIT ? "permit ip any any" : "deny ip any any");
}
