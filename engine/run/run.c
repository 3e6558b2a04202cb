/*
 * run.c: the pieces of the unattended monthly run that belong in the
 * library: the configuration file, the advisory lock, the event log, and
 * the inbox with its moves to archive and quarantine.
 */
#include "parity/run.h"
#include "parity/publish.h"

#include "parity/common.h"
#include "util/sha256.h"
#include "store/store_internal.h"
#include "util/util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* ---- configuration -------------------------------------------------------- */

void parity_run_config_default(parity_run_config *out)
{
	memset(out, 0, sizeof *out);
	snprintf(out->database, sizeof out->database, "parity.db");
	snprintf(out->inbox, sizeof out->inbox, "inbox");
	snprintf(out->archive, sizeof out->archive, "archive");
	snprintf(out->quarantine, sizeof out->quarantine, "quarantine");
	snprintf(out->output, sizeof out->output, "out");
	snprintf(out->log, sizeof out->log, "parity.log");
	out->suppress = 5;
	out->method = PARITY_CI_KOOPMAN;
	out->level = 0.95;
	out->rolling_years = 2;
	out->replace_redeliveries = 1;
	out->max_reject_share = 0.01;
	out->keep_outputs = 24;
	out->keep_archive_days = 0;
}

typedef struct config_state {
	parity_run_config *config;
	char base[PARITY_PATH_MAX]; /* the config file's folder */
	int failed;
} config_state;

static int config_fail(config_state *st, int line, const char *section,
                       const char *name, const char *why)
{
	parity_error_set(PARITY_EDATA, "%s:%d: [%s] %s: %s", st->config->config_path,
	                 line, section, name, why);
	st->failed = 1;
	return 0;
}

/* A path setting: relative paths are relative to the config file. Paths
 * are data: never expanded by a shell, so "~" or "$HOME" mean themselves. */
static int set_path(config_state *st, char *out, const char *value, int line,
                    const char *section, const char *name)
{
	int n;
	if (!value[0]) {
		out[0] = '\0';
		return 1;
	}
	if (strchr(value, '\n') || strchr(value, '\r'))
		return config_fail(st, line, section, name, "a path cannot hold a line break");
	if (value[0] == '/')
		n = snprintf(out, PARITY_PATH_MAX, "%s", value);
	else
		n = snprintf(out, PARITY_PATH_MAX, "%s/%s", st->base, value);
	if (n < 0 || n >= PARITY_PATH_MAX)
		return config_fail(st, line, section, name, "path too long");
	return 1;
}

static int parse_unsigned(const char *value, unsigned max, unsigned *out)
{
	char *end = NULL;
	if (!value[0] || value[0] == '-' || value[0] == '+')
		return -1;
	errno = 0;
	unsigned long v = strtoul(value, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int parse_yes_no(const char *value, int *out)
{
	if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") || !strcmp(value, "1"))
		*out = 1;
	else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") ||
	         !strcmp(value, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int config_entry(void *user, const char *section, const char *name,
                        const char *value, int line)
{
	config_state *st = user;
	parity_run_config *c = st->config;
	if (st->failed)
		return 0;

	if (!strcmp(section, "paths")) {
		struct {
			const char *name;
			char *field;
		} paths[] = {
			{"database", c->database}, {"inbox", c->inbox},
			{"archive", c->archive}, {"quarantine", c->quarantine},
			{"output", c->output}, {"log", c->log}, {"cohorts", c->cohorts},
			{"programme", c->programme},
		};
		for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++)
			if (!strcmp(name, paths[i].name))
				return set_path(st, paths[i].field, value, line, section, name);
		return config_fail(st, line, section, name, "unknown setting (use database, "
		                   "inbox, archive, quarantine, output, log, cohorts or programme)");
	}
	if (!strcmp(section, "mappings")) {
		parity_kind kind;
		/* "counts" parses as a kind but has no mapping (nor a slot for one). */
		if (parity_kind_parse(&kind, name) != 0 || (unsigned)kind >= PARITY_KIND_COUNT_) {
			parity_error_clear();
			return config_fail(st, line, section, name, "not an extract kind (use "
			                   "recruitment, workforce, disciplinary or training)");
		}
		return set_path(st, c->mapping[kind], value, line, section, name);
	}
	if (!strcmp(section, "report")) {
		if (!strcmp(name, "organisation")) {
			if (strlen(value) >= sizeof c->organisation || strchr(value, '/') ||
			    strchr(value, '\\'))
				return config_fail(st, line, section, name, "not an organisation "
				                   "code (at most 63 characters, no path separators)");
			snprintf(c->organisation, sizeof c->organisation, "%s", value);
		} else if (!strcmp(name, "title")) {
			snprintf(c->title, sizeof c->title, "%s", value);
		} else if (!strcmp(name, "suppress")) {
			if (parse_unsigned(value, 1000, &c->suppress))
				return config_fail(st, line, section, name,
				                   "give a whole number from 0 (off) to 1000");
		} else if (!strcmp(name, "disclosure")) {
			int policy = parity_disclosure_parse(value);
			if (policy < 0)
				return config_fail(st, line, section, name,
				                   "use threshold or nhs-digital");
			c->disclosure = policy;
		} else if (!strcmp(name, "method")) {
			if (parity_ci_method_parse(&c->method, value) != 0) {
				parity_error_clear();
				return config_fail(st, line, section, name,
				                   "use koopman, katz, adjusted-log or mn");
			}
		} else if (!strcmp(name, "level")) {
			char *end = NULL;
			double level = strtod(value, &end);
			if (!value[0] || *end || !(level > 0 && level < 1))
				return config_fail(st, line, section, name,
				                   "give a confidence level between 0 and 1, "
				                   "such as 0.95");
			c->level = level;
		} else if (!strcmp(name, "rolling_window")) {
			if (parse_unsigned(value, 10, &c->rolling_years) || c->rolling_years == 0)
				return config_fail(st, line, section, name,
				                   "give the number of years, from 1 to 10");
		} else if (!strcmp(name, "intersect")) {
			if (c->intersect_count == PARITY_MAX_INTERSECTIONS)
				return config_fail(st, line, section, name, "at most 8 intersections");
			if (strlen(value) >= sizeof c->intersect[0] ||
			    parity_analyse_intersection_check(value)) {
				char why[400];
				snprintf(why, sizeof why, "%s", strlen(value) >= sizeof c->intersect[0]
				         ? "too long" : parity_error_last());
				parity_error_clear();
				return config_fail(st, line, section, name, why);
			}
			snprintf(c->intersect[c->intersect_count++], sizeof c->intersect[0], "%s",
			         value);
		} else {
			return config_fail(st, line, section, name, "unknown setting (use "
			                   "organisation, title, suppress, disclosure, method, "
			                   "level, rolling_window or intersect)");
		}
		return 1;
	}
	if (!strcmp(section, "ingest")) {
		if (!strcmp(name, "replace_redeliveries")) {
			if (parse_yes_no(value, &c->replace_redeliveries))
				return config_fail(st, line, section, name, "use yes or no");
		} else if (!strcmp(name, "max_rejects")) {
			char *end = NULL;
			double pct = strtod(value, &end);
			if (!value[0] || *end || !(pct >= 0 && pct <= 100))
				return config_fail(st, line, section, name,
				                   "give a percentage from 0 to 100");
			c->max_reject_share = pct / 100.0;
		} else {
			return config_fail(st, line, section, name, "unknown setting (use "
			                   "replace_redeliveries or max_rejects)");
		}
		return 1;
	}
	if (!strcmp(section, "retention")) {
		if (!strcmp(name, "keep_outputs")) {
			if (parse_unsigned(value, 100000, &c->keep_outputs))
				return config_fail(st, line, section, name,
				                   "give a whole number (0 keeps every month)");
		} else if (!strcmp(name, "keep_archive_days")) {
			if (parse_unsigned(value, 100000, &c->keep_archive_days))
				return config_fail(st, line, section, name,
				                   "give a whole number of days (0 keeps all)");
		} else {
			return config_fail(st, line, section, name, "unknown setting (use "
			                   "keep_outputs or keep_archive_days)");
		}
		return 1;
	}
	if (!section[0])
		return config_fail(st, line, "", name, "comes before any [section]");
	return config_fail(st, line, section, name, "unknown section (use [paths], "
	                   "[mappings], [report], [ingest] or [retention])");
}

int parity_run_config_load(parity_run_config *out, const char *path)
{
	config_state st;
	parity_run_config_default(out);
	memset(&st, 0, sizeof st);
	st.config = out;
	snprintf(out->config_path, sizeof out->config_path, "%s", path);
	FILE *in = fopen(path, "r");
	if (!in)
		return parity_error_set(errno == ENOENT ? PARITY_ENOINPUT : PARITY_EIO,
		                        "%s: cannot open the configuration: %s", path,
		                        strerror(errno));
	/* The folder of the config file anchors relative paths. */
	const char *slash = strrchr(path, '/');
	if (slash)
		snprintf(st.base, sizeof st.base, "%.*s", (int)(slash - path), path);
	else
		snprintf(st.base, sizeof st.base, ".");
	if (!st.base[0])
		snprintf(st.base, sizeof st.base, "/");
	char absolute[PARITY_PATH_MAX];
	if (realpath(st.base, absolute))
		snprintf(st.base, sizeof st.base, "%s", absolute);
	/* Defaults are relative to the config file too. */
	char *defaults[] = {out->database, out->inbox, out->archive, out->quarantine,
	                    out->output, out->log};
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		char joined[PARITY_PATH_MAX];
		if (util_path_join(joined, sizeof joined, st.base, defaults[i]) == 0)
			memcpy(defaults[i], joined, sizeof joined);
	}
	int rc = util_ini_parse(in, config_entry, &st);
	fclose(in);
	if (st.failed || rc < 0)
		return PARITY_EDATA;
	if (rc > 0)
		return parity_error_set(PARITY_EDATA, "%s:%d: not a valid line (expected "
		                        "'name = value' or '[section]')", path, rc);
	return 0;
}

void parity_run_config_print(FILE *out, const parity_run_config *c)
{
	fprintf(out, "; parity run configuration%s%s\n", c->config_path[0] ? ": " : "",
	        c->config_path);
	fprintf(out, "[paths]\ndatabase = %s\ninbox = %s\narchive = %s\n"
	        "quarantine = %s\noutput = %s\nlog = %s\ncohorts = %s\nprogramme = %s\n\n",
	        c->database, c->inbox, c->archive, c->quarantine, c->output, c->log,
	        c->cohorts, c->programme);
	fprintf(out, "[mappings]\n");
	for (unsigned k = 0; k < PARITY_KIND_COUNT_; k++)
		fprintf(out, "%s = %s\n", parity_kind_name((parity_kind)k), c->mapping[k]);
	fprintf(out, "\n[report]\norganisation = %s\ntitle = %s\nsuppress = %u\n"
	        "disclosure = %s\nmethod = %s\nlevel = %g\nrolling_window = %u\n",
	        c->organisation, c->title, c->suppress,
	        parity_disclosure_name((parity_disclosure)c->disclosure),
	        parity_ci_method_name(c->method),
	        c->level, c->rolling_years);
	for (size_t i = 0; i < c->intersect_count; i++)
		fprintf(out, "intersect = %s\n", c->intersect[i]);
	if (!c->intersect_count)
		fprintf(out, "; intersect = ethnic_category,sex,disability  (repeatable; "
		        "none set)\n");
	fprintf(out, "\n");
	fprintf(out, "[ingest]\nreplace_redeliveries = %s\nmax_rejects = %g\n\n",
	        c->replace_redeliveries ? "yes" : "no", c->max_reject_share * 100.0);
	fprintf(out, "[retention]\nkeep_outputs = %u\nkeep_archive_days = %u\n",
	        c->keep_outputs, c->keep_archive_days);
}

/* ---- lock ------------------------------------------------------------------ */

struct parity_run_lock {
	int fd;
	char path[PARITY_PATH_MAX];
};

int parity_run_lock_acquire(parity_run_lock **out, const char *database)
{
	*out = NULL;
	parity_run_lock *lock = calloc(1, sizeof *lock);
	if (!lock)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	int n = snprintf(lock->path, sizeof lock->path, "%s.lock", database);
	if (n < 0 || (size_t)n >= sizeof lock->path) {
		free(lock);
		return parity_error_set(PARITY_EUSAGE, "database path too long");
	}
	lock->fd = open(lock->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (lock->fd < 0) {
		int err = errno;
		free(lock);
		return parity_error_set(PARITY_EIO, "%s.lock: cannot open the lock file: %s",
		                        database, strerror(err));
	}
	if (flock(lock->fd, LOCK_EX | LOCK_NB) != 0) {
		int err = errno;
		close(lock->fd);
		free(lock);
		if (err == EWOULDBLOCK)
			return parity_error_set(PARITY_EBUSY,
			                        "another parity run is using %s; this run "
			                        "stops (try again when it has finished)",
			                        database);
		return parity_error_set(PARITY_EIO, "%s.lock: cannot lock: %s", database,
		                        strerror(err));
	}
	*out = lock;
	return 0;
}

void parity_run_lock_release(parity_run_lock *lock)
{
	if (!lock)
		return;
	flock(lock->fd, LOCK_UN);
	close(lock->fd);
	free(lock);
}

/* ---- log ------------------------------------------------------------------- */

struct parity_log {
	FILE *file;
	FILE *echo;
	unsigned warnings;
	int quiet; /* echo errors only */
};

int parity_log_open(parity_log **out, const char *path, FILE *echo)
{
	*out = NULL;
	parity_log *log = calloc(1, sizeof *log);
	if (!log)
		return parity_error_set(PARITY_ENOMEM, "out of memory");
	log->echo = echo;
	if (path && path[0]) {
		int rc = util_parent_mkdirs(path);
		if (rc) {
			free(log);
			return rc;
		}
		int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
		if (fd < 0 || !(log->file = fdopen(fd, "a"))) {
			int err = errno;
			if (fd >= 0)
				close(fd);
			free(log);
			return parity_error_set(PARITY_EIO, "%s: cannot open the log: %s", path,
			                        strerror(err));
		}
	}
	*out = log;
	return 0;
}

void parity_log_write(parity_log *log, parity_log_level level, const char *fmt, ...)
{
	static const char *const names[] = {"INFO", "WARN", "ERROR"};
	char stamp[32], message[2048];
	va_list ap;
	if (!log)
		return;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	/* One event, one line: fold line breaks in messages; other control
	 * characters (from a file name in a message) are escaped, so they can
	 * neither forge a line nor drive a terminal. */
	for (char *p = message; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	/* The log is kept: no value quoted from a delivered file goes in it
	 * (the rejects file has them). */
	char safe[sizeof message], escaped[sizeof message];
	parity_publish_message(safe, sizeof safe, message);
	util_escape_controls(escaped, sizeof escaped, safe);
	if (level != PARITY_LOG_INFO)
		log->warnings++;
	if (log->file) {
		fprintf(log->file, "%s %s %s\n", stamp, names[level], escaped);
		fflush(log->file);
	}
	if (log->echo && (!log->quiet || level == PARITY_LOG_ERROR))
		fprintf(log->echo, "%s %s %s\n", stamp, names[level], escaped);
}

void parity_log_set_quiet(parity_log *log, int quiet)
{
	if (log)
		log->quiet = quiet;
}

unsigned parity_log_warnings(const parity_log *log)
{
	return log ? log->warnings : 0;
}

void parity_log_close(parity_log *log)
{
	if (!log)
		return;
	if (log->file)
		fclose(log->file);
	free(log);
}

/* ---- inbox ----------------------------------------------------------------- */

static int skip_name(const char *name)
{
	size_t len = strlen(name);
	if (name[0] == '.')
		return 1;
	if (len >= 5 && !strcmp(name + len - 5, ".part"))
		return 1;
	if (len >= 4 && !strcmp(name + len - 4, ".tmp"))
		return 1;
	if (strstr(name, ".tmp-"))
		return 1;
	return 0;
}

static int kind_of_name(const char *name, parity_kind *kind)
{
	for (unsigned k = 0; k < PARITY_KIND_COUNT_; k++) {
		const char *kname = parity_kind_name((parity_kind)k);
		size_t len = strlen(kname);
		if (!strncasecmp(name, kname, len)) {
			*kind = (parity_kind)k;
			return 1;
		}
	}
	return 0;
}

static int add_file(parity_inbox_file **files, size_t *count, size_t *capacity,
                    const char *dir, const char *name, int kind_known,
                    parity_kind kind, const char *skipped)
{
	if (*count == *capacity) {
		size_t grown = *capacity ? *capacity * 2 : 16;
		parity_inbox_file *p = realloc(*files, grown * sizeof *p);
		if (!p)
			return parity_error_set(PARITY_ENOMEM, "out of memory");
		*files = p;
		*capacity = grown;
	}
	parity_inbox_file *f = &(*files)[*count];
	memset(f, 0, sizeof *f);
	if (util_path_join(f->path, sizeof f->path, dir, name))
		return PARITY_EUSAGE;
	/* The name as shown in every output: escaped, so a newline in a name
	 * cannot forge a line of changes.txt, the log or the report. */
	util_escape_controls(f->name, sizeof f->name, name);
	f->skipped = skipped;
	f->kind_known = kind_known;
	f->kind = kind;
	(*count)++;
	return 0;
}

static int compare_files(const void *a, const void *b)
{
	return strcmp(((const parity_inbox_file *)a)->path,
	              ((const parity_inbox_file *)b)->path);
}

/* Add the regular files of `dir`; subfolders named after a kind are
 * entered once (depth 1) and give their files that kind. */
static int scan(parity_inbox_file **files, size_t *count, size_t *capacity,
                const char *dir, int depth, int kind_known, parity_kind kind)
{
	DIR *d = opendir(dir);
	if (!d)
		return parity_error_set(errno == ENOENT ? PARITY_ENOINPUT : PARITY_EIO,
		                        "%s: cannot read the inbox: %s", dir, strerror(errno));
	int rc = 0;
	struct dirent *e;
	while (!rc && (e = readdir(d)) != NULL) {
		if (skip_name(e->d_name))
			continue;
		char path[PARITY_PATH_MAX];
		if (util_path_join(path, sizeof path, dir, e->d_name))
			continue;
		struct stat st;
		if (lstat(path, &st) != 0) {
			rc = add_file(files, count, capacity, dir, e->d_name, 0, kind,
			              "it vanished or cannot be read while the inbox was listed");
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			parity_kind sub;
			/* A kind's folder: the kinds a file's name can give (not
			 * "counts", which has no mapping and is not delivered to the
			 * inbox: its files are then of no kind, as by name). */
			if (depth == 0 && parity_kind_parse(&sub, e->d_name) == 0 &&
			    (unsigned)sub < PARITY_KIND_COUNT_)
				rc = scan(files, count, capacity, path, 1, 1, sub);
			else /* listed, so the run says it left it, not silently */
				rc = add_file(files, count, capacity, dir, e->d_name, 0, kind,
				              depth ? "a folder inside a kind's folder: its files "
				                      "are not read (put them in the kind's folder)"
				                    : "a folder not named for a kind: its files are "
				                      "not read (name it recruitment, workforce, "
				                      "disciplinary, training, board or survey)");
			parity_error_clear();
			continue;
		}
		parity_kind named = kind;
		int known = kind_known || kind_of_name(e->d_name, &named);
		/* Links, FIFOs, devices and sockets are not deliveries: a link may
		 * point anywhere and a FIFO would stall the run. They are listed
		 * (with the reason) so the run logs them instead of passing them
		 * over in silence. */
		const char *why = NULL;
		if (S_ISLNK(st.st_mode))
			why = "a symbolic link, not a delivered file (put the file itself "
			      "in the inbox)";
		else if (S_ISFIFO(st.st_mode))
			why = "a FIFO (named pipe), not a delivered file";
		else if (!S_ISREG(st.st_mode))
			why = "not a regular file (a device or socket)";
		rc = add_file(files, count, capacity, dir, e->d_name, known, named, why);
	}
	closedir(d);
	return rc;
}

int parity_inbox_list(parity_inbox_file **out, size_t *count, const char *inbox)
{
	parity_inbox_file *files = NULL;
	size_t capacity = 0;
	*out = NULL;
	*count = 0;
	int rc = scan(&files, count, &capacity, inbox, 0, 0, PARITY_KIND_RECRUITMENT);
	if (rc) {
		free(files);
		*count = 0;
		return rc;
	}
	if (*count > 1)
		qsort(files, *count, sizeof *files, compare_files);
	*out = files;
	return 0;
}

/* Copy `from` to the new file `to` and fsync it (for moves across file
 * systems), through a temporary file renamed into place, so a copy that
 * is stopped part-way never leaves half a file under `to`. Returns 0 or
 * PARITY_EIO; on failure nothing is left under `to`. */
static int copy_file(const char *from, const char *to)
{
	char buffer[1 << 16];
	util_atomic_file out;
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return parity_error_set(PARITY_EIO, "%s: cannot open: %s", from,
		                        strerror(errno));
	int rc = util_atomic_open(&out, to, 0600);
	if (rc) {
		close(in);
		return rc;
	}
	ssize_t got;
	while ((got = read(in, buffer, sizeof buffer)) > 0) {
		if (fwrite(buffer, 1, (size_t)got, out.file) != (size_t)got) {
			rc = parity_error_set(PARITY_EIO, "%s: cannot write: %s", to,
			                      strerror(errno));
			break;
		}
	}
	if (!rc && got < 0)
		rc = parity_error_set(PARITY_EIO, "%s: read error: %s", from, strerror(errno));
	close(in);
	if (rc) {
		util_atomic_abort(&out);
		return rc;
	}
	return util_atomic_commit(&out);
}

int parity_file_move(char *moved, const char *path, const char *dir)
{
	char target[PARITY_PATH_MAX];
	int rc = util_mkdirs(dir, 0700);
	if (rc)
		return rc;
	const char *name = strrchr(path, '/');
	name = name ? name + 1 : path;
	if ((rc = util_path_join(target, sizeof target, dir, name)))
		return rc;
	for (unsigned n = 2; access(target, F_OK) == 0; n++) {
		char numbered[600];
		snprintf(numbered, sizeof numbered, "%.500s.%u", name, n);
		if ((rc = util_path_join(target, sizeof target, dir, numbered)))
			return rc;
	}
	if (rename(path, target) != 0) {
		if (errno != EXDEV)
			return parity_error_set(PARITY_EIO, "cannot move %s to %s: %s", path, dir,
			                        strerror(errno));
		if ((rc = copy_file(path, target)))
			return rc;
		if (unlink(path) != 0)
			return parity_error_set(PARITY_EIO, "%s: copied to %s but cannot remove "
			                        "it: %s", path, dir, strerror(errno));
	}
	if (moved)
		snprintf(moved, PARITY_PATH_MAX, "%s", target);
	return 0;
}

int parity_dir_ensure(const char *path)
{
	return util_mkdirs(path, 0700);
}

int parity_dir_check_writable(const char *path)
{
	return util_dir_writable(path);
}

int parity_dir_ensure_parent(const char *path)
{
	return util_parent_mkdirs(path);
}

int parity_run_derived_path(char *out, size_t size, const char *path,
                            const char *suffix)
{
	char name[PARITY_PATH_MAX];
	const char *slash = strrchr(path, '/');
	util_name_fit(name, sizeof name, slash ? slash + 1 : path, suffix);
	int n = slash ? snprintf(out, size, "%.*s/%s", (int)(slash - path), path, name)
	              : snprintf(out, size, "%s", name);
	if (n < 0 || (size_t)n >= size)
		return parity_error_set(PARITY_EUSAGE, "path too long: %.100s", path);
	return 0;
}

void parity_run_escape(char *out, size_t size, const char *text)
{
	util_escape_controls(out, size, text);
}

int parity_run_store_empty(parity_store *store, int *empty)
{
	sqlite3_stmt *stmt = NULL;
	sqlite3 *db = store_db(store);
	int step = sqlite3_prepare_v2(db, "SELECT 1 FROM files LIMIT 1", -1, &stmt, NULL);
	if (step == SQLITE_OK)
		step = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (step != SQLITE_ROW && step != SQLITE_DONE)
		return parity_error_set(PARITY_EIO, "%s: %s", parity_store_path(store),
		                        sqlite3_errmsg(db));
	*empty = step == SQLITE_DONE;
	return 0;
}

int parity_run_file_known(const char *database, const char *path, int *known)
{
	char sha[65];
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	*known = 0;
	int rc = sha256_file_hex(path, sha);
	if (rc)
		return rc;
	if (access(database, F_OK) != 0)
		return 0; /* nothing ingested yet */
	/* Read-only and without parity_store_open, which would bring an older
	 * schema up to date: a dry run changes nothing. The files table and its
	 * sha256 column are in every schema version. */
	int step = sqlite3_open_v2(database, &db, SQLITE_OPEN_READONLY, NULL);
	if (step == SQLITE_OK)
		step = sqlite3_busy_timeout(db, PARITY_STORE_BUSY_MS);
	if (step == SQLITE_OK)
		step = sqlite3_prepare_v2(db, "SELECT 1 FROM files WHERE sha256 = ?", -1,
		                          &stmt, NULL);
	if (step == SQLITE_OK) {
		sqlite3_bind_text(stmt, 1, sha, -1, SQLITE_STATIC);
		step = sqlite3_step(stmt);
	}
	if (step == SQLITE_ROW || step == SQLITE_DONE)
		*known = step == SQLITE_ROW;
	else
		rc = parity_error_set(PARITY_EIO, "%s: looking up a file: %s", database,
		                      db ? sqlite3_errmsg(db) : sqlite3_errstr(step));
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	return rc;
}
