/*
 * store_internal.h: what the engine's own modules (ingest, analyses) need of
 * the count store beyond the public API: the SQLite handle, transactions
 * and error translation. Not installed; not for the CLI.
 */
#ifndef PARITY_STORE_INTERNAL_H
#define PARITY_STORE_INTERNAL_H

#include "parity/store.h"

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* How long a connection waits for another process's lock on the database
 * before it reports it busy (PARITY_EBUSY, exit 75), in milliseconds. Every
 * connection to a parity database sets it (sqlite3_busy_timeout). */
#define PARITY_STORE_BUSY_MS 60000

/* The store's SQLite connection. Borrowed. */
sqlite3 *store_db(parity_store *store);

/* Run SQL with no results; on failure set an error naming `what` and
 * return PARITY_EIO (PARITY_EBUSY when the database is locked). */
int store_exec(parity_store *store, const char *sql, const char *what);

/* End the open write transaction with COMMIT. If that fails the
 * transaction is rolled back (store_rollback) and the error returned, so
 * the caller never leaves one open. */
int store_commit(parity_store *store, const char *what);

/* Roll back the open transaction, if any, and make sure the database file
 * is as it was before it: after a write error (disk full, file-size limit)
 * SQLite leaves the undo journal for the next reader, so read once to have
 * it played back now rather than leave the file changed until then. Keeps
 * the last error message. */
void store_rollback(parity_store *store);

/* Prepare a statement; on failure set an error and return PARITY_EIO. */
int store_prepare(parity_store *store, sqlite3_stmt **out, const char *sql);

/* Translate an SQLite result code into a parity error with a message
 * naming `what` and the database; returns the parity code. */
int store_fail(parity_store *store, int rc, const char *what);

/*
 * The cells of the count cube are stored in packs (schema 5): a row of
 * cell_packs holds up to STORE_PACK_CELLS cells of one file, kind and
 * month as JSON text, each cell its rows, shortlisted and appointed counts
 * and its thirteen dimension values (in the cells view's column order,
 * from organisation to stage), the empty values at the end left out: the
 * values themselves, or since schema 10 their indexes in the pack's
 * dictionaries (the two forms are below). The view `cells` shows them one
 * row a cell. The n-th pack a file wrote has id file_id << 32 | n
 * (STORE_PACK_ID), so a file's packs are one range of the table;
 * STORE_PACKS_OF_FILE(f) is an SQL condition selecting the packs of the
 * file whose id is the SQL expression f.
 */
#define STORE_DIMENSIONS 13
/* Where each dimension is among a stored cell's values. */
enum {
	STORE_ORGANISATION, STORE_ETHNIC_CATEGORY, STORE_SEX, STORE_DISABILITY,
	STORE_AGE_BAND, STORE_PAY_BAND, STORE_STAFF_GROUP, STORE_CONTRACT,
	STORE_PROCESS, STORE_GROUNDS, STORE_SEXUAL_ORIENTATION, STORE_RELIGION,
	STORE_STAGE /* schema 8: a disciplinary case's furthest stage */
};
#define STORE_PACK_CELLS 4096
#define STORE_PACK_ID(file_id, n) ((int64_t)(file_id) * 4294967296LL + (int64_t)(n))
#define STORE_PACKS_PER_FILE 4294967296ULL
#define STORE_PACKS_OF_FILE(f) \
	"cell_packs.id BETWEEN (" f ") * 4294967296 AND (" f ") * 4294967296 + 4294967295"

/* A cell as stored: its dimension values (not NUL-terminated) and counts. */
typedef struct store_cell {
	const char *dim[STORE_DIMENSIONS];
	size_t length[STORE_DIMENSIONS];
	int64_t rows, shortlisted, appointed;
} store_cell;

/*
 * Two forms of pack text, told apart by their first byte:
 * - '[' (schema 5 to 9): [[rows,shortlisted,appointed,"value",...],...], each
 *   cell with its own values;
 * - '{' (schema 10, what parity writes): {"v":[[values],...],"c":[[rows,
 *   shortlisted,appointed,i,...],...]}: for each dimension from the first
 *   up to the last with a non-empty value in the pack, its distinct values
 *   (a dictionary, in the order first met), and each cell its counts and
 *   then, for each of those dimensions, the index of its value there (the
 *   dimensions after them are empty). The dictionaries' text, "v"'s array,
 *   is also the row's `dictionary` column, which the `cells` view reads
 *   (a small value per pack, where looking values up in the whole pack
 *   would parse it again for every value). Reading a cell is then reading
 *   small integers, and an analysis codes each pack's values once, not
 *   each cell's.
 */

/* A pack being built: the dictionaries and cells as they come, the text
 * made by store_pack_finish. */
typedef struct store_pack_dim {
	char *quoted;                 /* the values' JSON strings, each after a comma */
	size_t quoted_used, quoted_size;
	uint32_t count;               /* values */
	uint32_t *slots;              /* hash (of the quoted bytes): index + 1, 0 empty */
	size_t slot_count;
	uint64_t *hashes;             /* each value's hash */
	uint32_t *offsets;            /* each value's start in `quoted` */
	size_t room;
	uint32_t *by_id, *stamp;      /* store_pack_add_quoted's ids: the index */
	size_t id_room;
	int nonempty;                 /* a value other than "" was added */
} store_pack_dim;

typedef struct store_pack {
	char *text;                   /* finished: the pack's text, NUL-terminated */
	size_t used, size;
	size_t dictionary_at, dictionary_length; /* the dictionaries within text */
	size_t cells;
	int64_t *counts;              /* 3 a cell */
	uint32_t *codes;              /* STORE_DIMENSIONS a cell */
	size_t cell_room;
	uint32_t generation;          /* stamps of by_id valid for this pack */
	store_pack_dim dims[STORE_DIMENSIONS];
} store_pack;

/* Empty the pack (keeping its memory). */
void store_pack_reset(store_pack *pack);
/* Append a cell. 0 or PARITY_ENOMEM. */
int store_pack_add(store_pack *pack, const store_cell *cell);
/* The length of `length` bytes of text as a JSON string, quotes included. */
size_t store_json_quoted_length(const char *text, size_t length);
/* Write that JSON string to `out` (store_json_quoted_length bytes). */
void store_json_quote(char *out, const char *text, size_t length);
/* Append a cell whose dimension values are given as JSON strings already
 * (store_json_quote). With `ids` (may be NULL), ids[d] names the value of
 * dimension d among the caller's values (equal ids, equal values; at most
 * a few million), which saves hashing it. 0 or PARITY_ENOMEM. */
int store_pack_add_quoted(store_pack *pack, const char *const quoted[STORE_DIMENSIONS],
                          const uint32_t quoted_length[STORE_DIMENSIONS],
                          const uint32_t *ids, int64_t rows, int64_t shortlisted,
                          int64_t appointed);
/* Write the pack's text: pack->text, pack->used are then the pack to store
 * and text + dictionary_at, dictionary_length its dictionaries (the
 * `dictionary` column). 0 or PARITY_ENOMEM. */
int store_pack_finish(store_pack *pack);
void store_pack_free(store_pack *pack);

/* A value of a pack's dictionary. */
typedef struct store_value {
	const char *text;   /* not NUL-terminated */
	size_t length;
} store_value;

/* Reading a pack's cells in turn. */
typedef struct store_pack_reader {
	const char *at, *end;
	char *scratch;        /* unescaped strings of the current cell */
	size_t scratch_size, scratch_used;
	int started;
	const parity_store *store; /* where the pack is from, for messages */
	int64_t id;
	/* A pack with dictionaries ('{'): */
	int dictionaries;     /* 1 when it has them */
	int listed;           /* dimensions with a dictionary (the rest empty) */
	store_value *values;  /* every dictionary's values, in turn */
	size_t value_count, value_room;
	size_t first[STORE_DIMENSIONS]; /* dimension d's dictionary: values + first[d] */
	uint32_t count[STORE_DIMENSIONS]; /* its values (0: not listed) */
	uint32_t code[STORE_DIMENSIONS];  /* the current cell's index of each */
} store_pack_reader;

/* Start reading the pack `text` (not copied: it must stay valid while
 * read; `length` bytes). 0 or PARITY_ENOMEM. A reader is zeroed before its
 * first use and freed with store_pack_reader_free. */
int store_pack_open(store_pack_reader *reader, const char *text, size_t length);
/* Start reading the pack in column `column` of the row `stmt` is on: the
 * pack `id` of `store`, which a message about a damaged pack names. The
 * text stays valid until the statement moves on. 0 or PARITY_ENOMEM. */
int store_pack_open_row(store_pack_reader *reader, const parity_store *store,
                        sqlite3_stmt *stmt, int column, int64_t id);
/* The next cell: 1 with *cell filled (its strings valid until the reader
 * is opened on another pack), 0 at the end, or PARITY_EIO when the pack is
 * malformed. */
int store_pack_next(store_pack_reader *reader, store_cell *cell);
void store_pack_reader_free(store_pack_reader *reader);

/* The cells of the packs a statement selects (columns: cells, id, month),
 * decoded one pack ahead by a second thread (store_stream.c). */
typedef struct store_stream store_stream;
typedef struct store_pack_batch {
	const store_cell *cells; /* one pack's cells */
	size_t count;
	int month;
	/* A pack with dictionaries: dimension d's values are values[d]
	 * (count[d] of them, 0 when every cell's is empty), and cell c's is
	 * values[d][codes[c * STORE_DIMENSIONS + d]]. NULL otherwise. */
	const uint32_t *codes;
	const store_value *values[STORE_DIMENSIONS];
	uint32_t value_count[STORE_DIMENSIONS];
} store_pack_batch;

/* Start reading `stmt` (bound, not yet stepped) in a thread of its own,
 * skipping the packs of months outside first..last or with
 * wanted[month - first] 0. Until store_stream_finish() the statement and
 * its connection belong to that thread: make no SQLite call on them. 0 or
 * an error (nothing started). */
int store_stream_start(store_stream **out, parity_store *store, sqlite3_stmt *stmt,
                       int first, int last, const unsigned char *wanted);
/* The next pack's cells: 1 with *batch filled (valid until the next call),
 * or 0 at the end (store_stream_finish() then says whether all was read). */
int store_stream_next(store_stream *stream, store_pack_batch *batch);
/* Stop reading, wait for the thread, free the stream: 0, or the error that
 * ended the reading (a damaged pack, SQLite's, out of memory). NULL-safe. */
int store_stream_finish(store_stream *stream);

#endif
