/*
 * pdf_finish.h: the tagged PDF's finishing pass (libqpdf): language,
 * Document element, Figure /Alt, table header scope, DisplayDocTitle,
 * PDF/UA-1 XMP, and untagged content marked as artifacts.
 */
#ifndef PARITY_PDF_FINISH_H
#define PARITY_PDF_FINISH_H

#include <stddef.h>

/*
 * Finish `pdf` (`len` bytes, made by cairo with structure tags): each
 * Figure, in document order, gets alts[i]; each cell of a table's header
 * rows (THead) its scope and head_spans[i] as its column span; each TH of
 * a body row the row scope; the document language is `lang`
 * ("en-GB"); the XMP title is `title`. *out (freed by the caller with
 * free) receives the new file. Returns 0, PARITY_ENOMEM, or
 * PARITY_EINTERNAL with qpdf's message, naming `path`.
 */
int pdf_finish(unsigned char **out, size_t *out_len, const unsigned char *pdf,
               size_t len, const char *const *alts, size_t alt_count,
               const unsigned char *head_spans, size_t head_span_count,
               const char *title, const char *lang, const char *path);

/*
 * The artifact marking of one page's content (decoded), exposed for its
 * tests: runs of operations outside marked content bracketed as
 * "/Artifact BMC ... EMC", Private marked content turned into artifacts,
 * one operation a line. Returns the new content (free with g_free), or
 * NULL when it holds an inline image (left as it was).
 */
char *pdf_mark_artifacts(const char *content, size_t len);

#endif
