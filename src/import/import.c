/* The readers' table, format detection and the read of each file. */
#include "config.h"
#include "import/import.h"
#include "import/reader.h"
#include "import/assemble.h"
#include "import/merge.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


const struct import_reader import_readers[] = {
	{"ios", "Cisco IOS / IOS-XE running-config", ios_detect, ios_read},
	{"swanctl", "strongSwan swanctl.conf", swanctl_detect, swanctl_read},
	{"pix", "Cisco PIX 6.3 configuration", pix_detect, pix_read},
	{"asa", "Cisco ASA 8.4 and later configuration", asa_detect, asa_read},
	{"ipsecconf", "strongSwan / Libreswan / Openswan ipsec.conf", ipsecconf_detect,
	 ipsecconf_read},
	{"netsh", "Windows netsh ipsec static / advfirewall consec script", netsh_detect, netsh_read},
	{"powershell", "Windows Server 2012+ PowerShell (NetSecurity) script", powershell_detect,
	 powershell_read},
	{"xfrm", "Linux ip xfrm / ip route / nft shell script", xfrm_detect, xfrm_read},
	{"sheet", "tunc's peer sheet (PEER.peer.txt)", sheet_detect, sheet_read},
};
const size_t import_reader_count = sizeof(import_readers) / sizeof(import_readers[0]);

static const struct import_reader *find_reader(const char *name)
{
	for (size_t i = 0; i < import_reader_count; i++)
		if (strcmp(import_readers[i].name, name) == 0)
			return &import_readers[i];
	return NULL;
}

bool import_format_known(const char *name)
{
	return find_reader(name) != NULL;
}

/* The readers' names from the table, so that a new reader is one row. */
const char *import_format_names(void)
{
	static char names[256];
	if (!names[0])
		for (size_t i = 0; i < import_reader_count; i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", import_readers[i].name);
	return names;
}

static const struct import_reader *detect(const char *text, size_t size)
{
	const struct import_reader *best = NULL;
	int best_score = 0;
	for (size_t i = 0; i < import_reader_count; i++) {
		int s = import_readers[i].detect(text, size);
		if (s > best_score) {
			best_score = s;
			best = &import_readers[i];
		}
	}
	return best;
}

bool import_is_config(const char *path)
{
	size_t n = strlen(path);
	if (n >= 4 && strcmp(path + n - 4, ".tun") == 0)
		return false;
	struct source_set s;
	source_set_init(&s);
	uint32_t f = source_load(&s, path, LOC_NONE);
	bool yes = f && (detect(source_get(&s, f)->text, source_get(&s, f)->size) != NULL ||
			 ipsecsecrets_detect(source_get(&s, f)->text, source_get(&s, f)->size));
	source_set_free(&s);
	return yes;
}

static bool read_file(struct ir *ir, uint32_t file, const struct import_reader *forced,
		      struct diag_list *diags, struct imp_device *dev,
		      const char *const *secrets, size_t n_secrets);

/* PATH is an ipsec.secrets file: the keys of the ipsec.conf before it. */
static bool is_secrets(const char *path)
{
	struct source_set s;
	source_set_init(&s);
	uint32_t f = source_load(&s, path, LOC_NONE);
	bool yes = f && ipsecsecrets_detect(source_get(&s, f)->text, source_get(&s, f)->size);
	source_set_free(&s);
	return yes;
}

static bool read_one(struct ir *ir, const char *path, const struct import_reader *forced,
		     struct diag_list *diags, struct imp_device *dev,
		     const char *const *secrets, size_t n_secrets)
{
	uint32_t file = source_load(ir->sources, path, LOC_NONE);
	if (!file) {
		diag_front(diags, "io-error", LOC_NONE, "cannot read '%s': %s", path,
			   ir->sources->error[0] ? ir->sources->error : strerror(errno));
		return false;
	}
	return read_file(ir, file, forced, diags, dev, secrets, n_secrets);
}

static bool read_file(struct ir *ir, uint32_t file, const struct import_reader *forced,
		      struct diag_list *diags, struct imp_device *dev,
		      const char *const *secrets, size_t n_secrets)
{
	const char *path = source_get(ir->sources, file)->path;
	const struct source_file *f = source_get(ir->sources, file);
	const char *nul = memchr(f->text, '\0', f->size);
	if (nul) {
		diag_front(diags, "syntax", (struct tunc_loc){file, (uint32_t)(nul - f->text), 1},
			   "NUL byte in the file: is this a text configuration?");
		return false;
	}
	const struct import_reader *rd = forced ? forced : detect(f->text, f->size);
	if (!rd) {
		diag_front(diags, "syntax", (struct tunc_loc){file, 0, 1},
			   "'%s' is in no configuration format tunc reads (%s); "
			   "give --from FORMAT if it is one of them", path, import_format_names());
		return false;
	}
	memset(dev, 0, sizeof(*dev));
	dev->file = file;
	dev->reader = rd->name;
	struct imp_read r = {.arena = &ir->arena, .diags = diags, .src = f, .file = file, .dev = dev,
			     .sources = ir->sources, .secrets = secrets, .n_secrets = n_secrets};
	size_t before = diags->n;
	rd->read(&r);
	u64map_free(&r.noted);
	u64map_free(&r.index);
	for (size_t i = before; i < diags->n; i++)
		if (diags->v[i].front_end)
			return false;
	return true;
}

bool import_files(struct ir *ir, const char *const *paths, size_t n, const char *from,
		  struct diag_list *diags)
{
	const struct import_reader *forced = NULL;
	if (from && !(forced = find_reader(from))) {
		diag_front(diags, "io-error", LOC_NONE, "unknown configuration format '%s' (%s)",
			   from, import_format_names());
		return false;
	}
	struct imp_device *devs = arena_alloc(&ir->arena, (n ? n : 1) * sizeof(*devs));
	/* Each file is looked at once to tell secrets files from the rest. */
	bool *secrets = xcalloc(n ? n : 1, sizeof(*secrets));
	for (size_t i = 0; i < n; i++)
		secrets[i] = is_secrets(paths[i]);
	bool ok = true;
	size_t ndev = 0;
	for (size_t i = 0; i < n; i++) {
		if (secrets[i]) {
			diag_front(diags, "io-error", LOC_NONE, "'%s' is an ipsec.secrets file: give it "
				   "after the ipsec.conf whose keys it holds", paths[i]);
			ok = false;
			continue;
		}
		if (powershell_keys_named(paths[i], paths, n))
			continue;       /* GW.keys: read by the GW.ps1 beside it */
		/* The secrets files that follow it belong to it. */
		size_t k = i + 1;
		while (k < n && secrets[k])
			k++;
		ok &= read_one(ir, paths[i], forced, diags, &devs[ndev++], paths + i + 1, k - i - 1);
		i = k - 1;
	}
	free(secrets);
	if (!ok)
		return false;
	imp_merge_hosts(&ir->arena, devs, &ndev);
	imp_infer_defaultroute(devs, ndev, diags);
	return assemble(ir, devs, ndev, diags);
}

bool import_buffer(struct ir *ir, const char *name, const char *text, size_t size,
		   const char *from, struct diag_list *diags)
{
	const struct import_reader *forced = from ? find_reader(from) : NULL;
	struct imp_device *dev = arena_alloc(&ir->arena, sizeof(*dev));
	uint32_t file = source_add_buffer(ir->sources, name, text, size);
	if (!read_file(ir, file, forced, diags, dev, NULL, 0))
		return false;
	imp_infer_defaultroute(dev, 1, diags);
	return assemble(ir, dev, 1, diags);
}
