/**
 * @file return.h
 * @brief The annual WRES and WDES return: the indicators that are not
 * relative likelihoods. WRES 1 and WDES 1 (representation by Agenda for
 * Change band or cluster, non-clinical and clinical, from the workforce
 * snapshot at the end of the year) and WRES 9 and WDES 10 (the board
 * against the workforce), computed from the count store; their counts are
 * protected by the year's one disclosure gate, the board report's
 * (parity_publish_build_year), before return.csv is written.
 */
#ifndef PARITY_RETURN_H
#define PARITY_RETURN_H

#include "parity/publish.h"
#include "parity/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a return row's value is. */
typedef enum parity_return_value_kind {
	/** numerator / denominator as a percentage */
	PARITY_RETURN_SHARE = 0,
	/** one share minus another, in percentage points (WRES 9, WDES 10) */
	PARITY_RETURN_DIFFERENCE,
	/** the Model Employer: staff or appointments a year needed to bring a
	 *  band's BME share to the workforce's (reads four counts, as a
	 *  difference) */
	PARITY_RETURN_MODEL,
	/** a Staff Survey figure (WRES 5-8, WDES 4-9): a group's percentage
	 *  or mean, or the difference between the groups, with its interval;
	 *  withheld, as the survey does, when a group has under 11 respondents */
	PARITY_RETURN_SURVEY
} parity_return_value_kind;

/** One figure of the return. */
typedef struct parity_return_row {
	char standard[8];       /**< "WRES" or "WDES" */
	char indicator[64];     /**< "1 clinical band 5", "9 voting", "9 difference voting" */
	char organisation[64];  /**< the organisation's code */
	char group[24];         /**< "White", "BME", "Unknown"; "Disabled", "Non-disabled", "Unknown" */
	parity_return_value_kind kind; /**< share or difference */
	uint64_t numerator;     /**< shares: those of the group */
	uint64_t denominator;   /**< shares: everyone counted (0: no one, no value) */
	double value;           /**< percentage, or percentage points; valid when has_value */
	int has_value;          /**< 0 when a denominator is 0 */
	size_t counts[4];       /**< the return's counts the figure reads: share:
	                             numerator, denominator; difference: the two
	                             shares' numerators and denominators (survey
	                             rows: none, (size_t)-1) */
	/* Survey rows only. */
	int has_numerator;      /**< the positive count is a figure of the row */
	int has_denominator;    /**< the respondents are a figure of the row */
	int has_ci;             /**< ci_low and ci_high hold the interval */
	double ci_low, ci_high; /**< 95%: Wilson, Newcombe, t or Welch (docs/methods.md) */
	int withheld;           /**< a group has under 11 respondents */
} parity_return_row;

/** A count of the return, named by what it counts (one name, one count). */
typedef struct parity_return_count {
	char key[160];          /**< "R0A|workforce|clinical|band 5|BME" */
	uint64_t value;
	int printed;            /**< 1 when some row shows it */
} parity_return_count;

/** A sum a reader knows holds: counts[total] = sum of counts[parts]. */
typedef struct parity_return_sum {
	size_t total;
	size_t first;           /**< first part in parity_return.parts */
	size_t count;           /**< number of parts */
} parity_return_sum;

/** The return for one financial year: its rows and the counts and sums the
 *  disclosure gate needs. */
typedef struct parity_return {
	char year[24];                /**< "2025/26" */
	int first_month, last_month;  /**< the year's months (month indexes) */
	parity_return_row *rows;
	size_t row_count, row_capacity;
	parity_return_count *counts;
	size_t count_count, count_capacity;
	parity_return_sum *sums;
	size_t sum_count, sum_capacity;
	size_t *parts;
	size_t part_count, part_capacity;
	uint64_t bank_excluded;       /**< workforce rows left out as bank staff */
	size_t organisations;         /**< organisations with a workforce snapshot */
	size_t boards;                /**< organisations with board data */
	char snapshot[16];            /**< the latest snapshot month used ("2026-03") */
	int survey_year;              /**< the NHS Staff Survey year read (2025 for 2025/26) */
	int target_year;              /**< the Model Employer's target year */
	size_t surveys;               /**< organisations with survey results that year */
} parity_return;

/**
 * Compute the return for the financial year `year` ("2025/26"; NULL: the
 * year of the latest workforce snapshot in the store) from
 * `store`: WRES 1 and WDES 1 from each organisation's latest workforce
 * snapshot in the year (bank staff left out), WRES 9 and WDES 10 from its
 * latest board membership in the year. `organisation` (or NULL for all)
 * restricts it to one organisation. `target_year` is the Model Employer's
 * (0: PARITY_RETURN_MODEL_TARGET). Returns 0 with *out for the caller to
 * free with parity_return_free(); PARITY_EUSAGE for a year that is not a
 * financial year; PARITY_EDATA when the store has no workforce snapshot
 * in the year; PARITY_EIO or PARITY_ENOMEM.
 */
int parity_return_compute(parity_return **out, parity_store *store, const char *year,
                          const char *organisation, int target_year);

/** The Model Employer's default target year (NHS England, "A model employer",
 *  2019: BME representation at every band by 2028). */
#define PARITY_RETURN_MODEL_TARGET 2028

/** Free a return; NULL is allowed. */
void parity_return_free(parity_return *ret);

/** The return's counts as the disclosure gate shows them. */
typedef struct parity_return_published parity_return_published;

/**
 * The return's counts as `year` shows them: `year` is the year's published
 * set, built with parity_publish_build_year() over the report's results and
 * this return, so every count the return shares with the board report gets
 * the same mark in both (one gate: bands add up to clusters and sides,
 * sides to the workforce, groups to their totals, board slices to the
 * board, and the workforce counts to the report's organisation, pay band,
 * staff group and overall rows). Returns 0 with *out (free with
 * parity_return_published_free), PARITY_EUSAGE when `year` holds no
 * return, or PARITY_ENOMEM. `year` and its return must outlive *out.
 */
int parity_return_publish(parity_return_published **out, const parity_published *year);
void parity_return_published_free(parity_return_published *pub);

/** How count `index` of the return is shown. */
parity_count_mark parity_return_count_mark(const parity_return_published *pub,
                                           size_t index);

/** 1 when row `row`'s value may not be published: a count it reads is
 *  hidden (a share of 0 is published over a hidden total: it reveals
 *  nothing). */
int parity_return_row_hidden(const parity_return_published *pub,
                             const parity_return_row *row);

/** The text of count `index` as published: "1,234" is written "1234" (no
 *  separators, for machines), a hidden count "<5", "[c]" or "*". */
void parity_return_count_text(char *buf, size_t size,
                              const parity_return_published *pub, size_t index);

/** The return the published set was built over (borrowed). */
const parity_return *parity_return_published_return(const parity_return_published *pub);

/**
 * The relative likelihoods of the return (WRES 2-4, WDES 2-3) come from the
 * analysis and its own published set: the row of indicator `code`
 * ("WRES2") for `organisation` in `ratios` (its organisation row; with the
 * analysis restricted to one organisation, its overall row), or NULL.
 */
const parity_result_row *parity_return_ratio_row(const parity_published *ratios,
                                                 const char *code,
                                                 const char *organisation);

/** The text of count `value` of a ratio row shown with `mark` under
 *  `ratios`'s policy, without separators ("1234", "<5", "[c]", "*"). */
void parity_return_ratio_count_text(char *buf, size_t size,
                                    const parity_published *ratios, uint64_t value,
                                    parity_count_mark mark);

/**
 * Write `path` (return.csv): one row per figure, columns standard,
 * indicator, organisation, group, numerator, denominator, value, ci_low,
 * ci_high, suppressed (1 when a count or the value is withheld). With
 * `ratios` (may be NULL), each organisation's relative likelihoods follow:
 * indicator "2" (the two groups' rates, in per cent) and "2 relative
 * likelihood" (the ratio and its interval; group "White vs BME"). Written
 * whole or not at all. 0 or PARITY_EIO.
 */
int parity_return_write_csv(const parity_return_published *pub,
                            const parity_published *ratios, const char *path);

/**
 * Write the workbook of `standard` ("WRES" or "WDES") to `path` (an .xlsx
 * file, with libxlsxwriter): a summary, one sheet per section of the
 * national template (1 workforce; 2-4 relative likelihoods when `ratios`
 * is given; 9 or 10 board), a sheet of definitions and data quality, and a
 * sheet of cells for the lead's narrative. Counts and figures are numeric
 * cells; a hidden count is the text "<5", "[c]" or "*". Written whole or
 * not at all. 0, PARITY_EUSAGE for another standard, or PARITY_EIO.
 */
int parity_return_write_workbook(const parity_return_published *pub,
                                 const parity_published *ratios, const char *standard,
                                 const char *path);

/** Counts printed, hidden as small and hidden besides. */
void parity_return_publish_summary(const parity_return_published *pub, size_t *printed,
                                   size_t *primary, size_t *secondary);

#ifdef __cplusplus
}
#endif

#endif
