/*
 * stats_poisson.c: the ratio of two groups' rates adjusted for categorical
 * covariates by log-link Poisson regression with the robust sandwich
 * variance (Zou's modified Poisson), fitted on the count cube's cells,
 * which are sufficient statistics for a binary outcome. The derivation is
 * beside parity_ratio_adjusted() in parity/stats.h.
 */
#include "parity/stats.h"

#include "parity/common.h"
#include "stats_internal.h"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 100
#define STEP_TOLERANCE 1e-10

/* The design: which column each covariate level's dummy is (SIZE_MAX for
 * the reference level and for levels left out). */
typedef struct design {
	const parity_adjust_cell *cells;
	size_t count;
	size_t covariates;
	size_t *column[PARITY_ADJUST_MAX]; /* per covariate, per level */
	unsigned char *keep;               /* per cell: 1 when it enters the fit */
	size_t p;                          /* coefficients */
	int group_aliased;                 /* the group column is determined by others */
} design;

/* Fill row x (length p) for cell j: intercept, group, dummies. */
static void design_row(double *x, const design *d, size_t j)
{
	const parity_adjust_cell *c = &d->cells[j];
	memset(x, 0, d->p * sizeof *x);
	x[0] = 1.0;
	x[1] = c->group1 ? 1.0 : 0.0;
	for (size_t k = 0; k < d->covariates; k++) {
		size_t col = d->column[k][c->level[k]];
		if (col != SIZE_MAX)
			x[col] = 1.0;
	}
}

/* The Poisson log-likelihood sum x_j eta_j - n_j exp(eta_j) at beta. */
static double loglik(const design *d, const double *beta, double *x)
{
	double sum = 0.0;
	for (size_t j = 0; j < d->count; j++) {
		if (!d->keep[j])
			continue;
		design_row(x, d, j);
		double eta = 0.0;
		for (size_t a = 0; a < d->p; a++)
			eta += x[a] * beta[a];
		sum += (double)d->cells[j].x * eta - (double)d->cells[j].n * exp(eta);
	}
	return sum;
}

/* The score U, the bread A and (when meat is not NULL) the meat B at beta. */
static void moments(const design *d, const double *beta, double *x, gsl_vector *score,
                    gsl_matrix *bread, gsl_matrix *meat)
{
	gsl_vector_set_zero(score);
	gsl_matrix_set_zero(bread);
	if (meat)
		gsl_matrix_set_zero(meat);
	for (size_t j = 0; j < d->count; j++) {
		if (!d->keep[j])
			continue;
		const parity_adjust_cell *c = &d->cells[j];
		design_row(x, d, j);
		double eta = 0.0;
		for (size_t a = 0; a < d->p; a++)
			eta += x[a] * beta[a];
		double mu = exp(eta), xj = (double)c->x, nj = (double)c->n;
		double resid = xj - nj * mu;
		double spread = xj * (1.0 - mu) * (1.0 - mu) + (nj - xj) * mu * mu;
		for (size_t a = 0; a < d->p; a++) {
			if (x[a] == 0.0)
				continue;
			*gsl_vector_ptr(score, a) += x[a] * resid;
			for (size_t b = 0; b < d->p; b++) {
				if (x[b] == 0.0)
					continue;
				*gsl_matrix_ptr(bread, a, b) += nj * mu * x[a] * x[b];
				if (meat)
					*gsl_matrix_ptr(meat, a, b) += spread * x[a] * x[b];
			}
		}
	}
}

/* Check the cells and choose the columns: levels in which no one reached
 * the outcome are left out (with their cells). Returns 0 or an error. */
static int design_build(design *d, parity_adjusted *out, const uint32_t *levels)
{
	uint64_t *reached[PARITY_ADJUST_MAX] = {NULL};
	int rc = 0;
	for (size_t k = 0; k < d->covariates && !rc; k++) {
		reached[k] = calloc(levels[k] ? levels[k] : 1, sizeof *reached[k]);
		d->column[k] = calloc(levels[k] ? levels[k] : 1, sizeof *d->column[k]);
		if (!reached[k] || !d->column[k])
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	for (size_t j = 0; j < d->count && !rc; j++) {
		const parity_adjust_cell *c = &d->cells[j];
		char where[48];
		snprintf(where, sizeof where, "cell %zu: ", j + 1);
		if ((rc = stats_check_counts(c->x, c->n, 0, 0, where)))
			break;
		for (size_t k = 0; k < d->covariates && !rc; k++) {
			if (c->level[k] >= levels[k])
				rc = parity_error_set(PARITY_EUSAGE, "cell %zu: covariate %zu "
				                      "level %u is not below its %u levels",
				                      j + 1, k + 1, c->level[k], levels[k]);
			else
				reached[k][c->level[k]] += c->x;
		}
	}
	d->p = 2;
	for (size_t k = 0; k < d->covariates && !rc; k++)
		for (uint32_t l = 0; l < levels[k]; l++) {
			d->column[k][l] = SIZE_MAX;
			if (!reached[k][l])
				out->levels_dropped++;
			else if (l > 0)
				d->column[k][l] = d->p++;
		}
	for (size_t j = 0; j < d->count && !rc; j++) {
		const parity_adjust_cell *c = &d->cells[j];
		int keep = c->n > 0;
		for (size_t k = 0; k < d->covariates; k++)
			if (!reached[k][c->level[k]])
				keep = 0;
		d->keep[j] = (unsigned char)keep;
		out->cells_used += (size_t)keep;
	}
	for (size_t k = 0; k < d->covariates; k++)
		free(reached[k]);
	return rc;
}

/* Leave out aliased columns: factor G = sum n_j X_j X_j' column by column,
 * skipping a column whose pivot is below ALIAS_TOLERANCE of its diagonal
 * (the kept columns before it determine it), then renumber the columns.
 * Returns 0 or PARITY_ENOMEM; d->p shrinks by out->aliased. */
#define ALIAS_TOLERANCE 1e-9
static int drop_aliased(design *d, parity_adjusted *out, const uint32_t *levels)
{
	size_t p = d->p;
	double *g = calloc(p * p, sizeof *g), *l = calloc(p * p, sizeof *l);
	double *x = calloc(p, sizeof *x);
	size_t *renumber = calloc(p, sizeof *renumber);
	int rc = 0;
	if (!g || !l || !x || !renumber) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t j = 0; j < d->count; j++) {
		if (!d->keep[j])
			continue;
		design_row(x, d, j);
		for (size_t a = 0; a < p; a++)
			for (size_t b = 0; b < p; b++)
				g[a * p + b] += (double)d->cells[j].n * x[a] * x[b];
	}
	size_t kept = 0;
	for (size_t k = 0; k < p; k++) {
		double pivot = g[k * p + k];
		for (size_t i = 0; i < k; i++) {
			if (renumber[i] == SIZE_MAX)
				continue;
			double v = g[k * p + i];
			for (size_t m = 0; m < i; m++)
				if (renumber[m] != SIZE_MAX)
					v -= l[k * p + m] * l[i * p + m];
			l[k * p + i] = v / l[i * p + i];
			pivot -= l[k * p + i] * l[k * p + i];
		}
		if (pivot > ALIAS_TOLERANCE * g[k * p + k] && pivot > 0.0) {
			l[k * p + k] = sqrt(pivot);
			renumber[k] = kept++;
		} else {
			renumber[k] = SIZE_MAX;
			out->aliased++;
		}
	}
	for (size_t k = 0; k < d->covariates; k++)
		for (uint32_t v = 0; v < levels[k]; v++)
			if (d->column[k][v] != SIZE_MAX)
				d->column[k][v] = renumber[d->column[k][v]];
	d->group_aliased = renumber[0] != 0 || renumber[1] != 1;
	d->p = kept;
done:
	free(g);
	free(l);
	free(x);
	free(renumber);
	return rc;
}

int parity_ratio_adjusted(parity_adjusted *out, const parity_adjust_cell *cells,
                          size_t count, size_t covariates, const uint32_t *levels,
                          double level)
{
	design d;
	gsl_matrix *bread = NULL, *meat = NULL, *tmp = NULL, *var = NULL;
	gsl_vector *score = NULL, *step = NULL;
	double *beta = NULL, *trial = NULL, *x = NULL;
	int rc;
	if (!out)
		return parity_error_set(PARITY_EUSAGE, "parity_ratio_adjusted: out is NULL");
	memset(out, 0, sizeof *out);
	out->level = level;
	out->ci_high = INFINITY;
	out->p = 1.0;
	if ((rc = stats_check_level(level)))
		return rc;
	if (covariates > PARITY_ADJUST_MAX)
		return parity_error_set(PARITY_EUSAGE, "%zu covariates: at most %d",
		                        covariates, PARITY_ADJUST_MAX);
	if ((count > 0 && !cells) || (covariates > 0 && !levels))
		return parity_error_set(PARITY_EUSAGE, "parity_ratio_adjusted: NULL cells");
	memset(&d, 0, sizeof d);
	d.cells = cells;
	d.count = count;
	d.covariates = covariates;
	d.keep = calloc(count ? count : 1, 1);
	if (!d.keep) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = design_build(&d, out, levels)) || (rc = drop_aliased(&d, out, levels)))
		goto done;
	out->parameters = d.p;
	if (d.group_aliased)
		goto done;

	/* Each group needs someone who reached the outcome, or its
	 * coefficient runs to -infinity or +infinity. */
	double x1 = 0, x2 = 0, total_x = 0, total_n = 0;
	for (size_t j = 0; j < count; j++) {
		if (!d.keep[j])
			continue;
		(cells[j].group1 ? &x1 : &x2)[0] += (double)cells[j].x;
		total_x += (double)cells[j].x;
		total_n += (double)cells[j].n;
	}
	if (!(x1 > 0) || !(x2 > 0))
		goto done;

	size_t p = d.p;
	bread = gsl_matrix_alloc(p, p);
	meat = gsl_matrix_alloc(p, p);
	tmp = gsl_matrix_alloc(p, p);
	var = gsl_matrix_alloc(p, p);
	score = gsl_vector_alloc(p);
	step = gsl_vector_alloc(p);
	beta = calloc(p, sizeof *beta);
	trial = calloc(p, sizeof *trial);
	x = calloc(p, sizeof *x);
	if (!bread || !meat || !tmp || !var || !score || !step || !beta || !trial || !x) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	beta[0] = log(total_x / total_n);
	double current = loglik(&d, beta, x);
	for (out->iterations = 0; out->iterations < MAX_STEPS; out->iterations++) {
		moments(&d, beta, x, score, bread, NULL);
		/* A singular bread: covariates confounded with the groups. */
		if (gsl_linalg_cholesky_decomp1(bread) ||
		    gsl_linalg_cholesky_solve(bread, score, step))
			goto done;
		double scale = 1.0, next = 0.0, moved = 0.0;
		for (int halvings = 0; halvings < 40; halvings++, scale /= 2.0) {
			for (size_t a = 0; a < p; a++)
				trial[a] = beta[a] + scale * gsl_vector_get(step, a);
			next = loglik(&d, trial, x);
			if (next >= current - 1e-12 * fabs(current))
				break;
		}
		for (size_t a = 0; a < p; a++) {
			moved = fmax(moved, fabs(trial[a] - beta[a]));
			beta[a] = trial[a];
		}
		current = next;
		if (moved < STEP_TOLERANCE) {
			out->converged = 1;
			break;
		}
	}
	if (!out->converged)
		goto done;

	/* V = A^-1 B A^-1 at the estimate. */
	moments(&d, beta, x, score, bread, meat);
	if (gsl_linalg_cholesky_decomp1(bread) || gsl_linalg_cholesky_invert(bread))
		goto done;
	gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, bread, meat, 0.0, tmp);
	gsl_blas_dgemm(CblasNoTrans, CblasNoTrans, 1.0, tmp, bread, 0.0, var);
	double se = sqrt(gsl_matrix_get(var, 1, 1));
	if (!isfinite(se) || !(se > 0.0) || !isfinite(beta[1]))
		goto done;
	double z = parity_stats_z(level);
	out->estimable = 1;
	out->ratio = exp(beta[1]);
	out->log_se = se;
	out->ci_low = exp(beta[1] - z * se);
	out->ci_high = exp(beta[1] + z * se);
	out->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(beta[1] / se));
done:
	for (size_t k = 0; k < PARITY_ADJUST_MAX; k++)
		free(d.column[k]);
	free(d.keep);
	gsl_matrix_free(bread);
	gsl_matrix_free(meat);
	gsl_matrix_free(tmp);
	gsl_matrix_free(var);
	gsl_vector_free(score);
	gsl_vector_free(step);
	free(beta);
	free(trial);
	free(x);
	return rc;
}
