/*
 * parity/analyse.h: the indicators computed from the count store. Each
 * result row is one indicator for one grouping, pair of groups, stratum
 * (an organisation, or all organisations) and period, carrying its counts
 * and the full parity_ratio from the statistics module.
 */
#ifndef PARITY_ANALYSE_H
#define PARITY_ANALYSE_H

#include "parity/stats.h"
#include "parity/store.h"

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What an indicator measures, in words for reports and sentences. */
typedef struct parity_indicator_info {
	const char *code;          /**< "WRES2" */
	const char *title;         /**< "WRES indicator 2: appointment from shortlisting" */
	const char *base_label;    /**< column heading for n: "shortlisted" */
	const char *outcome_label; /**< column heading for x: "appointed" */
	const char *group1_phrase; /**< "White shortlisted applicants" */
	const char *group2_phrase; /**< "BME shortlisted applicants" */
	const char *outcome_phrase; /**< "to be appointed" */
	int higher_is_worse_for_group2; /**< 1: a ratio above 1 means group 2 is worse off */
} parity_indicator_info;

/** The description of indicator `code` ("WRES2"), or NULL if unknown. */
const parity_indicator_info *parity_indicator_info_find(const char *code);

/** One indicator for one stratum and period. */
typedef struct parity_result_row {
	char indicator[16];   /**< "WRES2", ... */
	char grouping[32];    /**< "white_bme", ... */
	char group1[48];      /**< numerator group label, e.g. "White" */
	char group2[48];      /**< comparison group label, e.g. "BME" */
	char stratum_kind[24]; /**< "overall" or "organisation" */
	char stratum[64];     /**< "All organisations" or an organisation code */
	char period[24];      /**< e.g. "2024/25" */
	parity_ratio ratio;   /**< counts (x1,n1,x2,n2), estimate, interval, tests */
	int pooled;           /**< 1 when the row is a Mantel-Haenszel pooled ratio */
} parity_result_row;

/** A set of result rows with the context they were computed in. */
typedef struct parity_results {
	parity_result_row *rows; /**< owned array of `count` rows */
	size_t count;            /**< rows in use */
	size_t capacity;         /**< rows allocated */
	char period[24];         /**< the period analysed, e.g. "2024/25" */
	char organisation[64];   /**< the organisation filter, "" for all */
	parity_stats_settings settings; /**< settings every ratio used */
	uint64_t excluded_not_stated; /**< shortlisted rows with ethnicity not stated / unknown */
} parity_results;

/** What to analyse. Zero-initialise, then set what you need. */
typedef struct parity_analyse_options {
	const char *period;       /**< "2024/25"; NULL for the latest complete financial year */
	const char *organisation; /**< NULL for every organisation */
	parity_stats_settings settings; /**< interval method, level, low-count rule */
} parity_analyse_options;

/** Fill `out` with defaults (latest period, all organisations, default stats). */
void parity_analyse_options_default(parity_analyse_options *out);

/**
 * Compute the indicators in `store` for the options' period and
 * organisation. On success *out is a new result set the caller frees with
 * parity_results_free(). Returns 0, PARITY_EDATA when the store holds no data
 * for the period, or PARITY_EIO on a database error.
 */
int parity_analyse_run(parity_results **out, parity_store *store,
                       const parity_analyse_options *options);

/** Free a result set; NULL is allowed. */
void parity_results_free(parity_results *results);

/**
 * Write the rows as CSV to `path` (atomically, mode 0600): one row per
 * indicator x grouping x group x stratum x period, with counts, rates, ratio,
 * interval, method, level, p-values, band and flags. Infinite values are
 * written "inf"; a missing estimate leaves the cell empty. Cells that begin
 * with =, +, -, @, tab or CR are prefixed with a single quote so that a
 * spreadsheet does not run them. Returns 0 or PARITY_EIO.
 */
int parity_results_write_csv(const parity_results *results, const char *path);

/** The same as JSON: {"period":..., "settings":{...}, "rows":[...]}.
 *  Infinity is the string "inf"; a missing estimate is null. */
int parity_results_write_json(const parity_results *results, const char *path);

/** Write a double as JSON to `out`: a number, "inf"/"-inf", or null for NaN. */
void parity_json_double(FILE *out, double value);

/** Write `text` as a JSON string with escapes. */
void parity_json_string(FILE *out, const char *text);

#ifdef __cplusplus
}
#endif
#endif
