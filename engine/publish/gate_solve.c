/*
 * gate_solve.c: the reader's algebra: the sums over the counts it does not
 * know, solved together (Gauss-Jordan elimination), to find the counts that
 * some combination of sums leaves alone. Each sum holds a few counts and
 * little fills in, so the elimination keeps each row as a sorted list of its
 * non-zero entries and each column as a list of its rows, and does on those
 * entries exactly the arithmetic the dense elimination does (the same
 * operations, in the same order, on the same numbers): its results, and so
 * the gate's decisions, are the dense one's, at a small part of its cost.
 */
#include "gate_internal.h"

#include "parity/common.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Dense reduced row echelon form of the nr x width matrix `m` over its
 * first `nc` columns, partial pivoting; pivot columns into piv[]. Returns
 * the rank. The sparse elimination below repeats its arithmetic. */
size_t gate_reduce_dense(double *m, size_t nr, size_t nc, size_t width, size_t *piv)
{
	size_t rank = 0;
	for (size_t c = 0; c < nc && rank < nr; c++) {
		size_t best = rank;
		for (size_t a = rank + 1; a < nr; a++)
			if (fabs(m[a * width + c]) > fabs(m[best * width + c]))
				best = a;
		if (fabs(m[best * width + c]) < 1e-9)
			continue;
		if (best != rank)
			for (size_t k = 0; k < width; k++) {
				double t = m[rank * width + k];
				m[rank * width + k] = m[best * width + k];
				m[best * width + k] = t;
			}
		double p = m[rank * width + c];
		for (size_t k = c; k < width; k++)
			m[rank * width + k] /= p;
		for (size_t a = 0; a < nr; a++) {
			double f = m[a * width + c];
			if (a == rank || fabs(f) < 1e-12)
				continue;
			for (size_t k = c; k < width; k++)
				m[a * width + k] -= f * m[rank * width + k];
		}
		piv[rank++] = c;
	}
	return rank;
}

/* ---- the sparse matrix ----------------------------------------------------------- */

typedef struct entry {
	double value;
	uint32_t col;
} entry;

typedef struct col_node {
	uint32_t row;           /* a row that has (or had) an entry in the column */
	uint32_t next;          /* the column's next node, or NO_NODE */
} col_node;

#define NO_NODE UINT32_MAX
#define SOLVE_MAX (GATE_ELIMINATION_MAX + 1) /* rows or columns of one system */

/*
 * The rows are runs of entries in `pool`, sorted by column, with no zero
 * entry (a zero the dense matrix holds is no entry here: every operation on
 * it gives zero again, or what it would give on 0). A row that outgrows its
 * run moves to the pool's end. The columns are linked lists of rows; a row
 * whose entry cancelled stays listed (and may be listed again when it
 * fills in anew), so a column's rows are read once each by `stamp`.
 */
/*
 * The systems solved, remembered: a trial moves a few cells, and the
 * systems it does not reach come round again unchanged. A system is its
 * open cells (ascending): they say its rows (every sum holding one of them,
 * ascending) and its entries, so the same cells give the same matrix and
 * the same cells worked out. Only systems of MEMO_MIN_CELLS or more are
 * kept (smaller ones cost less to solve than to look up), in at most
 * MEMO_WORDS words; when full, all are forgotten.
 */
#define MEMO_MIN_CELLS 48
#define MEMO_SLOTS 8192          /* power of two; half used at most */
#define MEMO_WORDS (4u << 20)    /* 16 MiB of cell indexes */

typedef struct memo_slot {
	uint64_t hash;
	uint32_t at;            /* the system's cells in `words`, then those worked out */
	uint32_t cells, found;
} memo_slot;

struct gate_solver {
	memo_slot *slots;       /* MEMO_SLOTS; cells 0: empty */
	size_t slot_used;
	uint32_t *words;
	size_t word_used;

	entry *pool;
	size_t pool_used, pool_room;
	size_t row_at[SOLVE_MAX], row_len[SOLVE_MAX], row_room[SOLVE_MAX];
	size_t perm[SOLVE_MAX];    /* the row at each position (the dense row order) */
	size_t pos[SOLVE_MAX];     /* the position of each row */
	size_t stamp[SOLVE_MAX];   /* the column (+ 1) that last updated each row */
	size_t at[SOLVE_MAX];      /* each row's entries before the column reached */
	uint32_t col_head[SOLVE_MAX];
	col_node *nodes;
	size_t node_used, node_room;
	entry *merged;             /* a row being rebuilt */
	size_t merged_room;
};

void gate_solver_free(gate_solver *s)
{
	if (!s)
		return;
	free(s->pool);
	free(s->nodes);
	free(s->merged);
	free(s->slots);
	free(s->words);
	free(s);
}

static int list_row(gate_solver *s, size_t col, size_t row)
{
	if (s->node_used == s->node_room) {
		size_t room = s->node_room ? s->node_room * 2 : 4096;
		col_node *nodes = realloc(s->nodes, room * sizeof *nodes);
		if (!nodes)
			return -1;
		s->nodes = nodes;
		s->node_room = room;
	}
	s->nodes[s->node_used] = (col_node){(uint32_t)row, s->col_head[col]};
	s->col_head[col] = (uint32_t)s->node_used++;
	return 0;
}

/* Room for `count` entries of row `row` (its entries kept). 0 or -1. */
static int row_room(gate_solver *s, size_t row, size_t count)
{
	if (count <= s->row_room[row])
		return 0;
	size_t room = count * 2;
	if (s->pool_used + room > s->pool_room) {
		size_t grown = s->pool_room ? s->pool_room : 16384;
		while (grown < s->pool_used + room)
			grown *= 2;
		entry *pool = realloc(s->pool, grown * sizeof *pool);
		if (!pool)
			return -1;
		s->pool = pool;
		s->pool_room = grown;
	}
	memcpy(&s->pool[s->pool_used], &s->pool[s->row_at[row]],
	       s->row_len[row] * sizeof *s->pool);
	s->row_at[row] = s->pool_used;
	s->row_room[row] = room;
	s->pool_used += room;
	return 0;
}

/* The index in row `row` of its first entry at column `col` or after. */
static size_t first_from(const gate_solver *s, size_t row, size_t col)
{
	const entry *e = &s->pool[s->row_at[row]];
	size_t lo = 0, hi = s->row_len[row];
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (e[mid].col < col)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The index in row `row` of its first entry at column `col` or after, `col`
 * the column the elimination is at. The columns come in order, and a row
 * gains and loses entries only at the pivot's column and after (its entries
 * before stay where they are), so each row's place only moves forward: no
 * search. */
static size_t place(gate_solver *s, size_t row, size_t col)
{
	const entry *e = &s->pool[s->row_at[row]];
	size_t i = s->at[row], n = s->row_len[row];
	while (i < n && e[i].col < col)
		i++;
	s->at[row] = i;
	return i;
}

/* Row `row`'s entry at column `col`, the column the elimination is at. */
static double value_at(gate_solver *s, size_t row, size_t col)
{
	size_t i = place(s, row, col);
	const entry *e = &s->pool[s->row_at[row]];
	return i < s->row_len[row] && e[i].col == col ? e[i].value : 0.0;
}

/* Row `row` less `f` times the pivot row `pivot` from its entry `from`
 * on (the dense m[a][k] -= f * m[rank][k] for k from the pivot column).
 * 0, or -1 when out of memory. */
static int subtract(gate_solver *s, size_t row, size_t pivot, size_t from, double f)
{
	size_t la = s->row_len[row], lp = s->row_len[pivot], n = 0;
	if (la + lp > s->merged_room) {
		size_t room = (la + lp) * 2;
		entry *merged = realloc(s->merged, room * sizeof *merged);
		if (!merged)
			return -1;
		s->merged = merged;
		s->merged_room = room;
	}
	const entry *a = &s->pool[s->row_at[row]], *p = &s->pool[s->row_at[pivot]];
	size_t i = 0, j = from;
	while (i < la || j < lp) {
		if (j == lp || (i < la && a[i].col < p[j].col)) {
			s->merged[n++] = a[i++];
			continue;
		}
		double x;
		uint32_t col = p[j].col;
		int fresh = i == la || p[j].col < a[i].col;
		if (fresh)
			x = 0.0 - f * p[j].value;
		else
			x = a[i++].value - f * p[j].value;
		j++;
		if (x != 0.0) {
			s->merged[n++] = (entry){x, col};
			if (fresh && list_row(s, col, row))
				return -1;
		}
	}
	if (row_room(s, row, n))
		return -1;
	memcpy(&s->pool[s->row_at[row]], s->merged, n * sizeof *s->merged);
	s->row_len[row] = n;
	return 0;
}

/* gate_reduce_dense on the sparse matrix of nr rows and nc columns: pivot
 * columns into piv[], positions into s->perm. Returns the rank, or
 * (size_t)-1 when out of memory. */
static size_t reduce_sparse(gate_solver *s, size_t nr, size_t nc, size_t *piv)
{
	size_t rank = 0;
	for (size_t c = 0; c < nc && rank < nr; c++) {
		/* The largest entry from position `rank` down, the first of equals. */
		size_t best = s->perm[rank];
		double best_abs = fabs(value_at(s, best, c));
		for (uint32_t k = s->col_head[c]; k != NO_NODE; k = s->nodes[k].next) {
			size_t a = s->nodes[k].row;
			if (s->pos[a] <= rank)
				continue;
			double x = fabs(value_at(s, a, c));
			if (x > best_abs || (x == best_abs && s->pos[a] < s->pos[best])) {
				best = a;
				best_abs = x;
			}
		}
		if (best_abs < 1e-9)
			continue;
		size_t was = s->perm[rank], at = s->pos[best];
		s->perm[rank] = best;
		s->pos[best] = rank;
		s->perm[at] = was;
		s->pos[was] = at;
		size_t from = place(s, best, c);
		entry *e = &s->pool[s->row_at[best]];
		double p = e[from].value;
		for (size_t k = from; k < s->row_len[best]; k++)
			e[k].value /= p;
		for (uint32_t k = s->col_head[c]; k != NO_NODE; k = s->nodes[k].next) {
			size_t a = s->nodes[k].row;
			if (a == best || s->stamp[a] == c + 1)
				continue;
			s->stamp[a] = c + 1;
			double f = value_at(s, a, c);
			if (fabs(f) < 1e-12)
				continue;
			if (subtract(s, a, best, from, f))
				return (size_t)-1;
		}
		piv[rank++] = c;
	}
	return rank;
}

/* The sparse matrix of the sums `rows[0..nr)` over the open cells, whose
 * columns are col[]: -1 for the total, +1 for each part, as the dense one
 * adds them up. 0 or -1. */
static int load(gate_solver *s, const gate *g, const reader *v, const size_t *rows,
                size_t nr, size_t nc, const size_t *col)
{
	s->pool_used = s->node_used = 0;
	for (size_t c = 0; c < nc; c++)
		s->col_head[c] = NO_NODE;
	for (size_t a = 0; a < nr; a++) {
		const relation *rel = &g->rels[rows[a]];
		size_t n = 0;
		s->perm[a] = s->pos[a] = a;
		s->stamp[a] = 0;
		s->at[a] = 0;
		s->row_at[a] = s->pool_used;
		s->row_len[a] = s->row_room[a] = 0;
		if (row_room(s, a, rel->count + 1))
			return -1;
		entry *e = &s->pool[s->row_at[a]];
		for (size_t q = 0; q <= rel->count; q++) {
			size_t cell = q ? g->parts[rel->first + q - 1] : rel->total;
			if (reader_point(v, cell))
				continue;
			uint32_t column = (uint32_t)col[cell];
			double add = q ? 1.0 : -1.0;
			size_t i = n;
			while (i > 0 && e[i - 1].col > column)
				i--;
			if (i > 0 && e[i - 1].col == column) {
				e[i - 1].value += add; /* a cell twice in one sum */
				continue;
			}
			memmove(&e[i + 1], &e[i], (n - i) * sizeof *e);
			e[i] = (entry){add, column};
			n++;
		}
		size_t kept = 0;
		for (size_t i = 0; i < n; i++)
			if (e[i].value != 0.0) {
				e[kept++] = e[i];
				if (list_row(s, e[i].col, a))
					return -1;
			}
		s->row_len[a] = kept;
	}
	return 0;
}

static uint64_t memo_hash(const size_t *cells, size_t n)
{
	uint64_t h = UINT64_C(1469598103934665603);
	for (size_t k = 0; k < n; k++) {
		h = (h ^ cells[k]) * UINT64_C(1099511628211);
		h ^= h >> 29;
	}
	return h | 1;
}

/* The slot of the system of `cells`: its own, or the empty one to fill. */
static memo_slot *memo_find(gate_solver *s, const size_t *cells, size_t n, uint64_t h)
{
	size_t mask = MEMO_SLOTS - 1, i = (size_t)h & mask;
	for (;; i = (i + 1) & mask) {
		memo_slot *slot = &s->slots[i];
		if (!slot->cells)
			return slot;
		if (slot->hash != h || slot->cells != n)
			continue;
		const uint32_t *key = &s->words[slot->at];
		size_t k = 0;
		while (k < n && key[k] == cells[k])
			k++;
		if (k == n)
			return slot;
	}
}

/* Remember that the system of `cells` works out `found` in `slot` (from
 * memo_find). Out of memory, it is not remembered: nothing is lost. */
static void memo_keep(gate_solver *s, memo_slot *slot, uint64_t h, const size_t *cells,
                     size_t n, const size_t *found, size_t nfound)
{
	if (!s->words && !(s->words = malloc(MEMO_WORDS * sizeof *s->words)))
		return;
	if (n + nfound > MEMO_WORDS)
		return;
	if (s->word_used + n + nfound > MEMO_WORDS || s->slot_used * 2 >= MEMO_SLOTS) {
		memset(s->slots, 0, MEMO_SLOTS * sizeof *s->slots);
		s->slot_used = s->word_used = 0;
		slot = memo_find(s, cells, n, h);
	}
	uint32_t *w = &s->words[s->word_used];
	for (size_t k = 0; k < n; k++)
		w[k] = (uint32_t)cells[k];
	for (size_t k = 0; k < nfound; k++)
		w[n + k] = (uint32_t)found[k];
	*slot = (memo_slot){h, (uint32_t)s->word_used, (uint32_t)n, (uint32_t)nfound};
	s->word_used += n + nfound;
	s->slot_used++;
}

/* Solve the system of the open cells list[0..nc) and the sums rows[0..nr)
 * (col[] each cell's column): the cells worked out into found[], their
 * count into *nfound. 0 or -1 when out of memory. */
static int solve(gate_solver *s, const gate *g, const reader *v, const size_t *list,
                 size_t nc, const size_t *rows, size_t nr, const size_t *col,
                 size_t *piv, size_t *found, size_t *nfound)
{
	*nfound = 0;
	if (load(s, g, v, rows, nr, nc, col))
		return -1;
	size_t rank = reduce_sparse(s, nr, nc, piv);
	if (rank == (size_t)-1)
		return -1;
	/* A row left with one cell works that cell out. */
	for (size_t a = 0; a < rank; a++) {
		size_t row = s->perm[a], nonzero = 0;
		const entry *e = &s->pool[s->row_at[row]];
		for (size_t i = first_from(s, row, piv[a]); i < s->row_len[row] && nonzero < 2; i++)
			nonzero += fabs(e[i].value) > 1e-9;
		if (nonzero == 1)
			found[(*nfound)++] = list[piv[a]];
	}
	return 0;
}

/* gate->check: the cells the dense elimination (gate_reduce_dense, whose
 * arithmetic the sparse one repeats) works out of the same system, into
 * *out (the caller frees) and their count into *count. 0 or -1 when out of
 * memory. */
static int solve_dense(const gate *g, const reader *v, const size_t *list, size_t nc,
                       const size_t *rows, size_t nr, const size_t *col, size_t **out,
                       size_t *count)
{
	double *m = calloc(nr * nc, sizeof *m);
	size_t *piv = malloc((nr + 1) * sizeof *piv);
	*out = malloc((nr + 1) * sizeof **out);
	*count = 0;
	if (!m || !piv || !*out) {
		free(m);
		free(piv);
		free(*out);
		*out = NULL;
		return -1;
	}
	for (size_t a = 0; a < nr; a++) {
		const relation *rel = &g->rels[rows[a]];
		if (!reader_point(v, rel->total))
			m[a * nc + col[rel->total]] -= 1;
		for (size_t q = 0; q < rel->count; q++) {
			size_t c = g->parts[rel->first + q];
			if (!reader_point(v, c))
				m[a * nc + col[c]] += 1;
		}
	}
	size_t rank = gate_reduce_dense(m, nr, nc, nc, piv);
	for (size_t a = 0; a < rank; a++) {
		size_t nonzero = 0;
		for (size_t q = piv[a]; q < nc && nonzero < 2; q++)
			nonzero += fabs(m[a * nc + q]) > 1e-9;
		if (nonzero == 1)
			(*out)[(*count)++] = list[piv[a]];
	}
	free(m);
	free(piv);
	return 0;
}

/* Count in v->check_failures whether two lists of cells differ. */
static void check_same(reader *v, const size_t *a, size_t na, const size_t *b, size_t nb)
{
	size_t k = 0;
	while (k < na && k < nb && a[k] == b[k])
		k++;
	v->checked++;
	v->check_failures += k != na || k != nb;
}

/*
 * Solve the sums `rels` over the cells `cells` the bounds left open: a
 * cell is worked out when some combination of sums leaves it alone. One
 * connected system at a time; a system above GATE_ELIMINATION_MAX is left
 * to the bounds (docs/methods.md says so).
 */
int gate_eliminate(const gate *g, reader *v, const size_t *cells, size_t ncell,
                   const size_t *rels, size_t nrel, int *leaked)
{
	if (leaked)
		*leaked = 0;
	size_t *parent = v->scratch[0], *col = v->scratch[1], *list = v->scratch[2];
	size_t *rows = v->scratch[3], *piv = v->scratch[4];
	for (size_t k = 0; k < ncell; k++)
		parent[cells[k]] = cells[k];
	for (size_t k = 0; k < nrel; k++) {
		const relation *rel = &g->rels[rels[k]];
		size_t prev = reader_point(v, rel->total) ? GATE_NONE : rel->total;
		for (size_t q = 0; q < rel->count; q++) {
			size_t c = g->parts[rel->first + q];
			if (reader_point(v, c))
				continue;
			if (prev != GATE_NONE)
				parent[reader_find(parent, prev)] = reader_find(parent, c);
			prev = c;
		}
	}
	/* Each open cell and each sum with an open cell, listed under its
	 * system's root (linked lists: one pass, however many systems). */
	size_t *cell_next = v->scratch[6], *rel_head = v->scratch[7];
	size_t *rel_next = v->scratch[8], *cell_head = v->scratch[5];
	for (size_t k = 0; k < ncell; k++)
		cell_head[cells[k]] = rel_head[cells[k]] = GATE_NONE;
	for (size_t k = ncell; k-- > 0;) {
		size_t c = cells[k];
		if (reader_point(v, c))
			continue;
		size_t root = reader_find(parent, c);
		cell_next[c] = cell_head[root];
		cell_head[root] = c;
	}
	for (size_t j = nrel; j-- > 0;) {
		const relation *rel = &g->rels[rels[j]];
		size_t open = reader_point(v, rel->total) ? GATE_NONE : rel->total;
		for (size_t q = 0; q < rel->count && open == GATE_NONE; q++)
			if (!reader_point(v, g->parts[rel->first + q]))
				open = g->parts[rel->first + q];
		if (open == GATE_NONE)
			continue;
		size_t root = reader_find(parent, open);
		rel_next[j] = rel_head[root];
		rel_head[root] = j;
	}
	for (size_t k = 0; k < ncell; k++) {
		size_t root = cells[k];
		if (reader_point(v, root) || reader_find(parent, root) != root)
			continue;
		size_t nc = 0, nr = 0;
		for (size_t c = cell_head[root]; c != GATE_NONE && nc <= GATE_ELIMINATION_MAX;
		     c = cell_next[c]) {
			col[c] = nc;
			list[nc++] = c;
		}
		for (size_t j = rel_head[root]; j != GATE_NONE && nr <= GATE_ELIMINATION_MAX;
		     j = rel_next[j])
			rows[nr++] = rels[j];
		if (nr < 2 || nc > GATE_ELIMINATION_MAX || nr > GATE_ELIMINATION_MAX)
			continue;
		if (!v->solver && !(v->solver = calloc(1, sizeof *v->solver)))
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		gate_solver *s = v->solver;
		if (!s->slots && !(s->slots = calloc(MEMO_SLOTS, sizeof *s->slots)))
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		/* The cells worked out, set once the system is read (points
		 * change the tests above), listed meanwhile in rows[] (read into
		 * the matrix: free by then). */
		size_t *found = rows, nfound = 0, *dense = NULL, ndense = 0;
		uint64_t h = nc >= MEMO_MIN_CELLS ? memo_hash(list, nc) : 0;
		memo_slot *slot = h ? memo_find(s, list, nc, h) : NULL;
		if (g->check && solve_dense(g, v, list, nc, rows, nr, col, &dense, &ndense))
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		if (slot && slot->cells && !g->check) {
			const uint32_t *w = &s->words[slot->at + slot->cells];
			for (nfound = 0; nfound < slot->found; nfound++)
				found[nfound] = w[nfound];
		} else {
			if (solve(s, g, v, list, nc, rows, nr, col, piv, found, &nfound)) {
				free(dense);
				return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
			}
			if (slot && !slot->cells)
				memo_keep(s, slot, h, list, nc, found, nfound);
		}
		if (g->check) {
			check_same(v, dense, ndense, found, nfound);
			if (slot && slot->cells) {
				size_t kept[SOLVE_MAX];
				for (size_t a = 0; a < slot->found; a++)
					kept[a] = s->words[slot->at + slot->cells + a];
				check_same(v, kept, slot->found, found, nfound);
			}
			free(dense);
		}
		for (size_t a = 0; a < nfound; a++) {
			size_t c = found[a];
			v->lo[c] = v->hi[c] = (double)g->values[c];
			v->why[c] = GATE_NONE;
		}
		for (size_t a = 0; a < nfound && leaked; a++)
			if (reader_leaking(g, v, found[a])) {
				*leaked = 1;
				return 0;
			}
	}
	return 0;
}
