/*
 * results_find.c: finding and selecting rows of a run's results for
 * renderers (the report's pages, the charts): the first row that matches,
 * and a view of the rows of some indicators and stratum kinds.
 */
#include "parity/analyse.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

static int matches(const char *want, const char *have)
{
	return !want || !strcmp(want, have);
}

const parity_result_row *parity_results_find(const parity_results *results,
                                             const parity_result_row *after,
                                             const char *indicator,
                                             const char *stratum_kind,
                                             const char *stratum,
                                             const char *period, int pooled)
{
	if (!results || !results->count)
		return NULL;
	size_t start = 0;
	if (after) {
		if (after < results->rows || after >= results->rows + results->count)
			return NULL;
		start = (size_t)(after - results->rows) + 1;
	}
	for (size_t i = start; i < results->count; i++) {
		const parity_result_row *row = &results->rows[i];
		if (matches(indicator, row->indicator) &&
		    matches(stratum_kind, row->stratum_kind) && matches(stratum, row->stratum) &&
		    matches(period, row->period) && (pooled < 0 || row->pooled == !!pooled))
			return row;
	}
	return NULL;
}

static int in_list(const char *const *list, const char *text)
{
	if (!list)
		return 1;
	for (; *list; list++)
		if (!strcmp(*list, text))
			return 1;
	return 0;
}

int parity_results_select(parity_results **out, const parity_results *results,
                          const char *const *indicators,
                          const char *const *stratum_kinds, int keep_pooled)
{
	*out = NULL;
	if (!results)
		return parity_error_set(PARITY_EUSAGE, "parity_results_select: no results");
	parity_results *view = calloc(1, sizeof *view);
	if (!view)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	*view = *results;
	view->rows = NULL;
	view->count = view->capacity = 0;
	view->trend = NULL;
	view->trend_count = view->trend_capacity = 0;
	view->cohorts = NULL;
	view->cohort_count = view->cohort_capacity = 0;
	view->marks = NULL;
	view->mark_count = 0;
	view->notes = NULL;
	view->note_count = 0;
	view->rows = calloc(results->count ? results->count : 1, sizeof *view->rows);
	if (!view->rows) {
		free(view);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	view->capacity = results->count ? results->count : 1;
	for (size_t i = 0; i < results->count; i++) {
		const parity_result_row *row = &results->rows[i];
		if (in_list(indicators, row->indicator) &&
		    in_list(stratum_kinds, row->stratum_kind) && (keep_pooled || !row->pooled))
			view->rows[view->count++] = *row;
	}
	*out = view;
	return 0;
}
