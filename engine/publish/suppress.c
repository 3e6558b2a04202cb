/*
 * suppress.c: small-number suppression (primary cells, differences within
 * a row, and secondary cells so that column totals reveal nothing).
 */
#include "suppress.h"

#include <assert.h>

/* Hide one more cell in column `c`, whose only hidden cell could be worked
 * out from the total: the smallest shown non-zero part, else the smallest
 * shown part, else the total. Returns 1 if a cell was hidden. */
static int hide_partner(suppress_mark *marks, const suppress_table *t,
                        size_t c)
{
	size_t best = SUPPRESS_NO_TOTAL;
	int best_nonzero = 0;
	for (size_t r = 0; r < t->rows; r++) {
		size_t i = r * t->columns + c;
		if (r == t->total_row || marks[i] != SUPPRESS_SHOWN)
			continue;
		int nonzero = t->counts[i] > 0;
		if (best == SUPPRESS_NO_TOTAL || (nonzero && !best_nonzero) ||
		    (nonzero == best_nonzero && t->counts[i] < t->counts[best])) {
			best = i;
			best_nonzero = nonzero;
		}
	}
	if (best == SUPPRESS_NO_TOTAL) {
		size_t total = t->total_row * t->columns + c;
		if (marks[total] != SUPPRESS_SHOWN)
			return 0;
		best = total;
	}
	marks[best] = SUPPRESS_SECONDARY;
	return 1;
}

void suppress_apply(suppress_mark *marks, const suppress_table *t)
{
	for (size_t i = 0; i < t->rows * t->columns; i++)
		marks[i] = SUPPRESS_SHOWN;
	suppress_extend(marks, t);
}

int suppress_extend(suppress_mark *marks, const suppress_table *t)
{
	size_t cells = t->rows * t->columns;
	int grew = 0;
	assert(t->total_row == SUPPRESS_NO_TOTAL || t->total_row < t->rows);

	if (t->threshold <= 1)
		return 0;

	for (size_t i = 0; i < cells; i++)
		if (marks[i] == SUPPRESS_SHOWN && t->counts[i] >= 1 &&
		    t->counts[i] < t->threshold) {
			marks[i] = SUPPRESS_PRIMARY;
			grew = 1;
		}

	for (size_t r = 0; r < t->rows; r++) {
		for (size_t p = 0; p < t->pair_count; p++) {
			size_t x = r * t->columns + t->pairs[p].outcome;
			size_t n = r * t->columns + t->pairs[p].base;
			assert(t->pairs[p].outcome < t->columns);
			assert(t->pairs[p].base < t->columns);
			if (marks[x] != SUPPRESS_SHOWN || marks[n] != SUPPRESS_SHOWN)
				continue;
			if (t->counts[n] > t->counts[x] &&
			    t->counts[n] - t->counts[x] < t->threshold) {
				marks[x] = SUPPRESS_SECONDARY;
				grew = 1;
			}
		}
	}

	if (t->total_row == SUPPRESS_NO_TOTAL)
		return grew;
	/* Each pass hides at least one cell or stops, so this ends. */
	int changed;
	do {
		changed = 0;
		for (size_t c = 0; c < t->columns; c++) {
			size_t hidden = 0;
			for (size_t r = 0; r < t->rows; r++)
				if (marks[r * t->columns + c] != SUPPRESS_SHOWN)
					hidden++;
			if (hidden == 1 && hide_partner(marks, t, c))
				changed = grew = 1;
		}
	} while (changed);
	return grew;
}
