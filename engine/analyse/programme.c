/*
 * programme.c: a programme rolled out over years (the cohort file of
 * parity_programme_load): for each standard indicator the counts of every
 * organisation in every financial year, each organisation's joining year
 * (its first cohort's start), and the event study of parity_did_compute()
 * turned into result terms.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static tally *year_tally(const programme_tallies *pt, size_t year, int m)
{
	return &pt->items[year * M_COUNT + (size_t)m];
}

int programme_plan(programme_tallies *out, plan *p, parity_store *store,
                   const parity_analyse_options *options)
{
	int first = 0, last = 0, found = 0, rc = 0;
	memset(out, 0, sizeof *out);
	for (int m = 0; m < M_COUNT; m++) {
		int from = 0, to = 0;
		if (!measure_indicated((measure)m))
			continue;
		rc = tally_span(store, (measure)m, options->organisation, &from, &to);
		if (rc < 0)
			return rc;
		if (rc)
			continue;
		if (!found || from < first)
			first = from;
		if (!found || to > last)
			last = to;
		found = 1;
	}
	/* A measure without data (tally_span's 1) is no error. */
	rc = 0;
	if (!found)
		return 0;
	parity_period year;
	parity_period_financial_year(&year, first);
	for (; year.first_month <= last && out->year_count < PROGRAMME_YEARS;
	     parity_period_financial_year(&year, year.last_month + 1))
		out->years[out->year_count++] = year;
	/* The newest years when the data span more than the most we take. */
	if (year.first_month <= last) {
		parity_period_financial_year(&year, last);
		for (size_t k = PROGRAMME_YEARS; k-- > 0;) {
			out->years[k] = year;
			parity_period_previous(&year, &year);
		}
	}
	out->items = calloc(out->year_count * M_COUNT, sizeof *out->items);
	if (!out->items)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t y = 0; y < out->year_count && !rc; y++)
		for (int m = 0; m < M_COUNT && !rc; m++) {
			tally *t = year_tally(out, y, m);
			tally_init(t, (measure)m, rule_of_measure((measure)m), p->vals,
			           &out->years[y], 1);
			if (!measure_indicated((measure)m))
				continue;
			rc = tally_want_by_org(t);
			if (!rc)
				rc = plan_add(p, t);
		}
	return rc;
}

void programme_free(programme_tallies *pt)
{
	for (size_t i = 0; pt->items && i < pt->year_count * M_COUNT; i++)
		tally_free(&pt->items[i]);
	free(pt->items);
	memset(pt, 0, sizeof *pt);
}

static int listed(const parity_cohort *c, const char *org)
{
	for (size_t i = 0; i < c->organisation_count; i++)
		if (!strcmp(c->organisations[i], org))
			return 1;
	return 0;
}

/* The cohort that starts `org`'s programme (the earliest start; the
 * first in the file on a tie), or -1. */
static long first_cohort(const parity_cohorts *cs, const char *org)
{
	long best = -1;
	for (size_t i = 0; i < cs->count; i++) {
		if (!listed(&cs->items[i], org))
			continue;
		if (best < 0 || parity_date_month_index(&cs->items[i].start) <
		                    parity_date_month_index(&cs->items[best].start))
			best = (long)i;
	}
	return best;
}

static void list_append(char *out, size_t size, const char *text)
{
	size_t used = strlen(out);
	if (used + strlen(text) + 2 > size)
		return;
	snprintf(out + used, size - used, "%s%s", used ? ";" : "", text);
}

/* The year index (into pt->years) holding month `month`: -1 before the
 * first, year_count after the last. */
static long year_of(const programme_tallies *pt, int month)
{
	if (!pt->year_count || month < pt->years[0].first_month)
		return -1;
	for (size_t y = 0; y < pt->year_count; y++)
		if (month <= pt->years[y].last_month)
			return (long)y;
	return (long)pt->year_count;
}

/* The programme's cohorts into results->programme_cohorts, with each
 * cohort's joiners and a note when it cannot be evaluated. */
static int describe_cohorts(parity_results *results, const programme_tallies *pt,
                            const parity_cohorts *cs)
{
	results->programme_cohorts = calloc(cs->count ? cs->count : 1,
	                                    sizeof *results->programme_cohorts);
	if (!results->programme_cohorts)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	results->programme_cohort_count = cs->count;
	for (size_t i = 0; i < cs->count; i++) {
		const parity_cohort *c = &cs->items[i];
		parity_programme_cohort *pc = &results->programme_cohorts[i];
		text_copy(pc->cohort_id, sizeof pc->cohort_id, c->id);
		text_copy(pc->name, sizeof pc->name, c->name);
		pc->organisation_count = c->organisation_count;
		pc->pairs = c->pairs;
		for (size_t k = 0; k < c->organisation_count; k++) {
			list_append(pc->organisations, sizeof pc->organisations,
			            c->organisations[k]);
			if (first_cohort(cs, c->organisations[k]) == (long)i) {
				list_append(pc->joiners, sizeof pc->joiners, c->organisations[k]);
				pc->joiner_count++;
			}
		}
		snprintf(pc->start_date, sizeof pc->start_date, "%04d-%02d-%02d",
		         c->start.year % 10000, c->start.month % 100, c->start.day % 100);
		snprintf(pc->end_date, sizeof pc->end_date, "%04d-%02d-%02d",
		         c->end.year % 10000, c->end.month % 100, c->end.day % 100);
		parity_period fy;
		parity_period_financial_year(&fy, parity_date_month_index(&c->start));
		text_copy(pc->joining_year, sizeof pc->joining_year, fy.label);
		long y = year_of(pt, parity_date_month_index(&c->start));
		if (!pc->joiner_count)
			snprintf(pc->note, sizeof pc->note, "every organisation of it joined "
			         "with an earlier cohort, which sets its timing");
		else if (y < 1)
			snprintf(pc->note, sizeof pc->note, "starts in or before the first "
			         "year of data: no year before joining to compare with");
		else if (y >= (long)pt->year_count)
			snprintf(pc->note, sizeof pc->note, "starts after the data end: its "
			         "organisations count as not yet joined");
	}
	return 0;
}

static parity_programme_row *row_new(parity_results *results, size_t *capacity)
{
	if (results->programme_count == *capacity) {
		size_t grown_to = *capacity ? *capacity * 2 : 32;
		parity_programme_row *grown = realloc(results->programme,
		                                      grown_to * sizeof *grown);
		if (!grown) {
			parity_error_set(PARITY_ENOMEM, "out of memory");
			return NULL;
		}
		results->programme = grown;
		*capacity = grown_to;
	}
	parity_programme_row *row = &results->programme[results->programme_count++];
	memset(row, 0, sizeof *row);
	return row;
}

/* The event study's input for one indicator: organisations, cells, groups. */
typedef struct study {
	char (*orgs)[64];
	size_t org_count;
	parity_stratum *cells; /* org_count * years */
	int *group;            /* per organisation */
	int group_year[256];   /* per group */
	size_t cohort_of[256]; /* per group: the cohort's index in the file */
	size_t group_count;
} study;

static void study_free(study *s)
{
	free(s->orgs);
	free(s->cells);
	free(s->group);
	memset(s, 0, sizeof *s);
}

static long org_index(const study *s, const char *org)
{
	for (size_t i = 0; i < s->org_count; i++)
		if (!strcmp(s->orgs[i], org))
			return (long)i;
	return -1;
}

/* Gather indicator `info`'s counts from the year tallies into `s`. */
static int study_make(study *s, const programme_tallies *pt,
                      const parity_indicator_info *info,
                      const parity_analyse_options *options)
{
	measure m = measure_of_indicator(info);
	grouping g;
	int rc = 0;
	grouping_standard(&g, info);
	memset(s, 0, sizeof *s);
	size_t years = pt->year_count;
	group_sum **sums = calloc(years, sizeof *sums);
	size_t *counts = calloc(years, sizeof *counts);
	if (!sums || !counts) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t y = 0; y < years && !rc; y++) {
		const tally *t = year_tally(pt, y, (int)m);
		if (!t->periods || !t->cells)
			continue;
		if ((rc = tally_sum(&sums[y], &counts[y], t, &g, D_ORG, options->include_bank)))
			break;
		for (size_t k = 0; k < counts[y]; k++) {
			const char *org = tally_text(t, D_ORG, sums[y][k].key);
			if (!org[0] || org_index(s, org) >= 0)
				continue;
			char (*grown)[64] = realloc(s->orgs, (s->org_count + 1) * sizeof *grown);
			if (!grown) {
				rc = parity_error_set(PARITY_ENOMEM, "out of memory");
				break;
			}
			s->orgs = grown;
			text_copy(s->orgs[s->org_count++], 64, org);
		}
	}
	if (rc)
		goto done;
	s->cells = calloc(s->org_count * years + 1, sizeof *s->cells);
	s->group = calloc(s->org_count + 1, sizeof *s->group);
	if (!s->cells || !s->group) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t y = 0; y < years; y++)
		for (size_t k = 0; k < counts[y]; k++) {
			const tally *t = year_tally(pt, y, (int)m);
			long o = org_index(s, tally_text(t, D_ORG, sums[y][k].key));
			const parity_stratum *c = &sums[y][k].counts;
			/* Counts that cannot be (more cases than base) enter nothing. */
			if (o >= 0 && c->x1 <= c->n1 && c->x2 <= c->n2)
				s->cells[(size_t)o * years + y] = *c;
		}
	/* Groups: the cohorts that start some organisation's programme within
	 * the years, with a year before joining to compare with. */
	const parity_cohorts *cs = options->programme;
	for (size_t o = 0; o < s->org_count; o++) {
		long c = first_cohort(cs, s->orgs[o]);
		s->group[o] = PARITY_DID_NEVER;
		if (c < 0)
			continue;
		long y = year_of(pt, parity_date_month_index(&cs->items[c].start));
		if (y >= (long)years)
			continue; /* joins after the data: not yet joined throughout */
		size_t gi = 0;
		while (gi < s->group_count && s->cohort_of[gi] != (size_t)c)
			gi++;
		if (gi == s->group_count) {
			if (s->group_count == 256)
				continue;
			s->cohort_of[gi] = (size_t)c;
			s->group_year[gi] = (int)(y < 1 ? 1 : y);
			s->group_count++;
		}
		s->group[o] = (int)gi;
		if (y < 1) /* joined before any year we could compare with: left out */
			memset(&s->cells[o * years], 0, years * sizeof *s->cells);
	}
	/* Groups in the cohort file's order, so the cohort terms are too. */
	int rank[256];
	for (size_t a = 0; a < s->group_count; a++) {
		rank[a] = 0;
		for (size_t b = 0; b < s->group_count; b++)
			rank[a] += s->cohort_of[b] < s->cohort_of[a];
	}
	int year_of_rank[256];
	size_t cohort_of_rank[256];
	for (size_t a = 0; a < s->group_count; a++) {
		year_of_rank[rank[a]] = s->group_year[a];
		cohort_of_rank[rank[a]] = s->cohort_of[a];
	}
	for (size_t a = 0; a < s->group_count; a++) {
		s->group_year[a] = year_of_rank[a];
		s->cohort_of[a] = cohort_of_rank[a];
	}
	for (size_t o = 0; o < s->org_count; o++)
		if (s->group[o] != PARITY_DID_NEVER)
			s->group[o] = rank[s->group[o]];
done:
	for (size_t y = 0; sums && y < years; y++)
		free(sums[y]);
	free(sums);
	free(counts);
	if (rc)
		study_free(s);
	return rc;
}

/* Whether some organisation can serve as a comparator: one never joining,
 * or groups joining in different years. */
static int comparators_exist(const study *s)
{
	int first_year = -1;
	for (size_t o = 0; o < s->org_count; o++) {
		if (s->group[o] == PARITY_DID_NEVER)
			return 1;
		int y = s->group_year[s->group[o]];
		if (first_year >= 0 && y != first_year)
			return 1;
		first_year = y;
	}
	return 0;
}

/* Copy term `t` of the study into a new row. */
static int add_term(parity_results *results, size_t *capacity,
                    const parity_indicator_info *info, const study *s,
                    const parity_did_term *t, const parity_analyse_options *options)
{
	parity_programme_row *row = row_new(results, capacity);
	if (!row)
		return PARITY_ENOMEM;
	text_copy(row->indicator, sizeof row->indicator, info->code);
	if (t->kind == PARITY_DID_OVERALL)
		snprintf(row->term, sizeof row->term, "overall");
	else if (t->kind == PARITY_DID_GROUP)
		snprintf(row->term, sizeof row->term, "cohort:%s",
		         options->programme->items[s->cohort_of[t->index]].id);
	else
		snprintf(row->term, sizeof row->term, "event:%d", t->index);
	row->estimable = t->estimable;
	row->organisations = t->organisations;
	row->treated = t->treated;
	row->comparisons = t->comparisons;
	row->counts = t->counts;
	row->smallest = t->smallest;
	if (!t->estimable) {
		row->estimate = row->ci_low = row->ci_high = row->p = NAN;
		row->log_se = row->statistic = row->mde_low = row->mde_high = NAN;
		if (!comparators_exist(s))
			snprintf(row->note, sizeof row->note, "no comparator organisations: "
			         "every organisation with data joined in the same year (or "
			         "one organisation was analysed)");
		else
			snprintf(row->note, sizeof row->note, "no comparison had cases in both "
			         "groups in both of its years, for the organisations joining "
			         "and for those not (yet) joined");
		return 0;
	}
	row->estimate = t->ratio;
	row->ci_low = t->ci_low;
	row->ci_high = t->ci_high;
	row->p = t->p;
	row->log_se = t->se;
	row->statistic = t->z;
	row->mde_low = t->mde_low;
	row->mde_high = t->mde_high;
	snprintf(row->variance, sizeof row->variance, "%s",
	         t->cluster ? "cluster" : "binomial");
	return 0;
}

/* Register the organisation-years of `did` that enter some term into
 * results->programme_cells; `index` (org_count * years) gets each one's
 * index there, or SIZE_MAX. 0 or PARITY_ENOMEM. */
static int cells_register(parity_results *results, size_t *index,
                          const programme_tallies *pt, const parity_indicator_info *info,
                          const study *s, const parity_did *did)
{
	size_t years = pt->year_count, cells = s->org_count * years, added = 0;
	for (size_t k = 0; k < cells; k++) {
		index[k] = SIZE_MAX;
		for (size_t i = 0; i < did->term_count && index[k] == SIZE_MAX; i++)
			if (did->used[i * cells + k])
				index[k] = added++;
	}
	if (!added)
		return 0;
	parity_programme_cell *grown = realloc(results->programme_cells,
	                                       (results->programme_cell_count + added) *
	                                       sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	results->programme_cells = grown;
	for (size_t k = 0; k < cells; k++) {
		if (index[k] == SIZE_MAX)
			continue;
		index[k] += results->programme_cell_count;
		parity_programme_cell *c = &grown[index[k]];
		memset(c, 0, sizeof *c);
		text_copy(c->indicator, sizeof c->indicator, info->code);
		text_copy(c->organisation, sizeof c->organisation, s->orgs[k / years]);
		text_copy(c->year, sizeof c->year, pt->years[k % years].label);
		c->counts = s->cells[k];
	}
	results->programme_cell_count += added;
	return 0;
}

/* The cells of `row` (indexes into results->programme_cells): the
 * organisation-years entering term `term`, or with `pre_only` any effect
 * before joining (the pre-trend test's). 0 or PARITY_ENOMEM. */
static int row_cells(parity_programme_row *row, const parity_did *did,
                     const size_t *index, size_t cells, int pre_only, size_t term)
{
	size_t n = 0;
	row->cells = malloc((cells ? cells : 1) * sizeof *row->cells);
	if (!row->cells)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t k = 0; k < cells; k++) {
		int in = 0;
		for (size_t i = 0; i < did->term_count && !in; i++) {
			const parity_did_term *t = &did->terms[i];
			int want = pre_only ? t->kind == PARITY_DID_EVENT && t->index < 0 : i == term;
			in = want && did->used[i * cells + k];
		}
		if (in && index[k] != SIZE_MAX)
			row->cells[n++] = index[k];
	}
	row->cell_count = n;
	size_t *fit = realloc(row->cells, (n ? n : 1) * sizeof *fit);
	if (fit) /* else the larger block serves as well */
		row->cells = fit;
	return 0;
}

/* The event study of one indicator into result rows. */
static int programme_indicator(parity_results *results, size_t *capacity,
                               const programme_tallies *pt,
                               const parity_indicator_info *info,
                               const parity_analyse_options *options)
{
	study s;
	parity_did did;
	int rc = study_make(&s, pt, info, options);
	if (rc)
		return rc;
	memset(&did, 0, sizeof did);
	parity_did_input in = {s.cells, s.org_count, pt->year_count, s.group, s.group_year,
	                       s.group_count, options->settings.level};
	size_t cells = s.org_count * pt->year_count;
	size_t *index = NULL;
	if ((rc = parity_did_compute(&did, &in)))
		goto done;
	if (!(index = malloc((cells ? cells : 1) * sizeof *index))) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	if ((rc = cells_register(results, index, pt, info, &s, &did)))
		goto done;
	for (size_t i = 0; i < did.term_count && !rc; i++) {
		rc = add_term(results, capacity, info, &s, &did.terms[i], options);
		if (!rc)
			rc = row_cells(&results->programme[results->programme_count - 1], &did,
			               index, cells, 0, i);
	}
	if (rc)
		goto done;
	parity_programme_row *row = row_new(results, capacity);
	if (!row) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	if ((rc = row_cells(row, &did, index, cells, 1, 0)))
		goto done;
	text_copy(row->indicator, sizeof row->indicator, info->code);
	snprintf(row->term, sizeof row->term, "pretrend");
	/* The test combines the effects before joining: it carries their
	 * smallest count for the disclosure gate. */
	for (size_t i = 0; i < did.term_count; i++) {
		const parity_did_term *t = &did.terms[i];
		if (t->kind == PARITY_DID_EVENT && t->index < 0 && t->smallest &&
		    (!row->smallest || t->smallest < row->smallest))
			row->smallest = t->smallest;
	}
	row->estimate = row->ci_low = row->ci_high = row->log_se = NAN;
	row->mde_low = row->mde_high = NAN;
	row->estimable = did.pretrend_estimable;
	row->p = did.pretrend_estimable ? did.pretrend_p : NAN;
	row->statistic = did.pretrend_estimable ? did.pretrend_chi2 : NAN;
	row->df = did.pretrend_df;
	if (!did.pretrend_estimable)
		snprintf(row->note, sizeof row->note, "no effect before joining could be "
		         "estimated (it needs two years of data before a cohort starts)");
done:
	free(index);
	parity_did_free(&did);
	study_free(&s);
	return rc;
}

int programme_evaluate(parity_results *results, const programme_tallies *pt,
                       const parity_analyse_options *options)
{
	size_t capacity = 0;
	int rc = describe_cohorts(results, pt, options->programme);
	if (rc || !pt->year_count)
		return rc;
	snprintf(results->programme_years, sizeof results->programme_years, "%s to %s",
	         pt->years[0].label, pt->years[pt->year_count - 1].label);
	for (size_t i = 0; parity_indicator_info_at(i) && !rc; i++)
		rc = programme_indicator(results, &capacity, pt, parity_indicator_info_at(i),
		                         options);
	return rc;
}
