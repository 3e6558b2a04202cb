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

_Static_assert(CUBE_SUMS == 4, "cube_add adds four sums");

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

/* Place every entry in a new table of `size` slots (a power of two). 0 or
 * PARITY_ENOMEM (the cube unchanged). */
static int place_all(cube *c, size_t size)
{
	size_t words = c->width + 1;
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

/* Room for one more key and its sums. 0 or PARITY_ENOMEM (the cube
 * unchanged). */
static int reserve_keys(cube *c)
{
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

/* Append `key` with `add` as a new entry (room reserved): its index. */
static size_t append(cube *c, const uint32_t *key, const uint64_t *add)
{
	size_t words = c->width + 1, e = c->count++;
	memcpy(&c->keys[e * words], key, words * sizeof *key);
	memcpy(&c->sums[e * CUBE_SUMS], add, CUBE_SUMS * sizeof *add);
	return e;
}

/* The bits `value` needs. */
static unsigned bits_for(uint32_t value)
{
	unsigned n = 0;
	while (value >> n)
		n++;
	return n;
}

/* Where `key` goes in dense[]. */
static inline size_t dense_index(const cube *c, const uint32_t *key)
{
	size_t index = 0;
	unsigned shift = 0;
	for (size_t w = 0; w <= c->width; w++) {
		index |= (size_t)key[w] << shift;
		shift += c->bits[w];
	}
	return index;
}

/* Make dense[] wide enough for `key` (with a bit to spare on each word
 * that grows), or move to the hash table when that would pass
 * CUBE_DENSE_BITS. 0 or PARITY_ENOMEM (the cube unchanged). */
static int widen(cube *c, const uint32_t *key)
{
	unsigned char bits[CUBE_SLOTS + 1];
	unsigned total = 0;
	for (size_t w = 0; w <= c->width; w++) {
		unsigned need = bits_for(key[w]);
		bits[w] = c->bits[w];
		if (need > bits[w])
			bits[w] = (unsigned char)(need > (unsigned)bits[w] + 1 ? need : bits[w] + 1u);
		total += bits[w];
	}
	if (total > CUBE_DENSE_BITS) {
		size_t size = 64;
		while (size < 2 * (c->count + 1))
			size *= 2;
		if (place_all(c, size))
			return PARITY_ENOMEM;
		free(c->dense);
		c->dense = NULL;
		c->hashed = 1;
		return 0;
	}
	uint32_t *dense = calloc((size_t)1 << total, sizeof *dense);
	if (!dense)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	memcpy(c->bits, bits, sizeof bits);
	c->dense_bits = total;
	size_t words = c->width + 1;
	for (size_t e = 0; e < c->count; e++)
		dense[dense_index(c, &c->keys[e * words])] = (uint32_t)e + 1;
	free(c->dense);
	c->dense = dense;
	return 0;
}

/* cube_add() once the cube is hashed. */
static int add_hashed(cube *c, const uint32_t *key, const uint64_t *add)
{
	size_t words = c->width + 1;
	uint64_t h = hash_key(key, words);
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
	if ((c->count + 1) * 2 > c->table_size && place_all(c, c->table_size * 2))
		return PARITY_ENOMEM;
	if (reserve_keys(c))
		return PARITY_ENOMEM;
	size_t e = append(c, key, add);
	size_t i = (size_t)h & (c->table_size - 1);
	while (c->table[i])
		i = (i + 1) & (c->table_size - 1);
	c->table[i] = (uint32_t)e + 1;
	return 0;
}

int cube_add(cube *c, const uint32_t *key, const uint64_t *add)
{
	if (c->hashed)
		return add_hashed(c, key, add);
	/* The key's place, and whether every word fits its bits. */
	size_t index = 0;
	uint32_t over = c->dense ? 0 : 1;
	unsigned shift = 0;
	for (size_t w = 0; w <= c->width; w++) {
		over |= key[w] >> c->bits[w];
		index |= (size_t)key[w] << shift;
		shift += c->bits[w];
	}
	if (over) {
		if (widen(c, key))
			return PARITY_ENOMEM;
		if (c->hashed)
			return add_hashed(c, key, add);
		index = dense_index(c, key);
	}
	uint32_t *slot = &c->dense[index];
	if (*slot) {
		uint64_t *sums = &c->sums[(size_t)(*slot - 1) * CUBE_SUMS];
		sums[0] += add[0]; /* CUBE_SUMS: 4 */
		sums[1] += add[1];
		sums[2] += add[2];
		sums[3] += add[3];
		return 0;
	}
	if (reserve_keys(c))
		return PARITY_ENOMEM;
	*slot = (uint32_t)append(c, key, add) + 1;
	return 0;
}

void cube_free(cube *c)
{
	free(c->keys);
	free(c->sums);
	free(c->table);
	free(c->dense);
	c->keys = c->table = c->dense = NULL;
	c->sums = NULL;
	c->count = c->capacity = c->table_size = 0;
	memset(c->bits, 0, sizeof c->bits);
	c->dense_bits = 0;
	c->hashed = 0;
}
