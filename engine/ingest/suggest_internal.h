/*
 * suggest_internal.h: the matching behind 'parity mapping --suggest': how
 * well a file's header names a canonical column, and what code a value most
 * likely means. Private to the library; the unit tests call it directly.
 */
#ifndef PARITY_SUGGEST_INTERNAL_H
#define PARITY_SUGGEST_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* How a header was matched to a canonical column, weakest first. */
typedef enum suggest_match {
	MATCH_NONE = 0,
	MATCH_CONTAINS, /* the header contains a word that names the column */
	MATCH_FUZZY,    /* a small edit distance from the name or a synonym */
	MATCH_SYNONYM,  /* a known other name ("Applicant Ref") */
	MATCH_EXACT     /* the canonical name, ignoring case and punctuation */
} suggest_match;

/*
 * How well `header` names the canonical column `canonical`. For
 * MATCH_FUZZY, *distance is the edit distance on matching keys (smaller is
 * better); otherwise 0.
 */
suggest_match suggest_header_match(const char *canonical, const char *header,
                                   unsigned *distance);

/* What parity can say about one value of a coded column. */
typedef enum suggest_verdict {
	VALUE_KNOWN = 0, /* the built-in lists code it: no mapping line needed */
	VALUE_GUESSED,   /* a likely code, to be checked by the user */
	VALUE_TODO,      /* nothing matched: the user must choose */
	VALUE_REFUSED    /* a value no mapping can fix (a blank Y/N outcome) */
} suggest_verdict;

/* Does `canonical` take coded values that a mapping section can translate
 * (ethnic_category, sex, disability, shortlisted, appointed, process)? */
int suggest_is_coded(const char *canonical);

/*
 * Judge `value` of the coded column `canonical`. Fills `code` with the code
 * as a mapping file writes it ("C", "not stated", "Y", "capability") for
 * VALUE_KNOWN and VALUE_GUESSED, and `why` with a short explanation for
 * the draft's comment (the label matched, or a hint for VALUE_TODO; "" when
 * none). Never sets an error.
 */
suggest_verdict suggest_value(char *code, size_t code_size, char *why,
                              size_t why_size, const char *canonical,
                              const char *value);

/* The codes a coded column accepts, one per line as the draft lists them
 * ("A   White - British"), ending with NULL. */
const char *const *suggest_allowed_codes(const char *canonical);

/* ---- the file's frame (suggest_frame.c) ----------------------------------- */

/* Where the header is. */
typedef struct suggest_frame {
	unsigned long header_line; /* 1-based line of the header (1: no title) */
	char delimiter;            /* the delimiter the rows use, when a title
	                              stands above the header (the reader would
	                              otherwise detect it from the title); 0 */
} suggest_frame;

/* Find the header among the first 200 lines of `path`: the first line with
 * as many delimiters as most lines have (the rows), when at least two lines
 * agree; lines above it are a report's title. `given` is the delimiter the
 * user named, or 0 to choose from comma, semicolon and tab. A file that
 * cannot be opened gives header_line 1 (the reader then says why). Returns 0. */
int suggest_find_header(suggest_frame *out, const char *path, char given);

/* What a sample of a date column's values says about ingest's reading. */
typedef struct suggest_dates {
	uint64_t rows_checked;     /* rows of the values checked */
	uint64_t refused_rows;     /* read in neither order: ingest refuses them */
	uint64_t day_first_rows;   /* read only day first (31/03/2025) */
	uint64_t month_first_rows; /* read only month first (03/31/2025) */
	uint64_t ambiguous_rows;   /* read both ways, as different dates */
	char refused_example[24];  /* the first of each, cut to fit */
	char day_first_example[24];
	char month_first_example[24];
} suggest_dates;

/* Check `count` distinct values of a date column, `rows[i]` rows each,
 * with parity_date_parse_as in both orders. */
void suggest_check_dates(suggest_dates *out, const char *const *values,
                         const uint64_t *rows, size_t count);

#endif
