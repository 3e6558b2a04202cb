/*
 * gate_copy.c: a gate's decisions copied into a new gate (gate_copy.h),
 * with the same cells and sums, its printed cells fixed as it marked them.
 */
#include "gate_copy.h"

#include "gate_internal.h"

#include <stdio.h>

gate *gate_copy_decided(const gate *g)
{
	gate *copy = g ? gate_new(g->policy, g->threshold) : NULL;
	if (!copy)
		return NULL;
	for (size_t i = 0; i < g->count; i++) {
		char key[24];
		snprintf(key, sizeof key, "\2%zx", i);
		if (gate_cell(copy, key, g->values[i], g->printed[i]) != i)
			goto fail;
		if (g->printed[i])
			gate_fix(copy, i, (suppress_mark)g->marks[i]);
	}
	for (size_t r = 0; r < g->rel_count; r++)
		if (gate_sum(copy, g->rels[r].total, &g->parts[g->rels[r].first],
		             g->rels[r].count))
			goto fail;
	return copy;
fail:
	gate_free(copy);
	return NULL;
}
