/*
 * html.c: the board report's HTML page: blocks gathered in reading order
 * while the PDF is laid out (so both say the same), then written as one
 * self-contained file with a contents list, semantic tables and inline
 * SVG charts, and styles for screen, narrow screens and A4 print.
 */
#include "html.h"

#include "parity/common.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

struct html_doc {
	GString *body;       /* the <main> content so far */
	GString *contents;   /* the contents list's items */
	char last_heading[256]; /* caption for a table without its own */
	int in_list;         /* a <ul> is open */
	int next_id;         /* for headings, tables and figures */
	int level;           /* the last heading's level (0 before any) */
	int failed;          /* a part could not be gathered */
};

html_doc *html_doc_new(void)
{
	html_doc *h = g_try_new0(html_doc, 1);
	if (!h)
		return NULL;
	h->body = g_string_sized_new(1 << 16);
	h->contents = g_string_new(NULL);
	return h;
}

void html_doc_free(html_doc *h)
{
	if (!h)
		return;
	g_string_free(h->body, TRUE);
	g_string_free(h->contents, TRUE);
	g_free(h);
}

/* Append `text` escaped for HTML; newlines become spaces. */
static void put_text(GString *out, const char *text)
{
	char *escaped = g_markup_escape_text(text ? text : "", -1);
	for (char *p = escaped; *p; p++)
		if (*p == '\n')
			*p = ' ';
	g_string_append(out, escaped);
	g_free(escaped);
}

/*
 * Append pango markup as HTML: <b> and <i> stay, a <span> with a colour
 * becomes the muted class and one with a size the small class, newlines
 * become line breaks. Entities are the same in both.
 */
static void put_markup(GString *out, const char *markup)
{
	const char *p = markup;
	while (*p) {
		if (*p == '\n') {
			g_string_append(out, "<br>");
			p++;
			continue;
		}
		if (*p != '<') {
			size_t run = strcspn(p, "<\n");
			g_string_append_len(out, p, (gssize)run);
			p += run;
			continue;
		}
		const char *end = strchr(p, '>');
		if (!end) {
			g_string_append(out, "&lt;");
			p++;
			continue;
		}
		size_t len = (size_t)(end - p + 1);
		if (!strncmp(p, "<span", 5)) {
			const char *cls = "";
			if (g_strstr_len(p, (gssize)len, "foreground"))
				cls = " class=\"muted\"";
			else if (g_strstr_len(p, (gssize)len, "size"))
				cls = " class=\"small\"";
			g_string_append_printf(out, "<span%s>", cls);
		} else if (!strncmp(p, "<b>", 3) || !strncmp(p, "</b>", 4) ||
		           !strncmp(p, "<i>", 3) || !strncmp(p, "</i>", 4) ||
		           !strncmp(p, "</span>", 7)) {
			g_string_append_len(out, p, (gssize)len);
		}
		/* any other tag is dropped; its text stays */
		p = end + 1;
	}
}

/* Close an open list before another kind of block. */
static void end_list(html_doc *h)
{
	if (h->in_list) {
		g_string_append(h->body, "</ul>\n");
		h->in_list = 0;
	}
}

void html_heading(html_doc *h, int level, const char *text)
{
	if (!h)
		return;
	end_list(h);
	level = level < 1 ? 1 : level > 6 ? 6 : level;
	/* Never skip a level going down (a section with no part above it). */
	if (level > h->level + 1)
		level = h->level + 1;
	h->level = level;
	int id = ++h->next_id;
	g_string_append_printf(h->body, "<h%d id=\"s%d\">", level, id);
	put_text(h->body, text);
	g_string_append_printf(h->body, "</h%d>\n", level);
	if (level == 2) {
		g_string_append_printf(h->contents, "<li><a href=\"#s%d\">", id);
		put_text(h->contents, text);
		g_string_append(h->contents, "</a></li>\n");
	}
	snprintf(h->last_heading, sizeof h->last_heading, "%s", text ? text : "");
}

const char *html_last_heading(const html_doc *h)
{
	return h ? h->last_heading : "";
}

void html_text(html_doc *h, int markup, int muted, const char *text)
{
	if (!h)
		return;
	end_list(h);
	g_string_append(h->body, muted ? "<p class=\"muted\">" : "<p>");
	if (markup)
		put_markup(h->body, text);
	else
		put_text(h->body, text);
	g_string_append(h->body, "</p>\n");
}

void html_bullet(html_doc *h, const char *markup)
{
	if (!h)
		return;
	if (!h->in_list) {
		g_string_append(h->body, "<ul>\n");
		h->in_list = 1;
	}
	g_string_append(h->body, "<li>");
	put_markup(h->body, markup);
	g_string_append(h->body, "</li>\n");
}

/* Append the table itself (caption, headings, rows) to `out`. */
static void put_table(GString *out, int id, const char *caption,
                      const draw_table *t)
{
	g_string_append_printf(out, "<div class=\"table-wrap\" role=\"region\" "
	                       "tabindex=\"0\" aria-labelledby=\"t%d\">\n<table>\n"
	                       "<caption id=\"t%d\">", id, id);
	put_text(out, caption);
	g_string_append(out, "</caption>\n<thead>\n");
	if (t->span_count) {
		g_string_append(out, "<tr>");
		size_t c = 0;
		for (size_t s = 0; s < t->span_count; s++) {
			const draw_span *span = &t->spans[s];
			if (span->first > c)
				g_string_append_printf(out, "<td colspan=\"%zu\"></td>",
				                       span->first - c);
			g_string_append_printf(out, "<th scope=\"colgroup\" colspan=\"%zu\">",
			                       span->count);
			put_text(out, span->heading);
			g_string_append(out, "</th>");
			c = span->first + span->count;
		}
		if (c < t->column_count)
			g_string_append_printf(out, "<td colspan=\"%zu\"></td>",
			                       t->column_count - c);
		g_string_append(out, "</tr>\n");
	}
	g_string_append(out, "<tr>");
	for (size_t c = 0; c < t->column_count; c++) {
		g_string_append_printf(out, "<th scope=\"col\"%s>",
		                       t->columns[c].align & DRAW_ALIGN_RIGHT
		                       ? " class=\"num\"" : "");
		put_text(out, t->columns[c].heading);
		g_string_append(out, "</th>");
	}
	g_string_append(out, "</tr>\n</thead>\n<tbody>\n");
	for (size_t r = 0; r < t->row_count; r++) {
		int total = t->row_flags && (t->row_flags[r] & DRAW_ROW_BOLD);
		g_string_append(out, total ? "<tr class=\"total\">" : "<tr>");
		for (size_t c = 0; c < t->column_count; c++) {
			const char *text = t->cells[r * t->column_count + c].text;
			const char *num = t->columns[c].align & DRAW_ALIGN_RIGHT
			                  ? " class=\"num\"" : "";
			if (c == 0)
				g_string_append(out, "<th scope=\"row\">");
			else
				g_string_append_printf(out, "<td%s>", num);
			put_text(out, text);
			g_string_append(out, c == 0 ? "</th>" : "</td>");
		}
		g_string_append(out, "</tr>\n");
	}
	g_string_append(out, "</tbody>\n</table>\n</div>\n");
}

void html_table(html_doc *h, const char *caption, const draw_table *table)
{
	if (!h || !table)
		return;
	end_list(h);
	put_table(h->body, ++h->next_id, caption ? caption : h->last_heading, table);
}

void html_figure_id(char *id, size_t size, html_doc *h)
{
	snprintf(id, size, "fig%d", h ? ++h->next_id : 0);
}

void html_figure(html_doc *h, const char *svg, const char *title,
                 const draw_table *data)
{
	if (!h)
		return;
	end_list(h);
	if (!svg) {
		h->failed = 1;
		return;
	}
	g_string_append(h->body, "<figure>\n");
	g_string_append(h->body, svg);
	g_string_append(h->body, "<figcaption>");
	put_text(h->body, title);
	g_string_append(h->body, "</figcaption>\n");
	if (data && data->row_count) {
		g_string_append(h->body, "<details>\n<summary>Show the data");
		g_string_append(h->body, "<span class=\"visually-hidden\">: ");
		put_text(h->body, title);
		g_string_append(h->body, "</span></summary>\n");
		char caption[400];
		snprintf(caption, sizeof caption, "The data of the chart: %s",
		         title ? title : "");
		put_table(h->body, ++h->next_id, caption, data);
		g_string_append(h->body, "</details>\n");
	}
	g_string_append(h->body, "</figure>\n");
}

/* The page's styles: system-independent sizes, 4.5:1 text, visible
 * focus, tables that scroll inside their own box on narrow screens, and
 * A4 print with each part on a new page, charts kept whole and the data
 * tables printed open (where the browser knows ::details-content). */
static const char style[] =
	":root{color:#1a1a1a;background:#fff;font-family:\"DejaVu Sans\",Verdana,"
	"Arial,sans-serif;line-height:1.5}\n"
	"body{margin:0}\n"
	".skip{position:absolute;left:-9999px}\n"
	".skip:focus{position:static;display:block;padding:.5rem;background:#fff}\n"
	"main,footer{max-width:60rem;margin:0 auto;padding:0 1rem}\n"
	"h1{font-size:1.9rem;line-height:1.2;margin:1.2rem 0 .3rem}\n"
	"h2{font-size:1.45rem;margin:2.2rem 0 .5rem;padding-top:.8rem;"
	"border-top:2px solid #767676}\n"
	"h3{font-size:1.15rem;margin:1.6rem 0 .4rem}\n"
	"p,li{max-width:48rem;overflow-wrap:anywhere}\n"
	".muted{color:#505050}\n.small{font-size:.85em}\n"
	"a{color:#0b57a0}\n"
	"a:focus,summary:focus,.table-wrap:focus{outline:3px solid #b26b00;"
	"outline-offset:2px}\n"
	"nav ol{columns:2 18rem;padding-left:1.4rem}\n"
	".table-wrap{overflow-x:auto;margin:.6rem 0 1rem}\n"
	"table{border-collapse:collapse;font-size:.9rem}\n"
	"caption{text-align:left;font-weight:bold;padding:.3rem 0}\n"
	"th,td{padding:.25rem .5rem;border-bottom:1px solid #767676;"
	"vertical-align:top}\n"
	"thead th{text-align:left;border-bottom:2px solid #1a1a1a}\n"
	"tbody th{text-align:left;font-weight:normal}\n"
	".num{text-align:right;white-space:nowrap}\n"
	"tr.total th,tr.total td{font-weight:bold;border-top:2px solid #1a1a1a}\n"
	"tbody tr:nth-child(even){background:#f0f0f0}\n"
	"figure{margin:1rem 0}\n"
	"figure svg{display:block;max-width:100%;height:auto}\n"
	"figcaption{font-style:italic;color:#505050}\n"
	"summary{cursor:pointer;color:#0b57a0;text-decoration:underline;"
	"padding:.3rem 0}\n"
	".visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;"
	"clip:rect(0 0 0 0);white-space:nowrap}\n"
	"footer{margin-top:2rem;padding-bottom:2rem;color:#505050}\n"
	"@media (max-width:40rem){h1{font-size:1.5rem}h2{font-size:1.25rem}"
	"table{font-size:.8rem}}\n"
	"@media print{@page{size:A4;margin:15mm}\n"
	":root{font-size:10pt}\n"
	".skip,nav{display:none}\n"
	"main,footer{max-width:none;padding:0}\n"
	"h2{break-before:page;border-top:none}\n"
	"h2,h3{break-after:avoid}\n"
	"figure,tr{break-inside:avoid}\n"
	"details>summary{display:none}\n"
	"details::details-content{content-visibility:visible;display:block}\n"
	".table-wrap{overflow:visible}\n"
	"a{color:#1a1a1a;text-decoration:none}}\n";

int html_doc_write(const html_doc *h, const char *path, const char *title,
                   const char *footer)
{
	if (!h || !path)
		return parity_error_set(PARITY_EUSAGE, "html: the page and a path are "
		                        "required");
	if (h->failed)
		return parity_error_set(PARITY_ENOMEM, "%s: out of memory while "
		                        "drawing a chart", path);
	GString *out = g_string_sized_new(h->body->len + 8192);
	g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
	                "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
	                "content=\"width=device-width, initial-scale=1\">\n<title>");
	put_text(out, title);
	g_string_append_printf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n"
	                       "<a class=\"skip\" href=\"#main\">Skip to the report"
	                       "</a>\n", style);
	/* The contents list goes after the title and the line below it. */
	const char *body = h->body->str;
	const char *h1 = strstr(body, "</h1>\n");
	const char *after = h1 ? strstr(h1, "</p>\n") : NULL;
	size_t split = after ? (size_t)(after + 5 - body) : 0;
	g_string_append(out, "<main id=\"main\">\n");
	g_string_append_len(out, body, (gssize)split);
	if (h->contents->len) {
		g_string_append(out, "<nav aria-label=\"Contents\">\n"
		                "<p><b>Contents</b></p>\n<ol>\n");
		g_string_append_len(out, h->contents->str, (gssize)h->contents->len);
		g_string_append(out, "</ol>\n</nav>\n");
	}
	g_string_append_len(out, body + split, (gssize)(h->body->len - split));
	if (h->in_list)
		g_string_append(out, "</ul>\n");
	g_string_append(out, "</main>\n<footer>\n<p>");
	put_text(out, footer);
	g_string_append(out, "</p>\n</footer>\n</body>\n</html>\n");

	draw_output file;
	int rc = draw_output_open(&file, path);
	if (!rc) {
		cairo_status_t status = draw_output_write(&file,
		                                          (const unsigned char *)out->str,
		                                          (unsigned int)out->len);
		rc = draw_output_close(&file, status);
	}
	g_string_free(out, TRUE);
	return rc;
}
