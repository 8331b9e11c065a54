/* libFuzzer target: the .tun front end (scanner, parser, resolver) and the
 * model built from whatever it accepts.  Any input must end in a clean IR or
 * in diagnostics: never a crash, a hang, a leak or a sanitizer report. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "policy/policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p;
	policy_load_buffer(&p, "fuzz.tun", (const char *)data, size, POLICY_MODELLED);
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
