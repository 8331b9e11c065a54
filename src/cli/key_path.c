/* --allow-key-path DIR, accepted by every command that reads keys (lint,
 * compile, run, test, graph): taken out of the command's arguments before
 * the command parses them, so that one place defines it. */
#include "config.h"
#include "cli/cli.h"
#include "ir/psk.h"

#include <string.h>

static const char opt[] = "--allow-key-path";

int cli_take_key_path_options(int argc, char **argv)
{
	int out = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t n = sizeof(opt) - 1;
		if (strcmp(a, "--") == 0) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strncmp(a, opt, n) == 0 && a[n] == '=' && a[n + 1]) {
			psk_allow_dir(a + n + 1);
			continue;
		}
		if (strcmp(a, opt) == 0) {
			if (i + 1 >= argc || !argv[i + 1][0])
				return -1;
			psk_allow_dir(argv[++i]);
			continue;
		}
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}
