/*
 * test_charts.c: the report's charts (ratio with a pooled diamond, trend,
 * funnel, pipeline) drawn from small, large and awkward inputs to PNG and
 * SVG: files complete and well formed, not blank, nothing drawn outside the
 * size a chart says it needs, errors reported. PARITY_CHART_DIR=DIR keeps
 * the images there for a person to look at.
 */
#include "chart.h"
#include "chart_parts.h"
#include "draw.h"

#include "harness.h"
#include "parity.h"

#include <cairo-pdf.h>
#include <dirent.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define WIDTH (DRAW_A4_WIDTH - 84) /* the report's content width */

/* ---- helpers --------------------------------------------------------------- */

static char out_dir[512];
static int keep_files;

/* The folder the images go to: PARITY_CHART_DIR, or a fresh temporary one. */
static void open_out_dir(void)
{
	const char *keep = getenv("PARITY_CHART_DIR");
	if (keep && *keep) {
		snprintf(out_dir, sizeof out_dir, "%s", keep);
		mkdir(out_dir, 0755);
		keep_files = 1;
		return;
	}
	snprintf(out_dir, sizeof out_dir, "/tmp/parity-charts-test-XXXXXX");
	CHECK(mkdtemp(out_dir) != NULL);
}

static void close_out_dir(void)
{
	if (keep_files)
		return;
	DIR *d = opendir(out_dir);
	struct dirent *e;
	char path[1024];
	while (d && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", out_dir, e->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(out_dir);
}

/* 1 when xmllint is on the PATH; when it is not, the current test fails
 * (a missing tool must not turn the well-formedness check green). */
static int need_xmllint(void)
{
	static int known = -1;
	if (known < 0)
		known = system("command -v xmllint >/dev/null 2>&1") == 0;
	if (!known) {
		fprintf(stderr, "xmllint is not installed: sh .ci/install-deps installs it\n");
		harness_failures++;
	}
	return known;
}

static int starts_with_file(const char *path, const char *magic, size_t len)
{
	char buf[16] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t got = fread(buf, 1, len, f);
	fclose(f);
	return got == len && memcmp(buf, magic, len) == 0;
}

/* Pixels of `surface` that are not white, inside or outside the rectangle
 * (x0, y0)-(x1, y1) in pixels. */
static void count_ink(long *inside, long *outside, cairo_surface_t *surface,
                      int x0, int y0, int x1, int y1)
{
	cairo_surface_flush(surface);
	int w = cairo_image_surface_get_width(surface);
	int h = cairo_image_surface_get_height(surface);
	int stride = cairo_image_surface_get_stride(surface);
	const unsigned char *data = cairo_image_surface_get_data(surface);
	*inside = *outside = 0;
	for (int y = 0; y < h; y++) {
		const unsigned char *line = data + (size_t)y * (size_t)stride;
		const uint32_t *row = (const uint32_t *)(const void *)line;
		for (int x = 0; x < w; x++) {
			if ((row[x] & 0xFFFFFF) == 0xFFFFFF)
				continue;
			if (x >= x0 && x < x1 && y >= y0 && y < y1)
				(*inside)++;
			else
				(*outside)++;
		}
	}
}

/* Non-white pixels of the PNG at `path`, or -1 when it does not load. */
static long png_ink(const char *path)
{
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	long inside = -1, outside = 0;
	if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS)
		count_ink(&inside, &outside, s, 0, 0,
		          cairo_image_surface_get_width(s),
		          cairo_image_surface_get_height(s));
	cairo_surface_destroy(s);
	return inside;
}

/* A chart as the file writer sees it: measure and paint. */
typedef struct chart_fns {
	chart_measure_fn measure;
	chart_paint_fn paint;
	const void *chart;
} chart_fns;

/*
 * Write `c` as `name`.png and `name`.svg through chart_write_file and
 * check both: PNG magic, loads, has ink; SVG starts as XML and is well
 * formed (xmllint says so; the test fails without xmllint). Then draw it on
 * a roomy image with a 60-point border and check that nothing lands outside the box of the
 * width given and the height it measured (with 1.5 points of slack for
 * antialiasing).
 */
static void check_chart(const char *name, const chart_fns *c, double width)
{
	char png[700], svg[700], cmd[1600];
	snprintf(png, sizeof png, "%s/%s.png", out_dir, name);
	snprintf(svg, sizeof svg, "%s/%s.svg", out_dir, name);

	chart_alt alt = {"A test chart", "What the test chart shows, in words."};
	CHECK(chart_write_file(png, PARITY_CHART_PNG, width, c->measure,
	                       c->paint, c->chart, &alt) == 0);
	CHECK(chart_write_file(svg, PARITY_CHART_SVG, width, c->measure,
	                       c->paint, c->chart, &alt) == 0);
	CHECK(starts_with_file(png, "\x89PNG\r\n\x1a\n", 8));
	long ink = png_ink(png);
	if (ink < 2000)
		fprintf(stderr, "%s: only %ld non-white pixels\n", name, ink);
	CHECK(ink >= 2000);
	CHECK(starts_with_file(svg, "<?xml", 5));
	/* Accessible: a name and description, and the words as text, not
	 * glyph outlines. */
	char *text = NULL;
	CHECK(g_file_get_contents(svg, &text, NULL, NULL));
	if (text) {
		CHECK(strstr(text, "role=\"img\"") != NULL);
		CHECK(strstr(text, "<title id=\"chart-title\">A test chart</title>") != NULL);
		CHECK(strstr(text, "<desc id=\"chart-desc\">What the test chart shows, "
		                   "in words.</desc>") != NULL);
		CHECK(strstr(text, "<text ") != NULL);
		CHECK(strstr(text, "glyph") == NULL);
		g_free(text);
	}
	if (need_xmllint()) {
		snprintf(cmd, sizeof cmd, "xmllint --noout '%s' 2>&1", svg);
		CHECK(system(cmd) == 0);
	}

	const double border = 60, slack = 1.5;
	cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *m = cairo_create(scratch);
	draw_context_setup(m);
	double height = c->measure(m, width, c->chart);
	cairo_destroy(m);
	cairo_surface_destroy(scratch);
	CHECK(height > 40);

	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
		(int)ceil(width + 2 * border), (int)ceil(height + 2 * border));
	cairo_t *cr = cairo_create(s);
	draw_context_setup(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	c->paint(cr, border, border, width, c->chart);
	CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS);
	long inside, outside;
	count_ink(&inside, &outside, s, (int)floor(border - slack),
	          (int)floor(border - slack), (int)ceil(border + width + slack),
	          (int)ceil(border + height + slack));
	if (outside != 0)
		fprintf(stderr, "%s: %ld pixels drawn outside its %.0f x %.0f box\n",
		        name, outside, width, height);
	CHECK(outside == 0);
	CHECK(inside > 1000);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}

/* The words a chart draws: `c` painted on a one-page PDF (cairo keeps
 * the text as text there, unlike in its SVG), read back with pdftotext.
 * malloc'd; NULL (and the test failed) when it cannot be read. */
static char *chart_text(const char *name, const chart_fns *c, double width)
{
	char pdf[700], cmd[800];
	snprintf(pdf, sizeof pdf, "%s/%s.pdf", out_dir, name);
	cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *m = cairo_create(scratch);
	draw_context_setup(m);
	double height = c->measure(m, width, c->chart);
	cairo_destroy(m);
	cairo_surface_destroy(scratch);
	cairo_surface_t *s = cairo_pdf_surface_create(pdf, width + 20, height + 20);
	cairo_t *cr = cairo_create(s);
	draw_context_setup(cr);
	c->paint(cr, 10, 10, width, c->chart);
	CHECK(cairo_status(cr) == CAIRO_STATUS_SUCCESS);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_surface_destroy(s);
	if (system("command -v pdftotext >/dev/null 2>&1") != 0) {
		fprintf(stderr, "pdftotext is not installed: sh .ci/install-deps installs it\n");
		harness_failures++;
		return NULL;
	}
	snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", pdf);
	FILE *p = popen(cmd, "r");
	size_t cap = 1 << 16, len = 0;
	char *text = p ? malloc(cap) : NULL;
	if (text) {
		len = fread(text, 1, cap - 1, p);
		text[len] = '\0';
	}
	if (p && pclose(p) != 0) {
		free(text);
		text = NULL;
	}
	CHECK(text != NULL);
	return text;
}

/* Occurrences of `needle` in `text`. */
static int count_of(const char *text, const char *needle)
{
	int n = 0;
	for (const char *at = text; at && (at = strstr(at, needle)); at += strlen(needle))
		n++;
	return n;
}

/* ---- the four charts as chart_fns -------------------------------------------- */

typedef struct ratio_case {
	chart_ratio_style style;
	const chart_ratio_item *items;
	size_t count;
} ratio_case;

static double ratio_measure(cairo_t *cr, double w, const void *p)
{
	const ratio_case *c = p;
	return chart_ratio_height(cr, w, &c->style, c->items, c->count);
}

static void ratio_paint(cairo_t *cr, double x, double y, double w,
                        const void *p)
{
	const ratio_case *c = p;
	chart_ratio_draw(cr, x, y, w, &c->style, c->items, c->count);
}

typedef struct trend_case {
	chart_trend_style style;
	chart_trend trend;
} trend_case;

static double trend_measure(cairo_t *cr, double w, const void *p)
{
	const trend_case *c = p;
	return chart_trend_height(cr, w, &c->style, &c->trend);
}

static void trend_paint(cairo_t *cr, double x, double y, double w,
                        const void *p)
{
	const trend_case *c = p;
	chart_trend_draw(cr, x, y, w, &c->style, &c->trend);
}

typedef struct funnel_case {
	chart_funnel_style style;
	chart_funnel funnel;
} funnel_case;

static double funnel_measure(cairo_t *cr, double w, const void *p)
{
	const funnel_case *c = p;
	return chart_funnel_height(cr, w, &c->style, &c->funnel);
}

static void funnel_paint(cairo_t *cr, double x, double y, double w,
                         const void *p)
{
	const funnel_case *c = p;
	chart_funnel_draw(cr, x, y, w, &c->style, &c->funnel);
}

typedef struct pipeline_case {
	chart_pipeline_style style;
	const chart_pipeline_group *groups;
	size_t count;
} pipeline_case;

static double pipeline_measure(cairo_t *cr, double w, const void *p)
{
	const pipeline_case *c = p;
	return chart_pipeline_height(cr, w, &c->style, c->groups, c->count);
}

static void pipeline_paint(cairo_t *cr, double x, double y, double w,
                           const void *p)
{
	const pipeline_case *c = p;
	chart_pipeline_draw(cr, x, y, w, &c->style, c->groups, c->count);
}

/* Organisation code i: R0A, R0B, ... R1N. */
static void org_code(char *buf, size_t size, size_t i)
{
	snprintf(buf, size, "R%c%c", (char)('0' + (i / 26) % 10),
	         (char)('A' + i % 26));
}

/* ---- shared parts ------------------------------------------------------------- */

static void test_format_homogeneity(void)
{
	char buf[96];
	chart_format_homogeneity(buf, sizeof buf, 3.2, 5, 0.67);
	CHECK_STR(buf, "Homogeneity: Q = 3.2, df = 5, p = 0.67");
	chart_format_homogeneity(buf, sizeof buf, 17.04, 3, 0.0042);
	CHECK_STR(buf, "Homogeneity: Q = 17.0, df = 3, p = 0.004");
	chart_format_homogeneity(buf, sizeof buf, 40.0, 39, 0.0004);
	CHECK_STR(buf, "Homogeneity: Q = 40.0, df = 39, p < 0.001");
	chart_format_homogeneity(buf, sizeof buf, INFINITY, 4, NAN);
	CHECK_STR(buf, "Homogeneity: not computed");
	chart_format_homogeneity(buf, sizeof buf, 1.0, 0, 1.0);
	CHECK_STR(buf, "Homogeneity: not computed");
}

static void test_axis_helpers(void)
{
	double lo, hi;
	char buf[32];
	/* Ratios 1.4 to 2.6: 0.8/1.1 = 0.727 rounds down to 0.5, 2.6 x 1.1 =
	 * 2.86 up to 5. */
	chart_log_range(&lo, &hi, 1.4, 2.6);
	CHECK_NEAR(lo, 0.5, 1e-12);
	CHECK_NEAR(hi, 5, 1e-12);
	/* Nothing finite: the band alone, 0.727 -> 0.5 and 1.375 -> 2. */
	chart_log_range(&lo, &hi, INFINITY, -INFINITY);
	CHECK_NEAR(lo, 0.5, 1e-12);
	CHECK_NEAR(hi, 2, 1e-12);
	/* 100 in at most 5 steps: 20; in 4: 25 is not 1-2-5, so 50. */
	CHECK_NEAR(chart_nice_step(100, 5), 20, 1e-12);
	CHECK_NEAR(chart_nice_step(100, 4), 50, 1e-12);
	CHECK_NEAR(chart_nice_step(7, 5), 2, 1e-12);
	chart_linear_label(buf, sizeof buf, 1200, NULL);
	CHECK_STR(buf, "1,200");
	chart_linear_label(buf, sizeof buf, 2.5, NULL);
	CHECK_STR(buf, "2.5");
	chart_linear_label(buf, sizeof buf, 40, "%");
	CHECK_STR(buf, "40%");
}

/* ---- ratio chart with a pooled diamond ------------------------------------- */

static void test_ratio_pooled_small(void)
{
	/* One organisation and the pooled row, with the homogeneity note. */
	chart_ratio_item items[] = {
		{.label = "R0A", .ratio = 2.5, .ci_low = 1.126, .ci_high = 5.55,
		 .estimable = 1},
		{.label = "All organisations (pooled)", .ratio = 2.475,
		 .ci_low = 1.583, .ci_high = 3.870, .estimable = 1, .overall = 1},
	};
	char note[96];
	ratio_case c = {.items = items, .count = 2};
	c.style.title = "WRES indicator 2: by organisation, pooled";
	c.style.label_heading = "Organisation";
	c.style.group1 = "White";
	c.style.group2 = "BME";
	c.style.outcome = "to be appointed";
	c.style.level = 0.95;
	c.style.pooled = 1;
	chart_format_homogeneity(note, sizeof note, 3.2, 5, 0.67);
	c.style.note = note;
	chart_fns f = {ratio_measure, ratio_paint, &c};
	check_chart("ratio-pooled-small", &f, WIDTH);

	/* The note adds height. */
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *cr = cairo_create(s);
	double with = chart_ratio_height(cr, WIDTH, &c.style, items, 2);
	c.style.note = NULL;
	double without = chart_ratio_height(cr, WIDTH, &c.style, items, 2);
	CHECK(with > without + 8);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}

static void test_ratio_pooled_forty(void)
{
	/* 40 organisations (one with an interval to infinity, one to 0, one
	 * with no estimate) and a pooled row whose interval runs off the
	 * axis: the diamond is cut at the edge with an arrowhead. */
	chart_ratio_item items[41];
	char labels[40][8];
	for (size_t i = 0; i < 40; i++) {
		org_code(labels[i], sizeof labels[i], i);
		double r = 0.7 + 0.05 * (double)i;
		items[i] = (chart_ratio_item){.label = labels[i], .ratio = r,
		                              .ci_low = r / 1.6, .ci_high = r * 1.6,
		                              .estimable = 1,
		                              .low_count = i % 9 == 4};
	}
	items[3] = (chart_ratio_item){.label = labels[3], .ratio = INFINITY,
	                              .ci_low = 0.8257, .ci_high = INFINITY,
	                              .estimable = 1, .low_count = 1};
	items[7] = (chart_ratio_item){.label = labels[7], .ratio = 0,
	                              .ci_low = 0, .ci_high = 0.9619,
	                              .estimable = 1};
	items[11] = (chart_ratio_item){.label = labels[11]};
	items[40] = (chart_ratio_item){.label = "All organisations",
	                               .ratio = 1.45, .ci_low = 1.2,
	                               .ci_high = 80, .estimable = 1,
	                               .overall = 1};
	ratio_case c = {.items = items, .count = 41};
	c.style.label_heading = "Organisation";
	c.style.level = 0.95;
	c.style.row_height = CHART_ROW_MIN;
	c.style.pooled = 1;
	c.style.note = "Homogeneity: Q = 61.3, df = 38, p = 0.010. A small p "
	               "means the organisations' ratios differ by more than "
	               "chance would explain.";
	chart_fns f = {ratio_measure, ratio_paint, &c};
	check_chart("ratio-pooled-forty", &f, WIDTH);
}

/* ---- trend -------------------------------------------------------------------- */

/* Financial years April to March from `first` (2021 -> "2021/22"). */
static void financial_years(chart_period *out, char (*labels)[16],
                            size_t count, int first)
{
	for (size_t i = 0; i < count; i++) {
		int y = first + (int)i;
		snprintf(labels[i], 16, "%d/%02d", y, (y + 1) % 100);
		out[i] = (chart_period){labels[i], CHART_MONTH(y, 4),
		                        CHART_MONTH(y + 1, 3)};
	}
}

static void test_trend_five_years(void)
{
	chart_period periods[5];
	char labels[5][16];
	financial_years(periods, labels, 5, 2021);
	/* WRES 2 national values 2020-2023 give the shape (DOMAIN.md 1). */
	chart_trend_point overall[5] = {
		{1.61, 1.45, 1.79, 1, 0, 0}, {1.58, 1.41, 1.77, 1, 0, 0},
		{1.54, 1.38, 1.72, 1, 0, 0}, {1.59, 1.43, 1.77, 1, 0, 0},
		{1.32, 1.12, 1.56, 1, 0, 0},
	};
	chart_trend_series series[] = {{"All organisations", overall, 1}};
	chart_cohort cohorts[] = {
		{"Mentoring cohort 1", CHART_MONTH(2022, 9), CHART_MONTH(2023, 3)},
		{"Cohort 2", CHART_MONTH(2024, 1), CHART_MONTH(2024, 12)},
	};
	trend_case c = {.trend = {periods, 5, series, 1, cohorts, 2}};
	c.style.title = "WRES indicator 2 over five years";
	c.style.period_label = "Financial year";
	c.style.group1 = "White";
	c.style.group2 = "BME";
	c.style.outcome = "to be appointed";
	c.style.level = 0.95;
	chart_fns f = {trend_measure, trend_paint, &c};
	check_chart("trend-five-years", &f, WIDTH);
}

static void test_trend_one_period(void)
{
	chart_period periods[1];
	char labels[1][16];
	financial_years(periods, labels, 1, 2025);
	chart_trend_point one[1] = {{1.40, 1.27, 1.55, 1, 0, 0}};
	chart_trend_series series[] = {{"All organisations", one, 1}};
	trend_case c = {.trend = {periods, 1, series, 1, NULL, 0}};
	c.style.period_label = "Financial year";
	c.style.level = 0.95;
	chart_fns f = {trend_measure, trend_paint, &c};
	check_chart("trend-one-period", &f, WIDTH);

	/* One organisation, few cases, its interval running to infinity. */
	chart_trend_point few[1] = {{3.0, 0.8257, INFINITY, 1, 1, 0}};
	chart_trend_series org[] = {{"R0A", few, 0}};
	c.trend.series = org;
	c.style.title = "One organisation, one year, an interval to infinity";
	check_chart("trend-one-period-infinite", &f, WIDTH);
}

static void test_trend_twenty_periods_several_series(void)
{
	/* Twenty years, four series: an interval to infinity, an estimate of
	 * infinity, one of 0, periods with no estimate (one for every
	 * series), low counts, and a series without points at all. */
	chart_period periods[20];
	char labels[20][16];
	financial_years(periods, labels, 20, 2006);
	chart_trend_point pts[3][20];
	for (size_t s = 0; s < 3; s++)
		for (size_t p = 0; p < 20; p++) {
			double r = 1.1 + 0.3 * sin((double)p / 3 + (double)s) +
			           0.15 * (double)s;
			pts[s][p] = (chart_trend_point){r, r / 1.3, r * 1.3, 1,
			                                (p + s) % 7 == 0, 0};
		}
	pts[0][4] = (chart_trend_point){2.0, 0.9, INFINITY, 1, 1, 0};
	pts[1][6] = (chart_trend_point){INFINITY, 0.83, INFINITY, 1, 1, 0};
	pts[2][9] = (chart_trend_point){0, 0, 0.96, 1, 0, 0};
	pts[1][12].estimable = 0;
	for (size_t s = 0; s < 3; s++)
		pts[s][15].estimable = 0;
	chart_trend_series series[] = {
		{"All organisations", pts[0], 1},
		{"R0A Northtown Hospitals", pts[1], 0},
		{"R0B", pts[2], 0},
		{"R0C (no data)", NULL, 0},
	};
	chart_cohort cohorts[] = {
		{"Cohort 1", CHART_MONTH(2008, 1), CHART_MONTH(2009, 6)},
		{"Cohort 2 (overlaps 1)", CHART_MONTH(2009, 1), CHART_MONTH(2010, 3)},
		{"Cohort 3", CHART_MONTH(2019, 4), CHART_MONTH(2030, 3)},
		{"Before the chart", CHART_MONTH(1999, 1), CHART_MONTH(2000, 1)},
	};
	trend_case c = {.trend = {periods, 20, series, 4, cohorts, 4}};
	c.style.title = "WRES indicator 2, twenty years, by organisation";
	c.style.period_label = "Financial year";
	c.style.group1 = "White";
	c.style.group2 = "BME";
	c.style.level = 0.95;
	c.style.note = "R0C has no data in any year.";
	chart_fns f = {trend_measure, trend_paint, &c};
	check_chart("trend-twenty-periods", &f, WIDTH);

	/* The same at half the width: labels turn and thin out. */
	check_chart("trend-twenty-narrow", &f, WIDTH / 2);
}

static void test_trend_range(void)
{
	/* Intervals stretch the axis only to 0.1 and 10, as on the ratio
	 * chart: 0.05-40 around 2 gives 0.1/1.1 -> 0.05 and 11 -> 20. */
	chart_period periods[1] = {{"2025/26", CHART_MONTH(2025, 4),
	                            CHART_MONTH(2026, 3)}};
	chart_trend_point p[1] = {{2, 0.05, 40, 1, 0, 0}};
	chart_trend_series series[] = {{"All", p, 1}};
	chart_trend t = {periods, 1, series, 1, NULL, 0};
	double lo, hi;
	chart_trend_range(&lo, &hi, &t);
	CHECK_NEAR(lo, 0.05, 1e-12);
	CHECK_NEAR(hi, 20, 1e-12);
}

/* ---- small numbers, headings and panels ------------------------------------ */

static void test_ratio_suppressed_and_headings(void)
{
	/* A suppressed row says so and does not stretch the axis: with only
	 * 1.2 (1.0 to 1.5) left, the range is the band's and its margin,
	 * 0.8/1.1 -> 0.5 and 1.5 x 1.1 -> 2 (as test_chart_range). */
	chart_ratio_item items[] = {
		{.label = "Ethnic category, against A White - British", .heading = 1},
		{.label = "A White - British", .axis_text = "reference"},
		{.label = "B White - Irish", .ratio = 1.2, .ci_low = 1.0,
		 .ci_high = 1.5, .estimable = 1},
		{.label = "D Mixed - White and Black Caribbean", .ratio = 40,
		 .ci_low = 10, .ci_high = 100, .estimable = 1, .suppressed = 1},
		{.label = "All organisations", .ratio = 1.1, .ci_low = 0.9,
		 .ci_high = 1.3, .estimable = 1, .overall = 1},
		{.label = "All organisations (pooled)", .ratio = 1.15, .ci_low = 0.95,
		 .ci_high = 1.35, .estimable = 1, .overall = 1, .pooled = 1},
	};
	double lo, hi;
	chart_ratio_range(&lo, &hi, items, 4);
	CHECK_NEAR(lo, 0.5, 1e-12);
	CHECK_NEAR(hi, 2, 1e-12);
	ratio_case c = {.items = items, .count = 6};
	c.style.title = "Appointment: groups against the reference";
	c.style.label_heading = "Group";
	c.style.level = 0.95;
	chart_fns f = {ratio_measure, ratio_paint, &c};
	check_chart("ratio-suppressed-headings", &f, WIDTH);
	/* It says so twice (docs/methods.md "Small numbers": the figure column and a
	 * note on the axis both read "suppressed (small numbers)") and shows
	 * none of its figures, 40 (10 to 100); the shown row's figures are
	 * there, so the text was read at all. */
	char *text = chart_text("ratio-suppressed-headings", &f, WIDTH);
	if (text) {
		CHECK(count_of(text, "suppressed (small numbers)") == 2);
		CHECK(strstr(text, "1.20 (1.00 to 1.50)") != NULL);
		CHECK(strstr(text, "40.0") == NULL && strstr(text, "100") == NULL);
		CHECK(strstr(text, "D Mixed - White and Black Caribbean") != NULL);
	}
	free(text);

	/* The same rows as a compact panel without labels or figures: no
	 * axis title, hints or legend, so it is shorter, and still inside
	 * its box. */
	ratio_case panel = c;
	panel.style.title = NULL;
	panel.style.compact = 1;
	panel.style.hide_labels = 1;
	panel.style.hide_figures = 1;
	panel.style.plot_heading = "Appointment";
	cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *m = cairo_create(scratch);
	draw_context_setup(m);
	double full = chart_ratio_height(m, WIDTH, &c.style, items, 6);
	double compact = chart_ratio_height(m, 90, &panel.style, items, 6);
	cairo_destroy(m);
	cairo_surface_destroy(scratch);
	CHECK(compact < full - 30);
	chart_fns pf = {ratio_measure, ratio_paint, &panel};
	check_chart("ratio-panel", &pf, 90);
	/* Without figures the axis note alone says so, in its short form. */
	text = chart_text("ratio-panel", &pf, 90);
	if (text) {
		CHECK(count_of(text, "suppressed") == 1);
		CHECK(strstr(text, "1.20") == NULL);
	}
	free(text);
}

static void test_trend_suppressed_point(void)
{
	/* A point held back for small numbers leaves a gap and does not
	 * stretch the axis: 1.2 and 1.3 (intervals 0.9 to 1.7) give
	 * 0.8/1.1 -> 0.5 and 1.7 x 1.1 -> 2. */
	chart_period periods[3] = {
		{"2023/24", CHART_MONTH(2023, 4), CHART_MONTH(2024, 3)},
		{"2024/25", CHART_MONTH(2024, 4), CHART_MONTH(2025, 3)},
		{"2025/26", CHART_MONTH(2025, 4), CHART_MONTH(2026, 3)}};
	chart_trend_point pts[3] = {{1.2, 0.9, 1.6, 1, 0, 0},
	                            {1.3, 1.0, 1.7, 1, 0, 0},
	                            {30, 10, 90, 1, 0, 1}};
	chart_trend_series series[] = {{"All organisations", pts, 1}};
	trend_case c = {.trend = {periods, 3, series, 1, NULL, 0}};
	double lo, hi;
	chart_trend_range(&lo, &hi, &c.trend);
	CHECK_NEAR(lo, 0.5, 1e-12);
	CHECK_NEAR(hi, 2, 1e-12);
	c.style.title = "WDES metric 3: by financial year";
	c.style.level = 0.95;
	chart_fns f = {trend_measure, trend_paint, &c};
	check_chart("trend-suppressed", &f, WIDTH);
}

/* ---- funnel -------------------------------------------------------------------- */

#define Z95 1.959963984540054
#define Z998 3.090232306167813

/* Limits exp(ln target -/+ z / sqrt(size)) with size = 1/SE^2, at sizes
 * from 0.5 to `top`; the same rule marks the units. */
static void funnel_limits(chart_funnel_limit *out, size_t count, double top,
                          double target)
{
	for (size_t i = 0; i < count; i++) {
		double size = 0.5 + (top - 0.5) * (double)i / (double)(count - 1);
		double se = 1 / sqrt(size);
		out[i] = (chart_funnel_limit){size, target * exp(-Z95 * se),
		                              target * exp(Z95 * se),
		                              target * exp(-Z998 * se),
		                              target * exp(Z998 * se)};
	}
}

static void mark_unit(chart_funnel_unit *u, double target)
{
	double z = log(u->ratio / target) * sqrt(u->size);
	u->outside95 = z > Z95 ? 1 : z < -Z95 ? -1 : 0;
	u->outside998 = z > Z998 ? 1 : z < -Z998 ? -1 : 0;
}

static void test_funnel_few(void)
{
	chart_funnel_unit units[6];
	char codes[6][8];
	static const double sizes[] = {12, 25, 40, 18, 60, 33};
	static const double ratios[] = {1.9, 1.3, 1.2, 0.9, 1.45, 2.2};
	for (size_t i = 0; i < 6; i++) {
		org_code(codes[i], sizeof codes[i], i);
		units[i] = (chart_funnel_unit){codes[i], sizes[i], ratios[i], 1, 0, 0, 0};
		mark_unit(&units[i], 1.4);
	}
	chart_funnel_limit limits[60];
	funnel_limits(limits, 60, 70, 1.4);
	funnel_case c = {.funnel = {units, 6, limits, 60, 1.4}};
	c.style.title = "WRES indicator 2: funnel plot, 2025/26";
	c.style.target_label = "Pooled ratio (Mantel\u2013Haenszel)";
	c.style.group1 = "White";
	c.style.group2 = "BME";
	c.style.outcome = "to be appointed";
	chart_fns f = {funnel_measure, funnel_paint, &c};
	check_chart("funnel-few", &f, WIDTH);
}

static void test_funnel_forty(void)
{
	/* 40 organisations spread about 1.4, a few pushed out past the 95%
	 * and 99.8% limits both ways, one with an infinite ratio, one with no
	 * estimate, and clusters of near-identical points whose labels would
	 * collide. */
	chart_funnel_unit units[40];
	char codes[40][8];
	for (size_t i = 0; i < 40; i++) {
		org_code(codes[i], sizeof codes[i], i);
		double size = 5 + 3.1 * (double)((i * 17) % 40);
		double wobble = 0.25 * sin((double)i * 1.7) / sqrt(size / 20);
		units[i] = (chart_funnel_unit){codes[i], size, 1.4 * exp(wobble),
		                               1, 0, 0, 0};
	}
	units[2].ratio = 4.5;   /* far above */
	units[5].ratio = 0.55;  /* below */
	units[8].ratio = 2.6;
	units[9].ratio = 2.62;  /* beside 8: labels must not collide */
	units[9].size = units[8].size + 1;
	units[13].ratio = 1.0;  /* size 70.1: between the 95% and 99.8% */
	units[14].ratio = 1.01; /* limits (1.108 and 0.968), beside 13 */
	units[14].size = units[13].size + 0.5;
	units[34].ratio = 1.95; /* size 60.8: above the 95% limit (1.80)
	                           only (99.8%: 2.08) */
	for (size_t i = 0; i < 40; i++)
		mark_unit(&units[i], 1.4);
	units[20].ratio = INFINITY;
	units[20].outside95 = units[20].outside998 = 1;
	units[31].estimable = 0;
	chart_funnel_limit limits[80];
	funnel_limits(limits, 80, 130, 1.4);
	funnel_case c = {.funnel = {units, 40, limits, 80, 1.4}};
	c.style.title = "WRES indicator 2: funnel plot, 40 organisations";
	c.style.size_label = "Precision (1/SE\u00B2 of the log ratio)";
	c.style.group1 = "White";
	c.style.group2 = "BME";
	chart_fns f = {funnel_measure, funnel_paint, &c};
	check_chart("funnel-forty", &f, WIDTH);
}

static void test_funnel_one(void)
{
	/* One organisation: the pooled value is its own. */
	chart_funnel_unit units[1] = {{"R0A", 20, 1.3, 1, 0, 0, 0}};
	chart_funnel_limit limits[30];
	funnel_limits(limits, 30, 25, 1.3);
	funnel_case c = {.funnel = {units, 1, limits, 30, 1.3}};
	c.style.size_label = "Shortlisted applicants (cases)";
	chart_fns f = {funnel_measure, funnel_paint, &c};
	check_chart("funnel-one", &f, WIDTH);
}

/* ---- pipeline ------------------------------------------------------------------ */

static void test_pipeline_groups(void)
{
	/* 27/39 appointed (DOMAIN.md 5) for White; "Not stated" has few. */
	chart_pipeline_group groups[] = {
		{"White", 220, 39, 27},
		{"BME", 140, 21, 7},
		{"Not stated", 14, 6, 1},
	};
	pipeline_case c = {.groups = groups, .count = 3};
	c.style.title = "Recruitment pipeline by ethnic group, 2025/26";
	c.style.few_cases = 10;
	c.style.show_counts = 1;
	chart_fns f = {pipeline_measure, pipeline_paint, &c};
	check_chart("pipeline-groups", &f, WIDTH);
}

/* A pipeline of other stages, from counts given per group (how far
 * formal cases went): six stages, a group with no cases at all, and a
 * taller chart than recruitment's three stages at the same width. */
static void test_pipeline_given_stages(void)
{
	chart_pipeline_group groups[] = {{"BME", 0, 0, 0}, {"White", 0, 0, 0},
	                                 {"Not stated", 0, 0, 0}};
	chart_pipeline_counts counts[3] = {
		{{30, 21, 15, 13, 7, 4}, {30, 30, 30, 30, 30, 30}},
		{{70, 38, 20, 16, 8, 3}, {70, 70, 70, 70, 70, 70}},
		{{0}, {0}},
	};
	pipeline_case c = {.groups = groups, .count = 3};
	c.style.title = "How far formal cases went, by ethnicity";
	c.style.stages = 6;
	c.style.counts = counts;
	c.style.empty_text = "no cases";
	static const char *const labels[6] = {
		"Investigated", "Informal action or worse", "Went to a hearing",
		"First written warning or worse", "Final written warning or worse",
		"Dismissed",
	};
	for (int k = 0; k < 6; k++)
		c.style.stage_labels[k] = labels[k];
	c.style.few_cases = 40;
	chart_fns f = {pipeline_measure, pipeline_paint, &c};
	check_chart("pipeline-stages", &f, WIDTH);

	cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *m = cairo_create(scratch);
	draw_context_setup(m);
	pipeline_case three = c;
	three.style.stages = 3;
	CHECK(pipeline_measure(m, WIDTH, &c) > pipeline_measure(m, WIDTH, &three));
	cairo_destroy(m);
	cairo_surface_destroy(scratch);
}

static void test_pipeline_edges(void)
{
	/* One group; then a group with no applications and one where nobody
	 * was shortlisted, and a rate of 100%. */
	chart_pipeline_group one[] = {{"All applicants", 1200, 300, 45}};
	pipeline_case c = {.groups = one, .count = 1};
	chart_fns f = {pipeline_measure, pipeline_paint, &c};
	check_chart("pipeline-one", &f, WIDTH);

	chart_pipeline_group edges[] = {
		{"White", 50, 50, 50},
		{"BME", 0, 0, 0},
		{"Mixed", 12, 0, 0},
		{"A group with a very long name that will not fit", 300, 30, 3},
	};
	pipeline_case e = {.groups = edges, .count = 4};
	e.style.title = "Recruitment pipeline: edge cases";
	e.style.few_cases = 10;
	chart_fns fe = {pipeline_measure, pipeline_paint, &e};
	check_chart("pipeline-edges", &fe, WIDTH);
}

/* ---- nothing to draw ------------------------------------------------------------ */

static void test_empty_inputs(void)
{
	/* No periods, no units, no groups: axes, legend and notes only,
	 * inside the measured box, and no crash. */
	chart_trend_series series[] = {{"All organisations", NULL, 1}};
	trend_case t = {.trend = {NULL, 0, series, 1, NULL, 0}};
	t.style.title = "Trend with no periods";
	chart_fns ft = {trend_measure, trend_paint, &t};
	check_chart("empty-trend", &ft, WIDTH);

	funnel_case f = {.funnel = {NULL, 0, NULL, 0, NAN}};
	f.style.title = "Funnel with no organisations";
	chart_fns ff = {funnel_measure, funnel_paint, &f};
	check_chart("empty-funnel", &ff, WIDTH);

	pipeline_case p = {.groups = NULL, .count = 0};
	p.style.title = "Pipeline with no groups";
	chart_fns fp = {pipeline_measure, pipeline_paint, &p};
	check_chart("empty-pipeline", &fp, WIDTH);

	/* A very narrow chart still lays out. */
	chart_period periods[3] = {
		{"2023/24", CHART_MONTH(2023, 4), CHART_MONTH(2024, 3)},
		{"2024/25", CHART_MONTH(2024, 4), CHART_MONTH(2025, 3)},
		{"2025/26", CHART_MONTH(2025, 4), CHART_MONTH(2026, 3)},
	};
	chart_trend_point pts[3] = {{1.2, 0.9, 1.6, 1, 0, 0}, {1.3, 1.0, 1.7, 1, 0, 0},
	                            {1.1, 0.8, 1.5, 1, 0, 0}};
	chart_trend_series one[] = {{"All", pts, 1}};
	trend_case n = {.trend = {periods, 3, one, 1, NULL, 0}};
	chart_fns fn = {trend_measure, trend_paint, &n};
	check_chart("narrow-trend", &fn, 120);
}

/* ---- files and errors -------------------------------------------------------- */

static void test_writers_and_errors(void)
{
	char path[700], bad[700];
	chart_pipeline_group groups[] = {{"White", 100, 20, 5}};
	chart_pipeline_style ps = {0};
	chart_trend_point pt[1] = {{1.2, 0.9, 1.6, 1, 0, 0}};
	chart_period periods[1] = {{"2025/26", CHART_MONTH(2025, 4),
	                            CHART_MONTH(2026, 3)}};
	chart_trend_series series[1] = {{"All", pt, 1}};
	chart_trend trend = {periods, 1, series, 1, NULL, 0};
	chart_trend_style ts = {0};
	chart_funnel_unit units[1] = {{"R0A", 20, 1.3, 1, 0, 0, 0}};
	chart_funnel funnel = {units, 1, NULL, 0, 1.3};
	chart_funnel_style fs = {0};

	snprintf(path, sizeof path, "%s/writer-pipeline.svg", out_dir);
	CHECK(chart_pipeline_write(path, PARITY_CHART_SVG, WIDTH, &ps, groups,
	                           1) == 0);
	CHECK(starts_with_file(path, "<?xml", 5));
	snprintf(path, sizeof path, "%s/writer-trend.png", out_dir);
	CHECK(chart_trend_write(path, PARITY_CHART_PNG, WIDTH, &ts, &trend) == 0);
	CHECK(png_ink(path) > 2000);
	snprintf(path, sizeof path, "%s/writer-funnel.png", out_dir);
	CHECK(chart_funnel_write(path, PARITY_CHART_PNG, WIDTH, &fs,
	                         &funnel) == 0);
	CHECK(png_ink(path) > 2000);

	/* A folder that does not exist: PARITY_EIO naming the file, and no
	 * temporary file left behind. */
	snprintf(bad, sizeof bad, "%s/missing/chart.png", out_dir);
	CHECK(chart_trend_write(bad, PARITY_CHART_PNG, WIDTH, &ts, &trend) ==
	      PARITY_EIO);
	CHECK(strstr(parity_error_last(), "missing/chart.png") != NULL);
	CHECK(chart_pipeline_write(NULL, PARITY_CHART_PNG, WIDTH, &ps, groups,
	                           1) == PARITY_EUSAGE);
	CHECK(chart_funnel_write(path, PARITY_CHART_PNG, 0, &fs, &funnel) ==
	      PARITY_EUSAGE);
}

int main(void)
{
	parity_init();
	open_out_dir();
	RUN(test_format_homogeneity);
	RUN(test_axis_helpers);
	RUN(test_ratio_pooled_small);
	RUN(test_ratio_pooled_forty);
	RUN(test_trend_five_years);
	RUN(test_trend_one_period);
	RUN(test_trend_twenty_periods_several_series);
	RUN(test_trend_range);
	RUN(test_funnel_few);
	RUN(test_funnel_forty);
	RUN(test_funnel_one);
	RUN(test_pipeline_groups);
	RUN(test_pipeline_edges);
	RUN(test_pipeline_given_stages);
	RUN(test_empty_inputs);
	RUN(test_writers_and_errors);
	RUN(test_ratio_suppressed_and_headings);
	RUN(test_trend_suppressed_point);
	close_out_dir();
	/* Release every font cache so that LeakSanitizer sees a clean exit. */
	parity_report_cleanup();
	FcFini();
	return HARNESS_REPORT();
}
