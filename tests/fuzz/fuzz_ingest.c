/*
 * fuzz_ingest.c: the CSV ingest path (reader, header resolution, row checks,
 * aggregation, rejects, store) on arbitrary bytes, for each extract kind
 * (chosen by the first byte) and for aggregate count files.
 */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static parity_store *store;
	char db[128];
	if (!store) {
		snprintf(db, sizeof db, "%s/fuzz.db", fuzz_dir());
		if (parity_store_open(&store, db, 1) != 0)
			abort();
	}
	/* The first byte picks the kind: an extract kind (board and survey
	 * included) or a count file. */
	parity_kind kind = PARITY_KIND_RECRUITMENT;
	if (size > 0) {
		unsigned pick = data[0] % (PARITY_KIND_COUNT_ + 1);
		kind = pick == PARITY_KIND_COUNT_ ? PARITY_KIND_COUNTS : (parity_kind)pick;
		data++;
		size--;
	}
	const char *path = fuzz_write("extract.csv", data, size);
	parity_ingest_options options;
	parity_ingest_summary summary;
	parity_ingest_options_default(&options, kind);
	options.rejects_dir = fuzz_dir();
	options.max_reject_share = 1.0; /* store what passes: exercises the writes */
	options.replace = 1;
	parity_ingest_file(&summary, store, path, &options);
	return 0;
}
