/*
 * families.c: multiple comparisons. Groups the crude rows of one analysis
 * into families of tests (the rows that share indicator, grouping, stratum
 * kind and period) and adjusts each family's p_score by Holm and by
 * Benjamini-Hochberg through the statistics module.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdint.h>
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

static uint64_t family_hash(const parity_result_row *row)
{
	const char *const parts[] = {row->indicator, row->grouping, row->stratum_kind,
	                             row->period};
	uint64_t h = UINT64_C(1469598103934665603);
	for (int k = 0; k < 4; k++) {
		for (const char *t = parts[k]; *t; t++)
			h = (h ^ (unsigned char)*t) * UINT64_C(1099511628211);
		h = (h ^ 0xff) * UINT64_C(1099511628211); /* the end of a field */
	}
	return h ^ h >> 31;
}

/*
 * Number the families of the tested rows order[0..n) in order of first
 * appearance: family[i] for order[i]; *families their number. A national
 * run has a few hundred families over hundreds of thousands of rows, so
 * they are found through a small hash table of each family's first row,
 * not by sorting the rows. 0 or PARITY_ENOMEM.
 */
static int number_families(size_t *family, size_t *families, const member *order,
                           size_t n)
{
	size_t slots = 64, count = 0;
	size_t *table = malloc(slots * sizeof *table); /* first member + 1; 0 empty */
	size_t *id = malloc(slots * sizeof *id);
	if (!table || !id) {
		free(table);
		free(id);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	memset(table, 0, slots * sizeof *table);
	for (size_t i = 0; i < n; i++) {
		uint64_t h = family_hash(order[i].row);
		size_t s = (size_t)h & (slots - 1);
		while (table[s] && family_order(order[table[s] - 1].row, order[i].row))
			s = (s + 1) & (slots - 1);
		if (table[s]) {
			family[i] = id[s];
			continue;
		}
		table[s] = i + 1;
		id[s] = family[i] = count++;
		if (count * 2 > slots) { /* grow: rehash every family's first row */
			size_t bigger = slots * 2;
			size_t *t2 = calloc(bigger, sizeof *t2), *id2 = malloc(bigger * sizeof *id2);
			if (!t2 || !id2) {
				free(t2);
				free(id2);
				free(table);
				free(id);
				return parity_error_set(PARITY_ENOMEM, "out of memory");
			}
			for (size_t k = 0; k < slots; k++)
				if (table[k]) {
					size_t j = (size_t)family_hash(order[table[k] - 1].row) & (bigger - 1);
					while (t2[j])
						j = (j + 1) & (bigger - 1);
					t2[j] = table[k];
					id2[j] = id[k];
				}
			free(table);
			free(id);
			table = t2;
			id = id2;
			slots = bigger;
		}
	}
	free(table);
	free(id);
	*families = count;
	return 0;
}

int families_adjust(parity_result_row *rows, size_t count)
{
	member *order = NULL, *sorted = NULL;
	size_t tested_count = 0, *family = NULL, *start = NULL;
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
	/* By family, each family's rows in their order: numbered, then a
	 * counting sort (stable), so no row is compared with another's text
	 * but its family's first. */
	size_t families = 0;
	family = malloc((tested_count + 1) * sizeof *family);
	sorted = malloc((tested_count + 1) * sizeof *sorted);
	if (!family || !sorted) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = number_families(family, &families, order, tested_count)))
		goto done;
	start = calloc(families + 1, sizeof *start);
	if (!start) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < tested_count; i++)
		start[family[i] + 1]++;
	for (size_t f = 0; f < families; f++)
		start[f + 1] += start[f];
	for (size_t i = 0; i < tested_count; i++)
		sorted[start[family[i]]++] = order[i];
	memcpy(order, sorted, tested_count * sizeof *order);
	/* start[f] is now where family f ends, and f + 1 begins. */
	for (size_t f = 0, first = 0; f < families && !rc; first = start[f++]) {
		size_t m = start[f] - first;
		for (size_t k = 0; k < m; k++)
			p[k] = order[first + k].row->ratio.p_score;
		size_t size = 0;
		if ((rc = parity_p_adjust(holm, bh, &size, p, m)))
			break;
		for (size_t k = 0; k < m; k++) {
			parity_result_row *row = &rows[order[first + k].at];
			row->p_holm = holm[k];
			row->p_bh = bh[k];
			row->family_size = (unsigned)size;
		}
	}
done:
	free(order);
	free(sorted);
	free(family);
	free(start);
	free(p);
	free(holm);
	free(bh);
	return rc;
}
