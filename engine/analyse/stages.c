/*
 * stages.c: how far formal cases go (Archibong and Darr 2010). Of the cases
 * that entered a disciplinary or capability process, the relative
 * likelihood of reaching each worse stage (an investigation, an informal
 * outcome, a hearing, a first or final written warning, dismissal), BME
 * against White and Disabled against non-disabled, crude and pooled over the
 * grounds of the case (Mantel-Haenszel), since grounds differ in how far
 * cases go and in who faces them.
 */
#include "analyse_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

#define STAGE_MEASURE "case_stage" /* the rows' indicator and measure */

/* The groupings compared: group 1 is the compared group (the outcome is
 * adverse), group 2 the reference. */
static void stage_grouping(grouping *g, int race)
{
	memset(g, 0, sizeof *g);
	text_copy(g->name, sizeof g->name, race ? "white_bme" : "disability");
	text_copy(g->characteristic, sizeof g->characteristic,
	          race ? "ethnic_category" : "disability");
	g->axes[0].dim = race ? D_ETHNIC : D_DISABILITY;
	g->axes[0].mode = race ? AX_WHITE_BME : AX_DISABILITY;
	g->axis_count = 1;
	text_copy(g->group1[0], sizeof g->group1[0], race ? "BME" : "Disabled");
	text_copy(g->group2[0], sizeof g->group2[0], race ? "White" : "Non-disabled");
	text_copy(g->label1, sizeof g->label1, g->group1[0]);
	text_copy(g->label2, sizeof g->label2, g->group2[0]);
}

/* The cube of the cases: stage, grounds and the characteristics compared. */
static const axis case_slots[] = {
	{D_STAGE, (axis_mode)AX_VALUE}, {D_GROUNDS, (axis_mode)AX_VALUE},
	{D_ETHNIC, (axis_mode)AX_VALUE}, {D_DISABILITY, (axis_mode)AX_VALUE},
};
#define CASE_SLOTS (sizeof case_slots / sizeof case_slots[0])

/* The stage rank (-1: none recorded) of cube entry `e` of the cases. */
static int entry_stage(const tally *cases, const cube *c, size_t e)
{
	return cases->vals->info[D_STAGE][c->keys[e * (c->width + 1)]] - 1;
}

/* A derived tally of the cases: outcome the cases that reached a stage,
 * base the cases with a stage recorded (kept as cube sums so). */
static const cell_rule reached_rule = {"disciplinary", NULL, NULL, C_ROWS, C_HEADCOUNT};

/*
 * Make `d` the cases of `cases` with a stage recorded, as a tally whose base
 * is the cases and whose outcome is those that reached stage rank `rank` or
 * worse. `d` shares the values and window of `cases`; free with
 * tally_free(). Returns 0 or an error.
 */
static int reached(tally *d, const tally *cases, int rank)
{
	*d = *cases;
	d->cube_count = 0;
	d->same = NULL;
	d->rule = &reached_rule;
	memset(d->snapshot_of, 0, sizeof d->snapshot_of);
	int rc = tally_want(d, case_slots, CASE_SLOTS);
	const cube *c = &tally_home(cases)->cubes[0];
	for (size_t e = 0; e < c->count && !rc; e++) {
		int stage = entry_stage(cases, c, e);
		uint64_t entered, none;
		tally_counts(cases, c, e, &entered, &none);
		if (stage < 0 || !entered)
			continue; /* no stage recorded */
		uint64_t add[CUBE_SUMS] = {0};
		add[SUM_ROWS] = stage >= rank ? entered : 0;
		add[SUM_HEADCOUNT] = entered;
		rc = cube_add(&d->cubes[0], &c->keys[e * (c->width + 1)], add);
	}
	return rc;
}

/* The crude row of stage `stage` on `g`, then, when the cases have two or
 * more grounds, the Mantel-Haenszel row pooled over them. */
static int stage_rows(parity_results *results, const tally *d, const grouping *g,
                      const char *stage, const parity_analyse_options *options)
{
	group_sum *sums = NULL;
	parity_stratum *strata = NULL;
	size_t n = 0, used = 0;
	int rc = tally_sum(&sums, &n, d, g, -1, options->include_bank);
	if (rc)
		return rc;
	parity_result_row *row = row_add_grouped(results, STAGE_MEASURE, g, "stage",
	                                         stage, d, &sums[0]);
	if (!row) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	if ((rc = row_crude(row, &sums[0], &options->settings)))
		goto done;
	free(sums);
	sums = NULL;
	if ((rc = tally_sum(&sums, &n, d, g, D_GROUNDS, options->include_bank)) || n < 2)
		goto done;
	if (!(strata = calloc(n, sizeof *strata))) {
		rc = parity_error_set(PARITY_ENOMEM, "out of memory");
		goto done;
	}
	parity_stratum total = {0, 0, 0, 0};
	group_sum excluded;
	memset(&excluded, 0, sizeof excluded);
	for (size_t i = 0; i < n; i++) {
		strata[used++] = sums[i].counts; /* reached <= entered: always possible */
		total.x1 += sums[i].counts.x1;
		total.n1 += sums[i].counts.n1;
		total.x2 += sums[i].counts.x2;
		total.n2 += sums[i].counts.n2;
		excluded.unknown_base += sums[i].unknown_base;
		excluded.unknown_outcome += sums[i].unknown_outcome;
		excluded.bank_base += sums[i].bank_base;
		excluded.bank_outcome += sums[i].bank_outcome;
		excluded.no_contract_outcome += sums[i].no_contract_outcome;
	}
	parity_pooled pool;
	if ((rc = parity_pool_mh(&pool, strata, used, options->settings.level)))
		goto done;
	if (!(row = row_add_grouped(results, STAGE_MEASURE, g, "stage", stage, d,
	                            &excluded))) {
		rc = PARITY_ENOMEM;
		goto done;
	}
	row_pooled(row, &pool, &total, &options->settings);
done:
	free(sums);
	free(strata);
	return rc;
}

int stages_plan(tally *cases, plan *p, const parity_period *period,
                const parity_analyse_options *options)
{
	enum { MAX_WINDOW = 10 };
	parity_period window[MAX_WINDOW];
	unsigned years = options->rolling_years ? options->rolling_years : 2;
	size_t periods = window_periods(window, period, years > MAX_WINDOW ? MAX_WINDOW
	                                                                   : years);
	tally_init(cases, M_DISCIPLINARY, rule_of_cases(), p->vals, window, periods);
	int rc = tally_want(cases, case_slots, CASE_SLOTS);
	return rc ? rc : plan_add(p, cases);
}

int stages_add(parity_results *results, const tally *cases,
               const parity_analyse_options *options)
{
	tally d;
	memset(&d, 0, sizeof d);
	int rc = 0;
	if (!tally_home(cases)->cube_count)
		return 0;
	/* Which stages some case reached, and how many cases have none. */
	uint64_t at[8] = {0}, unstaged = 0, staged = 0;
	const cube *c = &tally_home(cases)->cubes[0];
	for (size_t e = 0; e < c->count; e++) {
		int stage = entry_stage(cases, c, e);
		uint64_t entered, none;
		tally_counts(cases, c, e, &entered, &none);
		if (stage < 0) {
			unstaged += entered;
			continue;
		}
		staged += entered;
		for (int k = 0; k <= stage && k < 8; k++)
			at[k] += entered;
	}
	if (!staged)
		goto done; /* no extract recorded stages */
	if (unstaged)
		rc = results_note(results, "case stages: %llu case%s with no stage recorded "
		                  "(an extract without investigation, hearing or outcome "
		                  "columns) left out", (unsigned long long)unstaged,
		                  unstaged == 1 ? "" : "s");
	for (int k = 1; parity_case_stage_at(k) && !rc; k++) {
		if (!at[k])
			continue; /* no case went this far: nothing to compare */
		if ((rc = reached(&d, cases, k)))
			break;
		for (int race = 1; race >= 0 && !rc; race--) {
			grouping g;
			stage_grouping(&g, race);
			rc = stage_rows(results, &d, &g, parity_case_stage_at(k), options);
		}
		tally_free(&d);
	}
done:
	tally_free(&d);
	return rc;
}
