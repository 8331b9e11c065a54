/* Loading device configurations (src/import) as a policy: the same stages
 * as policy_load, with the readers in place of the .tun parser. */
#include "config.h"
#include "policy/policy_import.h"
#include "import/import.h"

#include <string.h>

static bool finish(struct policy *p, bool imported, enum policy_stage upto)
{
	if (!imported || upto == POLICY_PARSED)
		return imported;
	if (!ir_resolve(&p->ir, &p->diags))
		return false;
	return upto == POLICY_RESOLVED || policy_build_model(p);
}

bool policy_import(struct policy *p, const char *const *paths, size_t n, const char *from,
		   enum policy_stage upto)
{
	policy_init(p);
	return finish(p, import_files(&p->ir, paths, n, from, &p->diags), upto);
}

bool policy_import_buffer(struct policy *p, const char *name, const char *text, size_t len,
			  const char *from)
{
	policy_init(p);
	return finish(p, import_buffer(&p->ir, name, text, len, from, &p->diags), POLICY_MODELLED);
}

const char *policy_files_tun(const char *const *files, size_t n)
{
	for (size_t i = 0; n > 1 && i < n; i++) {
		size_t len = strlen(files[i]);
		if (len >= 4 && strcmp(files[i] + len - 4, ".tun") == 0)
			return files[i];
	}
	return NULL;
}

bool policy_load_files(struct policy *p, const char *const *files, size_t n, const char *from)
{
	if (from || n > 1 || import_is_config(files[0]))
		return policy_import(p, files, n, from, POLICY_MODELLED);
	return policy_load(p, files[0]);
}
