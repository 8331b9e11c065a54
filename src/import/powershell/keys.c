/* The key file tunc's PowerShell script reads from its own directory
 * (`Join-Path $PSScriptRoot 'GW.keys'`): one line per tunnel, NAME KEY
 * (emit/emit_powershell.c).  The reader loads it from beside the script,
 * as the script does; a key file given on the command line beside the
 * script that names it is that same file (powershell_keys_named). */
#include "config.h"
#include "import/powershell/ps.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>

bool ps_keys_load(struct imp_read *r, const char *name, struct tunc_loc from, ps_key_vec *keys)
{
	if (!*name || strpbrk(name, "/\\") || strcmp(name, "..") == 0) {
		diag_add(r->diags, DIAG_NOTE, "not-modelled", from, "the script reads its keys "
			 "from '%s', not from a file beside it: tunc reads only a key file beside "
			 "the script, so the tunnels' keys are left out", name);
		return false;
	}
	char *dir = arena_strdup(r->arena, r->src->path);
	const char *path = arena_printf(r->arena, "%s/%s", dirname(dir), name);
	uint32_t f = source_load(r->sources, path, from);
	if (!f) {
		diag_add(r->diags, DIAG_NOTE, "not-modelled", from, "the key file '%s' the script "
			 "reads cannot be read (%s): the tunnels' keys are left out", path,
			 r->sources->error[0] ? r->sources->error : strerror(errno));
		return false;
	}
	const struct source_file *sf = source_get(r->sources, f);
	const char *t = sf->text;
	size_t pos = 0;
	while (pos < sf->size) {
		size_t end = pos;
		while (end < sf->size && t[end] != '\n')
			end++;
		size_t stop = end > pos && t[end - 1] == '\r' ? end - 1 : end;
		const char *sp = memchr(t + pos, ' ', stop - pos);
		if (sp && sp > t + pos && (size_t)(sp - t) + 1 < stop) {
			size_t kb = (size_t)(sp - t) + 1;
			struct ps_key k = {
				arena_strndup(r->arena, t + pos, (size_t)(sp - t) - pos),
				{arena_strndup(r->arena, t + kb, stop - kb),
				 {f, (uint32_t)kb, (uint32_t)(stop - kb)}},
			};
			/* Never shown, whatever finding points at it. */
			imp_mark_secret(r, k.key.loc);
			arena_vec_push(r->arena, keys, k);
		}
		pos = end + 1;
	}
	return true;
}

/* PATH is a key file (NAME.keys) that a PowerShell script among PATHS, in
 * the same directory, reads: it is not a configuration of its own. */
bool powershell_keys_named(const char *path, const char *const *paths, size_t n)
{
	size_t len = strlen(path);
	if (len < 5 || strcmp(path + len - 5, ".keys") != 0)
		return false;
	const char *base = strrchr(path, '/');
	size_t dirlen = base ? (size_t)(base - path) : 0;
	base = base ? base + 1 : path;
	char quoted[512];
	if (strlen(base) + 3 > sizeof(quoted))
		return false;
	snprintf(quoted, sizeof(quoted), "'%s'", base);
	for (size_t i = 0; i < n; i++) {
		const char *other = paths[i];
		const char *ob = strrchr(other, '/');
		size_t odl = ob ? (size_t)(ob - other) : 0;
		if (other == path || odl != dirlen || strncmp(other, path, dirlen) != 0)
			continue;
		struct source_set s;
		source_set_init(&s);
		uint32_t f = source_load(&s, other, LOC_NONE);
		bool yes = f && powershell_detect(source_get(&s, f)->text, source_get(&s, f)->size) &&
			   strstr(source_get(&s, f)->text, quoted) &&
			   strstr(source_get(&s, f)->text, "$PSScriptRoot");
		source_set_free(&s);
		if (yes)
			return true;
	}
	return false;
}
