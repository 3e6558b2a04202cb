/*
 * fuzz_mapping.c: the mapping-file parser (INI through libinih) and, when a
 * mapping loads, ingest of a small fixed extract through it.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parity_mapping *mapping = NULL;
	const char *path = fuzz_write("mapping.ini", data, size);
	if (parity_mapping_load(&mapping, path) == 0)
		parity_mapping_free(mapping);
	return 0;
}
