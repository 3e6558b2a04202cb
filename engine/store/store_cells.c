/*
 * store_cells.c: the stored form of the count cube's cells: packs of cells
 * of one file, kind and month (see store_internal.h for both forms). Builds
 * packs with dictionaries for ingest and reads both forms back for the
 * analyses, exports and checks.
 */
#include "store_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

static int out_of_memory(void)
{
	return parity_error_set(PARITY_ENOMEM, "out of memory storing counts");
}

/* Room for `more` bytes after what the pack's text holds. 0 or
 * PARITY_ENOMEM. */
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
	p->dictionary_at = p->dictionary_length = 0;
	/* A new generation: every id's index is stale. */
	if (++p->generation == 0) {
		for (int d = 0; d < STORE_DIMENSIONS; d++) {
			store_pack_dim *dim = &p->dims[d];
			if (dim->stamp)
				memset(dim->stamp, 0, dim->id_room * sizeof *dim->stamp);
		}
		p->generation = 1;
	}
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		store_pack_dim *dim = &p->dims[d];
		if (dim->count && dim->slots)
			memset(dim->slots, 0, dim->slot_count * sizeof *dim->slots);
		dim->count = 0;
		dim->quoted_used = 0;
		dim->nonempty = 0;
	}
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

/* ---- building --------------------------------------------------------- */

static uint64_t hash_bytes(const char *text, size_t length)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ length;
	for (size_t i = 0; i < length; i++)
		h = (h ^ (unsigned char)text[i]) * UINT64_C(1099511628211);
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

/* Add the quoted value to dimension `dim`'s dictionary: its index. */
static int dim_add(store_pack_dim *dim, const char *quoted, size_t length, uint64_t h,
                   uint32_t *index)
{
	if ((dim->count + 1) * 2 > dim->slot_count) {
		size_t slot_count = dim->slot_count ? dim->slot_count * 2 : 64;
		uint32_t *slots = calloc(slot_count, sizeof *slots);
		if (!slots)
			return out_of_memory();
		for (uint32_t v = 0; v < dim->count; v++) {
			size_t i = (size_t)dim->hashes[v] & (slot_count - 1);
			while (slots[i])
				i = (i + 1) & (slot_count - 1);
			slots[i] = v + 1;
		}
		free(dim->slots);
		dim->slots = slots;
		dim->slot_count = slot_count;
	}
	if (dim->count == dim->room) {
		size_t room = dim->room ? dim->room * 2 : 64;
		uint64_t *hashes = realloc(dim->hashes, room * sizeof *hashes);
		if (hashes)
			dim->hashes = hashes;
		uint32_t *offsets = hashes ? realloc(dim->offsets, room * sizeof *offsets) : NULL;
		if (!offsets)
			return out_of_memory();
		dim->offsets = offsets;
		dim->room = room;
	}
	if (dim->quoted_used + length + 1 > dim->quoted_size) {
		size_t size = dim->quoted_size ? dim->quoted_size : 1024;
		while (size < dim->quoted_used + length + 1)
			size *= 2;
		char *quoted_text = realloc(dim->quoted, size);
		if (!quoted_text)
			return out_of_memory();
		dim->quoted = quoted_text;
		dim->quoted_size = size;
	}
	size_t mask = dim->slot_count - 1, i = (size_t)h & mask;
	for (; dim->slots[i]; i = (i + 1) & mask) {
		uint32_t v = dim->slots[i] - 1;
		size_t at = dim->offsets[v] + 1; /* after its comma */
		size_t next = v + 1 < dim->count ? dim->offsets[v + 1] : dim->quoted_used;
		if (dim->hashes[v] == h && next - at == length &&
		    !memcmp(dim->quoted + at, quoted, length)) {
			*index = v;
			return 0;
		}
	}
	dim->slots[i] = dim->count + 1;
	dim->hashes[dim->count] = h;
	dim->offsets[dim->count] = (uint32_t)dim->quoted_used;
	dim->quoted[dim->quoted_used++] = ',';
	memcpy(dim->quoted + dim->quoted_used, quoted, length);
	dim->quoted_used += length;
	if (length != 2) /* "" */
		dim->nonempty = 1;
	*index = dim->count++;
	return 0;
}

/* The index of value `id` of dimension `dim`, added when new. */
static int dim_add_id(store_pack *p, store_pack_dim *dim, uint32_t id, const char *quoted,
                      size_t length, uint32_t *index)
{
	if (id >= dim->id_room) {
		size_t room = dim->id_room ? dim->id_room : 256;
		while (room <= id)
			room *= 2;
		uint32_t *by_id = realloc(dim->by_id, room * sizeof *by_id);
		if (by_id)
			dim->by_id = by_id;
		uint32_t *stamp = by_id ? realloc(dim->stamp, room * sizeof *stamp) : NULL;
		if (!stamp)
			return out_of_memory();
		memset(stamp + dim->id_room, 0, (room - dim->id_room) * sizeof *stamp);
		dim->stamp = stamp;
		dim->id_room = room;
	}
	if (dim->stamp[id] == p->generation) {
		*index = dim->by_id[id];
		return 0;
	}
	int rc = dim_add(dim, quoted, length, hash_bytes(quoted, length), index);
	if (!rc) {
		dim->stamp[id] = p->generation;
		dim->by_id[id] = *index;
	}
	return rc;
}

int store_pack_add_quoted(store_pack *p, const char *const quoted[STORE_DIMENSIONS],
                          const uint32_t quoted_length[STORE_DIMENSIONS],
                          const uint32_t *ids, int64_t rows, int64_t shortlisted,
                          int64_t appointed)
{
	if (!p->generation)
		p->generation = 1;
	if (p->cells == p->cell_room) {
		size_t room = p->cell_room ? p->cell_room * 2 : 256;
		int64_t *counts = realloc(p->counts, room * 3 * sizeof *counts);
		if (counts)
			p->counts = counts;
		uint32_t *codes = counts ? realloc(p->codes, room * STORE_DIMENSIONS *
		                                                     sizeof *codes)
		                         : NULL;
		if (!codes)
			return out_of_memory();
		p->codes = codes;
		p->cell_room = room;
	}
	uint32_t *code = &p->codes[p->cells * STORE_DIMENSIONS];
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		store_pack_dim *dim = &p->dims[d];
		int rc = ids ? dim_add_id(p, dim, ids[d], quoted[d], quoted_length[d], &code[d])
		             : dim_add(dim, quoted[d], quoted_length[d],
		                       hash_bytes(quoted[d], quoted_length[d]), &code[d]);
		if (rc)
			return rc;
	}
	int64_t *counts = &p->counts[p->cells * 3];
	counts[0] = rows;
	counts[1] = shortlisted;
	counts[2] = appointed;
	p->cells++;
	return 0;
}

int store_pack_add(store_pack *p, const store_cell *cell)
{
	size_t total = 0;
	for (int d = 0; d < STORE_DIMENSIONS; d++)
		total += store_json_quoted_length(cell->dim[d], cell->length[d]);
	char small[1024], *buffer = small;
	if (total > sizeof small && !(buffer = malloc(total)))
		return out_of_memory();
	const char *quoted[STORE_DIMENSIONS];
	uint32_t length[STORE_DIMENSIONS];
	char *out = buffer;
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		size_t n = store_json_quoted_length(cell->dim[d], cell->length[d]);
		store_json_quote(out, cell->dim[d], cell->length[d]);
		quoted[d] = out;
		length[d] = (uint32_t)n;
		out += n;
	}
	int rc = store_pack_add_quoted(p, quoted, length, NULL, cell->rows, cell->shortlisted,
	                               cell->appointed);
	if (buffer != small)
		free(buffer);
	return rc;
}

int store_pack_finish(store_pack *p)
{
	int listed = STORE_DIMENSIONS;
	while (listed > 0 && !p->dims[listed - 1].nonempty)
		listed--;
	size_t most = 16 + p->cells * (3 * 21 + 4 + (size_t)listed * 11);
	for (int d = 0; d < listed; d++)
		most += p->dims[d].quoted_used + 3;
	p->used = 0;
	int rc = reserve(p, most);
	if (rc)
		return rc;
	char *out = p->text;
	memcpy(out, "{\"v\":", 5);
	out += 5;
	p->dictionary_at = 5;
	*out++ = '[';
	for (int d = 0; d < listed; d++) {
		const store_pack_dim *dim = &p->dims[d];
		if (d)
			*out++ = ',';
		*out++ = '[';
		if (dim->quoted_used) { /* without the first comma */
			memcpy(out, dim->quoted + 1, dim->quoted_used - 1);
			out += dim->quoted_used - 1;
		}
		*out++ = ']';
	}
	*out++ = ']';
	p->dictionary_length = (size_t)(out - p->text) - p->dictionary_at;
	memcpy(out, ",\"c\":[", 6);
	out += 6;
	for (size_t c = 0; c < p->cells; c++) {
		const int64_t *counts = &p->counts[c * 3];
		const uint32_t *code = &p->codes[c * STORE_DIMENSIONS];
		if (c)
			*out++ = ',';
		*out++ = '[';
		out = put_integer(out, counts[0]);
		*out++ = ',';
		out = put_integer(out, counts[1]);
		*out++ = ',';
		out = put_integer(out, counts[2]);
		for (int d = 0; d < listed; d++) {
			*out++ = ',';
			out = put_integer(out, code[d]);
		}
		*out++ = ']';
	}
	*out++ = ']';
	*out++ = '}';
	*out = '\0';
	p->used = (size_t)(out - p->text);
	return 0;
}

void store_pack_free(store_pack *p)
{
	free(p->text);
	free(p->counts);
	free(p->codes);
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		store_pack_dim *dim = &p->dims[d];
		free(dim->quoted);
		free(dim->slots);
		free(dim->hashes);
		free(dim->offsets);
		free(dim->by_id);
		free(dim->stamp);
	}
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
