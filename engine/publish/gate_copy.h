/*
 * gate_copy.h: a gate's decisions copied into a new gate, to ask what else
 * may be printed beside them without changing any of them (the programme's
 * event study asks which organisation-years its terms may rest on).
 */
#ifndef PARITY_GATE_COPY_H
#define PARITY_GATE_COPY_H

#include "gate.h"

/*
 * A new gate holding every cell of `g` (cell i of the copy is cell i of
 * `g`, under a key of its own, "\2" and i in hex) with its value, every sum
 * of `g`, and each printed cell fixed at the mark `g` gave it, so that
 * gate_run() on the copy can hide only cells added or printed after the
 * copy was made. Call after gate_run(g). NULL when out of memory.
 */
gate *gate_copy_decided(const gate *g);

#endif
