/*
 * analyse_internal.h: what the analysis modules (analyse.c, indicators.c,
 * tally.c, cohort.c, history.c, results.c) share: the measures, the count
 * tables loaded from the store for a window, groupings of characteristics
 * and the sums that feed the statistics module. Not installed.
 */
#ifndef PARITY_ANALYSE_INTERNAL_H
#define PARITY_ANALYSE_INTERNAL_H

#include "parity/analyse.h"
#include "parity/period.h"
#include "store/store_internal.h"

#include <stddef.h>
#include <stdint.h>

/* ---- strings ------------------------------------------------------------ */

/* Interned strings: equal strings get equal ids, so cells compare by id. */
typedef struct strpool {
	char **items;      /* id -> string, owned */
	size_t count;      /* strings held */
	size_t capacity;   /* items allocated */
	uint32_t *slots;   /* open-addressing table of id + 1 (0 empty) */
	size_t slot_count; /* a power of two */
} strpool;

/* Intern `text`: 0 and *id, or PARITY_ENOMEM. */
int strpool_intern(strpool *pool, const char *text, uint32_t *id);

/* The string with `id`. Borrowed. */
const char *strpool_get(const strpool *pool, uint32_t id);

void strpool_free(strpool *pool);

/* ---- measures --------------------------------------------------------- */

/* What is counted: an outcome over a base. */
typedef enum measure {
	M_APPOINTMENT = 0, /* recruitment: appointed / shortlisted */
	M_DISCIPLINARY,    /* disciplinary cases (process disciplinary) / headcount */
	M_CAPABILITY,      /* capability cases on performance grounds / headcount */
	M_TRAINING,        /* non-mandatory training / headcount */
	M_SHORTLISTING,    /* recruitment: shortlisted / applications (no
	                    * standard indicator: comparisons and the pipeline) */
	M_COUNT
} measure;

typedef struct measure_info {
	const char *name;      /* "appointment" */
	const char *kind;      /* the cells' kind for the outcome */
	int headcount;         /* 1: the base is the workforce snapshot headcount */
	int favourable;        /* 1: reaching the outcome is good (group 1 = reference) */
	int rolling;           /* 1: counted over the rolling window */
} measure_info;

const measure_info *measure_get(measure m);

/* 1 when a standard indicator counts measure `m` (the trend and the cohorts
 * need only those), 0 for a measure compared only (shortlisting). */
int measure_indicated(measure m);

/* Dimensions of a cell, in the order the store's queries return them. */
enum {
	D_ORG, D_ETHNIC, D_SEX, D_DISABILITY, D_AGE, D_PAY, D_GROUP,
	D_ORIENTATION, D_RELIGION, D_CONTRACT, D_GROUNDS, D_STAGE, D_COUNT
};

/* The cells column behind a dimension ("ethnic_category"). */
const char *dimension_column(int dim);

/* ---- count tables ---------------------------------------------------- */

/* One summed combination of dimensions: the outcome reached and the base.
 * Outcome rows of headcount measures carry base 0; their headcount rows
 * carry outcome 0. */
typedef struct tally_cell {
	uint32_t dim[D_COUNT];
	uint64_t outcome;
	uint64_t base;
} tally_cell;

/* The counts of one measure over one window (one or more periods). */
typedef struct tally {
	measure m;
	strpool *pool;        /* borrowed: shared by every tally of a run */
	tally_cell *cells;    /* owned */
	size_t count, capacity;
	int first_month;      /* window counted */
	int last_month;
	unsigned periods;     /* periods of the window that held data */
	unsigned periods_asked; /* periods in the window */
	int partial;          /* a period counted is not wholly covered by data */
	int stale_snapshot;   /* a headcount came from before its period */
	uint64_t outcome_no_headcount; /* outcome dropped: no snapshot for its organisation */
	char snapshots[64];   /* snapshot months used, ';'-separated */
	char label[40];       /* "2025/26" or "2024/25 to 2025/26" */
} tally;

/* The data span of `m`'s outcome kind: 0 with *first and *last, or 1 when the
 * store holds none (for `organisation` when not NULL); negative on error. */
int tally_span(parity_store *store, measure m, const char *organisation,
               int *first, int *last);

/* The months from `first` to `last` that hold recruitment, disciplinary or
 * training data (for `organisation`, or all), written as spans into `buf`
 * ("2024-04..2025-03, 2025-06"). Returns how many months, or a negative
 * error. Workforce snapshots are left out: each covers one month. */
int tally_months_covered(parity_store *store, const char *organisation, int first,
                         int last, char *buf, size_t size);

/*
 * Load `m` over the `count` consecutive periods in `periods` (oldest first)
 * for `organisation` (NULL: all). Periods outside the outcome kind's data
 * span are skipped. Headcount for each period is the latest workforce
 * snapshot in it per organisation, else the latest in the twelve months
 * before it (flagged). Returns 0 (t->periods == 0 when nothing was found)
 * or a negative parity error. Free with tally_free().
 */
int tally_load(tally *t, parity_store *store, strpool *pool, measure m,
               const parity_period *periods, size_t count,
               const char *organisation);

/* Load every formal case of the disciplinary kind (either process, any
 * grounds) over the periods, as tally_load does: outcome = cases, base 0,
 * with their grounds and stage. Returns 0 or a negative parity error. */
int tally_load_cases(tally *t, parity_store *store, strpool *pool,
                     const parity_period *periods, size_t count,
                     const char *organisation);

void tally_free(tally *t);

/* The window ending with `period`: `years` periods of its kind, oldest
 * first, into `out` (at least `years` entries). Returns how many. */
size_t window_periods(parity_period *out, const parity_period *period,
                      unsigned years);

/* Split months first..last into twelve-month stretches ending at `last`
 * (the oldest may be shorter), oldest first; returns how many (<= max). */
size_t window_stretches(parity_period *out, size_t max, int first, int last);

/* ---- groupings ------------------------------------------------------- */

/* How a characteristic's values become classes. */
typedef enum axis_mode {
	AX_RAW = 0,      /* the code itself */
	AX_WHITE_BME,    /* ethnic category: "White" (A-C) or "BME" */
	AX_DISABILITY,   /* "Disabled" (Y) or "Non-disabled" (N) */
	AX_CODED         /* sexual orientation, religion: the NHS code, also for
	                  * a label stored before ingest coded them */
} axis_mode;

/* The mode that compares dimension `dim` category by category. */
axis_mode axis_mode_raw(int dim);

typedef struct axis {
	int dim;
	axis_mode mode;
} axis;

/* The class of `value` on `a`, or NULL when not stated, not known or
 * absent. Borrowed (a static string or `value` itself). */
const char *axis_class(const axis *a, const char *value);

/* The most characteristics crossed in one intersection. */
#define MAX_AXES 3

/* Two groups to compare, each a class on every axis. */
typedef struct grouping {
	char name[64];           /* "white_bme", "ethnic_category", "white_bme*sex" */
	char characteristic[64]; /* "ethnic_category", "ethnic_category*sex" */
	axis axes[MAX_AXES];
	size_t axis_count;
	char group1[MAX_AXES][48]; /* group 1's class on each axis */
	char group2[MAX_AXES][48];
	char label1[48];         /* "White", "BME F" */
	char label2[48];
} grouping;

/* An intersection of two or three characteristics, as named. */
typedef struct intersection {
	axis axes[MAX_AXES];
	const char *names[MAX_AXES]; /* "white_bme", "sex", ... (static) */
	size_t count;
} intersection;

/* Read "ethnic_category,sex,disability" into `out`. Returns 0, or
 * PARITY_EUSAGE saying which name is unknown or repeated. */
int intersection_parse(intersection *out, const char *text);

/* Sums for one stratum of one grouping. */
typedef struct group_sum {
	uint32_t key;            /* stratum value id; UINT32_MAX for overall */
	parity_stratum counts;   /* x1, n1, x2, n2 */
	uint64_t unknown_base, unknown_outcome; /* characteristic not stated */
	uint64_t bank_base, bank_outcome;       /* bank contracts */
	uint64_t no_contract_outcome;           /* outcome with no contract */
} group_sum;

/*
 * Sum `t` for grouping `g`, one entry per value of dimension `strat_dim`
 * (-1: one overall entry), sorted by stratum (pay bands in Agenda for
 * Change order). *out is owned by the caller (free()). Returns 0 or
 * PARITY_ENOMEM.
 */
int tally_sum(group_sum **out, size_t *count, const tally *t, const grouping *g,
              int strat_dim, int include_bank);

/* Which group of `g` cell `c` of `t` falls in: 1, 2, 0 (another class),
 * -1 (not stated). */
int tally_classify(const grouping *g, const tally *t, const tally_cell *c);

/* The standard indicator's grouping (orientation as published). */
void grouping_standard(grouping *out, const parity_indicator_info *info);

/* Rank of an Agenda for Change band ("2" .. "9"), or -1 (VSM, Medical,
 * anything else). */
int afc_band_rank(const char *band);

/*
 * The comparison rows for measure tally `t` (one row each, over all
 * organisations in the window, stratum label `stratum`): every
 * characteristic's categories against its reference, the binary groupings
 * the standard set lacks for this measure, and ethnicity crossed with sex
 * and with disability. `noted` remembers which characteristics already have
 * a note. Returns 0 or a negative parity error (indicators.c).
 */
int comparisons_add(parity_results *results, const tally *t, const char *stratum,
                    const parity_analyse_options *options, unsigned *noted);

/*
 * The disciplinary stages (stages.c): for the cases that entered a formal
 * process in the window ending with `period` (options->rolling_years, as
 * WRES 3), each worse stage's relative likelihood, BME against White and
 * Disabled against non-disabled, crude and Mantel-Haenszel pooled over the
 * grounds. Nothing when no case has a stage recorded. Returns 0 or a
 * negative parity error.
 */
int stages_add(parity_results *results, parity_store *store, strpool *pool,
               const parity_period *period, const parity_analyse_options *options);

/* ---- results ---------------------------------------------------------- */

/* Append a zeroed row to `rows`; NULL when memory runs out (error set). */
parity_result_row *rows_add(parity_result_row **rows, size_t *count,
                            size_t *capacity);

/* Add a note to the results ("WRES3: no disciplinary data for 2025/26"). */
int results_note(parity_results *results, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Append `flag` to a row's ';'-separated flags (truncating quietly). */
void row_flag(parity_result_row *row, const char *flag);

/* Fill a crude row's ratio from `s` with `settings`; counts that cannot be
 * (outcome above base) give no estimate and a flag. Returns 0 or an error. */
int row_crude(parity_result_row *row, const group_sum *s,
              const parity_stats_settings *settings);

/* Fill a row's ratio fields from a pooled result over `total` counts. */
void row_pooled(parity_result_row *row, const parity_pooled *pool,
                const parity_stratum *total, const parity_stats_settings *settings);

/* Append a row of grouping `g` (its name, characteristic and group labels)
 * with indicator and measure `indicator`, the stratum given, the results'
 * period and the context of `t` and `s` (row_context). NULL when memory
 * runs out (error set). */
parity_result_row *row_add_grouped(parity_results *results, const char *indicator,
                                   const grouping *g, const char *stratum_kind,
                                   const char *stratum, const tally *t,
                                   const group_sum *s);

/* Copy the window and exclusion context of `t` and `s` into `row`. */
void row_context(parity_result_row *row, const tally *t, const group_sum *s);

/* 1 when the counts can be (outcome within base in both groups). */
int counts_possible(const parity_stratum *c);

/* ---- across organisations (organisations.c) ---------------------------- */

/* For the `n` organisation rows from `first_row` (their sums in `sums`) and
 * their Mantel-Haenszel row `pooled_row`: the random-effects summary (on
 * the pooled row) with each organisation's shrunken ratio, and the funnel
 * positions and limits. Returns 0 or an error. */
int across_organisations(parity_result_row *rows, size_t first_row,
                         const group_sum *sums, size_t n, size_t pooled_row,
                         const parity_analyse_options *options);

/* ---- adjusted ratios (adjust.c) ------------------------------------------ */

/* Check options->adjust: 0, or PARITY_EUSAGE naming the bad entry. */
int adjust_check(const parity_analyse_options *options);

/* When options->adjust names covariates, fill row->adjusted (and
 * adjusted_for) with grouping `g`'s ratio over `t` adjusted for them by
 * modified Poisson regression. Returns 0 or an error. */
int row_adjust(parity_result_row *row, const tally *t, const grouping *g,
               const parity_analyse_options *options);

/* ---- multiple comparisons (families.c) -------------------------------- */

/* Fill p_holm, p_bh and family_size of each of `count` rows: see
 * parity_analyse_run() for the families. Returns 0 or an error. */
int families_adjust(parity_result_row *rows, size_t count);

/* ---- cohorts (cohort.c) ------------------------------------------------ */

/* Evaluate every cohort for every standard indicator into results->cohorts
 * and copy their dates into results->marks. */
int cohorts_evaluate(parity_results *results, parity_store *store, strpool *pool,
                     const parity_analyse_options *options);

/* Mark trend rows with the cohorts' phases (before/during/after). */
void cohorts_mark_trend(parity_results *results);

#endif
