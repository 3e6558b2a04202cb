/*
 * parity/quality.h: the data-quality summary of a count store: for each file
 * ingested, the rows read, accepted and refused (by reason) and, for each
 * characteristic, how many rows were not stated or not known; totals per
 * extract kind and per characteristic over the files still in use; and the
 * disability declaration check (DOMAIN.md: about 3% on ESR against about
 * 18% in the NHS Staff Survey).
 */
#ifndef PARITY_QUALITY_H
#define PARITY_QUALITY_H

#include "parity/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Below this share of disabled people among those with a declared status,
 *  disability is flagged as probably under-declared. */
#define PARITY_QUALITY_DISABILITY_LOW 0.05
/** Fewer declared people than this: too few to judge the share. */
#define PARITY_QUALITY_DISABILITY_MIN 10

/** Rows refused for one reason ("invalid date", "duplicate id", ...). */
typedef struct parity_quality_reason {
	char reason[64];  /**< the short reason ingest counts under */
	uint64_t count;   /**< rows refused for it */
} parity_quality_reason;

/** One characteristic's completeness. */
typedef struct parity_quality_characteristic {
	char name[40];       /**< "ethnic_category", "disability", ... */
	uint64_t total;      /**< rows counted (for training: people) */
	uint64_t not_stated; /**< of which not stated (or blank, or column absent) */
	uint64_t not_known;  /**< of which not known (ethnic category 99 / X) */
} parity_quality_characteristic;

/** Disability as recorded, for the under-declaration check. */
typedef struct parity_quality_disability {
	uint64_t disabled;     /**< rows recorded as disabled */
	uint64_t not_disabled; /**< rows recorded as not disabled */
	int low;               /**< 1: at least PARITY_QUALITY_DISABILITY_MIN declared
	                            and under PARITY_QUALITY_DISABILITY_LOW disabled */
} parity_quality_disability;

/** The counts of one file, or of a set of files added together. */
typedef struct parity_quality_counts {
	uint64_t rows_read;      /**< data rows read */
	uint64_t rows_accepted;  /**< rows stored */
	uint64_t rows_rejected;  /**< rows refused */
	parity_quality_reason *reasons; /**< refused rows by reason, most first */
	size_t reason_count;
	parity_quality_characteristic *characteristics; /**< in a fixed order:
	                                   ethnic category, sex, disability, age band,
	                                   pay band, staff group, then the rest */
	size_t characteristic_count;
	parity_quality_disability disability;
} parity_quality_counts;

/** One file ingested. */
typedef struct parity_quality_file {
	int64_t id;             /**< the store's file number */
	char *path;             /**< the path it was ingested from */
	char kind[24];          /**< "recruitment", ... */
	char sha256[65];        /**< the file's digest */
	char ingested_at[32];   /**< UTC, "2025-06-01T10:00:00Z" */
	int active;             /**< 0: a later delivery replaced all of it; it is
	                             left out of every total */
	int first_month;        /**< month index (parity/period.h) of its first row */
	int last_month;         /**< ... and of its last */
	parity_quality_counts counts;
} parity_quality_file;

/** Totals over the active files of one kind. */
typedef struct parity_quality_kind {
	char kind[24];          /**< "recruitment", ... */
	size_t files;           /**< active files of this kind */
	parity_quality_counts counts;
} parity_quality_kind;

/** The whole summary. */
typedef struct parity_quality {
	parity_quality_file *files;  /**< every file, in the order ingested */
	size_t file_count;
	parity_quality_kind *kinds;  /**< one per kind with an active file */
	size_t kind_count;
	parity_quality_counts all;   /**< over every active file, whatever its kind */
	size_t active_files;         /**< files counted in the totals */
} parity_quality;

/**
 * Read the data-quality summary from `store`. On success *out belongs to the
 * caller, who frees it with parity_quality_free(). A store with no files
 * gives an empty summary. Returns 0, PARITY_EIO, PARITY_EBUSY or
 * PARITY_ENOMEM.
 */
int parity_quality_read(parity_quality **out, parity_store *store);

/** Free a summary; NULL is allowed. */
void parity_quality_free(parity_quality *quality);

/**
 * `part` as a share of `whole` (0 to 1); NaN when `whole` is 0, which the
 * JSON writers print as null: print "-" or leave it out, never "nan".
 */
double parity_quality_share(uint64_t part, uint64_t whole);

/** The share disabled among those with a declared status (NaN if none). */
double parity_quality_disabled_share(const parity_quality_disability *disability);

#ifdef __cplusplus
}
#endif
#endif
