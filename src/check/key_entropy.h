/* A conservative estimate of how many bits of entropy a key holds, for the
 * manual-key-entropy check (doc/checks.md says how it is counted).  It never
 * looks at anything but the key's own characters and prints nothing. */
#ifndef TUNC_CHECK_KEY_ENTROPY_H
#define TUNC_CHECK_KEY_ENTROPY_H

#include <stddef.h>

/* The bits an attacker who knows how people and tools make keys must at
 * most search: an underestimate for random keys, never an overestimate
 * for keys made of words, dates, runs and repeats. */
double key_entropy_bits(const unsigned char *key, size_t len);

#endif
