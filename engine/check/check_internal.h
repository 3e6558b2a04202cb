/*
 * check_internal.h: what the checks share. Private to engine/check.
 */
#ifndef PARITY_CHECK_INTERNAL_H
#define PARITY_CHECK_INTERNAL_H

#include "parity/check.h"

/* Check a whole return in parity return's tidy form (return.csv), adding
 * each problem to `report` (check_return.c). 0, PARITY_EDATA when a column
 * is missing or the CSV is unreadable, PARITY_ENOINPUT or PARITY_ENOMEM. */
int check_return_file(parity_check_report *report, const char *path);

/* 1 when the file's first line is return.csv's header. */
int check_is_return(const char *path);

#endif
