/*
 * fuzz_config.c: the `parity run` configuration reader and its printer.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parity_run_config config;
	const char *path = fuzz_write("parity.ini", data, size);
	if (parity_run_config_load(&config, path) == 0) {
		FILE *sink = fopen("/dev/null", "w");
		if (sink) {
			parity_run_config_print(sink, &config);
			fclose(sink);
		}
	}
	return 0;
}
