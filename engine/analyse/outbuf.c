/*
 * outbuf.c: the buffered writer of the analysts' files (outbuf.h): what
 * does not fit the inline copies: formatted text, CSV and JSON strings.
 */
#include "outbuf.h"

#include "csv/csvread.h"

#include <stdarg.h>

void outbuf_flush(outbuf *b)
{
	if (b->used)
		fwrite(b->text, 1, b->used, b->file);
	b->used = 0;
}

void outbuf_printf(outbuf *b, const char *format, ...)
{
	va_list ap;
	va_start(ap, format);
	char *at = outbuf_room(b, OUTBUF_SIZE / 2);
	int n = vsnprintf(at, OUTBUF_SIZE / 2, format, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < OUTBUF_SIZE / 2) {
		b->used += (size_t)n;
		return;
	}
	outbuf_flush(b); /* too long for the room: straight to the stream */
	va_start(ap, format);
	vfprintf(b->file, format, ap);
	va_end(ap);
}

void outbuf_csv_text(outbuf *b, const char *text)
{
	/* What csvread_write_text writes unchanged: no formula's first
	 * character, no edge space, nothing to quote. Anything else it
	 * writes itself. */
	size_t len = strlen(text);
	char c = text[0];
	int plain = !(c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	              c == '\r' || c == '\'') &&
	            !(len && (text[0] == ' ' || text[len - 1] == ' ' ||
	                      text[len - 1] == '\t')) &&
	            !text[strcspn(text, ",;\t\"\r\n")];
	if (plain) {
		outbuf_put(b, text, len);
		return;
	}
	outbuf_flush(b);
	csvread_write_text(b->file, text);
}

void outbuf_json_string(outbuf *b, const char *text)
{
	outbuf_putc(b, '"');
	const unsigned char *run = (const unsigned char *)text, *p = run;
	for (;; p++) {
		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		if (p > run)
			outbuf_put(b, (const char *)run, (size_t)(p - run));
		run = p + 1;
		switch (*p) {
		case '\0': outbuf_putc(b, '"'); return;
		case '"': outbuf_puts(b, "\\\""); break;
		case '\\': outbuf_puts(b, "\\\\"); break;
		case '\n': outbuf_puts(b, "\\n"); break;
		case '\r': outbuf_puts(b, "\\r"); break;
		case '\t': outbuf_puts(b, "\\t"); break;
		default: outbuf_printf(b, "\\u%04x", *p);
		}
	}
}
