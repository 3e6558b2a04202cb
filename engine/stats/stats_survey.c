/*
 * stats_survey.c: the figures of a staff survey compared by group: a
 * proportion with Wilson's score interval, the difference of two
 * proportions with Newcombe's hybrid score interval, and a mean and the
 * difference of two means with t intervals (Welch). Numbers in, numbers
 * out; the formulas are in include/parity/stats.h.
 */
#include "parity/stats.h"

#include "parity/common.h"
#include "stats_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

static double normal_quantile(double level)
{
	return gsl_cdf_ugaussian_Pinv(0.5 + level / 2.0);
}

/* The Wilson limits of x/n (n > 0, x <= n) with quantile z. */
static void wilson(double *low, double *high, uint64_t x, uint64_t n, double z)
{
	double nn = (double)n, p = (double)x / nn, z2 = z * z;
	double denominator = 1.0 + z2 / nn;
	double centre = (p + z2 / (2.0 * nn)) / denominator;
	double half = z * sqrt(p * (1.0 - p) / nn + z2 / (4.0 * nn * nn)) / denominator;
	*low = x == 0 ? 0.0 : centre - half;   /* exact at the edges, no rounding */
	*high = x == n ? 1.0 : centre + half;
}

static int check_proportion(uint64_t x, uint64_t n, const char *which)
{
	if (!n)
		return parity_error_set(PARITY_EUSAGE, "%sno respondents (base 0)", which);
	if (x > n)
		return parity_error_set(PARITY_EUSAGE, "%s%llu positive of %llu: more than "
		                        "the base", which, (unsigned long long)x,
		                        (unsigned long long)n);
	return 0;
}

int parity_proportion_wilson(parity_estimate *out, uint64_t x, uint64_t n, double level)
{
	int rc;
	if ((rc = check_proportion(x, n, "")) || (rc = stats_check_level(level)))
		return rc;
	out->value = (double)x / (double)n;
	wilson(&out->low, &out->high, x, n, normal_quantile(level));
	return 0;
}

int parity_difference_newcombe(parity_estimate *out, uint64_t x1, uint64_t n1,
                               uint64_t x2, uint64_t n2, double level)
{
	int rc;
	if ((rc = check_proportion(x1, n1, "group 1: ")) ||
	    (rc = check_proportion(x2, n2, "group 2: ")) || (rc = stats_check_level(level)))
		return rc;
	double z = normal_quantile(level), l1, u1, l2, u2;
	double p1 = (double)x1 / (double)n1, p2 = (double)x2 / (double)n2;
	wilson(&l1, &u1, x1, n1, z);
	wilson(&l2, &u2, x2, n2, z);
	out->value = p1 - p2;
	out->low = out->value - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
	out->high = out->value + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
	return 0;
}

static int check_mean(double mean, double sd, uint64_t n, const char *which)
{
	if (n < 2)
		return parity_error_set(PARITY_EUSAGE, "%sa mean needs at least 2 "
		                        "respondents for its interval", which);
	if (!isfinite(mean) || !isfinite(sd) || sd < 0)
		return parity_error_set(PARITY_EUSAGE, "%sthe mean and a standard deviation "
		                        "of 0 or more are needed", which);
	return 0;
}

int parity_mean_t(parity_estimate *out, double mean, double sd, uint64_t n, double level)
{
	int rc;
	if ((rc = check_mean(mean, sd, n, "")) || (rc = stats_check_level(level)))
		return rc;
	double t = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, (double)(n - 1));
	double half = t * sd / sqrt((double)n);
	out->value = mean;
	out->low = mean - half;
	out->high = mean + half;
	return 0;
}

int parity_difference_welch(parity_estimate *out, double mean1, double sd1, uint64_t n1,
                            double mean2, double sd2, uint64_t n2, double level)
{
	int rc;
	if ((rc = check_mean(mean1, sd1, n1, "group 1: ")) ||
	    (rc = check_mean(mean2, sd2, n2, "group 2: ")) || (rc = stats_check_level(level)))
		return rc;
	double v1 = sd1 * sd1 / (double)n1, v2 = sd2 * sd2 / (double)n2;
	double se = sqrt(v1 + v2);
	out->value = mean1 - mean2;
	if (se == 0.0) {
		out->low = out->high = out->value;
		return 0;
	}
	double df = (v1 + v2) * (v1 + v2) /
	            (v1 * v1 / (double)(n1 - 1) + v2 * v2 / (double)(n2 - 1));
	double half = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df) * se;
	out->low = out->value - half;
	out->high = out->value + half;
	return 0;
}
