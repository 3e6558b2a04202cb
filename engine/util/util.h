/*
 * util.h: small file-system helpers private to the library: creating
 * folders, and writing a file under a temporary name that is renamed into
 * place only when complete (so a failure never leaves half a file).
 */
#ifndef PARITY_UTIL_H
#define PARITY_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Create `path` and its missing parents with `mode`. 0 or PARITY_EIO. */
int util_mkdirs(const char *path, mode_t mode);

/* A file being written under a temporary name beside its final path. */
typedef struct util_atomic_file {
	FILE *file;        /* open for writing */
	char final[4096];  /* where it goes on commit */
	char temp[4096];   /* where it is while being written ("" when unnamed) */
	int unnamed;       /* 1: an O_TMPFILE file, named only on commit */
} util_atomic_file;

/* Open `final` for writing through a temporary file created with `mode`
 * (e.g. 0600): an unnamed one (O_TMPFILE) where the file system has them,
 * else "FINAL.tmp-XXXXXX". Temporary files of `final` left by a writer that
 * was killed are removed first. 0 or PARITY_EIO naming the file. */
int util_atomic_open(util_atomic_file *out, const char *final, mode_t mode);

/* As util_atomic_open, always with a named temporary file (out->temp), for
 * a file that is read back by name before it is committed. */
int util_atomic_open_named(util_atomic_file *out, const char *final, mode_t mode);

/* Flush, fsync and link or rename into place. On failure the temporary
 * file is removed and PARITY_EIO returned. Either way the file is closed. */
int util_atomic_commit(util_atomic_file *file);

/* Close and remove the temporary file without publishing it. NULL-safe. */
void util_atomic_abort(util_atomic_file *file);

/* Join `dir` and `name` into `out`; PARITY_EUSAGE if it does not fit. */
int util_path_join(char *out, size_t size, const char *dir, const char *name);

/* An INI entry handler that is told the line number (Debian's libinih is
 * built without INI_HANDLER_LINENO). Return non-zero to go on, 0 to stop. */
typedef int (*util_ini_handler)(void *user, const char *section,
                                const char *name, const char *value, int line);

/* Parse INI from `in` with libinih, counting lines for the handler.
 * Returns 0, the first line with a syntax error, or -1 when the handler
 * stopped the parse (the handler has set the error). */
int util_ini_parse(FILE *in, util_ini_handler handler, void *user);

/* Room left in a file name (NAME_MAX) for what parity derives from a
 * delivered name: a temporary ".tmp-XXXXXX" and a ".N" numbering. */
#define UTIL_NAME_ROOM 236

/* `name` followed by `suffix` ("NAME.rejects.csv") in `out`. When that is
 * longer than UTIL_NAME_ROOM bytes, the name is cut and a hash of the whole
 * name put after the cut ("START~1a2b3c4d5e6f7a8b.rejects.csv"), so derived
 * names always fit and stay recognisable and distinct. */
void util_name_fit(char *out, size_t size, const char *name, const char *suffix);

/* Create the folder that holds file `path` (and its parents) when missing.
 * 0 or PARITY_EIO naming the folder. */
int util_parent_mkdirs(const char *path);

/* Check that folder `dir` exists and a file can be created in it, by
 * creating and removing a probe file: permission bits alone do not tell
 * (root, read-only mounts, ACLs). 0 or PARITY_EIO naming the folder. */
int util_dir_writable(const char *dir);

/* `text` with control characters escaped ("\n", "\t", "\x1b"), so a
 * delivered file name can never start a line or drive a terminal in an
 * output; cut to fit `size`. */
void util_escape_controls(char *out, size_t size, const char *text);

/* `value` with thousands separators ("1,234,567"), cut to fit `size`;
 * returns `out`. */
char *util_format_count(char *out, size_t size, uint64_t value);

#define UTIL_DOUBLE_TEXT_MAX 32

/* `value` as the shortest of printf's %.15g, %.16g and %.17g that strtod
 * reads back as the same double (the same bytes as trying each in turn),
 * into `out` (UTIL_DOUBLE_TEXT_MAX bytes); its length. numtext.c. */
size_t util_double_text(char *out, double value);

#endif
