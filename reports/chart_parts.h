/*
 * chart_parts.h: the pieces every chart shares, private to reports/chart*.c:
 * log and linear axis ticks, marker shapes, hatching, rotated text, a legend
 * that wraps into lines, and the standalone PNG/SVG writer.
 */
#ifndef PARITY_CHART_PARTS_H
#define PARITY_CHART_PARTS_H

#include "chart.h"
#include "draw.h"
#include "parity/report.h"

#include <cairo.h>
#include <stddef.h>

/* The non-adverse band and the widest log axis any chart draws. */
#define CHART_BAND_LOW 0.80
#define CHART_BAND_HIGH 1.25
#define CHART_AXIS_MIN 0.02
#define CHART_AXIS_MAX 50.0
#define CHART_MAX_TICKS 24

/* Fonts the charts share (never below DRAW_MIN_FONT_PT). */
extern const draw_font chart_label_font;  /* 8.5 pt */
extern const draw_font chart_label_bold;  /* 8.5 pt bold */
extern const draw_font chart_small_font;  /* 8 pt */
extern const draw_font chart_small_italic; /* 8 pt italic */
extern const draw_font chart_title_font;  /* 10 pt bold */

/* ---- axes ---------------------------------------------------------------*/

/* The largest of 1, 2, 5 x 10^k not above v (round_up: smallest not below). */
double chart_nice_value(double v, int round_up);

/* A log axis range of nice values covering [lo, hi] and the 0.80-1.25 band,
 * with a 10% margin, within CHART_AXIS_MIN..CHART_AXIS_MAX. Non-finite or
 * non-positive inputs are ignored. */
void chart_log_range(double *out_low, double *out_high, double lo, double hi);

/* Where ratio v falls on a log axis from lo to hi, as a fraction 0..1 (may
 * lie outside for v outside the range; -inf for 0, inf for infinity). */
double chart_log_frac(double v, double lo, double hi);

/*
 * Tick values for a log axis [lo, hi] drawn `length` points long, whose
 * labels ("%g") do not collide, most important first: 1, the ends, powers
 * of ten, 2 and 5 x 10^k, then the band edges. `vertical` spaces them by
 * line height instead of label width. Writes up to `cap` values to `out`
 * (at most CHART_MAX_TICKS); returns how many.
 */
size_t chart_log_ticks(double *out, size_t cap, cairo_t *cr, double lo,
                       double hi, double length, int vertical);

/* The width of the widest of `count` log-axis tick labels ("%g", in
 * chart_small_font): the room the labels beside a vertical axis need. */
double chart_log_ticks_width(cairo_t *cr, const double *ticks, size_t count);

/* A step of 1, 2 or 5 x 10^k that cuts `span` into at most `max_ticks`
 * intervals (at least one). */
double chart_nice_step(double span, int max_ticks);

/* A linear tick label: "1,200" for whole numbers, else "%g"; `suffix`
 * (e.g. "%") is appended. */
void chart_linear_label(char *buf, size_t size, double v, const char *suffix);

/* ---- marks --------------------------------------------------------------*/

/* Marker shapes; each chart says in its legend what a shape means. */
typedef enum chart_shape {
	CHART_CIRCLE = 0,
	CHART_SQUARE,
	CHART_TRIANGLE_UP,
	CHART_DIAMOND,
	CHART_TRIANGLE_DOWN,
	CHART_CROSS,        /* a plus sign, filled */
	CHART_SHAPE_COUNT
} chart_shape;

/*
 * A marker of `shape` centred on (cx, cy), sized so that shapes of the same
 * `r` look equally heavy: filled with `fill` and outlined with `line`, or
 * white inside with a heavier outline when `hollow`.
 */
void chart_marker(cairo_t *cr, chart_shape shape, double cx, double cy,
                  double r, draw_colour fill, draw_colour line, int hollow);

/* A filled arrowhead with its tip at (tx, ty) pointing along (dx, dy) (a
 * unit vector), `len` long and `half` wide each side, in the current
 * source. */
void chart_arrow(cairo_t *cr, double tx, double ty, double dx, double dy,
                 double len, double half);

/* Diagonal hatching (lines rising to the right every `spacing` points) over
 * the rectangle, in the current source and line width. */
void chart_hatch(cairo_t *cr, double x, double y, double w, double h,
                 double spacing);

/* Text turned a quarter left (reading upwards), centred on (cx, cy). */
void chart_text_up(cairo_t *cr, double cx, double cy, draw_font font,
                   const char *text);

/* ---- legend -------------------------------------------------------------*/

#define CHART_LEGEND_MAX 48
#define CHART_LEGEND_SYMBOL 16.0

/* One legend entry: a symbol the chart draws, and its words. */
typedef struct chart_legend_entry {
	int kind;        /* the chart's own symbol code */
	int index;       /* e.g. the series number */
	char text[112];
	double x, dy;    /* offset from the legend's corner (layout) */
} chart_legend_entry;

typedef struct chart_legend {
	chart_legend_entry entries[CHART_LEGEND_MAX];
	size_t count;
	double height;   /* after chart_legend_layout */
} chart_legend;

/* Append an entry (ignored when the legend is full). */
void chart_legend_add(chart_legend *legend, int kind, int index,
                      const char *text);

/* Place the entries in lines no wider than `width`; sets legend->height. */
void chart_legend_layout(chart_legend *legend, cairo_t *cr, double width);

/* Draws entry `e`'s symbol in a CHART_LEGEND_SYMBOL-wide box from x,
 * centred on height cy. */
typedef void (*chart_symbol_fn)(cairo_t *cr, const chart_legend_entry *e,
                                double x, double cy, const void *context);

/* Draw the laid-out legend with its top-left corner at (x, y). */
void chart_legend_draw(const chart_legend *legend, cairo_t *cr, double x,
                       double y, double width, chart_symbol_fn symbol,
                       const void *context);

/* ---- files --------------------------------------------------------------*/

/* A chart's height for a width, and its drawing at (x, y); `chart` is the
 * caller's bundle of style and data. */
typedef double (*chart_measure_fn)(cairo_t *cr, double width,
                                   const void *chart);
typedef void (*chart_paint_fn)(cairo_t *cr, double x, double y, double width,
                               const void *chart);

/*
 * Write one chart alone to `path` as PNG (144 dpi) or SVG, `width` points
 * wide plus a margin, on a white background, via a temporary file renamed
 * into place. Returns 0, PARITY_EUSAGE for a missing path or a width that
 * is not positive, or PARITY_EIO with a message naming `path`.
 */
int chart_write_file(const char *path, parity_chart_format format,
                     double width, chart_measure_fn measure,
                     chart_paint_fn paint, const void *chart,
                     const chart_alt *alt);

/*
 * The chart as SVG text, `width` points wide plus a margin, on white:
 * <svg role="img" aria-labelledby> with <title> and <desc> from `alt`, its
 * text as <text> elements (draw_text_capture), every id prefixed with
 * `id`. For a file, `standalone` keeps the XML declaration. NULL when out
 * of memory or cairo fails; the caller frees with g_free.
 */
char *chart_svg_text(double width, chart_measure_fn measure, chart_paint_fn paint,
                     const void *chart, const chart_alt *alt, const char *id,
                     int standalone);

/* chart_svg_text for inline use (no XML declaration). */
char *chart_svg_string(double width, chart_measure_fn measure, chart_paint_fn paint,
                       const void *chart, const chart_alt *alt, const char *id);

#endif
