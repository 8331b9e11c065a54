/* Shared by the engine.xml loader's two halves: xml_load.c (libxml2
 * parsing, schema validation, locations) and xml_build.c (elements to IR
 * through the parser's own actions, src/ir/build.c). */
#ifndef TUNC_ENGINE_XML_INTERNAL_H
#define TUNC_ENGINE_XML_INTERNAL_H

#include <libxml/tree.h>
#include <stdbool.h>

#include "grammar.h"

/* A .tun file named by <sources> and found unchanged (same SHA-256). */
struct xml_tun_source {
	char *path;
	uint32_t file;                  /* its index in the source set */
};

struct xml_loader {
	struct ir *ir;                  /* the IR being filled (this pass) */
	struct diag_list *diags;
	struct source_set *sources;
	uint32_t xml_file;              /* engine.xml's text in the source set */
	const char *xml_name;
	/* Locations from `src` attributes into the .tun files (traces name the
	 * original statements), or else positions in engine.xml itself. */
	bool use_src;
	struct xml_tun_source *tuns;
	size_t n_tuns;
	struct parse_ctx pc;
	size_t diags_before;            /* diagnostics before xml_build_start */
};

/* Where the item of node N is.  ATTR NULL: the element (its `src`, or its
 * start tag); otherwise the value of attribute ATTR (its `ATTR-src`, or the
 * attribute in engine.xml), LOC_NONE when the file gives none. */
struct tunc_loc xml_loc(struct xml_loader *l, xmlNode *n, const char *attr);

/* Attribute NAME of N as a string in the IR's arena; NULL when absent. */
const char *xml_prop(struct xml_loader *l, xmlNode *n, const char *name);

/* Fills l->ir with the build_* actions, one child of <engine> at a time
 * as the loader streams them (the whole document is never in memory):
 * xml_build_start, xml_build_element for each child in document order,
 * then xml_build_finish, false when a diagnostic of severity error was
 * added since the start. */
void xml_build_start(struct xml_loader *l);
void xml_build_element(struct xml_loader *l, xmlNode *n);
bool xml_build_finish(struct xml_loader *l);

#endif
