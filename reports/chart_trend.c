/*
 * chart_trend.c: the trend chart: an indicator's ratio over periods on a
 * log scale, each series a line of markers with its interval as a ribbon,
 * the 0.80-1.25 band, a line at 1, and cohorts as hatched spans by month.
 */
#include "chart_trend_internal.h"

#include "chart_parts.h"
#include "draw.h"
#include "parity/common.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#define INTERVAL_SPAN_MIN 0.1 /* intervals stretch the axis this far, no more */
#define INTERVAL_SPAN_MAX 10.0
#define EDGE_OUT 30.0         /* off-axis values are drawn this far out, clipped */

/* Organisation series take these in turn: the first five differ in
 * shape as well as colour (so that no two are told apart by colour
 * alone), and colour and shape cycle at different lengths, so 30 series
 * differ in one or the other; the overall series is black with orange
 * diamonds, as on the ratio chart. */
static const draw_colour series_colours[] = {
	DRAW_BLUE, DRAW_VERMILLION, DRAW_GREEN, DRAW_PURPLE, DRAW_YELLOW, DRAW_GREY,
};
static const chart_shape series_shapes[] = {
	CHART_CIRCLE, CHART_SQUARE, CHART_TRIANGLE_UP, CHART_TRIANGLE_DOWN,
	CHART_CROSS,
};

look chart_trend_series_look(const chart_trend *t, size_t s)
{
	look k;
	if (t->series[s].overall) {
		k = (look){DRAW_BLACK, DRAW_ORANGE, CHART_DIAMOND, 2.0};
		return k;
	}
	size_t n = 0; /* organisation series before this one */
	for (size_t i = 0; i < s; i++)
		n += !t->series[i].overall;
	draw_colour c = series_colours[n % (sizeof series_colours /
	                                    sizeof series_colours[0])];
	k = (look){c, c,
	           series_shapes[n % (sizeof series_shapes /
	                              sizeof series_shapes[0])],
	           1.3};
	return k;
}

/* Series s's point in period p, or NULL when it has none. */
const chart_trend_point *chart_trend_point_at(const chart_trend *t, size_t s,
                                              size_t p)
{
	const chart_trend_point *pt = t->series[s].points;
	if (!pt || !pt[p].estimable || pt[p].suppressed)
		return NULL;
	return &pt[p];
}

/* Whether series s's point in period p is held back for small numbers. */
static int suppressed_at(const chart_trend *t, size_t s, size_t p)
{
	const chart_trend_point *pt = t->series[s].points;
	return pt && pt[p].suppressed;
}

/* Whether every series without an estimate in period p lacks it because
 * it is held back for small numbers (and at least one is). */
int chart_trend_period_suppressed(const chart_trend *t, size_t p)
{
	int any = 0;
	for (size_t s = 0; s < t->series_count; s++) {
		if (chart_trend_point_at(t, s, p))
			continue;
		if (!suppressed_at(t, s, p))
			return 0;
		any = 1;
	}
	return any;
}

/* Whether series s has an estimate in any period. */
static int has_any(const chart_trend *t, size_t s)
{
	for (size_t p = 0; p < t->period_count; p++)
		if (chart_trend_point_at(t, s, p))
			return 1;
	return 0;
}

/* Whether no series that has estimates at all has one in period p: the
 * period is greyed and marked "no estimate" in the plot. Gaps in only
 * some series are listed in the notes instead, where there is room to
 * name them. */
int chart_trend_period_empty(const chart_trend *t, size_t p)
{
	for (size_t s = 0; s < t->series_count; s++)
		if (chart_trend_point_at(t, s, p))
			return 0;
	return 1;
}

void chart_trend_range(double *out_low, double *out_high,
                       const chart_trend *t)
{
	double lo = INFINITY, hi = -INFINITY;
	for (size_t s = 0; s < t->series_count; s++) {
		for (size_t p = 0; p < t->period_count; p++) {
			const chart_trend_point *pt = chart_trend_point_at(t, s, p);
			if (!pt)
				continue;
			if (isfinite(pt->ratio) && pt->ratio > 0) {
				lo = fmin(lo, pt->ratio);
				hi = fmax(hi, pt->ratio);
			}
			/* As on the ratio chart: one enormous interval must not
			 * squash every other period. */
			if (isfinite(pt->ci_low) && pt->ci_low > 0)
				lo = fmin(lo, fmax(pt->ci_low, INTERVAL_SPAN_MIN));
			if (isfinite(pt->ci_high) && pt->ci_high > 0)
				hi = fmax(hi, fmin(pt->ci_high, INTERVAL_SPAN_MAX));
		}
	}
	chart_log_range(out_low, out_high, lo, hi);
}

/* ---- positions ------------------------------------------------------------ */

double chart_trend_slot_centre(const geometry *g, size_t p)
{
	return g->plot_x + ((double)p + 0.5) * g->slot_w;
}

/* Vertical position of ratio v; values off the axis (0 and infinity
 * included) are placed EDGE_OUT beyond it, for clipping. */
double chart_trend_value_y(const geometry *g, double v)
{
	double f = chart_log_frac(v, g->lo, g->hi);
	double y = g->plot_y + g->plot_h - f * g->plot_h;
	return fmin(fmax(y, g->plot_y - EDGE_OUT),
	            g->plot_y + g->plot_h + EDGE_OUT);
}

int chart_trend_off_axis(const geometry *g, double v)
{
	return !(v >= g->lo * (1 - 1e-9)) || !(v <= g->hi * (1 + 1e-9));
}

/*
 * Horizontal position of the start of month m (or, with `after`, of the
 * end of month m): inside the period that holds it, in proportion to its
 * months; before the first period or after the last, at the plot's edge;
 * in a gap between periods, at the boundary between their slots.
 */
double chart_trend_month_x(const geometry *g, const chart_trend *t, int m,
                           int after)
{
	for (size_t p = 0; p < t->period_count; p++) {
		const chart_period *pd = &t->periods[p];
		int months = pd->last_month - pd->first_month + 1;
		if (months < 1)
			months = 1;
		if (m < pd->first_month)
			return g->plot_x + (double)p * g->slot_w;
		if (m <= pd->last_month) {
			double into = (double)(m - pd->first_month + (after ? 1 : 0));
			return g->plot_x + ((double)p + into / months) * g->slot_w;
		}
	}
	return g->plot_x + g->plot_w;
}

/* Cohort i's label, with an arrow on the side where it runs on beyond
 * the periods shown. */
void chart_trend_cohort_label(char *buf, size_t size, const chart_trend *t,
                              size_t i)
{
	const chart_cohort *c = &t->cohorts[i];
	int before = c->first_month < t->periods[0].first_month;
	int after = c->last_month > t->periods[t->period_count - 1].last_month;
	snprintf(buf, size, "%s%s%s", before ? "\u2190 " : "",
	         c->label ? c->label : "", after ? " \u2192" : "");
}

/* The horizontal extent a cohort's lane needs: its span and its label. */
static void cohort_extent(double *from, double *to, cairo_t *cr,
                          const geometry *g, const chart_trend *t, size_t i)
{
	const chart_cohort *c = &t->cohorts[i];
	double a = chart_trend_month_x(g, t, c->first_month, 0);
	double b = chart_trend_month_x(g, t, c->last_month, 1);
	double tw = 0;
	char label[160];
	chart_trend_cohort_label(label, sizeof label, t, i);
	draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0, label);
	tw = fmin(tw, g->plot_w);
	double lx = fmin(fmax((a + b) / 2 - tw / 2, g->plot_x),
	                 g->plot_x + g->plot_w - tw);
	*from = fmin(a, lx);
	*to = fmax(b, lx + tw);
}

/* A cohort is drawn when any of its months falls within the periods. */
int chart_trend_cohort_shown(const chart_trend *t, size_t i)
{
	const chart_cohort *c = &t->cohorts[i];
	if (i >= MAX_COHORTS || t->period_count == 0 ||
	    c->last_month < c->first_month)
		return 0;
	return c->last_month >= t->periods[0].first_month &&
	       c->first_month <= t->periods[t->period_count - 1].last_month;
}

/* ---- layout ---------------------------------------------------------------- */

static void layout_legend(geometry *g, cairo_t *cr,
                          const chart_trend_style *s, const chart_trend *t)
{
	char text[112];
	chart_legend *l = &g->legend;
	memset(l, 0, sizeof *l);
	for (size_t i = 0; i < t->series_count; i++)
		chart_legend_add(l, SYM_SERIES, (int)i, t->series[i].label);
	snprintf(text, sizeof text, "Shaded: %g%% confidence interval%s",
	         (s->level > 0 ? s->level : 0.95) * 100,
	         t->series_count > 1 ? " (each line's colour)" : "");
	chart_legend_add(l, SYM_RIBBON, 0, text);
	chart_legend_add(l, SYM_BAND, 0, "Non-adverse range 0.80 to 1.25");
	if (g->any_low)
		chart_legend_add(l, SYM_LOW, 0, "Hollow: too few cases to draw a "
		                 "conclusion");
	if (g->any_beyond)
		chart_legend_add(l, SYM_ARROW, 0, "Estimate or interval beyond "
		                 "the axis");
	int cohorts = 0;
	for (size_t i = 0; i < t->cohort_count; i++)
		cohorts |= chart_trend_cohort_shown(t, i);
	if (cohorts)
		chart_legend_add(l, SYM_COHORT, 0, s->cohort_legend
		                 ? s->cohort_legend : "Mentoring cohort");
	chart_legend_layout(l, cr, g->w);
}

/* "Above 1: White more likely to be appointed.   Below 1: BME ...". */
void chart_trend_direction_hint(char *buf, size_t size,
                                const chart_trend_style *s)
{
	const char *outcome = s->outcome ? s->outcome : "";
	const char *sep = *outcome ? " " : "";
	snprintf(buf, size,
	         "Above 1: %s more likely%s%s.   Below 1: %s more likely%s%s.",
	         s->group1, sep, outcome, s->group2, sep, outcome);
}

/* Append to the notes (snprintf into what is left). */
static void note_add(geometry *g, size_t *len, const char *text)
{
	if (*len >= sizeof g->notes)
		return;
	int n = snprintf(g->notes + *len, sizeof g->notes - *len, "%s", text);
	*len += n > 0 ? (size_t)n : 0;
}

/* A gap in a series that has estimates elsewhere: no point, in a period
 * where other series have one, and not held back for small numbers. */
static int gap_at(const chart_trend *t, size_t i, size_t p)
{
	return has_any(t, i) && !chart_trend_point_at(t, i, p) &&
	       !chart_trend_period_empty(t, p) && !suppressed_at(t, i, p);
}

/* Add "LEAD series in period, period; series in period. " to the notes for
 * the points where `which` holds, nothing when there are none. */
static void note_points(geometry *g, size_t *len, const chart_trend *t,
                        const char *lead, int (*which)(const chart_trend *, size_t,
                                                       size_t))
{
	const char *sep = lead;
	for (size_t i = 0; i < t->series_count; i++) {
		int first = 1;
		for (size_t p = 0; p < t->period_count; p++) {
			if (!which(t, i, p))
				continue;
			if (first) {
				note_add(g, len, sep);
				note_add(g, len, t->series[i].label ? t->series[i].label : "?");
				note_add(g, len, " in ");
				sep = "; ";
				first = 0;
			} else {
				note_add(g, len, ", ");
			}
			note_add(g, len, t->periods[p].label ? t->periods[p].label : "?");
		}
	}
	if (*sep == ';')
		note_add(g, len, ". ");
}

/* The notes under the legend: series with no estimate anywhere, gaps in
 * some series only ("No estimate: R0A in 2017/18, 2019/20."), then the
 * caller's note. */
static void layout_notes(geometry *g, const chart_trend_style *s,
                         const chart_trend *t)
{
	size_t len = 0;
	const char *sep = "No estimate in any period: ";
	g->notes[0] = '\0';
	for (size_t i = 0; i < t->series_count; i++) {
		int held = 0;
		for (size_t p = 0; p < t->period_count; p++)
			held |= suppressed_at(t, i, p);
		if (has_any(t, i) || held)
			continue;
		note_add(g, &len, sep);
		note_add(g, &len, t->series[i].label ? t->series[i].label : "?");
		sep = ", ";
	}
	if (*sep == ',')
		note_add(g, &len, ". ");
	note_points(g, &len, t, "No estimate: ", gap_at);
	/* Points held back for small numbers, named wherever they are. */
	note_points(g, &len, t, "Not shown, to protect small numbers: ",
	            suppressed_at);
	if (s->note && *s->note)
		note_add(g, &len, s->note);
}

void chart_trend_layout(geometry *g, cairo_t *cr, double x, double y,
                        double w, const chart_trend_style *s,
                        const chart_trend *t)
{
	double lh = draw_line_height(cr, chart_small_font);
	double cy = y;

	memset(g, 0, sizeof *g);
	g->x = x;
	g->y = y;
	g->w = w;
	g->plot_h = s->plot_height > 0 ? fmax(s->plot_height, 60)
	                               : CHART_TREND_HEIGHT;
	if (s->axis_low > 0 && s->axis_high > s->axis_low) {
		g->lo = s->axis_low;
		g->hi = s->axis_high;
	} else {
		chart_trend_range(&g->lo, &g->hi, t);
	}
	for (size_t i = 0; i < t->series_count; i++) {
		for (size_t p = 0; p < t->period_count; p++) {
			const chart_trend_point *pt = chart_trend_point_at(t, i, p);
			if (!pt)
				continue;
			g->any_low |= pt->low_count;
			g->any_beyond |= chart_trend_off_axis(g, pt->ratio) ||
			                 chart_trend_off_axis(g, pt->ci_low) ||
			                 chart_trend_off_axis(g, pt->ci_high);
		}
	}

	if (s->title) {
		double h = 0;
		draw_text_size(NULL, &h, cr, w, chart_title_font, 0, s->title);
		cy += h + 8;
	}

	/* Left: the rotated axis title, then the tick labels. */
	g->tick_count = chart_log_ticks(g->ticks, CHART_MAX_TICKS, cr, g->lo,
	                                g->hi, g->plot_h, 1);
	double tick_w = chart_log_ticks_width(cr, g->ticks, g->tick_count);
	double title_lh = draw_line_height(cr, chart_label_bold);
	g->ytitle_x = x + title_lh / 2;
	g->plot_x = x + title_lh + 4 + tick_w + 6;
	g->plot_w = fmax(x + w - 6 - g->plot_x, 20);

	/* Period labels: level when they fit their slots, else at 45
	 * degrees, and then only every n-th if even that is too tight. */
	double label_w = 0;
	for (size_t p = 0; p < t->period_count; p++) {
		double tw = 0;
		draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0,
		               t->periods[p].label ? t->periods[p].label : "");
		label_w = fmax(label_w, tw);
	}
	size_t periods = t->period_count ? t->period_count : 1;
	g->slot_w = g->plot_w / (double)periods;
	g->label_step = 1;
	if (label_w + 6 > g->slot_w) {
		g->rotate_labels = 1;
		/* The rotated labels reach down-left from their slot's centre;
		 * keep the first inside the chart. */
		double reach = label_w * 0.7071 + lh * 0.7071;
		double need = x + reach - g->slot_w / 2;
		if (need > g->plot_x && g->plot_w - (need - g->plot_x) >= 20) {
			g->plot_w -= need - g->plot_x;
			g->plot_x = need;
			g->slot_w = g->plot_w / (double)periods;
		}
		double pitch = (lh + 2) * 1.4142; /* slot needed per label */
		while ((double)g->label_step * g->slot_w < pitch &&
		       g->label_step < periods)
			g->label_step++;
	}

	/* Cohort lanes: each label takes the lowest lane where it clears
	 * the ones already placed. */
	g->lane_h = lh + 6;
	g->lane_count = 0;
	for (size_t i = 0; i < t->cohort_count && i < MAX_COHORTS; i++) {
		if (!chart_trend_cohort_shown(t, i))
			continue;
		double a, b;
		cohort_extent(&a, &b, cr, g, t, i);
		int lane = 0;
		for (int clash = 1; clash;) {
			clash = 0;
			for (size_t j = 0; j < i && !clash; j++) {
				double c, d;
				if (!chart_trend_cohort_shown(t, j) || g->lane[j] != lane)
					continue;
				cohort_extent(&c, &d, cr, g, t, j);
				clash = a < d + 6 && b + 6 > c;
			}
			if (clash)
				lane++;
		}
		g->lane[i] = lane;
		if (lane + 1 > g->lane_count)
			g->lane_count = lane + 1;
	}
	g->lanes_y = cy;
	cy += g->lane_count * g->lane_h;
	if (g->lane_count == 0)
		cy += lh / 2 + 2; /* room for the top tick label */
	g->plot_y = cy;
	cy += g->plot_h;

	cy += 4;
	g->labels_y = cy;
	g->labels_h = g->rotate_labels ? (label_w + lh) * 0.7071 + 2 : lh + 2;
	cy += g->labels_h + 2;
	g->xtitle_y = cy;
	cy += draw_line_height(cr, chart_label_bold) + 2;
	if (s->group1 && s->group2) {
		char hint[300];
		double h = 0;
		chart_trend_direction_hint(hint, sizeof hint, s);
		draw_text_size(NULL, &h, cr, w, chart_small_italic,
		               DRAW_ALIGN_CENTRE, hint);
		g->hints_y = cy;
		cy += h + 2;
	}
	cy += 6;
	g->legend_y = cy;
	layout_legend(g, cr, s, t);
	cy += g->legend.height;
	layout_notes(g, s, t);
	if (g->notes[0]) {
		cy += 3;
		draw_text_size(NULL, &g->note_h, cr, w, chart_small_font, 0,
		               g->notes);
		g->note_y = cy;
		cy += g->note_h;
	}
	g->total_h = cy - y;
}

double chart_trend_height(cairo_t *cr, double width,
                          const chart_trend_style *style,
                          const chart_trend *trend)
{
	geometry g;
	chart_trend_layout(&g, cr, 0, 0, width, style, trend);
	return g.total_h;
}

/* ---- standalone files -------------------------------------------------------- */

typedef struct trend_chart {
	const chart_trend_style *style;
	const chart_trend *trend;
} trend_chart;

static double trend_measure(cairo_t *cr, double width, const void *chart)
{
	const trend_chart *c = chart;
	return chart_trend_height(cr, width, c->style, c->trend);
}

static void trend_paint(cairo_t *cr, double x, double y, double width,
                        const void *chart)
{
	const trend_chart *c = chart;
	chart_trend_draw(cr, x, y, width, c->style, c->trend);
}

int chart_trend_write(const char *path, parity_chart_format format,
                      double width, const chart_trend_style *style,
                      const chart_trend *trend)
{
	if (!style || !trend)
		return parity_error_set(PARITY_EUSAGE,
		                        "chart: the style and data are required");
	trend_chart chart = {style, trend};
	chart_alt alt;
	chart_trend_alt(&alt, style, trend);
	return chart_write_file(path, format, width, trend_measure, trend_paint,
	                        &chart, &alt);
}

char *chart_trend_svg(double width, const chart_trend_style *style,
                      const chart_trend *trend, const chart_alt *alt,
                      const char *id)
{
	trend_chart chart = {style, trend};
	return chart_svg_string(width, trend_measure, trend_paint, &chart, alt, id);
}
