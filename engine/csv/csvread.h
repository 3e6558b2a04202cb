/*
 * csvread.h: the streaming CSV reader every file parity reads goes through.
 * Wraps libcsv with what real extracts need: a byte-order mark, CRLF, a
 * detected or given delimiter, UTF-8 validation (or Windows-1252 conversion),
 * physical line numbers for every record, limits on field size and column
 * count, and the file's SHA-256 computed on the way. Lines without quotes
 * are split directly (libcsv's rules, without its per-byte callbacks); lines
 * with quotes or stray carriage returns go through libcsv. Optionally the
 * parsing runs on a second thread while the caller's callback runs on its
 * own. A cursor re-reads single records later, from a known line start.
 * Private to the library.
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
	int threaded;         /* 1: parse on a second thread (csvread_file only);
	                         the callback still runs on the caller's thread */
} csvread_options;

/* One record: `count` NUL-terminated fields (writable, with their lengths;
 * fields[count] is NULL), borrowed until the callback returns. `line` is the physical line the
 * record starts on (1-based); `ordinal` counts the records that ended
 * earlier on that same line (0 unless a bare carriage return ends records
 * mid-line); `offset` is the byte offset in the file of that line's start.
 * (line, ordinal) identifies a record; a record with ordinal 0 starts
 * outside any other record, so a cursor can seek to its line. */
typedef struct csvread_record {
	uint64_t line;
	char **fields;
	size_t count;
	size_t *lengths;
	uint32_t ordinal;
	uint64_t offset;
} csvread_record;

/* Called for each record, the header included. Return 0 to go on, a
 * positive value to stop reading quietly, or a negative parity error (with
 * the message set) to stop with that error. */
typedef int (*csvread_fn)(void *context, const csvread_record *record);

typedef struct csvread_result {
	char sha256[65];      /* digest of the file's bytes */
	uint64_t bytes;       /* size of the file */
	uint64_t records;     /* records delivered, header included */
	char delimiter;       /* the delimiter used */
	int had_bom;          /* 1 when a UTF-8 byte-order mark was skipped */
} csvread_result;

/*
 * Read `path` record by record, calling `fn` for each. Returns 0 (also when
 * the callback stopped the read), the callback's error, or
 * PARITY_ENOINPUT / PARITY_EIO / PARITY_EDATA (invalid UTF-8, a NUL byte, a
 * field or record over the limits, an unterminated quote) with a message
 * naming the file and line. Records before a damaged line are delivered
 * first, as in a plain sequential read. `result` may be NULL.
 */
int csvread_file(csvread_result *result, const char *path,
                 const csvread_options *options, csvread_fn fn, void *context);

/* A reader positioned anywhere a record starts with ordinal 0, for
 * re-reading a few records of a file already read once. */
typedef struct csvread_cursor csvread_cursor;

/* Open `path` for re-reading with the delimiter (required, not detected)
 * and encoding of `options`. *out belongs to the caller, who frees it with
 * csvread_cursor_free(). Returns 0, PARITY_ENOINPUT, PARITY_EIO or
 * PARITY_ENOMEM. */
int csvread_cursor_open(csvread_cursor **out, const char *path,
                        const csvread_options *options);

/* Continue reading from byte `offset`, which must be the start of physical
 * line `line` where a record with ordinal 0 starts (the header's line 1
 * starts after any byte-order mark). 0 or PARITY_EIO. */
int csvread_cursor_seek(csvread_cursor *cursor, uint64_t offset, uint64_t line);

/* The next record, borrowed until the next call: returns 1 with *out set,
 * 0 at the end of the file, or a negative parity error. */
int csvread_cursor_next(csvread_cursor *cursor, const csvread_record **out);

/* Close the cursor; NULL is allowed. */
void csvread_cursor_free(csvread_cursor *cursor);

/* Write one field, quoted only when it holds the delimiter, a quote or a
 * line break, or starts or ends with a space or tab (which an unquoted
 * field would lose on reading). RFC 4180 quoting. */
void csvread_write_field(FILE *out, const char *field);

/* Write a text cell for a spreadsheet user: as csvread_write_field, but a
 * cell that starts with '=', '+', '-', '@', a tab, a carriage return or a
 * single quote gets a leading single quote, so that a spreadsheet shows it
 * instead of running it as a formula. Removing the first character of a
 * cell that starts with a single quote recovers the original exactly. */
void csvread_write_text(FILE *out, const char *text);

/* Undo csvread_write_text's neutralising quote in place: a value that
 * starts with a single quote loses it. Returns `text`. */
char *csvread_unneutralise(char *text);

/* Write `fields` as one CSV record, comma separated, ending in "\n". */
void csvread_write_record(FILE *out, char *const *fields, size_t count);

#endif
