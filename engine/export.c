/*
 * export.c: the count cube written out as an aggregate counts CSV, the form
 * in which organisations pool their figures without moving person-level
 * data: exact (and ingestible again as kind "counts"), or with small counts
 * suppressed for publishing.
 */
#include "parity/store.h"

#include "csvread.h"
#include "parity/common.h"
#include "parity/period.h"
#include "store_internal.h"
#include "util.h"

#include <inttypes.h>
#include <string.h>

#define COLUMNS "kind, month, organisation, ethnic_category, sex, disability, " \
                "age_band, pay_band, staff_group, contract, process, grounds, " \
                "sexual_orientation, religion"

static const char header[] =
	"kind,month,organisation,ethnic_category,sex,disability,age_band,pay_band,"
	"staff_group,contract,process,grounds,sexual_orientation,religion,rows,"
	"shortlisted,appointed\n";

/* How each of a row's three counts is shown. */
enum shown { SHOWN, SMALL, WITHHELD };

/*
 * Primary suppression: a count from 1 to limit-1 is SMALL. Then, while two
 * counts of the row are both shown and differ by 1 to limit-1 (so the
 * difference, a small number of people, could be worked out), the larger is
 * WITHHELD.
 */
static void suppress_row(enum shown shown[3], const int64_t count[3], int64_t limit)
{
	for (int i = 0; i < 3; i++)
		shown[i] = count[i] >= 1 && count[i] < limit ? SMALL : SHOWN;
	static const int pairs[3][2] = {{0, 1}, {1, 2}, {0, 2}};
	for (int changed = 1; changed;) {
		changed = 0;
		for (int p = 0; p < 3; p++) {
			int a = pairs[p][0], b = pairs[p][1];
			if (shown[a] != SHOWN || shown[b] != SHOWN)
				continue;
			int64_t d = count[a] - count[b];
			if (d < 0)
				d = -d;
			if (d >= 1 && d < limit) {
				shown[count[a] >= count[b] ? a : b] = WITHHELD;
				changed = 1;
			}
		}
	}
}

int parity_store_export_counts(parity_export_summary *summary, parity_store *store,
                               const char *path, uint64_t suppress)
{
	util_atomic_file file;
	sqlite3_stmt *stmt = NULL;
	int rc, open = 0;

	memset(summary, 0, sizeof *summary);
	if (!store || !path || !*path)
		return parity_error_set(PARITY_EUSAGE, "parity_store_export_counts: missing "
		                        "argument");
	if (suppress == 1 || suppress > 1000000)
		return parity_error_set(PARITY_EUSAGE, "suppress %" PRIu64 ": give a "
		                        "threshold from 2 (hide 1s) up, such as 5 (hide 1 "
		                        "to 4), or 0 for none", suppress);
	rc = store_prepare(store, &stmt,
	                   "SELECT " COLUMNS ", sum(rows), sum(shortlisted), "
	                   "sum(appointed) FROM cells GROUP BY " COLUMNS " HAVING "
	                   "sum(rows) <> 0 OR sum(shortlisted) <> 0 OR "
	                   "sum(appointed) <> 0 ORDER BY " COLUMNS);
	if (rc)
		return rc;
	if ((rc = util_atomic_open(&file, path, 0600)))
		goto done;
	open = 1;
	FILE *out = file.file;
	if (suppress)
		fprintf(out, "# parity aggregate export - SUPPRESSED for publishing: "
		        "counts from 1 to %" PRIu64 " are shown as <%" PRIu64 " and counts "
		        "that would reveal them as * - this file cannot be ingested\n",
		        suppress - 1, suppress);
	fputs(header, out);
	int step;
	while ((step = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int c = 0; c < 14; c++) {
			if (c == 1) {
				char month[8];
				parity_month_label(month, sqlite3_column_int(stmt, 1));
				fputs(month, out);
			} else {
				const unsigned char *text = sqlite3_column_text(stmt, c);
				csvread_write_text(out, text ? (const char *)text : "");
			}
			fputc(',', out);
		}
		int64_t count[3];
		for (int k = 0; k < 3; k++)
			count[k] = sqlite3_column_int64(stmt, 14 + k);
		enum shown shown[3] = {SHOWN, SHOWN, SHOWN};
		if (suppress)
			suppress_row(shown, count, (int64_t)suppress);
		for (int k = 0; k < 3; k++) {
			if (k)
				fputc(',', out);
			if (shown[k] == SMALL) {
				fprintf(out, "<%" PRIu64, suppress);
				summary->suppressed++;
			} else if (shown[k] == WITHHELD) {
				fputc('*', out);
				summary->withheld++;
			} else {
				fprintf(out, "%" PRId64, count[k]);
			}
		}
		fputc('\n', out);
		summary->cells++;
		summary->rows += (uint64_t)count[0];
	}
	if (step != SQLITE_DONE) {
		rc = store_fail(store, step, "reading the counts");
		goto done;
	}
	rc = util_atomic_commit(&file);
	open = 0;
done:
	if (open)
		util_atomic_abort(&file);
	sqlite3_finalize(stmt);
	if (rc)
		memset(summary, 0, sizeof *summary);
	return rc;
}
