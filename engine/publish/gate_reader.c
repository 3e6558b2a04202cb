/*
 * gate_reader.c: the reader the disclosure gate plays. From the printed
 * cells, the sums and what a mark tells (a "<5" count is 1 to 4, any count
 * 0 or more; an unprinted count of 0 is taken as guessed) it narrows every
 * other count by bounds, then solves the sums together (Gaussian
 * elimination), and says which small counts it has pinned down and which
 * printed cells let it.
 */
#include "gate_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int reader_sensitive(const gate *g, size_t i)
{
	return g->values[i] >= 1 && g->values[i] < g->threshold;
}

int reader_known(const gate *g, size_t i)
{
	return g->printed[i] ? g->marks[i] == SUPPRESS_SHOWN : g->values[i] == 0;
}

int reader_point(const reader *v, size_t i)
{
	return v->hi[i] - v->lo[i] < 0.5;
}

int reader_hideable(const gate *g, size_t i)
{
	return g->printed[i] && g->marks[i] != SUPPRESS_SECONDARY && !g->fixed[i];
}

int reader_leaking(const gate *g, const reader *v, size_t i)
{
	if (reader_known(g, i) || !reader_point(v, i) || !reader_sensitive(g, i))
		return 0;
	return !(g->printed[i] && g->threshold == 2); /* "<2" itself says 1 */
}

/* ---- opening: who sums with whom -------------------------------------------- */

size_t reader_find(size_t *parent, size_t a)
{
	while (parent[a] != a)
		a = parent[a] = parent[parent[a]];
	return a;
}

/* CSR of `count` items grouped by key[item] < keys: at[] offsets, list[]. */
static void group_by(size_t *list, size_t *at, const size_t *key, size_t count,
                     size_t keys)
{
	memset(at, 0, (keys + 1) * sizeof *at);
	for (size_t i = 0; i < count; i++)
		at[key[i] + 1]++;
	for (size_t k = 0; k < keys; k++)
		at[k + 1] += at[k];
	for (size_t i = 0; i < count; i++)
		list[at[key[i]]++] = i;
	for (size_t k = keys; k > 0; k--)
		at[k] = at[k - 1];
	at[0] = 0;
}

int reader_open(reader *v, const gate *g)
{
	size_t n = g->count, nr = g->rel_count;
	memset(v, 0, sizeof *v);
	v->lo = malloc(n * sizeof *v->lo);
	v->hi = malloc(n * sizeof *v->hi);
	v->why = malloc(n * sizeof *v->why);
	v->member_at = calloc(n + 1, sizeof *v->member_at);
	v->member_of = malloc((nr + g->part_count + 1) * sizeof *v->member_of);
	v->comp = malloc(n * sizeof *v->comp);
	v->comp_cells = malloc(n * sizeof *v->comp_cells);
	v->comp_cell_at = malloc((n + 1) * sizeof *v->comp_cell_at);
	v->comp_rels = malloc((nr + 1) * sizeof *v->comp_rels);
	v->comp_rel_at = malloc((n + 1) * sizeof *v->comp_rel_at);
	v->queue = malloc((nr + 1) * sizeof *v->queue);
	v->queued = calloc(nr + 1, 1);
	v->visits = calloc(nr + 1, 1);
	v->todo = malloc(n * sizeof *v->todo);
	v->seen = calloc(n, 1);
	int ok = v->lo && v->hi && v->why && v->member_at && v->member_of && v->comp &&
	         v->comp_cells && v->comp_cell_at && v->comp_rels && v->comp_rel_at &&
	         v->queue && v->queued && v->visits && v->todo && v->seen;
	for (size_t k = 0; k < READER_SCRATCH; k++)
		ok = ok && (v->scratch[k] = malloc((n > nr ? n : nr) * sizeof(size_t) + 8));
	if (!ok) {
		reader_close(v);
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	}
	/* The sums of each cell. */
	for (size_t r = 0; r < nr; r++) {
		v->member_at[g->rels[r].total + 1]++;
		for (size_t k = 0; k < g->rels[r].count; k++)
			v->member_at[g->parts[g->rels[r].first + k] + 1]++;
	}
	for (size_t i = 0; i < n; i++)
		v->member_at[i + 1] += v->member_at[i];
	size_t *fill = v->scratch[0];
	memset(fill, 0, n * sizeof *fill);
	for (size_t r = 0; r < nr; r++) {
		size_t t = g->rels[r].total;
		v->member_of[v->member_at[t] + fill[t]++] = r;
		for (size_t k = 0; k < g->rels[r].count; k++) {
			size_t c = g->parts[g->rels[r].first + k];
			v->member_of[v->member_at[c] + fill[c]++] = r;
		}
	}
	/* Components: cells joined by any sum. */
	for (size_t i = 0; i < n; i++)
		v->comp[i] = i;
	for (size_t r = 0; r < nr; r++)
		for (size_t k = 0; k < g->rels[r].count; k++) {
			size_t a = reader_find(v->comp, g->rels[r].total);
			size_t b = reader_find(v->comp, g->parts[g->rels[r].first + k]);
			v->comp[a] = b;
		}
	for (size_t i = 0; i < n; i++)
		v->comp[i] = reader_find(v->comp, i);
	size_t *rel_comp = v->scratch[1];
	for (size_t r = 0; r < nr; r++)
		rel_comp[r] = v->comp[g->rels[r].total];
	group_by(v->comp_cells, v->comp_cell_at, v->comp, n, n);
	group_by(v->comp_rels, v->comp_rel_at, rel_comp, nr, n);
	return 0;
}

void reader_close(reader *v)
{
	free(v->lo);
	free(v->hi);
	free(v->why);
	free(v->member_at);
	free(v->member_of);
	free(v->comp);
	free(v->comp_cells);
	free(v->comp_cell_at);
	free(v->comp_rels);
	free(v->comp_rel_at);
	free(v->queue);
	free(v->queued);
	free(v->visits);
	free(v->todo);
	free(v->seen);
	for (size_t k = 0; k < READER_SCRATCH; k++)
		free(v->scratch[k]);
	gate_solver_free(v->solver);
	free(v->scope_cells);
	free(v->scope_rels);
	free(v->saved_lo);
	free(v->saved_hi);
	free(v->saved_why);
	memset(v, 0, sizeof *v);
}

/* fmin and fmax for bounds, which are never NaN: inline comparisons
 * (libm's calls were a twentieth of the gate). */
static inline double lesser(double a, double b)
{
	return b < a ? b : a;
}

static inline double greater(double a, double b)
{
	return b > a ? b : a;
}

#define PROPAGATE_ROUNDS 6 /* readings of each sum per propagation, at most */

/* ---- bounds ------------------------------------------------------------------ */

static void start(const gate *g, reader *v, size_t i)
{
	v->why[i] = GATE_NONE;
	if (reader_known(g, i)) {
		v->lo[i] = v->hi[i] = (double)g->values[i];
	} else if (g->printed[i] && g->marks[i] == SUPPRESS_PRIMARY) {
		v->lo[i] = 1;
		v->hi[i] = (double)(g->threshold - 1);
	} else {
		v->lo[i] = 0;
		v->hi[i] = GATE_UNBOUNDED;
	}
}

static int narrow(reader *v, size_t i, double lo, double hi, size_t why)
{
	int changed = 0;
	if (lo > v->lo[i] + 0.5) {
		v->lo[i] = lo;
		changed = 1;
	}
	if (hi < v->hi[i] - 0.5) {
		v->hi[i] = hi;
		changed = 1;
	}
	if (changed && v->hi[i] - v->lo[i] < 0.5)
		v->why[i] = why;
	return changed;
}

static void enqueue_sums_of(reader *v, size_t cell)
{
	for (size_t k = v->member_at[cell]; k < v->member_at[cell + 1]; k++) {
		size_t r = v->member_of[k];
		if (!v->queued[r]) {
			v->queued[r] = 1;
			v->queue[++v->queue[0]] = r;
		}
	}
}

/* Total within the parts' bounds, each part within the total's less the
 * other parts', over the sums `rels[0..count)`, until nothing narrows. */
static void propagate(const gate *g, reader *v, const size_t *rels, size_t count)
{
	v->queue[0] = 0;
	for (size_t k = 0; k < count; k++) {
		v->queued[rels[k]] = 1;
		v->queue[++v->queue[0]] = rels[k];
	}
	/* A sum's own narrowing does not queue it again (one pass over a sum
	 * reaches what it alone can tell), and no sum is read more than
	 * PROPAGATE_ROUNDS times per call: bounds creep by small steps
	 * round a loop of sums, and the elimination that follows pins what
	 * they would. */
	unsigned char *visits = v->visits;
	for (size_t k = 0; k < count; k++)
		visits[rels[k]] = 0;
	while (v->queue[0]) {
		size_t r = v->queue[v->queue[0]--];
		if (visits[r]++ >= PROPAGATE_ROUNDS) {
			v->queued[r] = 0;
			continue;
		}
		const relation *rel = &g->rels[r];
		const size_t *p = &g->parts[rel->first];
		double slo = 0, shi = 0;
		for (size_t k = 0; k < rel->count; k++) {
			slo += v->lo[p[k]];
			shi = lesser(GATE_UNBOUNDED, shi + v->hi[p[k]]);
		}
		size_t t = rel->total;
		if (narrow(v, t, greater(v->lo[t], slo), lesser(v->hi[t], shi), r))
			enqueue_sums_of(v, t);
		for (size_t k = 0; k < rel->count; k++) {
			size_t c = p[k];
			double other_lo = slo - v->lo[c];
			double other_hi = shi >= GATE_UNBOUNDED ? GATE_UNBOUNDED : shi - v->hi[c];
			double lo = other_hi >= GATE_UNBOUNDED ? v->lo[c] : v->lo[t] - other_hi;
			double hi = v->hi[t] >= GATE_UNBOUNDED ? v->hi[c] : v->hi[t] - other_lo;
			if (narrow(v, c, greater(v->lo[c], lo), lesser(v->hi[c], hi), r))
				enqueue_sums_of(v, c);
		}
		v->queued[r] = 0; /* after its own narrowing: not queued by it */
	}
	while (v->queue[0])
		v->queued[v->queue[v->queue[0]--]] = 0;
}

/* Play the reader over `cells` and the sums `rels` that hold them (every
 * open cell of those sums among the cells): bounds, the sums solved
 * together, bounds again; *leaks gets the small counts pinned among them.
 * With `first_leak`, stop at the first one pinned (*leaks 1, the reading
 * unfinished): each step only pins more, so it stays pinned. Returns 0 or
 * PARITY_ENOMEM. */
static int read_cells(const gate *g, reader *v, const size_t *cells, size_t ncell,
                      const size_t *rels, size_t nrel, int first_leak, size_t *leaks)
{
	int stopped = 0;
	*leaks = 0;
	for (size_t k = 0; k < ncell; k++)
		start(g, v, cells[k]);
	propagate(g, v, rels, nrel);
	for (size_t k = 0; k < ncell && first_leak; k++)
		if (reader_leaking(g, v, cells[k])) {
			*leaks = 1;
			return 0;
		}
	int rc = gate_eliminate(g, v, cells, ncell, rels, nrel, first_leak ? &stopped : NULL);
	if (rc || stopped) {
		*leaks = stopped != 0;
		return rc;
	}
	propagate(g, v, rels, nrel);
	for (size_t k = 0; k < ncell; k++)
		*leaks += reader_leaking(g, v, cells[k]) != 0;
	return 0;
}

int reader_read(const gate *g, reader *v, size_t comp, size_t *leaks)
{
	if (comp == READ_ALL) {
		/* Every component in turn: the same as one at a time. */
		*leaks = 0;
		for (size_t c = 0; c < g->count; c++) {
			size_t part = 0;
			if (v->comp_cell_at[c] == v->comp_cell_at[c + 1])
				continue;
			int rc = reader_read(g, v, c, &part);
			if (rc)
				return rc;
			*leaks += part;
		}
		return 0;
	}
	return read_cells(g, v, &v->comp_cells[v->comp_cell_at[comp]],
	                  v->comp_cell_at[comp + 1] - v->comp_cell_at[comp],
	                  &v->comp_rels[v->comp_rel_at[comp]],
	                  v->comp_rel_at[comp + 1] - v->comp_rel_at[comp], 0, leaks);
}

/* ---- reading again what one cell's mark moves ------------------------------------------- */

/*
 * Why a part of a component can be read alone. A count the reader knows
 * (printed, or an unprinted 0) starts at its value and no sum moves it (the
 * bounds are always true ones), so nothing passes through it: the counts it
 * does not know fall into groups tied by sums through such counts only, and
 * every step of a read (a sum's bounds, a system solved together) touches
 * one group. The queue of sums is a stack, so the steps within a group come
 * in the same order whatever the others do. A read of one group's cells and
 * sums, each list in the component's order (ascending: see group_by), is
 * therefore the whole read's on that group, step for step, and the other
 * groups keep what the last read gave them. Changing one cell's mark moves
 * the group it is in, or would be in if unknown: the scope.
 */

static int cmp_index(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Put `list` (n items, each flagged in `flag`) in ascending order and
 * clear their flags: by reading `all` (the component's, ascending) when
 * the list is a good part of it, else by sorting. */
static void in_order(size_t *list, size_t n, unsigned char *flag, const size_t *all,
                     size_t count)
{
	if (n * 8 >= count) {
		size_t k = 0;
		for (size_t i = 0; i < count && k < n; i++)
			if (flag[all[i]]) {
				flag[all[i]] = 0;
				list[k++] = all[i];
			}
		return;
	}
	for (size_t k = 0; k < n; k++)
		flag[list[k]] = 0;
	qsort(list, n, sizeof *list, cmp_index);
}

static int scope_room(reader *v, size_t cells, size_t rels)
{
	if (cells > v->scope_cell_room) {
		size_t room = cells * 2;
		size_t *list = realloc(v->scope_cells, room * sizeof *list);
		if (list)
			v->scope_cells = list;
		double *lo = realloc(v->saved_lo, room * sizeof *lo);
		if (lo)
			v->saved_lo = lo;
		double *hi = realloc(v->saved_hi, room * sizeof *hi);
		if (hi)
			v->saved_hi = hi;
		size_t *why = realloc(v->saved_why, room * sizeof *why);
		if (why)
			v->saved_why = why;
		if (!list || !lo || !hi || !why)
			return -1;
		v->scope_cell_room = room;
	}
	if (rels > v->scope_rel_room) {
		size_t room = rels * 2;
		size_t *list = realloc(v->scope_rels, room * sizeof *list);
		if (!list)
			return -1;
		v->scope_rels = list;
		v->scope_rel_room = room;
	}
	return 0;
}

int reader_scope(const gate *g, reader *v, size_t cell, size_t *leaks)
{
	size_t nc = 0, nr = 0;
	/* v->seen marks the cells listed, v->queued the sums (both all 0
	 * between calls, as reader_around and propagate leave them). */
	if (scope_room(v, 64, 64))
		goto nomem;
	v->scope_cells[nc++] = cell;
	v->seen[cell] = 1;
	for (size_t h = 0; h < nc; h++) {
		size_t x = v->scope_cells[h];
		for (size_t k = v->member_at[x]; k < v->member_at[x + 1]; k++) {
			size_t r = v->member_of[k];
			if (v->queued[r])
				continue;
			const relation *rel = &g->rels[r];
			if (scope_room(v, nc + rel->count + 1, nr + 1))
				goto nomem;
			v->queued[r] = 1;
			v->scope_rels[nr++] = r;
			for (size_t q = 0; q <= rel->count; q++) {
				size_t y = q < rel->count ? g->parts[rel->first + q] : rel->total;
				if (!v->seen[y] && !reader_known(g, y)) {
					v->seen[y] = 1;
					v->scope_cells[nc++] = y;
				}
			}
		}
	}
	size_t comp = v->comp[cell];
	in_order(v->scope_cells, nc, v->seen, &v->comp_cells[v->comp_cell_at[comp]],
	         v->comp_cell_at[comp + 1] - v->comp_cell_at[comp]);
	in_order(v->scope_rels, nr, v->queued, &v->comp_rels[v->comp_rel_at[comp]],
	         v->comp_rel_at[comp + 1] - v->comp_rel_at[comp]);
	v->scope_cell_count = nc;
	v->scope_rel_count = nr;
	*leaks = 0;
	for (size_t k = 0; k < nc; k++)
		*leaks += reader_leaking(g, v, v->scope_cells[k]) != 0;
	return 0;
nomem:
	for (size_t k = 0; k < nc; k++)
		v->seen[v->scope_cells[k]] = 0;
	for (size_t k = 0; k < nr; k++)
		v->queued[v->scope_rels[k]] = 0;
	v->scope_cell_count = v->scope_rel_count = 0;
	return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
}

void reader_save(reader *v)
{
	for (size_t k = 0; k < v->scope_cell_count; k++) {
		size_t c = v->scope_cells[k];
		v->saved_lo[k] = v->lo[c];
		v->saved_hi[k] = v->hi[c];
		v->saved_why[k] = v->why[c];
	}
}

void reader_restore(reader *v)
{
	for (size_t k = 0; k < v->scope_cell_count; k++) {
		size_t c = v->scope_cells[k];
		v->lo[c] = v->saved_lo[k];
		v->hi[c] = v->saved_hi[k];
		v->why[c] = v->saved_why[k];
	}
}

/* gate->check: read the whole component after a partial reading (whose
 * leaks were `leaks`, finished unless `stopped`) and count in
 * v->check_failures each cell that differs, in or out of the scope. The
 * whole reading's state is kept. 0 or PARITY_ENOMEM. */
static int check_reread(const gate *g, reader *v, int stopped, size_t leaks)
{
	size_t comp = v->comp[v->scope_cells[0]], first = v->comp_cell_at[comp];
	size_t n = v->comp_cell_at[comp + 1] - first, whole = 0, in_scope = 0;
	double *lo = malloc(n * sizeof *lo), *hi = malloc(n * sizeof *hi);
	size_t *why = malloc(n * sizeof *why);
	int rc = 0;
	if (!lo || !hi || !why) {
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		goto done;
	}
	for (size_t k = 0; k < n; k++) {
		size_t c = v->comp_cells[first + k];
		lo[k] = v->lo[c];
		hi[k] = v->hi[c];
		why[k] = v->why[c];
	}
	if ((rc = reader_read(g, v, comp, &whole)))
		goto done;
	for (size_t k = 0; k < v->scope_cell_count; k++)
		in_scope += reader_leaking(g, v, v->scope_cells[k]) != 0;
	v->checked++;
	if (stopped ? in_scope == 0 : in_scope != leaks)
		v->check_failures++;
	for (size_t k = 0; k < n && !stopped; k++) {
		size_t c = v->comp_cells[first + k];
		if (lo[k] != v->lo[c] || hi[k] != v->hi[c] || why[k] != v->why[c])
			v->check_failures++;
	}
done:
	free(lo);
	free(hi);
	free(why);
	return rc;
}

int reader_reread(const gate *g, reader *v, int first_leak, size_t *leaks)
{
	int rc = read_cells(g, v, v->scope_cells, v->scope_cell_count, v->scope_rels,
	                    v->scope_rel_count, first_leak, leaks);
	if (!rc && g->check)
		rc = check_reread(g, v, first_leak && *leaks, *leaks);
	return rc;
}

size_t reader_derived_in(const gate *g, const reader *v, size_t r)
{
	size_t n = 0;
	if (r == GATE_NONE)
		return (size_t)-1 / 2;
	const relation *rel = &g->rels[r];
	for (size_t q = 0; q <= rel->count; q++) {
		size_t c = q < rel->count ? g->parts[rel->first + q] : rel->total;
		n += reader_point(v, c) && !reader_known(g, c);
	}
	return n;
}

/* ---- candidates ------------------------------------------------------------------ */

size_t reader_around(const gate *g, reader *v, size_t leak, size_t *out,
                     size_t limit)
{
	size_t head = 0, tail = 0, n = 0;
	v->todo[tail++] = leak;
	v->seen[leak] = 1;
	while (head < tail && n < limit) {
		size_t cell = v->todo[head++];
		size_t first = v->why[cell];
		for (size_t k = v->member_at[cell];
		     k <= v->member_at[cell + 1] && n < limit; k++) {
			/* The pinning sum first, then the cell's others. */
			size_t r = k == v->member_at[cell] ? first : v->member_of[k - 1];
			if (r == GATE_NONE || (k > v->member_at[cell] && r == first))
				continue;
			const relation *rel = &g->rels[r];
			for (size_t q = 0; q <= rel->count && n < limit; q++) {
				size_t c = q < rel->count ? g->parts[rel->first + q] : rel->total;
				if (v->seen[c])
					continue;
				/* A printed cell to hide (or a "<5" to show as
				 * "[c]"); a count worked out, to look behind. */
				int hide = reader_hideable(g, c);
				int behind = reader_point(v, c) && !reader_known(g, c);
				if (hide || behind)
					v->seen[c] = 1;
				if (hide)
					out[n++] = c;
				if (behind)
					v->todo[tail++] = c;
			}
		}
	}
	for (size_t i = 0; i < tail; i++)
		v->seen[v->todo[i]] = 0;
	for (size_t i = 0; i < n; i++)
		v->seen[out[i]] = 0;
	return n;
}

size_t reader_tied(const gate *g, reader *v, size_t leak, size_t *out, size_t limit)
{
	size_t n = 0, c = v->comp[leak];
	for (size_t k = v->comp_cell_at[c]; k < v->comp_cell_at[c + 1] && n < limit; k++) {
		size_t i = v->comp_cells[k];
		if (i != leak && reader_hideable(g, i))
			out[n++] = i;
	}
	return n;
}

/*
 * The printed cells one linear derivation of `leak` reads: the sums
 * reachable from it through cells the reader does not read, solved
 * together with each row's combination of sums tracked (an identity block
 * beside the matrix); the row that leaves `leak` alone says which sums a
 * reader adds up, and so which printed cells the derivation reads. Hiding
 * one of them cuts that derivation. 0 when `leak` needs bounds too, or
 * the system is too big.
 */
/* The derivation over at most `cap` sums reached from `leak` breadth
 * first (all of their unknown counts as columns): a combination of some
 * of the sums is a derivation as good as one of all of them, and a small
 * system is cheap to solve. */
static size_t derivation_within(const gate *g, const reader *v, size_t leak,
                                size_t *out, size_t limit, size_t cap, int *whole)
{
	size_t nc = 0, nr = 0, found = 0, width, col_cap = 4 * cap + 64;
	size_t *col = malloc(g->count * sizeof *col);
	size_t *cells = malloc(col_cap * sizeof *cells);
	size_t *rows = malloc(cap * sizeof *rows);
	size_t *piv = malloc((cap + 1) * sizeof *piv);
	unsigned char *row_in = calloc(g->rel_count + 1, 1);
	double *m = NULL, *sum = NULL;
	*whole = 1;
	if (!col || !cells || !rows || !piv || !row_in)
		goto done;
	for (size_t i = 0; i < g->count; i++)
		col[i] = GATE_NONE;
	col[leak] = nc;
	cells[nc++] = leak;
	for (size_t head = 0; head < nc && nr < cap; head++) {
		size_t cell = cells[head];
		for (size_t k = v->member_at[cell]; k < v->member_at[cell + 1] && nr < cap; k++) {
			size_t r = v->member_of[k];
			if (row_in[r])
				continue;
			const relation *rel = &g->rels[r];
			size_t fresh = 0;
			for (size_t q = 0; q <= rel->count; q++) {
				size_t c = q < rel->count ? g->parts[rel->first + q] : rel->total;
				fresh += !reader_known(g, c) && col[c] == GATE_NONE;
			}
			if (nc + fresh > col_cap)
				continue; /* a sum too wide for this system */
			row_in[r] = 1;
			rows[nr++] = r;
			for (size_t q = 0; q <= rel->count; q++) {
				size_t c = q < rel->count ? g->parts[rel->first + q] : rel->total;
				if (reader_known(g, c) || col[c] != GATE_NONE)
					continue;
				col[c] = nc;
				cells[nc++] = c;
			}
		}
	}
	*whole = nr < cap;
	width = nc + nr;
	m = calloc(nr * width, sizeof *m);
	if (!m)
		goto done;
	for (size_t a = 0; a < nr; a++) {
		const relation *rel = &g->rels[rows[a]];
		if (col[rel->total] != GATE_NONE)
			m[a * width + col[rel->total]] -= 1;
		for (size_t q = 0; q < rel->count; q++) {
			size_t c = g->parts[rel->first + q];
			if (col[c] != GATE_NONE)
				m[a * width + col[c]] += 1;
		}
		m[a * width + nc + a] = 1;
	}
	/* The identity block follows every row operation. */
	size_t rank = gate_reduce_dense(m, nr, nc, width, piv), leak_row = GATE_NONE;
	if (rank && piv[0] == 0)
		leak_row = 0;
	if (leak_row == GATE_NONE)
		goto done;
	for (size_t k = 1; k < nc; k++)
		if (fabs(m[leak_row * width + k]) > 1e-9)
			goto done; /* not alone: no linear derivation */
	/* The printed cells the combination reads. */
	sum = calloc(g->count, sizeof *sum);
	if (!sum)
		goto done;
	for (size_t a = 0; a < nr; a++) {
		double y = m[leak_row * width + nc + a];
		const relation *rel = &g->rels[rows[a]];
		if (fabs(y) < 1e-12)
			continue;
		sum[rel->total] -= y;
		for (size_t q = 0; q < rel->count; q++)
			sum[g->parts[rel->first + q]] += y;
	}
	for (size_t a = 0; a < nr && found < limit; a++) {
		const relation *rel = &g->rels[rows[a]];
		for (size_t q = 0; q <= rel->count && found < limit; q++) {
			size_t c = q < rel->count ? g->parts[rel->first + q] : rel->total;
			if (c != leak && fabs(sum[c]) > 1e-9 && reader_hideable(g, c)) {
				sum[c] = 0; /* once */
				out[found++] = c;
			}
		}
	}
done:
	free(col);
	free(cells);
	free(rows);
	free(piv);
	free(row_in);
	free(m);
	free(sum);
	return found;
}

size_t reader_derivation(const gate *g, const reader *v, size_t leak, size_t *out,
                         size_t limit)
{
	/* Small systems first: most derivations are a sum or two. */
	for (size_t cap = 8; cap <= GATE_ELIMINATION_MAX; cap *= 4) {
		int whole = 0;
		size_t n = derivation_within(g, v, leak, out, limit, cap, &whole);
		if (n || whole)
			return n;
	}
	return 0;
}
