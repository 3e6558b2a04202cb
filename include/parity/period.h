/*
 * parity/period.h: dates and reporting periods. Dates are read in ISO
 * (2025-03-31) and UK (31/03/2025) forms and validated; periods are spans of
 * whole months: NHS financial years (1 April - 31 March, "2024/25"),
 * calendar years ("2024"), quarters ("2024-Q1"), months ("2024-03") and
 * rolling twelve months ("R12-2025-03", ending March 2025).
 */
#ifndef PARITY_PERIOD_H
#define PARITY_PERIOD_H

#ifdef __cplusplus
extern "C" {
#endif

/** A calendar date. */
typedef struct parity_date {
	int year;  /**< e.g. 2025 */
	int month; /**< 1-12 */
	int day;   /**< 1-31, valid for the month */
} parity_date;

/**
 * Parse a date as parity_date_parse_as does, day first: "YYYY-MM-DD",
 * "DD/MM/YYYY" (also "D/M/YYYY"), "31-MAR-2025", rejecting dates that
 * do not exist (2025-02-30). Surrounding blanks are ignored; an ISO value
 * with a time part ("2025-03-31T00:00:00" or "2025-03-31 09:15") is accepted.
 * Returns 0, or PARITY_EDATA with a message saying what was expected.
 */
int parity_date_parse(parity_date *out, const char *text);

/** How to read an all-numeric date whose year comes last. */
typedef enum parity_date_order {
	PARITY_DATE_DAY_FIRST = 0, /**< DD/MM/YYYY, the UK default */
	PARITY_DATE_MONTH_FIRST    /**< MM/DD/YYYY (mapping: date_format = MM/DD/YYYY) */
} parity_date_order;

/**
 * parity_date_parse with the order of day and month in numeric dates given:
 * accepts YYYY-MM-DD (or YYYY/MM/DD), DD/MM/YYYY or MM/DD/YYYY (separator
 * '/', '-' or '.'), and Oracle's DD-MON-YYYY or DD-MON-YY as ESR writes it
 * (31-MAR-2025; also "31 Mar 2025"), each with or without a time
 * ("31/03/2025 00:00", "2025-03-31T09:15:00"). Returns 0 or PARITY_EDATA.
 */
int parity_date_parse_as(parity_date *out, const char *text, parity_date_order order);

/** Months since year 0: year*12 + (month-1). The store's period key. */
int parity_date_month_index(const parity_date *date);

/** A span of whole months, inclusive, with its label. */
typedef struct parity_period {
	int first_month;  /**< month index of the first month */
	int last_month;   /**< month index of the last month */
	char label[24];   /**< "2024/25", "2024", "2024-Q1", "2024-03", "R12-2025-03" */
} parity_period;

/** The NHS financial year containing month index `month`. */
void parity_period_financial_year(parity_period *out, int month);

/** "all": parity_period_parse gives these bounds and the label "all"; the
 *  analysis replaces them with the months its data cover. */
#define PARITY_PERIOD_ALL_FIRST 0
#define PARITY_PERIOD_ALL_LAST (2199 * 12 + 11)

/**
 * Parse a period label in any of the forms above (also "FY2024/25" and
 * "2024-25"), a range FIRST..LAST of two of them ("2024-01..2025-12",
 * "2022/23..2024/25": the first month of FIRST to the last of LAST,
 * labelled "2024-01..2025-12"), or "all". Returns 0 or PARITY_EUSAGE
 * naming the accepted forms, or saying the range runs backwards.
 */
int parity_period_parse(parity_period *out, const char *text);

/** The same kind of period shifted back by its own length (the previous
 *  financial year, quarter, ...). */
void parity_period_previous(parity_period *out, const parity_period *period);

/** Write "YYYY-MM" for a month index into `out` (at least 8 bytes). */
void parity_month_label(char *out, int month);

#ifdef __cplusplus
}
#endif
#endif
