/* Errors are values: a status code and a message naming what the user gave and what is wrong.
 * (A placeholder written by the routing session until the "build" branch's public error header
 * is merged; that one replaces it.) */
#ifndef CORRIDOR_ERROR_H
#define CORRIDOR_ERROR_H

#include "corridor/export.h"

#ifdef __cplusplus
extern "C" {
#endif

enum cr_status {
    CR_OK = 0,
    CR_EINVAL,      /* bad argument or option value */
    CR_ENOMEM,      /* out of memory, or a growth ceiling reached */
    CR_EIO,         /* a file could not be opened, read or written */
    CR_EFORMAT,     /* a file is not what it claims, or is damaged */
    CR_EVERSION,    /* a network file of another format version */
    CR_ECHECKSUM,   /* a network file section fails its checksum */
    CR_EEMPTY,      /* input holds nothing usable */
    CR_ENOTFOUND,   /* nothing near, no such section, no route */
    CR_ECANCELLED,  /* stopped by a progress callback */
    CR_EINTERNAL    /* a bug: should never happen */
};

#define CR_ERROR_SIZE 256 /* curl: CURL_ERROR_SIZE is 256 */

struct cr_error {
    enum cr_status code;
    char msg[CR_ERROR_SIZE];
};

/* A short constant name for code ("format error", ...). */
CR_API const char *cr_status_name(enum cr_status code);

#ifdef __cplusplus
}
#endif

#endif
