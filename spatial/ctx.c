/* The GEOS and PROJ contexts of one thread, their messages kept for cr_error. */
#include "spatial/ctx.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct cr_ctx {
    GEOSContextHandle_t geos;
    PJ_CONTEXT *proj;
    char geos_error[CR_ERROR_SIZE];
    char geos_notice[CR_ERROR_SIZE]; /* kept, not shown: GEOS's notices are chatter */
};

static void
on_geos_error(const char *message, void *user)
{
    struct cr_ctx *c = user;
    snprintf(c->geos_error, sizeof c->geos_error, "%s", message);
}

static void
on_geos_notice(const char *message, void *user)
{
    struct cr_ctx *c = user;
    snprintf(c->geos_notice, sizeof c->geos_notice, "%s", message);
}

struct cr_ctx *
cr_ctx_create(struct cr_error *err)
{
    struct cr_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        cr_error_set(err, CR_ENOMEM, "spatial context: out of memory");
        return NULL;
    }
    c->geos = GEOS_init_r();
    c->proj = proj_context_create();
    if (!c->geos || !c->proj) {
        cr_error_set(err, CR_ENOMEM, "spatial context: cannot start %s", c->geos ? "PROJ" : "GEOS");
        cr_ctx_destroy(c);
        return NULL;
    }
    GEOSContext_setErrorMessageHandler_r(c->geos, on_geos_error, c);
    GEOSContext_setNoticeMessageHandler_r(c->geos, on_geos_notice, c);
    proj_log_level(c->proj, PJ_LOG_NONE);
    return c;
}

void
cr_ctx_destroy(struct cr_ctx *c)
{
    if (!c)
        return;
    if (c->proj)
        proj_context_destroy(c->proj);
    if (c->geos)
        GEOS_finish_r(c->geos);
    free(c);
}

GEOSContextHandle_t
cr_ctx_geos(const struct cr_ctx *c)
{
    return c->geos;
}

PJ_CONTEXT *
cr_ctx_proj(const struct cr_ctx *c)
{
    return c->proj;
}

const char *
cr_ctx_geos_message(const struct cr_ctx *c)
{
    return c->geos_error[0] ? c->geos_error : "no reason given";
}

const char *
cr_ctx_proj_message(const struct cr_ctx *c, const char *fallback)
{
    int e = proj_context_errno(c->proj);
    const char *m = e ? proj_context_errno_string(c->proj, e) : NULL;
    return m && *m ? m : fallback;
}

void
cr_ctx_reset(struct cr_ctx *c)
{
    c->geos_error[0] = '\0';
}

static enum cr_status set_with(struct cr_error *err, enum cr_status code, const char *why,
                               const char *fmt, va_list ap) CR_PRINTF(4, 0);

/* FMT's message, then ": " and WHY, into ERR. */
static enum cr_status
set_with(struct cr_error *err, enum cr_status code, const char *why, const char *fmt, va_list ap)
{
    char head[CR_ERROR_SIZE];
    vsnprintf(head, sizeof head, fmt, ap);
    return cr_error_set(err, code, "%s: %s", head, why);
}

enum cr_status
cr_ctx_geos_error(const struct cr_ctx *c, struct cr_error *err, enum cr_status code,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum cr_status st = set_with(err, code, cr_ctx_geos_message(c), fmt, ap);
    va_end(ap);
    return st;
}

enum cr_status
cr_ctx_proj_error(const struct cr_ctx *c, struct cr_error *err, enum cr_status code,
                  const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum cr_status st = set_with(err, code, cr_ctx_proj_message(c, "no reason given"), fmt, ap);
    va_end(ap);
    return st;
}
