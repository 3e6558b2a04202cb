/*
 * sha256_fast.h: sha256_update with the CPU's SHA extensions (x86-64
 * SHA-NI) for whole blocks when the processor has them, and the portable
 * sha256.c otherwise. The digest is the same either way. Private to the
 * engine.
 */
#ifndef PARITY_SHA256_FAST_H
#define PARITY_SHA256_FAST_H

#include "sha256.h"

#include <stddef.h>

/* As sha256_update, faster where the CPU allows. */
void sha256_fast_update(sha256_ctx *ctx, const void *data, size_t size);

/* 1 when the accelerated path is in use (for tests and the benchmark). */
int sha256_fast_available(void);

#endif
