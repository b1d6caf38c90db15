/*
 * The routing session: what a program needs to route on a network file, opened in one call.
 *
 *   struct cr_graph *g = cr_graph_open("monaco.corr", &err);
 *   struct cr_session_options o = CR_SESSION_OPTIONS_DEFAULT;   (car, time)
 *   struct cr_session *s = cr_session_open(g, &o, &err);
 *   struct cr_router *r = cr_session_router_create(s, &err);    (one per thread)
 *   cr_route_compute(r, lon_e7, lat_e7, 2, NULL, &route, &err);
 *   ... cr_route_distance_m(route) ...
 *   cr_route_destroy(route); cr_router_destroy(r); cr_session_close(s); cr_graph_close(g);
 *
 * A session is one profile and one metric over one network: the turn graph built for them, the
 * snapping index, and the contraction hierarchy stored in the network file for that profile and
 * metric when there is one, it was built on this very turn graph, and the vehicle is the
 * profile's default; otherwise plain Dijkstra, with a note saying why (cr_session_note). A
 * session is read-only once open: any number of threads may use it, each through its own router.
 *
 * Coordinates are WGS 84 in 1e-7 degrees (lon_e7 = lround(lon * 1e7)), as in OSM.
 * Every call that can fail takes a struct cr_error * last (may be NULL) and returns a status or
 * NULL; the message names what was given and what is wrong. docs/routing.md, "The routing
 * session".
 */
#ifndef CORRIDOR_ROUTING_H
#define CORRIDOR_ROUTING_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "corridor/error.h"
#include "corridor/export.h"
#include "corridor/network.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- metrics and measures ----------------------------------------------------------------- */

/* What a route is optimal for. Weights are integers: deciseconds, decimetres, currency units,
 * grams. */
enum cr_metric {
    CR_METRIC_TIME = 0,
    CR_METRIC_DISTANCE,
    CR_METRIC_COST,
    CR_METRIC_CO2,
    CR_METRIC_COUNT
};

/* "time", "distance", "cost", "co2". */
CR_API const char *cr_metric_name(enum cr_metric m);
/* "time", "distance", "cost", "co2" -> metric; -1 when unknown. */
CR_API int cr_metric_parse(const char *name);
/* A metric's integer weight in its natural unit: s, m, currency units, kg. */
CR_API double cr_metric_value(enum cr_metric m, uint64_t weight);

/* A route's (or a leg's, a part's, a cell's) four measures, unrounded: metres, seconds, the
 * profile's currency, kg of CO2. NAN where there is no value. */
struct cr_measures {
    double distance_m, duration_s, cost, co2_kg;
};

/* ---- where points snap ---------------------------------------------------------------------- */

#define CR_DEFAULT_SNAP_M 1000.0 /* how far a point may lie from a usable way by default */

enum cr_approach {
    CR_APPROACH_UNRESTRICTED = 0, /* either side of the road */
    CR_APPROACH_CURB,             /* the point on the driver's kerb side (right, or left in
                                     left-hand traffic); ignored on a one-way segment */
    CR_APPROACH_OPPOSITE          /* the point on the other side */
};

/* What OSRM calls radiuses, bearings and approaches, for one point. */
struct cr_place_opts {
    double radius_m;       /* how far the point may snap; NAN: the session's max_snap_m;
                              INFINITY: no limit */
    int bearing_deg;       /* 0..359 clockwise from north, or -1: any direction */
    int bearing_range_deg; /* 0..180: the direction of travel on the segment must lie within
                              this of bearing_deg (only those directions stay usable) */
    int approach;          /* enum cr_approach */
    int snap_any;          /* 1: the nearest segment even in a small component (OSRM's
                              snapping=any); 0: a big component within the radius is preferred */
};

/* Any radius up to the session's limit, any direction, either side. */
#define CR_PLACE_OPTS_DEFAULT ((struct cr_place_opts){ NAN, -1, 0, CR_APPROACH_UNRESTRICTED, 0 })

/* ---- sessions ------------------------------------------------------------------------------- */

struct cr_session;
struct cr_router;

enum cr_ch_use {
    CR_CH_AUTO = 0, /* the network file's hierarchy when it fits, else Dijkstra (with a note) */
    CR_CH_NEVER     /* plain Dijkstra always */
};

struct cr_session_options {
    const char *profile;   /* a name ("car", looked for in the profiles folder) or a path
                              ending in .json; NULL: "car" */
    enum cr_metric metric; /* what routes are optimal for */
    const char *vehicle;   /* "height=4.2,weight=30,..." (m, t; see docs/profiles.md);
                              NULL: the profile's default vehicle */
    double max_snap_m;     /* how far a point may snap by default; 0: CR_DEFAULT_SNAP_M */
    enum cr_ch_use ch;
    const struct cr_session *snap_from; /* NULL: build a snapping index; else borrow this open
                                   session's (same graph; it must outlive the new session): a
                                   server with several profiles builds the index once */
    const char *network_name;           /* how notes name the network; NULL: the file's path */
    const char *exclude; /* "toll,motorway,ferry": classes of ways left out (those the profile
                            file's "exclude" list declares; docs/profiles.md); NULL: none.
                            Such a session routes with Dijkstra (the hierarchy holds them all) */
};

/* car, time, the default vehicle and snap limit, the hierarchy when it fits. */
#define CR_SESSION_OPTIONS_DEFAULT                                                                 \
    ((struct cr_session_options){ NULL, CR_METRIC_TIME, NULL, 0.0, CR_CH_AUTO, NULL, NULL, NULL })

/* Opens a session on G (borrowed: it must outlive the session). O NULL: the defaults. Errors:
 * an unknown or malformed profile, a bad vehicle, a bad option, out of memory, a damaged
 * hierarchy section. caller frees: cr_session_close() */
CR_API struct cr_session *cr_session_open(const struct cr_graph *g,
                                          const struct cr_session_options *o, struct cr_error *err);
CR_API void cr_session_close(struct cr_session *s);

/* What the session decided and why, as one-line sentences without a newline ("the contraction
 * hierarchy for car/time in x.corr was built with another profile or network; using Dijkstra
 * (run corridor contract again)"). Valid while the session is open. */
CR_API size_t cr_session_note_count(const struct cr_session *s);
CR_API const char *cr_session_note(const struct cr_session *s, size_t i);

CR_API int cr_session_uses_ch(const struct cr_session *s); /* 1: contraction hierarchy */

/* Whether the session uses the network file's contraction hierarchy, and if not why. */
enum cr_ch_state {
    CR_CH_USED = 0, /* routes and tables use it */
    CR_CH_ABSENT,   /* the file holds none for this profile and metric: Dijkstra */
    CR_CH_OFF,      /* CR_CH_NEVER asked: Dijkstra */
    CR_CH_STALE,    /* built on another turn graph (the profile or network changed): Dijkstra,
                       with a note */
    CR_CH_VEHICLE   /* the vehicle is not the profile's default, or classes of ways are excluded:
                       Dijkstra (exact for any size),
                       with a note */
};
CR_API enum cr_ch_state cr_session_ch_state(const struct cr_session *s);
CR_API const char *cr_session_profile(const struct cr_session *s); /* the profile's name */
CR_API enum cr_metric cr_session_metric(const struct cr_session *s);
CR_API const char *cr_session_currency(const struct cr_session *s); /* "VND" */
CR_API double cr_session_max_snap_m(const struct cr_session *s);

/* One thread's search scratch over S (S must outlive it). caller frees: cr_router_destroy() */
CR_API struct cr_router *cr_session_router_create(const struct cr_session *s, struct cr_error *err);
CR_API void cr_router_destroy(struct cr_router *r);

/* ---- nearest -------------------------------------------------------------------------------- */

struct cr_nearest {
    int32_t lon_e7, lat_e7; /* the nearest point of the way */
    double distance_m;      /* from the point asked */
    const char *name;       /* the way's name, "" when none (valid while the session is open) */
    int64_t osm_node[2];    /* the OSM ids of the segment's two end nodes */
};

/* Up to K (>= 1) places near (LON_E7, LAT_E7) where the profile may start or end a route:
 * OUT[0] is where a route from this point starts (as cr_route_compute places it, OPTS NULL: the
 * defaults), then the next nearest other usable segments within the radius. Returns how many
 * (0 with CR_ENOTFOUND in ERR when no usable way lies within the radius, CR_EINVAL in ERR for a
 * bad option). */
CR_API size_t cr_session_nearest(const struct cr_session *s, int32_t lon_e7, int32_t lat_e7,
                                 const struct cr_place_opts *opts, size_t k, struct cr_nearest *out,
                                 struct cr_error *err);

/* ---- routes --------------------------------------------------------------------------------- */

struct cr_route;

/* The best route through N >= 2 points in order (lon/lat e7 arrays), each snapped with
 * OPTS[i] (OPTS NULL: the defaults). CR_ENOTFOUND when a point is far from any usable way or a
 * leg is unreachable (the message says which: "... no way the car profile may use within
 * 1000 m" or "no route from ... to ..."). caller frees: cr_route_destroy() */
CR_API enum cr_status cr_route_compute(struct cr_router *r, const int32_t *lon_e7,
                                       const int32_t *lat_e7, size_t n,
                                       const struct cr_place_opts *opts, struct cr_route **out,
                                       struct cr_error *err);
CR_API void cr_route_destroy(struct cr_route *route);

CR_API double cr_route_distance_m(const struct cr_route *route);
CR_API double cr_route_duration_s(const struct cr_route *route);
CR_API double cr_route_cost(const struct cr_route *route); /* in cr_session_currency */
CR_API double cr_route_co2_kg(const struct cr_route *route);
CR_API double cr_route_weight(const struct cr_route *route); /* in the metric's unit */
CR_API int cr_route_used_ch(const struct cr_route *route);

/* The geometry: point I of cr_route_point_count. */
CR_API size_t cr_route_point_count(const struct cr_route *route);
CR_API void cr_route_point(const struct cr_route *route, size_t i, int32_t *lon_e7,
                           int32_t *lat_e7);

/* The points asked, where each snapped, and how far that was. */
struct cr_waypoint {
    int32_t lon_e7, lat_e7, snap_lon_e7, snap_lat_e7;
    double snap_distance_m;
};
CR_API size_t cr_route_waypoint_count(const struct cr_route *route);
CR_API void cr_route_waypoint(const struct cr_route *route, size_t i, struct cr_waypoint *out);

/* A leg joins two consecutive waypoints. */
struct cr_route_leg_info {
    struct cr_measures m;
    size_t first_point, last_point; /* into the geometry */
    size_t first_part, part_count;  /* into the parts */
};
CR_API size_t cr_route_leg_count(const struct cr_route *route);
CR_API void cr_route_leg(const struct cr_route *route, size_t i, struct cr_route_leg_info *out);

/* A part is a run of one mode, or a transfer at a terminal. */
struct cr_route_part_info {
    const char *mode; /* "road", "rail", "water", "ferry", "transfer" */
    struct cr_measures m;
    size_t first_point, last_point;
    const char *name;     /* the road or way name of its longest piece, or "" */
    const char *terminal; /* transfers: the terminal's name, else NULL */
    int32_t terminal_lon_e7, terminal_lat_e7;
};
CR_API size_t cr_route_part_count(const struct cr_route *route);
CR_API void cr_route_part(const struct cr_route *route, size_t i, struct cr_route_part_info *out);

/* ---- tables --------------------------------------------------------------------------------- */

struct cr_table;

enum cr_cell_status {
    CR_CELL_OK = 0,
    CR_CELL_SOURCE_NOT_SNAPPED, /* the source is farther than its radius from any usable way */
    CR_CELL_TARGET_NOT_SNAPPED, /* the same for the target (the source snapped) */
    CR_CELL_UNREACHABLE         /* both snapped, no route joins them */
};

enum cr_table_fill {
    CR_TABLE_WEIGHT = 0, /* the metric's weight only (buckets on the hierarchy: fast) */
    CR_TABLE_MEASURES    /* and every measure of each cell's route (one path unpacked a cell) */
};

struct cr_table_options {
    enum cr_table_fill fill;
    const struct cr_place_opts *place; /* [N] per point, or NULL: the defaults */
    /* May be NULL. Called between rows when the table is computed row by row (Dijkstra), with
     * the fraction of rows done; non-zero stops with CR_ECANCELLED. */
    int (*progress)(void *user, double done);
    void *progress_user;
    /* With a hierarchy, the rows are split over this many threads (0 or 1: the caller's only;
     * at most 16). Without one the table is computed row by row on the caller's thread. */
    unsigned threads;
};

#define CR_TABLE_OPTIONS_DEFAULT ((struct cr_table_options){ CR_TABLE_WEIGHT, NULL, NULL, NULL, 0 })

/* Many-to-many over N points (lon/lat e7), each snapped once: row i is point SOURCES[i], column
 * j point TARGETS[j] (SOURCES NULL: every point in order, NS = N; the same for TARGETS). A point
 * that does not snap is no error: its cells say so. Errors: an index out of range, a bad option,
 * out of memory, cancelled. caller frees: cr_table_destroy() */
CR_API enum cr_status cr_table_compute(struct cr_router *r, const int32_t *lon_e7,
                                       const int32_t *lat_e7, size_t n, const size_t *sources,
                                       size_t ns, const size_t *targets, size_t nt,
                                       const struct cr_table_options *o, struct cr_table **out,
                                       struct cr_error *err);
CR_API void cr_table_destroy(struct cr_table *t);

CR_API size_t cr_table_source_count(const struct cr_table *t);
CR_API size_t cr_table_target_count(const struct cr_table *t);
CR_API enum cr_cell_status cr_table_status(const struct cr_table *t, size_t i, size_t j);
/* The metric's integer weight, UINT64_MAX unless ok. */
CR_API uint64_t cr_table_weight(const struct cr_table *t, size_t i, size_t j);
/* The four measures of cell (i, j) (CR_TABLE_MEASURES), NAN unless ok. */
CR_API void cr_table_measures(const struct cr_table *t, size_t i, size_t j,
                              struct cr_measures *out);
/* Point K (of the N given): 1 when it snapped, and where (OUT may be NULL); when not, the
 * reason from cr_table_point_error. */
CR_API int cr_table_point(const struct cr_table *t, size_t k, struct cr_waypoint *out);
CR_API const char *cr_table_point_error(const struct cr_table *t, size_t k);

/* ---- contracting ---------------------------------------------------------------------------- */

/* One hierarchy of a contract run, for the callbacks. */
struct cr_contract_step {
    const char *profile, *metric;
    size_t index, count;  /* this is hierarchy INDEX (from 0) of COUNT */
    uint32_t nodes, arcs; /* of its turn graph */
    double seconds;       /* the build took (after it) */
};

struct cr_contract_options {
    const char *const *profiles; /* names or .json paths; NULL: car, motorcycle, truck */
    size_t profile_count;
    const enum cr_metric *metrics; /* NULL: time, distance */
    size_t metric_count;
    /* May be NULL: the fraction of the whole run done; non-zero stops with CR_ECANCELLED and
     * leaves the network file as it was. */
    int (*progress)(void *user, double done);
    /* May be NULL: before (done 0) and after (done 1) each hierarchy's build. */
    void (*step)(void *user, const struct cr_contract_step *step, int done);
    void *user;
};

#define CR_CONTRACT_OPTIONS_DEFAULT                                                                \
    ((struct cr_contract_options){ NULL, 0, NULL, 0, NULL, NULL, NULL })

/* Builds a contraction hierarchy per profile and metric of O (O NULL: the defaults) on the
 * profile's turn graph and stores them in network file PATH (replacing those of the same
 * profile and metric, keeping the others), which is rewritten whole or not at all. Each is
 * used by sessions of that profile and metric until the profile or the network changes. */
CR_API enum cr_status cr_contract(const char *path, const struct cr_contract_options *o,
                                  struct cr_error *err);

#ifdef __cplusplus
}
#endif

#endif
