/*
 * parity/run.h: what the unattended monthly run needs from the library: its
 * configuration file, an advisory lock so two runs never overlap, a log of
 * timestamped events, and the inbox of delivered extracts with the moves
 * to the archive and quarantine folders.
 */
#ifndef PARITY_RUN_H
#define PARITY_RUN_H

#include "parity/analyse.h"
#include "parity/ingest.h"
#include "parity/publish.h"
#include "parity/stats.h"
#include "parity/store.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PARITY_PATH_MAX 4096

/** Settings of `parity run`, from an INI file, with defaults. */
typedef struct parity_run_config {
	char config_path[PARITY_PATH_MAX]; /**< the file read ("" for defaults) */
	char database[PARITY_PATH_MAX];    /**< [paths] database */
	char inbox[PARITY_PATH_MAX];       /**< [paths] inbox: new extracts land here */
	char archive[PARITY_PATH_MAX];     /**< [paths] archive: ingested files */
	char quarantine[PARITY_PATH_MAX];  /**< [paths] quarantine: refused files */
	char output[PARITY_PATH_MAX];      /**< [paths] output: dated report folders */
	char log[PARITY_PATH_MAX];         /**< [paths] log file */
	char cohorts[PARITY_PATH_MAX];     /**< [paths] cohorts CSV ("" for none) */
	char mapping[PARITY_KIND_COUNT_][PARITY_PATH_MAX]; /**< [mappings] per kind */
	char organisation[64];   /**< [report] organisation ("" for all) */
	char title[256];         /**< [report] title ("" for the default) */
	unsigned suppress;       /**< [report] suppress: counts below it hidden (5) */
	int disclosure;          /**< [report] disclosure: parity_disclosure (threshold) */
	parity_ci_method method; /**< [report] method (koopman) */
	double level;            /**< [report] level (0.95) */
	unsigned rolling_years;  /**< [report] rolling_window years for WRES 3 / WDES 3 (2) */
	char intersect[PARITY_MAX_INTERSECTIONS][128]; /**< [report] intersect lines, each
	                              "A,B[,C]" (repeatable; none by default) */
	size_t intersect_count;  /**< entries in `intersect` */
	int replace_redeliveries; /**< [ingest] replace_redeliveries (yes) */
	double max_reject_share; /**< [ingest] max_rejects, per cent in the file (1) */
	unsigned keep_outputs;   /**< [retention] keep_outputs: dated folders kept (24; 0 all) */
	unsigned keep_archive_days; /**< [retention] keep_archive_days (0: keep all) */
	char programme[PARITY_PATH_MAX];   /**< [paths] programme: a roll-out's cohorts
	                                        CSV for the event study ("" for none) */
} parity_run_config;

/** Fill `out` with the defaults (paths relative to the current folder). */
void parity_run_config_default(parity_run_config *out);

/**
 * Read the configuration at `path` over the defaults. Relative paths in the
 * file are taken relative to the file's own folder. Returns 0,
 * PARITY_ENOINPUT when the file is missing, or PARITY_EDATA naming the line
 * and setting that is wrong.
 */
int parity_run_config_load(parity_run_config *out, const char *path);

/** Write the settings in force, defaults included, as a valid config file. */
void parity_run_config_print(FILE *out, const parity_run_config *config);

/** An advisory lock held for the length of a run. */
typedef struct parity_run_lock parity_run_lock;

/**
 * Take the lock beside the database (`database`.lock) without waiting.
 * Returns 0, or PARITY_EBUSY when another run holds it. The kernel releases
 * it if the process dies.
 */
int parity_run_lock_acquire(parity_run_lock **out, const char *database);

/** Release and free the lock; NULL is allowed. */
void parity_run_lock_release(parity_run_lock *lock);

/** Log levels. */
typedef enum parity_log_level {
	PARITY_LOG_INFO = 0,
	PARITY_LOG_WARN,
	PARITY_LOG_ERROR
} parity_log_level;

/** A log writing one line per event to a file and, optionally, a stream. */
typedef struct parity_log parity_log;

/** Open (append) the log at `path`, echoing to `echo` (may be NULL).
 *  `path` may be "" for no file. Returns 0 or PARITY_EIO. */
int parity_log_open(parity_log **out, const char *path, FILE *echo);

/** Quiet: echo only ERROR lines (the log file still gets every line). An
 *  unattended run under --quiet is silent unless something failed. */
void parity_log_set_quiet(parity_log *log, int quiet);

/** Write "2026-11-27T07:40:00Z LEVEL message". */
void parity_log_write(parity_log *log, parity_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/** Warnings and errors written so far. */
unsigned parity_log_warnings(const parity_log *log);

void parity_log_close(parity_log *log);

/** One delivered file in the inbox. */
typedef struct parity_inbox_file {
	char path[PARITY_PATH_MAX]; /**< full path */
	char name[256];             /**< file name */
	int kind_known;             /**< 1 when the kind could be told */
	parity_kind kind;           /**< from the subfolder or name prefix */
	/** Why the entry is not taken (a symbolic link, a FIFO, ...), or NULL
	 *  for a regular file. Such entries are listed so the run can log
	 *  them; they are never read or moved. */
	const char *skipped;
} parity_inbox_file;

/**
 * List the regular files in `inbox` (and in its subfolders named after a
 * kind, e.g. inbox/recruitment/), sorted by path. A file's kind is its
 * subfolder's, or the kind its name begins with ("recruitment-2026-10.csv").
 * Hidden files and files ending in ".part" or ".tmp" (still being copied)
 * are skipped. On success *out is an array the caller frees with free().
 */
int parity_inbox_list(parity_inbox_file **out, size_t *count, const char *inbox);

/**
 * Move `path` into folder `dir` (created if missing), keeping its name, or
 * adding ".2", ".3", ... when a file of that name is there already. The
 * final path is written to `moved` (PARITY_PATH_MAX bytes) when not NULL.
 * Works across file systems (copy, fsync, then remove). Returns 0 or
 * PARITY_EIO.
 */
int parity_file_move(char *moved, const char *path, const char *dir);

/** Create folder `path` and its parents (mode 0700). 0 or PARITY_EIO. */
int parity_dir_ensure(const char *path);

/** Check that folder `path` can be written, by creating and removing a
 *  probe file in it. 0 or PARITY_EIO naming the folder. */
int parity_dir_check_writable(const char *path);

/** Create the folder holding file `path` (a database or log) when it is
 *  missing. 0 or PARITY_EIO. */
int parity_dir_ensure_parent(const char *path);

/** The name of a file derived from a delivered one: folder of `path`, its
 *  name, then `suffix` (".error.txt"), shortened with a hash when the name
 *  would not fit the file system's limit. 0, or PARITY_EUSAGE when even
 *  the folder is too long. */
int parity_run_derived_path(char *out, size_t size, const char *path,
                            const char *suffix);

/** `text` with control characters escaped ("\\n", "\\x1b"), for names that
 *  reach a log, a report or a terminal. */
void parity_run_escape(char *out, size_t size, const char *text);

/** *empty = 1 when the store holds no ingested file yet. 0 or an error. */
int parity_run_store_empty(parity_store *store, int *empty);

/**
 * Set *known to 1 when a file with the same content (SHA-256) as `path` is
 * already in the database at `database`, else 0 (also when there is no
 * database yet). Opens it read-only and changes nothing, not even an older
 * schema (for dry runs). Returns 0, PARITY_ENOINPUT or PARITY_EIO.
 */
int parity_run_file_known(const char *database, const char *path, int *known);

/** Name the command that made run `run_id` ("report", "demo", ...). */
int parity_run_label(parity_store *store, int64_t run_id, const char *command);

/** What happened to one inbox file in a run. */
typedef struct parity_run_event {
	char name[256];     /**< the file's name as delivered */
	char sha256[65];    /**< its digest ("" when it could not be read) */
	char kind[16];      /**< "recruitment", ... or "" when unknown */
	char event[16];     /**< "new", "corrected", "skipped" or "quarantined" */
	char detail[600];   /**< counts, or why it was quarantined */
} parity_run_event;

/**
 * Record scheduled run `run_id` (an analysis run from the history) as a
 * `parity run` for `month` ("2026-11"): add `count` file events (a run saves
 * each as it happens, so a run killed part-way loses none), set its warning
 * count, its files summary from every event it has recorded, and `status`
 * ("ok", "partial" or "failed") unless it already failed. Returns 0 or
 * PARITY_EIO.
 */
int parity_run_save(parity_store *store, int64_t run_id, const char *month,
                      const char *status, unsigned warnings,
                      const parity_run_event *events, size_t count);

/**
 * For a file already in the store (digest `sha`): set *this_month when a run
 * of `month` has reported it already, and *ever when any run reported it as
 * new or corrected data. `counts` gets "N rows, N stored, N rejected" from
 * the store, and `replaced` (size `replaced_size`) what the file replaced
 * when it was ingested ("" when nothing: it was new data). A file ingested
 * by a run that was killed before it could say so has neither flag; its
 * `replaced` tells a corrected delivery from new data. Returns 0 or
 * PARITY_EIO.
 */
int parity_run_file_reported(parity_store *store, const char *sha, const char *month,
                             int *this_month, int *ever, char *counts, size_t size,
                             char *replaced, size_t replaced_size);

/**
 * Write `path` (atomically, 0600): what changed in `month`. Lists every file
 * event recorded for the month, by every run in it, and each indicator
 * (standard set, overall and per organisation) whose estimate in run
 * `run_id` lies outside the interval it had in the latest successful run
 * of an earlier month. The same data gives the same file, however often the
 * month is run. When `lines` is not NULL, also returns the lines (without
 * headings) in a NULL-terminated array the caller frees with
 * parity_run_changes_free(). A moved indicator's figures are quoted only
 * when `pub` (the published set of the run's results) publishes both the
 * current row and the earlier period's; otherwise the line says the
 * figures are suppressed. NULL `pub`: figures quoted (internal use).
 * Returns 0, PARITY_EIO or PARITY_ENOMEM.
 */
int parity_run_write_changes(char ***lines, parity_store *store, int64_t run_id,
                             const char *month, const char *path,
                             const parity_published *pub);

/** Free the lines from parity_run_write_changes(); NULL is allowed. */
void parity_run_changes_free(char **lines);

#ifdef __cplusplus
}
#endif
#endif
