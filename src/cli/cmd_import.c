/* tunc import CONFIG... [-o FILE.tun] [--from FORMAT]
 *
 * Reads device configurations (src/import) and writes the equivalent .tun;
 * also the loading step of `tunc lint CONFIG...`. */
#include "config.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "policy/policy_import.h"
#include "diag/write.h"
#include "import/import.h"
#include "util/outset.h"
#include "util/secret.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char import_details[] =
	"Reads running configurations (Cisco IOS; strongSwan swanctl.conf; the\n"
	"ipsec.conf of strongSwan, Libreswan or Openswan), pairs their tunnels by\n"
	"endpoint addresses and writes an equivalent .tun: every statement is\n"
	"followed by '# FILE:LINE' of its origin. Pre-shared keys are never written\n"
	"into the .tun: each goes to TUNNEL.GATEWAY.psk (mode 0600)\n"
	"beside it, named with 'psk file'. 'tunc lint CONFIG...' checks the same\n"
	"configurations directly. See doc/import.md for what each reader understands.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE   write the .tun to FILE, the keys beside it (default:\n"
	"                      standard output, refused when there are keys)\n"
	"  --from FORMAT       read every CONFIG as FORMAT (ios, swanctl, pix, asa,\n"
	"                      ipsecconf, netsh, powershell, xfrm, sheet) instead of\n"
	"                      detecting it from the content; an ipsec.secrets file\n"
	"                      after an ipsec.conf holds its keys, a GW.keys file\n"
	"                      is read by the GW.ps1 beside it\n"
	"\n"
	"Exit status: 0 written, 2 usage, I/O or parse errors (nothing is written).\n";

/* Whether the import holds a key, which goes to a file beside the .tun. */
static bool has_keys(const struct ir *ir)
{
	for (size_t i = 0; i < ir->tunnels.n; i++) {
		const struct ir_tunnel *t = ir->tunnels.v[i];
		if (t->psk.source == PSK_INLINE)
			return true;
		for (size_t k = 0; k < t->end_blocks.n; k++)
			if (ir_end_written(t->end_blocks.v[k])->psk.source == PSK_INLINE)
				return true;
	}
	return false;
}

/* The .tun at OUTPUT and its KEYS beside it as one set
 * (outset_write_among): written whole, synced once, or not at all.  A link
 * at OUTPUT is followed, so that the keys lie beside the .tun that names
 * them; an OUTPUT that is not a regular file (/dev/stdout) takes the .tun
 * alone, in place, when there are no keys. */
static int write_set(const char *output, const struct strbuf *tun, const import_key_files *keys,
		     char *err, size_t errlen)
{
	struct stat st;
	bool exists = stat(output, &st) == 0;   /* through a link */
	if (exists && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode) && !keys->n) {
		if (strbuf_write_file(tun, output, 0644) == 0)
			return 0;
		snprintf(err, errlen, "cannot write '%s': %s", output,
			 strerror(errno));
		return -1;
	}
	if (lstat(output, &st) == 0 && S_ISLNK(st.st_mode) && !exists) {
		snprintf(err, errlen, "cannot write '%s': the link leads nowhere", output);
		return -1;
	}
	char *real = exists ? realpath(output, NULL) : xstrdup(output);
	if (!real) {
		snprintf(err, errlen, "cannot write '%s': %s", output, strerror(errno));
		return -1;
	}
	char *dircopy = xstrdup(real), *basecopy = xstrdup(real);
	const char *dir = dirname(dircopy), *base = basename(basecopy);
	size_t n = keys->n + 1;
	struct outset_file *files = xcalloc(n, sizeof(*files));
	for (size_t i = 0; i < keys->n; i++)
		files[i] = (struct outset_file){keys->v[i].name, keys->v[i].data, keys->v[i].len, 0600};
	/* The .tun last: a run stopped among the renames leaves no .tun that
	 * names a key not yet there. */
	files[keys->n] = (struct outset_file){base, tun->s ? tun->s : "", tun->len, 0644};
	int rc = 0;
	for (size_t i = 0; i < keys->n && rc == 0; i++)
		if (strcmp(keys->v[i].name, base) == 0) {
			snprintf(err, errlen, "cannot write '%s': a key file of the import has that "
				 "name", output);
			rc = -1;
		}
	if (rc == 0)
		rc = outset_write_among(dir, files, n, err, errlen);
	free(files);
	free(dircopy);
	free(basecopy);
	free(real);
	return rc;
}

enum { OPT_FROM = CLI_LONG_ONLY };

static const struct cli_option import_options[] = {
	{"output", 'o', true, NULL, false},
	{"from", OPT_FROM, true, NULL, false},
	{0},
};

struct import_args {
	const char *output, *from;
};

static int import_option(int key, const char *v, void *arg)
{
	struct import_args *ia = arg;
	if (key == 'o')
		ia->output = v;
	else
		return cli_from_option("import", v, &ia->from);
	return -1;
}

int cmd_import(int argc, char **argv)
{
	struct import_args ia = {NULL, NULL};
	int first;
	int status = cli_parse("import", import_details, argc, argv, import_options, import_option,
			       &ia, &first);
	if (status >= 0)
		return status;
	if (first == argc)
		return cli_usage_error("import", "no CONFIG given");
	const char *const *files = (const char *const *)argv + first;
	size_t n = (size_t)(argc - first);
	const char *output = ia.output, *from = ia.from;
	status = EXIT_OK;
	struct policy p;
	bool ok = policy_import(&p, files, n, from, POLICY_RESOLVED);
	if (!ok || diag_has_front_end_errors(&p.diags)) {
		policy_print_errors(&p);
		status = EXIT_USAGE;
		goto out;
	}
	/* Keys are secrets: never dropped into the current directory unasked. */
	if (!output && has_keys(&p.ir)) {
		fprintf(stderr, "tunc import: the configurations hold pre-shared keys, which go to "
			"files of mode 0600 beside the .tun: give -o FILE.tun (nothing written)\n");
		status = EXIT_USAGE;
		goto out;
	}
	/* The keys go beside the .tun; the .tun names them relative to itself. */
	struct strbuf tun = STRBUF_INIT;
	import_key_files keys = {0};
	char err[512] = "";
	if (!import_write_tun(&p.ir, &tun, "", &keys, err, sizeof(err))) {
		fprintf(stderr, "tunc: %s\n", err);
		status = EXIT_USAGE;
	} else if (!output) {
		fputs(strbuf_cstr(&tun), stdout);
	} else if (write_set(output, &tun, &keys, err, sizeof(err)) != 0) {
		fprintf(stderr, "tunc: %s\n", err);
		status = EXIT_USAGE;
	}
	for (size_t i = 0; i < keys.n; i++)
		secret_wipe(keys.v[i].data, keys.v[i].len);
	strbuf_free(&tun);
out:
	policy_free(&p);
	return status;
}
