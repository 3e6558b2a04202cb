/*
 * gate_clean.c: the gate's clean-up, as tau-Argus does it: once no small
 * count can be worked out, each secondary cell whose showing leaks nothing
 * (one the reader works out anyway, or one a later cell made unnecessary)
 * is shown again, largest first. Each cell shown is a trial: its scope read
 * again with it shown, undone when that pins a small count.
 *
 * A year's report and return tied in one gate can make a clean-up of over
 * a thousand trials, each solving a system of hundreds of counts; next
 * month the closed year's is the same again. So a large clean-up's outcome
 * is remembered (gate->memo, kept in the store across runs) under a digest
 * of everything it depends on, and applied when the same comes again, once
 * checked (digest_component and apply_memo say why that is sound).
 */
#include "gate_internal.h"

#include "parity/common.h"
#include "store/store_memo.h"
#include "util/sha256.h"

#include <stdlib.h>
#include <string.h>

#define CLEAN_UP_MAX 16384 /* cells of a component cleaned up at most: each
                              cell shown again re-reads its component, and a
                              hidden cell left hidden gives nothing away */

/* The clean-up's order: larger value first, then lower index (the order
 * the cells were listed in), so the order is total and the same on every
 * platform's qsort. */
static _Thread_local const uint64_t *clean_up_values;

static int larger_first(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint64_t vx = clean_up_values[x], vy = clean_up_values[y];
	if (vx != vy)
		return vx > vy ? -1 : 1;
	return x < y ? -1 : x > y;
}

/* The trials of order[0..n) (one component's, in the clean-up's order),
 * whose component has `comp_leaks` leaks now. Whether showing a cell leaks
 * is all that is asked: leaks left elsewhere in its component say so at
 * once, and a reading stops at the first leak (each step only pins more);
 * a reading that leaks is undone. 0 or PARITY_ENOMEM. */
static int clean_component(gate *g, reader *v, const size_t *order, size_t n,
                           size_t comp_leaks)
{
	for (size_t k = 0; k < n; k++) {
		size_t c = order[k], before = 0, leaks = 0;
		int rc = reader_scope(g, v, c, &before);
		if (rc)
			return rc;
		if (comp_leaks > before)
			continue;
		reader_save(v);
		g->marks[c] = SUPPRESS_SHOWN;
		if ((rc = reader_reread(g, v, 1, &leaks)))
			return rc;
		if (leaks) {
			g->marks[c] = SUPPRESS_SECONDARY;
			reader_restore(v);
		} else {
			comp_leaks -= before; /* those it had were in the scope */
		}
	}
	return 0;
}

/* ---- remembered across runs ------------------------------------------------------ */

/*
 * A component's clean-up depends on nothing outside it: every trial reads
 * a part of the component (gate_reader.c), the trials come in the order of
 * their values and then of their cells, and the cells of a component keep
 * their order from one run to the next however many other cells come
 * before. So its outcome is a function of the component alone: its counts
 * (value, printed, fixed, mark after the protection) in order and its sums
 * as positions among them, with the threshold and the gate's own version
 * (GATE_MEMO_VERSION, to change with any change to the reader or the
 * clean-up). The digest covers exactly that; `local` gets each of its cells'
 * position.
 */
#define GATE_MEMO_VERSION "parity gate clean-up 1"

static void digest_component(const gate *g, const reader *v, size_t comp, size_t *local,
                             char key[GATE_MEMO_KEY])
{
	sha256_ctx ctx;
	sha256_init(&ctx);
	sha256_update(&ctx, GATE_MEMO_VERSION, sizeof GATE_MEMO_VERSION);
	uint64_t head[4] = {g->threshold, g->policy,
	                    v->comp_cell_at[comp + 1] - v->comp_cell_at[comp],
	                    v->comp_rel_at[comp + 1] - v->comp_rel_at[comp]};
	sha256_update(&ctx, head, sizeof head);
	for (size_t k = v->comp_cell_at[comp]; k < v->comp_cell_at[comp + 1]; k++) {
		size_t c = v->comp_cells[k];
		local[c] = k - v->comp_cell_at[comp];
		unsigned char flags[3] = {g->printed[c], g->fixed[c], g->marks[c]};
		sha256_update(&ctx, &g->values[c], sizeof g->values[c]);
		sha256_update(&ctx, flags, sizeof flags);
	}
	for (size_t k = v->comp_rel_at[comp]; k < v->comp_rel_at[comp + 1]; k++) {
		const relation *rel = &g->rels[v->comp_rels[k]];
		uint64_t at[2] = {rel->count, local[rel->total]};
		sha256_update(&ctx, at, sizeof at);
		for (size_t q = 0; q < rel->count; q++) {
			uint64_t part = local[g->parts[rel->first + q]];
			sha256_update(&ctx, &part, sizeof part);
		}
	}
	sha256_final_hex(&ctx, key);
}

/* Apply the remembered outcome `data` (positions of the cells shown
 * again) to the component's trials order[0..n): only cells among them,
 * and only if the component then leaks no more than `comp_leaks` (as the
 * trials would leave it), read to make sure; else nothing is changed.
 * 1 when applied, 0 when not, or PARITY_ENOMEM. */
static int apply_memo(gate *g, reader *v, const size_t *order, size_t n,
                      size_t comp_leaks, const unsigned char *data, size_t len,
                      unsigned char *trial)
{
	size_t comp = v->comp[order[0]], first = v->comp_cell_at[comp];
	size_t size = v->comp_cell_at[comp + 1] - first, leaks = 0;
	int ok = len % 4 == 0;
	for (size_t k = 0; k < n; k++)
		trial[order[k]] = 1;
	for (size_t i = 0; ok && i < len; i += 4) {
		uint32_t at = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
		              (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
		size_t c = at < size ? v->comp_cells[first + at] : GATE_NONE;
		ok = c != GATE_NONE && trial[c] && g->marks[c] == SUPPRESS_SECONDARY;
		if (ok)
			g->marks[c] = SUPPRESS_SHOWN;
	}
	int rc = ok ? reader_read(g, v, comp, &leaks) : 0;
	if (!rc && ok && leaks <= comp_leaks) {
		for (size_t k = 0; k < n; k++)
			trial[order[k]] = 0;
		return 1;
	}
	/* Not this component's: put the marks back as they were. */
	for (size_t k = 0; k < n; k++) {
		trial[order[k]] = 0;
		g->marks[order[k]] = SUPPRESS_SECONDARY;
	}
	int again = reader_read(g, v, comp, &leaks);
	return rc ? rc : again;
}

/* The outcome of the component's trials order[0..n): the positions of the
 * cells shown again, four bytes each (little-endian), into the memo. */
static void keep_memo(gate *g, const size_t *order, size_t n, const size_t *local,
                      const char *key)
{
	unsigned char *data = malloc(4 * n + 1);
	size_t len = 0;
	if (!data)
		return; /* a cache: not remembered */
	for (size_t k = 0; k < n; k++) {
		if (g->marks[order[k]] != SUPPRESS_SHOWN)
			continue;
		uint32_t at = (uint32_t)local[order[k]];
		for (int b = 0; b < 4; b++)
			data[len++] = (unsigned char)(at >> (8 * b));
	}
	gate_memo_keep(g->memo, key, data, len);
	g->memo_kept++;
	free(data);
}

/* Put each component's trials together, keeping their order within it:
 * order[0..n) regrouped, components in the order their first trial comes
 * (`first`: room for one per cell, scratch). */
typedef struct placed {
	size_t group, at, cell;
} placed;

static int by_group(const void *a, const void *b)
{
	const placed *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

static int by_component(const reader *v, size_t *order, size_t n, size_t *first)
{
	placed *list = malloc((n + 1) * sizeof *list);
	if (!list)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	for (size_t k = 0; k < n; k++)
		first[v->comp[order[k]]] = GATE_NONE;
	for (size_t k = 0; k < n; k++) {
		size_t comp = v->comp[order[k]];
		if (first[comp] == GATE_NONE)
			first[comp] = k;
		list[k] = (placed){first[comp], k, order[k]};
	}
	qsort(list, n, sizeof *list, by_group);
	for (size_t k = 0; k < n; k++)
		order[k] = list[k].cell;
	free(list);
	return 0;
}

int gate_clean_up(gate *g, reader *v, size_t *order)
{
	size_t n = 0;
	for (size_t i = 0; i < g->count; i++) {
		size_t size = v->comp_cell_at[v->comp[i] + 1] - v->comp_cell_at[v->comp[i]];
		if (g->marks[i] == SUPPRESS_SECONDARY && !reader_sensitive(g, i) && !g->fixed[i] &&
		    size <= CLEAN_UP_MAX)
			order[n++] = i; /* a small count shown "[c]" stays hidden */
	}
	clean_up_values = g->values; /* largest first; equal ones by index */
	qsort(order, n, sizeof *order, larger_first);
	/* The leaks of each component now (none, unless protect gave up
	 * after its last round). */
	size_t *comp_leaks = calloc(g->count, sizeof *comp_leaks);
	size_t *local = NULL;
	unsigned char *trial = NULL;
	int rc = 0;
	if (!comp_leaks)
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	for (size_t i = 0; i < g->count; i++)
		comp_leaks[v->comp[i]] += reader_leaking(g, v, i) != 0;
	/* The components are independent: each one's trials in turn. */
	if ((rc = by_component(v, order, n, v->todo)))
		goto done;
	for (size_t a = 0, b; a < n && !rc; a = b) {
		size_t comp = v->comp[order[a]];
		for (b = a + 1; b < n && v->comp[order[b]] == comp; b++)
			;
		size_t size = v->comp_cell_at[comp + 1] - v->comp_cell_at[comp];
		char key[GATE_MEMO_KEY];
		int remember = g->memo && !g->check && (b - a) * size >= g->memo_work;
		if (remember && !local) {
			local = malloc(g->count * sizeof *local);
			trial = calloc(g->count, 1);
			if (!local || !trial) {
				rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
				break;
			}
		}
		if (remember) {
			unsigned char *data = NULL;
			size_t len = 0;
			digest_component(g, v, comp, local, key);
			if (gate_memo_find(g->memo, key, &data, &len)) {
				int applied = apply_memo(g, v, &order[a], b - a, comp_leaks[comp], data,
				                         len, trial);
				free(data);
				if (applied < 0)
					rc = applied;
				if (applied) {
					g->memo_found += applied > 0;
					continue;
				}
			}
		}
		rc = clean_component(g, v, &order[a], b - a, comp_leaks[comp]);
		if (!rc && remember)
			keep_memo(g, &order[a], b - a, local, key);
	}
done:
	free(comp_leaks);
	free(local);
	free(trial);
	return rc;
}
