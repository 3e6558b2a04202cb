/*
 * test_analyse.c: the indicators from small stores whose counts are known by
 * construction: WRES 2 against DOMAIN.md's Katz reference, Mantel-Haenszel
 * over organisations against Doll & Hill, the two-year window and bank
 * exclusion for WRES 3 (counts worked by hand), Kline's compound ratio,
 * comparisons and intersections, periods, the run history and row lookup.
 */
#include "harness.h"
#include "test_analyse_fixture.h"

#include <math.h>
#include <sqlite3.h>

#define CHECK_REL(actual, expected, tol)                                      \
	CHECK(fabs((double)(actual) - (double)(expected)) <=                  \
	      (tol) * fabs((double)(expected)))

static parity_results *analyse(parity_store *store, const char *period,
                               parity_ci_method method, unsigned years, int bank)
{
	parity_analyse_options options;
	parity_results *results = NULL;
	parity_analyse_options_default(&options);
	options.period = period;
	options.settings.method = method;
	options.rolling_years = years;
	options.include_bank = bank;
	if (parity_analyse_run(&results, store, &options))
		fprintf(stderr, "analyse: %s\n", parity_error_last());
	return results;
}

/* DOMAIN.md: 27/39 vs 7/21, Katz 2.076923077 (1.095119684 - 3.938938849).
 * One organisation: the overall row names it, with no organisation rows.
 * Not stated (Z) shortlisted applicants are counted as excluded. */
static void test_analyse_wres2_katz_reference(void)
{
	fx_open();
	fx_apps("X", "2024-06-01", "A", "F", "N", "5", 49, 39, 27);
	fx_apps("X", "2024-06-01", "H", "F", "N", "5", 21, 21, 7);
	fx_apps("X", "2024-06-01", "Z", "F", "N", "5", 5, 5, 2);
	parity_store *store = fx_store();
	CHECK(store != NULL);
	parity_results *r = analyse(store, NULL, PARITY_CI_KATZ, 0, 0);
	CHECK(r != NULL);
	if (r) {
		CHECK_STR(r->period, "2024/25"); /* the only, complete year */
		const parity_result_row *row = fx_row(r, "WRES2", NULL, "overall", NULL, NULL);
		CHECK_COUNTS(row, 27, 39, 7, 21);
		if (row) {
			CHECK_STR(row->stratum, "X");
			CHECK_STR(row->group1, "White");
			CHECK_STR(row->group2, "BME");
			CHECK_NEAR(row->ratio.ratio, 2.076923077, 1e-9);
			CHECK_NEAR(row->ratio.ci_low, 1.095119684, 1e-9);
			CHECK_NEAR(row->ratio.ci_high, 3.938938849, 1e-9);
			CHECK(row->excluded_not_stated_base == 5);
			CHECK(row->excluded_not_stated_outcome == 2);
			CHECK_STR(row->estimate, "crude");
			CHECK_STR(row->interval, "katz");
		}
		CHECK(r->excluded_not_stated == 5);
		CHECK(fx_row(r, "WRES2", NULL, "organisation", NULL, NULL) == NULL);
		/* No staff data: the headcount indicators are left out, noted. */
		CHECK(fx_row(r, "WRES3", NULL, NULL, NULL, NULL) == NULL);
		CHECK(r->note_count >= 3);
		/* WDES 2 on the same applicants: everyone is non-disabled. */
		const parity_result_row *wdes = fx_row(r, "WDES2", NULL, "overall", NULL, NULL);
		CHECK_COUNTS(wdes, 36, 65, 0, 0);
	}
	parity_results_free(r);
	fx_close(store);
}

/* DOMAIN.md (Doll & Hill 1950): strata 647/1269 vs 2/29 and 41/69 vs 19/51
 * give RLR_MH 2.475119104 (1.583086662 - 3.869791038); Q = 7.066884366835762
 * on 1 df, p 0.007852168300016834 (hand calculation in test_stats_pool.c).
 * Here the strata are two organisations. The crude overall ratio, from the
 * summed counts by hand: (688/1338) / (21/80) = 1.958858282. */
static void test_analyse_pooled_over_organisations(void)
{
	fx_open();
	fx_apps("P", "2024-06-01", "A", "F", "N", "5", 1269, 1269, 647);
	fx_apps("P", "2024-06-01", "N", "F", "N", "6", 29, 29, 2);
	fx_apps("Q", "2024-06-01", "B", "F", "N", "5", 69, 69, 41);
	fx_apps("Q", "2024-06-01", "M", "F", "N", "6", 51, 51, 19);
	parity_store *store = fx_store();
	parity_results *r = analyse(store, "2024/25", PARITY_CI_KATZ, 0, 0);
	CHECK(r != NULL);
	const parity_result_row *overall = fx_row(r, "WRES2", NULL, "overall", NULL, NULL);
	CHECK_COUNTS(overall, 688, 1338, 21, 80);
	if (overall) {
		CHECK_STR(overall->stratum, "All organisations");
		CHECK_NEAR(overall->ratio.ratio, 1.958858282, 1e-9);
	}
	CHECK_COUNTS(fx_row(r, "WRES2", NULL, "organisation", "P", NULL), 647, 1269, 2, 29);
	CHECK_COUNTS(fx_row(r, "WRES2", NULL, "organisation", "Q", NULL), 41, 69, 19, 51);
	const parity_result_row *pooled = parity_results_find(r, NULL, "WRES2", "organisation",
	                                                      NULL, NULL, 1);
	CHECK(pooled != NULL);
	if (pooled) {
		CHECK_STR(pooled->estimate, "mantel-haenszel");
		CHECK_STR(pooled->interval, "greenland-robins");
		CHECK_NEAR(pooled->ratio.ratio, 2.475119104, 1e-9);
		CHECK_NEAR(pooled->ratio.ci_low, 1.583086662, 1e-9);
		CHECK_NEAR(pooled->ratio.ci_high, 3.869791038, 1e-9);
		CHECK(pooled->pool.homogeneity_estimable && pooled->pool.df == 1);
		CHECK_REL(pooled->pool.q, 7.066884366835762, 1e-10);
		CHECK_REL(pooled->pool.p_homogeneity, 0.007852168300016834, 1e-8);
		CHECK(!pooled->direction_reversed);
		CHECK(isnan(pooled->ratio.p_fisher));
		/* The funnel is centred on the pooled ratio. */
		CHECK_NEAR(pooled->funnel_fit.target, 2.475119104, 1e-9);
	}
	const parity_result_row *p = fx_row(r, "WRES2", NULL, "organisation", "P", NULL);
	CHECK(p && p->funnel_placed);
	if (p && pooled)
		CHECK(p->funnel_low95 < pooled->pool.ratio && pooled->pool.ratio < p->funnel_high95 &&
		      p->funnel_low998 < p->funnel_low95 && p->funnel_high998 > p->funnel_high95);
	/* Multiple comparisons: the two organisation rows are one family. Their
	 * Katz Wald p-values by hand (python, math.erfc): P 0.0033931369847477123,
	 * Q 0.024232280914966608; Holm: 2 x 0.00339... = 0.006786273969495425,
	 * then max(that, 0.0242...) = 0.0242...; BH: min(2 x 0.00339.../1,
	 * 0.0242...) and 2 x 0.0242.../2: the same pair here. */
	const parity_result_row *q = fx_row(r, "WRES2", NULL, "organisation", "Q", NULL);
	CHECK(p && q);
	if (p && q) {
		CHECK(p->family_size == 2 && q->family_size == 2);
		CHECK_REL(p->ratio.p_score, 0.0033931369847477123, 1e-9);
		CHECK_REL(p->p_holm, 0.006786273969495425, 1e-9);
		CHECK_REL(p->p_bh, 0.006786273969495425, 1e-9);
		CHECK_REL(q->p_holm, 0.024232280914966608, 1e-9);
		CHECK_REL(q->p_bh, 0.024232280914966608, 1e-9);
	}
	if (pooled)
		CHECK(pooled->family_size == 0 && isnan(pooled->p_holm));
	if (overall)
		CHECK(overall->family_size == 1 && overall->p_holm == overall->ratio.p_score);
	/* Pay bands 5 and 6 split the groups completely: one group each. */
	CHECK_COUNTS(fx_row(r, "WRES2", NULL, "pay_band", "5", NULL), 688, 1338, 0, 0);
	parity_results_free(r);
	fx_close(store);
}

/*
 * WRES 3 on a two-year window with its headcounts. By construction:
 *   2024-03-31: White 100 + 10 bank, BME 50, not stated 5;
 *   2024-09-30: White 999 (not the latest snapshot in 2024/25: unused);
 *   2025-03-31: White 110, BME 60 + 20 bank.
 *   Cases (process disciplinary) in 2023/24: BME 3, White 2; in 2024/25:
 *   BME 4, White 3, and one BME case on a bank contract. A capability case
 *   is not a disciplinary case.
 * 2024/25, two years: BME 7/110, White 5/210 = (7/110)/(5/210) = 2.672727.
 * One year: BME 4/60, White 3/110 = 2.444444. Bank counted: BME 8/130,
 * White 5/220 = 2.707692.
 */
static void build_wres3(void)
{
	fx_staff("X", "2024-03-31", "A", "N", "5", "Permanent", 100);
	fx_staff("X", "2024-03-31", "A", "N", "5", "Bank", 10);
	fx_staff("X", "2024-03-31", "N", "Y", "5", "Permanent", 50);
	fx_staff("X", "2024-03-31", "Z", "N", "5", "Permanent", 5);
	fx_staff("X", "2024-09-30", "A", "N", "5", "Permanent", 999);
	fx_staff("X", "2025-03-31", "A", "N", "5", "Permanent", 110);
	fx_staff("X", "2025-03-31", "N", "Y", "5", "Permanent", 60);
	fx_staff("X", "2025-03-31", "N", "N", "5", "Bank", 20);
	fx_cases("X", "2023-05-01", "disciplinary", "conduct", "N", "Y", "", 3);
	fx_cases("X", "2023-05-01", "disciplinary", "conduct", "A", "N", "", 2);
	fx_cases("X", "2024-05-01", "disciplinary", "conduct", "N", "Y", "", 4);
	fx_cases("X", "2024-05-01", "disciplinary", "conduct", "A", "N", "Permanent", 3);
	fx_cases("X", "2024-05-01", "disciplinary", "conduct", "N", "N", "Bank", 1);
	fx_cases("X", "2024-05-01", "capability", "performance", "N", "Y", "", 1);
	fx_cases("X", "2024-05-01", "capability", "ill health", "A", "N", "", 1);
}

static void test_analyse_wres3_window_and_bank(void)
{
	fx_open();
	build_wres3();
	parity_store *store = fx_store();
	parity_results *r = analyse(store, "2024/25", PARITY_CI_KATZ, 0, 0);
	const parity_result_row *row = fx_row(r, "WRES3", NULL, "overall", NULL, NULL);
	CHECK_COUNTS(row, 7, 110, 5, 210);
	if (row) {
		CHECK_STR(row->group1, "BME");
		CHECK_NEAR(row->ratio.ratio, 2.672727273, 1e-9);
		CHECK_STR(row->window, "2023/24 to 2024/25");
		CHECK(row->window_periods == 2);
		CHECK_STR(row->snapshots, "2024-03;2025-03");
		CHECK(row->excluded_bank_base == 30 && row->excluded_bank_outcome == 1);
		CHECK(row->excluded_not_stated_base == 5);
		/* 9 of the 12 cases counted have a blank contract. */
		CHECK(row->outcome_without_contract == 9);
		CHECK(!strstr(row->flags, "window_incomplete"));
	}
	/* WDES 3: the one capability case on performance grounds. Disabled
	 * headcount over both years 50 + 60; non-disabled 100 + 5 + 110. */
	CHECK_COUNTS(fx_row(r, "WDES3", NULL, "overall", NULL, NULL), 1, 110, 0, 215);
	/* WRES 4 has no training data: left out with a note. */
	CHECK(fx_row(r, "WRES4", NULL, NULL, NULL, NULL) == NULL);
	/* Comparisons of headcount measures put the compared group first. */
	const parity_result_row *cmp = fx_row(r, "disciplinary", "ethnic_category", "overall",
	                                      NULL, NULL);
	CHECK(cmp != NULL);
	if (cmp) {
		CHECK_STR(cmp->group1, "N");
		CHECK_STR(cmp->group2, "A");
	}
	parity_results_free(r);

	r = analyse(store, "2024/25", PARITY_CI_KATZ, 1, 0);
	row = fx_row(r, "WRES3", NULL, "overall", NULL, NULL);
	CHECK_COUNTS(row, 4, 60, 3, 110);
	if (row) {
		CHECK_NEAR(row->ratio.ratio, 2.444444444, 1e-9);
		CHECK_STR(row->snapshots, "2025-03");
	}
	parity_results_free(r);

	r = analyse(store, "2024/25", PARITY_CI_KATZ, 2, 1);
	row = fx_row(r, "WRES3", NULL, "overall", NULL, NULL);
	CHECK_COUNTS(row, 8, 130, 5, 220);
	if (row)
		CHECK_NEAR(row->ratio.ratio, 2.707692308, 1e-9);
	parity_results_free(r);

	/* The first year has no year before it in the data. */
	r = analyse(store, "2023/24", PARITY_CI_KATZ, 2, 0);
	row = fx_row(r, "WRES3", NULL, "overall", NULL, NULL);
	CHECK_COUNTS(row, 3, 50, 2, 100);
	if (row) {
		CHECK(strstr(row->flags, "window_incomplete") != NULL);
		CHECK_STR(row->window, "2023/24");
	}
	parity_results_free(r);

	/* A quarter without a snapshot (April-June 2024) takes the latest
	 * before it, 31 March 2024 (flagged): BME 4/50, White 3/100. */
	r = analyse(store, "2024-Q2", PARITY_CI_KATZ, 1, 0);
	row = fx_row(r, "WRES3", NULL, "overall", NULL, NULL);
	CHECK_COUNTS(row, 4, 50, 3, 100);
	if (row) {
		CHECK(strstr(row->flags, "headcount_before_period") != NULL);
		CHECK_STR(row->snapshots, "2024-03");
	}
	parity_results_free(r);
	fx_close(store);
}

/* Kline: posts at band 6 (27/39 vs 7/21) and band 7 (10/75 vs 12/225),
 * ladder from band 5. Band 5 to 7 = 2.076923077 x 2.5 = 5.192307692;
 * Katz variances 1/27 - 1/39 + 1/7 - 1/21 = 0.106634107 and
 * 1/10 - 1/75 + 1/12 - 1/225 = 0.165555556 add: interval
 * exp(ln 5.192307692 -/+ 1.959963985 sqrt(0.272189663)) = 1.867554401 to
 * 14.43602348 (hand calculation). */
static void test_analyse_kline_compound(void)
{
	fx_open();
	fx_apps("X", "2024-06-01", "A", "F", "N", "5", 10, 10, 5);
	fx_apps("X", "2024-06-01", "H", "F", "N", "5", 10, 10, 5);
	fx_apps("X", "2024-06-01", "A", "F", "N", "6", 39, 39, 27);
	fx_apps("X", "2024-06-01", "H", "F", "N", "6", 21, 21, 7);
	fx_apps("X", "2024-06-01", "A", "F", "N", "7", 75, 75, 10);
	fx_apps("X", "2024-06-01", "H", "F", "N", "7", 225, 225, 12);
	parity_store *store = fx_store();
	parity_results *r = analyse(store, "2024/25", PARITY_CI_KATZ, 0, 0);
	const parity_result_row *six = fx_row(r, "WRES2", NULL, "kline", "band 5 to 6", NULL);
	const parity_result_row *seven = fx_row(r, "WRES2", NULL, "kline", "band 5 to 7", NULL);
	CHECK(six && seven);
	if (six)
		CHECK_NEAR(six->ratio.ratio, 2.076923077, 1e-9);
	if (seven) {
		CHECK_NEAR(seven->ratio.ratio, 5.192307692, 1e-9);
		CHECK_NEAR(seven->ratio.ci_low, 1.867554401, 1e-8);
		CHECK_NEAR(seven->ratio.ci_high, 14.43602348, 1e-8);
		CHECK_STR(seven->steps, "6;7");
		CHECK_STR(seven->estimate, "kline-compound");
	}
	parity_results_free(r);
	fx_close(store);
}

/* Each category against its reference, and ethnicity crossed with sex. By
 * construction (shortlisted/appointed): A F 20/10, A M 20/8, H F 10/2,
 * H M 10/3, N F 10/4. */
static void test_analyse_comparisons_and_intersections(void)
{
	fx_open();
	fx_apps("X", "2024-06-01", "A", "F", "N", "5", 20, 20, 10);
	fx_apps("X", "2024-06-01", "A", "M", "N", "5", 20, 20, 8);
	fx_apps("X", "2024-06-01", "H", "F", "N", "5", 10, 10, 2);
	fx_apps("X", "2024-06-01", "H", "M", "N", "5", 10, 10, 3);
	fx_apps("X", "2024-06-01", "N", "F", "N", "5", 10, 10, 4);
	parity_store *store = fx_store();
	parity_results *r = analyse(store, "2024/25", PARITY_CI_KATZ, 0, 0);
	/* White British (A) first for a favourable outcome. */
	const parity_result_row *h = fx_row(r, "appointment", "ethnic_category", "overall",
	                                    NULL, "H");
	CHECK_COUNTS(h, 18, 40, 5, 20);
	if (h)
		CHECK_STR(h->group1, "A");
	CHECK_COUNTS(fx_row(r, "appointment", "ethnic_category", "overall", NULL, "N"),
	             18, 40, 4, 10);
	/* Sex: men (the default reference) against women. */
	CHECK_COUNTS(fx_row(r, "appointment", "sex", "overall", NULL, "F"), 11, 30, 16, 40);
	/* BME women against White men; White women against White men. */
	const parity_result_row *bf = fx_row(r, "appointment", "white_bme*sex", "overall", NULL,
	                                     "BME F");
	CHECK_COUNTS(bf, 8, 20, 6, 20);
	if (bf)
		CHECK_STR(bf->group1, "White M");
	CHECK_COUNTS(fx_row(r, "appointment", "white_bme*sex", "overall", NULL, "White F"),
	             8, 20, 10, 20);
	/* A chosen reference: H instead of A. */
	parity_analyse_options options;
	parity_analyse_options_default(&options);
	options.period = "2024/25";
	options.references[0].characteristic = "ethnic_category";
	options.references[0].code = "H";
	options.reference_count = 1;
	parity_results *chosen = NULL;
	CHECK(parity_analyse_run(&chosen, store, &options) == 0);
	CHECK_COUNTS(fx_row(chosen, "appointment", "ethnic_category", "overall", NULL, "A"),
	             5, 20, 18, 40);
	parity_results_free(chosen);
	/* An unknown characteristic is a usage error. */
	options.references[0].characteristic = "shoe_size";
	CHECK(parity_analyse_run(&chosen, store, &options) == PARITY_EUSAGE);
	parity_results_free(r);
	fx_close(store);
}

/* Periods: a calendar year and a month; no data is an error. */
static void test_analyse_periods(void)
{
	fx_open();
	fx_apps("X", "2024-06-01", "A", "F", "N", "5", 10, 10, 5);
	fx_apps("X", "2024-06-01", "H", "F", "N", "5", 10, 10, 2);
	fx_apps("X", "2025-03-01", "A", "F", "N", "5", 10, 10, 4);
	fx_apps("X", "2025-03-01", "H", "F", "N", "5", 10, 10, 4);
	parity_store *store = fx_store();
	parity_results *r = analyse(store, "2024", PARITY_CI_KATZ, 0, 0);
	CHECK_COUNTS(fx_row(r, "WRES2", NULL, "overall", NULL, NULL), 5, 10, 2, 10);
	parity_results_free(r);
	r = analyse(store, "2025-03", PARITY_CI_KATZ, 0, 0);
	CHECK_COUNTS(fx_row(r, "WRES2", NULL, "overall", NULL, NULL), 4, 10, 4, 10);
	if (r)
		CHECK_STR(r->period, "2025-03");
	parity_results_free(r);
	r = analyse(store, "2024/25", PARITY_CI_KATZ, 0, 0);
	CHECK_COUNTS(fx_row(r, "WRES2", NULL, "overall", NULL, NULL), 9, 20, 6, 20);
	/* Trend: one financial year, which the data starts part-way into. */
	CHECK(r && r->trend_count >= 1);
	if (r && r->trend_count) {
		CHECK_STR(r->trend[0].period, "2024/25");
		CHECK(strstr(r->trend[0].flags, "period_partly_covered") != NULL);
	}
	parity_results_free(r);
	parity_results *none = NULL;
	parity_analyse_options options;
	parity_analyse_options_default(&options);
	options.period = "2019/20";
	CHECK(parity_analyse_run(&none, store, &options) == PARITY_EDATA);
	CHECK(none == NULL);
	options.period = "2024/25";
	options.kline_from = "12";
	CHECK(parity_analyse_run(&none, store, &options) == PARITY_EUSAGE);
	fx_close(store);
}

/* Runs kept in the database: begin, finish (ok and failed), list. */
static void test_analyse_history(void)
{
	fx_open();
	fx_apps("X", "2024-06-01", "A", "F", "N", "5", 10, 10, 5);
	fx_apps("X", "2024-06-01", "H", "F", "N", "5", 10, 10, 2);
	parity_store *store = fx_store();
	int64_t first = 0, second = 0;
	parity_results *r = analyse(store, "2024/25", PARITY_CI_KOOPMAN, 0, 0);
	CHECK(parity_history_begin(&first, store, NULL) == 0);
	CHECK(parity_history_finish(store, first, r, "ok", NULL) == 0);
	CHECK(parity_history_begin(&second, store, NULL) == 0);
	CHECK(second == first + 1);
	CHECK(parity_history_finish(store, second, NULL, "failed", "disk full") == 0);
	CHECK(parity_history_finish(store, 999, NULL, "ok", NULL) == PARITY_EUSAGE);
	parity_run_record *runs = NULL;
	size_t count = 0;
	CHECK(parity_history_list(&runs, &count, store) == 0);
	CHECK(count == 2);
	if (count == 2 && r) {
		CHECK_STR(runs[0].status, "ok");
		CHECK_STR(runs[0].period, "2024/25");
		CHECK(runs[0].rows == r->count + r->trend_count);
		CHECK(runs[0].finished[0] != '\0');
		CHECK_STR(runs[1].status, "failed");
		CHECK(runs[1].rows == 0);
		CHECK_STR(runs[0].engine_version, parity_version());
	}
	free(runs);
	parity_results_free(r);
	/* The history is kept in the database, not in the open store: closed
	 * and opened again (read-only), the same two runs are listed. */
	parity_store_close(store);
	store = NULL;
	CHECK(parity_store_open(&store, fx.db, 0) == 0);
	runs = NULL;
	count = 0;
	CHECK(store && parity_history_list(&runs, &count, store) == 0);
	CHECK(count == 2);
	if (count == 2) {
		CHECK(runs[0].id == first && runs[1].id == second);
		CHECK_STR(runs[0].status, "ok");
		CHECK_STR(runs[1].status, "failed");
	}
	free(runs);
	fx_close(store);
}

/* Finding rows and selecting a view for a renderer. */
static void test_analyse_find_and_select(void)
{
	fx_open();
	fx_apps("P", "2024-06-01", "A", "F", "N", "5", 30, 30, 12);
	fx_apps("P", "2024-06-01", "H", "F", "N", "6", 30, 30, 8);
	fx_apps("Q", "2024-06-01", "A", "F", "N", "5", 30, 30, 15);
	fx_apps("Q", "2024-06-01", "H", "F", "N", "6", 30, 30, 9);
	parity_store *store = fx_store();
	parity_results *r = analyse(store, "2024/25", PARITY_CI_KOOPMAN, 0, 0);
	const parity_result_row *p = parity_results_find(r, NULL, "WRES2", "organisation",
	                                                 NULL, "2024/25", 0);
	CHECK(p && !strcmp(p->stratum, "P"));
	const parity_result_row *q = parity_results_find(r, p, "WRES2", "organisation",
	                                                 NULL, "2024/25", 0);
	CHECK(q && !strcmp(q->stratum, "Q"));
	CHECK(parity_results_find(r, q, "WRES2", "organisation", NULL, "2024/25", 0) == NULL);
	static const char *const inds[] = {"WRES2", NULL};
	static const char *const kinds[] = {"organisation", "overall", NULL};
	parity_results *view = NULL;
	CHECK(parity_results_select(&view, r, inds, kinds, 0) == 0);
	CHECK(view && view->count == 3); /* P, Q and overall; no pooled row */
	if (view)
		CHECK_STR(view->period, "2024/25");
	parity_results_free(view);
	parity_results_free(r);
	fx_close(store);
}

static void test_analyse_pooled_zero_has_no_p(void)
{
	/* No White applicant appointed in either organisation: R = 0, the
	 * pooled ratio is 0, Greenland-Robins' variance is undefined and no z
	 * test is made (docs/methods.md), so results.csv leaves p_pooled empty. Was:
	 * p_pooled = 1. */
	fx_open();
	fx_apps("P", "2024-06-01", "A", "F", "N", "5", 30, 30, 0);
	fx_apps("P", "2024-06-01", "H", "F", "N", "6", 30, 30, 8);
	fx_apps("Q", "2024-06-01", "A", "F", "N", "5", 30, 30, 0);
	fx_apps("Q", "2024-06-01", "H", "F", "N", "6", 30, 30, 9);
	parity_store *store = fx_store();
	parity_results *r = analyse(store, "2024/25", PARITY_CI_KOOPMAN, 0, 0);
	const parity_result_row *pooled = parity_results_find(r, NULL, "WRES2", "organisation",
	                                                      NULL, "2024/25", 1);
	CHECK(pooled && pooled->pool.estimable && pooled->pool.ratio == 0);
	char path[] = "/tmp/parity-test-pooled-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
	CHECK(parity_results_write_csv(r, path) == 0);
	FILE *f = fopen(path, "r");
	char line[4096], header[4096];
	int found = 0;
	if (f && fgets(header, sizeof header, f)) {
		/* The p_pooled field of the pooled organisation row. */
		size_t column = 0;
		for (char *h = header; h && strncmp(h, "p_pooled,", 9); h = strchr(h, ','), h = h ? h + 1 : h)
			column++;
		while (fgets(line, sizeof line, f))
			if (strstr(line, "All organisations (pooled)") && !strncmp(line, "WRES2,", 6)) {
				char *field = line;
				for (size_t k = 0; k < column && field; k++)
					field = strchr(field, ',') ? strchr(field, ',') + 1 : NULL;
				CHECK(field && *field == ',');
				found = 1;
			}
	}
	CHECK(found);
	if (f)
		fclose(f);
	unlink(path);
	parity_results_free(r);
	fx_close(store);
}

int main(void)
{
	parity_init();
	RUN(test_analyse_wres2_katz_reference);
	RUN(test_analyse_pooled_over_organisations);
	RUN(test_analyse_wres3_window_and_bank);
	RUN(test_analyse_kline_compound);
	RUN(test_analyse_comparisons_and_intersections);
	RUN(test_analyse_periods);
	RUN(test_analyse_history);
	RUN(test_analyse_find_and_select);
	RUN(test_analyse_pooled_zero_has_no_p);
	return HARNESS_REPORT();
}
