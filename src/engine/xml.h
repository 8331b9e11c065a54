/* The engine.xml loader (src/engine/xml_load.c: schema and document;
 * xml_build.c: the IR from it; doc/engine-xml.md).
 *
 * engine_xml_load validates PATH against the shipped schema (libxml2),
 * refuses an invalid file with the schema error's line in DIAGS (nothing
 * half-loaded), fills IR (names, locations, proposals, tunnels, ...) with
 * the parser's own actions, resolves it and returns the model built from
 * it (free it with model_free()).  NULL on any error, with diagnostics. */
#ifndef TUNC_ENGINE_XML_H
#define TUNC_ENGINE_XML_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "ir/ir.h"
#include "model/model.h"

struct model *engine_xml_load(const char *path, struct ir *ir, struct diag_list *diags);

/* The same for a buffer named NAME (fuzzing, tests).  With FIND_SOURCES
 * false the .tun files that <sources> names are not looked for, so every
 * location points into the buffer and nothing is read from disk. */
struct model *engine_xml_load_memory(const char *name, const char *data, size_t size,
				     bool find_sources, struct ir *ir, struct diag_list *diags);

/* The schema file in use: $TUNC_SCHEMA_DIR/engine.rng, else the installed
 * one (TUNC_DATADIR), else the source tree's data/engine.rng.  NULL when
 * none is readable. */
const char *engine_xml_schema_path(void);

#endif
