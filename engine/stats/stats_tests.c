/*
 * stats_tests.c: significance tests for the 2x2 table x1, n1-x1 / x2, n2-x2:
 * Fisher's exact two-sided p (R's fisher.test convention), the mid-p (R
 * epitools convention) and Pearson's chi-square without continuity
 * correction. Exact for counts up to 10^12 without walking the support.
 * Also the test each interval method inverts (parity_test_score) and the
 * minimum detectable ratio at a given power (parity_ratio_mdr), and the
 * Holm and Benjamini-Hochberg adjustments for a family of tests.
 */
#include "parity/stats.h"

#include "parity/common.h"
#include "stats_internal.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdlib.h>

/* Exact products of two counts up to 10^12 (and sums of such products). */
__extension__ typedef unsigned __int128 u128;

/* R's fisher.test counts a table as "as extreme" when its probability is
 * at most the observed one times this. */
#define FISHER_RELATIVE_TOLERANCE 1e-7

/* A tail sum stops when its next term is below this share of the sum. */
#define TAIL_NEGLIGIBLE 1e-20L

/* ln(sqrt(2 pi)) */
#define LN_SQRT_2PI 0.918938533204672741780329736406

/*
 * The error of Stirling's formula: ln(n!) - ln(sqrt(2 pi n) (n/e)^n), for a
 * whole n >= 1 (Loader 2000, "Fast and accurate computation of binomial
 * probabilities"). Small n directly from ln Gamma; large n by its series.
 */
static double stirlerr(double n)
{
	const double s0 = 1.0 / 12, s1 = 1.0 / 360, s2 = 1.0 / 1260;
	const double s3 = 1.0 / 1680, s4 = 1.0 / 1188;
	if (n <= 15.0)
		return gsl_sf_lngamma(n + 1.0) - (n + 0.5) * log(n) + n - LN_SQRT_2PI;
	double nn = n * n;
	if (n > 500)
		return (s0 - s1 / nn) / n;
	if (n > 80)
		return (s0 - (s1 - s2 / nn) / nn) / n;
	if (n > 35)
		return (s0 - (s1 - (s2 - s3 / nn) / nn) / nn) / n;
	return (s0 - (s1 - (s2 - (s3 - s4 / nn) / nn) / nn) / nn) / n;
}

/* The deviance term x ln(x/np) + np - x, accurate when x is near np
 * (Loader 2000). */
static double bd0(double x, double np)
{
	if (fabs(x - np) < 0.1 * (x + np)) {
		double v = (x - np) / (x + np);
		double s = (x - np) * v;
		double ej = 2.0 * x * v;
		v = v * v;
		for (int j = 1; j < 1000; j++) {
			ej *= v;
			double s1 = s + ej / (2 * j + 1);
			if (s1 == s)
				return s1;
			s = s1;
		}
	}
	return x * log(x / np) + np - x;
}

/* ln of the binomial probability of x in n with success p (q = 1 - p),
 * 0 < p < 1, by Loader's saddle-point form. */
static double log_dbinom(double x, double n, double p, double q)
{
	if (x == 0.0)
		return n == 0.0 ? 0.0 : (p < 0.1 ? -bd0(n, n * q) - n * p : n * log(q));
	if (x == n)
		return q < 0.1 ? -bd0(n, n * p) - n * q : n * log(p);
	double lc = stirlerr(n) - stirlerr(x) - stirlerr(n - x) - bd0(x, n * p) -
	            bd0(n - x, n * q);
	/* ln(x (n - x) / n) from exact whole numbers: R's log1p(-x/n) loses
	 * digits when x is near n. */
	double lf = 2.0 * LN_SQRT_2PI + log(x) + log(n - x) - log(n);
	return lc - 0.5 * lf;
}

/* The table's margins and the hypergeometric support of x1. */
typedef struct hyper {
	uint64_t n1, n2, m, total; /* group sizes, reached in all, everyone */
	uint64_t lo, hi, mode;     /* support of x1 and its (lower) mode */
	double p, q;               /* m / total and its complement */
} hyper;

/* ln P(X = k) for X hypergeometric: as a ratio of three binomial
 * probabilities with a common p, which is exact for any p in (0,1). */
static double log_dhyper(const hyper *h, uint64_t k)
{
	return log_dbinom((double)k, (double)h->n1, h->p, h->q) +
	       log_dbinom((double)(h->m - k), (double)h->n2, h->p, h->q) -
	       log_dbinom((double)h->m, (double)h->total, h->p, h->q);
}

/*
 * P(X <= k) (down = 1) or P(X >= k) (down = 0), for k at or beyond the
 * mode on that side, so terms only shrink. Sums terms relative to P(X = k)
 * by the exact ratio of neighbours, stops when a term is negligible, and
 * scales back by exp(ln P(X = k)) (0 when that underflows).
 */
static double tail_sum(const hyper *h, uint64_t k, int down)
{
	long double sum = 1.0L, term = 1.0L;
	if (down) {
		/* P(j-1)/P(j) = j (n2 - m + j) / ((n1 - j + 1)(m - j + 1)) */
		for (uint64_t j = k; j > h->lo; j--) {
			term *= ((long double)j / (long double)(h->n1 - j + 1)) *
			        ((long double)(h->n2 + j - h->m) /
			         (long double)(h->m - j + 1));
			sum += term;
			if (term < TAIL_NEGLIGIBLE * sum)
				break;
		}
	} else {
		/* P(j+1)/P(j) = (n1 - j)(m - j) / ((j + 1)(n2 - m + j + 1)) */
		for (uint64_t j = k; j < h->hi; j++) {
			term *= ((long double)(h->n1 - j) / (long double)(j + 1)) *
			        ((long double)(h->m - j) /
			         (long double)(h->n2 + j + 1 - h->m));
			sum += term;
			if (term < TAIL_NEGLIGIBLE * sum)
				break;
		}
	}
	return (double)expl((long double)log_dhyper(h, k) + logl(sum));
}

int parity_test_fisher(double *p_two_sided, double *p_midp, uint64_t x1,
                       uint64_t n1, uint64_t x2, uint64_t n2)
{
	double two = 1.0, mid = 1.0;
	int rc = stats_check_counts(x1, n1, x2, n2, "");
	if (rc)
		return rc;

	hyper h = {.n1 = n1, .n2 = n2, .m = x1 + x2, .total = n1 + n2};
	h.lo = h.m > n2 ? h.m - n2 : 0;
	h.hi = h.m < n1 ? h.m : n1;
	if (h.lo == h.hi)
		goto done; /* one possible table: p = 1 */
	h.p = (double)h.m / (double)h.total;
	h.q = (double)(h.total - h.m) / (double)h.total;
	/* The mode floor((m+1)(n1+1)/(N+2)): P rises up to it, falls after. */
	h.mode = (uint64_t)(((u128)(h.m + 1) * (n1 + 1)) / (h.total + 2));
	if (h.mode < h.lo)
		h.mode = h.lo;
	if (h.mode > h.hi)
		h.mode = h.hi;

	double la = log_dhyper(&h, x1);
	double threshold = la + log1p(FISHER_RELATIVE_TOLERANCE);

	/* Left tail: the largest k <= mode with ln P(k) <= threshold. */
	double left = 0.0;
	if (log_dhyper(&h, h.lo) <= threshold) {
		uint64_t a = h.lo, b = h.mode; /* P(a) qualifies; find the last */
		while (a < b) {
			uint64_t mid_k = a + (b - a + 1) / 2;
			if (log_dhyper(&h, mid_k) <= threshold)
				a = mid_k;
			else
				b = mid_k - 1;
		}
		left = tail_sum(&h, a, 1);
	}
	/* Right tail: the smallest k > mode with ln P(k) <= threshold. */
	double right = 0.0;
	if (h.mode < h.hi && log_dhyper(&h, h.hi) <= threshold) {
		uint64_t a = h.mode + 1, b = h.hi; /* P(b) qualifies; find the first */
		while (a < b) {
			uint64_t mid_k = a + (b - a) / 2;
			if (log_dhyper(&h, mid_k) <= threshold)
				b = mid_k;
			else
				a = mid_k + 1;
		}
		right = tail_sum(&h, a, 0);
	}
	two = left + right;

	/* Mid-p: twice the smaller of P(X < x1) + P(x1)/2 and P(X > x1) +
	 * P(x1)/2, summing the tail away from the mode. */
	double pa = exp(la), lower, upper;
	if (x1 <= h.mode) {
		double below = x1 > h.lo ? tail_sum(&h, x1 - 1, 1) : 0.0;
		lower = below + pa / 2.0;
		upper = 1.0 - lower;
	} else {
		double above = x1 < h.hi ? tail_sum(&h, x1 + 1, 0) : 0.0;
		upper = above + pa / 2.0;
		lower = 1.0 - upper;
	}
	mid = 2.0 * (lower < upper ? lower : upper);
done:
	if (p_two_sided)
		*p_two_sided = two < 0.0 ? 0.0 : (two > 1.0 ? 1.0 : two);
	if (p_midp)
		*p_midp = mid < 0.0 ? 0.0 : (mid > 1.0 ? 1.0 : mid);
	return 0;
}

int parity_test_chisq(double *p, double *statistic, uint64_t x1, uint64_t n1,
                      uint64_t x2, uint64_t n2)
{
	double stat = 0.0, prob = 1.0;
	int rc = stats_check_counts(x1, n1, x2, n2, "");
	if (rc)
		return rc;
	uint64_t m = x1 + x2, total = n1 + n2;
	if (n1 > 0 && n2 > 0 && m > 0 && m < total) {
		/* X^2 = N (ad - bc)^2 / (n1 n2 m (N - m)), ad - bc exact. */
		u128 ad = (u128)x1 * (n2 - x2), bc = (u128)(n1 - x1) * x2;
		long double diff = ad >= bc ? (long double)(ad - bc)
		                            : (long double)(bc - ad);
		long double x2stat = (diff / (long double)n1) * (diff / (long double)n2) *
		                     ((long double)total / (long double)m) /
		                     (long double)(total - m);
		stat = (double)x2stat;
		prob = gsl_cdf_chisq_Q(stat, 1.0);
	}
	if (p)
		*p = prob;
	if (statistic)
		*statistic = stat;
	return 0;
}

/* (ln R / SE)^2 for the log interval with `add` added to every count:
 * Katz (add 0) or adjusted log (add 0.5); the delta-method variance as
 * stats.c writes it, (n-x)/((x+add)(n+add)) per group. */
static double wald_log_statistic(uint64_t x1, uint64_t n1, uint64_t x2,
                                 uint64_t n2, double add)
{
	long double a = (long double)x1 + add, b = (long double)n1 + add;
	long double c = (long double)x2 + add, d = (long double)n2 + add;
	long double lr = logl(a * d) - logl(c * b);
	long double v = (long double)(n1 - x1) / (a * b) +
	                (long double)(n2 - x2) / (c * d);
	if (!(v > 0.0L))
		return lr == 0.0L ? 0.0 : HUGE_VAL;
	return (double)(lr * lr / v);
}

int parity_test_score(double *p, double *statistic, uint64_t x1, uint64_t n1,
                      uint64_t x2, uint64_t n2, parity_ci_method method)
{
	double stat = 0.0;
	int rc = stats_check_counts(x1, n1, x2, n2, "");
	if (rc)
		return rc;
	int estimable = n1 > 0 && n2 > 0 && (x1 > 0 || x2 > 0);
	switch (method) {
	case PARITY_CI_KOOPMAN:
	case PARITY_CI_MN:
		if (estimable && (rc = parity_test_chisq(NULL, &stat, x1, n1, x2, n2)))
			return rc;
		if (method == PARITY_CI_MN) {
			double total = (double)n1 + (double)n2;
			stat *= (total - 1.0) / total;
		}
		break;
	case PARITY_CI_KATZ:
		if (estimable && x1 > 0 && x2 > 0)
			stat = wald_log_statistic(x1, n1, x2, n2, 0.0);
		break;
	case PARITY_CI_ADJUSTED_LOG:
		if (estimable)
			stat = wald_log_statistic(x1, n1, x2, n2, 0.5);
		break;
	default:
		return parity_error_set(PARITY_EUSAGE, "unknown interval method %d",
		                        (int)method);
	}
	if (p)
		*p = stat > 0.0 ? gsl_cdf_chisq_Q(stat, 1.0) : 1.0;
	if (statistic)
		*statistic = stat;
	return 0;
}

/* The detectability margin at u = ln R (see parity_ratio_mdr): |p1 - p2|
 * - z_{1-alpha/2} SE0 - z_power SE1, non-negative exactly when the score
 * test's power reaches the target; NAN where the rates leave (0, 1]. */
typedef struct mdr_design {
	double m, n1, n2;  /* outcomes in all, the two bases */
	double z_alpha;    /* z_{1-alpha/2} */
	double z_power;    /* z_power */
	double se0;        /* SE of p1 - p2 at the pooled rate m / (n1 + n2) */
} mdr_design;

static double mdr_margin(double u, const mdr_design *d)
{
	double r = exp(u);
	double p2 = d->m / (d->n1 * r + d->n2), p1 = r * p2;
	if (!(p1 > 0.0 && p1 <= 1.0 && p2 > 0.0 && p2 <= 1.0))
		return NAN;
	double se1 = sqrt(p1 * (1.0 - p1) / d->n1 + p2 * (1.0 - p2) / d->n2);
	return fabs(p1 - p2) - d->z_alpha * d->se0 - d->z_power * se1;
}

/* Bisect [lo, hi] (margin < 0 at lo, >= 0 at hi) to 1e-12 in u. */
static double mdr_bisect(double lo, double hi, const mdr_design *d)
{
	for (int i = 0; i < 200 && fabs(hi - lo) > 1e-12; i++) {
		double mid = 0.5 * (lo + hi);
		double f = mdr_margin(mid, d);
		if (f >= 0.0)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* Walk out from u = 0 in direction `dir` (fine steps near 1, coarser
 * further out) to the first u with a non-negative margin; NAN if the
 * rates' range or ln(1e6) is reached first. */
static double mdr_search(const mdr_design *d, double dir)
{
	const double limit = log(1e6);
	double prev = 0.0;
	while (fabs(prev) < limit) {
		double step = fabs(prev) < 1.0 ? 0.02 : 0.1;
		double u = prev + dir * step;
		double f = mdr_margin(u, d);
		if (isnan(f))
			return NAN;
		if (f >= 0.0)
			return exp(mdr_bisect(prev, u, d));
		prev = u;
	}
	return NAN;
}

int parity_ratio_mdr(double *low, double *high, uint64_t x1, uint64_t n1,
                     uint64_t x2, uint64_t n2, double alpha, double power)
{
	if (low)
		*low = NAN;
	if (high)
		*high = NAN;
	int rc = stats_check_counts(x1, n1, x2, n2, "");
	if (rc)
		return rc;
	if (!(alpha > 0.0 && alpha < 1.0) || !(power > 0.0 && power < 1.0))
		return parity_error_set(PARITY_EUSAGE, "minimum detectable ratio: "
		                        "alpha (%g) and power (%g) must lie between "
		                        "0 and 1", alpha, power);
	if (n1 == 0 || n2 == 0 || x1 + x2 == 0)
		return 0;
	mdr_design d = {
		.m = (double)(x1 + x2), .n1 = (double)n1, .n2 = (double)n2,
		.z_alpha = gsl_cdf_ugaussian_Qinv(alpha / 2.0),
		.z_power = gsl_cdf_ugaussian_Pinv(power),
	};
	double pooled = d.m / (d.n1 + d.n2);
	d.se0 = sqrt(pooled * (1.0 - pooled) * (1.0 / d.n1 + 1.0 / d.n2));
	/* Ties on the other side of u = 0 end each search at once. */
	if (isnan(mdr_margin(0.0, &d)))
		return 0;
	if (low)
		*low = mdr_search(&d, -1.0);
	if (high)
		*high = mdr_search(&d, 1.0);
	return 0;
}

/* ---- multiple comparisons ------------------------------------------------ */

/* An index into the p-values with its value, for sorting. */
typedef struct ranked_p {
	double p;     /* the unadjusted p */
	size_t index; /* where it came from */
} ranked_p;

static int compare_ranked(const void *a, const void *b)
{
	const ranked_p *x = a, *y = b;
	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return x->index < y->index ? -1 : (x->index > y->index);
}

/*
 * Holm's step-down and Benjamini-Hochberg's step-up adjustments over the
 * m p-values that are not NaN, with the p-values ranked p(1) <= ... <= p(m):
 *   Holm: p~(i) = max over j <= i of min(1, (m - j + 1) p(j));
 *   BH:   p~(i) = min over j >= i of min(1, m p(j) / j).
 * Both are R's p.adjust(method = "holm" / "BH"). NaN stays NaN in both
 * outputs (not a member of the family). Either output may be NULL.
 * Returns 0, PARITY_EUSAGE (NULL p with count > 0, a p outside [0,1]) or
 * PARITY_ENOMEM; on error the outputs are unchanged.
 */
int parity_p_adjust(double *holm, double *bh, size_t *family, const double *p,
                    size_t count)
{
	if (count > 0 && !p)
		return parity_error_set(PARITY_EUSAGE, "parity_p_adjust: p is NULL");
	size_t m = 0;
	for (size_t i = 0; i < count; i++) {
		if (isnan(p[i]))
			continue;
		if (!(p[i] >= 0.0 && p[i] <= 1.0))
			return parity_error_set(PARITY_EUSAGE, "p-value %zu is %g: p-values "
			                        "lie between 0 and 1", i + 1, p[i]);
		m++;
	}
	ranked_p *ranked = malloc((m ? m : 1) * sizeof *ranked);
	if (!ranked)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t i = 0, j = 0; i < count; i++)
		if (!isnan(p[i]))
			ranked[j++] = (ranked_p){p[i], i};
	qsort(ranked, m, sizeof *ranked, compare_ranked);
	for (size_t i = 0; i < count; i++) {
		if (holm)
			holm[i] = NAN;
		if (bh)
			bh[i] = NAN;
	}
	double running = 0.0;
	for (size_t j = 0; j < m && holm; j++) {
		double v = fmin(1.0, (double)(m - j) * ranked[j].p);
		running = fmax(running, v);
		holm[ranked[j].index] = running;
	}
	running = 1.0;
	for (size_t j = m; j-- > 0 && bh;) {
		double v = fmin(1.0, (double)m * ranked[j].p / (double)(j + 1));
		running = fmin(running, v);
		bh[ranked[j].index] = running;
	}
	if (family)
		*family = m;
	free(ranked);
	return 0;
}
