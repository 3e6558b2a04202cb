/*
 * chart.h: charts drawn into any cairo context (a PDF page, a PNG image or
 * an SVG file). The ratio (forest) chart shows each stratum's relative
 * likelihood as a marker with its confidence interval on a log scale.
 */
#ifndef PARITY_CHART_H
#define PARITY_CHART_H

#include "parity/report.h"

#include <cairo.h>
#include <stddef.h>

/* One row of the ratio chart. */
typedef struct chart_ratio_item {
	const char *label; /* borrowed: "R0A", "All organisations" */
	double ratio;      /* point estimate; 0 and INFINITY allowed */
	double ci_low;     /* 0 allowed */
	double ci_high;    /* INFINITY allowed */
	int estimable;     /* 0: drawn as "no estimate" */
	int low_count;     /* 1: hollow marker, "too few cases" */
	int overall;       /* 1: diamond, below a rule; put these last */
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
 * into place. Returns 0 or PARITY_EIO with a message naming `path`.
 */
int chart_ratio_write(const char *path, parity_chart_format format,
                      double width, const chart_ratio_style *style,
                      const chart_ratio_item *items, size_t count);

#endif
