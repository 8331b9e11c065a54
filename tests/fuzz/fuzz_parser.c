/* libFuzzer target: the .tun front end (scanner, parser, resolver) and the
 * model built from whatever it accepts.  Any input must end in a clean IR or
 * in diagnostics: never a crash, a hang, a leak or a sanitizer report. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "diag/diag.h"
#include "ir/ir.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_set sources;
	struct ir ir;
	struct diag_list diags;
	source_set_init(&sources);
	ir_init(&ir, &sources);
	diag_list_init(&diags);
	if (ir_parse_buffer(&ir, "fuzz.tun", (const char *)data, size, &diags) &&
	    ir_resolve(&ir, &diags)) {
		struct model *m = model_build(&ir);
		if (m)
			model_free(m);
	}
	/* Printing walks every location: it must stay inside the buffers. */
	for (size_t i = 0; i < diags.n; i++) {
		unsigned line, col;
		size_t len;
		source_line_col(&sources, diags.v[i].loc, &line, &col);
		source_line_text(&sources, diags.v[i].loc.file, line, &len);
	}
	ir_free(&ir);
	diag_list_free(&diags);
	source_set_free(&sources);
	return 0;
}
