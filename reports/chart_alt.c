/*
 * chart_alt.c: each chart's words for readers who cannot see it: a title
 * and a description written from the data the chart draws (the range of
 * ratios and who is where, not "chart"), used as the SVG's <title> and
 * <desc>, the HTML figure's text and the tagged PDF's /Alt.
 */
#include "chart.h"

#include "chart_parts.h"
#include "draw.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Append printf-style text to `buf` (cut, never overrun). */
static void add(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

const char *chart_count_words(size_t n)
{
	static const char *const words[] = {
		"none", "one", "two", "three", "four", "five", "six", "seven",
		"eight", "nine", "ten", "eleven", "twelve"};
	static _Thread_local char buf[24];
	if (n < sizeof words / sizeof words[0])
		return words[n];
	snprintf(buf, sizeof buf, "%zu", n);
	return buf;
}

/* "one of six" with its own buffer for the first number. */
static void of_words(char *buf, size_t size, size_t part, size_t whole)
{
	snprintf(buf, size, "%s", chart_count_words(part));
	add(buf, size, " of %s", chart_count_words(whole));
}

void chart_ratio_alt(chart_alt *out, const chart_ratio_style *style,
                     const chart_ratio_item *items, size_t count)
{
	const char *title = style && style->title ? style->title : "ratios";
	size_t shown = 0, above = 0, below = 0, hidden = 0, none = 0, few = 0;
	const chart_ratio_item *lo = NULL, *hi = NULL, *overall = NULL;
	char a[24], b[24], words[64];

	snprintf(out->title, sizeof out->title, "%s", title);
	for (size_t i = 0; i < count; i++) {
		const chart_ratio_item *it = &items[i];
		if (it->heading)
			continue;
		if (it->suppressed) {
			hidden++;
			continue;
		}
		if (!it->estimable) {
			none++;
			continue;
		}
		if (it->overall) {
			if (!overall)
				overall = it;
			continue;
		}
		shown++;
		few += it->low_count != 0;
		above += it->ratio > CHART_BAND_HIGH;
		below += it->ratio < CHART_BAND_LOW;
		if (!lo || it->ratio < lo->ratio)
			lo = it;
		if (!hi || it->ratio > hi->ratio)
			hi = it;
	}
	snprintf(out->desc, sizeof out->desc, "Forest plot of %s: ", title);
	if (shown == 1)
		add(out->desc, sizeof out->desc, "one ratio, %s (%s)",
		    draw_format_ratio(a, sizeof a, lo->ratio), lo->label);
	else if (shown > 1 && !strcmp(draw_format_ratio(a, sizeof a, lo->ratio),
	                              draw_format_ratio(b, sizeof b, hi->ratio)))
		add(out->desc, sizeof out->desc, "%s ratios, each %s",
		    chart_count_words(shown), a);
	else if (shown > 1)
		add(out->desc, sizeof out->desc, "ratios from %s (%s) to %s (%s)",
		    draw_format_ratio(a, sizeof a, lo->ratio), lo->label,
		    draw_format_ratio(b, sizeof b, hi->ratio), hi->label);
	else
		add(out->desc, sizeof out->desc, "no single rows to show");
	if (shown > 0) {
		of_words(words, sizeof words, above, shown);
		add(out->desc, sizeof out->desc, "; %s above the non-adverse range "
		    "0.80 to 1.25", words);
		if (below) {
			of_words(words, sizeof words, below, shown);
			add(out->desc, sizeof out->desc, ", %s below it", words);
		}
	}
	if (few)
		add(out->desc, sizeof out->desc, "; %s with too few cases to draw a "
		    "conclusion", few == shown ? "all" : chart_count_words(few));
	if (overall) {
		char interval[56];
		add(out->desc, sizeof out->desc, "; %s %s, interval %s",
		    overall->label, draw_format_ratio(a, sizeof a, overall->ratio),
		    draw_format_interval(interval, sizeof interval, overall->ci_low,
		                         overall->ci_high));
	}
	if (hidden)
		add(out->desc, sizeof out->desc, "; %s not shown to protect small "
		    "numbers", chart_count_words(hidden));
	if (none)
		add(out->desc, sizeof out->desc, "; %s without an estimate",
		    chart_count_words(none));
	add(out->desc, sizeof out->desc, ".");
}

void chart_trend_alt(chart_alt *out, const chart_trend_style *style,
                     const chart_trend *trend)
{
	const char *title = style && style->title ? style->title : "the ratio over time";
	char a[24], b[24];
	size_t np = trend->period_count;

	snprintf(out->title, sizeof out->title, "%s", title);
	snprintf(out->desc, sizeof out->desc, "Trend chart of %s", title);
	if (np > 0)
		add(out->desc, sizeof out->desc, " over %s periods, %s to %s",
		    chart_count_words(np), trend->periods[0].label,
		    trend->periods[np - 1].label);
	size_t limit = trend->series_count < 6 ? trend->series_count : 6;
	for (size_t s = 0; s < limit; s++) {
		const chart_trend_series *se = &trend->series[s];
		size_t first = np, last = np, gaps = 0;
		for (size_t p = 0; p < np; p++) {
			const chart_trend_point *pt = &se->points[p];
			if (!pt->estimable || pt->suppressed) {
				gaps++;
				continue;
			}
			if (first == np)
				first = p;
			last = p;
		}
		add(out->desc, sizeof out->desc, "; %s: ", se->label);
		if (first == np) {
			add(out->desc, sizeof out->desc, "nothing to show");
			continue;
		}
		if (first == last)
			add(out->desc, sizeof out->desc, "%s in %s",
			    draw_format_ratio(a, sizeof a, se->points[first].ratio),
			    trend->periods[first].label);
		else
			add(out->desc, sizeof out->desc, "%s in %s, %s in %s",
			    draw_format_ratio(a, sizeof a, se->points[first].ratio),
			    trend->periods[first].label,
			    draw_format_ratio(b, sizeof b, se->points[last].ratio),
			    trend->periods[last].label);
		if (gaps)
			add(out->desc, sizeof out->desc, " (%s %s without a figure shown)",
			    chart_count_words(gaps), gaps == 1 ? "period" : "periods");
	}
	if (trend->series_count > limit)
		add(out->desc, sizeof out->desc, "; and %s more lines",
		    chart_count_words(trend->series_count - limit));
	if (trend->cohort_count)
		add(out->desc, sizeof out->desc, "; %s programme %s marked as spans",
		    chart_count_words(trend->cohort_count),
		    trend->cohort_count == 1 ? "cohort" : "cohorts");
	add(out->desc, sizeof out->desc, ".");
}

/* Append the labels of units outside the limits on side `side` at level
 * 998 (1) or 95 only (0) to `buf`; returns how many. */
static size_t outside_list(char *buf, size_t size, const chart_funnel *f,
                           int wide, int side)
{
	size_t n = 0;
	for (size_t i = 0; i < f->unit_count; i++) {
		const chart_funnel_unit *u = &f->units[i];
		if (!u->estimable || u->suppressed)
			continue;
		int hit = wide ? u->outside998 == side
		               : u->outside95 == side && u->outside998 == 0;
		if (!hit)
			continue;
		add(buf, size, "%s%s", n ? ", " : "", u->label);
		n++;
	}
	return n;
}

void chart_funnel_alt(chart_alt *out, const chart_funnel_style *style,
                      const chart_funnel *funnel)
{
	const char *title = style && style->title ? style->title : "the ratios";
	const char *noun = style && style->unit_noun ? style->unit_noun : "organisations";
	size_t plotted = 0, left_out = 0;
	char t[24];

	for (size_t i = 0; i < funnel->unit_count; i++) {
		if (funnel->units[i].estimable && !funnel->units[i].suppressed)
			plotted++;
		else
			left_out++;
	}
	snprintf(out->title, sizeof out->title, "%s", title);
	snprintf(out->desc, sizeof out->desc, "Funnel plot of %s: %s %s around the "
	         "pooled ratio %s", title, chart_count_words(plotted), noun,
	         draw_format_ratio(t, sizeof t, funnel->target));
	static const struct {
		int wide, side;
		const char *words;
	} groups[] = {
		{1, 1, "above the 99.8% limits"}, {1, -1, "below the 99.8% limits"},
		{0, 1, "above the 95% limits only"}, {0, -1, "below the 95% limits only"},
	};
	size_t outside = 0;
	for (size_t g = 0; g < sizeof groups / sizeof groups[0]; g++) {
		char list[600] = "";
		size_t n = outside_list(list, sizeof list, funnel, groups[g].wide,
		                        groups[g].side);
		if (n)
			add(out->desc, sizeof out->desc, "; %s: %s", groups[g].words,
			    list);
		outside += n;
	}
	if (!outside)
		add(out->desc, sizeof out->desc, "; all within the 95%% limits");
	if (left_out)
		add(out->desc, sizeof out->desc, "; %s not plotted (no estimate, or "
		    "counts too small to publish)", chart_count_words(left_out));
	add(out->desc, sizeof out->desc, ".");
}
