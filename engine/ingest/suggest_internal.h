/*
 * suggest_internal.h: the matching behind 'parity mapping --suggest': how
 * well a file's header names a canonical column, and what code a value most
 * likely means. Private to the library; the unit tests call it directly.
 */
#ifndef PARITY_SUGGEST_INTERNAL_H
#define PARITY_SUGGEST_INTERNAL_H

#include <stddef.h>

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

#endif
