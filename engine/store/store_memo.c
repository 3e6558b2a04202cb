/*
 * store_memo.c: the disclosure gate's clean-ups remembered across runs
 * (parity/store.h, schema 11): a small map of digests to outcomes, read
 * from the table gate_memo before the gates run and written back after.
 * What a digest stands for, and why an outcome may be applied again, is
 * the gate's business (engine/publish/gate_clean.c); here it is bytes.
 */
#include "store_memo.h"

#include "parity/common.h"
#include "store_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct memo_entry {
	char key[GATE_MEMO_KEY];
	unsigned char *data;
	size_t len;
	int64_t used;           /* the store's order of use (larger: later) */
	int touched;            /* found or kept since loaded */
	int fresh;              /* kept since loaded: not in the store */
} memo_entry;

struct parity_gate_memo {
	pthread_mutex_t lock;
	memo_entry *entries;
	size_t count, room;
};

parity_gate_memo *parity_gate_memo_new(void)
{
	parity_gate_memo *memo = calloc(1, sizeof *memo);
	if (memo && pthread_mutex_init(&memo->lock, NULL)) {
		free(memo);
		return NULL;
	}
	return memo;
}

void parity_gate_memo_free(parity_gate_memo *memo)
{
	if (!memo)
		return;
	for (size_t i = 0; i < memo->count; i++)
		free(memo->entries[i].data);
	free(memo->entries);
	pthread_mutex_destroy(&memo->lock);
	free(memo);
}

static memo_entry *entry_of(parity_gate_memo *memo, const char *key)
{
	for (size_t i = 0; i < memo->count; i++)
		if (!strcmp(memo->entries[i].key, key))
			return &memo->entries[i];
	return NULL;
}

/* A new entry holding a copy of `data`, or NULL when out of memory (the
 * memo then forgets it: it is a cache). Under the lock. */
static memo_entry *add(parity_gate_memo *memo, const char *key, const void *data,
                       size_t len)
{
	if (memo->count == memo->room) {
		size_t room = memo->room ? memo->room * 2 : 16;
		memo_entry *grown = realloc(memo->entries, room * sizeof *grown);
		if (!grown)
			return NULL;
		memo->entries = grown;
		memo->room = room;
	}
	unsigned char *copy = malloc(len ? len : 1);
	if (!copy)
		return NULL;
	if (len)
		memcpy(copy, data, len);
	memo_entry *e = &memo->entries[memo->count++];
	memset(e, 0, sizeof *e);
	snprintf(e->key, sizeof e->key, "%s", key);
	e->data = copy;
	e->len = len;
	return e;
}

int gate_memo_find(parity_gate_memo *memo, const char *key, unsigned char **data,
                   size_t *len)
{
	int found = 0;
	*data = NULL;
	*len = 0;
	pthread_mutex_lock(&memo->lock);
	memo_entry *e = entry_of(memo, key);
	if (e && (*data = malloc(e->len ? e->len : 1))) {
		memcpy(*data, e->data, e->len);
		*len = e->len;
		e->touched = 1;
		found = 1;
	}
	pthread_mutex_unlock(&memo->lock);
	return found;
}

void gate_memo_keep(parity_gate_memo *memo, const char *key, const unsigned char *data,
                    size_t len)
{
	pthread_mutex_lock(&memo->lock);
	memo_entry *e = entry_of(memo, key);
	if (!e && (e = add(memo, key, data, len)))
		e->fresh = 1;
	if (e)
		e->touched = 1;
	pthread_mutex_unlock(&memo->lock);
}

int parity_gate_memo_load(parity_gate_memo *memo, parity_store *store)
{
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(store, &stmt, "SELECT key, result, used FROM gate_memo");
	if (rc)
		return rc;
	int step;
	pthread_mutex_lock(&memo->lock);
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(stmt, 0);
		const void *data = sqlite3_column_blob(stmt, 1);
		size_t len = (size_t)sqlite3_column_bytes(stmt, 1);
		if (!key || strlen(key) != GATE_MEMO_KEY - 1 || entry_of(memo, key))
			continue; /* not one this build wrote */
		memo_entry *e = add(memo, key, data, len);
		if (!e)
			break; /* a cache: what is not read is worked out again */
		e->used = sqlite3_column_int64(stmt, 2);
	}
	pthread_mutex_unlock(&memo->lock);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		rc = store_fail(store, step, "reading the gate's memo");
	sqlite3_finalize(stmt);
	return rc;
}

int parity_gate_memo_save(parity_gate_memo *memo, parity_store *store)
{
	sqlite3_stmt *put = NULL, *touch = NULL;
	int64_t next = 0;
	int rc = 0, any = 0;
	pthread_mutex_lock(&memo->lock);
	for (size_t i = 0; i < memo->count; i++) {
		any |= memo->entries[i].touched;
		if (memo->entries[i].used >= next)
			next = memo->entries[i].used + 1;
	}
	if (!any)
		goto done;
	if ((rc = store_exec(store, "BEGIN IMMEDIATE", "keeping the gate's memo")))
		goto done;
	rc = store_prepare(store, &put, "INSERT OR REPLACE INTO gate_memo(key, result, used) "
	                                "VALUES (?, ?, ?)");
	if (!rc)
		rc = store_prepare(store, &touch, "UPDATE gate_memo SET used = ? WHERE key = ?");
	for (size_t i = 0; i < memo->count && !rc; i++) {
		memo_entry *e = &memo->entries[i];
		if (!e->touched)
			continue;
		sqlite3_stmt *stmt = e->fresh ? put : touch;
		sqlite3_reset(stmt);
		if (e->fresh) {
			sqlite3_bind_text(stmt, 1, e->key, -1, SQLITE_STATIC);
			sqlite3_bind_blob(stmt, 2, e->data, (int)e->len, SQLITE_STATIC);
			sqlite3_bind_int64(stmt, 3, next);
		} else {
			sqlite3_bind_int64(stmt, 1, next);
			sqlite3_bind_text(stmt, 2, e->key, -1, SQLITE_STATIC);
		}
		int step = sqlite3_step(stmt);
		if (step != SQLITE_DONE)
			rc = store_fail(store, step, "keeping the gate's memo");
	}
	if (!rc) {
		char sql[160];
		snprintf(sql, sizeof sql, "DELETE FROM gate_memo WHERE key NOT IN (SELECT key "
		         "FROM gate_memo ORDER BY used DESC LIMIT %d)", PARITY_GATE_MEMO_KEEP);
		rc = store_exec(store, sql, "keeping the gate's memo");
	}
	sqlite3_finalize(put);
	sqlite3_finalize(touch);
	if (!rc)
		rc = store_commit(store, "keeping the gate's memo");
	else
		store_rollback(store);
	for (size_t i = 0; i < memo->count && !rc; i++)
		if (memo->entries[i].touched) {
			memo->entries[i].used = next;
			memo->entries[i].touched = memo->entries[i].fresh = 0;
		}
done:
	pthread_mutex_unlock(&memo->lock);
	return rc;
}
