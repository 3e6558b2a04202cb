/*
 * ingest_internal.h: the canonical fields of an extract row and the
 * bounded in-memory structures ingest aggregates into before flushing to the
 * store: the cell table, the set of ids seen (for duplicates) and the set of
 * organisation-months a file covers. Private to the library.
 */
#ifndef PARITY_INGEST_INTERNAL_H
#define PARITY_INGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* Canonical fields of an extract row. The dimension fields, in the order
 * of the store's cells columns, come first. */
enum field {
	F_ORG = 0, F_ETHNIC, F_SEX, F_DISABILITY, F_AGE, F_PAY, F_GROUP,
	F_CONTRACT, F_PROCESS, F_GROUNDS, F_ORIENTATION, F_RELIGION,
	F_DIMENSIONS_,                 /* number of dimension fields */
	F_ID = F_DIMENSIONS_, F_STAFF_ID, F_DATE, F_SHORTLISTED, F_APPOINTED,
	F_VACANCY, F_COUNT_
};

/* Counts held for one cell. */
typedef struct cell_counts {
	uint64_t rows;        /* rows in the cell (applications, staff, cases) */
	uint64_t shortlisted; /* of which shortlisted (recruitment) */
	uint64_t appointed;   /* of which appointed (recruitment) */
} cell_counts;

/* One cell: a month and the dimension values, joined by 0x1f in `key`. */
typedef struct cell_entry {
	uint64_t hash;
	size_t key_offset;    /* into the table's arena */
	uint32_t key_length;
	int month;
	cell_counts counts;
} cell_entry;

typedef struct cell_table {
	cell_entry *entries;  /* open addressing; empty when key_length == 0 */
	size_t capacity;      /* a power of two */
	size_t count;
	char *arena;          /* keys */
	size_t arena_used, arena_size;
} cell_table;

/* Add `delta` to the cell for `month` and `dims` (F_DIMENSIONS_ strings).
 * Returns 0 or PARITY_ENOMEM. */
int cells_add(cell_table *table, int month, const char *const *dims,
              const cell_counts *delta);
/* Forget every cell (keeping the allocation). */
void cells_clear(cell_table *table);
void cells_free(cell_table *table);
/* Split a cell's key back into its dimension strings, in place in `buffer`
 * (at least key_length + 1 bytes). */
void cells_split(const cell_table *table, const cell_entry *entry, char *buffer,
                 const char *dims[F_DIMENSIONS_]);

/* A set of 64-bit id hashes with the line each was first seen on. */
typedef struct id_set {
	uint64_t *hashes;     /* 0 marks an empty slot */
	uint64_t *lines;
	size_t capacity, count;
} id_set;

/* Add the id; if it was there already, set *first_line to where it was first
 * seen and return 1. Returns 0 when new, PARITY_ENOMEM on failure. */
int ids_add(id_set *set, const char *id, size_t length, uint64_t line,
            uint64_t *first_line);
void ids_free(id_set *set);

/* The organisation-months a file holds data for. */
typedef struct coverage_item {
	char organisation[64];
	int month;
} coverage_item;

typedef struct coverage_set {
	coverage_item *items;
	size_t count, capacity;
	size_t *slots;        /* hash index: item index + 1, 0 when empty */
	size_t slots_size;
} coverage_set;

int coverage_add(coverage_set *set, const char *organisation, int month);
void coverage_free(coverage_set *set);

/* FNV-1a, 64-bit, never 0. */
uint64_t ingest_hash(const void *data, size_t length);

#endif
