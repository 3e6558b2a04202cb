/*
 * chart.c: the ratio (forest) chart: labels, markers with interval whiskers
 * on a log axis, the 0.80-1.25 band, a line at 1, figures and a legend, the
 * overall row as a diamond (spanning its interval when pooled) and a note;
 * drawn into any cairo context or written alone as PNG or SVG.
 */
#include "chart.h"

#include "chart_parts.h"
#include "draw.h"
#include "parity/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BAND_LOW CHART_BAND_LOW
#define BAND_HIGH CHART_BAND_HIGH
#define INTERVAL_SPAN_MIN 0.1 /* intervals stretch the axis this far, no more */
#define INTERVAL_SPAN_MAX 10.0
#define OVERALL_GAP 6.0
#define MAX_TICKS CHART_MAX_TICKS

static const draw_font label_font = {8.5, 0, 0, 0};
static const draw_font label_bold = {8.5, 1, 0, 0};
static const draw_font small_font = {8.0, 0, 0, 0};
static const draw_font small_italic = {8.0, 0, 1, 0};
static const draw_font title_font = {10.0, 1, 0, 0};

/* ---- axis range and ticks ---------------------------------------------- */

void chart_ratio_range(double *out_low, double *out_high,
                       const chart_ratio_item *items, size_t count)
{
	double lo = BAND_LOW, hi = BAND_HIGH;
	for (size_t i = 0; i < count; i++) {
		const chart_ratio_item *it = &items[i];
		if (!it->estimable || it->suppressed || it->heading)
			continue;
		if (isfinite(it->ratio) && it->ratio > 0) {
			lo = fmin(lo, it->ratio);
			hi = fmax(hi, it->ratio);
		}
		/* Intervals widen the axis only so far: one enormous interval
		 * from a handful of cases must not squash every other row. */
		if (isfinite(it->ci_low) && it->ci_low > 0)
			lo = fmin(lo, fmax(it->ci_low, INTERVAL_SPAN_MIN));
		if (isfinite(it->ci_high) && it->ci_high > 0)
			hi = fmax(hi, fmin(it->ci_high, INTERVAL_SPAN_MAX));
	}
	chart_log_range(out_low, out_high, lo, hi);
}

/* Horizontal position of ratio v on the log axis (v within the range). */
static double axis_x(double v, double lo, double hi, double x0, double w)
{
	return x0 + (log(v) - log(lo)) / (log(hi) - log(lo)) * w;
}

/* ---- layout -------------------------------------------------------------- */

enum legend_kind {
	LEGEND_POINT, LEGEND_LOW, LEGEND_OVERALL, LEGEND_POOLED, LEGEND_INTERVAL,
	LEGEND_BAND, LEGEND_ARROW, LEGEND_KINDS
};

#define LEGEND_SYMBOL 14.0
#define LEGEND_SPACING 14.0

/* Where everything goes; computed the same way for measuring and drawing. */
typedef struct geometry {
	double x, y, w;
	double title_h;
	double head_y, head_h;        /* column headings */
	double label_w;               /* label column: x .. x+label_w */
	double plot_x, plot_w;        /* the axis */
	double num_x, num_w;          /* the figures column */
	double rows_y, row_h;         /* first row's top, height of each */
	double axis_y;                /* the axis line (below the last row) */
	double ticks_y, axis_title_y, hints_y;
	double legend_y, legend_h;
	double note_y, note_h;        /* the note line(s) under the legend */
	double total_h;
	double lo, hi;                /* axis range */
	int legend[LEGEND_KINDS];     /* which legend entries appear */
	char legend_text[LEGEND_KINDS][96];
	double legend_x[LEGEND_KINDS], legend_dy[LEGEND_KINDS];
} geometry;

/* Whether row `it` is drawn as a pooled diamond spanning its interval. */
static int item_pooled(const chart_ratio_style *s, const chart_ratio_item *it)
{
	return it->overall && (it->pooled || s->pooled);
}

/* The figures for one row: "1.61 (1.40 to 1.85)", "no estimate" or
 * "suppressed (small numbers)". */
static void item_figures(char *buf, size_t size, const chart_ratio_item *it)
{
	char r[24], ci[56];
	if (it->heading) {
		buf[0] = '\0';
		return;
	}
	if (it->suppressed) {
		snprintf(buf, size, "suppressed (small numbers)");
		return;
	}
	if (!it->estimable && it->axis_text) {
		snprintf(buf, size, "%s", it->axis_text);
		return;
	}
	if (!it->estimable) {
		snprintf(buf, size, "no estimate");
		return;
	}
	snprintf(buf, size, "%s (%s)", draw_format_ratio(r, sizeof r, it->ratio),
	         draw_format_interval(ci, sizeof ci, it->ci_low, it->ci_high));
}

/* Top of row i: rows run down from rows_y, with a gap before the first
 * overall row that follows organisation rows. */
static double row_top(const geometry *g, const chart_ratio_item *items,
                      size_t i)
{
	double y = g->rows_y + (double)i * g->row_h;
	for (size_t j = 1; j <= i; j++) {
		if (items[j].overall && !items[j - 1].overall) {
			y += OVERALL_GAP;
			break;
		}
	}
	return y;
}

static int interval_clipped(const chart_ratio_item *it, double lo, double hi)
{
	return it->estimable && !it->suppressed && !it->heading &&
	       (!(it->ci_low >= lo) || !(it->ci_high <= hi) ||
	                         !(it->ratio >= lo) || !(it->ratio <= hi));
}

/* Lay the legend's entries out in lines within the chart's width. */
static void layout_legend(geometry *g, cairo_t *cr,
                          const chart_ratio_style *s,
                          const chart_ratio_item *items, size_t count)
{
	const char *overall_label = "All", *pooled_label = "All";
	for (size_t i = 0; i < count; i++) {
		if (!items[i].estimable || items[i].suppressed || items[i].heading)
			continue;
		if (item_pooled(s, &items[i])) {
			g->legend[LEGEND_POOLED] = 1;
			pooled_label = items[i].label ? items[i].label : "All";
		} else if (items[i].overall) {
			g->legend[LEGEND_OVERALL] = 1;
			overall_label = items[i].label ? items[i].label : "All";
		} else if (items[i].low_count) {
			g->legend[LEGEND_LOW] = 1;
		} else {
			g->legend[LEGEND_POINT] = 1;
		}
		if (interval_clipped(&items[i], g->lo, g->hi))
			g->legend[LEGEND_ARROW] = 1;
	}
	g->legend[LEGEND_INTERVAL] = 1;
	g->legend[LEGEND_BAND] = 1;

	snprintf(g->legend_text[LEGEND_POINT], 96, "%s",
	         s->label_heading ? s->label_heading : "Estimate");
	snprintf(g->legend_text[LEGEND_LOW], 96,
	         "Too few cases to draw a conclusion");
	/* A label that already says "pooled" needs no second telling. */
	snprintf(g->legend_text[LEGEND_POOLED], 96,
	         strstr(pooled_label, "pooled")
	         ? "%s: the diamond spans its interval"
	         : "%s: pooled ratio, the diamond spans its interval",
	         pooled_label);
	snprintf(g->legend_text[LEGEND_OVERALL], 96, "%s", overall_label);
	snprintf(g->legend_text[LEGEND_INTERVAL], 96,
	         "%g%% confidence interval", (s->level > 0 ? s->level : 0.95) * 100);
	snprintf(g->legend_text[LEGEND_BAND], 96,
	         "Non-adverse range 0.80 to 1.25");
	snprintf(g->legend_text[LEGEND_ARROW], 96,
	         "Interval continues beyond the axis");

	double line_h = draw_line_height(cr, small_font) + 3;
	double cx = 0, cy = 0;
	for (int k = 0; k < LEGEND_KINDS; k++) {
		if (!g->legend[k])
			continue;
		double tw = 0;
		draw_text_size(&tw, NULL, cr, 0, small_font, 0, g->legend_text[k]);
		double need = LEGEND_SYMBOL + 4 + tw;
		if (cx > 0 && cx + need > g->w) {
			cx = 0;
			cy += line_h;
		}
		g->legend_x[k] = cx;
		g->legend_dy[k] = cy;
		cx += need + LEGEND_SPACING;
	}
	g->legend_h = cy + line_h;
}

static void layout(geometry *g, cairo_t *cr, double x, double y, double w,
                   const chart_ratio_style *s, const chart_ratio_item *items,
                   size_t count)
{
	memset(g, 0, sizeof *g);
	g->x = x;
	g->y = y;
	g->w = w;
	g->row_h = s->row_height > 0 ? fmax(s->row_height, CHART_ROW_MIN)
	                             : CHART_ROW_DEFAULT;
	if (s->axis_low > 0 && s->axis_high > s->axis_low) {
		g->lo = s->axis_low;
		g->hi = s->axis_high;
	} else {
		chart_ratio_range(&g->lo, &g->hi, items, count);
	}

	double cy = y;
	if (s->title) {
		double h = 0;
		draw_text_size(NULL, &h, cr, w, title_font, 0, s->title);
		g->title_h = h + 8;
		cy += g->title_h;
	}

	double widest = 0, tw = 0;
	draw_text_size(&widest, NULL, cr, 0, label_bold, 0,
	               s->label_heading ? s->label_heading : "");
	for (size_t i = 0; i < count; i++) {
		draw_text_size(&tw, NULL, cr, 0,
		               items[i].overall || items[i].heading ? label_bold
		                                                    : label_font, 0,
		               items[i].label ? items[i].label : "");
		/* A heading may reach into the plot: nothing else is on its row. */
		if (!items[i].heading)
			widest = fmax(widest, tw);
	}
	g->label_w = s->hide_labels ? 0
	             : s->label_width > 0 ? fmin(s->label_width, w * 0.7)
	                                  : fmin(fmax(widest + 10, 50), w * 0.38);

	char figures[96], heading[48];
	snprintf(heading, sizeof heading, "Ratio (%g%% CI)",
	         (s->level > 0 ? s->level : 0.95) * 100);
	draw_text_size(&widest, NULL, cr, 0, label_bold, 0, heading);
	for (size_t i = 0; i < count; i++) {
		item_figures(figures, sizeof figures, &items[i]);
		draw_text_size(&tw, NULL, cr, 0,
		               items[i].overall ? label_bold : label_font, 0,
		               figures);
		widest = fmax(widest, tw);
	}
	g->num_w = s->hide_figures ? 0 : fmin(widest + 6, w * 0.3);
	g->num_x = x + w - g->num_w;
	/* Panels side by side keep their end tick labels apart. */
	g->plot_x = x + g->label_w + (s->hide_labels ? 9 : 6);
	g->plot_w = g->num_x - (s->hide_figures ? 9 : 12) - g->plot_x;

	g->head_y = cy;
	g->head_h = draw_line_height(cr, label_bold) + 5;
	cy += g->head_h;
	g->rows_y = cy;
	cy = count ? row_top(g, items, count - 1) + g->row_h : cy;
	g->axis_y = cy;
	cy += 5;
	g->ticks_y = cy;
	cy += draw_line_height(cr, small_font) + 1;
	if (s->compact) {
		g->total_h = cy + 2 - y;
		return;
	}
	g->axis_title_y = cy;
	cy += draw_line_height(cr, small_font) + 2;
	if (s->group1 && s->group2) {
		g->hints_y = cy;
		cy += draw_line_height(cr, small_font) + 2;
	}
	cy += 6;
	g->legend_y = cy;
	layout_legend(g, cr, s, items, count);
	cy += g->legend_h;
	if (s->note && *s->note) {
		double h = 0;
		cy += 3;
		draw_text_size(NULL, &h, cr, w, small_font, 0, s->note);
		g->note_y = cy;
		g->note_h = h;
		cy += h;
	}
	g->total_h = cy - y;
}

double chart_ratio_height(cairo_t *cr, double width,
                          const chart_ratio_style *style,
                          const chart_ratio_item *items, size_t count)
{
	geometry g;
	layout(&g, cr, 0, 0, width, style, items, count);
	return g.total_h;
}

/* ---- markers ----------------------------------------------------------- */

/* Fill the current path with `fill` (or white when hollow) and outline it. */
static void fill_and_outline(cairo_t *cr, draw_colour fill, draw_colour line,
                             int hollow)
{
	draw_colour_set(cr, hollow ? DRAW_WHITE : fill);
	cairo_fill_preserve(cr);
	draw_colour_set(cr, line);
	cairo_set_line_width(cr, hollow ? 1.3 : 0.8);
	cairo_stroke(cr);
}

static void marker_circle(cairo_t *cr, double cx, double cy, double r,
                          int hollow)
{
	cairo_new_path(cr);
	cairo_arc(cr, cx, cy, r, 0, 2 * 3.14159265358979324);
	fill_and_outline(cr, DRAW_BLUE, DRAW_BLUE, hollow);
}

static void marker_diamond(cairo_t *cr, double cx, double cy, double r,
                           int hollow)
{
	cairo_new_path(cr);
	cairo_move_to(cr, cx, cy - r);
	cairo_line_to(cr, cx + r, cy);
	cairo_line_to(cr, cx, cy + r);
	cairo_line_to(cr, cx - r, cy);
	cairo_close_path(cr);
	fill_and_outline(cr, DRAW_ORANGE, DRAW_BLACK, hollow);
}

/* A triangle with its tip at (tip_x, cy) pointing left (dir -1) or right. */
static void arrow_head(cairo_t *cr, double tip_x, double cy, int dir,
                       double len, double half)
{
	cairo_new_path(cr);
	cairo_move_to(cr, tip_x, cy);
	cairo_line_to(cr, tip_x - dir * len, cy - half);
	cairo_line_to(cr, tip_x - dir * len, cy + half);
	cairo_close_path(cr);
	cairo_fill(cr);
}

/* ---- drawing ----------------------------------------------------------- */

/*
 * A pooled overall estimate: a diamond whose side points are the interval's
 * limits and whose top and bottom sit at the estimate, cut at the axis ends
 * with an arrowhead where the interval runs on.
 */
static void draw_pooled(cairo_t *cr, const geometry *g,
                        const chart_ratio_item *it, double cy)
{
	double x0 = g->plot_x, x1 = g->plot_x + g->plot_w;
	int clip_left = !(it->ci_low >= g->lo);
	int clip_right = !(it->ci_high <= g->hi);
	double px = axis_x(it->ratio, g->lo, g->hi, x0, g->plot_w);
	double a = clip_left ? fmin(x0, px) - 40
	                     : axis_x(it->ci_low, g->lo, g->hi, x0, g->plot_w);
	double b = clip_right ? fmax(x1, px) + 40
	                      : axis_x(it->ci_high, g->lo, g->hi, x0, g->plot_w);
	double h = fmin(g->row_h * 0.36, 5.5);

	cairo_save(cr);
	cairo_rectangle(cr, x0, cy - h - 1, x1 - x0, 2 * h + 2);
	cairo_clip(cr);
	cairo_new_path(cr);
	cairo_move_to(cr, a, cy);
	cairo_line_to(cr, px, cy - h);
	cairo_line_to(cr, b, cy);
	cairo_line_to(cr, px, cy + h);
	cairo_close_path(cr);
	fill_and_outline(cr, DRAW_ORANGE, DRAW_BLACK, 0);
	cairo_restore(cr);

	/* The estimate itself, so a narrow diamond still shows its centre. */
	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 1.0);
	cairo_move_to(cr, px, cy - h - 1.5);
	cairo_line_to(cr, px, cy + h + 1.5);
	cairo_stroke(cr);
	if (clip_left)
		arrow_head(cr, x0 - 1, cy, -1, 6, 3);
	if (clip_right)
		arrow_head(cr, x1 + 1, cy, 1, 6, 3);
}

/* The whisker and marker of one estimable row centred on height cy. */
static void draw_estimate(cairo_t *cr, const geometry *g,
                          const chart_ratio_item *it, double cy)
{
	double x0 = g->plot_x, x1 = g->plot_x + g->plot_w;
	if (it->overall && it->pooled && it->ratio >= g->lo &&
	    it->ratio <= g->hi) {
		draw_pooled(cr, g, it, cy);
		return;
	}
	int clip_left = !(it->ci_low >= g->lo);
	int clip_right = !(it->ci_high <= g->hi);
	double a = clip_left ? x0 : axis_x(it->ci_low, g->lo, g->hi, x0, g->plot_w);
	double b = clip_right ? x1 : axis_x(it->ci_high, g->lo, g->hi, x0, g->plot_w);
	draw_colour line = it->overall ? DRAW_BLACK : DRAW_BLUE;

	draw_colour_set(cr, line);
	cairo_set_line_width(cr, it->overall ? 1.4 : 1.2);
	cairo_move_to(cr, clip_left ? a + 4 : a, cy);
	cairo_line_to(cr, clip_right ? b - 4 : b, cy);
	if (!clip_left) {
		cairo_move_to(cr, a, cy - 2.5);
		cairo_line_to(cr, a, cy + 2.5);
	}
	if (!clip_right) {
		cairo_move_to(cr, b, cy - 2.5);
		cairo_line_to(cr, b, cy + 2.5);
	}
	cairo_stroke(cr);
	if (clip_left)
		arrow_head(cr, x0, cy, -1, 6, 3);
	if (clip_right)
		arrow_head(cr, x1, cy, 1, 6, 3);

	/* An estimate beyond the axis (0, infinity or just far out) sits at
	 * the edge as a larger arrowhead; its figure says which value. */
	if (!(it->ratio >= g->lo) || !(it->ratio <= g->hi)) {
		int dir = it->ratio > g->hi ? 1 : -1;
		double tip = dir > 0 ? x1 + 2 : x0 - 2;
		draw_colour fill = it->overall ? DRAW_ORANGE : DRAW_BLUE;
		cairo_new_path(cr);
		cairo_move_to(cr, tip, cy);
		cairo_line_to(cr, tip - dir * 8, cy - 4.5);
		cairo_line_to(cr, tip - dir * 8, cy + 4.5);
		cairo_close_path(cr);
		fill_and_outline(cr, fill, it->overall ? DRAW_BLACK : DRAW_BLUE,
		                 it->low_count && !it->overall);
		return;
	}
	double px = axis_x(it->ratio, g->lo, g->hi, x0, g->plot_w);
	double r = fmin(g->row_h * 0.28, 4.0);
	if (it->overall)
		marker_diamond(cr, px, cy, r * 1.6, 0);
	else
		marker_circle(cr, px, cy, r, it->low_count);
}

/* Symbol for legend entry `k` in a LEGEND_SYMBOL-wide box centred on cy. */
static void legend_symbol(cairo_t *cr, int k, double x, double cy)
{
	double mid = x + LEGEND_SYMBOL / 2;
	switch (k) {
	case LEGEND_POINT: marker_circle(cr, mid, cy, 3.5, 0); break;
	case LEGEND_LOW: marker_circle(cr, mid, cy, 3.5, 1); break;
	case LEGEND_POOLED:
		cairo_new_path(cr);
		cairo_move_to(cr, x - 1, cy);
		cairo_line_to(cr, mid, cy - 4.5);
		cairo_line_to(cr, x + LEGEND_SYMBOL + 1, cy);
		cairo_line_to(cr, mid, cy + 4.5);
		cairo_close_path(cr);
		fill_and_outline(cr, DRAW_ORANGE, DRAW_BLACK, 0);
		break;
	case LEGEND_OVERALL:
		marker_diamond(cr, mid, cy, 5, 0);
		break;
	case LEGEND_INTERVAL:
		draw_colour_set(cr, DRAW_BLUE);
		cairo_set_line_width(cr, 1.2);
		cairo_move_to(cr, x, cy);
		cairo_line_to(cr, x + LEGEND_SYMBOL, cy);
		cairo_move_to(cr, x, cy - 2.5);
		cairo_line_to(cr, x, cy + 2.5);
		cairo_move_to(cr, x + LEGEND_SYMBOL, cy - 2.5);
		cairo_line_to(cr, x + LEGEND_SYMBOL, cy + 2.5);
		cairo_stroke(cr);
		break;
	case LEGEND_BAND:
		draw_colour_set_alpha(cr, DRAW_SKY_BLUE, 0.35);
		cairo_rectangle(cr, x, cy - 5, LEGEND_SYMBOL, 10);
		cairo_fill(cr);
		break;
	case LEGEND_ARROW:
		draw_colour_set(cr, DRAW_BLUE);
		cairo_set_line_width(cr, 1.2);
		cairo_move_to(cr, x, cy);
		cairo_line_to(cr, x + LEGEND_SYMBOL - 4, cy);
		cairo_stroke(cr);
		arrow_head(cr, x + LEGEND_SYMBOL, cy, 1, 6, 3);
		break;
	default: break;
	}
}

/* Stripes, band, gridlines and the line at 1 behind the rows. */
static void draw_background(cairo_t *cr, const geometry *g,
                            const chart_ratio_item *items, size_t count,
                            const double *ticks, size_t tick_count)
{
	for (size_t i = 0; i < count; i++) {
		if (i % 2 == 0 || items[i].overall || items[i].heading)
			continue;
		draw_colour_set(cr, DRAW_PALE_GREY);
		cairo_rectangle(cr, g->x, row_top(g, items, i), g->w, g->row_h);
		cairo_fill(cr);
	}
	double top = g->rows_y, height = g->axis_y - g->rows_y;
	double b0 = axis_x(fmax(BAND_LOW, g->lo), g->lo, g->hi, g->plot_x, g->plot_w);
	double b1 = axis_x(fmin(BAND_HIGH, g->hi), g->lo, g->hi, g->plot_x, g->plot_w);
	draw_colour_set_alpha(cr, DRAW_SKY_BLUE, 0.35);
	cairo_rectangle(cr, b0, top, b1 - b0, height);
	cairo_fill(cr);

	draw_colour_set(cr, DRAW_MID_GREY);
	cairo_set_line_width(cr, 0.4);
	for (size_t t = 0; t < tick_count; t++) {
		double tx = axis_x(ticks[t], g->lo, g->hi, g->plot_x, g->plot_w);
		cairo_move_to(cr, tx, top);
		cairo_line_to(cr, tx, g->axis_y);
	}
	cairo_stroke(cr);

	double one = axis_x(1, g->lo, g->hi, g->plot_x, g->plot_w);
	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 1.0);
	cairo_move_to(cr, one, top - 2);
	cairo_line_to(cr, one, g->axis_y);
	cairo_stroke(cr);
}

/* Axis line, ticks, tick labels, axis title and the direction hints. */
static void draw_axis(cairo_t *cr, const geometry *g,
                      const chart_ratio_style *s, const double *ticks,
                      size_t tick_count)
{
	/* The axis line and tick marks are decoration: artifacts. */
	draw_artifact_begin(cr);
	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, g->plot_x, g->axis_y);
	cairo_line_to(cr, g->plot_x + g->plot_w, g->axis_y);
	for (size_t t = 0; t < tick_count; t++) {
		double tx = axis_x(ticks[t], g->lo, g->hi, g->plot_x, g->plot_w);
		cairo_move_to(cr, tx, g->axis_y);
		cairo_line_to(cr, tx, g->axis_y + 3);
	}
	cairo_stroke(cr);
	draw_artifact_end(cr);
	for (size_t t = 0; t < tick_count; t++) {
		char text[16];
		snprintf(text, sizeof text, "%g", ticks[t]);
		draw_text(cr, axis_x(ticks[t], g->lo, g->hi, g->plot_x, g->plot_w),
		          g->ticks_y, 0, small_font, DRAW_ALIGN_CENTRE, text);
	}
	if (s->compact)
		return;
	draw_text(cr, g->plot_x + g->plot_w / 2, g->axis_title_y, 0, label_bold,
	          DRAW_ALIGN_CENTRE, "Relative likelihood (log scale)");
	if (!s->group1 || !s->group2)
		return;

	/* "<- BME more likely to be appointed | White more likely ... ->",
	 * split at 1; the outcome words are dropped when they do not fit. */
	double one = axis_x(1, g->lo, g->hi, g->plot_x, g->plot_w);
	char left[160], right[160];
	double lw = 0, rw = 0;
	for (int with_outcome = 1; with_outcome >= 0; with_outcome--) {
		const char *outcome = with_outcome && s->outcome ? s->outcome : "";
		const char *sep = *outcome ? " " : "";
		snprintf(left, sizeof left, "\u2190 %s more likely%s%s", s->group2,
		         sep, outcome);
		snprintf(right, sizeof right, "%s more likely%s%s \u2192", s->group1,
		         sep, outcome);
		draw_text_size(&lw, NULL, cr, 0, small_italic, 0, left);
		draw_text_size(&rw, NULL, cr, 0, small_italic, 0, right);
		if (one - 6 - lw >= g->x && one + 6 + rw <= g->x + g->w)
			break;
	}
	double lx = fmax(one - 6 - lw, g->x);
	double rx = fmin(one + 6, g->x + g->w - rw);
	draw_colour_set(cr, DRAW_GREY);
	draw_text(cr, lx, g->hints_y, 0, small_italic, 0, left);
	draw_text(cr, rx, g->hints_y, 0, small_italic, 0, right);
	draw_colour_set(cr, DRAW_BLACK);
}

void chart_ratio_draw(cairo_t *cr, double x, double y, double width,
                      const chart_ratio_style *s,
                      const chart_ratio_item *items, size_t count)
{
	geometry g;
	double ticks[MAX_TICKS];
	char figures[96], heading[48];

	cairo_save(cr);
	layout(&g, cr, x, y, width, s, items, count);
	size_t tick_count = chart_log_ticks(ticks, MAX_TICKS, cr, g.lo, g.hi,
	                                    g.plot_w, 0);

	draw_colour_set(cr, DRAW_BLACK);
	if (s->title)
		draw_text(cr, x, y, width, title_font, 0, s->title);

	/* Column headings and a rule under them. */
	if (!s->hide_labels)
		draw_text(cr, x, g.head_y, g.label_w, label_bold, DRAW_ELLIPSIZE,
		          s->label_heading ? s->label_heading : "");
	if (s->plot_heading) {
		double hw = 0;
		draw_text_size(&hw, NULL, cr, 0, label_bold, 0, s->plot_heading);
		/* A panel without labels may use its whole width. */
		hw = fmin(hw, s->hide_labels ? width - 2 : g.plot_w + 8);
		draw_text(cr, g.plot_x + g.plot_w / 2 - hw / 2, g.head_y, hw,
		          label_bold, DRAW_ELLIPSIZE, s->plot_heading);
	}
	snprintf(heading, sizeof heading, "Ratio (%g%% CI)",
	         (s->level > 0 ? s->level : 0.95) * 100);
	if (!s->hide_figures)
		draw_text(cr, x + width, g.head_y, 0, label_bold, DRAW_ALIGN_RIGHT,
		          heading);
	draw_colour_set(cr, DRAW_MID_GREY);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, x, g.rows_y - 1.5);
	cairo_line_to(cr, x + width, g.rows_y - 1.5);
	cairo_stroke(cr);

	draw_artifact_begin(cr);
	draw_background(cr, &g, items, count, ticks, tick_count);
	draw_artifact_end(cr);

	for (size_t i = 0; i < count; i++) {
		const chart_ratio_item *it = &items[i];
		double top = row_top(&g, items, i);
		double cy = top + g.row_h / 2;
		draw_font font = it->overall || it->heading ? label_bold : label_font;
		double lh = draw_line_height(cr, font);

		if (it->heading && s->hide_labels)
			continue; /* the labels' panel says what follows */
		if (it->heading) {
			/* On a white patch over the band and gridlines. */
			double tw = 0;
			draw_text_size(&tw, NULL, cr, 0, font, 0,
			               it->label ? it->label : "");
			double reach = s->heading_width > 0 ? s->heading_width : width;
			draw_colour_set(cr, DRAW_WHITE);
			cairo_rectangle(cr, x, top, fmin(tw + 6, reach), g.row_h);
			cairo_fill(cr);
			draw_colour_set(cr, DRAW_BLACK);
			draw_text(cr, x, cy - lh / 2, reach, font, DRAW_ELLIPSIZE,
			          it->label ? it->label : "");
			continue;
		}

		if (it->overall && i > 0 && !items[i - 1].overall) {
			draw_colour_set(cr, DRAW_BLACK);
			cairo_set_line_width(cr, 0.6);
			cairo_move_to(cr, x, top - OVERALL_GAP / 2);
			cairo_line_to(cr, x + width, top - OVERALL_GAP / 2);
			cairo_stroke(cr);
		}
		draw_colour_set(cr, DRAW_BLACK);
		if (!s->hide_labels)
			draw_text(cr, x, cy - lh / 2, g.label_w - 4, font,
			          DRAW_ELLIPSIZE, it->label ? it->label : "");
		item_figures(figures, sizeof figures, it);
		if (!s->hide_figures)
			draw_text(cr, g.num_x, cy - lh / 2, g.num_w, font,
			          DRAW_ALIGN_RIGHT | DRAW_ELLIPSIZE, figures);
		if (it->estimable && !it->suppressed) {
			chart_ratio_item drawn = *it;
			drawn.pooled = item_pooled(s, it);
			draw_estimate(cr, &g, &drawn, cy);
			continue;
		}
		/* No estimate, or not shown: say so on the axis, on a white
		 * patch. */
		const char *why = it->suppressed
		                  ? (s->compact ? "suppressed"
		                                : "suppressed (small numbers)")
		                  : it->axis_text ? it->axis_text : "no estimate";
		if (!*why)
			continue;
		double tw = 0, th = 0;
		draw_text_size(&tw, &th, cr, 0, small_italic, 0, why);
		/* Centred on 1, but kept inside the plot, clear of the labels. */
		double one = axis_x(1, g.lo, g.hi, g.plot_x, g.plot_w);
		one = fmax(one, g.plot_x + tw / 2 + 3);
		one = fmin(one, g.plot_x + g.plot_w - tw / 2 - 3);
		draw_colour_set(cr, DRAW_WHITE);
		cairo_rectangle(cr, one - tw / 2 - 3, cy - th / 2, tw + 6, th);
		cairo_fill(cr);
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, one, cy - th / 2, 0, small_italic, DRAW_ALIGN_CENTRE,
		          why);
	}

	draw_axis(cr, &g, s, ticks, tick_count);

	double lh = draw_line_height(cr, small_font);
	for (int k = 0; k < LEGEND_KINDS && !s->compact; k++) {
		if (!g.legend[k])
			continue;
		double lx = x + g.legend_x[k];
		double ly = g.legend_y + g.legend_dy[k];
		legend_symbol(cr, k, lx, ly + lh / 2);
		draw_colour_set(cr, DRAW_BLACK);
		draw_text(cr, lx + LEGEND_SYMBOL + 4, ly, 0, small_font, 0,
		          g.legend_text[k]);
	}
	if (g.note_h > 0 && !s->compact) {
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, x, g.note_y, width, small_font, 0, s->note);
	}
	cairo_restore(cr);
}

/* ---- standalone files ---------------------------------------------------- */

/* The ratio chart's style and rows, for the shared file writer. */
typedef struct ratio_chart {
	const chart_ratio_style *style;
	const chart_ratio_item *items;
	size_t count;
} ratio_chart;

static double ratio_measure(cairo_t *cr, double width, const void *chart)
{
	const ratio_chart *c = chart;
	return chart_ratio_height(cr, width, c->style, c->items, c->count);
}

static void ratio_paint(cairo_t *cr, double x, double y, double width,
                        const void *chart)
{
	const ratio_chart *c = chart;
	chart_ratio_draw(cr, x, y, width, c->style, c->items, c->count);
}

int chart_ratio_write(const char *path, parity_chart_format format,
                      double width, const chart_ratio_style *style,
                      const chart_ratio_item *items, size_t count)
{
	ratio_chart chart = {style, items, count};
	chart_alt alt;
	chart_ratio_alt(&alt, style, items, count);
	return chart_write_file(path, format, width, ratio_measure, ratio_paint,
	                        &chart, &alt);
}

char *chart_ratio_svg(double width, const chart_ratio_style *style,
                      const chart_ratio_item *items, size_t count,
                      const chart_alt *alt, const char *id)
{
	ratio_chart chart = {style, items, count};
	return chart_svg_string(width, ratio_measure, ratio_paint, &chart, alt, id);
}

void chart_format_homogeneity(char *buf, size_t size, double q, int df,
                              double p)
{
	char pv[24];
	if (!isfinite(q) || df < 1) {
		snprintf(buf, size, "Homogeneity: not computed");
		return;
	}
	if (isnan(p))
		snprintf(pv, sizeof pv, "p = -");
	else if (p < 0.001)
		snprintf(pv, sizeof pv, "p < 0.001");
	else if (p < 0.01)
		snprintf(pv, sizeof pv, "p = %.3f", p);
	else
		snprintf(pv, sizeof pv, "p = %.2f", p);
	snprintf(buf, size, "Homogeneity: Q = %.1f, df = %d, %s", q, df, pv);
}
