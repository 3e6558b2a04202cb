/*
 * fuzz_cohorts.c: the mentoring cohort file reader.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parity_cohorts *cohorts = NULL;
	const char *path = fuzz_write("cohorts.csv", data, size);
	if (parity_cohorts_load(&cohorts, path, NULL) == 0)
		parity_cohorts_free(cohorts);
	return 0;
}
