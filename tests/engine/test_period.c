/*
 * test_period.c: date validation and reporting periods.
 */
#include "harness.h"
#include "parity.h"

#include <string.h>

static int parses(const char *text)
{
	parity_date d;
	int rc = parity_date_parse(&d, text);
	parity_error_clear();
	return rc == 0;
}

static void test_period_dates_iso_and_uk(void)
{
	parity_date d;
	CHECK(parity_date_parse(&d, "2025-03-31") == 0 && d.year == 2025 &&
	      d.month == 3 && d.day == 31);
	CHECK(parity_date_parse(&d, "01/04/2024") == 0 && d.year == 2024 &&
	      d.month == 4 && d.day == 1);
	CHECK(parity_date_parse(&d, "1/4/2024") == 0 && d.month == 4 && d.day == 1);
	CHECK(parses("2025-03-31T09:15:00"));
	CHECK(parses(" 2025-03-31 "));
}

static void test_period_dates_that_do_not_exist(void)
{
	CHECK(!parses("2025-02-30"));
	CHECK(!parses("2023-02-29")); /* not a leap year */
	CHECK(parses("2024-02-29"));  /* leap year */
	CHECK(!parses("1900-02-29")); /* century, not a leap year */
	CHECK(parses("2000-02-29"));  /* divisible by 400 */
	CHECK(!parses("31/04/2024"));
	CHECK(!parses("2024-13-01"));
	CHECK(!parses("2024-1-01"));
	CHECK(!parses("yesterday"));
	CHECK(!parses(""));
	CHECK(!parses("2024-01-01x"));
}

static void test_period_financial_year(void)
{
	parity_period p;
	parity_date d = {2025, 3, 31};
	parity_period_financial_year(&p, parity_date_month_index(&d));
	CHECK_STR(p.label, "2024/25");
	d = (parity_date){2025, 4, 1};
	parity_period_financial_year(&p, parity_date_month_index(&d));
	CHECK_STR(p.label, "2025/26");
	CHECK(p.first_month == 2025 * 12 + 3);
	CHECK(p.last_month == 2026 * 12 + 2);
	d = (parity_date){1999, 12, 1};
	parity_period_financial_year(&p, parity_date_month_index(&d));
	CHECK_STR(p.label, "1999/00");
}

static void test_period_parse_labels(void)
{
	parity_period p;
	CHECK(parity_period_parse(&p, "2024/25") == 0 && p.first_month == 2024 * 12 + 3 &&
	      p.last_month == 2025 * 12 + 2);
	CHECK(parity_period_parse(&p, "FY2024/25") == 0 && !strcmp(p.label, "2024/25"));
	CHECK(parity_period_parse(&p, "2024-25") == 0 && !strcmp(p.label, "2024/25"));
	CHECK(parity_period_parse(&p, "2024") == 0 && p.first_month == 2024 * 12 &&
	      p.last_month == 2024 * 12 + 11);
	CHECK(parity_period_parse(&p, "2024-Q2") == 0 && p.first_month == 2024 * 12 + 3 &&
	      p.last_month == 2024 * 12 + 5);
	CHECK(parity_period_parse(&p, "2024-03") == 0 && p.first_month == 2024 * 12 + 2 &&
	      p.last_month == p.first_month);
	CHECK(parity_period_parse(&p, "R12-2025-03") == 0 &&
	      p.first_month == 2024 * 12 + 3 && p.last_month == 2025 * 12 + 2);
	CHECK(parity_period_parse(&p, "2024/26") == PARITY_EUSAGE);
	CHECK(parity_period_parse(&p, "last year") == PARITY_EUSAGE);
	parity_error_clear();
}

static void test_period_previous(void)
{
	parity_period p, q;
	parity_period_parse(&p, "2024/25");
	parity_period_previous(&q, &p);
	CHECK_STR(q.label, "2023/24");
	parity_period_parse(&p, "2024-Q1");
	parity_period_previous(&q, &p);
	CHECK_STR(q.label, "2023-Q4");
	parity_period_parse(&p, "2024-01");
	parity_period_previous(&q, &p);
	CHECK_STR(q.label, "2023-12");
	parity_period_parse(&p, "R12-2025-03");
	parity_period_previous(&q, &p);
	CHECK_STR(q.label, "R12-2024-03");
}

/* Issue 13: a span of months had to be analysed as two runs added by hand.
 * Month indexes are year*12 + (month-1) (period.h): January 2024 is
 * 2024*12 + 0, December 2025 is 2025*12 + 11; a range takes the first month
 * of its first end and the last month of its second. */
static void test_period_ranges_and_all(void)
{
	parity_period p, q;
	CHECK(parity_period_parse(&p, "2024-01..2025-12") == 0 &&
	      p.first_month == 2024 * 12 && p.last_month == 2025 * 12 + 11);
	CHECK_STR(p.label, "2024-01..2025-12");
	/* 2022/23 starts April 2022; 2024/25 ends March 2025. */
	CHECK(parity_period_parse(&p, "2022/23..2024/25") == 0 &&
	      p.first_month == 2022 * 12 + 3 && p.last_month == 2025 * 12 + 2);
	CHECK_STR(p.label, "2022-04..2025-03");
	CHECK(parity_period_parse(&p, "2024-03..2024-03") == 0 &&
	      p.first_month == p.last_month);
	/* The previous span of the same length: 24 months back. */
	parity_period_parse(&p, "2024-01..2025-12");
	parity_period_previous(&q, &p);
	CHECK(q.first_month == 2022 * 12 && q.last_month == 2023 * 12 + 11);
	CHECK_STR(q.label, "2022-01..2023-12");
	CHECK(parity_period_parse(&p, "all") == 0 && !strcmp(p.label, "all") &&
	      p.first_month == PARITY_PERIOD_ALL_FIRST &&
	      p.last_month == PARITY_PERIOD_ALL_LAST);
	/* Reversed and malformed ranges are usage errors that say so. */
	CHECK(parity_period_parse(&p, "2025-12..2024-01") == PARITY_EUSAGE &&
	      strstr(parity_error_last(), "runs backwards"));
	CHECK(parity_period_parse(&p, "2024-01..") == PARITY_EUSAGE);
	CHECK(parity_period_parse(&p, "..2024-01") == PARITY_EUSAGE);
	CHECK(parity_period_parse(&p, "2024-01..2024-13") == PARITY_EUSAGE);
	CHECK(parity_period_parse(&p, "2024-01..2024-06..2024-09") == PARITY_EUSAGE);
	CHECK(parity_period_parse(&p, "2024-01...2024-06") == PARITY_EUSAGE);
	parity_error_clear();
}

/* Issue 13: ESR's Oracle dates (31-MAR-2025) were refused on every row. The
 * expected dates are read off the text by hand. */
static void test_period_dates_as_hr_systems_write_them(void)
{
	parity_date d;
	CHECK(parity_date_parse(&d, "31-MAR-2025") == 0 && d.year == 2025 &&
	      d.month == 3 && d.day == 31);
	CHECK(parity_date_parse(&d, "01-Apr-2024") == 0 && d.year == 2024 &&
	      d.month == 4 && d.day == 1);
	CHECK(parity_date_parse(&d, "31-MAR-2025 00:00:00") == 0 && d.day == 31);
	CHECK(parity_date_parse(&d, "31 March 2025") == 0 && d.month == 3);
	/* Oracle's RR rule: 25 is 2025, 99 is 1999. */
	CHECK(parity_date_parse(&d, "31-MAR-25") == 0 && d.year == 2025);
	CHECK(parity_date_parse(&d, "31-DEC-99") == 0 && d.year == 1999);
	CHECK(parity_date_parse(&d, "31/03/2025 00:00") == 0 && d.month == 3 &&
	      d.day == 31);
	CHECK(parity_date_parse(&d, "2025-03-31T09:15:00") == 0 && d.day == 31);
	CHECK(parity_date_parse(&d, "2025-03-31T09:15:00Z") == 0);
	CHECK(parity_date_parse(&d, "31.03.2025") == 0 && d.month == 3);
	CHECK(parity_date_parse(&d, "2025/03/31") == 0 && d.day == 31);
	/* Day first by default; month first when the mapping says so. */
	CHECK(parity_date_parse(&d, "04/03/2025") == 0 && d.month == 3 && d.day == 4);
	CHECK(parity_date_parse_as(&d, "04/03/2025", PARITY_DATE_MONTH_FIRST) == 0 &&
	      d.month == 4 && d.day == 3);
	CHECK(parity_date_parse_as(&d, "03/31/2025", PARITY_DATE_MONTH_FIRST) == 0 &&
	      d.month == 3 && d.day == 31);
	CHECK(!parses("03/31/2025")); /* month 31 */
	CHECK(!parses("31-FOO-2025"));
	CHECK(!parses("30-FEB-2024"));
	CHECK(!parses("31-MAR-202"));
	CHECK(!parses("31-MAR-2025 later"));
}

int main(void)
{
	parity_init();
	RUN(test_period_dates_iso_and_uk);
	RUN(test_period_dates_that_do_not_exist);
	RUN(test_period_financial_year);
	RUN(test_period_parse_labels);
	RUN(test_period_previous);
	RUN(test_period_ranges_and_all);
	RUN(test_period_dates_as_hr_systems_write_them);
	return HARNESS_REPORT();
}
