/*
 * chart_funnel.c: the funnel plot (Spiegelhalter, Stat Med 2005;24:1185):
 * each organisation's ratio (log scale) against its size, the 95% and 99.8%
 * control limits as curves around the pooled value, outliers in their own
 * marker shape and labelled by code where the labels do not collide.
 */
#include "chart.h"

#include "chart_parts.h"
#include "draw.h"
#include "parity/common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INTERVAL_SPAN_MIN 0.1 /* limits stretch the axis this far, no more */
#define INTERVAL_SPAN_MAX 10.0
#define EDGE_OUT 30.0         /* off-axis values go this far out, clipped */
#define MARKER_R 3.6

/* Legend symbol kinds. */
enum { SYM_WITHIN, SYM_OUT95, SYM_OUT998, SYM_TARGET, SYM_ONE, SYM_L95,
       SYM_L998, SYM_ARROW };

/* Where everything goes; computed the same way for measuring and drawing. */
typedef struct geometry {
	double x, y, w;
	double plot_x, plot_y, plot_w, plot_h;
	double lo, hi;                 /* ratio axis */
	double xmax, xstep;            /* size axis: 0 .. xmax */
	double yticks[CHART_MAX_TICKS];
	size_t ytick_count;
	double ytitle_x;
	double xlabels_y, xtitle_y, hints_y, legend_y;
	double notes_y, notes_h;
	double total_h;
	size_t plotted;                /* units drawn */
	int label_all;                 /* every unit labelled */
	int any_out95, any_out998, any_beyond;
	char notes[1200];              /* what is not on the plot, and why */
	chart_legend legend;
} geometry;

static int plotted(const chart_funnel_unit *u)
{
	return u->estimable && !u->suppressed && isfinite(u->size) && u->size > 0 &&
	       !isnan(u->ratio) && u->ratio >= 0;
}

static int off_axis(const geometry *g, double v)
{
	return !(v >= g->lo * (1 - 1e-9)) || !(v <= g->hi * (1 + 1e-9));
}

static double value_y(const geometry *g, double v)
{
	double f = chart_log_frac(v, g->lo, g->hi);
	double y = g->plot_y + g->plot_h - f * g->plot_h;
	return fmin(fmax(y, g->plot_y - EDGE_OUT),
	            g->plot_y + g->plot_h + EDGE_OUT);
}

static double size_x(const geometry *g, double size)
{
	return g->plot_x + fmin(size / g->xmax, 1.02) * g->plot_w;
}

/* The ratio axis: every plotted unit, the target, and the limits from the
 * smallest unit's size up (nearer 0 they run off to 0 and infinity). */
static void ratio_range(double *out_low, double *out_high,
                        const chart_funnel *f)
{
	double lo = INFINITY, hi = -INFINITY, smallest = INFINITY;
	if (isfinite(f->target) && f->target > 0)
		lo = hi = f->target;
	for (size_t i = 0; i < f->unit_count; i++) {
		const chart_funnel_unit *u = &f->units[i];
		if (!plotted(u))
			continue;
		smallest = fmin(smallest, u->size);
		if (isfinite(u->ratio) && u->ratio > 0) {
			lo = fmin(lo, u->ratio);
			hi = fmax(hi, u->ratio);
		}
	}
	for (size_t i = 0; i < f->limit_count; i++) {
		const chart_funnel_limit *l = &f->limits[i];
		if (!(l->size >= smallest))
			continue;
		double a = fmin(l->low95, l->low998), b = fmax(l->high95, l->high998);
		if (isfinite(a) && a > 0)
			lo = fmin(lo, fmax(a, INTERVAL_SPAN_MIN));
		if (isfinite(b) && b > 0)
			hi = fmax(hi, fmin(b, INTERVAL_SPAN_MAX));
	}
	chart_log_range(out_low, out_high, lo, hi);
}

/* "Above 1: White more likely to be appointed.   Below 1: BME ...". */
static void direction_hint(char *buf, size_t size,
                           const chart_funnel_style *s)
{
	const char *outcome = s->outcome ? s->outcome : "";
	const char *sep = *outcome ? " " : "";
	snprintf(buf, size,
	         "Above 1: %s more likely%s%s.   Below 1: %s more likely%s%s.",
	         s->group1, sep, outcome, s->group2, sep, outcome);
}

/* Add "LEAD A, B. " to the notes: the units held back for small numbers
 * (`held`), or else those with no estimate to plot. */
static void note_units(geometry *g, size_t *len, const chart_funnel *f,
                       const char *lead, int held)
{
	if (*len >= sizeof g->notes)
		return;
	*len += (size_t)snprintf(g->notes + *len, sizeof g->notes - *len, "%s", lead);
	const char *sep = " ";
	for (size_t i = 0; i < f->unit_count && *len < sizeof g->notes; i++) {
		if (held ? !f->units[i].suppressed
		         : plotted(&f->units[i]) || f->units[i].suppressed)
			continue;
		*len += (size_t)snprintf(g->notes + *len, sizeof g->notes - *len, "%s%s",
		                         sep, f->units[i].label ? f->units[i].label : "?");
		sep = ", ";
	}
	if (*len < sizeof g->notes)
		*len += (size_t)snprintf(g->notes + *len, sizeof g->notes - *len, ". ");
}

/* ---- layout ---------------------------------------------------------------- */

static void layout_notes(geometry *g, const chart_funnel_style *s,
                         const chart_funnel *f)
{
	const char *noun = s->unit_noun ? s->unit_noun : "organisations";
	size_t len = 0, missing = 0, within = 0, held = 0;
	g->notes[0] = '\0';
	for (size_t i = 0; i < f->unit_count; i++)
		if (f->units[i].suppressed)
			held++;
		else if (!plotted(&f->units[i]))
			missing++;
		else if (!f->units[i].outside95 && !f->units[i].outside998)
			within++;
	if (!g->label_all && within > 0)
		len += (size_t)snprintf(g->notes + len, sizeof g->notes - len,
		                        "Labelled: %s outside the 95%% limits; the "
		                        "other %zu are within them. ", noun, within);
	if (missing > 0)
		note_units(g, &len, f, "Not plotted (no estimate):", 0);
	if (held > 0)
		note_units(g, &len, f, "Not plotted, to protect small numbers:", 1);
	if (s->note && *s->note && len < sizeof g->notes)
		snprintf(g->notes + len, sizeof g->notes - len, "%s", s->note);
}

static void layout_legend(geometry *g, cairo_t *cr,
                          const chart_funnel_style *s, const chart_funnel *f)
{
	char text[112], value[24];
	chart_legend *l = &g->legend;
	memset(l, 0, sizeof *l);
	chart_legend_add(l, SYM_WITHIN, 0, "Within the 95% limits");
	if (g->any_out95)
		chart_legend_add(l, SYM_OUT95, 0,
		                 "Outside 95% limits: \u25b2 above, \u25bc below");
	if (g->any_out998)
		chart_legend_add(l, SYM_OUT998, 0, "Outside the 99.8% limits");
	if (isfinite(f->target) && f->target > 0) {
		snprintf(text, sizeof text, "%s, %s",
		         s->target_label ? s->target_label : "Pooled ratio",
		         draw_format_ratio(value, sizeof value, f->target));
		chart_legend_add(l, SYM_TARGET, 0, text);
	}
	if (g->lo < 1 && g->hi > 1)
		chart_legend_add(l, SYM_ONE, 0, "1: equally likely");
	chart_legend_add(l, SYM_L95, 0, "95% control limits");
	chart_legend_add(l, SYM_L998, 0, "99.8% control limits");
	if (g->any_beyond)
		chart_legend_add(l, SYM_ARROW, 0, "Beyond the axis (value shown)");
	chart_legend_layout(l, cr, g->w);
}

static void layout(geometry *g, cairo_t *cr, double x, double y, double w,
                   const chart_funnel_style *s, const chart_funnel *f)
{
	double lh = draw_line_height(cr, chart_small_font);
	double cy = y;

	memset(g, 0, sizeof *g);
	g->x = x;
	g->y = y;
	g->w = w;
	g->plot_h = s->plot_height > 0 ? fmax(s->plot_height, 80)
	                               : CHART_FUNNEL_HEIGHT;
	if (s->axis_low > 0 && s->axis_high > s->axis_low) {
		g->lo = s->axis_low;
		g->hi = s->axis_high;
	} else {
		ratio_range(&g->lo, &g->hi, f);
	}

	double biggest = 0;
	for (size_t i = 0; i < f->unit_count; i++) {
		const chart_funnel_unit *u = &f->units[i];
		if (!plotted(u))
			continue;
		g->plotted++;
		biggest = fmax(biggest, u->size);
		g->any_out95 |= u->outside95 != 0 && u->outside998 == 0;
		g->any_out998 |= u->outside998 != 0;
		g->any_beyond |= off_axis(g, u->ratio);
	}
	size_t label_all = s->label_all_max ? s->label_all_max
	                                    : CHART_FUNNEL_LABEL_ALL;
	g->label_all = g->plotted <= label_all;

	if (s->title) {
		double h = 0;
		draw_text_size(NULL, &h, cr, w, chart_title_font, 0, s->title);
		cy += h + 8;
	}
	cy += lh / 2 + 2; /* the top tick label */
	g->plot_y = cy;

	g->ytick_count = chart_log_ticks(g->yticks, CHART_MAX_TICKS, cr, g->lo,
	                                 g->hi, g->plot_h, 1);
	double tick_w = chart_log_ticks_width(cr, g->yticks, g->ytick_count);
	double title_lh = draw_line_height(cr, chart_label_bold);
	g->ytitle_x = x + title_lh / 2;
	g->plot_x = x + title_lh + 4 + tick_w + 6;
	/* Room on the right for the last size label, centred on its tick. */
	g->plot_w = fmax(x + w - 18 - g->plot_x, 20);

	/* Size axis from 0 to a multiple of a step whose labels fit. */
	double want = s->size_max > 0 ? s->size_max
	                              : (biggest > 0 ? biggest * 1.05 : 1);
	char widest[48];
	chart_linear_label(widest, sizeof widest, want * 10, NULL);
	double label_w = 0;
	draw_text_size(&label_w, NULL, cr, 0, chart_small_font, 0, widest);
	int max_ticks = (int)(g->plot_w / (label_w + 14));
	g->xstep = chart_nice_step(want, max_ticks < 2 ? 2 : max_ticks);
	g->xmax = s->size_max > 0 ? s->size_max
	                          : ceil(want / g->xstep - 1e-9) * g->xstep;

	cy += g->plot_h + 5;
	g->xlabels_y = cy;
	cy += lh + 2;
	g->xtitle_y = cy;
	cy += title_lh + 2;
	if (s->group1 && s->group2) {
		char hint[300];
		double h = 0;
		direction_hint(hint, sizeof hint, s);
		draw_text_size(NULL, &h, cr, w, chart_small_italic,
		               DRAW_ALIGN_CENTRE, hint);
		g->hints_y = cy;
		cy += h + 2;
	}
	cy += 6;
	g->legend_y = cy;
	layout_legend(g, cr, s, f);
	cy += g->legend.height;
	layout_notes(g, s, f);
	if (g->notes[0]) {
		cy += 3;
		draw_text_size(NULL, &g->notes_h, cr, w, chart_small_font, 0,
		               g->notes);
		g->notes_y = cy;
		cy += g->notes_h;
	}
	g->total_h = cy - y;
}

double chart_funnel_height(cairo_t *cr, double width,
                           const chart_funnel_style *style,
                           const chart_funnel *funnel)
{
	geometry g;
	layout(&g, cr, 0, 0, width, style, funnel);
	return g.total_h;
}

/* ---- marks ------------------------------------------------------------------ */

/* How unit u is marked: its shape and colour, by where it lies. */
static void unit_mark(chart_shape *shape, draw_colour *fill,
                      const chart_funnel_unit *u)
{
	if (u->outside998) {
		*shape = CHART_SQUARE;
		*fill = DRAW_VERMILLION;
	} else if (u->outside95) {
		*shape = u->outside95 > 0 ? CHART_TRIANGLE_UP : CHART_TRIANGLE_DOWN;
		*fill = DRAW_ORANGE;
	} else {
		*shape = CHART_CIRCLE;
		*fill = DRAW_BLUE;
	}
}

/* Where unit u's mark sits (on the edge when beyond the axis). */
static void unit_point(double *px, double *py, const geometry *g,
                       const chart_funnel_unit *u)
{
	*px = size_x(g, u->size);
	*py = off_axis(g, u->ratio)
	              ? (u->ratio > g->hi ? g->plot_y + 5
	                                  : g->plot_y + g->plot_h - 5)
	              : value_y(g, u->ratio);
}

static void draw_unit(cairo_t *cr, const geometry *g,
                      const chart_funnel_unit *u)
{
	chart_shape shape;
	draw_colour fill;
	double px, py;
	unit_mark(&shape, &fill, u);
	unit_point(&px, &py, g, u);
	if (!off_axis(g, u->ratio)) {
		chart_marker(cr, shape, px, py, MARKER_R, fill,
		             fill == DRAW_BLUE ? DRAW_BLUE : DRAW_BLACK, 0);
		return;
	}
	/* Beyond the axis: an arrowhead at the edge and the value. */
	int up = u->ratio > g->hi;
	double tip = up ? g->plot_y - 2 : g->plot_y + g->plot_h + 2;
	char value[24];
	cairo_new_path(cr);
	cairo_move_to(cr, px, tip);
	cairo_line_to(cr, px - 4.5, tip + (up ? 9 : -9));
	cairo_line_to(cr, px + 4.5, tip + (up ? 9 : -9));
	cairo_close_path(cr);
	draw_colour_set(cr, fill);
	cairo_fill_preserve(cr);
	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 0.8);
	cairo_stroke(cr);
	double lh = draw_line_height(cr, chart_small_font);
	draw_text(cr, px - 6, up ? tip + 1 : tip - lh - 1, 0, chart_small_font,
	          DRAW_ALIGN_RIGHT, draw_format_ratio(value, sizeof value,
	                                              u->ratio));
}

/* ---- labels ----------------------------------------------------------------- */

typedef struct box {
	double x0, y0, x1, y1;
} box;

static double overlap(box a, box b)
{
	double w = fmin(a.x1, b.x1) - fmax(a.x0, b.x0);
	double h = fmin(a.y1, b.y1) - fmax(a.y0, b.y0);
	return w > 0 && h > 0 ? w * h : 0;
}

/*
 * Place each labelled unit's code near its mark: the first of 8 positions
 * around it, at growing distances, that overlaps no mark, no label placed
 * before and stays inside the plot; failing that, the least-overlapping.
 * Labels away from their mark get a leader line. Outliers go first.
 */
static void draw_labels(cairo_t *cr, const geometry *g, const chart_funnel *f)
{
	static const double dirs[8][2] = {{1, 0}, {-1, 0}, {0, -1}, {0, 1},
	                                  {1, -1}, {-1, -1}, {1, 1}, {-1, 1}};
	static const double dists[] = {0, 8, 16, 26};
	size_t n = f->unit_count;
	box *placed = draw_calloc(2 * n + 3, sizeof *placed);
	if (!placed)
		return;
	size_t placed_count = 0;
	double lh = draw_line_height(cr, chart_small_font);
	box plot = {g->plot_x, g->plot_y, g->plot_x + g->plot_w,
	            g->plot_y + g->plot_h};

	/* The pooled line and the line at 1 are obstacles too, so that a
	 * label does not hide them where it can sit elsewhere. */
	double rules[2] = {f->target, 1};
	for (size_t i = 0; i < 2; i++) {
		if (!(isfinite(rules[i]) && rules[i] > g->lo && rules[i] < g->hi))
			continue;
		double ry = value_y(g, rules[i]);
		placed[placed_count++] = (box){plot.x0, ry - 1, plot.x1, ry + 1};
	}
	for (size_t i = 0; i < n; i++) {
		double px, py;
		if (!plotted(&f->units[i]))
			continue;
		unit_point(&px, &py, g, &f->units[i]);
		placed[placed_count++] = (box){px - MARKER_R - 1, py - MARKER_R - 1,
		                               px + MARKER_R + 1, py + MARKER_R + 1};
	}
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			const chart_funnel_unit *u = &f->units[i];
			int outlier = u->outside95 || u->outside998;
			if (!plotted(u) || (pass == 0) != outlier)
				continue;
			if (!outlier && !g->label_all)
				continue;
			const char *label = u->label ? u->label : "";
			double tw = 0, px, py;
			draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0, label);
			unit_point(&px, &py, g, u);
			box best = {0, 0, 0, 0};
			double best_cost = INFINITY, best_d = 0;
			for (size_t d = 0; d < 4 && best_cost > 0; d++) {
				for (size_t k = 0; k < 8 && best_cost > 0; k++) {
					double r = MARKER_R + 2 + dists[d];
					double cx = px + dirs[k][0] * (r + tw / 2);
					double cyy = py + dirs[k][1] * (r + lh / 2);
					box b = {cx - tw / 2, cyy - lh / 2, cx + tw / 2,
					         cyy + lh / 2};
					double cost = 0;
					for (size_t j = 0; j < placed_count; j++)
						cost += overlap(b, placed[j]);
					double inside = overlap(b, plot);
					cost += (tw * lh - inside) * 4;
					cost += dists[d] * 0.01; /* nearer is better */
					if (cost < best_cost - 1e-9) {
						best_cost = cost;
						best = b;
						best_d = dists[d];
					}
				}
			}
			if (best_d > 0) {
				/* A leader from the mark to the label's nearest side. */
				double lx = fmin(fmax(px, best.x0), best.x1);
				double ly = fmin(fmax(py, best.y0), best.y1);
				draw_colour_set(cr, DRAW_GREY);
				cairo_set_line_width(cr, 0.5);
				cairo_move_to(cr, px, py);
				cairo_line_to(cr, lx, ly);
				cairo_stroke(cr);
			}
			draw_colour_set_alpha(cr, DRAW_WHITE, 0.7);
			cairo_rectangle(cr, best.x0 - 1, best.y0, best.x1 - best.x0 + 2,
			                best.y1 - best.y0);
			cairo_fill(cr);
			draw_colour_set(cr, DRAW_BLACK);
			draw_text(cr, best.x0, best.y0, 0, chart_small_font, 0, label);
			placed[placed_count++] = best;
		}
	}
	free(placed);
}

/* ---- curves and axes ---------------------------------------------------------- */

/* One limit (which: 0 low95, 1 high95, 2 low998, 3 high998) of entry i. */
static double limit_value(const chart_funnel_limit *l, int which)
{
	switch (which) {
	case 0: return l->low95;
	case 1: return l->high95;
	case 2: return l->low998;
	default: return l->high998;
	}
}

/* A smooth curve through the limit points (Catmull-Rom, as Bezier
 * segments), clipped by the caller. */
static void limit_curve(cairo_t *cr, const geometry *g, const chart_funnel *f,
                        int which)
{
	size_t n = f->limit_count;
	double *xs = draw_malloc(n * sizeof *xs), *ys = draw_malloc(n * sizeof *ys);
	size_t m = 0;
	if (!xs || !ys)
		goto done;
	for (size_t i = 0; i < n; i++) {
		const chart_funnel_limit *l = &f->limits[i];
		double v = limit_value(l, which);
		if (!(l->size >= 0) || !isfinite(l->size) || isnan(v))
			continue;
		xs[m] = size_x(g, l->size);
		ys[m] = value_y(g, v);
		m++;
	}
	cairo_new_path(cr);
	if (m == 0)
		goto done;
	cairo_move_to(cr, xs[0], ys[0]);
	for (size_t i = 0; i + 1 < m; i++) {
		size_t a = i ? i - 1 : i, d = i + 2 < m ? i + 2 : i + 1;
		cairo_curve_to(cr, xs[i] + (xs[i + 1] - xs[a]) / 6,
		               ys[i] + (ys[i + 1] - ys[a]) / 6,
		               xs[i + 1] - (xs[d] - xs[i]) / 6,
		               ys[i + 1] - (ys[d] - ys[i]) / 6, xs[i + 1], ys[i + 1]);
	}
	cairo_stroke(cr);
done:
	free(xs);
	free(ys);
}

/* Set the line for the 95% (dashed grey) or 99.8% (solid black) limits. */
static void limit_pen(cairo_t *cr, int level998)
{
	if (level998) {
		draw_colour_set(cr, DRAW_BLACK);
		cairo_set_line_width(cr, 1.1);
		cairo_set_dash(cr, NULL, 0, 0);
	} else {
		draw_colour_set(cr, DRAW_GREY);
		cairo_set_line_width(cr, 1.1);
		cairo_set_dash(cr, (double[]){5, 3}, 2, 0);
	}
}

static void target_pen(cairo_t *cr)
{
	draw_colour_set(cr, DRAW_GREEN);
	cairo_set_line_width(cr, 1.6);
	cairo_set_dash(cr, NULL, 0, 0);
}

static void one_pen(cairo_t *cr)
{
	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 0.8);
	cairo_set_dash(cr, (double[]){1, 2}, 2, 0);
}

static void draw_axes(cairo_t *cr, const geometry *g,
                      const chart_funnel_style *s)
{
	double lh = draw_line_height(cr, chart_small_font);
	double bottom = g->plot_y + g->plot_h;

	/* The axis lines and tick marks are decoration: artifacts. */
	draw_artifact_begin(cr);
	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 0.8);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_move_to(cr, g->plot_x, g->plot_y);
	cairo_line_to(cr, g->plot_x, bottom);
	cairo_line_to(cr, g->plot_x + g->plot_w, bottom);
	for (size_t i = 0; i < g->ytick_count; i++) {
		double ty = value_y(g, g->yticks[i]);
		cairo_move_to(cr, g->plot_x - 3, ty);
		cairo_line_to(cr, g->plot_x, ty);
	}
	for (double v = 0; v <= g->xmax * (1 + 1e-9); v += g->xstep) {
		double tx = size_x(g, v);
		cairo_move_to(cr, tx, bottom);
		cairo_line_to(cr, tx, bottom + 3);
	}
	cairo_stroke(cr);
	draw_artifact_end(cr);

	for (size_t i = 0; i < g->ytick_count; i++) {
		char text[16];
		snprintf(text, sizeof text, "%g", g->yticks[i]);
		draw_text(cr, g->plot_x - 5, value_y(g, g->yticks[i]) - lh / 2, 0,
		          chart_small_font, DRAW_ALIGN_RIGHT, text);
	}
	for (double v = 0; v <= g->xmax * (1 + 1e-9); v += g->xstep) {
		char text[48];
		chart_linear_label(text, sizeof text, v, NULL);
		draw_text(cr, size_x(g, v), g->xlabels_y, 0, chart_small_font,
		          DRAW_ALIGN_CENTRE, text);
	}
	/* The full title when it fits beside the plot, else a short one. */
	const char *ytitle = "Relative likelihood (log scale)";
	double title_w = 0;
	draw_text_size(&title_w, NULL, cr, 0, chart_label_bold, 0, ytitle);
	if (title_w > g->plot_h)
		ytitle = "Ratio (log scale)";
	chart_text_up(cr, g->ytitle_x, g->plot_y + g->plot_h / 2,
	              chart_label_bold, ytitle);
	draw_text(cr, g->plot_x + g->plot_w / 2, g->xtitle_y, 0, chart_label_bold,
	          DRAW_ALIGN_CENTRE, s->size_label
	                                 ? s->size_label
	                                 : "Precision (1/SE\u00B2 of the log ratio)");
	if (s->group1 && s->group2) {
		char hint[300];
		direction_hint(hint, sizeof hint, s);
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, g->x, g->hints_y, g->w, chart_small_italic,
		          DRAW_ALIGN_CENTRE, hint);
	}
}

static void legend_symbol(cairo_t *cr, const chart_legend_entry *e, double x,
                          double cy, const void *context)
{
	double mid = x + CHART_LEGEND_SYMBOL / 2;
	(void)context;
	switch (e->kind) {
	case SYM_WITHIN:
		chart_marker(cr, CHART_CIRCLE, mid, cy, MARKER_R, DRAW_BLUE,
		             DRAW_BLUE, 0);
		break;
	case SYM_OUT95:
		chart_marker(cr, CHART_TRIANGLE_UP, mid - 4, cy, 3.2, DRAW_ORANGE,
		             DRAW_BLACK, 0);
		chart_marker(cr, CHART_TRIANGLE_DOWN, mid + 4, cy, 3.2,
		             DRAW_ORANGE, DRAW_BLACK, 0);
		break;
	case SYM_OUT998:
		chart_marker(cr, CHART_SQUARE, mid, cy, MARKER_R, DRAW_VERMILLION,
		             DRAW_BLACK, 0);
		break;
	case SYM_ARROW:
		draw_colour_set(cr, DRAW_GREY);
		chart_arrow(cr, mid, cy - 5, 0, -1, 9, 4.5);
		break;
	default: /* lines */
		if (e->kind == SYM_TARGET)
			target_pen(cr);
		else if (e->kind == SYM_ONE)
			one_pen(cr);
		else
			limit_pen(cr, e->kind == SYM_L998);
		cairo_move_to(cr, x, cy);
		cairo_line_to(cr, x + CHART_LEGEND_SYMBOL, cy);
		cairo_stroke(cr);
		break;
	}
}

void chart_funnel_draw(cairo_t *cr, double x, double y, double width,
                       const chart_funnel_style *s, const chart_funnel *f)
{
	geometry g;
	cairo_save(cr);
	layout(&g, cr, x, y, width, s, f);

	draw_colour_set(cr, DRAW_BLACK);
	if (s->title)
		draw_text(cr, x, y, width, chart_title_font, 0, s->title);

	/* Gridlines, then the limits, the line at 1 and the target. */
	cairo_save(cr);
	cairo_rectangle(cr, g.plot_x, g.plot_y, g.plot_w, g.plot_h);
	cairo_clip(cr);
	draw_artifact_begin(cr);
	draw_colour_set(cr, DRAW_PALE_GREY);
	cairo_set_line_width(cr, 0.6);
	for (size_t i = 0; i < g.ytick_count; i++) {
		cairo_move_to(cr, g.plot_x, value_y(&g, g.yticks[i]));
		cairo_line_to(cr, g.plot_x + g.plot_w, value_y(&g, g.yticks[i]));
	}
	for (double v = g.xstep; v <= g.xmax * (1 + 1e-9); v += g.xstep) {
		cairo_move_to(cr, size_x(&g, v), g.plot_y);
		cairo_line_to(cr, size_x(&g, v), g.plot_y + g.plot_h);
	}
	cairo_stroke(cr);
	draw_artifact_end(cr);
	for (int which = 0; which < 4; which++) {
		limit_pen(cr, which >= 2);
		limit_curve(cr, &g, f, which);
	}
	if (g.lo < 1 && g.hi > 1) {
		one_pen(cr);
		cairo_move_to(cr, g.plot_x, value_y(&g, 1));
		cairo_line_to(cr, g.plot_x + g.plot_w, value_y(&g, 1));
		cairo_stroke(cr);
	}
	if (isfinite(f->target) && f->target > 0) {
		target_pen(cr);
		cairo_move_to(cr, g.plot_x, value_y(&g, f->target));
		cairo_line_to(cr, g.plot_x + g.plot_w, value_y(&g, f->target));
		cairo_stroke(cr);
	}
	cairo_restore(cr);
	cairo_set_dash(cr, NULL, 0, 0);

	/* Within first, so that outliers are drawn on top. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < f->unit_count; i++) {
			const chart_funnel_unit *u = &f->units[i];
			int outlier = u->outside95 || u->outside998;
			if (plotted(u) && outlier == pass)
				draw_unit(cr, &g, u);
		}
	draw_labels(cr, &g, f);
	if (g.plotted == 0) {
		double lh = draw_line_height(cr, chart_small_italic);
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, g.plot_x + g.plot_w / 2, g.plot_y + g.plot_h / 3 - lh,
		          0, chart_small_italic, DRAW_ALIGN_CENTRE,
		          "No estimates to plot");
	}
	draw_axes(cr, &g, s);

	chart_legend_draw(&g.legend, cr, x, g.legend_y, width, legend_symbol,
	                  NULL);
	if (g.notes_h > 0) {
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, x, g.notes_y, width, chart_small_font, 0, g.notes);
	}
	cairo_restore(cr);
}

/* ---- standalone files -------------------------------------------------------- */

typedef struct funnel_chart {
	const chart_funnel_style *style;
	const chart_funnel *funnel;
} funnel_chart;

static double funnel_measure(cairo_t *cr, double width, const void *chart)
{
	const funnel_chart *c = chart;
	return chart_funnel_height(cr, width, c->style, c->funnel);
}

static void funnel_paint(cairo_t *cr, double x, double y, double width,
                         const void *chart)
{
	const funnel_chart *c = chart;
	chart_funnel_draw(cr, x, y, width, c->style, c->funnel);
}

int chart_funnel_write(const char *path, parity_chart_format format,
                       double width, const chart_funnel_style *style,
                       const chart_funnel *funnel)
{
	if (!style || !funnel)
		return parity_error_set(PARITY_EUSAGE,
		                        "chart: the style and data are required");
	funnel_chart chart = {style, funnel};
	chart_alt alt;
	chart_funnel_alt(&alt, style, funnel);
	return chart_write_file(path, format, width, funnel_measure,
	                        funnel_paint, &chart, &alt);
}

char *chart_funnel_svg(double width, const chart_funnel_style *style,
                       const chart_funnel *funnel, const chart_alt *alt,
                       const char *id)
{
	funnel_chart chart = {style, funnel};
	return chart_svg_string(width, funnel_measure, funnel_paint, &chart, alt, id);
}
