/*
 * period.c: date parsing and validation, and reporting periods as spans of
 * whole months (financial years, calendar years, quarters, months, rolling
 * twelve months, ranges of them, and "all").
 */
#include "parity/period.h"

#include "parity/common.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

static int days_in_month(int year, int month)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (month == 2) {
		int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
		return leap ? 29 : 28;
	}
	return days[month - 1];
}

/* Read exactly `count` digits from *p into *value, advancing *p. */
static int read_digits(const char **p, int min, int max, int *value)
{
	int n = 0, v = 0;
	while (n < max && isdigit((unsigned char)**p)) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < min)
		return -1;
	*value = v;
	return 0;
}

/* A month name's number (1-12) from its first three letters, any case,
 * advancing *p past the name ("MAR", "Mar", "March"); 0 when none. */
static int read_month_name(const char **p)
{
	static const char *const names[] = {"january", "february", "march", "april",
	                                    "may", "june", "july", "august",
	                                    "september", "october", "november",
	                                    "december"};
	char word[16];
	size_t len = 0;
	while (isalpha((unsigned char)(*p)[len]) && len < sizeof word - 1) {
		word[len] = (char)tolower((unsigned char)(*p)[len]);
		len++;
	}
	word[len] = '\0';
	if (len < 3)
		return 0;
	for (int m = 0; m < 12; m++)
		if ((len == 3 && !strncmp(word, names[m], 3)) || !strcmp(word, names[m]) ||
		    (m == 8 && !strcmp(word, "sept"))) {
			*p += len;
			return m + 1;
		}
	return 0;
}

int parity_date_parse(parity_date *out, const char *text)
{
	return parity_date_parse_as(out, text, PARITY_DATE_DAY_FIRST);
}

int parity_date_parse_as(parity_date *out, const char *text, parity_date_order order)
{
	const char *p = text;
	int year = 0, month = 0, day = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	const char *start = p;

	if (read_digits(&p, 4, 4, &year) == 0 && (*p == '-' || *p == '/')) {
		/* Year first (ISO 2025-03-31, or 2025/03/31): never ambiguous. */
		char sep = *p++;
		int least = sep == '-' ? 2 : 1; /* ISO always writes two digits */
		if (read_digits(&p, least, 2, &month) || *p != sep)
			goto bad;
		p++;
		if (read_digits(&p, least, 2, &day))
			goto bad;
	} else {
		int first = 0, second = 0;
		p = start;
		if (read_digits(&p, 1, 2, &first))
			goto bad;
		char sep = *p;
		if (sep != '/' && sep != '-' && sep != '.' && sep != ' ')
			goto bad;
		p++;
		if (isalpha((unsigned char)*p)) {
			/* Oracle's DD-MON-YYYY (ESR: 31-MAR-2025), also 31 Mar 2025. */
			if (!(month = read_month_name(&p)) || *p != sep)
				goto bad;
			p++;
			day = first;
			const char *year_start = p;
			if (read_digits(&p, 2, 4, &year) || p - year_start == 3)
				goto bad;
			if (p - year_start == 2) /* Oracle's RR rule: 00-49 is 20xx */
				year += year < 50 ? 2000 : 1900;
		} else {
			if (sep == ' ' || read_digits(&p, 1, 2, &second) || *p != sep)
				goto bad;
			p++;
			if (read_digits(&p, 4, 4, &year))
				goto bad;
			day = order == PARITY_DATE_MONTH_FIRST ? second : first;
			month = order == PARITY_DATE_MONTH_FIRST ? first : second;
		}
	}
	/* Allow a time part after the date ("T09:15:00", " 00:00", a trailing
	 * Z or fraction of a second); nothing else. */
	if (*p == 'T' || *p == ' ') {
		const char *rest = p + 1;
		if (isdigit((unsigned char)*rest)) {
			p = rest;
			while (isdigit((unsigned char)*p) || *p == ':' || *p == '.')
				p++;
			if (*p == 'Z')
				p++;
		}
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		goto bad;
	if (year < 1900 || year > 2199 || month < 1 || month > 12)
		goto invalid;
	if (day < 1 || day > days_in_month(year, month))
		goto invalid;
	out->year = year;
	out->month = month;
	out->day = day;
	return 0;
bad:
	return parity_error_set(PARITY_EDATA,
	                        "\"%.40s\" is not a date (use YYYY-MM-DD, %s or "
	                        "DD-MON-YYYY, with or without a time)", text,
	                        order == PARITY_DATE_MONTH_FIRST ? "MM/DD/YYYY"
	                                                         : "DD/MM/YYYY");
invalid:
	return parity_error_set(PARITY_EDATA, "\"%.40s\" is not a real calendar date%s",
	                        text, order == PARITY_DATE_MONTH_FIRST
	                                      ? " (read as MM/DD/YYYY, the mapping's "
	                                        "date_format)"
	                                      : "");
}

int parity_date_month_index(const parity_date *date)
{
	return date->year * 12 + (date->month - 1);
}

void parity_month_label(char *out, int month)
{
	char text[32];
	if (month < 0)
		month = 0;
	snprintf(text, sizeof text, "%04d-%02d", (month / 12) % 10000, month % 12 + 1);
	memcpy(out, text, 8);
	out[7] = '\0';
}

void parity_period_financial_year(parity_period *out, int month)
{
	int year = month / 12;
	int m = month % 12 + 1;
	int start_year = m >= 4 ? year : year - 1;
	out->first_month = start_year * 12 + 3;
	out->last_month = out->first_month + 11;
	snprintf(out->label, sizeof out->label, "%04d/%02d", start_year % 10000,
	         (start_year + 1) % 100);
}

static void calendar_span(parity_period *out, int first, int months,
                          const char *label)
{
	out->first_month = first;
	out->last_month = first + months - 1;
	snprintf(out->label, sizeof out->label, "%s", label);
}

static int parse_one(parity_period *out, const char *text);

/* "YYYY-MM..YYYY-MM": the label every range gets, whatever its ends were
 * written as, so that the label alone says which months it covers. */
static void range_label(parity_period *out)
{
	char first[8], last[8];
	parity_month_label(first, out->first_month);
	parity_month_label(last, out->last_month);
	snprintf(out->label, sizeof out->label, "%s..%s", first, last);
}

int parity_period_parse(parity_period *out, const char *text)
{
	const char *dots = strstr(text, "..");
	if (!strcmp(text, "all") || !strcmp(text, "ALL") || !strcmp(text, "All")) {
		out->first_month = PARITY_PERIOD_ALL_FIRST;
		out->last_month = PARITY_PERIOD_ALL_LAST;
		snprintf(out->label, sizeof out->label, "all");
		return 0;
	}
	if (!dots)
		return parse_one(out, text);
	/* A range: from the first month of one period to the last of another
	 * ("2024-01..2025-12", "2022/23..2024/25"). */
	char left[64];
	parity_period from, to;
	size_t len = (size_t)(dots - text);
	if (len == 0 || len >= sizeof left || !dots[2] || strstr(dots + 2, ".."))
		return parity_error_set(PARITY_EUSAGE,
		                        "period range \"%.40s\" is not FIRST..LAST: give "
		                        "two periods joined by '..', such as 2024-01..2025-12",
		                        text);
	memcpy(left, text, len);
	left[len] = '\0';
	if (parse_one(&from, left) || parse_one(&to, dots + 2))
		return parity_error_set(PARITY_EUSAGE,
		                        "period range \"%.40s\": each end must be a financial "
		                        "year (2024/25), calendar year (2024), quarter "
		                        "(2024-Q1), month (2024-03) or rolling twelve months "
		                        "(R12-2025-03), such as 2024-01..2025-12", text);
	if (from.first_month > to.last_month)
		return parity_error_set(PARITY_EUSAGE,
		                        "period range \"%.40s\" runs backwards (it ends "
		                        "before it starts): write the earlier end first, "
		                        "as %s..%s", text, to.label, from.label);
	out->first_month = from.first_month;
	out->last_month = to.last_month;
	range_label(out);
	return 0;
}

static int parse_one(parity_period *out, const char *text)
{
	int year = 0, second = 0, number = 0;
	char tail;
	const char *s = text;
	if ((s[0] == 'F' || s[0] == 'f') && (s[1] == 'Y' || s[1] == 'y'))
		s += 2;
	while (*s == ' ')
		s++;

	/* Financial year: 2024/25 or 2024-25 */
	if (sscanf(s, "%4d%*[/-]%2d%c", &year, &second, &tail) == 2 &&
	    strlen(s) == 7 && (s[4] == '/' || s[4] == '-') &&
	    second == (year + 1) % 100) {
		parity_period_financial_year(out, year * 12 + 3);
		return 0;
	}
	/* Quarter: 2024-Q1 (calendar quarter) */
	if (sscanf(s, "%4d-Q%1d%c", &year, &number, &tail) == 2 && number >= 1 &&
	    number <= 4) {
		calendar_span(out, year * 12 + (number - 1) * 3, 3, s);
		return 0;
	}
	/* Rolling twelve months: R12-2025-03 */
	if (sscanf(s, "R12-%4d-%2d%c", &year, &number, &tail) == 2 && number >= 1 &&
	    number <= 12) {
		int last = year * 12 + number - 1;
		calendar_span(out, last - 11, 12, s);
		return 0;
	}
	/* Month: 2024-03 */
	if (strlen(s) == 7 && sscanf(s, "%4d-%2d%c", &year, &number, &tail) == 2 &&
	    number >= 1 && number <= 12) {
		calendar_span(out, year * 12 + number - 1, 1, s);
		return 0;
	}
	/* Calendar year: 2024 */
	if (strlen(s) == 4 && sscanf(s, "%4d%c", &year, &tail) == 1) {
		calendar_span(out, year * 12, 12, s);
		return 0;
	}
	return parity_error_set(PARITY_EUSAGE,
	                        "unknown period \"%.40s\": use a financial year (2024/25), "
	                        "calendar year (2024), quarter (2024-Q1), month (2024-03), "
	                        "rolling twelve months (R12-2025-03), a range of them "
	                        "(2024-01..2025-12) or all", text);
}

void parity_period_previous(parity_period *out, const parity_period *period)
{
	int length = period->last_month - period->first_month + 1;
	int first = period->first_month - length;
	char label[24];
	const char *old = period->label;
	int fy = strchr(old, '/') != NULL;
	if (fy) {
		parity_period_financial_year(out, first);
		return;
	}
	if (strstr(old, "..")) {
		calendar_span(out, first, length, "");
		range_label(out);
		return;
	}
	if (strncmp(old, "R12-", 4) == 0) {
		char month[8];
		parity_month_label(month, first + 11);
		snprintf(label, sizeof label, "R12-%s", month);
	} else if (strchr(old, 'Q')) {
		snprintf(label, sizeof label, "%04d-Q%d", first / 12, (first % 12) / 3 + 1);
	} else if (length == 1) {
		parity_month_label(label, first);
	} else {
		snprintf(label, sizeof label, "%04d", first / 12);
	}
	calendar_span(out, first, length, label);
}
