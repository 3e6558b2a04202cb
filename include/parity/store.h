/*
 * parity/store.h: the SQLite count store. Holds, for each distinct
 * combination of period, organisation, characteristics and job attributes,
 * how many rows reached each stage, plus a record of every file ingested.
 * No person-level identifier is ever stored.
 */
#ifndef PARITY_STORE_H
#define PARITY_STORE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** An open count store. */
typedef struct parity_store parity_store;

/** The schema version this build writes and migrates to. */
#define PARITY_STORE_SCHEMA_VERSION 1

/**
 * Open the store at `path`, creating it (mode 0600) when `create` is
 * non-zero and it does not exist, and migrating an older schema. On success
 * *out is a handle the caller frees with parity_store_close(). Returns 0,
 * PARITY_ENOINPUT when the file is missing and `create` is 0, PARITY_EBUSY
 * when another process holds it, or PARITY_EIO.
 */
int parity_store_open(parity_store **out, const char *path, int create);

/** Close the store; NULL is allowed. */
void parity_store_close(parity_store *store);

/** The path the store was opened with. Borrowed. */
const char *parity_store_path(const parity_store *store);

#ifdef __cplusplus
}
#endif
#endif
