/*
 * store_cells.c: the stored form of the count cube's cells: packs of cells
 * of one file, kind and month (see store_internal.h for both forms). Builds
 * packs with dictionaries for ingest; store_pack_read.c reads both forms
 * back for the analyses, exports and checks.
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
