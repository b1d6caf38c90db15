/*
 * corridor's own OSRM options for conditional restrictions (docs/server.md): depart_at=
 * 2026-04-30T08:00 (naive local time of the region, as corridor route --depart), holidays=
 * 2026-04-30,2026-05-01 (the days PH stands for), and arrive_by= (refused: NotImplemented).
 */
#ifndef CR_SERVER_OSRM_DEPART_H
#define CR_SERVER_OSRM_DEPART_H

#include "server/osrm.h"

/* KEY=V into REQ: 0 taken, -1 refused (E filled: InvalidValue, NotImplemented), 1 not one of
 * these options. */
int cr_osrm_parse_depart_option(const char *key, const char *v, struct cr_osrm_request *req,
                                struct cr_osrm_error *e);

#endif
