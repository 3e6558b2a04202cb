/*
 * cmd_run.c: `parity run`: the unattended monthly job. Takes the lock,
 * ingests each new file in the inbox (archive on success, quarantine with
 * an error report on failure), analyses the latest complete period, writes
 * a dated output folder with the report and a list of what changed, and
 * logs every event.
 */
#define _GNU_SOURCE /* syscall (Linux), for the dry run's signal handler */
#include "cli.h"
#include "pipeline.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: parity run --config FILE [--dry-run] [--date YYYY-MM-DD]\n"
	        "       parity run --config FILE --print-config\n"
	        "\n"
	        "The unattended monthly run. Ingests each new file in the inbox: a file\n"
	        "already ingested (same SHA-256) is skipped and archived; an ingested file\n"
	        "moves to archive/YYYY-MM/; a refused file moves to quarantine/ with\n"
	        "NAME.error.txt beside it. Then analyses the latest complete period and\n"
	        "writes OUTPUT/YYYY-MM/ with the board report, charts, results files and\n"
	        "changes.txt, and, when the period is a financial year with a workforce\n"
	        "snapshot, the year's return (return.csv and the WRES and WDES\n"
	        "workbooks, as 'parity return' makes them). Every folder it writes is\n"
	        "made when missing and checked writable before anything changes. Every\n"
	        "event is logged, with a timestamp and level, to stderr and to the log\n"
	        "file. A file's kind comes from the inbox subfolder\n"
	        "it is in (inbox/recruitment/...) or the start of its name\n"
	        "(recruitment-2026-10.csv).\n"
	        "\n"
	        "Options:\n"
	        "  --config FILE         the run's configuration (INI; see 'man parity')\n"
	        "  --print-config        print the settings in force, defaults included\n"
	        "  --dry-run             say what would happen; change nothing\n"
	        "  --date YYYY-MM-DD     the run's date, naming the dated folders\n"
	        "                        (default: today)\n"
	        "  -q, --quiet           print errors only (the log file gets every line)\n"
	        "  -h, --help            show this help\n"
	        "\n"
	        "Exit status: 0 success (an empty inbox too); 65 partly succeeded (some files quarantined; the\n"
	        "report was still written); 66 the configuration or inbox is missing;\n"
	        "74 failed (I/O or database); 75 another run holds the lock.\n");
}

/* What happened to the inbox files this run. */
typedef struct run_tally {
	unsigned ingested, corrected, skipped, quarantined;
	parity_run_event *events; /* one per file, recorded with the run */
	size_t count, capacity;
	parity_store *store;      /* where events are saved as they happen */
	int64_t run_id;           /* the run they belong to (0: a dry run) */
	const char *month;        /* the month the run reports for */
	int save_failed;          /* an event could not be saved */
} run_tally;

/* Remember what happened to `f`: `event` is new, corrected, skipped or
 * quarantined; `detail` the counts or the reason. */
static void note(run_tally *t, const parity_inbox_file *f, const char *sha,
                 const char *event, const char *detail)
{
	if (t->count == t->capacity) {
		size_t capacity = t->capacity ? t->capacity * 2 : 16;
		parity_run_event *grown = realloc(t->events, capacity * sizeof *grown);
		if (!grown)
			return; /* the log still has it */
		t->events = grown;
		t->capacity = capacity;
	}
	parity_run_event *e = &t->events[t->count++];
	memset(e, 0, sizeof *e);
	snprintf(e->name, sizeof e->name, "%s", f->name);
	snprintf(e->sha256, sizeof e->sha256, "%s", sha ? sha : "");
	snprintf(e->kind, sizeof e->kind, "%s",
	         f->kind_known ? parity_kind_name(f->kind) : "");
	snprintf(e->event, sizeof e->event, "%s", event);
	/* Long messages are cut: the log has them whole. Escaped, as the
	 * detail may quote a path holding a line break. */
	parity_run_escape(e->detail, sizeof e->detail, detail);
	/* Saved now, before the file moves: a run killed after this point has
	 * still said what happened to the file. */
	if (t->run_id && parity_run_save(t->store, t->run_id, t->month, "ok", 0, e, 1))
		t->save_failed = 1;
}

/* Write NAME.error.txt beside a quarantined file: what was wrong and what
 * to do, in words for the person who delivered it. */
static void write_error_report(const char *quarantined, const char *message,
                               const char *rejects)
{
	char path[PARITY_PATH_MAX + 16], temp[PARITY_PATH_MAX + 32];
	char escaped[4096];
	/* The name fits however long the delivered one (a name too long for
	 * its report would otherwise leave the file without one). */
	if (parity_run_derived_path(path, sizeof path, quarantined, ".error.txt"))
		return;
	/* Written beside under another name, owner-only like everything else
	 * a run writes, and renamed: whole or not at all. */
	snprintf(temp, sizeof temp, "%s.tmp-%06ld", path, (long)getpid() % 1000000);
	/* The name is predictable: never follow or reuse what lies there (a
	 * killed run's leftover is removed, a link is not written through). */
	unlink(temp);
	int fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	FILE *out = fd < 0 ? NULL : fdopen(fd, "w");
	if (!out) {
		if (fd >= 0) {
			close(fd);
			unlink(temp);
		}
		return;
	}
	/* The message may quote the path: a line break in the file's name must
	 * not forge a line of the report. */
	parity_run_escape(escaped, sizeof escaped, message);
	fprintf(out, "parity could not ingest this file.\n\n%s\n", escaped);
	if (rejects && rejects[0]) {
		parity_run_escape(escaped, sizeof escaped, rejects);
		fprintf(out, "\nThe rows that failed a check are listed, with line numbers "
		        "and reasons, in:\n%s\n", escaped);
	}
	fprintf(out, "\nFix the file and put it back in the inbox; the next run will "
	        "take it.\n");
	if (fclose(out) != 0 || rename(temp, path) != 0)
		unlink(temp);
}

/* The file parity leaves in each dated folder it makes (output month,
 * archive month): retention removes only folders that carry it. */
/* Load each kind's mapping once. Returns 0 or the error code. */
static int load_mappings(parity_mapping *mappings[PARITY_KIND_COUNT_],
                         const parity_run_config *config, parity_log *log)
{
	for (unsigned k = 0; k < PARITY_KIND_COUNT_; k++) {
		mappings[k] = NULL;
		if (!config->mapping[k][0])
			continue;
		int rc = parity_mapping_load(&mappings[k], config->mapping[k]);
		if (rc) {
			parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
			return rc;
		}
	}
	return 0;
}

/*
 * A dry run's scratch database and rejects files (which hold person-level
 * rows) live in one private folder, made with mkdtemp (0700) under $TMPDIR
 * (else /tmp), and are removed on every exit path: by scratch_remove at the
 * end, and by a handler when SIGINT, SIGTERM or SIGHUP stops the run.
 * The handler may only make system calls, so it lists the folder with
 * getdents64 (Linux); elsewhere it removes the files it can name.
 */
static char scratch_dir[PARITY_PATH_MAX];         /* "" when there is none */
static char scratch_names[2][PARITY_PATH_MAX + 32]; /* database, journal */

#if defined(__linux__)
#include <sys/syscall.h>
/* Remove every file in the scratch folder: system calls only. */
static void scratch_empty(void)
{
	int dir = open(scratch_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir < 0)
		return;
	char buffer[4096];
	long n;
	while ((n = syscall(SYS_getdents64, dir, buffer, sizeof buffer)) > 0) {
		for (long at = 0; at < n;) {
			/* struct linux_dirent64: ino 8, off 8, reclen 2, type 1, name */
			unsigned short reclen;
			memcpy(&reclen, buffer + at + 16, sizeof reclen);
			const char *name = buffer + at + 19;
			if (strcmp(name, ".") && strcmp(name, ".."))
				unlinkat(dir, name, 0);
			at += reclen;
		}
	}
	close(dir);
}
#else
static void scratch_empty(void)
{
	for (size_t i = 0; i < 2; i++)
		unlink(scratch_names[i]);
}
#endif

/* Remove the scratch folder and everything in it. */
static void scratch_remove(void)
{
	if (!scratch_dir[0])
		return;
	scratch_empty();
	rmdir(scratch_dir);
	scratch_dir[0] = '\0';
}

static void scratch_on_signal(int sig)
{
	scratch_remove();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Make the scratch folder and put the scratch database's path in `db`;
 * the handlers are set before the first file is made. 0 or PARITY_EIO. */
static int scratch_make(char *db, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || !*tmp)
		tmp = "/tmp";
	char dir[PARITY_PATH_MAX];
	int n = snprintf(dir, sizeof dir, "%s/parity-dry-run-XXXXXX", tmp);
	if (n < 0 || (size_t)n >= sizeof dir)
		return parity_error_set(PARITY_EUSAGE, "TMPDIR is too long");
	struct sigaction action;
	memset(&action, 0, sizeof action);
	action.sa_handler = scratch_on_signal;
	sigemptyset(&action.sa_mask);
	sigaction(SIGINT, &action, NULL);
	sigaction(SIGTERM, &action, NULL);
	sigaction(SIGHUP, &action, NULL);
	if (!mkdtemp(dir))
		return parity_error_set(PARITY_EIO, "%s: cannot make a scratch folder for the "
		                        "dry run (set TMPDIR to a folder you can write): %s",
		                        tmp, strerror(errno));
	snprintf(scratch_names[0], sizeof scratch_names[0], "%s/scratch.db", dir);
	snprintf(scratch_names[1], sizeof scratch_names[1], "%s/scratch.db-journal", dir);
	memcpy(scratch_dir, dir, sizeof scratch_dir);
	snprintf(db, size, "%s", scratch_names[0]);
	return 0;
}

/*
 * Ingest one inbox file into `store` and move it on. In a dry run `store`
 * is a scratch database, so the checks run but nothing real changes and
 * nothing moves; `real` is then the real database's path, looked in
 * (read-only) for files already ingested, and `scratch` the private folder
 * the rejects go to (removed before the run ends). Returns 0 when the file was taken or skipped, 1 when it
 * was quarantined, or a negative error that stops the run.
 */
static int take_file(run_tally *tally, parity_store *store, const char *real,
                     const char *scratch, const parity_inbox_file *f,
                     parity_mapping *mappings[PARITY_KIND_COUNT_],
                     const parity_run_config *config, const char *month,
                     int dry_run, parity_log *log)
{
	char archive_dir[PARITY_PATH_MAX], moved[PARITY_PATH_MAX];
	snprintf(archive_dir, sizeof archive_dir, "%.4080s/%.7s", config->archive, month);
	if (!f->kind_known) {
		const char *why = "cannot tell what kind of extract this is: put it in "
		                  "an inbox subfolder named recruitment, workforce, "
		                  "disciplinary, training, board or survey, or start its name "
		                  "with the "
		                  "kind";
		parity_log_write(log, PARITY_LOG_WARN, "%s: %s", f->name, why);
		note(tally, f, NULL, "quarantined", why);
		tally->quarantined++;
		if (dry_run)
			return 1;
		if (parity_file_move(moved, f->path, config->quarantine) == 0)
			write_error_report(moved, why, NULL);
		return 1;
	}

	if (dry_run && real) {
		/* The scratch store cannot know what the real one holds. */
		int known = 0;
		if (parity_run_file_known(real, f->path, &known) == 0 && known) {
			parity_log_write(log, PARITY_LOG_INFO, "%s: already ingested: would skip "
			                 "and archive it", f->name);
			note(tally, f, NULL, "skipped", "already ingested (a duplicate delivery)");
			tally->skipped++;
			return 0;
		}
	}
	parity_ingest_options options;
	parity_ingest_summary summary;
	parity_ingest_options_default(&options, f->kind);
	options.mapping = mappings[f->kind];
	options.replace = config->replace_redeliveries;
	options.max_reject_share = config->max_reject_share;
	options.rejects_dir = dry_run ? NULL : config->quarantine;
	if (dry_run)
		options.rejects_dir = scratch;
	int rc = parity_ingest_file(&summary, store, f->path, &options);
	if (dry_run && summary.rejects_path[0])
		unlink(summary.rejects_path); /* person-level rows: not kept */
	const char *kind = parity_kind_name(f->kind);
	if (rc == PARITY_EIO || rc == PARITY_EBUSY || rc == PARITY_ENOMEM) {
		parity_log_write(log, PARITY_LOG_ERROR, "%s: %s", f->name, parity_error_last());
		return rc;
	}
	if (rc) {
		/* Kept in the log, the history, changes.txt and error.txt: the
		 * values it quotes stay in the rejects file only. */
		char message[2048];
		parity_publish_message(message, sizeof message, parity_error_last());
		parity_log_write(log, PARITY_LOG_WARN, "%s (%s): refused: %s", f->name, kind,
		                 message);
		note(tally, f, summary.sha256, "quarantined", message);
		tally->quarantined++;
		if (dry_run)
			return 1;
		if (parity_file_move(moved, f->path, config->quarantine) == 0)
			write_error_report(moved, message, summary.rejects_path);
		else
			parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
		return 1;
	}
	int this_month = 0, ever = 0;
	char stored[200] = "", replaced[1024] = "";
	if (summary.already_ingested &&
	    parity_run_file_reported(store, summary.sha256, month, &this_month, &ever,
	                             stored, sizeof stored, replaced, sizeof replaced) != 0)
		return PARITY_EIO;
	if (summary.already_ingested && this_month) {
		/* Reported by an earlier run this month (one that was stopped
		 * before it could archive the file): archive it, say nothing new. */
		parity_log_write(log, PARITY_LOG_INFO, "%s (%s): already ingested and "
		                 "reported this month; archived", f->name, kind);
	} else if (summary.already_ingested && !ever && replaced[0]) {
		/* A corrected delivery stored by a run that was stopped before it
		 * could record the file: the store kept what it replaced, so it is
		 * reported as that run would have, a correction. */
		char detail[1400];
		snprintf(detail, sizeof detail, "%s; replaced what it supersedes: "
		         "removed %s", stored, replaced);
		parity_log_write(log, PARITY_LOG_INFO, "%s (%s): %s (ingested by an "
		                 "interrupted run)", f->name, kind, detail);
		note(tally, f, summary.sha256, "corrected", detail);
		tally->corrected++;
	} else if (summary.already_ingested && !ever) {
		/* Ingested by a run that was stopped before it could record the
		 * file: report it as that run would have. */
		parity_log_write(log, PARITY_LOG_INFO, "%s (%s): %s (ingested by an "
		                 "interrupted run)", f->name, kind, stored);
		note(tally, f, summary.sha256, "new", stored);
		tally->ingested++;
	} else if (summary.already_ingested) {
		parity_log_write(log, PARITY_LOG_INFO, "%s (%s): already ingested (SHA-256 "
		                 "%.12s), skipped", f->name, kind, summary.sha256);
		note(tally, f, summary.sha256, "skipped",
		     "already ingested (a duplicate delivery)");
		tally->skipped++;
	} else {
		char counts[200];
		int used = snprintf(counts, sizeof counts, "%llu rows, %llu stored, %llu "
		                    "rejected", (unsigned long long)summary.rows_read,
		                    (unsigned long long)summary.rows_accepted,
		                    (unsigned long long)summary.rows_rejected);
		if (summary.empty_rows && used > 0 && (size_t)used < sizeof counts)
			snprintf(counts + used, sizeof counts - (size_t)used,
			         ", %llu empty rows skipped",
			         (unsigned long long)summary.empty_rows);
		parity_log_write(log, PARITY_LOG_INFO, "%s (%s): %s%s%s", f->name, kind, counts,
		                 summary.replaced ? "; replaced an earlier delivery" : "",
		                 dry_run ? " (dry run: checked, not stored)" : "");
		if (summary.rows_rejected)
			parity_log_write(log, PARITY_LOG_WARN, "%s: rejected rows are listed in %s",
			                 f->name, dry_run ? "the rejects file (dry run: not kept)"
			                                  : summary.rejects_path);
		if (summary.organisation_warning[0])
			parity_log_write(log, PARITY_LOG_WARN, "%s: organisation codes that "
			                 "differ only in case or spacing count as different "
			                 "organisations: %s; map them to one code under "
			                 "[organisation] in the mapping", f->name,
			                 summary.organisation_warning);
		if (summary.title_lines || summary.footer_lines)
			parity_log_write(log, PARITY_LOG_INFO, "%s: skipped %llu title "
			                 "line%s above the header and %llu report footer "
			                 "line%s (not rows, not rejects)", f->name,
			                 (unsigned long long)summary.title_lines,
			                 summary.title_lines == 1 ? "" : "s",
			                 (unsigned long long)summary.footer_lines,
			                 summary.footer_lines == 1 ? "" : "s");
		/* Ingest's further warnings (values of a band-like column that
		 * are not known ones), one log line each: never only on a
		 * terminal nobody watches. */
		for (const char *w = summary.warnings; *w;) {
			size_t len = strcspn(w, "\n");
			parity_log_write(log, PARITY_LOG_WARN, "%s: %.*s", f->name, (int)len, w);
			w += len + (w[len] == '\n');
		}
		if (summary.replaced) {
			char detail[1400];
			snprintf(detail, sizeof detail, "%s; replaced what it supersedes: "
			         "removed %s", counts, summary.replaced_from);
			parity_log_write(log, PARITY_LOG_INFO, "%s: replaced what it "
			                 "supersedes: removed %s", f->name, summary.replaced_from);
			note(tally, f, summary.sha256, "corrected", detail);
			tally->corrected++;
		} else {
			note(tally, f, summary.sha256, "new", counts);
			tally->ingested++;
		}
	}
	if (dry_run)
		return 0;
	if (cli_run_mark_folder(archive_dir) != 0 ||
	    parity_file_move(moved, f->path, archive_dir) != 0) {
		parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
		return PARITY_EIO;
	}
	return 0;
}

/* What the report's "What changed" needs: the run recorded with its
 * file events, then changes.txt written and its lines returned. */
typedef struct run_changes {
	parity_store *store;
	const char *month;          /* "2026-11" */
	const char *path;           /* OUTPUT/YYYY-MM/changes.txt */
	const char *status;         /* "ok" or "partial" */
	unsigned warnings;          /* warnings logged so far */
	const run_tally *tally;     /* the file events */
	int saved;                  /* 1 once parity_run_save has recorded them */
} run_changes;

/* The cli_changes_fn for `parity run`: called once the analysis run is
 * kept, so the comparison with the previous month's run can be made. */
static int changes_for_report(char ***lines, int64_t run_id,
                              const parity_published *pub, void *context)
{
	run_changes *c = context;
	/* The events are saved already; this sets the status and warnings. */
	int rc = parity_run_save(c->store, run_id, c->month, c->status, c->warnings,
	                         NULL, 0);
	if (rc)
		return rc;
	c->saved = 1;
	return parity_run_write_changes(lines, c->store, run_id, c->month, c->path,
	                                pub);
}

/*
 * Make every place the run writes, and check each can be written, before
 * anything is ingested or moved: permission bits do not tell (a folder
 * that exists read-only, a read-only mount), so a probe file is made in
 * each. A run that could not finish its work stops with nothing changed.
 */
static int ensure_places(const parity_run_config *config)
{
	const char *dirs[] = {config->output, config->archive, config->quarantine};
	const char *files[] = {config->database, config->log};
	int rc;
	for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
		if ((rc = parity_dir_ensure(dirs[i])) || (rc = parity_dir_check_writable(dirs[i])))
			return rc;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		/* The database's folder holds SQLite's journal; the log's its file. */
		char dir[PARITY_PATH_MAX];
		const char *slash = strrchr(files[i], '/');
		if (!files[i][0])
			continue;
		if (!slash)
			snprintf(dir, sizeof dir, ".");
		else
			snprintf(dir, sizeof dir, "%.*s", slash == files[i] ? 1
			         : (int)(slash - files[i]), files[i]);
		if ((rc = parity_dir_check_writable(dir)))
			return rc;
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{"config", required_argument, NULL, 'c'},
		{"print-config", no_argument, NULL, 'P'},
		{"dry-run", no_argument, NULL, 'n'},
		{"date", required_argument, NULL, 'D'},
		{"quiet", no_argument, NULL, 'q'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *config_path = NULL, *date_text = NULL;
	int print_config = 0, dry_run = 0, quiet = 0, c;
	parity_run_config config;
	parity_run_lock *lock = NULL;
	parity_log *log = NULL;
	parity_store *store = NULL;
	parity_cohorts *cohorts = NULL, *programme = NULL;
	int64_t run_id = 0;
	int outputs_called = 0;
	parity_inbox_file *files = NULL;
	parity_mapping *mappings[PARITY_KIND_COUNT_] = {NULL};
	size_t file_count = 0;
	char scratch_db[PARITY_PATH_MAX + 32] = "";
	int status = 0, rc;
	run_tally tally;

	optind = 0;
	while ((c = cli_getopt("run", argc, argv, "c:PnD:qh", longopts)) != -1) {
		switch (c) {
		case 'c': config_path = optarg; break;
		case 'P': print_config = 1; break;
		case 'n': dry_run = 1; break;
		case 'D': date_text = optarg; break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: return EX_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage_error("run", "unexpected argument '%s'", argv[optind]);
	if (!config_path) {
		if (!print_config)
			return cli_usage_error("run", "--config FILE is required");
		parity_run_config_default(&config);
	} else if ((rc = parity_run_config_load(&config, config_path))) {
		return cli_fail("run", rc);
	}
	if (print_config) {
		parity_run_config_print(stdout, &config);
		return 0;
	}

	parity_date date;
	if (date_text) {
		if (parity_date_parse(&date, date_text))
			return cli_usage_error("run", "--date: %s", parity_error_last());
	} else {
		time_t now = time(NULL);
		struct tm tm;
		gmtime_r(&now, &tm);
		date.year = tm.tm_year + 1900;
		date.month = tm.tm_mon + 1;
		date.day = tm.tm_mday;
	}
	char month[8];
	parity_month_label(month, parity_date_month_index(&date));
	memset(&tally, 0, sizeof tally);

	if ((rc = parity_log_open(&log, dry_run ? "" : config.log, stderr)))
		return cli_fail("run", rc);
	/* Quiet is errors only: a run that fails says so even under -q. */
	parity_log_set_quiet(log, quiet);
	cli_quiet_set(quiet);
	if (!dry_run && (rc = parity_dir_ensure_parent(config.database))) {
		parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
		parity_log_close(log);
		return parity_exit_status(rc);
	}
	if (!dry_run && (rc = parity_run_lock_acquire(&lock, config.database))) {
		parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
		parity_log_close(log);
		return parity_exit_status(rc);
	}
	parity_log_write(log, PARITY_LOG_INFO, "run %s started%s (config %s)", month,
	                 dry_run ? " as a dry run: nothing will change" : "", config_path);
	/* The folders the run writes to are made (or found unwritable) before
	 * anything is ingested or moved: a run that cannot write its report or
	 * move its files stops here with nothing changed. */
	if (!dry_run && (rc = ensure_places(&config))) {
		parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
		status = parity_exit_status(rc);
		goto done;
	}

	if ((rc = parity_inbox_list(&files, &file_count, config.inbox))) {
		parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
		status = parity_exit_status(rc);
		goto done;
	}
	if ((rc = load_mappings(mappings, &config, log))) {
		status = parity_exit_status(rc);
		goto done;
	}
	if (dry_run) {
		/* Check files by ingesting them into a scratch database; the real
		 * one is only read, to tell duplicates. */
		rc = scratch_make(scratch_db, sizeof scratch_db);
		if (!rc)
			rc = parity_store_open(&store, scratch_db, 1);
	} else {
		rc = parity_store_open(&store, config.database, 1);
	}
	if (rc) {
		parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
		status = parity_exit_status(rc);
		goto done;
	}
	parity_analyse_options analyse;
	parity_report_options report;
	parity_analyse_options_default(&analyse);
	analyse.rolling_years = config.rolling_years;
	if (config.cohorts[0]) {
		if ((rc = parity_cohorts_load(&cohorts, config.cohorts, store))) {
			parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
			status = parity_exit_status(rc);
			goto done;
		}
		for (size_t i = 0; i < cohorts->warning_count; i++)
			parity_log_write(log, PARITY_LOG_WARN, "%s", cohorts->warnings[i]);
		analyse.cohorts = cohorts;
	}
	if (config.programme[0]) {
		if ((rc = parity_programme_load(&programme, config.programme, store))) {
			parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
			status = parity_exit_status(rc);
			goto done;
		}
		analyse.programme = programme;
	}
	analyse.settings.method = config.method;
	analyse.settings.level = config.level;
	analyse.organisation = config.organisation[0] ? config.organisation : NULL;
	for (size_t i = 0; i < config.intersect_count; i++)
		analyse.intersections[analyse.intersection_count++] = config.intersect[i];
	if (!dry_run) {
		/* The run is kept from its start, so each file's event can be saved
		 * the moment it happens. */
		if ((rc = parity_history_begin(&run_id, store, &analyse)) ||
		    (rc = parity_run_save(store, run_id, month, "ok", 0, NULL, 0))) {
			parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
			status = parity_exit_status(rc);
			goto done;
		}
		tally.store = store;
		tally.run_id = run_id;
		tally.month = month;
	}
	parity_log_write(log, PARITY_LOG_INFO, "%zu file%s in the inbox %s", file_count,
	                 file_count == 1 ? "" : "s", config.inbox);
	for (size_t i = 0; i < file_count; i++) {
		if (files[i].skipped) {
			/* Left where it is, and said: never passed over in silence. */
			parity_log_write(log, PARITY_LOG_WARN, "%s: skipped: %s", files[i].name,
			                 files[i].skipped);
			continue;
		}
		rc = take_file(&tally, store, dry_run ? config.database : NULL, scratch_dir,
		               &files[i], mappings, &config, month, dry_run, log);
		if (rc < 0) {
			status = parity_exit_status(rc);
			goto done;
		}
	}

	if (tally.save_failed) {
		parity_log_write(log, PARITY_LOG_ERROR, "could not record the run's files: %s",
		                 parity_error_last());
		status = EX_IOERR;
		goto done;
	}
	if (dry_run) {
		parity_log_write(log, PARITY_LOG_INFO, "dry run: would write the report to "
		                 "%s/%s and archive %u file%s, quarantine %u", config.output,
		                 month, tally.ingested + tally.corrected + tally.skipped,
		                 tally.ingested + tally.corrected + tally.skipped == 1 ? "" : "s",
		                 tally.quarantined);
		if (tally.quarantined)
			status = EX_DATAERR;
		goto done;
	}

	if (tally.ingested + tally.corrected + tally.skipped + tally.quarantined == 0) {
		parity_log_write(log, PARITY_LOG_INFO, "nothing new in the inbox");
		int empty = 0;
		if ((rc = parity_run_store_empty(store, &empty))) {
			parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
			status = parity_exit_status(rc);
			goto done;
		}
		if (empty) {
			/* Nothing to do is not a failure: no data yet, so no report. */
			parity_log_write(log, PARITY_LOG_INFO, "no data has been ingested yet: "
			                 "no report for %s", month);
			outputs_called = 1;
			parity_run_save(store, run_id, month, "ok", parity_log_warnings(log),
			                NULL, 0);
			parity_history_finish(store, run_id, NULL, "ok", NULL);
			goto done;
		}
	}
	char out_dir[PARITY_PATH_MAX];
	snprintf(out_dir, sizeof out_dir, "%.4000s/%s", config.output, month);
	if (cli_run_mark_folder(out_dir)) {
		parity_log_write(log, PARITY_LOG_ERROR, "%s", parity_error_last());
		status = EX_IOERR;
		goto done;
	}
	memset(&report, 0, sizeof report);
	report.suppress_below = config.suppress;
	report.disclosure = config.disclosure;
	report.organisation = analyse.organisation;
	report.title = config.title[0] ? config.title : NULL;
	report.cohorts_file = config.cohorts[0] ? config.cohorts : NULL;
	report.programme_file = config.programme[0] ? config.programme : NULL;
	report.changes_month = month;
	/* changes.txt is written, and its lines reach the report, once the
	 * analysis run is kept (cli_write_outputs_with calls the hook). */
	char changes_path[PARITY_PATH_MAX + 16];
	snprintf(changes_path, sizeof changes_path, "%s/changes.txt", out_dir);
	run_changes changes = {store, month, changes_path,
	                       tally.quarantined ? "partial" : "ok",
	                       parity_log_warnings(log), &tally, 0};
	outputs_called = 1;
	cli_return_with_report(1); /* the year's return beside its report */
	int out_status = cli_write_outputs_with("run", store, &analyse, &report, out_dir,
	                                        &run_id, changes_for_report, &changes);
	if (out_status) {
		parity_log_write(log, PARITY_LOG_ERROR, "the report for %s was not written",
		                 month);
		if (run_id && !changes.saved)
			parity_run_save(store, run_id, month, "failed", parity_log_warnings(log),
			                NULL, 0);
		status = out_status;
		goto done;
	}
	parity_log_write(log, PARITY_LOG_INFO, "report written to %s/board-report.pdf",
	                 out_dir);
	char return_path[PARITY_PATH_MAX + 16];
	snprintf(return_path, sizeof return_path, "%s/return.csv", out_dir);
	if (access(return_path, F_OK) == 0)
		parity_log_write(log, PARITY_LOG_INFO, "return written to %s (and the WRES "
		                 "and WDES workbooks)", return_path);
	cli_run_retention(&config, &date, log);
	if (tally.quarantined)
		status = EX_DATAERR;
done:
	if (run_id && status && !outputs_called) {
		/* Stopped before the analysis: keep the run as failed, not running. */
		char message[512];
		snprintf(message, sizeof message, "%s", parity_error_last());
		parity_history_finish(store, run_id, NULL, "failed", message);
	}
	if (log)
		parity_log_write(log, status ? PARITY_LOG_WARN : PARITY_LOG_INFO,
		                 "%srun %s finished: %s (%u new, %u corrected, %u skipped, %u "
		                 "quarantined)", dry_run ? "dry " : "", month,
		                 status == 0 ? "success"
		                 : status == EX_DATAERR ? "partly succeeded (files quarantined)"
		                                        : "failed",
		                 tally.ingested, tally.corrected, tally.skipped, tally.quarantined);
	parity_cohorts_free(cohorts);
	parity_cohorts_free(programme);
	parity_store_close(store);
	if (scratch_db[0])
		scratch_remove();
	for (unsigned k = 0; k < PARITY_KIND_COUNT_; k++)
		parity_mapping_free(mappings[k]);
	free(files);
	free(tally.events);
	parity_run_lock_release(lock);
	parity_log_close(log);
	return status;
}
