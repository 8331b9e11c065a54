/* Front-end errors on standard error, for the commands other than lint. */
#include "config.h"
#include "cli/cli.h"
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
