/* The devices the readers described -> the IR, through the .tun builder. */
#ifndef TUNC_IMPORT_ASSEMBLE_H
#define TUNC_IMPORT_ASSEMBLE_H

#include "import/device.h"

/* Pairs the devices' tunnel ends by endpoint addresses (each end's peer
 * address is the other's endpoint) and builds sites, gateways, peers,
 * proposals and tunnels.  Returns false after a front-end error. */
bool assemble(struct ir *ir, struct imp_device *devs, size_t n, struct diag_list *diags);

#endif
