/*
 * suggest_draft.h: what 'parity mapping --suggest' read and matched
 * (suggest.c) and the draft written from it (suggest_draft.c). Kept apart
 * from suggest_internal.h, which the unit tests include: these short type
 * names would shadow their variables.
 */
#ifndef PARITY_SUGGEST_DRAFT_H
#define PARITY_SUGGEST_DRAFT_H

#include "parity/ingest.h"
#include "suggest_internal.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define VALUE_LIMIT 255  /* longer values are counted, not listed */

/* ---- distinct values --------------------------------------------------- */

typedef struct distinct {
	char *value;    /* trimmed, as ingest sees it */
	uint64_t rows;  /* rows holding it */
} distinct;

/* One column's distinct values, at most `max_values` of them. */
typedef struct column_values {
	distinct *items;     /* first-seen order */
	size_t count;
	size_t *slots;       /* hash index: item index + 1, 0 when empty */
	size_t slot_count;   /* a power of two, at least twice max_values */
	uint64_t rows;       /* rows with this field */
	uint64_t other_rows; /* rows whose value was not kept (past the limit) */
} column_values;

typedef struct reading {
	size_t max_values;
	char **header;            /* copies of the header fields */
	size_t header_count;
	column_values *columns;   /* one per header field */
	uint64_t rows;            /* data rows */
	uint64_t ragged_rows;     /* rows with a different number of fields */
	uint64_t first_ragged_line;
	unsigned long header_line; /* the header's line: lines above are a title */
	uint64_t title_lines;     /* lines above the header */
	uint64_t footer_lines;    /* a report's footer lines (totals, "Report run by") */
	uint64_t empty_rows;      /* rows of bare delimiters */
} reading;

/* ---- matching the header -------------------------------------------------- */

typedef struct assignment {
	const parity_column *column; /* canonical column */
	int header;                  /* index in the header, -1 when not found */
	suggest_match how;
	unsigned distance;           /* for MATCH_FUZZY */
	double value_share;          /* > 0: found from its values (this share coded) */
} assignment;

/* ---- writing the draft ------------------------------------------------------ */

typedef struct draft {
	FILE *out;
	const reading *r;
	const assignment *assigned;
	size_t column_count;
	parity_suggest_summary *summary;
	const char *date_header;     /* the date column's header, or NULL */
	suggest_dates dates;         /* what its values say */
} draft;

/* Check the date column's values as ingest will read them (see the
 * function); write the draft for the extract at `path`. */
int suggest_draft_check_dates(draft *d);
int suggest_draft_write(draft *d, const char *path,
                        const parity_suggest_options *options);

#endif
