/* libFuzzer target: the swanctl reader of tunc import (src/import/swanctl).
 * fuzz_import.h says what each input goes through. */
#include "config.h"

#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_one(data, size, "fuzz.cfg", "swanctl");
	return 0;
}
