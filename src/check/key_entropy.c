/* Conservative key entropy (key_entropy.h).
 *
 * Each character is worth log2 of the alphabet the whole key draws from
 * (hex digits 16; letters, digits and at most the two symbols of a base64
 * alphabet 64; printable ASCII 95; any byte 256), except where it follows
 * a pattern a guesser tries first, where it is worth what that pattern
 * leaves to guess:
 *   - the previous character again: 0 bits;
 *   - the previous character plus or minus one ("abc", "321"): 1 bit;
 *   - the 2nd and later letter of a run of 4 or more letters that reads
 *     like words, all capitals or no two capitals in a row ("VPN",
 *     "secret", "ThisIsMyKey"): 2 bits, about the rate of English text.
 * Base64 padding ('=' at the end) is worth nothing.  A random key loses a
 * few bits to these rules by chance; a passphrase of words, a keyboard
 * date or a counted sequence loses most of its apparent length. */
#include "config.h"
#include "check/key_entropy.h"

#include <stdbool.h>

enum {
	WORD_MIN = 4,           /* letters in one case before they read as a word */
};
#define WORD_LETTER_BITS 2.0
#define SEQUENCE_BITS 1.0

static bool is_lower(unsigned c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(unsigned c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(unsigned c) { return c >= '0' && c <= '9'; }
static bool is_letter(unsigned c) { return is_lower(c) || is_upper(c); }
static bool is_hex(unsigned c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static bool is_printable(unsigned c) { return c >= 0x20 && c < 0x7f; }

/* log2(X) to a millionth, one binary digit at a time (no libm). */
static double log2_of(double x)
{
	double r = 0;
	while (x >= 2) {
		x /= 2;
		r += 1;
	}
	for (double bit = 0.5; bit > 1e-6; bit /= 2) {
		x *= x;
		if (x >= 2) {
			x /= 2;
			r += bit;
		}
	}
	return r;
}

/* The size of the alphabet the key draws from. */
static double alphabet_size(const unsigned char *k, size_t n)
{
	bool lower = false, upper = false, digit = false, hex = true, printable = true;
	unsigned symbols = 0;
	bool b64_symbol[2] = {false, false};    /* "+/" or "-_" */
	for (size_t i = 0; i < n; i++) {
		unsigned c = k[i];
		hex &= is_hex(c);
		printable &= is_printable(c);
		if (is_lower(c))
			lower = true;
		else if (is_upper(c))
			upper = true;
		else if (is_digit(c))
			digit = true;
		else if (c == '+' || c == '-')
			b64_symbol[0] = true;
		else if (c == '/' || c == '_')
			b64_symbol[1] = true;
		else
			symbols++;
	}
	if (!printable)
		return 256;
	/* Hex in one case, as tools write it: "openssl rand -hex". */
	if (hex && !(lower && upper))
		return 16;
	if (symbols)
		return 95;
	return (lower ? 26 : 0) + (upper ? 26 : 0) + (digit ? 10 : 0) +
	       b64_symbol[0] + b64_symbol[1];
}

/* Whether the letter at I is the second or a later one of a run of
 * WORD_MIN letters or more that reads like words: all capitals ("VPN"),
 * or no two capitals in a row ("secret", "ThisIsMyKey"). */
static bool in_word(const unsigned char *k, size_t n, size_t i)
{
	size_t s = i, e = i + 1;
	while (s > 0 && is_letter(k[s - 1]))
		s--;
	while (e < n && is_letter(k[e]))
		e++;
	if (e - s < WORD_MIN || i == s)
		return false;
	bool all_upper = true, camel = true;
	for (size_t j = s; j < e; j++) {
		all_upper &= is_upper(k[j]);
		if (j + 1 < e && is_upper(k[j]) && is_upper(k[j + 1]))
			camel = false;
	}
	return all_upper || camel;
}

double key_entropy_bits(const unsigned char *k, size_t n)
{
	while (n > 0 && k[n - 1] == '=')
		n--;
	if (n == 0)
		return 0;
	double full = log2_of(alphabet_size(k, n));
	double bits = 0;
	for (size_t i = 0; i < n; i++) {
		double b = full;
		if (i > 0) {
			int d = (int)k[i] - (int)k[i - 1];
			if (d == 0)
				b = 0;
			else if ((d == 1 || d == -1) && SEQUENCE_BITS < b)
				b = SEQUENCE_BITS;
		}
		if (b > WORD_LETTER_BITS && is_letter(k[i]) && in_word(k, n, i))
			b = WORD_LETTER_BITS;
		bits += b;
	}
	return bits;
}
