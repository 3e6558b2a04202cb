/*
 * csvread_thread.c: reading a whole file (csvread_file). Hands each batch's
 * records to the caller, parsing the next batches on a second thread when
 * one can be made, inline otherwise.
 */
#include "csvread_internal.h"

#include "parity/common.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* ---- delivering records ----------------------------------------------------- */

typedef struct deliverer {
	csvread_fn fn;
	void *context;
	char **fields;
	size_t *lengths;
	size_t size;
	uint64_t records;
} deliverer;

/* Point *fields and *lengths (of *size entries, grown as needed) at the
 * fields of record `r` of an unsealed batch `b`, NULL after the last.
 * 0, or -1 when out of memory (what was grown is kept). */
int csvread_view_record(char ***fields, size_t **lengths, size_t *size,
                        const batch *b, const batch_record *r)
{
	if (r->count + 1 > *size) {
		size_t n = *size ? *size : 16;
		while (n < r->count + 1)
			n *= 2;
		char **f = realloc(*fields, n * sizeof *f);
		if (f)
			*fields = f;
		size_t *l = realloc(*lengths, n * sizeof *l);
		if (l)
			*lengths = l;
		if (!f || !l)
			return -1;
		*size = n;
	}
	for (size_t i = 0; i < r->count; i++) {
		(*fields)[i] = b->text + b->starts[r->first + i];
		(*lengths)[i] = b->lengths[r->first + i];
	}
	(*fields)[r->count] = NULL;
	return 0;
}

/* Call the callback for each record of `b`. Returns 0, 1 when the callback
 * asked to stop, or its error. */
static int deliver(deliverer *d, batch *b, const char *path)
{
	if (!b->sealed && csvread_batch_seal(b))
		return parity_error_set(PARITY_ENOMEM, "out of memory reading %s", path);
	for (size_t i = 0; i < b->count; i++) {
		const batch_record *r = &b->records[i];
		if (b->sealed) {
			csvread_record record = {r->line, b->pointers + r->pointer, r->count,
			                         b->lengths + r->first, r->ordinal, r->offset};
			d->records++;
			int rc = d->fn(d->context, &record);
			if (rc)
				return rc < 0 ? rc : 1;
			continue;
		}
		if (csvread_view_record(&d->fields, &d->lengths, &d->size, b, r))
			return parity_error_set(PARITY_ENOMEM, "out of memory reading %s", path);
		csvread_record record = {r->line, d->fields, r->count, d->lengths,
		                         r->ordinal, r->offset};
		d->records++;
		int rc = d->fn(d->context, &record);
		if (rc)
			return rc < 0 ? rc : 1;
	}
	return 0;
}

/* ---- the second thread ---------------------------------------------------- */

typedef struct pipeline {
	parser *p;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	batch batches[BATCHES];
	batch *full[BATCHES];     /* filled, in order */
	size_t full_head, full_count;
	batch *spare[BATCHES];    /* free to fill */
	size_t spare_count;
	int done;                 /* the parser has finished (or failed) */
	int cancel;               /* the consumer has stopped */
	int error;                /* the parser's error */
	char message[2048];
} pipeline;

static void *parse_thread(void *arg)
{
	pipeline *q = arg;
	int rc = 0;
	for (;;) {
		pthread_mutex_lock(&q->lock);
		while (!q->spare_count && !q->cancel)
			pthread_cond_wait(&q->changed, &q->lock);
		if (q->cancel) {
			pthread_mutex_unlock(&q->lock);
			break;
		}
		batch *b = q->spare[--q->spare_count];
		pthread_mutex_unlock(&q->lock);

		csvread_batch_clear(b);
		rc = csvread_produce(q->p, b, BATCH_TEXT, 1);
		if (csvread_batch_seal(b) && rc >= 0)
			rc = parity_error_set(PARITY_ENOMEM, "out of memory reading %s",
			                      q->p->path);

		pthread_mutex_lock(&q->lock);
		q->full[(q->full_head + q->full_count) % BATCHES] = b;
		q->full_count++;
		if (rc < 0) {
			q->error = rc;
			snprintf(q->message, sizeof q->message, "%s", parity_error_last());
		}
		if (rc)
			q->done = 1;
		pthread_cond_broadcast(&q->changed);
		pthread_mutex_unlock(&q->lock);
		if (rc)
			break;
	}
	pthread_mutex_lock(&q->lock);
	q->done = 1;
	pthread_cond_broadcast(&q->changed);
	pthread_mutex_unlock(&q->lock);
	return NULL;
}

/* Parse on a second thread, delivering on this one. */
static int run_threaded(parser *p, deliverer *d)
{
	pipeline q;
	pthread_t thread;
	int rc = 0;
	memset(&q, 0, sizeof q);
	q.p = p;
	for (size_t i = 0; i < BATCHES; i++)
		q.spare[q.spare_count++] = &q.batches[i];
	if (pthread_mutex_init(&q.lock, NULL))
		return parity_error_set(PARITY_ENOMEM, "cannot start reading %s", p->path);
	if (pthread_cond_init(&q.changed, NULL)) {
		pthread_mutex_destroy(&q.lock);
		return parity_error_set(PARITY_ENOMEM, "cannot start reading %s", p->path);
	}
	if (pthread_create(&thread, NULL, parse_thread, &q)) {
		pthread_cond_destroy(&q.changed);
		pthread_mutex_destroy(&q.lock);
		return parity_error_set(PARITY_ENOMEM, "cannot start reading %s", p->path);
	}
	for (;;) {
		pthread_mutex_lock(&q.lock);
		while (!q.full_count && !q.done)
			pthread_cond_wait(&q.changed, &q.lock);
		if (!q.full_count) {
			if (q.error) {
				rc = parity_error_set(q.error, "%s", q.message);
			}
			pthread_mutex_unlock(&q.lock);
			break;
		}
		batch *b = q.full[q.full_head];
		q.full_head = (q.full_head + 1) % BATCHES;
		q.full_count--;
		pthread_mutex_unlock(&q.lock);

		rc = deliver(d, b, p->path);

		pthread_mutex_lock(&q.lock);
		q.spare[q.spare_count++] = b;
		if (rc)
			q.cancel = 1;
		pthread_cond_broadcast(&q.changed);
		pthread_mutex_unlock(&q.lock);
		if (rc)
			break;
	}
	pthread_join(thread, NULL);
	pthread_cond_destroy(&q.changed);
	pthread_mutex_destroy(&q.lock);
	for (size_t i = 0; i < BATCHES; i++)
		csvread_batch_free(&q.batches[i]);
	return rc;
}

/* Parse and deliver on this thread. */
static int run_inline(parser *p, deliverer *d)
{
	batch b;
	int rc;
	memset(&b, 0, sizeof b);
	do {
		csvread_batch_clear(&b);
		rc = csvread_produce(p, &b, BATCH_TEXT, 1);
		/* The records before a parse error are still delivered, and their
		 * checks may set and clear errors of their own: keep the message. */
		char message[2048] = "";
		if (rc < 0)
			snprintf(message, sizeof message, "%s", parity_error_last());
		int drc = deliver(d, &b, p->path);
		if (drc) {
			rc = drc;
			break;
		}
		if (rc < 0)
			parity_error_set(rc, "%s", message);
	} while (rc == 0);
	csvread_batch_free(&b);
	return rc;
}

int csvread_file(csvread_result *result, const char *path,
                 const csvread_options *options, csvread_fn fn, void *context)
{
	csvread_result local;
	parser p;
	deliverer d;
	int rc;

	if (!result)
		result = &local;
	memset(result, 0, sizeof *result);
	memset(&d, 0, sizeof d);
	d.fn = fn;
	d.context = context;
	rc = csvread_parser_open(&p, path, options, BLOCK_SIZE);
	if (rc)
		goto done;
	p.hashing = 1;
	sha256_init(&p.sha);
	if (options && options->threaded)
		rc = run_threaded(&p, &d);
	else
		rc = run_inline(&p, &d);
	if (rc == 1)
		rc = 0; /* the end of the file, or the callback stopped */
	if (rc)
		goto done;
	sha256_final_hex(&p.sha, result->sha256);
	result->bytes = p.bytes;
	result->records = d.records;
	result->delimiter = p.delimiter;
	result->had_bom = p.had_bom;
done:
	csvread_parser_close(&p);
	free(d.fields);
	free(d.lengths);
	return rc;
}
