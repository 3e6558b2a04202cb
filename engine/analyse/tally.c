/*
 * tally.c: a measure's counts over a window, as the cubes that its readers
 * asked for, and the sums read from them: the two groups of a grouping per
 * stratum, with every exclusion counted on the way, and the classes of a
 * characteristic. The cubes are filled by pass.c.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

/* ---- windows ------------------------------------------------------------- */

size_t window_periods(parity_period *out, const parity_period *period,
                      unsigned years)
{
	if (years == 0)
		years = 1;
	out[years - 1] = *period;
	for (unsigned i = years - 1; i > 0; i--)
		parity_period_previous(&out[i - 1], &out[i]);
	return years;
}

size_t window_stretches(parity_period *out, size_t max, int first, int last)
{
	size_t n = 0;
	int end = last;
	while (end >= first && n < max) {
		int start = end - 11 < first ? first : end - 11;
		n++;
		end = start - 1;
	}
	/* Fill oldest first. */
	end = last;
	for (size_t i = n; i > 0; i--) {
		parity_period *p = &out[i - 1];
		int start = end - 11 < first ? first : end - 11;
		char a[8], b[8];
		p->first_month = start;
		p->last_month = end;
		parity_month_label(a, start);
		parity_month_label(b, end);
		snprintf(p->label, sizeof p->label, "%s to %s", a, b);
		end = start - 1;
	}
	return n;
}

/* ---- loading ------------------------------------------------------------- */

int tally_span(parity_store *store, measure m, const char *organisation,
               int *first, int *last)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "SELECT min(month), max(month) FROM coverage WHERE kind = ?1 "
	                       "AND (?2 IS NULL OR organisation = ?2)");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, measure_get(m)->kind, -1, SQLITE_STATIC);
	if (organisation)
		sqlite3_bind_text(stmt, 2, organisation, -1, SQLITE_TRANSIENT);
	int step = sqlite3_step(stmt);
	if (step != SQLITE_ROW) {
		rc = store_fail(store, step, "reading the data span");
		sqlite3_finalize(stmt);
		return rc;
	}
	if (sqlite3_column_type(stmt, 0) == SQLITE_NULL) {
		sqlite3_finalize(stmt);
		return 1;
	}
	*first = sqlite3_column_int(stmt, 0);
	*last = sqlite3_column_int(stmt, 1);
	sqlite3_finalize(stmt);
	return 0;
}

/* Append one span of months to `buf`. */
static void put_span(char *buf, size_t size, int from, int to)
{
	char a[8], b[8];
	size_t used = strlen(buf);
	if (used + 20 >= size)
		return;
	parity_month_label(a, from);
	parity_month_label(b, to);
	if (from == to)
		snprintf(buf + used, size - used, "%s%s", used ? ", " : "", a);
	else
		snprintf(buf + used, size - used, "%s%s..%s", used ? ", " : "", a, b);
}

int tally_months_covered(parity_store *store, const char *organisation, int first,
                         int last, char *buf, size_t size)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "SELECT DISTINCT month FROM coverage WHERE month BETWEEN ?1 "
	                       "AND ?2 AND kind <> 'workforce' AND (?3 IS NULL OR "
	                       "organisation = ?3) ORDER BY month");
	if (rc)
		return rc;
	sqlite3_bind_int(stmt, 1, first);
	sqlite3_bind_int(stmt, 2, last);
	if (organisation)
		sqlite3_bind_text(stmt, 3, organisation, -1, SQLITE_TRANSIENT);
	int months = 0, from = -1, to = -1, step;
	buf[0] = '\0';
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		int month = sqlite3_column_int(stmt, 0);
		months++;
		if (from >= 0 && month == to + 1) {
			to = month;
			continue;
		}
		if (from >= 0)
			put_span(buf, size, from, to);
		from = to = month;
	}
	if (from >= 0)
		put_span(buf, size, from, to);
	if (step != SQLITE_DONE)
		months = store_fail(store, step, "reading which months hold data");
	sqlite3_finalize(stmt);
	return months;
}

/* ---- a tally ------------------------------------------------------------ */

void tally_init(tally *t, measure m, const cell_rule *rule, const values *v,
                const parity_period *periods, size_t count)
{
	memset(t, 0, sizeof *t);
	t->m = m;
	t->rule = rule;
	t->headcount = rule->base == C_HEADCOUNT;
	t->vals = v;
	if (count > TALLY_PERIODS)
		count = TALLY_PERIODS;
	memcpy(t->asked, periods, count * sizeof *periods);
	t->periods_asked = (unsigned)count;
}

int tally_want(tally *t, const axis *slots, size_t width)
{
	for (size_t i = 0; i < t->cube_count; i++) {
		const cube *c = &t->cubes[i];
		if (c->width == width && !memcmp(c->slots, slots, width * sizeof *slots))
			return 0;
	}
	if (t->cube_count == TALLY_CUBES || width > CUBE_SLOTS)
		return parity_error_set(PARITY_EINTERNAL, "internal error: a tally of %s "
		                        "was asked for too many sums",
		                        measure_get(t->m)->name);
	cube *c = &t->cubes[t->cube_count++];
	memset(c, 0, sizeof *c);
	memcpy(c->slots, slots, width * sizeof *slots);
	c->width = width;
	return 0;
}

int tally_want_by_org(tally *t)
{
	int rc = 0;
	for (size_t k = 0; parity_indicator_info_at(k) && !rc; k++) {
		const parity_indicator_info *info = parity_indicator_info_at(k);
		if (strcmp(info->measure, measure_get(t->m)->name))
			continue;
		grouping g;
		grouping_standard(&g, info);
		axis slots[2] = {{D_ORG, (axis_mode)AX_VALUE}, g.axes[0]};
		rc = tally_want(t, slots, 2);
	}
	return rc;
}

void tally_free(tally *t)
{
	for (size_t i = 0; i < t->cube_count; i++)
		cube_free(&t->cubes[i]);
	t->cube_count = 0;
	t->same = NULL;
	for (size_t p = 0; p < TALLY_PERIODS; p++) {
		free(t->snapshot_of[p]);
		t->snapshot_of[p] = NULL;
		t->snapshot_orgs[p] = 0;
	}
}

const char *tally_text(const tally *t, int dim, uint32_t key)
{
	return values_text(t->vals, dim, key);
}

const cube *tally_cube(const tally *t, const axis *need, size_t count, size_t *where)
{
	const cube *best = NULL;
	t = tally_home(t);
	for (size_t i = 0; i < t->cube_count; i++) {
		const cube *c = &t->cubes[i];
		size_t at[CUBE_SLOTS + MAX_AXES];
		size_t k = 0;
		for (; k < count; k++) {
			size_t s = 0;
			while (s < c->width &&
			       !(c->slots[s].dim == need[k].dim &&
			         ((int)c->slots[s].mode == (int)need[k].mode ||
			          (int)c->slots[s].mode == AX_VALUE)))
				s++;
			if (s == c->width)
				break;
			at[k] = s;
		}
		if (k < count || (best && best->count <= c->count))
			continue;
		best = c;
		memcpy(where, at, count * sizeof *where);
	}
	if (!best)
		parity_error_set(PARITY_EINTERNAL, "internal error: the %s counts were not "
		                 "summed as an analysis needs them", measure_get(t->m)->name);
	return best;
}

/* ---- classifying ---------------------------------------------------------- */

void grouping_resolve(grouping_codes *out, const grouping *g, const values *v)
{
	for (size_t a = 0; a < g->axis_count; a++) {
		if (!values_class_find(v, &g->axes[a], g->group1[a], &out->group1[a]))
			out->group1[a] = UINT32_MAX; /* no value has it: matches nothing */
		if (!values_class_find(v, &g->axes[a], g->group2[a], &out->group2[a]))
			out->group2[a] = UINT32_MAX;
	}
}

int grouping_classify(const grouping_codes *want, size_t axis_count,
                      const uint32_t *cls)
{
	int in1 = 1, in2 = 1;
	for (size_t a = 0; a < axis_count; a++) {
		if (!cls[a])
			return -1;
		in1 &= cls[a] == want->group1[a];
		in2 &= cls[a] == want->group2[a];
	}
	return in1 ? 1 : in2 ? 2 : 0;
}

/* The class on axis `need` of the value in slot `s` of entry key `key`. */
static uint32_t entry_class(const values *v, const cube *c, size_t s,
                            const uint32_t *key, const axis *need)
{
	return (int)c->slots[s].mode == AX_VALUE
	       ? values_class(v, need->dim, (int)need->mode, key[s])
	       : key[s];
}

/* ---- summing --------------------------------------------------------------- */

/* The order of strata: pay bands in Agenda for Change order, then the rest
 * by name. */
typedef struct stratum_order {
	const char *text;
	uint64_t head; /* its first eight bytes, big-endian, zero-padded */
	int32_t rank; /* AfC rank for pay bands, else -1 */
	uint32_t index; /* sums are one a value: fewer than 2^32 */
} stratum_order;

/* The first eight bytes of `text` as a big-endian number, zero after its
 * end: two such numbers, when unequal, order their texts as strcmp does
 * (a national run sorts 100,000 organisations' codes, over and over). */
static uint64_t text_head(const char *text)
{
	uint64_t h = 0;
	int k = 0;
	for (; k < 8 && text[k]; k++)
		h = h << 8 | (unsigned char)text[k];
	return k ? h << 8 * (8 - k) : 0;
}

static int compare_strata(const void *pa, const void *pb)
{
	const stratum_order *a = pa, *b = pb;
	if (a->rank >= 0 && b->rank >= 0)
		return a->rank < b->rank ? -1 : a->rank > b->rank;
	if (a->rank >= 0 || b->rank >= 0)
		return a->rank >= 0 ? -1 : 1;
	if (a->head != b->head)
		return a->head < b->head ? -1 : 1;
	return strcmp(a->text, b->text);
}

/* Sort `n` sums by their strata of dimension `dim`. 0 or PARITY_ENOMEM. */
static int sort_sums(group_sum *sums, size_t n, const tally *t, int dim)
{
	stratum_order *order = malloc((n ? n : 1) * sizeof *order);
	group_sum *sorted = malloc((n ? n : 1) * sizeof *sorted);
	if (!order || !sorted) {
		free(order);
		free(sorted);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < n; i++) {
		order[i].text = tally_text(t, dim, sums[i].key);
		order[i].head = text_head(order[i].text);
		order[i].rank = dim == D_PAY ? afc_band_rank(order[i].text) : -1;
		order[i].index = (uint32_t)i;
	}
	qsort(order, n, sizeof *order, compare_strata);
	for (size_t i = 0; i < n; i++)
		sorted[i] = sums[order[i].index];
	memcpy(sums, sorted, n * sizeof *sums);
	free(order);
	free(sorted);
	return 0;
}

int tally_sum(group_sum **out, size_t *count, const tally *t, const grouping *g,
              int strat_dim, int include_bank)
{
	axis need[MAX_AXES + 1];
	size_t where[MAX_AXES + 1];
	size_t n_need = 0, n = 0;
	*out = NULL;
	*count = 0;
	if (strat_dim >= 0)
		need[n_need++] = (axis){strat_dim, (axis_mode)AX_VALUE};
	for (size_t a = 0; a < g->axis_count; a++)
		need[n_need++] = g->axes[a];
	const cube *c = tally_cube(t, need, n_need, where);
	if (!c)
		return PARITY_EINTERNAL;
	const size_t *axis_at = where + (strat_dim >= 0);
	grouping_codes want;
	grouping_resolve(&want, g, t->vals);
	int headcount = measure_get(t->m)->headcount;
	size_t strata = strat_dim >= 0 ? t->vals->raw[strat_dim].count : 1;

	/* Where each stratum's sum is, by its code. */
	size_t *slot_of = malloc((strata ? strata : 1) * sizeof *slot_of);
	group_sum *sums = calloc(strat_dim >= 0 ? (c->count ? c->count : 1) : 1,
	                         sizeof *sums);
	if (!slot_of || !sums) {
		free(slot_of);
		free(sums);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < strata; i++)
		slot_of[i] = SIZE_MAX;
	if (strat_dim < 0) {
		sums[0].key = UINT32_MAX;
		n = 1;
	}
	size_t words = c->width + 1;
	for (size_t e = 0; e < c->count; e++) {
		const uint32_t *key = &c->keys[e * words];
		uint64_t outcome, base;
		tally_counts(t, c, e, &outcome, &base);
		if (!outcome && !base)
			continue; /* no cell of this measure */
		group_sum *s = &sums[0];
		if (strat_dim >= 0) {
			uint32_t k = key[where[0]];
			if (slot_of[k] == SIZE_MAX) {
				slot_of[k] = n;
				sums[n].key = k;
				n++;
			}
			s = &sums[slot_of[k]];
		}
		unsigned status = key[c->width];
		if (status == CONTRACT_BANK && !include_bank) {
			s->bank_base += base;
			s->bank_outcome += outcome;
			continue;
		}
		uint32_t cls[MAX_AXES];
		for (size_t a = 0; a < g->axis_count; a++)
			cls[a] = entry_class(t->vals, c, axis_at[a], key, &g->axes[a]);
		int group = grouping_classify(&want, g->axis_count, cls);
		if (group < 0) {
			s->unknown_base += base;
			s->unknown_outcome += outcome;
			continue;
		}
		if (group && headcount && outcome && status == CONTRACT_NONE)
			s->no_contract_outcome += outcome;
		if (group == 1) {
			s->counts.x1 += outcome;
			s->counts.n1 += base;
		} else if (group == 2) {
			s->counts.x2 += outcome;
			s->counts.n2 += base;
		}
	}
	free(slot_of);
	if (strat_dim >= 0 && sort_sums(sums, n, t, strat_dim)) {
		free(sums);
		return PARITY_ENOMEM;
	}
	*out = sums;
	*count = n;
	return 0;
}

static int compare_categories(const void *a, const void *b)
{
	return strcmp(((const category *)a)->code, ((const category *)b)->code);
}

int tally_categories(category **out, size_t *count, const tally *t, const axis *a,
                     int include_bank)
{
	size_t where;
	*out = NULL;
	*count = 0;
	const cube *c = tally_cube(t, a, 1, &where);
	if (!c)
		return PARITY_EINTERNAL;
	size_t classes = t->vals->classes[a->dim][a->mode].count;
	category *cats = calloc(classes ? classes : 1, sizeof *cats);
	size_t *slot_of = malloc((classes ? classes : 1) * sizeof *slot_of);
	size_t n = 0, words = c->width + 1;
	if (!cats || !slot_of) {
		free(cats);
		free(slot_of);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < classes; i++)
		slot_of[i] = SIZE_MAX;
	for (size_t e = 0; e < c->count; e++) {
		const uint32_t *key = &c->keys[e * words];
		uint64_t outcome, base;
		tally_counts(t, c, e, &outcome, &base);
		if ((!outcome && !base) || (!include_bank && key[c->width] == CONTRACT_BANK))
			continue;
		uint32_t cls = entry_class(t->vals, c, where, key, a);
		if (!cls)
			continue;
		if (slot_of[cls - 1] == SIZE_MAX) {
			slot_of[cls - 1] = n;
			snprintf(cats[n].code, sizeof cats[n].code, "%s",
			         values_class_text(t->vals, a, cls));
			n++;
		}
		cats[slot_of[cls - 1]].base += base;
	}
	free(slot_of);
	qsort(cats, n, sizeof *cats, compare_categories);
	*out = cats;
	*count = n;
	return 0;
}
