/*
 * publish_programme.c: what the published set allows of a programme's
 * event study (results->programme). A term is a function of the counts of
 * the organisation-years behind it; a reader holding it beside the rest of
 * the document is taken to know every one of those counts. So the gate is
 * asked, with all it decided for the document fixed, whether they may all
 * be known: a term rests only on counts it shows, or it is withheld whole.
 */
#include "parity/publish.h"

#include "gate_copy.h"
#include "publish_internal.h"
#include "parity/common.h"
#include "parity/period.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROGRAMME_WINDOW_YEARS 32 /* financial years one row's window spans, at most */

/* The counts of a programme cell in a row's order of cells. */
static uint64_t cell_count(const parity_programme_cell *c, int which)
{
	switch (which) {
	case C_N1:
		return c->counts.n1;
	case C_X1:
		return c->counts.x1;
	case C_N2:
		return c->counts.n2;
	default:
		return c->counts.x2;
	}
}

static uint64_t row_count(const parity_result_row *row, int which)
{
	const parity_ratio *r = &row->ratio;
	return which == C_N1 ? r->n1 : which == C_X1 ? r->x1 : which == C_N2 ? r->n2 : r->x2;
}

/* The place of `row` among results->rows then results->trend. */
static const parity_result_row *slot_row(const parity_results *res, size_t slot)
{
	return slot < res->count ? &res->rows[slot] : &res->trend[slot - res->count];
}

/* "WRES2|R0A|2024/25" into `key`. */
static void cell_key(char *key, size_t size, const char *indicator, const char *org,
                     const char *year)
{
	const char *const parts[] = {indicator, org, year};
	publish_key_join(key, size, parts, 3);
}

/* Everything one decision holds. */
typedef struct decide {
	parity_published *pub;
	gate *g;          /* the copy of the set's gate the programme asks */
	gate *rows;       /* "indicator|org|window" -> its row's slot + 1 (a dictionary) */
	gate *cells;      /* "indicator|org|year" -> its programme cell's index + 1 */
	size_t *at;       /* programme_cell_count * C_COUNTS: each count's cell in g */
} decide;

/* Index every organisation row of the results and the trend (not pooled)
 * by indicator, organisation and window, and every programme cell by
 * indicator, organisation and year. 0 or PARITY_ENOMEM. */
static int index_rows(decide *d)
{
	const parity_results *res = d->pub->results;
	char key[KEY_MAX];
	for (size_t slot = 0; slot < res->count + res->trend_count; slot++) {
		const parity_result_row *row = slot_row(res, slot);
		if (row->pooled || strcmp(row->stratum_kind, "organisation"))
			continue;
		cell_key(key, sizeof key, row->indicator, row->stratum, publish_window_of(row));
		size_t i = gate_cell(d->rows, key, slot + 1, 0);
		if (i == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	}
	for (size_t k = 0; k < res->programme_cell_count; k++) {
		const parity_programme_cell *c = &res->programme_cells[k];
		cell_key(key, sizeof key, c->indicator, c->organisation, c->year);
		if (gate_cell(d->cells, key, k + 1, 0) == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	}
	return 0;
}

/*
 * Each programme cell's four counts in the copy: the cells of the row of
 * the same indicator, organisation and one-year window when the document
 * has one with the same counts (the trend's and the period's organisation
 * rows), else new unprinted cells, each with its base = cases + the rest
 * (those not reaching the outcome). 0 or PARITY_ENOMEM.
 */
static int place_cells(decide *d)
{
	const parity_results *res = d->pub->results;
	char key[KEY_MAX];
	for (size_t k = 0; k < res->programme_cell_count; k++) {
		const parity_programme_cell *c = &res->programme_cells[k];
		size_t *at = &d->at[k * C_COUNTS];
		cell_key(key, sizeof key, c->indicator, c->organisation, c->year);
		size_t found = gate_find(d->rows, key);
		const parity_result_row *row = NULL;
		size_t slot = 0;
		if (found != GATE_NONE) {
			slot = (size_t)gate_value(d->rows, found) - 1;
			row = slot_row(res, slot);
			for (int w = 0; w < C_COUNTS && row; w++)
				if (row_count(row, w) != cell_count(c, w) ||
				    d->pub->cells[slot * C_COUNTS + (size_t)w] == GATE_NONE)
					row = NULL;
		}
		for (int w = 0; w < C_COUNTS; w++) {
			if (row) {
				at[w] = d->pub->cells[slot * C_COUNTS + (size_t)w];
				continue;
			}
			char own[KEY_MAX + 16];
			snprintf(own, sizeof own, "\3%s|%d", key, w);
			at[w] = gate_cell(d->g, own, cell_count(c, w), 0);
			if (at[w] == GATE_NONE)
				return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		}
		if (row)
			continue;
		for (int side = 0; side < 2; side++) {
			size_t parts[2] = {at[side ? C_X2 : C_X1], GATE_NONE};
			char rest[KEY_MAX + 16];
			snprintf(rest, sizeof rest, "\3%s|not%d", key, side + 1);
			int rc = publish_sum_with_rest(d->g, at[side ? C_N2 : C_N1], parts, 1, rest);
			if (rc)
				return rc;
		}
	}
	return 0;
}

/*
 * A row of an organisation counted over another window than one
 * financial year holds parts of its years' counts: WRES 3 and WDES 3's
 * rolling window ("2024/25 to 2025/26") is the sum of its years, with an
 * unprinted rest for years no term uses; a quarter, a month or twelve
 * months across a year end is part of the years it overlaps, so their sum
 * is the row plus an unprinted rest (those counted outside the window),
 * when every one of those years is behind some term. One sum per count.
 * 0 or PARITY_ENOMEM.
 */
static int tie_windows(decide *d)
{
	const parity_results *res = d->pub->results;
	int rc = 0;
	for (size_t slot = 0; slot < res->count + res->trend_count && !rc; slot++) {
		const parity_result_row *row = slot_row(res, slot);
		if (row->pooled || strcmp(row->stratum_kind, "organisation"))
			continue;
		parity_period first, last, year;
		parity_period_financial_year(&first, row->window_first_month);
		parity_period_financial_year(&last, row->window_last_month);
		int whole = row->window_first_month == first.first_month &&
		            row->window_last_month == last.last_month;
		if (whole && first.first_month == last.first_month)
			continue; /* one financial year: the programme's own cell */
		size_t cells[PROGRAMME_WINDOW_YEARS], n = 0, years = 0;
		for (year = first; year.first_month <= last.first_month &&
		                   years < PROGRAMME_WINDOW_YEARS;
		     parity_period_financial_year(&year, year.last_month + 1), years++) {
			char key[KEY_MAX];
			cell_key(key, sizeof key, row->indicator, row->stratum, year.label);
			size_t i = gate_find(d->cells, key);
			if (i != GATE_NONE)
				cells[n++] = (size_t)gate_value(d->cells, i) - 1;
		}
		if (!n || (!whole && n < years) || year.first_month <= last.first_month)
			continue;
		for (int w = 0; w < C_COUNTS && !rc; w++) {
			size_t parts[PROGRAMME_WINDOW_YEARS + 1];
			size_t total = d->pub->cells[slot * C_COUNTS + (size_t)w];
			uint64_t sum = 0;
			char key[KEY_MAX + 32];
			for (size_t k = 0; k < n; k++) {
				parts[k] = d->at[cells[k] * C_COUNTS + (size_t)w];
				sum += gate_value(d->g, parts[k]);
			}
			snprintf(key, sizeof key, "\3%zx|window|%d", slot, w);
			if (whole) { /* the row = its years + those no term uses */
				rc = publish_sum_with_rest(d->g, total, parts, n, key);
				continue;
			}
			/* its years = the row + those outside the window */
			size_t years_cell = gate_cell(d->g, key, sum, 0);
			if (years_cell == GATE_NONE)
				return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
			if ((rc = gate_sum(d->g, years_cell, parts, n)))
				break;
			size_t part[2] = {total, GATE_NONE};
			snprintf(key, sizeof key, "\3%zx|outside|%d", slot, w);
			rc = publish_sum_with_rest(d->g, years_cell, part, 1, key);
		}
	}
	return rc;
}

/* Whether a term prints figures the gate must weigh: an estimate, or the
 * pre-trend test's statistic. */
static int prints(const parity_programme_row *row)
{
	return row->estimable != 0;
}

static int small_behind(const parity_published *pub, const parity_programme_row *row)
{
	return row->smallest >= 1 && row->smallest < pub->threshold;
}

int publish_programme_decide(parity_published *pub)
{
	const parity_results *res = pub->results;
	decide d = {pub, NULL, NULL, NULL, NULL};
	int rc = 0;
	pub->programme = calloc(res->programme_count + 1, 1);
	if (!pub->programme)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	if (pub->threshold < 2 || !res->programme_count)
		return 0;
	/* A small count behind a term withholds it under either policy. */
	for (size_t i = 0; i < res->programme_count; i++)
		if (small_behind(pub, &res->programme[i]))
			pub->programme[i] = PARITY_PROGRAMME_SMALL;
	/* Under nhs-digital every other count is rounded and no further count
	 * is hidden: nothing more to ask. */
	if (pub->policy == PARITY_DISCLOSURE_NHS_DIGITAL)
		return 0;
	d.g = gate_copy_decided(pub->g);
	d.rows = gate_new(GATE_THRESHOLD, 0);
	d.cells = gate_new(GATE_THRESHOLD, 0);
	d.at = malloc((res->programme_cell_count + 1) * C_COUNTS * sizeof *d.at);
	if (!d.g || !d.rows || !d.cells || !d.at) {
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		goto done;
	}
	if ((rc = index_rows(&d)) || (rc = place_cells(&d)) || (rc = tie_windows(&d)))
		goto done;
	/* Every count behind a term that would print is known to the reader. */
	for (size_t i = 0; i < res->programme_count; i++) {
		const parity_programme_row *row = &res->programme[i];
		if (pub->programme[i] || !prints(row))
			continue;
		for (size_t k = 0; k < row->cell_count; k++)
			for (size_t w = 0; w < C_COUNTS; w++)
				gate_print(d.g, d.at[row->cells[k] * C_COUNTS + w]);
	}
	/* The gate hides what it must of those counts (all else is fixed);
	 * a term resting on a hidden one is withheld. */
	if ((rc = gate_run(d.g)))
		goto done;
	for (size_t i = 0; i < res->programme_count; i++) {
		const parity_programme_row *row = &res->programme[i];
		if (pub->programme[i] || !prints(row))
			continue;
		for (size_t k = 0; k < row->cell_count && !pub->programme[i]; k++)
			for (size_t w = 0; w < C_COUNTS; w++) {
				suppress_mark m = gate_mark(d.g, d.at[row->cells[k] * C_COUNTS + w]);
				if (m != SUPPRESS_SHOWN)
					pub->programme[i] = m == SUPPRESS_PRIMARY ? PARITY_PROGRAMME_SMALL
					                                          : PARITY_PROGRAMME_HIDDEN;
			}
	}
done:
	gate_free(d.g);
	gate_free(d.rows);
	gate_free(d.cells);
	free(d.at);
	return rc;
}

parity_programme_publication parity_publish_programme(const parity_published *pub,
                                                      const parity_programme_row *row)
{
	const parity_results *res = pub ? pub->results : NULL;
	if (!res || !row || !pub->programme || row < res->programme ||
	    row >= res->programme + res->programme_count)
		return PARITY_PROGRAMME_PUBLISHED;
	return (parity_programme_publication)pub->programme[row - res->programme];
}

int parity_publish_programme_hidden(const parity_published *pub,
                                    const parity_programme_row *row)
{
	return parity_publish_programme(pub, row) != PARITY_PROGRAMME_PUBLISHED;
}

const char *parity_publish_programme_text(const parity_published *pub,
                                          const parity_programme_row *row)
{
	switch (parity_publish_programme(pub, row)) {
	case PARITY_PROGRAMME_SMALL:
		return "internal; withheld: small count";
	case PARITY_PROGRAMME_HIDDEN:
		return "internal; withheld: hidden count";
	default:
		return row && !row->estimable ? "internal; no estimate" : "internal; published";
	}
}
