/*
 * test_gate.c: the disclosure gate (engine/publish/gate.c) on small tables
 * worked by hand: which counts it hides first (1..N-1), which it hides
 * besides so that no hidden small count can be worked out from a total, a
 * difference, a margin of a crossed table or the marks themselves, and
 * that it hides no more than it must.
 */
#include "harness.h"

#include "parity.h"
#include "publish/gate.h"
#include "publish/gate_internal.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A table: parts named p0.. with their values, and a total, all printed;
 * returns the gate (the caller frees). cells[] gets the indexes, the
 * total last. */
static gate *column(size_t *cells, const uint64_t *values, size_t parts,
                    uint64_t total, uint64_t threshold)
{
	gate *g = gate_new(GATE_THRESHOLD, threshold);
	char key[32];
	for (size_t i = 0; i < parts; i++) {
		snprintf(key, sizeof key, "p%zu", i);
		cells[i] = gate_cell(g, key, values[i], 1);
	}
	cells[parts] = gate_cell(g, "total", total, 1);
	CHECK(gate_sum(g, cells[parts], cells, parts) == 0);
	return g;
}

static void test_gate_off_shows_everything(void)
{
	const uint64_t v[] = {3, 1, 4};
	size_t c[4];
	gate *g = column(c, v, 3, 8, 0);
	CHECK(gate_run(g) == 0);
	for (size_t i = 0; i < 4; i++)
		CHECK(gate_mark(g, c[i]) == SUPPRESS_SHOWN);
	gate_free(g);
}

static void test_gate_primary_cells(void)
{
	/* Unrelated counts: 1-4 hidden, 0 and 5 shown. */
	gate *g = gate_new(GATE_THRESHOLD, 5);
	size_t zero = gate_cell(g, "a", 0, 1), four = gate_cell(g, "b", 4, 1);
	size_t five = gate_cell(g, "c", 5, 1), one = gate_cell(g, "d", 1, 1);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, zero) == SUPPRESS_SHOWN);
	CHECK(gate_mark(g, four) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(g, five) == SUPPRESS_SHOWN);
	CHECK(gate_mark(g, one) == SUPPRESS_PRIMARY);
	gate_free(g);
}

static void test_gate_secondary_next_smallest(void)
{
	/* 3, 9, 12 with total 24: 3 is hidden and 24 - 9 - 12 would give it
	 * back, so one more is hidden: the smaller, 9. */
	const uint64_t v[] = {3, 9, 12};
	size_t c[4];
	gate *g = column(c, v, 3, 24, 5);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, c[0]) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(g, c[1]) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(g, c[2]) == SUPPRESS_SHOWN);
	CHECK(gate_mark(g, c[3]) == SUPPRESS_SHOWN);
	CHECK(gate_unprotected(g) == 0);
	gate_free(g);
}

static void test_gate_secondary_skips_zero(void)
{
	/* 0, 2, 15, 7 (24): the partner of 2 is 7, not the 0. */
	const uint64_t v[] = {0, 2, 15, 7};
	size_t c[5];
	gate *g = column(c, v, 4, 24, 5);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, c[0]) == SUPPRESS_SHOWN);
	CHECK(gate_mark(g, c[1]) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(g, c[3]) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(g, c[2]) == SUPPRESS_SHOWN);
	gate_free(g);
}

static void test_gate_two_primaries_need_no_partner(void)
{
	/* 2 and 3 hidden, 15 and 20 shown: the reader knows the two add to 5,
	 * each 1 to 4, so either could be 1, 2, 3 or 4: nothing more. */
	const uint64_t v[] = {2, 3, 15};
	size_t c[4];
	gate *g = column(c, v, 3, 20, 5);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, c[0]) == SUPPRESS_PRIMARY && gate_mark(g, c[1]) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(g, c[2]) == SUPPRESS_SHOWN && gate_mark(g, c[3]) == SUPPRESS_SHOWN);
	gate_free(g);
}

static void test_gate_two_primaries_pinned_by_bounds(void)
{
	/* 1 and 1 hidden, 15 shown, total 17: the two add to 2 and each is at
	 * least 1, so both are 1: "<5" on both gives them away. One of them
	 * is shown "[c]" instead (nothing more is hidden: it is the cheapest
	 * fix), and then the reader knows only a + b = 2 with b 0 or more. */
	const uint64_t v[] = {1, 1, 15};
	size_t c[4];
	gate *g = column(c, v, 3, 17, 5);
	CHECK(gate_run(g) == 0);
	int masked = (gate_mark(g, c[0]) == SUPPRESS_SECONDARY) +
	             (gate_mark(g, c[1]) == SUPPRESS_SECONDARY);
	CHECK(masked == 1);
	CHECK(gate_mark(g, c[2]) == SUPPRESS_SHOWN && gate_mark(g, c[3]) == SUPPRESS_SHOWN);
	CHECK(gate_unprotected(g) == 0);
	gate_free(g);
}

static void test_gate_difference_within_row(void)
{
	/* 10 shortlisted, 8 appointed: the 2 not appointed (an unprinted
	 * count, 10 = 8 + 2) follow from the two, so one of them is hidden.
	 * Hiding the 8 would not do: the appointed total gives it back
	 * (28 - 20), and 20 would have to go too. Hiding the 10 does, alone. */
	gate *g = gate_new(GATE_THRESHOLD, 5);
	size_t n1 = gate_cell(g, "n1", 10, 1), x1 = gate_cell(g, "x1", 8, 1);
	size_t not1 = gate_cell(g, "not1", 2, 0);
	size_t x2 = gate_cell(g, "x2", 20, 1), xt = gate_cell(g, "xt", 28, 1);
	size_t parts1[] = {x1, not1}, parts2[] = {x1, x2};
	CHECK(gate_sum(g, n1, parts1, 2) == 0);
	CHECK(gate_sum(g, xt, parts2, 2) == 0);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, not1) == SUPPRESS_PRIMARY); /* small, never printed */
	CHECK(gate_mark(g, n1) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(g, x1) == SUPPRESS_SHOWN);
	CHECK(gate_mark(g, x2) == SUPPRESS_SHOWN);
	CHECK(gate_mark(g, xt) == SUPPRESS_SHOWN);
	gate_free(g);
}

static void test_gate_two_groupings_share_a_total(void)
{
	/* The WDES 3 leak of issue 14, in small: everyone counted is 123, by
	 * sex F 91 + M 32; by disability D 1 + ND 95 + not stated 27. With
	 * the two groupings tied through the unprinted total, 123 - 95 - 27 =
	 * 1: hiding D alone protects nothing. The gate hides one more count
	 * of the disability side, and no count of 1 can then be worked out. */
	gate *g = gate_new(GATE_THRESHOLD, 5);
	size_t t = gate_cell(g, "everyone", 123, 0);
	size_t f = gate_cell(g, "F", 91, 1), m = gate_cell(g, "M", 32, 1);
	size_t d = gate_cell(g, "D", 1, 1), nd = gate_cell(g, "ND", 95, 1);
	size_t ns = gate_cell(g, "ns", 27, 1);
	size_t sex[] = {f, m}, dis[] = {d, nd, ns};
	CHECK(gate_sum(g, t, sex, 2) == 0);
	CHECK(gate_sum(g, t, dis, 3) == 0);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, d) != SUPPRESS_SHOWN);
	CHECK((gate_mark(g, nd) != SUPPRESS_SHOWN) + (gate_mark(g, ns) != SUPPRESS_SHOWN) == 1);
	/* 27 is the smaller: ND 95 stays. */
	CHECK(gate_mark(g, ns) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(g, f) == SUPPRESS_SHOWN && gate_mark(g, m) == SUPPRESS_SHOWN);
	gate_free(g);
}

static void test_gate_crossed_table_closes_in_a_rectangle(void)
{
	/* White/BME by F/M with every margin printed:
	 *            F    M  | all
	 *   White   40    2  |  42
	 *   BME     30   20  |  50
	 *   all     70   22  |  92
	 * The 2 is hidden; its row gives it back (42 - 40), so 40 is hidden;
	 * then 40's column gives it back (70 - 30), so 30; then 30's row
	 * (50 - 20), so 20: the rectangle of four. No margin is hidden. */
	gate *g = gate_new(GATE_THRESHOLD, 5);
	size_t wf = gate_cell(g, "WF", 40, 1), wm = gate_cell(g, "WM", 2, 1);
	size_t bf = gate_cell(g, "BF", 30, 1), bm = gate_cell(g, "BM", 20, 1);
	size_t w = gate_cell(g, "W", 42, 1), b = gate_cell(g, "B", 50, 1);
	size_t f = gate_cell(g, "F", 70, 1), m = gate_cell(g, "M", 22, 1);
	size_t all = gate_cell(g, "all", 92, 1);
	size_t r1[] = {wf, wm}, r2[] = {bf, bm}, c1[] = {wf, bf}, c2[] = {wm, bm};
	size_t rows[] = {w, b}, cols[] = {f, m};
	CHECK(gate_sum(g, w, r1, 2) == 0 && gate_sum(g, b, r2, 2) == 0);
	CHECK(gate_sum(g, f, c1, 2) == 0 && gate_sum(g, m, c2, 2) == 0);
	CHECK(gate_sum(g, all, rows, 2) == 0 && gate_sum(g, all, cols, 2) == 0);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, wm) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(g, wf) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(g, bf) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(g, bm) == SUPPRESS_SECONDARY);
	size_t margins[] = {w, b, f, m, all};
	for (size_t i = 0; i < 5; i++)
		CHECK(gate_mark(g, margins[i]) == SUPPRESS_SHOWN);
	size_t primary, secondary;
	gate_hidden_counts(g, &primary, &secondary);
	CHECK(primary == 1 && secondary == 3);
	gate_free(g);
}

static void test_gate_same_count_printed_twice(void)
{
	/* A count registered under one key twice is one cell: hidden once,
	 * hidden everywhere it is printed. */
	gate *g = gate_new(GATE_THRESHOLD, 5);
	size_t a = gate_cell(g, "WRES2|BME|n", 3, 0);
	size_t b = gate_cell(g, "WRES2|BME|n", 3, 1);
	CHECK(a == b && gate_printed(g, a));
	CHECK(gate_find(g, "WRES2|BME|n") == a && gate_find(g, "nope") == GATE_NONE);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, a) == SUPPRESS_PRIMARY);
	gate_free(g);
}

static void test_gate_sum_that_does_not_hold_is_ignored(void)
{
	/* A reader cannot use a sum that does not hold: none is recorded. */
	const uint64_t v[] = {3, 9};
	size_t c[3];
	gate *g = column(c, v, 2, 13, 5); /* 3 + 9 != 13 */
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, c[0]) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(g, c[1]) == SUPPRESS_SHOWN);
	gate_free(g);
}

static void test_gate_rounding_policy_hides_no_partner(void)
{
	/* NHS Digital: 1 to 7 hidden; others are rounded when printed, which
	 * blurs every sum, so no further cell is hidden. */
	const uint64_t v[] = {7, 9, 12};
	size_t c[4];
	gate *g = gate_new(GATE_ROUNDING, 8);
	char key[8];
	for (size_t i = 0; i < 3; i++) {
		snprintf(key, sizeof key, "p%zu", i);
		c[i] = gate_cell(g, key, v[i], 1);
	}
	c[3] = gate_cell(g, "total", 28, 1);
	CHECK(gate_sum(g, c[3], c, 3) == 0);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, c[0]) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(g, c[1]) == SUPPRESS_SHOWN && gate_mark(g, c[2]) == SUPPRESS_SHOWN);
	gate_free(g);
}

static void test_gate_clean_up_shows_what_protects_nothing(void)
{
	/* Parts 3, 40, 50 (93) and the same parts in a second table with its
	 * own total (a second route to the 3): 40 is hidden in the first
	 * round; every partner the gate hides must still be needed at the
	 * end, so showing any one of them again would give the 3 back. */
	gate *g = gate_new(GATE_THRESHOLD, 5);
	size_t a = gate_cell(g, "a", 3, 1), b = gate_cell(g, "b", 40, 1);
	size_t c = gate_cell(g, "c", 50, 1), t = gate_cell(g, "t", 93, 1);
	size_t u = gate_cell(g, "u", 43, 1);
	size_t all[] = {a, b, c}, two[] = {a, b};
	CHECK(gate_sum(g, t, all, 3) == 0);
	CHECK(gate_sum(g, u, two, 2) == 0);
	CHECK(gate_run(g) == 0);
	size_t cells[] = {b, c, t, u};
	for (size_t i = 0; i < 4; i++) {
		if (gate_mark(g, cells[i]) != SUPPRESS_SECONDARY)
			continue;
		/* Needed: a + b = 43 with b shown pins a; a + b + c = 93 with
		 * b, c shown pins a. Each hidden partner breaks one route. */
		CHECK(cells[i] == b || cells[i] == u || cells[i] == c || cells[i] == t);
	}
	/* The cheapest protection here hides 40 alone (it is in both sums). */
	CHECK(gate_mark(g, b) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(g, c) == SUPPRESS_SHOWN && gate_mark(g, t) == SUPPRESS_SHOWN &&
	      gate_mark(g, u) == SUPPRESS_SHOWN);
	gate_free(g);
}

/* A reproducible stream of numbers for the tables below (an LCG:
 * Numerical Recipes' constants). */
static uint32_t next_number(uint64_t *state)
{
	*state = *state * 6364136223846793005u + 1442695040888963407u;
	return (uint32_t)(*state >> 33);
}

/*
 * The gate reads again only the part of a component a change of mark can
 * move, solves its systems sparsely and remembers them; with g->check it
 * also reads the whole component after every such reading, solves every
 * system densely and again, and counts each difference. Here 40 tables
 * (layers of crossed rows and columns with every margin: row and column
 * totals per layer, the cells and margins added over the layers, the
 * grand totals; a third of the counts 1 to 4, some 0; in some tables the
 * layer totals unprinted) must give none, over thousands of readings.
 */
/* Random table `t` of the stream `state` (see below), its gate not yet
 * run; `check`: the gate's check mode. */
static gate *random_table(uint64_t *state, int t, int check)
{
	size_t layers = 1 + (size_t)t % 3, rows = 3 + next_number(state) % 3;
	size_t cols = 3 + next_number(state) % 4;
	int hide_totals = t % 4 == 3;
	gate *g = gate_new(GATE_THRESHOLD, 5);
	g->check = check;
	/* value[l][r][c], l == layers: the sum over layers; r == rows, c
	 * == cols: the margins. */
	uint64_t value[4][8][8];
	size_t cell[4][8][8], parts[8];
	memset(value, 0, sizeof value);
	for (size_t l = 0; l < layers; l++)
		for (size_t r = 0; r < rows; r++)
			for (size_t c = 0; c < cols; c++) {
				uint32_t u = next_number(state) % 6;
				uint64_t v = u < 2 ? 1 + next_number(state) % 4
				             : u == 2 ? 0 : 5 + next_number(state) % 40;
				value[l][r][c] = v;
				value[l][r][cols] += v;
				value[l][rows][c] += v;
				value[l][rows][cols] += v;
			}
	for (size_t r = 0; r <= rows; r++)
		for (size_t c = 0; c <= cols; c++)
			for (size_t l = 0; l < layers; l++)
				value[layers][r][c] += value[l][r][c];
	for (size_t l = 0; l <= layers; l++)
		for (size_t r = 0; r <= rows; r++)
			for (size_t c = 0; c <= cols; c++) {
				char key[32];
				snprintf(key, sizeof key, "%zu|%zu|%zu", l, r, c);
				int total = r == rows && c == cols;
				cell[l][r][c] = gate_cell(g, key, value[l][r][c],
				                          !(hide_totals && total && l < layers));
			}
	for (size_t l = 0; l <= layers; l++) {
		for (size_t r = 0; r <= rows; r++) {
			for (size_t c = 0; c < cols; c++)
				parts[c] = cell[l][r][c];
			CHECK(gate_sum(g, cell[l][r][cols], parts, cols) == 0);
		}
		for (size_t c = 0; c <= cols; c++) {
			for (size_t r = 0; r < rows; r++)
				parts[r] = cell[l][r][c];
			CHECK(gate_sum(g, cell[l][rows][c], parts, rows) == 0);
		}
	}
	for (size_t r = 0; r <= rows && layers > 1; r++)
		for (size_t c = 0; c <= cols; c++) {
			for (size_t l = 0; l < layers; l++)
				parts[l] = cell[l][r][c];
			CHECK(gate_sum(g, cell[layers][r][c], parts, layers) == 0);
		}
	return g;
}

/*
 * The gate reads again only the part of a component a change of mark can
 * move, solves its systems sparsely and remembers them; with g->check it
 * also reads the whole component after every such reading, solves every
 * system densely and again, and counts each difference. Here 40 tables
 * (layers of crossed rows and columns with every margin: row and column
 * totals per layer, the cells and margins added over the layers, the
 * grand totals; a third of the counts 1 to 4, some 0; in some tables the
 * layer totals unprinted) must give none, over thousands of readings.
 */
static void test_gate_partial_reads_equal_whole(void)
{
	uint64_t state = 20261207;
	size_t checked = 0, failures = 0, hidden = 0;
	for (int t = 0; t < 40; t++) {
		gate *g = random_table(&state, t, 1);
		CHECK(gate_run(g) == 0);
		size_t primary, secondary;
		gate_hidden_counts(g, &primary, &secondary);
		hidden += secondary;
		checked += g->checked;
		failures += g->check_failures;
		gate_free(g);
	}
	CHECK(failures == 0);
	CHECK(checked > 2000 && hidden > 100); /* the tables did make the gate work */
}

/*
 * A large clean-up's outcome is remembered (gate->memo) under a digest of
 * its component and applied when the same component comes again: the
 * marks must be the ones working it out gives. The 40 tables, each gated
 * from scratch, then with an empty memo (which learns) and again with it
 * (which applies): the same marks every time, and the third applies the
 * memo and learns nothing. Other tables (another stream) have clean-ups of
 * their own to learn.
 */
static void test_gate_memo_gives_the_same_marks(void)
{
	parity_gate_memo *memo = parity_gate_memo_new();
	uint64_t s0 = 4242, s1 = 4242, s2 = 4242, other = 99, other0 = 99;
	size_t differ = 0, found = 0, kept = 0, strangers = 0;
	CHECK(memo != NULL);
	for (int t = 0; t < 40 && memo; t++) {
		gate *scratch = random_table(&s0, t, 0);
		gate *learn = random_table(&s1, t, 0);
		gate *apply = random_table(&s2, t, 0);
		gate *stranger = random_table(&other, t, 0);
		gate *stranger0 = random_table(&other0, t, 0);
		gate *with[3] = {learn, apply, stranger};
		for (int k = 0; k < 3; k++) {
			with[k]->memo_work = 0;
			gate_set_memo(with[k], memo);
		}
		CHECK(gate_run(scratch) == 0 && gate_run(learn) == 0 && gate_run(apply) == 0 &&
		      gate_run(stranger) == 0 && gate_run(stranger0) == 0);
		for (size_t i = 0; i < gate_cell_count(scratch); i++)
			differ += gate_mark(scratch, i) != gate_mark(learn, i) ||
			          gate_mark(scratch, i) != gate_mark(apply, i);
		for (size_t i = 0; i < gate_cell_count(stranger); i++)
			differ += gate_mark(stranger0, i) != gate_mark(stranger, i);
		/* The second learns nothing: every clean-up was remembered (a
		 * component seen in an earlier table too is found at once). */
		CHECK(apply->memo_kept == 0);
		CHECK(apply->memo_found == learn->memo_found + learn->memo_kept);
		found += apply->memo_found;
		kept += learn->memo_kept;
		strangers += stranger->memo_kept;
		gate_free(scratch);
		gate_free(learn);
		gate_free(apply);
		gate_free(stranger);
		gate_free(stranger0);
	}
	CHECK(differ == 0);
	CHECK(kept >= 20 && found >= kept && strangers >= 20);
	parity_gate_memo_free(memo);
}

/* A 2 x 2 table with every margin (a b / c d, rows, columns, total), a
 * small and d as given: the gate, not yet run; clean-ups remembered from
 * any size. */
static gate *two_by_two(uint64_t d)
{
	static const char *const keys[] = {"a", "b", "c", "d", "r1", "r2", "k1", "k2", "t"};
	const uint64_t values[] = {2, 30, 40, d, 32, 40 + d, 42, 30 + d, 72 + d};
	size_t c[9];
	gate *g = gate_new(GATE_THRESHOLD, 5);
	g->memo_work = 0;
	for (size_t i = 0; i < 9; i++)
		c[i] = gate_cell(g, keys[i], values[i], 1);
	size_t r1[2] = {c[0], c[1]}, r2[2] = {c[2], c[3]}, k1[2] = {c[0], c[2]};
	size_t k2[2] = {c[1], c[3]}, rows[2] = {c[4], c[5]};
	CHECK(gate_sum(g, c[4], r1, 2) == 0 && gate_sum(g, c[5], r2, 2) == 0 &&
	      gate_sum(g, c[6], k1, 2) == 0 && gate_sum(g, c[7], k2, 2) == 0 &&
	      gate_sum(g, c[8], rows, 2) == 0);
	return g;
}

/*
 * A remembered outcome is found only for the same counts (the same table
 * with d 60 instead of 50 finds nothing), and applied only if the counts
 * it shows were hidden besides and showing them leaks nothing: one kept in
 * a store and changed there (every hidden count shown again, the table's
 * small count then worked out from its row) is refused, and the gate works
 * the clean-up out instead, giving the marks it gives from scratch.
 */
static void test_gate_memo_is_checked(void)
{
	gate *scratch = two_by_two(50), *learn = two_by_two(50), *same = two_by_two(50);
	gate *other = two_by_two(60), *tampered_run = two_by_two(50);
	parity_gate_memo *memo = parity_gate_memo_new(), *again = parity_gate_memo_new();
	parity_store *store = NULL;
	char dir[] = "/tmp/parity-gate-memo-XXXXXX", path[64];
	CHECK(memo && again && mkdtemp(dir));
	snprintf(path, sizeof path, "%s/memo.db", dir);
	CHECK(parity_store_open(&store, path, 1) == 0);
	CHECK(gate_run(scratch) == 0);
	gate_set_memo(learn, memo);
	gate_set_memo(same, memo);
	gate_set_memo(other, memo);
	CHECK(gate_run(learn) == 0 && learn->memo_kept == 1);
	CHECK(gate_run(same) == 0 && same->memo_found == 1);
	CHECK(gate_run(other) == 0 && other->memo_found == 0 && other->memo_kept == 1);
	CHECK(parity_gate_memo_save(memo, store) == 0);
	/* The d = 50 outcome kept, with every count still hidden besides
	 * shown too. */
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	unsigned char tampered[64];
	size_t len = 0, hidden = 0;
	CHECK(sqlite3_open(path, &db) == SQLITE_OK);
	CHECK(sqlite3_prepare_v2(db, "SELECT result FROM gate_memo ORDER BY used LIMIT 1", -1,
	                         &st, NULL) == SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW);
	len = (size_t)sqlite3_column_bytes(st, 0);
	CHECK(len <= 36);
	if (len && len <= 36)
		memcpy(tampered, sqlite3_column_blob(st, 0), len);
	sqlite3_finalize(st);
	for (uint32_t i = 0; i < 9; i++)
		if (gate_mark(scratch, i) == SUPPRESS_SECONDARY && len + 4 <= sizeof tampered) {
			for (int b = 0; b < 4; b++) /* little-endian, as kept */
				tampered[len++] = (unsigned char)(i >> (8 * b));
			hidden++;
		}
	CHECK(hidden >= 2); /* a's row and column partners at least */
	CHECK(sqlite3_prepare_v2(db, "UPDATE gate_memo SET result = ?", -1, &st, NULL) ==
	      SQLITE_OK);
	sqlite3_bind_blob(st, 1, tampered, (int)len, SQLITE_STATIC);
	CHECK(sqlite3_step(st) == SQLITE_DONE);
	sqlite3_finalize(st);
	sqlite3_close(db);
	CHECK(parity_gate_memo_load(again, store) == 0);
	gate_set_memo(tampered_run, again);
	CHECK(gate_run(tampered_run) == 0);
	CHECK(tampered_run->memo_found == 0);
	for (size_t i = 0; i < 9; i++)
		CHECK(gate_mark(tampered_run, i) == gate_mark(scratch, i) &&
		      gate_mark(same, i) == gate_mark(scratch, i));
	gate_free(scratch);
	gate_free(learn);
	gate_free(same);
	gate_free(other);
	gate_free(tampered_run);
	parity_gate_memo_free(memo);
	parity_gate_memo_free(again);
	parity_store_close(store);
	unlink(path);
	rmdir(dir);
}

/* Every key finds the cell it was registered as, however it is kept: a
 * table's keys ("\1", its number in hex, '|') in the table's own chain
 * and, past 64 of one table, in the hash table with the others; keys that
 * only look like a table's (seven digits, no '|', not hex) with the others.
 * Cells are numbered in the order first registered; registering a key
 * again gives its cell (printed if either says so); a reset forgets all. */
static void test_gate_keys_find_their_cells(void)
{
	static const char *const prefixes[] = {"\1" "0|", "\1" "1f|", "\1" "abcdef|",
	                                       "\1" "1234567|", "\1" "xyz|", "\1" "|",
	                                       "\1" "ab", "plain|", "\1" "00|"};
	enum { PREFIXES = sizeof prefixes / sizeof prefixes[0], PER = 150 };
	gate *g = gate_new(GATE_THRESHOLD, 5);
	char key[64];
	size_t n = 0;
	for (size_t k = 0; k < PER; k++)
		for (size_t p = 0; p < PREFIXES; p++, n++) {
			snprintf(key, sizeof key, "%sk%zu", prefixes[p], k);
			CHECK(gate_cell(g, key, k, 0) == n);
		}
	CHECK(gate_cell_count(g) == PREFIXES * PER);
	/* Again, backwards: the same cells, now printed. */
	for (size_t k = PER; k-- > 0;)
		for (size_t p = PREFIXES; p-- > 0;) {
			snprintf(key, sizeof key, "%sk%zu", prefixes[p], k);
			size_t want = k * PREFIXES + p;
			CHECK(gate_find(g, key) == want);
			CHECK(gate_cell(g, key, 0, 1) == want);
			CHECK(gate_printed(g, want) && gate_value(g, want) == k);
		}
	CHECK(gate_cell_count(g) == PREFIXES * PER);
	CHECK(gate_find(g, "\1" "0|k150") == GATE_NONE && gate_find(g, "\1" "0|") == GATE_NONE);
	gate_reset(g);
	CHECK(gate_cell_count(g) == 0 && gate_find(g, "\1" "1f|k3") == GATE_NONE);
	CHECK(gate_cell(g, "\1" "1f|k3", 2, 1) == 0 && gate_find(g, "\1" "1f|k3") == 0);
	gate_free(g);
}

int main(void)
{
	parity_init();
	RUN(test_gate_off_shows_everything);
	RUN(test_gate_primary_cells);
	RUN(test_gate_secondary_next_smallest);
	RUN(test_gate_secondary_skips_zero);
	RUN(test_gate_two_primaries_need_no_partner);
	RUN(test_gate_two_primaries_pinned_by_bounds);
	RUN(test_gate_difference_within_row);
	RUN(test_gate_two_groupings_share_a_total);
	RUN(test_gate_crossed_table_closes_in_a_rectangle);
	RUN(test_gate_same_count_printed_twice);
	RUN(test_gate_sum_that_does_not_hold_is_ignored);
	RUN(test_gate_rounding_policy_hides_no_partner);
	RUN(test_gate_clean_up_shows_what_protects_nothing);
	RUN(test_gate_partial_reads_equal_whole);
	RUN(test_gate_memo_gives_the_same_marks);
	RUN(test_gate_memo_is_checked);
	RUN(test_gate_keys_find_their_cells);
	return HARNESS_REPORT();
}
