/*
 * publish_internal.h: what publish.c (the published set and each row's
 * cells) and publish_tables.c (the sums between tables) share. Not
 * installed.
 */
#ifndef PARITY_PUBLISH_INTERNAL_H
#define PARITY_PUBLISH_INTERNAL_H

#include "gate.h"
#include "parity/publish.h"
#include "parity/return.h"

#include <stddef.h>
#include <stdint.h>

#define STEM_MAX 256  /* measure, window, stratum: at most 160 */
#define KEY_MAX 1024

/* What a disclosure policy, with the threshold asked of it, means for a
 * gate: its policy, the smallest count shown as itself (0: none hidden) and
 * how a small count prints ("*", "<5", or "" when none is hidden). One
 * place for the board report, the return and the exported counts. */
typedef struct publish_rule {
	gate_policy gate;
	unsigned threshold;
	char small_mark[16];
} publish_rule;
void publish_rule_of(publish_rule *out, parity_disclosure policy, unsigned threshold);

/* A row's four counts, in the order its cells are kept. */
enum { C_N1, C_X1, C_N2, C_X2, C_COUNTS };

/* The published set of a year: the report's results and the return, one
 * gate. */
struct parity_published {
	const parity_results *results;
	parity_disclosure policy;
	unsigned threshold;
	char small_mark[16];    /* "<5", "*" or "" */
	gate *g;
	size_t *cells;          /* (count + trend_count) x C_COUNTS */
	size_t *excluded;       /* (count + trend_count) x PARITY_EXCLUDED_KINDS */
	unsigned char *marks;   /* (count + trend_count) x C_COUNTS */
	unsigned char *hidden;  /* count + trend_count */
	parity_results *empty;  /* owned: the results of a set built without */
	const parity_return *ret; /* the year's return, or NULL */
	size_t *return_cells;   /* ret->count_count: the cell of each count in g,
	                           or GATE_NONE (an organisation's own gate) */
	unsigned char *return_marks; /* ret->count_count: suppress_mark of each */
	int segmented;          /* 1: each organisation's return had its own gate */
	size_t report_cells;    /* the report's cells, registered before the return's */
	unsigned char *report_printed; /* report_cells: printed by the report */
	unsigned char *programme; /* results->programme_count: each event-study
	                             term's parity_programme_publication */
};

/* Decide every programme event-study term of pub->results from the set's
 * marks (publish_programme.c), after gate_run. 0 or PARITY_ENOMEM. */
int publish_programme_decide(parity_published *pub);

/* Register the return `ret` in pub's gate (publish_return_link.c): its
 * counts (a count the report also publishes is the report's cell), its
 * sums, and the sums that tie its counts to the report's. 0 or an error. */
int publish_add_return(parity_published *pub, const parity_return *ret);

/* After gate_run: the return's marks, one decision per shared count (a
 * count hidden by either gate is hidden in both). */
void publish_finish_return(parity_published *pub);

/* The measure and window a row's counts belong to. */
const char *publish_measure_of(const parity_result_row *row);
const char *publish_window_of(const parity_result_row *row);

/* Append `text` to the key in `buf` (`size` bytes, `*at` used), cut to
 * fit as snprintf would; key_join joins `parts` with '|'. */
void publish_key_add(char *buf, size_t size, size_t *at, const char *text);
void publish_key_join(char *buf, size_t size, const char *const *parts, size_t count);

/* The row's stem (its table) as text: measure|window|kind|stratum, with
 * "+pooled" after the kind of a pooled row. */
void publish_stem_text(char *buf, size_t size, const parity_result_row *row);

/* "\1" and `id` in lower-case hex: a stem's short name. */
void publish_stem_short(char *buf, size_t size, size_t id);

/* The row's stem (its table) as keys carry it: short with `stems`, else the
 * text. 0 or PARITY_ENOMEM. */
int publish_stem(gate *stems, char *buf, size_t size, const parity_result_row *row);

/* total = parts + rest, with rest an unprinted cell named `rest_key` (only
 * when the parts do not exceed the total); `parts` has room for count + 1.
 * 0 or an error. */
int publish_sum_with_rest(gate *g, size_t total, size_t *parts, size_t count,
                  const char *rest_key);

/* A row and where it is, for sorting rows by table: by a hash of its
 * stratum kind and table first, so that the strings are compared only
 * within a table (a national run sorts a million rows). */
typedef struct placed_row {
	const parity_result_row *row;
	size_t at;
	uint64_t h;
} placed_row;

/* The rows of `rows[0..count)` that are not overall rows, sorted by table
 * and place; *n their number. NULL when out of memory (error set). */
placed_row *publish_sort_by_table(const parity_result_row *rows, size_t count, size_t *n);

/* The run sorted[*first..*end) of stratum kind `kind` in the table of
 * `table` (binary search). */
void publish_table_run(const placed_row *sorted, size_t n, const char *kind,
               const parity_result_row *table, size_t *first, size_t *end);

/* The sums between tables, over `rows[0..count)` whose cells are `cells`
 * (C_COUNTS a row); the breakdowns also take those rows sorted by table
 * (publish_sort_by_table). Each returns 0 or an error. */
int publish_link_breakdowns(gate *g, const parity_result_row *rows, size_t count,
                    const size_t *cells, const placed_row *sorted, size_t n_sorted);
int publish_link_stages(gate *g, const parity_result_row *rows, size_t count,
                const size_t *cells);
int publish_link_stage_ladder(gate *g, const parity_result_row *rows, size_t count,
                      const size_t *cells);

#endif
