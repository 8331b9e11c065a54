/* The one entry point that loads a policy: .tun file (or buffer) -> IR
 * (parsed, resolved) -> model.  The commands (src/cli), the unit tests
 * (tests/unit) and the fuzzers (tests/fuzz) all load through it, so they
 * see the same front end, with the same rule for when to resolve. */
#ifndef TUNC_POLICY_H
#define TUNC_POLICY_H

#include <stdbool.h>
#include <stddef.h>

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

/* How far to load a buffer: unit tests stop early to look at the parser or
 * to change the IR before the model is built (policy_build_model). */
enum policy_stage { POLICY_PARSED, POLICY_RESOLVED, POLICY_MODELLED };

/* An empty policy, for a loader of its own (the engine.xml loader). */
void policy_init(struct policy *p);

/* Parses, resolves and models PATH.  Returns true when the model was built;
 * otherwise POLICY->diags holds the front-end errors (exit status 2). */
bool policy_load(struct policy *p, const char *path);

/* The same for TEXT (LEN bytes, named NAME in messages; no includes), up to
 * stage UPTO.  Returns true when every stage up to UPTO succeeded. */
bool policy_load_buffer(struct policy *p, const char *name, const char *text, size_t len,
			enum policy_stage upto);

/* Builds the model of a policy loaded to POLICY_RESOLVED. */
bool policy_build_model(struct policy *p);

void policy_free(struct policy *p);

/* Reads every pre-shared key the tunnels name ('psk file', 'psk env') as
 * the engine will, and adds an io-error at the psk statement for each one
 * that cannot be read (each statement once).  Returns true when all can.
 * For the commands that use the keys (run, test): a key tunc cannot read
 * is an input error (exit status 2), not a simulated IKE failure. */
bool policy_check_keys(struct policy *p);

#endif
