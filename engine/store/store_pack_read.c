/*
 * store_pack_read.c: reading a pack of count cells (the JSON text
 * store_cells.c writes): its dictionaries of values when it has them
 * (schema 10), then each cell, the usual ones by a fast path, any other
 * by the general reader.
 */
#include "store_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

/* ---- reading ------------------------------------------------------------ */

int store_pack_open(store_pack_reader *r, const char *text, size_t length)
{
	r->at = text ? text : "";
	r->end = r->at + (text ? length : 0);
	r->started = 0;
	r->store = NULL;
	r->id = 0;
	r->dictionaries = 0;
	r->listed = 0;
	r->value_count = 0;
	memset(r->count, 0, sizeof r->count);
	memset(r->code, 0, sizeof r->code);
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

/* Consume the text `word` (after any white space): 1, or 0. */
static int take_word(store_pack_reader *r, const char *word)
{
	skip_space(r);
	size_t n = strlen(word);
	if ((size_t)(r->end - r->at) < n || memcmp(r->at, word, n))
		return 0;
	r->at += n;
	return 1;
}

/* A value of a dictionary, added to r->values: 0, -1 when malformed, or
 * PARITY_ENOMEM. */
static int read_value(store_pack_reader *r)
{
	if (r->value_count == r->value_room) {
		size_t room = r->value_room ? r->value_room * 2 : 256;
		store_value *values = realloc(r->values, room * sizeof *values);
		if (!values)
			return PARITY_ENOMEM;
		r->values = values;
		r->value_room = room;
	}
	store_value *v = &r->values[r->value_count];
	if (read_string(r, &v->text, &v->length))
		return -1;
	r->value_count++;
	return 0;
}

/* The dictionaries of a pack with them, up to and including the '[' of
 * its cells. 0, or -1 when malformed (PARITY_ENOMEM when out of memory). */
static int read_dictionaries(store_pack_reader *r)
{
	if (!take(r, '{') || !take_word(r, "\"v\"") || !take(r, ':') || !take(r, '['))
		return -1;
	r->dictionaries = 1;
	if (!take(r, ']')) {
		do {
			if (r->listed == STORE_DIMENSIONS || !take(r, '['))
				return -1;
			int d = r->listed++;
			r->first[d] = r->value_count;
			if (!take(r, ']')) {
				do {
					int rc = read_value(r);
					if (rc)
						return rc;
				} while (take(r, ','));
				if (!take(r, ']'))
					return -1;
			}
			if (r->value_count - r->first[d] > UINT32_MAX)
				return -1;
			r->count[d] = (uint32_t)(r->value_count - r->first[d]);
			/* A listed dimension with no values would leave its cells
			 * nothing to point at. */
			if (!r->count[d])
				return -1;
		} while (take(r, ','));
		if (!take(r, ']'))
			return -1;
	}
	if (!take(r, ',') || !take_word(r, "\"c\"") || !take(r, ':') || !take(r, '['))
		return -1;
	return 0;
}

/* A non-negative integer of up to 18 digits at p (before end): the byte
 * after it, or NULL when there is none. */
static inline const char *fast_integer(const char *p, const char *end, uint64_t *value)
{
	const char *start = p;
	uint64_t v = 0;
	while (p < end && (unsigned)(*p - '0') <= 9)
		v = v * 10 + (unsigned)(*p++ - '0');
	if (p == start || p - start > 18)
		return NULL;
	*value = v;
	return p;
}

/* The usual cell of a pack parity wrote: no white space, counts not
 * negative. 1 with the cell read, or 0 to read it the general way (the
 * reader left where it was). */
static int fast_coded(store_pack_reader *r, store_cell *cell)
{
	const char *p = r->at, *end = r->end;
	uint64_t v[3];
	if (r->started == 3) {
		if (p == end || *p != ',')
			return 0;
		p++;
	}
	if (p == end || *p++ != '[')
		return 0;
	for (int k = 0; k < 3; k++) {
		if (k && (p == end || *p++ != ','))
			return 0;
		if (!(p = fast_integer(p, end, &v[k])))
			return 0;
	}
	for (int d = 0; d < r->listed; d++) {
		uint64_t index;
		if (p == end || *p++ != ',' || !(p = fast_integer(p, end, &index)) ||
		    index >= r->count[d])
			return 0;
		const store_value *value = &r->values[r->first[d] + (size_t)index];
		r->code[d] = (uint32_t)index;
		cell->dim[d] = value->text;
		cell->length[d] = value->length;
	}
	if (p == end || *p++ != ']')
		return 0;
	for (int d = r->listed; d < STORE_DIMENSIONS; d++) {
		cell->dim[d] = "";
		cell->length[d] = 0;
	}
	cell->rows = (int64_t)v[0];
	cell->shortlisted = (int64_t)v[1];
	cell->appointed = (int64_t)v[2];
	r->at = p;
	r->started = 3;
	return 1;
}

/* The next cell of a pack with dictionaries (started, after its cells'
 * '[' or a cell): 1, 0 at the end, -1 when malformed. */
static int next_coded(store_pack_reader *r, store_cell *cell)
{
	if (fast_coded(r, cell))
		return 1;
	if (r->started == 1) {
		r->started = 3;
		if (take(r, ']'))
			goto end;
	} else if (!take(r, ',')) {
		if (take(r, ']'))
			goto end;
		return -1;
	}
	if (!take(r, '[') || read_integer(r, &cell->rows) || !take(r, ',') ||
	    read_integer(r, &cell->shortlisted) || !take(r, ',') ||
	    read_integer(r, &cell->appointed))
		return -1;
	for (int d = 0; d < r->listed; d++) {
		int64_t index;
		if (!take(r, ',') || read_integer(r, &index) || index < 0 ||
		    index >= (int64_t)r->count[d])
			return -1;
		const store_value *v = &r->values[r->first[d] + (size_t)index];
		r->code[d] = (uint32_t)index;
		cell->dim[d] = v->text;
		cell->length[d] = v->length;
	}
	if (!take(r, ']'))
		return -1;
	for (int d = r->listed; d < STORE_DIMENSIONS; d++) {
		cell->dim[d] = "";
		cell->length[d] = 0;
	}
	return 1;
end:
	if (!take(r, '}'))
		return -1;
	skip_space(r);
	if (r->at != r->end)
		return -1;
	r->started = 2;
	return 0;
}

int store_pack_next(store_pack_reader *r, store_cell *cell)
{
	if (r->started == 2)
		return 0;
	if (!r->started) {
		r->started = 1;
		skip_space(r);
		if (r->at < r->end && *r->at == '{') {
			int rc = read_dictionaries(r);
			if (rc == PARITY_ENOMEM)
				return parity_error_set(PARITY_ENOMEM,
				                        "out of memory reading counts");
			if (rc)
				goto damaged;
		} else {
			if (!take(r, '['))
				goto damaged;
			if (take(r, ']'))
				goto end;
			goto cell;
		}
	}
	if (r->dictionaries) {
		int more = next_coded(r, cell);
		if (more < 0)
			goto damaged;
		return more;
	}
	if (!take(r, ',')) {
		if (take(r, ']'))
			goto end;
		goto damaged;
	}
cell:
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
	free(r->values);
	memset(r, 0, sizeof *r);
}
