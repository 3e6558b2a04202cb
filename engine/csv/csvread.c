/*
 * csvread.c: streaming CSV reading. Splits the input into physical lines
 * (so every record knows its line and the byte offset of that line), checks
 * the encoding, and parses each line either directly (no quotes: split at
 * the delimiter and trim as libcsv does) or through libcsv. Records are
 * collected in batches, which a second thread can fill while the caller
 * consumes the previous ones. This file holds the batches, the parser's
 * life and the cursors; lines are parsed in csvread_line.c, whole files
 * read in csvread_thread.c.
 */
#include "csvread_internal.h"

#include "parity/common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- buffers ------------------------------------------------------------- */

int csvread_grow(void **buffer, size_t *size, size_t need, size_t unit)
{
	if (need <= *size)
		return 0;
	size_t n = *size ? *size : 16;
	while (n < need)
		n *= 2;
	void *p = realloc(*buffer, n * unit);
	if (!p)
		return -1;
	*buffer = p;
	*size = n;
	return 0;
}

void csvread_batch_clear(batch *b)
{
	b->text_used = b->fields = b->count = 0;
	b->sealed = 0;
}

/* Turn the fields' offsets into pointers, once the text will not move (on
 * the parsing thread, so the consumer does not have to): each record's
 * pointers followed by a NULL, as callers have always been given. */
int csvread_batch_seal(batch *b)
{
	size_t need = b->fields + b->count;
	if (need > b->pointers_size) {
		size_t size = b->pointers_size ? b->pointers_size : 256;
		while (size < need)
			size *= 2;
		char **p = realloc(b->pointers, size * sizeof *p);
		if (!p)
			return -1;
		b->pointers = p;
		b->pointers_size = size;
	}
	size_t at = 0;
	for (size_t i = 0; i < b->count; i++) {
		batch_record *r = &b->records[i];
		r->pointer = at;
		for (size_t f = 0; f < r->count; f++)
			b->pointers[at++] = b->text + b->starts[r->first + f];
		b->pointers[at++] = NULL;
	}
	b->sealed = 1;
	return 0;
}

void csvread_batch_free(batch *b)
{
	free(b->text);
	free(b->starts);
	free(b->lengths);
	free(b->records);
	free(b->pointers);
	memset(b, 0, sizeof *b);
}

int csvread_no_memory(const parser *p)
{
	return parity_error_set(PARITY_ENOMEM, "out of memory reading %s", p->path);
}

/* Room for `text` more bytes and `fields` more fields. */
int csvread_batch_reserve(parser *p, batch *b, size_t text, size_t fields)
{
	if (csvread_grow((void **)&b->text, &b->text_size, b->text_used + text, 1))
		return csvread_no_memory(p);
	if (b->fields + fields <= b->fields_size)
		return 0;
	/* starts and lengths share fields_size */
	size_t size = b->fields_size ? b->fields_size : 64;
	while (size < b->fields + fields)
		size *= 2;
	size_t *starts = realloc(b->starts, size * sizeof *starts);
	if (!starts)
		return csvread_no_memory(p);
	b->starts = starts;
	size_t *lengths = realloc(b->lengths, size * sizeof *lengths);
	if (!lengths)
		return csvread_no_memory(p);
	b->lengths = lengths;
	b->fields_size = size;
	return 0;
}

int csvread_batch_add_record(parser *p, batch *b, uint64_t line,
                             uint64_t offset, uint32_t ordinal, size_t first)
{
	if (csvread_grow((void **)&b->records, &b->records_size, b->count + 1,
	                 sizeof(batch_record)))
		return csvread_no_memory(p);
	batch_record *r = &b->records[b->count++];
	r->line = line;
	r->offset = offset;
	r->ordinal = ordinal;
	r->first = first;
	r->count = b->fields - first;
	return 0;
}

/* ---- the parser's life ---------------------------------------------------- */

int csvread_parser_open(parser *p, const char *path,
                        const csvread_options *options, size_t block_size)
{
	memset(p, 0, sizeof *p);
	p->path = path;
	p->max_field = options && options->max_field ? options->max_field
	                                             : DEFAULT_MAX_FIELD;
	p->max_columns = options && options->max_columns ? options->max_columns
	                                                 : DEFAULT_MAX_COLUMNS;
	p->windows1252 = options && options->windows1252;
	p->line = 1;
	p->in = fopen(path, "rb");
	if (!p->in)
		return parity_error_set(errno == ENOENT ? PARITY_ENOINPUT : PARITY_EIO,
		                        "%s: cannot open: %s", path, strerror(errno));
	if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	p->csv_ready = 1;
	if (options && options->delimiter)
		csvread_set_delimiter(p, options->delimiter);
	p->block_size = block_size;
	if (!(p->block = malloc(block_size)))
		return csvread_no_memory(p);
	return 0;
}

void csvread_parser_close(parser *p)
{
	if (p->csv_ready)
		csv_free(&p->csv);
	if (p->in)
		fclose(p->in);
	free(p->block);
	free(p->line_buf);
	free(p->conv);
	memset(p, 0, sizeof *p);
}

/* ---- cursors ----------------------------------------------------------------- */

struct csvread_cursor {
	parser p;
	batch b;
	size_t next;           /* next record of `b` to return */
	int end;               /* the parser reached the end of the file */
	char **fields;
	size_t *lengths;
	size_t size;
	csvread_record record;
};

int csvread_cursor_open(csvread_cursor **out, const char *path,
                        const csvread_options *options)
{
	*out = NULL;
	csvread_cursor *c = calloc(1, sizeof *c);
	if (!c)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	int rc = csvread_parser_open(&c->p, path, options, CURSOR_BLOCK);
	if (rc) {
		csvread_cursor_free(c);
		return rc;
	}
	c->p.started = 1; /* seeks give line starts past any byte-order mark */
	*out = c;
	return 0;
}

int csvread_cursor_seek(csvread_cursor *c, uint64_t offset, uint64_t line)
{
	parser *p = &c->p;
	if (fseeko(p->in, (off_t)offset, SEEK_SET) != 0)
		return parity_error_set(PARITY_EIO, "%s: cannot seek: %s", p->path,
		                        strerror(errno));
	csv_free(&p->csv);
	p->csv_ready = 0;
	if (csv_init(&p->csv, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	p->csv_ready = 1;
	csv_set_delim(&p->csv, (unsigned char)p->delimiter);
	p->at_eof = p->finished = 0;
	p->block_pos = p->block_len = p->line_used = 0;
	p->line = line;
	p->line_offset = offset;
	p->error = 0;
	csvread_batch_clear(&c->b);
	c->next = 0;
	c->end = 0;
	return 0;
}

int csvread_cursor_next(csvread_cursor *c, const csvread_record **out)
{
	*out = NULL;
	while (c->next == c->b.count) {
		if (c->end)
			return 0;
		if (c->p.csv.pstate == 0)
			csvread_batch_clear(&c->b);
		c->next = c->b.count;
		int rc = csvread_produce(&c->p, &c->b, 0, c->b.count + 1);
		if (rc < 0)
			return rc;
		if (rc == 1)
			c->end = 1;
	}
	const batch_record *r = &c->b.records[c->next++];
	if (csvread_view_record(&c->fields, &c->lengths, &c->size, &c->b, r))
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	c->record.line = r->line;
	c->record.fields = c->fields;
	c->record.count = r->count;
	c->record.lengths = c->lengths;
	c->record.ordinal = r->ordinal;
	c->record.offset = r->offset;
	*out = &c->record;
	return 1;
}

void csvread_cursor_free(csvread_cursor *c)
{
	if (!c)
		return;
	csvread_parser_close(&c->p);
	csvread_batch_free(&c->b);
	free(c->fields);
	free(c->lengths);
	free(c);
}
