/* The one key type: bytes that must never be printed, compared in constant
 * time and wiped (OPENSSL_cleanse) when freed.  Pre-shared keys read by
 * psk_load (src/ir/psk.h) arrive in one; the checks, the emitters, the
 * engine and manual-key derivation all hold them so, and free them with
 * secret_free, the one place where key bytes are wiped. */
#ifndef TUNC_SECRET_H
#define TUNC_SECRET_H

#include <stdbool.h>
#include <stddef.h>

struct secret {
	unsigned char *bytes;           /* NUL-terminated for convenience; NULL when empty */
	size_t len;
};

/* S holds a copy of the LEN bytes at SRC (aborts on out of memory, as
 * xmalloc does). */
void secret_set(struct secret *s, const void *src, size_t len);
/* Wipes and frees S; S is then empty (freeing an empty secret is a no-op). */
void secret_free(struct secret *s);
/* Wipes N bytes at P: for stack buffers that held key material. */
void secret_wipe(void *p, size_t n);
/* Do A and B hold the same bytes?  Constant time in the length. */
bool secret_equal(const struct secret *a, const struct secret *b);
/* Is every byte of S printable ASCII outside FORBIDDEN (a space only when
 * ALLOW_SPACE)?  For targets whose syntax takes a key as a bare word. */
bool secret_printable(const struct secret *s, bool allow_space, const char *forbidden);

#endif
