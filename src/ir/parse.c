/* Driving the scanner and parser over files, and `include`. */
#include "config.h"
#include "grammar.h"
#include "ir/ir.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* From the generated scanner and parser. */
typedef void *yyscan_t;
int tunc_yylex_init_extra(struct scan_state *extra, yyscan_t *scanner);
int tunc_yylex_destroy(yyscan_t scanner);
int tunc_yyparse(void *scanner, struct parse_ctx *ctx);

/* Includes deeper than this are surely a mistake (the cycle check catches
 * true cycles; this bounds pathological chains). */
#define MAX_INCLUDE_DEPTH 32

bool grammar_parse(struct parse_ctx *ctx)
{
	const struct source_file *f = source_get(ctx->ir->sources, ctx->file);
	if (f->size > INT_MAX) {
		diag_front(ctx->diags, "io-error", LOC_NONE, "%s: file too large", f->path);
		return false;
	}
	if (memchr(f->text, '\0', f->size)) {
		uint32_t at = (uint32_t)((const char *)memchr(f->text, '\0', f->size) - f->text);
		diag_front(ctx->diags, "syntax", (struct tunc_loc){ctx->file, at, 1},
			   "NUL byte in the file: is this a text file?");
		return false;
	}
	struct scan_state st = {.file = ctx->file, .ctx = ctx, .text = f->text, .size = f->size};
	yyscan_t scanner;
	if (tunc_yylex_init_extra(&st, &scanner) != 0) {
		diag_front(ctx->diags, "io-error", LOC_NONE, "cannot start the scanner");
		return false;
	}
	size_t before = ctx->diags->n;
	int rc = tunc_yyparse(scanner, ctx);
	syntax_error_flush(ctx);        /* one held back to the end (grammar/syntax_error.c) */
	tunc_yylex_destroy(scanner);
	if (rc != 0 && ctx->diags->n == before)
		diag_front(ctx->diags, "syntax", LOC_NONE, "%s: the parser gave up", f->path);
	for (size_t i = before; i < ctx->diags->n; i++)
		if (ctx->diags->v[i].front_end)
			return false;
	return rc == 0;
}

static char *dir_of(const char *path)
{
	char *copy = xstrdup(path);
	char *d = xstrdup(dirname(copy));
	free(copy);
	return d;
}

void grammar_include(struct parse_ctx *ctx, const char *path, struct tunc_loc loc)
{
	if (!ctx->allow_include) {
		diag_front(ctx->diags, "include-error", loc, "include is not available here");
		return;
	}
	unsigned depth = 0;
	for (struct parse_ctx *p = ctx; p; p = p->parent)
		depth++;
	if (depth > MAX_INCLUDE_DEPTH) {
		diag_front(ctx->diags, "include-error", loc, "includes nest deeper than %d files",
			   MAX_INCLUDE_DEPTH);
		return;
	}
	char *full;
	if (path[0] == '/' || strcmp(ctx->dir, ".") == 0)
		full = xstrdup(path);
	else {
		size_t n = strlen(ctx->dir) + strlen(path) + 2;
		full = xmalloc(n);
		snprintf(full, n, "%s/%s", ctx->dir, path);
	}
	/* The totals were exceeded further up: said once, at that include. */
	if (ctx->ir->sources->over_budget) {
		free(full);
		return;
	}
	/* A cycle: the file is already being parsed further up (compared by
	 * identity on disk: one stat, not a realpath per level). */
	struct stat st;
	for (struct parse_ctx *p = ctx; p && stat(full, &st) == 0; p = p->parent) {
		const struct source_file *pf = source_get(ctx->ir->sources, p->file);
		if (pf->ino != (uint64_t)st.st_ino || pf->dev != (uint64_t)st.st_dev)
			continue;
		struct diag *d = diag_front(ctx->diags, "include-error", loc,
					    "include cycle: '%s' is already being read", path);
		for (struct parse_ctx *q = ctx; q && q->parent; q = q->parent) {
			const struct source_file *f = source_get(ctx->ir->sources, q->file);
			diag_related(d, f->included_from, "'%s' is included here", f->path);
		}
		free(full);
		return;
	}
	uint32_t file = source_load(ctx->ir->sources, full, loc);
	if (!file) {
		diag_front(ctx->diags, "include-error", loc, "cannot read '%s': %s", full,
			   ctx->ir->sources->error);
		free(full);
		return;
	}
	char *dir = dir_of(full);
	struct parse_ctx child = {
		.ir = ctx->ir, .diags = ctx->diags, .file = file, .dir = dir,
		.parent = ctx, .allow_include = true,
	};
	grammar_parse(&child);
	free(dir);
	free(full);
}

void ir_init(struct ir *ir, struct source_set *sources)
{
	memset(ir, 0, sizeof(*ir));
	arena_init(&ir->arena);
	ir->sources = sources;
	symtab_init(&ir->ike_names);
	symtab_init(&ir->ipsec_names);
	symtab_init(&ir->site_names);
	symtab_init(&ir->gateway_names);
	symtab_init(&ir->host_names);
	symtab_init(&ir->tunnel_names);
}

void ir_free(struct ir *ir)
{
	symtab_free(&ir->ike_names);
	symtab_free(&ir->ipsec_names);
	symtab_free(&ir->site_names);
	symtab_free(&ir->gateway_names);
	symtab_free(&ir->host_names);
	symtab_free(&ir->tunnel_names);
	free(ir->sites.v);
	free(ir->gateways.v);
	free(ir->hosts.v);
	free(ir->tunnels.v);
	free(ir->expects.v);
	arena_free(&ir->arena);
}

bool ir_parse_file(struct ir *ir, const char *path, struct diag_list *diags)
{
	uint32_t file = source_load(ir->sources, path, LOC_NONE);
	if (!file) {
		diag_front(diags, "io-error", LOC_NONE, "cannot read '%s': %s", path,
			   ir->sources->error);
		return false;
	}
	char *dir = dir_of(path);
	struct parse_ctx ctx = {
		.ir = ir, .diags = diags, .file = file, .dir = dir, .allow_include = true,
	};
	size_t before = diags->n;
	grammar_parse(&ctx);
	free(dir);
	/* Nothing reads the text of the file and its includes after their
	 * parse but the excerpts of the findings, which read their lines back:
	 * a 100,000-spoke hub's 30 MB would otherwise stay through the checks,
	 * where the memory peaks. */
	source_release(ir->sources, file);
	for (size_t i = before; i < diags->n; i++)
		if (diags->v[i].front_end)
			return false;
	return true;
}

bool ir_parse_buffer(struct ir *ir, const char *name, const char *text,
		     size_t size, struct diag_list *diags)
{
	uint32_t file = source_add_buffer(ir->sources, name, text, size);
	struct parse_ctx ctx = {.ir = ir, .diags = diags, .file = file, .dir = "."};
	size_t before = diags->n;
	grammar_parse(&ctx);
	for (size_t i = before; i < diags->n; i++)
		if (diags->v[i].front_end)
			return false;
	return true;
}

/* After parsing (OK: no front-end error since diagnostic BEFORE): resolve. */
static bool resolve_after_parse(struct ir *ir, struct diag_list *diags, size_t before, bool ok)
{
	/* Value errors (host bits, unknown algorithms) still leave a whole IR,
	 * so names are resolved too and one run reports both kinds.  After a
	 * syntax error statements are missing, and resolving would only add
	 * "undefined name" noise for what the parser skipped. */
	for (size_t i = before; i < diags->n; i++)
		if (strcmp(diags->v[i].check, "syntax") == 0 ||
		    strcmp(diags->v[i].check, "io-error") == 0 ||
		    strcmp(diags->v[i].check, "include-error") == 0)
			return false;
	bool resolved = ir_resolve(ir, diags);
	return ok && resolved;
}

bool ir_load_file(struct ir *ir, const char *path, struct diag_list *diags)
{
	size_t before = diags->n;
	return resolve_after_parse(ir, diags, before, ir_parse_file(ir, path, diags));
}

bool ir_load_buffer(struct ir *ir, const char *name, const char *text, size_t size,
		    struct diag_list *diags)
{
	size_t before = diags->n;
	return resolve_after_parse(ir, diags, before,
				   ir_parse_buffer(ir, name, text, size, diags));
}
