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

#endif
