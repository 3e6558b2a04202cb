/*
 * run_folders.c: the dated folders `parity run` makes (marked as its own)
 * and its retention, which removes only folders it marked: the oldest
 * output folders past `keep_outputs`, and archive months older than
 * `keep_archive_days`.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MARK_NAME ".parity-folder"

/* Make dated folder `dir` and mark it as parity's. 0 or the error. */
int cli_run_mark_folder(const char *dir)
{
	char path[PARITY_PATH_MAX + 32];
	int rc = parity_dir_ensure(dir);
	if (rc)
		return rc;
	snprintf(path, sizeof path, "%s/%s", dir, MARK_NAME);
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return parity_error_set(PARITY_EIO, "%s: cannot write: %s", path,
		                        strerror(errno));
	static const char text[] = "Made by parity run; removed by its retention.\n";
	ssize_t wrote = write(fd, text, sizeof text - 1);
	close(fd);
	if (wrote != (ssize_t)(sizeof text - 1))
		return parity_error_set(PARITY_EIO, "%s: cannot write", path);
	return 0;
}

/* Is `name` a month folder's name ("2026-11"): four digits, a dash and a
 * month from 01 to 12? ("2025-Q4" is not.) */
static int is_month_name(const char *name)
{
	if (strlen(name) != 7 || name[4] != '-' || name[0] < '1' || name[0] > '9')
		return 0;
	for (int i = 0; i < 7; i++)
		if (i != 4 && (name[i] < '0' || name[i] > '9'))
			return 0;
	int month = (name[5] - '0') * 10 + (name[6] - '0');
	return month >= 1 && month <= 12;
}

/* Does folder `name` of `dir` carry the mark of a folder parity made? */
static int is_marked(const char *dir, const char *name)
{
	char path[PARITY_PATH_MAX];
	struct stat st;
	snprintf(path, sizeof path, "%.3800s/%.7s/%s", dir, name, MARK_NAME);
	return lstat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove a dated output folder and the files in it (no deeper). */
static void remove_output(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	char path[PARITY_PATH_MAX];
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof path, "%.3800s/%.250s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

/* The dated folders ("2026-11") directly in `dir`, sorted oldest first.
 * Returns how many were found (at most `max`); the caller frees the names. */
static size_t month_folders(char **names, size_t max, const char *dir)
{
	size_t count = 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	/* Only folders parity made and marked: a user's folder that happens
	 * to look like a month is never counted, let alone removed. */
	while ((e = readdir(d)) != NULL && count < max)
		if (is_month_name(e->d_name) && is_marked(dir, e->d_name) &&
		    (names[count] = strdup(e->d_name)))
			count++;
	closedir(d);
	qsort(names, count, sizeof names[0], compare_names);
	return count;
}

/* Remove dated folder `name` of `dir` (files only, no deeper) and log it. */
static void remove_month(const char *dir, const char *name, parity_log *log)
{
	char path[PARITY_PATH_MAX];
	snprintf(path, sizeof path, "%.3800s/%s", dir, name);
	remove_output(path);
	parity_log_write(log, PARITY_LOG_INFO, "retention: removed %s", path);
}

/*
 * Keep the newest `keep_outputs` dated output folders, and remove archive
 * folders of months that ended more than `keep_archive_days` before the
 * run's date (the database keeps the counts; the archive only holds the
 * delivered files).
 */
void cli_run_retention(const parity_run_config *config, const parity_date *date,
                       parity_log *log)
{
	char *names[1024];
	size_t count;
	if (config->keep_outputs) {
		count = month_folders(names, 1024, config->output);
		for (size_t i = 0; i < count; i++) {
			if (i + config->keep_outputs < count)
				remove_month(config->output, names[i], log);
			free(names[i]);
		}
	}
	if (config->keep_archive_days) {
		struct tm tm;
		memset(&tm, 0, sizeof tm);
		tm.tm_year = date->year - 1900;
		tm.tm_mon = date->month - 1;
		tm.tm_mday = date->day - (int)config->keep_archive_days;
		tm.tm_hour = 12;
		tm.tm_isdst = -1;
		mktime(&tm); /* normalises the day count into a date */
		char cutoff[16];
		snprintf(cutoff, sizeof cutoff, "%04d-%02d", (tm.tm_year + 1900) % 10000,
		         (tm.tm_mon + 1) % 100);
		count = month_folders(names, 1024, config->archive);
		for (size_t i = 0; i < count; i++) {
			if (strcmp(names[i], cutoff) < 0)
				remove_month(config->archive, names[i], log);
			free(names[i]);
		}
	}
}
