/* The ipsec.conf reader's parts: the secrets file (secrets.c) and the
 * conn resolution (ipsecconf.c). */
#ifndef TUNC_IMPORT_IPSECCONF_H
#define TUNC_IMPORT_IPSECCONF_H

#include "import/reader.h"

/* One `IDS : PSK "KEY"` entry of an ipsec.secrets file. */
struct ipsec_secret {
	imp_text_vec ids;               /* none: a default key for every conn */
	struct imp_text key;            /* located in its file, never printed */
};
typedef ARENA_VEC(struct ipsec_secret) ipsec_secret_vec;

#define IPSECCONF_MAX_INCLUDE 8

/* Reads the PSK entries of the secrets file FILE (already in r->sources)
 * and the files it includes into OUT; other kinds of secret (RSA, EAP,
 * XAUTH...) are skipped.  Errors are front-end diagnostics in that file. */
void ipsecsecrets_read(struct imp_read *r, uint32_t file, ipsec_secret_vec *out, unsigned depth);

/* Loads PATH (relative to the directory of FROM's file when relative) and
 * each file a glob in it names, calling FN for each.  A literal path that
 * cannot be read is an error at FROM; a glob that matches nothing is not. */
void ipsecconf_include(struct imp_read *r, const char *path, struct tunc_loc from,
		       void (*fn)(struct imp_read *r, uint32_t file, void *arg), void *arg);

#endif
