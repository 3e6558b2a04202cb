/*
 * parity/stats.h: relative likelihood ratios with confidence intervals,
 * significance tests, the non-adverse band, the low-count rule, and (see
 * below) pooling, change between ratios, funnel limits and Kline's compound
 * ratio. Formulas and references: DOMAIN.md sections 3-5 and docs/methods.md.
 *
 * Notation follows the papers: x1 of n1 in group 1 (the numerator rate)
 * against x2 of n2 in group 2. Infinite values are IEEE INFINITY; a missing
 * estimate is flagged, never NaN.
 */
#ifndef PARITY_STATS_H
#define PARITY_STATS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Confidence interval method for a ratio of two proportions. */
typedef enum parity_ci_method {
	PARITY_CI_KOOPMAN = 0,   /**< Koopman asymptotic score (default) */
	PARITY_CI_KATZ,          /**< Katz log */
	PARITY_CI_ADJUSTED_LOG,  /**< Walter/Pettigrew: x+0.5, n+0.5 everywhere */
	PARITY_CI_MN             /**< Miettinen-Nurminen score */
} parity_ci_method;

/** Where a ratio lies against the 0.80-1.25 non-adverse band. */
typedef enum parity_band {
	PARITY_BAND_NONE = 0, /**< no estimate */
	PARITY_BAND_BELOW,    /**< ratio < 0.80 */
	PARITY_BAND_INSIDE,   /**< 0.80 <= ratio <= 1.25 */
	PARITY_BAND_ABOVE     /**< ratio > 1.25 */
} parity_band;

/** Settings that every ratio computation takes. */
typedef struct parity_stats_settings {
	parity_ci_method method; /**< interval method */
	double level;            /**< confidence level in (0,1), e.g. 0.95 */
	uint64_t low_count_min;  /**< low-count threshold: see parity_ratio_low_count() */
} parity_stats_settings;

/** Fill `out` with the defaults: Koopman, 0.95, low_count_min 10. */
void parity_stats_settings_default(parity_stats_settings *out);

/** One ratio with its interval, tests and flags. */
typedef struct parity_ratio {
	uint64_t x1, n1;      /**< group 1: reached the outcome, base */
	uint64_t x2, n2;      /**< group 2: reached the outcome, base */
	parity_ci_method method; /**< the interval method used */
	double level;         /**< the confidence level used */
	int estimable;        /**< 0 when no estimate exists (x1 = x2 = 0, or n = 0) */
	double ratio;         /**< (x1/n1)/(x2/n2); 0 or INFINITY allowed */
	double ci_low;        /**< lower limit; 0 allowed */
	double ci_high;       /**< upper limit; INFINITY allowed */
	double p_fisher;      /**< Fisher's exact two-sided p (R convention) */
	double p_midp;        /**< mid-p two-sided */
	double p_chisq;       /**< Pearson chi-square p, no continuity correction */
	double p_score;       /**< the test the interval inverts: see parity_test_score() */
	double mdr_low;       /**< largest ratio below 1 detectable (parity_ratio_mdr); NAN: none */
	double mdr_high;      /**< smallest ratio above 1 detectable; NAN: none */
	parity_band band;     /**< position against 0.80-1.25 */
	int excludes_one;     /**< 1 when the interval lies wholly above or below 1 */
	int low_count;        /**< 1 when the counts are too few for a conclusion */
	uint64_t low_count_min; /**< the threshold low_count was judged against */
} parity_ratio;

/**
 * Compute the ratio of x1/n1 to x2/n2 with the settings' interval method and
 * level, all three p-values, the band and the flags. `settings` may be NULL
 * for the defaults. Returns 0, or PARITY_EUSAGE (with a message naming the
 * bad argument) when x > n, a count exceeds PARITY_STATS_MAX_COUNT, or the
 * level is outside (0,1).
 *
 * Zero cells: x1 = 0 gives ratio 0 and ci_low 0; x2 = 0 gives ratio INFINITY
 * and ci_high INFINITY (Katz, which cannot bound the other side either,
 * then reports 0 to INFINITY). x1 = x2 = 0, n1 = 0 or n2 = 0 give
 * estimable = 0 with ratio 0, ci_low 0, ci_high INFINITY, band NONE and
 * excludes_one 0: test `estimable` before printing the ratio. The p-values
 * are always defined (1 for a table with an empty margin).
 */
int parity_ratio_compute(parity_ratio *out, uint64_t x1, uint64_t n1,
                         uint64_t x2, uint64_t n2,
                         const parity_stats_settings *settings);

/** The method's name as used on the command line: "koopman", "katz", ... */
const char *parity_ci_method_name(parity_ci_method method);

/** Parse a command-line method name; returns 0 or PARITY_EUSAGE. */
int parity_ci_method_parse(parity_ci_method *out, const char *name);

/** "below", "inside", "above" or "none". */
const char *parity_band_name(parity_band band);

/**
 * Write one plain sentence about `r` into `buf` (snprintf semantics; returns
 * what snprintf returns), e.g. "White shortlisted applicants were 1.61 times
 * as likely as BME shortlisted applicants to be appointed (95% CI 1.40 to
 * 1.85)." `group1`, `group2` and `outcome` supply the words ("White
 * shortlisted applicants", "BME shortlisted applicants", "to be appointed").
 * Zero, infinite and missing estimates and low-count results get their own
 * honest wording ("too few cases to draw a conclusion"); never "% more likely"
 * or "times more likely".
 * Details: the verb is "were" when group1's last word is plural
 * ("applicants", "staff", "people"), else "was"; NULL or empty words become
 * "Group 1", "group 2" and "to reach the outcome"; a result with no
 * estimate says why ("No ratio can be estimated ...") instead of carrying
 * the low-count warning; ratios print with 2 decimals (2 significant
 * digits below 0.1, whole numbers from 100).
 */
int parity_ratio_sentence(char *buf, size_t size, const parity_ratio *r,
                          const char *group1, const char *group2,
                          const char *outcome);

/*
 * ---- Building blocks ------------------------------------------------------
 * parity_ratio_compute() is made of these; call them directly when only one
 * part is needed.
 */

/** The largest count accepted (10^12: far more people than exist). */
#define PARITY_STATS_MAX_COUNT UINT64_C(1000000000000)

/** The two-sided normal quantile for `level` in (0,1): 1.959963984540054 for 0.95. */
double parity_stats_z(double level);

/** A ratio estimate with its interval from one method. */
typedef struct parity_interval {
	int estimable;  /**< 0: no estimate (x1 = x2 = 0 or an empty base) */
	double ratio;   /**< point estimate (adjusted log: its own estimate) */
	double low;     /**< lower limit, >= 0 */
	double high;    /**< upper limit, may be INFINITY */
} parity_interval;

/**
 * The ratio of x1/n1 to x2/n2 and its `level` interval by `method`.
 * Katz: ln R +/- z*sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2); with a zero count it
 * cannot bound the interval and gives 0 to INFINITY. Adjusted log: the same
 * with x+0.5 and n+0.5 in every term, the estimate included. Koopman and
 * Miettinen-Nurminen: score intervals found by Brent's method on ln(phi);
 * x1 = 0 gives a lower limit of 0, x2 = 0 an upper limit of INFINITY.
 * Not estimable (all methods): x1 = x2 = 0, n1 = 0 or n2 = 0; then ratio 0,
 * low 0, high INFINITY. Returns 0 or PARITY_EUSAGE (x > n, a count above
 * PARITY_STATS_MAX_COUNT, level outside (0,1), unknown method).
 */
int parity_ratio_interval(parity_interval *out, uint64_t x1, uint64_t n1,
                          uint64_t x2, uint64_t n2, parity_ci_method method,
                          double level);

/**
 * Where `ratio` lies against 0.80-1.25 (both ends inside); PARITY_BAND_NONE
 * when `estimable` is 0.
 */
parity_band parity_band_classify(double ratio, int estimable);

/**
 * The low-count rule, applied to each group's count as Public Health
 * England's guidance applies its cut-off to each numerator: 1 when x1 <
 * min_count or x2 < min_count (a rate resting on fewer than min_count people
 * who reached the outcome); otherwise 0. A group whose base is below
 * min_count has fewer cases still, so it is flagged too. n1 and n2 are kept
 * in the signature for callers. min_count 0 switches the rule off.
 */
int parity_ratio_low_count(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2,
                           uint64_t min_count);

/**
 * Fisher's exact test of the 2x2 table x1, n1-x1 / x2, n2-x2. Two-sided p as
 * R's fisher.test: the sum of the hypergeometric probabilities no larger
 * than the observed one times (1 + 1e-7). Mid-p as R epitools: twice the
 * smaller of P(X < x1) + P(X = x1)/2 and P(X > x1) + P(X = x1)/2. Sums
 * outward from the observed value and the mode and stops when terms fall
 * below 1e-20 of the running sum, so n up to 10^12 costs milliseconds.
 * Either output may be NULL. Returns 0 or PARITY_EUSAGE (x > n, too large).
 */
int parity_test_fisher(double *p_two_sided, double *p_midp, uint64_t x1,
                       uint64_t n1, uint64_t x2, uint64_t n2);

/**
 * Pearson's chi-square test of the same table without continuity
 * correction (1 df). A table with an empty margin (no one, or everyone,
 * reached the outcome; or an empty group) gives statistic 0 and p 1.
 * `statistic` may be NULL. Returns 0 or PARITY_EUSAGE.
 */
int parity_test_chisq(double *p, double *statistic, uint64_t x1, uint64_t n1,
                      uint64_t x2, uint64_t n2);

/**
 * The test whose inversion is the `method`'s interval, so that its p is
 * below 1 - level exactly when the level interval excludes 1:
 * - Koopman: the score statistic at phi = 1, which is Pearson's X^2 without
 *   continuity correction (the restricted proportions at phi = 1 are the
 *   pooled proportion);
 * - Miettinen-Nurminen: X^2 (N - 1) / N, N = n1 + n2;
 * - Katz: the Wald statistic (ln R / SE)^2 with SE^2 = 1/x1 - 1/n1 + 1/x2
 *   - 1/n2; p = 1 with a zero count (the interval is 0 to infinity);
 * - adjusted log: the same with x + 0.5 and n + 0.5 in every term.
 * All are chi-square with 1 df. A table with no estimate gives p = 1 and
 * statistic 0. `statistic` may be NULL. Returns 0 or PARITY_EUSAGE.
 */
int parity_test_score(double *p, double *statistic, uint64_t x1, uint64_t n1,
                      uint64_t x2, uint64_t n2, parity_ci_method method);

/** Power for parity_ratio_mdr() by default (80%), and its two-sided alpha (5%). */
#define PARITY_MDR_POWER 0.80
#define PARITY_MDR_ALPHA 0.05

/**
 * The minimum detectable ratio: the smallest ratio above 1 (`high`) and
 * the largest below 1 (`low`) that a two-sided test at `alpha` would detect
 * with probability `power`, for groups of n1 and n2 with the total number
 * who reached the outcome, x1 + x2 = m, held at what was observed.
 * For a ratio R the rates are p2 = m / (n1 R + n2) and p1 = R p2 (so the
 * pooled rate stays m / (n1 + n2) = p), and the power is that of the score
 * test at phi = 1 (Pearson's X^2, which the default Koopman interval
 * inverts) by the normal approximation without continuity correction
 * (Fleiss, Levin and Paik 2003, section 4.2):
 *   power = Phi((|p1 - p2| - z_{1-alpha/2} sqrt(p (1-p) (1/n1 + 1/n2)))
 *               / sqrt(p1 (1-p1)/n1 + p2 (1-p2)/n2)),
 * the far tail's rejections ignored. Each limit is the crossing nearest 1
 * within 1e-6 to 1e6 and the rates' range (p1, p2 <= 1); NAN when there is
 * none (no outcome at all, an empty group, or groups too small for any
 * such ratio). Either output may be NULL. Returns 0 or
 * PARITY_EUSAGE (x > n, too large, alpha or power outside (0,1)).
 */
int parity_ratio_mdr(double *low, double *high, uint64_t x1, uint64_t n1,
                     uint64_t x2, uint64_t n2, double alpha, double power);

/**
 * Multiple comparisons: Holm's step-down (Holm, Scand J Stat 1979;6:65)
 * and Benjamini-Hochberg's step-up false discovery rate (J R Stat Soc B
 * 1995;57:289) adjusted p-values for the `count` p-values in `p`, as R's
 * p.adjust. With the m p-values that are not NaN ranked p(1) <= ... <= p(m):
 * Holm p~(i) = max_{j<=i} min(1, (m-j+1) p(j)); BH p~(i) = min_{j>=i}
 * min(1, m p(j) / j). A NaN p is not in the family and stays NaN in both
 * outputs; `family` receives m. Any output may be NULL. Returns 0,
 * PARITY_EUSAGE (p NULL with count > 0, a p outside [0,1]) or
 * PARITY_ENOMEM.
 */
int parity_p_adjust(double *holm, double *bh, size_t *family, const double *p,
                    size_t count);

/** A ratio on the log scale with its standard error (delta method). */
typedef struct parity_log_ratio {
	int estimable;    /**< 0 when x1 = x2 = 0, n1 = 0 or n2 = 0 */
	int adjusted;     /**< 1 when a zero count forced the x+0.5 form */
	double log_ratio; /**< ln of the estimate */
	double se;        /**< standard error of log_ratio; 0 when x1 = n1 and x2 = n2 */
} parity_log_ratio;

/**
 * The log-scale rule used wherever a ratio must be combined with others
 * (homogeneity, change, funnel, Kline): the Katz log estimate and variance
 * 1/x1 - 1/n1 + 1/x2 - 1/n2 when x1 > 0 and x2 > 0; with one zero count, the
 * adjusted-log estimate and variance (x+0.5, n+0.5 in every term), marked
 * `adjusted`. Returns 0 or PARITY_EUSAGE.
 */
int parity_ratio_log_scale(parity_log_ratio *out, uint64_t x1, uint64_t n1,
                           uint64_t x2, uint64_t n2);

/*
 * ---- Pooling over strata: Mantel-Haenszel and homogeneity ------------------
 */

/** One stratum's (organisation's, year's, step's) counts. */
typedef struct parity_stratum {
	uint64_t x1, n1; /**< group 1: reached the outcome, base */
	uint64_t x2, n2; /**< group 2: reached the outcome, base */
} parity_stratum;

/** A Mantel-Haenszel pooled ratio with its homogeneity test. */
typedef struct parity_pooled {
	double level;           /**< confidence level used */
	size_t strata;          /**< strata given */
	size_t informative;     /**< strata with n1, n2 > 0 and x1 + x2 > 0 */
	int estimable;          /**< 0 when no stratum has a case in either group */
	double ratio;           /**< RLR_MH; 0 or INFINITY allowed */
	double ci_low;          /**< Greenland-Robins lower limit */
	double ci_high;         /**< Greenland-Robins upper limit; may be INFINITY */
	double log_se;          /**< SE of ln RLR_MH; INFINITY when ratio is 0 or INFINITY */
	double z;               /**< ln RLR_MH / log_se (0 when not finite) */
	double p;               /**< two-sided normal p for RLR_MH = 1 */
	parity_band band;       /**< position against 0.80-1.25 */
	int excludes_one;       /**< 1 when the interval lies wholly above or below 1 */
	int homogeneity_estimable; /**< 0 when fewer than 2 strata enter Q or RLR_MH is 0/inf */
	double q;               /**< Woolf-type Q (0 when not estimable) */
	unsigned int df;        /**< strata in Q minus 1 */
	double p_homogeneity;   /**< P(chi-square_df >= Q); 1 when not estimable */
	size_t q_strata;        /**< strata that entered Q */
	size_t q_adjusted;      /**< of those, strata with a zero count (x+0.5 form) */
} parity_pooled;

/**
 * Pool `count` strata: RLR_MH = sum(x1k n2k / Nk) / sum(x2k n1k / Nk),
 * Greenland-Robins variance of its log, the `level` interval, and the
 * Woolf-type homogeneity Q = sum wk (ln Rk - ln RLR_MH)^2 with wk =
 * 1/se_k^2 from parity_ratio_log_scale(): strata with one zero count enter
 * with their adjusted-log estimate and variance; strata with no estimate or
 * zero variance (x = n in both groups) are left out and df reduced.
 * If the numerator sum is 0 the ratio is 0 (interval 0 to INFINITY); if the
 * denominator sum is 0 it is INFINITY (interval 0 to INFINITY). Returns 0 or
 * PARITY_EUSAGE (NULL strata with count > 0, bad counts naming the stratum,
 * level outside (0,1)).
 */
int parity_pool_mh(parity_pooled *out, const parity_stratum *strata,
                   size_t count, double level);

/*
 * ---- Change between ratios (Altman & Bland, BMJ 2003;326:219) -------------
 */

/** A published ratio with its interval, for when the counts are unknown. */
typedef struct parity_ratio_ci {
	double ratio;   /**< the estimate, > 0 */
	double ci_low;  /**< lower limit, > 0 */
	double ci_high; /**< upper limit, finite */
	double level;   /**< the interval's level, e.g. 0.95 */
} parity_ratio_ci;

/** The ratio of two ratios, first / second. */
typedef struct parity_change {
	int estimable;    /**< 0 when either ratio has no finite log-scale estimate */
	double level;     /**< level of the interval below */
	double log_diff;  /**< d = ln R1 - ln R2 */
	double se;        /**< SE(d) = sqrt(SE1^2 + SE2^2) */
	double ratio;     /**< exp(d), the ratio of ratios */
	double ci_low;    /**< exp(d - z SE(d)) */
	double ci_high;   /**< exp(d + z SE(d)) */
	double z;         /**< d / SE(d); 0 when SE(d) = 0 and d = 0 */
	double p;         /**< two-sided normal p for no change */
} parity_change;

/**
 * Ratio of ratios from two published ratios with intervals: each SE is
 * (ln ci_high - ln ci_low) / (2 z) with z for that interval's own level.
 * A zero or infinite estimate or limit gives estimable = 0. Returns 0, or
 * PARITY_EUSAGE for a NaN, a negative value, limits that do not enclose the
 * estimate, or a level outside (0,1).
 */
int parity_change_from_ci(parity_change *out, const parity_ratio_ci *first,
                          const parity_ratio_ci *second, double level);

/**
 * Ratio of ratios from two computed ratios, using their counts and the
 * log-scale rule of parity_ratio_log_scale() (Katz SE; adjusted log for a
 * zero count), whatever interval method `first` and `second` used.
 * Returns 0 or PARITY_EUSAGE.
 */
int parity_change_from_ratios(parity_change *out, const parity_ratio *first,
                              const parity_ratio *second, double level);

/**
 * The smallest change a ratio of ratios with standard error change->se
 * could detect with probability `power` by a two-sided test at `alpha`:
 * high = exp((z_{1-alpha/2} + z_power) se), low = 1/high (the usual
 * minimum-detectable-effect rule for a normal estimate, e.g. Bloom, Eval
 * Rev 1995;19:547, taking the observed se as the se under the
 * alternative; the far tail's rejections ignored). 2.801585 se at 80% and
 * 5%. NAN for both when the change has no estimate or se is 0 or not
 * finite. Returns 0 or PARITY_EUSAGE (alpha or power outside (0,1)).
 */
int parity_change_mdr(double *low, double *high, const parity_change *change,
                      double alpha, double power);

/*
 * ---- Funnel plots (Spiegelhalter, Stat Med 2005;24:1185) ------------------
 * Each unit (organisation) is plotted as its ln ratio against its precision
 * 1/se^2; control limits are ln target +/- z sqrt(se^2 + tau2).
 */

/** Over-dispersion handling for funnel limits. */
typedef enum parity_funnel_adjust {
	PARITY_FUNNEL_PLAIN = 0, /**< no adjustment: tau2 = 0 */
	PARITY_FUNNEL_ADDITIVE   /**< additive random effects: tau2 from winsorised z */
} parity_funnel_adjust;

/** One unit on the funnel plot (output of parity_funnel_compute). */
typedef struct parity_funnel_point {
	int estimable;    /**< 0: no estimate or se = 0; not plotted, not used */
	double ratio;     /**< exp(log_ratio) */
	double log_ratio; /**< from parity_ratio_log_scale() */
	double se;        /**< its standard error */
	double z;         /**< (log_ratio - ln target) / sqrt(se^2 + tau2) */
	int outside95;    /**< -1 below the 95% limits, +1 above, 0 within */
	int outside998;   /**< the same for the 99.8% limits */
} parity_funnel_point;

/** The funnel's centre and over-dispersion. */
typedef struct parity_funnel {
	double target;        /**< the pooled value the limits surround */
	size_t units;         /**< estimable units used */
	double phi;           /**< winsorised (10%) mean of z^2 before adjustment */
	double p_overdispersion; /**< P(chi-square_{I-1} >= I phi) */
	double tau2;          /**< between-unit variance added; 0 when plain */
	parity_funnel_adjust adjust; /**< the adjustment asked for */
} parity_funnel;

/**
 * Place `count` units (their counts in `units`) around `target` (e.g. the
 * Mantel-Haenszel ratio; > 0 and finite). `points` is a caller array of
 * `count` entries, filled in order. With PARITY_FUNNEL_ADDITIVE, tau2 =
 * max(0, (I phi - (I - 1)) / (sum w - sum w^2 / sum w)), w = 1/se^2, where
 * phi is the mean of the squared z-scores winsorised at their 10th and 90th
 * percentiles. Returns 0 or PARITY_EUSAGE.
 */
int parity_funnel_compute(parity_funnel *out, parity_funnel_point *points,
                          const parity_stratum *units, size_t count,
                          double target, parity_funnel_adjust adjust);

/**
 * The control limits (ratio scale) at standard error `se` for a two-sided
 * `level` (0.95 and 0.998 for the usual pair): exp(ln target -/+ z
 * sqrt(se^2 + tau2)). For drawing the funnel's curves. Returns 0 or
 * PARITY_EUSAGE (se < 0, level outside (0,1)).
 */
int parity_funnel_limits(double *low, double *high, const parity_funnel *funnel,
                         double se, double level);

/**
 * How an organisation's funnel limits are drawn around the target theta
 * (Spiegelhalter 2005, appendix; Public Health England's funnel-plot tools):
 * - LOGNORMAL: exp(ln theta +/- z sqrt(se^2 + tau2)), se from the log-scale
 *   rule (the default; the only one that takes an over-dispersion tau2);
 * - EXACT: conditional binomial. Given the unit's m = x1 + x2 people who
 *   reached the outcome, under ratio theta x1 ~ Binomial(m, pi0), pi0 =
 *   theta n1 / (theta n1 + n2). Each limit is the binomial quantile r_p with
 *   Spiegelhalter's interpolation r_p - a, a = (F(r_p) - p) / (F(r_p) -
 *   F(r_p - 1)), as a ratio y n2 / ((m - y) n1);
 * - BYAR: Poisson by Byar's approximation. Group 1's expected count at
 *   group 2's rate times theta, E = theta n1 x2 / n2, is put in Byar's
 *   formulas as PHE's ratio funnels do: O_low = E (1 - 1/(9E) - z/(3 sqrt
 *   E))^3 (0 when negative), O_high = (E + 1) (1 - 1/(9(E + 1)) + z/(3
 *   sqrt(E + 1)))^3, and the limits on the ratio are theta O / E. Group 2's
 *   rate is treated as known, as in indirect standardisation.
 */
typedef enum parity_funnel_limits_method {
	PARITY_FUNNEL_LOGNORMAL = 0, /**< log-normal (default) */
	PARITY_FUNNEL_EXACT,         /**< conditional binomial, interpolated */
	PARITY_FUNNEL_BYAR           /**< Poisson by Byar's approximation */
} parity_funnel_limits_method;

/** "lognormal", "exact" or "byar". */
const char *parity_funnel_limits_name(parity_funnel_limits_method method);

/** Parse a limits name; 0 or PARITY_EUSAGE. */
int parity_funnel_limits_parse(parity_funnel_limits_method *out, const char *name);

/** One unit's limits at 95% and 99.8% and where it lies against them. */
typedef struct parity_funnel_bounds {
	int available;    /**< 0: no limits (no case in the unit; BYAR: x2 = 0) */
	double low95, high95;   /**< ratio scale; 0 and INFINITY allowed */
	double low998, high998; /**< the same at 99.8% */
	int outside95;    /**< -1 below, +1 above, 0 within the 95% limits */
	int outside998;   /**< the same for 99.8% */
} parity_funnel_bounds;

/**
 * The limits of `unit` on `funnel` (its target; its tau2 for LOGNORMAL
 * only) by `method`, and whether the unit's ratio x1 n2 / (n1 x2) lies
 * beyond them (LOGNORMAL: its log-scale estimate, as
 * parity_funnel_compute()). Returns 0 (out->available 0 when the method
 * has no limits for it) or PARITY_EUSAGE (bad counts, target, method).
 */
int parity_funnel_bounds_compute(parity_funnel_bounds *out, const parity_funnel *funnel,
                                 const parity_stratum *unit,
                                 parity_funnel_limits_method method);

/*
 * ---- Random effects across organisations ----------------------------------
 * Each unit's log ratio y_i and variance v_i follow the log-scale rule
 * (parity_ratio_log_scale); units with no estimate or v_i = 0 are left out.
 */

/** A random-effects summary of units' ratios. */
typedef struct parity_random_effects {
	double level;         /**< level of the interval and prediction interval */
	size_t units;         /**< units given */
	size_t used;          /**< units with an estimate and v_i > 0 (k) */
	int estimable;        /**< 0 when k < 2 */
	double q;             /**< Cochran's Q about the inverse-variance mean */
	double tau2;          /**< DerSimonian-Laird between-unit variance */
	double log_ratio;     /**< mu: sum w*_i y_i / sum w*_i, w*_i = 1/(v_i + tau2) */
	double ratio;         /**< exp(mu) */
	double se;            /**< Hartung-Knapp-Sidik-Jonkman standard error of mu */
	double ci_low;        /**< exp(mu - t_{k-1} se) */
	double ci_high;       /**< exp(mu + t_{k-1} se) */
	int prediction_estimable; /**< 0 when k < 3 */
	double pi_low;        /**< exp(mu - t_{k-2} sqrt(tau2 + 1/sum w*_i)) */
	double pi_high;       /**< exp(mu + t_{k-2} sqrt(tau2 + 1/sum w*_i)) */
} parity_random_effects;

/**
 * The random-effects summary of `count` units: DerSimonian-Laird tau2 =
 * max(0, (Q - (k - 1)) / (sum w - sum w^2 / sum w)), w_i = 1/v_i (Control
 * Clin Trials 1986;7:177); the mean mu with weights 1/(v_i + tau2); its
 * Hartung-Knapp-Sidik-Jonkman interval, se^2 = sum w*_i (y_i - mu)^2 /
 * ((k - 1) sum w*_i), with t on k - 1 df (no truncation of the variance
 * factor at 1); and the prediction interval for a new unit's ratio
 * (Higgins, Thompson and Spiegelhalter, J R Stat Soc A 2009;172:137), t on
 * k - 2 df. `shrunk`, when not NULL, is a caller array of `count` entries
 * that receives each unit's empirical-Bayes ratio exp(mu + B_i (y_i - mu)),
 * B_i = tau2 / (tau2 + v_i), pulled toward the mean by its imprecision
 * (NAN for a unit left out, or when not estimable). Returns 0 or
 * PARITY_EUSAGE (bad counts naming the unit, level outside (0,1)).
 */
int parity_pool_random(parity_random_effects *out, double *shrunk,
                       const parity_stratum *units, size_t count, double level);

/*
 * ---- Kline's compound ratio over successive steps -------------------------
 */

/** The product of step ratios along a career ladder. */
typedef struct parity_compound {
	int estimable;      /**< 0 when a step has no estimate */
	double level;       /**< level of the interval */
	size_t steps;       /**< steps multiplied */
	size_t adjusted_steps; /**< steps with a zero count (x+0.5 form) */
	double ratio;       /**< product of the step ratios */
	double ci_low;      /**< exp(sum ln Rk - z sqrt(sum se_k^2)) */
	double ci_high;     /**< exp(sum ln Rk + z sqrt(sum se_k^2)) */
	double log_se;      /**< sqrt(sum se_k^2) */
} parity_compound;

/**
 * Kline's compound ratio from step counts (each step: x of n in each group
 * moved up from that step). Each step's log ratio and SE follow
 * parity_ratio_log_scale(); the interval assumes the steps are independent
 * (different people, or successive decisions with independent sampling
 * error), so their log variances add. Returns 0 or PARITY_EUSAGE.
 */
int parity_compound_ratio(parity_compound *out, const parity_stratum *steps,
                          size_t count, double level);

/**
 * The same from published step ratios with intervals (SE from each interval
 * as in parity_change_from_ci()). Returns 0 or PARITY_EUSAGE.
 */
int parity_compound_from_ci(parity_compound *out, const parity_ratio_ci *steps,
                            size_t count, double level);

/*
 * ---- Adjusted ratio: modified Poisson regression (Zou, Am J Epidemiol
 * 2004;159:702) ------------------------------------------------------------
 */

/** The most categorical covariates one adjusted ratio takes. */
#define PARITY_ADJUST_MAX 8

/** One cell of the count cube: people sharing a group and covariate levels. */
typedef struct parity_adjust_cell {
	uint64_t x;          /**< how many reached the outcome */
	uint64_t n;          /**< the base (x <= n) */
	int group1;          /**< 1: group 1 (the numerator rate), 0: group 2 */
	uint32_t level[PARITY_ADJUST_MAX]; /**< each covariate's level; 0 = reference */
} parity_adjust_cell;

/** A ratio adjusted for covariates. */
typedef struct parity_adjusted {
	double level;        /**< confidence level used */
	int estimable;       /**< 0: no estimate (a group with no outcome, confounded
	                          covariates, no convergence) */
	int converged;       /**< 1 when Newton's method met its tolerance */
	unsigned iterations; /**< Newton steps taken */
	double ratio;        /**< exp(beta_group) */
	double log_se;       /**< robust (HC0 sandwich) SE of beta_group */
	double ci_low;       /**< exp(beta - z se) */
	double ci_high;      /**< exp(beta + z se) */
	double p;            /**< two-sided Wald p with the robust SE */
	size_t parameters;   /**< coefficients fitted (intercept, group, dummies) */
	size_t cells_used;   /**< cells with a base that entered the fit */
	size_t levels_dropped; /**< covariate levels left out: no one in them reached
	                            the outcome (their coefficient would be -infinity) */
	size_t aliased;      /**< dummies left out as aliased: determined by the others
	                          (a staff group only in one pay band), as R's glm */
} parity_adjusted;

/**
 * The ratio of group 1's rate to group 2's adjusted for `covariates`
 * categorical covariates, by log-link Poisson regression with the robust
 * (HC0 sandwich) variance: Zou's modified Poisson for a binary outcome,
 * fitted on cells rather than people. Each person i has y_i in {0,1} and
 * log E y_i = X_i beta, X_i = (1, group 1, a dummy for each non-reference
 * level of each covariate). Everyone in cell j shares X_j and mu_j =
 * exp(X_j beta), so the person-level sums reduce to cell totals:
 *   score   U = sum_i X_i (y_i - mu_i) = sum_j X_j (x_j - n_j mu_j)
 *   bread   A = sum_i mu_i X_i X_i' = sum_j n_j mu_j X_j X_j'
 *   meat    B = sum_i (y_i - mu_i)^2 X_i X_i'
 *             = sum_j [x_j (1 - mu_j)^2 + (n_j - x_j) mu_j^2] X_j X_j'
 * (x_j people with y = 1, n_j - x_j with y = 0), and V = A^-1 B A^-1.
 * beta solves U = 0 by Newton's method (A is the Hessian of the Poisson
 * log-likelihood, which is concave) with step halving, from the pooled
 * rate; at most 100 steps, converged when no coefficient moves by 1e-10.
 * With no covariates the fit is the crude ratio and V's group element is
 * 1/x1 - 1/n1 + 1/x2 - 1/n2, Katz's variance. `levels` gives each
 * covariate's level count (levels 0 .. levels[k]-1 in the cells). A
 * level in which no one reached the outcome is left out with its cells;
 * a dummy that the columns before it determine (collinear covariates) is
 * left out as aliased, found by a Cholesky factorisation of sum n_j X_j
 * X_j' that skips columns whose pivot falls below 1e-9 of their diagonal.
 * If the group column itself is aliased there is no estimate.
 * Returns 0 (out->estimable 0 when there is no estimate) or PARITY_EUSAGE
 * (x > n, too many covariates, a level out of range, level outside (0,1))
 * or PARITY_ENOMEM.
 */
int parity_ratio_adjusted(parity_adjusted *out, const parity_adjust_cell *cells,
                          size_t count, size_t covariates, const uint32_t *levels,
                          double level);

/* ---- survey figures: proportions and means by group ------------------------ */

/** An estimate with its interval. */
typedef struct parity_estimate {
	double value;  /**< a proportion (0-1), a difference, or a mean */
	double low;    /**< lower limit */
	double high;   /**< upper limit */
} parity_estimate;

/**
 * Wilson's score interval for the proportion x/n at `level`. Returns 0, or
 * PARITY_EUSAGE when n is 0, x > n or the level is outside (0,1).
 */
int parity_proportion_wilson(parity_estimate *out, uint64_t x, uint64_t n, double level);

/**
 * The difference of two independent proportions x1/n1 - x2/n2 with
 * Newcombe's hybrid score interval (Stat Med 1998;17:873, method 10): from
 * the Wilson limits l_i, u_i of each proportion,
 *   low  = d - sqrt((p1 - l1)^2 + (u2 - p2)^2),
 *   high = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * Returns 0 or PARITY_EUSAGE (a zero base, x > n, a bad level).
 */
int parity_difference_newcombe(parity_estimate *out, uint64_t x1, uint64_t n1,
                               uint64_t x2, uint64_t n2, double level);

/**
 * The t interval for a mean: mean +- t(n-1) * sd / sqrt(n). Returns 0 or
 * PARITY_EUSAGE (n < 2, a negative or non-finite sd, a bad level).
 */
int parity_mean_t(parity_estimate *out, double mean, double sd, uint64_t n, double level);

/**
 * The difference of two independent means mean1 - mean2 with Welch's t
 * interval: SE = sqrt(sd1^2/n1 + sd2^2/n2), degrees of freedom by
 * Welch-Satterthwaite, SE^4 / ((sd1^2/n1)^2/(n1-1) + (sd2^2/n2)^2/(n2-1)).
 * Returns 0 or PARITY_EUSAGE (n < 2, a negative or non-finite sd, a bad
 * level). Two zero standard deviations give a zero-width interval.
 */
int parity_difference_welch(parity_estimate *out, double mean1, double sd1, uint64_t n1,
                            double mean2, double sd2, uint64_t n2, double level);

/*
 * ---- Staggered difference-in-differences on the log relative likelihood
 * (Callaway & Sant'Anna, J Econometrics 2021;225:200) -----------------------
 * Organisations join a programme in different years; each group of
 * organisations that joined together is compared, year by year, against
 * the organisations not yet treated and never treated at that time, with
 * Mantel-Haenszel pooling over the organisations inside each comparison.
 */

/** Group value of an organisation that never joined. */
#define PARITY_DID_NEVER (-1)

/** The counts of a staggered roll-out, organisation by year. */
typedef struct parity_did_input {
	const parity_stratum *cells; /**< org_count * year_count, organisation-major;
	                                  n1 == 0 or n2 == 0: no data that year */
	size_t org_count;        /**< organisations */
	size_t year_count;       /**< consecutive periods (years), oldest first */
	const int *group;        /**< per organisation: its group, or PARITY_DID_NEVER */
	const int *group_year;   /**< per group: index of its first treated year */
	size_t group_count;      /**< groups */
	double level;            /**< confidence level, 0 < level < 1 */
} parity_did_input;

/** What a term of the event study summarises. */
typedef enum parity_did_kind {
	PARITY_DID_OVERALL = 0,  /**< every group's post-joining years */
	PARITY_DID_GROUP,        /**< one group's post-joining years */
	PARITY_DID_EVENT         /**< every group at one event time e = t - g */
} parity_did_kind;

/** One estimate: a weighted mean of group-time effects ATT(g,t). */
typedef struct parity_did_term {
	parity_did_kind kind;    /**< overall, group or event */
	int index;               /**< the group, or the event time e */
	int estimable;           /**< 0: no group-time effect could be estimated */
	size_t comparisons;      /**< group-time effects averaged */
	double log_estimate;     /**< on the log ratio scale */
	double se;               /**< its standard error (see `cluster`) */
	double ratio;            /**< exp(log_estimate): a ratio of ratios */
	double ci_low, ci_high;  /**< exp(log_estimate -+ z se) */
	double z, p;             /**< Wald z and two-sided normal p for no change */
	double mde_low, mde_high; /**< exp(-+(z_{1-a/2} + z_{0.80}) se): the smallest
	                               change detectable with 80% power */
	size_t organisations;    /**< distinct organisations whose counts enter */
	size_t treated;          /**< of those, organisations of the groups treated */
	parity_stratum counts;   /**< sums over the distinct organisation-years entering */
	uint64_t smallest;       /**< the smallest non-zero count of any organisation-year
	                              entering (x1, n1 - x1, x2, n2 - x2, n1, n2); 0: none */
	int cluster;             /**< 1: se from the organisation-cluster variance;
	                              0: from the binomial (delta-method) variance */
} parity_did_term;

/** An event study: its terms and the pre-trend test. */
typedef struct parity_did {
	parity_did_term *terms;  /**< owned: overall, each group, each event time */
	size_t term_count;       /**< entries in `terms` */
	double level;            /**< confidence level used */
	int pretrend_estimable;  /**< 0: no pre-joining event effect estimable */
	double pretrend_chi2;    /**< Wald statistic that every pre-joining effect is 0 */
	unsigned pretrend_df;    /**< pre-joining event effects tested */
	double pretrend_p;       /**< P(chi-square_df >= statistic) */
	unsigned char *used;     /**< owned: term_count x org_count x year_count,
	                              1 where the organisation-year's counts enter
	                              the term (what the disclosure gate checks) */
} parity_did;

/**
 * The event study of `in`: every group-time effect ATT(g,t), the change in
 * the Mantel-Haenszel log ratio of group g from its base year (g-1 after
 * joining; t-1 before it, the "varying base") less the same change in the
 * organisations not yet treated at t (and not joining in year g) and never
 * treated, each comparison over the organisations with data in both of its
 * years; aggregated to each group (mean over its years from g), overall
 * (groups weighted by their organisations) and each event time (groups
 * weighted by their organisations). Variance: for each term the larger of
 * the organisation-cluster (influence-function, G/(G-1)) and binomial
 * delta-method variances, both of which carry the covariance of
 * organisation-years used in several comparisons. The pre-trend test is a
 * Wald test over the estimable event times before 0. Returns 0 with *out
 * for parity_did_free(), PARITY_EUSAGE (bad counts, groups or level) or
 * PARITY_ENOMEM.
 */
int parity_did_compute(parity_did *out, const parity_did_input *in);

/** Free the terms of `did` (the struct itself is the caller's); NULL allowed. */
void parity_did_free(parity_did *did);

#ifdef __cplusplus
}
#endif
#endif
