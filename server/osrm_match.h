/*
 * OSRM v1's /match service: its own options (timestamps, gaps, tidy, steps, waypoints; radiuses
 * are the common option, read here as each point's GPS accuracy) and its answer, matchings and
 * tracepoints in OSRM's shapes, each matching a route as /route writes it (server/osrm_json.h)
 * plus its confidence. The matching itself is routing/match.h. docs/server.md, "match".
 */
#ifndef CR_SERVER_OSRM_MATCH_H
#define CR_SERVER_OSRM_MATCH_H

#include <jansson.h>
#include <stddef.h>

#include "corridor/routing.h"
#include "server/osrm.h"

#define CR_OSRM_MATCH_MAX 5000 /* coordinates a /match request may hold */

/* What /match asks beyond /route's options. */
struct cr_osrm_match_opts {
    double *timestamps; /* [count] or NULL */
    size_t timestamp_count;
    int gaps_ignore; /* gaps=ignore */
    int tidy;
    size_t *waypoints; /* [waypoint_count] indices, or NULL: every point */
    size_t waypoint_count;
};

/* One /match option KEY=V (decoded; POS: where the key starts in the URL): 0 taken, 1 not one
 * of /match's own, -1 with E filled when malformed. */
int cr_osrm_match_option(size_t pos, const char *key, const char *v, struct cr_osrm_request *req,
                         struct cr_osrm_error *e);

/* The checks of a parsed /match request (counts, limits); 0 or -1 with E filled. */
int cr_osrm_match_check(const struct cr_osrm_request *req, struct cr_osrm_error *e);

void cr_osrm_match_opts_free(struct cr_osrm_match_opts *m);

/* The answer to REQ on SESSION with router RT: "Ok" with matchings and tracepoints, or NULL
 * with OE filled (NoMatch when nothing matches). caller frees: json_decref() */
json_t *cr_osrm_match_answer(const struct cr_osrm_request *req, const struct cr_session *session,
                             struct cr_router *rt, struct cr_osrm_error *oe);

#endif
