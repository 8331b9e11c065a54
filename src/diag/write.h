/* Writers of a diagnostic list: text (GCC/Clang form), JSON, SARIF 2.1.0 and
 * JUnit XML, all as CLI.md describes them. */
#ifndef TUNC_DIAG_WRITE_H
#define TUNC_DIAG_WRITE_H

#include <stdbool.h>

#include "diag/diag.h"
#include "util/strbuf.h"

enum diag_format { DIAG_FORMAT_TEXT, DIAG_FORMAT_JSON, DIAG_FORMAT_SARIF, DIAG_FORMAT_JUNIT };

/* A rule (a check) as SARIF and JUnit describe it.  The writers know no
 * registry: the caller passes the rules in (src/check: check_rules_new). */
struct diag_rule {
	const char *name;               /* the finding's check name */
	const char *summary, *explanation, *seeds, *example, *fix;
	enum diag_severity severity;    /* default severity */
	bool front_end;                 /* parse/resolve diagnostic */
	bool ran;                       /* junit: a testcase even without findings */
};

struct diag_write_opts {
	bool color;                     /* ANSI colour (text only) */
	bool summary;                   /* text: the "2 errors, 1 warning" line */
	/* sarif: the run's rules (ruleIndex points into them); junit: one
	 * testcase per rule that ran or reported, in order.  NULL: no rules,
	 * only the names the findings carry. */
	const struct diag_rule *rules;
	size_t n_rules;
	/* text and json: called between findings once OUT holds
	 * DIAG_FLUSH_SIZE bytes, to write them out and empty OUT (a report
	 * streamed to standard output needs no room for all of it); NULL:
	 * OUT gets the whole report. */
	void (*flush)(struct strbuf *out, void *arg);
	void *flush_arg;
	/* text: when one check reports more than REPEAT_LIMIT + 1 findings of
	 * one kind (diag.message.fmt, one severity), only the first REPEAT_LIMIT are
	 * shown, then a line counting the rest and naming REPEAT_HINT (the
	 * command that shows every one); 0: every finding is shown. */
	size_t repeat_limit;
	const char *repeat_hint;
};

#define DIAG_FLUSH_SIZE (64 * 1024)

bool diag_format_lookup(const char *name, enum diag_format *out);
/* Writes the whole list (already sorted) in FORMAT. */
void diag_write(struct strbuf *out, enum diag_format format, const struct diag_list *diags,
		const struct source_set *sources, const struct diag_write_opts *opts);
/* Colour for a stream: a terminal and NO_COLOR unset (or empty). */
bool diag_use_color(int fd);

#endif
