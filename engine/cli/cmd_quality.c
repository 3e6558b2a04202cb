/*
 * cmd_quality.c: `parity quality`: the data-quality summary of a database,
 * file by file and in total: rows refused and why, and how often each
 * characteristic is not stated or not known; flags disability that looks
 * under-declared. Text for people, --json for machines.
 */
#include "cli.h"

#include "parity/quality.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>
#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity quality --db DB [--json]\n"
	        "\n"
	        "Print the data-quality summary of the database DB. For each file\n"
	        "ingested: its path, kind, SHA-256 (first 12 characters), when it was\n"
	        "ingested and the months it covers, the rows read, accepted and\n"
	        "rejected, the rejected rows by reason, and for each characteristic\n"
	        "the rows not stated and not known (counts and shares). Then the same\n"
	        "added up per kind and, per characteristic, over all files in use. A\n"
	        "file that a later delivery replaced entirely is listed but left out\n"
	        "of the totals.\n"
	        "\n"
	        "Disability is flagged when fewer than 5%% of the records with a\n"
	        "declared status (at least 10) say disabled: HR systems record about\n"
	        "3%% where the NHS Staff Survey finds about 18%%.\n"
	        "\n"
	        "Options:\n"
	        "  --db DB        the database (required)\n"
	        "  --json         print JSON instead of text\n"
	        "  -h, --help     show this help\n"
	        "\n"
	        "JSON: {\"database\", \"files\": [{\"id\", \"path\", \"kind\", \"sha256\",\n"
	        "\"ingested_at\", \"active\", \"first_month\", \"last_month\", COUNTS}],\n"
	        "\"kinds\": [{\"kind\", \"files\", COUNTS}], \"all\": {\"files\", COUNTS},\n"
	        "\"notes\": [...]}, where COUNTS is \"rows_read\", \"rows_accepted\",\n"
	        "\"rows_rejected\", \"rejected_by_reason\": [{\"reason\", \"count\"}],\n"
	        "\"characteristics\": [{\"characteristic\", \"total\", \"not_stated\",\n"
	        "\"not_known\", \"share_not_stated\", \"share_not_known\"}] and\n"
	        "\"disability\": {\"disabled\", \"not_disabled\",\n"
	        "\"share_disabled_of_declared\", \"low\"}. A share of nothing is null.\n"
	        "\n"
	        "Exit status: 0 success; 64 usage error; 66 DB is missing; 74 database\n"
	        "error; 75 the database is busy.\n");
}

/* ---- text ------------------------------------------------------------------- */

/* "  8.3%", or "     -" when there is nothing to divide by. */
static void print_share(double share)
{
	if (isnan(share))
		printf("%7s", "-");
	else
		printf("%6.1f%%", 100.0 * share);
}

static void print_counts(const parity_quality_counts *c)
{
	printf("  rows: %" PRIu64 " read, %" PRIu64 " accepted, %" PRIu64 " rejected",
	       c->rows_read, c->rows_accepted, c->rows_rejected);
	if (c->rows_rejected)
		printf(" (%.1f%%)", 100.0 * parity_quality_share(c->rows_rejected, c->rows_read));
	printf("\n");
	if (c->reason_count) {
		printf("  rejected by reason:");
		for (size_t i = 0; i < c->reason_count; i++)
			printf("%s %" PRIu64 " %s", i ? "," : "", c->reasons[i].count,
			       c->reasons[i].reason);
		printf("\n");
	}
	if (c->characteristic_count) {
		printf("  %-20s %16s %16s %10s\n", "characteristic", "not stated",
		       "not known", "of rows");
		for (size_t i = 0; i < c->characteristic_count; i++) {
			const parity_quality_characteristic *q = &c->characteristics[i];
			printf("  %-20s %9" PRIu64, q->name, q->not_stated);
			print_share(parity_quality_share(q->not_stated, q->total));
			printf(" %9" PRIu64, q->not_known);
			print_share(parity_quality_share(q->not_known, q->total));
			printf(" %10" PRIu64 "\n", q->total);
		}
	}
	const parity_quality_disability *d = &c->disability;
	if (d->disabled + d->not_disabled) {
		printf("  disability as recorded: %" PRIu64 " disabled, %" PRIu64
		       " not disabled (%.1f%% disabled of those declared)%s\n",
		       d->disabled, d->not_disabled,
		       100.0 * parity_quality_disabled_share(d), d->low ? "  [see note]" : "");
	}
}

static void print_text(const parity_quality *q, const char *db)
{
	char first[8], last[8];
	printf("Data quality of %s: %zu file%s ingested, %zu in use\n", db,
	       q->file_count, q->file_count == 1 ? "" : "s", q->active_files);
	if (!q->file_count) {
		printf("No files ingested yet: run 'parity ingest' first.\n");
		return;
	}
	for (size_t i = 0; i < q->file_count; i++) {
		const parity_quality_file *f = &q->files[i];
		printf("\nFile %" PRId64 ": %s%s\n", f->id, f->path,
		       f->active ? "" : " (replaced by a later delivery: not in the totals)");
		printf("  %s; SHA-256 %.12s; ingested %s", f->kind, f->sha256, f->ingested_at);
		if (f->first_month && f->last_month) {
			parity_month_label(first, f->first_month);
			parity_month_label(last, f->last_month);
			if (f->first_month == f->last_month)
				printf("; month %s", first);
			else
				printf("; months %s to %s", first, last);
		}
		printf("\n");
		print_counts(&f->counts);
	}
	for (size_t i = 0; i < q->kind_count; i++) {
		const parity_quality_kind *k = &q->kinds[i];
		printf("\nTotal, %s (%zu file%s in use)\n", k->kind, k->files,
		       k->files == 1 ? "" : "s");
		print_counts(&k->counts);
	}
	if (q->kind_count > 1) {
		printf("\nTotal, all %zu files in use (every kind)\n", q->active_files);
		print_counts(&q->all);
	}
	int notes = 0;
	for (size_t i = 0; i < q->kind_count; i++) {
		const parity_quality_disability *d = &q->kinds[i].counts.disability;
		if (!d->low)
			continue;
		if (!notes++)
			printf("\nNotes\n");
		printf("- %s: only %.1f%% of the %" PRIu64 " records with a declared "
		       "disability status say disabled. HR systems "
		       "under-record disability (about 3%% on ESR against about 18%% "
		       "in the NHS Staff Survey): read the disability (WDES) results "
		       "with care, and encourage staff to update their records.\n",
		       q->kinds[i].kind, 100.0 * parity_quality_disabled_share(d),
		       d->disabled + d->not_disabled);
	}
}

/* ---- JSON ------------------------------------------------------------------- */

static void json_counts(const parity_quality_counts *c)
{
	printf("\"rows_read\": %" PRIu64 ", \"rows_accepted\": %" PRIu64
	       ", \"rows_rejected\": %" PRIu64 ", \"rejected_by_reason\": [",
	       c->rows_read, c->rows_accepted, c->rows_rejected);
	for (size_t i = 0; i < c->reason_count; i++) {
		printf("%s{\"reason\": ", i ? ", " : "");
		cli_json_string(stdout, c->reasons[i].reason);
		printf(", \"count\": %" PRIu64 "}", c->reasons[i].count);
	}
	printf("], \"characteristics\": [");
	for (size_t i = 0; i < c->characteristic_count; i++) {
		const parity_quality_characteristic *q = &c->characteristics[i];
		printf("%s\n      {\"characteristic\": ", i ? "," : "");
		cli_json_string(stdout, q->name);
		printf(", \"total\": %" PRIu64 ", \"not_stated\": %" PRIu64
		       ", \"not_known\": %" PRIu64 ", \"share_not_stated\": ",
		       q->total, q->not_stated, q->not_known);
		cli_json_double(stdout, parity_quality_share(q->not_stated, q->total));
		printf(", \"share_not_known\": ");
		cli_json_double(stdout, parity_quality_share(q->not_known, q->total));
		printf("}");
	}
	const parity_quality_disability *d = &c->disability;
	printf("],\n    \"disability\": {\"disabled\": %" PRIu64 ", \"not_disabled\": %"
	       PRIu64 ", \"share_disabled_of_declared\": ", d->disabled, d->not_disabled);
	cli_json_double(stdout, parity_quality_disabled_share(d));
	printf(", \"low\": %s}", d->low ? "true" : "false");
}

static void print_json(const parity_quality *q, const char *db)
{
	char month[8];
	printf("{\"database\": ");
	cli_json_string(stdout, db);
	printf(",\n \"files\": [");
	for (size_t i = 0; i < q->file_count; i++) {
		const parity_quality_file *f = &q->files[i];
		printf("%s\n  {\"id\": %" PRId64 ", \"path\": ", i ? "," : "", f->id);
		cli_json_string(stdout, f->path);
		printf(", \"kind\": ");
		cli_json_string(stdout, f->kind);
		printf(", \"sha256\": ");
		cli_json_string(stdout, f->sha256);
		printf(", \"ingested_at\": ");
		cli_json_string(stdout, f->ingested_at);
		printf(", \"active\": %s, \"first_month\": ", f->active ? "true" : "false");
		if (f->first_month) {
			parity_month_label(month, f->first_month);
			cli_json_string(stdout, month);
		} else {
			printf("null");
		}
		printf(", \"last_month\": ");
		if (f->last_month) {
			parity_month_label(month, f->last_month);
			cli_json_string(stdout, month);
		} else {
			printf("null");
		}
		printf(",\n    ");
		json_counts(&f->counts);
		printf("}");
	}
	printf("],\n \"kinds\": [");
	for (size_t i = 0; i < q->kind_count; i++) {
		printf("%s\n  {\"kind\": ", i ? "," : "");
		cli_json_string(stdout, q->kinds[i].kind);
		printf(", \"files\": %zu,\n    ", q->kinds[i].files);
		json_counts(&q->kinds[i].counts);
		printf("}");
	}
	printf("],\n \"all\": {\"files\": %zu,\n    ", q->active_files);
	json_counts(&q->all);
	printf("},\n \"notes\": [");
	int notes = 0;
	for (size_t i = 0; i < q->kind_count; i++) {
		const parity_quality_disability *d = &q->kinds[i].counts.disability;
		if (!d->low)
			continue;
		char note[300];
		snprintf(note, sizeof note, "%s: only %.1f%% of the %" PRIu64 " records "
		         "with a declared disability status say disabled; disability is "
		         "probably under-declared", q->kinds[i].kind,
		         100.0 * parity_quality_disabled_share(d),
		         d->disabled + d->not_disabled);
		printf("%s", notes++ ? ", " : "");
		cli_json_string(stdout, note);
	}
	printf("]}\n");
}

int cmd_quality(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	int json = 0, c;
	parity_store *store = NULL;
	parity_quality *quality = NULL;

	optind = 0;
	while ((c = cli_getopt("quality", argc, argv, "h", longopts)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': json = 1; break;
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (!db)
		return cli_usage_error("quality", "--db DB is required");
	if (optind < argc)
		return cli_usage_error("quality", "unexpected argument '%s'", argv[optind]);

	int rc = parity_store_open(&store, db, 0);
	if (!rc)
		rc = parity_quality_read(&quality, store);
	if (rc) {
		parity_store_close(store);
		return cli_fail("quality", rc);
	}
	if (json)
		print_json(quality, db);
	else
		print_text(quality, db);
	parity_quality_free(quality);
	parity_store_close(store);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "parity quality: error: cannot write the summary\n");
		return EX_IOERR;
	}
	return 0;
}
