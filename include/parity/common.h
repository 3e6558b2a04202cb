/*
 * parity/common.h: the error model, version and library start-up shared by
 * every module. Functions return 0 on success or a negative parity_error
 * code, and leave a message that parity_error_last() returns.
 */
#ifndef PARITY_COMMON_H
#define PARITY_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Result codes. 0 is success; the rest are expected failures. */
typedef enum parity_error {
	PARITY_OK = 0,
	PARITY_EUSAGE = -1, /**< invalid argument or option (exit 64) */
	PARITY_EDATA = -2,  /**< input data is malformed or inconsistent (exit 65) */
	PARITY_ENOINPUT = -3, /**< an input file is missing or unreadable (exit 66) */
	PARITY_EIO = -4,    /**< read/write/database failure (exit 74) */
	PARITY_EBUSY = -5,  /**< another run holds the lock (exit 75) */
	PARITY_ENOMEM = -6, /**< out of memory (exit 71) */
	PARITY_EINTERNAL = -7 /**< a bug: an invariant did not hold (exit 70) */
} parity_error;

/** The library version, e.g. "0.1.0". */
const char *parity_version(void);

/**
 * Start the library: switches GSL's abort-on-error handler off so that GSL
 * failures come back as return codes. Call once before anything else.
 */
void parity_init(void);

/**
 * Record an error for the calling thread and return `code`, so callers can
 * write `return parity_error_set(PARITY_EDATA, "...", ...)`.
 */
int parity_error_set(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/** The calling thread's last error message ("" when none). Borrowed. */
const char *parity_error_last(void);

/** The calling thread's last error code (PARITY_OK when none). */
int parity_error_code(void);

/** Forget the calling thread's last error. */
void parity_error_clear(void);

/** The longest error message kept, with its NUL. */
#define PARITY_ERROR_MAX 2048

/** An error carried from the thread it happened on to another (each
 *  thread has its own last error): parity_error_carry on the first,
 *  parity_error_raise on the one that joins it. */
typedef struct parity_error_carried {
	int code;                        /**< PARITY_OK: none */
	char message[PARITY_ERROR_MAX];
} parity_error_carried;

/** Keep `code` and, when it is an error, the calling thread's message. */
void parity_error_carry(parity_error_carried *carried, int code);
/** Make the carried error the calling thread's (none: nothing changes);
 *  returns its code. */
int parity_error_raise(const parity_error_carried *carried);

/** Map a parity_error code to a sysexits.h exit status (0 for PARITY_OK). */
int parity_exit_status(int code);

#ifdef __cplusplus
}
#endif
#endif
