/*
 * ingest_writer.c: the thread that accounts for full tables of cells
 * (coverage, data quality) and writes them to the store while the caller's
 * thread goes on decoding and aggregating rows, so that SQLite's work and
 * ingest's own overlap on two cores.
 */
#include "ingest_internal.h"

#include "parity/common.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One table is written at a time. The caller hands a full table over by
 * swapping it with the writer's empty one (writer_submit) and goes on with
 * that (so the two tables alternate, and may differ in size: the caller
 * flushes whichever it holds when that is full); before anything else
 * touches the database, the coverage or the tallies, or the interned
 * values the cells refer to are forgotten, it waits (writer_wait). While the
 * writer is busy it alone uses the SQLite connection, the insert
 * statement, the pack being built, in->next_pack, summary->cells,
 * in->coverage and the not_stated / not_known tallies; it reads interned
 * values only by ids made before the hand-over, which never move
 * (dict.blocks).
 */
struct cell_writer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	int busy;                 /* `table` is being written */
	int stop;                 /* the thread should end */
	cell_table table;         /* full while busy, empty and reserved otherwise */
	size_t spare;             /* cells in the spare table, made on first use */
	int rc;                   /* the first failure, kept until reported */
	char message[1024];       /* its message (errors are per thread) */
	ingest *in;
};

/* Organisation-months recorded after each table, at most. */
#define COVERAGE_PER_TABLE 16384

/* Account for a full table's cells, write them and the organisation-months
 * first seen in them, and empty the table. */
static int store_table(ingest *in, cell_table *table)
{
	int rc = ingest_account_cells(in, table);
	if (!rc)
		rc = ingest_write_cells(in, table);
	if (!rc)
		rc = ingest_save_new_coverage(in, COVERAGE_PER_TABLE);
	cells_clear(table);
	return rc;
}

/*
 * No early writeback here (sync_file_range on a descriptor of our own):
 * the database file is only ever opened by SQLite. Closing any other
 * descriptor of it drops every POSIX lock this process holds on it,
 * SQLite's included, and a reader in another process then took the
 * half-written transaction's journal for a crashed writer's and played it
 * back under us ("database disk image is malformed"; see SQLite's "How To
 * Corrupt An SQLite Database File", 2.2). Pinned by store_readers.sh.
 */

static void *run(void *arg)
{
	cell_writer *w = arg;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->busy && !w->stop)
			pthread_cond_wait(&w->changed, &w->lock);
		if (!w->busy)
			break;
		pthread_mutex_unlock(&w->lock);
		int rc = store_table(w->in, &w->table);
		pthread_mutex_lock(&w->lock);
		if (rc && !w->rc) {
			w->rc = rc;
			snprintf(w->message, sizeof w->message, "%s", parity_error_last());
		}
		w->busy = 0;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int writer_start(ingest *in, size_t reserve)
{
	cell_writer *w = calloc(1, sizeof *w);
	if (!w)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	w->spare = reserve ? reserve : 1;
	w->in = in;
	/* Without a thread, tables are written on the caller's. */
	if (pthread_mutex_init(&w->lock, NULL) != 0)
		goto no_thread;
	if (pthread_cond_init(&w->changed, NULL) != 0)
		goto no_cond;
	if (pthread_create(&w->thread, NULL, run, w) != 0)
		goto no_create;
	in->writer = w;
	return 0;
no_create:
	pthread_cond_destroy(&w->changed);
no_cond:
	pthread_mutex_destroy(&w->lock);
no_thread:
	free(w);
	return 0;
}

/* Wait, lock held, until the writer is idle; its failure, re-raised on this
 * thread, or 0. */
static int idle(cell_writer *w)
{
	while (w->busy)
		pthread_cond_wait(&w->changed, &w->lock);
	if (w->rc)
		return parity_error_set(w->rc, "%s", w->message);
	return 0;
}

int writer_wait(ingest *in)
{
	cell_writer *w = in->writer;
	if (!w)
		return 0;
	pthread_mutex_lock(&w->lock);
	int rc = idle(w);
	pthread_mutex_unlock(&w->lock);
	return rc;
}

int writer_submit(ingest *in, cell_table *table)
{
	cell_writer *w = in->writer;
	if (!w)
		return store_table(in, table);
	pthread_mutex_lock(&w->lock);
	int rc = idle(w);
	/* The spare is made when first needed: a file whose cells fit in one
	 * table never needs it. */
	if (!rc && !w->table.size)
		rc = cells_reserve(&w->table, w->spare);
	if (!rc) {
		cell_table empty = w->table;
		w->table = *table;
		*table = empty;
		w->busy = 1;
		pthread_cond_broadcast(&w->changed);
	}
	pthread_mutex_unlock(&w->lock);
	return rc;
}

void writer_stop(ingest *in)
{
	cell_writer *w = in->writer;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	while (w->busy)
		pthread_cond_wait(&w->changed, &w->lock);
	w->stop = 1;
	pthread_cond_broadcast(&w->changed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	pthread_cond_destroy(&w->changed);
	pthread_mutex_destroy(&w->lock);
	cells_free(&w->table);
	free(w);
	in->writer = NULL;
}
