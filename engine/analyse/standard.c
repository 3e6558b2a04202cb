/*
 * standard.c: the standard indicators (WRES 2-4, WDES 2-3): the groupings
 * their tallies need, their rows (overall, by organisation, pay band and
 * staff group, each pooled by Mantel-Haenszel; funnel positions; Kline's
 * compound ratio across pay bands) and the trend by financial year.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The axes of the standard indicators that count measure `m`, in their
 * order, into `out` (at least two): how many. */
static size_t standard_axes(axis *out, measure m)
{
	size_t n = 0;
	for (size_t i = 0; parity_indicator_info_at(i); i++) {
		const parity_indicator_info *info = parity_indicator_info_at(i);
		if (strcmp(info->measure, measure_get(m)->name))
			continue;
		grouping g;
		grouping_standard(&g, info);
		size_t k = 0;
		while (k < n && !(out[k].dim == g.axes[0].dim && out[k].mode == g.axes[0].mode))
			k++;
		if (k == n && n < 2)
			out[n++] = g.axes[0];
	}
	return n;
}

/* Ask `t` for what its standard indicators read: the organisation
 * breakdown (and the overall sums from it), with `full` also pay band and
 * staff group. */
static int want_standard(tally *t, int full)
{
	static const int strata[] = {D_ORG, D_PAY, D_GROUP};
	axis slots[3];
	size_t n = standard_axes(slots + 1, t->m);
	int rc = 0;
	for (size_t k = 0; n && k < (full ? 3u : 1u) && !rc; k++) {
		slots[0] = (axis){strata[k], (axis_mode)AX_VALUE};
		rc = tally_want(t, slots, n + 1);
	}
	return rc;
}

/* Set up every measure for `period` (`all` 0: only those of the standard
 * indicators; the others stay empty), over the rolling window for rolling
 * measures, with the cubes their rows read (`all` 1: the period's rows;
 * 0: a trend year's), and register them with `p`. */
int standard_plan(tally tallies[M_COUNT], plan *p, const parity_period *period,
                  const parity_analyse_options *options, int all)
{
	parity_period window[MAX_ROLLING_YEARS];
	int rc = 0;
	for (int m = 0; m < M_COUNT && !rc; m++) {
		unsigned years = measure_get((measure)m)->rolling ? options->rolling_years : 1;
		size_t n = window_periods(window, period, years);
		tally *t = &tallies[m];
		tally_init(t, (measure)m, rule_of_measure((measure)m), p->vals, window, n);
		if (!all && !measure_indicated((measure)m))
			continue;
		if ((rc = want_standard(t, all)))
			break;
		if (all && !options->no_comparisons && (rc = comparisons_want(t, options)))
			break;
		if (all && (rc = adjust_want(t, options)))
			break;
		if (t->cube_count)
			rc = plan_add(p, t);
	}
	return rc;
}

/* ---- the standard indicators ---------------------------------------------- */

/* What every row of one standard indicator shares. */
typedef struct indicator_run {
	parity_results *results;
	const parity_indicator_info *info;
	const tally *t;
	grouping g;
	const parity_analyse_options *options;
	parity_result_row **rows;  /* where the rows go (main or trend) */
	size_t *count;
	size_t *capacity;
	const char *period;        /* the rows' period label */
} indicator_run;

static parity_result_row *indicator_row(indicator_run *run, const char *kind,
                                        const char *stratum, const group_sum *s)
{
	parity_result_row *row = rows_add(run->rows, run->count, run->capacity);
	if (!row)
		return NULL;
	text_copy(row->indicator, sizeof row->indicator, run->info->code);
	text_copy(row->grouping, sizeof row->grouping, run->g.name);
	text_copy(row->characteristic, sizeof row->characteristic, run->g.characteristic);
	text_copy(row->group1, sizeof row->group1, run->g.label1);
	text_copy(row->group2, sizeof row->group2, run->g.label2);
	text_copy(row->stratum_kind, sizeof row->stratum_kind, kind);
	text_copy(row->stratum, sizeof row->stratum, stratum);
	text_copy(row->period, sizeof row->period, run->period);
	row_context(row, run->t, s);
	return row;
}

/* A stratum value as a label: "" becomes "not recorded". */
static const char *stratum_label(const tally *t, int dim, uint32_t key)
{
	const char *text = tally_text(t, dim, key);
	return text[0] ? text : "not recorded";
}

/* Sum the exclusions of `sums` into one group_sum for a pooled row. */
static void sum_all(group_sum *total, const group_sum *sums, size_t n)
{
	memset(total, 0, sizeof *total);
	for (size_t i = 0; i < n; i++) {
		total->unknown_base += sums[i].unknown_base;
		total->unknown_outcome += sums[i].unknown_outcome;
		total->bank_base += sums[i].bank_base;
		total->bank_outcome += sums[i].bank_outcome;
		total->no_contract_outcome += sums[i].no_contract_outcome;
	}
}

/*
 * One breakdown: a row per value of `dim`, then the Mantel-Haenszel pooled
 * row with the homogeneity test. `crude` is the overall row's ratio, to
 * warn when pooling reverses its direction (Simpson's paradox).
 * `funnel`: place the strata on a funnel plot (organisations).
 */
static int breakdown(indicator_run *run, int dim, const char *kind,
                     const char *pooled_label, const parity_ratio *crude, int funnel,
                     group_sum **sums_out, size_t *count_out)
{
	group_sum *sums = NULL;
	parity_stratum *strata = NULL;
	size_t n = 0, used = 0;
	int rc = tally_sum(&sums, &n, run->t, &run->g, dim, run->options->include_bank);
	if (rc)
		return rc;
	size_t first_row = *run->count;
	for (size_t i = 0; i < n && !rc; i++) {
		parity_result_row *row = indicator_row(run, kind,
		                                       stratum_label(run->t, dim, sums[i].key),
		                                       &sums[i]);
		if (!row) {
			rc = PARITY_ENOMEM;
			break;
		}
		rc = row_crude(row, &sums[i], &run->options->settings);
	}
	if (rc || n < 2)
		goto done;

	strata = calloc(n, sizeof *strata);
	if (!strata) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	parity_stratum total = {0, 0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		if (!counts_possible(&sums[i].counts))
			continue; /* flagged on its own row; cannot be pooled */
		strata[used++] = sums[i].counts;
		total.x1 += sums[i].counts.x1;
		total.n1 += sums[i].counts.n1;
		total.x2 += sums[i].counts.x2;
		total.n2 += sums[i].counts.n2;
	}
	parity_pooled pool;
	if ((rc = parity_pool_mh(&pool, strata, used, run->options->settings.level)))
		goto done;
	group_sum excluded;
	sum_all(&excluded, sums, n);
	parity_result_row *row = indicator_row(run, kind, pooled_label, &excluded);
	if (!row) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	row_pooled(row, &pool, &total, &run->options->settings);
	if (used < n)
		row_flag(row, "strata_left_out");
	if (crude && crude->estimable && pool.estimable && crude->ratio > 0 &&
	    pool.ratio > 0 && !isinf(crude->ratio) && !isinf(pool.ratio) &&
	    ((crude->ratio > 1 && pool.ratio < 1) || (crude->ratio < 1 && pool.ratio > 1))) {
		row->direction_reversed = 1;
		row_flag(row, "direction_reversed");
	}
	if (funnel)
		rc = across_organisations(*run->rows, first_row, sums, n, *run->count - 1,
		                          run->options);
done:
	free(strata);
	if (!rc && sums_out) {
		*sums_out = sums;
		*count_out = n;
	} else {
		free(sums);
	}
	return rc;
}

/*
 * Kline's compound ratio: for a ladder starting at band `from`, the product
 * of the appointment ratios for posts at each higher Agenda for Change band
 * in turn (5 to 6, 6 to 7, ...), one row per top band reached. A band with
 * nobody shortlisted in either group is not a step and is skipped.
 */
static int kline_rows(indicator_run *run, const group_sum *bands, size_t n)
{
	const char *from = run->options->kline_from ? run->options->kline_from : "5";
	int from_rank = afc_band_rank(from);
	parity_stratum steps[16];
	char names[sizeof ((parity_result_row *)0)->steps] = "";
	size_t count = 0;
	int low = 0, rc = 0;
	for (size_t i = 0; i < n && count < 16 && !rc; i++) {
		const char *band = tally_text(run->t, D_PAY, bands[i].key);
		int rank = afc_band_rank(band);
		const parity_stratum *c = &bands[i].counts;
		if (rank <= from_rank || !c->n1 || !c->n2 || !counts_possible(c))
			continue;
		steps[count++] = *c;
		size_t used = strlen(names);
		snprintf(names + used, sizeof names - used, "%s%s", used ? ";" : "", band);
		low |= parity_ratio_low_count(c->x1, c->n1, c->x2, c->n2,
		                              run->options->settings.low_count_min);
		parity_compound compound;
		if ((rc = parity_compound_ratio(&compound, steps, count,
		                                run->options->settings.level)))
			break;
		char stratum[64];
		snprintf(stratum, sizeof stratum, "band %s to %s", from, band);
		parity_result_row *row = indicator_row(run, "kline", stratum, NULL);
		if (!row)
			return PARITY_ENOMEM;
		parity_stratum none = {0, 0, 0, 0};
		ratio_untested(&row->ratio, &none, &run->options->settings);
		row->ratio.level = compound.level;
		row->ratio.estimable = compound.estimable;
		row->ratio.ratio = compound.ratio;
		row->ratio.ci_low = compound.ci_low;
		row->ratio.ci_high = compound.ci_high;
		row->ratio.band = parity_band_classify(compound.ratio, compound.estimable);
		row->ratio.excludes_one = compound.estimable &&
		                          (compound.ci_low > 1 || compound.ci_high < 1);
		row->ratio.low_count = low;
		row->compound = compound;
		text_copy(row->steps, sizeof row->steps, names);
		snprintf(row->estimate, sizeof row->estimate, "kline-compound");
		snprintf(row->interval, sizeof row->interval, "log-sum");
	}
	return rc;
}

/*
 * One standard indicator from its measure's tally: the overall row, then
 * the organisation, pay band and staff group breakdowns (with Kline's
 * compound ratio for appointment indicators). `full` 0 gives only the
 * overall and organisation rows (the trend series).
 */
static int standard_indicator(indicator_run *run, int full)
{
	group_sum *all = NULL, *orgs = NULL, *bands = NULL;
	size_t all_count = 0, org_count = 0, band_count = 0;
	int rc;
	grouping_standard(&run->g, run->info);
	if ((rc = tally_sum(&all, &all_count, run->t, &run->g, -1,
	                    run->options->include_bank)))
		return rc;
	if ((rc = tally_sum(&orgs, &org_count, run->t, &run->g, D_ORG,
	                    run->options->include_bank)))
		goto done;
	const char *overall_label = org_count == 1
	                                    ? tally_text(run->t, D_ORG, orgs[0].key)
	                                    : "All organisations";
	parity_result_row *row = indicator_row(run, "overall", overall_label, &all[0]);
	if (!row) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	size_t overall_index = *run->count - 1;
	if ((rc = row_crude(row, &all[0], &run->options->settings)) ||
	    (full && (rc = row_adjust(row, run->t, &run->g, run->options))))
		goto done;
	parity_ratio crude = (*run->rows)[overall_index].ratio;
	if (run->rows == &run->results->rows && !strcmp(run->info->code, "WRES2"))
		run->results->excluded_not_stated = all[0].unknown_base;
	if (org_count > 1 &&
	    (rc = breakdown(run, D_ORG, "organisation", "All organisations (pooled)",
	                    &crude, full, NULL, NULL)))
		goto done;
	if (!full)
		goto done;
	if ((rc = breakdown(run, D_PAY, "pay_band", "All pay bands (pooled)", &crude, 0,
	                    &bands, &band_count)))
		goto done;
	if ((rc = breakdown(run, D_GROUP, "staff_group", "All staff groups (pooled)",
	                    &crude, 0, NULL, NULL)))
		goto done;
	if (!strcmp(run->info->measure, "appointment"))
		rc = kline_rows(run, bands, band_count);
done:
	free(all);
	free(orgs);
	free(bands);
	return rc;
}

/* The rows of every standard indicator for `period` from `tallies` (the
 * run's own, not a trend year's); a note for each without data. `*any` is
 * set when one had data. */
int standard_add(parity_results *results, const tally tallies[M_COUNT],
                 const parity_analyse_options *options, const parity_period *period,
                 int *any)
{
	int rc = 0;
	for (size_t i = 0; parity_indicator_info_at(i) && !rc; i++) {
		const parity_indicator_info *info = parity_indicator_info_at(i);
		const tally *t = &tallies[measure_of_indicator(info)];
		if (!t->periods || !t->cells) {
			rc = results_note(results, "%s: no %s data for %s%s%s", info->code,
			                  measure_get(measure_of_indicator(info))->name,
			                  period->label,
			                  options->organisation ? " and organisation " : "",
			                  options->organisation ? options->organisation : "");
			continue;
		}
		indicator_run run = {
			.results = results, .info = info, .t = t, .options = options,
			.rows = &results->rows, .count = &results->count,
			.capacity = &results->capacity, .period = period->label,
		};
		rc = standard_indicator(&run, 1);
		*any = 1;
	}
	return rc;
}

/* ---- trend ------------------------------------------------------------------ */

void trend_free(trend_plan *tp)
{
	for (size_t y = 0; y < tp->count; y++)
		for (int m = 0; m < M_COUNT; m++)
			tally_free(&tp->years[y][m]);
	free(tp->years);
	free(tp->periods);
	memset(tp, 0, sizeof *tp);
}

/* Set up and register the tallies of every financial year from the first
 * to the last month of data. Returns 0 or a negative parity error. */
int trend_plan_make(trend_plan *tp, plan *p, parity_store *store,
                           const parity_analyse_options *options)
{
	int first = 0, last = 0, found = 0, rc = 0;
	memset(tp, 0, sizeof *tp);
	for (int m = 0; m < M_COUNT; m++) {
		rc = tally_span(store, (measure)m, options->organisation, &tp->spans[m][0],
		                &tp->spans[m][1]);
		if (rc < 0)
			return rc;
		tp->has[m] = rc == 0;
		rc = 0;
		if (!tp->has[m])
			continue;
		if (!found || tp->spans[m][0] < first)
			first = tp->spans[m][0];
		if (!found || tp->spans[m][1] > last)
			last = tp->spans[m][1];
		found = 1;
	}
	if (!found)
		return 0;
	parity_period year;
	size_t years = 0;
	parity_period_financial_year(&year, first);
	for (; year.first_month <= last; parity_period_financial_year(&year, year.last_month + 1))
		years++;
	tp->years = calloc(years, sizeof *tp->years);
	tp->periods = calloc(years, sizeof *tp->periods);
	if (!tp->years || !tp->periods) {
		trend_free(tp);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	parity_period_financial_year(&year, first);
	for (; tp->count < years && !rc;
	     parity_period_financial_year(&year, year.last_month + 1)) {
		tp->periods[tp->count] = year;
		rc = standard_plan(tp->years[tp->count++], p, &year, options, 0);
	}
	return rc;
}

/* One row set per financial year the data runs to the end of, for every
 * standard indicator: the overall row, each organisation's and their
 * pooled row. */
int trend_series(parity_results *results, const trend_plan *tp,
                        const parity_analyse_options *options)
{
	int rc = 0;
	for (size_t y = 0; y < tp->count && !rc; y++) {
		const parity_period *year = &tp->periods[y];
		for (size_t i = 0; parity_indicator_info_at(i) && !rc; i++) {
			const parity_indicator_info *info = parity_indicator_info_at(i);
			measure m = measure_of_indicator(info);
			const tally *t = &tp->years[y][m];
			/* Finished years only: the data runs to the year's end (a
			 * year the data starts part-way through is flagged). */
			if (!tp->has[m] || year->last_month > tp->spans[m][1] || !t->periods ||
			    !t->cells)
				continue;
			indicator_run run = {
				.results = results, .info = info, .t = t,
				.options = options, .rows = &results->trend,
				.count = &results->trend_count,
				.capacity = &results->trend_capacity, .period = year->label,
			};
			rc = standard_indicator(&run, 0);
		}
	}
	return rc;
}
