/*
 * export.c: the count cube written out as an aggregate counts CSV, the form
 * in which organisations pool their figures without moving person-level
 * data: exact (and ingestible again as kind "counts"), or with small counts
 * suppressed for publishing.
 */
#include "parity/store.h"

#include "csv/csvread.h"
#include "parity/common.h"
#include "parity/period.h"
#include "store_internal.h"
#include "util/util.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char header[] =
	"kind,month,organisation,ethnic_category,sex,disability,age_band,pay_band,"
	"staff_group,contract,process,grounds,sexual_orientation,religion,stage,rows,"
	"shortlisted,appointed\n";

/* ---- the cells of one kind and month, summed --------------------------- */

/* A combination of dimension values and its summed counts. */
typedef struct summed {
	uint64_t hash;
	size_t offset;                     /* of its values in the arena */
	const char *values;                /* set for sorting: arena + offset */
	uint32_t length[STORE_DIMENSIONS]; /* of each value, one after the other */
	int64_t count[3];                  /* rows, shortlisted, appointed */
} summed;

typedef struct summed_set {
	summed *items;
	size_t count, size;
	uint32_t *slots;                   /* item index + 1; 0 empty */
	size_t slot_count;
	char *arena;
	size_t arena_used, arena_size;
} summed_set;

static uint64_t hash_cell(const store_cell *c)
{
	uint64_t h = UINT64_C(1469598103934665603); /* FNV-1a over values and lengths */
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		for (size_t i = 0; i < c->length[d]; i++) {
			h ^= (unsigned char)c->dim[d][i];
			h *= UINT64_C(1099511628211);
		}
		h ^= c->length[d] + 0x100;
		h *= UINT64_C(1099511628211);
	}
	return h;
}

static int same_values(const summed_set *set, const summed *item, const store_cell *c)
{
	const char *v = set->arena + item->offset;
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		if (item->length[d] != c->length[d] || memcmp(v, c->dim[d], c->length[d]))
			return 0;
		v += c->length[d];
	}
	return 1;
}

static int grow_slots(summed_set *set)
{
	size_t slot_count = set->slot_count ? set->slot_count * 2 : 1024;
	uint32_t *slots = calloc(slot_count, sizeof *slots);
	if (!slots)
		return parity_error_set(PARITY_ENOMEM, "out of memory exporting counts");
	for (size_t i = 0; i < set->count; i++) {
		size_t j = set->items[i].hash & (slot_count - 1);
		while (slots[j])
			j = (j + 1) & (slot_count - 1);
		slots[j] = (uint32_t)i + 1;
	}
	free(set->slots);
	set->slots = slots;
	set->slot_count = slot_count;
	return 0;
}

/* Add a stored cell's counts to its combination's. 0 or PARITY_ENOMEM. */
static int add_cell(summed_set *set, const store_cell *c)
{
	if ((set->count + 1) * 2 > set->slot_count) {
		if (set->count >= UINT32_MAX / 2)
			return parity_error_set(PARITY_ENOMEM, "too many cells in one month "
			                        "to export");
		int rc = grow_slots(set);
		if (rc)
			return rc;
	}
	uint64_t h = hash_cell(c);
	size_t j = h & (set->slot_count - 1);
	for (; set->slots[j]; j = (j + 1) & (set->slot_count - 1)) {
		summed *item = &set->items[set->slots[j] - 1];
		if (item->hash == h && same_values(set, item, c)) {
			item->count[0] += c->rows;
			item->count[1] += c->shortlisted;
			item->count[2] += c->appointed;
			return 0;
		}
	}
	size_t bytes = 0;
	for (int d = 0; d < STORE_DIMENSIONS; d++)
		bytes += c->length[d];
	if (set->arena_used + bytes > set->arena_size || !set->arena) {
		size_t size = set->arena_size ? set->arena_size : 1u << 16;
		while (size < set->arena_used + bytes)
			size *= 2;
		char *arena = realloc(set->arena, size);
		if (!arena)
			return parity_error_set(PARITY_ENOMEM, "out of memory exporting counts");
		set->arena = arena;
		set->arena_size = size;
	}
	if (set->count == set->size) {
		size_t size = set->size ? set->size * 2 : 1024;
		summed *items = realloc(set->items, size * sizeof *items);
		if (!items)
			return parity_error_set(PARITY_ENOMEM, "out of memory exporting counts");
		set->items = items;
		set->size = size;
	}
	summed *item = &set->items[set->count];
	item->hash = h;
	item->offset = set->arena_used;
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		memcpy(set->arena + set->arena_used, c->dim[d], c->length[d]);
		set->arena_used += c->length[d];
		item->length[d] = (uint32_t)c->length[d];
	}
	item->count[0] = c->rows;
	item->count[1] = c->shortlisted;
	item->count[2] = c->appointed;
	set->slots[j] = (uint32_t)++set->count;
	return 0;
}

/* Order of combinations: value by value, bytewise, a prefix first (as
 * SQLite's BINARY collation orders text). */
static int compare_summed(const void *a, const void *b)
{
	const summed *x = a, *y = b;
	const char *vx = x->values, *vy = y->values;
	for (int d = 0; d < STORE_DIMENSIONS; d++) {
		size_t lx = x->length[d], ly = y->length[d];
		int c = memcmp(vx, vy, lx < ly ? lx : ly);
		if (c)
			return c;
		if (lx != ly)
			return lx < ly ? -1 : 1;
		vx += lx;
		vy += ly;
	}
	return 0;
}

static void clear_set(summed_set *set)
{
	set->count = 0;
	set->arena_used = 0;
	if (set->slots)
		memset(set->slots, 0, set->slot_count * sizeof *set->slots);
}

static void free_set(summed_set *set)
{
	free(set->items);
	free(set->slots);
	free(set->arena);
	memset(set, 0, sizeof *set);
}

/* ---- writing ---------------------------------------------------------------- */

/* Write the combinations of one kind and month, in order, skipping those
 * whose counts sum to nothing; then empty the set. 0 or PARITY_ENOMEM. */
static int write_month(FILE *out, parity_export_summary *summary, summed_set *set,
                        const char *kind, int month, parity_export_text_fn shown,
                        void *context)
{
	if (!set->count)
		return 0;
	for (size_t i = 0; i < set->count; i++)
		set->items[i].values = set->arena + set->items[i].offset;
	qsort(set->items, set->count, sizeof *set->items, compare_summed);
	char label[8];
	parity_month_label(label, month);
	char value[4096];
	for (size_t i = 0; i < set->count; i++) {
		const summed *item = &set->items[i];
		const int64_t *count = item->count;
		if (!count[0] && !count[1] && !count[2])
			continue;
		csvread_write_text(out, kind);
		fprintf(out, ",%s,", label);
		const char *v = item->values;
		for (int d = 0; d < STORE_DIMENSIONS; d++) {
			size_t n = item->length[d];
			if (n < sizeof value) {
				memcpy(value, v, n);
				value[n] = '\0';
				csvread_write_text(out, value);
			} else {
				char *copy = malloc(n + 1);
				if (copy) {
					memcpy(copy, v, n);
					copy[n] = '\0';
					csvread_write_text(out, copy);
					free(copy);
				} else {
					clear_set(set);
					return parity_error_set(PARITY_ENOMEM, "out of memory "
					                        "exporting counts");
				}
			}
			fputc(',', out);
			v += n;
		}
		char text[3][32];
		if (shown) {
			int rc = shown(text, count, context);
			if (rc) {
				clear_set(set);
				return rc;
			}
		} else {
			for (int k = 0; k < 3; k++)
				snprintf(text[k], sizeof text[k], "%" PRId64, count[k]);
		}
		fprintf(out, "%s,%s,%s\n", text[0], text[1], text[2]);
		summary->cells++;
		summary->rows += (uint64_t)count[0];
	}
	clear_set(set);
	return 0;
}

int parity_store_export_counts(parity_export_summary *summary, parity_store *store,
                               const char *path, uint64_t suppress)
{
	if (suppress)
		return parity_error_set(PARITY_EUSAGE, "suppress %" PRIu64 ": a published "
		                        "export is the disclosure gate's "
		                        "(parity_publish_export_counts)", suppress);
	return parity_store_export_counts_shown(summary, store, path, NULL, NULL, NULL);
}

int parity_store_export_counts_shown(parity_export_summary *summary,
                                     parity_store *store, const char *path,
                                     const char *comment, parity_export_text_fn shown,
                                     void *context)
{
	util_atomic_file file;
	sqlite3_stmt *stmt = NULL;
	store_pack_reader reader;
	summed_set set;
	int rc, open = 0;

	memset(&reader, 0, sizeof reader);
	memset(&set, 0, sizeof set);
	memset(summary, 0, sizeof *summary);
	if (!store || !path || !*path)
		return parity_error_set(PARITY_EUSAGE, "parity_store_export_counts: missing "
		                        "argument");
	/* Packs by kind and month (the index's order): the cells of each kind
	 * and month are summed, sorted and written before the next. */
	rc = store_prepare(store, &stmt, "SELECT kind, month, cells, id FROM cell_packs "
	                   "ORDER BY kind, month");
	if (rc)
		return rc;
	if ((rc = util_atomic_open(&file, path, 0600)))
		goto done;
	open = 1;
	FILE *out = file.file;
	if (comment)
		fprintf(out, "# %s\n", comment);
	fputs(header, out);
	int step;
	char kind[32] = "";
	int month = 0;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *pack_kind = (const char *)sqlite3_column_text(stmt, 0);
		int pack_month = sqlite3_column_int(stmt, 1);
		if (!pack_kind)
			pack_kind = "";
		if (strcmp(pack_kind, kind) || pack_month != month) {
			if ((rc = write_month(out, summary, &set, kind, month, shown, context)))
				goto done;
			snprintf(kind, sizeof kind, "%s", pack_kind);
			month = pack_month;
		}
		if ((rc = store_pack_open_row(&reader, store, stmt, 2,
		                              sqlite3_column_int64(stmt, 3))))
			goto done;
		store_cell cell;
		while ((rc = store_pack_next(&reader, &cell)) == 1)
			if ((rc = add_cell(&set, &cell)))
				goto done;
		if (rc)
			goto done;
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(store, step, "reading the counts");
		goto done;
	}
	if ((rc = write_month(out, summary, &set, kind, month, shown, context)))
		goto done;
	rc = util_atomic_commit(&file);
	open = 0;
done:
	if (open)
		util_atomic_abort(&file);
	sqlite3_finalize(stmt);
	store_pack_reader_free(&reader);
	free_set(&set);
	if (rc)
		memset(summary, 0, sizeof *summary);
	return rc;
}
