/*
 * csvparse.c: the benchmark's yardstick: parse a CSV file with libcsv alone
 * (strict mode, 256 KiB reads, counting callbacks that do nothing else) and
 * print the records and fields seen. `parity ingest` is timed against it.
 */
#include <csv.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned long long fields, records;

static void on_field(void *data, size_t length, void *context)
{
	(void)data;
	(void)length;
	(void)context;
	fields++;
}

static void on_record(int terminator, void *context)
{
	(void)terminator;
	(void)context;
	records++;
}

int main(int argc, char **argv)
{
	static char buffer[1 << 18];
	struct csv_parser parser;
	size_t got;
	if (argc != 2) {
		fprintf(stderr, "usage: csvparse FILE\n");
		return 64;
	}
	FILE *in = fopen(argv[1], "rb");
	if (!in) {
		perror(argv[1]);
		return 66;
	}
	if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return 70;
	while ((got = fread(buffer, 1, sizeof buffer, in)) > 0)
		if (csv_parse(&parser, buffer, got, on_field, on_record, NULL) != got) {
			fprintf(stderr, "%s: %s\n", argv[1], csv_strerror(csv_error(&parser)));
			return 65;
		}
	csv_fini(&parser, on_field, on_record, NULL);
	csv_free(&parser);
	fclose(in);
	printf("%llu records, %llu fields\n", records, fields);
	return 0;
}
