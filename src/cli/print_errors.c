/* What the commands other than lint say on standard error about a policy:
 * its front-end errors, and how many errors lint would report. */
#include "config.h"
#include "cli/cli.h"
#include "check/check.h"
#include "diag/write.h"

#include <stdio.h>
#include <unistd.h>

void policy_print_errors(struct policy *p)
{
	struct strbuf out = STRBUF_INIT;
	struct diag_write_opts opts = {.color = diag_use_color(STDERR_FILENO), .summary = true};
	diag_sort(&p->diags);
	diag_write(&out, DIAG_FORMAT_TEXT, &p->diags, &p->sources, &opts);
	fputs(strbuf_cstr(&out), stderr);
	strbuf_free(&out);
}

void cli_note_lint_errors(const struct policy *p, const char *file)
{
	struct diag_list findings;
	diag_list_init(&findings);
	checks_run(&p->ir, p->model, NULL, &findings);
	size_t errors = diag_count(&findings, DIAG_ERROR);
	diag_list_free(&findings);
	if (errors)
		fprintf(stderr, "tunc: note: lint reports %zu error%s in this policy (see "
			"'tunc lint %s'); running anyway\n", errors, errors == 1 ? "" : "s", file);
}
