/*
 * store_cells.c: the stored form of the count cube's cells (schema 5):
 * packs of cells of one file, kind and month, each a JSON array of cells,
 * each cell an array of its twelve dimension values and three counts.
 * Builds packs for ingest and reads them back for the analyses. A cell is
 * [rows, shortlisted, appointed, value, ...]: its counts, then its values
 * in order, the empty ones at the end left out.
 */
#include "store_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

static int out_of_memory(void)
{
	return parity_error_set(PARITY_ENOMEM, "out of memory storing counts");
}

/* Room for `more` bytes after what the pack holds. 0 or PARITY_ENOMEM. */
static int reserve(store_pack *p, size_t more)
{
	if (p->used + more <= p->size)
		return 0;
	size_t size = p->size ? p->size : 1u << 16;
	while (size < p->used + more)
		size *= 2;
	char *text = realloc(p->text, size);
	if (!text)
		return out_of_memory();
	p->text = text;
	p->size = size;
	return 0;
}

void store_pack_reset(store_pack *p)
{
	p->used = 0;
	p->cells = 0;
}

/* Append `length` bytes of text as a JSON string: quote, backslash and
 * control characters escaped; everything else (UTF-8 included) as it is. */
static char *put_string(char *out, const char *text, size_t length)
{
	static const char hex[] = "0123456789abcdef";
	*out++ = '"';
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '"' || c == '\\') {
			*out++ = '\\';
			*out++ = (char)c;
		} else if (c < 0x20) {
			memcpy(out, "\\u00", 4);
			out[4] = hex[c >> 4];
			out[5] = hex[c & 15];
			out += 6;
		} else {
			*out++ = (char)c;
		}
	}
	*out++ = '"';
	return out;
}

static char *put_integer(char *out, int64_t value)
{
	char digits[24];
	size_t n = 0;
	uint64_t v = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	if (value < 0)
		*out++ = '-';
	while (n)
		*out++ = digits[--n];
	return out;
}

/* Open a cell with its counts (reserve() done): where its values go. */
static char *put_counts(store_pack *p, int64_t rows, int64_t shortlisted,
                        int64_t appointed)
{
	char *out = p->text + p->used;
	*out++ = p->cells ? ',' : '[';
	*out++ = '[';
	out = put_integer(out, rows);
	*out++ = ',';
	out = put_integer(out, shortlisted);
	*out++ = ',';
	return put_integer(out, appointed);
}

int store_pack_add(store_pack *p, const store_cell *cell)
{
	/* Worst case: every byte a six-byte escape, plus quotes, commas and
	 * three integers. */
	size_t most = 3 * 21 + 8 + 3 * STORE_DIMENSIONS;
	for (int d = 0; d < STORE_DIMENSIONS; d++)
		most += 6 * cell->length[d];
	int rc = reserve(p, most + 2);
	if (rc)
		return rc;
	char *out = put_counts(p, cell->rows, cell->shortlisted, cell->appointed);
	int values = STORE_DIMENSIONS;
	while (values > 0 && !cell->length[values - 1])
		values--;
	for (int d = 0; d < values; d++) {
		*out++ = ',';
		out = put_string(out, cell->dim[d], cell->length[d]);
	}
	*out++ = ']';
	p->used = (size_t)(out - p->text);
	p->cells++;
	return 0;
}

size_t store_json_quoted_length(const char *text, size_t length)
{
	size_t n = length + 2;
	for (size_t i = 0; i < length; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '"' || c == '\\')
			n += 1;
		else if (c < 0x20)
			n += 5;
	}
	return n;
}

void store_json_quote(char *out, const char *text, size_t length)
{
	put_string(out, text, length);
}

/* Copy `n` bytes: short ones (most values are codes of a few bytes) with
 * fixed-size moves that need no call, longer ones with memcpy. */
static inline char *copy_bytes(char *out, const char *from, size_t n)
{
	if (n >= 4 && n <= 8) {
		memcpy(out, from, 4);
		memcpy(out + n - 4, from + n - 4, 4);
	} else if (n > 8 && n <= 16) {
		memcpy(out, from, 8);
		memcpy(out + n - 8, from + n - 8, 8);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			out[i] = from[i];
	} else {
		memcpy(out, from, n);
	}
	return out + n;
}

int store_pack_add_quoted(store_pack *p, const char *const quoted[STORE_DIMENSIONS],
                          const uint32_t quoted_length[STORE_DIMENSIONS], int64_t rows,
                          int64_t shortlisted, int64_t appointed)
{
	size_t most = 3 * 21 + 8 + STORE_DIMENSIONS;
	for (int d = 0; d < STORE_DIMENSIONS; d++)
		most += quoted_length[d];
	int rc = reserve(p, most + 2);
	if (rc)
		return rc;
	char *out = put_counts(p, rows, shortlisted, appointed);
	int values = STORE_DIMENSIONS;
	while (values > 0 && quoted_length[values - 1] == 2) /* "" */
		values--;
	for (int d = 0; d < values; d++) {
		*out++ = ',';
		out = copy_bytes(out, quoted[d], quoted_length[d]);
	}
	*out++ = ']';
	p->used = (size_t)(out - p->text);
	p->cells++;
	return 0;
}

int store_pack_finish(store_pack *p)
{
	int rc = reserve(p, 3);
	if (rc)
		return rc;
	if (!p->cells)
		p->text[p->used++] = '[';
	p->text[p->used++] = ']';
	p->text[p->used] = '\0';
	return 0;
}

void store_pack_free(store_pack *p)
{
	free(p->text);
	memset(p, 0, sizeof *p);
}

/* ---- reading ------------------------------------------------------------ */

int store_pack_open(store_pack_reader *r, const char *text, size_t length)
{
	r->at = text ? text : "";
	r->end = r->at + (text ? length : 0);
	r->started = 0;
	r->store = NULL;
	r->id = 0;
	/* Unescaped strings are never longer than their JSON form. */
	if (length + 1 > r->scratch_size) {
		char *scratch = realloc(r->scratch, length + 1);
		if (!scratch)
			return parity_error_set(PARITY_ENOMEM, "out of memory reading counts");
		r->scratch = scratch;
		r->scratch_size = length + 1;
	}
	r->scratch_used = 0;
	return 0;
}

int store_pack_open_row(store_pack_reader *r, const parity_store *store,
                        sqlite3_stmt *stmt, int column, int64_t id)
{
	int rc = store_pack_open(r, (const char *)sqlite3_column_text(stmt, column),
	                         (size_t)sqlite3_column_bytes(stmt, column));
	r->store = store;
	r->id = id;
	return rc;
}

static void skip_space(store_pack_reader *r)
{
	while (r->at < r->end &&
	       (*r->at == ' ' || *r->at == '\t' || *r->at == '\n' || *r->at == '\r'))
		r->at++;
}

/* Consume `c` (after any white space): 1, or 0 when something else is next.
 * Packs parity writes have no white space: the first test is the usual
 * answer, and inline. */
static inline int take(store_pack_reader *r, char c)
{
	if (r->at < r->end && *r->at == c) {
		r->at++;
		return 1;
	}
	skip_space(r);
	if (r->at < r->end && *r->at == c) {
		r->at++;
		return 1;
	}
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Four hex digits at `p` (inside the text): the value, or -1. */
static long hex4(const store_pack_reader *r, const char *p)
{
	if (r->end - p < 4)
		return -1;
	long v = 0;
	for (int i = 0; i < 4; i++) {
		int d = hex_digit(p[i]);
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

static char *put_utf8(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		*out++ = (char)cp;
	} else if (cp < 0x800) {
		*out++ = (char)(0xc0 | cp >> 6);
		*out++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*out++ = (char)(0xe0 | cp >> 12);
		*out++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*out++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*out++ = (char)(0xf0 | cp >> 18);
		*out++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*out++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*out++ = (char)(0x80 | (cp & 0x3f));
	}
	return out;
}

/* A JSON string: *text and *length point into the pack when it has no
 * escapes, else into the scratch space. 0, or -1 when malformed. */
static int read_string(store_pack_reader *r, const char **text, size_t *length)
{
	if (!take(r, '"'))
		return -1;
	const char *start = r->at;
	/* Values are short codes: one pass finds the closing quote or the
	 * first escape. */
	const char *quote = start;
	/* Eight bytes at a time while they are in the pack: a zero byte of
	 * (word ^ c) marks c; the lowest flag found is always a true one. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t ones = UINT64_C(0x0101010101010101), highs = ones << 7;
	while (r->end - quote >= 8) {
		uint64_t word, q, b;
		memcpy(&word, quote, 8);
		q = word ^ (ones * '"');
		b = word ^ (ones * '\\');
		uint64_t found = ((q - ones) & ~q & highs) | ((b - ones) & ~b & highs);
		if (found) {
			quote += (size_t)__builtin_ctzll(found) / 8;
			break;
		}
		quote += 8;
	}
#endif
	while (quote < r->end && *quote != '"' && *quote != '\\')
		quote++;
	if (quote == r->end)
		return -1;
	if (*quote == '"') {
		*text = start;
		*length = (size_t)(quote - start);
		r->at = quote + 1;
		return 0;
	}
	char *out = r->scratch + r->scratch_used;
	char *first = out;
	const char *p = start;
	for (;;) {
		if (p >= r->end)
			return -1;
		char c = *p++;
		if (c == '"')
			break;
		if ((unsigned char)c < 0x20)
			return -1;
		if (c != '\\') {
			*out++ = c;
			continue;
		}
		if (p >= r->end)
			return -1;
		c = *p++;
		switch (c) {
		case '"': case '\\': case '/': *out++ = c; break;
		case 'b': *out++ = '\b'; break;
		case 'f': *out++ = '\f'; break;
		case 'n': *out++ = '\n'; break;
		case 'r': *out++ = '\r'; break;
		case 't': *out++ = '\t'; break;
		case 'u': {
			long cp = hex4(r, p);
			if (cp < 0)
				return -1;
			p += 4;
			if (cp >= 0xd800 && cp < 0xdc00) {
				/* A surrogate pair: the low half must follow. */
				long low = r->end - p >= 6 && p[0] == '\\' && p[1] == 'u'
				                   ? hex4(r, p + 2) : -1;
				if (low < 0xdc00 || low >= 0xe000)
					return -1;
				p += 6;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				return -1;
			}
			out = put_utf8(out, (unsigned long)cp);
			break;
		}
		default:
			return -1;
		}
	}
	*text = first;
	*length = (size_t)(out - first);
	r->scratch_used += *length;
	r->at = p;
	return 0;
}

/* A JSON integer (no fraction or exponent). 0, or -1 when malformed. */
static inline int read_integer(store_pack_reader *r, int64_t *value)
{
	/* The usual count: one digit, then the separator. */
	if (r->end - r->at >= 2 && r->at[0] >= '0' && r->at[0] <= '9' &&
	    (r->at[1] < '0' || r->at[1] > '9')) {
		*value = r->at[0] - '0';
		r->at++;
		return 0;
	}
	skip_space(r);
	int negative = r->at < r->end && *r->at == '-';
	if (negative)
		r->at++;
	if (r->at >= r->end || *r->at < '0' || *r->at > '9')
		return -1;
	uint64_t v = 0;
	while (r->at < r->end && *r->at >= '0' && *r->at <= '9') {
		unsigned d = (unsigned)(*r->at++ - '0');
		if (v > (UINT64_C(9223372036854775807) - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*value = negative ? -(int64_t)v : (int64_t)v;
	return 0;
}

int store_pack_next(store_pack_reader *r, store_cell *cell)
{
	if (!r->started) {
		r->started = 1;
		if (!take(r, '['))
			goto damaged;
		if (take(r, ']'))
			goto end;
	} else if (!take(r, ',')) {
		if (take(r, ']'))
			goto end;
		goto damaged;
	}
	if (!take(r, '[') || read_integer(r, &cell->rows) || !take(r, ',') ||
	    read_integer(r, &cell->shortlisted) || !take(r, ',') ||
	    read_integer(r, &cell->appointed))
		goto damaged;
	int d = 0;
	while (take(r, ',')) {
		if (d == STORE_DIMENSIONS ||
		    read_string(r, &cell->dim[d], &cell->length[d]))
			goto damaged;
		d++;
	}
	if (!take(r, ']'))
		goto damaged;
	for (; d < STORE_DIMENSIONS; d++) { /* left out: empty */
		cell->dim[d] = "";
		cell->length[d] = 0;
	}
	return 1;
end:
	skip_space(r);
	if (r->at != r->end)
		goto damaged;
	r->started = 2;
	return 0;
damaged:
	if (r->store)
		return parity_error_set(PARITY_EIO, "%s: the stored counts are damaged "
		                        "(cell_packs row %lld is not in the cells format of "
		                        "this parity): restore the database from a backup, "
		                        "or ingest the files again into a new one",
		                        parity_store_path(r->store), (long long)r->id);
	return parity_error_set(PARITY_EIO, "a pack of stored counts is damaged "
	                        "(not the cells format of this parity)");
}

void store_pack_reader_free(store_pack_reader *r)
{
	free(r->scratch);
	memset(r, 0, sizeof *r);
}
