/*
 * error.c: the per-thread last-error message and code, library start-up,
 * and the mapping from error codes to sysexits.h exit statuses.
 */
#include "parity/common.h"

#include <gsl/gsl_errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <sysexits.h>

static _Thread_local char last_message[PARITY_ERROR_MAX];
static _Thread_local int last_code;

const char *parity_version(void)
{
	return PARITY_VERSION_STRING;
}

void parity_init(void)
{
	gsl_set_error_handler_off();
}

int parity_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(last_message, sizeof last_message, fmt, ap);
	va_end(ap);
	last_code = code;
	return code;
}

const char *parity_error_last(void)
{
	return last_message;
}

int parity_error_code(void)
{
	return last_code;
}

void parity_error_clear(void)
{
	last_message[0] = '\0';
	last_code = PARITY_OK;
}

void parity_error_carry(parity_error_carried *carried, int code)
{
	carried->code = code;
	snprintf(carried->message, sizeof carried->message, "%s",
	         code ? last_message : "");
}

int parity_error_raise(const parity_error_carried *carried)
{
	if (carried->code)
		parity_error_set(carried->code, "%s", carried->message);
	return carried->code;
}

int parity_exit_status(int code)
{
	switch (code) {
	case PARITY_OK: return 0;
	case PARITY_EUSAGE: return EX_USAGE;
	case PARITY_EDATA: return EX_DATAERR;
	case PARITY_ENOINPUT: return EX_NOINPUT;
	case PARITY_EIO: return EX_IOERR;
	case PARITY_EBUSY: return EX_TEMPFAIL;
	case PARITY_ENOMEM: return EX_OSERR;
	default: return EX_SOFTWARE;
	}
}
