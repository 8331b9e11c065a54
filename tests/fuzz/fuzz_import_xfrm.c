/* libFuzzer target: the xfrm reader of tunc import (src/import/xfrm).
 * fuzz_import.h says what each input goes through. */
#include "config.h"

#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_one(data, size, "fuzz.xfrm.sh", "xfrm");
	return 0;
}
