/* The engine's deterministic generator: SPIs, keys and IVs are drawn from
 * HMAC-SHA256(seed, label || counter), a counter-mode construction over
 * OpenSSL, so two runs with the same --seed give byte-identical SAs, packets
 * and captures.  This is for a simulation whose keys are printed to a
 * keylog anyway; it is not a source of secrets. */
#ifndef TUNC_ENGINE_DRBG_H
#define TUNC_ENGINE_DRBG_H

#include <stddef.h>
#include <stdint.h>

struct drbg {
	uint8_t key[32];                /* derived from the seed */
	uint64_t counter;
	uint8_t block[32];
	size_t used;                    /* bytes of BLOCK already handed out */
};

void drbg_init(struct drbg *d, uint64_t seed, const char *label);
void drbg_bytes(struct drbg *d, uint8_t *out, size_t len);
uint32_t drbg_u32(struct drbg *d);

#endif
