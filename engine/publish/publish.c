/*
 * publish.c: the published set: every count of a run's results (the
 * period's rows, the trend's other periods, the excluded counts the notes
 * print) registered once in the disclosure gate, with every sum a reader
 * could use to tie them together across the document, and the marks that
 * decide what each output may print.
 */
#include "parity/publish.h"

#include "gate.h"
#include "publish_internal.h"
#include "parity/codes.h"
#include "parity/common.h"
#include "util/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NHS_DIGITAL_BELOW 8 /* NHS Digital: 1 to 7 are suppressed */

/* The cell of one group's base or outcome; `s` is the row's stem. */
static size_t group_cell(gate *g, const parity_result_row *row, const char *s,
                         int side, int outcome, int printed)
{
	char key[KEY_MAX];
	size_t at = 0;
	key[0] = '\0';
	publish_key_add(key, sizeof key, &at, s);
	publish_key_add(key, sizeof key, &at, "|");
	publish_key_add(key, sizeof key, &at, row->grouping);
	publish_key_add(key, sizeof key, &at, "|");
	publish_key_add(key, sizeof key, &at, side ? row->group2 : row->group1);
	publish_key_add(key, sizeof key, &at, outcome ? "|x" : "|n");
	const parity_ratio *r = &row->ratio;
	uint64_t v = side ? (outcome ? r->x2 : r->n2) : (outcome ? r->x1 : r->n1);
	return gate_cell(g, key, v, printed);
}

/* An unprinted cell holding what a sum leaves out. */
static size_t rest_cell(gate *g, const char *key, uint64_t value)
{
	return gate_cell(g, key, value, 0);
}

/* total = parts + rest, with rest an unprinted cell named `rest_key`
 * (only when the parts do not exceed the total). `parts` has room for
 * count + 1: the rest goes at parts[count]. */
int publish_sum_with_rest(gate *g, size_t total, size_t *parts, size_t count,
                         const char *rest_key)
{
	uint64_t sum = 0;
	if (total == GATE_NONE)
		return 0;
	for (size_t k = 0; k < count; k++) {
		if (parts[k] == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		sum += gate_value(g, parts[k]);
	}
	if (sum > gate_value(g, total))
		return 0;
	parts[count] = rest_cell(g, rest_key, gate_value(g, total) - sum);
	if (parts[count] == GATE_NONE)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	return gate_sum(g, total, parts, count + 1);
}

/* ---- tables of groups --------------------------------------------------------- */

/* The distinct groups of one grouping in one table, with what its rows
 * leave out. */
typedef struct group_set {
	char stem[24];          /* the short stem (publish_stem() with the stems) */
	size_t table;           /* its number in the stems */
	const char *grouping;   /* its first row's (the rows outlive the sets) */
	size_t *n, *x;          /* cells of each distinct group */
	const char **label;     /* each group's name, its row's */
	size_t count, room;
	size_t excluded[4];     /* not stated base/outcome, bank base/outcome */
	uint64_t sum_n, sum_x;  /* groups plus excluded */
} group_set;

typedef struct sets {
	gate *dict;             /* key -> set index (a gate used as a dictionary) */
	gate *stems;            /* stem text -> its short name's number */
	group_set *items;
	size_t count, room;
	char last_stem[STEM_MAX]; /* the last row's stem text ... */
	char last_short[24];    /* ... its short name ("" before the first) ... */
	size_t last_id;         /* ... and its number in the stems */
	char last_set[KEY_MAX]; /* the last set's key ... */
	size_t last_set_at;     /* ... and its index (GATE_NONE before the first) */
} sets;

/* Add the row's groups (its stem `st`, number `table` in the stems) to the
 * set of its grouping in its table. 0 or PARITY_ENOMEM. */
static int set_add(sets *s, const parity_result_row *row, const char *st, size_t table,
                   const size_t *cells, const size_t *excluded, gate *g)
{
	char key[KEY_MAX];
	const char *const parts[] = {st, row->grouping};
	publish_key_join(key, sizeof key, parts, 2);
	/* The rows of one set mostly come one after another. */
	size_t i = s->last_set_at;
	if (i == GATE_NONE || strcmp(key, s->last_set)) {
		i = gate_cell(s->dict, key, 0, 0);
		if (i == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		memcpy(s->last_set, key, strlen(key) + 1);
		s->last_set_at = i;
	}
	if (i == s->count) {
		if (s->count == s->room) {
			size_t room = s->room ? s->room * 2 : 64;
			group_set *items = realloc(s->items, room * sizeof *items);
			if (!items)
				return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
			s->items = items;
			s->room = room;
		}
		group_set *set = &s->items[s->count++];
		memset(set, 0, sizeof *set);
		size_t at = 0;
		publish_key_add(set->stem, sizeof set->stem, &at, st); /* short: fits */
		set->table = table;
		set->grouping = row->grouping;
		memcpy(set->excluded, excluded, sizeof set->excluded);
		set->sum_n = gate_value(g, excluded[PARITY_EXCLUDED_NOT_STATED_BASE]) +
		             gate_value(g, excluded[PARITY_EXCLUDED_BANK_BASE]);
		set->sum_x = gate_value(g, excluded[PARITY_EXCLUDED_NOT_STATED_OUTCOME]) +
		             gate_value(g, excluded[PARITY_EXCLUDED_BANK_OUTCOME]);
	}
	group_set *set = &s->items[i];
	for (int side = 0; side < 2; side++) {
		size_t n = cells[side ? C_N2 : C_N1], x = cells[side ? C_X2 : C_X1];
		int seen = 0;
		for (size_t k = 0; k < set->count && !seen; k++)
			seen = set->n[k] == n;
		if (seen)
			continue;
		if (set->count == set->room) {
			/* Most sets are one row's two groups: a national run has
			 * 300,000 of them. */
			size_t room = set->room ? set->room * 2 : 2;
			size_t *nn = realloc(set->n, room * sizeof *nn);
			if (nn)
				set->n = nn;
			size_t *xx = realloc(set->x, room * sizeof *xx);
			if (xx)
				set->x = xx;
			const char **ll = realloc(set->label, room * sizeof *ll);
			if (ll)
				set->label = ll;
			if (!nn || !xx || !ll)
				return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
			set->room = room;
		}
		set->n[set->count] = n;
		set->x[set->count] = x;
		set->label[set->count] = side ? row->group2 : row->group1;
		set->count++;
		set->sum_n += gate_value(g, n);
		set->sum_x += gate_value(g, x);
	}
	return 0;
}

static void sets_free(sets *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->items[i].n);
		free(s->items[i].x);
		free(s->items[i].label);
	}
	free(s->items);
	gate_free(s->dict);
	gate_free(s->stems);
}

/* The row's short stem (publish_stem() with the stems) into `buf`: the
 * last row's again when it is of the same table. 0 or PARITY_ENOMEM. */
static int row_stem(sets *s, char *buf, size_t size, const parity_result_row *row)
{
	char text[STEM_MAX];
	publish_stem_text(text, sizeof text, row);
	if (!s->last_short[0] || strcmp(text, s->last_stem)) {
		size_t id = gate_cell(s->stems, text, 0, 0);
		if (id == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		memcpy(s->last_stem, text, sizeof text);
		s->last_id = id;
		publish_stem_short(s->last_short, sizeof s->last_short, id);
	}
	snprintf(buf, size, "%s", s->last_short);
	return 0;
}

/* The set of `grouping` in the table `stem_text`, or NULL. */
static group_set *set_find(sets *s, const char *stem_text, const char *grouping)
{
	char key[KEY_MAX];
	snprintf(key, sizeof key, "%s|%s", stem_text, grouping);
	size_t i = gate_find(s->dict, key);
	return i == GATE_NONE ? NULL : &s->items[i];
}

/*
 * Every grouping of a table partitions the same people: its groups, those
 * whose characteristic was not stated and bank staff add up to everyone
 * counted (an unprinted total, the largest such sum), with an unprinted
 * rest for any group not compared. So sex and disability tables of one
 * measure are tied through that total.
 */
static int link_partitions(gate *g, sets *s)
{
	int rc = 0;
	size_t room = 16;
	size_t *parts = malloc(room * sizeof *parts);
	/* Everyone counted in each table: the largest of its groupings' sums,
	 * found in one pass (by the table's number in the stems). */
	uint64_t (*all)[2] = calloc(gate_cell_count(s->stems) + 1, sizeof *all);
	if (!parts || !all) {
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		goto done;
	}
	for (size_t i = 0; i < s->count; i++) {
		const group_set *o = &s->items[i];
		if (strchr(o->grouping, '*'))
			continue;
		size_t t = o->table;
		all[t][0] = o->sum_n > all[t][0] ? o->sum_n : all[t][0];
		all[t][1] = o->sum_x > all[t][1] ? o->sum_x : all[t][1];
	}
	for (size_t i = 0; i < s->count && !rc; i++) {
		group_set *set = &s->items[i];
		if (strchr(set->grouping, '*'))
			continue;
		uint64_t all_n = all[set->table][0], all_x = all[set->table][1];
		if (set->count + 6 > room) {
			room = set->count + 6;
			size_t *p = realloc(parts, room * sizeof *p);
			if (!p) {
				rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
				break;
			}
			parts = p;
		}
		for (int outcome = 0; outcome < 2 && !rc; outcome++) {
			char key[KEY_MAX];
			const char *side = outcome ? "x" : "n";
			const char *const everyone[] = {set->stem, "everyone", side};
			publish_key_join(key, sizeof key, everyone, 3);
			size_t total = gate_cell(g, key, outcome ? all_x : all_n, 0);
			size_t n = 0;
			for (size_t k = 0; k < set->count; k++)
				parts[n++] = outcome ? set->x[k] : set->n[k];
			parts[n++] = set->excluded[outcome];
			parts[n++] = set->excluded[2 + outcome];
			const char *const rest[] = {set->stem, set->grouping, "rest", side};
			publish_key_join(key, sizeof key, rest, 4);
			rc = publish_sum_with_rest(g, total, parts, n, key);
		}
	}
done:
	free(parts);
	free(all);
	return rc;
}

#define FACTORS_MAX 4 /* characteristics crossed at most (--intersect: 3) */

/* Split `text` on `sep` into `out`; the count, or 0 when there are more
 * than FACTORS_MAX parts or one is too long. */
static size_t split(char out[][64], const char *text, char sep)
{
	size_t n = 0;
	for (const char *p = text;; p++) {
		const char *end = strchr(p, sep);
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (n == FACTORS_MAX || len == 0 || len >= 64)
			return 0;
		memcpy(out[n], p, len);
		out[n++][len] = '\0';
		if (!end)
			return n;
		p = end;
	}
}

/* The groups of `set` (a crossed grouping) that fall in group `k` of
 * `margin` (a grouping of some of its factors: pos[j] is where margin's
 * factor j sits in set's), added up to it, with a rest. */
static int link_margin(gate *g, const group_set *set, const group_set *margin,
                       size_t k, const size_t *pos, size_t factors, size_t *parts)
{
	char want[FACTORS_MAX][64], have[FACTORS_MAX][64];
	size_t nm = split(want, margin->label[k], ' ');
	int rc = 0;
	if (!nm)
		return 0;
	for (int outcome = 0; outcome < 2 && !rc; outcome++) {
		size_t n = 0;
		for (size_t j = 0; j < set->count; j++) {
			int in = split(have, set->label[j], ' ') == factors;
			for (size_t f = 0; f < nm && in; f++)
				in = !strcmp(have[pos[f]], want[f]);
			if (in)
				parts[n++] = outcome ? set->x[j] : set->n[j];
		}
		if (!n)
			continue;
		char key[KEY_MAX];
		snprintf(key, sizeof key, "%s|%s|%s|%s|rest|%c", set->stem, set->grouping,
		         margin->grouping, margin->label[k], outcome ? 'x' : 'n');
		rc = publish_sum_with_rest(g, outcome ? margin->x[k] : margin->n[k], parts, n, key);
	}
	return rc;
}

/* Ethnic categories add up to White and BME. */
static int link_categories(gate *g, const group_set *set, const group_set *margin,
                           size_t *parts)
{
	int rc = 0;
	for (size_t k = 0; k < margin->count && !rc; k++)
		for (int outcome = 0; outcome < 2 && !rc; outcome++) {
			size_t n = 0;
			for (size_t j = 0; j < set->count; j++) {
				char grp = parity_ethnic_group(set->label[j]);
				const char *f = grp == 'W' ? "White" : grp == 'B' ? "BME" : NULL;
				if (f && !strcmp(f, margin->label[k]))
					parts[n++] = outcome ? set->x[j] : set->n[j];
			}
			if (!n)
				continue;
			char key[KEY_MAX];
			snprintf(key, sizeof key, "%s|ethnic_category|%s|rest|%c", set->stem,
			         margin->label[k], outcome ? 'x' : 'n');
			rc = publish_sum_with_rest(g, outcome ? margin->x[k] : margin->n[k], parts, n, key);
		}
	return rc;
}

/*
 * Crossed groupings (white_bme*sex, ethnic_category*sex*disability) add up
 * to the groups of every grouping of some of their factors in the same
 * table (White; F; White F ...), each with a rest for the people whose
 * other characteristics are not known; ethnic categories add up to White
 * and BME.
 */
static int link_crossings(gate *g, sets *s)
{
	int rc = 0;
	for (size_t i = 0; i < s->count && !rc; i++) {
		group_set *set = &s->items[i];
		char fs[FACTORS_MAX][64], fm[FACTORS_MAX][64];
		size_t nf = split(fs, set->grouping, '*'), pos[FACTORS_MAX];
		size_t *parts = malloc((set->count + 2) * sizeof *parts);
		if (!parts)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		if (!strcmp(set->grouping, "ethnic_category")) {
			group_set *m = set_find(s, set->stem, "white_bme");
			if (m)
				rc = link_categories(g, set, m, parts);
		}
		for (size_t j = 0; nf > 1 && j < s->count && !rc; j++) {
			const group_set *m = &s->items[j];
			size_t nm = j == i || strcmp(m->stem, set->stem) ? 0
			            : split(fm, m->grouping, '*');
			int ok = nm > 0 && nm < nf;
			for (size_t a = 0; a < nm && ok; a++) {
				ok = 0;
				for (size_t b = 0; b < nf && !ok; b++)
					if (!strcmp(fm[a], fs[b])) {
						pos[a] = b;
						ok = 1;
					}
			}
			for (size_t k = 0; ok && k < m->count && !rc; k++)
				rc = link_margin(g, set, m, k, pos, nf, parts);
		}
		free(parts);
	}
	return rc;
}

/* ---- one row's cells ------------------------------------------------------------ */

static int register_row(gate *g, sets *s, const parity_result_row *row,
                        int printed, size_t *cells, size_t *excluded)
{
	char key[KEY_MAX], st[STEM_MAX];
	static const char *const names[] = {"ns_n", "ns_x", "bank_n", "bank_x", "woc"};
	const uint64_t values[] = {row->excluded_not_stated_base,
	                           row->excluded_not_stated_outcome,
	                           row->excluded_bank_base,
	                           row->excluded_bank_outcome,
	                           row->outcome_without_contract};
	int rc = 0;
	if (!strcmp(row->stratum_kind, "kline")) {
		for (int c = 0; c < C_COUNTS; c++)
			cells[c] = GATE_NONE;
		for (int k = 0; k < PARITY_EXCLUDED_KINDS; k++)
			excluded[k] = GATE_NONE;
		return 0;
	}
	if (row_stem(s, st, sizeof st, row))
		return PARITY_ENOMEM;
	for (int side = 0; side < 2; side++) {
		cells[side ? C_N2 : C_N1] = group_cell(g, row, st, side, 0, printed);
		cells[side ? C_X2 : C_X1] = group_cell(g, row, st, side, 1, printed);
	}
	for (int k = 0; k < PARITY_EXCLUDED_KINDS; k++) {
		/* Bank staff are left out whatever their characteristics: one
		 * count for every grouping of the table. */
		int bank = k == PARITY_EXCLUDED_BANK_BASE || k == PARITY_EXCLUDED_BANK_OUTCOME;
		const char *parts[] = {st, bank ? "" : row->grouping, names[k]};
		publish_key_join(key, sizeof key, parts, 3);
		/* The notes and the quality table print those of the
		 * standard indicators' overall rows. */
		excluded[k] = gate_cell(g, key, values[k],
		                        printed && !row->pooled &&
		                        !strcmp(row->stratum_kind, "overall") &&
		                        parity_indicator_info_find(row->indicator));
	}
	for (int c = 0; c < C_COUNTS; c++)
		if (cells[c] == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	for (int k = 0; k < PARITY_EXCLUDED_KINDS; k++)
		if (excluded[k] == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	/* Those not reaching the outcome: base = outcome + the rest. */
	for (int side = 0; side < 2 && !rc; side++) {
		size_t part[2] = {cells[side ? C_X2 : C_X1], GATE_NONE}; /* and the rest */
		const char *parts[] = {st, row->grouping, side ? row->group2 : row->group1,
		                       "not"};
		publish_key_join(key, sizeof key, parts, 4);
		rc = publish_sum_with_rest(g, cells[side ? C_N2 : C_N1], part, 1, key);
	}
	/* Outcomes counted with no contract recorded are some of x1 + x2. */
	if (!rc && row->outcome_without_contract) {
		size_t both[3] = {cells[C_X1], cells[C_X2], GATE_NONE};
		snprintf(key, sizeof key, "%s|%s|%s|%s|x1+x2", st, row->grouping,
		         row->group1, row->group2);
		size_t sum = gate_cell(g, key, row->ratio.x1 + row->ratio.x2, 0);
		if (sum == GATE_NONE)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		if (!(rc = gate_sum(g, sum, both, 2))) {
			size_t woc[2] = {excluded[PARITY_EXCLUDED_WITHOUT_CONTRACT], GATE_NONE};
			snprintf(key, sizeof key, "%s|%s|%s|%s|with_contract", st,
			         row->grouping, row->group1, row->group2);
			rc = publish_sum_with_rest(g, sum, woc, 1, key);
		}
	}
	if (!rc && !row->pooled)
		rc = set_add(s, row, st, s->last_id, cells, excluded, g);
	return rc;
}

/* ---- building ------------------------------------------------------------------- */

int parity_disclosure_parse(const char *text)
{
	if (!text || !strcmp(text, "threshold"))
		return PARITY_DISCLOSURE_THRESHOLD;
	if (!strcmp(text, "nhs-digital"))
		return PARITY_DISCLOSURE_NHS_DIGITAL;
	return -1;
}

const char *parity_disclosure_name(parity_disclosure policy)
{
	return policy == PARITY_DISCLOSURE_NHS_DIGITAL ? "nhs-digital" : "threshold";
}

static size_t row_slot(const parity_published *pub, const parity_result_row *row)
{
	const parity_results *res = pub->results;
	if (row >= res->rows && row < res->rows + res->count)
		return (size_t)(row - res->rows);
	if (res->trend && row >= res->trend && row < res->trend + res->trend_count)
		return res->count + (size_t)(row - res->trend);
	return (size_t)-1;
}

/* Pooled rows combine their strata: a hidden stratum hides them, since
 * the pooled estimate is a weighted sum that, with the other strata's
 * printed counts, can be solved for it. */
static void hide_pooled(parity_published *pub, const parity_result_row *rows,
                        size_t count, size_t base, const placed_row *sorted, size_t n)
{
	for (size_t p = 0; p < count; p++) {
		const parity_result_row *pooled = &rows[p];
		if (!pooled->pooled)
			continue;
		size_t first, end;
		publish_table_run(sorted, n, pooled->stratum_kind, pooled, &first, &end);
		for (size_t k = first; k < end && !pub->hidden[base + p]; k++)
			if (!sorted[k].row->pooled && pub->hidden[base + sorted[k].at])
				pub->hidden[base + p] = 1;
	}
}

void publish_rule_of(publish_rule *out, parity_disclosure policy, unsigned threshold)
{
	int nhs = policy == PARITY_DISCLOSURE_NHS_DIGITAL;
	out->gate = nhs ? GATE_ROUNDING : GATE_THRESHOLD;
	out->threshold = nhs ? NHS_DIGITAL_BELOW : threshold > 1 ? threshold : 0;
	out->small_mark[0] = '\0';
	if (nhs)
		snprintf(out->small_mark, sizeof out->small_mark, "*");
	else if (out->threshold)
		snprintf(out->small_mark, sizeof out->small_mark, "<%u", out->threshold);
}

int parity_publish_build(parity_published **out, const parity_results *results,
                         parity_disclosure policy, unsigned threshold)
{
	return parity_publish_build_year(out, results, NULL, policy, threshold);
}

int parity_publish_build_year(parity_published **out, const parity_results *results,
                              const parity_return *ret, parity_disclosure policy,
                              unsigned threshold)
{
	return parity_publish_build_year_memo(out, results, ret, policy, threshold, NULL);
}

int parity_publish_build_year_memo(parity_published **out, const parity_results *results,
                                   const parity_return *ret, parity_disclosure policy,
                                   unsigned threshold, parity_gate_memo *memo)
{
	if (!out || (!results && !ret))
		return parity_error_set(PARITY_EUSAGE, "parity_publish_build_year: NULL "
		                        "argument");
	parity_published *pub = calloc(1, sizeof *pub);
	sets s = {0};
	placed_row *sorted = NULL, *sorted_trend = NULL; /* by table, once */
	size_t n_sorted = 0, n_sorted_trend = 0;
	int rc = 0;
	*out = NULL;
	if (!pub)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	/* A year with a return but no relative likelihoods: no rows. */
	if (!results && !(results = pub->empty = calloc(1, sizeof *pub->empty))) {
		free(pub);
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	}
	pub->results = results;
	pub->policy = policy;
	publish_rule rule;
	publish_rule_of(&rule, policy, threshold);
	pub->threshold = rule.threshold;
	memcpy(pub->small_mark, rule.small_mark, sizeof pub->small_mark);
	size_t total = results->count + results->trend_count;
	pub->g = gate_new(rule.gate, pub->threshold);
	if (pub->g)
		gate_set_memo(pub->g, memo);
	s.dict = gate_new(GATE_THRESHOLD, 0);
	s.stems = gate_new(GATE_THRESHOLD, 0);
	s.last_set_at = GATE_NONE;
	pub->cells = malloc((total + 1) * C_COUNTS * sizeof *pub->cells);
	pub->excluded = malloc((total + 1) * PARITY_EXCLUDED_KINDS * sizeof *pub->excluded);
	pub->marks = calloc((total + 1) * C_COUNTS, 1);
	pub->hidden = calloc(total + 1, 1);
	if (!pub->g || !s.dict || !s.stems || !pub->cells || !pub->excluded || !pub->marks ||
	    !pub->hidden) {
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		goto done;
	}
	/* The period's rows are printed; the trend's other periods give only
	 * ratios and intervals, so their counts are unprinted (a count shared
	 * with a period row is the same cell, and printed). */
	for (size_t i = 0; i < total && !rc; i++) {
		const parity_result_row *row = i < results->count ? &results->rows[i]
		                               : &results->trend[i - results->count];
		rc = register_row(pub->g, &s, row, i < results->count,
		                  &pub->cells[i * C_COUNTS],
		                  &pub->excluded[i * PARITY_EXCLUDED_KINDS]);
	}
	if (!rc)
		rc = link_partitions(pub->g, &s);
	if (!rc)
		rc = link_crossings(pub->g, &s);
	if (!rc && !(sorted = publish_sort_by_table(results->rows, results->count,
	                                            &n_sorted)))
		rc = PARITY_ENOMEM;
	if (!rc && results->trend_count &&
	    !(sorted_trend = publish_sort_by_table(results->trend, results->trend_count,
	                                           &n_sorted_trend)))
		rc = PARITY_ENOMEM;
	if (!rc)
		rc = publish_link_breakdowns(pub->g, results->rows, results->count, pub->cells,
		                     sorted, n_sorted);
	if (!rc && results->trend_count)
		rc = publish_link_breakdowns(pub->g, results->trend, results->trend_count,
		                     &pub->cells[results->count * C_COUNTS], sorted_trend,
		                     n_sorted_trend);
	if (!rc)
		rc = publish_link_stages(pub->g, results->rows, results->count, pub->cells);
	if (!rc)
		rc = publish_link_stage_ladder(pub->g, results->rows, results->count, pub->cells);
	/* The return's counts join the same gate, tied to the report's. */
	if (!rc && ret)
		rc = publish_add_return(pub, ret);
	if (!rc)
		rc = gate_run(pub->g);
	if (rc)
		goto done;
	if (ret)
		publish_finish_return(pub);

	for (size_t i = 0; i < total; i++) {
		for (int c = 0; c < C_COUNTS; c++) {
			size_t cell = pub->cells[i * C_COUNTS + (size_t)c];
			pub->marks[i * C_COUNTS + (size_t)c] =
				cell == GATE_NONE ? 0 : (unsigned char)gate_mark(pub->g, cell);
			if (pub->marks[i * C_COUNTS + (size_t)c])
				pub->hidden[i] = 1;
		}
	}
	hide_pooled(pub, results->rows, results->count, 0, sorted, n_sorted);
	if (results->trend_count)
		hide_pooled(pub, results->trend, results->trend_count, results->count,
		            sorted_trend, n_sorted_trend);
	if (!rc)
		rc = publish_programme_decide(pub);
done:
	free(sorted);
	free(sorted_trend);
	sets_free(&s);
	if (rc) {
		parity_publish_free(pub);
		return rc;
	}
	*out = pub;
	return 0;
}

void parity_publish_free(parity_published *pub)
{
	if (!pub)
		return;
	gate_free(pub->g);
	free(pub->return_cells);
	free(pub->return_marks);
	free(pub->report_printed);
	free(pub->programme);
	free(pub->empty);
	free(pub->cells);
	free(pub->excluded);
	free(pub->marks);
	free(pub->hidden);
	free(pub);
}

const char *parity_publish_small_mark(const parity_published *pub)
{
	return pub ? pub->small_mark : "";
}

const parity_results *parity_publish_results(const parity_published *pub)
{
	return pub ? pub->results : NULL;
}

unsigned parity_publish_threshold(const parity_published *pub)
{
	return pub ? pub->threshold : 0;
}

parity_disclosure parity_publish_policy(const parity_published *pub)
{
	return pub ? pub->policy : PARITY_DISCLOSURE_THRESHOLD;
}

const unsigned char *parity_publish_row_marks(const parity_published *pub,
                                              const parity_result_row *row)
{
	static const unsigned char shown[C_COUNTS] = {0};
	size_t i = pub ? row_slot(pub, row) : (size_t)-1;
	return i == (size_t)-1 ? shown : &pub->marks[i * C_COUNTS];
}

int parity_publish_row_hidden(const parity_published *pub,
                              const parity_result_row *row)
{
	size_t i = pub ? row_slot(pub, row) : (size_t)-1;
	return i == (size_t)-1 ? 0 : pub->hidden[i];
}

parity_count_mark parity_publish_excluded_mark(const parity_published *pub,
                                               const parity_result_row *row,
                                               parity_excluded which)
{
	size_t i = pub ? row_slot(pub, row) : (size_t)-1;
	if (i == (size_t)-1 || which >= PARITY_EXCLUDED_KINDS)
		return PARITY_COUNT_SHOWN;
	size_t cell = pub->excluded[i * PARITY_EXCLUDED_KINDS + which];
	return cell == GATE_NONE ? PARITY_COUNT_SHOWN
	                         : (parity_count_mark)gate_mark(pub->g, cell);
}

int parity_publish_cohort_hidden(const parity_published *pub,
                                 const parity_cohort_result *c)
{
	const parity_stratum *sides[] = {&c->before_counts, &c->after_counts};
	if (!pub || pub->threshold < 2)
		return 0;
	for (int k = 0; k < 2; k++) {
		const uint64_t v[] = {sides[k]->x1, sides[k]->n1, sides[k]->x2,
		                      sides[k]->n2, sides[k]->n1 - sides[k]->x1,
		                      sides[k]->n2 - sides[k]->x2};
		for (size_t j = 0; j < sizeof v / sizeof v[0]; j++)
			if (v[j] >= 1 && v[j] < pub->threshold)
				return 1;
	}
	return 0;
}

void parity_publish_count_text(char *buf, size_t size,
                               const parity_published *pub, uint64_t value,
                               parity_count_mark mark)
{
	int nhs = pub && pub->policy == PARITY_DISCLOSURE_NHS_DIGITAL;
	if (mark == PARITY_COUNT_PRIMARY) {
		snprintf(buf, size, "%s", pub && pub->small_mark[0] ? pub->small_mark : "<5");
		return;
	}
	if (mark == PARITY_COUNT_SECONDARY) {
		snprintf(buf, size, "[c]");
		return;
	}
	util_format_count(buf, size, nhs ? gate_rounded(value) : value);
}

void parity_publish_summarise(parity_publish_summary *out,
                              const parity_published *pub)
{
	memset(out, 0, sizeof *out);
	if (!pub)
		return;
	/* The report's own counts: the return's are summed up by
	 * parity_return_publish_summary. */
	size_t cells = pub->report_printed ? pub->report_cells : gate_cell_count(pub->g);
	for (size_t i = 0; i < cells; i++) {
		int printed = pub->report_printed ? pub->report_printed[i]
		                                  : gate_printed(pub->g, i);
		if (!printed)
			continue;
		suppress_mark m = gate_mark(pub->g, i);
		out->counts++;
		out->primary += m == SUPPRESS_PRIMARY;
		out->secondary += m == SUPPRESS_SECONDARY;
	}
	size_t total = pub->results->count + pub->results->trend_count;
	for (size_t i = 0; i < total; i++)
		out->rows_withheld += pub->hidden[i];
	out->unprotected = gate_unprotected(pub->g);
}

void parity_publish_message(char *out, size_t size, const char *message)
{
	static const char withheld[] = "[value withheld]";
	size_t o = 0;
	if (!size)
		return;
	for (const char *p = message ? message : ""; *p && o + 1 < size; p++) {
		const char *close = *p == '"' ? strchr(p + 1, '"') : NULL;
		if (!close) {
			out[o++] = *p;
			continue;
		}
		for (const char *w = withheld; *w && o + 1 < size; w++)
			out[o++] = *w;
		p = close;
	}
	out[o] = '\0';
}
