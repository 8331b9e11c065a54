/* The check registry: one table (check_table.c) from which `-W NAME`,
 * `-Wno-NAME`, `tunc explain`, the SARIF rules, the JUnit testcases and the
 * documentation all come. */
#ifndef TUNC_CHECK_H
#define TUNC_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "diag/diag.h"
#include "diag/write.h"
#include "ir/ir.h"
#include "model/model.h"

struct check_ctx;
typedef void (*check_fn)(struct check_ctx *ctx);

struct check_info {
	const char *name;               /* stable: "selector-mirror" */
	enum diag_severity severity;    /* default severity */
	const char *summary;            /* one line */
	const char *explanation;        /* the rationale, for explain and SARIF help */
	const char *seeds;              /* "003, 001" or "" */
	const char *example;            /* a .tun fragment that triggers it */
	const char *fix;                /* how to fix it, in general */
	check_fn run;                   /* NULL for front-end diagnostics (syntax, ...) */
	bool front_end;                 /* parse/resolve diagnostic: cannot be disabled */
	bool reader;                    /* reported while reading configurations (src/import):
					 * cannot be disabled either, not an error of itself */
	/* Reads ck_peer_route's answers from the run's cache: they are freed
	 * once the last check that does has run (ck_cache_release), and a
	 * check not marked so looks its routes up afresh. */
	bool reads_peer_routes;
};

extern const struct check_info check_table[];
extern const size_t check_count;
const struct check_info *check_find(const char *name);
/* The title of seed document NUMBER ("003"), or NULL (../seeds/README.md). */
const char *check_seed_title(const char *number);
/* The check whose name is closest to NAME (a typo), or NULL. */
const struct check_info *check_nearest(const char *name);

/* The registry as the diagnostic writers describe rules (SARIF rules,
 * JUnit testcases): check_count entries in registry order, RAN[i] copied
 * to .ran (NULL: every entry ran).  Free with free(). */
struct diag_rule *check_rules_new(const bool *ran);

/* Which checks run and how their findings are reported. */
struct check_options {
	bool *enabled;                  /* check_count flags */
	bool werror;
};

void check_options_init(struct check_options *o);
void check_options_free(struct check_options *o);
/* "-W NAME" (enable=true) or "-Wno-NAME"; false when NAME is unknown. */
bool check_options_set(struct check_options *o, const char *name, bool enable);

struct check_cache;

struct check_ctx {
	const struct ir *ir;
	const struct model *model;
	struct diag_list *diags;
	const struct check_info *current;
	/* What checks_run builds once for all checks (check/util.h); NULL:
	 * each check builds its own. */
	struct check_cache *cache;
};

/* Runs every enabled check on a resolved IR and its model. */
void checks_run(const struct ir *ir, const struct model *model,
		const struct check_options *o, struct diag_list *diags);

/* For check functions: a finding of the current check at its default severity. */
struct diag *check_report(struct check_ctx *ctx, struct tunc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same at an explicit severity (checks whose severity depends on the case). */
struct diag *check_report_sev(struct check_ctx *ctx, enum diag_severity sev,
			      struct tunc_loc loc, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
