/*
 * chart_parts.c: the pieces every chart shares: axis ranges and ticks,
 * markers, arrowheads, hatching, rotated text, the wrapping legend and the
 * standalone PNG/SVG writer (temporary file, then rename).
 */
#include "chart_parts.h"

#include "parity/common.h"

#include <cairo-svg.h>
#include <glib.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const draw_font chart_label_font = {8.5, 0, 0, 0};
const draw_font chart_label_bold = {8.5, 1, 0, 0};
const draw_font chart_small_font = {8.0, 0, 0, 0};
const draw_font chart_small_italic = {8.0, 0, 1, 0};
const draw_font chart_title_font = {10.0, 1, 0, 0};

#define PI 3.14159265358979324

/* ---- axes ---------------------------------------------------------------- */

double chart_nice_value(double v, int round_up)
{
	static const double steps[] = {1, 2, 5, 10};
	double decade = pow(10, floor(log10(v)));
	double m = v / decade;
	if (round_up) {
		for (size_t i = 0; i < 4; i++)
			if (m <= steps[i] * (1 + 1e-9))
				return steps[i] * decade;
		return 10 * decade;
	}
	for (size_t i = 4; i-- > 0;)
		if (m >= steps[i] * (1 - 1e-9))
			return steps[i] * decade;
	return decade;
}

void chart_log_range(double *out_low, double *out_high, double lo, double hi)
{
	double a = CHART_BAND_LOW, b = CHART_BAND_HIGH;
	if (isfinite(lo) && lo > 0)
		a = fmin(a, lo);
	if (isfinite(hi) && hi > 0)
		b = fmax(b, hi);
	a = fmax(a / 1.1, CHART_AXIS_MIN);
	b = fmin(b * 1.1, CHART_AXIS_MAX);
	*out_low = chart_nice_value(a, 0);
	*out_high = chart_nice_value(b, 1);
}

double chart_log_frac(double v, double lo, double hi)
{
	if (!(v > 0))
		return -INFINITY;
	return (log(v) - log(lo)) / (log(hi) - log(lo));
}

size_t chart_log_ticks(double *out, size_t cap, cairo_t *cr, double lo,
                       double hi, double length, int vertical)
{
	double candidates[64];
	size_t n = 0;
	candidates[n++] = 1;
	candidates[n++] = lo;
	candidates[n++] = hi;
	for (int pass = 0; pass < 2; pass++) {
		for (int k = -2; k <= 2 && n < 60; k++) {
			double decade = pow(10, k);
			if (pass == 0) {
				candidates[n++] = decade;
			} else {
				candidates[n++] = 2 * decade;
				candidates[n++] = 5 * decade;
			}
		}
	}
	candidates[n++] = CHART_BAND_LOW;
	candidates[n++] = CHART_BAND_HIGH;

	double from[CHART_MAX_TICKS], to[CHART_MAX_TICKS];
	double line_h = vertical ? draw_line_height(cr, chart_small_font) : 0;
	size_t kept = 0;
	for (size_t i = 0; i < n && kept < cap && kept < CHART_MAX_TICKS; i++) {
		double v = candidates[i];
		if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9))
			continue;
		double half;
		if (vertical) {
			half = line_h / 2 + 1;
		} else {
			char text[16];
			double tw = 0;
			snprintf(text, sizeof text, "%g", v);
			draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0, text);
			half = tw / 2 + 5;
		}
		double at = chart_log_frac(v, lo, hi) * length;
		int clash = 0;
		for (size_t j = 0; j < kept && !clash; j++)
			clash = fabs(out[j] - v) < 1e-9 * v ||
			        (at - half < to[j] && at + half > from[j]);
		if (clash)
			continue;
		out[kept] = v;
		from[kept] = at - half;
		to[kept] = at + half;
		kept++;
	}
	return kept;
}

double chart_log_ticks_width(cairo_t *cr, const double *ticks, size_t count)
{
	double widest = 0;
	for (size_t i = 0; i < count; i++) {
		char text[16];
		double tw = 0;
		snprintf(text, sizeof text, "%g", ticks[i]);
		draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0, text);
		widest = fmax(widest, tw);
	}
	return widest;
}

double chart_nice_step(double span, int max_ticks)
{
	if (!(span > 0) || !isfinite(span))
		return 1;
	if (max_ticks < 1)
		max_ticks = 1;
	double step = chart_nice_value(span / max_ticks, 1);
	while (span / step > max_ticks + 1e-9)
		step = chart_nice_value(step * 1.01, 1);
	return step;
}

void chart_linear_label(char *buf, size_t size, double v, const char *suffix)
{
	char number[48];
	if (fabs(v - round(v)) < 1e-9 && fabs(v) < 1e15) {
		if (v < 0) {
			char digits[40];
			snprintf(number, sizeof number, "-%s",
			         draw_format_count(digits, sizeof digits,
			                           (uint64_t)llround(-v)));
		} else {
			draw_format_count(number, sizeof number, (uint64_t)llround(v));
		}
	} else {
		snprintf(number, sizeof number, "%g", v);
	}
	snprintf(buf, size, "%s%s", number, suffix ? suffix : "");
}

/* ---- marks --------------------------------------------------------------- */

/* Trace `shape` as a closed path. */
static void shape_path(cairo_t *cr, chart_shape shape, double cx, double cy,
                       double r)
{
	double s;
	cairo_new_path(cr);
	switch (shape) {
	case CHART_SQUARE:
		s = r * 0.9;
		cairo_rectangle(cr, cx - s, cy - s, 2 * s, 2 * s);
		break;
	case CHART_TRIANGLE_UP:
	case CHART_TRIANGLE_DOWN: {
		/* Centred on its centroid, so the point sits where the value is. */
		double dir = shape == CHART_TRIANGLE_UP ? 1 : -1;
		s = r * 1.3;
		cairo_move_to(cr, cx, cy - dir * s);
		cairo_line_to(cr, cx + s * 0.866, cy + dir * s * 0.5);
		cairo_line_to(cr, cx - s * 0.866, cy + dir * s * 0.5);
		cairo_close_path(cr);
		break;
	}
	case CHART_DIAMOND:
		s = r * 1.3;
		cairo_move_to(cr, cx, cy - s);
		cairo_line_to(cr, cx + s, cy);
		cairo_line_to(cr, cx, cy + s);
		cairo_line_to(cr, cx - s, cy);
		cairo_close_path(cr);
		break;
	case CHART_CROSS: {
		/* A plus of arms a third of its span wide, as heavy as the rest. */
		double a = r * 1.25, b = r * 0.45;
		cairo_move_to(cr, cx - b, cy - a);
		cairo_line_to(cr, cx + b, cy - a);
		cairo_line_to(cr, cx + b, cy - b);
		cairo_line_to(cr, cx + a, cy - b);
		cairo_line_to(cr, cx + a, cy + b);
		cairo_line_to(cr, cx + b, cy + b);
		cairo_line_to(cr, cx + b, cy + a);
		cairo_line_to(cr, cx - b, cy + a);
		cairo_line_to(cr, cx - b, cy + b);
		cairo_line_to(cr, cx - a, cy + b);
		cairo_line_to(cr, cx - a, cy - b);
		cairo_line_to(cr, cx - b, cy - b);
		cairo_close_path(cr);
		break;
	}
	case CHART_CIRCLE:
	default:
		cairo_arc(cr, cx, cy, r, 0, 2 * PI);
		break;
	}
}

void chart_marker(cairo_t *cr, chart_shape shape, double cx, double cy,
                  double r, draw_colour fill, draw_colour line, int hollow)
{
	shape_path(cr, shape, cx, cy, r);
	draw_colour_set(cr, hollow ? DRAW_WHITE : fill);
	cairo_fill_preserve(cr);
	draw_colour_set(cr, hollow ? fill : line);
	cairo_set_line_width(cr, hollow ? 1.4 : 0.8);
	cairo_set_dash(cr, NULL, 0, 0);
	cairo_stroke(cr);
}

void chart_arrow(cairo_t *cr, double tx, double ty, double dx, double dy,
                 double len, double half)
{
	double bx = tx - dx * len, by = ty - dy * len;
	cairo_new_path(cr);
	cairo_move_to(cr, tx, ty);
	cairo_line_to(cr, bx - dy * half, by + dx * half);
	cairo_line_to(cr, bx + dy * half, by - dx * half);
	cairo_close_path(cr);
	cairo_fill(cr);
}

void chart_hatch(cairo_t *cr, double x, double y, double w, double h,
                 double spacing)
{
	if (!(w > 0) || !(h > 0) || !(spacing > 0))
		return;
	cairo_save(cr);
	cairo_rectangle(cr, x, y, w, h);
	cairo_clip(cr);
	cairo_new_path(cr);
	for (double d = -h; d < w; d += spacing) {
		cairo_move_to(cr, x + d, y + h);
		cairo_line_to(cr, x + d + h, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

void chart_text_up(cairo_t *cr, double cx, double cy, draw_font font,
                   const char *text)
{
	double tw = 0, th = 0;
	draw_text_size(&tw, &th, cr, 0, font, 0, text);
	cairo_save(cr);
	cairo_translate(cr, cx, cy);
	cairo_rotate(cr, -PI / 2);
	draw_text(cr, -tw / 2, -th / 2, 0, font, 0, text);
	cairo_restore(cr);
}

/* ---- legend -------------------------------------------------------------- */

#define LEGEND_GAP 4.0      /* symbol to text */
#define LEGEND_SPACING 14.0 /* between entries on a line */

void chart_legend_add(chart_legend *legend, int kind, int index,
                      const char *text)
{
	if (legend->count >= CHART_LEGEND_MAX)
		return;
	chart_legend_entry *e = &legend->entries[legend->count++];
	memset(e, 0, sizeof *e);
	e->kind = kind;
	e->index = index;
	snprintf(e->text, sizeof e->text, "%s", text ? text : "");
}

void chart_legend_layout(chart_legend *legend, cairo_t *cr, double width)
{
	double line_h = draw_line_height(cr, chart_small_font) + 3;
	double cx = 0, cy = 0;
	for (size_t i = 0; i < legend->count; i++) {
		chart_legend_entry *e = &legend->entries[i];
		double tw = 0;
		draw_text_size(&tw, NULL, cr, 0, chart_small_font, 0, e->text);
		double need = fmin(CHART_LEGEND_SYMBOL + LEGEND_GAP + tw, width);
		if (cx > 0 && cx + need > width) {
			cx = 0;
			cy += line_h;
		}
		e->x = cx;
		e->dy = cy;
		cx += need + LEGEND_SPACING;
	}
	legend->height = legend->count ? cy + line_h : 0;
}

void chart_legend_draw(const chart_legend *legend, cairo_t *cr, double x,
                       double y, double width, chart_symbol_fn symbol,
                       const void *context)
{
	double lh = draw_line_height(cr, chart_small_font);
	for (size_t i = 0; i < legend->count; i++) {
		const chart_legend_entry *e = &legend->entries[i];
		double ex = x + e->x, ey = y + e->dy;
		cairo_save(cr);
		symbol(cr, e, ex, ey + lh / 2, context);
		cairo_restore(cr);
		draw_colour_set(cr, DRAW_BLACK);
		double room = width - e->x - CHART_LEGEND_SYMBOL - LEGEND_GAP;
		draw_text(cr, ex + CHART_LEGEND_SYMBOL + LEGEND_GAP, ey, room,
		          chart_small_font, DRAW_ELLIPSIZE, e->text);
	}
}

/* ---- files --------------------------------------------------------------- */

#define FILE_MARGIN 12.0
#define PNG_SCALE 2.0 /* 144 dpi */
#define PNG_PIXELS_PER_METRE 5669 /* 144 dpi, for the file's pHYs */
#define PNG_ZLIB_LEVEL 1 /* zlib's fastest */

static void png_write_data(png_structp png, png_bytep data, size_t length)
{
	draw_output *out = png_get_io_ptr(png);
	if (draw_output_write(out, data, (unsigned int)length) != CAIRO_STATUS_SUCCESS)
		png_error(png, "cannot write");
}

static void png_flush_data(png_structp png)
{
	(void)png;
}

/*
 * Write the RGB24 `image` to `out` as an 8-bit RGB PNG. cairo's own writer
 * leaves libpng at its defaults (each of the five row filters tried on
 * every row, zlib level 6), which made each chart cost some 40 ms. The
 * charts are flat colours, so rows unfiltered at zlib's fastest level
 * compress as well (a 74 kB file) and a whole chart takes about 15 ms.
 * Returns a cairo status for draw_output_close.
 */
static cairo_status_t write_png(cairo_surface_t *image, draw_output *out)
{
	cairo_surface_flush(image);
	int w = cairo_image_surface_get_width(image);
	int h = cairo_image_surface_get_height(image);
	int stride = cairo_image_surface_get_stride(image);
	const unsigned char *data = cairo_image_surface_get_data(image);
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL,
	                                          NULL, NULL);
	png_infop info = png ? png_create_info_struct(png) : NULL;
	unsigned char *row = draw_malloc((size_t)(w > 0 ? w : 1) * 3);
	volatile cairo_status_t status = CAIRO_STATUS_NO_MEMORY;
	if (!png || !info || !row || !data)
		goto done;
	status = CAIRO_STATUS_WRITE_ERROR;
	if (setjmp(png_jmpbuf(png)))
		goto done; /* libpng reported an error (the write failed) */
	png_set_write_fn(png, out, png_write_data, png_flush_data);
	png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8,
	             PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
	             PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_pHYs(png, info, PNG_PIXELS_PER_METRE, PNG_PIXELS_PER_METRE,
	             PNG_RESOLUTION_METER);
	png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_NONE);
	png_set_compression_level(png, PNG_ZLIB_LEVEL);
	png_write_info(png, info);
	for (int y = 0; y < h; y++) {
		/* RGB24 keeps each pixel as a native-endian 0x00RRGGBB word. */
		const uint32_t *pixels = (const uint32_t *)(const void *)(data +
		                         (size_t)y * (size_t)stride);
		for (int x = 0; x < w; x++) {
			row[3 * x] = (unsigned char)(pixels[x] >> 16);
			row[3 * x + 1] = (unsigned char)(pixels[x] >> 8);
			row[3 * x + 2] = (unsigned char)pixels[x];
		}
		png_write_row(png, row);
	}
	png_write_end(png, info);
	status = CAIRO_STATUS_SUCCESS;
done:
	png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
	free(row);
	return status;
}

/* The cairo write callback gathering SVG into a GString. */
static cairo_status_t svg_gather(void *closure, const unsigned char *data,
                                 unsigned int length)
{
	g_string_append_len(closure, (const char *)data, (gssize)length);
	return CAIRO_STATUS_SUCCESS;
}

/* Append `text` to `out` with every id and reference to one prefixed with
 * `id`, so that several charts can share one HTML page. cairo names some
 * ids "surface" and a number counted across the whole process, which
 * would make a chart's bytes depend on what was drawn before it (and on
 * another thread): those are numbered afresh, 1, 2, ... in the order they
 * first appear. */
static void prefix_ids(GString *out, const char *text, const char *id)
{
	static const char *const marks[] = {"id=\"", "url(#", "href=\"#"};
	GArray *seen = g_array_new(FALSE, FALSE, sizeof(unsigned long));
	const char *p = text;
	while (*p) {
		size_t best = (size_t)-1, which = 0;
		for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++) {
			const char *hit = strstr(p, marks[k]);
			if (hit && (size_t)(hit - p) < best) {
				best = (size_t)(hit - p);
				which = k;
			}
		}
		if (best == (size_t)-1) {
			g_string_append(out, p);
			break;
		}
		size_t mark = strlen(marks[which]);
		g_string_append_len(out, p, (gssize)(best + mark));
		g_string_append_printf(out, "%s-", id);
		p += best + mark;
		if (strncmp(p, "surface", 7) || !g_ascii_isdigit(p[7]))
			continue;
		char *end;
		unsigned long number = strtoul(p + 7, &end, 10);
		guint k = 0;
		while (k < seen->len && g_array_index(seen, unsigned long, k) != number)
			k++;
		if (k == seen->len)
			g_array_append_val(seen, number);
		g_string_append_printf(out, "surface%u", k + 1);
		p = end;
	}
	g_array_free(seen, TRUE);
}

char *chart_svg_text(double width, chart_measure_fn measure, chart_paint_fn paint,
                     const void *chart, const chart_alt *alt, const char *id,
                     int standalone)
{
	cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *cr = cairo_create(scratch);
	draw_context_setup(cr);
	double height = measure(cr, width, chart);
	cairo_destroy(cr);
	cairo_surface_destroy(scratch);

	GString *raw = g_string_new(NULL), *text = g_string_new(NULL);
	cairo_surface_t *surface = cairo_svg_surface_create_for_stream(
		svg_gather, raw, width + 2 * FILE_MARGIN, height + 2 * FILE_MARGIN);
	cr = cairo_create(surface);
	draw_context_setup(cr);
	draw_text_capture(cr, text);
	draw_colour_set(cr, DRAW_WHITE);
	cairo_paint(cr);
	paint(cr, FILE_MARGIN, FILE_MARGIN, width, chart);
	cairo_status_t status = cairo_status(cr);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);

	char *result = NULL;
	const char *open = strstr(raw->str, "<svg");
	const char *open_end = open ? strchr(open, '>') : NULL;
	const char *close = open_end ? strstr(open_end, "</svg>") : NULL;
	if (status == CAIRO_STATUS_SUCCESS && close) {
		GString *out = g_string_new(standalone
		                            ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		                            : "");
		char *title = g_markup_escape_text(alt ? alt->title : "Chart", -1);
		char *desc = g_markup_escape_text(alt ? alt->desc : "", -1);
		g_string_append_len(out, open, open_end - open);
		g_string_append_printf(out, " role=\"img\" aria-labelledby=\"%s-title "
		                       "%s-desc\" font-family=\"DejaVu Sans, Verdana, "
		                       "sans-serif\">\n<title id=\"%s-title\">%s</title>\n"
		                       "<desc id=\"%s-desc\">%s</desc>\n", id, id, id,
		                       title, id, desc);
		g_free(title);
		g_free(desc);
		/* cairo's drawing, ids prefixed; the text (decoration aside, the
		 * chart's words) above it, then the end tag. */
		char *body = g_strndup(open_end + 1, (gsize)(close - open_end - 1));
		prefix_ids(out, body, id);
		g_free(body);
		g_string_append(out, "<g class=\"chart-text\">\n");
		g_string_append_len(out, text->str, (gssize)text->len);
		g_string_append(out, "</g>\n</svg>\n");
		result = g_string_free(out, FALSE);
	}
	g_string_free(raw, TRUE);
	g_string_free(text, TRUE);
	return result;
}

char *chart_svg_string(double width, chart_measure_fn measure, chart_paint_fn paint,
                       const void *chart, const chart_alt *alt, const char *id)
{
	return chart_svg_text(width, measure, paint, chart, alt, id, 0);
}

int chart_write_file(const char *path, parity_chart_format format,
                     double width, chart_measure_fn measure,
                     chart_paint_fn paint, const void *chart,
                     const chart_alt *alt)
{
	draw_output out;
	cairo_surface_t *surface = NULL;
	cairo_t *cr = NULL;
	cairo_status_t status = CAIRO_STATUS_SUCCESS;

	if (!path || !*path || !(width > 0) || !measure || !paint || !chart)
		return parity_error_set(PARITY_EUSAGE,
		                        "chart: a path, a positive width and the "
		                        "chart are required");

	if (format == PARITY_CHART_SVG) {
		char *svg = chart_svg_text(width, measure, paint, chart, alt, "chart", 1);
		if (!svg)
			return parity_error_set(PARITY_EIO, "%s: cannot draw the chart as "
			                        "SVG (cairo failed or memory ran out)", path);
		int rc = draw_output_open(&out, path);
		if (!rc) {
			size_t len = strlen(svg);
			status = draw_output_write(&out, (const unsigned char *)svg,
			                           (unsigned int)len);
			rc = draw_output_close(&out, status);
		}
		g_free(svg);
		return rc;
	}

	/* Measure on a scratch surface: hinting is off, so text measures
	 * the same here as on the real one. */
	cairo_surface_t *scratch = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *measure_cr = cairo_create(scratch);
	draw_context_setup(measure_cr);
	double height = measure(measure_cr, width, chart);
	cairo_destroy(measure_cr);
	cairo_surface_destroy(scratch);

	double page_w = width + 2 * FILE_MARGIN;
	double page_h = height + 2 * FILE_MARGIN;

	int rc = draw_output_open(&out, path);
	if (rc)
		return rc;

	surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24,
	                                     (int)ceil(page_w * PNG_SCALE),
	                                     (int)ceil(page_h * PNG_SCALE));
	cr = cairo_create(surface);
	draw_context_setup(cr);
	cairo_scale(cr, PNG_SCALE, PNG_SCALE);
	draw_colour_set(cr, DRAW_WHITE);
	cairo_paint(cr);
	paint(cr, FILE_MARGIN, FILE_MARGIN, width, chart);

	status = cairo_status(cr);
	if (status == CAIRO_STATUS_SUCCESS)
		status = write_png(surface, &out);
	cairo_destroy(cr);
	cairo_surface_finish(surface);
	if (status == CAIRO_STATUS_SUCCESS)
		status = cairo_surface_status(surface);
	cairo_surface_destroy(surface);

	return draw_output_close(&out, status);
}
