/*
 * test_stats_poisson.c: the adjusted ratio by modified Poisson regression
 * (parity_ratio_adjusted) against tests/engine/ref_poisson.py, which solves
 * the same model on person-level data expanded from the cells and sums the
 * HC0 sandwich person by person, and against cases checkable by hand.
 */
#include "harness.h"

#include "parity.h"

#include <math.h>
#include <string.h>

#define CHECK_REL(actual, expected, tol)                                      \
	do {                                                                  \
		double ra_ = (double)(actual), re_ = (double)(expected);      \
		if (!(fabs(ra_ - re_) <= (tol) * fabs(re_))) {                \
			fprintf(stderr, "%s:%d: CHECK_REL failed: %s = %.15g, "  \
			        "expected %.15g (rel tol %g)\n", __FILE__,        \
			        __LINE__, #actual, ra_, re_, (double)(tol));      \
			harness_failures++;                                   \
		}                                                             \
	} while (0)

/* A cell: group1, x, n and up to two covariate levels. */
static parity_adjust_cell cell(int group1, uint32_t a, uint32_t b, uint64_t x,
                               uint64_t n)
{
	parity_adjust_cell c;
	memset(&c, 0, sizeof c);
	c.group1 = group1;
	c.level[0] = a;
	c.level[1] = b;
	c.x = x;
	c.n = n;
	return c;
}

/* No covariates: the crude ratio, and the robust variance is Katz's. With
 * only an intercept and the group, the fitted rates are x1/n1 and x2/n2,
 * so A = [[x1 + x2, x1], [x1, x1]] and, since each group's meat is
 * x (1 - p)^2 + (n - x) p^2 = x (1 - p), B = [[b1 + b2, b1], [b1, b1]] with
 * bg = xg (1 - pg). A^-1 = [[x1, -x1], [-x1, x1 + x2]] / (x1 x2), whose
 * group row is (-1/x2, 1/x1 + 1/x2); so V11 = b1 / x1^2 + b2 / x2^2 =
 * (1 - p1)/x1 + (1 - p2)/x2 = 1/x1 - 1/n1 + 1/x2 - 1/n2. Hence DOMAIN.md's
 * Katz interval for 27/39 vs 7/21: 2.076923077 (1.095119684 - 3.938938849);
 * ref_poisson.py on the 60 people agrees (log SE 0.3265487814004314). */
static void test_adjusted_no_covariates_is_katz(void)
{
	const parity_adjust_cell cells[] = {cell(1, 0, 0, 27, 39), cell(0, 0, 0, 7, 21)};
	parity_adjusted a;
	CHECK(parity_ratio_adjusted(&a, cells, 2, 0, NULL, 0.95) == 0);
	CHECK(a.estimable && a.converged && a.parameters == 2 && a.cells_used == 2);
	CHECK_REL(a.ratio, 2.076923077, 5e-10);
	CHECK_REL(a.ci_low, 1.095119684, 5e-10);
	CHECK_REL(a.ci_high, 3.938938849, 5e-10);
	CHECK_REL(a.log_se, 0.3265487814004314, 1e-10);
}

/* Two pay bands in which group 1's rate is 1.5 times group 2's (30/200 vs
 * 10/100, 12/60 vs 20/150): the adjusted ratio is 1.5 exactly, while the
 * crude ratio is (42/260) / (30/250) = 1.346. ref_poisson.py:
 * log SE 0.23892118644718655, CI 0.9391201877676413 - 2.395859474971365,
 * p 0.08968411536061428. A third band in which no one reached the outcome
 * is left out with its cells, changing nothing. */
static void test_adjusted_removes_confounding(void)
{
	const parity_adjust_cell cells[] = {
		cell(1, 0, 0, 30, 200), cell(0, 0, 0, 10, 100),
		cell(1, 1, 0, 12, 60), cell(0, 1, 0, 20, 150),
		cell(1, 2, 0, 0, 10), cell(0, 2, 0, 0, 30)};
	const uint32_t levels[] = {3};
	parity_adjusted a;
	CHECK(parity_ratio_adjusted(&a, cells, 6, 1, levels, 0.95) == 0);
	CHECK(a.estimable && a.converged);
	CHECK(a.levels_dropped == 1 && a.cells_used == 4 && a.parameters == 3);
	CHECK_REL(a.ratio, 1.5, 1e-10);
	CHECK_REL(a.log_se, 0.23892118644718655, 1e-9);
	CHECK_REL(a.ci_low, 0.9391201877676413, 1e-9);
	CHECK_REL(a.ci_high, 2.395859474971365, 1e-9);
	CHECK_REL(a.p, 0.08968411536061428, 1e-8);
}

/* Two covariates (three bands, two sexes), one cell with no outcome.
 * ref_poisson.py 3,2 with these twelve cells (1,155 people): ratio
 * 1.6511712120279265, log SE 0.17180872647849638, CI 1.179093526580697 -
 * 2.312256245979126, p 0.003513189338553011 (crude 1.4967741935483871). */
static void test_adjusted_two_covariates_reference(void)
{
	const parity_adjust_cell cells[] = {
		cell(1, 0, 0, 30, 200), cell(0, 0, 0, 10, 100), cell(1, 0, 1, 25, 180),
		cell(0, 0, 1, 8, 90), cell(1, 1, 0, 12, 60), cell(0, 1, 0, 20, 150),
		cell(1, 1, 1, 9, 50), cell(0, 1, 1, 15, 120), cell(1, 2, 0, 5, 20),
		cell(0, 2, 0, 9, 80), cell(1, 2, 1, 3, 15), cell(0, 2, 1, 0, 40)};
	const uint32_t levels[] = {3, 2};
	parity_adjusted a;
	CHECK(parity_ratio_adjusted(&a, cells, 12, 2, levels, 0.95) == 0);
	CHECK(a.estimable && a.converged && a.parameters == 5 && a.cells_used == 12);
	CHECK(a.iterations > 0 && a.iterations < 100);
	CHECK_REL(a.ratio, 1.6511712120279265, 1e-10);
	CHECK_REL(a.log_se, 0.17180872647849638, 1e-9);
	CHECK_REL(a.ci_low, 1.179093526580697, 1e-9);
	CHECK_REL(a.ci_high, 2.312256245979126, 1e-9);
	CHECK_REL(a.p, 0.003513189338553011, 1e-8);
}

/* No estimate: a group with no outcome. A covariate that is the group
 * itself is aliased (its dummy is the group column) and left out, as R's
 * glm does, leaving the crude ratio (5 + 6)/80 vs (4 + 2)/50 = 1.1458333.
 * Bad input is an error. */
static void test_adjusted_no_estimate_and_errors(void)
{
	const parity_adjust_cell none[] = {cell(1, 0, 0, 5, 50), cell(0, 0, 0, 0, 40)};
	parity_adjusted a;
	CHECK(parity_ratio_adjusted(&a, none, 2, 0, NULL, 0.95) == 0);
	CHECK(!a.estimable);
	const parity_adjust_cell same[] = {cell(1, 1, 0, 5, 50), cell(0, 0, 0, 4, 40),
	                                   cell(1, 1, 0, 6, 30), cell(0, 0, 0, 2, 10)};
	const uint32_t two[] = {2};
	CHECK(parity_ratio_adjusted(&a, same, 4, 1, two, 0.95) == 0);
	CHECK(a.estimable && a.aliased == 1 && a.parameters == 2);
	CHECK_REL(a.ratio, 11.0 / 80.0 / (6.0 / 50.0), 1e-10);
	const parity_adjust_cell bad[] = {cell(1, 0, 0, 9, 5)};
	CHECK(parity_ratio_adjusted(&a, bad, 1, 0, NULL, 0.95) == PARITY_EUSAGE);
	const parity_adjust_cell out_of_range[] = {cell(1, 2, 0, 1, 5)};
	CHECK(parity_ratio_adjusted(&a, out_of_range, 1, 1, two, 0.95) == PARITY_EUSAGE);
	CHECK(parity_ratio_adjusted(&a, none, 2, 0, NULL, 1.5) == PARITY_EUSAGE);
}

int main(void)
{
	parity_init();
	RUN(test_adjusted_no_covariates_is_katz);
	RUN(test_adjusted_removes_confounding);
	RUN(test_adjusted_two_covariates_reference);
	RUN(test_adjusted_no_estimate_and_errors);
	return HARNESS_REPORT();
}
