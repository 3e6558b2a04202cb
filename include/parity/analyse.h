/*
 * parity/analyse.h: the indicators computed from the count store. Each
 * result row is one indicator for one grouping, pair of groups, stratum
 * (an organisation, a pay band, a staff group, or all organisations) and
 * period, carrying its counts and the full parity_ratio from the statistics
 * module. Also: trend series, mentoring cohorts (before/after and
 * difference-in-differences) and the run history kept in the database.
 */
#ifndef PARITY_ANALYSE_H
#define PARITY_ANALYSE_H

#include "parity/period.h"
#include "parity/stats.h"
#include "parity/store.h"

#include <stddef.h>
#include <stdint.h>
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
	const char *measure;       /**< "appointment", "disciplinary", "capability", "training" */
	const char *grouping;      /**< "white_bme" or "disability" */
	const char *group1;        /**< "White": the group whose rate is the numerator */
	const char *group2;        /**< "BME" */
	int rolling;               /**< 1: counted over the rolling window (WRES 3, WDES 3) */
} parity_indicator_info;

/** The description of indicator `code` ("WRES2"), or NULL if unknown. */
const parity_indicator_info *parity_indicator_info_find(const char *code);

/** The standard indicators in order (WRES2, WRES3, WRES4, WDES2, WDES3);
 *  `index` past the end gives NULL. */
const parity_indicator_info *parity_indicator_info_at(size_t index);

/** One indicator for one stratum and period. */
typedef struct parity_result_row {
	char indicator[16];   /**< "WRES2", ...; or a measure name for comparisons */
	char grouping[64];    /**< "white_bme", "disability", "ethnic_category", "white_bme*sex", ... */
	char group1[48];      /**< numerator group label, e.g. "White" */
	char group2[48];      /**< comparison group label, e.g. "BME" */
	char stratum_kind[24]; /**< "overall", "organisation", "pay_band", "staff_group", "kline" */
	char stratum[64];     /**< "All organisations", an organisation code, a band, ... */
	char period[24];      /**< e.g. "2024/25": the period analysed */
	parity_ratio ratio;   /**< counts (x1,n1,x2,n2), estimate, interval, tests */
	int pooled;           /**< 1 when the row is a Mantel-Haenszel pooled ratio */
	/* Added with the full analyses; the fields above are unchanged. */
	char measure[16];     /**< "appointment", "disciplinary", "capability", "training" */
	char characteristic[64]; /**< "ethnic_category", "disability", "ethnic_category*sex" */
	char window[40];      /**< months counted: "2025/26", "2024/25 to 2025/26" */
	int window_first_month; /**< month index of the first month counted */
	int window_last_month;  /**< month index of the last month counted */
	unsigned window_periods; /**< periods of the window that were counted */
	char snapshots[64];   /**< headcount measures: snapshot months used ("2025-03") */
	char estimate[24];    /**< "crude", "mantel-haenszel" or "kline-compound" */
	char interval[24];    /**< interval actually used: "koopman", ..., "greenland-robins", "log-sum" */
	parity_pooled pool;   /**< pooled rows: Mantel-Haenszel with homogeneity test */
	int direction_reversed; /**< pooled rows: crude and pooled ratios on opposite sides of 1 */
	parity_compound compound; /**< kline rows: the compound ratio */
	char steps[64];       /**< kline rows: the bands multiplied, ';'-separated */
	int funnel_placed;    /**< organisation rows: 1 when placed on the funnel */
	parity_funnel_point funnel; /**< its position (z, outside95, outside998) */
	double funnel_low95, funnel_high95;   /**< 95% limits at this unit's SE */
	double funnel_low998, funnel_high998; /**< 99.8% limits at this unit's SE */
	parity_funnel funnel_fit; /**< pooled organisation row: the funnel's centre */
	uint64_t excluded_not_stated_base;    /**< base left out: characteristic not stated, not known or absent */
	uint64_t excluded_not_stated_outcome; /**< outcome left out for the same reason */
	uint64_t excluded_bank_base;          /**< base left out: bank contracts */
	uint64_t excluded_bank_outcome;       /**< outcome left out: bank contracts */
	uint64_t outcome_without_contract;    /**< outcome counted with no contract recorded */
	char flags[96];       /**< ';'-separated notes, e.g. "window_incomplete" */
	char cohorts[64];     /**< trend rows: "RMC1:before", "RMC1:during", "RMC1:after" */
	double p_holm;        /**< p_score adjusted by Holm over the row's family; NAN: none */
	double p_bh;          /**< p_score adjusted by Benjamini-Hochberg; NAN: none */
	unsigned family_size; /**< tests in the row's family (0: not in one); see
	                           parity_analyse_run() for what a family is */
	parity_funnel_limits_method funnel_limits; /**< how funnel_low95.. were drawn */
	parity_random_effects random; /**< pooled organisation row: random effects across
	                                   organisations (random.estimable 0: none) */
	double shrunk_ratio;  /**< organisation rows: empirical-Bayes ratio, toward random */
	int shrunk_placed;    /**< 1 when shrunk_ratio is set */
	parity_adjusted adjusted; /**< overall rows, with options.adjust: the ratio adjusted
	                               for the covariates (parameters 0: not computed) */
	char adjusted_for[96]; /**< the covariates used, ';'-separated */
	unsigned adjust_cells_dropped; /**< cells left out: more cases than base */
} parity_result_row;

/** A mentoring cohort read from a cohort file. */
typedef struct parity_cohort {
	char id[64];           /**< "RMC1" */
	char name[128];        /**< "Reciprocal mentoring cohort 1" */
	char (*organisations)[64]; /**< owned array of organisation codes */
	size_t organisation_count; /**< entries in `organisations` */
	parity_date start;     /**< first day of the programme */
	parity_date end;       /**< last day of the programme */
	long pairs;            /**< mentoring pairs, -1 when not given */
	uint64_t line;         /**< line of the cohort file */
} parity_cohort;

/** The cohorts of one file, with the warnings found reading it. */
typedef struct parity_cohorts {
	parity_cohort *items;  /**< owned array of `count` cohorts */
	size_t count;          /**< cohorts read */
	char (*warnings)[256]; /**< owned: "cohorts.csv:3: unknown organisation ..." */
	size_t warning_count;  /**< entries in `warnings` */
} parity_cohorts;

/**
 * Read a cohort file: CSV with the header
 * cohort_id,name,organisations,start_date,end_date[,pairs], organisations
 * ';'-separated. Returns 0 with *out for the caller to free with
 * parity_cohorts_free(); PARITY_ENOINPUT when the file is missing;
 * PARITY_EDATA naming the line for an end before the start, a bad date, a
 * missing column, a duplicate id, an empty organisation list, or a path
 * separator or control character in a code. When `store` is given, an
 * organisation it holds no data for becomes a warning (not an error).
 */
int parity_cohorts_load(parity_cohorts **out, const char *path, parity_store *store);

/** Free cohorts; NULL is allowed. */
void parity_cohorts_free(parity_cohorts *cohorts);

/** One arm of one cohort's evaluation for one indicator. */
typedef struct parity_cohort_result {
	char cohort_id[64];    /**< "RMC1" */
	char cohort_name[128]; /**< "Reciprocal mentoring cohort 1" */
	char indicator[16];    /**< "WRES2", ... */
	char arm[16];          /**< "cohort", "comparators" or "difference" */
	char organisations[512]; /**< the arm's organisations, ';'-separated */
	char before_window[40]; /**< "2022-04 to 2023-03" */
	char after_window[40];  /**< "2024-04 to 2025-03" */
	int before_first_month, before_last_month; /**< month indexes */
	int after_first_month, after_last_month;   /**< month indexes */
	parity_stratum before_counts; /**< summed counts before (x1,n1,x2,n2) */
	parity_stratum after_counts;  /**< summed counts after */
	parity_pooled before;  /**< Mantel-Haenszel over the arm's organisations, before */
	parity_pooled after;   /**< the same after */
	parity_change change;  /**< after/before; "difference": cohort's over comparators' */
	char verdict[32];      /**< "improved", "worsened", "no detectable change", "no estimate" */
	char statement[480];   /**< the plain sentence with the figures */
	char note[200];        /**< why there is no estimate, or a caution */
	double mdr_low;        /**< the largest ratio of ratios below 1 the windows could
	                            detect (parity_change_mdr, 80%, 5%); NAN: none */
	double mdr_high;       /**< the smallest above 1; NAN: none */
} parity_cohort_result;

/**
 * A programme's cohort as the event study reads it (parity_programme_load):
 * the cohort file's row and which of its organisations it is the first
 * cohort of (their joining year).
 */
typedef struct parity_programme_cohort {
	char cohort_id[64];      /**< "RM23" */
	char name[128];          /**< the cohort's name */
	char organisations[512]; /**< every organisation listed, ';'-separated */
	char joiners[512];       /**< those whose first cohort this is, ';'-separated */
	size_t organisation_count; /**< organisations listed */
	size_t joiner_count;     /**< of them, joining with this cohort */
	char start_date[16];     /**< "2023-04-01" */
	char end_date[16];       /**< "2024-03-31" */
	long pairs;              /**< mentoring pairs, -1 when not given */
	char joining_year[16];   /**< financial year of the start ("2023/24") */
	char note[160];          /**< "" or why the cohort has no estimate */
} parity_programme_cohort;

/**
 * One term of a programme's event study for one indicator (see
 * parity_did_compute): "overall", "cohort:ID", "event:E" or "pretrend".
 */
typedef struct parity_programme_row {
	char indicator[16];      /**< "WRES2", ... */
	char term[80];           /**< "overall", "cohort:RM23", "event:-1", "pretrend" */
	int estimable;           /**< 0: no estimate (see note) */
	double estimate;         /**< ratio of ratios, exp(log estimate) */
	double ci_low, ci_high;  /**< its interval at the run's level */
	double p;                /**< two-sided p for no change; pretrend: the Wald p */
	double log_se;           /**< SE of the log estimate */
	double statistic;        /**< pretrend: the Wald chi-square; else z */
	unsigned df;             /**< pretrend: effects tested; else 0 */
	double mde_low, mde_high; /**< smallest detectable ratio of ratios below and
	                               above 1 (80% power, the run's level) */
	char variance[16];       /**< "cluster" or "binomial": which variance served */
	size_t organisations;    /**< distinct organisations whose counts enter */
	size_t treated;          /**< of those, organisations in the programme */
	size_t comparisons;      /**< group-time effects averaged */
	parity_stratum counts;   /**< sums over the organisation-years entering */
	uint64_t smallest;       /**< smallest non-zero count of one organisation-year
	                              entering (either group's cases, non-cases or
	                              base): what the disclosure gate checks */
	char note[160];          /**< "" or why there is no estimate */
	size_t *cells;           /**< owned: the organisation-years whose counts
	                              enter the term, as indexes into
	                              results->programme_cells (pretrend: those of
	                              every effect before joining) */
	size_t cell_count;       /**< entries in `cells` */
} parity_programme_row;

/**
 * One organisation-year of a programme's event study: an indicator's
 * counts for one organisation in one financial year, each year counted on
 * its own. The disclosure gate checks every term against these.
 */
typedef struct parity_programme_cell {
	char indicator[16];      /**< "WRES2", ... */
	char organisation[64];   /**< organisation code */
	char year[16];           /**< financial year, "2024/25" */
	parity_stratum counts;   /**< x1, n1, x2, n2 as the indicator orients them */
} parity_programme_cell;

/**
 * Read a programme's cohort file: the format of parity_cohorts_load()
 * (the pairs column optional), with the checks a staggered roll-out
 * needs: every organisation must hold data in `store` (when given) and an
 * organisation's cohorts must not overlap in time. Errors name the file,
 * line and column and say what to do. Returns 0 with *out for
 * parity_cohorts_free(), PARITY_ENOINPUT or PARITY_EDATA.
 */
int parity_programme_load(parity_cohorts **out, const char *path, parity_store *store);

/** A cohort's dates, copied into the results so trend charts can mark them. */
typedef struct parity_cohort_mark {
	char cohort_id[64];    /**< "RMC1" */
	char name[128];        /**< the cohort's name */
	char organisations[512]; /**< ';'-separated */
	int start_month;       /**< month index of the start date */
	int end_month;         /**< month index of the end date */
	char start_date[16];   /**< "2023-04-01" */
	char end_date[16];     /**< "2024-03-31" */
} parity_cohort_mark;

/** A set of result rows with the context they were computed in. */
typedef struct parity_results {
	parity_result_row *rows; /**< owned array of `count` rows */
	size_t count;            /**< rows in use */
	size_t capacity;         /**< rows allocated */
	char period[24];         /**< the period analysed, e.g. "2024/25" */
	char organisation[64];   /**< the organisation filter, "" for all */
	parity_stats_settings settings; /**< settings every ratio used */
	uint64_t excluded_not_stated; /**< shortlisted rows with ethnicity not stated / unknown */
	/* Added with the full analyses; the fields above are unchanged. */
	int first_month;         /**< the period's first month index */
	int last_month;          /**< the period's last month index */
	unsigned rolling_years;  /**< periods in the WRES 3 / WDES 3 window */
	unsigned cohort_window_months; /**< length of the before and after windows */
	int include_bank;        /**< 1: bank staff were counted */
	parity_result_row *trend; /**< owned: one row per indicator, stratum and financial year */
	size_t trend_count;      /**< trend rows in use */
	size_t trend_capacity;   /**< trend rows allocated */
	parity_cohort_result *cohorts; /**< owned: cohort results */
	size_t cohort_count;     /**< cohort results in use */
	size_t cohort_capacity;  /**< cohort results allocated */
	parity_cohort_mark *marks; /**< owned: the cohorts' dates */
	size_t mark_count;       /**< entries in `marks` */
	char (*notes)[200];      /**< owned: what was not computed and why */
	size_t note_count;       /**< entries in `notes` */
	char coverage_note[400]; /**< "" or, when data cover only part of the
	                              period, which months they cover */
	/* Added with the programme event study. */
	parity_programme_row *programme; /**< owned: event-study terms per indicator */
	size_t programme_count;  /**< entries in `programme` */
	parity_programme_cohort *programme_cohorts; /**< owned: the programme's cohorts */
	size_t programme_cohort_count; /**< entries in `programme_cohorts` */
	char programme_years[40]; /**< financial years analysed ("2019/20 to 2025/26") */
	parity_programme_cell *programme_cells; /**< owned: every organisation-year
	                              entering some term (parity_programme_row.cells) */
	size_t programme_cell_count; /**< entries in `programme_cells` */
} parity_results;

/** A reference category chosen for a characteristic. */
typedef struct parity_reference {
	const char *characteristic; /**< "age_band" */
	const char *code;           /**< "35-44" */
} parity_reference;

/** The most reference categories an options struct can hold. */
#define PARITY_MAX_REFERENCES 8

/** The most intersections (`--intersect`) an options struct can hold. */
#define PARITY_MAX_INTERSECTIONS 8

/** What to analyse. Zero-initialise, then set what you need (0 and NULL
 *  mean the default), or call parity_analyse_options_default(). */
typedef struct parity_analyse_options {
	const char *period;       /**< "2024/25"; NULL for the latest complete financial year */
	const char *organisation; /**< NULL for every organisation */
	parity_stats_settings settings; /**< interval method, level, low-count rule */
	/* Added with the full analyses. */
	unsigned rolling_years;   /**< WRES 3 / WDES 3 window in periods (0: 2; 1: no window) */
	int include_bank;         /**< 1: count bank staff (default 0: excluded) */
	const parity_cohorts *cohorts; /**< cohorts to evaluate, or NULL; borrowed */
	unsigned cohort_window_months; /**< before/after window (0: 12) */
	parity_funnel_adjust funnel_adjust; /**< funnel over-dispersion (default plain) */
	parity_funnel_limits_method funnel_limits; /**< funnel limits (default
	                                    log-normal; exact and Byar need funnel_adjust plain) */
	const char *adjust;       /**< covariates for adjusted ratios, comma-separated
	                               ("pay_band,staff_group,age_band,sex"), or NULL */
	const char *kline_from;   /**< Kline ladder's first band (NULL: "5") */
	int no_trend;             /**< 1: skip the trend series */
	int no_comparisons;       /**< 1: skip the per-characteristic comparisons */
	parity_reference references[PARITY_MAX_REFERENCES]; /**< chosen references */
	size_t reference_count;   /**< entries in `references` */
	/** Intersections compared besides the default two (White/BME by sex and
	 *  by disability): each two or three characteristics separated by
	 *  commas, "ethnic_category,sex,disability", from ethnic_category (its
	 *  categories), white_bme, sex, disability, age_band,
	 *  sexual_orientation and religion. Every combination of their stated
	 *  classes is compared with the reference cell, the combination of each
	 *  one's reference. Borrowed. */
	const char *intersections[PARITY_MAX_INTERSECTIONS];
	size_t intersection_count; /**< entries in `intersections` */
	/** A programme rolled out over years (parity_programme_load): the
	 *  event study by financial year against the not-yet and never joined,
	 *  into results->programme. NULL: none. Borrowed. */
	const parity_cohorts *programme;
} parity_analyse_options;

/**
 * Check one intersection as `parity_analyse_options.intersections` takes
 * it ("ethnic_category,sex,disability"). Returns 0, or PARITY_EUSAGE with a
 * message naming the unknown or repeated characteristic.
 */
int parity_analyse_intersection_check(const char *text);

/** Fill `out` with defaults (latest period, all organisations, default stats). */
void parity_analyse_options_default(parity_analyse_options *out);

/**
 * Compute the indicators in `store` for the options' period and
 * organisation: the five standard indicators with breakdowns by
 * organisation, pay band and staff group (each with a Mantel-Haenszel
 * pooled row), funnel positions, Kline's compound ratio, comparisons for
 * every characteristic, intersections, the trend series and, when
 * options->cohorts is set, the cohort evaluation. Multiple comparisons:
 * the crude rows (not pooled, not Kline) that share indicator, grouping,
 * stratum kind and period form one family (an indicator's organisations;
 * its pay bands; its staff groups; its overall row alone; a measure's
 * categories of one characteristic against its reference; one
 * intersection), and each row's p_score gets Holm and Benjamini-Hochberg
 * adjustments over its family (p_holm, p_bh, family_size). With
 * options->adjust, each standard indicator's overall row and each
 * comparison row also carry the ratio adjusted for those characteristics
 * (row->adjusted: parity_ratio_adjusted on the cube's cells).
 * On success *out is a new
 * result set the caller frees with parity_results_free(). An indicator
 * whose data is missing is left out with a note in results->notes.
 * Returns 0, PARITY_EUSAGE for bad options, PARITY_EDATA when the store
 * holds no data for the period, or PARITY_EIO on a database error.
 */
int parity_analyse_run(parity_results **out, parity_store *store,
                       const parity_analyse_options *options);

/** Free a result set; NULL is allowed. */
void parity_results_free(parity_results *results);

/**
 * The first row of `results` (main rows, not trend) matching every non-NULL
 * argument; `pooled` -1 matches either. Borrowed; NULL when none matches.
 * `after` continues a search after that row (NULL to start at the top).
 */
const parity_result_row *parity_results_find(const parity_results *results,
                                             const parity_result_row *after,
                                             const char *indicator,
                                             const char *stratum_kind,
                                             const char *stratum,
                                             const char *period, int pooled);

/**
 * A new result set holding copies of the rows of `results` whose indicator
 * is one of `indicators` (NULL-terminated; NULL for all) and whose
 * stratum kind is one of `stratum_kinds` (NULL-terminated; NULL for all),
 * leaving pooled rows out when `keep_pooled` is 0. Context fields are
 * copied; trend, cohorts and notes are not. The caller frees *out with
 * parity_results_free(). Returns 0 or PARITY_ENOMEM.
 */
int parity_results_select(parity_results **out, const parity_results *results,
                          const char *const *indicators,
                          const char *const *stratum_kinds, int keep_pooled);

/**
 * Write the rows as CSV to `path` (atomically, mode 0600): one row per
 * indicator x grouping x group x stratum x period, with counts, rates, ratio,
 * interval, method, level, p-values, band and flags, then the pooling,
 * funnel, window and exclusion columns. Counts are raw (not suppressed):
 * this is the internal, machine-readable output. Infinite values are
 * written "inf"; a missing estimate leaves the cell empty. Cells that begin
 * with =, +, -, @, tab or CR are prefixed with a single quote so that a
 * spreadsheet does not run them. Returns 0 or PARITY_EIO.
 */
int parity_results_write_csv(const parity_results *results, const char *path);

/** The same as JSON: {"period":..., "settings":{...}, "rows":[...]}.
 *  Infinity is the string "inf"; a missing estimate is null. */
int parity_results_write_json(const parity_results *results, const char *path);

/** The trend rows as CSV (the results.csv columns plus `cohorts`). */
int parity_results_write_trend_csv(const parity_results *results, const char *path);

/** The trend rows and cohort marks as JSON. */
int parity_results_write_trend_json(const parity_results *results, const char *path);

/** The cohort results as CSV: one row per cohort, indicator and arm. */
int parity_results_write_cohorts_csv(const parity_results *results, const char *path);

/** The cohort results and marks as JSON. */
int parity_results_write_cohorts_json(const parity_results *results, const char *path);

/** The programme's event study as CSV: one row per indicator and term,
 *  raw counts (the internal output, like results.csv). */
int parity_results_write_programme_csv(const parity_results *results, const char *path);

/** The programme's event study and its cohorts as JSON. */
int parity_results_write_programme_json(const parity_results *results, const char *path);

/** The same two files with each term's `publication` (its last column; a
 *  field of each term in the JSON) taken from `publication[i]` for row i of
 *  results->programme: what the disclosure gate decided
 *  (parity_publish_programme_text()); NULL, or a NULL entry: "internal". */
int parity_results_write_programme_csv_as(const parity_results *results,
                                          const char *const *publication,
                                          const char *path);
int parity_results_write_programme_json_as(const parity_results *results,
                                           const char *const *publication,
                                           const char *path);

/** Write a double as JSON to `out`: a number, "inf"/"-inf", or null for NaN. */
void parity_json_double(FILE *out, double value);

/** Write `text` as a JSON string with escapes. */
void parity_json_string(FILE *out, const char *text);

/*
 * ---- Run history ----------------------------------------------------------
 * Each analysis run is kept in the database (tables runs and run_results),
 * so results accumulate over time.
 */

/** One run as listed from the history. */
typedef struct parity_run_record {
	int64_t id;            /**< the run id */
	char started[32];      /**< "2026-03-05T10:00:00Z" */
	char finished[32];     /**< "" while running */
	char engine_version[24]; /**< parity_version() of the run */
	char period[24];       /**< the period analysed */
	char status[16];       /**< "running", "ok", "partial" or "failed" */
	uint64_t rows;         /**< result rows kept */
	char command[16];      /**< "analyse", "report", "demo" or "run" */
	char month[8];         /**< the month a scheduled run reports for, or "" */
	unsigned warnings;     /**< warnings a scheduled run logged */
	char files[128];       /**< a scheduled run's files: "2 new, 0 corrected, ..." */
} parity_run_record;

/**
 * Record the start of a run with its settings; *run_id is its id. Returns
 * 0, PARITY_EIO or PARITY_EBUSY.
 */
int parity_history_begin(int64_t *run_id, parity_store *store,
                         const parity_analyse_options *options);

/**
 * Finish run `run_id`: keep every row of `results` (main, trend, cohort;
 * may be NULL after a failure), the period, and `status` ("ok" or
 * "failed") with `message` (may be NULL). Returns 0, PARITY_EIO or
 * PARITY_EBUSY.
 */
int parity_history_finish(parity_store *store, int64_t run_id,
                          const parity_results *results, const char *status,
                          const char *message);

/**
 * List the runs kept, oldest first. *out is an array of *count records the
 * caller frees with free(). Returns 0 or PARITY_EIO.
 */
int parity_history_list(parity_run_record **out, size_t *count, parity_store *store);

#ifdef __cplusplus
}
#endif
#endif
