/*
 * fuzz_packs.c: the reader of stored cell packs (engine/store/store_cells.c) on
 * arbitrary bytes: it must refuse or read, never overrun; whatever it reads
 * must write back to a pack that reads back to the same cells.
 */
#include "fuzz_common.h"

#include "store/store_internal.h"

#include <stdlib.h>

static int same_cell(const store_cell *a, const store_cell *b)
{
	for (int d = 0; d < STORE_DIMENSIONS; d++)
		if (a->length[d] != b->length[d] ||
		    (a->length[d] && memcmp(a->dim[d], b->dim[d], a->length[d])))
			return 0;
	return a->rows == b->rows && a->shortlisted == b->shortlisted &&
	       a->appointed == b->appointed;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* A copy of exactly `size` bytes, so reading past it is caught. */
	char *text = malloc(size ? size : 1);
	if (!text)
		return 0;
	if (size)
		memcpy(text, data, size);
	store_pack_reader reader, again;
	store_pack pack;
	memset(&reader, 0, sizeof reader);
	memset(&again, 0, sizeof again);
	memset(&pack, 0, sizeof pack);
	store_cell cell;
	int rc = store_pack_open(&reader, text, size);
	while (!rc && (rc = store_pack_next(&reader, &cell)) == 1)
		rc = store_pack_add(&pack, &cell) ? -1 : 0;
	if (rc == 0 && store_pack_finish(&pack) == 0) {
		/* Read the whole input: its cells again, from our own writing. */
		store_cell first, second;
		if (store_pack_open(&reader, text, size) || store_pack_open(&again, pack.text, pack.used))
			abort();
		for (;;) {
			int a = store_pack_next(&reader, &first);
			/* `first` points into reader's scratch: compare before reading on. */
			int b = store_pack_next(&again, &second);
			if (a != b)
				abort();
			if (a != 1)
				break;
			if (!same_cell(&first, &second))
				abort();
		}
	}
	store_pack_reader_free(&reader);
	store_pack_reader_free(&again);
	store_pack_free(&pack);
	free(text);
	return 0;
}
