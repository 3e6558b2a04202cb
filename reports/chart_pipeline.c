/*
 * chart_pipeline.c: pipeline charts: for each stage (recruitment's
 * shortlisted of applicants, appointed of shortlisted, appointed of
 * applicants, or stages given with their counts) one named horizontal bar
 * per group with its percentage, on a shared axis.
 */
#include "chart.h"

#include "chart_parts.h"
#include "draw.h"
#include "parity/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define STAGE_GAP 8.0   /* between stage blocks */
#define BAR_GAP 3.0     /* between bars in a block */

/* Legend symbol kinds. */
enum { SYM_FEW, SYM_NONE };

/* Groups take these in turn; every bar is also named, so colour only
 * helps the eye follow a group from stage to stage. */
static const draw_colour group_colours[] = {
	DRAW_BLUE, DRAW_ORANGE, DRAW_GREEN, DRAW_VERMILLION, DRAW_PURPLE,
	DRAW_YELLOW,
};

static const char *const default_stages[CHART_PIPELINE_STAGES] = {
	"Shortlisted, as % of applicants",
	"Appointed, as % of those shortlisted",
	"Appointed, as % of applicants",
};

/* Where everything goes; computed the same way for measuring and drawing. */
typedef struct geometry {
	double x, y, w;
	double bar_h;
	double label_w;              /* group names: x .. x+label_w */
	double plot_x, plot_w;       /* the percentage axis */
	double blocks_y;             /* first stage heading */
	double heading_h;
	double axis_y, ticks_y, xtitle_y, legend_y, note_y, note_h, total_h;
	double xmax, xstep;          /* percent */
	uint64_t few_cases;
	int any_few, any_none;
	chart_legend legend;
} geometry;

/* How many stages the chart has. */
static int stage_total(const chart_pipeline_style *s)
{
	return s->stages ? (int)(s->stages < CHART_PIPELINE_MAX_STAGES
	                         ? s->stages : CHART_PIPELINE_MAX_STAGES)
	                 : CHART_PIPELINE_STAGES;
}

/* Stage k's count and base for group gr, the i-th. */
static void stage_counts(uint64_t *x, uint64_t *n, const chart_pipeline_group *gr,
                         size_t i, int k, const chart_pipeline_style *s)
{
	if (s->stages) {
		*x = s->counts ? s->counts[i].reached[k] : 0;
		*n = s->counts ? s->counts[i].base[k] : 0;
		return;
	}
	switch (k) {
	case 0: *x = gr->shortlisted; *n = gr->applied; break;
	case 1: *x = gr->appointed; *n = gr->shortlisted; break;
	default: *x = gr->appointed; *n = gr->applied; break;
	}
}

static const char *empty_text(int k, const chart_pipeline_style *s)
{
	if (s->empty_text)
		return s->empty_text;
	return k == 1 ? "none shortlisted" : "no applications";
}

/* The value label of one bar: "23.4%", with "(57 of 243)" when asked. */
static void bar_text(char *buf, size_t size, uint64_t x, uint64_t n,
                     int show_counts)
{
	char rate[24], xs[32], ns[32];
	draw_format_rate(rate, sizeof rate, x, n);
	if (show_counts)
		snprintf(buf, size, "%s (%s of %s)", rate,
		         draw_format_count(xs, sizeof xs, x),
		         draw_format_count(ns, sizeof ns, n));
	else
		snprintf(buf, size, "%s", rate);
}

static double block_height(const geometry *g, size_t count)
{
	return g->heading_h + (double)count * (g->bar_h + BAR_GAP);
}

static void layout(geometry *g, cairo_t *cr, double x, double y, double w,
                   const chart_pipeline_style *s,
                   const chart_pipeline_group *groups, size_t count)
{
	double lh = draw_line_height(cr, chart_small_font);
	double cy = y, tw = 0;
	char text[96];

	memset(g, 0, sizeof *g);
	g->x = x;
	g->y = y;
	g->w = w;
	g->bar_h = s->bar_height > 0 ? fmax(s->bar_height, 10) : CHART_BAR_DEFAULT;
	g->few_cases = s->few_cases;

	double widest = 0, value_w = 0, top_rate = 0;
	for (size_t i = 0; i < count; i++) {
		draw_text_size(&tw, NULL, cr, 0, chart_label_font, 0,
		               groups[i].label ? groups[i].label : "");
		widest = fmax(widest, tw);
		for (int k = 0; k < stage_total(s); k++) {
			uint64_t sx, sn;
			stage_counts(&sx, &sn, &groups[i], i, k, s);
			if (sn == 0) {
				g->any_none = 1;
				draw_text_size(&tw, NULL, cr, 0, chart_small_italic, 0,
				               empty_text(k, s));
			} else {
				top_rate = fmax(top_rate, 100.0 * (double)sx / (double)sn);
				g->any_few |= sn < s->few_cases;
				bar_text(text, sizeof text, sx, sn, s->show_counts);
				draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0, text);
			}
			value_w = fmax(value_w, tw);
		}
	}
	g->label_w = fmin(fmax(widest + 16, 40), w * 0.3); /* indent 8, gap 8 */
	g->plot_x = x + g->label_w;
	g->plot_w = w - g->label_w - value_w - 8;
	if (g->plot_w < w * 0.3)
		g->plot_w = w * 0.3;

	/* A percentage axis from 0 to a round value just past the highest
	 * rate (100 at most: a rate above 100% is bad data, drawn to the end). */
	int max_ticks = (int)(g->plot_w / 40);
	double want = fmin(fmax(top_rate * 1.02, 1), 100);
	g->xstep = chart_nice_step(want, max_ticks < 2 ? 2 : max_ticks);
	g->xmax = fmin(ceil(want / g->xstep - 1e-9) * g->xstep, 100);

	if (s->title) {
		double h = 0;
		draw_text_size(NULL, &h, cr, w, chart_title_font, 0, s->title);
		cy += h + 8;
	}
	g->heading_h = draw_line_height(cr, chart_label_bold) + 3;
	g->blocks_y = cy;
	cy += stage_total(s) * block_height(g, count) +
	      (stage_total(s) - 1) * STAGE_GAP;
	g->axis_y = cy + 2;
	g->ticks_y = g->axis_y + 5;
	cy = g->ticks_y + lh + 1;
	g->xtitle_y = cy;
	cy += draw_line_height(cr, chart_label_bold) + 2;

	chart_legend *l = &g->legend;
	memset(l, 0, sizeof *l);
	if (g->any_few) {
		char few[96];
		snprintf(few, sizeof few, "Hatched: fewer than %llu in the base, "
		         "too few cases to draw a conclusion",
		         (unsigned long long)s->few_cases);
		chart_legend_add(l, SYM_FEW, 0, few);
	}
	if (l->count) {
		cy += 6;
		g->legend_y = cy;
		chart_legend_layout(l, cr, w);
		cy += l->height;
	}
	if (s->note && *s->note) {
		cy += 3;
		draw_text_size(NULL, &g->note_h, cr, w, chart_small_font, 0, s->note);
		g->note_y = cy;
		cy += g->note_h;
	}
	g->total_h = cy - y;
}

double chart_pipeline_height(cairo_t *cr, double width,
                             const chart_pipeline_style *style,
                             const chart_pipeline_group *groups, size_t count)
{
	geometry g;
	layout(&g, cr, 0, 0, width, style, groups, count);
	return g.total_h;
}

static double pct_x(const geometry *g, double pct)
{
	return g->plot_x + fmin(fmax(pct / g->xmax, 0), 1) * g->plot_w;
}

/* A hatched bar, white inside, outlined: too few cases. */
static void few_bar(cairo_t *cr, double x, double y, double w, double h,
                    draw_colour c)
{
	draw_colour_set(cr, DRAW_WHITE);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
	draw_colour_set_alpha(cr, c, 0.8);
	cairo_set_line_width(cr, 0.7);
	chart_hatch(cr, x, y, w, h, 3.5);
	draw_colour_set(cr, c);
	cairo_set_line_width(cr, 1.2);
	cairo_rectangle(cr, x + 0.6, y + 0.6, fmax(w - 1.2, 0), h - 1.2);
	cairo_stroke(cr);
}

static void legend_symbol(cairo_t *cr, const chart_legend_entry *e, double x,
                          double cy, const void *context)
{
	(void)context;
	if (e->kind == SYM_FEW)
		few_bar(cr, x, cy - 5, CHART_LEGEND_SYMBOL, 10, DRAW_GREY);
}

void chart_pipeline_draw(cairo_t *cr, double x, double y, double width,
                         const chart_pipeline_style *s,
                         const chart_pipeline_group *groups, size_t count)
{
	geometry g;
	char text[96];
	cairo_save(cr);
	layout(&g, cr, x, y, width, s, groups, count);
	double lh = draw_line_height(cr, chart_label_font);
	double slh = draw_line_height(cr, chart_small_font);

	draw_colour_set(cr, DRAW_BLACK);
	if (s->title)
		draw_text(cr, x, y, width, chart_title_font, 0, s->title);

	for (int k = 0; k < stage_total(s); k++) {
		double top = g.blocks_y + k * (block_height(&g, count) + STAGE_GAP);
		const char *stage = s->stage_labels[k] ? s->stage_labels[k]
		                    : k < CHART_PIPELINE_STAGES ? default_stages[k] : "";
		/* Gridlines and the zero line beside the bars, not through
		 * the stage's heading; the last block's run down to the axis. */
		double bars_top = top + g.heading_h - BAR_GAP / 2;
		double bars_end = k + 1 < stage_total(s)
		                          ? top + block_height(&g, count)
		                          : g.axis_y;
		draw_artifact_begin(cr);
		draw_colour_set(cr, DRAW_MID_GREY);
		cairo_set_line_width(cr, 0.4);
		for (double v = g.xstep; v <= g.xmax * (1 + 1e-9); v += g.xstep) {
			cairo_move_to(cr, pct_x(&g, v), bars_top);
			cairo_line_to(cr, pct_x(&g, v), bars_end);
		}
		cairo_stroke(cr);
		draw_artifact_end(cr);
		draw_colour_set(cr, DRAW_BLACK);
		cairo_set_line_width(cr, 0.8);
		cairo_move_to(cr, g.plot_x, bars_top);
		cairo_line_to(cr, g.plot_x, bars_end);
		cairo_stroke(cr);

		draw_colour_set(cr, DRAW_BLACK);
		draw_text(cr, x, top, width, chart_label_bold, DRAW_ELLIPSIZE, stage);
		for (size_t i = 0; i < count; i++) {
			const chart_pipeline_group *gr = &groups[i];
			draw_colour c = group_colours[i % (sizeof group_colours /
			                                   sizeof group_colours[0])];
			double by = top + g.heading_h + (double)i * (g.bar_h + BAR_GAP);
			double mid = by + g.bar_h / 2;
			uint64_t sx, sn;
			stage_counts(&sx, &sn, gr, i, k, s);

			draw_colour_set(cr, DRAW_BLACK);
			draw_text(cr, x + 8, mid - lh / 2, g.label_w - 12,
			          chart_label_font, DRAW_ELLIPSIZE,
			          gr->label ? gr->label : "");
			if (sn == 0) {
				draw_colour_set(cr, DRAW_GREY);
				draw_text(cr, g.plot_x + 4, mid - slh / 2, 0,
				          chart_small_italic, 0, empty_text(k, s));
				continue;
			}
			double pct = 100.0 * (double)sx / (double)sn;
			double end = pct_x(&g, pct);
			if (sn < g.few_cases) {
				few_bar(cr, g.plot_x, by, end - g.plot_x, g.bar_h, c);
			} else {
				draw_colour_set(cr, c);
				cairo_rectangle(cr, g.plot_x, by, end - g.plot_x, g.bar_h);
				cairo_fill(cr);
			}
			bar_text(text, sizeof text, sx, sn, s->show_counts);
			draw_colour_set(cr, DRAW_BLACK);
			draw_text(cr, end + 4, mid - slh / 2, 0, chart_small_font, 0,
			          text);
		}
	}

	/* The axis, its ticks in percent, and its title; the line and tick
	 * marks are decoration: artifacts. */
	draw_artifact_begin(cr);
	draw_colour_set(cr, DRAW_BLACK);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, g.plot_x, g.axis_y);
	cairo_line_to(cr, g.plot_x + g.plot_w, g.axis_y);
	for (double v = 0; v <= g.xmax * (1 + 1e-9); v += g.xstep) {
		cairo_move_to(cr, pct_x(&g, v), g.axis_y);
		cairo_line_to(cr, pct_x(&g, v), g.axis_y + 3);
	}
	cairo_stroke(cr);
	draw_artifact_end(cr);
	for (double v = 0; v <= g.xmax * (1 + 1e-9); v += g.xstep) {
		chart_linear_label(text, sizeof text, v, "%");
		draw_text(cr, pct_x(&g, v), g.ticks_y, 0, chart_small_font,
		          DRAW_ALIGN_CENTRE, text);
	}
	draw_text(cr, g.plot_x + g.plot_w / 2, g.xtitle_y, 0, chart_label_bold,
	          DRAW_ALIGN_CENTRE, "Percentage of the stage's base (%)");

	if (g.legend.count)
		chart_legend_draw(&g.legend, cr, x, g.legend_y, width,
		                  legend_symbol, NULL);
	if (g.note_h > 0) {
		draw_colour_set(cr, DRAW_GREY);
		draw_text(cr, x, g.note_y, width, chart_small_font, 0, s->note);
	}
	cairo_restore(cr);
}

/* ---- standalone files -------------------------------------------------------- */

typedef struct pipeline_chart {
	const chart_pipeline_style *style;
	const chart_pipeline_group *groups;
	size_t count;
} pipeline_chart;

static double pipeline_measure(cairo_t *cr, double width, const void *chart)
{
	const pipeline_chart *c = chart;
	return chart_pipeline_height(cr, width, c->style, c->groups, c->count);
}

static void pipeline_paint(cairo_t *cr, double x, double y, double width,
                           const void *chart)
{
	const pipeline_chart *c = chart;
	chart_pipeline_draw(cr, x, y, width, c->style, c->groups, c->count);
}

int chart_pipeline_write(const char *path, parity_chart_format format,
                         double width, const chart_pipeline_style *style,
                         const chart_pipeline_group *groups, size_t count)
{
	if (!style || (!groups && count > 0))
		return parity_error_set(PARITY_EUSAGE,
		                        "chart: the style and data are required");
	pipeline_chart chart = {style, groups, count};
	chart_alt alt;
	chart_pipeline_alt(&alt, style, groups, count);
	return chart_write_file(path, format, width, pipeline_measure,
	                        pipeline_paint, &chart, &alt);
}

int chart_pipeline_stage_count(const chart_pipeline_style *style)
{
	return stage_total(style);
}

const char *chart_pipeline_stage_label(const chart_pipeline_style *style, int k)
{
	if (style->stage_labels[k])
		return style->stage_labels[k];
	return k < CHART_PIPELINE_STAGES ? default_stages[k] : "";
}

void chart_pipeline_bar_label(char *buf, size_t size,
                              const chart_pipeline_style *style,
                              const chart_pipeline_group *groups, size_t i, int k)
{
	uint64_t sx, sn;
	stage_counts(&sx, &sn, &groups[i], i, k, style);
	if (sn == 0) {
		snprintf(buf, size, "%s", empty_text(k, style));
		return;
	}
	bar_text(buf, size, sx, sn, style->show_counts);
	if (sn < style->few_cases) {
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, " (too few cases)");
	}
}

void chart_pipeline_alt(chart_alt *out, const chart_pipeline_style *style,
                        const chart_pipeline_group *groups, size_t count)
{
	const char *title = style->title ? style->title : "the pipeline";
	char text[96];
	size_t len;

	snprintf(out->title, sizeof out->title, "%s", title);
	snprintf(out->desc, sizeof out->desc, "Bar chart of %s, one bar per group "
	         "at each stage", title);
	for (int k = 0; k < stage_total(style); k++) {
		len = strlen(out->desc);
		snprintf(out->desc + len, sizeof out->desc - len, "; %s:",
		         chart_pipeline_stage_label(style, k));
		for (size_t i = 0; i < count; i++) {
			chart_pipeline_bar_label(text, sizeof text, style, groups, i, k);
			len = strlen(out->desc);
			snprintf(out->desc + len, sizeof out->desc - len, "%s %s %s",
			         i ? "," : "", groups[i].label ? groups[i].label : "", text);
		}
	}
	len = strlen(out->desc);
	snprintf(out->desc + len, sizeof out->desc - len, ".");
}

char *chart_pipeline_svg(double width, const chart_pipeline_style *style,
                         const chart_pipeline_group *groups, size_t count,
                         const chart_alt *alt, const char *id)
{
	pipeline_chart chart = {style, groups, count};
	return chart_svg_string(width, pipeline_measure, pipeline_paint, &chart,
	                        alt, id);
}
