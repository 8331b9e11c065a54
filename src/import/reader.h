/* The readers' common interface: one table entry per configuration format,
 * each reader in its own folder (src/import/FORMAT/). */
#ifndef TUNC_IMPORT_READER_H
#define TUNC_IMPORT_READER_H

#include <stddef.h>

#include "diag/diag.h"
#include "import/device.h"
#include "util/u64map.h"

/* A note imp_unmodelled made. */
struct imp_noted {
	struct tunc_loc loc;
	const char *what;
};

/* One read of one file. */
struct imp_read {
	struct arena *arena;            /* the IR's: strings outlive the read */
	struct diag_list *diags;
	const struct source_file *src;
	uint32_t file;
	struct imp_device *dev;
	struct source_set *sources;     /* to load a file the configuration names */
	/* Secrets files given after this one on the command line (ipsec.secrets). */
	const char *const *secrets;
	size_t n_secrets;
	/* Lookups by name or address while reading (cisco.c's access lists
	 * and keys): keys made with imp_index_key; freed after the read. */
	struct u64map index;
	/* imp_unmodelled's notes so far, to make each once per place. */
	struct u64map noted;
	ARENA_VEC(struct imp_noted) noted_v;
};

struct import_reader {
	const char *name;               /* for --from */
	const char *what;               /* one line for --help and errors */
	/* How sure the reader is that TEXT is its format: 0 (not) to 100. */
	int (*detect)(const char *text, size_t size);
	/* Fills R->dev; errors are front-end diagnostics located in the file. */
	void (*read)(struct imp_read *r);
};

/* The readers, each in its folder. */
int ios_detect(const char *text, size_t size);
void ios_read(struct imp_read *r);
int swanctl_detect(const char *text, size_t size);
void swanctl_read(struct imp_read *r);
int pix_detect(const char *text, size_t size);
void pix_read(struct imp_read *r);
int asa_detect(const char *text, size_t size);
void asa_read(struct imp_read *r);
int ipsecconf_detect(const char *text, size_t size);
void ipsecconf_read(struct imp_read *r);
int netsh_detect(const char *text, size_t size);
void netsh_read(struct imp_read *r);
int powershell_detect(const char *text, size_t size);
void powershell_read(struct imp_read *r);
/* A GW.keys file that a PowerShell script among PATHS reads from beside
 * it: not a device, but that script's keys. */
bool powershell_keys_named(const char *path, const char *const *paths, size_t n);
int sheet_detect(const char *text, size_t size);
void sheet_read(struct imp_read *r);
int xfrm_detect(const char *text, size_t size);
void xfrm_read(struct imp_read *r);
/* An ipsec.secrets file: not a device, but the keys of the ipsec.conf
 * before it on the command line. */
bool ipsecsecrets_detect(const char *text, size_t size);

extern const struct import_reader import_readers[];
extern const size_t import_reader_count;

/* Helpers shared by the readers (import/util.c). */
struct tunc_loc imp_loc(const struct imp_read *r, size_t offset, size_t length);
struct imp_text imp_word(const struct imp_read *r, const char *s, size_t len, size_t offset);
/* "255.255.255.0" -> 24; -1 when not a contiguous mask.  WILDCARD: 0.0.0.255. */
int imp_mask_len(const char *mask, bool wildcard);
/* "ADDR/LEN" in the arena. */
const char *imp_prefix(struct arena *a, const char *addr, int len);
/* E is keyed by hand with these two SAs, as the configuration writes them
 * (OUT sent by this device, IN received): its key is their SPIs and keys,
 * in the form the model reads (model/manual_keys.h), written by
 * imp_manual_key once both gateways' names are known (assemble.c).  E's
 * key is located at OUT's first key; doc/import.md says why. */
void imp_manual_end(struct imp_end *e, const struct imp_manual_sa *out,
		    const struct imp_manual_sa *in);
/* The IKE proposal an end keyed by hand names (the language asks every end
 * for one): tunc's defaults in VERSION (0: the default; 1 where the
 * platform runs no other, the PIX), never negotiated.  Its index in DEV. */
int imp_unused_ike(struct arena *a, struct imp_device *dev, const char *end, unsigned version,
		   struct tunc_loc loc);
/* A key of R->index for the thing TABLE holds under the name or bytes
 * P[0..N) (TABLE: the vector the index points into, so that two tables'
 * entries never meet). */
uint64_t imp_index_key(const void *table, const void *p, size_t n);
/* LOC holds a key (or what may be one): from now on every diagnostic that
 * shows its line shows it as '*'.  Readers call it the moment they meet a
 * key keyword, before they check the statement (a truncated statement is
 * masked from the keyword to its end), so that no error or note on the
 * key's line prints the key (doc/import.md). */
void imp_mark_secret(const struct imp_read *r, struct tunc_loc loc);
/* Adds a located note: a statement bearing on IPsec that tunc does not
 * model.  Once per place and WHAT, however often the reader meets the line
 * (ipsec.conf's also= and %default make many conns read one line). */
void imp_unmodelled(struct imp_read *r, struct tunc_loc loc, const char *what);
/* A strongSwan traffic-selector list (swanctl.conf's local_ts/remote_ts,
 * ipsec.conf's leftsubnet/rightsubnet) located at LIST.loc -> "NET/LEN"
 * words appended to OUT, each located; a protocol/port narrowing and
 * "dynamic" get a note (import/ts_list.c). */
void imp_ts_list(struct imp_read *r, imp_text_vec *out, struct imp_text list);

#endif
