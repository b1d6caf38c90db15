/*
 * The routing session's internals for corridor's own code (corridor/routing.h is the public
 * side): the engine behind a session, and opening one with a profile already loaded.
 *
 * A session owns its engine (turn graph, component sizes), its contraction hierarchy (borrowing
 * the mapped network file) and, unless borrowed from another session, its snapping index.
 */
#ifndef CR_ROUTING_SESSION_H
#define CR_ROUTING_SESSION_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "core/snap.h"
#include "corridor/routing.h"
#include "routing/profile.h"
#include "routing/route.h"

/* The engine S routes with: read it, never write it. */
const struct cr_engine *cr_session_engine(const struct cr_session *s);

/* The network S was opened on. */
const struct cr_graph *cr_session_graph(const struct cr_session *s);

/* As cr_session_open, with profile P given (copied; its vehicle already set): O's profile and
 * vehicle are not read. caller frees: cr_session_close() */
struct cr_session *cr_session_open_profile(const struct cr_graph *g, const struct cr_profile *p,
                                           const struct cr_session_options *o,
                                           struct cr_error *err);

/* cr_session_nearest as snaps (segment and piece included), into OUT[0 .. K-1]. */
size_t cr_session_nearest_snaps(const struct cr_session *s, int32_t lon_e7, int32_t lat_e7,
                                const struct cr_place_opts *opts, size_t k, struct cr_snap *out,
                                struct cr_error *err);

#endif
