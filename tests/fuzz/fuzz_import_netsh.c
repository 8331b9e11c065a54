/* libFuzzer target: the netsh reader of tunc import (src/import/netsh).
 * fuzz_import.h says what each input goes through. */
#include "config.h"

#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_one(data, size, "fuzz.cfg", "netsh");
	return 0;
}
