/*
 * route: the fastest car route between two points of a network file, with libcorridor's public
 * API only.
 *
 *   route NETWORK.corr FROM_LON,FROM_LAT TO_LON,TO_LAT
 *   route monaco.corr 7.4190,43.7310 7.4280,43.7390
 *   -> 1234.5 m, 156.7 s
 *
 * Exits 1 with the library's message on stderr when the network, a point or the route fails,
 * 2 on a bad command line.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "corridor/routing.h"

/* "LON,LAT" in degrees into 1e-7 degrees; 0 on success. */
static int
parse_point(const char *text, int32_t *lon_e7, int32_t *lat_e7)
{
    double lon, lat;
    char end;

    if (sscanf(text, "%lf,%lf%c", &lon, &lat, &end) != 2 || !(lon >= -180 && lon <= 180) ||
        !(lat >= -90 && lat <= 90))
        return -1;
    /* rounded to the nearest 1e-7 degree */
    *lon_e7 = (int32_t)(lon * 1e7 + (lon < 0 ? -0.5 : 0.5));
    *lat_e7 = (int32_t)(lat * 1e7 + (lat < 0 ? -0.5 : 0.5));
    return 0;
}

int
main(int argc, char **argv)
{
    struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT; /* car, time */
    struct cr_error err = { 0 };
    struct cr_graph *g = NULL;
    struct cr_session *s = NULL;
    struct cr_router *r = NULL;
    struct cr_route *route = NULL;
    int32_t lon[2], lat[2];
    int rc = 1;

    if (argc != 4 || parse_point(argv[2], &lon[0], &lat[0]) ||
        parse_point(argv[3], &lon[1], &lat[1])) {
        fprintf(stderr, "usage: %s NETWORK FROM_LON,FROM_LAT TO_LON,TO_LAT\n", argv[0]);
        return 2;
    }
    o.profile = "car";
    o.metric = CR_METRIC_TIME;
    if (!(g = cr_graph_open(argv[1], &err)) || !(s = cr_session_open(g, &o, &err)) ||
        !(r = cr_session_router_create(s, &err)) ||
        cr_route_compute(r, lon, lat, 2, NULL, &route, &err)) {
        fprintf(stderr, "%s: %s\n", argv[0], err.msg);
        goto done;
    }
    for (size_t i = 0; i < cr_session_note_count(s); i++)
        fprintf(stderr, "%s: note: %s\n", argv[0], cr_session_note(s, i));
    printf("%.1f m, %.1f s\n", cr_route_distance_m(route), cr_route_duration_s(route));
    rc = 0;
done:
    cr_route_destroy(route);
    cr_router_destroy(r);
    cr_session_close(s);
    cr_graph_close(g);
    return rc;
}
