/*
 * test_gate_copy.c: a gate's decisions copied (engine/publish/gate_copy.c)
 * and asked what else may be printed beside them: the copy keeps every
 * cell, sum and mark, never changes a printed cell's mark, and hides a new
 * cell that, printed, would give a hidden count back. Worked by hand.
 */
#include "harness.h"

#include "parity.h"
#include "publish/gate.h"
#include "publish/gate_copy.h"

/* 3, 9 and 20 with their total 32, all printed, threshold 5: 3 is hidden
 * ("<5") and, since 32 - 9 - 20 would give it back, the smallest other
 * part, 9, is hidden besides ("[c]"). In the copy, a new cell equal to the
 * 9 (another document's count of the same people: d = 9 through the sum
 * d = b) printed would give 9 back and so 3 = 32 - 20 - 9: the copy's gate
 * must hide d and leave every mark of the original as it was. A new cell
 * equal to the 20 (shown) may print. */
static void test_gate_copy_hides_only_what_is_new(void)
{
	gate *g = gate_new(GATE_THRESHOLD, 5);
	size_t a = gate_cell(g, "a", 3, 1), b = gate_cell(g, "b", 9, 1);
	size_t c = gate_cell(g, "c", 20, 1), total = gate_cell(g, "total", 32, 1);
	size_t parts[] = {a, b, c};
	CHECK(gate_sum(g, total, parts, 3) == 0);
	CHECK(gate_run(g) == 0);
	CHECK(gate_mark(g, a) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(g, b) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(g, c) == SUPPRESS_SHOWN);
	CHECK(gate_mark(g, total) == SUPPRESS_SHOWN);

	gate *copy = gate_copy_decided(g);
	CHECK(copy != NULL);
	if (!copy) {
		gate_free(g);
		return;
	}
	CHECK(gate_cell_count(copy) == 4);
	CHECK(gate_value(copy, b) == 9 && gate_printed(copy, b));
	size_t d = gate_cell(copy, "d", 9, 0), e = gate_cell(copy, "e", 20, 0);
	CHECK(gate_sum(copy, d, &b, 1) == 0);
	CHECK(gate_sum(copy, e, &c, 1) == 0);
	gate_print(copy, d);
	gate_print(copy, e);
	CHECK(gate_run(copy) == 0);
	CHECK(gate_mark(copy, d) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(copy, e) == SUPPRESS_SHOWN);
	CHECK(gate_mark(copy, a) == SUPPRESS_PRIMARY);
	CHECK(gate_mark(copy, b) == SUPPRESS_SECONDARY);
	CHECK(gate_mark(copy, c) == SUPPRESS_SHOWN);
	CHECK(gate_mark(copy, total) == SUPPRESS_SHOWN);
	/* The original is untouched. */
	CHECK(gate_cell_count(g) == 4);
	CHECK(gate_mark(g, b) == SUPPRESS_SECONDARY);
	gate_free(copy);
	gate_free(g);
}

/* An unprinted count stays unprinted in the copy, and what the original
 * hid stays hidden: a small count (2, never printed) is 12 - 10, both
 * printed, so the original hides one of them; the copy, run again, keeps
 * both marks and has nothing left to protect. */
static void test_gate_copy_keeps_unprinted(void)
{
	gate *g = gate_new(GATE_THRESHOLD, 5);
	size_t small = gate_cell(g, "small", 2, 0), other = gate_cell(g, "other", 10, 1);
	size_t total = gate_cell(g, "total", 12, 1);
	size_t parts[] = {small, other};
	CHECK(gate_sum(g, total, parts, 2) == 0);
	CHECK(gate_run(g) == 0);
	int hidden = (gate_mark(g, other) == SUPPRESS_SECONDARY) +
	             (gate_mark(g, total) == SUPPRESS_SECONDARY);
	CHECK(hidden == 1);
	gate *copy = gate_copy_decided(g);
	CHECK(copy != NULL);
	if (copy) {
		CHECK(!gate_printed(copy, small));
		CHECK(gate_run(copy) == 0);
		CHECK(gate_mark(copy, small) == SUPPRESS_PRIMARY);
		CHECK(gate_mark(copy, other) == gate_mark(g, other));
		CHECK(gate_mark(copy, total) == gate_mark(g, total));
		CHECK(gate_unprotected(copy) == 0);
	}
	gate_free(copy);
	gate_free(g);
}

int main(void)
{
	parity_init();
	RUN(test_gate_copy_hides_only_what_is_new);
	RUN(test_gate_copy_keeps_unprinted);
	return HARNESS_REPORT();
}
