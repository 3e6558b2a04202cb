/*
 * ingest_sort.c: an external sorter of (key, value) pairs in bounded
 * memory. Pairs are sorted in memory in runs; full runs spill to an
 * unlinked temporary file and are merged through a heap when read back.
 * Ingest sorts the positions of repeated rows with it. Also the id
 * partitions: (id hash, row position) pairs split by the hash's top bits
 * into partitions that spill to a temporary file, so that duplicate ids can
 * be found one partition at a time in files of any size.
 */
#include "ingest_internal.h"

#include "parity/common.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define READ_AHEAD 4096    /* pairs read from a run at a time, at most */
#define MERGE_MEMORY (1u << 22) /* bytes of read-ahead shared by all runs */

/* A sorted run: in the spill file, or (the last one) the memory buffer. */
struct sort_run {
	uint64_t start, length;  /* pairs, in the spill file */
	uint64_t read;           /* pairs taken into `window` so far */
	sort_entry *window;      /* pairs read ahead */
	size_t window_pos, window_len, window_size;
	int in_memory;
};

void sorter_init(sorter *s, size_t capacity)
{
	memset(s, 0, sizeof *s);
	s->capacity = capacity < 64 ? 64 : capacity;
}

static int less(const sort_entry *a, const sort_entry *b)
{
	return a->key < b->key || (a->key == b->key && a->value < b->value);
}

static int compare(const void *a, const void *b)
{
	const sort_entry *x = a, *y = b;
	return less(x, y) ? -1 : less(y, x) ? 1 : 0;
}

static int sort_buffer(sorter *s)
{
	qsort(s->buffer, s->used, sizeof *s->buffer, compare);
	return 0;
}

static int add_run(sorter *s, uint64_t start, uint64_t length, int in_memory)
{
	if (s->run_count == s->runs_size) {
		size_t size = s->runs_size ? s->runs_size * 2 : 8;
		sort_run *runs = realloc(s->runs, size * sizeof *runs);
		if (!runs)
			return parity_error_set(PARITY_ENOMEM, "out of memory sorting ids");
		s->runs = runs;
		s->runs_size = size;
	}
	sort_run *r = &s->runs[s->run_count++];
	memset(r, 0, sizeof *r);
	r->start = start;
	r->length = length;
	r->in_memory = in_memory;
	return 0;
}

/* An unlinked temporary file in $TMPDIR (or /tmp). */
static int open_temporary(FILE **out)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/parity-sort-XXXXXX",
	         dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	if (fd < 0)
		return parity_error_set(PARITY_EIO, "cannot create a temporary file in "
		                        "%s (set TMPDIR to a folder with space): %s",
		                        dir && *dir ? dir : "/tmp", strerror(errno));
	unlink(path);
	*out = fdopen(fd, "w+b");
	if (!*out) {
		close(fd);
		return parity_error_set(PARITY_EIO, "cannot open a temporary file: %s",
		                        strerror(errno));
	}
	return 0;
}

static int spill(sorter *s)
{
	int rc;
	if (!s->spill && (rc = open_temporary(&s->spill)))
		return rc;
	if ((rc = sort_buffer(s)))
		return rc;
	if (fwrite(s->buffer, sizeof *s->buffer, s->used, s->spill) != s->used)
		return parity_error_set(PARITY_EIO, "cannot write a temporary file: %s "
		                        "(is the disk full? set TMPDIR to a folder with "
		                        "space)", strerror(errno));
	if ((rc = add_run(s, s->spilled, s->used, 0)))
		return rc;
	s->spilled += s->used;
	s->used = 0;
	return 0;
}

int sorter_add(sorter *s, uint64_t key, uint64_t value)
{
	if (!s->buffer && !(s->buffer = malloc(s->capacity * sizeof *s->buffer)))
		return parity_error_set(PARITY_ENOMEM, "out of memory sorting ids");
	if (s->used == s->capacity) {
		int rc = spill(s);
		if (rc)
			return rc;
	}
	s->buffer[s->used].key = key;
	s->buffer[s->used].value = value;
	s->used++;
	return 0;
}

/* Refill a spilled run's read-ahead window. */
static int refill(sorter *s, sort_run *r)
{
	if (r->in_memory || r->read == r->length) {
		r->window_len = r->window_pos = 0;
		return 0;
	}
	uint64_t n = r->length - r->read;
	if (n > r->window_size)
		n = r->window_size;
	if (!r->window && !(r->window = malloc(r->window_size * sizeof *r->window)))
		return parity_error_set(PARITY_ENOMEM, "out of memory sorting ids");
	off_t at = (off_t)((r->start + r->read) * sizeof(sort_entry));
	size_t bytes = (size_t)n * sizeof(sort_entry);
	ssize_t got = pread(fileno(s->spill), r->window, bytes, at);
	if (got != (ssize_t)bytes)
		return parity_error_set(PARITY_EIO, "cannot read a temporary file back: %s",
		                        got < 0 ? strerror(errno) : "short read");
	r->read += n;
	r->window_pos = 0;
	r->window_len = (size_t)n;
	return 0;
}

static const sort_entry *head(const sorter *s, size_t run)
{
	const sort_run *r = &s->runs[run];
	return &r->window[r->window_pos];
}

/* Heap order: smallest head first; ties by run, so equal pairs stay in
 * the order they were added. */
static int heap_less(const sorter *s, size_t a, size_t b)
{
	const sort_entry *x = head(s, a), *y = head(s, b);
	if (less(x, y))
		return 1;
	if (less(y, x))
		return 0;
	return a < b;
}

static void sift_down(sorter *s, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;
		if (l < s->heap_count && heap_less(s, s->heap[l], s->heap[m]))
			m = l;
		if (r < s->heap_count && heap_less(s, s->heap[r], s->heap[m]))
			m = r;
		if (m == i)
			return;
		size_t t = s->heap[i];
		s->heap[i] = s->heap[m];
		s->heap[m] = t;
		i = m;
	}
}

int sorter_finish(sorter *s)
{
	int rc;
	if (s->used && (rc = sort_buffer(s)))
		return rc;
	if (s->used && (rc = add_run(s, 0, s->used, 1)))
		return rc;
	if (s->spill && fflush(s->spill) != 0)
		return parity_error_set(PARITY_EIO, "cannot write a temporary file: %s",
		                        strerror(errno));
	if (!(s->heap = malloc((s->run_count ? s->run_count : 1) * sizeof *s->heap)))
		return parity_error_set(PARITY_ENOMEM, "out of memory sorting ids");
	s->heap_count = 0;
	/* Many runs share the read-ahead memory, so it stays bounded. */
	size_t window = MERGE_MEMORY / sizeof(sort_entry) / (s->run_count ? s->run_count : 1);
	if (window > READ_AHEAD)
		window = READ_AHEAD;
	if (window < 64)
		window = 64;
	for (size_t i = 0; i < s->run_count; i++) {
		sort_run *r = &s->runs[i];
		r->window_size = window;
		if (r->in_memory) {
			r->window = s->buffer;
			r->window_len = (size_t)r->length;
		} else if ((rc = refill(s, r))) {
			return rc;
		}
		if (r->window_len)
			s->heap[s->heap_count++] = i;
	}
	for (size_t i = s->heap_count; i-- > 0;)
		sift_down(s, i);
	return 0;
}

int sorter_next(sorter *s, sort_entry *out)
{
	if (!s->heap_count)
		return 0;
	size_t run = s->heap[0];
	sort_run *r = &s->runs[run];
	*out = r->window[r->window_pos++];
	if (r->window_pos == r->window_len) {
		int rc = refill(s, r);
		if (rc)
			return rc;
		if (!r->window_len)
			s->heap[0] = s->heap[--s->heap_count];
	}
	if (s->heap_count)
		sift_down(s, 0);
	return 1;
}

void sorter_free(sorter *s)
{
	for (size_t i = 0; i < s->run_count; i++)
		if (!s->runs[i].in_memory)
			free(s->runs[i].window);
	free(s->runs);
	free(s->heap);
	free(s->buffer);
	if (s->spill)
		fclose(s->spill);
	memset(s, 0, sizeof *s);
}

/* ---- id partitions ---------------------------------------------------------- */

int idparts_init(id_parts *p, size_t memory_entries)
{
	memset(p, 0, sizeof *p);
	p->per = memory_entries / ID_PARTS;
	if (p->per < 1)
		p->per = 1;
	return 0;
}

/* Write partition `i`'s buffer to the temporary file as one chunk. */
static int spill_part(id_parts *p, size_t i)
{
	int rc;
	if (!p->spill && (rc = open_temporary(&p->spill)))
		return rc;
	if (p->chunk_count[i] == p->chunk_size[i]) {
		size_t size = p->chunk_size[i] ? p->chunk_size[i] * 2 : 16;
		uint64_t *chunks = realloc(p->chunks[i], size * sizeof *chunks);
		if (!chunks)
			return parity_error_set(PARITY_ENOMEM, "out of memory checking ids");
		p->chunks[i] = chunks;
		p->chunk_size[i] = size;
	}
	size_t n = p->fill[i];
	if (fwrite(p->buffer + i * p->per, sizeof(sort_entry), n, p->spill) != n)
		return parity_error_set(PARITY_EIO, "cannot write a temporary file: %s "
		                        "(is the disk full? set TMPDIR to a folder with "
		                        "space)", strerror(errno));
	p->chunks[i][p->chunk_count[i]++] = p->spilled;
	p->spilled += n;
	p->fill[i] = 0;
	return 0;
}

int idparts_add(id_parts *p, uint64_t hash, uint64_t position)
{
	if (!p->buffer && !(p->buffer = malloc(ID_PARTS * p->per * sizeof *p->buffer)))
		return parity_error_set(PARITY_ENOMEM, "out of memory checking ids");
	size_t i = (size_t)(hash >> (64 - ID_PART_BITS));
	if (p->fill[i] == p->per) {
		int rc = spill_part(p, i);
		if (rc)
			return rc;
	}
	sort_entry *e = &p->buffer[i * p->per + p->fill[i]++];
	e->key = hash;
	e->value = position;
	return 0;
}

int idparts_load(id_parts *p, size_t i, sort_entry **entries, size_t *count,
                 size_t *size)
{
	size_t chunks = p->chunk_count[i];
	size_t need = chunks * p->per + p->fill[i];
	if (need > *size) {
		sort_entry *e = realloc(*entries, need * sizeof *e);
		if (!e)
			return parity_error_set(PARITY_ENOMEM, "out of memory checking ids");
		*entries = e;
		*size = need;
	}
	if (chunks && fflush(p->spill) != 0)
		return parity_error_set(PARITY_EIO, "cannot write a temporary file: %s",
		                        strerror(errno));
	size_t n = 0;
	for (size_t c = 0; c < chunks; c++) {
		size_t bytes = p->per * sizeof(sort_entry);
		ssize_t got = pread(fileno(p->spill), *entries + n, bytes,
		                    (off_t)(p->chunks[i][c] * sizeof(sort_entry)));
		if (got != (ssize_t)bytes)
			return parity_error_set(PARITY_EIO, "cannot read a temporary file "
			                        "back: %s", got < 0 ? strerror(errno)
			                                            : "short read");
		n += p->per;
	}
	if (p->fill[i])
		memcpy(*entries + n, p->buffer + i * p->per, p->fill[i] * sizeof(sort_entry));
	*count = n + p->fill[i];
	return 0;
}

void idparts_free(id_parts *p)
{
	for (size_t i = 0; i < ID_PARTS; i++)
		free(p->chunks[i]);
	free(p->buffer);
	if (p->spill)
		fclose(p->spill);
	memset(p, 0, sizeof *p);
}
