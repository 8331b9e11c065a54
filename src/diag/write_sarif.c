/* SARIF 2.1.0 for code-scanning services: one run whose driver lists the
 * rules the caller passes (tunc lint: every registry entry, help text as
 * `tunc explain` gives it), and one result per finding.
 *
 * - Files are named as the user named them, as relative URI references
 *   against %SRCROOT% (percent-encoded); an absolute path becomes a file:
 *   URI with no base.
 * - Columns are Unicode code points (run.columnKind), endColumn exclusive.
 * - A SARIF `fixes` entry needs artifact changes, which a finding does not
 *   have: the fix goes into message.text (after the message) and
 *   properties.fix. */
#include "config.h"
#include "diag/write_impl.h"
#include "util/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"

static void put_text(struct jw *j, const char *key, const char *text)
{
	jw_key(j, key);
	jw_open(j, '{');
	jw_key(j, "text");
	jw_str(j, text);
	jw_close(j, '}');
}

static const char *level_name(enum diag_severity s)
{
	return diag_severity_name(s);   /* "error", "warning", "note": SARIF's levels too */
}

/* RFC 3986: unreserved characters and '/' stay, every other byte is %XX. */
static void put_uri(struct strbuf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	if (path[0] == '/')
		strbuf_puts(b, "file://");
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p)) {
			strbuf_putc(b, (char)*p);
		} else {
			strbuf_putc(b, '%');
			strbuf_putc(b, hex[*p >> 4]);
			strbuf_putc(b, hex[*p & 15]);
		}
	}
}

/* The code-point column of byte column BYTE_COL (1-based) on LINE. */
static unsigned cp_column(const struct source_set *s, uint32_t file, unsigned line,
			  unsigned byte_col)
{
	size_t len;
	const char *text = source_line_text(s, file, line, &len);
	unsigned col = 1;
	for (size_t i = 0; i + 1 < byte_col && i < len; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			col++;
	return col + (byte_col - 1 > len ? (unsigned)(byte_col - 1 - len) : 0);
}

static void put_physical(struct jw *j, const struct source_set *s, struct tunc_loc loc)
{
	struct diag_span sp;
	diag_span_of(s, loc, &sp);
	struct strbuf uri = STRBUF_INIT;
	const char *path = source_path(s, loc);
	put_uri(&uri, path);

	jw_key(j, "physicalLocation");
	jw_open(j, '{');
	jw_key(j, "artifactLocation");
	jw_open(j, '{');
	jw_key(j, "uri");
	jw_str(j, strbuf_cstr(&uri));
	if (path[0] != '/') {
		jw_key(j, "uriBaseId");
		jw_str(j, "%SRCROOT%");
	}
	jw_close(j, '}');
	jw_key(j, "region");
	jw_open(j, '{');
	jw_key(j, "startLine");
	jw_uint(j, sp.line);
	jw_key(j, "startColumn");
	jw_uint(j, cp_column(s, loc.file, sp.line, sp.col));
	jw_key(j, "endLine");
	jw_uint(j, sp.end_line);
	jw_key(j, "endColumn");
	jw_uint(j, cp_column(s, loc.file, sp.end_line, sp.end_col + 1));
	jw_close(j, '}');
	jw_close(j, '}');
	strbuf_free(&uri);
}

static void put_rule(struct jw *j, const struct diag_rule *c)
{
	struct strbuf help = STRBUF_INIT;
	strbuf_printf(&help, "%s\n\nFix: %s", c->explanation, c->fix);
	if (c->example && *c->example)
		strbuf_printf(&help, "\n\nExample:\n%s", c->example);

	jw_open(j, '{');
	jw_key(j, "id");
	jw_str(j, c->name);
	put_text(j, "shortDescription", c->summary);
	put_text(j, "fullDescription", c->explanation);
	put_text(j, "help", strbuf_cstr(&help));
	jw_key(j, "defaultConfiguration");
	jw_open(j, '{');
	jw_key(j, "level");
	jw_str(j, level_name(c->severity));
	jw_close(j, '}');
	jw_key(j, "properties");
	jw_open(j, '{');
	jw_key(j, "seeds");
	jw_open(j, '[');
	for (const char *p = c->seeds; *p;) {
		size_t n = strcspn(p, ", ");
		if (n) {
			char num[16];
			snprintf(num, sizeof(num), "%.*s", (int)(n < 15 ? n : 15), p);
			jw_str(j, num);
		}
		p += n;
		p += strspn(p, ", ");
	}
	jw_close(j, ']');
	jw_key(j, "frontEnd");
	jw_bool(j, c->front_end);
	jw_close(j, '}');
	jw_close(j, '}');
	strbuf_free(&help);
}

/* FNV-1a, 64 bits: a stable fingerprint that survives line moves. */
static uint64_t fnv1a(uint64_t h, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ULL;
	}
	h ^= 0xff;                      /* field separator */
	return h * 0x100000001b3ULL;
}

static uint64_t finding_hash(const struct diag *d, const struct source_set *s,
			     struct strbuf *tmp)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	h = fnv1a(h, d->check);
	h = fnv1a(h, d->loc.file ? source_path(s, d->loc) : "");
	return fnv1a(h, diag_text_cstr(&d->message, tmp));
}

/* A finding's fingerprint: its hash and its rank among the findings
 * before it with the same hash. */
struct fingerprint {
	uint64_t hash;
	unsigned rank;
};

struct fp_order {
	uint64_t hash;
	size_t index;
};

static int fp_order_cmp(const void *x, const void *y)
{
	const struct fp_order *a = x, *b = y;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->index < b->index ? -1 : a->index > b->index;
}

/* Ranks by sorting (hash, index): each finding compared with every one
 * before it was quadratic (20,000 notes of a big hub). */
static void rank_fingerprints(struct fingerprint *fps, size_t n)
{
	struct fp_order *o = xmalloc((n + 1) * sizeof(*o));
	for (size_t i = 0; i < n; i++)
		o[i] = (struct fp_order){fps[i].hash, i};
	qsort(o, n, sizeof(*o), fp_order_cmp);
	for (size_t i = 0; i < n; i++)
		fps[o[i].index].rank = i > 0 && o[i - 1].hash == o[i].hash
				       ? fps[o[i - 1].index].rank + 1 : 0;
	free(o);
}

/* The index of the rule named NAME, or -1. */
static long rule_index(const struct diag_write_opts *o, const char *name)
{
	for (size_t i = 0; name && o->rules && i < o->n_rules; i++)
		if (strcmp(o->rules[i].name, name) == 0)
			return (long)i;
	return -1;
}

static void put_result(struct jw *j, const struct diag_list *diags, size_t index,
		       const struct source_set *s, const struct fingerprint *fps,
		       const struct diag_write_opts *opts)
{
	const struct diag *d = &diags->v[index];
	long rule = rule_index(opts, d->check);
	jw_open(j, '{');
	jw_key(j, "ruleId");
	jw_str(j, d->check ? d->check : "unknown");
	if (rule >= 0) {
		jw_key(j, "ruleIndex");
		jw_uint(j, (unsigned long)rule);
	}
	jw_key(j, "level");
	jw_str(j, level_name(d->severity));
	struct strbuf msg = STRBUF_INIT, tmp = STRBUF_INIT;
	diag_text_put(&msg, &d->message);
	if (d->fix.fmt) {
		strbuf_puts(&msg, "\nFix: ");
		diag_text_put(&msg, &d->fix);
	}
	put_text(j, "message", strbuf_cstr(&msg));

	jw_key(j, "locations");
	jw_open(j, '[');
	if (d->loc.file) {
		jw_open(j, '{');
		put_physical(j, s, d->loc);
		jw_close(j, '}');
	}
	jw_close(j, ']');

	if (d->n_related) {
		jw_key(j, "relatedLocations");
		jw_open(j, '[');
		for (size_t k = 0; k < d->n_related; k++) {
			jw_open(j, '{');
			jw_key(j, "id");
			jw_uint(j, (unsigned long)k + 1);
			if (d->related[k].loc.file)
				put_physical(j, s, d->related[k].loc);
			const char *m = diag_text_cstr(&d->related[k].message, &tmp);
			put_text(j, "message", m ? m : "");
			jw_close(j, '}');
		}
		jw_close(j, ']');
	}

	/* Identical findings are told apart by their rank among equals. */
	char fp[40];
	snprintf(fp, sizeof(fp), "%016llx:%u", (unsigned long long)fps[index].hash,
		 fps[index].rank);
	jw_key(j, "partialFingerprints");
	jw_open(j, '{');
	jw_key(j, "tuncFinding/v1");
	jw_str(j, fp);
	jw_close(j, '}');

	jw_key(j, "properties");
	jw_open(j, '{');
	jw_key(j, "gateways");
	jw_open(j, '[');
	for (size_t k = 0; k < d->n_gateways; k++)
		jw_str(j, d->gateways[k]);
	jw_close(j, ']');
	jw_key(j, "tunnel");
	jw_str(j, d->tunnel);
	jw_key(j, "fix");
	jw_str(j, diag_text_cstr(&d->fix, &tmp));
	jw_close(j, '}');
	jw_close(j, '}');
	strbuf_free(&msg);
	strbuf_free(&tmp);
}

void diag_write_sarif(struct strbuf *out, const struct diag_list *diags,
		      const struct source_set *sources, const struct diag_write_opts *opts)
{
	struct jw j;
	jw_init(&j, out, 1000);
	jw_open(&j, '{');
	jw_key(&j, "$schema");
	jw_str(&j, SARIF_SCHEMA);
	jw_key(&j, "version");
	jw_str(&j, "2.1.0");
	jw_key(&j, "runs");
	jw_open(&j, '[');
	jw_open(&j, '{');

	jw_key(&j, "tool");
	jw_open(&j, '{');
	jw_key(&j, "driver");
	jw_open(&j, '{');
	jw_key(&j, "name");
	jw_str(&j, "tunc");
	jw_key(&j, "version");
	jw_str(&j, PACKAGE_VERSION);
#ifdef PACKAGE_URL
	if (*PACKAGE_URL) {             /* AC_INIT's home page, when it has one */
		jw_key(&j, "informationUri");
		jw_str(&j, PACKAGE_URL);
	}
#endif
	jw_key(&j, "rules");
	jw_open(&j, '[');
	for (size_t i = 0; opts->rules && i < opts->n_rules; i++)
		put_rule(&j, &opts->rules[i]);
	jw_close(&j, ']');
	jw_close(&j, '}');
	jw_close(&j, '}');

	jw_key(&j, "originalUriBaseIds");
	jw_open(&j, '{');
	jw_key(&j, "%SRCROOT%");
	jw_open(&j, '{');
	put_text(&j, "description", "The directory tunc lint was run in.");
	jw_close(&j, '}');
	jw_close(&j, '}');
	jw_key(&j, "columnKind");
	jw_str(&j, "unicodeCodePoints");

	jw_key(&j, "results");
	jw_open(&j, '[');
	struct fingerprint *fps = xcalloc(diags->n + 1, sizeof(*fps));
	struct strbuf tmp = STRBUF_INIT;
	for (size_t i = 0; i < diags->n; i++)
		fps[i].hash = finding_hash(&diags->v[i], sources, &tmp);
	strbuf_free(&tmp);
	rank_fingerprints(fps, diags->n);
	for (size_t i = 0; i < diags->n; i++)
		put_result(&j, diags, i, sources, fps, opts);
	free(fps);
	jw_close(&j, ']');

	jw_close(&j, '}');
	jw_close(&j, ']');
	jw_close(&j, '}');
}
