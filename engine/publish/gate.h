/*
 * gate.h: the disclosure gate's engine: a set of counts that a document
 * publishes, the sums that tie them together anywhere in the document, and
 * the marks that say which counts may be printed. It knows nothing of
 * indicators: engine/publish/publish.c says what the cells and sums are.
 */
#ifndef PARITY_GATE_H
#define PARITY_GATE_H

#include <stddef.h>
#include <stdint.h>

#define GATE_NONE ((size_t)-1)

/* How one count is shown. */
typedef enum suppress_mark {
	SUPPRESS_SHOWN = 0, /* print the count */
	SUPPRESS_PRIMARY,   /* 1..threshold-1: print "<threshold" */
	SUPPRESS_SECONDARY  /* hidden to protect another: print "[c]" */
} suppress_mark;

typedef struct gate gate;

/* How counts are protected. */
typedef enum gate_policy {
	GATE_THRESHOLD = 0, /* 1..threshold-1 hidden, then secondary cells so
	                       that no hidden count can be worked out */
	GATE_ROUNDING       /* 1..threshold-1 hidden (NHS Digital: threshold 8),
	                       every other count rounded to the nearest 5; no
	                       secondary cells: rounding blurs every sum */
} gate_policy;

/* A count as GATE_ROUNDING shows it: to the nearest 5 (NHS Digital). */
uint64_t gate_rounded(uint64_t value);

/* A new empty gate; NULL when out of memory. A threshold of 0 or 1 hides
 * nothing. */
gate *gate_new(gate_policy policy, uint64_t threshold);
void gate_free(gate *g);

/* Remember the clean-ups of large components in `memo` (parity/store.h),
 * and apply those it remembers (NULL: none). Borrowed: it outlives the
 * gate's runs. */
struct parity_gate_memo;
void gate_set_memo(gate *g, struct parity_gate_memo *memo);

/* Forget every cell and sum, keeping the memory, for the next table. */
void gate_reset(gate *g);

/*
 * The cell named `key` (any text that names one count: the same count
 * printed in several places is registered under one key and so gets one
 * mark). `printed` says whether a reader sees it anywhere when it is not
 * hidden; a cell registered twice is printed when either says so. Returns
 * its index, or GATE_NONE when out of memory.
 */
size_t gate_cell(gate *g, const char *key, uint64_t value, int printed);

/* The index of the cell named `key`, or GATE_NONE. */
size_t gate_find(const gate *g, const char *key);

/* Cell `cell` is printed by another document, which decided its mark:
 * the gate reads it as shown there (known, "<N" or hidden) and never
 * changes it; it is not counted as this document's. */
void gate_fix(gate *g, size_t cell, suppress_mark mark);

/* Hide cell `cell` (secondary) after gate_run when it is shown: another
 * document hid the same count. Hiding more never gives anything away. */
void gate_hide(gate *g, size_t cell);

/* Mark cell `cell` printed: another document prints the same count (it
 * is one cell, whatever name each document gives it). */
void gate_print(gate *g, size_t cell);

/* Record that cell `total` equals the sum of `parts` (a part may be an
 * unprinted cell for what the parts leave out). Returns 0 or
 * PARITY_ENOMEM. */
int gate_sum(gate *g, size_t total, const size_t *parts, size_t count);

/*
 * Mark every cell: primary (a count of 1..threshold-1, printed or not),
 * then, under GATE_THRESHOLD, secondary cells until no count of
 * 1..threshold-1 that is hidden or unprinted can be worked out exactly
 * from the printed cells and the sums, by bounds (every hidden count is
 * 0 or more, a primary one 1 to threshold-1) or by solving the sums
 * together. Returns 0 or PARITY_ENOMEM.
 */
int gate_run(gate *g);

suppress_mark gate_mark(const gate *g, size_t cell);
uint64_t gate_value(const gate *g, size_t cell);
size_t gate_cell_count(const gate *g);
int gate_printed(const gate *g, size_t cell);

/* Counts of printed cells hidden as primary and as secondary. */
void gate_hidden_counts(const gate *g, size_t *primary, size_t *secondary);

/* Counts still recoverable after gate_run (0 unless no printed cell was
 * left to hide). */
size_t gate_unprotected(const gate *g);

#endif
