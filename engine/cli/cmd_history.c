/*
 * cmd_history.c: `parity history`: the runs kept in a database, oldest
 * first, with what each did and how it ended.
 */
#include "cli.h"

#include <stdlib.h>
#include <sysexits.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity history --db DB [--json]\n"
	        "\n"
	        "List the runs kept in the database, oldest first: id, start and end\n"
	        "(UTC), the command that made it (run, analyse, report, demo), the month a\n"
	        "scheduled run reports for, the period analysed, the status (ok, partial:\n"
	        "some files quarantined, failed, or running: still going or killed),\n"
	        "warnings, and what happened to the inbox files.\n"
	        "\n"
	        "Options:\n"
	        "  --db DB               the database (required)\n"
	        "  --json                one JSON object per line\n"
	        "  -h, --help            show this help\n");
}

int cmd_history(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"db", required_argument, NULL, 'd'},
		{"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *db_path = NULL;
	int json = 0, c;
	parity_store *store = NULL;
	parity_run_record *runs = NULL;
	size_t count = 0;

	optind = 0;
	while ((c = cli_getopt("history", argc, argv, "d:jh", longopts)) != -1) {
		switch (c) {
		case 'd': db_path = optarg; break;
		case 'j': json = 1; break;
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("history", "unexpected argument '%s'", argv[optind]);
	if (!db_path)
		return cli_usage_error("history", "--db DB is required");
	int rc = parity_store_open(&store, db_path, 0);
	if (!rc)
		rc = parity_history_list(&runs, &count, store);
	parity_store_close(store);
	if (rc)
		return cli_fail("history", rc);
	if (!json)
		printf("%-5s %-20s %-20s %-8s %-7s %-8s %-8s %4s  %s\n", "run", "started",
		       "finished", "command", "month", "period", "status", "warn", "files");
	for (size_t i = 0; i < count; i++) {
		const parity_run_record *r = &runs[i];
		if (json) {
			printf("{\"run\": %lld, \"started\": ", (long long)r->id);
			cli_json_string(stdout, r->started);
			fputs(", \"finished\": ", stdout);
			cli_json_string(stdout, r->finished);
			fputs(", \"command\": ", stdout);
			cli_json_string(stdout, r->command);
			fputs(", \"month\": ", stdout);
			cli_json_string(stdout, r->month);
			fputs(", \"period\": ", stdout);
			cli_json_string(stdout, r->period);
			fputs(", \"status\": ", stdout);
			cli_json_string(stdout, r->status);
			printf(", \"warnings\": %u, \"files\": ", r->warnings);
			cli_json_string(stdout, r->files);
			fputs("}\n", stdout);
		} else {
			printf("%-5lld %-20s %-20s %-8s %-7s %-8s %-8s %4u  %s\n", (long long)r->id,
			       r->started, r->finished[0] ? r->finished : "-", r->command,
			       r->month[0] ? r->month : "-", r->period[0] ? r->period : "-",
			       r->status, r->warnings, r->files[0] ? r->files : "-");
		}
	}
	if (!json && !count)
		printf("(no runs yet)\n");
	free(runs);
	return 0;
}
