/*
 * csvread_internal.h: the reader's state shared by its files (csvread.c:
 * buffers, the parser's life and cursors; csvread_line.c: lines to fields;
 * csvread_thread.c: reading a whole file on a second thread).
 */
#ifndef PARITY_CSVREAD_INTERNAL_H
#define PARITY_CSVREAD_INTERNAL_H

#include "csvread.h"
#include "util/sha256_fast.h"

#include <csv.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define DEFAULT_MAX_FIELD (1u << 20)
#define DEFAULT_MAX_COLUMNS 1024
#define MAX_LINE (64u << 20)
#define BLOCK_SIZE (1u << 18)     /* bytes read at a time */
#define BATCH_TEXT (1u << 18)     /* a batch is handed over past this much text */
#define CURSOR_BLOCK (1u << 14)
#define BATCHES 4                 /* batches in flight when threaded */

/* Byte classes for the direct split; 0 is an ordinary byte. */
enum { C_DELIM = 1, C_QUOTE = 2, C_CR = 4, C_NUL = 8, C_HIGH = 16 };

/* One record's place in a batch. */
typedef struct batch_record {
	uint64_t line;
	uint64_t offset;
	uint32_t ordinal;
	size_t first;         /* index of its first field */
	size_t count;
	size_t pointer;       /* index of its first field pointer (batch_seal) */
} batch_record;

/* Parsed records: their fields' text (NUL-terminated) and positions. */
typedef struct batch {
	char *text;
	size_t text_used, text_size;
	size_t *starts, *lengths;   /* each field's offset in `text`, length */
	size_t fields, fields_size;
	batch_record *records;
	size_t count, records_size;
	char **pointers;            /* each field's text, made by batch_seal() */
	size_t pointers_size;
	int sealed;
} batch;

typedef struct parser {
	const char *path;
	size_t max_field, max_columns;
	int windows1252;
	char delimiter;       /* 0 until detected */
	unsigned char cls[256];
	FILE *in;
	int hashing;          /* compute the digest (csvread_file only) */
	sha256_ctx sha;
	uint64_t bytes;
	int had_bom;
	int started;          /* the first block was seen (BOM check) */
	int at_eof;
	int finished;         /* csv_fini done: nothing more will come */

	char *block;          /* bytes read, not yet split into lines */
	size_t block_size, block_pos, block_len;
	char *line_buf;       /* a line that straddles blocks */
	size_t line_used, line_size;
	char *conv;           /* Windows-1252 converted to UTF-8 */
	size_t conv_size;

	struct csv_parser csv;
	int csv_ready;
	uint64_t line;        /* physical line being parsed (1-based) */
	uint64_t line_offset; /* byte offset of that line's start */
	uint64_t record_line; /* where the record being parsed starts */
	uint64_t record_offset;
	uint32_t record_ordinal;
	uint32_t ends_on_line;/* records that ended on the current line */
	size_t record_first;  /* batch field index where it starts */
	batch *out;           /* where libcsv's callbacks put fields */
	int error;            /* first error from a libcsv callback */
} parser;

/* csvread.c: buffers and the parser's life. */
int csvread_grow(void **buffer, size_t *size, size_t need, size_t unit);
void csvread_batch_clear(batch *b);
int csvread_batch_seal(batch *b);
void csvread_batch_free(batch *b);
int csvread_no_memory(const parser *p);
int csvread_batch_reserve(parser *p, batch *b, size_t text, size_t fields);
int csvread_batch_add_record(parser *p, batch *b, uint64_t line,
                             uint64_t offset, uint32_t ordinal, size_t first);
int csvread_parser_open(parser *p, const char *path,
                        const csvread_options *options, size_t block_size);
void csvread_parser_close(parser *p);

/* csvread_line.c: set the delimiter (and the byte classes that follow from
 * it); parse into `b` (see the function's comment: 0, 1 at the end of the
 * file, or a negative error). */
void csvread_set_delimiter(parser *p, char delimiter);
int csvread_produce(parser *p, batch *b, size_t min_text, size_t min_records);

/* csvread_thread.c: point *fields and *lengths (grown to *size entries) at
 * the fields of record `r` of batch `b`; 0 or -1 when out of memory. */
int csvread_view_record(char ***fields, size_t **lengths, size_t *size,
                        const batch *b, const batch_record *r);

#endif
