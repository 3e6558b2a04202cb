/*
 * ingest_internal.h: what the ingest files share: the canonical fields of
 * an extract row, the bounded in-memory structures rows are aggregated into
 * (interned values, per-column memos, the cell table, the organisation-months
 * covered), the id partitions and sorter behind duplicate detection, and the
 * ingest state itself. Private to the library.
 */
#ifndef PARITY_INGEST_INTERNAL_H
#define PARITY_INGEST_INTERNAL_H

#include "csv/csvread.h"
#include "mapping.h"
#include "parity/ingest.h"
#include "store/store_internal.h"
#include "util/util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Canonical fields of an extract row. The dimension fields, in the order
 * of the store's cells columns, come first. */
enum field {
	F_ORG = 0, F_ETHNIC, F_SEX, F_DISABILITY, F_AGE, F_PAY, F_GROUP,
	F_CONTRACT, F_PROCESS, F_GROUNDS, F_ORIENTATION, F_RELIGION,
	F_STAGE,                       /* a case's furthest stage, from the three below */
	F_DIMENSIONS_,                 /* number of dimension fields */
	F_ID = F_DIMENSIONS_, F_STAFF_ID, F_DATE, F_SHORTLISTED, F_APPOINTED,
	F_VACANCY, F_KIND, F_MONTH, F_ROWS, F_INVESTIGATION, F_HEARING, F_OUTCOME,
	F_VOTING, F_EXECUTIVE,         /* a board member's Y/N flags */
	F_GRADE,                       /* a workforce row's medical grade */
	F_COUNT_
};

/* Ingest a survey file (kind survey: ingest_survey.c); as parity_ingest_file. */
int ingest_survey_file(parity_ingest_summary *summary, parity_store *store,
                       const char *path, const parity_ingest_options *options);

/* FNV-style 64-bit hash with a final avalanche, never 0. */
uint64_t ingest_hash(const void *data, size_t length);

/* ---- interned strings ----------------------------------------------------- */

/* Every coded value of the current flush, once, with a small id. The
 * entries and their text never move once made (blocks and chunks, not
 * realloc): SQLite is given the text without copies. */
#define DICT_BLOCK 4096            /* entries in a block */
#define DICT_BLOCKS 65536          /* blocks: ids below 2^28 */

/* What a value says about data quality, worked out once when interned. */
enum value_quality { VALUE_STATED, VALUE_NOT_STATED, VALUE_NOT_KNOWN };

typedef struct dict_entry {
	uint64_t hash;
	const char *text;     /* NUL-terminated, in a chunk; then its JSON form */
	uint32_t length;
	uint32_t quoted_length; /* of the JSON string form after the text */
	uint8_t quality;      /* enum value_quality */
} dict_entry;

typedef struct dict {
	dict_entry **blocks;  /* DICT_BLOCKS pointers, made as needed */
	size_t count;
	uint32_t *slots;      /* id + 1, 0 when empty (the interning side only) */
	size_t slot_count;    /* a power of two */
	char **chunks;        /* text storage */
	size_t chunk_count, chunks_size;
	size_t chunk_used, chunk_size; /* in the last chunk */
	size_t bytes;         /* memory held */
} dict;

/* Intern `length` bytes; *id is stable until dict_clear. 0 or ENOMEM. */
int dict_intern(dict *d, uint32_t *id, const char *text, size_t length);
static inline const dict_entry *dict_entry_of(const dict *d, uint32_t id)
{
	return &d->blocks[id / DICT_BLOCK][id % DICT_BLOCK];
}
static inline const char *dict_text(const dict *d, uint32_t id)
{
	return dict_entry_of(d, id)->text;
}
static inline uint32_t dict_length(const dict *d, uint32_t id)
{
	return dict_entry_of(d, id)->length;
}
/* The value as a JSON string (quotes and escapes; not NUL-terminated) and
 * its length: made once, when it is interned, for the packs. */
static inline const char *dict_quoted(const dict *d, uint32_t id)
{
	const dict_entry *e = dict_entry_of(d, id);
	return e->text + e->length + 1;
}
static inline uint32_t dict_quoted_length(const dict *d, uint32_t id)
{
	return dict_entry_of(d, id)->quoted_length;
}
/* Look text up without interning it: 1 with *id set, or 0. */
int dict_find(const dict *d, uint32_t *id, const char *text, size_t length);
static inline enum value_quality dict_quality(const dict *d, uint32_t id)
{
	return (enum value_quality)dict_entry_of(d, id)->quality;
}
size_t dict_bytes(const dict *d);
void dict_clear(dict *d);
void dict_free(dict *d);

/* ---- memos: raw value -> coded result, per column ------------------------- */

typedef struct memo_entry {
	uint64_t a, b;        /* a key of up to 16 bytes itself (zero padded);
	                         longer: its hash and its offset in the arena */
	uint64_t value;
	uint32_t length;
	uint32_t used;        /* 0: an empty slot */
} memo_entry;

typedef struct memo {
	memo_entry *entries;  /* open addressing */
	size_t slot_count, count;
	char *arena;          /* keys longer than 16 bytes */
	size_t arena_used, arena_size;
} memo;

/* Where a key goes. A key of up to 16 bytes is held as two words read
 * with overlapping loads (as wyhash reads short keys): for a given length
 * the two words determine the bytes, so comparing them compares the keys.
 * Longer keys are hashed by ingest_hash and kept in the arena. */
typedef struct memo_key {
	uint64_t a, b, hash;
	int inline_key;
} memo_key;

static inline uint64_t memo_load32(const char *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static inline uint64_t memo_load64(const char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline uint64_t memo_short_hash(uint64_t a, uint64_t b, size_t length)
{
	uint64_t h = (a * 0x9e3779b97f4a7c15ull) ^ (b * 0xc2b2ae3d27d4eb4full) ^
	             ((uint64_t)length * 0x165667b19e3779f9ull);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ (h >> 32);
}

static inline memo_key memo_key_of(const char *key, size_t length)
{
	memo_key k = {0, 0, 0, length <= 16};
	if (length > 16) {
		k.hash = ingest_hash(key, length);
		k.a = k.hash;
		return k;
	}
	if (length >= 8) {
		k.a = memo_load64(key);
		k.b = memo_load64(key + length - 8);
	} else if (length >= 4) {
		k.a = memo_load32(key) | memo_load32(key + length - 4) << 32;
	} else if (length) {
		k.a = (uint64_t)(unsigned char)key[0] |
		      (uint64_t)(unsigned char)key[length / 2] << 8 |
		      (uint64_t)(unsigned char)key[length - 1] << 16;
	}
	k.hash = memo_short_hash(k.a, k.b, length);
	return k;
}

static inline int memo_matches(const memo *m, const memo_entry *e, const memo_key *k,
                               const char *key, size_t length)
{
	if (e->length != length || e->a != k->a)
		return 0;
	if (k->inline_key)
		return e->b == k->b;
	return memcmp(m->arena + e->b, key, length) == 0;
}

/* Look the raw value up: 1 with *value set, or 0. */
static inline int memo_get(const memo *m, const char *key, size_t length,
                           uint64_t *value)
{
	if (!m->slot_count)
		return 0;
	memo_key k = memo_key_of(key, length);
	size_t j = k.hash & (m->slot_count - 1);
	for (;;) {
		const memo_entry *e = &m->entries[j];
		if (!e->used)
			return 0;
		if (memo_matches(m, e, &k, key, length)) {
			*value = e->value;
			return 1;
		}
		j = (j + 1) & (m->slot_count - 1);
	}
}

/* Remember a value. 0 or ENOMEM. */
int memo_put(memo *m, const char *key, size_t length, uint64_t value);
size_t memo_bytes(const memo *m);
void memo_clear(memo *m);
void memo_free(memo *m);

/* ---- cells ------------------------------------------------------------------ */

/* A cell's identity: its kind, month and every dimension, as interned ids. */
typedef struct cell_key {
	int32_t kind;
	int32_t month;
	uint32_t dims[F_DIMENSIONS_];
} cell_key;

typedef struct cell_entry {
	cell_key key;
	uint64_t hash;
	int64_t rows;         /* rows in the cell (applications, staff, cases) */
	int64_t shortlisted;  /* of which shortlisted (recruitment) */
	int64_t appointed;    /* of which appointed (recruitment) */
	uint32_t days;        /* days of the month with rows: bit d-1 for day d */
} cell_entry;

typedef struct cell_table {
	cell_entry *entries;  /* dense, in order of arrival */
	size_t count, size;
	uint64_t *slots;      /* hash's top 32 bits << 32 | entry index + 1; 0 empty */
	size_t slot_count;    /* a power of two */
} cell_table;

/* Add counts to the cell `key`. 0 or PARITY_ENOMEM. */
int cells_add(cell_table *table, const cell_key *key, int64_t rows,
              int64_t shortlisted, int64_t appointed);
/* The same with the key's hash (cells_hash) already worked out. */
uint64_t cells_hash(const cell_key *key);
int cells_add_hashed(cell_table *table, const cell_key *key, uint64_t hash,
                     int64_t rows, int64_t shortlisted, int64_t appointed,
                     uint32_t days);
/* The index of the entry with `key` (hash `hash`), or -1. */
ptrdiff_t cells_find(const cell_table *table, const cell_key *key, uint64_t hash);
/* Hints that the cell with this hash is wanted soon: its slot, then (once
 * the slot is in the cache) its entry. The table is too big for the cache,
 * so rows are added a few behind their decoding. */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
/* GCC drops a __builtin_prefetch whose address depends on a load it
 * cannot see a use of; an asm statement it must keep. */
#define CELLS_PREFETCH(p) __asm__ volatile("prefetcht0 %0" : : "m"(*(const char *)(p)))
#else
#define CELLS_PREFETCH(p) __builtin_prefetch(p)
#endif
static inline void cells_prefetch_slot(const cell_table *t, uint64_t hash)
{
	if (t->slot_count)
		CELLS_PREFETCH(&t->slots[hash & (t->slot_count - 1)]);
}
static inline void cells_prefetch_entry(const cell_table *t, uint64_t hash)
{
	if (!t->slot_count)
		return;
	uint64_t v = t->slots[hash & (t->slot_count - 1)];
	size_t index = (size_t)(v & 0xffffffffu);
	if (index && index <= t->count) {
		const char *e = (const char *)&t->entries[index - 1];
		CELLS_PREFETCH(e);
		CELLS_PREFETCH(e + 64);
		CELLS_PREFETCH(e + sizeof(cell_entry) - 1);
	}
}

/* A counted row waiting for its cell to reach the cache. */
typedef struct pending_cell {
	cell_key key;
	uint64_t hash;
	int64_t rows, shortlisted, appointed;
	uint32_t days;        /* the row's day of the month, as a bit */
} pending_cell;

#define PENDING_CELLS 16
/* Make room for `count` cells at once, so a full table never doubles
 * (briefly holding both sizes). 0 or PARITY_ENOMEM. */
int cells_reserve(cell_table *table, size_t count);
void cells_clear(cell_table *table);
void cells_free(cell_table *table);

/* ---- coverage --------------------------------------------------------------- */

/* The organisation-months a file holds data for, per kind, with the rows
 * counted in each (so a row taken back leaves no empty month behind). */
typedef struct coverage_item {
	size_t organisation;  /* offset of its text in the set's arena */
	int kind;
	int month;
	uint32_t days;        /* days of the month with rows (bit d-1: day d) */
	int64_t rows;
} coverage_item;

typedef struct coverage_slot {
	uint64_t key;         /* coverage_key(); 0 when empty */
	uint32_t index;       /* the item */
	uint32_t days;        /* days not yet folded into the item */
	int64_t rows;         /* rows not yet folded into the item */
} coverage_slot;

typedef struct coverage_set {
	coverage_item *items;
	size_t count, capacity;
	char *arena;          /* organisation codes, NUL-terminated */
	size_t arena_used, arena_size;
	coverage_slot *fast;  /* (kind, interned organisation, month) -> item */
	size_t fast_count, fast_size;
	unsigned fast_shift;  /* 64 - log2(fast_size) */
} coverage_set;

static inline const char *coverage_organisation(const coverage_set *s,
                                                const coverage_item *item)
{
	return s->arena + item->organisation;
}

/* Add `rows` to (kind, organisation, month), found by the organisation's
 * interned id in a packed key, so a row needs no string hashing. Ids change
 * when the values are forgotten: then coverage_rekey() with the new ones. */
static inline uint64_t coverage_key(int kind, uint32_t organisation, int month)
{
	return (uint64_t)organisation << 32 | (uint64_t)(uint32_t)month << 5 |
	       (uint64_t)(unsigned)kind << 1 | 1;
}
/* Fibonacci hashing: the product's top bits depend on every bit of the
 * key, the organisation's id in bits 32 and up included (its low bits
 * depend on the key's low bits only, and organisation-months collided). */
static inline size_t coverage_slot_of(const coverage_set *s, uint64_t key)
{
	return (size_t)((key * 0x9e3779b97f4a7c15ull) >> s->fast_shift);
}
/* A hint that `key` is added soon: the index is too big for the cache
 * when a file covers many organisation-months. */
static inline void coverage_prefetch(const coverage_set *s, uint64_t key)
{
	if (s->fast_size)
		CELLS_PREFETCH(&s->fast[coverage_slot_of(s, key)]);
}
int coverage_add(coverage_set *set, uint64_t key, int kind, const char *organisation,
                 int month, int64_t rows, uint32_t days);
/* Fold the rows counted in the index into the items (before reading them). */
void coverage_settle(coverage_set *set);
/* The item of `key` (rows as of the last coverage_settle), or NULL. */
const coverage_item *coverage_find(const coverage_set *set, uint64_t key);
/* Index the items again under the organisations' ids in `values`. */
int coverage_rekey(coverage_set *set, dict *values);
void coverage_free(coverage_set *set);

/* ---- the external sorter ---------------------------------------------------- */

typedef struct sort_entry {
	uint64_t key;
	uint64_t value;
} sort_entry;

typedef struct sort_run sort_run;

/*
 * Pairs sorted by (key, value) in bounded memory: `capacity` pairs are held
 * and sorted in memory; more spill as sorted runs to an unlinked temporary
 * file (in $TMPDIR, else /tmp) and are merged when read back.
 */
typedef struct sorter {
	sort_entry *buffer;
	size_t used, capacity;
	FILE *spill;
	uint64_t spilled;     /* pairs written to `spill` */
	sort_run *runs;
	size_t run_count, runs_size;
	size_t *heap;         /* merge: run indexes, smallest first */
	size_t heap_count;
} sorter;

void sorter_init(sorter *s, size_t capacity);
int sorter_add(sorter *s, uint64_t key, uint64_t value);
/* Stop adding and start reading back. */
int sorter_finish(sorter *s);
/* The next pair in order: 1, 0 at the end, or a negative error. */
int sorter_next(sorter *s, sort_entry *out);
void sorter_free(sorter *s);

/*
 * (id hash, position) pairs split into ID_PARTS partitions by the hash's
 * top bits. Each partition keeps `per` pairs in memory; a full partition
 * spills them as a chunk to an unlinked temporary file. Loading a
 * partition gives back its pairs in the order they were added, so
 * duplicates can be looked for one partition (1/256th of the ids) at a time.
 */
#define ID_PART_BITS 8
#define ID_PARTS (1u << ID_PART_BITS)

typedef struct id_parts {
	sort_entry *buffer;            /* ID_PARTS * per pairs */
	size_t per;
	size_t fill[ID_PARTS];         /* pairs in each partition's buffer */
	uint64_t *chunks[ID_PARTS];    /* where each spilled chunk starts (pairs) */
	size_t chunk_count[ID_PARTS], chunk_size[ID_PARTS];
	FILE *spill;
	uint64_t spilled;              /* pairs in the temporary file */
} id_parts;

/* Hold about `memory_entries` pairs in memory (at least one a partition). */
int idparts_init(id_parts *p, size_t memory_entries);
int idparts_add(id_parts *p, uint64_t hash, uint64_t position);
/* Partition `i`'s pairs, in the order added, into *entries (grown as
 * needed; *size is its capacity). */
int idparts_load(id_parts *p, size_t i, sort_entry **entries, size_t *count,
                 size_t *size);
void idparts_free(id_parts *p);

/* ---- the ingest state ---------------------------------------------------------- */

enum need { OPTIONAL, EXPECTED, REQUIRED };

typedef struct column_spec {
	int field;          /* enum field */
	const char *name;   /* canonical header */
	enum need need;     /* REQUIRED: refuse the file without it; EXPECTED:
	                       warn and count every row as not stated */
} column_spec;

/* A value that nothing maps, with how often and where it was first seen. */
typedef struct unknown_value {
	int field;
	char value[96];
	uint64_t rows;
	uint64_t first_line;
} unknown_value;

#define MAX_UNKNOWN 64
#define MAX_REASONS 32

typedef struct reject_reason {
	char reason[64];
	uint64_t count;
} reject_reason;

/* A line where a record starts outside any other: a place to re-read from. */
typedef struct checkpoint {
	uint64_t line;
	uint64_t offset;
} checkpoint;

/* One row, validated and coded, or why not. */
enum row_status { ROW_OK, ROW_REJECT, ROW_UNKNOWN };

typedef struct row {
	enum row_status status;
	const char *reason;       /* ROW_REJECT: a short category */
	char detail[400];         /* ROW_REJECT: the full explanation */
	cell_key key;             /* ROW_OK */
	int64_t rows, shortlisted, appointed; /* ROW_OK: what the row adds */
	uint64_t id_hash;         /* ROW_OK and ROW_UNKNOWN: identity for duplicates */
	uint32_t date;            /* the row's date as y*10000 + m*100 + d */
	const char *organisation; /* borrowed from the record */
	unsigned unknown;         /* ROW_UNKNOWN: bit per field nothing maps */
	const char *id;           /* the id as read, for messages */
} row;

typedef struct cell_writer cell_writer;
typedef struct rereader rereader;
struct training;

typedef struct ingest {
	parity_store *store;
	const parity_ingest_options *options;
	const parity_mapping *mapping;
	const char *path;
	const column_spec *spec;
	int64_t file_id;
	uint64_t next_pack;           /* number of the next pack this file writes */
	char delimiter;               /* as read: cursors re-read with it */

	int header_done;
	size_t header_count;          /* fields in the header */
	char **header;                /* copies of the header fields */
	int column_of[F_COUNT_];      /* header index of each field, -1 if absent */
	const char *column_name[F_COUNT_]; /* canonical name of each field */
	unsigned constant_empty;      /* dimensions '' on every row (bit per field) */

	dict values;                  /* interned coded values */
	memo memos[F_COUNT_];         /* raw value -> coded result, per column */
	uint32_t empty_id;            /* the id of "" in `values` */
	cell_table cells;             /* pending aggregated cells */
	pending_cell pending[PENDING_CELLS]; /* rows decoded, not yet added */
	size_t pending_head, pending_count;
	cell_table fixes;             /* counts to take back (late duplicates) */
	coverage_set coverage;        /* organisation-months seen */
	size_t coverage_saved;        /* its items already in the coverage table */
	sqlite3_stmt *insert_coverage;  /* one row, and COVERAGE_BATCH rows */
	sqlite3_stmt *insert_coverages;

	id_parts ids;                 /* (id hash, position) of every row counted */
	checkpoint *checkpoints;
	size_t checkpoint_count, checkpoint_size;
	uint64_t checkpoint_every;    /* lines between checkpoints */
	char *key_buffer;             /* scratch for composite id keys */
	size_t key_size;
	int replaying;                /* decoding a row again: no side effects */
	uint64_t not_a_band[3];       /* rows whose pay band, staff group, age band
	                                 is not a known one (warned about) */
	uint64_t not_a_band_line[3];  /* the first such row's line */
	uint64_t not_a_grade;         /* medical rows whose grade is not a known
	                                 one (counted as other; warned about) */
	uint64_t not_a_grade_line;    /* the first such row's line */

	sqlite3_stmt *insert_pack;    /* INSERT INTO cell_packs */
	store_pack pack;              /* the pack being built (writer's) */
	cell_writer *writer;          /* the thread writing cells, or NULL */

	parity_ingest_summary *summary;
	util_atomic_file rejects;     /* rejects CSV, opened on first reject */
	int rejects_open;
	uint64_t first_reject_line;
	reject_reason reasons[MAX_REASONS];
	size_t reason_count;
	unknown_value unknown[MAX_UNKNOWN];
	size_t unknown_count;
	uint64_t unknown_more;        /* distinct unknown values beyond MAX_UNKNOWN */
	int64_t not_stated[F_COUNT_]; /* counted rows not stated, per field */
	int64_t not_known[F_COUNT_];  /* counted rows not known, per field */
	int64_t kind_rows[PARITY_KIND_COUNT_]; /* rows of each kind in the store
	                                 before this file (at most) plus this
	                                 file's so far: an analysis sums at most
	                                 all of a kind */
	time_t last_progress;
	struct training *training;    /* training: people across deliveries */
	rereader *rereader;           /* re-reading rows after the read */
} ingest;

/* ingest_rows.c: header resolution, and each row validated and coded. */
const column_spec *ingest_columns_for(parity_kind kind);
/* Is the attribute column `field` used by this kind even when absent
 * (every row then counts as not stated)? */
int ingest_attribute_expected(parity_kind kind, int field);
int ingest_resolve_header(ingest *in, const csvread_record *record);
int ingest_decode(ingest *in, const csvread_record *record, row *out);
/* The exact identity of a decoded row (id, with the snapshot or the
 * organisation and year where those qualify it), in in->key_buffer. */
int ingest_identity(ingest *in, const csvread_record *record, const row *decoded,
                    const char **key, size_t *length);
int ingest_is_not_stated(const char *code, size_t length);
int ingest_is_not_known(const char *code, size_t length);

/* ingest_dups.c: duplicates found after the read, and their rejects. */
/* Write a line to the rejects file (opening it) that is about the file,
 * not one row: `line` (where it is first seen) and `detail`, which may
 * quote values: the rejects file is owner-only and is where they stay.
 * Returns 0 or an error. */
int ingest_reject_note(ingest *in, uint64_t line, const char *detail);

int ingest_reject(ingest *in, FILE *out, const csvread_record *record,
                  const char *reason, const char *detail);
int ingest_resolve_duplicates(ingest *in);
/* Decode the row at `pos` (line << 24 | ordinal) again, with a re-reader
 * kept until ingest_rereader_free; take back (as training repeats) the rows
 * whose positions are the keys of `repeats`. */
int ingest_redecode(ingest *in, uint64_t pos, const csvread_record **record, row *out);
void ingest_rereader_free(ingest *in);
int ingest_take_back_repeats(ingest *in, sorter *repeats);

/* ingest_training.c: a person counts once per organisation and financial
 * year across deliveries (see the file's header). training_start before
 * the read; training_note for each counted row; training_resolve once the
 * file's cells and any replace are written (*taken: rows taken back). */
int training_start(ingest *in);
int training_note(ingest *in, const csvread_record *record, const row *r);
int training_resolve(ingest *in, int64_t *taken);
void training_free(ingest *in);

/* ingest_pack.c: the store side. Write a table of cells (with `fixing`: counts
 * to take back from what this file wrote) and empty it. */
int ingest_flush(ingest *in, cell_table *table, int fixing);
/* Add what the cells of `table` hold to in->coverage and the not stated /
 * not known tallies. 0 or PARITY_ENOMEM. */
int ingest_account_cells(ingest *in, const cell_table *table);
/* Insert up to `most` of the organisation-months not yet in the coverage
 * table, first seen first (by whichever thread owns the connection and
 * coverage). */
int ingest_save_new_coverage(ingest *in, size_t most);
/* Write the cells of `table` to the store in sorted multi-row INSERTs,
 * numbering them as the file's next cells; the table is left as it was. */
int ingest_write_cells(ingest *in, const cell_table *table);
/* Whether a stored cell of a pack of `kind` and `month` is to leave its
 * pack: 1 (the filter has taken its counts), 0, or an error. */
typedef int (*cell_filter)(ingest *in, void *context, int64_t file_id, int kind,
                           int month, const store_cell *cell);

/* Run `filter` over the cells of every pack `stmt` selects, rewriting the
 * packs that lose cells; finalizes `stmt`; *taken: cells taken. */
int ingest_edit_packs(ingest *in, sqlite3_stmt *stmt, cell_filter filter,
                      void *context, uint64_t *taken);

/* ingest_record.c: the callback csvread_file calls for each record (counts
 * each row into in->cells), moving the pending cells into in->cells, and
 * the rows of each kind the store holds before this file. */
#define DEFAULT_FLUSH_CELLS 131072 /* cells a table holds, unless flush_cells says */
int ingest_on_record(void *context, const csvread_record *record);
int ingest_drain_pending(ingest *in);
int ingest_stored_kind_rows(ingest *in);

/* ingest_grade.c: set a workforce row's process value to its medical and
 * dental sub-group (PARITY_GRADE_*, "" for no grade, and "" for a row that
 * is not medical), from the grade column or a pay band naming a grade. 0 or
 * a negative error; never refuses the row. */
int ingest_code_grade(ingest *in, const csvread_record *record, row *out);

/* ingest_redelivery.c: refuse or (with --replace) supersede earlier files'
 * overlapping organisation-months; save this file's coverage and report
 * its first and last month. */
int ingest_handle_overlap(ingest *in);
int ingest_save_coverage(ingest *in, int *first_month, int *last_month,
                         int64_t *counted);

/* The writer thread (ingest_writer.c). writer_start makes it, with a spare
 * table of `reserve` cells (made on first use) to swap with full ones; if
 * no thread can be made, in->writer stays NULL and tables are written on
 * the caller's thread. writer_submit hands a full table over (to be
 * accounted for by ingest_account_cells, then written) and leaves *table
 * empty; writer_wait returns once nothing is being written (with the
 * writer's failure, if it had one); nothing else may use the store, the
 * coverage set or the not stated / not known tallies until it has.
 * writer_stop waits and ends the thread; safe when none was started. */
int writer_start(ingest *in, size_t reserve);
int writer_submit(ingest *in, cell_table *table);
int writer_wait(ingest *in);
void writer_stop(ingest *in);
/* Take a counted row back (a duplicate found after the read). */
int ingest_uncount(ingest *in, const row *r);

/* Lines that are no rows, as ingest and the mapping draft both see them
 * (ingest_record.c): a record whose every field is empty or blank (a
 * spreadsheet's ";;;;;" rows), and a report's footer line (its first
 * filled field starts with Total, Report run, Printed, Page, ..., and it is
 * no full row for a header of `header_count` fields). */
int ingest_bare_delimiters(const csvread_record *record);
int ingest_is_footer(const csvread_record *record, size_t header_count);

#endif
