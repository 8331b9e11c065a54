/* tunc: the command line only.  Everything else is in libtunc. */
#include "config.h"
#include "cli/cli.h"
#include "ir/psk.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct command command_table[] = {
	{"compile", "compile FILE.tun [-t TARGET]... [-g GATEWAY]... [-o DIR] [--force]",
	 "write each gateway's configuration, both ends of every tunnel", cmd_compile},
	{"lint", "lint FILE.tun|CONFIG... [--from FORMAT] [--format text|json|sarif|junit] [-o FILE] [-W NAME] [-Wno-NAME] [-Werror]",
	 "check a policy for the pitfalls that break real tunnels", cmd_lint},
	{"run", "run FILE.tun|ENGINE.xml|CONFIG... [--from FORMAT] [--send 'SRC -> DST [PROTO [PORT]]']... [--count N] "
		"[--counters] [--pcap DIR] [--keylog FILE] [--seed N] [--format text|json]",
	 "send packets through the compiled policy on the reference engine", cmd_run},
	{"test", "test FILE.tun|CONFIG... [--from FORMAT] [--format text|json|junit]",
	 "run every `expect` of a policy on the engine", cmd_test},
	{"bench", "bench [--spd N] [--alg ALG]... [--size BYTES] [--packets N] [--format text|json]",
	 "measure the engine's SPD lookup and ESP speed on this machine", cmd_bench},
	{"explain", "explain NAME | --list [--verbose]",
	 "explain a check: rationale, seed, example and fix", cmd_explain},
	{"graph", "graph FILE.tun|CONFIG... [--from FORMAT] [-o FILE.dot]", "write the topology as Graphviz DOT", cmd_graph},
	{"import", "import CONFIG... [-o FILE.tun] [--from FORMAT]",
	 "read device configurations and write the equivalent .tun", cmd_import},
};
const size_t command_count = sizeof(command_table) / sizeof(command_table[0]);

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < command_count; i++)
		if (strcmp(command_table[i].name, name) == 0)
			return &command_table[i];
	return NULL;
}

bool cli_is_help(const char *arg)
{
	return strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0;
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
	va_list ap;
	fputs("tunc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	const struct command *c = command ? find_command(command) : NULL;
	if (c)
		fprintf(stderr, "usage: tunc %s\nTry 'tunc %s --help' for more information.\n",
			c->synopsis, c->name);
	else
		fputs("Try 'tunc --help' for more information.\n", stderr);
	return EXIT_USAGE;
}

int cli_help(const char *command, const char *details)
{
	const struct command *c = find_command(command);
	printf("usage: tunc %s\n\n%s\n", c ? c->synopsis : command, c ? c->summary : "");
	if (details && *details)
		printf("\n%s", details);
	return EXIT_OK;
}

static void print_help(void)
{
	printf("usage: tunc COMMAND [ARGS]\n\n"
	       "tunc compiles an IPsec tunnel-mode policy (.tun) into each gateway's\n"
	       "configuration, checks it for the pitfalls that break real tunnels, and runs\n"
	       "it on a reference enforcement engine.\n\nCommands:\n");
	for (size_t i = 0; i < command_count; i++)
		printf("  %-9s %s\n", command_table[i].name, command_table[i].summary);
	printf("\nOptions:\n  -h, --help     this text (and 'tunc COMMAND --help', 'tunc help COMMAND')\n"
	       "  -V, --version  print the version\n\n"
	       "Exit status: 0 success, 1 findings of severity error / a failed expectation /\n"
	       "compile refused, 2 usage, I/O or parse errors.\n"
	       "See tunc(1) and tunc.tun(5).\n");
}

/* tunc's own options, before the command (getopt_long stops at the first
 * operand, the command's name: "+"). */
static const struct option global_options[] = {
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

/* "tunc help [COMMAND]" and "tunc --help": COMMAND's help, or tunc's. */
static int help(int argc, char **argv, int first)
{
	if (first >= argc) {
		print_help();
		return EXIT_OK;
	}
	const struct command *c = find_command(argv[first]);
	if (c) {
		static char help_opt[] = "--help";
		char *help_argv[] = {argv[first], help_opt, NULL};
		return c->run(2, help_argv);
	}
	if (cli_is_help(argv[first])) {
		print_help();
		return EXIT_OK;
	}
	return cli_usage_error(NULL, "unknown command '%s'", argv[first]);
}

static int run_command(int argc, char **argv)
{
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, "+hV", global_options, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_help();
			return EXIT_OK;
		case 'V':
			printf("tunc %s\n", PACKAGE_VERSION);
			return EXIT_OK;
		default:
			return cli_usage_error(NULL, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind >= argc)
		return cli_usage_error(NULL, "no command given");
	const char *name = argv[optind];
	if (strcmp(name, "help") == 0)
		return help(argc, argv, optind + 1);
	const struct command *cmd = find_command(name);
	if (!cmd)
		return cli_usage_error(NULL, "unknown command '%s'", name);
	int n = cli_take_key_path_options(argc - optind, argv + optind);
	if (n < 0)
		return cli_usage_error(cmd->name, "option '--allow-key-path' needs a directory");
	int status = cmd->run(n, argv + optind);
	psk_allow_reset();
	return status;
}

int main(int argc, char **argv)
{
	int status = run_command(argc, argv);
	/* Results that did not reach standard output (a full disk, a closed
	 * pipe) are a failure, whatever the command found.  A command that
	 * already failed with status 2 has said why. */
	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (status != EXIT_USAGE)
			fprintf(stderr, "tunc: cannot write to standard output: %s\n",
				strerror(errno ? errno : EIO));
		status = EXIT_USAGE;
	}
	return status;
}
