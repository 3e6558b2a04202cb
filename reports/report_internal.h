/*
 * report_internal.h: the board report's model, shared by reports/report*.c:
 * the period's rows sorted into indicators and measures, the suppression
 * marks of every row (report_model.c), the text helpers that print a row
 * the same way everywhere (report_text.c), and the parts of the document
 * (report_pages.c, report_breakdown.c, report_appendix.c, report_csv.c).
 */
#ifndef PARITY_REPORT_INTERNAL_H
#define PARITY_REPORT_INTERNAL_H

#include "chart.h"
#include "draw.h"
#include "parity/report.h"
#include "parity/publish.h"

#include <stddef.h>
#include <stdint.h>

/* The four counts of a row, in the order the suppression marks hold them. */
enum { COUNT_N1, COUNT_X1, COUNT_N2, COUNT_X2, COUNT_COLUMNS };

/* Columns of a table of rows with both groups' counts. */
enum {
	COL_LABEL, COL_N1, COL_X1, COL_RATE1, COL_N2, COL_X2, COL_RATE2,
	COL_RATIO, COL_CI, COL_BAND, TABLE_COLUMNS
};

#define REPORT_MAX_INDICATORS 5   /* WRES 2, 3, 4, WDES 2, 3 */
#define REPORT_MAX_MEASURES 8     /* appointment, disciplinary, ... */

/* Text for a row's figures when a count of it is hidden. */
#define REPORT_SUPPRESSED "suppressed (small numbers)"

/* The most organisations the report draws per indicator (every NHS trust
 * in England fits); the rest are only in report-tables.csv. */
#define REPORT_ORGS_SHOWN 250

/* A list of borrowed rows. */
typedef struct row_list {
	const parity_result_row **rows; /* owned array; the rows are borrowed */
	size_t count;
} row_list;

/* One standard indicator's rows in the period. */
typedef struct report_indicator {
	const parity_indicator_info *info;    /* the indicator's words */
	const parity_result_row *overall;     /* crude overall row */
	const parity_result_row *pooled_org;  /* Mantel-Haenszel over organisations */
	const parity_result_row *pooled_band; /* ... over pay bands */
	const parity_result_row *pooled_group; /* ... over staff groups */
	row_list orgs;                        /* organisation rows, result order */
	/* The organisation rows the PDF and charts draw: all of them, or, past
	 * REPORT_ORGS_SHOWN, those outside the funnel's limits and then the
	 * largest, in result order (report-tables.csv lists every one). */
	row_list orgs_shown;
	row_list bands;                       /* pay band rows */
	row_list groups;                      /* staff group rows */
	row_list kline;                       /* Kline compound ratio rows */
	const parity_result_row *previous;    /* trend row of the period before,
	                                         same stratum as `overall` */
	char stem[16];                        /* file name stem: "wres2" */
} report_indicator;

/* The per-characteristic comparisons of one measure. */
typedef struct report_measure {
	char measure[16];                     /* "appointment", ... */
	const parity_indicator_info *info;    /* its standard indicator's words
	                                         (for the base and outcome), or NULL */
	row_list rows;                        /* comparison rows, result order */
} report_measure;

/* Everything the pages need, built once and drawn twice. */
typedef struct report {
	const parity_results *results;  /* borrowed */
	parity_report_options opt;      /* a copy of the caller's options */
	const char *title;              /* borrowed */
	const char *author;             /* borrowed */
	const char *where;              /* borrowed: organisation shown */
	const char *period;             /* borrowed */
	double level;                   /* confidence level of the intervals */
	unsigned suppress_below;        /* smallest count shown; 0: none hidden */
	const parity_published *pub;    /* the published set, the only source
	                                   of what may be printed: the caller's
	                                   (opt.published) or owned_pub */
	parity_published *owned_pub;    /* owned: built when the caller gave none */
	unsigned char *kline_hidden;    /* results->count: Kline rows withheld
	                                   because a band they multiply is */
	report_indicator ind[REPORT_MAX_INDICATORS];
	size_t ind_count;
	report_measure meas[REPORT_MAX_MEASURES];
	size_t meas_count;
	int several_orgs;               /* some indicator has 2+ organisations */
	size_t hidden_rows;             /* rows of the period with a hidden count */
	char header_right[160];
	char footer[160];
	char date_iso[64];              /* PDF metadata: 2026-03-05T10:00:00Z */
	char date_text[64];             /* "5 March 2026" */
} report;

/* ---- the model (report_model.c) ----------------------------------------- */

/* Build the model from `results`: rows sorted into indicators and measures,
 * every row's suppression marks. Returns 0, PARITY_EDATA when there is
 * nothing to report, or PARITY_ENOMEM; free with report_model_free either
 * way. */
int report_model_build(report *rep, const parity_results *results,
                       const parity_report_options *options);
void report_model_free(report *rep);

/* The marks (parity_count_mark, COUNT_COLUMNS of them) of `row`, a row
 * or trend row of rep->results, from the published set; and whether any
 * figure of it is withheld. */
const unsigned char *report_marks(const report *rep, const parity_result_row *row);
int report_hidden(const report *rep, const parity_result_row *row);

/* Whether a stratum that pooled row `pooled` combines (an organisation, pay
 * band or staff group of the same indicator) has a hidden count. Then its
 * homogeneity test and over-dispersion figures are not printed: each is a
 * sum of per-stratum terms, and with the other strata's published counts a
 * small stratum's term (and so its count) could be worked back. The pooled
 * ratio itself is printed: its counts are the published totals. */
int report_strata_hidden(const report *rep, const parity_result_row *pooled);

/* Whether the published set withholds the figures of cohort result `c`
 * (for a "difference" row: either arm's). */
int report_cohort_hidden(const report *rep, const parity_cohort_result *c);

/* The main row matching a trend row's indicator, grouping, stratum and
 * pooling in the report's period, or NULL. */
const parity_result_row *report_row_like(const report *rep,
                                         const parity_result_row *trend);

/* ---- a programme's roll-out (report_programme.c) ---------------------------- */

/* The programme page: its cohorts, the effect per indicator (table and
 * plain words, with the smallest detectable change and the pre-trend
 * check) and each indicator's event-study chart. Nothing without
 * results->programme. */
void report_render_programme(draw_doc *doc, const report *rep);

/* Write `out_dir`/STEM-event.png and .svg, `width` points wide, when the
 * indicator's pooled programme effect is shown. 0 or an error. */
int report_programme_chart_files(const report *rep, const parity_indicator_info *info,
                                 const char *stem, double width, const char *out_dir);

/* ---- how far formal cases went (report_stages.c) -------------------------- */

/* The case-stage pipeline of `ind` (WRES 3: by ethnicity; WDES 3: by
 * disability): fills the chart's two groups, their counts and its style
 * (which points into `counts`). Returns the number of stages, 0 when the
 * results hold none, or -1 when a count (or the cases that stopped at a
 * stage) is small enough to be suppressed: then nothing is shown. */
int report_stage_pipeline(chart_pipeline_group groups[2],
                          chart_pipeline_counts counts[2], chart_pipeline_style *style,
                          const report *rep, const report_indicator *ind);

/* The stage rows of `ind` that the report shows (crude, then pooled, stage
 * by stage), at most `cap`, into `rows`: for report-tables.csv. */
size_t report_stage_list(const parity_result_row **rows, size_t cap, const report *rep,
                         const report_indicator *ind);

/* The disciplinary section's part on how far cases went: heading, words,
 * the pipeline chart and the table of ratios. Nothing without stage rows. */
void report_render_stages(draw_doc *doc, const report *rep, const report_indicator *ind);

/* ---- text (report_text.c) ------------------------------------------------ */

extern const draw_font report_body;       /* 10 pt */
extern const draw_font report_small;      /* 9 pt */
extern const draw_font report_note;       /* 8 pt */
extern const draw_font report_table_font; /* 8 pt condensed */

/* Text for a count cell as the published set allows: the number (rounded
 * under nhs-digital), "<5" or "*" (primary) or "[c]" (secondary). */
void report_count_text(char *buf, size_t size, const report *rep,
                       uint64_t value, unsigned mark);

/* The notes' sentence saying how small counts are shown, as the policy
 * shows them ("<5: between 1 and 4 people; [c]: ..."), with a leading
 * space; "" when nothing is hidden. */
void report_small_legend(char *buf, size_t size, const report *rep);

/* Text for excluded count `which` of `row` (notes, quality table). */
void report_excluded_text(char *buf, size_t size, const report *rep,
                          const parity_result_row *row, parity_excluded which);

/* Text for a rate cell: "19.0%", or "-" when the row's figures are hidden. */
void report_rate_text(char *buf, size_t size, uint64_t x, uint64_t n,
                      int hidden);

/* "1.40 (1.27 to 1.55)", "no estimate" or REPORT_SUPPRESSED. */
void report_ratio_text(char *buf, size_t size, const report *rep,
                       const parity_result_row *row);

/* "Above", "Inside", "Below" or "-". */
const char *report_band_word(const report *rep, const parity_result_row *row);

/* The cells (COL_*) of `row` in a table of both groups' counts; the band
 * carries "*" for too few cases. */
void report_row_cells(draw_cell *cells, const report *rep,
                      const parity_result_row *row, const char *label);

/* The ratio chart item for `row`, labelled `label` (borrowed). */
chart_ratio_item report_row_item(const report *rep, const parity_result_row *row,
                                 const char *label, int overall);

/* The plain sentence about `row` in the words of `info` (NULL: the row's
 * group names); count-free when a count of the row is hidden. */
void report_sentence(char *buf, size_t size, const report *rep,
                     const parity_result_row *row,
                     const parity_indicator_info *info);

/* A short name for an indicator: "WRES 2". */
void report_short_name(char *buf, size_t size, const char *code);

/* The label of a comparison group: "A White - British", "Men", "25-34". */
void report_group_label(char *buf, size_t size, const char *characteristic,
                        const char *group);

/* Paragraph helpers: printf-style markup with every argument escaped. */
void report_paragraph(draw_doc *doc, draw_font font, draw_colour colour,
                      const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void report_bullet(draw_doc *doc, draw_font font, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Start a part of the document on a new page with its heading; or, with
 * report_part_after, on the same page when `space` points are left. */
void report_part(draw_doc *doc, const char *heading, const char *subtitle);
void report_part_after(draw_doc *doc, const char *heading, const char *subtitle,
                       double space);

/* Draw a ratio chart at the cursor, split over pages when it is long. */
void report_ratio_chart(draw_doc *doc, const chart_ratio_style *style,
                        const chart_ratio_item *items, size_t count);

/* Draw a table with fitted columns at the cursor (full width). */
void report_table(draw_doc *doc, draw_column *columns, size_t column_count,
                  const draw_span *spans, size_t span_count,
                  const draw_cell *cells, const unsigned *row_flags,
                  size_t row_count);

/* The ratio chart's words for an indicator (no title). */
void report_chart_style(chart_ratio_style *style, const report *rep,
                        const parity_indicator_info *info);

/* Items of the by-organisation chart: organisations, overall, pooled. When
 * ten or more organisations, and more than half, have hidden counts, they
 * are one row ("38 other organisations": suppressed). The caller frees *out
 * (one block, labels included). Returns the count (0 when out of memory). */
size_t report_org_items(chart_ratio_item **out, const report *rep,
                        const report_indicator *ind);

/* The trend chart of `ind` (overall series, or `orgs` when given), with
 * the cohorts as spans. Fills `t`; the caller frees the arrays with
 * report_trend_free. Returns 0 when there is no trend to draw. */
typedef struct report_trend {
	chart_trend trend;
	chart_period *periods;
	chart_trend_series *series;
	chart_trend_point *points;
	chart_cohort *cohorts;
	char (*labels)[24];
} report_trend;
int report_trend_build(report_trend *t, const report *rep,
                       const report_indicator *ind, const char *const *orgs,
                       size_t org_count);
void report_trend_free(report_trend *t);
/* Draw a trend chart across the page at the current position (on a new
 * page when it does not fit) and move below it. */
void report_trend_place(draw_doc *doc, const chart_trend_style *style,
                        const chart_trend *trend);
void report_trend_style(chart_trend_style *style, const report *rep,
                        const report_indicator *ind);

/* The funnel plot of `ind` (organisations placed around the pooled
 * ratio). Returns 0 when there is none to draw: no pooled ratio, or fewer
 * than REPORT_FUNNEL_MIN organisations that can be shown. */
#define REPORT_FUNNEL_MIN 3
typedef struct report_funnel {
	chart_funnel funnel;
	chart_funnel_unit *units;
	chart_funnel_limit *limits;
} report_funnel;
int report_funnel_build(report_funnel *f, const report *rep,
                        const report_indicator *ind);
void report_funnel_free(report_funnel *f);
void report_funnel_style(chart_funnel_style *style, const report *rep,
                         const report_indicator *ind);

/* ---- the charts in words (report_html.c) ---------------------------------
 * Each writes the chart's title and description into *alt (for the tagged
 * PDF's Figure: draw_tag_figure_begin) and adds the chart to doc->html,
 * when there is one: inline SVG with that title and description, and its
 * figures as a "show the data" table. A chart without a title of its own
 * is named "<last heading>: <what>" (`what` NULL: "ratios with their
 * confidence intervals"). */
void report_figure_ratio(chart_alt *alt, draw_doc *doc, const chart_ratio_style *style,
                         const chart_ratio_item *items, size_t count,
                         const char *what);
void report_figure_trend(chart_alt *alt, draw_doc *doc, const chart_trend_style *style,
                         const chart_trend *trend);
void report_figure_funnel(chart_alt *alt, draw_doc *doc, const chart_funnel_style *style,
                          const chart_funnel *funnel);
void report_figure_pipeline(chart_alt *alt, draw_doc *doc,
                            const chart_pipeline_style *style,
                            const chart_pipeline_group *groups, size_t count);

/* ---- the parts of the document ------------------------------------------ */

/* Summary, what changed, one section per indicator (report_pages.c). */
void report_render_summary(draw_doc *doc, const report *rep);
void report_render_changes(draw_doc *doc, const report *rep);
void report_render_indicator(draw_doc *doc, const report *rep,
                             const report_indicator *ind);

/* The whole return at a glance, a part per standard, this year beside last
 * (report_return.c); nothing without options->return_now. */
void report_render_return(draw_doc *doc, const report *rep);

/* Characteristics, organisations, pay bands and staff groups, Kline and
 * the recruitment pipeline (report_breakdown.c). */
void report_render_characteristics(draw_doc *doc, const report *rep);
void report_render_organisations(draw_doc *doc, const report *rep);
void report_render_strata(draw_doc *doc, const report *rep);

/* The pipeline of appointment indicator `ind` (applied, shortlisted,
 * appointed for its two groups) into `out`: 1 when the results carry the
 * matching "shortlisting" row, -1 when a count of it is suppressed, 0 when
 * there is none. Labels are borrowed from the rows. */
int report_pipeline_groups(chart_pipeline_group out[2], const report *rep,
                           const report_indicator *ind);

/* The pipeline chart's style for `rep`. */
void report_pipeline_style(chart_pipeline_style *style, const report *rep);

/* Cohorts, data quality, methods, reproducibility (report_appendix.c). */
void report_render_cohorts(draw_doc *doc, const report *rep);
void report_render_quality(draw_doc *doc, const report *rep);
void report_render_methods(draw_doc *doc, const report *rep);
void report_render_record(draw_doc *doc, const report *rep);

/* Lay the whole document out on `doc`. The same model gives the same
 * pages. */
void report_render(draw_doc *doc, const report *rep);

/* Write the report's tables as printed to `path` (report_csv.c).
 * Returns 0 or PARITY_EIO. */
int report_write_tables(const report *rep, const char *path);

#endif
