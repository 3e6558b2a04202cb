/*
 * cohort.c: mentoring cohorts (the file is read by cohort_file.c): for
 * each cohort and standard indicator the ratio before against after
 * (pooled over the cohort's organisations), the same for the comparator
 * organisations, and the difference-in-differences between the two.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- evaluation -------------------------------------------------------------- */

static int in_cohort(const parity_cohort *c, const char *org)
{
	for (size_t i = 0; i < c->organisation_count; i++)
		if (!strcmp(c->organisations[i], org))
			return 1;
	return 0;
}

/* Is `org` a comparator for cohort `c` whose analysis spans months
 * first..last: in no cohort whose programme overlaps that span? */
static int is_comparator(const parity_cohorts *all, const parity_cohort *c,
                         const char *org, int first, int last)
{
	if (in_cohort(c, org))
		return 0;
	for (size_t i = 0; i < all->count; i++) {
		const parity_cohort *d = &all->items[i];
		int start = parity_date_month_index(&d->start);
		int end = parity_date_month_index(&d->end);
		if (start <= last && end >= first && in_cohort(d, org))
			return 0;
	}
	return 1;
}

/* Is `item` one of the entries of the ';'-separated `list`? */
static int list_has(const char *list, const char *item)
{
	size_t len = strlen(item);
	for (const char *p = list; *p;) {
		size_t span = strcspn(p, ";");
		if (span == len && !strncmp(p, item, len))
			return 1;
		p += span;
		if (*p)
			p++;
	}
	return 0;
}

static void append(char *out, size_t size, const char *text)
{
	size_t used = strlen(out);
	if (used + strlen(text) + 2 > size)
		return;
	snprintf(out + used, size - used, "%s%s", used ? ";" : "", text);
}

static void window_label(char *out, size_t size, int first, int last)
{
	char a[8], b[8];
	parity_month_label(a, first);
	parity_month_label(b, last);
	snprintf(out, size, "%s to %s", a, b);
}

/* Counts of one arm in one window: the organisation sums that `want`
 * selects, Mantel-Haenszel pooled; their total into `total`. */
static int pool_arm(parity_pooled *pool, parity_stratum *total, const group_sum *sums,
                    size_t n, const int *want, double level)
{
	parity_stratum *strata = calloc(n ? n : 1, sizeof *strata);
	size_t used = 0;
	if (!strata)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	memset(total, 0, sizeof *total);
	for (size_t i = 0; i < n; i++) {
		const parity_stratum *c = &sums[i].counts;
		if (!want[i] || c->x1 > c->n1 || c->x2 > c->n2)
			continue;
		strata[used++] = *c;
		total->x1 += c->x1;
		total->n1 += c->n1;
		total->x2 += c->x2;
		total->n2 += c->n2;
	}
	int rc = parity_pool_mh(pool, strata, used, level);
	free(strata);
	return rc;
}

static int usable(const parity_pooled *p)
{
	return p->estimable && p->ratio > 0 && !isinf(p->ratio) && p->ci_low > 0 &&
	       !isinf(p->ci_high);
}

/* improved / worsened / no detectable change, oriented by which side of 1
 * the ratio started on: moving toward 1 is an improvement. */
static const char *verdict_for(double before, const parity_change *ch)
{
	if (!ch->estimable)
		return "no estimate";
	int below = ch->ci_high < 1, above = ch->ci_low > 1;
	if (before > 1)
		return below ? "improved" : above ? "worsened" : "no detectable change";
	if (before < 1)
		return above ? "improved" : below ? "worsened" : "no detectable change";
	return below || above ? "worsened" : "no detectable change";
}

static void p_text(char *out, size_t size, double p)
{
	if (p < 0.001)
		snprintf(out, size, "p < 0.001");
	else
		snprintf(out, size, "p = %.3f", p);
}

/* The sentence for a cohort or comparator arm. */
static void arm_statement(parity_cohort_result *res, const char *who)
{
	char p[24];
	int pct = (int)lround(res->before.level * 100);
	if (strcmp(res->verdict, "no estimate") == 0) {
		snprintf(res->statement, sizeof res->statement,
		         "%.160s, %s: no estimate of change (%s).", who, res->indicator,
		         res->note[0] ? res->note : "too few cases");
		return;
	}
	p_text(p, sizeof p, res->change.p);
	snprintf(res->statement, sizeof res->statement,
	         "%.160s, %s: the ratio went from %.2f (%d%% CI %.2f to %.2f) in %s to "
	         "%.2f (%.2f to %.2f) in %s; ratio of ratios %.2f (%d%% CI %.2f to "
	         "%.2f), %s: %s.", who, res->indicator, res->before.ratio, pct,
	         res->before.ci_low, res->before.ci_high, res->before_window,
	         res->after.ratio, res->after.ci_low, res->after.ci_high,
	         res->after_window, res->change.ratio, pct, res->change.ci_low,
	         res->change.ci_high, p, res->verdict);
}

/* Fill the change and verdict of an arm from its before and after pools. */
static int arm_change(parity_cohort_result *res, double level)
{
	memset(&res->change, 0, sizeof res->change);
	if (!usable(&res->before) || !usable(&res->after)) {
		snprintf(res->verdict, sizeof res->verdict, "no estimate");
		if (!res->note[0])
			snprintf(res->note, sizeof res->note, "no finite pooled ratio %s",
			         !usable(&res->before) ? "before" : "after");
		return 0;
	}
	parity_ratio_ci after = {res->after.ratio, res->after.ci_low, res->after.ci_high,
	                         res->after.level};
	parity_ratio_ci before = {res->before.ratio, res->before.ci_low,
	                          res->before.ci_high, res->before.level};
	int rc = parity_change_from_ci(&res->change, &after, &before, level);
	if (rc)
		return rc;
	text_copy(res->verdict, sizeof res->verdict,
	          verdict_for(res->before.ratio, &res->change));
	/* Moving past 1 to the other side is not what "toward 1" means. */
	if ((res->before.ratio > 1 && res->after.ci_high < 1) ||
	    (res->before.ratio < 1 && res->after.ci_low > 1))
		snprintf(res->note + strlen(res->note), sizeof res->note - strlen(res->note),
		         "%sthe after ratio lies wholly on the other side of 1: the gap "
		         "reversed rather than closed", res->note[0] ? "; " : "");
	return 0;
}

/* Everything one cohort's evaluation shares across indicators. */
typedef struct cohort_run {
	parity_results *results;
	const parity_analyse_options *options;
	const parity_cohort *cohort;
	int before_first, before_last, after_first, after_last;
	char cohort_orgs[512];
} cohort_run;

static parity_cohort_result *result_add(parity_results *results)
{
	if (results->cohort_count == results->cohort_capacity) {
		size_t capacity = results->cohort_capacity ? results->cohort_capacity * 2 : 8;
		parity_cohort_result *grown = realloc(results->cohorts,
		                                      capacity * sizeof *grown);
		if (!grown) {
			parity_error_set(PARITY_ENOMEM, "out of memory");
			return NULL;
		}
		results->cohorts = grown;
		results->cohort_capacity = capacity;
	}
	parity_cohort_result *res = &results->cohorts[results->cohort_count++];
	memset(res, 0, sizeof *res);
	return res;
}

static parity_cohort_result *arm_result(cohort_run *run,
                                        const parity_indicator_info *info,
                                        const char *arm, const char *orgs)
{
	parity_cohort_result *res = result_add(run->results);
	if (!res)
		return NULL;
	text_copy(res->cohort_id, sizeof res->cohort_id, run->cohort->id);
	text_copy(res->cohort_name, sizeof res->cohort_name, run->cohort->name);
	text_copy(res->indicator, sizeof res->indicator, info->code);
	text_copy(res->arm, sizeof res->arm, arm);
	text_copy(res->organisations, sizeof res->organisations, orgs);
	window_label(res->before_window, sizeof res->before_window, run->before_first,
	             run->before_last);
	window_label(res->after_window, sizeof res->after_window, run->after_first,
	             run->after_last);
	res->before_first_month = run->before_first;
	res->before_last_month = run->before_last;
	res->after_first_month = run->after_first;
	res->after_last_month = run->after_last;
	return res;
}

/* Which organisation sums belong to an arm: 1 for cohort members, or for
 * comparators. Also lists the arm's organisations (those with data). */
static int *arm_members(const group_sum *sums, size_t n, const tally *t,
                        const parity_cohorts *all, const cohort_run *run,
                        int comparators, char *names, size_t names_size)
{
	int *want = calloc(n ? n : 1, sizeof *want);
	if (!want) {
		parity_error_set(PARITY_ENOMEM, "out of memory");
		return NULL;
	}
	for (size_t i = 0; i < n; i++) {
		const char *org = tally_text(t, D_ORG, sums[i].key);
		want[i] = comparators ? is_comparator(all, run->cohort, org, run->before_first,
		                                      run->after_last)
		                      : in_cohort(run->cohort, org);
		if (want[i] && !list_has(names, org))
			append(names, names_size, org);
	}
	return want;
}

/* One indicator for one cohort: the cohort arm, the comparators and the
 * difference-in-differences. */
static int cohort_indicator(cohort_run *run, const parity_indicator_info *info,
                            const tally *before, const tally *after,
                            const char *coverage_note, int fatal)
{
	group_sum *sb = NULL, *sa = NULL;
	size_t nb = 0, na = 0;
	int *wb = NULL, *wa = NULL;
	grouping g;
	double level = run->options->settings.level;
	int rc;
	parity_cohort_result *arms[2] = {NULL, NULL};
	size_t arm_index[2];
	grouping_standard(&g, info);
	if ((rc = tally_sum(&sb, &nb, before, &g, D_ORG, run->options->include_bank)) ||
	    (rc = tally_sum(&sa, &na, after, &g, D_ORG, run->options->include_bank)))
		goto done;
	for (int comparators = 0; comparators < 2; comparators++) {
		char names[512] = "";
		free(wb);
		free(wa);
		wb = arm_members(sb, nb, before, run->options->cohorts, run,
		                 comparators, names, sizeof names);
		wa = arm_members(sa, na, after, run->options->cohorts, run, comparators,
		                 names, sizeof names);
		if (!wb || !wa) {
			rc = PARITY_ENOMEM;
			goto done;
		}
		parity_cohort_result *res = arm_result(run, info,
		                                       comparators ? "comparators" : "cohort",
		                                       names);
		if (!res) {
			rc = PARITY_ENOMEM;
			goto done;
		}
		arm_index[comparators] = run->results->cohort_count - 1;
		if ((rc = pool_arm(&res->before, &res->before_counts, sb, nb, wb, level)) ||
		    (rc = pool_arm(&res->after, &res->after_counts, sa, na, wa, level)))
			goto done;
		if (coverage_note)
			text_copy(res->note, sizeof res->note, coverage_note);
		if (coverage_note && fatal) {
			snprintf(res->verdict, sizeof res->verdict, "no estimate");
		} else if (!names[0]) {
			text_copy(res->note, sizeof res->note, comparators
			         ? "no comparator organisations (every organisation is in an "
			           "overlapping cohort, or one organisation was analysed)"
			         : "none of the cohort's organisations has data");
			snprintf(res->verdict, sizeof res->verdict, "no estimate");
		} else if ((rc = arm_change(res, level))) {
			goto done;
		}
		char who[600], shown[600];
		size_t used = 0;
		for (const char *p = names; *p && used + 3 < sizeof shown; p++) {
			if (*p == ';') {
				shown[used++] = ',';
				shown[used++] = ' ';
			} else {
				shown[used++] = *p;
			}
		}
		shown[used] = '\0';
		if (comparators)
			snprintf(who, sizeof who, "Comparators (%.500s)", shown);
		else
			snprintf(who, sizeof who, "Cohort %s (%.500s)", run->cohort->id, shown);
		arm_statement(res, who);
	}
	parity_cohort_result *did = arm_result(run, info, "difference", "");
	if (!did) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	/* Pointers only now: result_add may have moved the array. */
	arms[0] = &run->results->cohorts[arm_index[0]];
	arms[1] = &run->results->cohorts[arm_index[1]];
	if (!arms[0]->change.estimable || !arms[1]->change.estimable) {
		snprintf(did->verdict, sizeof did->verdict, "no estimate");
		snprintf(did->note, sizeof did->note, "needs a ratio of ratios for both the "
		         "cohort and the comparators");
		snprintf(did->statement, sizeof did->statement,
		         "Cohort %s against the comparators, %s: no estimate (%s).",
		         run->cohort->id, info->code, did->note);
		goto done;
	}
	parity_ratio_ci first = {arms[0]->change.ratio, arms[0]->change.ci_low,
	                         arms[0]->change.ci_high, level};
	parity_ratio_ci second = {arms[1]->change.ratio, arms[1]->change.ci_low,
	                          arms[1]->change.ci_high, level};
	if ((rc = parity_change_from_ci(&did->change, &first, &second, level)))
		goto done;
	text_copy(did->verdict, sizeof did->verdict,
	          verdict_for(arms[0]->before.ratio, &did->change));
	char p[24];
	p_text(p, sizeof p, did->change.p);
	snprintf(did->statement, sizeof did->statement,
	         "Cohort %s against the comparators, %s: the cohort's ratio of ratios "
	         "was %.2f times the comparators' (difference-in-differences, %d%% CI "
	         "%.2f to %.2f), %s: %s relative to the comparators.", run->cohort->id,
	         info->code, did->change.ratio, (int)lround(level * 100),
	         did->change.ci_low, did->change.ci_high, p, did->verdict);
done:
	free(sb);
	free(sa);
	free(wb);
	free(wa);
	return rc;
}

static measure measure_named(const char *name)
{
	for (int m = 0; m < M_COUNT; m++)
		if (!strcmp(measure_get((measure)m)->name, name))
			return (measure)m;
	return M_APPOINTMENT;
}

/* Why the windows cannot be measured for `m` (*fatal 1), or a caution
 * when the data covers a window only in part (*fatal 0); NULL when the data
 * covers both. */
static const char *coverage(char *buf, size_t size, parity_store *store, measure m,
                            const cohort_run *run, int *fatal, int *error)
{
	int first = 0, last = 0;
	int rc = tally_span(store, m, run->options->organisation, &first, &last);
	*error = rc < 0 ? rc : 0;
	*fatal = 0;
	if (rc < 0)
		return NULL;
	*fatal = 1;
	if (rc == 1) {
		snprintf(buf, size, "no %s data", measure_get(m)->name);
		return buf;
	}
	char from[8], to[8];
	parity_month_label(from, first);
	parity_month_label(to, last);
	if (run->before_last < first) {
		snprintf(buf, size, "the before window ends before the %s data starts (%s)",
		         measure_get(m)->name, from);
		return buf;
	}
	if (run->after_first > last) {
		snprintf(buf, size, "the after window starts after the %s data ends (%s)",
		         measure_get(m)->name, to);
		return buf;
	}
	*fatal = 0;
	if (run->before_first < first || run->after_last > last) {
		snprintf(buf, size, "the %s data (%s to %s) covers the %s window only in part",
		         measure_get(m)->name, from, to,
		         run->before_first < first ? "before" : "after");
		return buf;
	}
	return NULL;
}

/* The windows of cohort `c`: before, its start month less the window, to
 * the month before; after, from the month after its end. */
static void cohort_windows(cohort_run *run, const parity_cohort *c, int window)
{
	run->before_last = parity_date_month_index(&c->start) - 1;
	run->before_first = run->before_last - window + 1;
	run->after_first = parity_date_month_index(&c->end) + 1;
	run->after_last = run->after_first + window - 1;
}

/* The tally of cohort `i`'s window `side` (0 before, 1 after) for `m`. */
static tally *cohort_tally(const cohort_tallies *ct, size_t i, int side, int m)
{
	return &ct->items[(i * 2 + (size_t)side) * M_COUNT + (size_t)m];
}

int cohorts_plan(cohort_tallies *out, plan *p, const parity_analyse_options *options)
{
	const parity_cohorts *cohorts = options->cohorts;
	int window = (int)options->cohort_window_months;
	int rc = 0;
	memset(out, 0, sizeof *out);
	if (!cohorts->count)
		return 0;
	out->items = calloc(cohorts->count * 2 * M_COUNT, sizeof *out->items);
	if (!out->items)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	out->count = cohorts->count;
	for (size_t i = 0; i < cohorts->count && !rc; i++) {
		cohort_run run;
		parity_period stretches[12];
		cohort_windows(&run, &cohorts->items[i], window);
		for (int m = 0; m < M_COUNT && !rc; m++) {
			if (!measure_indicated((measure)m))
				continue; /* compared only: no cohort arm uses it */
			for (int side = 0; side < 2 && !rc; side++) {
				size_t n = side ? window_stretches(stretches, 12, run.after_first,
				                                   run.after_last)
				                : window_stretches(stretches, 12, run.before_first,
				                                   run.before_last);
				tally *t = cohort_tally(out, i, side, m);
				tally_init(t, (measure)m, rule_of_measure((measure)m), p->vals,
				           stretches, n);
				/* Each arm pools its organisations' ratios. */
				rc = tally_want_by_org(t);
				if (!rc)
					rc = plan_add(p, t);
			}
		}
	}
	return rc;
}

void cohorts_free(cohort_tallies *ct)
{
	for (size_t i = 0; i < ct->count * 2 * M_COUNT; i++)
		tally_free(&ct->items[i]);
	free(ct->items);
	memset(ct, 0, sizeof *ct);
}

static int one_cohort(parity_results *results, parity_store *store,
                      const cohort_tallies *ct, size_t index,
                      const parity_analyse_options *options, const parity_cohort *c)
{
	cohort_run run;
	char notes[M_COUNT][160];
	const char *note[M_COUNT];
	int fatal[M_COUNT];
	int rc = 0;
	memset(&run, 0, sizeof run);
	run.results = results;
	run.options = options;
	run.cohort = c;
	cohort_windows(&run, c, (int)options->cohort_window_months);

	/* Both windows of every measure, then the indicators in their order. */
	for (int m = 0; m < M_COUNT && !rc; m++) {
		note[m] = NULL;
		fatal[m] = 0;
		if (!measure_indicated((measure)m))
			continue; /* compared only: no cohort arm uses it */
		note[m] = coverage(notes[m], sizeof notes[m], store, (measure)m, &run,
		                   &fatal[m], &rc);
	}
	for (size_t i = 0; parity_indicator_info_at(i) && !rc; i++) {
		const parity_indicator_info *info = parity_indicator_info_at(i);
		measure m = measure_named(info->measure);
		rc = cohort_indicator(&run, info, cohort_tally(ct, index, 0, (int)m),
		                      cohort_tally(ct, index, 1, (int)m), note[m], fatal[m]);
	}
	return rc;
}

/* The smallest change a result's windows could detect (parity_change_mdr at
 * 80% power, 5% two-sided, on its ratio of ratios' SE), and for "no
 * detectable change" the same in its statement when the sentence has room. */
static int cohort_mdr(parity_cohort_result *res)
{
	int rc = parity_change_mdr(&res->mdr_low, &res->mdr_high, &res->change,
	                           PARITY_MDR_ALPHA, PARITY_MDR_POWER);
	if (rc || isnan(res->mdr_high) || strcmp(res->verdict, "no detectable change"))
		return rc;
	char more[160];
	int n = snprintf(more, sizeof more, " These windows could detect only a "
	                 "ratio of ratios below %.2f or above %.2f (80%% power, 5%% "
	                 "two-sided).", res->mdr_low, res->mdr_high);
	size_t used = strlen(res->statement);
	if (n > 0 && used + (size_t)n < sizeof res->statement)
		memcpy(res->statement + used, more, (size_t)n + 1);
	return 0;
}

int cohorts_evaluate(parity_results *results, parity_store *store,
                     const cohort_tallies *ct, const parity_analyse_options *options)
{
	const parity_cohorts *cohorts = options->cohorts;
	int rc = 0;
	free(results->marks);
	results->marks = calloc(cohorts->count ? cohorts->count : 1,
	                        sizeof *results->marks);
	if (!results->marks)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	results->mark_count = cohorts->count;
	for (size_t i = 0; i < cohorts->count; i++) {
		const parity_cohort *c = &cohorts->items[i];
		parity_cohort_mark *mark = &results->marks[i];
		text_copy(mark->cohort_id, sizeof mark->cohort_id, c->id);
		text_copy(mark->name, sizeof mark->name, c->name);
		for (size_t k = 0; k < c->organisation_count; k++)
			append(mark->organisations, sizeof mark->organisations,
			       c->organisations[k]);
		mark->start_month = parity_date_month_index(&c->start);
		mark->end_month = parity_date_month_index(&c->end);
		snprintf(mark->start_date, sizeof mark->start_date, "%04d-%02d-%02d",
		         c->start.year % 10000, c->start.month % 100, c->start.day % 100);
		snprintf(mark->end_date, sizeof mark->end_date, "%04d-%02d-%02d",
		         c->end.year % 10000, c->end.month % 100, c->end.day % 100);
	}
	for (size_t i = 0; i < cohorts->count && !rc; i++)
		rc = one_cohort(results, store, ct, i, options, &cohorts->items[i]);
	for (size_t i = 0; i < results->cohort_count && !rc; i++)
		rc = cohort_mdr(&results->cohorts[i]);
	return rc;
}

void cohorts_mark_trend(parity_results *results)
{
	for (size_t i = 0; i < results->trend_count; i++) {
		parity_result_row *row = &results->trend[i];
		parity_period year;
		row->cohorts[0] = '\0';
		if (parity_period_parse(&year, row->period)) {
			parity_error_clear();
			continue;
		}
		int org_row = !strcmp(row->stratum_kind, "organisation") && !row->pooled;
		int single = !strcmp(row->stratum_kind, "overall") &&
		             strcmp(row->stratum, "All organisations");
		for (size_t k = 0; k < results->mark_count; k++) {
			const parity_cohort_mark *mark = &results->marks[k];
			if ((org_row || single) && !list_has(mark->organisations, row->stratum))
				continue;
			const char *phase = year.last_month < mark->start_month ? "before"
			                    : year.first_month > mark->end_month ? "after"
			                                                         : "during";
			char item[96];
			snprintf(item, sizeof item, "%s:%s", mark->cohort_id, phase);
			append(row->cohorts, sizeof row->cohorts, item);
		}
	}
}
