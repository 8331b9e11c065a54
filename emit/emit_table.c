/* The emitter table: `tunc compile -t NAME` and a platform row's
 * emit_target name a row here.  A per-gateway emitter writes GATEWAY.EXT;
 * a whole-topology emitter writes one file named by its extension. */
#include "config.h"
#include "emit/emit.h"
#include "emit/targets.h"

#include <string.h>

const struct emitter emitter_table[] = {
	{"ios", ".ios.cfg", false, emit_ios, false},
	{"pix", ".pix.cfg", false, emit_pix, false},
	{"asa", ".asa.cfg", false, emit_asa, false},
	{"netsh", ".netsh.cmd", false, emit_netsh, false},
	{"powershell", ".ps1", false, emit_powershell, false},
	{"powershell-keys", ".keys", false, emit_powershell_keys, false},
	{"swanctl", ".swanctl.conf", false, emit_swanctl, false},
	{"xfrm", ".xfrm.sh", false, emit_xfrm, false},
	{"peer-sheet", ".peer.txt", false, emit_peer_sheet, true},
	{"engine", "engine.xml", true, emit_engine, false},
};
const size_t emitter_count = sizeof(emitter_table) / sizeof(emitter_table[0]);

const struct emitter *emitter_find(const char *name)
{
	for (size_t i = 0; i < emitter_count; i++)
		if (strcmp(emitter_table[i].name, name) == 0)
			return &emitter_table[i];
	return NULL;
}
