/*
 * organisations.c: what an indicator's organisation breakdown adds beside
 * its Mantel-Haenszel row: each organisation's place on the funnel plot
 * (with the limits asked for) and the random-effects summary across
 * organisations with each one's empirical-Bayes shrunken ratio. Formulas
 * live in the statistics module; this file only chooses the units.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdlib.h>

/* The funnel around the pooled row's Mantel-Haenszel ratio: each unit's
 * position and limits into its row. 0 or an error; nothing is set when
 * the pooled ratio is no centre (none, 0 or infinite). */
static int funnel_place(parity_result_row *rows, const parity_stratum *units,
                        const size_t *unit_rows, size_t used,
                        parity_result_row *pooled,
                        const parity_analyse_options *options)
{
	double target = pooled->pool.ratio;
	if (!used || !pooled->pool.estimable || !(target > 0) || isinf(target))
		return 0;
	parity_funnel_point *points = calloc(used, sizeof *points);
	if (!points)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	parity_funnel fit;
	int rc = parity_funnel_compute(&fit, points, units, used, target,
	                               options->funnel_adjust);
	if (rc)
		goto done;
	pooled->funnel_fit = fit;
	pooled->funnel_limits = options->funnel_limits;
	for (size_t i = 0; i < used; i++) {
		parity_result_row *row = &rows[unit_rows[i]];
		parity_funnel_bounds b;
		row->funnel = points[i];
		row->funnel_limits = options->funnel_limits;
		if (!points[i].estimable)
			continue;
		if ((rc = parity_funnel_bounds_compute(&b, &fit, &units[i],
		                                       options->funnel_limits)))
			goto done;
		if (!b.available)
			continue; /* Byar with no group 2 case: no expected count */
		row->funnel_placed = 1;
		row->funnel.outside95 = b.outside95;
		row->funnel.outside998 = b.outside998;
		row->funnel_low95 = b.low95;
		row->funnel_high95 = b.high95;
		row->funnel_low998 = b.low998;
		row->funnel_high998 = b.high998;
	}
done:
	free(points);
	return rc;
}

/* The random-effects summary into the pooled row and each unit's shrunken
 * ratio into its row (beside its own ratio, never replacing it). */
static int random_place(parity_result_row *rows, const parity_stratum *units,
                        const size_t *unit_rows, size_t used,
                        parity_result_row *pooled,
                        const parity_analyse_options *options)
{
	double *shrunk = calloc(used ? used : 1, sizeof *shrunk);
	if (!shrunk)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	int rc = parity_pool_random(&pooled->random, shrunk, units, used,
	                            options->settings.level);
	for (size_t i = 0; !rc && i < used; i++) {
		parity_result_row *row = &rows[unit_rows[i]];
		row->shrunk_ratio = shrunk[i];
		row->shrunk_placed = !isnan(shrunk[i]);
	}
	free(shrunk);
	return rc;
}

int across_organisations(parity_result_row *rows, size_t first_row,
                         const group_sum *sums, size_t n, size_t pooled_row,
                         const parity_analyse_options *options)
{
	parity_stratum *units = calloc(n ? n : 1, sizeof *units);
	size_t *unit_rows = calloc(n ? n : 1, sizeof *unit_rows);
	size_t used = 0;
	int rc = 0;
	if (!units || !unit_rows) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		if (!counts_possible(&sums[i].counts))
			continue; /* flagged on its own row */
		units[used] = sums[i].counts;
		unit_rows[used] = first_row + i;
		used++;
	}
	parity_result_row *pooled = &rows[pooled_row];
	if (!(rc = random_place(rows, units, unit_rows, used, pooled, options)))
		rc = funnel_place(rows, units, unit_rows, used, pooled, options);
done:
	free(units);
	free(unit_rows);
	return rc;
}
