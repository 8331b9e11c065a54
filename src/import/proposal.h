/* strongSwan and Libreswan proposal strings ("aes256-sha256-modp2048",
 * "aes256-sha2_256;modp2048", "aes_gcm256-null") -> an imported proposal.
 * Shared by the swanctl.conf and ipsec.conf readers. */
#ifndef TUNC_IMPORT_PROPOSAL_H
#define TUNC_IMPORT_PROPOSAL_H

#include "import/reader.h"

/* Adds the algorithms of V (comma-separated proposals, each a list of
 * algorithms joined by '-' or ';', a strongSwan strict '!' at the end) to P,
 * each word located in V.  A DH group makes an IKE group, or for IPsec the
 * PFS group (the first one).  An unknown word is a front-end error. */
void imp_proposals(struct imp_read *r, struct imp_proposal *p, struct imp_text v);

/* "3h", "60m", "28800s", "1d" or "28800" -> seconds; false when not a
 * duration. */
bool imp_duration(const char *s, uint64_t *out);

#endif
