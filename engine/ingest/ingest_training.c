/*
 * ingest_training.c: a person counts once per organisation and financial
 * year across training deliveries, not only within one file. Each counted
 * person is kept as a keyed hash (of id, organisation and year, under a
 * random key of that year held in the store), never as the id; a later
 * delivery's person whose hash is there adds nothing. A year's hashes and
 * its key are deleted once the year closes.
 */
#include "ingest_internal.h"

#include "parity/common.h"
#include "util/sha256.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A financial year closes (its people and key are deleted, and further
 * deliveries for it refused) once training data of the year two after it
 * arrives: a full year for late deliveries. */
#define TRAINING_OPEN_YEARS 2

typedef struct year_key {
	int year;             /* first calendar year of the financial year */
	sha256_ctx inner;     /* after the key's inner pad block (HMAC) */
	sha256_ctx outer;     /* after its outer pad block */
} year_key;

struct training {
	sorter people;        /* (keyed hash, position) of every counted row */
	year_key *keys;
	size_t key_count;
	int closed_through;   /* years up to this one are closed (0: none) */
	int latest;           /* the latest year in this file */
};

static int year_of(int month)
{
	int year = month / 12;
	return month % 12 < 3 ? year - 1 : year; /* April starts the year */
}

static int fill_random(unsigned char *out, size_t size)
{
	FILE *f = fopen("/dev/urandom", "rb");
	size_t got = f ? fread(out, 1, size, f) : 0;
	if (f)
		fclose(f);
	return got == size ? 0
	                   : parity_error_set(PARITY_EIO, "cannot read /dev/urandom "
	                                      "for the training key");
}

/* The key of `year`, read from the store or made and stored. */
static int load_key(ingest *in, int year, year_key **out)
{
	struct training *t = in->training;
	for (size_t i = 0; i < t->key_count; i++)
		if (t->keys[i].year == year) {
			*out = &t->keys[i];
			return 0;
		}
	char name[40], hex[65];
	snprintf(name, sizeof name, "training_key_%d", year);
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(in->store, &stmt, "SELECT value FROM meta WHERE key = ?1");
	if (rc)
		return rc;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	int step = sqlite3_step(stmt);
	hex[0] = '\0';
	if (step == SQLITE_ROW)
		snprintf(hex, sizeof hex, "%s", (const char *)sqlite3_column_text(stmt, 0));
	sqlite3_finalize(stmt);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return store_fail(in->store, step, "reading the training key");
	if (strlen(hex) != 64) {
		unsigned char raw[32];
		if ((rc = fill_random(raw, sizeof raw)))
			return rc;
		for (size_t i = 0; i < 32; i++)
			snprintf(hex + 2 * i, 3, "%02x", raw[i]);
		if ((rc = store_prepare(in->store, &stmt, "INSERT OR REPLACE INTO "
		                        "meta(key, value) VALUES(?1, ?2)")))
			return rc;
		sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
		sqlite3_bind_text(stmt, 2, hex, -1, SQLITE_STATIC);
		step = sqlite3_step(stmt);
		sqlite3_finalize(stmt);
		if (step != SQLITE_DONE)
			return store_fail(in->store, step, "storing the training key");
	}
	year_key *grown = realloc(t->keys, (t->key_count + 1) * sizeof *grown);
	if (!grown)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	t->keys = grown;
	year_key *k = &t->keys[t->key_count++];
	unsigned char ipad[64], opad[64];
	for (size_t i = 0; i < 64; i++) {
		unsigned char byte = (unsigned char)(i < 64 ? hex[i] : 0);
		ipad[i] = byte ^ 0x36;
		opad[i] = byte ^ 0x5c;
	}
	k->year = year;
	sha256_init(&k->inner);
	sha256_update(&k->inner, ipad, sizeof ipad);
	sha256_init(&k->outer);
	sha256_update(&k->outer, opad, sizeof opad);
	*out = k;
	return 0;
}

int training_start(ingest *in)
{
	in->training = calloc(1, sizeof *in->training);
	if (!in->training)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	sorter_init(&in->training->people, 1u << 18);
	sqlite3_stmt *stmt = NULL;
	int rc = store_prepare(in->store, &stmt, "SELECT value FROM meta WHERE key = "
	                       "'training_closed_through'");
	if (rc)
		return rc;
	int step = sqlite3_step(stmt);
	if (step == SQLITE_ROW)
		in->training->closed_through = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return step == SQLITE_ROW || step == SQLITE_DONE
	       ? 0 : store_fail(in->store, step, "reading closed training years");
}

/* HMAC-SHA-256 of the row's identity (id, organisation as mapped, year)
 * under its year's key, first 64 bits (never 0). */
int training_note(ingest *in, const csvread_record *record, const row *r)
{
	struct training *t = in->training;
	int year = year_of(r->key.month);
	if (t->closed_through && year <= t->closed_through)
		return parity_error_set(PARITY_EDATA,
		                        "%s:%llu: column '%s': training for %d/%02d, a "
		                        "financial year that is closed (training data two "
		                        "years later has arrived, and who was counted in it "
		                        "is no longer kept), so its people could be counted "
		                        "twice: leave that year's rows out; nothing was "
		                        "stored", in->path, (unsigned long long)record->line,
		                        in->column_name[F_DATE], year, (year + 1) % 100);
	if (year > t->latest)
		t->latest = year;
	year_key *k = NULL;
	const char *key;
	size_t length;
	int rc = load_key(in, year, &k);
	if (!rc)
		rc = ingest_identity(in, record, r, &key, &length);
	if (rc)
		return rc;
	sha256_ctx ctx = k->inner;
	char inner[65], outer[65];
	sha256_update(&ctx, key, length);
	sha256_final_hex(&ctx, inner);
	ctx = k->outer;
	sha256_update(&ctx, inner, 64);
	sha256_final_hex(&ctx, outer);
	uint64_t hash = strtoull((char[17]){outer[0], outer[1], outer[2], outer[3],
	                                    outer[4], outer[5], outer[6], outer[7],
	                                    outer[8], outer[9], outer[10], outer[11],
	                                    outer[12], outer[13], outer[14], outer[15], 0},
	                         NULL, 16) >> 1;
	return sorter_add(&t->people, hash ? hash : 1, record->line << 24 | record->ordinal);
}

/*
 * After the file's own repeats are taken back and any replace is done:
 * each person the file counted (the first row of each hash) whom an
 * earlier delivery counted already in that organisation and year is taken
 * back too, as a repeat; the others are recorded. Then the years
 * TRAINING_OPEN_YEARS behind the latest close. *taken: rows taken back.
 */
int training_resolve(ingest *in, int64_t *taken)
{
	struct training *t = in->training;
	sqlite3_stmt *find = NULL, *add = NULL;
	sorter again, fresh;
	sort_entry e;
	uint64_t previous = 0;
	int rc, have = 0;
	*taken = 0;
	sorter_init(&again, 1u << 16);
	sorter_init(&fresh, 1u << 18);
	if ((rc = sorter_finish(&t->people)))
		goto done;
	if ((rc = store_prepare(in->store, &find, "SELECT 1 FROM training_people WHERE "
	                        "person = ?1")) ||
	    (rc = store_prepare(in->store, &add, "INSERT INTO training_people(year, "
	                        "person, organisation, month, file_id) VALUES(?1, ?2, "
	                        "?3, ?4, ?5)")))
		goto done;
	/* In hash order: each person's first row, known already or not. */
	while ((rc = sorter_next(&t->people, &e)) == 1) {
		if (have && e.key == previous)
			continue; /* a repeat within the file, already taken back */
		have = 1;
		previous = e.key;
		sqlite3_bind_int64(find, 1, (sqlite3_int64)e.key);
		int step = sqlite3_step(find);
		sqlite3_reset(find);
		if (step == SQLITE_ROW) {
			if ((rc = sorter_add(&again, e.value, 0)))
				break;
			(*taken)++;
		} else if (step != SQLITE_DONE) {
			rc = store_fail(in->store, step, "reading training people");
			break;
		} else if ((rc = sorter_add(&fresh, e.value, e.key))) {
			break;
		}
	}
	if (rc < 0 || (rc = sorter_finish(&fresh)))
		goto done;
	/* In line order (so the file is re-read forwards): record the new
	 * people with their year, organisation and month. */
	const csvread_record *record;
	row decoded;
	while ((rc = sorter_next(&fresh, &e)) == 1) {
		if ((rc = ingest_redecode(in, e.key, &record, &decoded)))
			break;
		if (decoded.status != ROW_OK)
			continue;
		sqlite3_bind_int(add, 1, year_of(decoded.key.month));
		sqlite3_bind_int64(add, 2, (sqlite3_int64)e.value);
		sqlite3_bind_text(add, 3, dict_text(&in->values, decoded.key.dims[F_ORG]), -1,
		                  SQLITE_TRANSIENT);
		sqlite3_bind_int(add, 4, decoded.key.month);
		sqlite3_bind_int64(add, 5, in->file_id);
		int step = sqlite3_step(add);
		sqlite3_reset(add);
		if (step != SQLITE_DONE) {
			rc = store_fail(in->store, step, "recording training people");
			break;
		}
	}
	if (rc < 0)
		goto done;
	rc = 0;
	if (*taken && (rc = ingest_take_back_repeats(in, &again)))
		goto done;
	if (*taken && (rc = ingest_flush(in, &in->fixes, 1)))
		goto done;
	int close = t->latest - TRAINING_OPEN_YEARS;
	if (t->latest && close > t->closed_through) {
		char sql[400];
		snprintf(sql, sizeof sql,
		         "DELETE FROM training_people WHERE year <= %d;"
		         "DELETE FROM meta WHERE key GLOB 'training_key_*' AND "
		         "CAST(substr(key, 14) AS INTEGER) <= %d;"
		         "INSERT OR REPLACE INTO meta(key, value) "
		         "VALUES('training_closed_through', '%d');", close, close, close);
		rc = store_exec(in->store, sql, "closing training years");
	}
done:
	sqlite3_finalize(find);
	sqlite3_finalize(add);
	sorter_free(&again);
	sorter_free(&fresh);
	return rc;
}

void training_free(ingest *in)
{
	if (!in->training)
		return;
	sorter_free(&in->training->people);
	free(in->training->keys);
	free(in->training);
	in->training = NULL;
}
