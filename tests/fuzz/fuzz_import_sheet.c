/* libFuzzer target: the peer sheet reader of tunc import (src/import/sheet).
 * fuzz_import.h says what each input goes through. */
#include "config.h"

#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_one(data, size, "fuzz.peer.txt", "sheet");
	return 0;
}
