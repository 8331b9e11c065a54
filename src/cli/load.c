#include "config.h"
#include "cli/load.h"
#include "diag/write.h"

#include <stdio.h>
#include <unistd.h>

bool policy_load(struct policy *p, const char *path)
{
	source_set_init(&p->sources);
	ir_init(&p->ir, &p->sources);
	diag_list_init(&p->diags);
	p->model = NULL;
	if (!ir_load_file(&p->ir, path, &p->diags))
		return false;
	p->model = model_build(&p->ir);
	return p->model != NULL;
}

void policy_free(struct policy *p)
{
	if (p->model)
		model_free(p->model);
	ir_free(&p->ir);
	diag_list_free(&p->diags);
	source_set_free(&p->sources);
}

void policy_print_errors(struct policy *p)
{
	struct strbuf out = STRBUF_INIT;
	struct diag_write_opts opts = {.color = diag_use_color(STDERR_FILENO), .summary = true};
	diag_sort(&p->diags);
	diag_write(&out, DIAG_FORMAT_TEXT, &p->diags, &p->sources, &opts);
	fputs(strbuf_cstr(&out), stderr);
	strbuf_free(&out);
}
