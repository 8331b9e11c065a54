/* The emitter table: `tunc compile -t NAME` and a platform row's
 * emit_target name a row here.  A per-gateway emitter writes GATEWAY.EXT;
 * a whole-topology emitter writes one file named by its extension. */
#include "config.h"
#include "emit/emit.h"
#include "emit/targets.h"

#include <string.h>

const struct emitter emitter_table[] = {
	{"ios", ".ios.cfg", false, emit_ios},
	{"pix", ".pix.cfg", false, emit_pix},
	{"asa", ".asa.cfg", false, emit_asa},
	{"netsh", ".netsh.cmd", false, emit_netsh},
	{"powershell", ".ps1", false, emit_powershell},
	{"powershell-keys", ".keys", false, emit_powershell_keys},
	{"swanctl", ".swanctl.conf", false, emit_swanctl},
	{"xfrm", ".xfrm.sh", false, emit_xfrm},
	{"engine", "engine.xml", true, emit_engine},
};
const size_t emitter_count = sizeof(emitter_table) / sizeof(emitter_table[0]);

const struct emitter *emitter_find(const char *name)
{
	for (size_t i = 0; i < emitter_count; i++)
		if (strcmp(emitter_table[i].name, name) == 0)
			return &emitter_table[i];
	return NULL;
}
