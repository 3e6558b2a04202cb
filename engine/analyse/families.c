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

static int same_family(const parity_result_row *a, const parity_result_row *b)
{
	return !strcmp(a->indicator, b->indicator) && !strcmp(a->grouping, b->grouping) &&
	       !strcmp(a->stratum_kind, b->stratum_kind) && !strcmp(a->period, b->period);
}

int families_adjust(parity_result_row *rows, size_t count)
{
	size_t *members = NULL;
	double *p = NULL, *holm = NULL, *bh = NULL;
	unsigned char *placed = NULL;
	int rc = 0;
	for (size_t i = 0; i < count; i++) {
		rows[i].p_holm = rows[i].p_bh = NAN;
		rows[i].family_size = 0;
	}
	if (!count)
		return 0;
	members = malloc(count * sizeof *members);
	p = malloc(count * sizeof *p);
	holm = malloc(count * sizeof *holm);
	bh = malloc(count * sizeof *bh);
	placed = calloc(count, 1);
	if (!members || !p || !holm || !bh || !placed) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < count && !rc; i++) {
		if (placed[i] || !tested(&rows[i]))
			continue;
		size_t m = 0;
		for (size_t j = i; j < count; j++) {
			if (placed[j] || !tested(&rows[j]) || !same_family(&rows[i], &rows[j]))
				continue;
			placed[j] = 1;
			members[m] = j;
			p[m++] = rows[j].ratio.p_score;
		}
		size_t family = 0;
		if ((rc = parity_p_adjust(holm, bh, &family, p, m)))
			break;
		for (size_t k = 0; k < m; k++) {
			parity_result_row *row = &rows[members[k]];
			row->p_holm = holm[k];
			row->p_bh = bh[k];
			row->family_size = (unsigned)family;
		}
	}
done:
	free(members);
	free(p);
	free(holm);
	free(bh);
	free(placed);
	return rc;
}
