/*
 * pass.c: the one read of the store that fills every tally of a run. For
 * each kind of extract, the packs of every month some tally counts are
 * decoded once; each cell's values are coded once (only the dimensions some
 * cube of that kind holds); and the cell is added to the cubes of every
 * tally whose window holds its month: the period's indicators, the rolling
 * window, each trend year and each cohort window alike. Workforce
 * snapshots are read once per month, for every tally and period whose
 * headcount they are.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

/* Whether `a` and `b` read the same cells over the same months. */
static int same_cells(const tally *a, const tally *b)
{
	if (strcmp(a->rule->kind, b->rule->kind) || a->headcount != b->headcount ||
	    (a->rule->process ? !b->rule->process || strcmp(a->rule->process, b->rule->process)
	                      : b->rule->process != NULL) ||
	    (a->rule->grounds ? !b->rule->grounds || strcmp(a->rule->grounds, b->rule->grounds)
	                      : b->rule->grounds != NULL) ||
	    a->periods_asked != b->periods_asked)
		return 0;
	for (size_t i = 0; i < a->periods_asked; i++)
		if (a->asked[i].first_month != b->asked[i].first_month ||
		    a->asked[i].last_month != b->asked[i].last_month)
			return 0;
	return 1;
}

int plan_add(plan *p, tally *t)
{
	for (size_t i = 0; i < p->count; i++) {
		tally *home = p->tallies[i];
		if (home->same || !same_cells(home, t))
			continue;
		int rc = 0;
		for (size_t c = 0; c < t->cube_count && !rc; c++)
			rc = tally_want(home, t->cubes[c].slots, t->cubes[c].width);
		for (size_t c = 0; c < t->cube_count; c++)
			cube_free(&t->cubes[c]);
		t->cube_count = 0;
		t->same = home;
		if (rc)
			return rc;
		break;
	}
	if (p->count == p->capacity) {
		size_t capacity = p->capacity ? p->capacity * 2 : 16;
		tally **grown = realloc(p->tallies, capacity * sizeof *grown);
		if (!grown)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		p->tallies = grown;
		p->capacity = capacity;
	}
	p->tallies[p->count++] = t;
	return 0;
}

void plan_free(plan *p)
{
	free(p->tallies);
	p->tallies = NULL;
	p->count = p->capacity = 0;
}

/* ---- which periods are counted ----------------------------------------- */

/* The data span of a kind, asked once per run. */
typedef struct span {
	const char *kind;
	int rc; /* 0: first..last hold data; 1: none */
	int first, last;
} span;

static int span_of(span *spans, size_t *n, parity_store *store, measure m,
                   const char *organisation, const span **out)
{
	const char *kind = measure_get(m)->kind;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(spans[i].kind, kind)) {
			*out = &spans[i];
			return 0;
		}
	span *s = &spans[(*n)++];
	s->kind = kind;
	s->rc = tally_span(store, m, organisation, &s->first, &s->last);
	if (s->rc < 0)
		return s->rc;
	*out = s;
	return 0;
}

/* Note a snapshot month in t->snapshots once. */
static void note_snapshot(tally *t, int month)
{
	char label[8];
	parity_month_label(label, month);
	if (strstr(t->snapshots, label))
		return;
	size_t used = strlen(t->snapshots);
	if (used + strlen(label) + 2 > sizeof t->snapshots)
		return;
	snprintf(t->snapshots + used, sizeof t->snapshots - used, "%s%s",
	         used ? ";" : "", label);
}

/* Period `i` of headcount tally `t`: per organisation, the latest workforce
 * month in it, else the latest in the twelve months before (stale). */
static int find_snapshots(tally *t, size_t i, parity_store *store, values *v,
                          const char *organisation)
{
	const parity_period *p = &t->asked[i];
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt,
	                       "SELECT organisation, max(month), max(month) >= ?2 FROM coverage "
	                       "WHERE kind = 'workforce' AND month BETWEEN ?1 AND ?3 "
	                       "AND (?4 IS NULL OR organisation = ?4) "
	                       "GROUP BY organisation ORDER BY organisation");
	if (rc)
		return rc;
	sqlite3_bind_int(stmt, 1, p->first_month - 12);
	sqlite3_bind_int(stmt, 2, p->first_month);
	sqlite3_bind_int(stmt, 3, p->last_month);
	if (organisation)
		sqlite3_bind_text(stmt, 4, organisation, -1, SQLITE_TRANSIENT);
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *org = (const char *)sqlite3_column_text(stmt, 0);
		uint32_t code;
		if ((rc = values_code(v, D_ORG, org ? org : "",
		                      (size_t)sqlite3_column_bytes(stmt, 0), &code)))
			break;
		if (code >= t->snapshot_orgs[i]) {
			size_t size = t->snapshot_orgs[i] ? t->snapshot_orgs[i] : 64;
			while (size <= code)
				size *= 2;
			int *grown = realloc(t->snapshot_of[i], size * sizeof *grown);
			if (!grown) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory");
				break;
			}
			for (size_t k = t->snapshot_orgs[i]; k < size; k++)
				grown[k] = -1;
			t->snapshot_of[i] = grown;
			t->snapshot_orgs[i] = size;
		}
		int month = sqlite3_column_int(stmt, 1);
		t->snapshot_of[i][code] = month;
		note_snapshot(t, month);
		if (!sqlite3_column_int(stmt, 2))
			t->stale_snapshot = 1;
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "finding workforce snapshots");
	sqlite3_finalize(stmt);
	return rc;
}

/* Decide which periods of `t` are counted (those within its kind's data),
 * its window and label, and for a headcount measure each period's
 * snapshots. Returns 0 or a negative parity error. */
static int settle_window(tally *t, span *spans, size_t *n_spans, parity_store *store,
                         values *v, const char *organisation)
{
	const span *s;
	int rc = span_of(spans, n_spans, store, t->m, organisation, &s);
	if (rc)
		return rc;
	if (s->rc == 1 || !t->periods_asked)
		return 0; /* no data of this kind at all */
	const char *first_label = NULL, *last_label = NULL;
	for (size_t i = 0; i < t->periods_asked; i++) {
		const parity_period *p = &t->asked[i];
		if (p->last_month < s->first || p->first_month > s->last)
			continue; /* outside the data: not counted */
		if (p->first_month < s->first || p->last_month > s->last)
			t->partial = 1;
		t->counted[i] = 1;
		if (t->headcount && (rc = find_snapshots(t, i, store, v, organisation)))
			return rc;
		if (!first_label) {
			t->first_month = p->first_month;
			first_label = p->label;
		}
		t->last_month = p->last_month;
		last_label = p->label;
		t->periods++;
	}
	if (t->periods == 1)
		snprintf(t->label, sizeof t->label, "%s", last_label);
	else if (t->periods)
		snprintf(t->label, sizeof t->label, "%.17s to %.17s", first_label, last_label);
	return 0;
}

/* ---- reading cells -------------------------------------------------------- */

/* Where each dimension is among a stored cell's values. */
static const int stored_dimension[D_COUNT] = {
	[D_ORG] = STORE_ORGANISATION, [D_ETHNIC] = STORE_ETHNIC_CATEGORY,
	[D_SEX] = STORE_SEX, [D_DISABILITY] = STORE_DISABILITY, [D_AGE] = STORE_AGE_BAND,
	[D_PAY] = STORE_PAY_BAND, [D_GROUP] = STORE_STAFF_GROUP,
	[D_CONTRACT] = STORE_CONTRACT, [D_ORIENTATION] = STORE_SEXUAL_ORIENTATION,
	[D_RELIGION] = STORE_RELIGION, [D_GROUNDS] = STORE_GROUNDS, [D_STAGE] = STORE_STAGE,
	[D_PROCESS] = STORE_PROCESS,
};

static uint64_t nonnegative(int64_t v)
{
	return v > 0 ? (uint64_t)v : 0;
}

/* One tally and period a month's cells go to; for workforce months, the
 * number of the tally's periods each organisation's snapshot serves. */
typedef struct target {
	tally *t;
	size_t period;
	unsigned char *uses;  /* workforce: by organisation code */
	size_t uses_size;
	uint32_t process, grounds; /* the rule's codes (UINT32_MAX: any) */
} target;

/* What one read of a kind shares. */
typedef struct reader {
	parity_store *store;
	values *v;
	int has_org;         /* only organisation `org` */
	uint32_t org;
} reader;

/* Add one cell's counts `add` to every cube of `t`. */
static int feed(tally *t, const values *v, const uint32_t *code, const uint64_t *add)
{
	uint32_t key[CUBE_SLOTS + 1];
	for (size_t i = 0; i < t->cube_count; i++) {
		cube *c = &t->cubes[i];
		for (size_t s = 0; s < c->width; s++)
			key[s] = values_class(v, c->slots[s].dim, (int)c->slots[s].mode,
			                      code[c->slots[s].dim]);
		key[c->width] = v->info[D_CONTRACT][code[D_CONTRACT]];
		if (cube_add(c, key, add))
			return PARITY_ENOMEM;
	}
	return 0;
}

/* Code the dimensions `dims` of `cell`. 0 or PARITY_ENOMEM. */
static int code_cell(const reader *r, unsigned dims, const store_cell *cell,
                     uint32_t *code)
{
	for (int d = 0; d < D_COUNT; d++) {
		if (!(dims >> d & 1u))
			continue;
		int s = stored_dimension[d];
		if (values_code(r->v, d, cell->dim[s], cell->length[s], &code[d]))
			return PARITY_ENOMEM;
	}
	return 0;
}

/* The values of a pack with dictionaries, coded once for the pack: the
 * code of index i of dimension d's dictionary is map[d][i]. */
typedef struct pack_codes {
	uint32_t *map[D_COUNT];
	size_t room[D_COUNT];
	/* The pack's dimensions to code: dims[k] read at stored[k] (or, when
	 * listed[k] is 0, the one empty value's code, map[dims[k]][0]). */
	int dims[D_COUNT], stored[D_COUNT], listed[D_COUNT];
	int count;
} pack_codes;

/* Code the dictionaries of `batch`'s dimensions `dims`, in their order (the
 * order the pack's cells first give them, as coding cell by cell would).
 * 0 or PARITY_ENOMEM. */
static int code_dictionaries(const reader *r, unsigned dims, const store_pack_batch *batch,
                             pack_codes *pc)
{
	pc->count = 0;
	for (int d = 0; d < D_COUNT; d++) {
		if (!(dims >> d & 1u))
			continue;
		int s = stored_dimension[d];
		pc->dims[pc->count] = d;
		pc->stored[pc->count] = s;
		pc->listed[pc->count++] = batch->value_count[s] != 0;
		size_t n = batch->value_count[s] ? batch->value_count[s] : 1;
		if (n > pc->room[d]) {
			uint32_t *map = realloc(pc->map[d], n * sizeof *map);
			if (!map)
				return parity_error_set(PARITY_ENOMEM, "out of memory");
			pc->map[d] = map;
			pc->room[d] = n;
		}
		if (!batch->value_count[s]) { /* every cell's value is empty */
			if (values_code(r->v, d, "", 0, &pc->map[d][0]))
				return PARITY_ENOMEM;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			const store_value *value = &batch->values[s][i];
			if (values_code(r->v, d, value->text, value->length, &pc->map[d][i]))
				return PARITY_ENOMEM;
		}
	}
	return 0;
}

/* The codes of cell `c` of a coded pack: a lookup a dimension. */
static void code_coded_cell(const store_pack_batch *batch, size_t c, const pack_codes *pc,
                            uint32_t *code)
{
	const uint32_t *index = &batch->codes[c * STORE_DIMENSIONS];
	for (int k = 0; k < pc->count; k++) {
		int d = pc->dims[k];
		code[d] = pc->map[d][pc->listed[k] ? index[pc->stored[k]] : 0];
	}
}

/* An outcome cell of a month for target `g`. */
static int outcome_cell(const reader *r, const target *g, const store_cell *cell,
                        const uint32_t *code)
{
	tally *t = g->t;
	if ((g->process != UINT32_MAX && code[D_PROCESS] != g->process) ||
	    (g->grounds != UINT32_MAX && code[D_GROUNDS] != g->grounds) ||
	    (r->has_org && code[D_ORG] != r->org))
		return 0;
	uint64_t add[CUBE_SUMS] = {nonnegative(cell->rows), nonnegative(cell->shortlisted),
	                           nonnegative(cell->appointed), 0};
	if (t->headcount && (code[D_ORG] >= t->snapshot_orgs[g->period] ||
	                     t->snapshot_of[g->period][code[D_ORG]] < 0)) {
		t->outcome_no_headcount += add[t->rule->outcome];
		return 0;
	}
	return feed(t, r->v, code, add);
}

/* A workforce cell for target `g`: the headcount of each period it serves. */
static int headcount_cell(const reader *r, const target *g, const store_cell *cell,
                          const uint32_t *code)
{
	uint32_t org = code[D_ORG];
	unsigned uses = org < g->uses_size ? g->uses[org] : 0;
	uint64_t rows = nonnegative(cell->rows);
	if (!uses || !rows)
		return 0;
	uint64_t add[CUBE_SUMS] = {0, 0, 0, rows * uses};
	return feed(g->t, r->v, code, add);
}

/* Read the packs `stmt` selects (cells, id, month) over months
 * first..last, handing each cell of a month to its targets:
 * targets[month - first] lists them (`counts` entries). `headcount` 1:
 * workforce snapshots. The packs are decoded a pack ahead by a second
 * thread (store_stream); this one codes and counts. */
static int read_kind(const reader *r, sqlite3_stmt *stmt, int first, int last,
                     target *const *targets, const size_t *counts, int headcount)
{
	size_t months = (size_t)(last - first + 1);
	unsigned char *wanted = malloc(months);
	unsigned *dims = malloc(months * sizeof *dims);
	if (!wanted || !dims) {
		free(wanted);
		free(dims);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	/* Each month codes only what its targets' cubes and rules read: a
	 * month only a trend year counts needs four dimensions, not ten. */
	for (size_t i = 0; i < months; i++) {
		wanted[i] = counts[i] != 0;
		dims[i] = 1u << D_ORG | 1u << D_CONTRACT;
		for (size_t k = 0; k < counts[i]; k++) {
			const target *g = &targets[i][k];
			if (g->process != UINT32_MAX)
				dims[i] |= 1u << D_PROCESS;
			if (g->grounds != UINT32_MAX)
				dims[i] |= 1u << D_GROUNDS;
			for (size_t c = 0; c < g->t->cube_count; c++)
				for (size_t w = 0; w < g->t->cubes[c].width; w++)
					dims[i] |= 1u << g->t->cubes[c].slots[w].dim;
		}
	}
	store_stream *stream = NULL;
	uint32_t code[D_COUNT] = {0};
	pack_codes pc;
	memset(&pc, 0, sizeof pc);
	int rc = store_stream_start(&stream, r->store, stmt, first, last, wanted);
	store_pack_batch batch;
	while (!rc && store_stream_next(stream, &batch)) {
		size_t at = (size_t)(batch.month - first);
		if (batch.codes && batch.count &&
		    (rc = code_dictionaries(r, dims[at], &batch, &pc)))
			break;
		for (size_t c = 0; c < batch.count && !rc; c++) {
			const store_cell *cell = &batch.cells[c];
			if (batch.codes)
				code_coded_cell(&batch, c, &pc, code);
			else if ((rc = code_cell(r, dims[at], cell, code)))
				break;
			for (size_t k = 0; k < counts[at] && !rc; k++)
				rc = headcount ? headcount_cell(r, &targets[at][k], cell, code)
				               : outcome_cell(r, &targets[at][k], cell, code);
		}
	}
	int read = store_stream_finish(stream);
	for (int d = 0; d < D_COUNT; d++)
		free(pc.map[d]);
	free(wanted);
	free(dims);
	return rc ? rc : read;
}

/* Per month first..last, the list of targets: freed by free_months. */
typedef struct months {
	int first, last;
	target **targets;
	size_t *counts, *capacities;
} months;

static void free_months(months *ms)
{
	size_t n = ms->targets && ms->counts ? (size_t)(ms->last - ms->first + 1) : 0;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < ms->counts[i]; k++)
			free(ms->targets[i][k].uses);
		free(ms->targets[i]);
	}
	free(ms->targets);
	free(ms->counts);
	free(ms->capacities);
	memset(ms, 0, sizeof *ms);
}

static int months_alloc(months *ms, int first, int last)
{
	size_t n = (size_t)(last - first + 1);
	ms->first = first;
	ms->last = last;
	ms->targets = calloc(n, sizeof *ms->targets);
	ms->counts = calloc(n, sizeof *ms->counts);
	ms->capacities = calloc(n, sizeof *ms->capacities);
	if (!ms->targets || !ms->counts || !ms->capacities) {
		free_months(ms);
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	}
	return 0;
}

/* The target for `t` in `month`, added when missing. NULL when out of
 * memory (error set). */
static target *month_target(months *ms, int month, tally *t, size_t period)
{
	size_t at = (size_t)(month - ms->first);
	for (size_t k = 0; k < ms->counts[at]; k++)
		if (ms->targets[at][k].t == t && ms->targets[at][k].period == period)
			return &ms->targets[at][k];
	if (ms->counts[at] == ms->capacities[at]) {
		size_t capacity = ms->capacities[at] ? ms->capacities[at] * 2 : 4;
		target *grown = realloc(ms->targets[at], capacity * sizeof *grown);
		if (!grown) {
			parity_error_set(PARITY_ENOMEM, "out of memory");
			return NULL;
		}
		ms->targets[at] = grown;
		ms->capacities[at] = capacity;
	}
	target *g = &ms->targets[at][ms->counts[at]++];
	memset(g, 0, sizeof *g);
	g->t = t;
	g->period = period;
	g->process = g->grounds = UINT32_MAX;
	return g;
}

/* The code of a rule's required value (UINT32_MAX: none required). */
static int rule_code(values *v, int dim, const char *text, uint32_t *code)
{
	*code = UINT32_MAX;
	return text ? values_code(v, dim, text, strlen(text), code) : 0;
}

/* Decode the packs of `kind` over the months of `ms` into their targets. */
static int read_months(parity_store *store, const reader *base,
                       const char *kind, int headcount, const months *ms)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt, "SELECT cells, id, month FROM cell_packs "
	                       "WHERE kind = ?1 AND month BETWEEN ?2 AND ?3");
	if (!rc) {
		sqlite3_bind_text(stmt, 1, kind, -1, SQLITE_STATIC);
		sqlite3_bind_int(stmt, 2, ms->first);
		sqlite3_bind_int(stmt, 3, ms->last);
		rc = read_kind(base, stmt, ms->first, ms->last, ms->targets, ms->counts,
		               headcount);
	}
	sqlite3_finalize(stmt);
	return rc;
}

/* Read the outcome cells of `kind` for its tallies' counted periods. */
static int read_outcomes(plan *p, parity_store *store, const char *kind,
                         const reader *base)
{
	months ms;
	int first = 0, last = -1, rc = 0;
	memset(&ms, 0, sizeof ms);
	for (size_t i = 0; i < p->count; i++) {
		const tally *t = p->tallies[i];
		if (t->same || strcmp(t->rule->kind, kind))
			continue;
		for (size_t k = 0; k < t->periods_asked; k++) {
			if (!t->counted[k])
				continue;
			if (last < first || t->asked[k].first_month < first)
				first = t->asked[k].first_month;
			if (last < first || t->asked[k].last_month > last)
				last = t->asked[k].last_month;
		}
	}
	if (last < first)
		return 0; /* nothing of this kind is counted */
	if ((rc = months_alloc(&ms, first, last)))
		return rc;
	for (size_t i = 0; i < p->count && !rc; i++) {
		tally *t = p->tallies[i];
		if (t->same || strcmp(t->rule->kind, kind))
			continue;
		for (size_t k = 0; k < t->periods_asked && !rc; k++) {
			if (!t->counted[k])
				continue;
			for (int m = t->asked[k].first_month; m <= t->asked[k].last_month; m++) {
				target *g = month_target(&ms, m, t, k);
				if (!g) {
					rc = PARITY_ENOMEM;
					break;
				}
				if ((rc = rule_code(p->vals, D_PROCESS, t->rule->process,
				                    &g->process)) ||
				    (rc = rule_code(p->vals, D_GROUNDS, t->rule->grounds,
				                    &g->grounds)))
					break;
			}
		}
	}
	if (!rc)
		rc = read_months(store, base, kind, 0, &ms);
	free_months(&ms);
	return rc;
}

/* Read each workforce month that is some headcount tally's snapshot, once. */
static int read_snapshots(plan *p, parity_store *store, const reader *base)
{
	months ms;
	int first = 0, last = -1, rc = 0;
	memset(&ms, 0, sizeof ms);
	for (size_t i = 0; i < p->count; i++) {
		const tally *t = p->tallies[i];
		for (size_t k = 0; !t->same && t->headcount && k < TALLY_PERIODS; k++)
			for (size_t o = 0; o < t->snapshot_orgs[k]; o++) {
				int m = t->snapshot_of[k][o];
				if (m < 0)
					continue;
				if (last < first || m < first)
					first = m;
				if (last < first || m > last)
					last = m;
			}
	}
	if (last < first)
		return 0;
	if ((rc = months_alloc(&ms, first, last)))
		return rc;
	for (size_t i = 0; i < p->count && !rc; i++) {
		tally *t = p->tallies[i];
		for (size_t k = 0; !t->same && t->headcount && k < TALLY_PERIODS && !rc; k++)
			for (size_t o = 0; o < t->snapshot_orgs[k]; o++) {
				int m = t->snapshot_of[k][o];
				if (m < 0)
					continue;
				/* One target per tally and month; period 0 stands for all. */
				target *g = month_target(&ms, m, t, 0);
				if (!g) {
					rc = PARITY_ENOMEM;
					break;
				}
				if (g->uses_size <= o) {
					size_t size = t->snapshot_orgs[k];
					unsigned char *grown = realloc(g->uses, size);
					if (!grown) {
						rc = parity_error_set(PARITY_ENOMEM, "out of memory");
						break;
					}
					memset(grown + g->uses_size, 0, size - g->uses_size);
					g->uses = grown;
					g->uses_size = size;
				}
				g->uses[o]++;
			}
	}
	if (!rc)
		rc = read_months(store, base, "workforce", 1, &ms);
	free_months(&ms);
	return rc;
}

int plan_run(plan *p, parity_store *store)
{
	span spans[M_COUNT];
	size_t n_spans = 0;
	int rc = 0;
	reader base;
	memset(&base, 0, sizeof base);
	base.store = store;
	base.v = p->vals;
	if (p->organisation) {
		base.has_org = 1;
		if ((rc = values_code(p->vals, D_ORG, p->organisation, strlen(p->organisation),
		                      &base.org)))
			return rc;
	}
	for (size_t i = 0; i < p->count && !rc; i++)
		rc = settle_window(p->tallies[i], spans, &n_spans, store, p->vals,
		                   p->organisation);
	static const char *const kinds[] = {"recruitment", "disciplinary", "training"};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0] && !rc; k++)
		rc = read_outcomes(p, store, kinds[k], &base);
	if (!rc)
		rc = read_snapshots(p, store, &base);
	/* What each tally holds by its own rule. */
	for (size_t i = 0; i < p->count && !rc; i++) {
		tally *t = p->tallies[i];
		const tally *home = tally_home(t);
		if (t->same)
			t->outcome_no_headcount = home->outcome_no_headcount;
		t->cells = 0;
		const cube *c = home->cube_count ? &home->cubes[0] : NULL;
		for (size_t e = 0; c && e < c->count; e++) {
			uint64_t outcome, held;
			tally_counts(t, c, e, &outcome, &held);
			t->cells += outcome || held;
		}
	}
	return rc;
}
