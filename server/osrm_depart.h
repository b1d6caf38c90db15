/*
 * corridor's own OSRM options for conditional restrictions (docs/server.md): depart_at=
 * 2026-04-30T08:00 (naive local time of the region, as corridor route --depart), holidays=
 * 2026-04-30,2026-05-01 (the days PH stands for), and arrive_by= (/route only: leave at the
 * latest time that still arrives by then, as corridor route --arrive).
 */
#ifndef CR_SERVER_OSRM_DEPART_H
#define CR_SERVER_OSRM_DEPART_H

#include "routing/route.h"
#include "server/osrm.h"

/* KEY=V into REQ: 0 taken, -1 refused (E filled: InvalidValue), 1 not one of these options. */
int cr_osrm_parse_depart_option(const char *key, const char *v, struct cr_osrm_request *req,
                                struct cr_osrm_error *e);

/* After the whole request is read: -1 (E filled) when arrive_by goes with depart_at
 * (InvalidOptions), a service other than /route or alternatives (NotImplemented). */
int cr_osrm_check_depart(const struct cr_osrm_request *req, struct cr_osrm_error *e);

/* /route with arrive_by: RT's departure set to the latest that arrives in time
 * (routing/tdsearch.h), then the route from it into ROUTE (caller frees: cr_route_fini). */
enum cr_status cr_osrm_route_arrive(const struct cr_osrm_request *req, struct cr_router *rt,
                                    const struct cr_place *places, struct cr_route *route,
                                    struct cr_error *err);

#endif
