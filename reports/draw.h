/*
 * draw.h: page and text helpers over cairo and pango for the report and its
 * charts: fonts, the Okabe-Ito palette, wrapped text, pages that flow with a
 * header and footer, tables that continue across pages, number formatting
 * and atomic (temporary file, then rename) output files.
 */
#ifndef PARITY_DRAW_H
#define PARITY_DRAW_H

#include <cairo.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "util/util.h"

/* A4 portrait in points (1/72 inch), the unit of every length here. */
#define DRAW_A4_WIDTH 595.2756
#define DRAW_A4_HEIGHT 841.8898

/* Nothing is ever set smaller than this, whatever a caller asks for. */
#define DRAW_MIN_FONT_PT 8.0

#define DRAW_FONT_FAMILY "DejaVu Sans"

/* The Okabe-Ito hues (Okabe & Ito 2008; Wong, Nat Methods 2011;8:441),
 * distinguishable with the common colour-vision deficiencies, plus greys.
 * Every colour that carries meaning (marks, lines, bars) is darkened from
 * the published swatch until it has at least 3:1 contrast against white
 * and the pale grey panels (WCAG 2.2, 1.4.11); text colours reach 4.5:1
 * (1.4.3). Sky blue, mid grey and pale grey are tints for background bands,
 * ribbons, rules and stripes only: nothing is told by them alone.
 * tests/reports/test_palette.c checks each ratio. */
typedef enum draw_colour {
	DRAW_BLACK = 0,
	DRAW_ORANGE,     /* darkened: 0xB26B00 */
	DRAW_SKY_BLUE,   /* tint only (bands, ribbons), drawn translucent */
	DRAW_GREEN,      /* darkened: 0x008560 */
	DRAW_YELLOW,     /* darkened to olive: 0x857700 */
	DRAW_BLUE,
	DRAW_VERMILLION, /* darkened: 0xC04F00 */
	DRAW_PURPLE,     /* darkened: 0xA8578A */
	DRAW_GREY,       /* secondary text */
	DRAW_MID_GREY,   /* rules, gridlines */
	DRAW_PALE_GREY,  /* stripes, panels */
	DRAW_WHITE,
	DRAW_COLOUR_COUNT
} draw_colour;

/* Palette colour `c` as 0xRRGGBB (black for a value out of range). */
uint32_t draw_colour_rgb(draw_colour c);

/* Set the cairo source to palette colour `c` (opaque, or with `alpha`). */
void draw_colour_set(cairo_t *cr, draw_colour c);
void draw_colour_set_alpha(cairo_t *cr, draw_colour c, double alpha);

/* A font: DejaVu Sans at `size` points (raised to DRAW_MIN_FONT_PT). */
typedef struct draw_font {
	double size; /* points */
	int bold;    /* 1 for bold */
	int italic;  /* 1 for italic */
	int condensed; /* 1 for DejaVu Sans Condensed (dense tables) */
} draw_font;

/* Flags for draw_text and draw_text_size. */
enum {
	DRAW_ALIGN_LEFT = 0,
	DRAW_ALIGN_CENTRE = 1 << 0, /* x is the centre when width <= 0 */
	DRAW_ALIGN_RIGHT = 1 << 1,  /* x is the right edge when width <= 0 */
	DRAW_MARKUP = 1 << 2,       /* text is pango markup */
	DRAW_ELLIPSIZE = 1 << 3     /* one line, cut with "..." to width */
};

/*
 * Prepare a fresh cairo context for text: metric hinting off, so that text
 * measures the same on PDF, SVG and image surfaces. Call once per context.
 */
void draw_context_setup(cairo_t *cr);

/*
 * Draw `text` with its top-left corner at (x, y) in the current source
 * colour, wrapped at word boundaries to `width` points (or cut to one line
 * with DRAW_ELLIPSIZE); width <= 0 sets one unwrapped line anchored as the
 * alignment flag says. Returns the height used, in points.
 */
double draw_text(cairo_t *cr, double x, double y, double width,
                 draw_font font, unsigned flags, const char *text);

/* Measure what draw_text would draw: width and height in points (either
 * output may be NULL). */
void draw_text_size(double *out_width, double *out_height, cairo_t *cr,
                    double width, draw_font font, unsigned flags,
                    const char *text);

/*
 * Text as text, for SVG: while `svg` (a GString, borrowed) is attached to
 * `cr`, draw_text draws no glyphs but appends one SVG <text> element per
 * run of each line to `svg`, placed with the context's transform and
 * coloured with its source, so that a chart written as SVG keeps its words
 * selectable and readable by assistive technology. NULL detaches.
 */
void draw_text_capture(cairo_t *cr, void *svg);

/* Height of one line of `font`, in points. */
double draw_line_height(cairo_t *cr, draw_font font);

/* ---- number formatting ---------------------------------------------------
 * The report's single voice for numbers. All write into `buf` with
 * snprintf semantics and return `buf`. */

/* 1234567 -> "1,234,567". */
char *draw_format_count(char *buf, size_t size, uint64_t value);

/* A ratio with two decimals: "1.61"; "0" -> "0.00"; tiny positive values
 * "<0.01"; INFINITY -> "∞"; NaN -> "-". */
char *draw_format_ratio(char *buf, size_t size, double value);

/* An interval "1.40 to 1.85" (limits as draw_format_ratio). */
char *draw_format_interval(char *buf, size_t size, double low, double high);

/* An estimate with its interval, compact: "1.24 (0.88–1.78)" (each as
 * draw_format_ratio). */
char *draw_format_estimate(char *buf, size_t size, double ratio, double low, double high);

/* A percentage of x in n with one decimal: "19.0%"; n = 0 -> "-". */
char *draw_format_rate(char *buf, size_t size, uint64_t x, uint64_t n);

/* ---- pages ---------------------------------------------------------------*/

/* The structure of a tagged PDF being written (draw_tag.c): the list
 * open, the outline's last part, and each Figure's alternative text in the
 * order the figures were tagged (for the finishing pass, which writes it
 * as /Alt: cairo cannot). */
typedef struct draw_tags {
	int list_open;      /* an L element is open */
	int outline_part;   /* outline id of the last level-2 heading, or 0 */
	int dests;          /* named destinations made */
	int level;          /* the last heading's level (0 before any) */
	char **alts;        /* owned: alternative texts, one per Figure */
	size_t alt_count;
	size_t alt_cap;
	unsigned char *head_spans; /* owned: the column span of each cell of the
	                              tables' header rows, in tagging order */
	size_t head_count;
	size_t head_cap;
} draw_tags;

/* A document being laid out, page by page, top to bottom. */
typedef struct draw_doc {
	cairo_t *cr;             /* borrowed; the surface's pages are A4 */
	double width, height;    /* page size */
	double left, right;      /* content box x range */
	double top, bottom;      /* content box y range (below header, above footer) */
	double y;                /* the cursor: where the next block starts */
	int page;                /* current page number, 0 before the first */
	int pages_total;         /* from a counting pass; 0 while counting */
	const char *header_left;  /* borrowed: document title */
	const char *header_right; /* borrowed: organisation and period */
	const char *footer_left;  /* borrowed: producer line */
	struct html_doc *html;    /* borrowed: the HTML page gathering the same
	                             blocks (html.h), or NULL */
	draw_tags *tags;          /* borrowed: tag the PDF's structure, or NULL */
} draw_doc;

/* ---- tagged PDF (draw_tag.c) ------------------------------------------------
 * With doc->tags set, the blocks below tag themselves (H1-H3, P, L/LI with
 * Lbl and LBody, Table/TR/TH/TD) and headings become bookmarks; what is
 * drawn outside any tag (page furniture, rules, panels) is left unmarked
 * for the finishing pass to mark as artifacts. Without tags, no-ops. */

/* Begin and end a structure element `name` (a block closes an open list
 * first, unless it is a list item). */
void draw_tag_begin(draw_doc *doc, const char *name);
void draw_tag_end(draw_doc *doc, const char *name);

/* A heading of `level` (1-3; lowered where it would skip one, as the HTML
 * does): the element, a named destination and a bookmark (level 3 under
 * the last level 2). Returns the level used, for draw_tag_heading_end. */
int draw_tag_heading_begin(draw_doc *doc, int level, const char *text);
void draw_tag_heading_end(draw_doc *doc, int level);

/* A bullet: begins L (when none is open), LI and its Lbl; draw the bullet,
 * call draw_tag_item_body, draw the text, then draw_tag_item_end. */
void draw_tag_item_begin(draw_doc *doc);
void draw_tag_item_body(draw_doc *doc);
void draw_tag_item_end(draw_doc *doc);

/* A chart: a Figure whose alternative text is `alt` (copied). */
void draw_tag_figure_begin(draw_doc *doc, const char *alt);
void draw_tag_figure_end(draw_doc *doc);

/* A cell of a table's header rows begins (`name` TH, or TD for a gap in
 * the row of column groups), spanning `span` columns: the finishing pass
 * writes the span as /ColSpan. End it with draw_tag_end. */
void draw_tag_head_cell(draw_doc *doc, const char *name, size_t span);

/*
 * Decoration (page furniture, rules, stripes, gridlines, tick marks,
 * background bands): on a context made ready with draw_artifacts_enable,
 * what is drawn between these is tagged "Private", which the finishing
 * pass turns into /Artifact marked content and takes out of the structure
 * (cairo 1.16 has no artifact tag), even inside a table or figure. Without
 * it (an image, an SVG, the counting pass) they do nothing. Must pair.
 */
void draw_artifacts_enable(cairo_t *cr);
void draw_artifact_begin(cairo_t *cr);
void draw_artifact_end(cairo_t *cr);

/* Close what is open (a list) before the last page ends. */
void draw_tags_close(draw_doc *doc);

/* Free the alternative texts of `tags` (the struct itself is the caller's). */
void draw_tags_free(draw_tags *tags);

/* Start laying out on `cr` (A4, standard margins). `pages_total` is the
 * page count for "Page N of M" (0 while counting it). Strings are borrowed. */
void draw_doc_init(draw_doc *doc, cairo_t *cr, int pages_total,
                   const char *header_left, const char *header_right,
                   const char *footer_left);

/* End the current page (if any) and start a new one with header and footer. */
void draw_doc_new_page(draw_doc *doc);

/* End the last page. */
void draw_doc_finish(draw_doc *doc);

/* Start a new page unless `height` points fit below the cursor. */
void draw_doc_need(draw_doc *doc, double height);

/* Points left below the cursor on this page, and on an empty page. */
double draw_doc_space_left(const draw_doc *doc);
double draw_doc_page_space(const draw_doc *doc);

/* Text blocks at the cursor, full content width; the cursor moves down.
 * A paragraph that does not fit starts on a new page. */
void draw_doc_text(draw_doc *doc, draw_font font, unsigned flags,
                   draw_colour colour, const char *text);
void draw_doc_heading(draw_doc *doc, double size, const char *text);
/* The document's title (the one level-1 heading), set in `font`. */
void draw_doc_title(draw_doc *doc, draw_font font, const char *text);
void draw_doc_gap(draw_doc *doc, double height);

/* ---- tables --------------------------------------------------------------*/

/* One table cell's text. */
typedef struct draw_cell {
	char text[72];
} draw_cell;

typedef struct draw_column {
	const char *heading; /* may wrap onto two lines */
	double width;        /* points */
	unsigned align;      /* DRAW_ALIGN_* */
} draw_column;

/* A heading spanning columns first .. first+count-1, above their own. */
typedef struct draw_span {
	size_t first, count;
	const char *heading;
} draw_span;

enum {
	DRAW_ROW_BOLD = 1 << 0,      /* a total row: bold, with a rule above */
};

typedef struct draw_table {
	const draw_column *columns;
	size_t column_count;
	const draw_span *spans;      /* may be NULL */
	size_t span_count;
	const draw_cell *cells;      /* row_count x column_count, row-major */
	const unsigned *row_flags;   /* row_count DRAW_ROW_* flags, or NULL */
	size_t row_count;
	draw_font font;
} draw_table;

/*
 * Size `columns` (the table's own array) to `total_width`: each column gets
 * room for its widest cell and the longest word of its heading (so headings
 * wrap only between words); spare width is shared out evenly, and a
 * shortfall is taken from column 0 (the labels, which are then cut with
 * "...") and, only if that is not enough, from every column alike.
 */
void draw_table_fit(draw_column *columns, cairo_t *cr, const draw_table *table,
                    double total_width);

/* Draw `table` at the cursor, continuing on new pages as needed with the
 * headings repeated; the cursor ends below the table. */
void draw_doc_table(draw_doc *doc, const draw_table *table);

/* ---- output files --------------------------------------------------------*/

/* A file that cairo writes through a stream, under a temporary name that is
 * renamed into place on success (engine/util/util.h does the file work). */
typedef struct draw_output {
	util_atomic_file atomic; /* the temporary file and the final path */
	int write_errno;         /* first write error, 0 if none */
} draw_output;

/* Open a temporary file beside `path`. Returns 0 or PARITY_EIO naming
 * `path`. */
int draw_output_open(draw_output *out, const char *path);

/* The cairo write callback; `closure` is a draw_output. */
cairo_status_t draw_output_write(void *closure, const unsigned char *data,
                                 unsigned int length);

/*
 * Finish: when `status` (the surface's final cairo status) is success,
 * every write went through and no allocation failed while drawing
 * (draw_memory_failed), flush, sync and rename into place; otherwise
 * remove the temporary file. Returns 0, PARITY_ENOMEM when memory ran out
 * (here or in cairo), or PARITY_EIO with a message naming the final path
 * and the cause (the write error, or cairo's).
 */
int draw_output_close(draw_output *out, cairo_status_t status);

/*
 * Allocation while drawing. Drawing steps return nothing, so one that
 * cannot allocate leaves its part out; these allocators also note the
 * failure (per thread), and a file drawn after it is refused with
 * PARITY_ENOMEM (draw_output_close) rather than written without the part.
 * draw_memory_reset() forgets earlier failures: call it where a report or
 * a chart starts.
 */
void *draw_calloc(size_t count, size_t size);
void *draw_malloc(size_t size);
int draw_memory_failed(void);
void draw_memory_reset(void);

#endif
