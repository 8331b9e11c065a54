/* tunc explain NAME | --list [--verbose]
 *
 * Everything printed comes from the registry (src/check/check_table.c), the
 * same text SARIF carries as rule help. */
#include "config.h"
#include "cli/cli.h"
#include "cli/options.h"
#include "check/check.h"

#include <stdio.h>
#include <string.h>

static const char explain_details[] =
	"Prints why check NAME exists (the rationale and the seed documents it comes\n"
	"from), an example that triggers it and how to fix it.\n"
	"\n"
	"Options:\n"
	"  --list              the name of every check, one per line\n"
	"  --list --verbose    the same with each check's default severity and summary\n";

#define WRAP_WIDTH 78

/* TEXT as a paragraph, words wrapped at WRAP_WIDTH, each line indented. */
static void print_wrapped(const char *text, const char *indent)
{
	size_t col = 0, ind = strlen(indent);
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n == 0)
			break;
		if (col > 0 && col + 1 + n > WRAP_WIDTH) {
			putchar('\n');
			col = 0;
		}
		if (col == 0) {
			fputs(indent, stdout);
			col = ind;
		} else {
			putchar(' ');
			col++;
		}
		fwrite(p, 1, n, stdout);
		col += n;
		p += n;
	}
	if (col > 0)
		putchar('\n');
}

/* Each line of TEXT (an example) indented, as is. */
static void print_indented(const char *text, const char *indent)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");
		printf("%s%.*s\n", n ? indent : "", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void print_seeds(const char *seeds)
{
	if (!*seeds) {
		puts("Source: general IPsec practice (no seed document)");
		return;
	}
	puts("Seeds:");
	for (const char *p = seeds; *p;) {
		p += strspn(p, ", ");
		size_t n = strcspn(p, ", ");
		if (n == 0)
			break;
		char num[8];
		snprintf(num, sizeof(num), "%.*s", (int)(n < 7 ? n : 7), p);
		const char *title = check_seed_title(num);
		printf("  %s  ", num);
		/* Titles are long: wrap them under their own column. */
		size_t col = 2 + strlen(num) + 2;
		bool first = true;
		for (const char *t = title ? title : "(unknown seed)"; *t;) {
			t += strspn(t, " ");
			size_t w = strcspn(t, " ");
			if (w == 0)
				break;
			if (!first && col + 1 + w > WRAP_WIDTH) {
				printf("\n       ");
				col = 7;
			} else if (!first) {
				putchar(' ');
				col++;
			}
			printf("%.*s", (int)w, t);
			col += w;
			t += w;
			first = false;
		}
		putchar('\n');
		p += n;
	}
}

static void explain(const struct check_info *c)
{
	printf("%s: %s\n", c->name, c->summary);
	if (c->front_end)
		printf("Severity: %s (a parse or name error: cannot be disabled; exit status 2)\n",
		       diag_severity_name(c->severity));
	else if (c->reader)
		printf("Severity: %s (reported while reading configurations: cannot be disabled)\n",
		       diag_severity_name(c->severity));
	else
		printf("Severity: %s by default (-Wno-%s disables it)\n",
		       diag_severity_name(c->severity), c->name);
	putchar('\n');
	print_wrapped(c->explanation, "");
	putchar('\n');
	print_seeds(c->seeds);
	printf("\nExample:\n");
	print_indented(c->example, "    ");
	printf("\nFix:\n");
	print_wrapped(c->fix, "  ");
}

struct explain_args {
	bool list, verbose;
	const char *name;
};

static const struct cli_option explain_options[] = {
	{"list", 'l', false, NULL, false},
	{"verbose", 'v', false, NULL, false},
	/* "-Wselector-mirror" pasted from a lint line names the check too. */
	{NULL, 'W', true, NULL, false},
	{0},
};

static int explain_option(int key, const char *v, void *arg)
{
	struct explain_args *ea = arg;
	if (key == 'l')
		ea->list = true;
	else if (key == 'v')
		ea->verbose = true;
	else if (ea->name)
		return cli_usage_error("explain", "one NAME at a time ('%s', '%s')", ea->name, v);
	else
		ea->name = v;
	return -1;
}

int cmd_explain(int argc, char **argv)
{
	struct explain_args ea = {0};
	int first;
	int status = cli_parse("explain", explain_details, argc, argv, explain_options,
			       explain_option, &ea, &first);
	if (status >= 0)
		return status;
	bool list = ea.list, verbose = ea.verbose;
	const char *name = ea.name;
	for (int i = first; i < argc; i++) {
		if (name)
			return cli_usage_error("explain", "one NAME at a time ('%s', '%s')", name,
					       argv[i]);
		name = argv[i];
	}
	if (list) {
		if (name)
			return cli_usage_error("explain", "--list takes no NAME");
		for (size_t i = 0; i < check_count; i++) {
			const struct check_info *c = &check_table[i];
			if (verbose)
				printf("%-24s %-8s %s\n", c->name, diag_severity_name(c->severity),
				       c->summary);
			else
				puts(c->name);
		}
		return EXIT_OK;
	}
	if (!name)
		return cli_usage_error("explain", "no NAME given (see 'tunc explain --list')");
	const char *lookup = name;
	const struct check_info *c = check_find(lookup);
	if (!c) {
		const struct check_info *near = check_nearest(lookup);
		fprintf(stderr, "tunc: unknown check '%s'", lookup);
		if (near)
			fprintf(stderr, "; did you mean '%s'?", near->name);
		fputs("\nTry 'tunc explain --list' for the names of all checks.\n", stderr);
		return EXIT_USAGE;
	}
	explain(c);
	return EXIT_OK;
}
