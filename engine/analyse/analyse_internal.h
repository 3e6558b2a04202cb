/*
 * analyse_internal.h: what the analysis modules share. Not installed.
 *
 * The modules form layers, each using only those above it, in the order of
 * this header:
 *   definitions.c   what is counted and published (measures, indicators,
 *                   characteristics and their classes): data, no calls;
 *   values.c        each value a small integer code, with its classes;
 *   cube.c          count cubes keyed by those codes;
 *   tally.c         a measure over a window: the cubes it asks for, sums;
 *   pass.c          the plan: one read of the store fills every tally;
 *   rows.c          building result rows;
 *   the analyses, groupings of the pass turned into rows, each using only
 *   those before it: organisations.c (funnel and random effects across
 *   organisations), adjust.c (adjusted ratios), families.c (multiple
 *   comparisons), indicators.c (every characteristic's comparisons and
 *   intersections), stages.c (how far formal cases go), standard.c (the
 *   standard indicators and their trend), cohort.c (mentoring cohorts),
 *   programme.c (a programme's event study);
 *   analyse.c       the driver: plans every analysis, runs the pass once,
 *                   then asks each analysis for its rows;
 *   results.c       writing the rows (CSV, JSON).
 */
#ifndef PARITY_ANALYSE_INTERNAL_H
#define PARITY_ANALYSE_INTERNAL_H

#include "parity/analyse.h"
#include "parity/period.h"
#include "store/store_internal.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Copy the string `src` into `dst` of `size` bytes, cut to fit and always
 * terminated: snprintf(dst, size, "%s", src) without its cost. */
static inline void text_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* ==== definitions (definitions.c) ======================================== */

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
	D_ORIENTATION, D_RELIGION, D_CONTRACT, D_GROUNDS, D_STAGE,
	D_PROCESS, /* a case's process: which cells a measure counts, never a group */
	D_COUNT
};

/* The cells column behind a dimension ("ethnic_category"). */
const char *dimension_column(int dim);

/* The measure a standard indicator counts. */
measure measure_of_indicator(const parity_indicator_info *info);

/* What an entry of a cube sums: the stored counts of the cells that share
 * its key (rows, shortlisted, appointed) and the workforce rows that are
 * their headcount. A measure's rule says which are its outcome and base. */
enum { SUM_ROWS, SUM_SHORTLISTED, SUM_APPOINTED, SUM_HEADCOUNT, CUBE_SUMS };

/* Which stored cells a measure counts and what it takes from them: a
 * cube sum (C_HEADCOUNT: each period's workforce snapshot rows). */
typedef enum count_of {
	C_ROWS = SUM_ROWS, C_SHORTLISTED = SUM_SHORTLISTED, C_APPOINTED = SUM_APPOINTED,
	C_HEADCOUNT = SUM_HEADCOUNT, C_NONE
} count_of;
typedef struct cell_rule {
	const char *kind;
	const char *process;  /* the cell's process must be this (NULL: any) */
	const char *grounds;  /* and its grounds this (NULL: any) */
	count_of outcome, base;
} cell_rule;

/* The measures' rules, and every formal case of either process (stages). */
const cell_rule *rule_of_measure(measure m);
const cell_rule *rule_of_cases(void);

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

/* The standard indicator's grouping (orientation as published). */
void grouping_standard(grouping *out, const parity_indicator_info *info);

/* Rank of an Agenda for Change band ("2" .. "9"), or -1 (VSM, Medical,
 * anything else). */
int afc_band_rank(const char *band);

/* An intersection of two or three characteristics, as named. */
typedef struct intersection {
	axis axes[MAX_AXES];
	const char *names[MAX_AXES]; /* "white_bme", "sex", ... (static) */
	size_t count;
} intersection;

/* ==== values (values.c) ================================================== */

/* A dictionary: the distinct byte strings seen, each given a code in the
 * order first seen. */
/* The first eight bytes of a value as one word: values of up to eight
 * bytes (most codes) are compared as this word and their length. For a
 * given length it determines the bytes it covers; it reads only the
 * value's own bytes. */
static inline uint64_t vdict_head_word(const char *text, size_t length)
{
	const unsigned char *t = (const unsigned char *)text;
	uint64_t word;
	uint32_t lo, hi;
	if (length >= 8) {
		memcpy(&word, t, 8);
		return word;
	}
	if (length >= 4) { /* two loads that overlap */
		memcpy(&lo, t, 4);
		memcpy(&hi, t + length - 4, 4);
		return lo | (uint64_t)hi << 32;
	}
	if (!length)
		return 0;
	return (uint64_t)t[0] | (uint64_t)t[length / 2] << 8 | (uint64_t)t[length - 1] << 16;
}

static inline uint64_t vdict_mix(uint64_t h)
{
	h *= UINT64_C(0x9E3779B97F4A7C15);
	return h ^ h >> 29;
}

/* Values met lately, for a lookup without hashing and probing. */
#define VDICT_RECENT_BITS 8
#define VDICT_RECENT (1 << VDICT_RECENT_BITS)
typedef struct vdict_recent {
	uint64_t head;     /* the value's head word */
	uint64_t tail;     /* its last eight bytes when longer than eight, else 0 */
	uint32_t length1;  /* its length + 1 (0: an empty entry) */
	uint32_t code;
} vdict_recent;

/* The last eight bytes of a value longer than eight, else 0. */
static inline uint64_t vdict_tail_word(const char *text, size_t length)
{
	uint64_t word = 0;
	if (length > 8)
		memcpy(&word, text + length - 8, 8);
	return word;
}

/* Where a value goes in vdict->recent. */
static inline size_t vdict_recent_slot(uint64_t head, uint64_t tail, size_t length)
{
	return (size_t)(vdict_mix(head ^ (tail << 1) ^ length) >> (64 - VDICT_RECENT_BITS));
}

typedef struct vdict {
	vdict_recent recent[VDICT_RECENT];
	char **texts;      /* code -> the value, NUL-terminated, owned */
	uint32_t *lengths;
	uint64_t *hashes;
	uint64_t *heads;   /* the first eight bytes, zero-padded */
	size_t count, capacity;
	uint32_t *slots;   /* open addressing: code + 1, 0 empty */
	size_t slot_count; /* a power of two */
} vdict;

/* The code of `length` bytes at `text`, added when new (*added 1). 0 or
 * PARITY_ENOMEM (the dictionary unchanged). */
int vdict_code(vdict *d, const char *text, size_t length, uint32_t *code, int *added);
/* 1 with *code when the value is in `d`, else 0. */
int vdict_find(const vdict *d, const char *text, size_t length, uint32_t *code);
/* The value with `code` ("" for none). Borrowed. */
const char *vdict_text(const vdict *d, uint32_t code);

#define AX_MODES 4      /* the axis_mode values */
#define AX_VALUE AX_MODES /* a cube slot holding the value's own code */

/* What a contract value means for the counts. */
enum { CONTRACT_OTHER = 0, CONTRACT_BANK = 1, CONTRACT_NONE = 2 };

/* The values of a run's cells: a dictionary per dimension, and each
 * value's class on every mode that applies to its dimension. */
typedef struct values {
	vdict raw[D_COUNT];
	vdict classes[D_COUNT][AX_MODES];      /* class names ("White", "3") */
	uint32_t *class_of[D_COUNT][AX_MODES]; /* code -> class code + 1; 0: not
	                                        * stated, not known or absent */
	unsigned char *info[D_COUNT];  /* contract: CONTRACT_*; stage: rank + 1
	                                * (0: no stage); else 0 */
	size_t described[D_COUNT];     /* entries allocated in class_of and info */
} values;

/* values_code() when the value was not met lately. */
int values_code_slow(values *v, int dim, const char *text, size_t length,
                     uint32_t *code);

/* The code of a value of dimension `dim`. 0 or PARITY_ENOMEM. Inline: it
 * runs for every value of every cell read, and most hit vdict->recent. */
static inline int values_code(values *v, int dim, const char *text, size_t length,
                              uint32_t *code)
{
	const vdict *d = &v->raw[dim];
	uint64_t head = vdict_head_word(text, length), tail = vdict_tail_word(text, length);
	const vdict_recent *r = &d->recent[vdict_recent_slot(head, tail, length)];
	/* Head, tail and length are the whole value up to 16 bytes. */
	if (r->length1 == length + 1 && r->head == head && r->tail == tail &&
	    (length <= 16 || !memcmp(text + 8, d->texts[r->code] + 8, length - 16))) {
		*code = r->code;
		return 0;
	}
	return values_code_slow(v, dim, text, length, code);
}
/* The value of dimension `dim` with `code`. Borrowed. */
const char *values_text(const values *v, int dim, uint32_t code);
/* The class code (+ 1) of class name `cls` on axis `a`: 1 with *code, or 0
 * when no value of the run has that class. */
int values_class_find(const values *v, const axis *a, const char *cls, uint32_t *code);
/* The name of class code (+ 1) `class_code` on axis `a`. Borrowed. */
const char *values_class_text(const values *v, const axis *a, uint32_t class_code);
void values_free(values *v);

/* The class code (+ 1, 0: not stated) of value `code` on mode `mode` of
 * dimension `dim`; AX_VALUE gives the code itself. */
static inline uint32_t values_class(const values *v, int dim, int mode, uint32_t code)
{
	return mode == AX_VALUE ? code : v->class_of[dim][mode][code];
}

/* ==== cubes (cube.c) ===================================================== */

/* The most slots of a cube: a stratum, the characteristics compared and
 * the covariates of an adjusted ratio. */
#define CUBE_SLOTS 16

/* Counts summed over the cells that share a key: for each slot a value's
 * code (mode AX_VALUE) or its class code on a mode, then the cell's
 * contract status (CONTRACT_*). Its size follows the distinct keys, not
 * the cells. */
typedef struct cube {
	axis slots[CUBE_SLOTS];
	size_t width;            /* slots; keys have width + 1 words */
	uint32_t *keys;          /* count * (width + 1) */
	uint64_t *sums;          /* count * CUBE_SUMS */
	size_t count, capacity;
	uint32_t *table;         /* open addressing: entry + 1, 0 empty */
	size_t table_size;       /* a power of two */
	/* While the keys' codes are small (most cubes: a few classes and at
	 * most some hundreds of values) entries are found without hashing:
	 * dense[] holds entry + 1 at the key's words packed side by side,
	 * bits[w] bits each; once they would take more than CUBE_DENSE_BITS
	 * the cube moves to the hash table for good (`hashed`). */
	uint32_t *dense;
	unsigned char bits[CUBE_SLOTS + 1];
	unsigned dense_bits;     /* the sum of bits[] */
	int hashed;
} cube;

#define CUBE_DENSE_BITS 16

/* Add `add` (CUBE_SUMS counts) to the entry with `key` (width + 1 words),
 * made when new. 0 or PARITY_ENOMEM (the cube unchanged). */
int cube_add(cube *c, const uint32_t *key, const uint64_t *add);
void cube_free(cube *c);

/* ==== tallies: the counts of one measure over one window (tally.c) ======= */

/* The most periods in a window (a cohort's window is cut into stretches of
 * twelve months, a rolling window into years). */
#define TALLY_PERIODS 12
#define TALLY_CUBES 24

typedef struct tally tally;
struct tally {
	measure m;
	const cell_rule *rule;
	int headcount;        /* the base is each period's workforce snapshot */
	const values *vals;   /* borrowed: shared by every tally of a run */
	cube cubes[TALLY_CUBES];
	size_t cube_count;
	/* Another tally of the run that reads the same cells over the same
	 * months (the trend year that is the period, appointment and
	 * shortlisting): its cubes hold this one's counts too (plan_add). */
	tally *same;
	parity_period asked[TALLY_PERIODS]; /* the window's periods, oldest first */
	unsigned periods_asked;
	unsigned char counted[TALLY_PERIODS]; /* 1: within the data, read */
	/* Per counted period of a headcount measure: each organisation's
	 * snapshot month by organisation code (-1: none), grown with the
	 * organisations' dictionary. */
	int *snapshot_of[TALLY_PERIODS];
	size_t snapshot_orgs[TALLY_PERIODS];
	int first_month;      /* window counted */
	int last_month;
	unsigned periods;     /* periods of the window that held data */
	int partial;          /* a period counted is not wholly covered by data */
	int stale_snapshot;   /* a headcount came from before its period */
	uint64_t outcome_no_headcount; /* outcome dropped: no snapshot for its organisation */
	uint64_t cells;       /* entries with counts of this tally's measure */
	char snapshots[64];   /* snapshot months used, ';'-separated */
	char label[40];       /* "2025/26" or "2024/25 to 2025/26" */
};

/* The tally whose cubes hold `t`'s counts. */
static inline const tally *tally_home(const tally *t)
{
	return t->same ? t->same : t;
}

/* The outcome and base of entry `e` of cube `c` (one of t's home's) by
 * t's rule. */
static inline void tally_counts(const tally *t, const cube *c, size_t e,
                                uint64_t *outcome, uint64_t *base)
{
	const uint64_t *s = &c->sums[e * CUBE_SUMS];
	*outcome = t->rule->outcome == C_NONE ? 0 : s[t->rule->outcome];
	*base = t->rule->base == C_NONE ? 0 : s[t->rule->base];
}

/* Set up `t` to count `rule` for measure `m` over the `count` consecutive
 * periods (oldest first, at most TALLY_PERIODS) with the values of `v`.
 * Nothing is read until plan_run(). */
void tally_init(tally *t, measure m, const cell_rule *rule, const values *v,
                const parity_period *periods, size_t count);

/* Ask for a cube over `slots` (a value or its class on each): the sums
 * that later read `t` need. A cube the tally already has is not repeated.
 * 0, or PARITY_EINTERNAL when the tally has no room for it. */
int tally_want(tally *t, const axis *slots, size_t width);

/* Ask for each standard indicator of t's measure by organisation: the
 * cube (organisation, the indicator's grouping) that pools organisations'
 * ratios (cohort windows, a programme's years). 0 or as tally_want(). */
int tally_want_by_org(tally *t);

void tally_free(tally *t);

/* The text of stratum `key` of dimension `dim` in `t` ("" none). */
const char *tally_text(const tally *t, int dim, uint32_t key);

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

/* The window ending with `period`: `years` periods of its kind, oldest
 * first, into `out` (at least `years` entries). Returns how many. */
size_t window_periods(parity_period *out, const parity_period *period,
                      unsigned years);

/* Split months first..last into twelve-month stretches ending at `last`
 * (the oldest may be shorter), oldest first; returns how many (<= max). */
size_t window_stretches(parity_period *out, size_t max, int first, int last);

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
 * Change order). *out is owned by the caller (free()). Returns 0,
 * PARITY_ENOMEM, or PARITY_EINTERNAL when `t` was not asked for a cube
 * that holds the grouping and stratum (tally_want).
 */
int tally_sum(group_sum **out, size_t *count, const tally *t, const grouping *g,
              int strat_dim, int include_bank);

/* The stated classes of axis `a` in `t` (bank contracts left out unless
 * `include_bank`), sorted by name, each with the base it holds. *out is
 * the caller's (free()). Returns 0, PARITY_ENOMEM or PARITY_EINTERNAL
 * (no cube of `t` holds the axis). */
typedef struct category {
	char code[48];
	uint64_t base;
} category;
int tally_categories(category **out, size_t *count, const tally *t, const axis *a,
                     int include_bank);

/* The group of `g` that the classes `cls` (one per axis, class codes + 1)
 * fall in: 1, 2, 0 (another class) or -1 (one not stated); `want` holds
 * the class codes of group 1 then group 2 (grouping_resolve). */
typedef struct grouping_codes {
	uint32_t group1[MAX_AXES], group2[MAX_AXES];
} grouping_codes;
void grouping_resolve(grouping_codes *out, const grouping *g, const values *v);
int grouping_classify(const grouping_codes *want, size_t axis_count,
                      const uint32_t *cls);

/* The cube of `t` that holds every slot in `need` (each satisfied by a
 * slot of the same dimension with the same mode or AX_VALUE), the smallest
 * if several do; *where[i] says which of its slots serves need[i]. NULL
 * when none does (PARITY_EINTERNAL set). */
const cube *tally_cube(const tally *t, const axis *need, size_t count, size_t *where);

/* ==== the one pass (pass.c) ============================================== */

/* Every tally of a run, filled by one read of the store. */
typedef struct plan {
	tally **tallies;
	size_t count, capacity;
	values *vals;
	const char *organisation; /* only this organisation's cells (NULL: all) */
} plan;

/* Register `t` (set up and its cubes asked for) to be filled. When a tally
 * already registered reads the same cells over the same months, `t`'s
 * cubes are asked of it instead and `t` shares them (t->same). 0 or an
 * error. */
int plan_add(plan *p, tally *t);

/*
 * Fill every registered tally: each month's packs of each kind are decoded
 * once, each cell's values coded once, and each cell added to the cubes of
 * every tally whose window holds its month. Headcount for each period of a
 * headcount measure is the latest workforce snapshot in it per
 * organisation, else the latest in the twelve months before (flagged);
 * the outcome of an organisation with neither is left out and counted.
 * Periods outside the outcome kind's data span are skipped. Returns 0 or a
 * negative parity error.
 */
int plan_run(plan *p, parity_store *store);

void plan_free(plan *p);

/* ==== result rows (rows.c) =============================================== */

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

/* A ratio with the counts of `c` and no estimate (untested: the counts
 * cannot be, or none to compare). */
void ratio_untested(parity_ratio *r, const parity_stratum *c,
                    const parity_stats_settings *settings);

/* 1 when the counts can be (outcome within base in both groups). */
int counts_possible(const parity_stratum *c);

/* ==== the analyses ======================================================= */

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

/* Ask `t` for the cube row_adjust() reads when options->adjust names
 * covariates. 0 or an error. */
int adjust_want(tally *t, const parity_analyse_options *options);

/* ---- multiple comparisons (families.c) -------------------------------- */

/* Fill p_holm, p_bh and family_size of each of `count` rows: see
 * parity_analyse_run() for the families. Returns 0 or an error. */
int families_adjust(parity_result_row *rows, size_t count);

/* ---- comparisons and intersections (indicators.c) ---------------------- */

/* Read "ethnic_category,sex,disability" into `out`. Returns 0, or
 * PARITY_EUSAGE saying which name is unknown or repeated. */
int intersection_parse(intersection *out, const char *text);


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

/* Ask `t` for the cubes comparisons_add() reads. 0 or an error. */
int comparisons_want(tally *t, const parity_analyse_options *options);

/* ---- stages (stages.c) ------------------------------------------------- */

/*
 * The disciplinary stages (stages.c): for the cases that entered a formal
 * process in the window ending with the period (options->rolling_years,
 * as WRES 3), each worse stage's relative likelihood, BME against White
 * and Disabled against non-disabled, crude and Mantel-Haenszel pooled over
 * the grounds. stages_plan() sets up `cases` (every formal case of the
 * window) for the pass; stages_add() adds the rows, nothing when no case
 * has a stage recorded. Each returns 0 or a negative parity error.
 */
int stages_plan(tally *cases, plan *p, const parity_period *period,
                const parity_analyse_options *options);
int stages_add(parity_results *results, const tally *cases,
               const parity_analyse_options *options);

/* ---- the standard indicators (standard.c) ------------------------------ */

/* The most years of a rolling window. */
#define MAX_ROLLING_YEARS 10

/* Set up every measure's tally in `tallies` for `period` (over the rolling
 * window for rolling measures) with the cubes the standard indicators
 * read, and register them with `p`. `all` 1: the run's own period, with
 * every measure and the comparisons' and adjusted ratios' cubes too; 0: a
 * trend year, only the measures of the standard indicators. */
int standard_plan(tally tallies[M_COUNT], plan *p, const parity_period *period,
                  const parity_analyse_options *options, int all);

/* The rows of every standard indicator for `period` from the run's
 * `tallies`, a note for each without data; *any set when one had data. */
int standard_add(parity_results *results, const tally tallies[M_COUNT],
                 const parity_analyse_options *options, const parity_period *period,
                 int *any);

/* The trend: one set of tallies per financial year the data reach, each
 * with only the measures of the standard indicators. */
typedef struct trend_plan {
	tally (*years)[M_COUNT];
	parity_period *periods;
	size_t count;
	int spans[M_COUNT][2];
	int has[M_COUNT];
} trend_plan;

void trend_free(trend_plan *tp);
/* Set up and register the tallies of every financial year from the first
 * to the last month of data. 0 or a negative parity error. */
int trend_plan_make(trend_plan *tp, plan *p, parity_store *store,
                    const parity_analyse_options *options);
/* The trend rows of every finished year (trend_plan_make). */
int trend_series(parity_results *results, const trend_plan *tp,
                 const parity_analyse_options *options);

/* ---- cohorts (cohort.c) ------------------------------------------------ */

/* The tallies of the cohorts' windows (cohort.c): set up and registered
 * with `p` by cohorts_plan(), read by cohorts_evaluate(), freed by
 * cohorts_free(). */
typedef struct cohort_tallies {
	tally *items;   /* per cohort: before then after, per measure */
	size_t count;
} cohort_tallies;
int cohorts_plan(cohort_tallies *out, plan *p, const parity_analyse_options *options);
void cohorts_free(cohort_tallies *ct);

/* Evaluate every cohort for every standard indicator into results->cohorts
 * and copy their dates into results->marks. */
int cohorts_evaluate(parity_results *results, parity_store *store,
                     const cohort_tallies *ct, const parity_analyse_options *options);

/* Mark trend rows with the cohorts' phases (before/during/after). */
void cohorts_mark_trend(parity_results *results);

/* ---- a programme's event study (programme.c) --------------------------- */

/* The tallies of every financial year the data reach (at most the newest
 * thirty), each measure counted over its year alone (no rolling window):
 * set up and registered by programme_plan(), read by programme_evaluate()
 * into results->programme and programme_cohorts, freed by programme_free(). */
#define PROGRAMME_YEARS 30 /* the most years an event study spans */
typedef struct programme_tallies {
	tally *items;               /* per year, per measure */
	parity_period years[PROGRAMME_YEARS];
	size_t year_count;
} programme_tallies;
int programme_plan(programme_tallies *out, plan *p, parity_store *store,
                   const parity_analyse_options *options);
int programme_evaluate(parity_results *results, const programme_tallies *pt,
                       const parity_analyse_options *options);
void programme_free(programme_tallies *pt);

#endif
