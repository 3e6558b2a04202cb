/*
 * outbuf.h: a stream's own buffer for the analysts' files (results.c):
 * a national run writes tens of millions of small pieces (a field's name,
 * a number, a comma), each a stdio call of its own before; here each is a
 * copy into memory, and the buffer goes to the stream in large writes.
 * The stream's errors stay the stream's: util_atomic_commit sees them.
 */
#ifndef PARITY_OUTBUF_H
#define PARITY_OUTBUF_H

#include <stdio.h>
#include <string.h>

#define OUTBUF_SIZE 16384

typedef struct outbuf {
	FILE *file;              /* where the text goes */
	size_t used;             /* bytes of text waiting */
	char text[OUTBUF_SIZE];
} outbuf;

/* Write what waits to the stream (call before the stream is committed or
 * written to directly). */
void outbuf_flush(outbuf *b);

/* `n` bytes of room at the end of the text (n at most OUTBUF_SIZE). */
static inline char *outbuf_room(outbuf *b, size_t n)
{
	if (b->used + n > OUTBUF_SIZE)
		outbuf_flush(b);
	return b->text + b->used;
}

static inline void outbuf_put(outbuf *b, const char *text, size_t n)
{
	if (n > OUTBUF_SIZE / 2) {
		outbuf_flush(b);
		fwrite(text, 1, n, b->file);
		return;
	}
	memcpy(outbuf_room(b, n), text, n);
	b->used += n;
}

static inline void outbuf_puts(outbuf *b, const char *text)
{
	outbuf_put(b, text, strlen(text));
}

static inline void outbuf_putc(outbuf *b, char c)
{
	*outbuf_room(b, 1) = c;
	b->used++;
}

/* fprintf into the buffer. */
void outbuf_printf(outbuf *b, const char *format, ...)
	__attribute__((format(printf, 2, 3)));

/* `text` as csvread_write_text writes it (quoted where it must be,
 * neutralised against spreadsheet formulas). */
void outbuf_csv_text(outbuf *b, const char *text);

/* `text` as a JSON string, as parity_json_string writes it. */
void outbuf_json_string(outbuf *b, const char *text);

#endif
