/*
 * fuzz_common.h: what every libFuzzer target shares. parity's readers take
 * file paths, so each input is written to a scratch file first; library
 * errors are expected (the input is hostile) and only crashes, leaks and
 * undefined behaviour are findings.
 */
#ifndef PARITY_FUZZ_COMMON_H
#define PARITY_FUZZ_COMMON_H

#include "parity.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* This process's scratch folder, made once: in /dev/shm where there is one,
 * since every ingested input commits (and syncs) a transaction. */
static const char *fuzz_dir(void)
{
	static char dir[64];
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "%s/parity-fuzz-XXXXXX",
		         access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
		if (!mkdtemp(dir))
			abort();
		parity_init();
	}
	return dir;
}

/* Write the input to DIR/name and return the path (static storage). */
static const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
	static char path[128];
	snprintf(path, sizeof path, "%s/%s", fuzz_dir(), name);
	FILE *out = fopen(path, "wb");
	if (!out)
		abort();
	if (size && fwrite(data, 1, size, out) != size)
		abort();
	fclose(out);
	return path;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
