/*
 * return_workbook.c: the annual return as the workbook an equality and
 * diversity lead keys into the national template: one .xlsx per standard
 * (libxlsxwriter), with a summary, a sheet per section (1 workforce, the
 * relative likelihoods, the board), definitions and data quality, and
 * cells for the lead's narrative. It draws only the published figures of
 * the return and of the analysis: counts and figures are numeric cells, a
 * hidden count is its mark ("<5", "[c]", "*") as text.
 */
#include "parity/return.h"

#include "parity/common.h"
#include "util/util.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

typedef struct book {
	lxw_workbook *wb;
	lxw_format *title, *bold, *header, *wrap, *percent, *count, *ratio, *narrative;
	const parity_return_published *pub;
	const parity_return *ret;
	const parity_published *ratios;
	const char *standard;  /* "WRES" or "WDES" */
	int wdes;
} book;

/* The side prefixes of a WRES 1 / WDES 1 indicator after "1 ". */
static const char *const sides[] = {"non-clinical ", "clinical ",
                                    "staff group not recorded "};

/* A count of the return: a number when shown, its mark as text when not. */
static void put_count(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      size_t index)
{
	char text[32];
	parity_return_count_text(text, sizeof text, b->pub, index);
	if (parity_return_count_mark(b->pub, index) == PARITY_COUNT_SHOWN)
		worksheet_write_number(ws, row, col, strtod(text, NULL), b->count);
	else
		worksheet_write_string(ws, row, col, text, NULL);
}

static void put_value(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                      const parity_return_row *r, lxw_format *format)
{
	if (r->has_value && !parity_return_row_hidden(b->pub, r))
		worksheet_write_number(ws, row, col, r->value, format);
	else if (parity_return_row_hidden(b->pub, r))
		worksheet_write_string(ws, row, col, "suppressed", NULL);
}

/* The headings of a table, from column 0. */
static void headings(book *b, lxw_worksheet *ws, lxw_row_t row,
                     const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		worksheet_write_string(ws, row, (lxw_col_t)i, names[i], b->header);
}

/* Section 1: one line per organisation, staff side and band or cluster,
 * from the return's rows (three groups each, in order). */
static void sheet_workforce(book *b)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "1 Workforce");
	const char *const *g = b->wdes ? (const char *const[]){"Disabled", "Non-disabled",
	                                                       "Unknown"}
	                               : (const char *const[]){"White", "BME", "Unknown"};
	char title[200];
	snprintf(title, sizeof title, "%s 1: staff in each %s, non-clinical and clinical, "
	         "against the whole workforce (%s)", b->standard,
	         b->wdes ? "cluster" : "pay band", b->ret->year);
	worksheet_write_string(ws, 0, 0, title, b->title);
	worksheet_write_string(ws, 1, 0, "Headcount at the latest workforce snapshot of the "
	                       "year (31 March), bank staff left out. Percentages are of the "
	                       "band's or cluster's total.", NULL);
	char h[3][32], p[3][32];
	for (int k = 0; k < 3; k++) {
		snprintf(h[k], sizeof h[k], "%s", g[k]);
		snprintf(p[k], sizeof p[k], "%s %%", g[k]);
	}
	const char *names[10] = {"Organisation", "Staff", b->wdes ? "Cluster" : "Band",
	                         h[0], h[1], h[2], "Total", p[0], p[1], p[2]};
	headings(b, ws, 3, names, 10);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 24, NULL);
	worksheet_set_column(ws, 2, 2, 30, NULL);
	worksheet_set_column(ws, 3, 9, 11, NULL);
	worksheet_freeze_panes(ws, 4, 0);
	lxw_row_t row = 4;
	const parity_return *r = b->ret;
	/* A figure's three groups are consecutive rows; other rows (the
	 * survey's) are stepped over one by one. */
	for (size_t i = 0; i + 2 < r->row_count; i++) {
		const parity_return_row *first = &r->rows[i];
		if (strcmp(first->standard, b->standard) || strncmp(first->indicator, "1 ", 2) ||
		    first->kind == PARITY_RETURN_SURVEY)
			continue;
		const char *rest = first->indicator + 2, *side = "workforce", *level = "all staff";
		char side_name[40];
		for (size_t s = 0; s < sizeof sides / sizeof sides[0]; s++) {
			size_t n = strlen(sides[s]);
			if (!strncmp(rest, sides[s], n)) {
				snprintf(side_name, sizeof side_name, "%.*s", (int)n - 1, sides[s]);
				side = side_name;
				level = rest + n;
			}
		}
		worksheet_write_string(ws, row, 0, first->organisation, NULL);
		worksheet_write_string(ws, row, 1, side, NULL);
		worksheet_write_string(ws, row, 2, level, NULL);
		for (unsigned k = 0; k < 3; k++) {
			put_count(b, ws, row, (lxw_col_t)(3 + k), r->rows[i + k].counts[0]);
			put_value(b, ws, row, (lxw_col_t)(7 + k), &r->rows[i + k], b->percent);
		}
		put_count(b, ws, row, 6, first->counts[1]);
		row++;
		i += 2;
	}
}

/* Section 9 (WRES) or 10 (WDES): the board's slices, the workforce, and
 * the differences in percentage points. */
static void sheet_board(book *b)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, b->wdes ? "10 Board" : "9 Board");
	const char *number = b->wdes ? "10 " : "9 ";
	const char *const *g = b->wdes ? (const char *const[]){"Disabled", "Non-disabled",
	                                                       "Unknown"}
	                               : (const char *const[]){"White", "BME", "Unknown"};
	char title[200];
	snprintf(title, sizeof title, "%s %s: board membership against the overall "
	         "workforce (%s)", b->standard, b->wdes ? "10" : "9", b->ret->year);
	worksheet_write_string(ws, 0, 0, title, b->title);
	worksheet_write_string(ws, 1, 0, "Rows 'difference ...' give the board's (or its "
	                       "voting or executive members') percentage minus the "
	                       "workforce's, in percentage points.", NULL);
	char h[3][32], p[3][32];
	for (int k = 0; k < 3; k++) {
		snprintf(h[k], sizeof h[k], "%s", g[k]);
		snprintf(p[k], sizeof p[k], "%s %%", g[k]);
	}
	const char *names[9] = {"Organisation", "Membership", h[0], h[1], h[2], "Total",
	                        p[0], p[1], p[2]};
	headings(b, ws, 3, names, 9);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 24, NULL);
	worksheet_set_column(ws, 2, 8, 11, NULL);
	worksheet_freeze_panes(ws, 4, 0);
	lxw_row_t row = 4;
	const parity_return *r = b->ret;
	size_t n = strlen(number);
	for (size_t i = 0; i + 2 < r->row_count; i++) {
		const parity_return_row *first = &r->rows[i];
		if (strcmp(first->standard, b->standard) || strncmp(first->indicator, number, n) ||
		    first->kind == PARITY_RETURN_SURVEY)
			continue;
		worksheet_write_string(ws, row, 0, first->organisation, NULL);
		worksheet_write_string(ws, row, 1, first->indicator + n, NULL);
		for (unsigned k = 0; k < 3; k++) {
			const parity_return_row *x = &r->rows[i + k];
			if (x->kind == PARITY_RETURN_SHARE)
				put_count(b, ws, row, (lxw_col_t)(2 + k), x->counts[0]);
			put_value(b, ws, row, (lxw_col_t)(6 + k), x,
			          x->kind == PARITY_RETURN_SHARE ? b->percent : b->ratio);
		}
		if (first->kind == PARITY_RETURN_SHARE)
			put_count(b, ws, row, 5, first->counts[1]);
		row++;
		i += 2;
	}
	if (!r->boards)
		worksheet_write_string(ws, row, 0, "No board membership in the database for "
		                       "this year: ingest a board extract (kind board).", NULL);
}

static void put_ratio_number(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                             double value)
{
	if (isinf(value))
		worksheet_write_string(ws, row, col, value > 0 ? "infinite" : "-infinite", NULL);
	else
		worksheet_write_number(ws, row, col, value, b->ratio);
}

static void put_ratio_count(book *b, lxw_worksheet *ws, lxw_row_t row, lxw_col_t col,
                            uint64_t value, unsigned char mark)
{
	char text[32];
	parity_return_ratio_count_text(text, sizeof text, b->ratios, value,
	                               (parity_count_mark)mark);
	if (mark == PARITY_COUNT_SHOWN)
		worksheet_write_number(ws, row, col, strtod(text, NULL), b->count);
	else
		worksheet_write_string(ws, row, col, text, NULL);
}

/* Sections 2-4 (WRES) or 2-3 (WDES): the relative likelihoods by
 * organisation, from the analysis's published set. */
static void sheet_ratios(book *b)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, b->wdes ? "2-3 Likelihoods"
	                                                          : "2-4 Likelihoods");
	char title[200];
	snprintf(title, sizeof title, "%s %s: relative likelihoods (%s)", b->standard,
	         b->wdes ? "2 and 3" : "2 to 4", b->ret->year);
	worksheet_write_string(ws, 0, 0, title, b->title);
	/* Each ratio is oriented as the standard publishes it: a favourable
	 * outcome (appointment, training) puts the minority group second, an
	 * adverse one (disciplinary, capability) puts it first; either way
	 * above 1 is the minority group worse off. */
	worksheet_write_string(ws, 1, 0, b->wdes ? "Rate = outcome / base in per cent. A relative "
	                                           "likelihood above 1 means Disabled staff are "
	                                           "worse off (as the standard publishes it); "
	                                           "0.80-1.25 is the non-adverse band."
	                                         : "Rate = outcome / base in per cent. A relative "
	                                           "likelihood above 1 means BME staff are worse "
	                                           "off (as the standard publishes it); 0.80-1.25 "
	                                           "is the non-adverse band.",
	                       NULL);
	const char *names[14] = {"Indicator", "Organisation", "Group 1", "Outcome 1", "Base 1",
	                         "Rate 1 %", "Group 2", "Outcome 2", "Base 2", "Rate 2 %",
	                         "Relative likelihood", "95% CI low", "95% CI high",
	                         "Interval method"};
	headings(b, ws, 3, names, 14);
	worksheet_set_column(ws, 0, 13, 13, NULL);
	worksheet_freeze_panes(ws, 4, 0);
	static const char *const wres[] = {"WRES2", "WRES3", "WRES4"};
	static const char *const wdes[] = {"WDES2", "WDES3"};
	const char *const *codes = b->wdes ? wdes : wres;
	size_t count = b->wdes ? 2 : 3;
	lxw_row_t row = 4;
	const parity_return *r = b->ret;
	for (size_t i = 0; i < r->row_count; i++) {
		if (i && !strcmp(r->rows[i - 1].organisation, r->rows[i].organisation))
			continue; /* each organisation once */
		const char *org = r->rows[i].organisation;
		for (size_t k = 0; k < count; k++) {
			const parity_result_row *x = parity_return_ratio_row(b->ratios, codes[k], org);
			if (!x)
				continue;
			const parity_ratio *q = &x->ratio;
			const unsigned char *marks = parity_publish_row_marks(b->ratios, x);
			int hidden = parity_publish_row_hidden(b->ratios, x);
			worksheet_write_string(ws, row, 0, codes[k], NULL);
			worksheet_write_string(ws, row, 1, org, NULL);
			worksheet_write_string(ws, row, 2, x->group1, NULL);
			put_ratio_count(b, ws, row, 3, q->x1, marks[1]);
			put_ratio_count(b, ws, row, 4, q->n1, marks[0]);
			worksheet_write_string(ws, row, 6, x->group2, NULL);
			put_ratio_count(b, ws, row, 7, q->x2, marks[3]);
			put_ratio_count(b, ws, row, 8, q->n2, marks[2]);
			if (!hidden) {
				if (q->n1)
					worksheet_write_number(ws, row, 5, 100.0 * (double)q->x1 /
					                       (double)q->n1, b->percent);
				if (q->n2)
					worksheet_write_number(ws, row, 9, 100.0 * (double)q->x2 /
					                       (double)q->n2, b->percent);
				if (q->estimable) {
					put_ratio_number(b, ws, row, 10, q->ratio);
					put_ratio_number(b, ws, row, 11, q->ci_low);
					put_ratio_number(b, ws, row, 12, q->ci_high);
				} else {
					worksheet_write_string(ws, row, 10, "no estimate", NULL);
				}
			} else {
				worksheet_write_string(ws, row, 10, "suppressed", NULL);
			}
			worksheet_write_string(ws, row, 13, parity_ci_method_name(q->method), NULL);
			row++;
		}
	}
}

/* The Staff Survey indicators (WRES 5-8, WDES 4-9): one line per figure. */
static void sheet_survey(book *b)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, b->wdes ? "4-9 Staff Survey"
	                                                          : "5-8 Staff Survey");
	char title[200];
	snprintf(title, sizeof title, "%s %s: NHS Staff Survey %d, by group (%s)",
	         b->standard, b->wdes ? "4 to 9" : "5 to 8", b->ret->survey_year,
	         b->ret->year);
	worksheet_write_string(ws, 0, 0, title, b->title);
	worksheet_write_string(ws, 1, 0, b->wdes
	                       ? "Value: per cent of respondents answering positively "
	                         "(9a: the engagement score, a mean from 0 to 10); a "
	                         "difference is Disabled minus Non-disabled, with Newcombe's "
	                         "interval (9a: Welch's t interval). Groups under 11 "
	                         "respondents are withheld, as the Staff Survey does."
	                       : "Value: per cent of respondents answering positively; a "
	                         "difference is BME minus White in percentage points, with "
	                         "Newcombe's hybrid score interval. Groups under 11 "
	                         "respondents are withheld, as the Staff Survey does.",
	                       NULL);
	const char *names[8] = {"Organisation", "Indicator", "Group", "Positive",
	                        "Respondents", "Value", "95% CI low", "95% CI high"};
	headings(b, ws, 3, names, 8);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 26, NULL);
	worksheet_set_column(ws, 2, 2, 26, NULL);
	worksheet_set_column(ws, 3, 7, 12, NULL);
	worksheet_freeze_panes(ws, 4, 0);
	lxw_row_t row = 4;
	const parity_return *r = b->ret;
	for (size_t i = 0; i < r->row_count; i++) {
		const parity_return_row *x = &r->rows[i];
		if (x->kind != PARITY_RETURN_SURVEY || strcmp(x->standard, b->standard))
			continue;
		worksheet_write_string(ws, row, 0, x->organisation, NULL);
		worksheet_write_string(ws, row, 1, x->indicator, NULL);
		worksheet_write_string(ws, row, 2, x->group, NULL);
		if (x->withheld) {
			if (x->has_denominator)
				worksheet_write_string(ws, row, 4, "<11", NULL);
			worksheet_write_string(ws, row, 5, "suppressed", NULL);
			row++;
			continue;
		}
		if (x->has_numerator)
			worksheet_write_number(ws, row, 3, (double)x->numerator, b->count);
		if (x->has_denominator)
			worksheet_write_number(ws, row, 4, (double)x->denominator, b->count);
		if (x->has_value)
			worksheet_write_number(ws, row, 5, x->value, b->ratio);
		if (x->has_ci) {
			worksheet_write_number(ws, row, 6, x->ci_low, b->ratio);
			worksheet_write_number(ws, row, 7, x->ci_high, b->ratio);
		}
		row++;
	}
	if (row == 4)
		worksheet_write_string(ws, row, 0, "No Staff Survey results in the database "
		                       "for this year: ingest them (kind survey).", NULL);
}

/* The Model Employer (WRES): each band's BME share against the workforce's,
 * the shortfall and the appointments a year to close it by the target. */
static void sheet_model(book *b)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Model Employer");
	char title[200], heading[64];
	snprintf(title, sizeof title, "Model Employer: BME representation at each band "
	         "against the workforce, and what closes the gap by %d (%s)",
	         b->ret->target_year, b->ret->year);
	worksheet_write_string(ws, 0, 0, title, b->title);
	worksheet_write_string(ws, 1, 0, "All staff sides together, bank left out. "
	                       "Shortfall: the band's headcount times the workforce's BME "
	                       "share, less its BME staff, up to a whole person (0 at or "
	                       "above the share); it assumes the band keeps its size.", NULL);
	snprintf(heading, sizeof heading, "Appointments a year to %d", b->ret->target_year);
	const char *names[7] = {"Organisation", "Band", "BME", "Total", "BME %", "Shortfall",
	                        heading};
	headings(b, ws, 3, names, 7);
	worksheet_set_column(ws, 0, 1, 14, NULL);
	worksheet_set_column(ws, 2, 6, 13, NULL);
	worksheet_freeze_panes(ws, 4, 0);
	lxw_row_t row = 4;
	const parity_return *r = b->ret;
	const char *prefix = "model employer ";
	size_t n = strlen(prefix);
	for (size_t i = 0; i + 2 < r->row_count; i++) {
		const parity_return_row *x = &r->rows[i];
		if (x->kind != PARITY_RETURN_SHARE || strncmp(x->indicator, prefix, n))
			continue;
		worksheet_write_string(ws, row, 0, x->organisation, NULL);
		worksheet_write_string(ws, row, 1, x->indicator + n, NULL);
		put_count(b, ws, row, 2, x->counts[0]);
		put_count(b, ws, row, 3, x->counts[1]);
		put_value(b, ws, row, 4, x, b->percent);
		put_value(b, ws, row, 5, &r->rows[i + 1], b->count);
		put_value(b, ws, row, 6, &r->rows[i + 2], b->count);
		row++;
		i += 2;
	}
}

/* Definitions, sources and the data quality a lead must report. */
static void sheet_definitions(book *b)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Definitions and data quality");
	worksheet_set_column(ws, 0, 0, 34, b->wrap);
	worksheet_set_column(ws, 1, 1, 100, b->wrap);
	worksheet_write_string(ws, 0, 0, "Definitions and data quality", b->title);
	static const char *const wres[][2] = {
		{"White", "NHS ethnic categories A, B, C"},
		{"BME", "every other stated category (D to S)"},
		{"Unknown", "ethnicity not stated (Z), not known (99, X) or blank"},
		{"WRES 1", "percentage of staff in each Agenda for Change band 1-9 and VSM "
		 "(including executive board members) and of medical and dental staff "
		 "(and its sub-groups: consultants, non-consultant career grades, trainee "
		 "grades, other), non-clinical and clinical separately, against the "
		 "overall workforce; from the workforce snapshot at 31 March, bank staff "
		 "excluded"},
		{"WRES 2-4", "relative likelihoods: appointment from shortlisting (White vs "
		 "BME), entering the formal disciplinary process (BME vs White, two-year "
		 "rolling window), accessing non-mandatory training and CPD (White vs BME)"},
		{"WRES 5-8", "NHS Staff Survey, by ethnicity: 5 harassment, bullying or abuse "
		 "from patients, relatives or the public (q14a); 6 from staff; 7 believing "
		 "the organisation provides equal opportunities for career progression or "
		 "promotion (q15); 8 personally experienced discrimination from a manager, "
		 "team leader or colleague (q16b)"},
		{"WRES 9", "percentage difference between the board's membership (total, "
		 "voting, executive) and the overall workforce, BME and White"},
		{"Source", "NHS England: Workforce Race Equality Standard technical guidance "
		 "and reporting template"},
	};
	static const char *const wdes[][2] = {
		{"Disabled", "disability recorded as Yes (NHS codes 01-10, XX)"},
		{"Non-disabled", "disability recorded as No (NN)"},
		{"Unknown", "not declared (ZZ) or blank"},
		{"WDES 1", "percentage of staff in AfC pay band clusters (1: bands 1-4; 2: "
		 "5-7; 3: 8a-8b; 4: 8c-9 and VSM) and medical and dental staff (and its "
		 "sub-groups: consultants, non-consultant career grades, trainee grades, "
		 "other), non-clinical and clinical separately, against the overall "
		 "workforce; from the workforce snapshot at 31 March, bank staff excluded"},
		{"WDES 2-3", "relative likelihoods: appointment from shortlisting "
		 "(Non-disabled vs Disabled), entering the formal capability process on "
		 "performance grounds (Disabled vs Non-disabled, two-year rolling window)"},
		{"WDES 4-9", "NHS Staff Survey, by disability: 4 harassment, bullying or abuse "
		 "from (a) patients or the public (q14a), (b) managers (q14b), (c) "
		 "colleagues (q14c), (d) reported (q14d); 5 equal opportunities for career "
		 "progression (q15); 6 pressure from a manager to come to work when unwell "
		 "(q11e); 7 satisfied that the organisation values their work (q4b); 8 "
		 "adequate reasonable adjustments (q30b, Disabled staff only); 9a the staff "
		 "engagement score (0-10)"},
		{"WDES 10", "percentage difference between the board's membership (total, "
		 "voting, executive) and the overall workforce, Disabled and Non-disabled"},
		{"Source", "NHS England: WDES 2023 metrics and technical guidance"},
	};
	const char *const (*defs)[2] = b->wdes ? wdes : wres;
	size_t n = b->wdes ? sizeof wdes / sizeof wdes[0] : sizeof wres / sizeof wres[0];
	lxw_row_t row = 2;
	for (size_t i = 0; i < n; i++, row++) {
		worksheet_write_string(ws, row, 0, defs[i][0], b->bold);
		worksheet_write_string(ws, row, 1, defs[i][1], NULL);
	}
	row++;
	worksheet_write_string(ws, row++, 0, "Data quality", b->header);
	worksheet_write_string(ws, row, 0, "Bank staff left out", b->bold);
	worksheet_write_number(ws, row++, 1, (double)b->ret->bank_excluded, b->count);
	worksheet_write_string(ws, row, 0, "Organisations with a workforce snapshot", b->bold);
	worksheet_write_number(ws, row++, 1, (double)b->ret->organisations, b->count);
	worksheet_write_string(ws, row, 0, "Organisations with board data", b->bold);
	worksheet_write_number(ws, row++, 1, (double)b->ret->boards, b->count);
	worksheet_write_string(ws, row, 0, "Unknown in the workforce", b->bold);
	worksheet_write_string(ws, row++, 1, b->wdes
	                       ? "see '1 Workforce', workforce rows, column Unknown %: "
	                         "disability is under-declared in ESR (about 3% Disabled "
	                         "against about 18% in the NHS Staff Survey)"
	                       : "see '1 Workforce', workforce rows, column Unknown %",
	                       NULL);
	worksheet_write_string(ws, row, 0, "Medical and dental grades", b->bold);
	worksheet_write_string(ws, row++, 1, "Consultants include senior medical managers; "
	                       "non-consultant career grades are specialty doctors, "
	                       "associate specialists, staff grades, specialists, hospital "
	                       "practitioners and clinical assistants; trainee grades are "
	                       "foundation years 1-2, registrars, core and specialty "
	                       "trainees, SHO and HO. Read from the extract's grade column, "
	                       "or from a pay band that names the grade. Medical and dental "
	                       "staff with no grade recorded, or a grade that is none of "
	                       "these, are counted as 'other' (see '1 Workforce'; parity "
	                       "ingest warns of each unrecognised grade): many in 'other' "
	                       "means the extract's grades need mapping.", NULL);
	size_t printed, primary, secondary;
	parity_return_publish_summary(b->pub, &printed, &primary, &secondary);
	worksheet_write_string(ws, row, 0, "Disclosure control", b->bold);
	char text[400];
	snprintf(text, sizeof text, "Counts from 1 to the threshold less 1 are hidden ('<N', or "
	         "'*' under NHS Digital's rule), and further counts ('[c]') wherever a "
	         "hidden count could be worked out from the others; a percentage or "
	         "difference that reads a hidden count is 'suppressed'. In this return: "
	         "%zu counts printed, %zu hidden as small, %zu hidden besides.",
	         printed, primary, secondary);
	worksheet_write_string(ws, row++, 1, text, NULL);
	worksheet_write_string(ws, row, 0, "Staff Survey", b->bold);
	char survey[300];
	snprintf(survey, sizeof survey, "%s come from the NHS Staff Survey %d (results "
	         "by group, kind survey): %zu organisation%s with results. Groups of "
	         "fewer than 11 respondents are withheld, as the survey does.",
	         b->wdes ? "Metrics 4-9" : "Indicators 5-8", b->ret->survey_year,
	         b->ret->surveys, b->ret->surveys == 1 ? "" : "s");
	worksheet_write_string(ws, row++, 1, survey, NULL);
}

/* Cells for the lead's narrative, one line per indicator. */
static void sheet_narrative(book *b)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Narrative");
	worksheet_write_string(ws, 0, 0, "Narrative and actions (for the equality and "
	                       "diversity lead to complete)", b->title);
	const char *names[5] = {"Indicator", "What the figures show", "Actions agreed",
	                        "Lead", "By when"};
	headings(b, ws, 2, names, 5);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 2, 60, NULL);
	worksheet_set_column(ws, 3, 4, 16, NULL);
	unsigned last = b->wdes ? 10 : 9;
	lxw_row_t row = 3;
	for (unsigned k = 1; k <= last; k++, row++) {
		char label[16];
		snprintf(label, sizeof label, "%s %u", b->standard, k);
		worksheet_set_row(ws, row, 60, NULL);
		worksheet_write_string(ws, row, 0, label, b->bold);
		for (lxw_col_t c = 1; c <= 4; c++)
			worksheet_write_blank(ws, row, c, b->narrative);
	}
}

static void sheet_summary(book *b)
{
	lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Summary");
	worksheet_set_column(ws, 0, 0, 30, NULL);
	worksheet_set_column(ws, 1, 1, 70, b->wrap);
	char title[160];
	snprintf(title, sizeof title, "%s data return %s",
	         b->wdes ? "Workforce Disability Equality Standard"
	                 : "Workforce Race Equality Standard", b->ret->year);
	worksheet_write_string(ws, 0, 0, title, b->title);
	lxw_row_t row = 2;
	worksheet_write_string(ws, row, 0, "Financial year", b->bold);
	worksheet_write_string(ws, row++, 1, b->ret->year, NULL);
	worksheet_write_string(ws, row, 0, "Workforce snapshot (latest month)", b->bold);
	worksheet_write_string(ws, row++, 1, b->ret->snapshot, NULL);
	worksheet_write_string(ws, row, 0, "Organisations", b->bold);
	worksheet_write_number(ws, row++, 1, (double)b->ret->organisations, b->count);
	worksheet_write_string(ws, row, 0, "Made by", b->bold);
	worksheet_write_string(ws, row++, 1, "parity " PARITY_VERSION_STRING, NULL);
	worksheet_write_string(ws, row, 0, "Sheets", b->bold);
	worksheet_write_string(ws, row++, 1, b->wdes
	                       ? "1 Workforce; 2-3 Likelihoods; 4-9 Staff Survey; 10 Board; "
	                         "Definitions and data quality; Narrative"
	                       : "1 Workforce; 2-4 Likelihoods; 5-8 Staff Survey; 9 Board; "
	                         "Model Employer; Definitions and data quality; Narrative",
	                       NULL);
	worksheet_write_string(ws, row, 0, "Numbers", b->bold);
	worksheet_write_string(ws, row++, 1, "Counts, percentages and ratios are numbers; a "
	                       "hidden count shows its mark (<5, [c], *) as text.", NULL);
	if (!b->ratios)
		worksheet_write_string(ws, row++, 1, "The relative likelihoods are not in this "
		                       "workbook: the database holds no recruitment, "
		                       "disciplinary or training data for the year.", NULL);
}

int parity_return_write_workbook(const parity_return_published *pub,
                                 const parity_published *ratios, const char *standard,
                                 const char *path)
{
	if (!pub || !standard || !path)
		return parity_error_set(PARITY_EUSAGE, "parity_return_write_workbook: NULL "
		                        "argument");
	if (strcmp(standard, "WRES") && strcmp(standard, "WDES"))
		return parity_error_set(PARITY_EUSAGE, "workbook: unknown standard '%s' (WRES "
		                        "or WDES)", standard);
	/* Written as every output is (util_atomic_open): into a file with no
	 * name until it is whole, so a run killed part-way leaves nothing; the
	 * workbook library writes by name, so it is given the file's name in
	 * /proc. Without O_TMPFILE or /proc: a temporary name, locked while it
	 * is written, which the next writer removes when a kill left it. */
	util_atomic_file out;
	char proc[64];
	int rc = util_atomic_open(&out, path, 0600);
	if (rc)
		return rc;
	const char *temp = out.temp;
	if (!temp[0]) {
		struct stat st;
		snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(out.file));
		temp = proc;
		if (stat(proc, &st) != 0) {
			util_atomic_abort(&out);
			if ((rc = util_atomic_open_named(&out, path, 0600)))
				return rc;
			temp = out.temp;
		}
	}
	book b = {0};
	b.pub = pub;
	b.ret = parity_return_published_return(pub);
	b.ratios = ratios;
	b.standard = standard;
	b.wdes = !strcmp(standard, "WDES");
	lxw_workbook_options options = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
	b.wb = workbook_new_opt(temp, &options);
	if (!b.wb) {
		util_atomic_abort(&out);
		return parity_error_set(PARITY_ENOMEM, "%s: cannot start the workbook", path);
	}
	b.title = workbook_add_format(b.wb);
	format_set_bold(b.title);
	format_set_font_size(b.title, 14);
	b.bold = workbook_add_format(b.wb);
	format_set_bold(b.bold);
	b.header = workbook_add_format(b.wb);
	format_set_bold(b.header);
	format_set_bottom(b.header, LXW_BORDER_THIN);
	format_set_text_wrap(b.header);
	b.wrap = workbook_add_format(b.wb);
	format_set_text_wrap(b.wrap);
	format_set_align(b.wrap, LXW_ALIGN_VERTICAL_TOP);
	b.percent = workbook_add_format(b.wb);
	format_set_num_format(b.percent, "0.0");
	b.count = workbook_add_format(b.wb);
	format_set_num_format(b.count, "#,##0");
	b.ratio = workbook_add_format(b.wb);
	format_set_num_format(b.ratio, "0.00");
	b.narrative = workbook_add_format(b.wb);
	format_set_text_wrap(b.narrative);
	format_set_align(b.narrative, LXW_ALIGN_VERTICAL_TOP);
	format_set_bg_color(b.narrative, 0xFFF7D6);
	format_set_border(b.narrative, LXW_BORDER_THIN);
	format_set_unlocked(b.narrative);

	lxw_doc_properties properties = {0};
	properties.title = b.wdes ? "WDES data return" : "WRES data return";
	properties.comments = "Written by parity from the published (disclosure-"
	                      "controlled) figures";
	workbook_set_properties(b.wb, &properties);

	sheet_summary(&b);
	sheet_workforce(&b);
	if (ratios)
		sheet_ratios(&b);
	sheet_survey(&b);
	sheet_board(&b);
	if (!b.wdes)
		sheet_model(&b);
	sheet_definitions(&b);
	sheet_narrative(&b);
	/* Every sheet protected, without a password: the published figures
	 * cannot be changed by a slip of the keyboard, the lead's narrative
	 * cells (unlocked) can be filled in, and columns and rows can still be
	 * resized. Unprotect the sheet (Review > Unprotect) to change more. */
	lxw_protection protection = {0};
	protection.format_columns = 1;
	protection.format_rows = 1;
	lxw_worksheet *sheet;
	LXW_FOREACH_WORKSHEET(sheet, b.wb)
		worksheet_protect(sheet, NULL, &protection);
	lxw_error err = workbook_close(b.wb);
	if (err != LXW_NO_ERROR) {
		util_atomic_abort(&out);
		return parity_error_set(PARITY_EIO, "%s: cannot write the workbook: %s", path,
		                        lxw_strerror(err));
	}
	return util_atomic_commit(&out);
}
