/*
 * test_stats_props.c: properties every ratio must have, over thousands of
 * tables from a fixed-seed generator (zeros, x = n, and counts up to 10^9):
 * the interval holds the estimate, a higher level never narrows it, swapping
 * the groups inverts it, p-values lie in [0, 1], nothing is NaN; and Fisher
 * agrees with a brute-force sum over the whole support for small tables.
 */
#include "harness.h"

#include "parity.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* splitmix64: small, fixed-seed, good enough to spread test tables. */
static uint64_t rng_next(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15u);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [0, bound]. */
static uint64_t rng_upto(uint64_t bound)
{
	return bound == UINT64_MAX ? rng_next() : rng_next() % (bound + 1);
}

/* A base of some size class, then a count in [0, n] with extra weight on
 * the edges 0 and n. */
static void random_group(uint64_t *x, uint64_t *n, uint64_t max_n)
{
	*n = rng_upto(max_n);
	switch (rng_next() % 8) {
	case 0: *x = 0; break;
	case 1: *x = *n; break;
	default: *x = rng_upto(*n); break;
	}
}

static void random_table(uint64_t t[4], int huge)
{
	static const uint64_t scales[] = {5, 40, 300, 5000, 200000};
	uint64_t max1, max2;
	if (huge) {
		max1 = 1000000000;
		max2 = rng_next() % 2 ? 1000000000 : rng_upto(1000);
	} else {
		max1 = scales[rng_next() % 5];
		max2 = scales[rng_next() % 5];
	}
	if (rng_next() % 2) {
		uint64_t swap = max1;
		max1 = max2;
		max2 = swap;
	}
	random_group(&t[0], &t[1], max1);
	random_group(&t[2], &t[3], max2);
}

static int close_rel(double a, double b, double tol)
{
	if (a == b)
		return 1; /* includes both infinite, both zero */
	if (isinf(a) || isinf(b))
		return 0;
	return fabs(a - b) <= tol * fmax(fabs(a), fabs(b));
}

static const parity_ci_method methods[] = {PARITY_CI_KOOPMAN, PARITY_CI_KATZ,
                                           PARITY_CI_ADJUSTED_LOG, PARITY_CI_MN};

static int report_table(const char *what, const uint64_t t[4],
                        parity_ci_method m)
{
	fprintf(stderr, "  %s: %" PRIu64 "/%" PRIu64 " vs %" PRIu64 "/%" PRIu64
	        " (%s)\n", what, t[0], t[1], t[2], t[3], parity_ci_method_name(m));
	return 1;
}

/* Check one table by every method; returns the number of failures. */
static int check_table(const uint64_t t[4])
{
	int failures = 0;
	for (size_t i = 0; i < 4; i++) {
		parity_ci_method m = methods[i];
		parity_interval a, w, s;
		if (parity_ratio_interval(&a, t[0], t[1], t[2], t[3], m, 0.90) ||
		    parity_ratio_interval(&w, t[0], t[1], t[2], t[3], m, 0.99) ||
		    parity_ratio_interval(&s, t[2], t[3], t[0], t[1], m, 0.90)) {
			failures += report_table(parity_error_last(), t, m);
			continue;
		}
		if (isnan(a.ratio) || isnan(a.low) || isnan(a.high) ||
		    isnan(w.low) || isnan(w.high))
			failures += report_table("NaN", t, m);
		if (a.estimable != s.estimable)
			failures += report_table("estimable differs on swap", t, m);
		if (!a.estimable)
			continue;
		if (!(a.low >= 0.0 && a.low <= a.ratio && a.ratio <= a.high))
			failures += report_table("interval misses estimate", t, m);
		/* A wider level: the 99% limits lie outside the 90% ones. */
		if (!(w.low <= a.low * (1 + 1e-12) && w.high >= a.high * (1 - 1e-12)))
			failures += report_table("99% narrower than 90%", t, m);
		/* Swapping the groups inverts ratio and limits (1/0 = inf). */
		if (!close_rel(s.ratio, 1.0 / a.ratio, 1e-12) ||
		    !close_rel(s.low, 1.0 / a.high, 1e-9) ||
		    !close_rel(s.high, 1.0 / a.low, 1e-9))
			failures += report_table("swap does not invert", t, m);
	}
	double p, midp, chisq, stat;
	if (parity_test_fisher(&p, &midp, t[0], t[1], t[2], t[3]) ||
	    parity_test_chisq(&chisq, &stat, t[0], t[1], t[2], t[3]))
		return failures + report_table("test failed", t, PARITY_CI_KOOPMAN);
	if (!(p >= 0.0 && p <= 1.0 && midp >= 0.0 && midp <= 1.0 &&
	      chisq >= 0.0 && chisq <= 1.0 && stat >= 0.0))
		failures += report_table("p outside [0,1] or NaN", t, PARITY_CI_KOOPMAN);
	/* Fisher's p is symmetric in the groups. */
	double ps;
	parity_test_fisher(&ps, NULL, t[2], t[3], t[0], t[1]);
	if (!close_rel(p, ps, 1e-9))
		failures += report_table("Fisher not symmetric", t, PARITY_CI_KOOPMAN);
	return failures;
}

static void test_props_small_and_medium_tables(void)
{
	for (int i = 0; i < 3000; i++) {
		uint64_t t[4];
		random_table(t, 0);
		if (check_table(t))
			harness_failures++;
	}
}

static void test_props_huge_tables(void)
{
	for (int i = 0; i < 150; i++) {
		uint64_t t[4];
		random_table(t, 1);
		if (check_table(t))
			harness_failures++;
	}
	/* Fixed edge tables at the top of the range. */
	const uint64_t edges[][4] = {
		{0, 1000000000, 1000000000, 1000000000},
		{1000000000, 1000000000, 0, 1000000000},
		{1, 1000000000, 1000000000, 1000000000},
		{1000000000, 1000000000, 1000000000, 1000000000},
		{1, 1000000000, 1, 1000000000},
		{1, 1, 1000000000, 1000000000},
		{0, 1000000000, 0, 1},
	};
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		if (check_table(edges[i]))
			harness_failures++;
}

/* ln C(n, k) */
static long double lchoose(uint64_t n, uint64_t k)
{
	return lgammal((long double)n + 1) - lgammal((long double)k + 1) -
	       lgammal((long double)(n - k) + 1);
}

/* Fisher's two-sided p by the definition: every table in the support,
 * those with probability <= observed * (1 + 1e-7). */
static double brute_fisher(uint64_t x1, uint64_t n1, uint64_t x2, uint64_t n2)
{
	uint64_t m = x1 + x2, total = n1 + n2;
	uint64_t lo = m > n2 ? m - n2 : 0, hi = m < n1 ? m : n1;
	long double norm = lchoose(total, m), sum = 0.0L;
	long double obs = expl(lchoose(n1, x1) + lchoose(n2, m - x1) - norm);
	for (uint64_t k = lo; k <= hi; k++) {
		long double d = expl(lchoose(n1, k) + lchoose(n2, m - k) - norm);
		if (d <= obs * (1.0L + 1e-7L))
			sum += d;
	}
	return (double)(sum > 1.0L ? 1.0L : sum);
}

static void test_props_fisher_matches_brute_force(void)
{
	for (int i = 0; i < 2000; i++) {
		uint64_t t[4];
		random_group(&t[0], &t[1], 1 + rng_upto(150));
		random_group(&t[2], &t[3], 1 + rng_upto(150));
		double p;
		CHECK(parity_test_fisher(&p, NULL, t[0], t[1], t[2], t[3]) == 0);
		double expected = brute_fisher(t[0], t[1], t[2], t[3]);
		if (!(fabs(p - expected) <= 1e-9 * expected + 1e-300)) {
			fprintf(stderr, "  Fisher %" PRIu64 "/%" PRIu64 " vs %" PRIu64
			        "/%" PRIu64 ": %.15g, brute force %.15g\n",
			        t[0], t[1], t[2], t[3], p, expected);
			harness_failures++;
		}
	}
}

/* The full parity_ratio and its sentence never show NaN. */
static void test_props_compute_and_sentence(void)
{
	char buf[512];
	for (int i = 0; i < 500; i++) {
		uint64_t t[4];
		random_table(t, i % 10 == 0);
		parity_stats_settings s;
		parity_stats_settings_default(&s);
		s.method = methods[i % 4];
		parity_ratio r;
		CHECK(parity_ratio_compute(&r, t[0], t[1], t[2], t[3], &s) == 0);
		parity_ratio_sentence(buf, sizeof buf, &r, NULL, NULL, NULL);
		if (strstr(buf, "nan") || strstr(buf, "inf ") || buf[0] == '\0') {
			fprintf(stderr, "  sentence: %s\n", buf);
			harness_failures++;
		}
		if (r.excludes_one && !(r.ci_low > 1.0 || r.ci_high < 1.0))
			harness_failures++;
	}
}

int main(void)
{
	parity_init();
	RUN(test_props_small_and_medium_tables);
	RUN(test_props_huge_tables);
	RUN(test_props_fisher_matches_brute_force);
	RUN(test_props_compute_and_sentence);
	return HARNESS_REPORT();
}
