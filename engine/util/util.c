/*
 * util.c: folder creation and atomic (temporary file + rename) writes,
 * including the removal of temporary files that a killed writer left.
 */
#define _GNU_SOURCE /* O_TMPFILE, AT_EMPTY_PATH (Linux); mkstemp otherwise */
#include "util.h"

#include "parity/common.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

int util_mkdirs(const char *path, mode_t mode)
{
	char buf[4096];
	size_t len = strlen(path);
	if (len == 0 || len >= sizeof buf)
		return parity_error_set(PARITY_EUSAGE, "bad folder name \"%.100s\"", path);
	memcpy(buf, path, len + 1);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) != 0 && errno != EEXIST)
			return parity_error_set(PARITY_EIO, "%s: cannot create folder: %s",
			                        buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, mode) != 0 && errno != EEXIST)
		return parity_error_set(PARITY_EIO, "%s: cannot create folder: %s", buf,
		                        strerror(errno));
	struct stat st;
	if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
		return parity_error_set(PARITY_EIO, "%s: is not a folder", buf);
	return 0;
}

int util_path_join(char *out, size_t size, const char *dir, const char *name)
{
	size_t dl = strlen(dir);
	int n;
	if (dl && dir[dl - 1] == '/')
		n = snprintf(out, size, "%s%s", dir, name);
	else
		n = snprintf(out, size, "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= size)
		return parity_error_set(PARITY_EUSAGE, "path too long: %.100s/%.100s",
		                        dir, name);
	return 0;
}

/* The folder part of `path` into `dir` ("." when there is none). 0, or -1
 * when it does not fit. */
static int folder_of(char *dir, size_t size, const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return snprintf(dir, size, ".") < (int)size ? 0 : -1;
	size_t len = slash == path ? 1 : (size_t)(slash - path);
	if (len >= size)
		return -1;
	memcpy(dir, path, len);
	dir[len] = '\0';
	return 0;
}

/*
 * Remove the temporary files "NAME.tmp-XXXXXX" beside `final` that a writer
 * killed part-way left behind. A live writer holds a lock on its temporary
 * file (util_atomic_open), so only files whose writer is gone are removed:
 * the lock goes with the process, however it ended.
 */
static void remove_stale(const char *final)
{
	char dir[4096], path[4096];
	const char *slash = strrchr(final, '/');
	const char *name = slash ? slash + 1 : final;
	size_t name_len = strlen(name);
	if (folder_of(dir, sizeof dir, final))
		return;
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (strlen(e->d_name) != name_len + 11 ||
		    strncmp(e->d_name, name, name_len) != 0 ||
		    strncmp(e->d_name + name_len, ".tmp-", 5) != 0)
			continue;
		int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (n < 0 || (size_t)n >= sizeof path)
			continue;
		int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			continue;
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    flock(fd, LOCK_EX | LOCK_NB) == 0)
			unlink(path);
		close(fd);
	}
	closedir(d);
}

/* util_atomic_open and util_atomic_open_named: `unnamed` allows an
 * O_TMPFILE file. */
static int atomic_open(util_atomic_file *out, const char *final, mode_t mode,
                       int unnamed)
{
	char dir[4096];
	memset(out, 0, sizeof *out);
	int n = snprintf(out->final, sizeof out->final, "%s", final);
	int m = snprintf(out->temp, sizeof out->temp, "%s.tmp-XXXXXX", final);
	if (n < 0 || (size_t)n >= sizeof out->final || m < 0 ||
	    (size_t)m >= sizeof out->temp || folder_of(dir, sizeof dir, final))
		return parity_error_set(PARITY_EUSAGE, "path too long: %.100s", final);
	remove_stale(final);
	int fd = -1;
	(void)unnamed;
#ifdef O_TMPFILE
	/* A file with no name until it is complete: a writer killed part-way
	 * leaves nothing behind. Not every file system has them. */
	if (unnamed)
		fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode & 0777);
	if (fd >= 0)
		out->unnamed = 1;
#endif
	if (fd < 0)
		fd = mkstemp(out->temp);
	if (fd < 0) {
		out->temp[0] = '\0';
		return parity_error_set(PARITY_EIO, "%s: cannot create: %s", final,
		                        strerror(errno));
	}
	if (out->unnamed)
		out->temp[0] = '\0';
	/* Held until the file is closed: tells remove_stale this writer lives. */
	flock(fd, LOCK_EX | LOCK_NB);
	if (fchmod(fd, mode) != 0) {
		/* mkstemp already made it 0600; a wider mode is only a wish. */
	}
	out->file = fdopen(fd, "wb");
	if (!out->file) {
		int err = errno;
		close(fd);
		if (out->temp[0])
			unlink(out->temp);
		out->temp[0] = '\0';
		return parity_error_set(PARITY_EIO, "%s: cannot open: %s", final,
		                        strerror(err));
	}
	return 0;
}

int util_atomic_open(util_atomic_file *out, const char *final, mode_t mode)
{
	return atomic_open(out, final, mode, 1);
}

int util_atomic_open_named(util_atomic_file *out, const char *final, mode_t mode)
{
	return atomic_open(out, final, mode, 0);
}

#ifdef O_TMPFILE
/* Give the unnamed file `fd` the name `path`: 0, or -1 with errno. */
static int link_unnamed(int fd, const char *path)
{
	char proc[64];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	if (linkat(AT_FDCWD, proc, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0)
		return 0;
	if (errno != ENOENT)
		return -1;
	/* No /proc: linking by descriptor needs CAP_DAC_READ_SEARCH. */
	return linkat(fd, "", AT_FDCWD, path, AT_EMPTY_PATH);
}

/* Publish the unnamed file `file` under its final name: linked straight
 * there when nothing has that name yet, else linked under a temporary name
 * and renamed over the old file (which readers see replaced at once). */
static int publish_unnamed(util_atomic_file *file)
{
	int fd = fileno(file->file);
	if (link_unnamed(fd, file->final) == 0)
		return 0;
	if (errno != EEXIST)
		return -1;
	static unsigned counter;
	for (int attempt = 0; attempt < 100; attempt++) {
		unsigned tag = ((unsigned)getpid() * 2654435761u + counter++ * 40503u +
		                (unsigned)attempt) & 0xffffffu;
		int n = snprintf(file->temp, sizeof file->temp, "%s.tmp-%06x",
		                 file->final, tag);
		if (n < 0 || (size_t)n >= sizeof file->temp) {
			errno = ENAMETOOLONG;
			return -1;
		}
		if (link_unnamed(fd, file->temp) == 0)
			return rename(file->temp, file->final);
		file->temp[0] = '\0';
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}
#endif

/* fsync the folder holding `path`: 0, or -1 with errno. File systems that
 * cannot sync a folder (EINVAL) count as done. */
static int sync_folder(const char *path)
{
	char dir[4096];
	if (folder_of(dir, sizeof dir, path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int err = errno;
	close(fd);
	if (rc != 0 && err != EINVAL) {
		errno = err;
		return -1;
	}
	return 0;
}

int util_atomic_commit(util_atomic_file *file)
{
	int failed = 0, err = 0;
	if (fflush(file->file) != 0 || ferror(file->file)) {
		failed = 1;
		err = errno;
	}
	if (!failed && fsync(fileno(file->file)) != 0 && errno != EINVAL) {
		failed = 1;
		err = errno;
	}
	/* Named while still open (and locked), so that no other process takes
	 * the finished temporary file for a dead writer's. */
#ifdef O_TMPFILE
	if (!failed && file->unnamed && publish_unnamed(file) != 0) {
		failed = 1;
		err = errno;
	}
#endif
	if (!failed && !file->unnamed && rename(file->temp, file->final) != 0) {
		failed = 1;
		err = errno;
	}
	/* The new name is durable only once its folder is synced: without
	 * this a crash could lose a file whose writer had reported it saved. */
	if (!failed && sync_folder(file->final) != 0) {
		failed = 1;
		err = errno;
	}
	fclose(file->file); /* flushed and synced: nothing left to fail */
	file->file = NULL;
	if (failed) {
		if (file->temp[0])
			unlink(file->temp);
		file->temp[0] = '\0';
		return parity_error_set(PARITY_EIO, "%s: cannot write: %s", file->final,
		                        strerror(err ? err : EIO));
	}
	file->temp[0] = '\0';
	return 0;
}

void util_atomic_abort(util_atomic_file *file)
{
	if (!file)
		return;
	if (file->file)
		fclose(file->file);
	file->file = NULL;
	if (file->temp[0])
		unlink(file->temp);
	file->temp[0] = '\0';
}

typedef struct ini_state {
	FILE *in;
	util_ini_handler handler;
	void *user;
	int line;
	int stopped;
} ini_state;

static char *ini_read_line(char *buffer, int size, void *stream)
{
	ini_state *st = stream;
	char *got = fgets(buffer, size, st->in);
	if (got)
		st->line++;
	return got;
}

static int ini_entry(void *user, const char *section, const char *name,
                     const char *value)
{
	ini_state *st = user;
	if (st->handler(st->user, section, name, value, st->line))
		return 1;
	st->stopped = 1;
	return 0;
}

int util_ini_parse(FILE *in, util_ini_handler handler, void *user)
{
	ini_state st = {in, handler, user, 0, 0};
	int rc = ini_parse_stream(ini_read_line, &st, ini_entry, &st);
	if (st.stopped)
		return -1;
	return rc;
}

void util_name_fit(char *out, size_t size, const char *name, const char *suffix)
{
	size_t name_len = strlen(name), suffix_len = strlen(suffix);
	if (name_len + suffix_len <= UTIL_NAME_ROOM) {
		snprintf(out, size, "%s%s", name, suffix);
		return;
	}
	/* FNV-1a over the whole name: two long names that share their start
	 * still get different derived names. */
	unsigned long long hash = 14695981039346656037ULL;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		hash = (hash ^ *p) * 1099511628211ULL;
	size_t keep = UTIL_NAME_ROOM - suffix_len - 17;
	if (suffix_len + 17 > UTIL_NAME_ROOM)
		keep = 0;
	/* Cut on a character boundary, not inside a UTF-8 sequence. */
	while (keep > 0 && ((unsigned char)name[keep] & 0xC0) == 0x80)
		keep--;
	snprintf(out, size, "%.*s~%016llx%s", (int)keep, name, hash, suffix);
}

int util_parent_mkdirs(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return 0; /* the current folder or the root: there already */
	if ((size_t)(slash - path) >= sizeof dir)
		return parity_error_set(PARITY_EUSAGE, "path too long: %.100s", path);
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	/* Only a missing folder is made. One that exists, or a path through a
	 * regular file (ENOTDIR), is left for the caller's own open to report,
	 * naming the file it could not create. */
	struct stat st;
	if (stat(dir, &st) == 0 || errno != ENOENT)
		return 0;
	return util_mkdirs(dir, 0700);
}

int util_dir_writable(const char *dir)
{
	char probe[4096];
	int n = snprintf(probe, sizeof probe, "%s/.parity-probe-XXXXXX", dir);
	if (n < 0 || (size_t)n >= sizeof probe)
		return parity_error_set(PARITY_EUSAGE, "path too long: %.100s", dir);
	int fd = mkstemp(probe);
	if (fd < 0)
		return parity_error_set(PARITY_EIO, "%s: cannot write in this folder: %s "
		                        "(give the user that runs parity write access, or "
		                        "change the path in the configuration)", dir,
		                        strerror(errno));
	close(fd);
	unlink(probe);
	return 0;
}

void util_escape_controls(char *out, size_t size, const char *text)
{
	size_t used = 0;
	if (!size)
		return;
	for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
		char piece[8];
		if (*p == '\n')
			snprintf(piece, sizeof piece, "\\n");
		else if (*p == '\r')
			snprintf(piece, sizeof piece, "\\r");
		else if (*p == '\t')
			snprintf(piece, sizeof piece, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			snprintf(piece, sizeof piece, "\\x%02x", *p);
		else {
			piece[0] = (char)*p;
			piece[1] = '\0';
		}
		size_t len = strlen(piece);
		if (used + len >= size)
			break;
		memcpy(out + used, piece, len);
		used += len;
	}
	out[used] = '\0';
}

char *util_format_count(char *out, size_t size, uint64_t value)
{
	char digits[32], grouped[48];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)value);
	size_t o = 0;
	for (int i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			grouped[o++] = ',';
		grouped[o++] = digits[i];
	}
	grouped[o] = '\0';
	snprintf(out, size, "%s", grouped);
	return out;
}
