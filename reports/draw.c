/*
 * draw.c: page and text helpers over cairo and pango: palette, fonts,
 * wrapped text (and text as SVG), flowing pages with header and footer,
 * tables across pages and output files written atomically (numbers are
 * formatted in draw_format.c, structure tagged in draw_tag.c).
 */
#include "draw.h"

#include "html.h"

#include "parity/common.h"
#include "util/util.h"

#include <errno.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

static const uint32_t palette[DRAW_COLOUR_COUNT] = {
	[DRAW_BLACK] = 0x000000,
	[DRAW_ORANGE] = 0xB26B00,     /* Okabe-Ito 0xE69F00, darkened */
	[DRAW_SKY_BLUE] = 0x56B4E9,   /* a tint only */
	[DRAW_GREEN] = 0x008560,      /* 0x009E73, darkened */
	[DRAW_YELLOW] = 0x857700,     /* 0xF0E442, darkened to olive */
	[DRAW_BLUE] = 0x0072B2,
	[DRAW_VERMILLION] = 0xC04F00, /* 0xD55E00, darkened */
	[DRAW_PURPLE] = 0xA8578A,     /* 0xCC79A7, darkened */
	[DRAW_GREY] = 0x505050,
	[DRAW_MID_GREY] = 0xB0B0B0,
	[DRAW_PALE_GREY] = 0xF0F0F0,
	[DRAW_WHITE] = 0xFFFFFF,
};

uint32_t draw_colour_rgb(draw_colour c)
{
	return palette[c < DRAW_COLOUR_COUNT ? c : DRAW_BLACK];
}

void draw_colour_set_alpha(cairo_t *cr, draw_colour c, double alpha)
{
	uint32_t rgb = draw_colour_rgb(c);
	cairo_set_source_rgba(cr, (double)((rgb >> 16) & 0xFF) / 255.0,
	                      (double)((rgb >> 8) & 0xFF) / 255.0,
	                      (double)(rgb & 0xFF) / 255.0, alpha);
}

void draw_colour_set(cairo_t *cr, draw_colour c)
{
	draw_colour_set_alpha(cr, c, 1.0);
}

void draw_context_setup(cairo_t *cr)
{
	cairo_font_options_t *options = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(cr, options);
	cairo_font_options_destroy(options);
}

/* ---- text ------------------------------------------------------------- */

static const cairo_user_data_key_t context_key;

static void context_unref(void *context)
{
	g_object_unref(context);
}

/*
 * The pango context kept with `cr` (made on first use, freed with `cr`),
 * brought up to date with its transform and font options; a new reference
 * for the caller. Making a fresh context for every piece of text, as
 * pango_cairo_create_layout does, was a fifth of the time it took to lay
 * out a report.
 */
static PangoContext *context_for(cairo_t *cr)
{
	PangoContext *context = cairo_get_user_data(cr, &context_key);
	if (context) {
		pango_cairo_update_context(cr, context);
		return g_object_ref(context);
	}
	context = pango_cairo_create_context(cr);
	/* When `cr` cannot keep it (out of memory), the caller's reference
	 * is the only one, and the next call makes another. */
	if (cairo_set_user_data(cr, &context_key, context, context_unref) ==
	    CAIRO_STATUS_SUCCESS)
		g_object_ref(context);
	return context;
}

/* A pango layout of `text` for `cr`; the caller unrefs it. */
static PangoLayout *make_layout(cairo_t *cr, double width, draw_font font,
                                unsigned flags, const char *text)
{
	PangoContext *context = context_for(cr);
	PangoLayout *layout = pango_layout_new(context);
	g_object_unref(context);
	PangoFontDescription *desc = pango_font_description_new();
	double size = font.size < DRAW_MIN_FONT_PT ? DRAW_MIN_FONT_PT : font.size;

	pango_font_description_set_family(desc, DRAW_FONT_FAMILY);
	/* Absolute size is in user units, which are points on every surface
	 * the report draws on, so no resolution conversion sneaks in. */
	pango_font_description_set_absolute_size(desc, size * PANGO_SCALE);
	pango_font_description_set_weight(desc, font.bold ? PANGO_WEIGHT_BOLD
	                                                  : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(desc, font.italic ? PANGO_STYLE_ITALIC
	                                                   : PANGO_STYLE_NORMAL);
	if (font.condensed)
		pango_font_description_set_stretch(desc, PANGO_STRETCH_CONDENSED);
	pango_layout_set_font_description(layout, desc);
	pango_font_description_free(desc);

	if (width > 0) {
		pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
		if (flags & DRAW_ELLIPSIZE)
			pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END);
		else
			pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
		if (flags & DRAW_ALIGN_CENTRE)
			pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER);
		else if (flags & DRAW_ALIGN_RIGHT)
			pango_layout_set_alignment(layout, PANGO_ALIGN_RIGHT);
	}
	if (flags & DRAW_MARKUP)
		pango_layout_set_markup(layout, text, -1);
	else
		pango_layout_set_text(layout, text, -1);
	return layout;
}

static const cairo_user_data_key_t sizes_key;

static void sizes_destroy(void *sizes)
{
	g_hash_table_destroy(sizes);
}

#define SIZES_MAX 20000 /* measurements kept per context before starting over */

/*
 * The measurements already made on `cr` (made on first use, freed with
 * `cr`): laying out charts measures the same labels again and again (each
 * row height tried, each page's share of a long chart), and pango's layout
 * is the costliest step of drawing. Text measures the same at any
 * transform, since metric hinting is off. NULL when `cr` cannot keep it.
 */
static GHashTable *sizes_for(cairo_t *cr)
{
	GHashTable *sizes = cairo_get_user_data(cr, &sizes_key);
	if (sizes) {
		if (g_hash_table_size(sizes) > SIZES_MAX)
			g_hash_table_remove_all(sizes);
		return sizes;
	}
	sizes = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free);
	if (cairo_set_user_data(cr, &sizes_key, sizes, sizes_destroy) !=
	    CAIRO_STATUS_SUCCESS) {
		g_hash_table_destroy(sizes);
		return NULL;
	}
	return sizes;
}

void draw_text_size(double *out_width, double *out_height, cairo_t *cr,
                    double width, draw_font font, unsigned flags,
                    const char *text)
{
	GHashTable *sizes = sizes_for(cr);
	char *key = g_strdup_printf("%.17g|%d%d%d|%.17g|%u|%s", font.size, font.bold,
	                            font.italic, font.condensed, width, flags, text);
	double *known = sizes ? g_hash_table_lookup(sizes, key) : NULL;
	double size[2];
	if (known) {
		size[0] = known[0];
		size[1] = known[1];
		g_free(key);
	} else {
		PangoLayout *layout = make_layout(cr, width, font, flags, text);
		PangoRectangle logical;
		pango_layout_get_extents(layout, NULL, &logical);
		size[0] = (double)logical.width / PANGO_SCALE;
		size[1] = (double)logical.height / PANGO_SCALE;
		g_object_unref(layout);
		if (sizes)
			g_hash_table_insert(sizes, key, g_memdup2(size, sizeof size));
		else
			g_free(key);
	}
	if (out_width)
		*out_width = size[0];
	if (out_height)
		*out_height = size[1];
}

static const cairo_user_data_key_t capture_key;

void draw_text_capture(cairo_t *cr, void *svg)
{
	cairo_set_user_data(cr, &capture_key, svg, NULL);
}

/* Append `text` (`length` bytes) to `svg`, escaped for XML. */
static void svg_escape(GString *svg, const char *text, gssize length)
{
	char *escaped = g_markup_escape_text(text, length);
	g_string_append(svg, escaped);
	g_free(escaped);
}

/* The colour of a run: its markup foreground, else the cairo source. */
static void run_colour(char out[8], cairo_t *cr, const PangoItem *item)
{
	double r = 0, g = 0, b = 0, a = 1;
	for (GSList *l = item->analysis.extra_attrs; l; l = l->next) {
		const PangoAttribute *attr = l->data;
		if (attr->klass->type == PANGO_ATTR_FOREGROUND) {
			const PangoColor *c = &((const PangoAttrColor *)attr)->color;
			snprintf(out, 8, "#%02x%02x%02x", c->red >> 8, c->green >> 8,
			         c->blue >> 8);
			return;
		}
	}
	if (cairo_pattern_get_rgba(cairo_get_source(cr), &r, &g, &b, &a) !=
	    CAIRO_STATUS_SUCCESS)
		r = g = b = 0;
	snprintf(out, 8, "#%02x%02x%02x", (unsigned)lround(r * 255),
	         (unsigned)lround(g * 255), (unsigned)lround(b * 255));
}

/*
 * Write `layout`, whose top-left corner is at (x, y) in user space, to
 * `svg` as <text> elements: one per run, at the run's own position, so a
 * viewer whose font measures a little differently still starts each run
 * where pango put it. An ellipsized run is written as the ellipsis.
 */
static void svg_layout(GString *svg, cairo_t *cr, double x, double y,
                       draw_font font, PangoLayout *layout)
{
	cairo_matrix_t m;
	cairo_get_matrix(cr, &m);
	const char *text = pango_layout_get_text(layout);
	int ellipsized = pango_layout_is_ellipsized(layout);
	double size = font.size < DRAW_MIN_FONT_PT ? DRAW_MIN_FONT_PT : font.size;
	g_string_append_printf(svg, "<g transform=\"matrix(%.4g %.4g %.4g %.4g "
	                       "%.6g %.6g)\" font-family=\"DejaVu Sans%s, "
	                       "Verdana, sans-serif\" font-size=\"%.3g\">",
	                       m.xx, m.yx, m.xy, m.yy, m.x0, m.y0,
	                       font.condensed ? " Condensed" : "", size);
	PangoLayoutIter *iter = pango_layout_get_iter(layout);
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(iter);
		if (!run)
			continue;
		const PangoItem *item = run->item;
		PangoRectangle rect;
		pango_layout_iter_get_run_extents(iter, NULL, &rect);
		double base = (double)pango_layout_iter_get_baseline(iter) / PANGO_SCALE;
		PangoFontDescription *desc = pango_font_describe(item->analysis.font);
		int bold = pango_font_description_get_weight(desc) >= PANGO_WEIGHT_SEMIBOLD;
		int italic = pango_font_description_get_style(desc) != PANGO_STYLE_NORMAL;
		pango_font_description_free(desc);
		char colour[8];
		run_colour(colour, cr, item);
		g_string_append_printf(svg, "<text x=\"%.2f\" y=\"%.2f\" fill=\"%s\"%s%s "
		                       "xml:space=\"preserve\">",
		                       x + (double)rect.x / PANGO_SCALE, y + base, colour,
		                       bold ? " font-weight=\"bold\"" : "",
		                       italic ? " font-style=\"italic\"" : "");
		if (ellipsized && run->glyphs->num_glyphs == 1 &&
		    g_utf8_strlen(text + item->offset, item->length) > 1)
			g_string_append(svg, "\u2026");
		else
			svg_escape(svg, text + item->offset, item->length);
		g_string_append(svg, "</text>");
	} while (pango_layout_iter_next_run(iter));
	pango_layout_iter_free(iter);
	g_string_append(svg, "</g>\n");
}

double draw_text(cairo_t *cr, double x, double y, double width,
                 draw_font font, unsigned flags, const char *text)
{
	PangoLayout *layout = make_layout(cr, width, font, flags, text);
	PangoRectangle logical;
	pango_layout_get_extents(layout, NULL, &logical);
	double w = (double)logical.width / PANGO_SCALE;
	double h = (double)logical.height / PANGO_SCALE;

	if (width <= 0) {
		if (flags & DRAW_ALIGN_CENTRE)
			x -= w / 2;
		else if (flags & DRAW_ALIGN_RIGHT)
			x -= w;
	}
	GString *svg = cairo_get_user_data(cr, &capture_key);
	if (svg) {
		svg_layout(svg, cr, x, y, font, layout);
	} else {
		cairo_move_to(cr, x, y);
		pango_cairo_show_layout(cr, layout);
	}
	cairo_new_path(cr);
	g_object_unref(layout);
	return h;
}

double draw_line_height(cairo_t *cr, draw_font font)
{
	double h = 0;
	draw_text_size(NULL, &h, cr, 0, font, 0, "Ag");
	return h;
}

/* ---- pages ------------------------------------------------------------ */

#define MARGIN_SIDE 42.0
#define HEADER_TEXT_Y 26.0
#define HEADER_RULE_Y 42.0
#define CONTENT_TOP 58.0
#define FOOTER_RULE_FROM_BOTTOM 40.0
#define CONTENT_BOTTOM_FROM_BOTTOM 52.0

static const draw_font header_font = {8.0, 0, 0, 0};
static const draw_font header_bold = {8.0, 1, 0, 0};

void draw_doc_init(draw_doc *doc, cairo_t *cr, int pages_total,
                   const char *header_left, const char *header_right,
                   const char *footer_left)
{
	memset(doc, 0, sizeof *doc);
	doc->cr = cr;
	doc->width = DRAW_A4_WIDTH;
	doc->height = DRAW_A4_HEIGHT;
	doc->left = MARGIN_SIDE;
	doc->right = DRAW_A4_WIDTH - MARGIN_SIDE;
	doc->top = CONTENT_TOP;
	doc->bottom = DRAW_A4_HEIGHT - CONTENT_BOTTOM_FROM_BOTTOM;
	doc->y = doc->top;
	doc->pages_total = pages_total;
	doc->header_left = header_left ? header_left : "";
	doc->header_right = header_right ? header_right : "";
	doc->footer_left = footer_left ? footer_left : "";
}

/* The running header (title left; organisation and period right) and the
 * footer (producer left, "Page N of M" right), with a rule each. */
static void page_furniture(draw_doc *doc)
{
	cairo_t *cr = doc->cr;
	double half = (doc->right - doc->left) / 2 - 6;
	char page[64];

	draw_artifact_begin(cr);
	draw_colour_set(cr, DRAW_BLACK);
	draw_text(cr, doc->left, HEADER_TEXT_Y, half, header_bold,
	          DRAW_ELLIPSIZE, doc->header_left);
	draw_text(cr, doc->right - half, HEADER_TEXT_Y, half, header_font,
	          DRAW_ELLIPSIZE | DRAW_ALIGN_RIGHT, doc->header_right);

	double footer_rule = doc->height - FOOTER_RULE_FROM_BOTTOM;
	draw_colour_set(cr, DRAW_MID_GREY);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, doc->left, HEADER_RULE_Y);
	cairo_line_to(cr, doc->right, HEADER_RULE_Y);
	cairo_move_to(cr, doc->left, footer_rule);
	cairo_line_to(cr, doc->right, footer_rule);
	cairo_stroke(cr);

	if (doc->pages_total > 0)
		snprintf(page, sizeof page, "Page %d of %d", doc->page,
		         doc->pages_total);
	else
		snprintf(page, sizeof page, "Page %d", doc->page);
	draw_colour_set(cr, DRAW_GREY);
	draw_text(cr, doc->left, footer_rule + 6, half, header_font,
	          DRAW_ELLIPSIZE, doc->footer_left);
	draw_text(cr, doc->right, footer_rule + 6, 0, header_font,
	          DRAW_ALIGN_RIGHT, page);
	draw_colour_set(cr, DRAW_BLACK);
	draw_artifact_end(cr);
}

void draw_doc_new_page(draw_doc *doc)
{
	if (doc->page > 0)
		cairo_show_page(doc->cr);
	doc->page++;
	doc->y = doc->top;
	page_furniture(doc);
}

void draw_doc_finish(draw_doc *doc)
{
	draw_tags_close(doc);
	if (doc->page > 0)
		cairo_show_page(doc->cr);
}

double draw_doc_space_left(const draw_doc *doc)
{
	return doc->bottom - doc->y;
}

double draw_doc_page_space(const draw_doc *doc)
{
	return doc->bottom - doc->top;
}

void draw_doc_need(draw_doc *doc, double height)
{
	if (doc->page == 0 || (doc->y + height > doc->bottom && doc->y > doc->top))
		draw_doc_new_page(doc);
}

/* A block of text at the cursor, full width, on a new page when it does
 * not fit; tagged `tag` (a structure element, or NULL). */
static void doc_block(draw_doc *doc, draw_font font, unsigned flags,
                      draw_colour colour, const char *text, const char *tag)
{
	double width = doc->right - doc->left;
	double h = 0;
	draw_text_size(NULL, &h, doc->cr, width, font, flags, text);
	draw_doc_need(doc, h);
	if (tag)
		draw_tag_begin(doc, tag);
	draw_colour_set(doc->cr, colour);
	doc->y += draw_text(doc->cr, doc->left, doc->y, width, font, flags, text);
	draw_colour_set(doc->cr, DRAW_BLACK);
	if (tag)
		draw_tag_end(doc, tag);
}

void draw_doc_text(draw_doc *doc, draw_font font, unsigned flags,
                   draw_colour colour, const char *text)
{
	html_text(doc->html, (flags & DRAW_MARKUP) != 0, colour == DRAW_GREY, text);
	doc_block(doc, font, flags, colour, text, "P");
}

/* A heading block of `level`: on the page where it fits with `keep`
 * points of what follows, tagged with its bookmark. */
static void doc_heading(draw_doc *doc, int level, draw_font font, double keep,
                        const char *text)
{
	double h = 0;
	draw_text_size(NULL, &h, doc->cr, doc->right - doc->left, font, 0, text);
	draw_doc_need(doc, h + keep);
	html_heading(doc->html, level, text);
	int used = draw_tag_heading_begin(doc, level, text);
	doc_block(doc, font, 0, DRAW_BLACK, text, NULL);
	draw_tag_heading_end(doc, used);
}

void draw_doc_title(draw_doc *doc, draw_font font, const char *text)
{
	doc_heading(doc, 1, font, 0, text);
}

void draw_doc_heading(draw_doc *doc, double size, const char *text)
{
	/* Keep a heading with at least a few lines of what follows it. Parts
	 * are set at 15 points, their sections smaller. */
	doc_heading(doc, size >= 14 ? 2 : 3, (draw_font){size, 1, 0, 0}, 60, text);
	doc->y += size * 0.4;
}

void draw_doc_gap(draw_doc *doc, double height)
{
	if (doc->y + height > doc->bottom)
		doc->y = doc->bottom;
	else
		doc->y += height;
}

/* ---- tables ----------------------------------------------------------- */

#define CELL_PAD 3.0

/* Total width of columns first .. first+count-1. */
static double columns_width(const draw_table *t, size_t first, size_t count)
{
	double w = 0;
	for (size_t i = first; i < first + count && i < t->column_count; i++)
		w += t->columns[i].width;
	return w;
}

/* Width of the longest space-separated word of `text` in `font`. */
static double longest_word(cairo_t *cr, draw_font font, const char *text)
{
	char word[128];
	double widest = 0;
	while (*text) {
		size_t len = strcspn(text, " \n");
		if (len > 0) {
			double w = 0;
			snprintf(word, sizeof word, "%.*s", (int)len, text);
			draw_text_size(&w, NULL, cr, 0, font, 0, word);
			if (w > widest)
				widest = w;
		}
		text += len;
		if (*text)
			text++;
	}
	return widest;
}

void draw_table_fit(draw_column *columns, cairo_t *cr, const draw_table *t,
                    double total_width)
{
	draw_font bold = t->font;
	bold.bold = 1;
	double sum = 0;
	for (size_t c = 0; c < t->column_count; c++) {
		double widest = longest_word(cr, bold, columns[c].heading);
		for (size_t r = 0; r < t->row_count; r++) {
			int is_bold = t->row_flags && (t->row_flags[r] & DRAW_ROW_BOLD);
			double w = 0;
			draw_text_size(&w, NULL, cr, 0, is_bold ? bold : t->font, 0,
			               t->cells[r * t->column_count + c].text);
			if (w > widest)
				widest = w;
		}
		columns[c].width = ceil(widest + 2 * CELL_PAD + 1);
		sum += columns[c].width;
	}
	if (t->column_count == 0)
		return;
	if (sum <= total_width) {
		double extra = (total_width - sum) / (double)t->column_count;
		for (size_t c = 0; c < t->column_count; c++)
			columns[c].width += extra;
		return;
	}
	double others = sum - columns[0].width;
	columns[0].width = fmax(total_width - others, 40.0);
	sum = others + columns[0].width;
	if (sum > total_width)
		for (size_t c = 0; c < t->column_count; c++)
			columns[c].width *= total_width / sum;
}

/* Height of the heading block (spans, column headings, rule). */
static double headings_height(cairo_t *cr, const draw_table *t,
                              double *out_span_height)
{
	draw_font bold = t->font;
	bold.bold = 1;
	double tallest = 0;
	for (size_t i = 0; i < t->column_count; i++) {
		double h = 0;
		draw_text_size(NULL, &h, cr, t->columns[i].width - 2 * CELL_PAD,
		               bold, t->columns[i].align, t->columns[i].heading);
		if (h > tallest)
			tallest = h;
	}
	double span = t->span_count ? draw_line_height(cr, bold) + 4 : 0;
	if (out_span_height)
		*out_span_height = span;
	return span + tallest + 4;
}

/* Draw the heading block at the cursor and move the cursor below it;
 * `tag` tags its rows (the first time; repeats on later pages are not). */
static void draw_headings(draw_doc *doc, const draw_table *t, int tag)
{
	draw_doc tagless = *doc;
	if (!tag)
		tagless.tags = NULL;
	draw_doc *td = &tagless;
	/* Headings repeated on a later page are decoration. */
	if (!tag)
		draw_artifact_begin(doc->cr);
	cairo_t *cr = doc->cr;
	draw_font bold = t->font;
	bold.bold = 1;
	double span_h = 0;
	double total = headings_height(cr, t, &span_h);
	double y = doc->y;

	draw_colour_set(cr, DRAW_BLACK);
	size_t covered = 0; /* columns the group row has accounted for */
	if (t->span_count)
		draw_tag_begin(td, "TR");
	for (size_t s = 0; s < t->span_count; s++) {
		const draw_span *span = &t->spans[s];
		double x = doc->left + columns_width(t, 0, span->first);
		double w = columns_width(t, span->first, span->count);
		if (span->first > covered) { /* columns under no group: a gap */
			draw_tag_head_cell(td, "TD", span->first - covered);
			draw_tag_end(td, "TD");
		}
		covered = span->first + span->count;
		draw_tag_head_cell(td, "TH", span->count);
		draw_text(cr, x + CELL_PAD, y, w - 2 * CELL_PAD, bold,
		          DRAW_ALIGN_CENTRE | DRAW_ELLIPSIZE, span->heading);
		draw_tag_end(td, "TH");
		draw_artifact_begin(cr);
		cairo_set_line_width(cr, 0.6);
		cairo_move_to(cr, x + CELL_PAD, y + span_h - 2);
		cairo_line_to(cr, x + w - CELL_PAD, y + span_h - 2);
		cairo_stroke(cr);
		draw_artifact_end(cr);
	}
	if (t->span_count && covered < t->column_count) {
		draw_tag_head_cell(td, "TD", t->column_count - covered);
		draw_tag_end(td, "TD");
	}
	if (t->span_count)
		draw_tag_end(td, "TR");
	double x = doc->left;
	double body = total - span_h - 4;
	draw_tag_begin(td, "TR");
	for (size_t i = 0; i < t->column_count; i++) {
		const draw_column *col = &t->columns[i];
		double h = 0;
		draw_text_size(NULL, &h, cr, col->width - 2 * CELL_PAD, bold,
		               col->align, col->heading);
		/* Bottom-align headings so one- and two-line ones share a base. */
		draw_tag_head_cell(td, "TH", 1);
		draw_text(cr, x + CELL_PAD, y + span_h + body - h,
		          col->width - 2 * CELL_PAD, bold, col->align, col->heading);
		draw_tag_end(td, "TH");
		x += col->width;
	}
	draw_tag_end(td, "TR");
	draw_artifact_begin(cr);
	cairo_set_line_width(cr, 0.9);
	cairo_move_to(cr, doc->left, y + total - 1);
	cairo_line_to(cr, doc->left + columns_width(t, 0, t->column_count),
	              y + total - 1);
	cairo_stroke(cr);
	draw_artifact_end(cr);
	if (!tag)
		draw_artifact_end(cr);
	doc->y = y + total;
}

void draw_doc_table(draw_doc *doc, const draw_table *t)
{
	cairo_t *cr = doc->cr;
	html_table(doc->html, NULL, t);
	double row_h = draw_line_height(cr, t->font) + 4;
	double head_h = headings_height(cr, t, NULL);
	double width = columns_width(t, 0, t->column_count);

	/* Start where the headings and a few rows fit. */
	size_t first_rows = t->row_count < 3 ? t->row_count : 3;
	draw_doc_need(doc, head_h + row_h * (double)first_rows);
	draw_tag_begin(doc, "Table");
	draw_tag_begin(doc, "THead");
	draw_headings(doc, t, 1);
	draw_tag_end(doc, "THead");
	draw_tag_begin(doc, "TBody");

	for (size_t r = 0; r < t->row_count; r++) {
		unsigned flags = t->row_flags ? t->row_flags[r] : 0;
		if (doc->y + row_h > doc->bottom) {
			draw_doc_new_page(doc);
			draw_headings(doc, t, 0);
		}
		draw_artifact_begin(cr);
		if (r % 2 == 1) {
			draw_colour_set(cr, DRAW_PALE_GREY);
			cairo_rectangle(cr, doc->left, doc->y, width, row_h);
			cairo_fill(cr);
		}
		draw_colour_set(cr, DRAW_BLACK);
		if (flags & DRAW_ROW_BOLD) {
			cairo_set_line_width(cr, 0.6);
			cairo_move_to(cr, doc->left, doc->y);
			cairo_line_to(cr, doc->left + width, doc->y);
			cairo_stroke(cr);
		}
		draw_artifact_end(cr);
		draw_font font = t->font;
		font.bold = (flags & DRAW_ROW_BOLD) != 0;
		double x = doc->left;
		draw_tag_begin(doc, "TR");
		for (size_t c = 0; c < t->column_count; c++) {
			const draw_column *col = &t->columns[c];
			/* The first column names the row: its header. */
			const char *cell = c == 0 ? "TH" : "TD";
			draw_tag_begin(doc, cell);
			draw_text(cr, x + CELL_PAD, doc->y + 2,
			          col->width - 2 * CELL_PAD, font,
			          col->align | DRAW_ELLIPSIZE,
			          t->cells[r * t->column_count + c].text);
			draw_tag_end(doc, cell);
			x += col->width;
		}
		draw_tag_end(doc, "TR");
		doc->y += row_h;
	}
	draw_tag_end(doc, "TBody");
	draw_tag_end(doc, "Table");
	draw_artifact_begin(cr);
	cairo_set_line_width(cr, 0.6);
	cairo_move_to(cr, doc->left, doc->y);
	cairo_line_to(cr, doc->left + width, doc->y);
	cairo_stroke(cr);
	draw_artifact_end(cr);
}

/* ---- output files ----------------------------------------------------- */

int draw_output_open(draw_output *out, const char *path)
{
	memset(out, 0, sizeof *out);
	return util_atomic_open(&out->atomic, path, 0600);
}

cairo_status_t draw_output_write(void *closure, const unsigned char *data,
                                 unsigned int length)
{
	draw_output *out = closure;
	if (out->write_errno)
		return CAIRO_STATUS_WRITE_ERROR;
	errno = 0;
	if (fwrite(data, 1, length, out->atomic.file) != length) {
		out->write_errno = errno ? errno : EIO;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

static _Thread_local int memory_failed; /* an allocation failed while drawing */

void *draw_calloc(size_t count, size_t size)
{
	void *p = calloc(count, size);
	if (!p)
		memory_failed = 1;
	return p;
}

void *draw_malloc(size_t size)
{
	void *p = malloc(size);
	if (!p)
		memory_failed = 1;
	return p;
}

int draw_memory_failed(void)
{
	return memory_failed;
}

void draw_memory_reset(void)
{
	memory_failed = 0;
}

int draw_output_close(draw_output *out, cairo_status_t status)
{
	if (status == CAIRO_STATUS_SUCCESS && !out->write_errno && !memory_failed)
		return util_atomic_commit(&out->atomic);
	util_atomic_abort(&out->atomic);
	if (memory_failed || status == CAIRO_STATUS_NO_MEMORY)
		return parity_error_set(PARITY_ENOMEM, "%s: out of memory while drawing",
		                        out->atomic.final);
	return parity_error_set(PARITY_EIO, "%s: cannot write: %s",
	                        out->atomic.final,
	                        out->write_errno ? strerror(out->write_errno)
	                                         : cairo_status_to_string(status));
}
