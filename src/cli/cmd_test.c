/* tunc test FILE.tun|CONFIG... [--format text|json|junit] [--from FORMAT]:
 * every `expect` on the engine. */
#include "config.h"
#include "cli/cli.h"
#include "policy/policy_import.h"
#include "cli/options.h"
#include "engine/engine.h"

#include <libxml/xmlwriter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char test_details[] =
	"Runs the traffic of every `expect` statement on the engine and reports each\n"
	"as pass or fail; a failure shows the packet's trace.  An ICMP echo and a TCP\n"
	"SYN are round trips: the reply (SYN-ACK) must come back the same way; UDP is\n"
	"one way.  The text form ends with the line\n"
	"'N passed, N failed'.  Exit status 1 when an expectation fails.\n"
	"\n"
	"Options:\n"
	"  --format text|json|junit   output format (default text)\n"
	"  --from FORMAT              read the FILEs as device configurations of FORMAT\n"
	"                             (ios, swanctl, pix, asa, ipsecconf, netsh,\n"
	"                             powershell, xfrm, sheet); without it they are\n"
	"                             recognised by their content\n";

enum test_format { TEST_TEXT, TEST_JSON, TEST_JUNIT };

struct outcome {
	const struct ir_expect *x;
	struct packet_result *r;
	enum verdict actual;
	const struct ir_tunnel *tunnel;
	bool pass;
};

/* "protected by NAME": built to its length (tunnel names have no limit). */
static void expected_text(const struct ir_expect *x, struct strbuf *b)
{
	const struct ir_tunnel *t = x->tunnel.target;
	strbuf_reset(b);
	strbuf_printf(b, "%s%s%s", verdict_name(x->verdict), t ? " by " : "", t ? t->name : "");
}

static void actual_text(const struct outcome *o, struct strbuf *b)
{
	strbuf_reset(b);
	strbuf_printf(b, "%s%s%s", verdict_name(o->actual), o->tunnel ? " by " : "",
		      o->tunnel ? o->tunnel->name : "");
}

static const char *statement(const struct ir_expect *x)
{
	return x->text ? x->text : "expect";
}

static void write_text(struct strbuf *out, const struct engine *e, const struct policy *pol,
		       const struct outcome *o, size_t n, size_t failed)
{
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	for (size_t i = 0; i < n; i++) {
		unsigned line, col;
		source_line_col(&pol->sources, o[i].x->loc, &line, &col);
		strbuf_printf(out, "%s:%u:%u: %s: %s", source_path(&pol->sources, o[i].x->loc), line,
			      col, o[i].pass ? "pass" : "FAIL", statement(o[i].x));
		if (o[i].pass) {
			strbuf_putc(out, '\n');
			continue;
		}
		strbuf_puts(out, "\n  expected ");
		expected_text(o[i].x, &want);
		actual_text(&o[i], &got);
		strbuf_printf(out, "%s, got %s\n", strbuf_cstr(&want), strbuf_cstr(&got));
		struct strbuf tr = STRBUF_INIT;
		engine_trace_text(&tr, e, o[i].r);
		/* Indent the trace under its expectation. */
		const char *s = strbuf_cstr(&tr);
		while (*s) {
			size_t len = strcspn(s, "\n");
			strbuf_printf(out, "    %.*s\n", (int)len, s);
			s += len + (s[len] == '\n');
		}
		strbuf_free(&tr);
	}
	strbuf_printf(out, "%zu passed, %zu failed\n", n - failed, failed);
	strbuf_free(&want);
	strbuf_free(&got);
}

static void write_json(struct strbuf *out, const struct policy *pol, const struct outcome *o,
		       size_t n, size_t failed)
{
	struct strbuf want = STRBUF_INIT, got = STRBUF_INIT;
	strbuf_puts(out, "{\"version\":1,\"expectations\":[");
	for (size_t i = 0; i < n; i++) {
		unsigned line, col;
		source_line_col(&pol->sources, o[i].x->loc, &line, &col);
		expected_text(o[i].x, &want);
		actual_text(&o[i], &got);
		strbuf_puts(out, i ? ",{\"file\":" : "{\"file\":");
		strbuf_json_string(out, source_path(&pol->sources, o[i].x->loc));
		strbuf_printf(out, ",\"line\":%u,\"text\":", line);
		strbuf_json_string(out, statement(o[i].x));
		strbuf_puts(out, ",\"expected\":");
		strbuf_json_string(out, strbuf_cstr(&want));
		strbuf_puts(out, ",\"actual\":");
		strbuf_json_string(out, strbuf_cstr(&got));
		strbuf_puts(out, ",\"tunnel\":");
		if (o[i].tunnel)
			strbuf_json_string(out, o[i].tunnel->name);
		else
			strbuf_puts(out, "null");
		strbuf_printf(out, ",\"pass\":%s}", o[i].pass ? "true" : "false");
	}
	strbuf_printf(out, "],\"summary\":{\"passed\":%zu,\"failed\":%zu}}\n", n - failed, failed);
	strbuf_free(&want);
	strbuf_free(&got);
}

#define XS(s) ((const xmlChar *)(s))

static bool write_junit(struct strbuf *out, const struct engine *e, const struct policy *pol,
			const char *file, const struct outcome *o, size_t n, size_t failed)
{
	xmlBufferPtr buf = xmlBufferCreate();
	xmlTextWriterPtr w = buf ? xmlNewTextWriterMemory(buf, 0) : NULL;
	if (!w) {
		if (buf)
			xmlBufferFree(buf);
		return false;
	}
	char num[32];
	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterStartDocument(w, NULL, "UTF-8", NULL);
	xmlTextWriterStartElement(w, XS("testsuites"));
	snprintf(num, sizeof(num), "%zu", n);
	xmlTextWriterWriteAttribute(w, XS("tests"), XS(num));
	snprintf(num, sizeof(num), "%zu", failed);
	xmlTextWriterWriteAttribute(w, XS("failures"), XS(num));
	xmlTextWriterWriteAttribute(w, XS("errors"), XS("0"));
	xmlTextWriterStartElement(w, XS("testsuite"));
	xmlTextWriterWriteAttribute(w, XS("name"), XS("tunc test"));
	snprintf(num, sizeof(num), "%zu", n);
	xmlTextWriterWriteAttribute(w, XS("tests"), XS(num));
	snprintf(num, sizeof(num), "%zu", failed);
	xmlTextWriterWriteAttribute(w, XS("failures"), XS(num));
	xmlTextWriterWriteAttribute(w, XS("errors"), XS("0"));
	for (size_t i = 0; i < n; i++) {
		unsigned line, col;
		source_line_col(&pol->sources, o[i].x->loc, &line, &col);
		struct strbuf cls = STRBUF_INIT;     /* a path: no limit */
		strbuf_printf(&cls, "%s:%u", source_path(&pol->sources, o[i].x->loc), line);
		xmlTextWriterStartElement(w, XS("testcase"));
		xmlTextWriterWriteAttribute(w, XS("classname"), XS(strbuf_cstr(&cls)));
		strbuf_free(&cls);
		xmlTextWriterWriteAttribute(w, XS("name"), XS(statement(o[i].x)));
		if (!o[i].pass) {
			struct strbuf want = STRBUF_INIT, got = STRBUF_INIT, msg = STRBUF_INIT;
			expected_text(o[i].x, &want);
			actual_text(&o[i], &got);
			strbuf_printf(&msg, "expected %s, got %s", strbuf_cstr(&want), strbuf_cstr(&got));
			struct strbuf tr = STRBUF_INIT;
			engine_trace_text(&tr, e, o[i].r);
			xmlTextWriterStartElement(w, XS("failure"));
			xmlTextWriterWriteAttribute(w, XS("message"), XS(strbuf_cstr(&msg)));
			xmlTextWriterWriteAttribute(w, XS("type"), XS("expectation"));
			xmlTextWriterWriteString(w, XS(strbuf_cstr(&tr)));
			xmlTextWriterEndElement(w);
			strbuf_free(&tr);
			strbuf_free(&want);
			strbuf_free(&got);
			strbuf_free(&msg);
		}
		xmlTextWriterEndElement(w);
	}
	(void)file;
	xmlTextWriterEndElement(w);
	xmlTextWriterEndElement(w);
	int rc = xmlTextWriterEndDocument(w);
	xmlFreeTextWriter(w);
	if (rc >= 0)
		strbuf_add(out, (const char *)xmlBufferContent(buf), (size_t)xmlBufferLength(buf));
	xmlBufferFree(buf);
	return rc >= 0;
}

enum { OPT_FORMAT = CLI_LONG_ONLY, OPT_FROM };

static const struct cli_option test_options[] = {
	{"format", OPT_FORMAT, true, "a value", true},
	{"from", OPT_FROM, true, NULL, false},
	{0},
};

struct test_args {
	const char *format, *from;
};

static int test_option(int key, const char *v, void *arg)
{
	struct test_args *ta = arg;
	if (key == OPT_FROM)
		return cli_from_option("test", v, &ta->from);
	ta->format = v;                 /* checked once the file is known */
	return -1;
}

int cmd_test(int argc, char **argv)
{
	const char *file = NULL;
	struct test_args ta = {.format = "text"};
	int first;
	int status = cli_parse("test", test_details, argc, argv, test_options, test_option, &ta,
			       &first);
	if (status >= 0)
		return status;
	const char *format = ta.format;
	const char *const *files = (const char *const *)argv + first;
	size_t n_files = (size_t)(argc - first);
	if (policy_files_tun(files, n_files))
		return cli_usage_error("test", "more than one file given ('%s', '%s')", argv[first],
				       argv[first + 1]);
	if (first < argc)
		file = argv[first];
	if (!file)
		return cli_usage_error("test", "no policy file given");
	enum test_format fmt;
	if (strcmp(format, "text") == 0)
		fmt = TEST_TEXT;
	else if (strcmp(format, "json") == 0)
		fmt = TEST_JSON;
	else if (strcmp(format, "junit") == 0)
		fmt = TEST_JUNIT;
	else
		return cli_usage_error("test", "--format: '%s' is not text, json or junit", format);

	struct policy pol;
	if (!policy_load_files(&pol, files, n_files, ta.from) || !policy_check_keys(&pol)) {
		policy_print_errors(&pol);
		policy_free(&pol);
		return EXIT_USAGE;
	}
	cli_note_lint_errors(&pol, file);
	struct engine_options opts = {.seed = 1};
	char err[512];
	struct engine *e = engine_new(pol.model, &opts, err, sizeof(err));
	if (!e) {
		fprintf(stderr, "tunc: %s\n", err);
		policy_free(&pol);
		return EXIT_USAGE;
	}
	size_t n = pol.ir.expects.n, failed = 0;
	struct outcome *o = xcalloc(n + 1, sizeof(*o));
	for (size_t i = 0; i < n; i++) {
		const struct ir_expect *x = &pol.ir.expects.v[i];
		struct engine_send s;
		engine_send_of_expect(e, x, &s);
		o[i].x = x;
		o[i].r = engine_send(e, &s, 1);
		o[i].actual = packet_overall_verdict(o[i].r, &o[i].tunnel);
		o[i].pass = o[i].actual == x->verdict &&
			    (!x->tunnel.target || o[i].tunnel == x->tunnel.target);
		failed += !o[i].pass;
	}
	struct strbuf out = STRBUF_INIT;
	status = failed ? EXIT_FINDINGS : EXIT_OK;
	switch (fmt) {
	case TEST_TEXT:
		write_text(&out, e, &pol, o, n, failed);
		break;
	case TEST_JSON:
		write_json(&out, &pol, o, n, failed);
		break;
	case TEST_JUNIT:
		if (!write_junit(&out, e, &pol, file, o, n, failed)) {
			fprintf(stderr, "tunc: cannot write JUnit XML\n");
			status = EXIT_USAGE;
		}
		break;
	}
	fputs(strbuf_cstr(&out), stdout);
	strbuf_free(&out);
	free(o);
	engine_free(e);
	policy_free(&pol);
	return status;
}
