/*
 * util.c: folder creation and atomic (temporary file + rename) writes.
 */
#include "util.h"

#include "parity/common.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
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

int util_atomic_open(util_atomic_file *out, const char *final, mode_t mode)
{
	memset(out, 0, sizeof *out);
	int n = snprintf(out->final, sizeof out->final, "%s", final);
	int m = snprintf(out->temp, sizeof out->temp, "%s.tmp-XXXXXX", final);
	if (n < 0 || (size_t)n >= sizeof out->final || m < 0 ||
	    (size_t)m >= sizeof out->temp)
		return parity_error_set(PARITY_EUSAGE, "path too long: %.100s", final);
	int fd = mkstemp(out->temp);
	if (fd < 0) {
		out->temp[0] = '\0';
		return parity_error_set(PARITY_EIO, "%s: cannot create: %s", final,
		                        strerror(errno));
	}
	if (fchmod(fd, mode) != 0) {
		/* mkstemp already made it 0600; a wider mode is only a wish. */
	}
	out->file = fdopen(fd, "wb");
	if (!out->file) {
		int err = errno;
		close(fd);
		unlink(out->temp);
		out->temp[0] = '\0';
		return parity_error_set(PARITY_EIO, "%s: cannot open: %s", final,
		                        strerror(err));
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
	if (fclose(file->file) != 0 && !failed) {
		failed = 1;
		err = errno;
	}
	file->file = NULL;
	if (!failed && rename(file->temp, file->final) != 0) {
		failed = 1;
		err = errno;
	}
	if (failed) {
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
