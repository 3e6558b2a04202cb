/*
 * chart_event.c: the event-study chart of a programme rolled out over
 * years: the ratio of ratios at each year since joining (0: the joining
 * year), pooled over the cohorts, with its interval, on a log scale with
 * the line at 1 and a rule where the programme starts; its words for
 * readers who cannot see it, and its PNG, SVG and inline SVG.
 */
#include "chart.h"
#include "chart_parts.h"

#include "parity/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* The plot's place and scale, shared by measuring and drawing. */
typedef struct event_geometry {
	double lo, hi;                  /* the log axis */
	double ticks[CHART_MAX_TICKS];
	size_t tick_count;
	double plot_x, plot_y, plot_w, plot_h;
	double title_h;
	double legend_y;
	chart_legend legend;
} event_geometry;

enum { SYMBOL_BEFORE, SYMBOL_AFTER };

static void event_range(double *lo, double *hi, const chart_event_point *points,
                        size_t count)
{
	double a = 1, b = 1;
	for (size_t i = 0; i < count; i++) {
		const chart_event_point *p = &points[i];
		if (!p->estimable || p->suppressed)
			continue;
		if (p->ci_low > 0 && isfinite(p->ci_low))
			a = fmin(a, p->ci_low);
		if (isfinite(p->ci_high))
			b = fmax(b, p->ci_high);
	}
	chart_log_range(lo, hi, a, b);
}

static void event_layout(event_geometry *g, cairo_t *cr, double x, double y,
                         double width, const chart_event_style *s,
                         const chart_event_point *points, size_t count)
{
	memset(g, 0, sizeof *g);
	event_range(&g->lo, &g->hi, points, count);
	double cy = y;
	if (s->title) {
		draw_text_size(NULL, &g->title_h, cr, width, chart_title_font, 0, s->title);
		cy += g->title_h + 8;
	}
	g->plot_h = s->plot_height > 0 ? s->plot_height : CHART_EVENT_HEIGHT;
	g->tick_count = chart_log_ticks(g->ticks, CHART_MAX_TICKS, cr, g->lo, g->hi,
	                                g->plot_h, 1);
	double tick_w = chart_log_ticks_width(cr, g->ticks, g->tick_count);
	double title_lh = draw_line_height(cr, chart_label_bold);
	g->plot_x = x + title_lh + 4 + tick_w + 6;
	g->plot_w = fmax(x + width - 6 - g->plot_x, 20);
	g->plot_y = cy;
	/* Below the plot: event labels, the axis title, the legend. */
	double lh = draw_line_height(cr, chart_small_font);
	g->legend_y = g->plot_y + g->plot_h + 4 + lh + 4 + title_lh + 6;
	chart_legend_add(&g->legend, SYMBOL_BEFORE, 0, "Before joining: should sit near 1");
	chart_legend_add(&g->legend, SYMBOL_AFTER, 0, "From the joining year");
	char line[112];
	snprintf(line, sizeof line, "%g%% confidence interval", s->level * 100);
	chart_legend_add(&g->legend, SYMBOL_AFTER, 1, line);
	chart_legend_layout(&g->legend, cr, width);
}

double chart_event_height(cairo_t *cr, double width, const chart_event_style *style,
                          const chart_event_point *points, size_t count)
{
	event_geometry g;
	event_layout(&g, cr, 0, 0, width, style, points, count);
	double h = g.legend_y + g.legend.height;
	if (style->note) {
		double nh = 0;
		draw_text_size(NULL, &nh, cr, width, chart_small_font, 0, style->note);
		h += 4 + nh;
	}
	return h;
}

/* The vertical position of ratio v, clamped to the plot. */
static double y_of(const event_geometry *g, double v)
{
	double f = chart_log_frac(v, g->lo, g->hi);
	if (!(f >= 0))
		f = 0;
	if (f > 1)
		f = 1;
	return g->plot_y + g->plot_h * (1 - f);
}

static void event_symbol(cairo_t *cr, const chart_legend_entry *e, double x, double cy,
                         const void *context)
{
	(void)context;
	double mid = x + CHART_LEGEND_SYMBOL / 2;
	if (e->index == 1) {
		draw_colour_set(cr, DRAW_BLUE);
		cairo_set_line_width(cr, 1.2);
		cairo_move_to(cr, mid, cy - 6);
		cairo_line_to(cr, mid, cy + 6);
		cairo_stroke(cr);
		return;
	}
	chart_marker(cr, e->kind == SYMBOL_BEFORE ? CHART_SQUARE : CHART_CIRCLE, mid, cy, 3.6,
	             e->kind == SYMBOL_BEFORE ? DRAW_GREY : DRAW_BLUE,
	             e->kind == SYMBOL_BEFORE ? DRAW_GREY : DRAW_BLUE, 0);
}

void chart_event_draw(cairo_t *cr, double x, double y, double width,
                      const chart_event_style *style, const chart_event_point *points,
                      size_t count)
{
	event_geometry g;
	event_layout(&g, cr, x, y, width, style, points, count);
	cairo_save(cr);
	if (style->title) {
		draw_colour_set(cr, DRAW_BLACK);
		draw_text(cr, x, y, width, chart_title_font, 0, style->title);
	}
	/* Gridlines and tick labels. */
	double lh = draw_line_height(cr, chart_small_font);
	for (size_t i = 0; i < g.tick_count; i++) {
		double ty = y_of(&g, g.ticks[i]);
		char text[16];
		snprintf(text, sizeof text, "%g", g.ticks[i]);
		draw_colour_set(cr, DRAW_MID_GREY);
		cairo_set_line_width(cr, g.ticks[i] == 1 ? 0 : 0.4);
		if (g.ticks[i] != 1) {
			cairo_move_to(cr, g.plot_x, ty);
			cairo_line_to(cr, g.plot_x + g.plot_w, ty);
			cairo_stroke(cr);
		}
		draw_colour_set(cr, DRAW_BLACK);
		draw_text(cr, g.plot_x - 6, ty - lh / 2, 0, chart_small_font,
		          DRAW_ALIGN_RIGHT, text);
	}
	double title_lh = draw_line_height(cr, chart_label_bold);
	draw_colour_set(cr, DRAW_BLACK);
	chart_text_up(cr, x + title_lh / 2, g.plot_y + g.plot_h / 2, chart_label_bold,
	              "Ratio of ratios (log)");
	/* The line at 1: no change beyond the comparators'. */
	cairo_set_line_width(cr, 1.0);
	cairo_move_to(cr, g.plot_x, y_of(&g, 1));
	cairo_line_to(cr, g.plot_x + g.plot_w, y_of(&g, 1));
	cairo_stroke(cr);
	/* Frame. */
	draw_colour_set(cr, DRAW_MID_GREY);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, g.plot_x, g.plot_y, g.plot_w, g.plot_h);
	cairo_stroke(cr);

	double slot = count ? g.plot_w / (double)count : g.plot_w;
	/* The rule before the joining year. */
	for (size_t i = 0; i < count; i++) {
		if (points[i].event != 0)
			continue;
		double rx = g.plot_x + slot * (double)i;
		draw_colour_set(cr, DRAW_GREY);
		cairo_set_line_width(cr, 0.8);
		double dash[2] = {3, 2};
		cairo_set_dash(cr, dash, 2, 0);
		cairo_move_to(cr, rx, g.plot_y);
		cairo_line_to(cr, rx, g.plot_y + g.plot_h);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
		draw_text(cr, rx + 3, g.plot_y + 2, 0, chart_small_italic, 0, "joins");
	}
	for (size_t i = 0; i < count; i++) {
		const chart_event_point *p = &points[i];
		double cx = g.plot_x + slot * ((double)i + 0.5);
		char label[16];
		snprintf(label, sizeof label, "%d", p->event);
		draw_colour_set(cr, DRAW_BLACK);
		draw_text(cr, cx, g.plot_y + g.plot_h + 4, 0, chart_small_font,
		          DRAW_ALIGN_CENTRE, label);
		if (p->suppressed || !p->estimable) {
			draw_colour_set(cr, DRAW_GREY);
			chart_text_up(cr, cx, y_of(&g, 1) - 30, chart_small_italic,
			              p->suppressed ? "suppressed" : "no estimate");
			continue;
		}
		draw_colour c = p->event < 0 ? DRAW_GREY : DRAW_BLUE;
		double top = y_of(&g, p->ci_high), bottom = y_of(&g, p->ci_low);
		draw_colour_set(cr, c);
		cairo_set_line_width(cr, 1.2);
		cairo_move_to(cr, cx, top);
		cairo_line_to(cr, cx, bottom);
		cairo_stroke(cr);
		if (chart_log_frac(p->ci_high, g.lo, g.hi) > 1)
			chart_arrow(cr, cx, g.plot_y, 0, -1, 6, 3);
		else {
			cairo_move_to(cr, cx - 3, top);
			cairo_line_to(cr, cx + 3, top);
			cairo_stroke(cr);
		}
		if (!(chart_log_frac(p->ci_low, g.lo, g.hi) >= 0))
			chart_arrow(cr, cx, g.plot_y + g.plot_h, 0, 1, 6, 3);
		else {
			cairo_move_to(cr, cx - 3, bottom);
			cairo_line_to(cr, cx + 3, bottom);
			cairo_stroke(cr);
		}
		chart_marker(cr, p->event < 0 ? CHART_SQUARE : CHART_CIRCLE, cx,
		             y_of(&g, p->ratio), 3.6, c, c, 0);
	}
	draw_colour_set(cr, DRAW_BLACK);
	draw_text(cr, g.plot_x, g.plot_y + g.plot_h + 4 + lh + 4, g.plot_w, chart_label_bold,
	          DRAW_ALIGN_CENTRE, "Years since joining (0: the joining year)");
	chart_legend_draw(&g.legend, cr, x, g.legend_y, width, event_symbol, NULL);
	if (style->note) {
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, x, g.legend_y + g.legend.height + 4, width, chart_small_font, 0,
		          style->note);
	}
	cairo_restore(cr);
}

void chart_event_alt(chart_alt *out, const chart_event_style *style,
                     const chart_event_point *points, size_t count)
{
	snprintf(out->title, sizeof out->title, "%s",
	         style->title ? style->title : "event study");
	size_t used = (size_t)snprintf(out->desc, sizeof out->desc,
	                               "Event-study chart: the ratio of ratios by years "
	                               "since joining, with %g%% intervals, on a log "
	                               "scale; 1 means no change beyond the "
	                               "comparators'.", style->level * 100);
	for (size_t i = 0; i < count && used < sizeof out->desc; i++) {
		const chart_event_point *p = &points[i];
		char what[96];
		if (p->suppressed)
			snprintf(what, sizeof what, "suppressed (small numbers)");
		else if (!p->estimable)
			snprintf(what, sizeof what, "no estimate");
		else
			snprintf(what, sizeof what, "%.2f (%.2f to %.2f)", p->ratio, p->ci_low,
			         p->ci_high);
		used += (size_t)snprintf(out->desc + used, sizeof out->desc - used,
		                         " Year %d: %s.", p->event, what);
	}
}

typedef struct event_chart {
	const chart_event_style *style;
	const chart_event_point *points;
	size_t count;
} event_chart;

static double event_measure(cairo_t *cr, double width, const void *chart)
{
	const event_chart *c = chart;
	return chart_event_height(cr, width, c->style, c->points, c->count);
}

static void event_paint(cairo_t *cr, double x, double y, double width, const void *chart)
{
	const event_chart *c = chart;
	chart_event_draw(cr, x, y, width, c->style, c->points, c->count);
}

int chart_event_write(const char *path, parity_chart_format format, double width,
                      const chart_event_style *style, const chart_event_point *points,
                      size_t count)
{
	if (!style || (!points && count))
		return parity_error_set(PARITY_EUSAGE, "chart: the style and data are required");
	event_chart chart = {style, points, count};
	chart_alt alt;
	chart_event_alt(&alt, style, points, count);
	return chart_write_file(path, format, width, event_measure, event_paint, &chart,
	                        &alt);
}

char *chart_event_svg(double width, const chart_event_style *style,
                      const chart_event_point *points, size_t count,
                      const chart_alt *alt, const char *id)
{
	event_chart chart = {style, points, count};
	return chart_svg_string(width, event_measure, event_paint, &chart, alt, id);
}
