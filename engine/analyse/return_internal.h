/*
 * return_internal.h: what the return's files (return.c, return_survey.c)
 * share. Private to engine/analyse.
 */
#ifndef PARITY_RETURN_INTERNAL_H
#define PARITY_RETURN_INTERNAL_H

#include "parity/return.h"

#include <stddef.h>

/* Append a row of `kind` (zeroed, its counts unset); its index, or
 * (size_t)-1 when out of memory. */
size_t return_add_row(parity_return *r, const char *standard, const char *indicator,
                      const char *org, const char *group, parity_return_value_kind kind);

/* The Staff Survey figures of organisation `org` for r->survey_year (and the
 * trend of the differences over the earlier years), appended to r's rows.
 * *had is set to 1 when the organisation has results that year. 0,
 * PARITY_ENOMEM or PARITY_EIO. */
int return_survey_rows(parity_return *r, parity_store *store, const char *org, int *had);

#endif
