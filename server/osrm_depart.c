/*
 * depart_at=, holidays= and arrive_by= (server/osrm_depart.h).
 */
#include "server/osrm_depart.h"

#include <string.h>

#include "core/cond.h"
#include "routing/tdsearch.h"

int
cr_osrm_parse_depart_option(const char *key, const char *v, struct cr_osrm_request *req,
                            struct cr_osrm_error *e)
{
    if (!strcmp(key, "depart_at") || !strcmp(key, "arrive_by")) {
        int by = key[0] == 'a';
        if (cr_cond_parse_time(v, by ? &req->arrive : &req->depart))
            return cr_osrm_error_set(e, "InvalidValue", 400,
                                     "%s \"%s\": want YYYY-MM-DDTHH:MM (local time)", key, v);
        *(by ? &req->arrive_set : &req->depart_set) = 1;
        return 0;
    }
    if (!strcmp(key, "holidays")) {
        size_t n = CR_OSRM_HOLIDAYS_MAX;
        if (cr_cond_parse_dates(v, req->holidays, &n))
            return cr_osrm_error_set(e, "InvalidValue", 400,
                                     "holidays \"%s\": want at most %d dates YYYY-MM-DD, ',' "
                                     "between them",
                                     v, CR_OSRM_HOLIDAYS_MAX);
        req->holiday_count = n;
        return 0;
    }
    return 1;
}

int
cr_osrm_check_depart(const struct cr_osrm_request *req, struct cr_osrm_error *e)
{
    if (!req->arrive_set)
        return 0;
    if (req->depart_set)
        return cr_osrm_error_set(e, "InvalidOptions", 400,
                                 "depart_at and arrive_by: give one of them");
    if (req->service != CR_OSRM_ROUTE)
        return cr_osrm_error_set(e, "NotImplemented", 400,
                                 "arrive_by is supported on /route only: a table's cells would "
                                 "each leave at a time of their own (docs/server.md)");
    if (req->alternatives)
        return cr_osrm_error_set(e, "NotImplemented", 400,
                                 "arrive_by gives the best route only: no alternatives");
    if (req->metric != CR_METRIC_TIME)
        return cr_osrm_error_set(e, "InvalidOptions", 400,
                                 "arrive_by needs metric=time: the latest departure is searched "
                                 "by time");
    return 0;
}

enum cr_status
cr_osrm_route_arrive(const struct cr_osrm_request *req, struct cr_router *rt,
                     const struct cr_place *places, struct cr_route *route, struct cr_error *err)
{
    enum cr_status st;
    if ((st = cr_router_arrive_by(rt, places, req->count, req->arrive, req->holidays,
                                  req->holiday_count, err)) ||
        (st = cr_router_route_places(rt, places, req->count, route, err)))
        return st;
    route->arrive_by = req->arrive;
    return CR_OK;
}
