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
	PARITY_KIND_BOARD,           /**< one row per board member on a date */
	PARITY_KIND_SURVEY,          /**< one row per NHS Staff Survey question and group */
	PARITY_KIND_COUNT_,          /**< number of extract kinds (not a kind) */
	/** An aggregate counts file (`parity export --counts`): one row per
	 *  cell of any extract kind. Not an extract kind, so loops up to
	 *  PARITY_KIND_COUNT_ leave it out. */
	PARITY_KIND_COUNTS = 16
} parity_kind;

/** "recruitment", "workforce", "disciplinary", "training" or "counts". */
const char *parity_kind_name(parity_kind kind);

/** Parse a kind name (the four extract kinds and "counts"); returns 0 or
 *  PARITY_EUSAGE with a suggestion. */
int parity_kind_parse(parity_kind *out, const char *name);

/** How much an extract kind needs one of its canonical columns. */
typedef enum parity_column_need {
	PARITY_COLUMN_OPTIONAL = 0, /**< used when present */
	PARITY_COLUMN_EXPECTED,     /**< absent: every row counts as not stated,
	                                 and ingest warns */
	PARITY_COLUMN_REQUIRED      /**< absent: the file is refused */
} parity_column_need;

/** One canonical column of an extract kind. */
typedef struct parity_column {
	const char *name;        /**< canonical header: "ethnic_category" */
	parity_column_need need; /**< what happens when a file lacks it */
} parity_column;

/**
 * The canonical columns of `kind`, in docs/reference.md's order, ending with an
 * entry whose name is NULL; NULL for an unknown kind. Static storage.
 */
const parity_column *parity_kind_columns(parity_kind kind);

/** A column and value mapping read from an INI file. */
typedef struct parity_mapping parity_mapping;

/**
 * Read a mapping file. On success *out belongs to the caller, who frees it
 * with parity_mapping_free(). Returns 0, PARITY_ENOINPUT, or PARITY_EDATA
 * naming the line of the mapping file that is wrong. A draft from
 * parity_mapping_suggest() whose TODO targets are not yet replaced is
 * refused (PARITY_EDATA naming the first such line), so a half-filled draft
 * never ingests.
 */
int parity_mapping_load(parity_mapping **out, const char *path);

/** If the mapping names the extract kind ([settings] kind = ...), set *out
 *  and return 1; otherwise return 0. NULL is allowed. */
int parity_mapping_kind(const parity_mapping *mapping, parity_kind *out);

/** Free a mapping; NULL is allowed. */
void parity_mapping_free(parity_mapping *mapping);

/** How parity_mapping_suggest() decides the file's encoding. */
typedef enum parity_suggest_encoding {
	PARITY_SUGGEST_ENCODING_DETECT = 0, /**< UTF-8, or Windows-1252 when the
	                                         file is not valid UTF-8 */
	PARITY_SUGGEST_ENCODING_UTF8,       /**< UTF-8 only */
	PARITY_SUGGEST_ENCODING_WINDOWS1252 /**< Windows-1252 */
} parity_suggest_encoding;

/** What to draft a mapping for. Zero-initialise, then set `kind`. */
typedef struct parity_suggest_options {
	parity_kind kind;                 /**< what the file holds */
	char delimiter;                   /**< ',', ';', '\t'; 0 to detect */
	parity_suggest_encoding encoding; /**< how to read the file */
	size_t max_values;                /**< distinct values kept per column (0: 200) */
} parity_suggest_options;

/** What a drafted mapping holds, for the caller's message. */
typedef struct parity_suggest_summary {
	uint64_t rows_read;       /**< data rows read (header excluded) */
	char delimiter;           /**< the delimiter the file was read with */
	int windows1252;          /**< 1: the file was read as Windows-1252 */
	int not_utf8;             /**< 1: it is not valid UTF-8, so it was re-read
	                               as Windows-1252 (the draft says so) */
	size_t columns_matched;   /**< canonical columns given a header */
	size_t columns_to_check;  /**< of which guessed: marked CHECK */
	size_t required_missing;  /**< required columns not found: marked TODO */
	size_t values_to_check;   /**< values given a code by a guess: CHECK */
	size_t values_todo;       /**< values nothing matched: TODO lines */
	unsigned long header_line; /**< the header's line; above 1 when a report's
	                                title stands above it (the draft then
	                                sets header_line) */
	uint64_t dates_refused;   /**< rows, of the dates checked, that ingest
	                               would refuse (the draft notes them) */
} parity_suggest_summary;

/**
 * Draft a mapping file for the extract at `path`: read its header and the
 * distinct values of the columns parity uses (the whole file, streamed),
 * match the headers to the kind's canonical columns (by name, by synonym,
 * then by similarity, saying which in a comment), and write value sections
 * for the values the built-in code lists do not know: a guessed code marked
 * "CHECK", or "TODO" with the codes to choose from. Unfound required
 * columns are commented-out TODO lines listing the file's headers. The draft
 * goes to `mapping_path` (written whole or not at all) or, when that is
 * NULL, to standard output. Returns 0, PARITY_ENOINPUT, PARITY_EDATA (an
 * empty or unreadable CSV file), PARITY_EUSAGE or PARITY_EIO.
 */
int parity_mapping_suggest(parity_suggest_summary *summary, const char *path,
                           const parity_suggest_options *options,
                           const char *mapping_path);

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
	size_t flush_cells;           /**< cells held in memory before a flush
	                                   (0: 131,072; a second table of as
	                                   many is written while the first fills) */
	size_t id_run;                /**< row ids held in memory (16 bytes each)
	                                   before they spill to a temporary file in
	                                   $TMPDIR, in 256 partitions (0: 262,144) */
	int single_thread;            /**< 1: parse on the calling thread only */
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
	uint64_t empty_rows;     /**< rows of bare delimiters (",,,,"), skipped like
	                              blank lines: not read, not stored, not rejected */
	uint64_t cells;          /**< distinct cells written */
	int already_ingested;    /**< 1: the same bytes were ingested before; nothing changed */
	int refused;             /**< 1: the whole file was refused; nothing changed */
	int replaced;            /**< organisation-months replaced from earlier deliveries */
	int64_t replaced_rows;   /**< rows the replaced organisation-months held */
	uint64_t replaced_cells; /**< cells they held, now removed */
	char replaced_from[1024]; /**< per earlier file: "124 rows (12 cells) of
	                               PATH"; "; " between files */
	char rejects_path[4096]; /**< the rejects CSV, "" when there were none */
	char first_reject[512];  /**< the first reject's line and reason, for messages */
	char missing_columns[512]; /**< expected columns absent (counted as not
	                                stated), comma separated; "" when none */
	char organisation_warning[1024]; /**< organisation codes of this file that
	                                differ from another (in the file or the
	                                store) only in case or spacing, with their
	                                rows; "" when none */
	uint64_t title_lines;    /**< lines above the header skipped as the
	                              mapping's header_line says (report titles) */
	uint64_t footer_lines;   /**< lines recognised as a report's footer
	                              (totals, "Report run by ..."): counted, not
	                              stored, not rejects */
	char warnings[1024];     /**< further warnings, one per line (values of
	                              a pay band, staff group or age band column
	                              that are not known ones); "" when none */
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
