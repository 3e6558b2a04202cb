/*
 * ingest_cells.c: the bounded structures ingest aggregates into: a hash
 * table of count cells (flushed to the store when full), a set of id hashes
 * for duplicate detection, and the organisation-months a file covers.
 */
#include "ingest_internal.h"

#include "parity/common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint64_t ingest_hash(const void *data, size_t length)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < length; i++) {
		h ^= p[i];
		h *= 1099511628211ull;
	}
	/* Final mix so that similar keys spread over the table. */
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h ? h : 1;
}

static int cells_grow(cell_table *t)
{
	size_t capacity = t->capacity ? t->capacity * 2 : 4096;
	cell_entry *entries = calloc(capacity, sizeof *entries);
	if (!entries)
		return parity_error_set(PARITY_ENOMEM, "out of memory aggregating cells");
	for (size_t i = 0; i < t->capacity; i++) {
		cell_entry *e = &t->entries[i];
		if (!e->key_length)
			continue;
		size_t j = e->hash & (capacity - 1);
		while (entries[j].key_length)
			j = (j + 1) & (capacity - 1);
		entries[j] = *e;
	}
	free(t->entries);
	t->entries = entries;
	t->capacity = capacity;
	return 0;
}

int cells_add(cell_table *t, int month, const char *const *dims,
              const cell_counts *delta)
{
	char key[2048];
	size_t len = 0;
	for (int i = 0; i < F_DIMENSIONS_; i++) {
		size_t l = strlen(dims[i]);
		if (len + l + 1 >= sizeof key)
			return parity_error_set(PARITY_EDATA, "row values too long to count");
		memcpy(key + len, dims[i], l);
		len += l;
		key[len++] = '\x1f';
	}
	uint64_t h = ingest_hash(key, len) ^ (uint64_t)(unsigned)month * 0x9e3779b97f4a7c15ull;
	if (!h)
		h = 1;
	if ((t->count + 1) * 4 > t->capacity * 3) {
		int rc = cells_grow(t);
		if (rc)
			return rc;
	}
	size_t j = h & (t->capacity - 1);
	for (;;) {
		cell_entry *e = &t->entries[j];
		if (!e->key_length)
			break;
		if (e->hash == h && e->month == month && e->key_length == len &&
		    memcmp(t->arena + e->key_offset, key, len) == 0) {
			e->counts.rows += delta->rows;
			e->counts.shortlisted += delta->shortlisted;
			e->counts.appointed += delta->appointed;
			return 0;
		}
		j = (j + 1) & (t->capacity - 1);
	}
	if (t->arena_used + len > t->arena_size) {
		size_t size = t->arena_size ? t->arena_size * 2 : 1 << 16;
		while (size < t->arena_used + len)
			size *= 2;
		char *arena = realloc(t->arena, size);
		if (!arena)
			return parity_error_set(PARITY_ENOMEM, "out of memory aggregating cells");
		t->arena = arena;
		t->arena_size = size;
	}
	memcpy(t->arena + t->arena_used, key, len);
	cell_entry *e = &t->entries[j];
	e->hash = h;
	e->key_offset = t->arena_used;
	e->key_length = (uint32_t)len;
	e->month = month;
	e->counts = *delta;
	t->arena_used += len;
	t->count++;
	return 0;
}

void cells_clear(cell_table *t)
{
	if (t->entries)
		memset(t->entries, 0, t->capacity * sizeof *t->entries);
	t->count = 0;
	t->arena_used = 0;
}

void cells_free(cell_table *t)
{
	free(t->entries);
	free(t->arena);
	memset(t, 0, sizeof *t);
}

void cells_split(const cell_table *t, const cell_entry *e, char *buffer,
                 const char *dims[F_DIMENSIONS_])
{
	memcpy(buffer, t->arena + e->key_offset, e->key_length);
	buffer[e->key_length] = '\0';
	char *p = buffer;
	for (int i = 0; i < F_DIMENSIONS_; i++) {
		dims[i] = p;
		char *sep = strchr(p, '\x1f');
		if (sep) {
			*sep = '\0';
			p = sep + 1;
		}
	}
}

static int ids_grow(id_set *s)
{
	size_t capacity = s->capacity ? s->capacity * 2 : 1 << 14;
	uint64_t *hashes = calloc(capacity, sizeof *hashes);
	uint64_t *lines = calloc(capacity, sizeof *lines);
	if (!hashes || !lines) {
		free(hashes);
		free(lines);
		return parity_error_set(PARITY_ENOMEM, "out of memory checking duplicates");
	}
	for (size_t i = 0; i < s->capacity; i++) {
		if (!s->hashes[i])
			continue;
		size_t j = s->hashes[i] & (capacity - 1);
		while (hashes[j])
			j = (j + 1) & (capacity - 1);
		hashes[j] = s->hashes[i];
		lines[j] = s->lines[i];
	}
	free(s->hashes);
	free(s->lines);
	s->hashes = hashes;
	s->lines = lines;
	s->capacity = capacity;
	return 0;
}

int ids_add(id_set *s, const char *id, size_t length, uint64_t line,
            uint64_t *first_line)
{
	if ((s->count + 1) * 4 > s->capacity * 3) {
		int rc = ids_grow(s);
		if (rc)
			return rc;
	}
	uint64_t h = ingest_hash(id, length);
	size_t j = h & (s->capacity - 1);
	while (s->hashes[j]) {
		if (s->hashes[j] == h) {
			*first_line = s->lines[j];
			return 1;
		}
		j = (j + 1) & (s->capacity - 1);
	}
	s->hashes[j] = h;
	s->lines[j] = line;
	s->count++;
	return 0;
}

void ids_free(id_set *s)
{
	free(s->hashes);
	free(s->lines);
	memset(s, 0, sizeof *s);
}

/* Index slot for (organisation, month) in the coverage hash. */
static uint64_t coverage_hash(const char *organisation, int month)
{
	return ingest_hash(organisation, strlen(organisation)) ^
	       ((uint64_t)(unsigned)month * 0x9e3779b97f4a7c15ull);
}

static int coverage_grow(coverage_set *s)
{
	size_t slots_size = s->slots_size ? s->slots_size * 2 : 256;
	size_t *slots = calloc(slots_size, sizeof *slots);
	if (!slots)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->count; i++) {
		size_t j = coverage_hash(s->items[i].organisation, s->items[i].month) &
		           (slots_size - 1);
		while (slots[j])
			j = (j + 1) & (slots_size - 1);
		slots[j] = i + 1;
	}
	free(s->slots);
	s->slots = slots;
	s->slots_size = slots_size;
	return 0;
}

int coverage_add(coverage_set *s, const char *organisation, int month)
{
	if ((s->count + 1) * 2 > s->slots_size) {
		int rc = coverage_grow(s);
		if (rc)
			return rc;
	}
	size_t j = coverage_hash(organisation, month) & (s->slots_size - 1);
	while (s->slots[j]) {
		coverage_item *c = &s->items[s->slots[j] - 1];
		if (c->month == month && !strcmp(c->organisation, organisation))
			return 0;
		j = (j + 1) & (s->slots_size - 1);
	}
	if (s->count == s->capacity) {
		size_t capacity = s->capacity ? s->capacity * 2 : 64;
		coverage_item *items = realloc(s->items, capacity * sizeof *items);
		if (!items)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		s->items = items;
		s->capacity = capacity;
	}
	coverage_item *c = &s->items[s->count++];
	snprintf(c->organisation, sizeof c->organisation, "%s", organisation);
	c->month = month;
	s->slots[j] = s->count;
	return 0;
}

void coverage_free(coverage_set *s)
{
	free(s->items);
	free(s->slots);
	memset(s, 0, sizeof *s);
}
