/* libFuzzer target: the engine.xml loader from memory (parse, schema,
 * IR, resolve, model), never looking for .tun files on disk.  A file that
 * loads must survive a round trip: written again by the engine emitter, it
 * loads again.  Built by tests/fuzz/run-fuzzers.sh; the schema is found
 * through TUNC_SCHEMA_DIR or the source tree (TUNC_SRCDIR/data). */
#include "config.h"
#include "emit/emit.h"
#include "emit/targets.h"
#include "engine/xml.h"

#include <stdint.h>
#include <stdlib.h>

static struct model *load(const char *data, size_t size, struct source_set *sources,
			  struct ir *ir, struct diag_list *diags)
{
	source_set_init(sources);
	ir_init(ir, sources);
	diag_list_init(diags);
	return engine_xml_load_memory("fuzz.xml", data, size, false, ir, diags);
}

static void unload(struct model *m, struct source_set *sources, struct ir *ir,
		   struct diag_list *diags)
{
	if (m)
		model_free(m);
	ir_free(ir);
	diag_list_free(diags);
	source_set_free(sources);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct source_set sources;
	struct ir ir;
	struct diag_list diags;
	struct model *m = load((const char *)data, size, &sources, &ir, &diags);
	if (m) {
		struct strbuf out = STRBUF_INIT;
		struct emit_ctx ctx = {.model = m, .sources = &sources, .diags = &diags,
				       .source_name = "fuzz.xml"};
		if (emit_engine(&ctx, NULL, &out)) {
			struct source_set s2;
			struct ir ir2;
			struct diag_list d2;
			struct model *m2 = load(out.s, out.len, &s2, &ir2, &d2);
			if (!m2)
				abort();        /* what loaded must load again once written */
			unload(m2, &s2, &ir2, &d2);
		}
		strbuf_free(&out);
	}
	unload(m, &sources, &ir, &diags);
	return 0;
}
