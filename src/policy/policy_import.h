/* The entry point for device configurations (`tunc import`, `tunc lint
 * CONFIG...`, the import fuzzers): src/import's readers, then resolve and
 * the model as for a .tun (policy.h). */
#ifndef TUNC_POLICY_IMPORT_H
#define TUNC_POLICY_IMPORT_H

#include "policy/policy.h"

/* Imports PATHS, FROM forcing their format (NULL: detect), up to stage
 * UPTO.  Returns true when every stage up to UPTO succeeded; otherwise
 * P->diags holds the front-end errors (exit status 2). */
bool policy_import(struct policy *p, const char *const *paths, size_t n, const char *from,
		   enum policy_stage upto);
/* The same for one in-memory configuration, to the model. */
bool policy_import_buffer(struct policy *p, const char *name, const char *text, size_t len,
			  const char *from);

/* FILES as run, test and graph take them: one .tun policy, or device
 * configurations read together (several files, one a reader recognises,
 * or any files with FROM naming their format), loaded to the model as lint
 * loads them. */
bool policy_load_files(struct policy *p, const char *const *files, size_t n, const char *from);
/* Several FILES are configurations: none may be a .tun (NULL), else the
 * first .tun among them. */
const char *policy_files_tun(const char *const *files, size_t n);

#endif
