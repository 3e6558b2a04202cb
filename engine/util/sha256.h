/*
 * sha256.h: SHA-256 (FIPS 180-4), used to recognise a file delivered twice
 * and to list every input's digest in the report. Private to the engine.
 */
#ifndef PARITY_SHA256_H
#define PARITY_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct sha256_ctx {
	uint32_t state[8];     /* running hash */
	uint64_t length;       /* bytes hashed so far */
	unsigned char block[64]; /* pending partial block */
	size_t used;           /* bytes in `block` */
} sha256_ctx;

/* The 64 round constants K (FIPS 180-4 section 4.2.2), shared by the
 * portable and the accelerated compression. */
extern const uint32_t sha256_round_constants[64];

void sha256_init(sha256_ctx *ctx);
void sha256_update(sha256_ctx *ctx, const void *data, size_t size);
/* Finish and write the digest as 64 lower-case hex digits plus NUL. */
void sha256_final_hex(sha256_ctx *ctx, char hex[65]);

/* Hash a whole file. Returns 0, or PARITY_ENOINPUT / PARITY_EIO. */
int sha256_file_hex(const char *path, char hex[65]);

#endif
