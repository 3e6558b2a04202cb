/*
 * store_internal.h: what the engine's own modules (ingest, analyses) need of
 * the count store beyond the public API: the SQLite handle, transactions
 * and error translation. Not installed; not for the CLI.
 */
#ifndef PARITY_STORE_INTERNAL_H
#define PARITY_STORE_INTERNAL_H

#include "parity/store.h"

#include <sqlite3.h>

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
 * Cells are numbered by file (schema 4): the n-th cell a file wrote has
 * rowid file_id << 32 | n, so a file's cells are one range of the table.
 * STORE_CELL_ROWID gives a cell's rowid; STORE_CELLS_OF_FILE(f) is an SQL
 * condition selecting the cells of the file whose id is the SQL expression f.
 */
#define STORE_CELL_ROWID(file_id, n) ((int64_t)(file_id) * 4294967296LL + (int64_t)(n))
#define STORE_CELLS_PER_FILE 4294967296ULL
#define STORE_CELLS_OF_FILE(f) \
	"cells.rowid BETWEEN (" f ") * 4294967296 AND (" f ") * 4294967296 + 4294967295"

/*
 * An SQL FROM clause for the cells of `kind` in months `first` to `last`
 * (SQL text: parameters or literals), found through cell_blocks: only the
 * runs of cells of that kind and those months are read. The query still
 * filters by anything else (organisation, process, ...).
 */
#define STORE_CELLS_OF_KIND(kind, first, last) \
	"(SELECT first_cell, last_cell FROM cell_blocks WHERE kind = " kind \
	" AND month BETWEEN " first " AND " last ") AS block CROSS JOIN cells ON " \
	"cells.rowid BETWEEN block.first_cell AND block.last_cell"

#endif
