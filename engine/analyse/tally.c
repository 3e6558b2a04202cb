/*
 * tally.c: loads the counts of one measure over a window from the store
 * (outcome cells, and for headcount measures the workforce snapshot that
 * goes with each period) and sums them into the two groups of a grouping,
 * per stratum, counting every exclusion on the way.
 */
#include "analyse_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

/* ---- interned strings ---------------------------------------------------- */

static uint64_t hash_text(const char *text)
{
	uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a */
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		h ^= *p;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

/* Double the slot table and re-insert every string. */
static int strpool_grow(strpool *pool)
{
	size_t slot_count = pool->slot_count ? pool->slot_count * 2 : 256;
	uint32_t *slots = calloc(slot_count, sizeof *slots);
	if (!slots)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t id = 0; id < pool->count; id++) {
		size_t i = (size_t)hash_text(pool->items[id]) & (slot_count - 1);
		while (slots[i])
			i = (i + 1) & (slot_count - 1);
		slots[i] = (uint32_t)id + 1;
	}
	free(pool->slots);
	pool->slots = slots;
	pool->slot_count = slot_count;
	return 0;
}

int strpool_intern(strpool *pool, const char *text, uint32_t *id)
{
	if (!text)
		text = "";
	if ((pool->count + 1) * 2 > pool->slot_count) {
		int rc = strpool_grow(pool);
		if (rc)
			return rc;
	}
	size_t i = (size_t)hash_text(text) & (pool->slot_count - 1);
	while (pool->slots[i]) {
		uint32_t found = pool->slots[i] - 1;
		if (!strcmp(pool->items[found], text)) {
			*id = found;
			return 0;
		}
		i = (i + 1) & (pool->slot_count - 1);
	}
	if (pool->count == pool->capacity) {
		size_t capacity = pool->capacity ? pool->capacity * 2 : 64;
		char **items = realloc(pool->items, capacity * sizeof *items);
		if (!items)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		pool->items = items;
		pool->capacity = capacity;
	}
	char *copy = strdup(text);
	if (!copy)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	pool->items[pool->count] = copy;
	pool->slots[i] = (uint32_t)pool->count + 1;
	*id = (uint32_t)pool->count++;
	return 0;
}

const char *strpool_get(const strpool *pool, uint32_t id)
{
	return id < pool->count ? pool->items[id] : "";
}

void strpool_free(strpool *pool)
{
	for (size_t i = 0; i < pool->count; i++)
		free(pool->items[i]);
	free(pool->items);
	free(pool->slots);
	memset(pool, 0, sizeof *pool);
}

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

static tally_cell *cell_add(tally *t)
{
	if (t->count == t->capacity) {
		size_t capacity = t->capacity ? t->capacity * 2 : 1024;
		tally_cell *cells = realloc(t->cells, capacity * sizeof *cells);
		if (!cells) {
			parity_error_set(PARITY_ENOMEM, "out of memory");
			return NULL;
		}
		t->cells = cells;
		t->capacity = capacity;
	}
	tally_cell *c = &t->cells[t->count++];
	memset(c, 0, sizeof *c);
	return c;
}

/* Where each D_ dimension is among a stored cell's. */
static const int stored_dimension[D_COUNT] = {
	[D_ORG] = STORE_ORGANISATION, [D_ETHNIC] = STORE_ETHNIC_CATEGORY,
	[D_SEX] = STORE_SEX, [D_DISABILITY] = STORE_DISABILITY, [D_AGE] = STORE_AGE_BAND,
	[D_PAY] = STORE_PAY_BAND, [D_GROUP] = STORE_STAFF_GROUP,
	[D_CONTRACT] = STORE_CONTRACT, [D_ORIENTATION] = STORE_SEXUAL_ORIENTATION,
	[D_RELIGION] = STORE_RELIGION, [D_GROUNDS] = STORE_GROUNDS, [D_STAGE] = STORE_STAGE,
};

/* Which stored cells a measure counts and what it takes from them. */
typedef enum count_of { C_NONE, C_ROWS, C_SHORTLISTED, C_APPOINTED } count_of;
typedef struct cell_rule {
	const char *kind;
	const char *process;  /* the cell's process must be this (NULL: any) */
	const char *grounds;  /* and its grounds this (NULL: any) */
	count_of outcome, base;
} cell_rule;

static const cell_rule outcome_rule[M_COUNT] = {
	[M_APPOINTMENT] = {"recruitment", NULL, NULL, C_APPOINTED, C_SHORTLISTED},
	[M_DISCIPLINARY] = {"disciplinary", "disciplinary", NULL, C_ROWS, C_NONE},
	[M_CAPABILITY] = {"disciplinary", "capability", "performance", C_ROWS, C_NONE},
	[M_TRAINING] = {"training", NULL, NULL, C_ROWS, C_NONE},
	/* a recruitment row is one application */
	[M_SHORTLISTING] = {"recruitment", NULL, NULL, C_SHORTLISTED, C_ROWS},
};
static const cell_rule headcount_rule = {"workforce", NULL, NULL, C_NONE, C_ROWS};
/* Every formal case, of either process and any grounds (the stages). */
static const cell_rule cases_rule = {"disciplinary", NULL, NULL, C_ROWS, C_NONE};

static int64_t count_taken(const store_cell *c, count_of which)
{
	switch (which) {
	case C_ROWS: return c->rows;
	case C_SHORTLISTED: return c->shortlisted;
	case C_APPOINTED: return c->appointed;
	default: return 0;
	}
}

/* Whether stored value `d` of the cell is `text`. */
static int stored_is(const store_cell *c, int d, const char *text)
{
	return c->length[d] == strlen(text) && !memcmp(c->dim[d], text, c->length[d]);
}

/* Intern `length` bytes of text (not NUL-terminated). */
static int intern_stored(strpool *pool, const char *text, size_t length, uint32_t *id,
                         char **buffer, size_t *size)
{
	if (length + 1 > *size) {
		size_t n = *size ? *size : 256;
		while (n < length + 1)
			n *= 2;
		char *grown = realloc(*buffer, n);
		if (!grown)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		*buffer = grown;
		*size = n;
	}
	memcpy(*buffer, text, length);
	(*buffer)[length] = '\0';
	return strpool_intern(pool, *buffer, id);
}

/* Read the packs `stmt` selects (cells in column 0, id in 1) into
 * tally cells by `rule`: only cells of `organisation` when it is not NULL;
 * `keep_orgs` (may be NULL) says which organisations to keep, and the
 * outcome of any other is added to *dropped. */
static int read_packs(tally *t, parity_store *store, sqlite3_stmt *stmt,
                      const cell_rule *rule, const char *organisation,
                      const uint32_t *keep_orgs, size_t keep_count, uint64_t *dropped)
{
	store_pack_reader reader;
	char *buffer = NULL;
	size_t buffer_size = 0;
	int step = SQLITE_DONE, rc = 0;
	memset(&reader, 0, sizeof reader);
	/* The organisations kept, as flags by pooled id (organisations may be
	 * many, and so are cells). */
	unsigned char *kept = NULL;
	uint32_t kept_size = 0;
	if (keep_orgs) {
		for (size_t k = 0; k < keep_count; k++)
			if (keep_orgs[k] + 1 > kept_size)
				kept_size = keep_orgs[k] + 1;
		if (!(kept = calloc(kept_size ? kept_size : 1, 1)))
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		for (size_t k = 0; k < keep_count; k++)
			kept[keep_orgs[k]] = 1;
	}
	while (!rc && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
		rc = store_pack_open_row(&reader, store, stmt, 0, sqlite3_column_int64(stmt, 1));
		store_cell cell;
		while (!rc && (rc = store_pack_next(&reader, &cell)) == 1) {
			rc = 0;
			if ((organisation && !stored_is(&cell, STORE_ORGANISATION, organisation)) ||
			    (rule->process && !stored_is(&cell, STORE_PROCESS, rule->process)) ||
			    (rule->grounds && !stored_is(&cell, STORE_GROUNDS, rule->grounds)))
				continue;
			int64_t outcome = count_taken(&cell, rule->outcome);
			int64_t base = count_taken(&cell, rule->base);
			if (!outcome && !base)
				continue;
			uint32_t ids[D_COUNT];
			for (int d = 0; d < D_COUNT && !rc; d++) {
				int s = stored_dimension[d];
				rc = intern_stored(t->pool, cell.dim[s], cell.length[s], &ids[d],
				                   &buffer, &buffer_size);
			}
			if (rc)
				break;
			if (kept && (ids[D_ORG] >= kept_size || !kept[ids[D_ORG]])) {
				*dropped += (uint64_t)outcome;
				continue;
			}
			tally_cell *c = cell_add(t);
			if (!c) {
				rc = PARITY_ENOMEM;
				break;
			}
			memcpy(c->dim, ids, sizeof ids);
			c->outcome = (uint64_t)outcome;
			c->base = (uint64_t)base;
		}
	}
	if (!rc && step != SQLITE_DONE)
		rc = store_fail(store, step, "reading counts");
	store_pack_reader_free(&reader);
	free(buffer);
	free(kept);
	return rc;
}

/* The snapshots for one period: per organisation, the latest workforce
 * month in it, else the latest in the twelve months before (stale). */
typedef struct snapshot {
	uint32_t org;
	int month;
	int stale;
} snapshot;

static int find_snapshots(snapshot **out, size_t *count, tally *t,
                          parity_store *store, const parity_period *p,
                          const char *organisation)
{
	sqlite3_stmt *stmt = NULL;
	snapshot *snaps = NULL;
	size_t n = 0;
	*out = NULL;
	*count = 0;
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
		snapshot *grown = realloc(snaps, (n + 1) * sizeof *grown);
		if (!grown) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			goto fail;
		}
		snaps = grown;
		const char *org = (const char *)sqlite3_column_text(stmt, 0);
		if ((rc = strpool_intern(t->pool, org, &snaps[n].org)))
			goto fail;
		snaps[n].month = sqlite3_column_int(stmt, 1);
		snaps[n].stale = !sqlite3_column_int(stmt, 2);
		n++;
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(store, step, "finding workforce snapshots");
		goto fail;
	}
	sqlite3_finalize(stmt);
	*out = snaps;
	*count = n;
	return 0;
fail:
	sqlite3_finalize(stmt);
	free(snaps);
	return rc;
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

/* Load one period: its outcome cells and, for headcount measures, each
 * organisation's snapshot. */
static int load_period(tally *t, parity_store *store, const parity_period *p,
                       const char *organisation, const cell_rule *rule, int headcount)
{
	sqlite3_stmt *stmt = NULL;
	snapshot *snaps = NULL;
	uint32_t *orgs = NULL;
	size_t snap_count = 0;
	int rc;

	if (headcount) {
		if ((rc = find_snapshots(&snaps, &snap_count, t, store, p, organisation)))
			return rc;
		orgs = calloc(snap_count ? snap_count : 1, sizeof *orgs);
		if (!orgs) {
			rc = parity_error_set(PARITY_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < snap_count; i++)
			orgs[i] = snaps[i].org;
	}
	if ((rc = store_prepare(store, &stmt, "SELECT cells, id FROM cell_packs WHERE kind = ?1 "
	                        "AND month BETWEEN ?2 AND ?3")))
		goto done;
	sqlite3_bind_text(stmt, 1, rule->kind, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 2, p->first_month);
	sqlite3_bind_int(stmt, 3, p->last_month);
	rc = read_packs(t, store, stmt, rule, organisation, orgs, snap_count,
	                &t->outcome_no_headcount);
	sqlite3_finalize(stmt);
	stmt = NULL;
	if (rc || !headcount)
		goto done;

	/* Each snapshot month is read once, for every organisation whose
	 * snapshot it is. */
	for (size_t i = 0; i < snap_count; i++) {
		note_snapshot(t, snaps[i].month);
		if (snaps[i].stale)
			t->stale_snapshot = 1;
		size_t seen = 0;
		while (seen < i && snaps[seen].month != snaps[i].month)
			seen++;
		if (seen < i)
			continue;
		size_t n = 0;
		for (size_t j = i; j < snap_count; j++)
			if (snaps[j].month == snaps[i].month)
				orgs[n++] = snaps[j].org;
		rc = store_prepare(store, &stmt, "SELECT cells, id FROM cell_packs WHERE "
		                   "kind = 'workforce' AND month = ?1");
		if (rc)
			goto done;
		sqlite3_bind_int(stmt, 1, snaps[i].month);
		uint64_t none = 0; /* headcount cells have no outcome to drop */
		rc = read_packs(t, store, stmt, &headcount_rule, NULL, orgs, n, &none);
		sqlite3_finalize(stmt);
		stmt = NULL;
		if (rc)
			goto done;
	}
done:
	free(snaps);
	free(orgs);
	return rc;
}

/* Load the periods of the window into `t` (its measure, pool and
 * periods_asked set) by `rule`, with each period's snapshots when
 * `headcount`. Returns 0 or a negative parity error (t freed). */
static int load_window(tally *t, parity_store *store, const cell_rule *rule,
                       int headcount, const parity_period *periods, size_t count,
                       const char *organisation)
{
	int first = 0, last = 0, rc;
	if (count == 0)
		return 0;
	rc = tally_span(store, t->m, organisation, &first, &last);
	if (rc < 0)
		return rc;
	if (rc == 1)
		return 0; /* no data of this kind at all */
	int counted_first = -1, counted_last = -1;
	const char *first_label = NULL, *last_label = NULL;
	for (size_t i = 0; i < count; i++) {
		const parity_period *p = &periods[i];
		if (p->last_month < first || p->first_month > last)
			continue; /* outside the data: not counted */
		if (p->first_month < first || p->last_month > last)
			t->partial = 1;
		if ((rc = load_period(t, store, p, organisation, rule, headcount))) {
			tally_free(t);
			return rc;
		}
		if (counted_first < 0) {
			counted_first = p->first_month;
			first_label = p->label;
		}
		counted_last = p->last_month;
		last_label = p->label;
		t->periods++;
	}
	if (t->periods) {
		t->first_month = counted_first;
		t->last_month = counted_last;
		if (t->periods == 1)
			snprintf(t->label, sizeof t->label, "%s", last_label);
		else
			snprintf(t->label, sizeof t->label, "%.17s to %.17s", first_label,
			         last_label);
	}
	return 0;
}

void tally_free(tally *t)
{
	free(t->cells);
	t->cells = NULL;
	t->count = t->capacity = 0;
}

/* ---- summing --------------------------------------------------------------- */

int tally_classify(const grouping *g, const tally *t, const tally_cell *c)
{
	int in1 = 1, in2 = 1;
	for (size_t a = 0; a < g->axis_count; a++) {
		const char *value = strpool_get(t->pool, c->dim[g->axes[a].dim]);
		const char *cls = axis_class(&g->axes[a], value);
		if (!cls)
			return -1;
		if (strcmp(cls, g->group1[a]))
			in1 = 0;
		if (strcmp(cls, g->group2[a]))
			in2 = 0;
	}
	return in1 ? 1 : in2 ? 2 : 0;
}

/* Order of strata: pay bands in Agenda for Change order, then the rest by
 * name. */
static int stratum_before(const strpool *pool, int pay, uint32_t a, uint32_t b)
{
	const char *sa = strpool_get(pool, a), *sb = strpool_get(pool, b);
	if (pay) {
		int ra = afc_band_rank(sa), rb = afc_band_rank(sb);
		if (ra >= 0 && rb >= 0)
			return ra < rb;
		if (ra >= 0 || rb >= 0)
			return ra >= 0;
	}
	return strcmp(sa, sb) < 0;
}

/* Insertion sort: strata are few (organisations, bands, staff groups). */
static void sort_sums(group_sum *sums, size_t n, const strpool *pool, int pay)
{
	for (size_t i = 1; i < n; i++) {
		group_sum item = sums[i];
		size_t j = i;
		while (j > 0 && stratum_before(pool, pay, item.key, sums[j - 1].key)) {
			sums[j] = sums[j - 1];
			j--;
		}
		sums[j] = item;
	}
}

int tally_sum(group_sum **out, size_t *count, const tally *t, const grouping *g,
              int strat_dim, int include_bank)
{
	group_sum *sums = NULL;
	size_t n = 0, capacity = 0;
	uint32_t bank = UINT32_MAX;
	*out = NULL;
	*count = 0;
	for (uint32_t id = 0; id < t->pool->count; id++)
		if (!strcmp(t->pool->items[id], "bank"))
			bank = id;
	int headcount = measure_get(t->m)->headcount;

	/* Strata are pooled strings: where each one's sum is, by its id (the
	 * cells of a large cube would otherwise each search every stratum). */
	size_t *where = NULL;
	if (strat_dim < 0) {
		sums = calloc(1, sizeof *sums);
		if (!sums)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		sums[0].key = UINT32_MAX;
		n = capacity = 1;
	} else {
		where = malloc((t->pool->count ? t->pool->count : 1) * sizeof *where);
		if (!where)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		for (uint32_t id = 0; id < t->pool->count; id++)
			where[id] = SIZE_MAX;
	}
	for (size_t i = 0; i < t->count; i++) {
		const tally_cell *c = &t->cells[i];
		group_sum *s = NULL;
		if (strat_dim < 0) {
			s = &sums[0];
		} else {
			uint32_t key = c->dim[strat_dim];
			if (where[key] != SIZE_MAX) {
				s = &sums[where[key]];
			} else {
				if (n == capacity) {
					capacity = capacity ? capacity * 2 : 16;
					group_sum *grown = realloc(sums, capacity * sizeof *grown);
					if (!grown) {
						free(sums);
						free(where);
						return parity_error_set(PARITY_ENOMEM,
						                        "out of memory");
					}
					sums = grown;
				}
				where[key] = n;
				s = &sums[n++];
				memset(s, 0, sizeof *s);
				s->key = key;
			}
		}
		if (c->dim[D_CONTRACT] == bank && !include_bank) {
			s->bank_base += c->base;
			s->bank_outcome += c->outcome;
			continue;
		}
		int group = tally_classify(g, t, c);
		if (group < 0) {
			s->unknown_base += c->base;
			s->unknown_outcome += c->outcome;
			continue;
		}
		const char *contract = strpool_get(t->pool, c->dim[D_CONTRACT]);
		if (group && headcount && c->outcome &&
		    (!contract[0] || !strcmp(contract, PARITY_CODE_NOT_STATED)))
			s->no_contract_outcome += c->outcome;
		if (group == 1) {
			s->counts.x1 += c->outcome;
			s->counts.n1 += c->base;
		} else if (group == 2) {
			s->counts.x2 += c->outcome;
			s->counts.n2 += c->base;
		}
	}
	free(where);
	if (strat_dim >= 0)
		sort_sums(sums, n, t->pool, strat_dim == D_PAY);
	*out = sums;
	*count = n;
	return 0;
}

int tally_load(tally *t, parity_store *store, strpool *pool, measure m,
               const parity_period *periods, size_t count,
               const char *organisation)
{
	memset(t, 0, sizeof *t);
	t->m = m;
	t->pool = pool;
	t->periods_asked = (unsigned)count;
	return load_window(t, store, &outcome_rule[m], measure_get(m)->headcount, periods,
	                   count, organisation);
}

int tally_load_cases(tally *t, parity_store *store, strpool *pool,
                     const parity_period *periods, size_t count,
                     const char *organisation)
{
	memset(t, 0, sizeof *t);
	t->m = M_DISCIPLINARY; /* the kind and window of WRES 3 */
	t->pool = pool;
	t->periods_asked = (unsigned)count;
	return load_window(t, store, &cases_rule, 0, periods, count, organisation);
}
