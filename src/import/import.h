/* Reading the configurations engineers run (Cisco IOS, strongSwan
 * swanctl.conf) into the same IR the .tun front end fills, so that resolve,
 * the model, the checks and the writer of .tun files (write_tun.c) work on
 * them unchanged.  Every IR node keeps the location of its text in the
 * original configuration file. */
#ifndef TUNC_IMPORT_H
#define TUNC_IMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "ir/ir.h"
#include "util/strbuf.h"

/* NULL = detect from the content; otherwise a reader's name. */
bool import_format_known(const char *name);
/* "ios, swanctl" for messages. */
const char *import_format_names(void);

/* Whether PATH looks like a configuration rather than a .tun file: its name
 * does not end in .tun and a reader recognises its content. */
bool import_is_config(const char *path);

/* Reads the N configuration files PATHS into IR (not yet resolved): each
 * file's device becomes a site and gateway, tunnels are paired across the
 * files by endpoint addresses, far ends not among the files become peers.
 * FROM forces the format of every file (NULL: detect).  Returns false after
 * a front-end error (in DIAGS, located in the file). */
bool import_files(struct ir *ir, const char *const *paths, size_t n, const char *from,
		  struct diag_list *diags);

/* The same for one in-memory configuration (tests, fuzzing). */
bool import_buffer(struct ir *ir, const char *name, const char *text, size_t size,
		   const char *from, struct diag_list *diags);

/* A key file of an imported .tun: NAME beside it (as the .tun's `psk file`
 * names it) and its content, in the IR's arena. */
struct import_key_file {
	const char *name;
	char *data;
	size_t len;
};
typedef ARENA_VEC(struct import_key_file) import_key_files;

/* Writes IR (as import_files built it, before or after resolve) as an
 * equivalent .tun, every statement commented with its origin.  The keys
 * are not written: each is added to KEYS (TUNNEL[.GATEWAY].psk), named in
 * the .tun relative to it by KEYREF (the directory as the .tun should name
 * it), for the caller to write beside the .tun, mode 0600, with the .tun
 * as one set (outset_write_among).  Returns false with ERR set when two
 * keys would share a file name. */
bool import_write_tun(const struct ir *ir, struct strbuf *out, const char *keyref,
		      import_key_files *keys, char *err, size_t errlen);

#endif
