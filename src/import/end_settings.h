/* The per-end settings a reader may find beyond selectors, endpoints,
 * proposals and key: route-based, tcp-mss and dpd (src/import/end_settings.c),
 * handed to the builder inside the end's block. */
#ifndef TUNC_IMPORT_END_SETTINGS_H
#define TUNC_IMPORT_END_SETTINGS_H

#include "import/device.h"

void imp_build_end_settings(struct parse_ctx *c, const struct imp_end *e);

/* E has no partner among the files: its far peer is taken to run what E
 * runs (keying, route-based), at tunnel level like E's proposals and key,
 * and to narrow its selectors to the same protocol (in its own block). */
void imp_build_far_settings(struct parse_ctx *c, const struct imp_end *e);

/* F's filters (in, out), inside its interface block. */
void imp_build_iface_filters(struct parse_ctx *c, const struct imp_iface *f);

/* A device whose partner knows it by another address than its own is
 * behind a NAT showing that address (src/import/behind_nat.c). */
void imp_infer_behind_nat(struct imp_device *devs, size_t n);

#endif
