/*
 * csvwrite.c: writing CSV the way csvread reads it back: RFC 4180 quoting
 * where a field needs it (including edge spaces, which an unquoted field
 * would lose), and text cells neutralised against spreadsheet formulas.
 */
#include "csvread.h"

#include <stdlib.h>
#include <string.h>

void csvread_write_field(FILE *out, const char *field)
{
	size_t len = strlen(field);
	int edge = len && (field[0] == ' ' || field[0] == '\t' ||
	                   field[len - 1] == ' ' || field[len - 1] == '\t');
	if (!edge && !field[strcspn(field, ",;\t\"\r\n")]) {
		fwrite(field, 1, len, out);
		return;
	}
	fputc('"', out);
	for (const char *p = field; *p; p++) {
		if (*p == '"')
			fputc('"', out);
		fputc(*p, out);
	}
	fputc('"', out);
}

void csvread_write_text(FILE *out, const char *text)
{
	char c = text[0];
	if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' ||
	    c == '\'') {
		size_t len = strlen(text);
		char small[256];
		char *safe = len + 2 <= sizeof small ? small : malloc(len + 2);
		if (safe) {
			safe[0] = '\'';
			memcpy(safe + 1, text, len + 1);
			csvread_write_field(out, safe);
			if (safe != small)
				free(safe);
			return;
		}
		fputs("\"'", out); /* no memory: quote by hand */
		for (const char *p = text; *p; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
		return;
	}
	csvread_write_field(out, text);
}

char *csvread_unneutralise(char *text)
{
	if (text[0] == '\'')
		memmove(text, text + 1, strlen(text));
	return text;
}

void csvread_write_record(FILE *out, char *const *fields, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		if (i)
			fputc(',', out);
		csvread_write_field(out, fields[i]);
	}
	fputc('\n', out);
}
