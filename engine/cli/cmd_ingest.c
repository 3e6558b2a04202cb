/*
 * cmd_ingest.c: `parity ingest`: validate extracts and add their counts to
 * a database, one transaction per file, reporting each file's fate.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity ingest --db DB --kind KIND [options] FILE...\n"
	        "\n"
	        "Validate HR extracts and add their counts to the database DB (created,\n"
	        "owner-only, on first use). Each file is stored whole or not at all.\n"
	        "Rows that fail a check are not stored: they are counted and written,\n"
	        "with their line number and the reason, to FILE.rejects.csv (owner-only;\n"
	        "it holds the refused rows, ids included: treat it like the extract).\n"
	        "\n"
	        "Options:\n"
	        "  --db DB               the database file (required)\n"
	        "  --kind KIND           recruitment, workforce, disciplinary, training,\n"
	        "                        board, survey\n"
	        "                        (required unless the mapping file names it), or\n"
	        "                        counts: an aggregate file from 'parity export'\n"
	        "  --map FILE            mapping file: column names and values (INI)\n"
	        "  --replace             let a corrected re-delivery replace what it\n"
	        "                        supersedes: earlier organisation-months at least\n"
	        "                        half of whose days it covers (deliveries on other\n"
	        "                        days of a month add up without it)\n"
	        "  --delimiter D         comma, semicolon or tab (default: detected)\n"
	        "  --encoding E          utf-8 (default) or windows-1252\n"
	        "  --rejects-dir DIR     where rejects files go (default: current folder)\n"
	        "  --max-rejects PCT     refuse a file with more bad rows than PCT per cent\n"
	        "                        (default 1)\n"
	        "  -q, --quiet           print only errors\n"
	        "  -h, --help            show this help\n"
	        "\n"
	        "A file already ingested (same SHA-256) is skipped and nothing changes.\n"
	        "Exit status: 0 all files stored or already present; 65 a file was refused\n"
	        "(the others are still stored); 66 a file or the mapping is missing;\n"
	        "74 database or disk error; 75 the database is busy.\n");
}

int cmd_ingest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"kind", required_argument, NULL, 'k'},
		{"map", required_argument, NULL, 'm'},
		{"replace", no_argument, NULL, 'r'},
		{"delimiter", required_argument, NULL, 'D'},
		{"encoding", required_argument, NULL, 'E'},
		{"rejects-dir", required_argument, NULL, 'R'},
		{"max-rejects", required_argument, NULL, 'M'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL, *kind_name = NULL, *map_path = NULL;
	parity_ingest_options options;
	parity_mapping *mapping = NULL;
	parity_store *store = NULL;
	int quiet = 0, c, status = 0;
	double max_rejects = 1.0;
	char delimiter = 0;
	int windows1252 = 0, replace = 0;
	const char *rejects_dir = NULL;

	optind = 0;
	while ((c = cli_getopt("ingest", argc, argv, "d:k:m:rD:E:R:M:qh", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'k': kind_name = optarg; break;
		case 'm': map_path = optarg; break;
		case 'r': replace = 1; break;
		case 'D':
			if (cli_parse_delimiter(optarg, &delimiter))
				return cli_usage_error("ingest", "--delimiter '%s': use comma, "
				                       "semicolon or tab", optarg);
			break;
		case 'E':
			if (!strcasecmp(optarg, "windows-1252") || !strcasecmp(optarg, "cp1252"))
				windows1252 = 1;
			else if (strcasecmp(optarg, "utf-8") && strcasecmp(optarg, "utf8"))
				return cli_usage_error("ingest", "--encoding '%s': use utf-8 or "
				                       "windows-1252", optarg);
			break;
		case 'R': rejects_dir = optarg; break;
		case 'M':
			if (cli_parse_double(optarg, &max_rejects) || max_rejects < 0 ||
			    max_rejects > 100)
				return cli_usage_error("ingest", "--max-rejects '%s': give a "
				                       "percentage from 0 to 100", optarg);
			break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (!db_path)
		return cli_usage_error("ingest", "--db DB is required");
	if (optind >= argc)
		return cli_usage_error("ingest", "no extract files given");

	if (map_path) {
		int rc = parity_mapping_load(&mapping, map_path);
		if (rc)
			return cli_fail("ingest", rc);
	}
	parity_kind kind = PARITY_KIND_RECRUITMENT;
	if (kind_name) {
		if (parity_kind_parse(&kind, kind_name)) {
			static const char *const kinds[] = {"recruitment", "workforce",
			                                    "disciplinary", "training",
			                                    "counts", NULL};
			const char *close = cli_closest(kind_name, kinds);
			parity_mapping_free(mapping);
			if (close)
				return cli_usage_error("ingest", "unknown kind '%s'; did you mean "
				                       "'%s'?", kind_name, close);
			return cli_usage_error("ingest", "unknown kind '%s': use recruitment, "
			                       "workforce, disciplinary, training or counts",
			                       kind_name);
		}
	} else if (!parity_mapping_kind(mapping, &kind)) {
		parity_mapping_free(mapping);
		return cli_usage_error("ingest", "--kind KIND is required");
	}

	parity_ingest_options_default(&options, kind);
	options.mapping = mapping;
	options.replace = replace;
	options.delimiter = delimiter;
	options.windows1252 = windows1252;
	options.rejects_dir = rejects_dir;
	options.max_reject_share = max_rejects / 100.0;
	options.progress = isatty(STDERR_FILENO) && !quiet;

	int rc = parity_store_open(&store, db_path, 1);
	if (rc) {
		parity_mapping_free(mapping);
		return cli_fail("ingest", rc);
	}
	for (int i = optind; i < argc; i++) {
		parity_ingest_summary summary;
		rc = parity_ingest_file(&summary, store, argv[i], &options);
		if (rc) {
			fprintf(stderr, "parity ingest: %s\n", parity_error_last());
			if (summary.rejects_path[0])
				fprintf(stderr, "parity ingest: rejected rows are listed in %s\n",
				        summary.rejects_path);
			int exit_status = parity_exit_status(rc);
			if (status == 0 || exit_status == EX_IOERR || exit_status == EX_TEMPFAIL)
				status = exit_status;
			if (rc == PARITY_EIO || rc == PARITY_EBUSY || rc == PARITY_ENOMEM)
				break; /* the database itself is in trouble: stop */
			continue;
		}
		if (quiet)
			continue;
		if (summary.already_ingested) {
			printf("%s: already ingested (same content, SHA-256 %.12s...): "
			       "nothing changed\n", argv[i], summary.sha256);
			continue;
		}
		printf("%s: %llu rows read, %llu stored, %llu rejected%s\n", argv[i],
		       (unsigned long long)summary.rows_read,
		       (unsigned long long)summary.rows_accepted,
		       (unsigned long long)summary.rows_rejected,
		       summary.replaced ? " (replaced an earlier delivery)" : "");
		if (summary.replaced)
			printf("  replaced what this file supersedes: removed %s\n",
			       summary.replaced_from[0] ? summary.replaced_from : "nothing");
		if (summary.repeat_rows)
			printf("  %llu training row%s for people already counted in that "
			       "organisation and financial year (here or in an earlier "
			       "delivery): not counted again\n",
			       (unsigned long long)summary.repeat_rows,
			       summary.repeat_rows == 1 ? "" : "s");
		if (summary.empty_rows)
			printf("  %llu empty row%s skipped (only delimiters, as spreadsheets "
			       "export)\n", (unsigned long long)summary.empty_rows,
			       summary.empty_rows == 1 ? "" : "s");
		if (summary.rows_rejected)
			printf("  rejected rows, with line numbers and reasons: %s\n"
			       "  first: %s\n", summary.rejects_path, summary.first_reject);
		if (summary.organisation_warning[0])
			printf("  warning: %s: organisation codes that differ only in case or "
			       "spacing count as different organisations: %s. If they are one "
			       "organisation, map them to one code under [organisation] in a "
			       "mapping file (for example \"rxq = RXQ\") and ingest again "
			       "with --replace\n", argv[i], summary.organisation_warning);
		if (summary.missing_columns[0])
			printf("  warning: no column for %s: every row counted as not stated\n",
			       summary.missing_columns);
		if (summary.title_lines || summary.footer_lines)
			printf("  skipped: %llu title line%s above the header (the mapping's "
			       "header_line), %llu report footer line%s (totals, \"Report run "
			       "by\" ...); none counted as rows or rejects\n",
			       (unsigned long long)summary.title_lines,
			       summary.title_lines == 1 ? "" : "s",
			       (unsigned long long)summary.footer_lines,
			       summary.footer_lines == 1 ? "" : "s");
		for (const char *w = summary.warnings; *w;) {
			size_t len = strcspn(w, "\n");
			printf("  warning: %.*s\n", (int)len, w);
			w += len + (w[len] == '\n');
		}
	}
	parity_store_close(store);
	parity_mapping_free(mapping);
	return status;
}
