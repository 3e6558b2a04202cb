/*
 * cmd_mapping.c: `parity mapping --suggest`: draft a mapping file for a new
 * extract, so that someone who does not write INI by hand can get it in:
 * fill the TODOs, check the CHECKs, ingest.
 */
#include "cli.h"

#include <string.h>
#include <strings.h>
#include <sysexits.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity mapping --suggest --kind KIND [options] FILE\n"
	        "\n"
	        "Draft a mapping file for the extract FILE. parity reads the whole file\n"
	        "(its header and the distinct values of the columns it uses) and writes\n"
	        "a commented INI file:\n"
	        "  [settings]  the kind, the delimiter and encoding it detected;\n"
	        "  [columns]   the file's column for each canonical column, saying how\n"
	        "              it matched (same name, synonym, or a guess marked CHECK);\n"
	        "              a required column it could not find is a commented TODO\n"
	        "              line listing the file's columns;\n"
	        "  [ethnic_category], [sex], [disability], [shortlisted], [appointed],\n"
	        "  [process]   a line for each value the built-in code lists do not\n"
	        "              know: a likely code marked CHECK, or TODO with the codes\n"
	        "              to choose from. Values parity knows are listed in a\n"
	        "              comment, with their row counts.\n"
	        "Columns kept as they are (pay band, staff group, ...) have their values\n"
	        "listed in comments. Replace every TODO, check every CHECK, then run\n"
	        "'parity ingest --db DB --map MAPPING FILE'. A mapping that still says\n"
	        "TODO is refused.\n"
	        "\n"
	        "Options:\n"
	        "  --suggest            draft a mapping (required: the only action so far)\n"
	        "  -k, --kind KIND      recruitment, workforce, disciplinary, training\n"
	        "                       or board\n"
	        "                       (required)\n"
	        "  -o, --out MAPPING    write the draft here (whole or not at all) instead\n"
	        "                       of standard output; an existing file is kept\n"
	        "                       unless --force is given\n"
	        "  -f, --force          replace an existing MAPPING\n"
	        "  --encoding E         utf-8 or windows-1252 (default: utf-8, or\n"
	        "                       windows-1252 when the file is not valid UTF-8)\n"
	        "  --delimiter D        comma, semicolon or tab (default: detected)\n"
	        "  --max-values N       distinct values listed per column (default 200)\n"
	        "  -q, --quiet          no summary on standard error\n"
	        "  -h, --help           show this help\n"
	        "\n"
	        "Exit status: 0 the draft was written; 64 usage error (or MAPPING\n"
	        "exists); 65 FILE is not a readable CSV extract; 66 FILE is missing;\n"
	        "74 the draft could not be written.\n");
}

/* The summary on stderr, so that stdout can carry the draft itself. */
static void print_summary(const parity_suggest_summary *s, const char *file,
                          const char *out_path)
{
	fprintf(stderr, "parity mapping: %s: %llu rows read; %zu columns matched "
	        "(%zu to check)", file, (unsigned long long)s->rows_read,
	        s->columns_matched, s->columns_to_check);
	if (s->required_missing)
		fprintf(stderr, ", %zu required column%s not found (TODO)",
		        s->required_missing, s->required_missing == 1 ? "" : "s");
	fprintf(stderr, "; %zu value%s guessed (CHECK), %zu value%s to fill in (TODO)\n",
	        s->values_to_check, s->values_to_check == 1 ? "" : "s",
	        s->values_todo, s->values_todo == 1 ? "" : "s");
	if (s->not_utf8)
		fprintf(stderr, "parity mapping: the file is not valid UTF-8: it was read "
		        "as Windows-1252 (the draft says encoding = windows-1252)\n");
	if (s->header_line > 1)
		fprintf(stderr, "parity mapping: the header is on line %lu (a report "
		        "title stands above it): the draft says header_line = %lu\n",
		        s->header_line, s->header_line);
	if (s->dates_refused)
		fprintf(stderr, "parity mapping: %llu row%s of those checked %s a date "
		        "ingest will refuse: see the note at the top of the draft\n",
		        (unsigned long long)s->dates_refused,
		        s->dates_refused == 1 ? "" : "s",
		        s->dates_refused == 1 ? "has" : "have");
	if (out_path) {
		if (s->required_missing || s->values_todo || s->dates_refused)
			fprintf(stderr, "parity mapping: wrote %s: replace each TODO, check "
			        "each CHECK, then run 'parity ingest --db DB --map %s %s'\n",
			        out_path, out_path, file);
		else
			fprintf(stderr, "parity mapping: wrote %s: check each CHECK, then run "
			        "'parity ingest --db DB --map %s %s'\n", out_path, out_path,
			        file);
	}
}

int cmd_mapping(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"suggest", no_argument, NULL, 's'},
		{"kind", required_argument, NULL, 'k'},
		{"out", required_argument, NULL, 'o'},
		{"force", no_argument, NULL, 'f'},
		{"encoding", required_argument, NULL, 'E'},
		{"delimiter", required_argument, NULL, 'D'},
		{"max-values", required_argument, NULL, 'V'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	parity_suggest_options options;
	parity_suggest_summary summary;
	const char *kind_name = NULL, *out_path = NULL;
	int suggest = 0, force = 0, quiet = 0, c;
	uint64_t max_values = 0;

	memset(&options, 0, sizeof options);
	optind = 0;
	while ((c = cli_getopt("mapping", argc, argv, "k:o:fqh", longopts)) != -1) {
		switch (c) {
		case 's': suggest = 1; break;
		case 'k': kind_name = optarg; break;
		case 'o': out_path = optarg; break;
		case 'f': force = 1; break;
		case 'E':
			if (!strcasecmp(optarg, "windows-1252") || !strcasecmp(optarg, "cp1252"))
				options.encoding = PARITY_SUGGEST_ENCODING_WINDOWS1252;
			else if (!strcasecmp(optarg, "utf-8") || !strcasecmp(optarg, "utf8"))
				options.encoding = PARITY_SUGGEST_ENCODING_UTF8;
			else
				return cli_usage_error("mapping", "--encoding '%s': use utf-8 or "
				                       "windows-1252", optarg);
			break;
		case 'D':
			if (cli_parse_delimiter(optarg, &options.delimiter))
				return cli_usage_error("mapping", "--delimiter '%s': use comma, "
				                       "semicolon or tab", optarg);
			break;
		case 'V':
			if (cli_parse_u64(optarg, &max_values) || max_values < 1 ||
			    max_values > 100000)
				return cli_usage_error("mapping", "--max-values '%s': give a whole "
				                       "number from 1 to 100000", optarg);
			options.max_values = (size_t)max_values;
			break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (!suggest)
		return cli_usage_error("mapping", "say what to do: --suggest drafts a "
		                       "mapping for an extract");
	if (!kind_name)
		return cli_usage_error("mapping", "--kind KIND is required");
	if (parity_kind_parse(&options.kind, kind_name)) {
		static const char *const kinds[] = {"recruitment", "workforce",
		                                    "disciplinary", "training", NULL};
		const char *close = cli_closest(kind_name, kinds);
		if (close)
			return cli_usage_error("mapping", "unknown kind '%s'; did you mean "
			                       "'%s'?", kind_name, close);
		return cli_usage_error("mapping", "unknown kind '%s': use recruitment, "
		                       "workforce, disciplinary or training", kind_name);
	}
	if (optind >= argc)
		return cli_usage_error("mapping", "no extract file given");
	if (argc - optind > 1)
		return cli_usage_error("mapping", "one extract at a time (got %d files)",
		                       argc - optind);
	const char *file = argv[optind];
	if (out_path && !strcmp(out_path, file))
		return cli_usage_error("mapping", "--out would overwrite the extract itself");
	if (out_path && !force && access(out_path, F_OK) == 0)
		return cli_usage_error("mapping", "%s already exists: it may hold your "
		                       "edits. Choose another name, or add --force to "
		                       "replace it", out_path);

	int rc = parity_mapping_suggest(&summary, file, &options, out_path);
	if (rc)
		return cli_fail("mapping", rc);
	if (!quiet)
		print_summary(&summary, file, out_path);
	return 0;
}
