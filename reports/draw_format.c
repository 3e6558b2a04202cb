/*
 * draw_format.c: the report's single voice for numbers: counts with
 * thousands separators, ratios and intervals with two decimals, rates
 * with one (draw.h declares them).
 */
#include "draw.h"

#include "util/util.h"

#include <math.h>
#include <stdio.h>

char *draw_format_count(char *buf, size_t size, uint64_t value)
{
	return util_format_count(buf, size, value);
}

char *draw_format_ratio(char *buf, size_t size, double value)
{
	if (isnan(value))
		snprintf(buf, size, "-");
	else if (isinf(value))
		snprintf(buf, size, "%s", value > 0 ? "\u221E" : "-\u221E");
	else if (value > 0 && value < 0.005)
		snprintf(buf, size, "<0.01");
	else
		snprintf(buf, size, "%.2f", value);
	return buf;
}

char *draw_format_interval(char *buf, size_t size, double low, double high)
{
	char lo[24], hi[24];
	snprintf(buf, size, "%s to %s", draw_format_ratio(lo, sizeof lo, low),
	         draw_format_ratio(hi, sizeof hi, high));
	return buf;
}

char *draw_format_estimate(char *buf, size_t size, double ratio, double low, double high)
{
	char r[24], lo[24], hi[24];
	snprintf(buf, size, "%s (%s\u2013%s)", draw_format_ratio(r, sizeof r, ratio),
	         draw_format_ratio(lo, sizeof lo, low), draw_format_ratio(hi, sizeof hi, high));
	return buf;
}

char *draw_format_rate(char *buf, size_t size, uint64_t x, uint64_t n)
{
	if (n == 0)
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%.1f%%", 100.0 * (double)x / (double)n);
	return buf;
}

