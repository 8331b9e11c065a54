/* Replays inputs through one fuzz target's LLVMFuzzerTestOneInput without
 * libFuzzer, so that `make check` (and its sanitizer build) runs every
 * corpus file and every input that once found a defect
 * (tests/fuzz/crashers/NAME/) through the target, not only the fuzzers.
 * Linked with tests/fuzz/fuzz_NAME.c as tests/fuzz/replay_NAME.
 *
 *   replay_NAME FILE|DIR...      (a directory: its files, in name order)
 *
 * Each input is read into a buffer of exactly its size, as libFuzzer does,
 * so that a sanitizer sees a read past its end.  A target reports a defect
 * by crashing or aborting; exit 2: an input could not be read. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Defined by the targets that build something once (fuzz_send.c). */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path, size_t *count)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", path,
			f ? "not a regular file" : strerror(errno));
		if (f)
			fclose(f);
		return 2;
	}
	size_t size = (size_t)st.st_size;
	uint8_t *data = malloc(size ? size : 1);
	if (!data || fread(data, 1, size, f) != size) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		free(data);
		fclose(f);
		return 2;
	}
	fclose(f);
	fprintf(stderr, "replay: %s\n", path);    /* the culprit, should it crash */
	LLVMFuzzerTestOneInput(data, size);
	free(data);
	(*count)++;
	return 0;
}

static int replay_dir(const char *dir, size_t *count)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		fprintf(stderr, "replay: cannot read '%s': %s\n", dir, strerror(errno));
		return 2;
	}
	int rc = 0;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		/* Dot files (README, .gitignore) describe; they are not inputs. */
		if (name[0] != '.' && strcmp(name, "README") != 0 && !rc) {
			size_t len = strlen(dir) + strlen(name) + 2;
			char *path = malloc(len);
			if (!path)
				abort();
			snprintf(path, len, "%s/%s", dir, name);
			rc = replay_file(path, count);
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	size_t count = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		int rc = stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode) ? replay_dir(argv[i], &count)
									: replay_file(argv[i], &count);
		if (rc)
			return rc;
	}
	printf("%zu inputs replayed\n", count);
	return 0;
}
