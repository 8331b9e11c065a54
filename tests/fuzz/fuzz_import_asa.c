/* libFuzzer target: the PIX and ASA readers of tunc import
 * (src/import/pix_asa), then resolve and the model on whatever they accept,
 * through the one entry point (src/policy).  Each input goes through both
 * readers: they share the common statements.  Any input must end in a model
 * or in located diagnostics: never a crash, a hang, a leak or a sanitizer
 * report. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "policy/policy_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, const char *from)
{
	struct policy p;
	policy_import_buffer(&p, "fuzz.cfg", (const char *)data, size, from);
	/* Printing walks every location: it must stay inside the buffers. */
	for (size_t i = 0; i < p.diags.n; i++) {
		unsigned line, col;
		size_t len;
		source_line_col(&p.sources, p.diags.v[i].loc, &line, &col);
		source_line_text(&p.sources, p.diags.v[i].loc.file, line, &len);
	}
	policy_free(&p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, "asa");
	one(data, size, "pix");
	return 0;
}
