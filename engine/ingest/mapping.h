/*
 * mapping.h: the parsed form of a mapping file, for ingest. A mapping says
 * which header in the user's file holds each canonical column, what the
 * user's values mean, how to read the file and what to do with a value
 * nothing maps. Private to the library.
 */
#ifndef PARITY_MAPPING_H
#define PARITY_MAPPING_H

#include "parity/ingest.h"

typedef struct mapping_column {
	char canonical[40]; /* "ethnic_category" */
	char source[256];   /* the header in the file, as written */
} mapping_column;

typedef struct mapping_value {
	char column[40];    /* canonical column */
	char key[256];      /* the value's matching key (parity_code_key) */
	char code[64];      /* canonical code, or "Z" for not stated */
} mapping_value;

struct parity_mapping {
	char path[1024];
	mapping_column *columns;
	size_t column_count;
	mapping_value *values;
	size_t value_count;
	int unknown_as_not_stated; /* [settings] unknown_values = not_stated */
	char delimiter;            /* [settings] delimiter; 0 if unset */
	int windows1252;           /* [settings] encoding = windows-1252 */
	int kind_set;              /* [settings] kind given */
	int month_first;           /* [settings] date_format = MM/DD/YYYY */
	unsigned long header_line; /* [settings] header_line: lines above it are
	                              title lines (0: the first line) */
	parity_kind kind;
};

/* The source header mapped to `canonical`, or NULL. */
const char *mapping_source_column(const parity_mapping *mapping,
                                  const char *canonical);

/* The code the mapping gives `value` in `column`, or NULL. */
const char *mapping_value_code(const parity_mapping *mapping, const char *column,
                               const char *value);

#endif
