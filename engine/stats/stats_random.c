/*
 * stats_random.c: random-effects summaries across organisations: the
 * DerSimonian-Laird between-unit variance, the Hartung-Knapp-Sidik-
 * Jonkman interval for the mean, the prediction interval for a new unit
 * and empirical-Bayes shrunken ratios. Pooling by Mantel-Haenszel lives in
 * stats_pool.c.
 */
#include "parity/stats.h"

#include "parity/common.h"
#include "stats_internal.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Start a summary with no estimate. */
static void random_clear(parity_random_effects *out, double level, size_t count)
{
	memset(out, 0, sizeof *out);
	out->level = level;
	out->units = count;
	out->ci_high = out->pi_high = INFINITY;
}

int parity_pool_random(parity_random_effects *out, double *shrunk,
                       const parity_stratum *units, size_t count, double level)
{
	double *y = NULL, *v = NULL;
	int rc;
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_pool_random: out is NULL");
	random_clear(out, level, count);
	if ((rc = stats_check_level(level)) != 0)
		return rc;
	if (count > 0 && !units)
		return parity_error_set(PARITY_EUSAGE, "parity_pool_random: units is NULL");
	for (size_t i = 0; shrunk && i < count; i++)
		shrunk[i] = NAN;
	y = malloc((count ? count : 1) * sizeof *y);
	v = malloc((count ? count : 1) * sizeof *v);
	if (!y || !v) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	/* Log ratios and variances; v NAN marks a unit left out. */
	size_t k = 0;
	for (size_t i = 0; i < count; i++) {
		char where[48];
		parity_log_ratio l;
		snprintf(where, sizeof where, "unit %zu: ", i + 1);
		if ((rc = stats_check_counts(units[i].x1, units[i].n1, units[i].x2,
		                             units[i].n2, where)) != 0 ||
		    (rc = parity_ratio_log_scale(&l, units[i].x1, units[i].n1, units[i].x2,
		                                 units[i].n2)) != 0)
			goto done;
		int usable = l.estimable && l.se > 0.0;
		y[i] = l.log_ratio;
		v[i] = usable ? l.se * l.se : NAN;
		k += (size_t)usable;
	}
	out->used = k;
	if (k < 2)
		goto done;

	/* Fixed-effect mean, Q and the DerSimonian-Laird moment estimate. */
	double sum_w = 0.0, sum_w2 = 0.0, sum_wy = 0.0;
	for (size_t i = 0; i < count; i++) {
		if (isnan(v[i]))
			continue;
		double w = 1.0 / v[i];
		sum_w += w;
		sum_w2 += w * w;
		sum_wy += w * y[i];
	}
	double fixed = sum_wy / sum_w, q = 0.0;
	for (size_t i = 0; i < count; i++)
		if (!isnan(v[i]))
			q += (y[i] - fixed) * (y[i] - fixed) / v[i];
	double df = (double)(k - 1);
	double c = sum_w - sum_w2 / sum_w;
	double tau2 = c > 0.0 ? fmax(0.0, (q - df) / c) : 0.0;

	/* The random-effects mean and its Hartung-Knapp-Sidik-Jonkman SE. */
	double sum_ws = 0.0, sum_wsy = 0.0;
	for (size_t i = 0; i < count; i++) {
		if (isnan(v[i]))
			continue;
		sum_ws += 1.0 / (v[i] + tau2);
		sum_wsy += y[i] / (v[i] + tau2);
	}
	double mu = sum_wsy / sum_ws, resid = 0.0;
	for (size_t i = 0; i < count; i++)
		if (!isnan(v[i]))
			resid += (y[i] - mu) * (y[i] - mu) / (v[i] + tau2);
	double se = sqrt(resid / (df * sum_ws));
	double t1 = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df);
	out->estimable = 1;
	out->q = q;
	out->tau2 = tau2;
	out->log_ratio = mu;
	out->ratio = exp(mu);
	out->se = se;
	out->ci_low = exp(mu - t1 * se);
	out->ci_high = exp(mu + t1 * se);
	if (k >= 3) {
		double t2 = gsl_cdf_tdist_Pinv(0.5 + level / 2.0, df - 1.0);
		double half = t2 * sqrt(tau2 + 1.0 / sum_ws);
		out->prediction_estimable = 1;
		out->pi_low = exp(mu - half);
		out->pi_high = exp(mu + half);
	}
	for (size_t i = 0; shrunk && i < count; i++)
		if (!isnan(v[i]))
			shrunk[i] = exp(mu + tau2 / (tau2 + v[i]) * (y[i] - mu));
done:
	free(y);
	free(v);
	return rc;
}
