/*
 * parity/ingest.h: reading HR extracts (recruitment, workforce,
 * disciplinary, training) into the count store. Every row is validated; a
 * bad row is counted, kept in a rejects CSV with its line number and reason,
 * and never stored. Each file is one transaction: all of it or none.
 */
#ifndef PARITY_INGEST_H
#define PARITY_INGEST_H

#include "parity/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The kinds of extract parity reads. */
typedef enum parity_kind {
	PARITY_KIND_RECRUITMENT = 0, /**< one row per application */
	PARITY_KIND_WORKFORCE,       /**< one row per staff member per snapshot */
	PARITY_KIND_DISCIPLINARY,    /**< one row per formal case */
	PARITY_KIND_TRAINING,        /**< one row per access to non-mandatory training */
	PARITY_KIND_COUNT_           /**< number of kinds (not a kind) */
} parity_kind;

/** "recruitment", "workforce", "disciplinary" or "training". */
const char *parity_kind_name(parity_kind kind);

/** Parse a kind name; returns 0 or PARITY_EUSAGE with a suggestion. */
int parity_kind_parse(parity_kind *out, const char *name);

/** A column and value mapping read from an INI file. */
typedef struct parity_mapping parity_mapping;

/**
 * Read a mapping file. On success *out belongs to the caller, who frees it
 * with parity_mapping_free(). Returns 0, PARITY_ENOINPUT, or PARITY_EDATA
 * naming the line of the mapping file that is wrong.
 */
int parity_mapping_load(parity_mapping **out, const char *path);

/** If the mapping names the extract kind ([settings] kind = ...), set *out
 *  and return 1; otherwise return 0. NULL is allowed. */
int parity_mapping_kind(const parity_mapping *mapping, parity_kind *out);

/** Free a mapping; NULL is allowed. */
void parity_mapping_free(parity_mapping *mapping);

/** How to ingest. Zero-initialise, then parity_ingest_options_default(). */
typedef struct parity_ingest_options {
	parity_kind kind;             /**< what the file holds */
	const parity_mapping *mapping; /**< column/value mapping, or NULL */
	const char *rejects_dir;      /**< where rejects CSVs go; NULL: current folder */
	double max_reject_share;      /**< refuse the file above this share (0.01) */
	int replace;                  /**< replace earlier deliveries for the same
	                                   organisation and months */
	char delimiter;               /**< ',', ';', '\t'; 0 to detect */
	int windows1252;              /**< the file is Windows-1252 */
	int progress;                 /**< print a progress line on stderr */
	size_t flush_cells;           /**< cells held in memory before a flush (0: default) */
} parity_ingest_options;

/** Fill `out` with the defaults for `kind`. */
void parity_ingest_options_default(parity_ingest_options *out, parity_kind kind);

/** What happened to one file. */
typedef struct parity_ingest_summary {
	char sha256[65];         /**< the file's digest */
	uint64_t rows_read;      /**< data rows read (header excluded) */
	uint64_t rows_accepted;  /**< rows counted into the store */
	uint64_t rows_rejected;  /**< rows refused, each in the rejects file */
	uint64_t repeat_rows;    /**< training: further accesses by a person already
	                              counted that year (accepted, not counted again) */
	uint64_t cells;          /**< distinct cells written */
	int already_ingested;    /**< 1: the same bytes were ingested before; nothing changed */
	int refused;             /**< 1: the whole file was refused; nothing changed */
	int replaced;            /**< organisation-months replaced from earlier deliveries */
	char rejects_path[4096]; /**< the rejects CSV, "" when there were none */
	char first_reject[512];  /**< the first reject's line and reason, for messages */
	char missing_columns[512]; /**< expected columns absent (counted as not
	                                stated), comma separated; "" when none */
} parity_ingest_summary;

/**
 * Ingest one extract into `store`. On return `summary` says what happened.
 * Returns 0 when the file was stored or was already there; PARITY_EDATA when
 * it was refused (unknown codes, missing columns, too many bad rows, overlap
 * with an earlier delivery without `replace`) with a message saying what to
 * fix; PARITY_ENOINPUT, PARITY_EIO or PARITY_EBUSY otherwise. On any error
 * the store is unchanged.
 */
int parity_ingest_file(parity_ingest_summary *summary, parity_store *store,
                       const char *path, const parity_ingest_options *options);

#ifdef __cplusplus
}
#endif
#endif
