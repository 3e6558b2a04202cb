/*
 * draw_tag.c: the tagged PDF's structure as the document is laid out:
 * structure elements through cairo's tag API (cairo 1.16 writes the
 * structure tree, marked content and MarkInfo), named destinations and
 * bookmarks for the headings, and each Figure's alternative text kept for
 * the finishing pass (pdf_finish.c) that cairo leaves to others.
 */
#include "draw.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Close an open list before another kind of block. */
static void end_list(draw_doc *doc)
{
	if (doc->tags && doc->tags->list_open) {
		cairo_tag_end(doc->cr, "L");
		doc->tags->list_open = 0;
	}
}

void draw_tag_begin(draw_doc *doc, const char *name)
{
	if (!doc->tags)
		return;
	end_list(doc);
	cairo_tag_begin(doc->cr, name, NULL);
}

void draw_tag_end(draw_doc *doc, const char *name)
{
	if (doc->tags)
		cairo_tag_end(doc->cr, name);
}

void draw_tag_item_begin(draw_doc *doc)
{
	if (!doc->tags)
		return;
	if (!doc->tags->list_open) {
		cairo_tag_begin(doc->cr, "L", NULL);
		doc->tags->list_open = 1;
	}
	cairo_tag_begin(doc->cr, "LI", NULL);
	cairo_tag_begin(doc->cr, "Lbl", NULL);
}

void draw_tag_item_body(draw_doc *doc)
{
	if (!doc->tags)
		return;
	cairo_tag_end(doc->cr, "Lbl");
	cairo_tag_begin(doc->cr, "LBody", NULL);
}

void draw_tag_item_end(draw_doc *doc)
{
	if (!doc->tags)
		return;
	cairo_tag_end(doc->cr, "LBody");
	cairo_tag_end(doc->cr, "LI");
}

/* Begin heading `level` (lowered so as not to skip one) with a
 * destination, and bookmark it: parts (and the title) at the outline's
 * top, sections under their part. Returns the level used. */
int draw_tag_heading_begin(draw_doc *doc, int level, const char *text)
{
	if (!doc->tags)
		return level;
	end_list(doc);
	/* Never skip a level going down (a section with no part above it). */
	if (level > doc->tags->level + 1)
		level = doc->tags->level + 1;
	doc->tags->level = level;
	char name[8], dest[48];
	snprintf(name, sizeof name, "H%d", level);
	cairo_tag_begin(doc->cr, name, NULL);
	snprintf(dest, sizeof dest, "name='h%d'", ++doc->tags->dests);
	cairo_tag_begin(doc->cr, CAIRO_TAG_DEST, dest);
	cairo_surface_t *surface = cairo_get_target(doc->cr);
	if (cairo_surface_get_type(surface) == CAIRO_SURFACE_TYPE_PDF) {
		char link[48];
		snprintf(link, sizeof link, "dest='h%d'", doc->tags->dests);
		int parent = level >= 3 ? doc->tags->outline_part : CAIRO_PDF_OUTLINE_ROOT;
		int id = cairo_pdf_surface_add_outline(surface, parent, text, link, 0);
		if (level == 2)
			doc->tags->outline_part = id;
	}
	return level;
}

void draw_tag_heading_end(draw_doc *doc, int level)
{
	if (!doc->tags)
		return;
	char name[8];
	snprintf(name, sizeof name, "H%d", level);
	cairo_tag_end(doc->cr, CAIRO_TAG_DEST);
	cairo_tag_end(doc->cr, name);
}

void draw_tag_figure_begin(draw_doc *doc, const char *alt)
{
	draw_tags *t = doc->tags;
	if (!t)
		return;
	end_list(doc);
	/* The Figure is tagged whatever happens: its end must match. A text
	 * that cannot be kept is noted (draw_malloc), and the file refused. */
	cairo_tag_begin(doc->cr, "Figure", NULL);
	if (t->alt_count == t->alt_cap) {
		size_t cap = t->alt_cap ? 2 * t->alt_cap : 16;
		char **grown = draw_malloc(cap * sizeof *grown);
		if (!grown)
			return;
		if (t->alt_count)
			memcpy(grown, t->alts, t->alt_count * sizeof *grown);
		free(t->alts);
		t->alts = grown;
		t->alt_cap = cap;
	}
	char *copy = draw_malloc(strlen(alt ? alt : "") + 1);
	if (!copy)
		return;
	strcpy(copy, alt ? alt : "");
	t->alts[t->alt_count++] = copy;
}

void draw_tag_figure_end(draw_doc *doc)
{
	if (doc->tags)
		cairo_tag_end(doc->cr, "Figure");
}

void draw_tag_head_cell(draw_doc *doc, const char *name, size_t span)
{
	draw_tags *t = doc->tags;
	if (!t)
		return;
	cairo_tag_begin(doc->cr, name, NULL);
	if (t->head_count == t->head_cap) {
		size_t cap = t->head_cap ? 2 * t->head_cap : 64;
		unsigned char *grown = draw_malloc(cap);
		if (!grown)
			return;
		if (t->head_count)
			memcpy(grown, t->head_spans, t->head_count);
		free(t->head_spans);
		t->head_spans = grown;
		t->head_cap = cap;
	}
	t->head_spans[t->head_count++] = (unsigned char)(span < 255 ? span : 255);
}

static const cairo_user_data_key_t artifacts_key;

void draw_artifacts_enable(cairo_t *cr)
{
	static int on = 1;
	cairo_set_user_data(cr, &artifacts_key, &on, NULL);
}

void draw_artifact_begin(cairo_t *cr)
{
	if (cairo_get_user_data(cr, &artifacts_key))
		cairo_tag_begin(cr, "Private", NULL);
}

void draw_artifact_end(cairo_t *cr)
{
	if (cairo_get_user_data(cr, &artifacts_key))
		cairo_tag_end(cr, "Private");
}

void draw_tags_close(draw_doc *doc)
{
	end_list(doc);
}

void draw_tags_free(draw_tags *tags)
{
	if (!tags)
		return;
	for (size_t i = 0; i < tags->alt_count; i++)
		free(tags->alts[i]);
	free(tags->alts);
	free(tags->head_spans);
	memset(tags, 0, sizeof *tags);
}
