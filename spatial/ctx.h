/*
 * The spatial context: one GEOS context and one PROJ context, made together and used by one
 * thread at a time (neither library's context may be shared between threads). GEOS's error and
 * notice handlers write into the context, never to stderr, and PROJ logs nothing; the messages
 * are copied into a cr_error at the boundary with cr_ctx_geos_error() and cr_ctx_proj_error().
 * Nothing here is global: a thread that needs geometry makes its own context.
 */
#ifndef CR_SPATIAL_CTX_H
#define CR_SPATIAL_CTX_H

#include <geos_c.h>
#include <proj.h>

#include "core/error.h"

struct cr_ctx;

/* A new context. caller frees: cr_ctx_destroy() */
struct cr_ctx *cr_ctx_create(struct cr_error *err);
void cr_ctx_destroy(struct cr_ctx *c);

GEOSContextHandle_t cr_ctx_geos(const struct cr_ctx *c);
PJ_CONTEXT *cr_ctx_proj(const struct cr_ctx *c);

/* GEOS's last error in this context, or "no reason given". */
const char *cr_ctx_geos_message(const struct cr_ctx *c);

/* PROJ's error for the context's errno, or FALLBACK when PROJ gives none. */
const char *cr_ctx_proj_message(const struct cr_ctx *c, const char *fallback);

/* Clears the remembered GEOS error (before a call whose failure is to be reported). */
void cr_ctx_reset(struct cr_ctx *c);

/* Fills ERR with CODE and the message, followed by ": " and GEOS's (or PROJ's) last error. */
enum cr_status cr_ctx_geos_error(const struct cr_ctx *c, struct cr_error *err, enum cr_status code,
                                 const char *fmt, ...) CR_PRINTF(4, 5);
enum cr_status cr_ctx_proj_error(const struct cr_ctx *c, struct cr_error *err, enum cr_status code,
                                 const char *fmt, ...) CR_PRINTF(4, 5);

#endif
