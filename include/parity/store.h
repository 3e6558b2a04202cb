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
#define PARITY_STORE_SCHEMA_VERSION 11

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

/**
 * The disclosure gate's clean-ups remembered across runs. The gate's last
 * step (showing again each hidden count that protects nothing) tries its
 * counts one at a time; where that is long, its outcome is kept under the
 * SHA-256 of everything it depends on (the counts of the table's component,
 * their marks and sums), so that next month's run, whose closed year is
 * the same, applies it instead of trying again (and checks it still
 * protects every small count). Safe to share between two threads.
 */
typedef struct parity_gate_memo parity_gate_memo;

/** A new, empty memo; NULL when out of memory. */
parity_gate_memo *parity_gate_memo_new(void);
void parity_gate_memo_free(parity_gate_memo *memo);
/** Read the store's remembered clean-ups into `memo`. 0 or an error. */
int parity_gate_memo_load(parity_gate_memo *memo, parity_store *store);
/** Keep in the store what `memo` learned and used (one transaction), and
 *  forget the oldest beyond the last PARITY_GATE_MEMO_KEEP. 0 or an error. */
int parity_gate_memo_save(parity_gate_memo *memo, parity_store *store);
#define PARITY_GATE_MEMO_KEEP 64

/** What an aggregate export wrote. */
typedef struct parity_export_summary {
	uint64_t cells;          /**< rows written, one per distinct cell */
	uint64_t rows;           /**< the sum of their `rows` counts */
	uint64_t suppressed;     /**< counts written as "<N" (small) */
	uint64_t withheld;       /**< counts written as "*" (would reveal a small one) */
} parity_export_summary;

/**
 * Write the store's count cube to `path` as an aggregate counts CSV: one
 * row per distinct cell, with the columns kind, month (YYYY-MM),
 * organisation, ethnic_category, sex, disability, age_band, pay_band,
 * staff_group, contract, process, grounds, sexual_orientation, religion, stage,
 * rows, shortlisted, appointed, sorted by those columns. Text cells that a
 * spreadsheet would run as a formula get a leading single quote.
 *
 * With `suppress` = 0 the file is exact and ingests again as kind
 * "counts" (parity_ingest_file), giving the same cube. With `suppress`
 * N >= 2, for publishing: every count from 1 to N-1 is written "<N", and a
 * count whose difference from another count in its row (rows - shortlisted,
 * shortlisted - appointed, rows - appointed) would be from 1 to N-1 is
 * written "*", so no small number can be worked out from the row; the file
 * starts with a comment line saying so and cannot be ingested.
 *
 * The file is written under a temporary name, mode 0600, and renamed into
 * place when complete. Returns 0, PARITY_EUSAGE (bad arguments, suppress
 * 1), PARITY_EIO or PARITY_EBUSY; *summary says what was written.
 */
int parity_store_export_counts(parity_export_summary *summary, parity_store *store,
                               const char *path, uint64_t suppress);

/**
 * How an export shows the three counts of one row (rows, shortlisted,
 * appointed): fill text[k] (at most 31 characters) and return 0, or an
 * error code to stop the export. Used by the disclosure gate
 * (parity_publish_export_counts), which owns what a published export shows.
 */
typedef int (*parity_export_text_fn)(char text[3][32], const int64_t counts[3],
                                     void *context);

/**
 * parity_store_export_counts() with each row's counts written as `text`
 * says, and `comment` (NULL: none) as a first line, "# " added. The file
 * cannot be ingested when a comment is given.
 */
int parity_store_export_counts_shown(parity_export_summary *summary,
                                     parity_store *store, const char *path,
                                     const char *comment, parity_export_text_fn text,
                                     void *context);

#ifdef __cplusplus
}
#endif
#endif
