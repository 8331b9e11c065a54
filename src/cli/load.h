/* The front half of the pipeline that every command shares:
 * .tun file -> IR (parsed, resolved) -> model. */
#ifndef TUNC_CLI_LOAD_H
#define TUNC_CLI_LOAD_H

#include <stdbool.h>

#include "diag/diag.h"
#include "ir/ir.h"
#include "model/model.h"
#include "util/source.h"

struct policy {
	struct source_set sources;
	struct ir ir;
	struct model *model;            /* NULL when the front end failed */
	struct diag_list diags;
};

/* Parses, resolves and models PATH.  Returns true when the model was built;
 * otherwise POLICY->diags holds the front-end errors (exit status 2). */
bool policy_load(struct policy *p, const char *path);
void policy_free(struct policy *p);

/* Reads every pre-shared key the tunnels name ('psk file', 'psk env') as
 * the engine will, and adds an io-error at the psk statement for each one
 * that cannot be read (each statement once).  Returns true when all can.
 * For the commands that use the keys (run, test): a key tunc cannot read
 * is an input error (exit status 2), not a simulated IKE failure. */
bool policy_check_keys(struct policy *p);

/* Prints diagnostics as text on standard error (used by the commands other
 * than lint when the front end fails). */
void policy_print_errors(struct policy *p);

#endif
