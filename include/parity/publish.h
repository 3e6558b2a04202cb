/**
 * @file publish.h
 * @brief Disclosure control: the published set. Every count, ratio, rate,
 * interval and chart point that leaves parity for publication (the PDF
 * report, report-tables.csv, the charts, changes.txt) is taken from a
 * parity_published built over the whole document's results, so that a
 * count hidden in one table cannot be worked back from another.
 */
#ifndef PARITY_PUBLISH_H
#define PARITY_PUBLISH_H

#include "parity/analyse.h"
#include "parity/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** How counts are protected. */
typedef enum parity_disclosure {
	/** Counts 1..N-1 hidden ("<N"), then further counts ("[c]") until no
	 *  hidden count can be worked out from any other published figure. */
	PARITY_DISCLOSURE_THRESHOLD = 0,
	/** NHS Digital's rule: counts 1 to 7 shown as "*", every other count
	 *  rounded to the nearest 5; no further cells hidden. */
	PARITY_DISCLOSURE_NHS_DIGITAL
} parity_disclosure;

/** How one count is shown; the values match the report's marks. */
typedef enum parity_count_mark {
	PARITY_COUNT_SHOWN = 0,     /**< printed (rounded under nhs-digital) */
	PARITY_COUNT_PRIMARY = 1,   /**< a small count: "<5" or "*" */
	PARITY_COUNT_SECONDARY = 2  /**< hidden to protect another: "[c]" */
} parity_count_mark;

/** Which excluded count of a row (printed in notes and the quality table). */
typedef enum parity_excluded {
	PARITY_EXCLUDED_NOT_STATED_BASE = 0,
	PARITY_EXCLUDED_NOT_STATED_OUTCOME,
	PARITY_EXCLUDED_BANK_BASE,
	PARITY_EXCLUDED_BANK_OUTCOME,
	PARITY_EXCLUDED_WITHOUT_CONTRACT,
	PARITY_EXCLUDED_KINDS
} parity_excluded;

typedef struct parity_published parity_published;

/**
 * Build the published set of `results` (its period rows, trend rows and
 * cohorts) under `policy`; `threshold` is N for the threshold policy (0
 * or 1: nothing hidden) and ignored for nhs-digital (8). Returns 0 with
 * *out for the caller to free with parity_publish_free(), or
 * PARITY_ENOMEM. `results` must outlive *out.
 */
int parity_publish_build(parity_published **out, const parity_results *results,
                         parity_disclosure policy, unsigned threshold);

typedef struct parity_return parity_return;

/**
 * The published set of a financial year: the board report's results
 * (`results`, NULL when the year has no relative likelihoods) and the
 * annual return (`ret`, parity_return_compute; NULL for none) through ONE
 * disclosure gate. A count both publish (an organisation's White staff are
 * the base of WRES 4 and a WRES 1 total) is one cell; the return's group
 * totals, bands, clusters and sides are sums the gate knows, tied to the
 * report's organisation, pay band, staff group and overall rows. So a
 * reader holding the report and the return together can work out no count
 * either hides. `parity report`, `parity return` and `parity run` build it
 * alike; marks for the return: parity_return_publish(). Both arguments
 * must outlive *out. Returns 0, PARITY_EUSAGE or PARITY_ENOMEM.
 */
int parity_publish_build_year(parity_published **out, const parity_results *results,
                              const parity_return *ret, parity_disclosure policy,
                              unsigned threshold);

/** parity_publish_build_year, applying the clean-ups `memo` remembers and
 *  remembering the new ones (parity/store.h; NULL: none). The same set
 *  either way. */
int parity_publish_build_year_memo(parity_published **out, const parity_results *results,
                                   const parity_return *ret, parity_disclosure policy,
                                   unsigned threshold, parity_gate_memo *memo);

/** The return the set was built over (borrowed), or NULL. */
const parity_return *parity_publish_return(const parity_published *pub);

/** Free a published set; NULL is allowed. */
void parity_publish_free(parity_published *pub);

/** "threshold" or "nhs-digital" to a policy; -1 when unknown. */
int parity_disclosure_parse(const char *text);

/** The policy's name. */
const char *parity_disclosure_name(parity_disclosure policy);

/** The results the set was built over (borrowed). */
const parity_results *parity_publish_results(const parity_published *pub);

/** The smallest count shown as itself: N, or 8 under nhs-digital; 0 when
 *  nothing is hidden. */
unsigned parity_publish_threshold(const parity_published *pub);
parity_disclosure parity_publish_policy(const parity_published *pub);

/** What the published set allows of a programme event-study term. */
typedef enum parity_programme_publication {
	/** its estimate, interval, p and smallest detectable change print */
	PARITY_PROGRAMME_PUBLISHED = 0,
	/** withheld: an organisation-year behind it holds a count (cases,
	 *  non-cases or base of either group) from 1 to the threshold less 1 */
	PARITY_PROGRAMME_SMALL,
	/** withheld: a count behind it is one the gate hides elsewhere to
	 *  protect a small count, or one that, known, would give a hidden
	 *  count away (see docs/programme.md, Disclosure) */
	PARITY_PROGRAMME_HIDDEN
} parity_programme_publication;

/**
 * The set's decision on a programme event-study term (results->programme),
 * made once when the set is built: every count of every organisation-year
 * behind the term (row->cells) is taken as known to a reader once the
 * term prints, and the gate, with every decision it made for the rest of
 * the document fixed, is asked whether all of them may be known together
 * without any hidden count following. A term rests on counts the gate
 * shows, or it is withheld whole. PARITY_PROGRAMME_PUBLISHED with no set,
 * a row not of its results, or nothing hidden.
 */
parity_programme_publication parity_publish_programme(const parity_published *pub,
                                                      const parity_programme_row *row);

/** Whether the term is withheld (parity_publish_programme() is not
 *  PARITY_PROGRAMME_PUBLISHED): its estimate, interval and p are then not
 *  printed. */
int parity_publish_programme_hidden(const parity_published *pub,
                                    const parity_programme_row *row);

/** The programme.csv / programme.json `publication` text of the term:
 *  "internal; published", "internal; withheld: small count", "internal;
 *  withheld: hidden count", or "internal; no estimate" (nothing to print). */
const char *parity_publish_programme_text(const parity_published *pub,
                                          const parity_programme_row *row);

/** The marks of the counts (n1, x1, n2, x2 in that order) of `row`, a
 *  row of the results' rows or trend. Unknown rows: all shown. */
const unsigned char *parity_publish_row_marks(const parity_published *pub,
                                              const parity_result_row *row);

/** 1 when no figure computed from `row` may be published: a count of it
 *  is hidden, or (pooled rows) a count of a stratum it combines. */
int parity_publish_row_hidden(const parity_published *pub,
                              const parity_result_row *row);

/** How excluded count `which` of `row` is shown. */
parity_count_mark parity_publish_excluded_mark(const parity_published *pub,
                                               const parity_result_row *row,
                                               parity_excluded which);

/** 1 when the figures of cohort result `c` may not be published: a
 *  count before or after is small. */
int parity_publish_cohort_hidden(const parity_published *pub,
                                 const parity_cohort_result *c);

/** How a small count is shown: "<5" (threshold N = 5), "*" (nhs-digital),
 *  or "" when nothing is hidden. Borrowed from `pub`. */
const char *parity_publish_small_mark(const parity_published *pub);

/** The text for a count shown with `mark`: "1,234", "<5", "[c]", "*", or
 *  under nhs-digital the count rounded to the nearest 5. */
void parity_publish_count_text(char *buf, size_t size,
                               const parity_published *pub, uint64_t value,
                               parity_count_mark mark);

/**
 * A message safe to keep or publish (the run's log, history, changes.txt,
 * a quarantined file's error.txt, the report): `message` with every value
 * it quotes from a file (anything between double quotes) replaced by
 * "[value withheld]", so that no value of any column, an identifier
 * least of all, is stored or published. The values stay in the 0600
 * rejects file. Writes at most `size` bytes, always terminated.
 */
void parity_publish_message(char *out, size_t size, const char *message);

/**
 * Write the store's count cube for publishing (parity_store_export_counts
 * with each row's counts shown as the disclosure gate says): under the
 * threshold policy (threshold N >= 2) a count from 1 to N-1 is written
 * "<N", and a count that would give one away, or give away a small
 * difference (those not shortlisted, not appointed), "*"; under
 * nhs-digital, 1 to 7 are written "*" and other counts rounded to the
 * nearest 5. The file starts with a comment line and cannot be ingested.
 * Returns 0 or the store's error; *summary counts what was hidden.
 */
int parity_publish_export_counts(parity_export_summary *summary, parity_store *store,
                                 const char *path, parity_disclosure policy,
                                 unsigned threshold);

/** Printed counts hidden as primary and as secondary, rows whose figures
 *  are withheld, and counts still recoverable (0 unless nothing was left
 *  to hide). */
typedef struct parity_publish_summary {
	size_t counts;        /**< distinct printed counts */
	size_t primary;       /**< hidden as small */
	size_t secondary;     /**< hidden to protect another */
	size_t rows_withheld; /**< rows (period and trend) without figures */
	size_t unprotected;   /**< small counts no hiding could protect */
} parity_publish_summary;
void parity_publish_summarise(parity_publish_summary *out,
                              const parity_published *pub);

#ifdef __cplusplus
}
#endif

#endif
