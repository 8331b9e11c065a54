/* The engine.xml loader: libxml2 parses the file (no network, no DTD, no
 * entity declarations), validates it against data/engine.rng, and only a
 * valid file is turned into IR (xml_build.c), resolved and modelled exactly
 * like a .tun file.  An invalid file is refused whole, with the line of
 * each problem; nothing is half-loaded.
 *
 * Streaming.  The document is never held as a tree: one pass checks that it
 * is well-formed (SAX, nothing built), one validates it (a reader), and one
 * (two with <sources>) builds the IR from a reader, expanding one child of
 * <engine> at a time and freeing it before the next.  Memory is the file's
 * text (kept for locations) plus the IR and model, as for a .tun file:
 * `tunc run` of an engine.xml of 100,000 spokes (245 MB) peaks at 2.3 GB,
 * 4.2 GB with the tree (doc/performance.md).
 *
 * Locations.  Traces from `tunc run engine.xml` name the original .tun
 * statements: each element's `src` ("FILE:LINE:COL") is mapped into FILE
 * when <sources> names it with the SHA-256 of what is found there now.
 * Otherwise (the .tun file moved, changed, or was never there) locations are
 * positions in engine.xml itself.  Problems found while loading are always
 * reported in engine.xml: the file is loaded once with its own positions
 * first, and again with the .tun positions only when that succeeded. */
#include "config.h"
#include "engine/xml.h"
#include "engine/xml_internal.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlreader.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The limit of any source file (util/source.h: offsets are 32-bit), so
 * whatever `compile -t engine` writes from a policy it accepted loads back
 * (about 2.4 KB per spoke: 1 GiB holds some 400,000).  What a hostile file
 * costs stays proportional to its size: it is streamed, never expanded
 * into a tree, and a DOCTYPE (entity expansion) is refused. */
#define XML_MAX_SIZE (SOURCE_MAX_SIZE - 1)
#define TUN_MAX_SIZE (SOURCE_MAX_SIZE - 1)     /* as for the .tun file itself */
#define PARSE_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOCDATA)

/* ---- locations ---- */

static const char *line_text(const struct source_set *s, uint32_t file, unsigned line,
			     size_t *len)
{
	const struct source_file *f = source_get(s, file);
	if (!f || line < 1 || line > f->n_lines) {
		*len = 0;
		return NULL;
	}
	return source_line_text(s, file, line, len);
}

/* Offset of LINE's first byte in FILE. */
static uint32_t line_offset(const struct source_set *s, uint32_t file, unsigned line)
{
	return source_line_start(s, file, line);
}

/* A position in engine.xml: the attribute's value, or the element's '<'. */
static struct tunc_loc xml_pos(struct xml_loader *l, xmlNode *n, const char *attr)
{
	long line = xmlGetLineNo(n);
	if (line < 1 || line > UINT_MAX)
		return (struct tunc_loc){l->xml_file, 0, 1};
	size_t len;
	const char *text = line_text(l->sources, l->xml_file, (unsigned)line, &len);
	uint32_t base = line_offset(l->sources, l->xml_file, (unsigned)line);
	if (!text)
		return (struct tunc_loc){l->xml_file, 0, 1};
	char needle[128];
	snprintf(needle, sizeof(needle), "<%s", (const char *)n->name);
	const char *tag = memmem(text, len, needle, strlen(needle));
	if (!tag)
		return (struct tunc_loc){l->xml_file, base, 1};
	if (!attr)
		return (struct tunc_loc){l->xml_file, base + (uint32_t)(tag - text),
					 (uint32_t)strlen(needle)};
	snprintf(needle, sizeof(needle), " %s=", attr);
	size_t rest = len - (size_t)(tag - text);
	const char *a = memmem(tag, rest, needle, strlen(needle));
	if (!a)
		return (struct tunc_loc){l->xml_file, base + (uint32_t)(tag - text), 1};
	const char *v = a + strlen(needle) + 1;         /* past the quote */
	const char *end = v;
	while (end < text + len && *end != '"' && *end != '\'')
		end++;
	if (v > text + len)
		v = end = text + len;
	return (struct tunc_loc){l->xml_file, base + (uint32_t)(v - text),
				 end > v ? (uint32_t)(end - v) : 1};
}

static bool parse_uint(const char *s, const char *end, unsigned *out)
{
	unsigned long v = 0;
	if (s == end)
		return false;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (unsigned long)(*s - '0');
		if (v > UINT_MAX)
			return false;
	}
	*out = (unsigned)v;
	return true;
}

/* "FILE:LINE:COL" in a .tun file found unchanged; false otherwise. */
static bool tun_pos(struct xml_loader *l, const char *v, struct tunc_loc *out)
{
	const char *c2 = strrchr(v, ':');
	if (!c2 || c2 == v)
		return false;
	const char *c1 = c2 - 1;
	while (c1 > v && *c1 != ':')
		c1--;
	unsigned line, col;
	if (*c1 != ':' || !parse_uint(c1 + 1, c2, &line) || !parse_uint(c2 + 1, v + strlen(v), &col))
		return false;
	size_t flen = (size_t)(c1 - v);
	for (size_t i = 0; i < l->n_tuns; i++) {
		if (strlen(l->tuns[i].path) != flen || memcmp(l->tuns[i].path, v, flen) != 0)
			continue;
		size_t len;
		const char *text = line_text(l->sources, l->tuns[i].file, line, &len);
		if (!text || col < 1 || col > len + 1)
			return false;
		/* The token there: up to the next blank or punctuation. */
		size_t k = col - 1, n = 0;
		while (k + n < len && !strchr(" \t\r;{}", text[k + n]))
			n++;
		*out = (struct tunc_loc){l->tuns[i].file,
					 line_offset(l->sources, l->tuns[i].file, line) + (uint32_t)k,
					 n ? (uint32_t)n : 1};
		return true;
	}
	return false;
}

struct tunc_loc xml_loc(struct xml_loader *l, xmlNode *n, const char *attr)
{
	if (l->use_src) {
		char name[80];
		snprintf(name, sizeof(name), "%s%s", attr ? attr : "src", attr ? "-src" : "");
		xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
		struct tunc_loc loc;
		bool ok = v && tun_pos(l, (const char *)v, &loc);
		bool given = v != NULL;
		xmlFree(v);
		if (ok)
			return loc;
		if (attr && !given)
			return LOC_NONE;        /* the .tun did not write it */
		return xml_pos(l, n, attr && xmlHasProp(n, (const xmlChar *)attr) ? attr : NULL);
	}
	if (attr && !xmlHasProp(n, (const xmlChar *)attr))
		return LOC_NONE;
	return xml_pos(l, n, attr);
}

const char *xml_prop(struct xml_loader *l, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	if (!v)
		return NULL;
	char *s = arena_strdup(&l->ir->arena, (const char *)v);
	xmlFree(v);
	return s;
}

/* ---- the .tun files behind the locations ---- */

static bool sha256_hex(const char *data, size_t size, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	if (!EVP_Digest(data, size, md, &n, EVP_sha256(), NULL) || n != 32)
		return false;
	for (unsigned i = 0; i < n; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return true;
}

static bool regular_file(const char *path, size_t max)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (uint64_t)st.st_size <= max;
}

/* Finds each <source> of <sources> (S) whose file is here and unchanged. */
static void find_sources(struct xml_loader *l, xmlNode *s)
{
	for (xmlNode *f = s->children; f; f = f->next) {
		if (f->type != XML_ELEMENT_NODE || strcmp((const char *)f->name, "source") != 0)
			continue;
		xmlChar *path = xmlGetProp(f, (const xmlChar *)"path");
		xmlChar *sum = xmlGetProp(f, (const xmlChar *)"sha256");
		uint32_t file = 0;
		char hex[65];
		if (path && sum && regular_file((const char *)path, TUN_MAX_SIZE))
			file = source_load(l->sources, (const char *)path, LOC_NONE);
		if (file) {
			const struct source_file *sf = source_get(l->sources, file);
			if (!sha256_hex(sf->text, sf->size, hex) ||
			    strcmp(hex, (const char *)sum) != 0)
				file = 0;       /* changed since: engine.xml positions */
		}
		if (file) {
			l->tuns = xrealloc(l->tuns, (l->n_tuns + 1) * sizeof(*l->tuns));
			l->tuns[l->n_tuns++] = (struct xml_tun_source){
				xstrdup((const char *)path), file};
		}
		xmlFree(path);
		xmlFree(sum);
	}
}

/* ---- libxml2: parsing and validation ---- */

struct xml_errors {
	struct xml_loader *l;
	const char *what;               /* "is not well-formed XML", ... */
	const char *check;
	unsigned count, max;
};

/* LINE and COL (1-based; 0: the line's first non-blank) in engine.xml. */
static struct tunc_loc line_loc(struct xml_loader *l, long line, long col)
{
	if (line < 1 || line > UINT_MAX)
		return (struct tunc_loc){l->xml_file, 0, 1};
	size_t len;
	const char *text = line_text(l->sources, l->xml_file, (unsigned)line, &len);
	uint32_t base = line_offset(l->sources, l->xml_file, (unsigned)line);
	size_t skip = 0;
	if (col > 0)
		skip = (size_t)col - 1 <= len ? (size_t)col - 1 : len;
	else
		while (text && skip < len && (text[skip] == ' ' || text[skip] == '\t'))
			skip++;
	return (struct tunc_loc){l->xml_file, base + (uint32_t)skip, 1};
}

static void on_error(void *data, xmlErrorPtr err)
{
	struct xml_errors *e = data;
	if (!err || err->level < XML_ERR_ERROR || e->count >= e->max)
		return;
	e->count++;
	char msg[512];
	snprintf(msg, sizeof(msg), "%s", err->message ? err->message : "error");
	size_t n = strlen(msg);
	while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	struct tunc_loc loc = line_loc(e->l, err->line, err->int2);
	diag_front(e->l->diags, e->check, loc, "%s %s: %s", e->l->xml_name, e->what, msg);
}

/* A DOCTYPE could declare entities (expansion bombs, external files):
 * engine.xml has none, so the parse stops at the first. */
struct dtd_guard {
	bool seen;
	long line;
};

static void reject_dtd(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	(void)name;
	(void)ext;
	(void)sys;
	xmlParserCtxtPtr ctxt = ctx;
	struct dtd_guard *g = ctxt->_private;
	if (!g->seen) {
		g->seen = true;
		g->line = ctxt->input ? ctxt->input->line : 0;
	}
	xmlStopParser(ctxt);
}

/* Whether DATA is well-formed XML without a DOCTYPE: a SAX pass that
 * builds nothing (no handler but the DOCTYPE's), so a file of any size
 * costs no memory here.  The first error is reported. */
static bool well_formed(struct xml_loader *l, const char *data, size_t size)
{
	xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
	if (!ctxt) {
		diag_front(l->diags, "io-error", LOC_NONE, "%s: out of memory", l->xml_name);
		return false;
	}
	memset(ctxt->sax, 0, sizeof(*ctxt->sax));
	ctxt->sax->initialized = XML_SAX2_MAGIC;
	ctxt->sax->internalSubset = reject_dtd;
	ctxt->sax->externalSubset = reject_dtd;
	struct dtd_guard guard = {0};
	ctxt->_private = &guard;
	struct xml_errors errs = {l, "is not well-formed XML", "syntax", 0, 1};
	xmlSetStructuredErrorFunc(&errs, on_error);
	xmlDocPtr none = xmlCtxtReadMemory(ctxt, data, (int)size, l->xml_name, NULL, PARSE_OPTIONS);
	xmlFreeDoc(none);               /* NULL: no handler builds one */
	bool ok = ctxt->wellFormed;
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlFreeParserCtxt(ctxt);
	if (guard.seen) {
		struct diag *d = diag_front(l->diags, "syntax", line_loc(l, guard.line, 0),
					    "%s: a DOCTYPE is not allowed in engine.xml", l->xml_name);
		diag_fix(d, "remove the DOCTYPE; engine.xml is checked against the RELAX NG schema");
		return false;
	}
	if (!ok) {
		if (!errs.count)
			diag_front(l->diags, "syntax", LOC_NONE, "%s is not well-formed XML",
				   l->xml_name);
		return false;
	}
	return true;
}

/* ---- the schema ---- */

static bool readable(const char *path)
{
	return access(path, R_OK) == 0;
}

const char *engine_xml_schema_path(void)
{
	static char path[PATH_MAX];
	const char *dir = getenv("TUNC_SCHEMA_DIR");
	if (dir && *dir) {
		snprintf(path, sizeof(path), "%s/engine.rng", dir);
		return readable(path) ? path : NULL;
	}
	snprintf(path, sizeof(path), "%s/engine.rng", TUNC_DATADIR);
	if (readable(path))
		return path;
	snprintf(path, sizeof(path), "%s/data/engine.rng", TUNC_SRCDIR);
	return readable(path) ? path : NULL;
}

/* Keeps the first message of a broken schema (a packaging error). */
static void on_schema_error(void *data, xmlErrorPtr err)
{
	char *first = data;
	if (!first[0] && err && err->message) {
		snprintf(first, 256, "%s", err->message);
		first[strcspn(first, "\n")] = '\0';
	}
}

/* The parsed schema, kept for the process (the fuzzer loads many files). */
static xmlRelaxNGPtr schema(struct xml_loader *l)
{
	static xmlRelaxNGPtr cached;
	static char cached_path[PATH_MAX];
	const char *path = engine_xml_schema_path();
	if (!path) {
		struct diag *d = diag_front(l->diags, "io-error", LOC_NONE,
					    "the engine.xml schema (engine.rng) is not installed "
					    "in %s", TUNC_DATADIR);
		diag_fix(d, "set TUNC_SCHEMA_DIR to the directory that holds engine.rng");
		return NULL;
	}
	if (cached && strcmp(cached_path, path) == 0)
		return cached;
	xmlRelaxNGParserCtxtPtr pc = xmlRelaxNGNewParserCtxt(path);
	if (!pc)
		return NULL;
	char first[256] = "";
	xmlRelaxNGSetParserStructuredErrors(pc, on_schema_error, first);
	xmlRelaxNGPtr s = xmlRelaxNGParse(pc);
	xmlRelaxNGFreeParserCtxt(pc);
	if (!s) {
		diag_front(l->diags, "io-error", LOC_NONE, "%s: the schema cannot be read: %s", path,
			   first[0] ? first : "unknown error");
		return NULL;
	}
	if (cached)
		xmlRelaxNGFree(cached);
	cached = s;
	snprintf(cached_path, sizeof(cached_path), "%s", path);
	return cached;
}

/* Validation runs on a streaming reader over the same bytes: unlike
 * whole-document validation, it knows which element it is at when an error
 * comes (libxml2 leaves "failed to validate attributes" without a line).
 * The first error is reported; what follows is mostly its consequence. */
struct reader_errors {
	struct xml_loader *l;
	xmlTextReaderPtr reader;
	unsigned count;
};

static void on_reader_error(void *data, xmlErrorPtr err)
{
	struct reader_errors *e = data;
	if (!err || err->level < XML_ERR_ERROR || e->count++)
		return;
	char msg[512];
	snprintf(msg, sizeof(msg), "%s", err->message ? err->message : "error");
	msg[strcspn(msg, "\n")] = '\0';
	xmlNode *node = err->node ? (xmlNode *)err->node : xmlTextReaderCurrentNode(e->reader);
	struct tunc_loc loc = node && node->type == XML_ELEMENT_NODE ? xml_pos(e->l, node, NULL)
							       : line_loc(e->l, err->line, 0);
	diag_front(e->l->diags, "schema", loc, "%s does not follow the schema: %s",
		   e->l->xml_name, msg);
}

static bool validate(struct xml_loader *l, const char *data, size_t size)
{
	xmlRelaxNGPtr s = schema(l);
	if (!s)
		return false;
	xmlTextReaderPtr r = xmlReaderForMemory(data, (int)size, l->xml_name, NULL, PARSE_OPTIONS);
	if (!r || xmlTextReaderRelaxNGSetSchema(r, s) != 0) {
		xmlFreeTextReader(r);
		diag_front(l->diags, "io-error", LOC_NONE, "%s: cannot start validation", l->xml_name);
		return false;
	}
	struct reader_errors errs = {l, r, 0};
	xmlTextReaderSetStructuredErrorHandler(r, on_reader_error, &errs);
	int rc;
	while ((rc = xmlTextReaderRead(r)) == 1 && !errs.count)
		;
	bool valid = rc == 0 && !errs.count && xmlTextReaderIsValid(r) == 1;
	xmlFreeTextReader(r);
	if (!valid && !errs.count)
		diag_front(l->diags, "schema", LOC_NONE, "%s does not follow the schema",
			   l->xml_name);
	return valid;
}

/* ---- loading ---- */

/* One streaming pass over the valid document: each child of <engine> is
 * expanded alone, handed to xml_build_element (or, for <sources> when FIND,
 * to find_sources) and freed when the reader moves past it.  With FIND and
 * sources found, the pass builds into a scratch IR with engine.xml's own
 * positions (so that whatever is wrong is reported where it is: in
 * engine.xml) and *AGAIN asks for a second pass into IR with the .tun
 * positions. */
static bool build_pass(struct xml_loader *l, const char *data, size_t size, bool find,
		       struct ir *ir, bool *again)
{
	*again = false;
	xmlTextReaderPtr r = xmlReaderForMemory(data, (int)size, l->xml_name, NULL, PARSE_OPTIONS);
	if (!r) {
		diag_front(l->diags, "io-error", LOC_NONE, "%s: out of memory", l->xml_name);
		return false;
	}
	struct ir scratch;
	bool scratch_used = false;
	l->ir = ir;
	xml_build_start(l);
	int rc = xmlTextReaderRead(r);
	while (rc == 1) {
		if (xmlTextReaderDepth(r) != 1 || xmlTextReaderNodeType(r) != XML_READER_TYPE_ELEMENT) {
			rc = xmlTextReaderRead(r);
			continue;
		}
		xmlNode *n = xmlTextReaderExpand(r);
		if (!n) {
			rc = -1;
			break;
		}
		if (strcmp((const char *)n->name, "sources") == 0) {
			if (find) {
				find_sources(l, n);
				if (l->n_tuns) {
					/* The schema puts <sources> first: nothing built yet. */
					ir_init(&scratch, l->sources);
					scratch_used = true;
					l->use_src = false;
					l->ir = &scratch;
					xml_build_start(l);
				}
			}
		} else {
			xml_build_element(l, n);
		}
		rc = xmlTextReaderNext(r);
	}
	xmlFreeTextReader(r);
	bool ok = rc == 0;
	if (!ok)
		diag_front(l->diags, "io-error", LOC_NONE, "%s: cannot read it again", l->xml_name);
	ok = ok && xml_build_finish(l);
	if (scratch_used) {
		ok = ok && ir_resolve(&scratch, l->diags);
		ir_free(&scratch);
		l->ir = ir;
		*again = ok;
		return ok;
	}
	return ok && ir_resolve(ir, l->diags);
}

/* The second pass with <sources>: the .tun positions, into IR. */
static bool build_with_sources(struct xml_loader *l, const char *data, size_t size,
			       struct ir *ir)
{
	l->use_src = true;
	bool again;
	return build_pass(l, data, size, false, ir, &again);
}

static struct model *load(struct xml_loader *l, const char *data, size_t size, bool find,
			  struct ir *ir)
{
	if (size > XML_MAX_SIZE) {
		diag_front(l->diags, "io-error", LOC_NONE, "%s: larger than %u MiB", l->xml_name,
			   (unsigned)(XML_MAX_SIZE >> 20));
		return NULL;
	}
	xmlInitParser();
	struct model *m = NULL;
	bool again = false;
	if (well_formed(l, data, size) && validate(l, data, size) &&
	    build_pass(l, data, size, find, ir, &again) &&
	    (!again || build_with_sources(l, data, size, ir)))
		m = model_build(ir);
	for (size_t i = 0; i < l->n_tuns; i++)
		free(l->tuns[i].path);
	free(l->tuns);
	l->tuns = NULL;
	l->n_tuns = 0;
	return m;
}

struct model *engine_xml_load(const char *path, struct ir *ir, struct diag_list *diags)
{
	struct xml_loader l = {.ir = ir, .diags = diags, .sources = ir->sources, .xml_name = path};
	struct stat st;
	if (stat(path, &st) != 0) {
		diag_front(diags, "io-error", LOC_NONE, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode) || (uint64_t)st.st_size > XML_MAX_SIZE) {
		diag_front(diags, "io-error", LOC_NONE, "'%s' is not a regular file of at most %u MiB",
			   path, (unsigned)(XML_MAX_SIZE >> 20));
		return NULL;
	}
	l.xml_file = source_load(ir->sources, path, LOC_NONE);
	if (!l.xml_file) {
		diag_front(diags, "io-error", LOC_NONE, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	const struct source_file *f = source_get(ir->sources, l.xml_file);
	return load(&l, f->text, f->size, true, ir);
}

struct model *engine_xml_load_memory(const char *name, const char *data, size_t size,
				     bool find_sources, struct ir *ir, struct diag_list *diags)
{
	struct xml_loader l = {.ir = ir, .diags = diags, .sources = ir->sources, .xml_name = name};
	if (size > XML_MAX_SIZE) {
		diag_front(diags, "io-error", LOC_NONE, "%s: larger than %u MiB", name,
			   (unsigned)(XML_MAX_SIZE >> 20));
		return NULL;
	}
	l.xml_file = source_add_buffer(ir->sources, name, data, size);
	const struct source_file *f = source_get(ir->sources, l.xml_file);
	return load(&l, f->text, f->size, find_sources, ir);
}
