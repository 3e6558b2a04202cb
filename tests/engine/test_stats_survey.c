/*
 * test_stats_survey.c: the survey figures' intervals (stats_survey.c)
 * against values worked independently of the engine:
 * - Newcombe's hybrid score interval (method 10) for a difference of
 *   proportions: Newcombe RG, Stat Med 1998;17:873-890, Table II, example
 *   (a) 56/70 - 48/80: 0.0524 to 0.3339; every case also recomputed in
 *   Python from the Wilson limits (z = 1.959963984540054):
 *     wilson(x,n): p=x/n; d=1+z*z/n; c=(p+z*z/(2n))/d;
 *                  h=z*sqrt(p(1-p)/n+z*z/(4n*n))/d; (c-h, c+h)
 *     low = d - sqrt((p1-l1)^2+(u2-p2)^2); high = d + sqrt((u1-p1)^2+(p2-l2)^2)
 * - t intervals: the t quantile found in Python by bisection on Simpson's
 *   integral of the t density (20,000 steps), no statistics library:
 *   t(0.975, 39) = 2.0226909; Welch df for sd 1.2/n 40 vs sd 1.0/n 200 =
 *   50.395131, t(0.975, 50.395) = 2.0081690.
 */
#include "harness.h"
#include "parity/common.h"
#include "parity/stats.h"

static void test_wilson_proportion(void)
{
	/* 56/70: p = 0.8; Wilson (Python as above) 0.691834 to 0.876953 */
	parity_estimate e;
	CHECK(parity_proportion_wilson(&e, 56, 70, 0.95) == 0);
	CHECK_NEAR(e.value, 0.8, 1e-12);
	CHECK_NEAR(e.low, 0.691834, 1e-5);
	CHECK_NEAR(e.high, 0.876953, 1e-5);
	/* Edges are exact: 0/10 starts at 0, 10/10 ends at 1. */
	CHECK(parity_proportion_wilson(&e, 0, 10, 0.95) == 0);
	CHECK(e.low == 0.0);
	CHECK(parity_proportion_wilson(&e, 10, 10, 0.95) == 0);
	CHECK(e.high == 1.0);
}

static void test_newcombe_table(void)
{
	static const struct {
		uint64_t x1, n1, x2, n2;
		double d, low, high;
	} cases[] = {
		{56, 70, 48, 80, 0.2, 0.0524, 0.3339},       /* Newcombe (a) */
		{9, 10, 3, 10, 0.6, 0.1705, 0.8090},         /* (b) */
		{6, 7, 2, 7, 0.5714, 0.0582, 0.8062},        /* (c) */
		{5, 56, 0, 29, 0.0893, -0.0381, 0.1926},     /* (d) */
		{0, 10, 0, 20, 0.0, -0.1611, 0.2775},        /* (e) */
		{0, 10, 0, 10, 0.0, -0.2775, 0.2775},        /* (f) */
		{10, 10, 0, 20, 1.0, 0.6791, 1.0000},        /* (g) */
		{10, 10, 0, 10, 1.0, 0.6075, 1.0000},        /* (h) */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		parity_estimate e;
		CHECK(parity_difference_newcombe(&e, cases[i].x1, cases[i].n1, cases[i].x2,
		                                 cases[i].n2, 0.95) == 0);
		CHECK(fabs(e.value - cases[i].d) < 0.00005);
		CHECK(fabs(e.low - cases[i].low) < 0.00005);
		CHECK(fabs(e.high - cases[i].high) < 0.00005);
	}
}

static void test_newcombe_refuses_bad_counts(void)
{
	parity_estimate e;
	CHECK(parity_difference_newcombe(&e, 3, 0, 1, 10, 0.95) == PARITY_EUSAGE);
	CHECK(parity_difference_newcombe(&e, 11, 10, 1, 10, 0.95) == PARITY_EUSAGE);
	CHECK(parity_difference_newcombe(&e, 1, 10, 1, 10, 1.5) == PARITY_EUSAGE);
	parity_error_clear();
}

static void test_mean_t_interval(void)
{
	/* 6.8 +- 2.0226909 * 1.2 / sqrt(40) = 6.416221 to 7.183779 */
	parity_estimate e;
	CHECK(parity_mean_t(&e, 6.8, 1.2, 40, 0.95) == 0);
	CHECK_NEAR(e.low, 6.416221, 1e-6);
	CHECK_NEAR(e.high, 7.183779, 1e-6);
	CHECK(parity_mean_t(&e, 6.8, 1.2, 1, 0.95) == PARITY_EUSAGE);
	parity_error_clear();
}

static void test_welch_difference(void)
{
	/* 6.8 (sd 1.2, n 40) - 7.1 (sd 1.0, n 200) = -0.3; SE = sqrt(0.041);
	 * -0.3 +- 2.0081690 * 0.2024846 = -0.706623 to 0.106623 */
	parity_estimate e;
	CHECK(parity_difference_welch(&e, 6.8, 1.2, 40, 7.1, 1.0, 200, 0.95) == 0);
	CHECK_NEAR(e.value, -0.3, 1e-12);
	CHECK_NEAR(e.low, -0.706623, 1e-6);
	CHECK_NEAR(e.high, 0.106623, 1e-6);
	/* No spread: the interval is the point. */
	CHECK(parity_difference_welch(&e, 7.0, 0.0, 20, 6.0, 0.0, 30, 0.95) == 0);
	CHECK(e.low == 1.0 && e.high == 1.0);
	CHECK(parity_difference_welch(&e, 7.0, -1.0, 20, 6.0, 1.0, 30, 0.95) ==
	      PARITY_EUSAGE);
	parity_error_clear();
}

int main(void)
{
	RUN(test_wilson_proportion);
	RUN(test_newcombe_table);
	RUN(test_newcombe_refuses_bad_counts);
	RUN(test_mean_t_interval);
	RUN(test_welch_difference);
	return HARNESS_REPORT();
}
