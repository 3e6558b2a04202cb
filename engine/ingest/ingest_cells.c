/*
 * ingest_cells.c: the bounded in-memory structures ingest aggregates into:
 * interned coded values, per-column memos of raw values already coded, the
 * table of count cells (flushed to the store when full), and the
 * organisation-months a file covers.
 */
#define _DEFAULT_SOURCE /* madvise's MADV_HUGEPAGE */
#include "ingest_internal.h"

#include "parity/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define BIG (1u << 20)  /* tables from this size are mapped, in huge pages */

/* Memory for a big table: mapped directly and, where the kernel allows,
 * backed by 2 MiB pages, so that random probes do not also miss the TLB.
 * Zeroed. NULL when out of memory. */
static void *table_alloc(size_t bytes)
{
	if (bytes < BIG)
		return calloc(1, bytes);
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	               -1, 0);
	if (p == MAP_FAILED)
		return NULL;
#ifdef MADV_HUGEPAGE
	madvise(p, bytes, MADV_HUGEPAGE);
#endif
	return p;
}

static void table_free(void *p, size_t bytes)
{
	if (!p)
		return;
	if (bytes < BIG)
		free(p);
	else
		munmap(p, bytes);
}

uint64_t ingest_hash(const void *data, size_t length)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ull ^ ((uint64_t)length * 0xff51afd7ed558ccdull);
	while (length >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 29;
		p += 8;
		length -= 8;
	}
	if (length) {
		uint64_t w = 0;
		memcpy(&w, p, length);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 29;
	}
	/* Final avalanche (MurmurHash3's fmix64), so every bit counts. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h ? h : 1;
}

static int out_of_memory(void)
{
	return parity_error_set(PARITY_ENOMEM, "out of memory aggregating cells");
}

/* Append `length` bytes and a NUL to an arena; *offset is where. */
static int arena_put(char **arena, size_t *used, size_t *size, const char *text,
                     size_t length, size_t *offset)
{
	if (*used + length + 1 > *size) {
		size_t n = *size ? *size : 1 << 12;
		while (n < *used + length + 1)
			n *= 2;
		char *p = realloc(*arena, n);
		if (!p)
			return out_of_memory();
		*arena = p;
		*size = n;
	}
	memcpy(*arena + *used, text, length);
	(*arena)[*used + length] = '\0';
	*offset = *used;
	*used += length + 1;
	return 0;
}

/* ---- interned strings ----------------------------------------------------- */

static int dict_grow(dict *d)
{
	size_t slot_count = d->slot_count ? d->slot_count * 2 : 256;
	uint32_t *slots = calloc(slot_count, sizeof *slots);
	if (!slots)
		return out_of_memory();
	for (size_t i = 0; i < d->count; i++) {
		size_t j = dict_entry_of(d, (uint32_t)i)->hash & (slot_count - 1);
		while (slots[j])
			j = (j + 1) & (slot_count - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(d->slots);
	d->bytes += (slot_count - d->slot_count) * sizeof *slots;
	d->slots = slots;
	d->slot_count = slot_count;
	return 0;
}

/* Room for `length` + 1 bytes of text that will never move. */
/* Room for `length` + 1 bytes of text, then its JSON string form
 * (`quoted` bytes, not terminated), that will never move. */
static char *dict_store(dict *d, const char *text, size_t length, size_t quoted)
{
	size_t need = length + 1 + quoted;
	if (!d->chunk_count || d->chunk_used + need > d->chunk_size) {
		if (d->chunk_count == d->chunks_size) {
			size_t size = d->chunks_size ? d->chunks_size * 2 : 16;
			char **chunks = realloc(d->chunks, size * sizeof *chunks);
			if (!chunks)
				return NULL;
			d->chunks = chunks;
			d->chunks_size = size;
		}
		size_t size = need > (1u << 16) ? need : 1u << 16;
		if (!(d->chunks[d->chunk_count] = malloc(size)))
			return NULL;
		d->chunk_count++;
		d->chunk_used = 0;
		d->chunk_size = size;
		d->bytes += size;
	}
	char *p = d->chunks[d->chunk_count - 1] + d->chunk_used;
	memcpy(p, text, length);
	p[length] = '\0';
	store_json_quote(p + length + 1, text, length);
	d->chunk_used += need;
	return p;
}

/* The slot of the text with hash `h`, or the empty slot where it would go
 * (the table has slots). */
static size_t dict_probe(const dict *d, uint64_t h, const char *text, size_t length)
{
	size_t j = h & (d->slot_count - 1);
	while (d->slots[j]) {
		const dict_entry *e = dict_entry_of(d, d->slots[j] - 1);
		if (e->hash == h && e->length == length && memcmp(e->text, text, length) == 0)
			break;
		j = (j + 1) & (d->slot_count - 1);
	}
	return j;
}

int dict_intern(dict *d, uint32_t *id, const char *text, size_t length)
{
	uint64_t h = ingest_hash(text, length);
	if ((d->count + 1) * 2 > d->slot_count) {
		int rc = dict_grow(d);
		if (rc)
			return rc;
	}
	size_t j = dict_probe(d, h, text, length);
	if (d->slots[j]) {
		*id = d->slots[j] - 1;
		return 0;
	}
	if (d->count == (size_t)DICT_BLOCK * DICT_BLOCKS)
		return parity_error_set(PARITY_ENOMEM, "too many distinct values");
	if (!d->blocks && !(d->blocks = calloc(DICT_BLOCKS, sizeof *d->blocks)))
		return out_of_memory();
	size_t block = d->count / DICT_BLOCK;
	if (!d->blocks[block]) {
		if (!(d->blocks[block] = malloc(DICT_BLOCK * sizeof **d->blocks)))
			return out_of_memory();
		d->bytes += DICT_BLOCK * sizeof **d->blocks;
	}
	size_t quoted = store_json_quoted_length(text, length);
	if (quoted > UINT32_MAX)
		return parity_error_set(PARITY_ENOMEM, "a value too long to store");
	const char *stored = dict_store(d, text, length, quoted);
	if (!stored)
		return out_of_memory();
	dict_entry *e = &d->blocks[block][d->count % DICT_BLOCK];
	e->hash = h;
	e->text = stored;
	e->length = (uint32_t)length;
	e->quoted_length = (uint32_t)quoted;
	e->quality = ingest_is_not_stated(stored, length)  ? VALUE_NOT_STATED
	             : ingest_is_not_known(stored, length) ? VALUE_NOT_KNOWN
	                                                   : VALUE_STATED;
	d->slots[j] = (uint32_t)d->count + 1;
	*id = (uint32_t)d->count++;
	return 0;
}

int dict_find(const dict *d, uint32_t *id, const char *text, size_t length)
{
	if (!d->slot_count)
		return 0;
	size_t j = dict_probe(d, ingest_hash(text, length), text, length);
	if (!d->slots[j])
		return 0;
	*id = d->slots[j] - 1;
	return 1;
}

size_t dict_bytes(const dict *d)
{
	return d->bytes;
}

/* Forget every value (keeping the slots and the first block). Only when
 * no table refers to the ids. */
void dict_clear(dict *d)
{
	if (d->slots)
		memset(d->slots, 0, d->slot_count * sizeof *d->slots);
	for (size_t b = 1; d->blocks && b < DICT_BLOCKS && d->blocks[b]; b++) {
		free(d->blocks[b]);
		d->blocks[b] = NULL;
	}
	for (size_t c = 0; c < d->chunk_count; c++)
		free(d->chunks[c]);
	d->chunk_count = d->chunk_used = d->chunk_size = 0;
	d->count = 0;
	d->bytes = d->slot_count * sizeof *d->slots +
	           (d->blocks && d->blocks[0] ? DICT_BLOCK * sizeof **d->blocks : 0);
}

void dict_free(dict *d)
{
	for (size_t b = 0; d->blocks && b < DICT_BLOCKS && d->blocks[b]; b++)
		free(d->blocks[b]);
	free(d->blocks);
	for (size_t c = 0; c < d->chunk_count; c++)
		free(d->chunks[c]);
	free(d->chunks);
	free(d->slots);
	memset(d, 0, sizeof *d);
}

/* ---- memos ------------------------------------------------------------------ */

static int memo_grow(memo *m)
{
	size_t slot_count = m->slot_count ? m->slot_count * 2 : 64;
	memo_entry *entries = calloc(slot_count, sizeof *entries);
	if (!entries)
		return out_of_memory();
	for (size_t i = 0; i < m->slot_count; i++) {
		const memo_entry *e = &m->entries[i];
		if (!e->used)
			continue;
		uint64_t hash = e->length <= 16 ? memo_short_hash(e->a, e->b, e->length) : e->a;
		size_t j = hash & (slot_count - 1);
		while (entries[j].used)
			j = (j + 1) & (slot_count - 1);
		entries[j] = *e;
	}
	free(m->entries);
	m->entries = entries;
	m->slot_count = slot_count;
	return 0;
}

int memo_put(memo *m, const char *key, size_t length, uint64_t value)
{
	if ((m->count + 1) * 2 > m->slot_count) {
		int rc = memo_grow(m);
		if (rc)
			return rc;
	}
	memo_key k = memo_key_of(key, length);
	size_t j = k.hash & (m->slot_count - 1);
	while (m->entries[j].used) {
		memo_entry *e = &m->entries[j];
		if (memo_matches(m, e, &k, key, length)) {
			e->value = value;
			return 0;
		}
		j = (j + 1) & (m->slot_count - 1);
	}
	memo_entry *e = &m->entries[j];
	e->a = k.a;
	e->b = k.b;
	if (!k.inline_key) {
		size_t offset;
		int rc = arena_put(&m->arena, &m->arena_used, &m->arena_size, key, length,
		                   &offset);
		if (rc)
			return rc;
		e->b = offset;
	}
	e->length = (uint32_t)length;
	e->value = value;
	e->used = 1;
	m->count++;
	return 0;
}

size_t memo_bytes(const memo *m)
{
	return m->slot_count * sizeof *m->entries + m->arena_size;
}

void memo_clear(memo *m)
{
	if (m->entries)
		memset(m->entries, 0, m->slot_count * sizeof *m->entries);
	m->count = 0;
	m->arena_used = 0;
}

void memo_free(memo *m)
{
	free(m->entries);
	free(m->arena);
	memset(m, 0, sizeof *m);
}

/* ---- cells -------------------------------------------------------------------- */

static int cells_grow(cell_table *t)
{
	size_t slot_count = t->slot_count ? t->slot_count * 2 : 4096;
	uint64_t *slots = table_alloc(slot_count * sizeof *slots);
	if (!slots)
		return out_of_memory();
	for (size_t i = 0; i < t->count; i++) {
		uint64_t h = t->entries[i].hash;
		size_t j = h & (slot_count - 1);
		while (slots[j])
			j = (j + 1) & (slot_count - 1);
		slots[j] = (h & 0xffffffff00000000ull) | (uint64_t)(i + 1);
	}
	table_free(t->slots, t->slot_count * sizeof *t->slots);
	t->slots = slots;
	t->slot_count = slot_count;
	return 0;
}

uint64_t cells_hash(const cell_key *key)
{
	return ingest_hash(key, sizeof *key);
}

int cells_add(cell_table *t, const cell_key *key, int64_t rows, int64_t shortlisted,
              int64_t appointed)
{
	return cells_add_hashed(t, key, cells_hash(key), rows, shortlisted, appointed, 0);
}

/* Move the table's entries to an array of `size` (>= count) entries.
 * 0, or -1 when out of memory (the table is left as it was). */
static int entries_resize(cell_table *t, size_t size)
{
	cell_entry *entries = table_alloc(size * sizeof *entries);
	if (!entries)
		return -1;
	if (t->count)
		memcpy(entries, t->entries, t->count * sizeof *entries);
	table_free(t->entries, t->size * sizeof *t->entries);
	t->entries = entries;
	t->size = size;
	return 0;
}

int cells_add_hashed(cell_table *t, const cell_key *key, uint64_t h, int64_t rows,
                     int64_t shortlisted, int64_t appointed, uint32_t days)
{
	uint64_t tag = h & 0xffffffff00000000ull;
	if ((t->count + 1) * 2 > t->slot_count) {
		int rc = cells_grow(t);
		if (rc)
			return rc;
	}
	/* The slot holds the hash's top half, so a probe reads an entry only
	 * when that matches: one cache miss per row, not one per probe. */
	size_t j = h & (t->slot_count - 1);
	uint64_t v;
	while ((v = t->slots[j]) != 0) {
		if ((v & 0xffffffff00000000ull) == tag) {
			cell_entry *e = &t->entries[(v & 0xffffffffu) - 1];
			if (memcmp(&e->key, key, sizeof *key) == 0) {
				e->rows += rows;
				e->shortlisted += shortlisted;
				e->appointed += appointed;
				e->days |= days;
				return 0;
			}
		}
		j = (j + 1) & (t->slot_count - 1);
	}
	if (t->count == t->size && entries_resize(t, t->size ? t->size * 2 : 1024))
		return out_of_memory();
	cell_entry *e = &t->entries[t->count];
	e->key = *key;
	e->hash = h;
	e->rows = rows;
	e->shortlisted = shortlisted;
	e->appointed = appointed;
	e->days = days;
	t->slots[j] = tag | (uint64_t)++t->count;
	return 0;
}

ptrdiff_t cells_find(const cell_table *t, const cell_key *key, uint64_t h)
{
	if (!t->slot_count)
		return -1;
	uint64_t tag = h & 0xffffffff00000000ull;
	uint64_t v;
	for (size_t j = h & (t->slot_count - 1); (v = t->slots[j]) != 0;
	     j = (j + 1) & (t->slot_count - 1)) {
		if ((v & 0xffffffff00000000ull) != tag)
			continue;
		size_t index = (size_t)(v & 0xffffffffu) - 1;
		if (memcmp(&t->entries[index].key, key, sizeof *key) == 0)
			return (ptrdiff_t)index;
	}
	return -1;
}

int cells_reserve(cell_table *t, size_t count)
{
	if (count <= t->size)
		return 0;
	if (entries_resize(t, count))
		return out_of_memory();
	while (t->slot_count < 2 * count)
		if (cells_grow(t))
			return out_of_memory();
	return 0;
}

void cells_clear(cell_table *t)
{
	if (t->slots)
		memset(t->slots, 0, t->slot_count * sizeof *t->slots);
	t->count = 0;
}

void cells_free(cell_table *t)
{
	table_free(t->entries, t->size * sizeof *t->entries);
	table_free(t->slots, t->slot_count * sizeof *t->slots);
	memset(t, 0, sizeof *t);
}

/* ---- coverage ------------------------------------------------------------------ */

static int fast_grow(coverage_set *s)
{
	size_t size = s->fast_size ? s->fast_size * 2 : 1024;
	coverage_slot *fast = calloc(size, sizeof *fast);
	if (!fast)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	coverage_slot *old = s->fast;
	size_t old_size = s->fast_size;
	s->fast = fast;
	s->fast_size = size;
	s->fast_shift = 64;
	for (size_t n = size; n > 1; n >>= 1)
		s->fast_shift--;
	for (size_t i = 0; i < old_size; i++) {
		if (!old[i].key)
			continue;
		size_t j = coverage_slot_of(s, old[i].key);
		while (fast[j].key)
			j = (j + 1) & (size - 1);
		fast[j] = old[i];
	}
	free(old);
	return 0;
}

static int fast_put(coverage_set *s, uint64_t key, size_t index)
{
	int rc;
	if ((s->fast_count + 1) * 2 > s->fast_size && (rc = fast_grow(s)))
		return rc;
	size_t j = coverage_slot_of(s, key);
	while (s->fast[j].key)
		j = (j + 1) & (s->fast_size - 1);
	s->fast[j].key = key;
	s->fast[j].index = (uint32_t)index;
	s->fast[j].rows = 0;
	s->fast[j].days = 0;
	s->fast_count++;
	return 0;
}

/* The slot holding `key`, or NULL. */
static coverage_slot *fast_find(const coverage_set *s, uint64_t key)
{
	if (!s->fast_size)
		return NULL;
	for (size_t j = coverage_slot_of(s, key); s->fast[j].key;
	     j = (j + 1) & (s->fast_size - 1))
		if (s->fast[j].key == key)
			return &s->fast[j];
	return NULL;
}

int coverage_add(coverage_set *s, uint64_t key, int kind, const char *organisation,
                 int month, int64_t rows, uint32_t days)
{
	coverage_slot *slot = fast_find(s, key);
	if (slot) {
		slot->rows += rows; /* the slot is in the cache already */
		slot->days |= days;
		return 0;
	}
	if (s->count == s->capacity) {
		size_t capacity = s->capacity ? s->capacity * 2 : 64;
		coverage_item *items = realloc(s->items, capacity * sizeof *items);
		if (!items)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		s->items = items;
		s->capacity = capacity;
	}
	coverage_item *c = &s->items[s->count];
	int rc = arena_put(&s->arena, &s->arena_used, &s->arena_size, organisation,
	                   strlen(organisation), &c->organisation);
	if (rc)
		return rc;
	c->kind = kind;
	c->month = month;
	c->rows = rows;
	c->days = days;
	return fast_put(s, key, s->count++);
}

const coverage_item *coverage_find(const coverage_set *s, uint64_t key)
{
	const coverage_slot *slot = fast_find(s, key);
	return slot ? &s->items[slot->index] : NULL;
}

void coverage_settle(coverage_set *s)
{
	for (size_t j = 0; j < s->fast_size; j++)
		if (s->fast[j].key && (s->fast[j].rows || s->fast[j].days)) {
			s->items[s->fast[j].index].rows += s->fast[j].rows;
			s->items[s->fast[j].index].days |= s->fast[j].days;
			s->fast[j].rows = 0;
			s->fast[j].days = 0;
		}
}

int coverage_rekey(coverage_set *s, dict *values)
{
	coverage_settle(s);
	if (s->fast)
		memset(s->fast, 0, s->fast_size * sizeof *s->fast);
	s->fast_count = 0;
	for (size_t i = 0; i < s->count; i++) {
		const coverage_item *c = &s->items[i];
		const char *org = coverage_organisation(s, c);
		uint32_t id;
		int rc = dict_intern(values, &id, org, strlen(org));
		if (!rc)
			rc = fast_put(s, coverage_key(c->kind, id, c->month), i);
		if (rc)
			return rc;
	}
	return 0;
}

void coverage_free(coverage_set *s)
{
	free(s->items);
	free(s->arena);
	free(s->fast);
	memset(s, 0, sizeof *s);
}
