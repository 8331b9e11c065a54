/* What every reader's libFuzzer target does with one input: import it
 * with the reader named FROM, then resolve and build the model on whatever
 * it accepts, through the one entry point (src/policy), and walk every
 * diagnostic's location as printing does.  Any input must end in a model or
 * in located diagnostics: never a crash, a hang, a leak or a sanitizer
 * report. */
#ifndef TUNC_FUZZ_IMPORT_H
#define TUNC_FUZZ_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "policy/policy_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static inline void fuzz_import_one(const uint8_t *data, size_t size, const char *path,
				   const char *from)
{
	struct policy p;
	policy_import_buffer(&p, path, (const char *)data, size, from);
	for (size_t i = 0; i < p.diags.n; i++) {
		unsigned line, col;
		size_t len;
		source_line_col(&p.sources, p.diags.v[i].loc, &line, &col);
		source_line_text(&p.sources, p.diags.v[i].loc.file, line, &len);
	}
	policy_free(&p);
}

#endif
