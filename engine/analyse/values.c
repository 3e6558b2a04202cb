/*
 * values.c: the values of a run's cells as small integers. Each dimension
 * (organisation, ethnic category, ...) has a dictionary from the bytes of a
 * value to a code, given in the order values are first seen; each code's
 * class on every way of grouping that dimension (White/BME, disabled or
 * not, the NHS code of a religion given as a label) is worked out once,
 * when the value is first seen, so that a cell is classified by reading
 * small arrays, never by comparing strings.
 */
#include "analyse_internal.h"

#include "parity/codes.h"
#include "parity/common.h"

#include <stdlib.h>
#include <string.h>

/* ---- one dictionary --------------------------------------------------- */

/* The last eight bytes of a value of more than eight. */
static uint64_t tail_word(const char *text, size_t length)
{
	uint64_t word;
	memcpy(&word, text + length - 8, 8);
	return word;
}

/* The hash of a value: of its length and first and last eight bytes (the
 * comparison checks the rest). */
static uint64_t hash_bytes(const char *text, size_t length)
{
	uint64_t h = vdict_mix(vdict_head_word(text, length) ^ length);
	return length > 8 ? vdict_mix(h ^ tail_word(text, length)) : h;
}

/* Whether code `c` of `d` is the value `length` bytes at `text` with hash
 * `h` and head word `head`. */
static int same_value(const vdict *d, uint32_t c, uint64_t h, uint64_t head,
                      const char *text, size_t length)
{
	if (d->hashes[c] != h || d->lengths[c] != length || d->heads[c] != head)
		return 0;
	if (length <= 8)
		return 1;
	const char *stored = d->texts[c];
	if (tail_word(stored, length) != tail_word(text, length))
		return 0;
	for (size_t at = 8; at + 8 < length; at += 8) {
		uint64_t a, b;
		memcpy(&a, stored + at, 8);
		memcpy(&b, text + at, 8);
		if (a != b)
			return 0;
	}
	return 1;
}

/* Double the slots and place every code again. 0 or PARITY_ENOMEM (the
 * dictionary unchanged). */
static int vdict_grow_slots(vdict *d)
{
	size_t slot_count = d->slot_count ? d->slot_count * 2 : 64;
	uint32_t *slots = calloc(slot_count, sizeof *slots);
	if (!slots)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	for (uint32_t code = 0; code < d->count; code++) {
		size_t i = (size_t)d->hashes[code] & (slot_count - 1);
		while (slots[i])
			i = (i + 1) & (slot_count - 1);
		slots[i] = code + 1;
	}
	free(d->slots);
	d->slots = slots;
	d->slot_count = slot_count;
	return 0;
}

int vdict_find(const vdict *d, const char *text, size_t length, uint32_t *code)
{
	if (!d->slot_count)
		return 0;
	uint64_t h = hash_bytes(text, length), head = vdict_head_word(text, length);
	for (size_t i = (size_t)h & (d->slot_count - 1); d->slots[i];
	     i = (i + 1) & (d->slot_count - 1)) {
		uint32_t c = d->slots[i] - 1;
		if (same_value(d, c, h, head, text, length)) {
			*code = c;
			return 1;
		}
	}
	return 0;
}

int vdict_code(vdict *d, const char *text, size_t length, uint32_t *code, int *added)
{
	uint64_t head = vdict_head_word(text, length);
	*added = 0;
	/* A value met lately: one compare (values_code() tried it inline). */
	uint64_t tail = vdict_tail_word(text, length);
	vdict_recent *r = &d->recent[vdict_recent_slot(head, tail, length)];
	if (r->length1 == length + 1 && r->head == head && r->tail == tail &&
	    (length <= 16 || !memcmp(text + 8, d->texts[r->code] + 8, length - 16))) {
		*code = r->code;
		return 0;
	}
	uint64_t h = hash_bytes(text, length);
	if (d->slot_count) {
		size_t i = (size_t)h & (d->slot_count - 1);
		for (; d->slots[i]; i = (i + 1) & (d->slot_count - 1)) {
			uint32_t c = d->slots[i] - 1;
			if (same_value(d, c, h, head, text, length)) {
				*code = c;
				*r = (vdict_recent){head, tail, (uint32_t)length + 1, c};
				return 0;
			}
		}
	}
	if ((d->count + 1) * 2 > d->slot_count && vdict_grow_slots(d))
		return PARITY_ENOMEM;
	if (d->count == d->capacity) {
		size_t capacity = d->capacity ? d->capacity * 2 : 16;
		char **texts = realloc(d->texts, capacity * sizeof *texts);
		if (texts)
			d->texts = texts;
		uint32_t *lengths = texts ? realloc(d->lengths, capacity * sizeof *lengths)
		                          : NULL;
		if (lengths)
			d->lengths = lengths;
		uint64_t *hashes = lengths ? realloc(d->hashes, capacity * sizeof *hashes)
		                           : NULL;
		if (hashes)
			d->hashes = hashes;
		uint64_t *heads = hashes ? realloc(d->heads, capacity * sizeof *heads) : NULL;
		if (!heads)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		d->heads = heads;
		d->capacity = capacity;
	}
	char *copy = malloc(length + 1);
	if (!copy)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	memcpy(copy, text, length);
	copy[length] = '\0';
	size_t i = (size_t)h & (d->slot_count - 1);
	while (d->slots[i])
		i = (i + 1) & (d->slot_count - 1);
	d->slots[i] = (uint32_t)d->count + 1;
	d->texts[d->count] = copy;
	d->lengths[d->count] = (uint32_t)length;
	d->hashes[d->count] = h;
	d->heads[d->count] = head;
	*code = (uint32_t)d->count++;
	*added = 1;
	*r = (vdict_recent){head, tail, (uint32_t)length + 1, *code};
	return 0;
}

const char *vdict_text(const vdict *d, uint32_t code)
{
	return code < d->count ? d->texts[code] : "";
}

static void vdict_free(vdict *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->texts[i]);
	free(d->texts);
	free(d->lengths);
	free(d->hashes);
	free(d->heads);
	free(d->slots);
	memset(d, 0, sizeof *d);
}

/* ---- the run's values -------------------------------------------------- */

/* The ways dimension `dim` is grouped (its axis modes): AX_RAW always. */
static int mode_applies(int dim, axis_mode mode)
{
	switch (mode) {
	case AX_RAW: return 1;
	case AX_WHITE_BME: return dim == D_ETHNIC;
	case AX_DISABILITY: return dim == D_DISABILITY;
	case AX_CODED: return dim == D_ORIENTATION || dim == D_RELIGION;
	default: return 0;
	}
}

/* Work out what is known of a code just added to dimension `dim`: its
 * class on each mode, and for contracts and stages their meaning. 0 or
 * PARITY_ENOMEM. */
static int describe(values *v, int dim, uint32_t code)
{
	vdict *d = &v->raw[dim];
	if (d->count > v->described[dim]) {
		size_t capacity = d->capacity;
		for (int mode = 0; mode < AX_MODES; mode++) {
			if (!mode_applies(dim, (axis_mode)mode))
				continue;
			uint32_t *grown = realloc(v->class_of[dim][mode],
			                          capacity * sizeof *grown);
			if (!grown)
				return parity_error_set(PARITY_ENOMEM, "out of memory");
			v->class_of[dim][mode] = grown;
		}
		unsigned char *info = realloc(v->info[dim], capacity);
		if (!info)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		v->info[dim] = info;
		v->described[dim] = capacity;
	}
	const char *text = d->texts[code];
	for (int mode = 0; mode < AX_MODES; mode++) {
		if (!mode_applies(dim, (axis_mode)mode))
			continue;
		axis a = {dim, (axis_mode)mode};
		const char *cls = axis_class(&a, text);
		uint32_t class_code = 0;
		if (cls) {
			int added;
			if (vdict_code(&v->classes[dim][mode], cls, strlen(cls), &class_code,
			              &added))
				return PARITY_ENOMEM;
			class_code++;
		}
		v->class_of[dim][mode][code] = class_code;
	}
	unsigned char info = 0;
	if (dim == D_CONTRACT)
		info = !strcmp(text, "bank") ? CONTRACT_BANK
		       : !text[0] || !strcmp(text, PARITY_CODE_NOT_STATED) ? CONTRACT_NONE
		                                                          : CONTRACT_OTHER;
	else if (dim == D_STAGE)
		info = (unsigned char)(parity_case_stage_rank(text) + 1);
	v->info[dim][code] = info;
	return 0;
}

int values_code_slow(values *v, int dim, const char *text, size_t length,
                     uint32_t *code)
{
	int added;
	if (vdict_code(&v->raw[dim], text, length, code, &added))
		return PARITY_ENOMEM;
	return added ? describe(v, dim, *code) : 0;
}

const char *values_text(const values *v, int dim, uint32_t code)
{
	return vdict_text(&v->raw[dim], code);
}

int values_class_find(const values *v, const axis *a, const char *cls, uint32_t *code)
{
	if (!vdict_find(&v->classes[a->dim][a->mode], cls, strlen(cls), code))
		return 0;
	(*code)++;
	return 1;
}

const char *values_class_text(const values *v, const axis *a, uint32_t class_code)
{
	return class_code ? vdict_text(&v->classes[a->dim][a->mode], class_code - 1) : "";
}

void values_free(values *v)
{
	for (int dim = 0; dim < D_COUNT; dim++) {
		vdict_free(&v->raw[dim]);
		for (int mode = 0; mode < AX_MODES; mode++) {
			vdict_free(&v->classes[dim][mode]);
			free(v->class_of[dim][mode]);
		}
		free(v->info[dim]);
	}
	memset(v, 0, sizeof *v);
}
