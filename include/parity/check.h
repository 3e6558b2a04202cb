/*
 * parity/check.h: checking a WRES-style submission: aggregate counts with
 * the ratios an organisation published. Every ratio is recomputed from its
 * counts, and each mismatch and impossible figure is listed with its line.
 */
#ifndef PARITY_CHECK_H
#define PARITY_CHECK_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** One problem found in a submission. */
typedef struct parity_check_problem {
	uint64_t line;          /**< line of the file (1 is the header) */
	char kind[32];          /**< "mismatch", "rounded_percentages", ... */
	char indicator[16];     /**< as written on the line */
	char organisation[64];  /**< as written on the line */
	char period[24];        /**< as written on the line */
	char message[480];      /**< what is wrong and what the counts give */
} parity_check_problem;

/** Everything found in one file. */
typedef struct parity_check_report {
	parity_check_problem *problems; /**< owned array of `count` problems */
	size_t count;           /**< problems found */
	size_t capacity;        /**< problems allocated */
	uint64_t lines;         /**< data lines checked */
	int whole_return;       /**< 1: the file was a whole return (return.csv) */
} parity_check_report;

/**
 * Check the submission at `path`: CSV with the header
 * indicator,organisation,period,group1_numerator,group1_denominator,
 * group2_numerator,group2_denominator,published_ratio and optionally
 * group1_percent,group2_percent (the published percentages). Group 1 is the
 * indicator's numerator group as the standard orients it (WRES2: White;
 * WRES3: BME; WRES4: White; WDES2: Non-disabled; WDES3: Disabled).
 * Problems are listed in `(*out)->problems`, in file order; a clean file
 * gives none. Returns 0 (with or without problems), PARITY_ENOINPUT when
 * the file is missing, or PARITY_EDATA when it cannot be checked at all
 * (no header, a required column missing, unreadable CSV). The caller frees
 * *out with parity_check_report_free().
 */
int parity_check_file(parity_check_report **out, const char *path);

/** Free a report; NULL is allowed. */
void parity_check_report_free(parity_check_report *report);

#ifdef __cplusplus
}
#endif
#endif
