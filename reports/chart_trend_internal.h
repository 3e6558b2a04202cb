/*
 * chart_trend_internal.h: what the trend chart's layout (chart_trend.c)
 * and painting (chart_trend_draw.c) share: a series' look, the geometry
 * computed once for measuring and drawing, and the helpers both use.
 */
#ifndef PARITY_CHART_TREND_INTERNAL_H
#define PARITY_CHART_TREND_INTERNAL_H

#include "chart.h"
#include "chart_parts.h"
#include "draw.h"

#include <stddef.h>

#define MAX_COHORTS 16        /* spans drawn; more are left out */

/* Legend symbol kinds. */
enum { SYM_SERIES, SYM_RIBBON, SYM_BAND, SYM_LOW, SYM_ARROW, SYM_COHORT };

/* How one series looks. */
typedef struct look {
	draw_colour line;  /* line, ribbon and outline */
	draw_colour fill;  /* marker fill */
	chart_shape shape;
	double width;      /* line width */
} look;

/* Where everything goes; computed the same way for measuring and drawing. */
typedef struct geometry {
	double x, y, w;
	double lanes_y, lane_h;        /* cohort labels above the plot */
	int lane_count;
	int lane[MAX_COHORTS];         /* each cohort's lane */
	double plot_x, plot_y, plot_w, plot_h;
	double slot_w;                 /* one period's width */
	double lo, hi;                 /* axis range */
	double ticks[CHART_MAX_TICKS];
	size_t tick_count;
	double ytitle_x;               /* centre of the rotated axis title */
	int rotate_labels;             /* period labels at 45 degrees */
	size_t label_step;             /* label every n-th period */
	double labels_y, labels_h;
	double xtitle_y, hints_y;
	double legend_y;
	double note_y, note_h;
	char notes[1200];              /* gaps not marked in the plot, and the
	                                  caller's note */
	double total_h;
	int any_low, any_beyond;       /* legend entries needed */
	chart_legend legend;
} geometry;

/* chart_trend.c: the data, positions and layout. A series' look; the point
 * of series s at period p (NULL if none); whether a period is suppressed
 * in any series, or empty in all; a period's slot centre, a value's y and
 * whether it is off the axis; a month's x; a cohort's label and whether it
 * is shown; the "higher is ..." hint; and the layout itself. */
look chart_trend_series_look(const chart_trend *t, size_t s);
const chart_trend_point *chart_trend_point_at(const chart_trend *t, size_t s,
                                              size_t p);
int chart_trend_period_suppressed(const chart_trend *t, size_t p);
int chart_trend_period_empty(const chart_trend *t, size_t p);
double chart_trend_slot_centre(const geometry *g, size_t p);
double chart_trend_value_y(const geometry *g, double v);
int chart_trend_off_axis(const geometry *g, double v);
double chart_trend_month_x(const geometry *g, const chart_trend *t, int m,
                           int after);
void chart_trend_cohort_label(char *buf, size_t size, const chart_trend *t,
                              size_t i);
int chart_trend_cohort_shown(const chart_trend *t, size_t i);
void chart_trend_direction_hint(char *buf, size_t size,
                                const chart_trend_style *s);
void chart_trend_layout(geometry *g, cairo_t *cr, double x, double y,
                        double w, const chart_trend_style *s,
                        const chart_trend *t);

#endif
