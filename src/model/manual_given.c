/* SAs given in a key file (manual_keys.h, "SAs given in the key file"):
 * the one reader of that form, for the model's SPIs, the emitters' and the
 * engine's keys and lint's checks.  Nothing here prints or copies a key
 * word into a message: errors name the line and the field only. */
#include "config.h"
#include "model/manual_keys.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_WORDS = 12 };

struct word {
	const char *s;
	size_t n;
};

static bool word_is(const struct word *w, const char *s)
{
	return w->n == strlen(s) && memcmp(w->s, s, w->n) == 0;
}

static int hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* W as key bytes (hex, "0x" optional, an even number of digits). */
static bool hex_key(const struct word *w, unsigned char *out, size_t *len, bool *too_long)
{
	const char *p = w->s;
	size_t n = w->n;
	*too_long = false;
	if (n > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		n -= 2;
	}
	if (!n || n % 2)
		return false;
	if (n / 2 > KEYS_MAX) {
		*too_long = true;
		return false;
	}
	for (size_t i = 0; i < n; i += 2) {
		int hi = hex_digit((unsigned char)p[i]), lo = hex_digit((unsigned char)p[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	*len = n / 2;
	return true;
}

/* W as an SPI: decimal or 0x hex, 32 bits. */
static bool spi_value(const struct word *w, uint32_t *spi)
{
	char buf[16];
	if (!w->n || w->n >= sizeof(buf))
		return false;
	memcpy(buf, w->s, w->n);
	buf[w->n] = '\0';
	bool hex = w->n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X');
	for (size_t i = hex ? 2 : 0; i < w->n; i++)
		if (hex ? hex_digit((unsigned char)buf[i]) < 0 : !isdigit((unsigned char)buf[i]))
			return false;
	char *end;
	unsigned long long v = strtoull(buf, &end, hex ? 16 : 10);
	if (*end || v > 0xffffffffull)
		return false;
	*spi = (uint32_t)v;
	return true;
}

static enum manual_given bad(char *err, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static enum manual_given bad(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return MANUAL_GIVEN_BAD;
}

/* One line "from A to B spi SPI [enc HEX] [auth HEX]" into K; *DIR 0 when
 * it goes SELF to PEER, 1 PEER to SELF. */
static enum manual_given sa_line(const struct word *w, size_t n, unsigned line,
				 const char *self, const char *peer, bool taken[2], int *dir,
				 struct sa_keys *k, char *err, size_t size)
{
	if (n < 6 || !word_is(&w[0], "from") || !word_is(&w[2], "to") || !word_is(&w[4], "spi"))
		return bad(err, size, "line %u: not 'from GATEWAY to GATEWAY spi SPI [enc HEX] "
			   "[auth HEX]'", line);
	if (word_is(&w[1], self) && word_is(&w[3], peer) && !taken[0])
		*dir = 0;
	else if (word_is(&w[1], peer) && word_is(&w[3], self) && !taken[1])
		*dir = 1;
	else if ((word_is(&w[1], self) && word_is(&w[3], peer)) ||
		 (word_is(&w[1], peer) && word_is(&w[3], self)))
		return bad(err, size, "line %u: a second SA of the same direction", line);
	else
		return bad(err, size, "line %u: an SA that is not between %s and %s (the "
			   "tunnel's gateways)", line, self, peer);
	if (!spi_value(&w[5], &k->spi))
		return bad(err, size, "line %u: the SPI is not a 32-bit number (decimal or 0x hex)",
			   line);
	if (k->spi < 0x100)
		return bad(err, size, "line %u: SPI %u is reserved (0 to 255: RFC 4303 §2.1), "
			   "an SA's SPI is at least 0x100", line, k->spi);
	bool have_enc = false, have_auth = false;
	for (size_t i = 6; i < n; i += 2) {
		bool enc = word_is(&w[i], "enc"), auth = word_is(&w[i], "auth");
		if ((!enc && !auth) || i + 1 >= n)
			return bad(err, size, "line %u, word %zu: not 'enc HEX' or 'auth HEX'",
				   line, i + 1);
		if ((enc && have_enc) || (auth && have_auth))
			return bad(err, size, "line %u: a second %s key", line, enc ? "enc" : "auth");
		bool too_long;
		if (!hex_key(&w[i + 1], enc ? k->enc : k->auth, enc ? &k->enc_len : &k->auth_len,
			     &too_long))
			return bad(err, size, too_long ? "line %u: the %s key is longer than %d bytes"
				   : "line %u: the %s key is not hex bytes (an even number of hex "
				   "digits)", line, enc ? "enc" : "auth", KEYS_MAX);
		have_enc |= enc;
		have_auth |= auth;
	}
	taken[*dir] = true;
	return MANUAL_GIVEN;
}

/* K's lengths against suite S. */
static enum manual_given fits(const struct manual_suite *s, const struct sa_keys *k,
			      const char *from, const char *to, char *err, size_t size)
{
	size_t enc_len = 0, auth_len = 0;
	if (!s->ah && !manual_enc_label(s->enc, &enc_len))
		return bad(err, size, "%s cannot be keyed by hand", encryption_name(s->enc));
	if (s->integ != INTEG_NONE && !manual_auth_label(s->integ, &auth_len))
		return bad(err, size, "%s cannot be keyed by hand", integrity_name(s->integ));
	const char *alg = s->ah ? "AH" : encryption_name(s->enc);
	if (k->enc_len != enc_len && !enc_len)
		return bad(err, size, "the SA from %s to %s has an encryption key: %s takes none",
			   from, to, alg);
	if (!k->enc_len && enc_len)
		return bad(err, size, "the SA from %s to %s has no encryption key: %s takes %zu "
			   "bytes", from, to, alg, enc_len);
	if (k->enc_len != enc_len)
		return bad(err, size, "the SA from %s to %s has an encryption key of %zu bytes: "
			   "%s takes %zu", from, to, k->enc_len, alg, enc_len);
	alg = s->integ == INTEG_NONE ? "no integrity" : integrity_name(s->integ);
	if (k->auth_len != auth_len && !auth_len)
		return bad(err, size, "the SA from %s to %s has an integrity key: the proposal has "
			   "no integrity", from, to);
	if (!k->auth_len && auth_len)
		return bad(err, size, "the SA from %s to %s has no integrity key: %s takes %zu "
			   "bytes", from, to, alg, auth_len);
	if (k->auth_len != auth_len)
		return bad(err, size, "the SA from %s to %s has an integrity key of %zu bytes: "
			   "%s takes %zu", from, to, k->auth_len, alg, auth_len);
	return MANUAL_GIVEN;
}

enum manual_given manual_given_parse(const struct secret *key, const char *self,
				     const char *peer, const struct manual_suite *s,
				     struct sa_keys *out, struct sa_keys *in, char *err,
				     size_t err_size)
{
	memset(out, 0, sizeof(*out));
	memset(in, 0, sizeof(*in));
	const char *p = (const char *)key->bytes, *end = p + key->len;
	size_t hl = strlen(MANUAL_GIVEN_HEADER);
	if (!p || key->len < hl || memcmp(p, MANUAL_GIVEN_HEADER, hl) != 0)
		return MANUAL_DERIVED;
	const char *after = p + hl;
	while (after < end && (*after == ' ' || *after == '\t' || *after == '\r'))
		after++;
	if (after < end && *after != '\n')
		return MANUAL_DERIVED;  /* "tunc-manual-sa v10...": a key, not this form */
	if (after < end)
		after++;
	bool taken[2] = {false, false};
	enum manual_given r = MANUAL_GIVEN;
	unsigned line = 1;
	for (const char *l = after; l < end && r == MANUAL_GIVEN;) {
		const char *nl = memchr(l, '\n', (size_t)(end - l));
		const char *le = nl ? nl : end;
		line++;
		struct word w[MAX_WORDS];
		size_t n = 0;
		bool over = false;
		for (const char *q = l; q < le;) {
			while (q < le && isspace((unsigned char)*q))
				q++;
			if (q >= le)
				break;
			const char *ws = q;
			while (q < le && !isspace((unsigned char)*q))
				q++;
			if (n == MAX_WORDS)
				over = true;
			else
				w[n++] = (struct word){ws, (size_t)(q - ws)};
		}
		l = nl ? nl + 1 : end;
		if (!n || w[0].s[0] == '#')
			continue;
		if (over) {
			r = bad(err, err_size, "line %u: too many words for one SA", line);
			break;
		}
		int dir = 0;
		struct sa_keys k;
		memset(&k, 0, sizeof(k));
		r = sa_line(w, n, line, self, peer, taken, &dir, &k, err, err_size);
		if (r == MANUAL_GIVEN)
			*(dir ? in : out) = k;
		keys_wipe(&k);
		secret_wipe(w, sizeof(w));
	}
	if (r == MANUAL_GIVEN && (!taken[0] || !taken[1]))
		r = bad(err, err_size, "no SA from %s to %s (one line per direction)",
			taken[0] ? peer : self, taken[0] ? self : peer);
	if (r == MANUAL_GIVEN && s &&
	    (fits(s, out, self, peer, err, err_size) != MANUAL_GIVEN ||
	     fits(s, in, peer, self, err, err_size) != MANUAL_GIVEN))
		r = MANUAL_GIVEN_BAD;
	if (r != MANUAL_GIVEN) {
		keys_wipe(out);
		keys_wipe(in);
	}
	return r;
}
