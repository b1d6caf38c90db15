/*
 * Point-to-point routes (with via points) and many-to-many matrices for one profile and metric.
 *
 * An engine holds what all threads share, read-only: the view, the profile, the turn graph, the
 * snapping index and, when the network file has one for this profile and metric, its contraction
 * hierarchy. A router is one thread's scratch over an engine.
 *
 * Search: the CH when the network file holds one for this profile and metric and the request's
 * vehicle is the profile's default; otherwise plain Dijkstra on the turn graph (exact for any
 * vehicle size: the limits are applied when the turn graph is built).
 */
#ifndef CR_ROUTING_ROUTE_H
#define CR_ROUTING_ROUTE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "core/snap.h"
#include "routing/ch.h"
#include "routing/profile.h"
#include "routing/turngraph.h"

#define CR_DEFAULT_SNAP_M 1000.0

struct cr_engine {
    const struct cr_graph_view *view;
    struct cr_profile profile;
    enum cr_metric metric;
    struct cr_turngraph *tg;
    const struct cr_snap_index *snap;  /* borrowed */
    const struct cr_ch *ch;            /* borrowed; NULL: Dijkstra */
    double max_snap_m;
};

/* Builds the turn graph for PROFILE and METRIC. caller frees: cr_engine_fini() */
enum cr_status cr_engine_init(struct cr_engine *e, const struct cr_graph_view *v,
                              const struct cr_snap_index *snap, const struct cr_profile *profile,
                              enum cr_metric metric, struct cr_error *err);
void cr_engine_fini(struct cr_engine *e);

/* A place on the network: a coordinate snapped to the nearest usable segment and, as
 * alternatives, other segments nearly as near (the other carriageway of a dual road, the other
 * side of a median), so a search may start or end on whichever serves it. */
#define CR_PLACE_CANDIDATES 4
#define CR_PLACE_ALTERNATIVE_M 25.0 /* alternatives lie within this of the nearest */

struct cr_place_candidate {
    struct cr_snap snap;
    uint32_t node[2];                /* turn-graph node of the edge a->b and of b->a, or CR_INF */
    uint32_t before[2], after[2];    /* weight of that edge before and after the point */
};

struct cr_place {
    int32_t lon_e7, lat_e7;          /* as asked */
    struct cr_snap snap;             /* the candidate used (after routing), else the nearest */
    uint32_t count;
    struct cr_place_candidate cand[CR_PLACE_CANDIDATES];
};

/* Snaps (lon, lat) to the nearest segments the profile may use, preferring its largest
 * component. CR_ENOTFOUND with "LON,LAT: no way the P profile may use within M m" when none. */
enum cr_status cr_engine_place(const struct cr_engine *e, int32_t lon_e7, int32_t lat_e7,
                               struct cr_place *out, struct cr_error *err);

struct cr_route_part {            /* a run of one mode, or a transfer at a terminal */
    uint8_t mode;                 /* enum cr_mode */
    double distance_m, duration_s, cost, co2_kg;
    uint32_t first_point, last_point;  /* into the route's points */
    uint32_t terminal;            /* transfers: index into view->terminals, else CR_INF */
    uint32_t name;                /* road/way name of the longest piece (strings offset) */
};

struct cr_route_leg {
    double distance_m, duration_s, cost, co2_kg;
    uint64_t weight;              /* in the metric's integer unit */
    uint32_t first_point, last_point;
    uint32_t first_part, part_count;
};

struct cr_route {
    double distance_m, duration_s, cost, co2_kg;
    uint64_t weight;
    int32_t *lon_e7, *lat_e7;     /* geometry */
    uint32_t point_count;
    struct cr_route_leg *legs;
    uint32_t leg_count;
    struct cr_route_part *parts;
    uint32_t part_count;
    struct cr_place *places;      /* the snapped waypoints */
    uint32_t place_count;
    int used_ch;
};

void cr_route_fini(struct cr_route *r);

struct cr_router;

/* caller frees: cr_router_destroy() */
struct cr_router *cr_router_create(const struct cr_engine *e, struct cr_error *err);
void cr_router_destroy(struct cr_router *r);

/* Routes through N >= 2 points (lon/lat e7 pairs). CR_ENOTFOUND when a point is far from any
 * usable way or when a leg is unreachable (the message says which). caller frees:
 * cr_route_fini() */
enum cr_status cr_router_route(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7,
                               size_t n, struct cr_route *out, struct cr_error *err);

/* The metric value between two places (CR_INF when unreachable), using the CH when present. */
uint64_t cr_router_weight(struct cr_router *r, const struct cr_place *from,
                          const struct cr_place *to);

/* Many-to-many: out[i * nt + j] = the metric weight from sources[i] to targets[j] in the
 * metric's integer unit, UINT64_MAX where unreachable. With a CH: buckets; otherwise one
 * Dijkstra per source. */
enum cr_status cr_router_matrix(struct cr_router *r, const struct cr_place *sources, size_t ns,
                                const struct cr_place *targets, size_t nt, uint64_t *out,
                                struct cr_error *err);

/* One cell of a table: the metric weight and what the route between the two places measures.
 * Unreachable: weight UINT64_MAX, the rest NAN. */
struct cr_cell {
    uint64_t weight;
    double distance_m, duration_s, cost, co2_kg;
};

/* Many-to-many with every measure: each reachable cell holds what cr_router_route would report
 * for the same two places (one path unpacked per cell, so slower than cr_router_matrix, which
 * gives the weight only). */
enum cr_status cr_router_table(struct cr_router *r, const struct cr_place *sources, size_t ns,
                               const struct cr_place *targets, size_t nt, struct cr_cell *out,
                               struct cr_error *err);

/* A metric's integer weight in its natural unit: s, m, currency units, kg. */
double cr_metric_value(enum cr_metric m, uint64_t weight);

#endif
