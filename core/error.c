#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

enum cr_status
cr_error_set(struct cr_error *err, enum cr_status code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = code;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        /* one line, whatever an outside library's message (GDAL's SQL errors) holds */
        for (char *c = err->msg; *c; c++)
            if (*c == '\n' || *c == '\r' || *c == '\t')
                *c = ' ';
    }
    return code;
}

const char *
cr_status_name(enum cr_status code)
{
    switch (code) {
    case CR_OK:
        return "ok";
    case CR_EINVAL:
        return "invalid argument";
    case CR_ENOMEM:
        return "out of memory";
    case CR_EIO:
        return "input/output error";
    case CR_EFORMAT:
        return "format error";
    case CR_EVERSION:
        return "unsupported version";
    case CR_ECHECKSUM:
        return "checksum mismatch";
    case CR_EEMPTY:
        return "nothing usable";
    case CR_ENOTFOUND:
        return "not found";
    case CR_ECANCELLED:
        return "cancelled";
    case CR_EINTERNAL:
        return "internal error";
    }
    return "unknown status";
}
