/*
 * store_memo.h: the gate's side of the memo of clean-ups (parity/store.h):
 * an outcome found by its digest, or kept under it. Both are safe from two
 * threads at once.
 */
#ifndef PARITY_STORE_MEMO_H
#define PARITY_STORE_MEMO_H

#include "parity/store.h"

#include <stddef.h>

#define GATE_MEMO_KEY 65 /* a SHA-256 in hex, and its NUL */

/* The outcome kept under `key` into *data (the caller frees) and *len:
 * 1, or 0 when there is none (or no memory to copy it: a cache). */
int gate_memo_find(parity_gate_memo *memo, const char *key, unsigned char **data,
                   size_t *len);
/* Keep `data` under `key` (out of memory: forgotten, a cache). */
void gate_memo_keep(parity_gate_memo *memo, const char *key, const unsigned char *data,
                    size_t len);

#endif
