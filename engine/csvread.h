/*
 * csvread.h: the streaming CSV reader every file parity reads goes through.
 * Wraps libcsv with what real extracts need: a byte-order mark, CRLF, a
 * detected or given delimiter, UTF-8 validation (or Windows-1252 conversion),
 * physical line numbers for every record, limits on field size and column
 * count, and the file's SHA-256 computed on the way. Private to the library.
 */
#ifndef PARITY_CSVREAD_H
#define PARITY_CSVREAD_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct csvread_options {
	char delimiter;       /* ',', ';' or '\t'; 0 to detect from the first line */
	int windows1252;      /* 1: the file is Windows-1252, convert to UTF-8 */
	size_t max_field;     /* longest field accepted; 0 for 1 MiB */
	size_t max_columns;   /* most fields in a record; 0 for 1,024 */
} csvread_options;

/* One record: `count` NUL-terminated fields, borrowed until the callback
 * returns. `line` is the physical line the record starts on (1-based). */
typedef struct csvread_record {
	uint64_t line;
	char **fields;
	size_t count;
} csvread_record;

/* Called for each record, the header included. Return 0 to go on, or a
 * negative parity error (with the message set) to stop reading. */
typedef int (*csvread_fn)(void *context, const csvread_record *record);

typedef struct csvread_result {
	char sha256[65];      /* digest of the file's bytes */
	uint64_t bytes;       /* size of the file */
	uint64_t records;     /* records delivered, header included */
	char delimiter;       /* the delimiter used */
	int had_bom;          /* 1 when a UTF-8 byte-order mark was skipped */
} csvread_result;

/*
 * Read `path` record by record, calling `fn` for each. Returns 0, the
 * callback's error, or PARITY_ENOINPUT / PARITY_EIO / PARITY_EDATA (invalid
 * UTF-8, a NUL byte, a field or record over the limits, an unterminated
 * quote) with a message naming the file and line. `result` may be NULL.
 */
int csvread_file(csvread_result *result, const char *path,
                 const csvread_options *options, csvread_fn fn, void *context);

/* Write one field, quoted only when it holds the delimiter, a quote or a
 * line break (RFC 4180). */
void csvread_write_field(FILE *out, const char *field);

/* Write `fields` as one CSV record, comma separated, ending in "\n". */
void csvread_write_record(FILE *out, char *const *fields, size_t count);

#endif
