/* The command line: one table of commands (main.c), one file per command. */
#ifndef TUNC_CLI_H
#define TUNC_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "policy/policy.h"

/* Exit statuses of every command (CLI.md). */
enum {
	EXIT_OK = 0,
	EXIT_FINDINGS = 1,      /* errors found / expectation failed / compile refused */
	EXIT_USAGE = 2,         /* usage, I/O or parse errors */
};

struct command {
	const char *name;
	const char *synopsis;           /* the usage line after "tunc " */
	const char *summary;            /* one line for `tunc --help` */
	int (*run)(int argc, char **argv);      /* argv[0] is the command name */
};

extern const struct command command_table[];
extern const size_t command_count;

int cmd_lint(int argc, char **argv);
int cmd_compile(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_explain(int argc, char **argv);
int cmd_graph(int argc, char **argv);
int cmd_import(int argc, char **argv);

/* Prints "usage: tunc SYNOPSIS" and the hint to standard error; returns EXIT_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Prints a command's --help text (synopsis + DETAILS) to standard output. */
int cli_help(const char *command, const char *details);
/* True if ARG is -h or --help. */
bool cli_is_help(const char *arg);
/* Prints a policy's diagnostics as text on standard error (the commands
 * other than lint, when the front end fails). */
void policy_print_errors(struct policy *p);
/* run and test keep running a policy with findings (a broken example must
 * still show its failure), but first say on standard error how many errors
 * lint reports in it (nothing when none). */
void cli_note_lint_errors(const struct policy *p, const char *file);
/* --from FORMAT (lint, import, run, test, graph): VALUE must name a
 * configuration reader.  Returns -1 with *OUT = VALUE, or EXIT_USAGE after
 * a usage error listing the formats. */
int cli_from_option(const char *command, const char *value, const char **out);
/* Takes every --allow-key-path DIR out of a command's ARGV (argv[0] is the
 * command) and trusts DIR for key files (ir/psk.h).  Returns the new argc,
 * or -1 when the option lacks its value. */
int cli_take_key_path_options(int argc, char **argv);

#endif
