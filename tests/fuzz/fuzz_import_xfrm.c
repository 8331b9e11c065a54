/* libFuzzer target: the xfrm reader of tunc import (src/import/xfrm), then
 * resolve and the model on whatever it accepts, through the one entry
 * point (src/policy).  Any input must end in a model or in located
 * diagnostics: never a crash, a hang, a leak or a sanitizer report. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "policy/policy_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p;
	policy_import_buffer(&p, "fuzz.xfrm.sh", (const char *)data, size, "xfrm");
	/* Printing walks every location: it must stay inside the buffers. */
	for (size_t i = 0; i < p.diags.n; i++) {
		unsigned line, col;
		size_t len;
		source_line_col(&p.sources, p.diags.v[i].loc, &line, &col);
		source_line_text(&p.sources, p.diags.v[i].loc.file, line, &len);
	}
	policy_free(&p);
	return 0;
}
