/*
 * return_internal.h: what the return's files (return.c, return_survey.c,
 * return_model.c, return_medical.c) share. Private to engine/analyse.
 */
#ifndef PARITY_RETURN_INTERNAL_H
#define PARITY_RETURN_INTERNAL_H

#include "parity/return.h"

#include <stddef.h>

/* The breakdowns of WRES 1 (return.c): staff sides, and pay bands (1-9
 * with 8a-8d and VSM, the first RETURN_AFC_BANDS; then medical and
 * dental; then any other band). */
#define RETURN_SIDES 3
#define RETURN_AFC_BANDS 13
#define RETURN_BANDS 15
#define RETURN_GROUPS 3 /* White, BME, Unknown */
#define RETURN_MEDICAL 4 /* consultants, career grades, trainees, other */

/* Register a total and its three groups (printed when `printed`) under
 * `prefix` for `grouping` ("ethnic" or "disability"), with their sum. Sets
 * *total and groups[0..2]; 0 or PARITY_ENOMEM. */
int return_group_counts(parity_return *r, size_t from, const char *prefix,
                        const char *grouping, const uint64_t values[RETURN_GROUPS],
                        int printed, size_t *total, size_t groups[RETURN_GROUPS]);

/* The medical and dental sub-group (0 to RETURN_MEDICAL - 1) of a stored
 * workforce cell's process value (return_medical.c): a grade none of the
 * first three, or none recorded (and every store written before grades
 * were kept), is the last, other. */
unsigned return_medical_of(const char *process, size_t length);

/* The medical and dental sub-groups of one staff side `side` of
 * organisation `org` (return_medical.c), by ethnicity (`grouping` 0, WRES
 * 1 rows) or disability (1, WDES 1): each sub-group's counts, that they add
 * up to the medical band's `total` and, group by group, to its `groups`,
 * and (when `show` and the side has medical staff) their share rows.
 * `staff` is the side's tally by sub-group, ethnic group and disability
 * group. 0 or PARITY_ENOMEM. */
int return_medical_rows(parity_return *r, size_t from, const char *org, const char *side,
                        int grouping, int show,
                        const uint64_t staff[RETURN_MEDICAL][RETURN_GROUPS][RETURN_GROUPS],
                        size_t total, const size_t groups[RETURN_GROUPS]);

/* The count named `key` with `value`, made once among the counts from
 * index `from` on; printed if any caller prints it. Its index, or
 * (size_t)-1 when out of memory. */
size_t return_count(parity_return *r, size_t from, const char *key, uint64_t value,
                    int printed);

/* Record that counts[total] is the sum of counts[parts]. (size_t)-1 when
 * out of memory. */
size_t return_sum(parity_return *r, size_t total, const size_t *parts, size_t n);

/* A share row: counts[numerator] of counts[denominator], in per cent. 0 or
 * PARITY_ENOMEM. */
int return_share_row(parity_return *r, const char *standard, const char *indicator,
                     const char *org, const char *group, size_t numerator,
                     size_t denominator);

/* The Model Employer rows of organisation `org` (return_model.c): BME
 * representation at each Agenda for Change band, all staff sides together,
 * against the workforce's BME share, the shortfall, and the appointments a
 * year that close it in `years` years. `bands` holds each side's band
 * counts (the three groups, then the total); `workforce_bme` the index of
 * the workforce's BME count, `workforce_total` of its total. 0 or
 * PARITY_ENOMEM. */
int return_model_rows(parity_return *r, const char *org, size_t from,
                      size_t bands[RETURN_SIDES][RETURN_BANDS][RETURN_GROUPS + 1],
                      size_t workforce_total, size_t workforce_bme, int years);

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
