/*
 * test_stats_pool.c: combining ratios: Mantel-Haenszel with Greenland-Robins
 * (DOMAIN.md's Doll & Hill strata), Woolf-type homogeneity, ratio of ratios
 * (Altman & Bland's example), funnel limits and Kline's compound ratio,
 * each against a reference or a hand calculation shown here.
 */
#include "harness.h"

#include "parity.h"

#include <math.h>
#include <string.h>

#define CHECK_REL(actual, expected, tol)                                      \
	do {                                                                  \
		double ra_ = (double)(actual), re_ = (double)(expected);      \
		if (!(fabs(ra_ - re_) <= (tol) * fabs(re_))) {                \
			fprintf(stderr, "%s:%d: CHECK_REL failed: %s = %.12g, "  \
			        "expected %.12g (rel tol %g)\n", __FILE__,        \
			        __LINE__, #actual, ra_, re_, (double)(tol));      \
			harness_failures++;                                   \
		}                                                             \
	} while (0)

#define TEN_DIGITS 5e-9

/* DOMAIN.md: 647/1269 vs 2/29 and 41/69 vs 19/51 (Doll & Hill 1950):
 * RLR_MH 2.475119104, 95% CI 1.583086662 - 3.869791038.
 * Q by hand (mpmath): stratum Katz log ratios 2.000510476 and 0.466852216
 * with variances 0.466274814 and 0.042921226 around ln 2.475119104 give Q =
 * 7.066884366835762 on 1 df, p = erfc(sqrt(Q/2)) = 0.007852168300016834. */
static void test_pool_mh_doll_hill_reference(void)
{
	const parity_stratum strata[] = {{647, 1269, 2, 29}, {41, 69, 19, 51}};
	parity_pooled p;
	CHECK(parity_pool_mh(&p, strata, 2, 0.95) == 0);
	CHECK(p.estimable && p.strata == 2 && p.informative == 2);
	CHECK_REL(p.ratio, 2.475119104, TEN_DIGITS);
	CHECK_REL(p.ci_low, 1.583086662, TEN_DIGITS);
	CHECK_REL(p.ci_high, 3.869791038, TEN_DIGITS);
	CHECK(p.excludes_one && p.band == PARITY_BAND_ABOVE);
	CHECK(p.homogeneity_estimable && p.df == 1 && p.q_strata == 2);
	CHECK_REL(p.q, 7.066884366835762, 1e-12);
	CHECK_REL(p.p_homogeneity, 0.007852168300016834, 1e-10);
	CHECK(p.p < 0.001 && p.z > 0.0);
}

/* One stratum: Greenland-Robins reduces to Katz's variance, so the
 * interval is DOMAIN.md's Katz reference for 27/39 vs 7/21. */
static void test_pool_mh_single_stratum_is_katz(void)
{
	const parity_stratum s = {27, 39, 7, 21};
	parity_pooled p;
	CHECK(parity_pool_mh(&p, &s, 1, 0.95) == 0);
	CHECK_REL(p.ratio, 2.076923077, TEN_DIGITS);
	CHECK_REL(p.ci_low, 1.095119684, TEN_DIGITS);
	CHECK_REL(p.ci_high, 3.938938849, TEN_DIGITS);
	CHECK(!p.homogeneity_estimable && p.df == 0 && p.p_homogeneity == 1.0);
}

/* A stratum with x1 = 0 enters Q with its adjusted-log estimate and
 * variance. Strata 10/100 vs 5/100, 0/50 vs 4/60, 20/80 vs 10/90, by hand
 * (mpmath): RLR_MH 1.727407407407407 (1.003821971698430 - 2.972575252678790);
 * Q = 3.634988687748987 on 2 df, p = exp(-Q/2) = 0.1624322407984350. */
static void test_pool_homogeneity_zero_cell_stratum(void)
{
	const parity_stratum strata[] = {
		{10, 100, 5, 100}, {0, 50, 4, 60}, {20, 80, 10, 90},
		{0, 40, 0, 30},    /* no cases: no estimate, left out of Q */
		{0, 0, 3, 10},     /* empty group: contributes nothing */
	};
	parity_pooled p;
	CHECK(parity_pool_mh(&p, strata, 5, 0.95) == 0);
	CHECK(p.strata == 5 && p.informative == 3);
	CHECK_REL(p.ratio, 1.727407407407407, 1e-12);
	CHECK_REL(p.ci_low, 1.003821971698430, 1e-12);
	CHECK_REL(p.ci_high, 2.972575252678790, 1e-12);
	CHECK(p.q_strata == 3 && p.q_adjusted == 1 && p.df == 2);
	CHECK_REL(p.q, 3.634988687748987, 1e-12);
	CHECK_REL(p.p_homogeneity, 0.1624322407984350, 1e-10);
}

/* Identical strata: Q = 0, p = 1. */
static void test_pool_homogeneity_identical_strata(void)
{
	const parity_stratum strata[] = {{10, 50, 5, 50}, {10, 50, 5, 50},
	                                 {10, 50, 5, 50}};
	parity_pooled p;
	CHECK(parity_pool_mh(&p, strata, 3, 0.95) == 0);
	CHECK_REL(p.ratio, 2.0, 1e-14);
	CHECK(fabs(p.q) < 1e-20 && p.df == 2);
	CHECK_REL(p.p_homogeneity, 1.0, 1e-12);
}

/* No cases anywhere: no estimate; none in group 1: ratio 0 with the
 * uninformative interval 0 to infinity (Greenland-Robins undefined). */
static void test_pool_zero_and_missing(void)
{
	parity_pooled p;
	const parity_stratum none[] = {{0, 10, 0, 20}, {0, 5, 0, 5}};
	CHECK(parity_pool_mh(&p, none, 2, 0.95) == 0);
	CHECK(!p.estimable && p.band == PARITY_BAND_NONE);
	CHECK(p.ci_low == 0.0 && isinf(p.ci_high) && !isnan(p.ratio));
	CHECK(!p.homogeneity_estimable && p.p_homogeneity == 1.0);

	const parity_stratum zero[] = {{0, 10, 3, 20}, {0, 5, 1, 5}};
	CHECK(parity_pool_mh(&p, zero, 2, 0.95) == 0);
	CHECK(p.estimable && p.ratio == 0.0 && p.ci_low == 0.0 && isinf(p.ci_high));
	CHECK(!p.homogeneity_estimable && p.p == 1.0 && !p.excludes_one);

	const parity_stratum inf[] = {{2, 10, 0, 20}, {1, 5, 0, 5}};
	CHECK(parity_pool_mh(&p, inf, 2, 0.95) == 0);
	CHECK(p.estimable && isinf(p.ratio) && p.band == PARITY_BAND_ABOVE);

	CHECK(parity_pool_mh(&p, NULL, 0, 0.95) == 0);
	CHECK(!p.estimable && p.strata == 0);
}

static void test_pool_invalid(void)
{
	const parity_stratum bad[] = {{1, 10, 1, 10}, {11, 10, 1, 10}};
	parity_pooled p;
	CHECK(parity_pool_mh(&p, bad, 2, 0.95) == PARITY_EUSAGE);
	CHECK(strstr(parity_error_last(), "stratum 2: x1 (11) is larger than n1 (10)")
	      != NULL);
	CHECK(parity_pool_mh(&p, bad, 1, 1.5) == PARITY_EUSAGE);
	CHECK(parity_pool_mh(&p, NULL, 3, 0.95) == PARITY_EUSAGE);
}

/* DOMAIN.md (Altman & Bland): 0.67 (0.46-0.98) against 0.88 (0.71-1.08):
 * d = -0.2726, SE(d) = 0.2206, z = -1.24, ratio of ratios 0.76 (0.49-1.17). */
static void test_change_altman_bland_reference(void)
{
	const parity_ratio_ci a = {0.67, 0.46, 0.98, 0.95};
	const parity_ratio_ci b = {0.88, 0.71, 1.08, 0.95};
	parity_change c;
	CHECK(parity_change_from_ci(&c, &a, &b, 0.95) == 0);
	CHECK(c.estimable);
	CHECK(fabs(c.log_diff - -0.2726) <= 0.00005);
	CHECK(fabs(c.se - 0.2206) <= 0.00005);
	CHECK(fabs(c.z - -1.24) <= 0.005);
	CHECK(fabs(c.ratio - 0.76) <= 0.005);
	CHECK(fabs(c.ci_low - 0.49) <= 0.005);
	CHECK(fabs(c.ci_high - 1.17) <= 0.005);
	CHECK(c.p > 0.05 && c.p < 1.0);

	const parity_ratio_ci open = {0.0, 0.0, 0.9, 0.95};
	CHECK(parity_change_from_ci(&c, &open, &b, 0.95) == 0);
	CHECK(!c.estimable && !isnan(c.ratio));
	const parity_ratio_ci inside_out = {1.2, 1.3, 1.5, 0.95};
	CHECK(parity_change_from_ci(&c, &inside_out, &b, 0.95) == PARITY_EUSAGE);
	CHECK(strstr(parity_error_last(), "first ratio") != NULL);
}

/* From counts: 27/39 vs 7/21 against 10/75 vs 12/225, Katz SEs, by hand
 * (mpmath): 0.8307692307692308 (0.2988087041227362 - 2.309763756110022),
 * z = -0.3553705766533376, p = 0.7223119886136969. */
static void test_change_from_ratios(void)
{
	parity_ratio a, b;
	parity_change c;
	CHECK(parity_ratio_compute(&a, 27, 39, 7, 21, NULL) == 0);
	CHECK(parity_ratio_compute(&b, 10, 75, 12, 225, NULL) == 0);
	CHECK(parity_change_from_ratios(&c, &a, &b, 0.95) == 0);
	CHECK(c.estimable);
	CHECK_REL(c.ratio, 0.8307692307692308, 1e-12);
	CHECK_REL(c.ci_low, 0.2988087041227362, 1e-12);
	CHECK_REL(c.ci_high, 2.309763756110022, 1e-12);
	CHECK_REL(c.z, -0.3553705766533376, 1e-12);
	CHECK_REL(c.p, 0.7223119886136969, 1e-10);

	CHECK(parity_ratio_compute(&b, 0, 75, 0, 225, NULL) == 0);
	CHECK(parity_change_from_ratios(&c, &a, &b, 0.95) == 0);
	CHECK(!c.estimable && c.p == 1.0);
}

/*
 * Ten units around target 1.5, by hand (mpmath, the formulas in stats.h):
 * Katz z-scores 0, -0.88298, 2.78389, -1.11041, 1.82190, -1.40278,
 * 2.25767, -0.99032, 0.95733, 1.11598; winsorised at the type-7
 * 10th/90th percentiles, phi = 2.020795022782623; I phi = 20.21 on 9 df
 * gives p = 0.01667155090137953; tau2 = 0.1039320852441495. Adjusted z of
 * unit 3: 1.98881171986. Limits at se 0.2: plain 95% 1.013563471705569 -
 * 2.219890576969812; additive 99.8% 0.4644417935280118 - 4.844525258824056.
 */
static const parity_stratum funnel_units[] = {
	{30, 100, 20, 100}, {5, 40, 8, 60},   {50, 200, 10, 150},
	{12, 60, 12, 60},   {80, 300, 40, 310}, {3, 25, 6, 30},
	{25, 90, 9, 110},   {40, 120, 35, 130}, {7, 50, 2, 45},
	{60, 400, 30, 380},
};

static void test_funnel_plain(void)
{
	parity_funnel f;
	parity_funnel_point pts[10];
	CHECK(parity_funnel_compute(&f, pts, funnel_units, 10, 1.5,
	                            PARITY_FUNNEL_PLAIN) == 0);
	CHECK(f.units == 10 && f.tau2 == 0.0);
	CHECK_REL(f.phi, 2.020795022782623, 1e-12);
	CHECK_REL(f.p_overdispersion, 0.01667155090137953, 1e-9);
	CHECK(fabs(pts[0].z) < 1e-12);
	CHECK_REL(pts[2].z, 2.78389108759, 1e-10);
	CHECK(pts[2].outside95 == 1 && pts[2].outside998 == 0);
	CHECK(pts[4].outside95 == 0 && pts[6].outside95 == 1);
	CHECK(pts[5].outside95 == 0);
	double lo, hi;
	CHECK(parity_funnel_limits(&lo, &hi, &f, 0.2, 0.95) == 0);
	CHECK_REL(lo, 1.013563471705569, 1e-12);
	CHECK_REL(hi, 2.219890576969812, 1e-12);
}

static void test_funnel_additive(void)
{
	parity_funnel f;
	parity_funnel_point pts[10];
	CHECK(parity_funnel_compute(&f, pts, funnel_units, 10, 1.5,
	                            PARITY_FUNNEL_ADDITIVE) == 0);
	CHECK_REL(f.tau2, 0.1039320852441495, 1e-10);
	CHECK_REL(pts[2].z, 1.98881171986, 1e-9);
	CHECK(pts[2].outside95 == 1);
	CHECK(pts[6].outside95 == 0);
	double lo, hi;
	CHECK(parity_funnel_limits(&lo, &hi, &f, 0.2, 0.998) == 0);
	CHECK_REL(lo, 0.4644417935280118, 1e-10);
	CHECK_REL(hi, 4.844525258824056, 1e-10);
}

/* Units with no estimate are skipped, not fatal; a bad target is. */
static void test_funnel_edges(void)
{
	const parity_stratum units[] = {{0, 10, 0, 10}, {5, 5, 5, 5}, {3, 10, 2, 10}};
	parity_funnel f;
	parity_funnel_point pts[3];
	CHECK(parity_funnel_compute(&f, pts, units, 3, 1.0, PARITY_FUNNEL_ADDITIVE) == 0);
	CHECK(f.units == 1 && !pts[0].estimable && !pts[1].estimable);
	CHECK(pts[2].estimable && f.tau2 == 0.0 && f.p_overdispersion == 1.0);
	CHECK(parity_funnel_compute(&f, pts, units, 3, 0.0, PARITY_FUNNEL_PLAIN) ==
	      PARITY_EUSAGE);
	CHECK(parity_funnel_compute(&f, pts, units, 3, INFINITY, PARITY_FUNNEL_PLAIN) ==
	      PARITY_EUSAGE);
	double lo, hi;
	f.target = 1.0;
	CHECK(parity_funnel_limits(&lo, &hi, &f, -1.0, 0.95) == PARITY_EUSAGE);
}

/* Steps 27/39 vs 7/21, 10/75 vs 12/225 (Katz) and 0/20 vs 3/30 (adjusted
 * log), by hand (mpmath): 1.103591530420799 (0.05050393988551157 -
 * 24.11523276753132). From intervals: three steps of 1.2 (1.0-1.44) give
 * 1.728 (1.260079067148425 - 2.369679869976191). */
static void test_compound_kline(void)
{
	const parity_stratum steps[] = {{27, 39, 7, 21}, {10, 75, 12, 225},
	                                {0, 20, 3, 30}};
	parity_compound c;
	CHECK(parity_compound_ratio(&c, steps, 3, 0.95) == 0);
	CHECK(c.estimable && c.steps == 3 && c.adjusted_steps == 1);
	CHECK_REL(c.ratio, 1.103591530420799, 1e-12);
	CHECK_REL(c.ci_low, 0.05050393988551157, 1e-12);
	CHECK_REL(c.ci_high, 24.11523276753132, 1e-12);

	const parity_ratio_ci ci[] = {{1.2, 1.0, 1.44, 0.95}, {1.2, 1.0, 1.44, 0.95},
	                              {1.2, 1.0, 1.44, 0.95}};
	CHECK(parity_compound_from_ci(&c, ci, 3, 0.95) == 0);
	CHECK_REL(c.ratio, 1.728, 1e-14);
	CHECK_REL(c.ci_low, 1.260079067148425, 1e-12);
	CHECK_REL(c.ci_high, 2.369679869976191, 1e-12);

	const parity_stratum dead[] = {{27, 39, 7, 21}, {0, 10, 0, 10}};
	CHECK(parity_compound_ratio(&c, dead, 2, 0.95) == 0);
	CHECK(!c.estimable && !isnan(c.ratio));
	CHECK(parity_compound_ratio(&c, steps, 0, 0.95) == PARITY_EUSAGE);
}

/* Exact and Byar funnel limits against tests/engine/ref_funnel.py (exact
 * binomial sums in fractions; Byar's formulas in floating point):
 *   12/100 vs 30/400 around 1.5: exact 95% 0.5987195880523947 -
 *   2.6760974915970466, 99.8% 0.28961929825541577 - 3.8020029954291945;
 *   Byar (E = 11.25) 95% 0.7546591315418949 - 2.667229630908335, 99.8%
 *   0.47794674244885016 - 3.467568394421614; ratio 1.6 inside both.
 *   30/100 vs 30/400 (ratio 4.0): exact 99.8% 0.44592421249788905 -
 *   3.2818424644656727, above; Byar the same E, so the same limits, above.
 *   2/50 vs 9/60 around 1 (ratio 0.2667): Byar 95% lower 0.41620689349015855
 *   (below), 99.8% lower 0.2259267138208169 (within); exact 95%
 *   0.15364724118055612 - 2.944735650467222 (within); exact 99.8% lower
 *   interpolates to a count below 0 (-0.0229 as a ratio) and is 0. */
static void test_funnel_exact_and_byar(void)
{
	parity_funnel f;
	memset(&f, 0, sizeof f);
	f.target = 1.5;
	parity_funnel_bounds b;
	const parity_stratum a = {12, 100, 30, 400}, high = {30, 100, 30, 400};
	CHECK(parity_funnel_bounds_compute(&b, &f, &a, PARITY_FUNNEL_EXACT) == 0);
	CHECK(b.available && b.outside95 == 0 && b.outside998 == 0);
	CHECK_REL(b.low95, 0.5987195880523947, 1e-9);
	CHECK_REL(b.high95, 2.6760974915970466, 1e-9);
	CHECK_REL(b.low998, 0.28961929825541577, 1e-9);
	CHECK_REL(b.high998, 3.8020029954291945, 1e-9);
	CHECK(parity_funnel_bounds_compute(&b, &f, &a, PARITY_FUNNEL_BYAR) == 0);
	CHECK(b.available && b.outside95 == 0 && b.outside998 == 0);
	CHECK_REL(b.low95, 0.7546591315418949, 1e-12);
	CHECK_REL(b.high95, 2.667229630908335, 1e-12);
	CHECK_REL(b.low998, 0.47794674244885016, 1e-12);
	CHECK_REL(b.high998, 3.467568394421614, 1e-12);
	CHECK(parity_funnel_bounds_compute(&b, &f, &high, PARITY_FUNNEL_EXACT) == 0);
	CHECK_REL(b.high998, 3.2818424644656727, 1e-9);
	CHECK_REL(b.low998, 0.44592421249788905, 1e-9);
	CHECK(b.outside95 == 1 && b.outside998 == 1);
	CHECK(parity_funnel_bounds_compute(&b, &f, &high, PARITY_FUNNEL_BYAR) == 0);
	CHECK(b.outside95 == 1 && b.outside998 == 1);

	f.target = 1.0;
	const parity_stratum low = {2, 50, 9, 60};
	CHECK(parity_funnel_bounds_compute(&b, &f, &low, PARITY_FUNNEL_BYAR) == 0);
	CHECK_REL(b.low95, 0.41620689349015855, 1e-12);
	CHECK_REL(b.low998, 0.2259267138208169, 1e-12);
	CHECK(b.outside95 == -1 && b.outside998 == 0);
	CHECK(parity_funnel_bounds_compute(&b, &f, &low, PARITY_FUNNEL_EXACT) == 0);
	CHECK_REL(b.low95, 0.15364724118055612, 1e-9);
	CHECK_REL(b.high95, 2.944735650467222, 1e-9);
	CHECK(b.low998 == 0.0 && b.outside95 == 0 && b.outside998 == 0);

	/* Log-normal: the same limits as parity_funnel_limits at the unit's SE. */
	double lo = 0, hi = 0;
	parity_log_ratio l;
	CHECK(parity_ratio_log_scale(&l, 12, 100, 30, 400) == 0);
	f.target = 1.5;
	CHECK(parity_funnel_limits(&lo, &hi, &f, l.se, 0.95) == 0);
	CHECK(parity_funnel_bounds_compute(&b, &f, &a, PARITY_FUNNEL_LOGNORMAL) == 0);
	CHECK(b.available && b.low95 == lo && b.high95 == hi);

	/* No limits: no case in the unit (exact), no group 2 case (Byar). */
	const parity_stratum empty = {0, 10, 0, 10}, none2 = {3, 10, 0, 10};
	CHECK(parity_funnel_bounds_compute(&b, &f, &empty, PARITY_FUNNEL_EXACT) == 0);
	CHECK(!b.available && isnan(b.low95));
	CHECK(parity_funnel_bounds_compute(&b, &f, &none2, PARITY_FUNNEL_BYAR) == 0);
	CHECK(!b.available);
	parity_funnel_limits_method m;
	CHECK(parity_funnel_limits_parse(&m, "byar") == 0 && m == PARITY_FUNNEL_BYAR);
	CHECK(parity_funnel_limits_parse(&m, "poisson") == PARITY_EUSAGE);
	CHECK_STR(parity_funnel_limits_name(PARITY_FUNNEL_EXACT), "exact");
}

/* The BCG vaccine trials (metafor's dat.bcg: tpos/tpos+tneg against
 * cpos/cpos+cneg, log relative risks). Published: DerSimonian-Laird tau^2 =
 * 0.3088 and estimate -0.7141 (metafor's rma(method = "DL") documentation),
 * Q = 152.2330 on 12 df. The rest from tests/engine/ref_random.py (the
 * papers' formulas in python, t quantiles from its own incomplete beta):
 *   tau2 0.30876026286237646, Q 152.2330080823734, mu -0.7141172220732271,
 *   HKSJ 95% CI 0.3302777360257452 - 0.7258491341315646 (ratio
 *   0.489624150463619), prediction 0.13549256706821694 -
 *   1.7693354986515386, shrunk trial 1 0.4496027008527813, trial 8
 *   1.0027582372327126, trial 13 0.8622660969957657. */
static void test_random_effects_bcg(void)
{
	const parity_stratum bcg[] = {
		{4, 123, 11, 139}, {6, 306, 29, 303}, {3, 231, 11, 220},
		{62, 13598, 248, 12867}, {33, 5069, 47, 5808}, {180, 1541, 372, 1451},
		{8, 2545, 10, 629}, {505, 88391, 499, 88391}, {29, 7499, 45, 7277},
		{17, 1716, 65, 1665}, {186, 50634, 141, 27338}, {5, 2498, 3, 2341},
		{27, 16913, 29, 17854}, {0, 0, 0, 0} /* no estimate: left out */};
	parity_random_effects re;
	double shrunk[14];
	CHECK(parity_pool_random(&re, shrunk, bcg, 14, 0.95) == 0);
	CHECK(re.estimable && re.prediction_estimable && re.units == 14 && re.used == 13);
	CHECK(fabs(re.tau2 - 0.3088) < 5e-5);
	CHECK(fabs(re.log_ratio - -0.7141) < 5e-5);
	CHECK(fabs(re.q - 152.2330) < 5e-5);
	CHECK_REL(re.tau2, 0.30876026286237646, 1e-10);
	CHECK_REL(re.log_ratio, -0.7141172220732271, 1e-10);
	CHECK_REL(re.ratio, 0.489624150463619, 1e-10);
	CHECK_REL(re.ci_low, 0.3302777360257452, 1e-9);
	CHECK_REL(re.ci_high, 0.7258491341315646, 1e-9);
	CHECK_REL(re.pi_low, 0.13549256706821694, 1e-9);
	CHECK_REL(re.pi_high, 1.7693354986515386, 1e-9);
	CHECK_REL(shrunk[0], 0.4496027008527813, 1e-10);
	CHECK_REL(shrunk[7], 1.0027582372327126, 1e-10);
	CHECK_REL(shrunk[12], 0.8622660969957657, 1e-10);
	CHECK(isnan(shrunk[13]));

	/* Two units: an interval, no prediction interval (t on 0 df). */
	CHECK(parity_pool_random(&re, NULL, bcg, 2, 0.95) == 0);
	CHECK(re.estimable && !re.prediction_estimable);
	/* One unit: nothing to pool. */
	CHECK(parity_pool_random(&re, shrunk, bcg, 1, 0.95) == 0);
	CHECK(!re.estimable && isnan(shrunk[0]));
	const parity_stratum bad = {5, 4, 1, 10};
	CHECK(parity_pool_random(&re, NULL, &bad, 1, 0.95) == PARITY_EUSAGE);
}

/* Minimum detectable change on DOMAIN.md's Altman & Bland example: SE(d)
 * from the two intervals = 0.2206295047059712 (python, math and
 * statistics.NormalDist), z_0.975 + z_0.80 = 2.801585218112968, so only a
 * ratio of ratios below 0.538960842538447 or above 1.8554223629496136
 * would be detected with 80% power at 5% two-sided. */
static void test_change_minimum_detectable(void)
{
	const parity_ratio_ci a = {0.67, 0.46, 0.98, 0.95}, b = {0.88, 0.71, 1.08, 0.95};
	parity_change ch;
	double low = 0, high = 0;
	CHECK(parity_change_from_ci(&ch, &a, &b, 0.95) == 0);
	CHECK(parity_change_mdr(&low, &high, &ch, 0.05, 0.80) == 0);
	CHECK_REL(low, 0.538960842538447, 1e-12);
	CHECK_REL(high, 1.8554223629496136, 1e-12);
	ch.estimable = 0;
	CHECK(parity_change_mdr(&low, &high, &ch, 0.05, 0.80) == 0);
	CHECK(isnan(low) && isnan(high));
	CHECK(parity_change_mdr(&low, &high, &ch, 0.05, 1.0) == PARITY_EUSAGE);
}

int main(void)
{
	parity_init();
	RUN(test_pool_mh_doll_hill_reference);
	RUN(test_pool_mh_single_stratum_is_katz);
	RUN(test_pool_homogeneity_zero_cell_stratum);
	RUN(test_pool_homogeneity_identical_strata);
	RUN(test_pool_zero_and_missing);
	RUN(test_pool_invalid);
	RUN(test_change_altman_bland_reference);
	RUN(test_change_from_ratios);
	RUN(test_funnel_plain);
	RUN(test_funnel_additive);
	RUN(test_funnel_edges);
	RUN(test_funnel_exact_and_byar);
	RUN(test_random_effects_bcg);
	RUN(test_change_minimum_detectable);
	RUN(test_compound_kline);
	return HARNESS_REPORT();
}
