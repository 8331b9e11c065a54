/* One host, two files: a Linux host's xfrm script (interfaces, routes, NAT,
 * its tunnels keyed by hand) and its swanctl.conf or ipsec.conf (its IKE
 * tunnels) are one device (src/import/merge.c). */
#ifndef TUNC_IMPORT_MERGE_H
#define TUNC_IMPORT_MERGE_H

#include <stddef.h>

#include "import/device.h"

/* Folds each xfrm device into the device of the same name read from
 * another file, and removes it from DEVS (*N shrinks). */
void imp_merge_hosts(struct arena *a, struct imp_device *devs, size_t *n);

/* Ends named by `%defaultroute` take the address the other files know
 * their host by (src/import/defaultroute.c); without one they are left
 * out, with a note in DIAGS. */
void imp_infer_defaultroute(struct imp_device *devs, size_t n, struct diag_list *diags);

#endif
