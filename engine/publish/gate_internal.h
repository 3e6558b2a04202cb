/*
 * gate_internal.h: what gate.c (the cells, the sums and the choice of
 * cells to hide) and gate_reader.c (the reader: what the printed cells
 * and the sums let one work out) share.
 */
#ifndef PARITY_GATE_INTERNAL_H
#define PARITY_GATE_INTERNAL_H

#include "gate.h"

#include <stddef.h>
#include <stdint.h>

#define GATE_UNBOUNDED 1e18
#define GATE_ELIMINATION_MAX 1024 /* cells or sums in one system solved together */

#define GATE_KEY_BLOCK 65536 /* bytes of key text allocated at a time */
/* The clean-up's work (its trials times its component's cells) from which
 * it is remembered across runs (gate->memo, gate_clean.c). */
#define GATE_MEMO_WORK ((size_t)1 << 16)

typedef struct relation {
	size_t total;   /* cell index */
	size_t first;   /* first part in g->parts */
	size_t count;   /* parts */
} relation;

typedef struct gate_slot {
	uint32_t hash;          /* the key's hash's low 32 bits */
	uint32_t where;         /* block + 1 << 16 | offset; 0: empty */
} gate_slot;

/* A cell in the chain of its table's cells (gate.c: keys "\1<hex>|..."). */
typedef struct gate_link {
	uint32_t hash;          /* the key's hash's low 32 bits */
	uint32_t next;          /* the table's cell registered before it + 1; 0: none */
	uint32_t where;         /* its key, as a slot's `where` */
} gate_link;

/* One table's chain: its newest cell and how many it holds. */
typedef struct gate_chain {
	uint32_t head;          /* newest cell + 1; 0: none */
	uint32_t count;         /* cells in the chain (at most GATE_CHAIN_MAX) */
} gate_chain;

struct gate {
	gate_policy policy;
	uint64_t threshold;
	char **blocks;          /* the keys (cell index, text), GATE_KEY_BLOCK bytes each */
	size_t block_count, block_room, block_used; /* bytes used of the last */
	uint64_t *values;
	unsigned char *printed;
	unsigned char *marks;   /* suppress_mark */
	unsigned char *fixed;   /* 1: another document decided its mark (gate_fix) */
	size_t count, room;
	gate_slot *slots;       /* hash: each key's hash and where it is (gate.c) */
	size_t slot_count;      /* power of two */
	size_t slot_used;       /* cells found through the slots */
	gate_link *links;       /* room: each cell's place in its table's chain */
	gate_chain *chains;     /* by table number: the chains (gate.c) */
	size_t chain_room;
	relation *rels;
	size_t rel_count, rel_room;
	size_t *parts;
	size_t part_count, part_room;
	size_t unprotected;
	/* Tests: each partial reading is checked against the whole one, each
	 * system solved sparse against the dense elimination and each
	 * remembered one against solving it again (slow). */
	int check;
	size_t checked, check_failures; /* readings and systems checked; unequal */
	struct parity_gate_memo *memo; /* clean-ups remembered (gate_set_memo), or NULL */
	size_t memo_work;       /* GATE_MEMO_WORK (tests: 0, every clean-up) */
	size_t memo_found, memo_kept; /* clean-ups applied from the memo; kept in it */
};

#define READER_SCRATCH 9

typedef struct gate_solver gate_solver; /* gate_solve.c */

/*
 * What the reader can know of every cell, and which sum told them. The
 * cells fall into components (cells tied by some chain of sums); hiding a
 * cell changes what can be known in its component only, so a trial reads
 * that component alone.
 */
typedef struct reader {
	double *lo, *hi;        /* what the reader knows of each cell */
	size_t *why;            /* the sum that pinned the cell, or GATE_NONE */
	size_t *member_of;      /* CSR: the sums of each cell ... */
	size_t *member_at;      /* ... count + 1 offsets */
	size_t *comp;           /* each cell's component */
	size_t *comp_cells;     /* CSR: the cells of each component ... */
	size_t *comp_cell_at;   /* ... count + 1 offsets (by component id) */
	size_t *comp_rels;      /* CSR: the sums of each component ... */
	size_t *comp_rel_at;    /* ... count + 1 offsets */
	size_t *queue;          /* sums to look at again; queue[0] the length */
	unsigned char *queued;
	unsigned char *visits;  /* readings of each sum in this propagation */
	size_t *todo;           /* scratch, one per cell */
	unsigned char *seen;    /* scratch, one per cell */
	size_t *scratch[READER_SCRATCH]; /* for elimination, one per cell or sum */
	gate_solver *solver;    /* the elimination's matrix, made when first needed */
	size_t *scope_cells;    /* reader_scope: the cells one mark moves, ascending */
	size_t *scope_rels;     /* ... and their sums, ascending */
	size_t scope_cell_count, scope_rel_count;
	size_t scope_cell_room, scope_rel_room;
	double *saved_lo, *saved_hi; /* reader_save: the scope's bounds ... */
	size_t *saved_why;      /* ... and pinning sums */
	size_t checked, check_failures; /* gate->check: what was compared */
} reader;

#define READ_ALL ((size_t)-1)

int reader_open(reader *v, const gate *g);

/* gate_clean.c: the clean-up after the protection (gate_run): secondary
 * cells that protect nothing shown again, largest first; `order` has room
 * for every cell. 0 or PARITY_ENOMEM. */
int gate_clean_up(gate *g, reader *v, size_t *order);
void reader_close(reader *v);

/* Play the reader over component `comp` (READ_ALL: every cell): bounds,
 * the sums solved together, bounds again. *leaks counts the small counts
 * pinned there. Returns 0 or PARITY_ENOMEM. */
int reader_read(const gate *g, reader *v, size_t comp, size_t *leaks);

/* The root of `a` in the union-find forest `parent` (paths halved). */
size_t reader_find(size_t *parent, size_t a);

/* gate_solve.c: the sums `rels` solved together over the cells `cells`
 * the bounds left open; each cell some combination of sums leaves alone is
 * set to its value. With `leaked`, stops after the first system that pins
 * a small count (reader_leaking), setting *leaked (else 0). Returns 0 or
 * PARITY_ENOMEM. */
int gate_eliminate(const gate *g, reader *v, const size_t *cells, size_t ncell,
                   const size_t *rels, size_t nrel, int *leaked);
void gate_solver_free(gate_solver *s);
/* Reduced row echelon form of the nr x width matrix `m` (row-major) over
 * its first `nc` columns, partial pivoting; the pivot columns into piv[].
 * Returns the rank. */
size_t gate_reduce_dense(double *m, size_t nr, size_t nc, size_t width, size_t *piv);

/*
 * The scope of cell `cell`: the cells a change of its mark can move (it,
 * and the counts the reader does not know tied to it through such counts),
 * and their sums; *leaks gets the small counts pinned among them now. After
 * the mark changes, reader_reread reads the scope alone, which gives what
 * reader_read of the whole component would (gate_reader.c says why), or
 * with `first_leak` stops at the first small count it pins (*leaks 1);
 * reader_save and reader_restore keep and put back the scope's bounds (a
 * trial undone). Returns 0 or PARITY_ENOMEM (no scope then).
 */
int reader_scope(const gate *g, reader *v, size_t cell, size_t *leaks);
int reader_reread(const gate *g, reader *v, int first_leak, size_t *leaks);
void reader_save(reader *v);
void reader_restore(reader *v);

int reader_sensitive(const gate *g, size_t i);
int reader_known(const gate *g, size_t i);
int reader_point(const reader *v, size_t i);
/* A printed cell the gate may still hide: shown, or a "<5" it may show
 * as "[c]" (so that the marks themselves do not pin a total down). */
int reader_hideable(const gate *g, size_t i);
/* A small count the reader works out that it must not. */
int reader_leaking(const gate *g, const reader *v, size_t i);

/* Counts of sum `r` the reader worked out rather than read. */
size_t reader_derived_in(const gate *g, const reader *v, size_t r);

/* Candidates to hide for leak `leak`, into `out` (at most `limit`):
 * the printed cells one linear derivation of it reads; the printed cells
 * of the sums around it and around the counts that pinned it; every
 * printed cell tied to it. Each returns how many. */
size_t reader_derivation(const gate *g, const reader *v, size_t leak, size_t *out,
                         size_t limit);
size_t reader_around(const gate *g, reader *v, size_t leak, size_t *out,
                     size_t limit);
size_t reader_tied(const gate *g, reader *v, size_t leak, size_t *out,
                   size_t limit);

#endif
