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

#include "util/strbuf.h"

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

/* The indentation of the line holding OFFSET (a tab to the next multiple
 * of 8), and whether only blanks precede OFFSET on it. */
static unsigned indentation(const struct parse_ctx *ctx, struct tunc_loc loc, bool *first)
{
	const struct source_file *f = source_get(ctx->ir->sources, loc.file);
	uint32_t start = loc.offset;
	while (start > 0 && f->text[start - 1] != '\n')
		start--;
	unsigned width = 0;
	uint32_t i = start;
	for (; i < loc.offset && (f->text[i] == ' ' || f->text[i] == '\t'); i++)
		width = f->text[i] == '\t' ? (width / 8 + 1) * 8 : width + 1;
	if (first)
		*first = i == loc.offset;
	while (i < f->size && (f->text[i] == ' ' || f->text[i] == '\t'))
		i++;
	return width;
}

/* Brace counting says BLOCK is open; indentation may say which block lost
 * its '}': when the last block closed inside it (CHILD) opens indented
 * deeper but its '}' stands alone at BLOCK's own indentation, that '}' was
 * written for BLOCK, and CHILD's is the one missing. */
static bool child_lost_brace(const struct parse_ctx *ctx, const struct block_mark *block,
			     const struct block_mark *child)
{
	if (!child->kind || child->open.offset <= block->open.offset ||
	    child->open.file != block->open.file)
		return false;
	bool alone;
	unsigned outer = indentation(ctx, block->open, NULL);
	unsigned inner = indentation(ctx, child->open, NULL);
	unsigned brace = indentation(ctx, child->close, &alone);
	return alone && inner > outer && brace == outer;
}

static void describe(struct strbuf *b, const struct block_mark *m)
{
	if (m->name)
		strbuf_printf(b, "%s '%s'", m->kind, m->name);
	else
		strbuf_printf(b, "the %s block", m->kind);
}

/* BLOCK, or the block inside it whose '}' was taken for its parent's; its
 * parent is *OUTER. */
static const struct block_mark *lost_brace(const struct parse_ctx *ctx, unsigned depth,
					   const struct block_mark *block,
					   const struct block_mark **outer)
{
	const struct block_mark *lost = block;
	*outer = NULL;
	for (unsigned k = depth + 1; k < MAX_MARKED_DEPTH; k++) {
		const struct block_mark *c = &ctx->last_closed[k];
		if (!child_lost_brace(ctx, lost, c) ||
		    (lost != block && c->close.offset > lost->close.offset))
			break;
		*outer = lost;
		lost = c;
	}
	return lost;
}

static void report_unclosed(struct parse_ctx *ctx, unsigned depth, const struct block_mark *block)
{
	/* The '}' is there, inside a string left open on its line: that
	 * error is already reported, and this would be the same one. */
	if (ctx->swallowed_brace.length && ctx->swallowed_brace.offset > block->open.offset)
		return;
	const struct block_mark *parent;
	const struct block_mark *lost = lost_brace(ctx, depth, block, &parent);
	struct strbuf what = STRBUF_INIT, outer = STRBUF_INIT;
	describe(&what, lost);
	struct diag *d = diag_front(ctx->diags, "syntax", lost->open,
				    "%s is not closed: this '{' has no matching '}'",
				    strbuf_cstr(&what));
	if (parent) {
		describe(&outer, parent);
		diag_related(d, lost->close, "this '}', indented as %s, is taken as its end",
			     strbuf_cstr(&outer));
	}
	struct tunc_loc next = ctx->implied_close_at;
	const struct source_file *f = source_get(ctx->ir->sources, next.file);
	if (next.offset >= f->size)
		diag_related(d, next, "the file ends here");
	else
		diag_related(d, next, "the next statement begins here");
	diag_fix(d, "add '}' where the block ends");
	ctx->errors++;
	strbuf_free(&what);
	strbuf_free(&outer);
}

void syntax_block_open(struct parse_ctx *ctx, const char *kind, const char *name,
		       struct tunc_loc open)
{
	if (ctx->depth < MAX_MARKED_DEPTH)
		ctx->open_blocks[ctx->depth] = (struct block_mark){kind, name, open, LOC_NONE};
	ctx->depth++;
}

void syntax_block_close(struct parse_ctx *ctx, bool closed, struct tunc_loc close)
{
	if (ctx->depth == 0)
		return;
	unsigned d = --ctx->depth;
	if (d >= MAX_MARKED_DEPTH)
		return;
	struct block_mark *block = &ctx->open_blocks[d];
	if (closed) {
		block->close = close;
		ctx->last_closed[d] = *block;
		return;
	}
	syntax_error_flush(ctx);
	report_unclosed(ctx, d, block);
}
