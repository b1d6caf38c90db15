/*
 * OSRM v1 HTTP API, the pure part: parse a request URL (path and query string) into a request,
 * encode polylines, simplify a line, and build the error answers. No sockets, no routing: the
 * server (server/server.c) does those, and tests/unit/server/test_osrm.c tests this directly.
 *
 * Request syntax, as OSRM's HTTP API documentation:
 *   /{service}/{version}/{profile}/{coordinates}[.json]?option=value&option=value
 * with service route, table, nearest, trip or match, version v1, coordinates "lon,lat;lon,lat;..."
 * or polyline({polyline}) / polyline6({polyline6}) (Google's encoding at 5 or 6 decimals).
 * docs/server.md lists the options understood and how corridor differs from OSRM.
 */
#ifndef CR_SERVER_OSRM_H
#define CR_SERVER_OSRM_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "routing/route.h"

enum cr_osrm_service {
    CR_OSRM_ROUTE = 0,
    CR_OSRM_TABLE,
    CR_OSRM_NEAREST,
    CR_OSRM_TRIP,
    CR_OSRM_MATCH
};
enum cr_osrm_geometries { CR_OSRM_POLYLINE = 0, CR_OSRM_POLYLINE6, CR_OSRM_GEOJSON };
enum cr_osrm_overview {
    CR_OSRM_OVERVIEW_SIMPLIFIED = 0,
    CR_OSRM_OVERVIEW_FULL,
    CR_OSRM_OVERVIEW_FALSE
};

/* route annotations (bit mask) */
enum cr_osrm_annotation {
    CR_OSRM_ANN_DISTANCE = 1u << 0,
    CR_OSRM_ANN_DURATION = 1u << 1,
    CR_OSRM_ANN_SPEED = 1u << 2,
    CR_OSRM_ANN_WEIGHT = 1u << 3,
    CR_OSRM_ANN_NODES = 1u << 4,      /* accepted; not given (docs/server.md) */
    CR_OSRM_ANN_DATASOURCES = 1u << 5 /* accepted; not given */
};

/* Limits a request may not exceed (0: no limit). */
struct cr_osrm_limits {
    size_t max_url_bytes;    /* path plus query string */
    size_t max_route_points; /* route: coordinates per request (OSRM --max-viaroute-size) */
    size_t max_table_size;   /* table: sources x destinations <= this squared */
    size_t max_nearest;      /* nearest: number */
    size_t max_trip_size;    /* trip: coordinates per request (OSRM --max-trip-size) */
};

#define CR_OSRM_PROFILE_SIZE 32
#define CR_OSRM_VEHICLE_SIZE 256
#define CR_OSRM_HOLIDAYS_MAX 64

struct cr_osrm_request {
    enum cr_osrm_service service;
    char profile[CR_OSRM_PROFILE_SIZE]; /* as given in the URL */
    size_t count;                       /* coordinates */
    int32_t *lon_e7, *lat_e7;           /* [count] */
    /* route */
    enum cr_osrm_overview overview;
    enum cr_osrm_geometries geometries;
    unsigned annotations; /* enum cr_osrm_annotation */
    int skip_waypoints;
    int steps; /* steps=true: turn-by-turn steps (server/osrm_steps.h) */
    /* table: indices into the coordinates; NULL = all */
    size_t *sources, *destinations;
    size_t source_count, destination_count;
    int table_durations, table_distances; /* annotations=duration,distance */
    /* nearest */
    unsigned number;
    /* trip (server/osrm_trip.c): roundtrip (default 1), source=first, destination=last */
    int trip_roundtrip, trip_source_first, trip_destination_last;
    /* radiuses, bearings, approaches: [count], or NULL when none was given */
    struct cr_place_opts *point_opts;
    /* match: its own options (server/osrm_match.h), NULL for other services */
    struct cr_osrm_match_opts *match;
    /* corridor's own: the truck's size, in cr_profile_set_vehicle's syntax ("" = default) */
    char vehicle[CR_OSRM_VEHICLE_SIZE];
    /* corridor's own, route only: metric=time|distance|cost|co2 (0, CR_METRIC_TIME, default) */
    enum cr_metric metric;

    /* corridor's own: depart_at= (naive local time) and holidays= (server/osrm_depart.h) */
    int depart_set;
    int64_t depart;
    int arrive_set; /* arrive_by= (route only) */
    int64_t arrive;
    int32_t holidays[CR_OSRM_HOLIDAYS_MAX];
    size_t holiday_count;
    /* server/osrm_extra.c */
    unsigned alternatives; /* route: how many besides the best (alternatives=true: 1) */
    int continue_straight; /* route: continue_straight=true (default and false: 0) */
    char exclude[64];      /* "toll,motorway" as given ("" = none) */
    int snapping_any;      /* snapping=any */
    int no_hints;          /* generate_hints=false: waypoints without "hint" */
    double fallback_speed; /* table: m/s for unreachable cells (0 = none) */
    int fallback_snapped;  /* fallback_coordinate=snapped */
    double scale_factor;   /* table: durations times this (1 by default) */
    /* route: waypoints=0;2;... (indices of the coordinates that split legs; the others are via
     * points inside a leg), NULL when not given (server/osrm_extra.c) */
    size_t *waypoints;
    size_t waypoint_count;
};

/* An error answer: OSRM's code, a message and the HTTP status. */
struct cr_osrm_error {
    const char *code; /* "InvalidUrl", "InvalidQuery", "TooBig", ... (static string) */
    char message[CR_ERROR_SIZE];
    int http_status;
};

/* Fills E (code, status 400 unless STATUS given > 0) and returns -1. */
int cr_osrm_error_set(struct cr_osrm_error *e, const char *code, int status, const char *fmt, ...)
    CR_PRINTF(4, 5);

/* Parses URL ("/route/v1/driving/7.41,43.73;7.42,43.74?overview=full", percent-encoded as sent)
 * into REQ. 0 on success; -1 with E filled (InvalidUrl, InvalidService, InvalidVersion,
 * InvalidQuery, InvalidValue, InvalidOptions, NotImplemented, TooBig) otherwise.
 * caller frees: cr_osrm_request_fini() (also after a failure) */
int cr_osrm_parse(const char *url, const struct cr_osrm_limits *limits, struct cr_osrm_request *req,
                  struct cr_osrm_error *e);
void cr_osrm_request_fini(struct cr_osrm_request *req);

/* Google's encoded polyline of N points (lat, lon order inside the encoding) at PRECISION 5 or
 * 6 decimal places. caller frees: free() */
char *cr_osrm_polyline(const int32_t *lon_e7, const int32_t *lat_e7, size_t n, int precision);

/* Douglas-Peucker: marks in KEEP[0..n-1] (1/0) the points a line simplified to within
 * TOLERANCE_M metres keeps; the ends are always kept. Returns how many are kept. */
size_t cr_osrm_simplify(const int32_t *lon_e7, const int32_t *lat_e7, size_t n, double tolerance_m,
                        uint8_t *keep);

/* The JSON text {"code":..,"message":..} of an error. caller frees: free() */
char *cr_osrm_error_json(const struct cr_osrm_error *e);

#endif
