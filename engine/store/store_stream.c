/*
 * store_stream.c: the packs of a query decoded one pack ahead, in a second
 * thread. The analysis pass spends about 40% of its time stepping SQLite
 * and parsing packs and the rest coding and counting cells; with the
 * parsing on the other core the two overlap. The reading thread owns the
 * statement (and so the connection) until store_stream_finish(): the
 * caller makes no other SQLite call meanwhile. Each batch is one pack: its
 * text copied, its cells parsed, every string pointing into the copy or
 * the batch's own scratch, so a batch stays whole until it is handed back.
 */
#include "parity/common.h"
#include "store_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_SLOTS 3 /* packs parsed ahead, or being counted */

typedef struct slot {
	char *text;
	size_t text_size;
	store_pack_reader reader; /* its scratch holds unescaped strings */
	store_cell *cells;
	uint32_t *codes;          /* a pack with dictionaries: each cell's indexes */
	size_t count, room;
	int month;
} slot;

struct store_stream {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	slot slots[STREAM_SLOTS];
	size_t head, tail;        /* filled: slots head .. tail - 1 (mod) */
	int held;                 /* the caller holds slots[head % STREAM_SLOTS] */
	int done, stop;
	int rc;                   /* the reading thread's error */
	int step;                 /* SQLite's last step result */
	char message[512];        /* and its message (errors are per thread) */
	parity_store *store;
	sqlite3_stmt *stmt;
	int first, last;
	const unsigned char *wanted;
};

/* Decode the pack on the statement's row into `s`. 0 or an error. */
static int fill(struct store_stream *st, slot *s, int month)
{
	const char *text = (const char *)sqlite3_column_text(st->stmt, 0);
	size_t length = (size_t)sqlite3_column_bytes(st->stmt, 0);
	if (length + 1 > s->text_size) {
		char *grown = realloc(s->text, length + 1);
		if (!grown)
			return parity_error_set(PARITY_ENOMEM, "out of memory reading counts");
		s->text = grown;
		s->text_size = length + 1;
	}
	memcpy(s->text, text ? text : "", length);
	s->text[length] = '\0';
	int rc = store_pack_open(&s->reader, s->text, length);
	if (rc)
		return rc;
	s->reader.store = st->store;
	s->reader.id = sqlite3_column_int64(st->stmt, 1);
	s->month = month;
	s->count = 0;
	for (;;) {
		if (s->count == s->room) {
			size_t room = s->room ? s->room * 2 : 512;
			store_cell *cells = realloc(s->cells, room * sizeof *cells);
			if (cells)
				s->cells = cells;
			size_t code_bytes = room * STORE_DIMENSIONS * sizeof *s->codes;
			uint32_t *codes = cells ? realloc(s->codes, code_bytes) : NULL;
			if (!codes)
				return parity_error_set(PARITY_ENOMEM,
				                        "out of memory reading counts");
			s->codes = codes;
			s->room = room;
		}
		rc = store_pack_next(&s->reader, &s->cells[s->count]);
		if (rc != 1)
			return rc;
		if (s->reader.dictionaries)
			memcpy(&s->codes[s->count * STORE_DIMENSIONS], s->reader.code,
			       sizeof s->reader.code);
		s->count++;
	}
}

static void *reading(void *arg)
{
	struct store_stream *st = arg;
	int rc = 0, step;
	while ((step = sqlite3_step(st->stmt)) == SQLITE_ROW) {
		int month = sqlite3_column_int(st->stmt, 2);
		if (month < st->first || month > st->last || !st->wanted[month - st->first])
			continue;
		pthread_mutex_lock(&st->lock);
		while (!st->stop && st->tail - st->head == STREAM_SLOTS)
			pthread_cond_wait(&st->changed, &st->lock);
		int stop = st->stop;
		pthread_mutex_unlock(&st->lock);
		if (stop)
			break;
		/* The slot at tail is the reader's alone until published. */
		if ((rc = fill(st, &st->slots[st->tail % STREAM_SLOTS], month)))
			break;
		pthread_mutex_lock(&st->lock);
		st->tail++;
		pthread_cond_broadcast(&st->changed);
		pthread_mutex_unlock(&st->lock);
	}
	pthread_mutex_lock(&st->lock);
	st->step = step;
	if (rc) {
		st->rc = rc;
		snprintf(st->message, sizeof st->message, "%s", parity_error_last());
	}
	st->done = 1;
	pthread_cond_broadcast(&st->changed);
	pthread_mutex_unlock(&st->lock);
	return NULL;
}

int store_stream_start(store_stream **out, parity_store *store, sqlite3_stmt *stmt,
                       int first, int last, const unsigned char *wanted)
{
	struct store_stream *st = calloc(1, sizeof *st);
	*out = NULL;
	if (!st)
		return parity_error_set(PARITY_ENOMEM, "out of memory reading counts");
	st->store = store;
	st->stmt = stmt;
	st->first = first;
	st->last = last;
	st->wanted = wanted;
	st->step = SQLITE_DONE;
	if (pthread_mutex_init(&st->lock, NULL)) {
		free(st);
		return parity_error_set(PARITY_ENOMEM, "cannot start reading counts");
	}
	if (pthread_cond_init(&st->changed, NULL)) {
		pthread_mutex_destroy(&st->lock);
		free(st);
		return parity_error_set(PARITY_ENOMEM, "cannot start reading counts");
	}
	if (pthread_create(&st->thread, NULL, reading, st)) {
		pthread_cond_destroy(&st->changed);
		pthread_mutex_destroy(&st->lock);
		free(st);
		return parity_error_set(PARITY_ENOMEM, "cannot start a thread to read counts");
	}
	*out = st;
	return 0;
}

int store_stream_next(store_stream *st, store_pack_batch *batch)
{
	pthread_mutex_lock(&st->lock);
	if (st->held) { /* hand back the batch before */
		st->head++;
		st->held = 0;
		pthread_cond_broadcast(&st->changed);
	}
	while (st->head == st->tail && !st->done)
		pthread_cond_wait(&st->changed, &st->lock);
	int more = st->head != st->tail;
	if (more) {
		const slot *s = &st->slots[st->head % STREAM_SLOTS];
		st->held = 1;
		batch->cells = s->cells;
		batch->count = s->count;
		batch->month = s->month;
		batch->codes = s->reader.dictionaries ? s->codes : NULL;
		const store_pack_reader *pr = &s->reader;
		for (int d = 0; d < STORE_DIMENSIONS; d++) {
			batch->value_count[d] = pr->count[d];
			batch->values[d] = pr->count[d] ? pr->values + pr->first[d] : NULL;
		}
	}
	pthread_mutex_unlock(&st->lock);
	return more;
}

int store_stream_finish(store_stream *st)
{
	if (!st)
		return 0;
	pthread_mutex_lock(&st->lock);
	st->stop = 1;
	pthread_cond_broadcast(&st->changed);
	pthread_mutex_unlock(&st->lock);
	pthread_join(st->thread, NULL);
	/* The statement is the caller's again: errors are reported here, in
	 * the caller's thread. */
	int rc = 0;
	if (st->rc)
		rc = parity_error_set(st->rc, "%s", st->message);
	else if (st->step != SQLITE_DONE && st->step != SQLITE_ROW)
		rc = store_fail(st->store, st->step, "reading counts");
	for (size_t i = 0; i < STREAM_SLOTS; i++) {
		free(st->slots[i].text);
		free(st->slots[i].cells);
		free(st->slots[i].codes);
		store_pack_reader_free(&st->slots[i].reader);
	}
	pthread_cond_destroy(&st->changed);
	pthread_mutex_destroy(&st->lock);
	free(st);
	return rc;
}
