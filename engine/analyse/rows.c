/*
 * rows.c: building result rows: adding a row, its crude and pooled ratios,
 * its context (counts, flags, suppression hints) and the notes of a run.
 * Used by every analysis that writes rows; calls only the statistics
 * module and the tallies.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


parity_result_row *rows_add(parity_result_row **rows, size_t *count,
                            size_t *capacity)
{
	if (*count == *capacity) {
		size_t grown_capacity = *capacity ? *capacity * 2 : 16;
		parity_result_row *grown = realloc(*rows, grown_capacity * sizeof *grown);
		if (!grown) {
			parity_error_set(PARITY_ENOMEM, "out of memory");
			return NULL;
		}
		*rows = grown;
		*capacity = grown_capacity;
	}
	parity_result_row *row = &(*rows)[(*count)++];
	memset(row, 0, sizeof *row);
	return row;
}

int results_note(parity_results *results, const char *fmt, ...)
{
	char (*grown)[200] = realloc(results->notes,
	                             (results->note_count + 1) * sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	results->notes = grown;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(results->notes[results->note_count], sizeof results->notes[0], fmt, ap);
	va_end(ap);
	results->note_count++;
	return 0;
}

void row_flag(parity_result_row *row, const char *flag)
{
	size_t used = strlen(row->flags);
	if (used + strlen(flag) + 2 > sizeof row->flags)
		return;
	snprintf(row->flags + used, sizeof row->flags - used, "%s%s", used ? ";" : "",
	         flag);
}

/* Fields of a ratio with no test: NaN p-values, the settings' method. */
void ratio_untested(parity_ratio *r, const parity_stratum *c,
                    const parity_stats_settings *settings)
{
	memset(r, 0, sizeof *r);
	r->x1 = c->x1;
	r->n1 = c->n1;
	r->x2 = c->x2;
	r->n2 = c->n2;
	r->method = settings->method;
	r->level = settings->level;
	r->ci_high = INFINITY;
	r->p_fisher = r->p_midp = r->p_chisq = r->p_score = NAN;
	r->mdr_low = r->mdr_high = NAN;
	r->low_count_min = settings->low_count_min;
	r->low_count = parity_ratio_low_count(c->x1, c->n1, c->x2, c->n2,
	                                      settings->low_count_min);
}

int counts_possible(const parity_stratum *c)
{
	return c->x1 <= c->n1 && c->x2 <= c->n2;
}

int row_crude(parity_result_row *row, const group_sum *s,
              const parity_stats_settings *settings)
{
	snprintf(row->estimate, sizeof row->estimate, "crude");
	text_copy(row->interval, sizeof row->interval, parity_ci_method_name(settings->method));
	if (!counts_possible(&s->counts)) {
		/* More cases than headcount (people who left before the snapshot,
		 * in a small stratum): no ratio can be made of it. */
		ratio_untested(&row->ratio, &s->counts, settings);
		row_flag(row, "outcome_exceeds_base");
		return 0;
	}
	return parity_ratio_compute(&row->ratio, s->counts.x1, s->counts.n1,
	                            s->counts.x2, s->counts.n2, settings);
}

void row_pooled(parity_result_row *row, const parity_pooled *pool,
                const parity_stratum *total, const parity_stats_settings *settings)
{
	ratio_untested(&row->ratio, total, settings);
	row->ratio.level = pool->level;
	row->ratio.estimable = pool->estimable;
	row->ratio.ratio = pool->ratio;
	row->ratio.ci_low = pool->ci_low;
	row->ratio.ci_high = pool->ci_high;
	row->ratio.band = pool->band;
	row->ratio.excludes_one = pool->excludes_one;
	row->pool = *pool;
	row->pooled = 1;
	snprintf(row->estimate, sizeof row->estimate, "mantel-haenszel");
	snprintf(row->interval, sizeof row->interval, "greenland-robins");
}

void row_context(parity_result_row *row, const tally *t, const group_sum *s)
{
	text_copy(row->measure, sizeof row->measure, measure_get(t->m)->name);
	text_copy(row->window, sizeof row->window, t->label);
	row->window_first_month = t->first_month;
	row->window_last_month = t->last_month;
	row->window_periods = t->periods;
	text_copy(row->snapshots, sizeof row->snapshots, t->snapshots);
	if (s) {
		row->excluded_not_stated_base = s->unknown_base;
		row->excluded_not_stated_outcome = s->unknown_outcome;
		row->excluded_bank_base = s->bank_base;
		row->excluded_bank_outcome = s->bank_outcome;
		row->outcome_without_contract = s->no_contract_outcome;
	}
	if (t->periods < t->periods_asked)
		row_flag(row, "window_incomplete");
	if (t->partial)
		row_flag(row, "period_partly_covered");
	if (t->stale_snapshot)
		row_flag(row, "headcount_before_period");
	if (t->outcome_no_headcount)
		row_flag(row, "outcome_without_headcount");
}

parity_result_row *row_add_grouped(parity_results *results, const char *indicator,
                                   const grouping *g, const char *stratum_kind,
                                   const char *stratum, const tally *t,
                                   const group_sum *s)
{
	parity_result_row *row = rows_add(&results->rows, &results->count,
	                                  &results->capacity);
	if (!row)
		return NULL;
	text_copy(row->indicator, sizeof row->indicator, indicator);
	text_copy(row->grouping, sizeof row->grouping, g->name);
	text_copy(row->characteristic, sizeof row->characteristic, g->characteristic);
	text_copy(row->group1, sizeof row->group1, g->label1);
	text_copy(row->group2, sizeof row->group2, g->label2);
	text_copy(row->stratum_kind, sizeof row->stratum_kind, stratum_kind);
	text_copy(row->stratum, sizeof row->stratum, stratum);
	text_copy(row->period, sizeof row->period, results->period);
	row_context(row, t, s);
	text_copy(row->measure, sizeof row->measure, indicator);
	return row;
}
