/*
 * html.h: the board report as one accessible HTML page, gathered while the
 * PDF is laid out: the same headings, paragraphs, lists, tables and charts
 * (inline SVG with a "show the data" table), written self-contained
 * (inline CSS, no scripts, no network) with lang="en-GB".
 */
#ifndef PARITY_HTML_H
#define PARITY_HTML_H

#include "draw.h"

#include <stddef.h>

typedef struct html_doc html_doc;

/* A new, empty page; NULL when out of memory. Free with html_doc_free
 * (NULL allowed). */
html_doc *html_doc_new(void);
void html_doc_free(html_doc *h);

/* A heading of `level` (1 for the title, 2 for parts, 3 within them). */
void html_heading(html_doc *h, int level, const char *text);

/* The text of the last heading (for a chart or table named by it). */
const char *html_last_heading(const html_doc *h);

/* A paragraph: `text` is pango markup when `markup`, else plain; `muted`
 * sets it in the secondary (still 4.5:1) grey. */
void html_text(html_doc *h, int markup, int muted, const char *text);

/* A bullet (pango markup); consecutive bullets share one list. */
void html_bullet(html_doc *h, const char *markup);

/* A table with a caption (NULL: the heading above it), column headings
 * (spans as column groups) and row headings in the first column. */
void html_table(html_doc *h, const char *caption, const draw_table *table);

/*
 * A chart: `svg` (inline SVG with role="img", title and desc) in a figure
 * captioned `title`, then `data` (may be NULL) in a "show the data"
 * disclosure. `id` receives the prefix the SVG's ids must carry (call
 * html_figure_id first and draw the SVG with it).
 */
void html_figure_id(char *id, size_t size, html_doc *h);
void html_figure(html_doc *h, const char *svg, const char *title,
                 const draw_table *data);

/*
 * Write the page to `path` (temporary file, then rename): `title` as the
 * document title, `footer` at the foot. Returns 0, PARITY_ENOMEM when a
 * part could not be gathered, or PARITY_EIO naming `path`.
 */
int html_doc_write(const html_doc *h, const char *path, const char *title,
                   const char *footer);

#endif
