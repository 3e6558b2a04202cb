/*
 * cube.c: counts summed by key. A cube holds one entry per distinct key
 * (the codes or classes of a few dimensions and a contract status), so its
 * size follows the strata and classes an analysis reports, never the number
 * of cells read.
 */
#include "analyse_internal.h"

#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(const uint32_t *key, size_t words)
{
	uint64_t h = UINT64_C(0x9E3779B97F4A7C15);
	for (size_t i = 0; i < words; i++) {
		h ^= key[i];
		h *= UINT64_C(0xBF58476D1CE4E5B9);
		h ^= h >> 31;
	}
	return h;
}

/* Double the table and place every entry again. 0 or PARITY_ENOMEM (the
 * cube unchanged). */
static int grow_table(cube *c)
{
	size_t words = c->width + 1;
	size_t size = c->table_size ? c->table_size * 2 : 64;
	uint32_t *table = calloc(size, sizeof *table);
	if (!table)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (size_t e = 0; e < c->count; e++) {
		size_t i = (size_t)hash_key(&c->keys[e * words], words) & (size - 1);
		while (table[i])
			i = (i + 1) & (size - 1);
		table[i] = (uint32_t)e + 1;
	}
	free(c->table);
	c->table = table;
	c->table_size = size;
	return 0;
}

/* Room for one more entry. 0 or PARITY_ENOMEM (the cube unchanged). */
static int reserve_entry(cube *c)
{
	if ((c->count + 1) * 2 > c->table_size && grow_table(c))
		return PARITY_ENOMEM;
	if (c->count < c->capacity)
		return 0;
	if (c->capacity >= UINT32_MAX / 2)
		return parity_error_set(PARITY_ENOMEM, "out of memory: too many strata");
	size_t words = c->width + 1;
	size_t capacity = c->capacity ? c->capacity * 2 : 32;
	uint32_t *keys = realloc(c->keys, capacity * words * sizeof *keys);
	if (!keys)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	c->keys = keys;
	uint64_t *sums = realloc(c->sums, capacity * CUBE_SUMS * sizeof *sums);
	if (!sums)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	c->sums = sums;
	c->capacity = capacity;
	return 0;
}

int cube_add(cube *c, const uint32_t *key, const uint64_t *add)
{
	size_t words = c->width + 1;
	uint64_t h = hash_key(key, words);
	if (c->table_size) {
		for (size_t i = (size_t)h & (c->table_size - 1); c->table[i];
		     i = (i + 1) & (c->table_size - 1)) {
			size_t e = c->table[i] - 1;
			const uint32_t *at = &c->keys[e * words];
			size_t w = 0;
			while (w < words && at[w] == key[w])
				w++;
			if (w == words) {
				for (int k = 0; k < CUBE_SUMS; k++)
					c->sums[e * CUBE_SUMS + (size_t)k] += add[k];
				return 0;
			}
		}
	}
	if (reserve_entry(c))
		return PARITY_ENOMEM;
	size_t e = c->count++;
	memcpy(&c->keys[e * words], key, words * sizeof *key);
	memcpy(&c->sums[e * CUBE_SUMS], add, CUBE_SUMS * sizeof *add);
	size_t i = (size_t)h & (c->table_size - 1);
	while (c->table[i])
		i = (i + 1) & (c->table_size - 1);
	c->table[i] = (uint32_t)e + 1;
	return 0;
}

void cube_free(cube *c)
{
	free(c->keys);
	free(c->sums);
	free(c->table);
	c->keys = c->table = NULL;
	c->sums = NULL;
	c->count = c->capacity = c->table_size = 0;
}
