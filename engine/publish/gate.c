/*
 * gate.c: the disclosure gate's engine. Cells are counts; sums tie them
 * together across the whole document. Primary suppression hides every
 * count of 1..threshold-1; secondary suppression then plays the reader:
 * (gate_reader.c) and, while a small count can be pinned down, hides one
 * more printed cell: of those the reader's derivation reads, the one that
 * leaves the fewest small counts pinned, then the smallest (tau-Argus's
 * hypercube method weighs cost the same way). A clean-up pass shows again
 * every hidden cell that protects nothing.
 */
#include "gate_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

#define CANDIDATES_AROUND 48  /* cells around a leak tried as partners */
#define STUCK_ROUNDS 24       /* rounds on one leak before hiding its ties */
#define OWED_MAX 8            /* hidden cells still worked out, to free */

gate *gate_new(gate_policy policy, uint64_t threshold)
{
	gate *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	g->policy = policy;
	g->threshold = threshold;
	g->slot_count = 64;
	g->memo_work = GATE_MEMO_WORK;
	g->slots = calloc(g->slot_count, sizeof *g->slots);
	if (!g->slots) {
		free(g);
		return NULL;
	}
	return g;
}

void gate_free(gate *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->block_count; i++)
		free(g->blocks[i]);
	free(g->blocks);
	free(g->values);
	free(g->printed);
	free(g->marks);
	free(g->fixed);
	free(g->slots);
	free(g->links);
	free(g->chains);
	free(g->rels);
	free(g->parts);
	free(g);
}

void gate_set_memo(gate *g, struct parity_gate_memo *memo)
{
	g->memo = memo;
}

uint64_t gate_rounded(uint64_t value)
{
	return (value + 2) / 5 * 5;
}

void gate_reset(gate *g)
{
	/* The first block is kept for the next document's keys. */
	for (size_t i = 1; i < g->block_count; i++)
		free(g->blocks[i]);
	g->block_count = g->block_count ? 1 : 0;
	g->block_used = 0;
	g->count = g->rel_count = g->part_count = 0;
	g->unprotected = 0;
	g->slot_used = 0;
	memset(g->slots, 0, g->slot_count * sizeof *g->slots);
	if (g->chains)
		memset(g->chains, 0, g->chain_room * sizeof *g->chains);
}

/* The hash of the `n` bytes of key `s`, eight at a time (a national run
 * hashes millions of keys of a few dozen bytes), each word folded in by a
 * multiply and a shift; a final mix (MurmurHash3's) spreads every bit over
 * the low ones, which the slots take. */
static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = UINT64_C(1469598103934665603) ^ n, w;
	for (; n >= 8; s += 8, n -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
		h ^= h >> 32;
	}
	w = 0;
	memcpy(&w, s, n);
	h = (h ^ w) * UINT64_C(0x9e3779b97f4a7c15);
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64_C(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return h;
}

/*
 * The cells are found by their keys in one of two ways. The keys are kept
 * in blocks of GATE_KEY_BLOCK bytes, each the index of its cell (four
 * bytes) and then its text, NUL-terminated; a key's `where` is the block
 * + 1 << 16 | the offset in it (at most 65,535 blocks: 4 GiB of keys).
 *
 * A key that names a table's count ("\1", the table's number in hex, '|'
 * and the rest: publish_stem_short) goes in its table's chain: the cells
 * of that table, newest first, linked through `links` (the low 32 bits of
 * each key's hash, the cell before it and its `where`), up to
 * GATE_CHAIN_MAX a table; a table's cells are mostly registered together,
 * so its chain lies in a few cache lines, where a hash table of 4 million
 * cells (100,000 organisations) cost a cache miss for every key.
 *
 * Any other key, and a table's keys past GATE_CHAIN_MAX, go in an
 * open-addressing table of eight-byte slots: the low 32 bits of the key's
 * hash (which also choose the slot: at most 2^32 slots) and its `where`, 0
 * for an empty slot. Which way a key goes depends on its text alone, so
 * the same text always finds the same cell.
 */
#define GATE_BLOCKS_MAX 65535u
#define GATE_CHAIN_MAX 64u       /* cells of one table in its chain */
#define GATE_CHAINS_MAX (1u << 22) /* tables with a chain; later ones: the slots */

static const char *where_key(const gate *g, uint32_t where)
{
	return g->blocks[(size_t)(where >> 16) - 1] + (where & 0xffff);
}

static const char *slot_key(const gate *g, const gate_slot *slot)
{
	return where_key(g, slot->where);
}

static size_t slot_cell(const gate *g, const gate_slot *slot)
{
	uint32_t cell;
	memcpy(&cell, slot_key(g, slot), sizeof cell);
	return cell;
}

static size_t slot_of(const gate *g, const char *key, uint64_t h)
{
	uint32_t h32 = (uint32_t)h;
	size_t mask = g->slot_count - 1, i = (size_t)h32 & mask;
	while (g->slots[i].where &&
	       (g->slots[i].hash != h32 || strcmp(slot_key(g, &g->slots[i]) + 4, key)))
		i = (i + 1) & mask;
	return i;
}

/* The table a key names ("\1", at most six hex digits, '|'), or GATE_NONE. */
static size_t table_of(const char *key)
{
	size_t t = 0, n = 0;
	if (key[0] != '\1')
		return GATE_NONE;
	for (const char *p = key + 1;; p++, n++) {
		int d = *p >= '0' && *p <= '9' ? *p - '0' : *p >= 'a' && *p <= 'f' ? *p - 'a' + 10
		        : -1;
		if (d < 0)
			return n && *p == '|' && t < GATE_CHAINS_MAX ? t : GATE_NONE;
		if (n == 6)
			return GATE_NONE;
		t = t << 4 | (size_t)d;
	}
}

/* The cell of `key` (hash `h`, table `t`) in its table's chain, or GATE_NONE. */
static size_t chain_find(const gate *g, size_t t, const char *key, uint64_t h)
{
	uint32_t h32 = (uint32_t)h;
	if (t >= g->chain_room)
		return GATE_NONE;
	for (uint32_t c = g->chains[t].head; c; c = g->links[c - 1].next) {
		const gate_link *l = &g->links[c - 1];
		if (l->hash == h32 && !strcmp(where_key(g, l->where) + 4, key))
			return c - 1;
	}
	return GATE_NONE;
}

/* Whether the cells of `key`'s table `t` may be in the slots: not a
 * table's key, or its chain is full. */
static int in_slots(const gate *g, size_t t)
{
	return t == GATE_NONE || (t < g->chain_room && g->chains[t].count >= GATE_CHAIN_MAX);
}

/* The cell named `key` (hash `h`, table `t`), or GATE_NONE. */
static size_t cell_of(const gate *g, const char *key, uint64_t h, size_t t)
{
	size_t i = t == GATE_NONE ? GATE_NONE : chain_find(g, t, key, h);
	if (i == GATE_NONE && in_slots(g, t)) {
		size_t s = slot_of(g, key, h);
		if (g->slots[s].where)
			i = slot_cell(g, &g->slots[s]);
	}
	return i;
}

size_t gate_find(const gate *g, const char *key)
{
	return cell_of(g, key, hash(key, strlen(key)), table_of(key));
}

static int grow_slots(gate *g)
{
	size_t old_count = g->slot_count, count = old_count * 2;
	if (count > (size_t)UINT32_MAX + 1)
		return -1;
	gate_slot *old = g->slots, *slots = calloc(count, sizeof *slots);
	if (!slots)
		return -1;
	/* The keys are distinct: each goes to the first free slot. */
	size_t mask = count - 1;
	for (size_t i = 0; i < old_count; i++)
		if (old[i].where) {
			size_t j = (size_t)old[i].hash & mask;
			while (slots[j].where)
				j = (j + 1) & mask;
			slots[j] = old[i];
		}
	free(old);
	g->slots = slots;
	g->slot_count = count;
	return 0;
}

static int grow_cells(gate *g)
{
	size_t room = g->room ? g->room * 2 : 256;
	uint64_t *values = realloc(g->values, room * sizeof *values);
	if (values)
		g->values = values;
	unsigned char *printed = realloc(g->printed, room);
	if (printed)
		g->printed = printed;
	unsigned char *marks = realloc(g->marks, room);
	if (marks)
		g->marks = marks;
	unsigned char *fixed = realloc(g->fixed, room);
	if (fixed)
		g->fixed = fixed;
	gate_link *links = realloc(g->links, room * sizeof *links);
	if (links)
		g->links = links;
	if (!values || !printed || !marks || !fixed || !links)
		return -1;
	g->room = room;
	return 0;
}

/* Keep `key` (`length` bytes), of cell `cell`, in the gate's blocks (a
 * million small allocations cost more than the gate's work on a national
 * run): where it is (a slot's `where`), or 0 when out of memory. */
static uint64_t key_copy(gate *g, const char *key, size_t length, size_t cell)
{
	size_t n = length + 1;
	if (4 + n > GATE_KEY_BLOCK)
		return 0; /* keys are a few dozen bytes (KEY_MAX) */
	if (!g->block_count || g->block_used + 4 + n > GATE_KEY_BLOCK) {
		if (g->block_count >= GATE_BLOCKS_MAX)
			return 0;
		if (g->block_count == g->block_room) {
			size_t room = g->block_room ? g->block_room * 2 : 16;
			char **blocks = realloc(g->blocks, room * sizeof *blocks);
			if (!blocks)
				return 0;
			g->blocks = blocks;
			g->block_room = room;
		}
		char *block = malloc(GATE_KEY_BLOCK);
		if (!block)
			return 0;
		g->blocks[g->block_count++] = block;
		g->block_used = 0;
	}
	char *copy = g->blocks[g->block_count - 1] + g->block_used;
	uint32_t index = (uint32_t)cell;
	memcpy(copy, &index, 4);
	memcpy(copy + 4, key, n);
	uint64_t entry = (uint64_t)g->block_count << 16 | (uint64_t)g->block_used;
	g->block_used += 4 + n;
	return entry;
}

/* Room in the chains for table `t`. 0, or -1 when out of memory. */
static int grow_chains(gate *g, size_t t)
{
	size_t room = g->chain_room ? g->chain_room : 256;
	while (room <= t)
		room *= 2;
	gate_chain *chains = realloc(g->chains, room * sizeof *chains);
	if (!chains)
		return -1;
	memset(chains + g->chain_room, 0, (room - g->chain_room) * sizeof *chains);
	g->chains = chains;
	g->chain_room = room;
	return 0;
}

size_t gate_cell(gate *g, const char *key, uint64_t value, int printed)
{
	size_t n = strlen(key);
	uint64_t h = hash(key, n);
	size_t t = table_of(key);
	size_t i = cell_of(g, key, h, t);
	if (i != GATE_NONE) {
		g->printed[i] |= printed != 0;
		return i;
	}
	if (t != GATE_NONE && t >= g->chain_room && grow_chains(g, t))
		return GATE_NONE;
	int slotted = in_slots(g, t);
	if (slotted && (g->slot_used + 1) * 2 > g->slot_count && grow_slots(g))
		return GATE_NONE;
	if ((g->count == g->room && grow_cells(g)) || g->count >= UINT32_MAX)
		return GATE_NONE;
	uint64_t entry = key_copy(g, key, n, g->count);
	if (!entry)
		return GATE_NONE;
	i = g->count++;
	g->values[i] = value;
	g->printed[i] = printed != 0;
	g->marks[i] = SUPPRESS_SHOWN;
	g->fixed[i] = 0;
	g->links[i] = (gate_link){(uint32_t)h, 0, (uint32_t)entry};
	if (slotted) {
		g->slots[slot_of(g, key, h)] = (gate_slot){(uint32_t)h, (uint32_t)entry};
		g->slot_used++;
	} else {
		g->links[i].next = g->chains[t].head;
		g->chains[t].head = (uint32_t)i + 1;
		g->chains[t].count++;
	}
	return i;
}

int gate_sum(gate *g, size_t total, const size_t *parts, size_t count)
{
	uint64_t sum = 0;
	if (total == GATE_NONE || count == 0)
		return 0;
	for (size_t k = 0; k < count; k++) {
		if (parts[k] == GATE_NONE)
			return 0;
		sum += g->values[parts[k]];
	}
	/* A sum that does not hold is no sum a reader could use. */
	if (sum != g->values[total])
		return 0;
	if (g->rel_count == g->rel_room) {
		size_t room = g->rel_room ? g->rel_room * 2 : 256;
		relation *rels = realloc(g->rels, room * sizeof *rels);
		if (!rels)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		g->rels = rels;
		g->rel_room = room;
	}
	while (g->part_count + count > g->part_room) {
		size_t room = g->part_room ? g->part_room * 2 : 1024;
		size_t *p = realloc(g->parts, room * sizeof *p);
		if (!p)
			return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		g->parts = p;
		g->part_room = room;
	}
	memcpy(&g->parts[g->part_count], parts, count * sizeof *parts);
	g->rels[g->rel_count++] = (relation){total, g->part_count, count};
	g->part_count += count;
	return 0;
}

suppress_mark gate_mark(const gate *g, size_t cell)
{
	return cell < g->count ? (suppress_mark)g->marks[cell] : SUPPRESS_SHOWN;
}

uint64_t gate_value(const gate *g, size_t cell)
{
	return cell < g->count ? g->values[cell] : 0;
}

size_t gate_cell_count(const gate *g)
{
	return g->count;
}

void gate_fix(gate *g, size_t cell, suppress_mark mark)
{
	if (cell >= g->count)
		return;
	g->printed[cell] = 1;
	g->fixed[cell] = 1;
	g->marks[cell] = (unsigned char)mark;
}

void gate_hide(gate *g, size_t cell)
{
	if (cell < g->count && g->marks[cell] == SUPPRESS_SHOWN)
		g->marks[cell] = SUPPRESS_SECONDARY;
}

void gate_print(gate *g, size_t cell)
{
	if (cell < g->count)
		g->printed[cell] = 1;
}

int gate_printed(const gate *g, size_t cell)
{
	return cell < g->count && g->printed[cell];
}

size_t gate_unprotected(const gate *g)
{
	return g->unprotected;
}

void gate_hidden_counts(const gate *g, size_t *primary, size_t *secondary)
{
	*primary = *secondary = 0;
	for (size_t i = 0; i < g->count; i++) {
		if (!g->printed[i] || g->fixed[i])
			continue;
		*primary += g->marks[i] == SUPPRESS_PRIMARY;
		*secondary += g->marks[i] == SUPPRESS_SECONDARY;
	}
}

/* ---- choosing what to hide --------------------------------------------------- */

/* Whether hiding `a` costs less than hiding `b`: a "<5" shown as "[c]"
 * first (it hides nothing more), then a non-zero count before a zero (a
 * hidden zero reads oddly), then the smaller. */
static int cheaper(const gate *g, size_t a, size_t b)
{
	int ma = g->marks[a] == SUPPRESS_PRIMARY, mb = g->marks[b] == SUPPRESS_PRIMARY;
	if (ma != mb)
		return ma;
	if ((g->values[a] > 0) != (g->values[b] > 0))
		return g->values[a] > 0;
	return g->values[a] < g->values[b];
}

/* The leak nearest its source: the one whose pinning sum holds the
 * fewest counts that were themselves worked out (a leak downstream often
 * closes with its source). */
static size_t first_leak(const gate *g, const reader *v, const unsigned char *lost)
{
	size_t best = GATE_NONE, best_derived = 0;
	for (size_t i = 0; i < g->count; i++) {
		if (lost[i] || !reader_leaking(g, v, i))
			continue;
		size_t derived = reader_derived_in(g, v, v->why[i]);
		if (best == GATE_NONE || derived < best_derived) {
			best = i;
			best_derived = derived;
		}
	}
	return best;
}

/*
 * Try each of `cand[0..n)` hidden, reading only what it moves in the
 * leak's component (whose leaks are `comp_leaks` now), and return the best
 * in *pick (GATE_NONE when there is none): one that frees the leak; else
 * one the reader cannot work out once hidden (hiding a cell the reader
 * still works out cuts nothing); then the one that leaves the fewest leaks
 * in the component; then the cheapest. *left gets that count. Each trial is
 * undone: the reader is left as it was.
 */
static int best_partner(size_t *pick, size_t *left, gate *g, reader *v,
                        size_t comp_leaks, size_t leak, const size_t *cand, size_t n)
{
	int pick_freed = 0, pick_useful = 0;
	*pick = GATE_NONE;
	for (size_t k = 0; k < n; k++) {
		size_t before = 0, moved = 0, c = cand[k];
		unsigned char was = g->marks[c];
		if (was == SUPPRESS_SECONDARY)
			continue; /* listed twice */
		int rc = reader_scope(g, v, c, &before);
		if (rc)
			return rc;
		/* Once a pick frees the leak, is useful and leaves no leak, only
		 * one as good can beat it: a trial that leaves a leak is cut short
		 * (before the first is pinned, or at it). */
		int cut = *pick != GATE_NONE && pick_freed && pick_useful && !*left;
		if (cut && before < comp_leaks)
			continue; /* leaks outside its scope stay */
		reader_save(v);
		g->marks[c] = SUPPRESS_SECONDARY;
		rc = reader_reread(g, v, cut, &moved);
		size_t after = comp_leaks - before + moved;
		if (!rc && cut && moved) {
			g->marks[c] = was;
			reader_restore(v);
			continue; /* it leaves a leak: no better */
		}
		int freed = !reader_point(v, leak), useful = !reader_point(v, c);
		g->marks[c] = was;
		reader_restore(v);
		if (rc)
			return rc;
		int better = *pick == GATE_NONE || freed > pick_freed ||
		             (freed == pick_freed && useful > pick_useful) ||
		             (freed == pick_freed && useful == pick_useful &&
		              (after < *left || (after == *left && cheaper(g, c, *pick))));
		if (better) {
			*pick = c;
			*left = after;
			pick_freed = freed;
			pick_useful = useful;
		}
	}
	return 0;
}

/* Mark cell `cell` `mark` and read again what that moves (kept by
 * reader_save: reader_restore undoes it); *leaks gets the component's leaks
 * after, from `comp_leaks` before. 0 or PARITY_ENOMEM. */
static int remark(gate *g, reader *v, size_t cell, unsigned char mark,
                  size_t comp_leaks, size_t *leaks)
{
	size_t before = 0, moved = 0;
	int rc = reader_scope(g, v, cell, &before);
	if (rc)
		return rc;
	reader_save(v);
	g->marks[cell] = mark;
	if ((rc = reader_reread(g, v, 0, &moved)))
		return rc;
	*leaks = comp_leaks - before + moved;
	return 0;
}

/*
 * Secondary suppression: while the reader pins a small count, hide one
 * more printed cell. Each derivation of a leak is cut in turn. A cell
 * hidden that the reader still works out (its row and column give it
 * back) is owed: it becomes the cell to free next, so a table with
 * margins closes in a rectangle, as the hypercube method's do. When a
 * leak has taken STUCK_ROUNDS rounds (a table whose every count is small,
 * where nothing short of all of it frees it), every printed cell tied to
 * it is hidden at once. Returns 0 or PARITY_ENOMEM.
 */
static int protect(gate *g, reader *v, size_t *cand)
{
	size_t origin = GATE_NONE, spent = 0, owed[OWED_MAX], depth = 0, leaks = 0;
	size_t *comp_leaks = calloc(g->count, sizeof *comp_leaks);
	/* Leaks no printed cell can close (given up on, counted in
	 * g->unprotected): the others are still protected. */
	unsigned char *lost = calloc(g->count + 1, 1);
	int rc = 0;
	if (!comp_leaks || !lost) {
		free(comp_leaks);
		free(lost);
		return parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
	}
	/* Read every component once; after that only the one a cell was
	 * hidden in changes, and only it is read again. */
	for (size_t c = 0; c < g->count && !rc; c++)
		if (v->comp_cell_at[c + 1] > v->comp_cell_at[c]) {
			rc = reader_read(g, v, c, &comp_leaks[c]);
			leaks += comp_leaks[c];
		}
	for (size_t round = 0; !rc && leaks && round <= g->count; round++) {
		size_t pick = GATE_NONE, left = 0, n;
		if (origin == GATE_NONE || !reader_leaking(g, v, origin))
			depth = 0; /* the leak the owed cells were for is closed */
		while (depth && !reader_point(v, owed[depth - 1]))
			depth--;
		size_t leak = depth ? owed[depth - 1] : first_leak(g, v, lost);
		if (leak == GATE_NONE)
			break; /* only leaks given up on are left */
		size_t comp = v->comp[leak];
		if (!depth && leak != origin) {
			origin = leak;
			spent = 0;
		}
		if (++spent > STUCK_ROUNDS) {
			n = reader_tied(g, v, origin, cand, g->count);
			for (size_t k = 0; k < n; k++)
				g->marks[cand[k]] = SUPPRESS_SECONDARY;
			if (!n) {
				lost[origin] = 1; /* nothing printed left to hide */
				g->unprotected++;
				spent = depth = 0;
				continue;
			}
			spent = depth = 0;
		} else {
			/* Cut one derivation of the leak: the printed cells it reads;
			 * with none (bounds pinned it), the cells around it. */
			n = reader_derivation(g, v, leak, cand, g->count);
			left = comp_leaks[comp];
			if ((rc = best_partner(&pick, &left, g, v, comp_leaks[comp], leak, cand, n)))
				break;
			if (pick == GATE_NONE) {
				n = reader_around(g, v, leak, cand, CANDIDATES_AROUND);
				left = comp_leaks[comp];
				if ((rc = best_partner(&pick, &left, g, v, comp_leaks[comp], leak, cand,
				                       n)))
					break;
			}
			if (pick == GATE_NONE) {
				lost[leak] = 1;
				g->unprotected++;
				spent = depth = 0;
				continue;
			}
		}
		size_t now = 0;
		if (pick == GATE_NONE)
			rc = reader_read(g, v, comp, &now); /* hidden all at once, above */
		else
			rc = remark(g, v, pick, SUPPRESS_SECONDARY, comp_leaks[comp], &now);
		if (rc)
			break;
		leaks = leaks - comp_leaks[comp] + now;
		comp_leaks[comp] = now;
		if (pick != GATE_NONE && reader_point(v, pick) && reader_point(v, leak) &&
		    depth < OWED_MAX)
			owed[depth++] = pick; /* hidden, still worked out: free it next */
	}
	free(comp_leaks);
	free(lost);
	return rc;
}

int gate_run(gate *g)
{
	reader v;
	size_t *cand = NULL;
	int rc = 0;
	g->unprotected = 0;
	for (size_t i = 0; i < g->count; i++)
		if (!g->fixed[i])
			g->marks[i] = g->threshold > 1 && reader_sensitive(g, i)
			              ? SUPPRESS_PRIMARY : SUPPRESS_SHOWN;
	if (g->policy != GATE_THRESHOLD || g->threshold < 2 || !g->count)
		return 0;
	if ((rc = reader_open(&v, g)))
		return rc;
	cand = malloc((2 * g->count + CANDIDATES_AROUND) * sizeof *cand);
	if (!cand) {
		rc = parity_error_set(PARITY_ENOMEM, "disclosure: out of memory");
		goto done;
	}
	if ((rc = protect(g, &v, cand)))
		goto done;
	if (!g->unprotected && (rc = gate_clean_up(g, &v, cand)))
		goto done;
done:
	g->checked += v.checked;
	g->check_failures += v.check_failures;
	free(cand);
	reader_close(&v);
	return rc;
}
