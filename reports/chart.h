/*
 * chart.h: charts drawn into any cairo context (a PDF page, a PNG image or
 * an SVG file): the ratio (forest) chart by stratum, the trend over periods,
 * the funnel plot and the recruitment pipeline. Each takes plain arrays of
 * the structs below and computes nothing: the statistics come precomputed.
 */
#ifndef PARITY_CHART_H
#define PARITY_CHART_H

#include "parity/report.h"

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>

/* ---- words for readers who cannot see a chart (chart_alt.c) ---------------- */

/* A chart's accessible name and its description, written from its data
 * ("Forest plot of ...: ratios from 1.01 (R0A) to 2.63 (R0E); four of six
 * above the non-adverse range ..."). */
typedef struct chart_alt {
	char title[320];
	char desc[2048];
} chart_alt;

/* A small count in words ("none", "one" .. "twelve"), digits above. The
 * text is borrowed (per thread) until the next call. */
const char *chart_count_words(size_t n);

/* ---- the ratio chart ------------------------------------------------------ */

/* One row of the ratio chart. */
typedef struct chart_ratio_item {
	const char *label; /* borrowed: "R0A", "All organisations" */
	double ratio;      /* point estimate; 0 and INFINITY allowed */
	double ci_low;     /* 0 allowed */
	double ci_high;    /* INFINITY allowed */
	int estimable;     /* 0: drawn as "no estimate" */
	int low_count;     /* 1: hollow marker, "too few cases" */
	int overall;       /* 1: diamond, below a rule; put these last */
	int pooled;        /* 1 (with overall): a pooled ratio, drawn as a
	                      diamond spanning its interval */
	int suppressed;    /* 1: not shown, to protect small counts: drawn as
	                      "suppressed (small numbers)"; the estimate and
	                      interval are ignored */
	int heading;       /* 1: a label only (bold), heading the rows below
	                      it; nothing else is drawn for it */
	const char *axis_text; /* without an estimate: what to say on the axis
	                      instead of "no estimate" ("" for nothing) */
} chart_ratio_item;

/* Words and sizes for the ratio chart. Zero-initialise, then set. */
typedef struct chart_ratio_style {
	const char *title;         /* bold line above the chart, or NULL */
	const char *label_heading; /* heading over the labels: "Organisation" */
	const char *group1;        /* numerator group, "White"; NULL: no hints */
	const char *group2;        /* comparison group, "BME" */
	const char *outcome;       /* "to be appointed", or NULL */
	double level;              /* confidence level for headings, e.g. 0.95 */
	double axis_low;           /* axis range; 0 for one that fits the items */
	double axis_high;
	double row_height;         /* points per row; 0 for CHART_ROW_DEFAULT */
	const char *note;          /* grey line(s) under the legend, or NULL:
	                              e.g. chart_format_homogeneity's text */
	int pooled;                /* 1: every overall row is a pooled ratio
	                              (Mantel-Haenszel): each diamond spans
	                              its interval (or set item.pooled) */
	/* Panels: charts of the same rows side by side, one per outcome. */
	double label_width;        /* the label column's width; 0: fitted (at
	                              most 38% of the chart) */
	const char *plot_heading;  /* heading centred over the plot, or NULL */
	int hide_labels;           /* 1: no label column (a panel to the right
	                              of one that has them) */
	int hide_figures;          /* 1: no figures column */
	int compact;               /* 1: no axis title, direction hints,
	                              legend or note; "suppressed" said short */
	double heading_width;      /* how far heading rows may reach (over
	                              panels drawn before); 0: the chart's width */
} chart_ratio_style;

#define CHART_ROW_DEFAULT 16.0
#define CHART_ROW_MIN 11.0 /* keeps 8.5 pt labels apart */

/* The axis range that fits `items`: nice values (1, 2 or 5 x 10^k) covering
 * every estimate, the 0.80-1.25 band and most of each interval, within
 * 0.02-50; anything beyond is drawn as an arrow at the edge. */
void chart_ratio_range(double *out_low, double *out_high,
                       const chart_ratio_item *items, size_t count);

/* Height in points that chart_ratio_draw uses for this width and these
 * items (the `cr` is used only to measure text). */
double chart_ratio_height(cairo_t *cr, double width,
                          const chart_ratio_style *style,
                          const chart_ratio_item *items, size_t count);

/* Draw the chart with its top-left corner at (x, y), `width` wide. Errors
 * stick to `cr` (check cairo_status). */
void chart_ratio_draw(cairo_t *cr, double x, double y, double width,
                      const chart_ratio_style *style,
                      const chart_ratio_item *items, size_t count);

/*
 * Write the chart alone to `path` as PNG (144 dpi) or SVG, `width` points
 * wide plus a margin, on a white background, via a temporary file renamed
 * into place. The SVG carries the chart's title and description
 * (chart_ratio_alt) and its text as text. Returns 0 or PARITY_EIO with a message naming `path`.
 */
int chart_ratio_write(const char *path, parity_chart_format format,
                      double width, const chart_ratio_style *style,
                      const chart_ratio_item *items, size_t count);

/* The ratio chart's title (style->title, or "ratios") and description. */
void chart_ratio_alt(chart_alt *out, const chart_ratio_style *style,
                     const chart_ratio_item *items, size_t count);

/*
 * The chart as SVG text for inline use in HTML: role="img", <title> and
 * <desc> from `alt`, text as <text> elements, and every id prefixed with
 * `id` (unique in the page). NULL when out of memory; the caller frees
 * the text with g_free.
 */
char *chart_ratio_svg(double width, const chart_ratio_style *style,
                      const chart_ratio_item *items, size_t count,
                      const chart_alt *alt, const char *id);

/* The homogeneity note for a pooled chart: "Homogeneity: Q = 3.2, df = 5,
 * p = 0.67" (p below 0.01 with three decimals, "p < 0.001" below that;
 * "Homogeneity: not computed" for a non-finite Q or df < 1). */
void chart_format_homogeneity(char *buf, size_t size, double q, int df,
                              double p);

/* ---- trend over periods ----------------------------------------------------
 * An indicator's ratio in each period (categories of equal width, e.g. five
 * financial years) on a log scale: one line of markers per series with its
 * interval as a shaded ribbon, the 0.80-1.25 band, a line at 1, and cohorts
 * as hatched spans placed by month. */

/* A month as one number: CHART_MONTH(2022, 4) is April 2022. */
#define CHART_MONTH(year, month) ((year) * 12 + (month) - 1)

/* One period on the horizontal axis: a category and the months it covers. */
typedef struct chart_period {
	const char *label; /* borrowed: "2021/22" */
	int first_month;   /* CHART_MONTH of its first month */
	int last_month;    /* CHART_MONTH of its last month (inclusive) */
} chart_period;

/* One series' estimate in one period. */
typedef struct chart_trend_point {
	double ratio;   /* point estimate; 0 and INFINITY allowed */
	double ci_low;  /* 0 allowed */
	double ci_high; /* INFINITY allowed */
	int estimable;  /* 0: a gap in the line, noted "no estimate" */
	int low_count;  /* 1: hollow marker, "too few cases" */
	int suppressed; /* 1: not shown, to protect small counts (a gap,
	                   noted as such); the estimate is ignored */
} chart_trend_point;

/* One line: the overall ratio or one organisation's. */
typedef struct chart_trend_series {
	const char *label;               /* borrowed: "All organisations" */
	const chart_trend_point *points; /* borrowed: one per period */
	int overall;                     /* 1: a heavier line */
} chart_trend_series;

/* A mentoring cohort (or any programme) as a span of months. */
typedef struct chart_cohort {
	const char *label; /* borrowed: "Cohort 1" */
	int first_month;   /* CHART_MONTH, inclusive */
	int last_month;
} chart_cohort;

/* What the trend chart shows. Organisation series after the sixth repeat
 * a colour and after the fifth a shape, never both before the thirtieth;
 * more than a few series will not read well. */
typedef struct chart_trend {
	const chart_period *periods;      /* in time order */
	size_t period_count;
	const chart_trend_series *series;
	size_t series_count;
	const chart_cohort *cohorts;      /* may be NULL */
	size_t cohort_count;
} chart_trend;

/* Words and sizes for the trend chart. Zero-initialise, then set. */
typedef struct chart_trend_style {
	const char *title;         /* bold line above the chart, or NULL */
	const char *period_label;  /* axis title: "Financial year"; NULL "Period" */
	const char *group1;        /* numerator group, "White"; NULL: no hint */
	const char *group2;        /* comparison group, "BME" */
	const char *outcome;       /* "to be appointed", or NULL */
	const char *cohort_legend; /* legend for the spans; NULL "Mentoring cohort" */
	double level;              /* confidence level, e.g. 0.95 */
	double axis_low;           /* axis range; 0 for one that fits */
	double axis_high;
	double plot_height;        /* points; 0 for CHART_TREND_HEIGHT */
	const char *note;          /* grey line(s) at the foot, or NULL */
} chart_trend_style;

#define CHART_TREND_HEIGHT 190.0

/* The log axis range that fits every series, as chart_ratio_range does. */
void chart_trend_range(double *out_low, double *out_high,
                       const chart_trend *trend);

/* Height in points that chart_trend_draw uses at this width. */
double chart_trend_height(cairo_t *cr, double width,
                          const chart_trend_style *style,
                          const chart_trend *trend);

/* Draw the trend chart with its top-left corner at (x, y), `width` wide.
 * Errors stick to `cr`. */
void chart_trend_draw(cairo_t *cr, double x, double y, double width,
                      const chart_trend_style *style, const chart_trend *trend);

/* Title and description of the trend chart; its inline SVG (as
 * chart_ratio_svg). */
void chart_trend_alt(chart_alt *out, const chart_trend_style *style,
                     const chart_trend *trend);
char *chart_trend_svg(double width, const chart_trend_style *style,
                      const chart_trend *trend, const chart_alt *alt,
                      const char *id);

/* Write the trend chart alone to `path` (as chart_ratio_write). */
int chart_trend_write(const char *path, parity_chart_format format,
                      double width, const chart_trend_style *style,
                      const chart_trend *trend);

/* ---- funnel plot (Spiegelhalter, Stat Med 2005;24:1185) --------------------
 * Each unit's ratio (log scale) against its size, with the 95% and 99.8%
 * control limits around the pooled value. Units outside the limits get
 * another marker shape; with many units only those outside are labelled. */

/* One organisation on the funnel. */
typedef struct chart_funnel_unit {
	const char *label; /* borrowed: organisation code "R0A" */
	double size;       /* horizontal: the precision measure named in
	                      the style's size_label */
	double ratio;      /* vertical; 0 and INFINITY drawn as edge arrows */
	int estimable;     /* 0: not plotted; named in a note */
	int outside95;     /* -1 below the 95% limits, +1 above, 0 within
	                      (parity_funnel_point.outside95) */
	int outside998;    /* the same for the 99.8% limits */
	int suppressed;    /* 1: not plotted, to protect small counts; named
	                      in a note */
} chart_funnel_unit;

/* The control limits at one size (from parity_funnel_limits). */
typedef struct chart_funnel_limit {
	double size;    /* horizontal, as chart_funnel_unit.size */
	double low95;   /* ratios; 0 and INFINITY allowed */
	double high95;
	double low998;
	double high998;
} chart_funnel_limit;

/* What the funnel plot shows. */
typedef struct chart_funnel {
	const chart_funnel_unit *units;
	size_t unit_count;
	const chart_funnel_limit *limits; /* ascending size; drawn as curves */
	size_t limit_count;
	double target;                    /* the pooled value (> 0, finite) */
} chart_funnel;

/* Words and sizes for the funnel plot. Zero-initialise, then set. */
typedef struct chart_funnel_style {
	const char *title;        /* bold line above the chart, or NULL */
	const char *size_label;   /* horizontal axis title; NULL: "Precision
	                             (1/SE² of the log ratio)" */
	const char *target_label; /* legend for the centre line; NULL:
	                             "Pooled ratio" */
	const char *unit_noun;    /* "organisations" (NULL: that), for notes */
	const char *group1;       /* numerator group, "White"; NULL: no hint */
	const char *group2;       /* comparison group, "BME" */
	const char *outcome;      /* "to be appointed", or NULL */
	double axis_low;          /* ratio axis range; 0 for one that fits */
	double axis_high;
	double size_max;          /* horizontal axis end; 0 for one that fits */
	double plot_height;       /* points; 0 for CHART_FUNNEL_HEIGHT */
	size_t label_all_max;     /* label every unit up to this many units
	                             (0: CHART_FUNNEL_LABEL_ALL); above it only
	                             those outside the 95% limits */
	const char *note;         /* grey line(s) at the foot, or NULL */
} chart_funnel_style;

#define CHART_FUNNEL_HEIGHT 230.0
#define CHART_FUNNEL_LABEL_ALL 15

/* Height in points that chart_funnel_draw uses at this width. */
double chart_funnel_height(cairo_t *cr, double width,
                           const chart_funnel_style *style,
                           const chart_funnel *funnel);

/* Draw the funnel plot with its top-left corner at (x, y), `width` wide.
 * Errors stick to `cr`. */
void chart_funnel_draw(cairo_t *cr, double x, double y, double width,
                       const chart_funnel_style *style,
                       const chart_funnel *funnel);

/* Title and description of the funnel plot; its inline SVG (as
 * chart_ratio_svg). */
void chart_funnel_alt(chart_alt *out, const chart_funnel_style *style,
                      const chart_funnel *funnel);
char *chart_funnel_svg(double width, const chart_funnel_style *style,
                       const chart_funnel *funnel, const chart_alt *alt,
                       const char *id);

/* Write the funnel plot alone to `path` (as chart_ratio_write). */
int chart_funnel_write(const char *path, parity_chart_format format,
                       double width, const chart_funnel_style *style,
                       const chart_funnel *funnel);

/* ---- pipelines --------------------------------------------------------------
 * For each stage (recruitment: shortlisted of applicants, appointed of
 * shortlisted, appointed of applicants; or any stages given with their
 * counts, such as how far formal cases went) a block of horizontal bars,
 * one per group, each named and labelled with its percentage. */

#define CHART_PIPELINE_STAGES 3      /* recruitment's */
#define CHART_PIPELINE_MAX_STAGES 8  /* any pipeline's */

/* One group's counts through the pipeline. */
typedef struct chart_pipeline_group {
	const char *label;    /* borrowed: "White", "BME", "Not stated" */
	uint64_t applied;     /* recruitment: applications */
	uint64_t shortlisted; /* of which shortlisted */
	uint64_t appointed;   /* of which appointed */
} chart_pipeline_group;

/* Another pipeline's counts for one group (style.stages > 0): stage k's
 * count and its base. */
typedef struct chart_pipeline_counts {
	uint64_t reached[CHART_PIPELINE_MAX_STAGES];
	uint64_t base[CHART_PIPELINE_MAX_STAGES];
} chart_pipeline_counts;

/* Words and sizes for the pipeline chart. Zero-initialise, then set. */
typedef struct chart_pipeline_style {
	const char *title;       /* bold line above the chart, or NULL */
	size_t stages;           /* 0: recruitment's three stages; else this many
	                            (at most CHART_PIPELINE_MAX_STAGES), counted
	                            in `counts` */
	const chart_pipeline_counts *counts; /* with stages: one per group, in
	                            the groups' order (their labels only are used) */
	const char *stage_labels[CHART_PIPELINE_MAX_STAGES]; /* NULL: recruitment's
	                            "Shortlisted, as % of applicants", ... */
	const char *empty_text;  /* a bar with no base; NULL: recruitment's words */
	uint64_t few_cases;      /* a bar whose base is below this is hollow,
	                            "too few cases"; 0: never */
	int show_counts;         /* 1: "23.4% (57 of 243)"; counts print as
	                            given, so suppress before asking */
	double bar_height;       /* points; 0 for CHART_BAR_DEFAULT */
	const char *note;        /* grey line(s) at the foot, or NULL */
} chart_pipeline_style;

#define CHART_BAR_DEFAULT 13.0

/* Height in points that chart_pipeline_draw uses at this width. */
double chart_pipeline_height(cairo_t *cr, double width,
                             const chart_pipeline_style *style,
                             const chart_pipeline_group *groups, size_t count);

/* Draw the pipeline chart with its top-left corner at (x, y), `width`
 * wide. Errors stick to `cr`. */
void chart_pipeline_draw(cairo_t *cr, double x, double y, double width,
                         const chart_pipeline_style *style,
                         const chart_pipeline_group *groups, size_t count);

/* The number of stages, stage k's label, and the label of group i's bar
 * at stage k ("23.4%", "no applications", "12.5% (too few cases)") as the
 * chart prints them. */
int chart_pipeline_stage_count(const chart_pipeline_style *style);
const char *chart_pipeline_stage_label(const chart_pipeline_style *style, int k);
void chart_pipeline_bar_label(char *buf, size_t size,
                              const chart_pipeline_style *style,
                              const chart_pipeline_group *groups, size_t i, int k);

/* Title and description of the pipeline chart (each stage's percentages
 * as the bars label them); its inline SVG (as chart_ratio_svg). */
void chart_pipeline_alt(chart_alt *out, const chart_pipeline_style *style,
                        const chart_pipeline_group *groups, size_t count);
char *chart_pipeline_svg(double width, const chart_pipeline_style *style,
                         const chart_pipeline_group *groups, size_t count,
                         const chart_alt *alt, const char *id);

/* Write the pipeline chart alone to `path` (as chart_ratio_write). */
int chart_pipeline_write(const char *path, parity_chart_format format,
                         double width, const chart_pipeline_style *style,
                         const chart_pipeline_group *groups, size_t count);

/* ---- event study (chart_event.c) -------------------------------------------
 * A programme's effect by years since joining: the ratio of ratios at each
 * event time with its interval, on a log scale, the line at 1 and a rule
 * where the programme starts. */

/* One event time's pooled estimate. */
typedef struct chart_event_point {
	int event;      /* years since joining: -2, -1, 0 (the joining year), 1 */
	double ratio;   /* ratio of ratios */
	double ci_low;  /* its interval */
	double ci_high;
	int estimable;  /* 0: "no estimate" */
	int suppressed; /* 1: not shown, to protect small counts */
} chart_event_point;

/* Words and sizes. Zero-initialise, then set. */
typedef struct chart_event_style {
	const char *title;   /* bold line above the chart, or NULL */
	double level;        /* confidence level, e.g. 0.95 */
	double plot_height;  /* points; 0 for CHART_EVENT_HEIGHT */
	const char *note;    /* grey line(s) at the foot, or NULL */
} chart_event_style;

#define CHART_EVENT_HEIGHT 170.0

/* Height in points for this width (the `cr` only measures text). */
double chart_event_height(cairo_t *cr, double width, const chart_event_style *style,
                          const chart_event_point *points, size_t count);

/* Draw with the top-left corner at (x, y); errors stick to `cr`. */
void chart_event_draw(cairo_t *cr, double x, double y, double width,
                      const chart_event_style *style, const chart_event_point *points,
                      size_t count);

/* The chart's title and description, every point in words. */
void chart_event_alt(chart_alt *out, const chart_event_style *style,
                     const chart_event_point *points, size_t count);

/* Write the chart alone as PNG or SVG (see chart_ratio_write). */
int chart_event_write(const char *path, parity_chart_format format, double width,
                      const chart_event_style *style, const chart_event_point *points,
                      size_t count);

/* Inline SVG for HTML (see chart_ratio_svg); g_free the text. */
char *chart_event_svg(double width, const chart_event_style *style,
                      const chart_event_point *points, size_t count,
                      const chart_alt *alt, const char *id);

#endif
