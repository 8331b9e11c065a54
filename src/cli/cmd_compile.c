/* tunc compile FILE.tun [-t TARGET]... [-g GATEWAY]... [-o DIR] [--force]
 *
 * Lints first and writes nothing when there are errors (unless --force);
 * then builds every file in memory and only when all of them were built
 * writes the set all or nothing (util/outset.h), mode 0600 for a file that
 * holds a key.  The paths written are the command's results, on standard
 * output. */
#include "config.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "check/check.h"
#include "diag/write.h"
#include "emit/common.h"
#include "util/arena.h"
#include "util/outset.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char compile_details[] =
	"Writes, for every gateway (and every peer whose platform is given), the\n"
	"configuration it needs for all of its tunnels, named GATEWAY.EXT in DIR:\n"
	"  ios    GATEWAY.ios.cfg     Cisco IOS (platform ios)\n"
	"  pix    GATEWAY.pix.cfg     Cisco PIX 6.3 (platform pix)\n"
	"  netsh  GATEWAY.netsh.cmd   Windows / ISA Server (platforms windows, isa)\n"
	"  swanctl GATEWAY.swanctl.conf strongSwan 5.9+ IKE (platform linux)\n"
	"  xfrm   GATEWAY.xfrm.sh     Linux forwarding, routes, NAT and the static SAs\n"
	"                             of tunnels that say 'keying manual;' (platform linux)\n"
	"  engine engine.xml          the whole topology for 'tunc run'\n"
	"\n"
	"Options:\n"
	"  -t, --target TARGET   write only these targets (repeatable); a target that\n"
	"                        does not apply to a gateway is skipped\n"
	"  -g, --gateway NAME    write only these gateways or peers (repeatable)\n"
	"  -o, --output DIR      the directory to write into (default ./out, created)\n"
	"  --force               write even when lint reports errors\n"
	"  --base N              number IOS/PIX policies and map entries from N+10\n"
	"                        (0-9000, default 0: 10, 20, ...), above a live\n"
	"                        device's own entries\n"
	"\n"
	"The policy is linted first: with findings of severity error nothing is\n"
	"written and the findings are printed on standard error.  Files holding keys\n"
	"are created mode 0600, the others 0644.  Each path written is printed.\n"
	"The set is written all or nothing: into .DIR.tunc-tmp-PID-XXXXXX beside\n"
	"DIR, synced once, then swapped with DIR in one rename; files already in\n"
	"DIR that the set does not replace are kept.\n"
	"\n"
	"Exit status: 0 written, 1 refused (lint errors, or a gateway asks for what\n"
	"its target cannot express), 2 usage, I/O or parse errors.\n";

struct compile_args {
	const char *file;
	const char *dir;
	bool force;
	unsigned base;                  /* --base: offset of generated numbers */
	const char **targets, **gateways;
	size_t n_targets, n_gateways;
};

struct out_file {
	char *path;
	struct strbuf buf;
	unsigned mode;
};

enum { OPT_FORCE = CLI_LONG_ONLY, OPT_BASE };

static const struct cli_option compile_options[] = {
	{"target", 't', true, NULL, false},
	{"gateway", 'g', true, NULL, false},
	{"output", 'o', true, NULL, false},
	{"force", OPT_FORCE, false, NULL, false},
	{"base", OPT_BASE, true, NULL, false},
	{0},
};

/* "unknown target 'x' (engine, ios, ...)": the names from the emitter table. */
static int unknown_target(const char *v)
{
	struct strbuf known = STRBUF_INIT;
	for (size_t k = 0; k < emitter_count; k++)
		strbuf_printf(&known, "%s%s", k ? ", " : "", emitter_table[k].name);
	int status = cli_usage_error("compile", "unknown target '%s' (%s)", v, strbuf_cstr(&known));
	strbuf_free(&known);
	return status;
}

static int compile_option(int key, const char *v, void *arg)
{
	struct compile_args *ca = arg;
	switch (key) {
	case 't':
		if (!emitter_find(v))
			return unknown_target(v);
		ca->targets = xrealloc(ca->targets, (ca->n_targets + 1) * sizeof(char *));
		ca->targets[ca->n_targets++] = v;
		break;
	case 'g':
		ca->gateways = xrealloc(ca->gateways, (ca->n_gateways + 1) * sizeof(char *));
		ca->gateways[ca->n_gateways++] = v;
		break;
	case 'o':
		ca->dir = v;
		break;
	case OPT_FORCE:
		ca->force = true;
		break;
	case OPT_BASE: {
		/* Decimal only: "--base 0x10" or "-5" is a slip, not a number. */
		char *end;
		errno = 0;
		unsigned long n = strtoul(v, &end, 10);
		if (*end || errno || n > 9000 || *v < '0' || *v > '9')
			return cli_usage_error("compile", "--base takes a number from 0 to 9000, "
					       "not '%s'", v);
		ca->base = (unsigned)n;
		break;
	}
	}
	return -1;
}

static int parse_args(int argc, char **argv, struct compile_args *ca)
{
	int first;
	int status = cli_parse("compile", compile_details, argc, argv, compile_options,
			       compile_option, ca, &first);
	if (status >= 0)
		return status;
	if (first < argc - 1)
		return cli_usage_error("compile", "more than one FILE given ('%s', '%s')",
				       argv[first], argv[first + 1]);
	if (first == argc)
		return cli_usage_error("compile", "no FILE given");
	ca->file = argv[first];
	return -1;
}

static bool listed(const char **list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* Frees a buffer that may hold keys. */
static void wipe(struct strbuf *b)
{
	if (b->s)
		memset(b->s, 0, b->cap);
	strbuf_free(b);
}

static const struct out_file *dup_files;

static int by_path_then_place(const void *x, const void *y)
{
	size_t a = *(const size_t *)x, b = *(const size_t *)y;
	int c = strcmp(dup_files[a].path, dup_files[b].path);
	return c ? c : (a > b) - (a < b);
}

/* The path written twice whose second file comes first, or NULL: a sort, not
 * a comparison of every pair (10,000 gateways write 10,000 files). */
static const char *duplicate_path(const struct out_file *files, size_t n)
{
	size_t *order = xcalloc(n ? n : 1, sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	dup_files = files;
	qsort(order, n, sizeof(*order), by_path_then_place);
	size_t best = SIZE_MAX;
	for (size_t k = 1; k < n; k++)
		if (strcmp(files[order[k]].path, files[order[k - 1]].path) == 0 &&
		    order[k] < best)
			best = order[k];
	free(order);
	return best == SIZE_MAX ? NULL : files[best].path;
}

static void add_file(struct out_file **files, size_t *n, const char *dir, const char *name,
		     struct strbuf *buf, bool key)
{
	*files = xrealloc(*files, (*n + 1) * sizeof(**files));
	size_t len = strlen(dir) + 1 + strlen(name) + 1;
	struct out_file *f = &(*files)[(*n)++];
	f->path = xmalloc(len);
	snprintf(f->path, len, "%s/%s", dir, name);
	f->buf = *buf;
	f->mode = key ? 0600 : 0644;
	*buf = (struct strbuf)STRBUF_INIT;
}

/* The every_peer emitters (the peer sheet) for peer MG, when selected;
 * *SHEET says one was written.  False when writing failed (*OK cleared). */
static bool emit_every_peer(struct policy *p, const struct compile_args *ca, const char *dir,
			    const struct model_gateway *mg, struct out_file **files,
			    size_t *n_files, bool *ok, bool *sheet)
{
	for (size_t k = 0; k < emitter_count; k++) {
		const struct emitter *e = &emitter_table[k];
		if (!e->every_peer || (ca->n_targets && !listed(ca->targets, ca->n_targets, e->name)))
			continue;
		struct emit_ctx ctx = {.model = p->model, .sources = &p->sources,
				       .diags = &p->diags, .source_name = ca->file, .base = ca->base};
		struct strbuf buf = STRBUF_INIT;
		if (!e->emit(&ctx, mg, &buf)) {
			*ok = false;
			wipe(&buf);
			return false;
		}
		char fname[EMIT_NAME_MAX + 32];
		emit_file_name(fname, sizeof(fname), mg->ir->name, e->extension);
		add_file(files, n_files, dir, fname, &buf, ctx.holds_key);
		*sheet = true;
	}
	return true;
}

static int build(struct policy *p, const struct compile_args *ca, const char *dir,
		 struct out_file **files, size_t *n_files)
{
	bool ok = true;
	const struct model *m = p->model;
	for (size_t i = 0; i < m->gateways.n; i++) {
		const struct model_gateway *mg = m->gateways.v[i];
		const char *name = mg->ir->name;
		bool named = listed(ca->gateways, ca->n_gateways, name);
		if (ca->n_gateways && !named)
			continue;
		/* Every peer gets the sheet its administrator configures from,
		 * whatever its platform (emitters marked every_peer). */
		bool sheet = false;
		if (mg->ir->kind == GW_PEER &&
		    !emit_every_peer(p, ca, dir, mg, files, n_files, &ok, &sheet))
			continue;
		/* A platform row names its target and, for Linux, a second one
		 * (swanctl.conf and the xfrm script). */
		const char *targets[2] = {mg->platform ? mg->platform->emit_target : NULL,
					  mg->platform ? mg->platform->emit_target_extra : NULL};
		const struct emitter *e = targets[0] ? emitter_find(targets[0]) : NULL;
		if (!e || e->whole_topology) {
			if (named && !sheet)
				fprintf(stderr, "tunc: %s has no platform with a configuration to "
					"write; skipped\n", name);
			continue;
		}
		bool selected = false;
		for (int k = 0; k < 2; k++)
			selected |= targets[k] && (!ca->n_targets ||
						   listed(ca->targets, ca->n_targets, targets[k]));
		if (!selected) {
			if (named)
				fprintf(stderr, "tunc: %s is written by target %s%s%s, not selected; "
					"skipped\n", name, targets[0], targets[1] ? " and " : "",
					targets[1] ? targets[1] : "");
			continue;
		}
		for (int k = 0; k < 2; k++) {
			e = targets[k] ? emitter_find(targets[k]) : NULL;
			if (!e || e->whole_topology ||
			    (ca->n_targets && !listed(ca->targets, ca->n_targets, e->name)))
				continue;
			struct emit_ctx ctx = {.model = m, .sources = &p->sources, .diags = &p->diags,
					       .source_name = ca->file, .base = ca->base};
			struct strbuf buf = STRBUF_INIT;
			if (!e->emit(&ctx, mg, &buf)) {
				ok = false;
				wipe(&buf);
				continue;
			}
			char fname[EMIT_NAME_MAX + 32];
			emit_file_name(fname, sizeof(fname), name, e->extension);
			add_file(files, n_files, dir, fname, &buf, ctx.holds_key);
		}
	}
	/* Whole-topology targets (engine.xml): by default, or when asked. */
	for (size_t k = 0; k < emitter_count; k++) {
		const struct emitter *e = &emitter_table[k];
		if (!e->whole_topology)
			continue;
		if (ca->n_targets ? !listed(ca->targets, ca->n_targets, e->name) : ca->n_gateways > 0)
			continue;
		struct emit_ctx ctx = {.model = m, .sources = &p->sources, .diags = &p->diags,
				       .source_name = ca->file};
		struct strbuf buf = STRBUF_INIT;
		if (!e->emit(&ctx, NULL, &buf)) {
			ok = false;
			wipe(&buf);
			continue;
		}
		add_file(files, n_files, dir, e->extension, &buf, ctx.holds_key);
	}
	if (!ok)
		return diag_has_front_end_errors(&p->diags) ? EXIT_USAGE : EXIT_FINDINGS;
	const char *twice = duplicate_path(*files, *n_files);
	if (twice) {
		fprintf(stderr, "tunc: two gateways would both be written to '%s'; rename one\n",
			twice);
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_compile(int argc, char **argv)
{
	struct compile_args ca = {.dir = "out"};
	int status = parse_args(argc, argv, &ca);
	if (status >= 0)
		goto out_args;

	struct policy p;
	if (!policy_load(&p, ca.file)) {
		if (!diag_has_front_end_errors(&p.diags))
			diag_front(&p.diags, "io-error", LOC_NONE, "'%s' could not be loaded", ca.file);
		policy_print_errors(&p);
		policy_free(&p);
		status = EXIT_USAGE;
		goto out_args;
	}
	for (size_t i = 0; i < ca.n_gateways; i++)
		if (!ir_find_gateway(&p.ir, ca.gateways[i])) {
			status = cli_usage_error("compile", "no gateway or peer named '%s' in %s",
						 ca.gateways[i], ca.file);
			policy_free(&p);
			goto out_args;
		}

	struct check_options opts;
	check_options_init(&opts);
	checks_run(&p.ir, p.model, &opts, &p.diags);
	check_options_free(&opts);
	size_t errors = diag_count(&p.diags, DIAG_ERROR);
	size_t warnings = diag_count(&p.diags, DIAG_WARNING);
	size_t lint_n = p.diags.n;
	/* SAs a key file gives wrongly (manual-key-material) are bad input, as
	 * an unreadable key is: exit 2, even under --force. */
	if (p.model && p.model->manual_problems.n) {
		policy_print_errors(&p);
		fprintf(stderr, "tunc: compile refused: a key file gives SAs keyed by hand "
			"that cannot be installed; nothing written\n");
		policy_free(&p);
		status = EXIT_USAGE;
		goto out_args;
	}
	if (errors && !ca.force) {
		policy_print_errors(&p);
		fprintf(stderr, "tunc: compile refused: %zu error%s; nothing written "
			"(--force writes anyway)\n", errors, errors == 1 ? "" : "s");
		policy_free(&p);
		status = EXIT_FINDINGS;
		goto out_args;
	}
	if (errors) {
		policy_print_errors(&p);
		fprintf(stderr, "tunc: --force: writing despite %zu error%s\n", errors,
			errors == 1 ? "" : "s");
	} else if (warnings)
		fprintf(stderr, "tunc: %zu warning%s; see 'tunc lint %s'\n", warnings,
			warnings == 1 ? "" : "s", ca.file);

	struct out_file *files = NULL;
	size_t n_files = 0;
	status = build(&p, &ca, ca.dir, &files, &n_files);
	if (status != EXIT_OK) {
		/* Only what the emitters reported: the lint findings were shown. */
		struct diag_list all = p.diags;
		if (errors) {
			p.diags.v += lint_n;
			p.diags.n -= lint_n;
		}
		policy_print_errors(&p);
		p.diags = all;
		if (status == EXIT_FINDINGS)
			fputs("tunc: compile refused: nothing written\n", stderr);
	} else {
		/* All or nothing: the set goes into a directory beside the target
		 * that replaces it in one rename (util/outset.h). */
		struct outset_file *set = xcalloc(n_files ? n_files : 1, sizeof(*set));
		size_t dlen = strlen(ca.dir) + 1;
		for (size_t i = 0; i < n_files; i++)
			set[i] = (struct outset_file){files[i].path + dlen, files[i].buf.s,
						      files[i].buf.len, files[i].mode};
		char err[PATH_MAX + 256];
		if (n_files && outset_write(ca.dir, set, n_files, err, sizeof(err)) != 0) {
			fprintf(stderr, "tunc: %s\n", err);
			status = EXIT_USAGE;
		} else {
			for (size_t i = 0; i < n_files; i++)
				printf("%s\n", files[i].path);
		}
		free(set);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "tunc: cannot write the list of files: %s\n", strerror(errno));
			status = EXIT_USAGE;
		}
		if (!n_files)
			fprintf(stderr, "tunc: nothing to write: no gateway%s is written by the "
				"selected target%s\n", ca.n_gateways ? " selected" : "",
				ca.n_targets == 1 ? "" : "s");
	}
	for (size_t i = 0; i < n_files; i++) {
		wipe(&files[i].buf);
		free(files[i].path);
	}
	free(files);
	policy_free(&p);
out_args:
	free(ca.targets);
	free(ca.gateways);
	return status;
}
