/* Wording syntax errors.  The parser repairs two slips itself: a missing
 * ';' (its `semi: error` rule inserts one) and a missing '}' (a block closes
 * where the next top-level statement or the end of the file begins).  A
 * missing ';' is only known to be one after the parser has tried the
 * insertion and read on, so such an error is held here until then: worded
 * "expected ';' after '14'" at the end of the token it should follow when
 * the repair worked, else "unexpected X, expected ..." at the token. */
#include "config.h"
#include "grammar.h"

#include <string.h>

static void emit(struct parse_ctx *ctx, struct tunc_loc loc, const char *message, const char *fix)
{
	struct diag *d = diag_front(ctx->diags, "syntax", loc, "%s", message);
	if (fix)
		diag_fix(d, "%s", fix);
	ctx->errors++;
}

/* "'14'", or "the string": a string may hold a pre-shared key. */
static void emit_missing_semicolon(struct parse_ctx *ctx, const struct held_error *h)
{
	const struct source_file *f = source_get(ctx->ir->sources, h->after.file);
	const char *text = f->text + h->after.offset;
	struct tunc_loc end = {h->after.file, h->after.offset + h->after.length, 0};
	struct diag *d;
	if (h->after.length && text[0] == '"')
		d = diag_front(ctx->diags, "syntax", end, "expected ';' after the string");
	else
		d = diag_front(ctx->diags, "syntax", end, "expected ';' after '%.*s'",
			       (int)h->after.length, text);
	diag_fix(d, "a statement ends with ';'");
	ctx->errors++;
}

void syntax_error_flush(struct parse_ctx *ctx)
{
	struct held_error h = ctx->held;
	if (!h.active)
		return;
	ctx->held.active = false;
	if (h.repaired)
		emit_missing_semicolon(ctx, &h);
	else
		emit(ctx, h.at, h.message, h.fix);
}

void syntax_error_report(struct parse_ctx *ctx, struct tunc_loc at, const char *message,
			 const char *fix, bool semicolon_fits)
{
	struct held_error *h = &ctx->held;
	if (h->active && h->repaired && h->at.offset == at.offset && h->at.file == at.file) {
		/* The inserted ';' did not help: the same token is still wrong,
		 * so the first wording stands and this error is the same one. */
		h->repaired = false;
		syntax_error_flush(ctx);
		return;
	}
	syntax_error_flush(ctx);
	if (!semicolon_fits || !ctx->token_before.length) {
		emit(ctx, at, message, fix);
		return;
	}
	*h = (struct held_error){
		.active = true, .at = at, .after = ctx->token_before,
		.message = arena_strdup(&ctx->ir->arena, message),
		.fix = fix ? arena_strdup(&ctx->ir->arena, fix) : NULL,
	};
}

void syntax_error_repaired(struct parse_ctx *ctx)
{
	if (ctx->held.active)
		ctx->held.repaired = true;
}

void syntax_error_next_token(struct parse_ctx *ctx)
{
	if (ctx->held.active && ctx->held.repaired)
		syntax_error_flush(ctx);
}

void syntax_error_unclosed(struct parse_ctx *ctx, const char *kind, const char *name,
			   struct tunc_loc open, struct tunc_loc next)
{
	syntax_error_flush(ctx);
	/* The '}' is there, inside a string left open on its line: that
	 * error is already reported, and this would be the same one. */
	if (ctx->swallowed_brace.length && ctx->swallowed_brace.offset > open.offset)
		return;
	struct diag *d = name ? diag_front(ctx->diags, "syntax", open,
					   "%s '%s' is not closed: this '{' has no matching '}'",
					   kind, name)
			      : diag_front(ctx->diags, "syntax", open,
					   "the %s block is not closed: this '{' has no matching '}'",
					   kind);
	const struct source_file *f = source_get(ctx->ir->sources, next.file);
	if (next.offset >= f->size)
		diag_related(d, next, "the file ends here");
	else
		diag_related(d, next, "the next statement begins here");
	diag_fix(d, "add '}' where the block ends");
	ctx->errors++;
}
