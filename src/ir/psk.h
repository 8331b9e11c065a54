/* Reading a pre-shared key where a `psk` statement says it is: inline, in an
 * environment variable, or in a file relative to the .tun file that holds the
 * statement.  One reader for the checks, the emitters and the engine, so all
 * three see the same bytes.  Keys are never printed; secret_free wipes them. */
#ifndef TUNC_PSK_H
#define TUNC_PSK_H

#include <stdbool.h>
#include <stddef.h>

#include "ir/ir.h"
#include "util/secret.h"

/* Reads PSK into KEY (free it with secret_free).  On failure returns false
 * with *KEY empty and a reason (which never contains key material) in ERR. */
bool psk_load(const struct source_set *sources, const struct ir_psk *psk,
	      struct secret *key, char *err, size_t err_size);
/* The path a `psk file` names, resolved against the including .tun file. */
char *psk_file_path(const struct source_set *sources, const struct ir_psk *psk);

/* Where key files may be, as OpenSSH holds its keys: a key file must be a
 * regular file, not a symbolic link, inside the directory of the policy
 * file (the top .tun or engine.xml); an absolute path or a link leading
 * elsewhere is refused.  Directories given here (--allow-key-path) are
 * trusted whole: keys below them may be anywhere and reached by links. */
void psk_allow_dir(const char *dir);
void psk_allow_reset(void);

#endif
