/*
 * test_stats.c: one ratio: the reference intervals of DOMAIN.md section 5
 * by each method, the zero-cell rules, Fisher / mid-p / chi-square against
 * independent values, the band, the low-count rule and the sentence.
 */
#include "harness.h"

#include "parity.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

/* |actual - expected| <= tol * |expected| (relative, for any magnitude). */
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

/* Values given to 10 significant digits: half a unit in the last place. */
#define TEN_DIGITS 5e-9

static parity_interval interval(uint64_t x1, uint64_t n1, uint64_t x2,
                                uint64_t n2, parity_ci_method method)
{
	parity_interval out;
	int rc = parity_ratio_interval(&out, x1, n1, x2, n2, method, 0.95);
	CHECK(rc == 0);
	return out;
}

static void test_z_for_95_percent(void)
{
	CHECK_REL(parity_stats_z(0.95), 1.959963984540054, 1e-15);
	/* 0.998: 3.090232306167813 (sqrt(2) erfinv(0.998), mpmath) */
	CHECK_REL(parity_stats_z(0.998), 3.090232306167813, 1e-14);
}

/* DOMAIN.md section 5, Katz rows. */
static void test_ratio_katz_reference(void)
{
	parity_interval r = interval(10, 75, 12, 225, PARITY_CI_KATZ);
	CHECK(r.estimable);
	CHECK_REL(r.ratio, 2.5, 1e-15);
	CHECK_REL(r.low, 1.126156400, TEN_DIGITS);
	CHECK_REL(r.high, 5.549850801, TEN_DIGITS);

	r = interval(27, 122, 44, 487, PARITY_CI_KATZ);
	CHECK_REL(r.ratio, 2.449515648, TEN_DIGITS);
	CHECK_REL(r.low, 1.583699093, TEN_DIGITS);
	CHECK_REL(r.high, 3.788678632, TEN_DIGITS);

	r = interval(27, 39, 7, 21, PARITY_CI_KATZ);
	CHECK_REL(r.ratio, 2.076923077, TEN_DIGITS);
	CHECK_REL(r.low, 1.095119684, TEN_DIGITS);
	CHECK_REL(r.high, 3.938938849, TEN_DIGITS);

	r = interval(7, 34, 1, 34, PARITY_CI_KATZ);
	CHECK_REL(r.ratio, 7.0, 1e-15);
	CHECK_REL(r.low, 0.909605512, TEN_DIGITS);
	CHECK_REL(r.high, 53.86950646, TEN_DIGITS);
}

/* DOMAIN.md: adjusted log (x+0.5, n+0.5 everywhere, estimate included). */
static void test_ratio_adjusted_log_reference(void)
{
	parity_interval r = interval(7, 34, 1, 34, PARITY_CI_ADJUSTED_LOG);
	CHECK_REL(r.ratio, 5.0, 1e-15);
	CHECK_REL(r.low, 0.924135375, TEN_DIGITS);
	CHECK_REL(r.high, 27.05231363, TEN_DIGITS);
}

/* DOMAIN.md: Koopman and Miettinen-Nurminen rows. */
static void test_ratio_koopman_reference(void)
{
	parity_interval r = interval(7, 34, 1, 34, PARITY_CI_KOOPMAN);
	CHECK_REL(r.ratio, 7.0, 1e-15);
	CHECK_REL(r.low, 1.220852854, TEN_DIGITS);
	CHECK_REL(r.high, 42.57571761, TEN_DIGITS);

	r = interval(36, 40, 16, 80, PARITY_CI_KOOPMAN);
	CHECK_REL(r.ratio, 4.5, 1e-15);
	CHECK_REL(r.low, 2.939569192, TEN_DIGITS);
	CHECK_REL(r.high, 7.152223435, TEN_DIGITS);

	r = interval(7, 34, 1, 34, PARITY_CI_MN);
	CHECK_REL(r.ratio, 7.0, 1e-15);
	CHECK_REL(r.low, 1.208567975, TEN_DIGITS);
	CHECK_REL(r.high, 43.03297224, TEN_DIGITS);
}

/* DOMAIN.md: 0/16 vs 15/72 gives 0 (0 - 0.961902051); 3/4 vs 0/2 gives
 * infinity (0.8257 - infinity). */
static void test_ratio_koopman_zero_reference(void)
{
	parity_interval r = interval(0, 16, 15, 72, PARITY_CI_KOOPMAN);
	CHECK(r.estimable);
	CHECK(r.ratio == 0.0);
	CHECK(r.low == 0.0);
	CHECK_REL(r.high, 0.961902051, TEN_DIGITS);

	r = interval(3, 4, 0, 2, PARITY_CI_KOOPMAN);
	CHECK(r.estimable);
	CHECK(isinf(r.ratio) && r.ratio > 0);
	CHECK_NEAR(r.low, 0.8257, 1e-4);
	CHECK(isinf(r.high));
}

/* Zero cells by every method: estimates 0 / infinity with the documented
 * limits; both zero or an empty base: no estimate, never NaN. */
static void test_ratio_zero_cells_every_method(void)
{
	const parity_ci_method methods[] = {PARITY_CI_KOOPMAN, PARITY_CI_KATZ,
	                                    PARITY_CI_ADJUSTED_LOG, PARITY_CI_MN};
	for (size_t i = 0; i < 4; i++) {
		parity_ci_method m = methods[i];
		int adjusted = m == PARITY_CI_ADJUSTED_LOG;

		parity_interval r = interval(0, 20, 5, 20, m);
		CHECK(r.estimable);
		CHECK(!isnan(r.ratio) && !isnan(r.low) && !isnan(r.high));
		if (!adjusted) {
			CHECK(r.ratio == 0.0 && r.low == 0.0);
		} else {
			/* (0.5/20.5)/(5.5/20.5) = 1/11 */
			CHECK_REL(r.ratio, 1.0 / 11.0, 1e-14);
		}
		if (m == PARITY_CI_KATZ)
			CHECK(isinf(r.high));
		else
			CHECK(isfinite(r.high) && r.high > 0.0);

		r = interval(5, 20, 0, 20, m);
		CHECK(r.estimable);
		if (!adjusted) {
			CHECK(isinf(r.ratio) && isinf(r.high));
		} else {
			CHECK_REL(r.ratio, 11.0, 1e-14);
		}
		if (m == PARITY_CI_KATZ)
			CHECK(r.low == 0.0);
		else
			CHECK(r.low > 0.0 && isfinite(r.low));

		const uint64_t none[][4] = {{0, 20, 0, 30}, {0, 0, 3, 9},
		                            {2, 9, 0, 0}, {0, 0, 0, 0}};
		for (size_t k = 0; k < 4; k++) {
			r = interval(none[k][0], none[k][1], none[k][2], none[k][3], m);
			CHECK(!r.estimable);
			CHECK(r.ratio == 0.0 && r.low == 0.0 && isinf(r.high));
		}
	}
}

/* x = n in both groups: the ratio is exactly 1; Katz has zero variance,
 * score intervals are proper and contain 1. */
static void test_ratio_everyone_reached(void)
{
	parity_interval r = interval(20, 20, 30, 30, PARITY_CI_KATZ);
	CHECK(r.ratio == 1.0 && r.low == 1.0 && r.high == 1.0);
	r = interval(20, 20, 30, 30, PARITY_CI_KOOPMAN);
	CHECK(r.ratio == 1.0 && r.low < 1.0 && r.high > 1.0);
	r = interval(20, 20, 30, 30, PARITY_CI_MN);
	CHECK(r.low < 1.0 && r.high > 1.0 && isfinite(r.high));
}

/* Regression: x = n in a group once lost digits in 1 - p~ (upper limits
 * of 1/1 vs 57497/57497 were off in the 7th digit, and swapping the groups
 * did not invert the interval). Reference: the textbook T(phi) evaluated in
 * mpmath at 60 digits and solved by bisection. */
static void test_ratio_koopman_x_equals_n(void)
{
	parity_interval r;
	CHECK(parity_ratio_interval(&r, 1, 1, 57497, 57497, PARITY_CI_KOOPMAN,
	                            0.90) == 0);
	CHECK_REL(r.low, 0.269865948784054, 1e-12);
	CHECK_REL(r.high, 1.0000470553847, 1e-12);
	CHECK(parity_ratio_interval(&r, 1000000000, 1000000000, 1000000000,
	                            1000000000, PARITY_CI_KOOPMAN, 0.99) == 0);
	CHECK_REL(r.low, 0.999999993365103, 1e-12);
	CHECK_REL(r.high, 1.0000000066349, 1e-12);
}

/* Counts near 10^9 give finite, ordered results. 10^9/2 of 10^9 against
 * 10^9/4 of 10^9: ratio 2, and the Katz SE is sqrt(1/5e8 - 1e-9 + 1/2.5e8
 * - 1e-9) = sqrt(4e-9), so the interval is 2 exp(+/-1.959964 * 6.3246e-5)
 * = 1.99975211 to 2.00024792 (hand calculation). */
static void test_ratio_huge_counts(void)
{
	parity_interval r = interval(500000000, 1000000000, 250000000, 1000000000,
	                             PARITY_CI_KATZ);
	CHECK_REL(r.ratio, 2.0, 1e-15);
	CHECK_REL(r.low, 2.0 * exp(-1.959963984540054 * sqrt(4e-9)), 1e-12);
	CHECK_REL(r.high, 2.0 * exp(1.959963984540054 * sqrt(4e-9)), 1e-12);
	/* With large samples the score interval meets the Katz interval. */
	parity_interval k = interval(500000000, 1000000000, 250000000, 1000000000,
	                             PARITY_CI_KOOPMAN);
	CHECK_REL(k.low, r.low, 1e-6);
	CHECK_REL(k.high, r.high, 1e-6);

	k = interval(1, 1000000000, 1000000000, 1000000000, PARITY_CI_KOOPMAN);
	CHECK(k.estimable && k.low > 0.0 && k.low < 1e-9 && k.high > 1e-9);
	k = interval(1000000000, 1000000000, 1, 1000000000, PARITY_CI_MN);
	CHECK(k.estimable && isfinite(k.high) && k.low > 1.0);
}

/* DOMAIN.md: 27/39 vs 7/21, R epitools tab2by2.test: Fisher 0.01318013,
 * mid-p 0.009518722, chi-square 0.00744125 (half a unit in the last digit). */
static void test_tests_reference(void)
{
	double fisher, midp, chisq, stat;
	CHECK(parity_test_fisher(&fisher, &midp, 27, 39, 7, 21) == 0);
	CHECK(parity_test_chisq(&chisq, &stat, 27, 39, 7, 21) == 0);
	CHECK(fabs(fisher - 0.01318013) <= 5e-9);
	CHECK(fabs(midp - 0.009518722) <= 5e-10);
	CHECK(fabs(chisq - 0.00744125) <= 5e-9);
}

/*
 * Fisher and mid-p against exact rational arithmetic (Python fractions:
 * every hypergeometric probability as a Fraction, R's rule d <= d_obs (1 +
 * 1e-7); mid-p as epitools). Ties (1/2 vs 0/2; 5/10 vs 5/10) give p = 1.
 */
static void test_fisher_exact_small_tables(void)
{
	static const struct {
		uint64_t x1, n1, x2, n2;
		double p, midp;
	} cases[] = {
		{7, 34, 1, 34, 0.05440013049506565, 0.02965625843042041},
		{10, 75, 12, 225, 0.037002657594809335, 0.032259108104071295},
		{3, 4, 0, 2, 0.4, 0.2},
		{0, 16, 15, 72, 0.06286666463010931, 0.03641394685646865},
		{36, 40, 16, 80, 7.566803984745183e-14, 7.766409688547915e-14},
		{1, 2, 0, 2, 1.0, 0.5},
		{5, 10, 5, 10, 1.0, 1.0},
		{2, 9, 7, 9, 0.05668449197860963, 0.030028794734677088},
		{0, 3, 3, 3, 0.1, 0.05},
		{12, 50, 3, 40, 0.04746814916612332, 0.04001557603367429},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double p, midp;
		CHECK(parity_test_fisher(&p, &midp, cases[i].x1, cases[i].n1,
		                         cases[i].x2, cases[i].n2) == 0);
		CHECK_REL(p, cases[i].p, 1e-9);
		CHECK_REL(midp, cases[i].midp, 1e-9);
	}
}

/*
 * Counts up to 10^9, against mpmath at 40 digits (densities from
 * ln Gamma, every term within 40 SD of the mode summed by recurrence).
 * 500/1e9 vs 450/1e9: p 0.111838560028209, mid-p 0.104890532882687,
 * chi-square p 0.104757407384327.
 * 4e8/1e9 vs 400030000/1e9: p 0.170920456180778, mid-p 0.170906194499024,
 * chi-square p 0.170906194071549.
 * 1e9/1e9 vs 999999990/1e9: p 0.00195312495605469, mid-p
 * 0.000976562478027344, chi-square p 0.00156540221550072.
 * 20/1e9 vs 3/5: p 1.0625999553708e-22, mid-p 1.0625999659968e-22,
 * chi-square p about 1e-16994136 (0 in double precision).
 */
static void test_fisher_huge_counts(void)
{
	static const struct {
		uint64_t x1, n1, x2, n2;
		double p, midp, chisq;
	} cases[] = {
		{500, 1000000000, 450, 1000000000,
		 0.111838560028209, 0.104890532882687, 0.104757407384327},
		{400000000, 1000000000, 400030000, 1000000000,
		 0.170920456180778, 0.170906194499024, 0.170906194071549},
		{1000000000, 1000000000, 999999990, 1000000000,
		 0.00195312495605469, 0.000976562478027344, 0.00156540221550072},
		{20, 1000000000, 3, 5, 1.0625999553708e-22, 1.0625999659968e-22, 0.0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		double p, midp, chisq;
		CHECK(parity_test_fisher(&p, &midp, cases[i].x1, cases[i].n1,
		                         cases[i].x2, cases[i].n2) == 0);
		CHECK(parity_test_chisq(&chisq, NULL, cases[i].x1, cases[i].n1,
		                        cases[i].x2, cases[i].n2) == 0);
		/* Well inside R's 1e-7: it must not decide a tie differently. */
		CHECK_REL(p, cases[i].p, 1e-9);
		CHECK_REL(midp, cases[i].midp, 1e-9);
		if (cases[i].chisq > 0.0)
			CHECK_REL(chisq, cases[i].chisq, 1e-9);
		else
			CHECK(chisq < 1e-300);
	}
}

/* An empty margin: chi-square p 1, Fisher p 1 (a single possible table). */
static void test_tests_empty_margin(void)
{
	double p, midp, stat;
	const uint64_t tables[][4] = {{0, 10, 0, 20}, {10, 10, 20, 20},
	                              {0, 0, 3, 9}, {0, 0, 0, 0}};
	for (size_t i = 0; i < 4; i++) {
		CHECK(parity_test_chisq(&p, &stat, tables[i][0], tables[i][1],
		                        tables[i][2], tables[i][3]) == 0);
		CHECK(p == 1.0 && stat == 0.0);
		CHECK(parity_test_fisher(&p, &midp, tables[i][0], tables[i][1],
		                         tables[i][2], tables[i][3]) == 0);
		CHECK(p == 1.0 && midp == 1.0);
	}
}

/* 0.80 and 1.25 are inside the band; no estimate has no band. */
static void test_band_edges(void)
{
	parity_ratio r;
	CHECK(parity_ratio_compute(&r, 4, 10, 5, 10, NULL) == 0);
	CHECK(r.ratio == 0.8 && r.band == PARITY_BAND_INSIDE);
	CHECK(parity_ratio_compute(&r, 5, 10, 4, 10, NULL) == 0);
	CHECK(r.ratio == 1.25 && r.band == PARITY_BAND_INSIDE);
	CHECK(parity_band_classify(0.7999, 1) == PARITY_BAND_BELOW);
	CHECK(parity_band_classify(1.2501, 1) == PARITY_BAND_ABOVE);
	CHECK(parity_band_classify(0.0, 1) == PARITY_BAND_BELOW);
	CHECK(parity_band_classify(INFINITY, 1) == PARITY_BAND_ABOVE);
	CHECK(parity_band_classify(1.0, 0) == PARITY_BAND_NONE);
	CHECK_STR(parity_band_name(PARITY_BAND_ABOVE), "above");
	CHECK_STR(parity_band_name(PARITY_BAND_NONE), "none");
}

/* The rule, per group as PHE applies its cut-off to each numerator:
 * x1 < min or x2 < min; min 0 turns it off. */
static void test_low_count_rule(void)
{
	CHECK(parity_ratio_low_count(5, 100, 4, 100, 10) == 1);  /* 5 and 4 */
	CHECK(parity_ratio_low_count(10, 100, 10, 100, 10) == 0);
	CHECK(parity_ratio_low_count(10, 100, 9, 100, 10) == 1);  /* x2 = 9 */
	CHECK(parity_ratio_low_count(9, 100, 10, 100, 10) == 1);  /* x1 = 9 */
	CHECK(parity_ratio_low_count(9, 9, 40, 100, 10) == 1);    /* n1 = 9 */
	CHECK(parity_ratio_low_count(0, 100, 0, 100, 10) == 1);
	CHECK(parity_ratio_low_count(0, 1, 0, 1, 0) == 0);
	/* Issue #18's case: 2 of 10 BME against 117 of 389 White rests on
	 * two people; the old pooled rule (x1 + x2 = 119, n >= 10) let it pass. */
	CHECK(parity_ratio_low_count(117, 389, 2, 10, 10) == 1);
	parity_stats_settings s;
	parity_stats_settings_default(&s);
	CHECK(s.low_count_min == 10 && s.method == PARITY_CI_KOOPMAN &&
	      s.level == 0.95);
	parity_ratio r;
	CHECK(parity_ratio_compute(&r, 5, 100, 4, 100, &s) == 0);
	CHECK(r.low_count == 1 && r.low_count_min == 10);
	s.low_count_min = 5;
	CHECK(parity_ratio_compute(&r, 5, 100, 4, 100, &s) == 0);
	CHECK(r.low_count == 1); /* 4 < 5 */
	s.low_count_min = 4;
	CHECK(parity_ratio_compute(&r, 5, 100, 4, 100, &s) == 0);
	CHECK(r.low_count == 0);
}

/* parity_ratio_compute puts it together: DOMAIN 27/39 vs 7/21 by Katz. */
static void test_ratio_compute_reference(void)
{
	parity_stats_settings s;
	parity_ratio r;
	parity_stats_settings_default(&s);
	s.method = PARITY_CI_KATZ;
	CHECK(parity_ratio_compute(&r, 27, 39, 7, 21, &s) == 0);
	CHECK(r.estimable && r.x1 == 27 && r.n2 == 21);
	CHECK(r.method == PARITY_CI_KATZ && r.level == 0.95);
	CHECK_REL(r.ratio, 2.076923077, TEN_DIGITS);
	CHECK_REL(r.ci_low, 1.095119684, TEN_DIGITS);
	CHECK_REL(r.ci_high, 3.938938849, TEN_DIGITS);
	CHECK(fabs(r.p_fisher - 0.01318013) <= 5e-9);
	/* 7 in group 2 is under the per-group threshold of 10. */
	CHECK(r.band == PARITY_BAND_ABOVE && r.excludes_one && r.low_count);

	/* Default settings: Koopman, and the same tests. */
	CHECK(parity_ratio_compute(&r, 7, 34, 1, 34, NULL) == 0);
	CHECK(r.method == PARITY_CI_KOOPMAN);
	CHECK_REL(r.ci_low, 1.220852854, TEN_DIGITS);
	CHECK(r.excludes_one);

	/* Both zero: defined, flagged, no NaN. */
	CHECK(parity_ratio_compute(&r, 0, 10, 0, 12, NULL) == 0);
	CHECK(!r.estimable && r.band == PARITY_BAND_NONE && !r.excludes_one);
	CHECK(r.p_fisher == 1.0 && r.p_chisq == 1.0 && r.p_midp == 1.0);
	CHECK(!isnan(r.ratio) && !isnan(r.ci_low) && !isnan(r.ci_high));
}

/* Invalid input is refused with a message naming the argument. */
static void test_ratio_invalid_input(void)
{
	parity_ratio r;
	parity_stats_settings s;
	parity_stats_settings_default(&s);
	CHECK(parity_ratio_compute(&r, 12, 10, 1, 5, &s) == PARITY_EUSAGE);
	CHECK(strstr(parity_error_last(), "x1 (12) is larger than n1 (10)") != NULL);
	CHECK(parity_ratio_compute(&r, 1, 10, 6, 5, &s) == PARITY_EUSAGE);
	CHECK(strstr(parity_error_last(), "x2 (6) is larger than n2 (5)") != NULL);
	CHECK(parity_ratio_compute(&r, 1, 2000000000000, 1, 5, &s) == PARITY_EUSAGE);
	CHECK(strstr(parity_error_last(), "n1") != NULL);
	const double bad_levels[] = {0.0, 1.0, -0.5, 95.0, NAN};
	for (size_t i = 0; i < 5; i++) {
		s.level = bad_levels[i];
		CHECK(parity_ratio_compute(&r, 1, 10, 1, 10, &s) == PARITY_EUSAGE);
		CHECK(strstr(parity_error_last(), "level") != NULL);
	}
	parity_stats_settings_default(&s);
	s.method = (parity_ci_method)42;
	CHECK(parity_ratio_compute(&r, 1, 10, 1, 10, &s) == PARITY_EUSAGE);
}

static void test_method_names(void)
{
	const parity_ci_method all[] = {PARITY_CI_KOOPMAN, PARITY_CI_KATZ,
	                                PARITY_CI_ADJUSTED_LOG, PARITY_CI_MN};
	for (size_t i = 0; i < 4; i++) {
		parity_ci_method m;
		CHECK(parity_ci_method_parse(&m, parity_ci_method_name(all[i])) == 0);
		CHECK(m == all[i]);
	}
	CHECK_STR(parity_ci_method_name(PARITY_CI_ADJUSTED_LOG), "adjusted-log");
	parity_ci_method m;
	CHECK(parity_ci_method_parse(&m, "wald") == PARITY_EUSAGE);
	CHECK(strstr(parity_error_last(), "'wald'") != NULL);
}

static void test_sentence_reference(void)
{
	char buf[512];
	parity_stats_settings s;
	parity_ratio r;
	parity_stats_settings_default(&s);
	s.method = PARITY_CI_KATZ;
	s.low_count_min = 7; /* 7 in group 2: not flagged at 7 */
	CHECK(parity_ratio_compute(&r, 27, 39, 7, 21, &s) == 0);
	CHECK(!r.low_count);
	parity_ratio_sentence(buf, sizeof buf, &r, "Group 1", "group 2",
	                      "to reach the outcome");
	CHECK_STR(buf, "Group 1 was 2.08 times as likely as group 2 to reach the "
	               "outcome (95% CI 1.10 to 3.94).");
	parity_ratio_sentence(buf, sizeof buf, &r, "White shortlisted applicants",
	                      "BME shortlisted applicants", "to be appointed");
	CHECK_STR(buf, "White shortlisted applicants were 2.08 times as likely as "
	               "BME shortlisted applicants to be appointed (95% CI 1.10 "
	               "to 3.94).");
	s.level = 0.9;
	CHECK(parity_ratio_compute(&r, 27, 39, 7, 21, &s) == 0);
	parity_ratio_sentence(buf, sizeof buf, &r, "Disabled staff",
	                      "non-disabled staff", "to enter a capability process");
	CHECK(strncmp(buf, "Disabled staff were 2.08 times as likely", 40) == 0);
	CHECK(strstr(buf, "(90% CI ") != NULL);
}

/* A low-count result says so first; zero, infinite and missing estimates
 * get their own wording; never "times more likely" or "nan". */
static void test_sentence_low_count_and_zeros(void)
{
	char buf[512];
	parity_ratio r;
	CHECK(parity_ratio_compute(&r, 4, 30, 2, 40, NULL) == 0);
	CHECK(r.low_count);
	parity_ratio_sentence(buf, sizeof buf, &r, NULL, NULL, NULL);
	CHECK(strstr(buf, "too few cases to draw a conclusion") != NULL);
	CHECK(strstr(buf, "(2 reached the outcome in one group, fewer than 10)") != NULL);

	CHECK(parity_ratio_compute(&r, 30, 300, 5, 8, NULL) == 0);
	CHECK(r.low_count);
	parity_ratio_sentence(buf, sizeof buf, &r, NULL, NULL, NULL);
	CHECK(strstr(buf, "too few cases") != NULL);
	CHECK(strstr(buf, "(5 reached the outcome in one group") != NULL);

	parity_stats_settings s;
	parity_stats_settings_default(&s);
	s.low_count_min = 0;
	CHECK(parity_ratio_compute(&r, 0, 16, 15, 72, &s) == 0);
	parity_ratio_sentence(buf, sizeof buf, &r, NULL, NULL, NULL);
	CHECK_STR(buf, "Group 1 was less likely than group 2 to reach the outcome: "
	               "0 of 16 did so, against 15 of 72 (ratio 0; 95% CI 0 to "
	               "0.96).");
	CHECK(parity_ratio_compute(&r, 3, 4, 0, 2, &s) == 0);
	parity_ratio_sentence(buf, sizeof buf, &r, NULL, NULL, NULL);
	CHECK(strstr(buf, "more likely than group 2") != NULL);
	CHECK(strstr(buf, "95% CI 0.83 to infinity") != NULL);
	CHECK(parity_ratio_compute(&r, 0, 16, 0, 72, &s) == 0);
	parity_ratio_sentence(buf, sizeof buf, &r, NULL, NULL, NULL);
	CHECK(strstr(buf, "No ratio can be estimated") != NULL);
	CHECK(strstr(buf, "nan") == NULL && strstr(buf, "times more") == NULL);
	CHECK(parity_ratio_compute(&r, 1, 1000, 500, 1000, &s) == 0);
	parity_ratio_sentence(buf, sizeof buf, &r, NULL, NULL, NULL);
	CHECK(strstr(buf, "0.002 times as likely") != NULL);
}

/* The p that goes with each interval (issue #18: 7/34 against 1/34 had a
 * Koopman interval of 1.22 to 42.6 beside a Fisher p of 0.054).
 * By hand: a=7, b=27, c=1, d=33, N=68, m=8:
 *   X^2 = N (ad - bc)^2 / (n1 n2 m (N-m)) = 68 * 204^2 / (34*34*8*60) = 5.1
 *   p = erfc(sqrt(5.1/2)) = 0.023925843 (Python math.erfc);
 *   MN: X^2 * 67/68 = 5.025, p = erfc(sqrt(2.5125)) = 0.024984 ...;
 *   Katz: z^2 = ln(7)^2 / (1/7 - 1/34 + 1 - 1/34)
 *         = 3.493034, p = erfc(sqrt(3.493034/2)) = 0.0616 ...;
 *   adjusted log: ln((7.5*34.5)/(1.5*34.5))^2 / (27/(7.5*34.5) +
 *         33/(1.5*34.5)) = 3.490821 (Python float arithmetic),
 *         p = erfc(sqrt(3.490821/2)) = 0.0617 ... */
static void test_score_p_matches_interval(void)
{
	double p, stat;
	CHECK(parity_test_score(&p, &stat, 7, 34, 1, 34, PARITY_CI_KOOPMAN) == 0);
	CHECK_NEAR(stat, 5.1, 1e-12);
	CHECK_NEAR(p, 0.023925843480626, 1e-12);
	CHECK(parity_test_score(&p, &stat, 7, 34, 1, 34, PARITY_CI_MN) == 0);
	CHECK_NEAR(stat, 5.1 * 67.0 / 68.0, 1e-12);
	CHECK_NEAR(p, erfc(sqrt(5.1 * 67.0 / 68.0 / 2.0)), 1e-12);
	CHECK(parity_test_score(&p, &stat, 7, 34, 1, 34, PARITY_CI_KATZ) == 0);
	CHECK_NEAR(stat, 3.493034036, 1e-8);
	CHECK(parity_test_score(&p, &stat, 7, 34, 1, 34, PARITY_CI_ADJUSTED_LOG) == 0);
	CHECK_NEAR(stat, 3.490821039, 1e-8);
	/* Zero cells: Katz cannot test (interval 0 to infinity), no estimate
	 * gives p = 1; the score test still has a statistic. */
	CHECK(parity_test_score(&p, &stat, 0, 20, 5, 20, PARITY_CI_KATZ) == 0);
	CHECK(p == 1.0 && stat == 0.0);
	CHECK(parity_test_score(&p, &stat, 0, 20, 0, 20, PARITY_CI_KOOPMAN) == 0);
	CHECK(p == 1.0);
	/* 0/20 vs 5/20: X^2 = 40 * 100^2 / (20*20*5*35) = 5.714286 */
	CHECK(parity_test_score(&p, &stat, 0, 20, 5, 20, PARITY_CI_KOOPMAN) == 0);
	CHECK_NEAR(stat, 40.0 * 10000.0 / (20.0 * 20.0 * 5.0 * 35.0), 1e-12);

	/* Over a grid of tables and every method, p < 0.05 exactly when the
	 * 95% interval excludes 1: the property the report relies on. */
	const parity_ci_method methods[] = {PARITY_CI_KOOPMAN, PARITY_CI_KATZ,
	                                    PARITY_CI_ADJUSTED_LOG, PARITY_CI_MN};
	int disagreements = 0, tested = 0;
	for (size_t k = 0; k < 4; k++) {
		parity_stats_settings s;
		parity_stats_settings_default(&s);
		s.method = methods[k];
		for (uint64_t x1 = 0; x1 <= 30; x1 += 3)
			for (uint64_t x2 = 0; x2 <= 40; x2 += 4) {
				parity_ratio r;
				CHECK(parity_ratio_compute(&r, x1, 30, x2, 45, &s) == 0);
				if (!r.estimable)
					continue;
				tested++;
				disagreements += (r.p_score < 0.05) != r.excludes_one;
			}
	}
	CHECK(tested > 400);
	CHECK(disagreements == 0);
}

/* The minimum detectable ratio. Expected values from an independent
 * Python implementation (statistics.NormalDist, a multiplicative walk of
 * 1.001 from R = 1 then bisection) of the same definition: p2 = m/(n1 R +
 * n2), p1 = R p2, power = Phi((|p1-p2| - 1.959964 sqrt(p(1-p)(1/n1+1/n2)))
 * / sqrt(p1(1-p1)/n1 + p2(1-p2)/n2)) = 0.80:
 *   30/100 vs 30/100: 0.537485214 and 1.860516296 (equal groups: the two
 *     are reciprocals, a check by hand: 1/1.8605163 = 0.5374852);
 *   117/389 vs 100/400: 0.721166196 and 1.384956066;
 *   7/34 vs 1/34: 0.044723448 and 22.35963541. */
static void test_minimum_detectable_ratio(void)
{
	double low, high;
	CHECK(parity_ratio_mdr(&low, &high, 30, 100, 30, 100, 0.05, 0.80) == 0);
	CHECK_NEAR(low, 0.537485214, 1e-7);
	CHECK_NEAR(high, 1.860516296, 1e-7);
	CHECK_NEAR(low * high, 1.0, 1e-9);
	CHECK(parity_ratio_mdr(&low, &high, 117, 389, 100, 400, 0.05, 0.80) == 0);
	CHECK_NEAR(low, 0.721166196, 1e-7);
	CHECK_NEAR(high, 1.384956066, 1e-7);
	CHECK(parity_ratio_mdr(&low, &high, 7, 34, 1, 34, 0.05, 0.80) == 0);
	CHECK_NEAR(low, 0.044723448, 1e-7);
	CHECK_NEAR(high, 22.35963541, 1e-5);
	/* Power at the limit, evaluated here from the formula: 0.80. */
	{
		double m = 217, n1 = 389, n2 = 400, r = 1.384956066;
		double p2 = m / (n1 * r + n2), p1 = r * p2, pb = m / (n1 + n2);
		double zq = (fabs(p1 - p2) - 1.959963984540054 *
		             sqrt(pb * (1 - pb) * (1 / n1 + 1 / n2))) /
		            sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2);
		CHECK_NEAR(0.5 * erfc(-zq / sqrt(2.0)), 0.80, 1e-6);
	}
	/* 2 of 10 against 117 of 389: nothing below 1 is detectable (group 2's
	 * rate would pass 1), so NAN; above 1, a value. */
	CHECK(parity_ratio_mdr(&low, &high, 2, 10, 117, 389, 0.05, 0.80) == 0);
	CHECK(isnan(low) && high > 1.0);
	/* No outcome, an empty group: nothing is detectable. */
	CHECK(parity_ratio_mdr(&low, &high, 0, 10, 0, 10, 0.05, 0.80) == 0);
	CHECK(isnan(low) && isnan(high));
	CHECK(parity_ratio_mdr(&low, &high, 0, 0, 3, 10, 0.05, 0.80) == 0);
	CHECK(isnan(low) && isnan(high));
	CHECK(parity_ratio_mdr(&low, &high, 1, 10, 3, 10, 0.05, 1.5) == PARITY_EUSAGE);
	/* More people, smaller detectable ratios. */
	double high_big;
	CHECK(parity_ratio_mdr(NULL, &high_big, 300, 1000, 300, 1000, 0.05, 0.80) == 0);
	CHECK(high_big < 1.860516296 && high_big > 1.0);
}

/* Holm and Benjamini-Hochberg by hand (R's p.adjust gives the same).
 * p = 0.01, 0.04, 0.03, 0.005 (and a NaN, not in the family): ranked
 * 0.005, 0.01, 0.03, 0.04, m = 4.
 *   Holm: 4(0.005) = 0.02, 3(0.01) = 0.03, 2(0.03) = 0.06, 1(0.04) = 0.04,
 *         running maximum 0.02, 0.03, 0.06, 0.06.
 *   BH:   4(0.005)/1 = 0.02, 4(0.01)/2 = 0.02, 4(0.03)/3 = 0.04,
 *         4(0.04)/4 = 0.04, running minimum from the top: 0.02, 0.02,
 *         0.04, 0.04.
 * Capping: 0.5, 0.6 give Holm 1 (2(0.5)), 1 and BH min(1, 0.6) = 0.6 both. */
static void test_p_adjust_holm_bh_by_hand(void)
{
	const double p[] = {0.01, 0.04, NAN, 0.03, 0.005};
	double holm[5], bh[5];
	size_t family = 0;
	CHECK(parity_p_adjust(holm, bh, &family, p, 5) == 0);
	CHECK(family == 4);
	const double want_holm[] = {0.03, 0.06, NAN, 0.06, 0.02};
	const double want_bh[] = {0.02, 0.04, NAN, 0.04, 0.02};
	for (size_t i = 0; i < 5; i++) {
		if (isnan(want_holm[i])) {
			CHECK(isnan(holm[i]) && isnan(bh[i]));
			continue;
		}
		CHECK_NEAR(holm[i], want_holm[i], 1e-15);
		CHECK_NEAR(bh[i], want_bh[i], 1e-15);
	}
	const double q[] = {0.5, 0.6};
	CHECK(parity_p_adjust(holm, bh, &family, q, 2) == 0);
	CHECK(family == 2 && holm[0] == 1.0 && holm[1] == 1.0);
	CHECK_NEAR(bh[0], 0.6, 1e-15);
	CHECK_NEAR(bh[1], 0.6, 1e-15);
	/* One test: nothing to adjust. */
	CHECK(parity_p_adjust(holm, bh, &family, q, 1) == 0);
	CHECK(family == 1 && holm[0] == 0.5 && bh[0] == 0.5);
	const double bad[] = {0.2, 1.5};
	CHECK(parity_p_adjust(holm, bh, &family, bad, 2) == PARITY_EUSAGE);
	CHECK(parity_p_adjust(holm, bh, &family, NULL, 2) == PARITY_EUSAGE);
}

int main(void)
{
	parity_init();
	RUN(test_z_for_95_percent);
	RUN(test_ratio_katz_reference);
	RUN(test_ratio_adjusted_log_reference);
	RUN(test_ratio_koopman_reference);
	RUN(test_ratio_koopman_zero_reference);
	RUN(test_ratio_zero_cells_every_method);
	RUN(test_ratio_everyone_reached);
	RUN(test_ratio_koopman_x_equals_n);
	RUN(test_ratio_huge_counts);
	RUN(test_tests_reference);
	RUN(test_fisher_exact_small_tables);
	RUN(test_fisher_huge_counts);
	RUN(test_tests_empty_margin);
	RUN(test_band_edges);
	RUN(test_low_count_rule);
	RUN(test_score_p_matches_interval);
	RUN(test_minimum_detectable_ratio);
	RUN(test_ratio_compute_reference);
	RUN(test_ratio_invalid_input);
	RUN(test_method_names);
	RUN(test_sentence_reference);
	RUN(test_sentence_low_count_and_zeros);
	RUN(test_p_adjust_holm_bh_by_hand);
	return HARNESS_REPORT();
}
