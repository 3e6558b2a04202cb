/*
 * publish_tables.c: the sums that tie a document's tables together beyond
 * one row: organisations, pay bands and staff groups adding up to the
 * overall row, pooled rows to their strata, and the disciplinary stages
 * to the cases that reached them. Rows are matched to their tables by
 * sorting once (a national run has a million rows), never by a scan per
 * table.
 */
#include "gate.h"
#include "parity/codes.h"
#include "parity/common.h"
#include "publish_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- breakdowns and stages ----------------------------------------------------- */

/* Rows of one breakdown table: same indicator, period, grouping, groups
 * and window. */
static int table_order(const parity_result_row *a, const parity_result_row *b)
{
	int c = strcmp(a->indicator, b->indicator);
	if (!c)
		c = strcmp(a->period, b->period);
	if (!c)
		c = strcmp(a->grouping, b->grouping);
	if (!c)
		c = strcmp(a->group1, b->group1);
	if (!c)
		c = strcmp(a->group2, b->group2);
	if (!c)
		c = strcmp(publish_window_of(a), publish_window_of(b));
	return c;
}

static uint64_t hash_text(uint64_t h, const char *text)
{
	for (; *text; text++)
		h = (h ^ (unsigned char)*text) * UINT64_C(1099511628211);
	return (h ^ 0xff) * UINT64_C(1099511628211); /* the end of a field */
}

static uint64_t table_hash(const char *kind, const parity_result_row *t)
{
	uint64_t h = UINT64_C(1469598103934665603);
	h = hash_text(h, kind);
	h = hash_text(h, t->indicator);
	h = hash_text(h, t->period);
	h = hash_text(h, t->grouping);
	h = hash_text(h, t->group1);
	h = hash_text(h, t->group2);
	return hash_text(h, publish_window_of(t));
}

/* Rows by (hash, stratum kind, table). */
static int kind_table_order(uint64_t ha, const char *kind_a, const parity_result_row *a,
                            uint64_t hb, const char *kind_b, const parity_result_row *b)
{
	if (ha != hb)
		return ha < hb ? -1 : 1;
	int c = strcmp(kind_a, kind_b);
	return c ? c : table_order(a, b);
}

static int placed_order(const void *x, const void *y)
{
	const placed_row *a = x, *b = y;
	int c = kind_table_order(a->h, a->row->stratum_kind, a->row, b->h,
	                         b->row->stratum_kind, b->row);
	return c ? c : (a->at > b->at) - (a->at < b->at);
}

/* By hash, then place: placed_order's order when no two tables share a
 * hash. */
static int hash_place_order(const void *x, const void *y)
{
	const placed_row *a = x, *b = y;
	if (a->h != b->h)
		return a->h < b->h ? -1 : 1;
	return (a->at > b->at) - (a->at < b->at);
}

/* Whether the rows `sorted[0..n)`, sorted by hash, have each hash for one
 * table only. */
static int hashes_distinct(const placed_row *sorted, size_t n)
{
	size_t first = 0;
	for (size_t i = 1; i < n; i++) {
		if (sorted[i].h != sorted[first].h)
			first = i;
		else if (kind_table_order(sorted[i].h, sorted[i].row->stratum_kind, sorted[i].row,
		                          sorted[first].h, sorted[first].row->stratum_kind,
		                          sorted[first].row))
			return 0;
	}
	return 1;
}

/* The rows of `rows[0..count)` that are not overall rows, sorted by
 * table and place; *n their number. NULL when out of memory (error set).
 * The rows of a national table (100,000 organisations) share one hash:
 * sorted by hash and place, and each run of one hash checked once to be
 * one table, they compare no text; only if two tables share a hash are
 * they sorted again comparing their text. */
placed_row *publish_sort_by_table(const parity_result_row *rows, size_t count, size_t *n)
{
	placed_row *sorted = malloc((count + 1) * sizeof *sorted);
	*n = 0;
	if (!sorted) {
		parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		return NULL;
	}
	for (size_t i = 0; i < count; i++)
		if (strcmp(rows[i].stratum_kind, "overall"))
			sorted[(*n)++] = (placed_row){&rows[i], i,
			                              table_hash(rows[i].stratum_kind, &rows[i])};
	qsort(sorted, *n, sizeof *sorted, hash_place_order);
	if (!hashes_distinct(sorted, *n))
		qsort(sorted, *n, sizeof *sorted, placed_order);
	return sorted;
}

/* The first of sorted[0..n) whose hash is not below `h` (`above`: above
 * `h`). */
static size_t hash_bound(const placed_row *sorted, size_t n, uint64_t h, int above)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (sorted[mid].h < h || (above && sorted[mid].h == h))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The run sorted[*first..*end) of stratum kind `kind` in the table of
 * `table` (binary search). The rows of one hash are sorted by table, so
 * when the first and the last of them are of `table` they all are: a
 * national table's 100,000 rows are then found by their hash alone, not
 * compared one by one. */
void publish_table_run(const placed_row *sorted, size_t n, const char *kind,
                      const parity_result_row *table, size_t *first, size_t *end)
{
	uint64_t h = table_hash(kind, table);
	size_t from = hash_bound(sorted, n, h, 0), to = hash_bound(sorted, n, h, 1);
	if (from < to &&
	    !kind_table_order(sorted[from].h, sorted[from].row->stratum_kind, sorted[from].row,
	                      h, kind, table) &&
	    !kind_table_order(sorted[to - 1].h, sorted[to - 1].row->stratum_kind,
	                      sorted[to - 1].row, h, kind, table)) {
		*first = from;
		*end = to;
		return;
	}
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (kind_table_order(sorted[mid].h, sorted[mid].row->stratum_kind, sorted[mid].row,
		                     h, kind, table) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = hi = lo;
	while (hi < n && !kind_table_order(sorted[hi].h, sorted[hi].row->stratum_kind,
	                                   sorted[hi].row, h, kind, table))
		hi++;
	*end = hi;
}

/*
 * Organisations, pay bands and staff groups add up (with a rest for those
 * not known) to the overall row; a pooled row's counts are its strata's
 * exact sum. Rows of `rows[0..count)` whose cells are `cells`, and
 * `sorted` (n_sorted) those rows by table (publish_sort_by_table, made
 * once for this and the pooled rows' hiding), so each overall row finds
 * its own by binary search (no pass over every row per overall row).
 */
int publish_link_breakdowns(gate *g, const parity_result_row *rows, size_t count,
                           const size_t *cells, const placed_row *sorted, size_t n_sorted)
{
	static const char *const kinds[] = {"organisation", "pay_band", "staff_group"};
	size_t *parts = malloc((count + 1) * sizeof *parts);
	int rc = 0;
	if (!parts)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	for (size_t o = 0; o < count && !rc; o++) {
		const parity_result_row *overall = &rows[o];
		if (strcmp(overall->stratum_kind, "overall") || overall->pooled)
			continue;
		for (int kk = 0; kk < 3 && !rc; kk++) {
			size_t lo, end;
			publish_table_run(sorted, n_sorted, kinds[kk], overall, &lo, &end);
			for (int c = 0; c < C_COUNTS && !rc; c++) {
				size_t n = 0, pooled = GATE_NONE;
				for (size_t k = lo; k < end; k++) {
					size_t at = sorted[k].at;
					if (sorted[k].row->pooled)
						pooled = cells[at * C_COUNTS + (size_t)c];
					else
						parts[n++] = cells[at * C_COUNTS + (size_t)c];
				}
				if (!n)
					break;
				char key[KEY_MAX];
				snprintf(key, sizeof key, "%s|%s|%s|%s|%s|%s|rest%d",
				         overall->indicator, publish_window_of(overall), kinds[kk],
				         overall->grouping, overall->group1, overall->group2, c);
				if ((rc = publish_sum_with_rest(g, cells[o * C_COUNTS + (size_t)c], parts,
				                        n, key)))
					break;
				if (pooled != GATE_NONE)
					rc = gate_sum(g, pooled, parts, n);
			}
		}
	}
	free(parts);
	return rc;
}

/* A hash of what a shortlisting row and its appointment row share. */
static uint64_t stage_hash(const parity_result_row *r)
{
	uint64_t h = UINT64_C(1469598103934665603);
	h = hash_text(h, r->stratum_kind);
	h = hash_text(h, r->stratum);
	h = hash_text(h, r->grouping);
	h = hash_text(h, r->group1);
	h = hash_text(h, r->group2);
	return hash_text(h, publish_window_of(r));
}

/* Recruitment's stages share a count: the shortlisted of a shortlisting
 * row are the base of the appointment row of the same groups. The
 * appointment rows are listed once, in order, with their hashes, so a
 * national run's shortlisting rows do not each read every row again. */
int publish_link_stages(gate *g, const parity_result_row *rows, size_t count,
                       const size_t *cells)
{
	int rc = 0;
	size_t n = 0;
	size_t *at = malloc((count + 1) * sizeof *at);
	uint64_t *hashes = malloc((count + 1) * sizeof *hashes);
	if (!at || !hashes) {
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		goto done;
	}
	for (size_t j = 0; j < count; j++)
		if (!strcmp(rows[j].measure, "appointment") && !rows[j].pooled) {
			at[n] = j;
			hashes[n++] = stage_hash(&rows[j]);
		}
	for (size_t i = 0; i < count && !rc; i++) {
		const parity_result_row *s = &rows[i];
		if (strcmp(s->measure, "shortlisting") || s->pooled)
			continue;
		uint64_t h = stage_hash(s);
		for (size_t k = 0; k < n && !rc; k++) {
			size_t j = at[k];
			const parity_result_row *a = &rows[j];
			if (hashes[k] != h || strcmp(a->stratum_kind, s->stratum_kind) ||
			    strcmp(a->stratum, s->stratum) || strcmp(a->grouping, s->grouping) ||
			    strcmp(a->group1, s->group1) || strcmp(a->group2, s->group2) ||
			    strcmp(publish_window_of(a), publish_window_of(s)))
				continue;
			for (int side = 0; side < 2 && !rc; side++) {
				size_t part = cells[i * C_COUNTS + (side ? C_X2 : C_X1)];
				rc = gate_sum(g, cells[j * C_COUNTS + (side ? C_N2 : C_N1)], &part, 1);
			}
		}
	}
done:
	free(at);
	free(hashes);
	return rc;
}

/*
 * How far formal cases went: each stage's cases are some of the previous
 * stage's (those that stopped there are the difference, an unprinted
 * count), and every stage row has the same base (the cases). A pooled row
 * (over grounds) of a stage has the crude row's counts.
 */
int publish_link_stage_ladder(gate *g, const parity_result_row *rows, size_t count,
                             const size_t *cells)
{
	/* The stage rows (a few per grouping, whatever the organisations), so
	 * that the pairs below are read among them, not among every row. */
	size_t *stage = malloc((count + 1) * sizeof *stage), n = 0;
	if (!stage)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	for (size_t i = 0; i < count; i++)
		if (!strcmp(rows[i].stratum_kind, "stage"))
			stage[n++] = i;
	int rc = 0;
	for (size_t ai = 0; ai < n && !rc; ai++) {
		size_t i = stage[ai];
		const parity_result_row *a = &rows[i];
		int rank = parity_case_stage_rank(a->stratum);
		if (rank < 0)
			continue;
		for (size_t bj = 0; bj < n && !rc; bj++) {
			size_t j = stage[bj];
			const parity_result_row *b = &rows[j];
			if (strcmp(a->indicator, b->indicator) || strcmp(a->grouping, b->grouping) ||
			    strcmp(publish_window_of(a), publish_window_of(b)))
				continue;
			if (b->pooled && !a->pooled && !strcmp(a->stratum, b->stratum)) {
				for (int c = 0; c < C_COUNTS && !rc; c++)
					rc = gate_sum(g, cells[j * C_COUNTS + (size_t)c],
					              &cells[i * C_COUNTS + (size_t)c], 1);
				continue;
			}
			if (a->pooled || b->pooled || parity_case_stage_rank(b->stratum) <= rank)
				continue;
			/* The next stage recorded after a's. */
			int next = 1;
			for (size_t kk = 0; kk < n && next; kk++) {
				const parity_result_row *k = &rows[stage[kk]];
				next = !(!k->pooled && !strcmp(k->grouping, a->grouping) &&
				         !strcmp(publish_window_of(k), publish_window_of(a)) &&
				         parity_case_stage_rank(k->stratum) > rank &&
				         parity_case_stage_rank(k->stratum) <
				         parity_case_stage_rank(b->stratum));
			}
			if (!next)
				continue;
			for (int side = 0; side < 2 && !rc; side++) {
				char key[KEY_MAX], st[STEM_MAX];
				size_t part[2] = {cells[j * C_COUNTS + (side ? C_X2 : C_X1)], GATE_NONE};
				size_t base = cells[j * C_COUNTS + (side ? C_N2 : C_N1)];
				publish_stem(NULL, st, sizeof st, a); /* its own cell: the full text */
				snprintf(key, sizeof key, "%s|%s|%s|stopped|%s", st, a->grouping,
				         side ? a->group2 : a->group1, a->stratum);
				rc = publish_sum_with_rest(g, cells[i * C_COUNTS + (side ? C_X2 : C_X1)],
				                   part, 1, key);
				if (!rc)
					rc = gate_sum(g, cells[i * C_COUNTS + (side ? C_N2 : C_N1)],
					              &base, 1);
			}
		}
	}
	free(stage);
	return rc;
}
