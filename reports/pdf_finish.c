/*
 * pdf_finish.c: the tagged PDF's finishing pass, with libqpdf, for what
 * cairo's tag API cannot write: the document language, a Document element
 * at the top of the structure, /Alt on each Figure, the scope of each
 * table header, DisplayDocTitle, XMP metadata naming PDF/UA-1, and page
 * content drawn outside every structure element marked as artifacts.
 */
#include "pdf_finish.h"

#include "parity/common.h"

#include <glib.h>
#include <qpdf/qpdf-c.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- artifacts ------------------------------------------------------------ */

/* Whether `c` ends a token: PDF white space or a delimiter. */
static int is_delimiter(char c)
{
	return strchr(" \t\r\n\f()<>[]{}/%", c) != NULL || c == '\0';
}

/* Skip one string "( ... )" (nested, with escapes) from p; returns the
 * end, or NULL when it never closes. */
static const char *skip_string(const char *p, const char *end)
{
	int depth = 0;
	for (; p < end; p++) {
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p + 1;
	}
	return NULL;
}

/*
 * Rewrite page content `in` so that every run of operations outside all
 * marked content (cairo's BDC..EMC for structure elements) is bracketed
 * as "/Artifact BMC ... EMC", and content tagged Private (decoration,
 * draw_artifact_begin) becomes "/Artifact BMC". Runs break at q, Q, BT,
 * ET and the marked content operators, so the new pairs nest properly
 * with the graphics state and text objects. Returns the new content, or NULL when the
 * content holds something this reader does not take apart (an inline
 * image): then the page is left as it was.
 */
static GString *mark_artifacts(const char *in, size_t len)
{
	const char *p = in, *end = in + len;
	const char *op_start = NULL; /* first token of the pending operation */
	int depth = 0, open = 0;     /* marked content depth; artifact open */
	GString *out = g_string_sized_new(len + len / 8 + 64);

	while (p < end) {
		char c = *p;
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f') {
			p++;
			continue;
		}
		if (!op_start)
			op_start = p;
		if (c == '%') {
			while (p < end && *p != '\n' && *p != '\r')
				p++;
			continue;
		}
		if (c == '(') {
			p = skip_string(p, end);
			if (!p)
				goto fail;
			continue;
		}
		if (c == '<' && p + 1 < end && p[1] == '<') {
			p += 2;
			continue;
		}
		if (c == '>' && p + 1 < end && p[1] == '>') {
			p += 2;
			continue;
		}
		if (c == '<') {
			const char *close = memchr(p, '>', (size_t)(end - p));
			if (!close)
				goto fail;
			p = close + 1;
			continue;
		}
		if (c == '[' || c == ']' || c == '{' || c == '}') {
			p++;
			continue;
		}
		if (c == '/') {
			p++;
			while (p < end && !is_delimiter(*p))
				p++;
			continue;
		}
		const char *word = p;
		while (p < end && !is_delimiter(*p))
			p++;
		size_t n = (size_t)(p - word);
		if (n == 0) {
			p++;
			continue;
		}
		int numeric = strchr("0123456789+-.", word[0]) != NULL;
		if (numeric || (n == 4 && !strncmp(word, "true", 4)) ||
		    (n == 5 && !strncmp(word, "false", 5)) ||
		    (n == 4 && !strncmp(word, "null", 4)))
			continue; /* an operand */
		/* An operator ends the operation op_start .. p. */
#define IS(s) (n == sizeof(s) - 1 && !strncmp(word, s, n))
		if (IS("BI") || IS("ID") || IS("EI"))
			goto fail;
		int marked = IS("BDC") || IS("BMC");
		int breaks = marked || IS("EMC") || IS("q") || IS("Q") || IS("BT") ||
		             IS("ET");
#undef IS
		if (breaks && open) {
			g_string_append(out, "EMC\n");
			open = 0;
		}
		if (!breaks && depth == 0 && !open) {
			g_string_append(out, "/Artifact BMC\n");
			open = 1;
		}
		if (marked && !strncmp(op_start, "/Private", 8))
			g_string_append(out, "/Artifact BMC");
		else
			g_string_append_len(out, op_start, p - op_start);
		g_string_append_c(out, '\n');
		if (marked)
			depth++;
		else if (n == 3 && !strncmp(word, "EMC", 3) && depth > 0)
			depth--;
		op_start = NULL;
	}
	if (open)
		g_string_append(out, "EMC\n");
	if (op_start) /* operands with no operator: keep them */
		g_string_append_len(out, op_start, end - op_start);
	return out;
fail:
	g_string_free(out, TRUE);
	return NULL;
}

char *pdf_mark_artifacts(const char *content, size_t len)
{
	GString *marked = mark_artifacts(content, len);
	return marked ? g_string_free(marked, FALSE) : NULL;
}

/* ---- the structure tree ---------------------------------------------------- */

typedef struct walk {
	qpdf_data q;
	const char *const *alts;
	size_t alt_count;
	size_t figures;   /* Figures seen */
	size_t headers;   /* TH seen */
	const unsigned char *spans; /* column span of each header-row cell */
	size_t span_count;
	size_t head_cells; /* header-row cells seen */
	GHashTable *private_ids; /* object ids of the Private elements */
} walk;

/* The table attributes of a cell: its scope (TH) and column span. */
static qpdf_oh cell_attributes(qpdf_data q, int header, int row_scope, size_t span)
{
	char text[96];
	snprintf(text, sizeof text, "<< /O /Table%s%s /ColSpan %zu >>",
	         header ? " /Scope " : "", header ? (row_scope ? "/Row" : "/Column") : "",
	         span);
	return qpdf_oh_parse(q, text);
}

/* Replace key `key` of `dict` with a new object and let go of its handle. */
static void put(qpdf_data q, qpdf_oh dict, const char *key, qpdf_oh value)
{
	qpdf_oh_replace_key(q, dict, key, value);
	qpdf_oh_release(q, value);
}

static int walk_element(walk *w, qpdf_oh elem, int depth, int in_body);
static int walk_kids(walk *w, qpdf_oh kids, int depth, int in_body, qpdf_oh *kept);

/* Walk the kids `kids` of an element (an array, or one kid). Returns 1
 * when `kids` is itself one Private element (the caller drops it); when
 * an array holds Private kids, *kept receives a new array of the others
 * (built once: erasing items one by one costs quadratic time in qpdf), to
 * be put in their place; else it is left at 0. */
static int walk_kids(walk *w, qpdf_oh kids, int depth, int in_body, qpdf_oh *kept)
{
	qpdf_data q = w->q;
	if (!qpdf_oh_is_array(q, kids))
		return walk_element(w, kids, depth, in_body);
	int n = qpdf_oh_get_array_n_items(q, kids), dropped = 0;
	unsigned char *drop = g_malloc0((size_t)n + 1);
	for (int i = n; i-- > 0;) {
		qpdf_oh kid = qpdf_oh_get_array_item(q, kids, i);
		drop[i] = (unsigned char)walk_element(w, kid, depth, in_body);
		dropped += drop[i];
		qpdf_oh_release(q, kid);
	}
	if (dropped) {
		*kept = qpdf_oh_new_array(q);
		for (int i = 0; i < n; i++) {
			if (drop[i])
				continue;
			qpdf_oh kid = qpdf_oh_get_array_item(q, kids, i);
			qpdf_oh_append_item(q, *kept, kid);
			qpdf_oh_release(q, kid);
		}
	}
	g_free(drop);
	return 0;
}

/*
 * Visit struct element `elem` (in reverse document order below each
 * parent, so that kids can be erased as they are met: the counts of
 * figures and header cells run backwards from the end). Gives each Figure
 * its alternative text, each TH its scope (Column in a THead, Row in a
 * TBody) and each header-row cell its column span; returns 1 for a
 * Private element (decoration), noting its object id.
 */
static int walk_element(walk *w, qpdf_oh elem, int depth, int in_body)
{
	qpdf_data q = w->q;
	if (depth > 64 || !qpdf_oh_is_dictionary(q, elem))
		return 0; /* a marked-content id */
	qpdf_oh s = qpdf_oh_get_key(q, elem, "/S");
	char name[16] = "";
	if (qpdf_oh_is_name(q, s))
		snprintf(name, sizeof name, "%s", qpdf_oh_get_name(q, s));
	qpdf_oh_release(q, s);
	if (!name[0])
		return 0; /* a marked-content reference */
	int recurse = 1;
	if (!strcmp(name, "/Private")) {
		g_hash_table_add(w->private_ids,
		                 GINT_TO_POINTER(qpdf_oh_get_object_id(q, elem)));
		return 1;
	} else if (!strcmp(name, "/Figure")) {
		size_t k = w->alt_count - 1 - w->figures++;
		put(q, elem, "/Alt", qpdf_oh_new_unicode_string(
			q, k < w->alt_count ? w->alts[k] : "Chart"));
	} else if (!strcmp(name, "/TH") || (!in_body && !strcmp(name, "/TD"))) {
		size_t span = 1;
		if (!in_body) {
			size_t k = w->span_count - 1 - w->head_cells++;
			if (k < w->span_count)
				span = w->spans[k];
		}
		put(q, elem, "/A", cell_attributes(q, !strcmp(name, "/TH"), in_body, span));
		w->headers += !strcmp(name, "/TH");
		recurse = 0;
	} else if (!strcmp(name, "/TBody") || !strcmp(name, "/THead")) {
		in_body = !strcmp(name, "/TBody");
	} else if (!strcmp(name, "/TD") || !strcmp(name, "/P") || name[1] == 'H' ||
	           !strcmp(name, "/Lbl") || !strcmp(name, "/LBody")) {
		recurse = 0; /* text: marked content only */
	}
	if (recurse && qpdf_oh_has_key(q, elem, "/K")) {
		qpdf_oh kids = qpdf_oh_get_key(q, elem, "/K"), kept = 0;
		if (walk_kids(w, kids, depth + 1, in_body, &kept))
			put(q, elem, "/K", qpdf_oh_new_array(q));
		else if (kept)
			put(q, elem, "/K", kept);
		qpdf_oh_release(q, kids);
	}
	return 0;
}

/* Whether `item` (a parent-tree entry) is one of the Private elements. */
static int noted_private(const walk *w, qpdf_oh item)
{
	int id = qpdf_oh_get_object_id(w->q, item);
	return id > 0 && g_hash_table_contains(w->private_ids, GINT_TO_POINTER(id));
}

/* In the parent tree (number tree node `node`), forget the Private
 * elements: their content is now an artifact. */
static void prune_parents(walk *w, qpdf_oh node, int depth)
{
	qpdf_data q = w->q;
	if (depth > 32 || !qpdf_oh_is_dictionary(q, node))
		return;
	qpdf_oh null = qpdf_oh_new_null(q);
	qpdf_oh nums = qpdf_oh_get_key(q, node, "/Nums");
	if (qpdf_oh_is_array(q, nums)) {
		int n = qpdf_oh_get_array_n_items(q, nums);
		for (int i = 1; i < n; i += 2) {
			qpdf_oh value = qpdf_oh_get_array_item(q, nums, i);
			if (noted_private(w, value)) {
				qpdf_oh_set_array_item(q, nums, i, null);
			} else if (qpdf_oh_is_array(q, value)) {
				int m = qpdf_oh_get_array_n_items(q, value);
				for (int j = 0; j < m; j++) {
					qpdf_oh item = qpdf_oh_get_array_item(q, value, j);
					if (noted_private(w, item))
						qpdf_oh_set_array_item(q, value, j, null);
					qpdf_oh_release(q, item);
				}
			}
			qpdf_oh_release(q, value);
		}
	}
	qpdf_oh kids = qpdf_oh_get_key(q, node, "/Kids");
	if (qpdf_oh_is_array(q, kids)) {
		int n = qpdf_oh_get_array_n_items(q, kids);
		for (int i = 0; i < n; i++) {
			qpdf_oh kid = qpdf_oh_get_array_item(q, kids, i);
			prune_parents(w, kid, depth + 1);
			qpdf_oh_release(q, kid);
		}
	}
	qpdf_oh_release(q, kids);
	qpdf_oh_release(q, nums);
	qpdf_oh_release(q, null);
}

/* Put a Document element between the structure tree's root and its kids
 * (cairo makes none), walk the tree and take decoration out of it. */
static void finish_structure(walk *w, qpdf_oh root)
{
	qpdf_data q = w->q;
	qpdf_oh tree = qpdf_oh_get_key(q, root, "/StructTreeRoot");
	if (!qpdf_oh_is_dictionary(q, tree))
		return;
	qpdf_oh kids = qpdf_oh_get_key(q, tree, "/K"), kept = 0;
	if (walk_kids(w, kids, 0, 0, &kept)) /* the whole tree is decoration */
		kids = qpdf_oh_new_array(q);
	else if (kept)
		kids = kept;
	prune_parents(w, qpdf_oh_get_key(q, tree, "/ParentTree"), 0);
	qpdf_oh doc = qpdf_make_indirect_object(
		q, qpdf_oh_parse(q, "<< /Type /StructElem /S /Document >>"));
	qpdf_oh_replace_key(q, doc, "/P", tree);
	qpdf_oh_replace_key(q, doc, "/K", kids);
	if (qpdf_oh_is_array(q, kids)) {
		int n = qpdf_oh_get_array_n_items(q, kids);
		for (int i = 0; i < n; i++) {
			qpdf_oh kid = qpdf_oh_get_array_item(q, kids, i);
			if (qpdf_oh_is_dictionary(q, kid))
				qpdf_oh_replace_key(q, kid, "/P", doc);
			qpdf_oh_release(q, kid);
		}
	} else if (qpdf_oh_is_dictionary(q, kids)) {
		qpdf_oh_replace_key(q, kids, "/P", doc);
	}
	qpdf_oh_replace_key(q, tree, "/K", doc);
}

/* ---- metadata ---------------------------------------------------------------- */

/* XMP naming the title and PDF/UA-1 (ISO 14289-1), as the Info dictionary
 * says the title. */
static GString *xmp_packet(const char *title, const char *lang)
{
	char *t = g_markup_escape_text(title ? title : "", -1);
	char *l = g_markup_escape_text(lang, -1);
	GString *x = g_string_new(NULL);
	g_string_append_printf(x,
		"<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n"
		"<x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n"
		"<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n"
		"<rdf:Description rdf:about=\"\" "
		"xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		"xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\">\n"
		"<dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">%s</rdf:li>"
		"</rdf:Alt></dc:title>\n"
		"<dc:language><rdf:Bag><rdf:li>%s</rdf:li></rdf:Bag></dc:language>\n"
		"<pdfuaid:part>1</pdfuaid:part>\n"
		"</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
		"<?xpacket end=\"w\"?>\n", t, l);
	g_free(t);
	g_free(l);
	return x;
}

/* ---- the pass ---------------------------------------------------------------- */

int pdf_finish(unsigned char **out, size_t *out_len, const unsigned char *pdf,
               size_t len, const char *const *alts, size_t alt_count,
               const unsigned char *head_spans, size_t head_span_count,
               const char *title, const char *lang, const char *path)
{
	*out = NULL;
	*out_len = 0;
	qpdf_data q = qpdf_init();
	int rc = 0;
	walk w = {q, alts, alt_count, 0, 0, head_spans, head_span_count, 0, NULL};
	qpdf_silence_errors(q);
	qpdf_set_suppress_warnings(q, QPDF_TRUE);
	if (qpdf_read_memory(q, path, (const char *)pdf, (unsigned long long)len, NULL) &
	    QPDF_ERRORS)
		goto qpdf_failed;

	qpdf_oh root = qpdf_get_root(q);
	qpdf_oh_replace_key(q, root, "/Lang", qpdf_oh_new_unicode_string(q, lang));
	qpdf_oh_replace_key(q, root, "/ViewerPreferences",
	                    qpdf_oh_parse(q, "<< /DisplayDocTitle true >>"));
	qpdf_oh_replace_key(q, root, "/MarkInfo", qpdf_oh_parse(q, "<< /Marked true >>"));

	w.private_ids = g_hash_table_new(g_direct_hash, g_direct_equal);
	finish_structure(&w, root);

	GString *xmp = xmp_packet(title, lang);
	qpdf_oh meta = qpdf_oh_new_stream(q);
	qpdf_oh_replace_stream_data(q, meta, (const unsigned char *)xmp->str,
	                            (size_t)xmp->len, qpdf_oh_new_null(q),
	                            qpdf_oh_new_null(q));
	qpdf_oh meta_dict = qpdf_oh_get_dict(q, meta);
	qpdf_oh_replace_key(q, meta_dict, "/Type", qpdf_oh_new_name(q, "/Metadata"));
	qpdf_oh_replace_key(q, meta_dict, "/Subtype", qpdf_oh_new_name(q, "/XML"));
	qpdf_oh_replace_key(q, root, "/Metadata", meta);
	g_string_free(xmp, TRUE);

	int pages = qpdf_get_num_pages(q);
	for (int i = 0; i < pages; i++) {
		qpdf_oh page = qpdf_get_page_n(q, (size_t)i);
		unsigned char *data = NULL;
		size_t data_len = 0;
		if (qpdf_oh_get_page_content_data(q, page, &data, &data_len) != QPDF_SUCCESS)
			goto qpdf_failed;
		GString *marked = mark_artifacts((const char *)data, data_len);
		free(data);
		if (!marked)
			continue;
		qpdf_oh content = qpdf_oh_new_stream(q);
		qpdf_oh_replace_stream_data(q, content, (const unsigned char *)marked->str,
		                            (size_t)marked->len, qpdf_oh_new_null(q),
		                            qpdf_oh_new_null(q));
		qpdf_oh_replace_key(q, page, "/Contents", content);
		g_string_free(marked, TRUE);
	}
	/* cairo tags structure but says nothing of tab order: follow it. */
	for (int i = 0; i < pages; i++)
		qpdf_oh_replace_key(q, qpdf_get_page_n(q, (size_t)i), "/Tabs",
		                    qpdf_oh_new_name(q, "/S"));
	if (qpdf_has_error(q))
		goto qpdf_failed;

	if (qpdf_init_write_memory(q) & QPDF_ERRORS)
		goto qpdf_failed;
	qpdf_set_minimum_pdf_version(q, "1.7");
	qpdf_set_compress_streams(q, QPDF_TRUE);
	qpdf_set_object_stream_mode(q, qpdf_o_disable);
	/* cairo's streams are compressed already: copy them, do not
	 * recompress (the new ones, written plain, are compressed). */
	qpdf_set_decode_level(q, qpdf_dl_none);
	qpdf_set_deterministic_ID(q, QPDF_TRUE);
	if (qpdf_write(q) & QPDF_ERRORS)
		goto qpdf_failed;
	size_t n = (size_t)qpdf_get_buffer_length(q);
	*out = malloc(n ? n : 1);
	if (!*out) {
		rc = parity_error_set(PARITY_ENOMEM, "%s: out of memory", path);
		goto done;
	}
	memcpy(*out, qpdf_get_buffer(q), n);
	*out_len = n;
	if (w.figures != alt_count || w.head_cells != head_span_count)
		rc = parity_error_set(PARITY_EINTERNAL, "%s: the structure holds %zu "
		                      "figures and %zu header cells, but %zu and %zu were "
		                      "tagged", path, w.figures, w.head_cells, alt_count,
		                      head_span_count);
	goto done;

qpdf_failed:
	rc = parity_error_set(PARITY_EINTERNAL, "%s: cannot finish the tagged PDF: %s",
	                      path, qpdf_has_error(q)
	                      ? qpdf_get_error_full_text(q, qpdf_get_error(q))
	                      : "unknown qpdf error");
done:
	if (rc) {
		free(*out);
		*out = NULL;
		*out_len = 0;
	}
	if (w.private_ids)
		g_hash_table_destroy(w.private_ids);
	qpdf_cleanup(&q);
	return rc;
}
