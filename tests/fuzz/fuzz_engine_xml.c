/* libFuzzer target: the engine.xml loader from memory (parse, schema,
 * IR, resolve, model), never looking for .tun files on disk.  A file that
 * loads must survive a round trip: written again by the engine emitter, it
 * loads again.  Built by tests/fuzz/run-fuzzers.sh; the schema is found
 * through TUNC_SCHEMA_DIR or the source tree (TUNC_SRCDIR/data). */
#include "config.h"
#include "emit/emit.h"
#include "emit/targets.h"
#include "engine/xml.h"
#include "policy/policy.h"

#include <stdint.h>
#include <stdlib.h>

static bool load(const char *data, size_t size, struct policy *p)
{
	policy_init(p);
	p->model = engine_xml_load_memory("fuzz.xml", data, size, false, &p->ir, &p->diags);
	return p->model != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p;
	if (load((const char *)data, size, &p)) {
		struct strbuf out = STRBUF_INIT;
		struct emit_ctx ctx = {.model = p.model, .sources = &p.sources, .diags = &p.diags,
				       .source_name = "fuzz.xml"};
		if (emit_engine(&ctx, NULL, &out)) {
			struct policy again;
			if (!load(out.s, out.len, &again))
				abort();        /* what loaded must load again once written */
			policy_free(&again);
		}
		strbuf_free(&out);
	}
	policy_free(&p);
	return 0;
}
