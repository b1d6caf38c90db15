/*
 * depart_at=, holidays= and arrive_by= (server/osrm_depart.h).
 */
#include "server/osrm_depart.h"

#include <string.h>

#include "core/cond.h"

int
cr_osrm_parse_depart_option(const char *key, const char *v, struct cr_osrm_request *req,
                            struct cr_osrm_error *e)
{
    if (!strcmp(key, "depart_at")) {
        if (cr_cond_parse_time(v, &req->depart))
            return cr_osrm_error_set(e, "InvalidValue", 400,
                                     "depart_at \"%s\": want YYYY-MM-DDTHH:MM (local time)", v);
        req->depart_set = 1;
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
    if (!strcmp(key, "arrive_by"))
        return cr_osrm_error_set(e, "NotImplemented", 400,
                                 "arrive_by is not supported: corridor routes forward from "
                                 "depart_at only (docs/server.md)");
    return 1;
}
