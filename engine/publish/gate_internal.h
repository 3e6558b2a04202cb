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

typedef struct relation {
	size_t total;   /* cell index */
	size_t first;   /* first part in g->parts */
	size_t count;   /* parts */
} relation;

typedef struct gate_slot {
	uint32_t hash;          /* the key's hash's low 32 bits */
	uint32_t where;         /* block + 1 << 16 | offset; 0: empty */
} gate_slot;

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
	relation *rels;
	size_t rel_count, rel_room;
	size_t *parts;
	size_t part_count, part_room;
	size_t unprotected;
};

#define READER_SCRATCH 9

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
} reader;

#define READ_ALL ((size_t)-1)

int reader_open(reader *v, const gate *g);
void reader_close(reader *v);

/* Play the reader over component `comp` (READ_ALL: every cell): bounds,
 * the sums solved together, bounds again. *leaks counts the small counts
 * pinned there. Returns 0 or PARITY_ENOMEM. */
int reader_read(const gate *g, reader *v, size_t comp, size_t *leaks);

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
