/* The devices the readers described -> the IR, through the .tun builder. */
#ifndef TUNC_IMPORT_ASSEMBLE_H
#define TUNC_IMPORT_ASSEMBLE_H

#include "import/device.h"
#include "ir/addr.h"

/* T's address, when T holds one. */
bool imp_text_addr(const struct imp_text *t, struct ip_addr *a);

/* A and B say the same (their names and locations aside). */
bool imp_same_proposal(const struct imp_proposal *a, const struct imp_proposal *b);

/* Pairs the devices' tunnel ends by endpoint addresses (each end's peer
 * address is the other's endpoint) and builds sites, gateways, peers,
 * proposals and tunnels.  Returns false after a front-end error. */
/* Settles which side of each guessed end is the device's own (orient.c):
 * an end that pairs with no other file's end as written, but does turned
 * round, is turned round; then devices whose files hold no interfaces get
 * one outside interface per local address. */
void imp_orient(struct ir *ir, struct imp_device *devs, size_t n);

bool assemble(struct ir *ir, struct imp_device *devs, size_t n, struct diag_list *diags);

#endif
