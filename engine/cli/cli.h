/*
 * cli.h: the command table and the helpers every subcommand shares: strict
 * number parsing, option errors with "did you mean" suggestions, JSON value
 * formatting and the mapping of library errors to exit statuses.
 */
#ifndef PARITY_CLI_H
#define PARITY_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "parity.h"

/* One subcommand: argv[0] is the command name, options follow. */
typedef int (*cli_run_fn)(int argc, char **argv);

typedef struct cli_command {
	const char *name;    /* as typed: "ratio" */
	cli_run_fn run;      /* returns the process exit status */
	const char *summary; /* one line for `parity --help` */
} cli_command;

int cmd_ratio(int argc, char **argv);
int cmd_pool(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_mapping(int argc, char **argv);
int cmd_quality(int argc, char **argv);
int cmd_analyse(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_return(int argc, char **argv);

/* `parity run`'s dated folders (run_folders.c): make folder `dir` and mark
 * it as parity's (0 or the error); and the retention, which removes only
 * marked folders: output folders past config->keep_outputs, archive months
 * ended more than config->keep_archive_days before `date`. */
int cli_run_mark_folder(const char *dir);
void cli_run_retention(const parity_run_config *config, const parity_date *date,
                       parity_log *log);

/* A financial year as published: its return, the relative likelihoods and
 * ONE published set over both (parity_publish_build_year_memo), which `parity
 * return`, `parity report` and `parity run` all build this way. */
typedef struct cli_year {
	parity_return *ret;               /* the year's return */
	parity_results *results;          /* owned: the analysis, when not given */
	const parity_results *ratios;     /* the analysis: results, or the caller's */
	parity_published *pub;            /* the year's published set */
	parity_return_published *ret_pub; /* the return's marks in it */
	struct cli_year_job *job;         /* publishing on another thread, or NULL */
	parity_gate_memo *memo;           /* clean-ups remembered (borrowed), or NULL */
} cli_year;

void cli_year_free(cli_year *y);

/* Read `y` for `year` and `org` (NULL: all) from the store: the year's
 * return and its analysis. `results` (borrowed) is the year's analysis
 * when the caller has it (the report's); NULL analyses the year as the
 * report would with `analysis` (borrowed; NULL: the default options; its
 * period and organisation are replaced by `year` and `org`), printing a
 * note as `command` when it has no relative likelihoods (`command` NULL:
 * no note). `year` NULL with `results` NULL is the year the report chooses
 * by default (the latest complete financial year), or when that is not
 * one, the year of the latest workforce snapshot. Returns 0, or the
 * library's error: PARITY_EDATA when the store has no workforce snapshot
 * in the year, PARITY_EUSAGE when `year` is not a financial year; `y` is
 * then empty. Then cli_year_publish makes the published set over them
 * (under `policy` and `suppress`, with y->memo when set), reading nothing
 * but `y`: 0 or the library's error. Free with cli_year_free(). */
int cli_year_read(cli_year *y, parity_store *store, const char *year, const char *org,
                  const parity_analyse_options *analysis, int target_year,
                  const parity_results *results, const char *command);
int cli_year_publish(cli_year *y, int policy, unsigned suppress);
/* The store's memo of the gate's clean-ups (parity/store.h), read; NULL
 * when it cannot be (a cache: the gate then works everything out). Keep
 * what it learned with cli_memo_done, which frees it. */
parity_gate_memo *cli_memo_open(parity_store *store);
void cli_memo_done(parity_gate_memo *memo, parity_store *store);
/* cli_year_publish on another thread (here when none can be started: 0 or
 * its error); `y` is the thread's until cli_year_publish_wait (0 or its
 * error), which cli_year_free calls (saying nothing of its error) when it was not. */
int cli_year_publish_start(cli_year *y, int policy, unsigned suppress);
int cli_year_publish_wait(cli_year *y);

/* Write OUT_DIR/return.csv and the two workbooks of `y` (the folder made
 * when missing), saying what was written when `verbose`. 0 or the
 * library's error. */
int cli_year_write(const cli_year *y, const char *out_dir, int verbose);

/* Compute the return for `year` (NULL: as cli_year_read) from `store`,
 * with the relative likelihoods analysed under `analysis` (NULL: the
 * defaults), gate it under `policy` and `suppress`, write OUT_DIR/return.csv
 * and the workbooks and say what was written. Returns the exit
 * status; errors are printed as "parity COMMAND: ...". */
int cli_write_return(const char *command, parity_store *store, const char *year,
                     const char *org, const parity_analyse_options *analysis, int policy,
                     unsigned suppress, int target_year, const char *out_dir);

/* The closest of `candidates` (NULL-terminated) to `word` within a small
 * edit distance, or NULL when none is close. */
const char *cli_closest(const char *word, const char *const *candidates);

/*
 * Parse the next option like getopt_long, but never print: an unknown or
 * malformed option is reported by cli_usage_error (with a suggestion from
 * `longopts`) and returned as '?'. Reset with optind = 0 before the first
 * call for a command. `command` names the subcommand in messages.
 */
int cli_getopt(const char *command, int argc, char **argv,
               const char *shortopts, const struct option *longopts);

/* Print "parity COMMAND: MESSAGE" and "Try 'parity COMMAND --help'." to
 * stderr; returns 64 (EX_USAGE). */
int cli_usage_error(const char *command, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print the library's last error as "parity COMMAND: error: ..." and return
 * the exit status for `rc`. */
int cli_fail(const char *command, int rc);

/* Strict parsing: the whole string must be a number in range. 0 or -1. */
int cli_parse_u64(const char *text, uint64_t *out);
int cli_parse_double(const char *text, double *out);
/* A delimiter as users write it: comma, semicolon, tab (or the character). */
int cli_parse_delimiter(const char *text, char *out);

/* JSON values for command output: the library's writers (parity/analyse.h),
 * so the CLI and results.json format numbers the same way. */
#define cli_json_double parity_json_double
#define cli_json_string parity_json_string

#endif
