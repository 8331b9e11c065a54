/* Command-line options from a table: each command lists its options once,
 * and getopt_long parses them (short "-oVALUE" / "-o VALUE", long
 * "--output=VALUE" / "--output VALUE", "--" ending the options, operands
 * anywhere).  -h and --help are every command's. */
#ifndef TUNC_CLI_OPTIONS_H
#define TUNC_CLI_OPTIONS_H

#include <stdbool.h>

/* Keys of options without a short letter start here. */
#define CLI_LONG_ONLY 256

struct cli_option {
	const char *name;       /* long name without "--"; NULL: short only */
	int key;                /* its short letter, or CLI_LONG_ONLY + n; 0 ends a table */
	bool value;             /* takes a value */
	/* A value missing (or empty): "--NAME needs NEEDS" ("a directory");
	 * NULL: "option '-o' needs a value", as typed. */
	const char *needs;
	bool empty_ok;          /* an empty value is a value (checked by the command) */
};

/* Called for each option in order with its VALUE (NULL for a flag).
 * Returns -1 to go on, or the command's exit status. */
typedef int (*cli_option_fn)(int key, const char *value, void *arg);

/* Parses ARGV (ARGV[0] the command's name) against OPTS.  Returns -1 when
 * every option was fine, *FIRST_OPERAND then being the index of the first
 * operand in ARGV (getopt_long moves operands after the options); else the
 * exit status: EXIT_OK after --help (DETAILS printed), EXIT_USAGE after a
 * usage error (printed as cli_usage_error does). */
int cli_parse(const char *command, const char *details, int argc, char **argv,
	      const struct cli_option *opts, cli_option_fn on, void *arg, int *first_operand);

#endif
