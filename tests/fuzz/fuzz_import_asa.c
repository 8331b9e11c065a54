/* libFuzzer target: the PIX and ASA readers of tunc import
 * (src/import/pix_asa); each input goes through both, since they share the
 * common statements.  fuzz_import.h says what an input goes through. */
#include "config.h"

#include "fuzz_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_import_one(data, size, "fuzz.cfg", "asa");
	fuzz_import_one(data, size, "fuzz.cfg", "pix");
	return 0;
}
