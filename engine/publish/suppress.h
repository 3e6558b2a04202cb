/*
 * suppress.h: small-number suppression for count tables that leave the
 * organisation: which cells to hide so that no count of 1..threshold-1 can
 * be read off the table or worked out from a total or a difference.
 */
#ifndef PARITY_SUPPRESS_H
#define PARITY_SUPPRESS_H

#include <stddef.h>
#include <stdint.h>

/* What to print for one cell. */
typedef enum suppress_mark {
	SUPPRESS_SHOWN = 0, /* print the count */
	SUPPRESS_PRIMARY,   /* 1..threshold-1: print "<threshold" */
	SUPPRESS_SECONDARY  /* hidden to protect another cell: print "[c]" */
} suppress_mark;

/* An outcome column that is part of a base column in the same row
 * (appointed of shortlisted): showing both reveals base - outcome. */
typedef struct suppress_pair {
	size_t outcome; /* column of the outcome count */
	size_t base;    /* column of the base count */
} suppress_pair;

#define SUPPRESS_NO_TOTAL ((size_t)-1)

typedef struct suppress_table {
	const uint64_t *counts;     /* rows x columns, row-major */
	size_t rows, columns;
	size_t total_row;           /* row of column totals, or SUPPRESS_NO_TOTAL */
	const suppress_pair *pairs; /* outcome/base column pairs, may be NULL */
	size_t pair_count;
	uint64_t threshold;         /* hide 1..threshold-1; 0 or 1: hide nothing */
} suppress_table;

/*
 * Fill `marks` (rows x columns, like the counts) for `table`:
 *  1. primary: every count of 1..threshold-1, totals included;
 *  2. differences: where base - outcome is 1..threshold-1 and both are
 *     shown, the outcome is hidden too;
 *  3. totals: in any column where exactly one cell (a part or the total)
 *     is hidden, the subtraction would reveal it, so the smallest shown part
 *     (preferring non-zero ones; the total when no part is left) is hidden
 *     as well, repeated until no column has a single hidden cell.
 * Rates built from a hidden count must be hidden by the caller.
 */
void suppress_apply(suppress_mark *marks, const suppress_table *table);

/*
 * The same steps over `marks` as they stand: cells already hidden (for
 * instance because another table sharing them hid them) stay hidden and
 * count as hidden for the difference and total rules. Returns 1 when a
 * cell was hidden that was shown before, else 0. With a threshold of 0 or
 * 1 nothing changes.
 */
int suppress_extend(suppress_mark *marks, const suppress_table *table);

#endif
