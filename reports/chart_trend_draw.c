/*
 * chart_trend_draw.c: painting the trend chart once it is laid out (see
 * chart_trend.c): the band and cohort spans behind the data, each series'
 * ribbon, line and markers, gaps, the axes and the legend.
 */
#include "chart_trend_internal.h"

#include "chart_parts.h"
#include "draw.h"
#include "parity/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- drawing --------------------------------------------------------------- */

/* Horizontal offset of series s within a slot, so that markers of several
 * series in one period sit side by side instead of on top of each other. */
static double dodge(const geometry *g, const chart_trend *t, size_t s)
{
	if (t->series_count < 2)
		return 0;
	double step = fmin(g->slot_w * 0.5 / (double)t->series_count, 6.0);
	return ((double)s - (double)(t->series_count - 1) / 2) * step;
}

/* Band, gridlines and cohort spans behind the data. */
static void draw_background(cairo_t *cr, const geometry *g,
                            const chart_trend *t)
{
	double top = g->plot_y, bottom = g->plot_y + g->plot_h;
	double b0 = chart_trend_value_y(g, fmin(CHART_BAND_HIGH, g->hi));
	double b1 = chart_trend_value_y(g, fmax(CHART_BAND_LOW, g->lo));
	draw_colour_set_alpha(cr, DRAW_SKY_BLUE, 0.35);
	cairo_rectangle(cr, g->plot_x, b0, g->plot_w, b1 - b0);
	cairo_fill(cr);

	/* A period where nothing could be estimated is greyed. */
	for (size_t p = 0; p < t->period_count; p++) {
		if (!chart_trend_period_empty(t, p))
			continue;
		draw_colour_set_alpha(cr, DRAW_PALE_GREY, 0.9);
		cairo_rectangle(cr, g->plot_x + (double)p * g->slot_w, top,
		                g->slot_w, g->plot_h);
		cairo_fill(cr);
	}

	draw_colour_set(cr, DRAW_MID_GREY);
	cairo_set_line_width(cr, 0.4);
	for (size_t i = 0; i < g->tick_count; i++) {
		double ty = chart_trend_value_y(g, g->ticks[i]);
		cairo_move_to(cr, g->plot_x, ty);
		cairo_line_to(cr, g->plot_x + g->plot_w, ty);
	}
	cairo_stroke(cr);

	for (size_t i = 0; i < t->cohort_count; i++) {
		if (!chart_trend_cohort_shown(t, i))
			continue;
		double a = chart_trend_month_x(g, t, t->cohorts[i].first_month, 0);
		double b = chart_trend_month_x(g, t, t->cohorts[i].last_month, 1);
		draw_colour_set_alpha(cr, DRAW_GREY, 0.45);
		cairo_set_line_width(cr, 0.6);
		chart_hatch(cr, a, top, b - a, g->plot_h, 6);
		cairo_set_dash(cr, (double[]){3, 2}, 2, 0);
		cairo_set_line_width(cr, 0.8);
		draw_colour_set(cr, DRAW_GREY);
		cairo_move_to(cr, a, top);
		cairo_line_to(cr, a, bottom);
		cairo_move_to(cr, b, top);
		cairo_line_to(cr, b, bottom);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}

	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 1.0);
	double one = chart_trend_value_y(g, 1);
	cairo_move_to(cr, g->plot_x, one);
	cairo_line_to(cr, g->plot_x + g->plot_w, one);
	cairo_stroke(cr);
}

/* Cohort labels in their lanes, each over a bracket the width of its
 * span (open on a side where the cohort runs on beyond the periods). */
static void draw_cohort_labels(cairo_t *cr, const geometry *g,
                               const chart_trend *t)
{
	double lh = draw_line_height(cr, chart_small_font);
	if (t->period_count == 0)
		return;
	const chart_period *first = &t->periods[0];
	const chart_period *last = &t->periods[t->period_count - 1];
	for (size_t i = 0; i < t->cohort_count; i++) {
		if (!chart_trend_cohort_shown(t, i))
			continue;
		const chart_cohort *c = &t->cohorts[i];
		char label[160];
		chart_trend_cohort_label(label, sizeof label, t, i);
		double a = chart_trend_month_x(g, t, c->first_month, 0);
		double b = chart_trend_month_x(g, t, c->last_month, 1);
		/* Lane 0 sits just above the plot; higher lanes above it. */
		double ly = g->plot_y - (double)(g->lane[i] + 1) * g->lane_h;
		double tw = 0;
		draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0, label);
		tw = fmin(tw, g->plot_w);
		double lx = fmin(fmax((a + b) / 2 - tw / 2, g->plot_x),
		                 g->plot_x + g->plot_w - tw);
		draw_colour_set(cr, DRAW_BLACK);
		draw_text(cr, lx, ly, tw + 1, chart_small_font, DRAW_ELLIPSIZE,
		          label);
		double by = ly + lh + 1.5;
		draw_colour_set(cr, DRAW_GREY);
		cairo_set_line_width(cr, 0.8);
		cairo_move_to(cr, a, by);
		cairo_line_to(cr, b, by);
		if (c->first_month >= first->first_month) {
			cairo_move_to(cr, a, by);
			cairo_line_to(cr, a, by + 3.5);
		}
		if (c->last_month <= last->last_month) {
			cairo_move_to(cr, b, by);
			cairo_line_to(cr, b, by + 3.5);
		}
		cairo_stroke(cr);
	}
}

/* How opaque a ribbon is: lighter where several overlap, and lighter for
 * black, which would otherwise be a dark slab. */
static double ribbon_alpha(const chart_trend *t, look k)
{
	double alpha = t->series_count > 1 ? 0.16 : 0.28;
	return k.line == DRAW_BLACK ? alpha * 0.55 : alpha;
}

/* The interval ribbon of series s: one shaded band per run of periods
 * with an estimate, a short box for a period standing alone. */
static void draw_ribbon(cairo_t *cr, const geometry *g, const chart_trend *t,
                        size_t s, look k)
{
	double cap = fmin(g->slot_w * 0.18, 7.0);
	double alpha = ribbon_alpha(t, k);
	size_t p = 0;
	while (p < t->period_count) {
		if (!chart_trend_point_at(t, s, p)) {
			p++;
			continue;
		}
		size_t end = p;
		while (end + 1 < t->period_count && chart_trend_point_at(t, s, end + 1))
			end++;
		double off = dodge(g, t, s);
		double pad = end == p ? cap : 0;
		cairo_new_path(cr);
		for (size_t q = p; q <= end; q++) {
			double qx = chart_trend_slot_centre(g, q) + off;
			double hy = chart_trend_value_y(g, chart_trend_point_at(t, s, q)->ci_high);
			if (q == p)
				cairo_move_to(cr, qx - pad, hy);
			cairo_line_to(cr, qx, hy);
			if (q == end)
				cairo_line_to(cr, qx + pad, hy);
		}
		for (size_t q = end + 1; q-- > p;) {
			double qx = chart_trend_slot_centre(g, q) + off;
			double ly = chart_trend_value_y(g, chart_trend_point_at(t, s, q)->ci_low);
			if (q == end)
				cairo_line_to(cr, qx + pad, ly);
			cairo_line_to(cr, qx, ly);
			if (q == p)
				cairo_line_to(cr, qx - pad, ly);
		}
		cairo_close_path(cr);
		draw_colour_set_alpha(cr, k.line, alpha);
		cairo_fill_preserve(cr);
		draw_colour_set_alpha(cr, k.line, 0.55);
		cairo_set_line_width(cr, 0.5);
		cairo_stroke(cr);
		p = end + 1;
	}
}

/* The line joining series s's estimates on the axis; it breaks at a
 * period with no estimate and at one beyond the axis. */
static void draw_line(cairo_t *cr, const geometry *g, const chart_trend *t,
                      size_t s, look k)
{
	int pen = 0;
	cairo_new_path(cr);
	for (size_t p = 0; p < t->period_count; p++) {
		const chart_trend_point *pt = chart_trend_point_at(t, s, p);
		if (!pt || chart_trend_off_axis(g, pt->ratio)) {
			pen = 0;
			continue;
		}
		double px = chart_trend_slot_centre(g, p) + dodge(g, t, s);
		double py = chart_trend_value_y(g, pt->ratio);
		if (pen)
			cairo_line_to(cr, px, py);
		else
			cairo_move_to(cr, px, py);
		pen = 1;
	}
	draw_colour_set(cr, k.line);
	cairo_set_line_width(cr, k.width);
	cairo_stroke(cr);
}

/* Markers of series s; an estimate beyond the axis is an arrowhead at the
 * edge with its value beside it, an interval running beyond a smaller
 * arrowhead. */
static void draw_markers(cairo_t *cr, const geometry *g, const chart_trend *t,
                         size_t s, look k)
{
	double r = fmax(fmin(3.8, g->slot_w * 0.2), 2.5);
	double top = g->plot_y, bottom = g->plot_y + g->plot_h;
	for (size_t p = 0; p < t->period_count; p++) {
		const chart_trend_point *pt = chart_trend_point_at(t, s, p);
		if (!pt)
			continue;
		double px = chart_trend_slot_centre(g, p) + dodge(g, t, s);
		if (chart_trend_off_axis(g, pt->ratio)) {
			int up = pt->ratio > g->hi;
			double tip = up ? top - 2 : bottom + 2;
			char value[24];
			cairo_new_path(cr);
			cairo_move_to(cr, px, tip);
			cairo_line_to(cr, px - 4.5, tip + (up ? 9 : -9));
			cairo_line_to(cr, px + 4.5, tip + (up ? 9 : -9));
			cairo_close_path(cr);
			draw_colour_set(cr, pt->low_count ? DRAW_WHITE : k.fill);
			cairo_fill_preserve(cr);
			draw_colour_set(cr, k.line);
			cairo_set_line_width(cr, pt->low_count ? 1.4 : 0.8);
			cairo_stroke(cr);
			draw_format_ratio(value, sizeof value, pt->ratio);
			double lh = draw_line_height(cr, chart_small_font);
			draw_colour_set(cr, DRAW_BLACK);
			draw_text(cr, px + 6, up ? tip + 1 : tip - lh - 1, 0,
			          chart_small_font, 0, value);
			continue;
		}
		draw_colour_set(cr, k.line);
		if (pt->ci_high > g->hi * (1 + 1e-9))
			chart_arrow(cr, px, top - 1, 0, -1, 6, 3);
		if (pt->ci_low < g->lo * (1 - 1e-9))
			chart_arrow(cr, px, bottom + 1, 0, 1, 6, 3);
		chart_marker(cr, k.shape, px, chart_trend_value_y(g, pt->ratio), r, k.fill,
		             k.line, pt->low_count);
	}
}

/* "no estimate" (or "not shown", when held back for small numbers) in each
 * period where no series has an estimate: level when it fits the slot,
 * else reading upwards, on a pale patch. */
static void draw_gaps(cairo_t *cr, const geometry *g, const chart_trend *t)
{
	double lh = draw_line_height(cr, chart_small_italic);
	for (size_t p = 0; p < t->period_count; p++) {
		if (!chart_trend_period_empty(t, p))
			continue;
		const char *text = chart_trend_period_suppressed(t, p) ? "not shown"
		                                           : "no estimate";
		double tw = 0;
		draw_text_size(&tw, NULL, cr, 0, chart_small_italic, 0, text);
		double cx = chart_trend_slot_centre(g, p);
		double bottom = g->plot_y + g->plot_h;
		if (tw + 4 <= g->slot_w) {
			double ty = g->plot_y + g->plot_h / 2 - lh / 2;
			draw_colour_set(cr, DRAW_GREY);
			draw_text(cr, cx, ty, 0, chart_small_italic,
			          DRAW_ALIGN_CENTRE, text);
			continue;
		}
		/* Upwards from the foot of the plot, cut to its height. */
		cairo_save(cr);
		cairo_translate(cr, cx, bottom - 4);
		cairo_rotate(cr, -3.14159265358979324 / 2);
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, 0, -lh / 2, g->plot_h - 8, chart_small_italic,
		          DRAW_ELLIPSIZE, text);
		cairo_restore(cr);
	}
}

/* Axis lines, ticks, labels and titles, and the direction hint. */
static void draw_axes(cairo_t *cr, const geometry *g,
                      const chart_trend_style *s, const chart_trend *t)
{
	double lh = draw_line_height(cr, chart_small_font);
	double bottom = g->plot_y + g->plot_h;

	/* The axis lines and tick marks are decoration: artifacts. */
	draw_artifact_begin(cr);
	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, g->plot_x, g->plot_y);
	cairo_line_to(cr, g->plot_x, bottom);
	cairo_line_to(cr, g->plot_x + g->plot_w, bottom);
	for (size_t i = 0; i < g->tick_count; i++) {
		double ty = chart_trend_value_y(g, g->ticks[i]);
		cairo_move_to(cr, g->plot_x - 3, ty);
		cairo_line_to(cr, g->plot_x, ty);
	}
	for (size_t p = 0; p <= t->period_count; p++) {
		double bx = g->plot_x + (double)p * g->slot_w;
		cairo_move_to(cr, bx, bottom);
		cairo_line_to(cr, bx, bottom + 3);
	}
	cairo_stroke(cr);
	draw_artifact_end(cr);

	for (size_t i = 0; i < g->tick_count; i++) {
		char text[16];
		snprintf(text, sizeof text, "%g", g->ticks[i]);
		draw_text(cr, g->plot_x - 5, chart_trend_value_y(g, g->ticks[i]) - lh / 2, 0,
		          chart_small_font, DRAW_ALIGN_RIGHT, text);
	}
	/* The full title when it fits beside the plot, else a short one. */
	const char *ytitle = "Relative likelihood (log scale)";
	double title_w = 0;
	draw_text_size(&title_w, NULL, cr, 0, chart_label_bold, 0, ytitle);
	if (title_w > g->plot_h)
		ytitle = "Ratio (log scale)";
	chart_text_up(cr, g->ytitle_x, g->plot_y + g->plot_h / 2,
	              chart_label_bold, ytitle);

	for (size_t p = 0; p < t->period_count; p += g->label_step) {
		const char *label = t->periods[p].label ? t->periods[p].label : "";
		double cx = chart_trend_slot_centre(g, p);
		if (!g->rotate_labels) {
			draw_text(cr, cx, g->labels_y, 0, chart_small_font,
			          DRAW_ALIGN_CENTRE, label);
			continue;
		}
		/* Turned 45 degrees, the label's end at the slot centre. */
		double tw = 0;
		draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0, label);
		cairo_save(cr);
		cairo_translate(cr, cx, g->labels_y);
		cairo_rotate(cr, -3.14159265358979324 / 4);
		draw_text(cr, -tw, 0, 0, chart_small_font, 0, label);
		cairo_restore(cr);
	}
	draw_text(cr, g->plot_x + g->plot_w / 2, g->xtitle_y, 0, chart_label_bold,
	          DRAW_ALIGN_CENTRE, s->period_label ? s->period_label : "Period");

	if (s->group1 && s->group2) {
		char hint[300];
		chart_trend_direction_hint(hint, sizeof hint, s);
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, g->x, g->hints_y, g->w, chart_small_italic,
		          DRAW_ALIGN_CENTRE, hint);
		draw_colour_set(cr, DRAW_BLACK);
	}
}

/* Legend symbols; `context` is the chart_trend. */
static void legend_symbol(cairo_t *cr, const chart_legend_entry *e, double x,
                          double cy, const void *context)
{
	const chart_trend *t = context;
	double mid = x + CHART_LEGEND_SYMBOL / 2;
	look k;
	switch (e->kind) {
	case SYM_SERIES:
		k = chart_trend_series_look(t, (size_t)e->index);
		draw_colour_set(cr, k.line);
		cairo_set_line_width(cr, k.width);
		cairo_move_to(cr, x, cy);
		cairo_line_to(cr, x + CHART_LEGEND_SYMBOL, cy);
		cairo_stroke(cr);
		chart_marker(cr, k.shape, mid, cy, 3.5, k.fill, k.line, 0);
		break;
	case SYM_RIBBON:
		k = t->series_count ? chart_trend_series_look(t, 0)
		                    : (look){DRAW_BLUE, DRAW_BLUE, CHART_CIRCLE, 1};
		draw_colour_set_alpha(cr, k.line, ribbon_alpha(t, k));
		cairo_rectangle(cr, x, cy - 5, CHART_LEGEND_SYMBOL, 10);
		cairo_fill_preserve(cr);
		draw_colour_set_alpha(cr, k.line, 0.55);
		cairo_set_line_width(cr, 0.5);
		cairo_stroke(cr);
		break;
	case SYM_BAND:
		draw_colour_set_alpha(cr, DRAW_SKY_BLUE, 0.35);
		cairo_rectangle(cr, x, cy - 5, CHART_LEGEND_SYMBOL, 10);
		cairo_fill(cr);
		break;
	case SYM_LOW:
		chart_marker(cr, CHART_CIRCLE, mid, cy, 3.5, DRAW_GREY, DRAW_GREY, 1);
		break;
	case SYM_ARROW:
		draw_colour_set(cr, DRAW_GREY);
		cairo_set_line_width(cr, 1.2);
		cairo_move_to(cr, mid, cy + 5);
		cairo_line_to(cr, mid, cy);
		cairo_stroke(cr);
		chart_arrow(cr, mid, cy - 5, 0, -1, 6, 3);
		break;
	case SYM_COHORT:
		draw_colour_set_alpha(cr, DRAW_GREY, 0.45);
		cairo_set_line_width(cr, 0.6);
		chart_hatch(cr, x, cy - 5, CHART_LEGEND_SYMBOL, 10, 4);
		draw_colour_set(cr, DRAW_GREY);
		cairo_set_line_width(cr, 0.8);
		cairo_set_dash(cr, (double[]){3, 2}, 2, 0);
		cairo_rectangle(cr, x, cy - 5, CHART_LEGEND_SYMBOL, 10);
		cairo_stroke(cr);
		break;
	default:
		break;
	}
}

void chart_trend_draw(cairo_t *cr, double x, double y, double width,
                      const chart_trend_style *s, const chart_trend *t)
{
	geometry g;
	cairo_save(cr);
	chart_trend_layout(&g, cr, x, y, width, s, t);

	draw_colour_set(cr, DRAW_BLACK);
	if (s->title)
		draw_text(cr, x, y, width, chart_title_font, 0, s->title);

	draw_artifact_begin(cr);
	draw_background(cr, &g, t);
	draw_artifact_end(cr);
	draw_cohort_labels(cr, &g, t);

	/* Data inside the plot (and its arrowheads just outside). */
	cairo_save(cr);
	cairo_rectangle(cr, g.plot_x - 8, g.plot_y - 12, g.plot_w + 16,
	                g.plot_h + 24);
	cairo_clip(cr);
	cairo_save(cr);
	cairo_rectangle(cr, g.plot_x, g.plot_y, g.plot_w, g.plot_h);
	cairo_clip(cr);
	for (size_t i = 0; i < t->series_count; i++)
		draw_ribbon(cr, &g, t, i, chart_trend_series_look(t, i));
	for (size_t i = 0; i < t->series_count; i++)
		draw_line(cr, &g, t, i, chart_trend_series_look(t, i));
	cairo_restore(cr);
	/* Later series first, so the first (usually the overall) is on top. */
	for (size_t i = t->series_count; i-- > 0;)
		draw_markers(cr, &g, t, i, chart_trend_series_look(t, i));
	cairo_restore(cr);
	draw_gaps(cr, &g, t);

	draw_axes(cr, &g, s, t);
	chart_legend_draw(&g.legend, cr, x, g.legend_y, width, legend_symbol, t);
	if (g.note_h > 0) {
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, x, g.note_y, width, chart_small_font, 0, g.notes);
	}
	cairo_restore(cr);
}
