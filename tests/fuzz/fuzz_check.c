/*
 * fuzz_check.c: the WRES-style submission reader and checker.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parity_check_report *report = NULL;
	const char *path = fuzz_write("submission.csv", data, size);
	parity_check_file(&report, path);
	parity_check_report_free(report);
	return 0;
}
