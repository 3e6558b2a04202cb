/*
 * report_model.c: the report's model: the period's rows sorted into the
 * standard indicators and the per-characteristic measures, the previous
 * period's trend row, and every row's small-number suppression marks,
 * linked across the tables that share a total.
 */
#include "parity/codes.h"
#include "parity/common.h"
#include "report_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_TITLE "Workforce equality report"
#define MAX_LINK_PASSES 50 /* each pass hides a cell or stops */

/* ---- sorting the rows ------------------------------------------------------ */

static int push(row_list *list, const parity_result_row *row, size_t capacity)
{
	if (!list->rows) {
		list->rows = calloc(capacity ? capacity : 1, sizeof *list->rows);
		if (!list->rows)
			return parity_error_set(PARITY_ENOMEM, "report: out of memory");
	}
	list->rows[list->count++] = row;
	return 0;
}

static int in_period(const report *rep, const parity_result_row *row)
{
	return !strcmp(row->period, rep->period);
}

/*
 * The trend row for `ind`'s overall stratum in the latest period that ends
 * before the report's period starts (by month when the results know their
 * months, else by the period's label), or NULL.
 */
static const parity_result_row *previous_row(const report *rep,
                                             const report_indicator *ind)
{
	const parity_results *res = rep->results;
	const parity_result_row *best = NULL;
	for (size_t i = 0; i < res->trend_count; i++) {
		const parity_result_row *t = &res->trend[i];
		if (strcmp(t->indicator, ind->overall->indicator) ||
		    strcmp(t->stratum_kind, "overall") || t->pooled ||
		    strcmp(t->stratum, ind->overall->stratum))
			continue;
		int earlier = res->first_month > 0
		              ? t->window_last_month < res->first_month
		              : strcmp(t->period, rep->period) < 0;
		if (!earlier)
			continue;
		if (!best || (res->first_month > 0
		              ? t->window_last_month > best->window_last_month
		              : strcmp(t->period, best->period) > 0))
			best = t;
	}
	return best;
}

/* Sort the period's rows of standard indicator `info` into `ind`; leaves
 * ind->overall NULL when the indicator has no overall row. */
static int collect_indicator(report *rep, report_indicator *ind,
                             const parity_indicator_info *info)
{
	const parity_results *res = rep->results;
	memset(ind, 0, sizeof *ind);
	ind->info = info;
	for (size_t i = 0; i < res->count; i++) {
		const parity_result_row *row = &res->rows[i];
		const char *kind = row->stratum_kind;
		int rc = 0;
		if (strcmp(row->indicator, info->code) || !in_period(rep, row))
			continue;
		if (!strcmp(kind, "overall")) {
			if (!ind->overall && !row->pooled)
				ind->overall = row;
		} else if (!strcmp(kind, "organisation")) {
			if (row->pooled)
				ind->pooled_org = row;
			else
				rc = push(&ind->orgs, row, res->count);
		} else if (!strcmp(kind, "pay_band")) {
			if (row->pooled)
				ind->pooled_band = row;
			else
				rc = push(&ind->bands, row, res->count);
		} else if (!strcmp(kind, "staff_group")) {
			if (row->pooled)
				ind->pooled_group = row;
			else
				rc = push(&ind->groups, row, res->count);
		} else if (!strcmp(kind, "kline")) {
			rc = push(&ind->kline, row, res->count);
		}
		if (rc)
			return rc;
	}
	snprintf(ind->stem, sizeof ind->stem, "%s", info->code);
	for (char *p = ind->stem; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if (ind->overall)
		ind->previous = previous_row(rep, ind);
	return 0;
}

static int is_standard(const char *indicator)
{
	return parity_indicator_info_find(indicator) != NULL;
}

/* The standard indicator whose measure is `measure`, preferring the
 * ethnicity one (its base and outcome words suit every comparison). */
static const parity_indicator_info *measure_info(const char *measure)
{
	const parity_indicator_info *found = NULL, *info;
	for (size_t k = 0; (info = parity_indicator_info_at(k)) != NULL; k++)
		if (!strcmp(info->measure, measure) &&
		    (!found || !strcmp(info->grouping, "white_bme")))
			found = info;
	return found;
}

/* Where measure `name` goes among the breakdown's outcomes: twice the
 * index of its first standard indicator, one less for shortlisting (it
 * comes before appointment), 999 for any other. */
static int measure_rank(const char *name)
{
	const parity_indicator_info *info;
	int shortlisting = !strcmp(name, "shortlisting");
	for (size_t k = 0; (info = parity_indicator_info_at(k)) != NULL; k++)
		if (!strcmp(info->measure, shortlisting ? "appointment" : name))
			return 2 * (int)k - shortlisting;
	return 999;
}

/* Sort the comparison rows (every overall row of the period that is not a
 * standard indicator) by measure, in the standard indicators' order. */
static int collect_measures(report *rep)
{
	const parity_results *res = rep->results;
	for (size_t i = 0; i < res->count; i++) {
		const parity_result_row *row = &res->rows[i];
		if (is_standard(row->indicator) || !in_period(rep, row) ||
		    strcmp(row->stratum_kind, "overall"))
			continue;
		const char *name = row->measure[0] ? row->measure : row->indicator;
		report_measure *m = NULL;
		for (size_t k = 0; k < rep->meas_count && !m; k++)
			if (!strcmp(rep->meas[k].measure, name))
				m = &rep->meas[k];
		if (!m) {
			if (rep->meas_count == REPORT_MAX_MEASURES)
				continue;
			m = &rep->meas[rep->meas_count++];
			snprintf(m->measure, sizeof m->measure, "%s", name);
			m->info = measure_info(name);
		}
		int rc = push(&m->rows, row, res->count);
		if (rc)
			return rc;
	}
	/* Measures of the standard indicators first, in their order;
	 * shortlisting just before appointment, as recruitment runs. */
	for (size_t a = 0; a < rep->meas_count; a++) {
		for (size_t b = a + 1; b < rep->meas_count; b++) {
			if (measure_rank(rep->meas[b].measure) <
			    measure_rank(rep->meas[a].measure)) {
				report_measure swap = rep->meas[a];
				rep->meas[a] = rep->meas[b];
				rep->meas[b] = swap;
			}
		}
	}
	return 0;
}

/* ---- suppression ------------------------------------------------------------ */

static size_t row_index(const report *rep, const parity_result_row *row)
{
	return (size_t)(row - rep->results->rows);
}

const suppress_mark *report_marks(const report *rep, const parity_result_row *row)
{
	static const suppress_mark shown[COUNT_COLUMNS] = {SUPPRESS_SHOWN};
	const parity_results *res = rep->results;
	if (!rep->marks || row < res->rows || row >= res->rows + res->count)
		return shown;
	return &rep->marks[row_index(rep, row) * COUNT_COLUMNS];
}

int report_hidden(const report *rep, const parity_result_row *row)
{
	const parity_results *res = rep->results;
	if (!rep->hidden || row < res->rows || row >= res->rows + res->count)
		return 0;
	return rep->hidden[row_index(rep, row)];
}

int report_strata_hidden(const report *rep, const parity_result_row *pooled)
{
	if (!pooled)
		return 0;
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		const row_list *list = pooled == ind->pooled_org ? &ind->orgs
		                       : pooled == ind->pooled_band ? &ind->bands
		                       : pooled == ind->pooled_group ? &ind->groups
		                                                     : NULL;
		for (size_t i = 0; list && i < list->count; i++)
			if (report_hidden(rep, list->rows[i]))
				return 1;
	}
	return 0;
}

static suppress_mark merge(suppress_mark a, suppress_mark b)
{
	if (a == SUPPRESS_PRIMARY || b == SUPPRESS_PRIMARY)
		return SUPPRESS_PRIMARY;
	if (a == SUPPRESS_SECONDARY || b == SUPPRESS_SECONDARY)
		return SUPPRESS_SECONDARY;
	return SUPPRESS_SHOWN;
}

static void counts_of(uint64_t *out, const parity_result_row *row)
{
	out[COUNT_N1] = row->ratio.n1;
	out[COUNT_X1] = row->ratio.x1;
	out[COUNT_N2] = row->ratio.n2;
	out[COUNT_X2] = row->ratio.x2;
}

static const suppress_pair row_pairs[] = {{COUNT_X1, COUNT_N1},
                                          {COUNT_X2, COUNT_N2}};

/*
 * Suppress a breakdown: `parts` (rows whose counts add up to the total)
 * and `total` as the total row, all four counts. Returns 1 when a cell was
 * newly hidden, 0 when not, or PARITY_ENOMEM.
 */
static int link_breakdown(report *rep, const row_list *parts,
                          const parity_result_row *total)
{
	size_t n = parts->count + 1;
	uint64_t *counts = calloc(n * COUNT_COLUMNS, sizeof *counts);
	suppress_mark *marks = calloc(n * COUNT_COLUMNS, sizeof *marks);
	int grew = 0;
	if (!counts || !marks) {
		grew = parity_error_set(PARITY_ENOMEM, "report: out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const parity_result_row *row = i < parts->count ? parts->rows[i] : total;
		counts_of(&counts[i * COUNT_COLUMNS], row);
		memcpy(&marks[i * COUNT_COLUMNS], report_marks(rep, row),
		       COUNT_COLUMNS * sizeof *marks);
	}
	suppress_table table = {
		.counts = counts, .rows = n, .columns = COUNT_COLUMNS,
		.total_row = n - 1, .pairs = row_pairs, .pair_count = 2,
		.threshold = rep->suppress_below,
	};
	grew = suppress_extend(marks, &table);
	for (size_t i = 0; i < n; i++) {
		const parity_result_row *row = i < parts->count ? parts->rows[i] : total;
		memcpy(&rep->marks[row_index(rep, row) * COUNT_COLUMNS],
		       &marks[i * COUNT_COLUMNS], COUNT_COLUMNS * sizeof *marks);
	}
done:
	free(counts);
	free(marks);
	return grew;
}

/* Rows that repeat the same four counts (the overall row and the pooled
 * rows of one indicator) share their marks. Returns 1 on a change. */
static int unify_rows(report *rep, const parity_result_row *const *rows,
                      size_t count)
{
	uint64_t a[COUNT_COLUMNS], b[COUNT_COLUMNS];
	int changed = 0;
	for (size_t i = 0; i < count; i++) {
		for (size_t j = 0; j < count; j++) {
			if (!rows[i] || !rows[j] || i == j)
				continue;
			counts_of(a, rows[i]);
			counts_of(b, rows[j]);
			if (memcmp(a, b, sizeof a))
				continue;
			suppress_mark *mi = &rep->marks[row_index(rep, rows[i]) * COUNT_COLUMNS];
			const suppress_mark *mj = report_marks(rep, rows[j]);
			for (size_t k = 0; k < COUNT_COLUMNS; k++) {
				suppress_mark m = merge(mi[k], mj[k]);
				if (m != mi[k]) {
					mi[k] = m;
					changed = 1;
				}
			}
		}
	}
	return changed;
}

/* One group in a comparison: its counts and where they are printed. */
typedef struct occurrence {
	const parity_result_row *row;
	int side;          /* 0: (n1, x1), 1: (n2, x2) */
} occurrence;

typedef struct cell {
	const char *label;      /* the group, e.g. "B" or "White F" */
	uint64_t n, x;
	occurrence *at;         /* every row and side showing these counts */
	size_t at_count;
	char part;              /* which total it is part of: 'W', 'B' or 0 */
} cell;

static size_t side_column(int side, int outcome)
{
	return side ? (outcome ? COUNT_X2 : COUNT_N2) : (outcome ? COUNT_X1 : COUNT_N1);
}

/* Which total a group adds up into: White ('W'), BME ('B') or none. */
static char part_of(const char *grouping, const char *label)
{
	if (!strcmp(grouping, "ethnic_category"))
		return parity_ethnic_group(label) == 'U' ? 0 : parity_ethnic_group(label);
	if (!strcmp(grouping, "white_bme*sex")) {
		if (!strncmp(label, "White ", 6))
			return 'W';
		if (!strncmp(label, "BME ", 4))
			return 'B';
	}
	return 0;
}

/*
 * Suppress the comparisons of measure `m` and grouping `grouping` whose
 * groups add up to the White and BME totals of `total` (the measure's
 * White/BME row, printed in another table): each group's counts once,
 * with the total, so no group can be worked out by subtraction. Returns
 * 1 when a cell was newly hidden, 0 when not, or PARITY_ENOMEM.
 */
static int link_groups(report *rep, const report_measure *m,
                       const char *grouping, const parity_result_row *total)
{
	size_t rows = m->rows.count, room = 2 * rows + 1;
	cell *cells = calloc(room, sizeof *cells);
	occurrence *occ = calloc(room, sizeof *occ);
	size_t *members = calloc(room, sizeof *members);
	uint64_t *counts = calloc(room * 2, sizeof *counts);
	suppress_mark *marks = calloc(room * 2, sizeof *marks);
	size_t cell_count = 0, occ_count = 0;
	int grew = 0;
	if (!cells || !occ || !members || !counts || !marks) {
		grew = parity_error_set(PARITY_ENOMEM, "report: out of memory");
		goto done;
	}

	/* Every distinct group label with its counts (the reference group
	 * repeats in every row), then where each is printed, label by label. */
	for (size_t i = 0; i < rows; i++) {
		const parity_result_row *row = m->rows.rows[i];
		if (strcmp(row->grouping, grouping))
			continue;
		for (int side = 0; side < 2; side++) {
			const char *label = side ? row->group2 : row->group1;
			int known = 0;
			for (size_t k = 0; k < cell_count && !known; k++)
				known = !strcmp(cells[k].label, label);
			if (known)
				continue;
			cell *c = &cells[cell_count++];
			c->label = label;
			c->n = side ? row->ratio.n2 : row->ratio.n1;
			c->x = side ? row->ratio.x2 : row->ratio.x1;
			c->part = part_of(grouping, label);
		}
	}
	for (size_t k = 0; k < cell_count; k++) {
		cells[k].at = &occ[occ_count];
		for (size_t i = 0; i < rows; i++) {
			const parity_result_row *row = m->rows.rows[i];
			if (strcmp(row->grouping, grouping))
				continue;
			for (int side = 0; side < 2; side++)
				if (!strcmp(side ? row->group2 : row->group1, cells[k].label) &&
				    occ_count < room) {
					occ[occ_count++] = (occurrence){row, side};
					cells[k].at_count++;
				}
		}
	}

	for (int p = 0; p < 2; p++) {
		char part = p ? 'W' : 'B';
		const char *name = p ? "White" : "BME";
		/* The total's side for this part: the side named White or BME. */
		int total_side = !strcmp(total->group1, name) ? 0
		                 : !strcmp(total->group2, name) ? 1 : -1;
		size_t n = 0;
		if (total_side < 0)
			continue;
		for (size_t k = 0; k < cell_count; k++)
			if (cells[k].part == part)
				members[n++] = k;
		if (n == 0)
			continue;
		for (size_t r = 0; r <= n; r++) {
			suppress_mark mn = SUPPRESS_SHOWN, mx = SUPPRESS_SHOWN;
			if (r < n) {
				const cell *c = &cells[members[r]];
				counts[r * 2] = c->n;
				counts[r * 2 + 1] = c->x;
				for (size_t o = 0; o < c->at_count; o++) {
					const suppress_mark *mk = report_marks(rep, c->at[o].row);
					mn = merge(mn, mk[side_column(c->at[o].side, 0)]);
					mx = merge(mx, mk[side_column(c->at[o].side, 1)]);
				}
			} else {
				const suppress_mark *mk = report_marks(rep, total);
				counts[r * 2] = total_side ? total->ratio.n2 : total->ratio.n1;
				counts[r * 2 + 1] = total_side ? total->ratio.x2 : total->ratio.x1;
				mn = mk[side_column(total_side, 0)];
				mx = mk[side_column(total_side, 1)];
			}
			marks[r * 2] = mn;
			marks[r * 2 + 1] = mx;
		}
		static const suppress_pair pair[] = {{1, 0}};
		suppress_table table = {
			.counts = counts, .rows = n + 1, .columns = 2, .total_row = n,
			.pairs = pair, .pair_count = 1,
			.threshold = rep->suppress_below,
		};
		suppress_extend(marks, &table);
		/* Write the marks back wherever the counts are printed. */
		for (size_t r = 0; r <= n; r++) {
			const occurrence total_at = {total, total_side};
			const occurrence *at = r < n ? cells[members[r]].at : &total_at;
			size_t at_count = r < n ? cells[members[r]].at_count : 1;
			for (size_t o = 0; o < at_count; o++) {
				suppress_mark *mk = &rep->marks[row_index(rep, at[o].row) *
				                                COUNT_COLUMNS];
				for (int outcome = 0; outcome < 2; outcome++) {
					size_t col = side_column(at[o].side, outcome);
					suppress_mark want = merge(mk[col],
					                           marks[r * 2 + (size_t)outcome]);
					if (want != mk[col]) {
						mk[col] = want;
						grew = 1;
					}
				}
			}
		}
	}
done:
	free(cells);
	free(occ);
	free(members);
	free(counts);
	free(marks);
	return grew;
}

/* The measure's White/BME row (a standard indicator's or a comparison's
 * overall row), whose totals the ethnic groups add up to; or NULL. */
static const parity_result_row *white_bme_total(const report *rep,
                                                const char *measure)
{
	const parity_results *res = rep->results;
	for (size_t i = 0; i < res->count; i++) {
		const parity_result_row *row = &res->rows[i];
		if (!strcmp(row->measure, measure) && !strcmp(row->grouping, "white_bme") &&
		    !strcmp(row->stratum_kind, "overall") && !row->pooled &&
		    in_period(rep, row))
			return row;
	}
	return NULL;
}

/* Merge the mark of column `a` of row `i` with column `b` of row `j` (the
 * same count printed twice). Returns 1 when either changed. */
static int share_mark(report *rep, size_t i, size_t a, size_t j, size_t b)
{
	suppress_mark *mi = &rep->marks[i * COUNT_COLUMNS + a];
	suppress_mark *mj = &rep->marks[j * COUNT_COLUMNS + b];
	suppress_mark m = merge(*mi, *mj);
	int changed = m != *mi || m != *mj;
	*mi = *mj = m;
	return changed;
}

/*
 * Recruitment's two stages share a count: those shortlisted are the
 * outcome of a "shortlisting" row and the base of the "appointment" row
 * of the same groups (the WRES 2 / WDES 2 overall rows included). Hide
 * the count in both when either hides it, so that neither table gives away
 * what the other suppressed. Returns 1 on a change.
 */
static int link_stages(report *rep)
{
	const parity_results *res = rep->results;
	int changed = 0;
	for (size_t i = 0; i < res->count; i++) {
		const parity_result_row *s = &res->rows[i];
		if (strcmp(s->measure, "shortlisting") || strcmp(s->stratum_kind, "overall") ||
		    s->pooled || !in_period(rep, s))
			continue;
		for (size_t j = 0; j < res->count; j++) {
			const parity_result_row *a = &res->rows[j];
			if (strcmp(a->measure, "appointment") ||
			    strcmp(a->stratum_kind, "overall") || a->pooled ||
			    strcmp(a->grouping, s->grouping) || strcmp(a->group1, s->group1) ||
			    strcmp(a->group2, s->group2) || !in_period(rep, a))
				continue;
			changed |= share_mark(rep, i, COUNT_X1, j, COUNT_N1);
			changed |= share_mark(rep, i, COUNT_X2, j, COUNT_N2);
		}
	}
	return changed;
}

/* The band row of `ind` named `band`, or NULL. */
static const parity_result_row *band_row(const report_indicator *ind,
                                         const char *band)
{
	for (size_t i = 0; i < ind->bands.count; i++)
		if (!strcmp(ind->bands.rows[i]->stratum, band))
			return ind->bands.rows[i];
	return NULL;
}

/*
 * Every row's marks: primary cells and differences within each row, then
 * the linked tables (each breakdown with its total, the rows repeating a
 * total, the ethnic groups with the White and BME totals) until nothing
 * changes; then which rows have a hidden count. A Kline row is hidden when
 * a band it multiplies is, since the others would reveal it.
 */
static int suppress_rows(report *rep)
{
	const parity_results *res = rep->results;
	uint64_t counts[COUNT_COLUMNS];
	rep->marks = calloc(res->count * COUNT_COLUMNS + 1, sizeof *rep->marks);
	rep->hidden = calloc(res->count + 1, 1);
	if (!rep->marks || !rep->hidden)
		return parity_error_set(PARITY_ENOMEM, "report: out of memory");
	if (rep->suppress_below < 2)
		return 0;

	for (size_t i = 0; i < res->count; i++) {
		counts_of(counts, &res->rows[i]);
		suppress_table one = {
			.counts = counts, .rows = 1, .columns = COUNT_COLUMNS,
			.total_row = SUPPRESS_NO_TOTAL, .pairs = row_pairs,
			.pair_count = 2, .threshold = rep->suppress_below,
		};
		suppress_extend(&rep->marks[i * COUNT_COLUMNS], &one);
	}
	for (int pass = 0; pass < MAX_LINK_PASSES; pass++) {
		int grew = 0, r = 0;
		for (size_t k = 0; k < rep->ind_count && r >= 0; k++) {
			report_indicator *ind = &rep->ind[k];
			const parity_result_row *same[] = {ind->overall, ind->pooled_org,
			                                   ind->pooled_band, ind->pooled_group};
			if (ind->orgs.count && (r = link_breakdown(rep, &ind->orgs,
			                                           ind->overall)) > 0)
				grew = 1;
			if (r >= 0 && ind->bands.count &&
			    (r = link_breakdown(rep, &ind->bands, ind->pooled_band
			                        ? ind->pooled_band : ind->overall)) > 0)
				grew = 1;
			if (r >= 0 && ind->groups.count &&
			    (r = link_breakdown(rep, &ind->groups, ind->pooled_group
			                        ? ind->pooled_group : ind->overall)) > 0)
				grew = 1;
			if (unify_rows(rep, same, 4))
				grew = 1;
		}
		for (size_t k = 0; k < rep->meas_count && r >= 0; k++) {
			const parity_result_row *total = white_bme_total(rep, rep->meas[k].measure);
			if (!total)
				continue;
			if ((r = link_groups(rep, &rep->meas[k], "ethnic_category",
			                     total)) > 0)
				grew = 1;
			if (r >= 0 && (r = link_groups(rep, &rep->meas[k],
			                               "white_bme*sex", total)) > 0)
				grew = 1;
		}
		if (r >= 0 && link_stages(rep))
			grew = 1;
		if (r < 0)
			return r;
		if (!grew)
			break;
	}

	for (size_t i = 0; i < res->count; i++)
		for (size_t c = 0; c < COUNT_COLUMNS; c++)
			if (rep->marks[i * COUNT_COLUMNS + c] != SUPPRESS_SHOWN)
				rep->hidden[i] = 1;
	for (size_t k = 0; k < rep->ind_count; k++) {
		const report_indicator *ind = &rep->ind[k];
		for (size_t i = 0; i < ind->kline.count; i++) {
			const parity_result_row *row = ind->kline.rows[i];
			char steps[sizeof row->steps];
			snprintf(steps, sizeof steps, "%s", row->steps);
			for (char *save = NULL, *step = strtok_r(steps, ";", &save); step;
			     step = strtok_r(NULL, ";", &save)) {
				const parity_result_row *band = band_row(ind, step);
				if (band && report_hidden(rep, band))
					rep->hidden[row_index(rep, row)] = 1;
			}
		}
	}
	for (size_t i = 0; i < res->count; i++)
		rep->hidden_rows += rep->hidden[i];
	return 0;
}

const parity_result_row *report_row_like(const report *rep,
                                         const parity_result_row *trend)
{
	const parity_results *res = rep->results;
	if (strcmp(trend->period, rep->period))
		return NULL;
	for (size_t i = 0; i < res->count; i++) {
		const parity_result_row *row = &res->rows[i];
		if (!strcmp(row->indicator, trend->indicator) &&
		    !strcmp(row->grouping, trend->grouping) &&
		    !strcmp(row->stratum_kind, trend->stratum_kind) &&
		    !strcmp(row->stratum, trend->stratum) &&
		    row->pooled == trend->pooled && in_period(rep, row))
			return row;
	}
	return NULL;
}

/* ---- building and freeing ---------------------------------------------------- */

int report_model_build(report *rep, const parity_results *results,
                       const parity_report_options *options)
{
	memset(rep, 0, sizeof *rep);
	rep->results = results;
	if (options)
		rep->opt = *options;
	rep->title = rep->opt.title ? rep->opt.title : DEFAULT_TITLE;
	rep->author = rep->opt.author ? rep->opt.author : "parity";
	rep->suppress_below = rep->opt.suppress_below > 1 ? rep->opt.suppress_below : 0;
	if (rep->opt.organisation)
		rep->where = rep->opt.organisation;
	else if (results->organisation[0])
		rep->where = results->organisation;
	else
		rep->where = "All organisations";
	/* Without a period in the results, report the first row's. */
	rep->period = results->period;
	if (!rep->period[0] && results->count)
		rep->period = results->rows[0].period;
	rep->level = results->settings.level > 0 ? results->settings.level : 0.95;

	const parity_indicator_info *info;
	for (size_t k = 0; (info = parity_indicator_info_at(k)) != NULL &&
	                   rep->ind_count < REPORT_MAX_INDICATORS; k++) {
		report_indicator *ind = &rep->ind[rep->ind_count];
		int rc = collect_indicator(rep, ind, info);
		if (rc) {
			rep->ind_count++; /* so that its lists are freed */
			return rc;
		}
		if (ind->overall) {
			rep->ind_count++;
			if (ind->orgs.count > 1)
				rep->several_orgs = 1;
		} else {
			free(ind->orgs.rows);
			free(ind->bands.rows);
			free(ind->groups.rows);
			free(ind->kline.rows);
			memset(ind, 0, sizeof *ind);
		}
	}
	int rc = collect_measures(rep);
	if (rc)
		return rc;
	if (rep->ind_count == 0 && rep->meas_count == 0)
		return parity_error_set(PARITY_EDATA, "no results%s%s to report",
		                        rep->period[0] ? " for " : "", rep->period);
	return suppress_rows(rep);
}

void report_model_free(report *rep)
{
	for (size_t k = 0; k < rep->ind_count; k++) {
		free(rep->ind[k].orgs.rows);
		free(rep->ind[k].bands.rows);
		free(rep->ind[k].groups.rows);
		free(rep->ind[k].kline.rows);
	}
	for (size_t k = 0; k < rep->meas_count; k++)
		free(rep->meas[k].rows.rows);
	free(rep->marks);
	free(rep->hidden);
	rep->marks = NULL;
	rep->hidden = NULL;
	rep->ind_count = rep->meas_count = 0;
}
