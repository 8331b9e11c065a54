/* tunc lint FILE.tun [--format text|json|sarif|junit] [-o FILE]
 *                    [-W NAME] [-Wno-NAME] [-Werror] [--all]
 *
 * Findings are the command's results: they go to standard output (or to
 * -o FILE, written whole), in one format even when the front end fails. */
#include "config.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "check/check.h"
#include "diag/write.h"
#include "policy/policy_import.h"
#include "import/import.h"
#include "util/arena.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char lint_details[] =
	"Checks FILE.tun for the pitfalls that break real tunnels and prints each\n"
	"finding with its location, the gateways and tunnel involved, and a fix.\n"
	"'tunc explain NAME' tells why a check exists; 'tunc explain --list' names them all.\n"
	"\n"
	"Options:\n"
	"  --format FORMAT     text (default: GCC-style, coloured on a terminal unless\n"
	"                      NO_COLOR is set), json, sarif (SARIF 2.1.0) or junit\n"
	"  -o, --output FILE   write the report to FILE (whole, mode 0644) instead of\n"
	"                      standard output\n"
	"  -W NAME, -WNAME     enable check NAME (every check is enabled by default)\n"
	"  -Wno-NAME           disable check NAME (parse and name errors cannot be)\n"
	"  -Werror             report warnings as errors, and fail on them\n"
	"  --all               text: show every finding (by default, when one check\n"
	"                      repeats a finding for many gateways, the first 3 are\n"
	"                      shown and the rest counted; the other formats always\n"
	"                      hold every finding)\n"
	"  --from FORMAT       read the FILEs as device configurations of FORMAT\n"
	"                      (ios, swanctl, pix, asa, ipsecconf, netsh,\n"
	"                      powershell, xfrm, sheet); without\n"
	"                      it a file that is not a .tun is recognised by its\n"
	"                      content (see 'tunc import')\n"
	"\n"
	"Exit status: 0 no finding of severity error, 1 findings of severity error\n"
	"(warnings too under -Werror), 2 usage, I/O or parse errors (the report is\n"
	"still written, in the chosen format).\n";

/* What follows "-W": "error", a check name, or "no-" and a check name.  An
 * exact name wins, so "-Wno-pfs" enables the check named no-pfs and
 * "-Wno-no-pfs" disables it. */
static bool apply_w(struct check_options *o, const char *arg)
{
	if (strcmp(arg, "error") == 0 || strcmp(arg, "no-error") == 0) {
		o->werror = arg[0] == 'e';
		return true;
	}
	const char *name = arg;
	bool enable = true;
	if (!check_find(name) && strncmp(name, "no-", 3) == 0 && check_find(name + 3)) {
		name += 3;
		enable = false;
	}
	if (!check_find(name)) {
		const struct check_info *near = check_nearest(name);
		if (!near && strncmp(name, "no-", 3) == 0)
			near = check_nearest(name + 3);
		if (near)
			cli_usage_error("lint", "unknown check '%s'; did you mean '%s'?", name,
					near->name);
		else
			cli_usage_error("lint", "unknown check '%s' (see 'tunc explain --list')",
					name);
		return false;
	}
	if (!check_options_set(o, name, enable)) {
		cli_usage_error("lint", "'%s' reports %s: it cannot be disabled", name,
				check_find(name)->reader ? "what reading the configurations found"
							 : "parse and name errors");
		return false;
	}
	return true;
}

struct lint_args {
	const char *file;
	const char *output;
	enum diag_format format;
	struct check_options checks;
	bool all;                       /* --all: no folding of repeated findings */
	/* Device configurations (src/import): every FILE when more than one
	 * is given, --from is, or the first is not a .tun. */
	const char *const *configs;
	size_t n_configs;
	const char *from;
};

/* Text output shows this many findings of one kind, then counts the rest. */
enum { LINT_REPEAT_LIMIT = 3 };

enum { OPT_FORMAT = CLI_LONG_ONLY, OPT_ALL, OPT_FROM };

static const struct cli_option lint_options[] = {
	{"format", OPT_FORMAT, true, NULL, false},
	{"all", OPT_ALL, false, NULL, false},
	{"from", OPT_FROM, true, NULL, false},
	{"output", 'o', true, NULL, false},
	{NULL, 'W', true, NULL, false},
	{0},
};

static int lint_option(int key, const char *v, void *arg)
{
	struct lint_args *la = arg;
	switch (key) {
	case OPT_FORMAT:
		if (!diag_format_lookup(v, &la->format))
			return cli_usage_error("lint", "unknown format '%s' (text, json, sarif, junit)", v);
		break;
	case OPT_ALL:
		la->all = true;
		break;
	case OPT_FROM:
		return cli_from_option("lint", v, &la->from);
	case 'o':
		la->output = v;
		break;
	case 'W':
		if (!apply_w(&la->checks, v))
			return EXIT_USAGE;
		break;
	}
	return -1;
}

/* Returns -1 when the arguments are fine, else the exit status. */
static int parse_args(int argc, char **argv, struct lint_args *la)
{
	int first;
	int status = cli_parse("lint", lint_details, argc, argv, lint_options, lint_option, la,
			       &first);
	if (status >= 0)
		return status;
	if (first == argc)
		return cli_usage_error("lint", "no FILE given");
	/* Several files are configurations to import together; a policy is one .tun. */
	for (int i = first; first < argc - 1 && i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (n >= 4 && strcmp(argv[i] + n - 4, ".tun") == 0)
			return cli_usage_error("lint", "more than one FILE given ('%s', '%s')",
					       argv[first], argv[first + 1]);
	}
	la->file = argv[first];
	la->configs = (const char *const *)argv + first;
	la->n_configs = (size_t)(argc - first);
	return -1;
}

/* Standard output gets the report as it is written (a big policy's report
 * need not sit whole in memory); a write error is reported at the end. */
static void flush_stdout(struct strbuf *out, void *arg)
{
	(void)arg;
	fwrite(out->s ? out->s : "", 1, out->len, stdout);
	strbuf_reset(out);
}

static int write_report(const struct strbuf *report, const char *output)
{
	if (output) {
		if (strbuf_write_file(report, output, 0644) != 0) {
			fprintf(stderr, "tunc: cannot write '%s': %s\n", output, strerror(errno));
			return EXIT_USAGE;
		}
		return EXIT_OK;
	}
	fwrite(report->s ? report->s : "", 1, report->len, stdout);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tunc: cannot write the report: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

int cmd_lint(int argc, char **argv)
{
	struct lint_args la = {.format = DIAG_FORMAT_TEXT};
	check_options_init(&la.checks);
	int status = parse_args(argc, argv, &la);
	if (status >= 0) {
		check_options_free(&la.checks);
		return status;
	}

	struct policy p;
	bool configs = la.n_configs > 1 || la.from || import_is_config(la.file);
	bool loaded = configs ? policy_import(&p, la.configs, la.n_configs, la.from, POLICY_MODELLED)
			      : policy_load(&p, la.file);
	/* Text without --all shows the first few findings of a kind: the
	 * list keeps only those, the first not shown, and counts the rest
	 * (a 10,000-spoke hub's 20,000 notes were 7 MB).  The other formats
	 * write every finding (JUnit too, its notes in system-out). */
	if (la.format == DIAG_FORMAT_TEXT && !la.all)
		diag_list_keep_first(&p.diags, LINT_REPEAT_LIMIT + 1);
	if (loaded)
		checks_run(&p.ir, p.model, &la.checks, &p.diags);
	else if (!diag_has_front_end_errors(&p.diags))
		diag_front(&p.diags, "io-error", LOC_NONE, "'%s' could not be loaded", la.file);
	diag_sort(&p.diags);

	/* The JUnit testcases: front-end entries always ran; a check ran when
	 * the model was built, it is enabled and it has a function. */
	bool *ran = xcalloc(check_count, sizeof(bool));
	for (size_t i = 0; i < check_count; i++)
		ran[i] = check_table[i].front_end || (check_table[i].reader && configs) ||
			 (loaded && la.checks.enabled[i] && check_table[i].run);

	struct diag_rule *rules = check_rules_new(ran);
	struct diag_write_opts opts = {
		.color = la.format == DIAG_FORMAT_TEXT && !la.output && diag_use_color(STDOUT_FILENO),
		.summary = true,
		.rules = rules,
		.n_rules = check_count,
		.flush = la.output ? NULL : flush_stdout,
		.repeat_limit = la.all ? 0 : LINT_REPEAT_LIMIT,
		.repeat_hint = "tunc lint --all",
	};
	struct strbuf report = STRBUF_INIT;
	diag_write(&report, la.format, &p.diags, &p.sources, &opts);
	status = write_report(&report, la.output);
	if (status == EXIT_OK) {
		if (!loaded || diag_has_front_end_errors(&p.diags))
			status = EXIT_USAGE;
		else if (diag_count(&p.diags, DIAG_ERROR) > 0)
			status = EXIT_FINDINGS;
	}
	strbuf_free(&report);
	free(rules);
	free(ran);
	policy_free(&p);
	check_options_free(&la.checks);
	return status;
}
