/*
 * Fuzz target for the OSRM URL and query parser (server/osrm.h) that faces the network: the
 * input is the URL as sent (NUL bytes end it, as they would in libmicrohttpd's string), parsed
 * with OSRM's limits and with none; a parsed request must hold what it promises, and an error
 * must carry a code, a 4xx status and JSON that cr_osrm_error_json can write.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "server/osrm.h"

static void
check(int ok)
{
    if (!ok)
        abort();
}

static void
parse(const char *url, const struct cr_osrm_limits *limits)
{
    struct cr_osrm_request req;
    struct cr_osrm_error e;
    memset(&req, 0, sizeof req);
    memset(&e, 0, sizeof e);
    if (cr_osrm_parse(url, limits, &req, &e) == 0) {
        volatile int64_t sink = 0;
        check(req.count == 0 || (req.lon_e7 && req.lat_e7));
        for (size_t i = 0; i < req.count; i++)
            sink += (int64_t)req.lon_e7[i] + req.lat_e7[i]; /* 142 + 73.4 degrees: over int32 */
        for (size_t i = 0; req.sources && i < req.source_count; i++)
            check(req.sources[i] < req.count);
        for (size_t i = 0; req.destinations && i < req.destination_count; i++)
            check(req.destinations[i] < req.count);
        for (size_t i = 0; req.waypoints && i < req.waypoint_count; i++) /* route's waypoints= */
            check(req.waypoints[i] < req.count && req.waypoints[0] == 0 &&
                  req.waypoints[req.waypoint_count - 1] == req.count - 1);
        check(memchr(req.profile, '\0', sizeof req.profile) != NULL);
        check(memchr(req.vehicle, '\0', sizeof req.vehicle) != NULL);
        if (limits->max_route_points && req.service == CR_OSRM_ROUTE)
            check(req.count <= limits->max_route_points);
        (void)sink;
    } else {
        check(e.code != NULL && e.http_status >= 400 && e.http_status < 500);
        char *json = cr_osrm_error_json(&e);
        free(json);
    }
    cr_osrm_request_fini(&req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const struct cr_osrm_limits osrm = { .max_url_bytes = 16384,
                                                .max_route_points = 500,
                                                .max_table_size = 100,
                                                .max_nearest = 100,
                                                .max_trip_size = 100 },
                                       none = { 0 };
    char *url = malloc(size + 1);
    if (!url)
        return 0;
    memcpy(url, data, size);
    url[size] = '\0';
    parse(url, &osrm);
    parse(url, &none);
    free(url);
    return 0;
}
