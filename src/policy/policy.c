/* Loading a policy: the front end's stages in order (policy.h). */
#include "config.h"
#include "policy/policy.h"
#include "ir/psk.h"

#include <string.h>

void policy_init(struct policy *p)
{
	source_set_init(&p->sources);
	ir_init(&p->ir, &p->sources);
	diag_list_init(&p->diags);
	p->model = NULL;
}

bool policy_build_model(struct policy *p)
{
	p->model = model_build(&p->ir);
	return p->model != NULL;
}

bool policy_load(struct policy *p, const char *path)
{
	policy_init(p);
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
	return policy_build_model(p);
}

bool policy_load_buffer(struct policy *p, const char *name, const char *text, size_t len,
			enum policy_stage upto)
{
	policy_init(p);
	if (upto == POLICY_PARSED)
		return ir_parse_buffer(&p->ir, name, text, len, &p->diags);
	if (!ir_load_buffer(&p->ir, name, text, len, &p->diags))
		return false;
	return upto == POLICY_RESOLVED || policy_build_model(p);
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
		bool shared = same_psk(ir_end_psk(&tun->end[0]), ir_end_psk(&tun->end[1]));
		for (int i = 0; i < (shared ? 1 : 2); i++) {
			const struct ir_psk *psk = ir_end_psk(&tun->end[i]);
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
