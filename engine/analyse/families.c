/*
 * families.c: multiple comparisons. Groups the crude rows of one analysis
 * into families of tests (the rows that share indicator, grouping, stratum
 * kind and period) and adjusts each family's p_score by Holm and by
 * Benjamini-Hochberg through the statistics module.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* 1 when `row` is a test that belongs to a family: a crude ratio with a
 * p-value (pooled and Kline rows test other hypotheses). */
static int tested(const parity_result_row *row)
{
	return !row->pooled && strcmp(row->stratum_kind, "kline") != 0 &&
	       !isnan(row->ratio.p_score);
}

static int family_order(const parity_result_row *a, const parity_result_row *b)
{
	int c = strcmp(a->indicator, b->indicator);
	if (!c)
		c = strcmp(a->grouping, b->grouping);
	if (!c)
		c = strcmp(a->stratum_kind, b->stratum_kind);
	if (!c)
		c = strcmp(a->period, b->period);
	return c;
}

/* A tested row and where it is. */
typedef struct member {
	const parity_result_row *row;
	size_t at;
} member;

/* Tested rows by family, each family's rows in their order. */
static int by_family(const void *x, const void *y)
{
	const member *a = x, *b = y;
	int c = family_order(a->row, b->row);
	return c ? c : (a->at > b->at) - (a->at < b->at);
}

int families_adjust(parity_result_row *rows, size_t count)
{
	member *order = NULL;
	size_t tested_count = 0;
	double *p = NULL, *holm = NULL, *bh = NULL;
	int rc = 0;
	for (size_t i = 0; i < count; i++) {
		rows[i].p_holm = rows[i].p_bh = NAN;
		rows[i].family_size = 0;
	}
	if (!count)
		return 0;
	order = malloc(count * sizeof *order);
	p = malloc(count * sizeof *p);
	holm = malloc(count * sizeof *holm);
	bh = malloc(count * sizeof *bh);
	if (!order || !p || !holm || !bh) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < count; i++)
		if (tested(&rows[i]))
			order[tested_count++] = (member){&rows[i], i};
	qsort(order, tested_count, sizeof *order, by_family);
	for (size_t first = 0, end; first < tested_count && !rc; first = end) {
		end = first + 1;
		while (end < tested_count &&
		       !family_order(order[first].row, order[end].row))
			end++;
		size_t m = end - first;
		for (size_t k = 0; k < m; k++)
			p[k] = order[first + k].row->ratio.p_score;
		size_t family = 0;
		if ((rc = parity_p_adjust(holm, bh, &family, p, m)))
			break;
		for (size_t k = 0; k < m; k++) {
			parity_result_row *row = &rows[order[first + k].at];
			row->p_holm = holm[k];
			row->p_bh = bh[k];
			row->family_size = (unsigned)family;
		}
	}
done:
	free(order);
	free(p);
	free(holm);
	free(bh);
	return rc;
}
