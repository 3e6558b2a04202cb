/*
 * test_analyse_cohort.c: mentoring cohorts: the cohort file's checks (each
 * error names its line), and the before/after ratio of ratios, comparators
 * and difference-in-differences on stores whose counts are set by
 * construction, against hand calculations with the Altman & Bland
 * arithmetic (DOMAIN.md section 4).
 */
#include "harness.h"
#include "test_analyse_fixture.h"

#include <math.h>

static int write_text(const char *name, const char *text, char *path, size_t size)
{
	snprintf(path, size, "%s/%s", fx.dir, name);
	FILE *out = fopen(path, "w");
	if (!out)
		return -1;
	fputs(text, out);
	return fclose(out);
}

#define HEADER "cohort_id,name,organisations,start_date,end_date,pairs\n"

/* Load `text` as a cohort file; returns the error code, message in msg. */
static int load(parity_cohorts **out, const char *text, parity_store *store, char *msg,
                size_t size)
{
	char path[256];
	*out = NULL;
	if (write_text("cohorts.csv", text, path, sizeof path))
		return -99;
	int rc = parity_cohorts_load(out, path, store);
	snprintf(msg, size, "%s", rc ? parity_error_last() : "");
	return rc;
}

static void test_cohort_file_checks(void)
{
	parity_cohorts *c = NULL;
	char msg[512];
	fx_open();
	fx_apps("R0A", "2024-06-01", "A", "F", "N", "5", 2, 2, 1);
	parity_store *store = fx_store();

	CHECK(load(&c, HEADER "RMC1,Mentoring,R0A; R0B ;,2023-04-01,2024-03-31,30\n",
	           store, msg, sizeof msg) == 0);
	CHECK(c && c->count == 1);
	if (c && c->count == 1) {
		const parity_cohort *k = &c->items[0];
		CHECK_STR(k->id, "RMC1");
		CHECK(k->organisation_count == 2);
		CHECK_STR(k->organisations[1], "R0B");
		CHECK(k->start.year == 2023 && k->end.month == 3 && k->pairs == 30);
		/* R0B is not in the store: a warning naming the line. */
		CHECK(c->warning_count == 1);
		if (c->warning_count)
			CHECK(strstr(c->warnings[0], "cohorts.csv:2: organisation R0B has no data"));
	}
	parity_cohorts_free(c);

	CHECK(load(&c, HEADER "A,a,R0A,2023-04-01,2024-03-31,\n"
	               "B,b,R0A,2023-04-01,2023-03-31,\n", store, msg, sizeof msg) ==
	      PARITY_EDATA);
	CHECK(strstr(msg, "cohorts.csv:3: end_date 2023-03-31 is before start_date "
	                  "2023-04-01") != NULL);
	CHECK(load(&c, HEADER "A,a,R0A/x,2023-04-01,2024-03-31,\n", store, msg,
	           sizeof msg) == PARITY_EDATA);
	CHECK(strstr(msg, "cohorts.csv:2: organisation \"R0A/x\" contains a path "
	                  "separator") != NULL);
	CHECK(load(&c, HEADER "..\\a,a,R0A,2023-04-01,2024-03-31,\n", store, msg,
	           sizeof msg) == PARITY_EDATA);
	CHECK(strstr(msg, "cohort_id") && strstr(msg, "path separator"));
	CHECK(load(&c, HEADER "A,a,R0A,2023-04-01,2024-03-31,\nA,b,R0A,2023-04-01,"
	               "2024-03-31,\n", store, msg, sizeof msg) == PARITY_EDATA);
	CHECK(strstr(msg, "cohorts.csv:3: cohort_id A is used again (first on line 2)"));
	CHECK(load(&c, HEADER "A,a,R0A,2023-02-30,2024-03-31,\n", store, msg,
	           sizeof msg) == PARITY_EDATA);
	CHECK(strstr(msg, "cohorts.csv:2: column 'start_date'") != NULL);
	CHECK(load(&c, HEADER "A,a, ; ,2023-04-01,2024-03-31,\n", store, msg,
	           sizeof msg) == PARITY_EDATA);
	CHECK(strstr(msg, "cohorts.csv:2: no organisations") != NULL);
	CHECK(load(&c, HEADER "A,a,R0A,2023-04-01,2024-03-31,many\n", store, msg,
	           sizeof msg) == PARITY_EDATA);
	CHECK(strstr(msg, "pairs \"many\"") != NULL);
	CHECK(load(&c, "cohort_id,name,organisations,start_date\n", store, msg,
	           sizeof msg) == PARITY_EDATA);
	CHECK(strstr(msg, "missing column 'end_date'") != NULL);
	CHECK(load(&c, HEADER, store, msg, sizeof msg) == PARITY_EDATA);
	CHECK(strstr(msg, "no cohorts") != NULL);
	/* Without a store, no organisation check (and no pairs column). */
	CHECK(load(&c, "cohort_id,name,organisations,start_date,end_date\n"
	               "A,a,ZZZ,2023-04-01,2024-03-31\n", NULL, msg, sizeof msg) == 0);
	CHECK(c && c->warning_count == 0 && c->items[0].pairs == -1);
	parity_cohorts_free(c);
	CHECK(parity_cohorts_load(&c, "/nonexistent/cohorts.csv", NULL) == PARITY_ENOINPUT);
	fx_close(store);
}

/* Applications for one window: White then BME, shortlisted/appointed. */
static void window_apps(const char *org, const char *date, unsigned white_n,
                        unsigned white_x, unsigned bme_n, unsigned bme_x)
{
	fx_apps(org, date, "A", "F", "N", "5", white_n, white_n, white_x);
	fx_apps(org, date, "N", "F", "N", "5", bme_n, bme_n, bme_x);
}

static const parity_cohort_result *find(const parity_results *r, const char *cohort,
                                        const char *arm)
{
	for (size_t i = 0; r && i < r->cohort_count; i++)
		if (!strcmp(r->cohorts[i].cohort_id, cohort) &&
		    !strcmp(r->cohorts[i].indicator, "WRES2") && !strcmp(r->cohorts[i].arm, arm))
			return &r->cohorts[i];
	return NULL;
}

/*
 * Two cohorts with the same dates (programme 2023/24: before window
 * 2022/23, after 2024/25) and one comparator:
 *   C1 = org C: before 27/39 vs 7/21 (2.076923077), after 10/75 vs 12/225
 *        (2.5). One stratum, so Mantel-Haenszel with Greenland-Robins is the
 *        Katz ratio and variance: 0.106634107 before, 0.165555556 after.
 *        Ratio of ratios 2.5 / 2.076923077 = 1.203703704, SE sqrt(0.272189663)
 *        = 0.521717991, interval exp(ln 1.2037 -/+ 1.959964 x 0.521718) =
 *        0.432944710 to 3.346622726, z = 0.355371, p = 0.722312: no
 *        detectable change.
 *   C2 = org D: before 450/1000 vs 250/1000 (1.8), after 275/1000 vs
 *        250/1000 (1.1): ratio of ratios 0.611111111, variances 0.004222222
 *        and 0.005636364, interval 0.503041747 to 0.742397211: improved
 *        (the interval lies below 1 and the ratio started above 1).
 *   K (in no cohort): 36/40 vs 16/80 in both windows: ratio of ratios 1,
 *        variance 2 x (1/36 - 1/40 + 1/16 - 1/80) = 0.105555556.
 * C1's comparators are K only: D is in an overlapping cohort.
 * Difference-in-differences for C1: 1.203703704 / 1, SE sqrt(0.272189663 +
 * 0.105555556) = 0.614610, interval 0.360879971 to 4.014915553.
 * (Hand calculations with Python's math module.)
 */
static void test_cohort_before_after(void)
{
	char path[256];
	fx_open();
	window_apps("C", "2022-06-01", 39, 27, 21, 7);
	window_apps("C", "2024-06-01", 75, 10, 225, 12);
	window_apps("D", "2022-06-01", 1000, 450, 1000, 250);
	window_apps("D", "2024-06-01", 1000, 275, 1000, 250);
	window_apps("K", "2022-06-01", 40, 36, 80, 16);
	window_apps("K", "2024-06-01", 40, 36, 80, 16);
	/* Data to the end of 2024/25, so the after window is complete (an
	 * application not shortlisted adds nothing to any ratio). */
	fx_apps("K", "2025-03-15", "A", "F", "N", "5", 1, 0, 0);
	parity_store *store = fx_store();
	CHECK(write_text("c.csv", HEADER "C1,One,C,2023-04-01,2024-03-31,10\n"
	                                 "C2,Two,D,2023-04-01,2024-03-31,\n", path,
	                 sizeof path) == 0);
	parity_cohorts *cohorts = NULL;
	CHECK(parity_cohorts_load(&cohorts, path, store) == 0);
	parity_analyse_options options;
	parity_analyse_options_default(&options);
	options.period = "2024/25";
	options.cohorts = cohorts;
	parity_results *r = NULL;
	CHECK(parity_analyse_run(&r, store, &options) == 0);

	const parity_cohort_result *c1 = find(r, "C1", "cohort");
	CHECK(c1 != NULL);
	if (c1) {
		CHECK_STR(c1->before_window, "2022-04 to 2023-03");
		CHECK_STR(c1->after_window, "2024-04 to 2025-03");
		CHECK_STR(c1->organisations, "C");
		CHECK(c1->before_counts.x1 == 27 && c1->after_counts.n2 == 225);
		CHECK_NEAR(c1->before.ratio, 2.076923077, 1e-9);
		CHECK_NEAR(c1->after.ratio, 2.5, 1e-9);
		CHECK_NEAR(c1->change.ratio, 1.203703704, 1e-9);
		CHECK_NEAR(c1->change.se, 0.521717991, 1e-8);
		CHECK_NEAR(c1->change.ci_low, 0.432944710, 1e-8);
		CHECK_NEAR(c1->change.ci_high, 3.346622726, 1e-8);
		CHECK_NEAR(c1->change.p, 0.722311989, 1e-7);
		CHECK_STR(c1->verdict, "no detectable change");
		/* Minimum detectable change: exp(-/+ (z_0.975 + z_0.80) SE(d)) with
		 * z_0.975 + z_0.80 = 2.801585218112968 (python statistics.NormalDist)
		 * and SE(d) 0.521717991 above: 0.23185631951387298 and
		 * 4.3130159320076915, quoted in the statement (2 decimals). */
		CHECK_NEAR(c1->mdr_low, 0.23185631951387298, 1e-7);
		CHECK_NEAR(c1->mdr_high, 4.3130159320076915, 1e-7);
		CHECK(strstr(c1->statement, "below 0.23 or above 4.31") != NULL);
	}
	const parity_cohort_result *k1 = find(r, "C1", "comparators");
	CHECK(k1 != NULL);
	if (k1) {
		CHECK_STR(k1->organisations, "K");
		CHECK_NEAR(k1->change.ratio, 1.0, 1e-12);
		CHECK_NEAR(k1->change.se, sqrt(0.105555556), 1e-8);
		CHECK_STR(k1->verdict, "no detectable change");
		CHECK_NEAR(k1->mdr_high, 2.484858792349212, 1e-7); /* the same rule */
	}
	const parity_cohort_result *d1 = find(r, "C1", "difference");
	CHECK(d1 != NULL);
	if (d1) {
		CHECK_NEAR(d1->change.ratio, 1.203703704, 1e-9);
		CHECK_NEAR(d1->change.ci_low, 0.360879971, 1e-8);
		CHECK_NEAR(d1->change.ci_high, 4.014915553, 1e-8);
		CHECK_STR(d1->verdict, "no detectable change");
	}
	const parity_cohort_result *c2 = find(r, "C2", "cohort");
	CHECK(c2 != NULL);
	if (c2) {
		CHECK_NEAR(c2->change.ratio, 0.611111111, 1e-9);
		CHECK_NEAR(c2->change.ci_low, 0.503041747, 1e-8);
		CHECK_NEAR(c2->change.ci_high, 0.742397211, 1e-8);
		CHECK_STR(c2->verdict, "improved");
		CHECK(strstr(c2->statement, "improved") != NULL);
		CHECK(strstr(c2->statement, "could detect only") == NULL);
		CHECK(c2->mdr_high > 1.0); /* in the columns all the same */
	}
	/* Trend rows carry the phases; the marks carry the dates. */
	CHECK(r && r->mark_count == 2);
	if (r && r->mark_count == 2) {
		CHECK_STR(r->marks[0].start_date, "2023-04-01");
		CHECK_STR(r->marks[1].organisations, "D");
	}
	int marked = 0;
	for (size_t i = 0; r && i < r->trend_count; i++) {
		const parity_result_row *row = &r->trend[i];
		if (!strcmp(row->indicator, "WRES2") && !strcmp(row->stratum, "D") &&
		    !strcmp(row->period, "2022/23"))
			marked += !strcmp(row->cohorts, "C2:before");
		if (!strcmp(row->indicator, "WRES2") && !strcmp(row->stratum, "K"))
			marked += row->cohorts[0] ? 100 : 0;
	}
	CHECK(marked == 1);
	parity_results_free(r);

	/* An after window partly past the data (June 2024 to May 2025; the
	 * data ends in March 2025) is estimated with a caution; one wholly
	 * past it has no estimate. */
	parity_cohorts_free(cohorts);
	CHECK(write_text("late.csv", HEADER "L,Late,C,2023-06-01,2024-05-31,\n"
	                                    "M,Later,C,2025-01-01,2025-06-30,\n", path,
	                 sizeof path) == 0);
	CHECK(parity_cohorts_load(&cohorts, path, store) == 0);
	options.cohorts = cohorts;
	CHECK(parity_analyse_run(&r, store, &options) == 0);
	const parity_cohort_result *late = find(r, "L", "cohort");
	CHECK(late && strcmp(late->verdict, "no estimate") &&
	      strstr(late->note, "covers the after window only in part"));
	const parity_cohort_result *later = find(r, "M", "cohort");
	CHECK(later && !strcmp(later->verdict, "no estimate") &&
	      strstr(later->note, "after window starts after the appointment data ends"));
	parity_results_free(r);
	parity_cohorts_free(cohorts);
	fx_close(store);
}

/* A ratio that starts below 1 improves by rising toward it: before
 * 100/1000 vs 200/1000 (0.5), after 180/1000 vs 200/1000 (0.9): ratio of
 * ratios 1.8; variances 1/100 - 1/1000 + 1/200 - 1/1000 = 0.013 and
 * 1/180 - 1/1000 + 1/200 - 1/1000 = 0.008555556; interval
 * exp(ln 1.8 -/+ 1.959964 sqrt(0.021555556)) = 1.349897238 to 2.400182702:
 * improved. */
static void test_cohort_orientation(void)
{
	char path[256];
	fx_open();
	window_apps("E", "2022-06-01", 1000, 100, 1000, 200);
	window_apps("E", "2024-06-01", 1000, 180, 1000, 200);
	fx_apps("E", "2025-03-15", "A", "F", "N", "5", 1, 0, 0);
	parity_store *store = fx_store();
	CHECK(write_text("c.csv", HEADER "E1,E,E,2023-04-01,2024-03-31,\n", path,
	                 sizeof path) == 0);
	parity_cohorts *cohorts = NULL;
	CHECK(parity_cohorts_load(&cohorts, path, store) == 0);
	parity_analyse_options options;
	parity_analyse_options_default(&options);
	options.period = "2024/25";
	options.cohorts = cohorts;
	parity_results *r = NULL;
	CHECK(parity_analyse_run(&r, store, &options) == 0);
	const parity_cohort_result *e = find(r, "E1", "cohort");
	CHECK(e != NULL);
	if (e) {
		CHECK_NEAR(e->change.ratio, 1.8, 1e-9);
		CHECK_NEAR(e->change.ci_low, 1.349897238, 1e-8);
		CHECK_NEAR(e->change.ci_high, 2.400182702, 1e-8);
		CHECK_STR(e->verdict, "improved");
	}
	/* No comparators: every organisation is in the cohort. */
	const parity_cohort_result *k = find(r, "E1", "comparators");
	CHECK(k && !strcmp(k->verdict, "no estimate"));
	const parity_cohort_result *d = find(r, "E1", "difference");
	CHECK(d && !strcmp(d->verdict, "no estimate"));
	parity_results_free(r);
	parity_cohorts_free(cohorts);
	fx_close(store);
}

int main(void)
{
	parity_init();
	RUN(test_cohort_file_checks);
	RUN(test_cohort_before_after);
	RUN(test_cohort_orientation);
	return HARNESS_REPORT();
}
