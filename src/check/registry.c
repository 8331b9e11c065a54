/* Looking checks up, choosing which run, running them and reporting their
 * findings.  The table itself is in check_table.c. */
#include "config.h"
#include "check/check.h"
#include "check/util.h"
#include "util/arena.h"
#include "util/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct check_info *check_find(const char *name)
{
	for (size_t i = 0; i < check_count; i++)
		if (strcmp(check_table[i].name, name) == 0)
			return &check_table[i];
	return NULL;
}

struct diag_rule *check_rules_new(const bool *ran)
{
	struct diag_rule *r = xcalloc(check_count + 1, sizeof(*r));
	for (size_t i = 0; i < check_count; i++) {
		const struct check_info *c = &check_table[i];
		r[i] = (struct diag_rule){
			.name = c->name, .summary = c->summary, .explanation = c->explanation,
			.seeds = c->seeds, .example = c->example, .fix = c->fix,
			.severity = c->severity, .front_end = c->front_end,
			.ran = ran ? ran[i] : true,
		};
	}
	return r;
}

/* Levenshtein distance, capped: names are short, so two rows suffice. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t prev[65], cur[65];
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

const struct check_info *check_nearest(const char *name)
{
	const struct check_info *best = NULL;
	size_t best_d = (size_t)-1;
	for (size_t i = 0; i < check_count; i++) {
		size_t d = edit_distance(name, check_table[i].name);
		if (d < best_d) {
			best_d = d;
			best = &check_table[i];
		}
	}
	/* A typo, not a different word: at most a third of the name changed. */
	size_t len = strlen(name);
	return best && best_d > 0 && best_d <= (len < 6 ? 1 : len / 3) ? best : NULL;
}

void check_options_init(struct check_options *o)
{
	o->enabled = xcalloc(check_count, sizeof(bool));
	for (size_t i = 0; i < check_count; i++)
		o->enabled[i] = true;
	o->werror = false;
}

void check_options_free(struct check_options *o)
{
	free(o->enabled);
	o->enabled = NULL;
}

bool check_options_set(struct check_options *o, const char *name, bool enable)
{
	const struct check_info *c = check_find(name);
	if (!c)
		return false;
	/* Front-end diagnostics always run: the policy means nothing without them. */
	if (c->front_end || c->reader)
		return enable;
	o->enabled[c - check_table] = enable;
	return true;
}

void checks_run(const struct ir *ir, const struct model *model,
		const struct check_options *o, struct diag_list *diags)
{
	/* -Werror: a warning fails the run, and is shown as the error it now is,
	 * as GCC does (made so as it is added: a list that keeps only the
	 * first few of a kind counts findings by their severity). */
	bool werror_before = diags->warnings_as_errors;
	if (o && o->werror)
		diags->warnings_as_errors = true;
	struct check_cache cache = {0};
	struct check_ctx ctx = {.ir = ir, .model = model, .diags = diags, .cache = &cache};
	for (size_t i = 0; i < check_count; i++) {
		if (!check_table[i].run || (o && !o->enabled[i]))
			continue;
		ctx.current = &check_table[i];
		check_table[i].run(&ctx);
		ck_cache_release(&cache, o, i);
	}
	/* One note for the key checks that could not read a key. */
	const struct check_info *unread = check_find("keys-unread");
	if (unread && (!o || o->enabled[unread - check_table])) {
		ctx.current = unread;
		ck_report_key_skips(&ctx);
	}
	ck_cache_free(&cache);
	diags->warnings_as_errors = werror_before;
}

__attribute__((format(printf, 4, 0)))
static struct diag *vreport(struct check_ctx *ctx, enum diag_severity sev,
			    struct tunc_loc loc, const char *fmt, va_list ap)
{
	const char *name = ctx->current ? ctx->current->name : "unknown";
	/* Kept as data, formatted when written (src/diag/text.c); the
	 * check's own format tells its kinds of finding apart (diag.message.fmt). */
	return diag_vadd(ctx->diags, sev, name, loc, fmt, ap);
}

struct diag *check_report(struct check_ctx *ctx, struct tunc_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	enum diag_severity sev = ctx->current ? ctx->current->severity : DIAG_ERROR;
	struct diag *d = vreport(ctx, sev, loc, fmt, ap);
	va_end(ap);
	return d;
}

struct diag *check_report_sev(struct check_ctx *ctx, enum diag_severity sev,
			      struct tunc_loc loc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct diag *d = vreport(ctx, sev, loc, fmt, ap);
	va_end(ap);
	return d;
}
