#include "config.h"
#include "cli/load.h"
#include "diag/write.h"
#include "ir/psk.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

bool policy_load(struct policy *p, const char *path)
{
	source_set_init(&p->sources);
	ir_init(&p->ir, &p->sources);
	diag_list_init(&p->diags);
	p->model = NULL;
	/* An engine.xml given where the .tun belongs would only meet a
	 * cascade of syntax errors. */
	size_t n = strlen(path);
	if (n > 4 && strcmp(path + n - 4, ".xml") == 0) {
		diag_front(&p->diags, "io-error", LOC_NONE,
			   "'%s' is an engine model: only 'tunc run' reads it; give the .tun file",
			   path);
		return false;
	}
	if (!ir_load_file(&p->ir, path, &p->diags))
		return false;
	p->model = model_build(&p->ir);
	return p->model != NULL;
}

static bool same_psk(const struct ir_psk *a, const struct ir_psk *b)
{
	return a->source == b->source && a->loc.file == b->loc.file &&
	       a->loc.offset == b->loc.offset;
}

bool policy_check_keys(struct policy *p)
{
	bool ok = true;
	for (size_t t = 0; t < p->ir.tunnels.n; t++) {
		const struct ir_tunnel *tun = p->ir.tunnels.v[t];
		/* A tunnel-level key is both ends' key: report it once. */
		bool shared = same_psk(&tun->end[0].psk, &tun->end[1].psk);
		for (int i = 0; i < (shared ? 1 : 2); i++) {
			const struct ir_psk *psk = &tun->end[i].psk;
			if (psk->source != PSK_FILE && psk->source != PSK_ENV)
				continue;
			struct secret key;
			char err[512];
			if (psk_load(&p->sources, psk, &key, err, sizeof(err))) {
				secret_free(&key);
				continue;
			}
			if (shared)
				diag_front(&p->diags, "io-error", psk->loc,
					   "cannot use the pre-shared key of tunnel %s: %s", tun->name, err);
			else
				diag_front(&p->diags, "io-error", psk->loc,
					   "cannot use the pre-shared key of tunnel %s for %s: %s",
					   tun->name,
					   tun->end[i].gw.name ? tun->end[i].gw.name : "?", err);
			ok = false;
		}
	}
	return ok;
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
