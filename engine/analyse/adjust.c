/*
 * adjust.c: ratios adjusted for other characteristics. Collapses a measure's
 * count cube to one cell per group and combination of covariate levels and
 * hands the cells to the statistics module's modified Poisson regression.
 * The reference level of each covariate is its level with the largest base;
 * a covariate's not-stated values form a level of their own, so that no one
 * counted in the crude ratio is left out of the adjusted one.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

/* The dimensions named in `list` ("pay_band,sex") into dims; 0 or
 * PARITY_EUSAGE naming the bad entry. */
static int adjust_dims(int *dims, size_t *count, const char *list)
{
	*count = 0;
	const char *p = list;
	while (p && *p) {
		size_t len = strcspn(p, ",");
		int found = -1;
		for (int d = 0; d < D_COUNT; d++)
			if (d != D_CONTRACT && strlen(dimension_column(d)) == len &&
			    !strncmp(p, dimension_column(d), len))
				found = d;
		if (found < 0)
			return parity_error_set(PARITY_EUSAGE, "--adjust: unknown "
			                        "characteristic \"%.*s\": use organisation, "
			                        "ethnic_category, sex, disability, age_band, "
			                        "pay_band, staff_group, sexual_orientation or "
			                        "religion, comma-separated",
			                        (int)(len > 40 ? 40 : len), p);
		for (size_t k = 0; k < *count; k++)
			if (dims[k] == found)
				return parity_error_set(PARITY_EUSAGE, "--adjust: \"%s\" is "
				                        "given twice", dimension_column(found));
		if (*count == PARITY_ADJUST_MAX)
			return parity_error_set(PARITY_EUSAGE, "--adjust: at most %d "
			                        "characteristics", PARITY_ADJUST_MAX);
		dims[(*count)++] = found;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

int adjust_check(const parity_analyse_options *options)
{
	int dims[PARITY_ADJUST_MAX];
	size_t count;
	return options->adjust ? adjust_dims(dims, &count, options->adjust) : 0;
}

/* One cell being collapsed: its group, covariate value ids and counts. */
typedef struct pattern {
	int group1;
	uint32_t id[PARITY_ADJUST_MAX];
	uint64_t x, n;
} pattern;

static _Thread_local size_t sort_width; /* covariates compare_patterns compares */

static int compare_patterns(const void *a, const void *b)
{
	const pattern *x = a, *y = b;
	if (x->group1 != y->group1)
		return x->group1 < y->group1 ? -1 : 1;
	for (size_t k = 0; k < sort_width; k++)
		if (x->id[k] != y->id[k])
			return x->id[k] < y->id[k] ? -1 : 1;
	return 0;
}

/* The level of value `id` among `ids` (count entries), whose first entry
 * is the reference. */
static uint32_t level_of(const uint32_t *ids, size_t count, uint32_t id)
{
	for (size_t i = 0; i < count; i++)
		if (ids[i] == id)
			return (uint32_t)i;
	return 0;
}

int row_adjust(parity_result_row *row, const tally *t, const grouping *g,
               const parity_analyse_options *options)
{
	int dims[PARITY_ADJUST_MAX], rc;
	size_t ndims = 0, used = 0, merged = 0;
	pattern *cells = NULL;
	parity_adjust_cell *fit = NULL;
	uint32_t *ids[PARITY_ADJUST_MAX] = {NULL};
	uint64_t *base[PARITY_ADJUST_MAX] = {NULL};
	uint32_t levels[PARITY_ADJUST_MAX] = {0};
	if (!options->adjust)
		return 0;
	if ((rc = adjust_dims(dims, &ndims, options->adjust)))
		return rc;
	/* A covariate that defines the groups cannot adjust their ratio. */
	size_t kept = 0;
	for (size_t k = 0; k < ndims; k++) {
		int own = 0;
		for (size_t a = 0; a < g->axis_count; a++)
			own |= g->axes[a].dim == dims[k];
		if (!own)
			dims[kept++] = dims[k];
	}
	ndims = kept;
	row->adjusted_for[0] = '\0';
	for (size_t k = 0; k < ndims; k++) {
		size_t at = strlen(row->adjusted_for);
		snprintf(row->adjusted_for + at, sizeof row->adjusted_for - at, "%s%s",
		         k ? ";" : "", dimension_column(dims[k]));
	}

	uint32_t bank = UINT32_MAX;
	for (uint32_t id = 0; id < t->pool->count; id++)
		if (!strcmp(t->pool->items[id], "bank"))
			bank = id;
	cells = malloc((t->count ? t->count : 1) * sizeof *cells);
	if (!cells) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < t->count; i++) {
		const tally_cell *c = &t->cells[i];
		if (c->dim[D_CONTRACT] == bank && !options->include_bank)
			continue;
		int group = tally_classify(g, t, c);
		if (group != 1 && group != 2)
			continue;
		pattern *p = &cells[used++];
		memset(p, 0, sizeof *p);
		p->group1 = group == 1;
		for (size_t k = 0; k < ndims; k++)
			p->id[k] = c->dim[dims[k]];
		p->x = c->outcome;
		p->n = c->base;
	}
	sort_width = ndims;
	qsort(cells, used, sizeof *cells, compare_patterns);
	for (size_t i = 0; i < used; i++) { /* merge equal patterns */
		if (merged && !compare_patterns(&cells[merged - 1], &cells[i])) {
			cells[merged - 1].x += cells[i].x;
			cells[merged - 1].n += cells[i].n;
		} else {
			cells[merged++] = cells[i];
		}
	}

	/* Each covariate's levels, the largest base first (the reference). */
	for (size_t k = 0; k < ndims && !rc; k++) {
		ids[k] = malloc((merged ? merged : 1) * sizeof *ids[k]);
		base[k] = calloc(merged ? merged : 1, sizeof *base[k]);
		if (!ids[k] || !base[k]) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			break;
		}
		for (size_t i = 0; i < merged; i++) {
			if (cells[i].x > cells[i].n)
				continue;
			size_t l = level_of(ids[k], levels[k], cells[i].id[k]);
			if (!levels[k] || ids[k][l] != cells[i].id[k]) {
				l = levels[k]++;
				ids[k][l] = cells[i].id[k];
			}
			base[k][l] += cells[i].n;
		}
		size_t largest = 0;
		for (size_t l = 1; l < levels[k]; l++)
			if (base[k][l] > base[k][largest])
				largest = l;
		uint32_t swap = ids[k][0];
		ids[k][0] = ids[k][largest];
		ids[k][largest] = swap;
	}
	if (rc)
		goto done;
	fit = calloc(merged ? merged : 1, sizeof *fit);
	if (!fit) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	size_t n = 0;
	row->adjust_cells_dropped = 0;
	for (size_t i = 0; i < merged; i++) {
		if (cells[i].x > cells[i].n) {
			/* Cases without a matching headcount (people who left
			 * before the snapshot): not a binary outcome per person. */
			row->adjust_cells_dropped++;
			continue;
		}
		parity_adjust_cell *f = &fit[n++];
		f->x = cells[i].x;
		f->n = cells[i].n;
		f->group1 = cells[i].group1;
		for (size_t k = 0; k < ndims; k++)
			f->level[k] = level_of(ids[k], levels[k], cells[i].id[k]);
	}
	rc = parity_ratio_adjusted(&row->adjusted, fit, n, ndims, levels,
	                           options->settings.level);
	if (!rc && row->adjust_cells_dropped)
		row_flag(row, "adjust_cells_dropped");
done:
	for (size_t k = 0; k < PARITY_ADJUST_MAX; k++) {
		free(ids[k]);
		free(base[k]);
	}
	free(cells);
	free(fit);
	return rc;
}
