/* Errors are values: every call that can fail returns an enum cr_status and fills a struct
 * cr_error the caller owns with a message naming what the caller gave and what is wrong. */
#ifndef CORRIDOR_ERROR_H
#define CORRIDOR_ERROR_H

#include "corridor/export.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define CR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CR_PRINTF(fmt, args)
#endif

enum cr_status {
    CR_OK = 0,
    CR_EINVAL,     /* bad argument or option value */
    CR_ENOMEM,     /* out of memory, or a growth ceiling reached */
    CR_EIO,        /* a file could not be opened, read or written */
    CR_EFORMAT,    /* a file is not what it claims, or is damaged */
    CR_EVERSION,   /* a network file of another format version */
    CR_ECHECKSUM,  /* a network file section fails its checksum */
    CR_EEMPTY,     /* input holds nothing usable */
    CR_ENOTFOUND,  /* nothing near, no such section, no route */
    CR_ECANCELLED, /* stopped by a progress callback */
    CR_EINTERNAL   /* a bug: should never happen */
};

#define CR_ERROR_SIZE 256 /* curl: CURL_ERROR_SIZE is 256 */

struct cr_error {
    enum cr_status code;
    char msg[CR_ERROR_SIZE];
};

/* Fills err (if non-NULL) with code and the formatted message, on one line (newlines and tabs
 * become spaces); returns code. */
CR_API enum cr_status cr_error_set(struct cr_error *err, enum cr_status code, const char *fmt, ...)
    CR_PRINTF(3, 4);

/* A short constant name for code ("format error", ...). */
CR_API const char *cr_status_name(enum cr_status code);

#ifdef __cplusplus
}
#endif

#endif
