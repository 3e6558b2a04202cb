/*
 * test_analyse_check.c: the submission checker, one kind of problem at a
 * time. Each published figure is worked by hand from its counts in the
 * comment beside it; a clean file gives no problems.
 */
#include "harness.h"

#include "parity.h"
#include "parity/check.h"

#include <stdlib.h>
#include <unistd.h>

static char path[64];

#define HEADER "indicator,organisation,period,group1_numerator,group1_denominator," \
               "group2_numerator,group2_denominator,published_ratio"

/* Check `body` under HEADER (or `header` when given); the report or NULL. */
static parity_check_report *check_text(const char *header, const char *body, int *rc)
{
	snprintf(path, sizeof path, "/tmp/parity-check-XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		abort();
	FILE *out = fdopen(fd, "w");
	fprintf(out, "%s\n%s", header ? header : HEADER, body);
	fclose(out);
	parity_check_report *report = NULL;
	*rc = parity_check_file(&report, path);
	unlink(path);
	return report;
}

/* The kind of the only problem on `line`, or "" when none. */
static const char *kind_on(const parity_check_report *r, uint64_t line)
{
	const char *kind = "";
	for (size_t i = 0; r && i < r->count; i++)
		if (r->problems[i].line == line)
			kind = r->problems[i].kind;
	return kind;
}

/* 27/39 vs 7/21 = 2.076923 (DOMAIN.md): 2.08, 2.1 and 2 all agree at their
 * own precision; 1.545 style boundaries: 17/22 vs 1/2 = 1.545454... gives
 * 1.55 at two places and 1.5 at one. Thousands commas are read. */
static void test_check_clean(void)
{
	int rc;
	parity_check_report *r = check_text(NULL,
		"WDES2,X,2025/26,27,39,7,21,2.08\n"
		"WDES2,Y,2025/26,27,39,7,21,2.1\n"
		"WDES2,Z,2025/26,27,39,7,21,2\n"
		"WRES2,X,2025/26,17,22,1,2,1.55\n"
		"WRES2,Y,2025/26,17,22,1,2,1.5\n"
		"WRES3,X,2025/26,\"1,017\",\"2,000\",1,2,1.017\n", &rc);
	CHECK(rc == 0);
	CHECK(r && r->count == 0 && r->lines == 6);
	for (size_t i = 0; r && i < r->count; i++)
		fprintf(stderr, "unexpected: line %llu %s\n",
		        (unsigned long long)r->problems[i].line, r->problems[i].message);
	parity_check_report_free(r);
}

static void test_check_each_problem(void)
{
	int rc;
	parity_check_report *r = check_text(NULL,
		/* 2: exact 1.0079 -> 1.01, published 1.02 */
		"WRES2,A,2025/26,121,417,169,587,1.02\n"
		/* 3: "1.01%" */
		"WRES2,B,2025/26,121,417,169,587,1.01%\n"
		/* 4: 101 = 1.01 as a percentage */
		"WRES2,C,2025/26,121,417,169,587,101\n"
		/* 5: 17/1400 = 1.214% -> 1.2%, 9/1300 = 0.692% -> 0.7%: 1.714
		 * -> 1.7; exact 1.754 -> 1.8 (DOMAIN.md) */
		"WRES3,D,2025/26,17,1400,9,1300,1.7\n"
		/* 6: whole percentages 1% / 1% = 1, exact 1.754 -> 2 */
		"WRES3,E,2025/26,17,1400,9,1300,1\n"
		/* 7: 7/21 over 27/39 = 0.4815 -> 0.48 */
		"WDES2,F,2025/26,27,39,7,21,0.48\n"
		/* 8: appointed 40 of 39 shortlisted */
		"WDES2,G,2025/26,40,39,7,21,2.08\n"
		/* 9: negative */
		"WDES2,H,2025/26,27,39,-7,21,2.08\n"
		/* 10: not a number */
		"WDES2,I,2025/26,27,3x9,7,21,2.08\n"
		/* 11: unknown indicator */
		"WRES7,J,2025/26,27,39,7,21,2.08\n"
		/* 12: a period that is not one */
		"WDES2,K,next year,27,39,7,21,2.08\n"
		/* 13: repeats line 2's key */
		"WRES2,A,2025/26,121,417,169,587,1.01\n"
		/* 14: group 2 has no case: no finite ratio */
		"WRES2,L,2025/26,5,10,0,10,2\n"
		/* 15: blank published ratio */
		"WRES2,M,2025/26,5,10,5,10,\n"
		/* 16: zero denominator */
		"WRES2,N,2025/26,0,0,5,10,1\n"
		/* 17: too few fields */
		"WRES2,O,2025/26,5,10\n", &rc);
	CHECK(rc == 0);
	CHECK_STR(kind_on(r, 2), "mismatch");
	CHECK_STR(kind_on(r, 3), "percentage_for_ratio");
	CHECK_STR(kind_on(r, 4), "percentage_for_ratio");
	CHECK_STR(kind_on(r, 5), "rounded_percentages");
	CHECK_STR(kind_on(r, 6), "rounded_percentages");
	CHECK_STR(kind_on(r, 7), "inverted_ratio");
	CHECK_STR(kind_on(r, 8), "numerator_exceeds_denominator");
	CHECK_STR(kind_on(r, 9), "negative_count");
	CHECK_STR(kind_on(r, 10), "bad_value");
	CHECK_STR(kind_on(r, 11), "unknown_indicator");
	CHECK_STR(kind_on(r, 12), "bad_period");
	CHECK_STR(kind_on(r, 13), "duplicate");
	CHECK_STR(kind_on(r, 14), "no_ratio_exists");
	CHECK_STR(kind_on(r, 15), "missing_ratio");
	CHECK_STR(kind_on(r, 16), "no_ratio_exists");
	CHECK_STR(kind_on(r, 17), "bad_line");
	CHECK(r && r->count == 16 && r->lines == 16);
	/* problems[6] and [3] are read only when there are that many (a short
	 * list would otherwise be read past its end). */
	if (r && r->count == 16) {
		const parity_check_problem *p = &r->problems[6];
		CHECK(p->line == 8);
		CHECK(strstr(p->message, "appointed 40 is greater than shortlisted 39") != NULL);
		CHECK_STR(p->organisation, "G");
		CHECK(strstr(r->problems[3].message, "1.2% / 0.7%") != NULL);
	}
	parity_check_report_free(r);
}

/* Published percentages, when given, are checked and explain the ratio:
 * 17/1400 = 1.214% published 1.2, 9/1300 = 0.692% published 0.7, ratio
 * 1.2/0.7 = 1.714 published 1.71 (exact 1.754 -> 1.75). A wrong
 * percentage (9/1300 published as 0.9) is its own problem. */
static void test_check_published_percentages(void)
{
	int rc;
	parity_check_report *r = check_text(HEADER ",group1_percent,group2_percent",
		"WRES3,A,2025/26,17,1400,9,1300,1.71,1.2,0.7\n"
		"WRES3,B,2025/26,17,1400,9,1300,1.75,1.2,0.9\n", &rc);
	CHECK(rc == 0);
	CHECK_STR(kind_on(r, 2), "rounded_percentages");
	CHECK_STR(kind_on(r, 3), "percent_mismatch");
	CHECK(r && r->count == 2);
	parity_check_report_free(r);
}

static void test_check_unusable_files(void)
{
	int rc;
	parity_check_report *r = check_text("indicator,organisation,period", "", &rc);
	CHECK(rc == PARITY_EDATA && r == NULL);
	CHECK(strstr(parity_error_last(), "missing column 'group1_numerator'") != NULL);
	CHECK(parity_check_file(&r, "/nonexistent/submission.csv") == PARITY_ENOINPUT);
	CHECK(r == NULL);
}

int main(void)
{
	parity_init();
	RUN(test_check_clean);
	RUN(test_check_each_problem);
	RUN(test_check_published_percentages);
	RUN(test_check_unusable_files);
	return HARNESS_REPORT();
}
