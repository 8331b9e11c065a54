/* Command-line options from a table, parsed by getopt_long (options.h). */
#include "config.h"
#include "cli/options.h"
#include "cli/cli.h"
#include "util/arena.h"
#include "util/strbuf.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#define KEY_HELP 'h'

static const struct cli_option *find(const struct cli_option *opts, int key)
{
	for (; opts->key; opts++)
		if (opts->key == key)
			return opts;
	return NULL;
}

/* The option as the user typed it, for messages: "--format=", "-o". */
static const char *typed(char **argv, const char *value, char *shrt, int key)
{
	const char *last = argv[optind - 1];
	if (value && last == value && optind >= 2)
		last = argv[optind - 2];        /* "-o VALUE": the option before its value */
	if (strncmp(last, "--", 2) != 0 && key > 0 && key < 128) {
		shrt[0] = '-';
		shrt[1] = (char)key;
		shrt[2] = '\0';
		return shrt;
	}
	return last;
}

static int missing(const char *command, const struct cli_option *o, const char *as_typed)
{
	if (o->needs && o->name)
		return cli_usage_error(command, "--%s needs %s", o->name, o->needs);
	return cli_usage_error(command, "option '%s' needs a value", as_typed);
}

int cli_parse(const char *command, const char *details, int argc, char **argv,
	      const struct cli_option *opts, cli_option_fn on, void *arg, int *first_operand)
{
	size_t n = 0;
	while (opts[n].key)
		n++;
	struct option *longopts = xcalloc(n + 2, sizeof(*longopts));
	struct strbuf shortopts = STRBUF_INIT;
	strbuf_puts(&shortopts, ":h");          /* ':' first: a missing value is ':' */
	size_t nl = 0;
	for (size_t i = 0; i < n; i++) {
		if (opts[i].name)
			longopts[nl++] = (struct option){opts[i].name,
							 opts[i].value ? required_argument : no_argument,
							 NULL, opts[i].key};
		if (opts[i].key < 128) {
			strbuf_putc(&shortopts, (char)opts[i].key);
			if (opts[i].value)
				strbuf_putc(&shortopts, ':');
		}
	}
	longopts[nl] = (struct option){"help", no_argument, NULL, KEY_HELP};

	int status = -1;
	opterr = 0;
	optind = 0;             /* GNU: start afresh (a command may parse twice) */
	int c;
	char shrt[3];
	while (status < 0 &&
	       (c = getopt_long(argc, argv, strbuf_cstr(&shortopts), longopts, NULL)) != -1) {
		if (c == KEY_HELP) {
			status = cli_help(command, details);
		} else if (c == '?') {
			status = cli_usage_error(command, "unknown option '%s'",
						 typed(argv, NULL, shrt, optopt));
		} else if (c == ':') {
			const struct cli_option *o = find(opts, optopt);
			status = missing(command, o, typed(argv, NULL, shrt, optopt));
		} else {
			const struct cli_option *o = find(opts, c);
			if (o->value && !o->empty_ok && !*optarg)
				status = missing(command, o, typed(argv, optarg, shrt, c));
			else
				status = on(c, o->value ? optarg : NULL, arg);
		}
	}
	*first_operand = optind;
	free(longopts);
	strbuf_free(&shortopts);
	return status;
}
