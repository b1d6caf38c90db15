/* Errors are values: a status code and a message naming what the user gave and what is wrong. */
#ifndef CR_CORE_ERROR_H
#define CR_CORE_ERROR_H

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CR_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define CR_PRINTF(fmt, args)
#endif

#include "corridor/error.h"

/* Fills err (if non-NULL) with code and the formatted message; returns code. */
enum cr_status cr_error_set(struct cr_error *err, enum cr_status code, const char *fmt, ...)
    CR_PRINTF(3, 4);

#ifdef __cplusplus
}
#endif

#endif
