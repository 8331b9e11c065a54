/* The JSON form (CLI.md): one document, one finding a line.
 *
 * {"version":1,"findings":[{"check","severity","file","line","column",
 *   "end_line","end_column","message","gateways":[...],"tunnel","fix",
 *   "related":[{"file","line","column","message"}]}],
 *  "summary":{"errors","warnings","notes"}}
 *
 * Columns count bytes, end_line/end_column name the last character covered
 * (inclusive), and a finding without a location has null for all five. */
#include "config.h"
#include "diag/write_impl.h"

static void put_position(struct jw *j, const struct source_set *s, struct tunc_loc loc,
			 bool with_end)
{
	struct diag_span sp;
	diag_span_of(s, loc, &sp);
	jw_key(j, "file");
	if (sp.known)
		jw_str(j, source_path(s, loc));
	else
		jw_null(j);
	unsigned v[4] = {sp.line, sp.col, sp.end_line, sp.end_col};
	static const char *const keys[4] = {"line", "column", "end_line", "end_column"};
	for (int i = 0; i < (with_end ? 4 : 2); i++) {
		jw_key(j, keys[i]);
		if (sp.known)
			jw_uint(j, v[i]);
		else
			jw_null(j);
	}
}

void diag_write_json(struct strbuf *out, const struct diag_list *diags,
		     const struct source_set *sources, const struct diag_write_opts *opts)
{
	struct jw j;
	jw_init(&j, out, 2);
	jw_open(&j, '{');
	jw_key(&j, "version");
	jw_uint(&j, 1);
	jw_key(&j, "findings");
	jw_open(&j, '[');
	struct strbuf tmp = STRBUF_INIT;
	for (size_t i = 0; i < diags->n; i++) {
		const struct diag *d = &diags->v[i];
		jw_open(&j, '{');
		jw_key(&j, "check");
		jw_str(&j, d->check);
		jw_key(&j, "severity");
		jw_str(&j, diag_severity_name(d->severity));
		put_position(&j, sources, d->loc, true);
		jw_key(&j, "message");
		const char *msg = diag_text_cstr(&d->message, &tmp);
		jw_str(&j, msg ? msg : "");
		jw_key(&j, "gateways");
		jw_open(&j, '[');
		for (size_t k = 0; k < d->n_gateways; k++)
			jw_str(&j, d->gateways[k]);
		jw_close(&j, ']');
		jw_key(&j, "tunnel");
		jw_str(&j, d->tunnel);
		jw_key(&j, "fix");
		jw_str(&j, diag_text_cstr(&d->fix, &tmp));
		jw_key(&j, "related");
		jw_open(&j, '[');
		for (size_t k = 0; k < d->n_related; k++) {
			jw_open(&j, '{');
			put_position(&j, sources, d->related[k].loc, false);
			jw_key(&j, "message");
			msg = diag_text_cstr(&d->related[k].message, &tmp);
			jw_str(&j, msg ? msg : "");
			jw_close(&j, '}');
		}
		jw_close(&j, ']');
		jw_close(&j, '}');
		diag_flush_point(out, opts);
	}
	strbuf_free(&tmp);
	jw_close(&j, ']');
	struct diag_counts c;
	diag_count_all(diags, &c);
	jw_key(&j, "summary");
	jw_open(&j, '{');
	jw_key(&j, "errors");
	jw_uint(&j, c.errors);
	jw_key(&j, "warnings");
	jw_uint(&j, c.warnings);
	jw_key(&j, "notes");
	jw_uint(&j, c.notes);
	jw_close(&j, '}');
	jw_close(&j, '}');
}
