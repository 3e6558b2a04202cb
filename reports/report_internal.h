/*
 * report_internal.h: the report model that report.c builds from results
 * (sections of rows with suppression marks, chart items and table cells)
 * and that report_pages.c lays out on the pages.
 */
#ifndef PARITY_REPORT_INTERNAL_H
#define PARITY_REPORT_INTERNAL_H

#include "chart.h"
#include "draw.h"
#include "parity/report.h"
#include "suppress.h"

#include <stddef.h>
#include <stdint.h>

/* The four counts of a row, in the order the suppression table holds them. */
enum { COUNT_N1, COUNT_X1, COUNT_N2, COUNT_X2, COUNT_COLUMNS };

enum {
	COL_LABEL, COL_N1, COL_X1, COL_RATE1, COL_N2, COL_X2, COL_RATE2,
	COL_RATIO, COL_CI, COL_BAND, COL_NOTE, TABLE_COLUMNS
};

/* One indicator (and grouping) in the period: its rows, ready to draw. */
typedef struct section {
	char indicator[16];
	char grouping[32];
	parity_indicator_info words;     /* wording; copied or made from rows */
	const parity_result_row **rows;  /* organisations, then overall rows */
	size_t count;                    /* rows in use */
	size_t org_count;                /* of which organisations (first) */
	const parity_result_row *overall; /* first overall row, or NULL */
	suppress_mark *marks;            /* count x COUNT_COLUMNS */
	chart_ratio_item *items;         /* count */
	draw_cell *cells;                /* count x TABLE_COLUMNS */
	unsigned *row_flags;             /* count */
	draw_column columns[TABLE_COLUMNS];
	draw_span spans[2];
	char base_heading[40];           /* "Shortlisted" */
	char outcome_heading[40];        /* "Appointed" */
	char ci_heading[24];             /* "95% CI" */
	char chart_file[64];             /* "wres2-by-organisation" */
	int any_infinite;                /* some ratio or limit is infinite */
	int any_suppressed;              /* some count hidden */
	int any_low;                     /* some row has too few cases */
} section;

/* Everything the pages need, built once and drawn twice. */
typedef struct report {
	const parity_results *results;  /* borrowed */
	const char *title;              /* borrowed */
	const char *author;             /* borrowed */
	const char *where;              /* borrowed: organisation shown */
	const char *period;             /* borrowed */
	double level;                   /* confidence level of the intervals */
	unsigned suppress_below;        /* 0: no suppression */
	section *sections;              /* owned */
	size_t section_count;
	char header_right[160];
	char footer[160];
	char date_iso[64];              /* PDF metadata: 2026-03-05T10:00:00Z */
	char date_text[64];             /* "5 March 2026" */
} report;

/* Text for a count cell: the number, "<5" (primary) or "[c]" (secondary). */
void report_count_text(char *buf, size_t size, uint64_t value,
                       suppress_mark mark, unsigned threshold);

/* Text for a rate cell: "19.0%", or "[c]" when either count is hidden. */
void report_rate_text(char *buf, size_t size, uint64_t x, uint64_t n,
                      suppress_mark mx, suppress_mark mn);

/* The ratio chart's words for section `s` (no title, default rows). */
void report_chart_style(chart_ratio_style *style, const report *rep,
                        const section *s);

/* Lay the whole document out on `doc`: summary, a part per section,
 * methods (report_pages.c). The same model gives the same pages. */
void report_render(draw_doc *doc, const report *rep);

#endif
