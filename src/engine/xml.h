/* The engine.xml loader's entry point (written by another part of the
 * project: src/engine/xml*.c).  Declared weak so `tunc run` links and says
 * "not available" until the loader exists.
 *
 * engine_xml_load validates PATH against the shipped schema (libxml2),
 * refuses an invalid file with the schema error's line in DIAGS (nothing
 * half-loaded), fills IR (names, locations, proposals, tunnels, ...) and
 * returns the model built from it.  The model must be freeable by
 * model_free() (build it with model_build() from the filled IR). */
#ifndef TUNC_ENGINE_XML_H
#define TUNC_ENGINE_XML_H

#include "diag/diag.h"
#include "ir/ir.h"
#include "model/model.h"

struct model *engine_xml_load(const char *path, struct ir *ir, struct diag_list *diags)
	__attribute__((weak));

#endif
