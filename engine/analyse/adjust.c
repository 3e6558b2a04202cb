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
			if (d != D_CONTRACT && d != D_PROCESS && strlen(dimension_column(d)) == len &&
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

int adjust_want(tally *t, const parity_analyse_options *options)
{
	/* One cube: every characteristic a grouping compares, and the
	 * covariates, each by its value. */
	static const int compared[] = {D_ETHNIC, D_SEX, D_DISABILITY, D_AGE,
	                               D_ORIENTATION, D_RELIGION};
	axis slots[sizeof compared / sizeof compared[0] + PARITY_ADJUST_MAX];
	int dims[PARITY_ADJUST_MAX];
	size_t ndims = 0, n = 0;
	if (!options->adjust)
		return 0;
	int rc = adjust_dims(dims, &ndims, options->adjust);
	if (rc)
		return rc;
	for (size_t i = 0; i < sizeof compared / sizeof compared[0]; i++)
		slots[n++] = (axis){compared[i], (axis_mode)AX_VALUE};
	for (size_t k = 0; k < ndims; k++) {
		size_t i = 0;
		while (i < n && slots[i].dim != dims[k])
			i++;
		if (i == n)
			slots[n++] = (axis){dims[k], (axis_mode)AX_VALUE};
	}
	return tally_want(t, slots, n);
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

/* A value of a covariate and its text, for ranking by text. */
typedef struct ranked {
	const char *text;
	uint32_t code;
} ranked;

static int compare_ranked(const void *a, const void *b)
{
	return strcmp(((const ranked *)a)->text, ((const ranked *)b)->text);
}

/* Each value code of dimension `dim` to its rank by text, so that levels
 * come in the same order whatever order the cells were stored in. NULL
 * when out of memory (error set). */
static uint32_t *rank_values(const values *v, int dim)
{
	size_t n = v->raw[dim].count;
	ranked *order = malloc((n ? n : 1) * sizeof *order);
	uint32_t *rank = malloc((n ? n : 1) * sizeof *rank);
	if (!order || !rank) {
		free(order);
		free(rank);
		parity_error_set(PARITY_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = (ranked){values_text(v, dim, (uint32_t)i), (uint32_t)i};
	qsort(order, n, sizeof *order, compare_ranked);
	for (size_t i = 0; i < n; i++)
		rank[order[i].code] = (uint32_t)i;
	free(order);
	return rank;
}

int row_adjust(parity_result_row *row, const tally *t, const grouping *g,
               const parity_analyse_options *options)
{
	int dims[PARITY_ADJUST_MAX], rc;
	size_t ndims = 0, used = 0, merged = 0;
	pattern *cells = NULL;
	parity_adjust_cell *fit = NULL;
	uint32_t *rank[PARITY_ADJUST_MAX] = {NULL};  /* value code -> rank */
	uint32_t *level[PARITY_ADJUST_MAX] = {NULL}; /* rank -> level + 1 */
	uint64_t *base[PARITY_ADJUST_MAX] = {NULL};  /* by rank */
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

	/* The cube that holds the groups' characteristics and the covariates. */
	axis need[MAX_AXES + PARITY_ADJUST_MAX];
	size_t where[MAX_AXES + PARITY_ADJUST_MAX];
	for (size_t a = 0; a < g->axis_count; a++)
		need[a] = g->axes[a];
	for (size_t k = 0; k < ndims; k++)
		need[g->axis_count + k] = (axis){dims[k], (axis_mode)AX_VALUE};
	const cube *cb = tally_cube(t, need, g->axis_count + ndims, where);
	if (!cb) {
		rc = PARITY_EINTERNAL;
		goto done;
	}
	grouping_codes want;
	grouping_resolve(&want, g, t->vals);
	for (size_t k = 0; k < ndims; k++)
		if (!(rank[k] = rank_values(t->vals, dims[k]))) {
			rc = PARITY_ENOMEM;
			goto done;
		}
	cells = malloc((cb->count ? cb->count : 1) * sizeof *cells);
	if (!cells) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	size_t words = cb->width + 1;
	for (size_t e = 0; e < cb->count; e++) {
		const uint32_t *key = &cb->keys[e * words];
		uint64_t x, n;
		tally_counts(t, cb, e, &x, &n);
		if ((!x && !n) || (key[cb->width] == CONTRACT_BANK && !options->include_bank))
			continue;
		uint32_t cls[MAX_AXES];
		for (size_t a = 0; a < g->axis_count; a++)
			cls[a] = (int)cb->slots[where[a]].mode == AX_VALUE
			         ? values_class(t->vals, g->axes[a].dim, (int)g->axes[a].mode,
			                        key[where[a]])
			         : key[where[a]];
		int group = grouping_classify(&want, g->axis_count, cls);
		if (group != 1 && group != 2)
			continue;
		pattern *p = &cells[used++];
		memset(p, 0, sizeof *p);
		p->group1 = group == 1;
		for (size_t k = 0; k < ndims; k++)
			p->id[k] = rank[k][key[where[g->axis_count + k]]];
		p->x = x;
		p->n = n;
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

	/* Each covariate's levels in the order of their values' text, then
	 * the one with the largest base (the first such) moved first: the
	 * reference. */
	for (size_t k = 0; k < ndims && !rc; k++) {
		size_t n = t->vals->raw[dims[k]].count;
		level[k] = calloc(n ? n : 1, sizeof *level[k]);
		base[k] = calloc(n ? n : 1, sizeof *base[k]);
		if (!level[k] || !base[k]) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			break;
		}
		for (size_t i = 0; i < merged; i++) {
			if (cells[i].x > cells[i].n)
				continue;
			level[k][cells[i].id[k]] = 1; /* present */
			base[k][cells[i].id[k]] += cells[i].n;
		}
		size_t largest = SIZE_MAX;
		for (size_t r = 0; r < n; r++) {
			if (!level[k][r])
				continue;
			level[k][r] = ++levels[k];
			if (largest == SIZE_MAX || base[k][r] > base[k][largest])
				largest = r;
		}
		for (size_t r = 0; largest != SIZE_MAX && r < n; r++)
			if (level[k][r] && level[k][r] < level[k][largest])
				level[k][r]++; /* make room at the front */
		if (largest != SIZE_MAX)
			level[k][largest] = 1;
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
			f->level[k] = level[k][cells[i].id[k]] - 1;
	}
	rc = parity_ratio_adjusted(&row->adjusted, fit, n, ndims, levels,
	                           options->settings.level);
	if (!rc && row->adjust_cells_dropped)
		row_flag(row, "adjust_cells_dropped");
done:
	for (size_t k = 0; k < PARITY_ADJUST_MAX; k++) {
		free(rank[k]);
		free(level[k]);
		free(base[k]);
	}
	free(cells);
	free(fit);
	return rc;
}
