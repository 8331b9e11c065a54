/* JUnit XML for CI test reports, written with libxml2's xmlTextWriter:
 *
 * <testsuites tests= failures= errors="0">
 *   <testsuite name="tunc lint" tests= failures= errors="0">
 *     <testcase classname="tunc.lint" name="CHECK">
 *       <failure message="MESSAGE" type="error|warning">TEXT FORM</failure>
 *       <system-out>TEXT FORM OF THE NOTES</system-out>
 *     </testcase>
 *
 * One testcase per rule the caller passes that ran or reported (front-end
 * entries included), in its order, then one per other check name that
 * reported.  Errors and
 * warnings are failures (one <failure> each); notes do not fail a test and
 * go to the testcase's <system-out>.  "failures" counts failed testcases. */
#include "config.h"
#include "diag/write_impl.h"
#include "util/arena.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

static bool same_check(const struct diag *d, const char *name)
{
	return d->check ? strcmp(d->check, name) == 0 : strcmp(name, "unknown") == 0;
}

static bool fails(const struct diag *d)
{
	return d->severity != DIAG_NOTE;
}

static void attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	struct strbuf tmp = STRBUF_INIT;
	xmlTextWriterWriteAttribute(w, X(name), X(diag_clean_text(value, true, &tmp)));
	strbuf_free(&tmp);
}

static void attr_count(xmlTextWriterPtr w, const char *name, size_t n)
{
	char v[32];
	snprintf(v, sizeof(v), "%zu", n);
	attr(w, name, v);
}

static void text(xmlTextWriterPtr w, const char *s)
{
	struct strbuf tmp = STRBUF_INIT;
	xmlTextWriterWriteString(w, X(diag_clean_text(s, true, &tmp)));
	strbuf_free(&tmp);
}

static void put_testcase(xmlTextWriterPtr w, const char *name, const struct diag_list *diags,
			 const struct source_set *sources)
{
	xmlTextWriterStartElement(w, X("testcase"));
	attr(w, "classname", "tunc.lint");
	attr(w, "name", name);
	struct strbuf body = STRBUF_INIT, notes = STRBUF_INIT, msg = STRBUF_INIT;
	for (size_t i = 0; i < diags->n; i++) {
		const struct diag *d = &diags->v[i];
		if (!same_check(d, name))
			continue;
		if (!fails(d)) {
			diag_text_one(&notes, d, sources, false);
			continue;
		}
		strbuf_reset(&body);
		diag_text_one(&body, d, sources, false);
		xmlTextWriterStartElement(w, X("failure"));
		const char *m = diag_text_cstr(&d->message, &msg);
		attr(w, "message", m ? m : "");
		attr(w, "type", diag_severity_name(d->severity));
		text(w, strbuf_cstr(&body));
		xmlTextWriterEndElement(w);
	}
	if (notes.len) {
		xmlTextWriterStartElement(w, X("system-out"));
		text(w, strbuf_cstr(&notes));
		xmlTextWriterEndElement(w);
	}
	strbuf_free(&body);
	strbuf_free(&notes);
	strbuf_free(&msg);
	xmlTextWriterEndElement(w);
}

/* The testcases, in order: registry checks that ran or reported, then
 * names the registry does not know, each once. */
struct cases {
	const char **name;
	size_t n;
};

static bool cases_has(const struct cases *c, const char *name)
{
	for (size_t i = 0; i < c->n; i++)
		if (strcmp(c->name[i], name) == 0)
			return true;
	return false;
}

static void cases_collect(struct cases *c, const struct diag_list *diags,
			  const struct diag_rule *rules, size_t n_rules)
{
	c->name = xcalloc(n_rules + diags->n + 1, sizeof(*c->name));
	c->n = 0;
	for (size_t i = 0; i < n_rules; i++) {
		bool reported = false;
		for (size_t k = 0; k < diags->n && !reported; k++)
			reported = same_check(&diags->v[k], rules[i].name);
		if (rules[i].ran || reported)
			c->name[c->n++] = rules[i].name;
	}
	for (size_t k = 0; k < diags->n; k++) {
		const char *name = diags->v[k].check ? diags->v[k].check : "unknown";
		if (!cases_has(c, name))
			c->name[c->n++] = name;
	}
}

void diag_write_junit(struct strbuf *out, const struct diag_list *diags,
		      const struct source_set *sources, const struct diag_write_opts *opts)
{
	struct cases cs;
	cases_collect(&cs, diags, opts->rules, opts->rules ? opts->n_rules : 0);
	size_t failed = 0;
	for (size_t i = 0; i < cs.n; i++) {
		for (size_t k = 0; k < diags->n; k++)
			if (same_check(&diags->v[k], cs.name[i]) && fails(&diags->v[k])) {
				failed++;
				break;
			}
	}

	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (!w)
		abort();
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, X("  "));
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, X("testsuites"));
	attr(w, "name", "tunc lint");
	attr_count(w, "tests", cs.n);
	attr_count(w, "failures", failed);
	attr_count(w, "errors", 0);
	xmlTextWriterStartElement(w, X("testsuite"));
	attr(w, "name", "tunc lint");
	attr_count(w, "tests", cs.n);
	attr_count(w, "failures", failed);
	attr_count(w, "errors", 0);
	attr_count(w, "skipped", 0);
	for (size_t i = 0; i < cs.n; i++)
		put_testcase(w, cs.name[i], diags, sources);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);       /* flushes into BUF */
	strbuf_add(out, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	free(cs.name);
}
