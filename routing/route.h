/*
 * Point-to-point routes (with via points) and many-to-many matrices for one profile and metric.
 *
 * An engine holds what all threads share, read-only: the view, the profile, the turn graph, the
 * snapping index and, when the network file has one for this profile and metric, its contraction
 * hierarchy. A router is one thread's scratch over an engine. Engines are made and owned by
 * routing sessions (routing/session.h, corridor/routing.h), which find and check the hierarchy;
 * code outside routing/ reads an engine (cr_session_engine) but never fills one.
 *
 * Search: the CH when the network file holds one for this profile and metric and the request's
 * vehicle is the profile's default; otherwise plain Dijkstra on the turn graph (exact for any
 * vehicle size: the limits are applied when the turn graph is built).
 */
#ifndef CR_ROUTING_ROUTE_H
#define CR_ROUTING_ROUTE_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "core/snap.h"
#include "corridor/routing.h"
#include "routing/ch.h"
#include "routing/conditional.h"
#include "routing/profile.h"
#include "routing/turngraph.h"

struct cr_engine {
    const struct cr_graph_view *view;
    struct cr_profile profile;
    enum cr_metric metric;
    struct cr_turngraph *tg;
    const struct cr_snap_index *snap; /* borrowed */
    const struct cr_ch *ch;           /* borrowed; NULL: Dijkstra */
    double max_snap_m;
    uint32_t small_component;   /* see cr_engine_place; CR_SMALL_COMPONENT by default */
    uint32_t *comp_nodes;       /* owned: turn-graph nodes in each component */
    struct cr_sums_cache *sums; /* owned: per-arc measures for tables (routing/route_ends.h),
                                   made on first use */
    struct cr_condset *cond;    /* owned: the conditional restrictions for this vehicle */
};

/* Builds the turn graph for PROFILE and METRIC. caller frees: cr_engine_fini() */
enum cr_status cr_engine_init(struct cr_engine *e, const struct cr_graph_view *v,
                              const struct cr_snap_index *snap, const struct cr_profile *profile,
                              enum cr_metric metric, struct cr_error *err);
void cr_engine_fini(struct cr_engine *e);

/*
 * A place on the network: a coordinate snapped to the nearest segment the profile may use.
 *
 * The nearest segment wins. Where several lie at the same distance (within CR_PLACE_TIE_M: every
 * segment of a junction node, both carriageways drawn on one line) each of them may start or end
 * the route, but only those on the level of the chosen one (layer, bridge, tunnel): a point on a
 * junction never starts on the bridge that passes over it, nor on a street that is merely near.
 * Among equally near segments the chosen one is, in order: one whose nearest point is a node of
 * the graph (the point is on the junction), the one nearest ground level, the lower segment id.
 *
 * Components: when the nearest segment lies in a small component of the profile's turn graph
 * (a parking-lot island, a gated compound, a one-way stub cut by the extract's edge) and a
 * segment of a big component lies within the radius, the nearest such segment is used instead,
 * as OSRM does; but a route whose every point lies nearest to one and the same small component
 * stays in it. Small means fewer turn-graph nodes than the engine's small_component (OSRM's
 * 1000), capped at half the largest component (so a small extract is not "small" against its
 * own stubs) but not below CR_SMALL_COMPONENT_FLOOR: pieces of a few edges are all equally
 * small, and between small components nothing is preferred (the nearest road wins).
 */
#define CR_PLACE_CANDIDATES 8
#define CR_PLACE_TIE_M 1.0          /* segments this much farther than the nearest tie with it */
#define CR_SMALL_COMPONENT 1000     /* default engine small_component, in turn-graph nodes */
#define CR_SMALL_COMPONENT_FLOOR 32 /* see cr_engine_place */

/* enum cr_approach, struct cr_place_opts and CR_PLACE_OPTS_DEFAULT: corridor/routing.h. */

/* OSRM's per-point lists into OUT[0..N-1], changing only what KIND names: "radiuses" ("35000",
 * "unlimited"), "bearings" ("90,20": value 0..360, range 0..180) or "approaches" ("curb",
 * "opposite", "unrestricted"), separated by ';', an empty element leaving that point's default.
 * TEXT holds N elements, or one that applies to every point. CR_EINVAL naming the element when
 * one is malformed or the count is wrong. */
enum cr_status cr_place_opts_parse(const char *kind, const char *text, size_t n,
                                   struct cr_place_opts *out, struct cr_error *err);

struct cr_place_candidate {
    struct cr_snap snap;
    uint32_t node[2];             /* turn-graph node of the edge a->b and of b->a, or CR_INF */
    uint32_t before[2], after[2]; /* weight of that edge before and after the point */
};

struct cr_place {
    int32_t lon_e7, lat_e7; /* as asked */
    struct cr_snap snap;    /* the candidate used (after routing), else the nearest */
    uint32_t count;
    struct cr_place_candidate cand[CR_PLACE_CANDIDATES];
    uint32_t small_comp;               /* moved off a small component: its id, else CR_INF */
    struct cr_place_candidate nearest; /* and the nearest candidate there */
};

/* Whether a point may snap to SEGMENT (USER: the engine): not a transfer link, a road or ferry
 * for profiles that drive, and with a direction the profile may use. A cr_snap_filter. */
int cr_engine_segment_usable(void *user, uint32_t segment);

/* Candidate C of a place at snap S of point (LON_E7, LAT_E7): the turn-graph nodes of both
 * directions the profile may use and the weights before and after the point (map matching
 * builds its places from its own candidates). 0 when no direction is usable. */
int cr_engine_candidate(const struct cr_engine *e, const struct cr_snap *s, int32_t lon_e7,
                        int32_t lat_e7, struct cr_place_candidate *c);

/* The same with OPTS' bearing and approach (NULL: the defaults): 0 when they leave no direction
 * usable (map matching's candidates under /match's bearings and approaches). */
int cr_engine_candidate_opts(const struct cr_engine *e, const struct cr_snap *s,
                             const struct cr_place_opts *opts, int32_t lon_e7, int32_t lat_e7,
                             struct cr_place_candidate *c);

/* Whether SEGMENT is usable and in a big component of the turn graph (above: "Components"). */
int cr_engine_segment_in_big(const struct cr_engine *e, uint32_t segment);

/* Snaps (lon, lat) as above with the default options. CR_ENOTFOUND with "LON,LAT: no way the P
 * profile may use within M m" when none. */
enum cr_status cr_engine_place(const struct cr_engine *e, int32_t lon_e7, int32_t lat_e7,
                               struct cr_place *out, struct cr_error *err);

/* The same with OPTS (NULL: CR_PLACE_OPTS_DEFAULT). CR_EINVAL for an option out of range. */
enum cr_status cr_engine_place_opts(const struct cr_engine *e, int32_t lon_e7, int32_t lat_e7,
                                    const struct cr_place_opts *opts, struct cr_place *out,
                                    struct cr_error *err);

struct cr_route_part { /* a run of one mode, or a transfer at a terminal */
    uint8_t mode;      /* enum cr_mode */
    double distance_m, duration_s, cost, co2_kg;
    uint32_t first_point, last_point; /* into the route's points */
    uint32_t terminal;                /* transfers: index into view->terminals, else CR_INF */
    uint32_t name;                    /* road/way name of the longest piece (strings offset) */
};

/* One edge of a route as travelled (the first and last of a leg may be parts of an edge): what
 * turn-by-turn guidance reads (routing/guidance.h). */
struct cr_route_piece {
    uint32_t edge;                    /* network edge */
    uint32_t leg;                     /* index into the route's legs */
    uint32_t first_point, last_point; /* into the route's points */
    struct cr_measures m;             /* with the node and turn penalty paid on entering it */
};

struct cr_route_leg {
    double distance_m, duration_s, cost, co2_kg;
    uint64_t weight; /* in the metric's integer unit */
    uint32_t first_point, last_point;
    uint32_t first_part, part_count;
    uint32_t first_edge, edge_count; /* into the route's edges */
};

struct cr_route {
    double distance_m, duration_s, cost, co2_kg;
    uint64_t weight;
    int32_t *lon_e7, *lat_e7; /* geometry */
    uint32_t point_count;
    struct cr_route_leg *legs;
    uint32_t leg_count;
    struct cr_route_part *parts;
    uint32_t part_count;
    struct cr_route_piece *pieces; /* every edge in order (routes only, not table cells) */
    uint32_t piece_count;
    uint32_t *edges; /* the network edges passed, leg by leg (each leg's first and last: the
                        edges its places lie on), for OSRM's nodes annotation */
    uint32_t edge_count;
    struct cr_place *places; /* the snapped waypoints */
    uint32_t place_count;
    int used_ch;
    uint8_t conditional;              /* enum cr_route_conditional: how the search ran */
    int64_t depart;                   /* timed: the departure, seconds, naive local time */
    uint8_t metric;                   /* enum cr_metric of weight */
    const struct cr_graph_view *view; /* the network it runs on (names of parts, terminals) */
    /* the arrival asked (cr_route_compute_arrive), seconds, naive local time; 0: none */
    int64_t arrive_by;
};

void cr_route_fini(struct cr_route *r);

/* How a route's search treated conditional restrictions (routing/tdsearch.h). */
enum cr_route_conditional {
    CR_ROUTE_COND_NONE = 0,  /* none applied: CH or plain Dijkstra */
    CR_ROUTE_COND_TIMED = 1, /* the time-dependent Dijkstra at the router's departure */
    CR_ROUTE_COND_FIXED = 2  /* no time: conditions without a time part, or the profile's
                                "always", with the same search (Dijkstra) */
};

/* Whether R's searches apply conditional restrictions (a departure is set, or the profile says
 * "always", or a condition without a time applies to the vehicle): then matrices and tables
 * are filled cell by cell with the route's search (cr_router_cell), the CH left aside. */
int cr_router_conditional(const struct cr_router *r);

/* The search algorithm a route used, as its JSON names it: "ch", "dijkstra", "td-dijkstra". */
const char *cr_route_algorithm(const struct cr_route *r);

/* The departure of R's next routes and tables (routing/tdsearch.h): TIMED 0 for none (the
 * default: the profile's "conditional" decides); else DEPART in seconds since 1970 as naive
 * local time, with the public holidays PH_DAYS[PH_COUNT] (days since 1970; copied). Timed
 * routes need the time metric: CR_EINVAL otherwise. */
enum cr_status cr_router_set_depart(struct cr_router *r, int timed, int64_t depart,
                                    const int32_t *ph_days, size_t ph_count, struct cr_error *err);

/* ON 1: routes through via points leave each in the direction they reached it (OSRM's
 * continue_straight=true; routing/route_straight.h), untimed routes only; 0 (the default): each
 * leg is routed on its own and may start back the way the last one came. */
void cr_router_set_straight(struct cr_router *r, int on);

/* caller frees: cr_router_destroy() (corridor/routing.h) */
struct cr_router *cr_router_create(const struct cr_engine *e, struct cr_error *err);

/* The engine R searches. */
const struct cr_engine *cr_router_engine(const struct cr_router *r);

/* Routes through N >= 2 points (lon/lat e7 pairs). CR_ENOTFOUND when a point is far from any
 * usable way or when a leg is unreachable (the message says which). caller frees:
 * cr_route_fini() */
enum cr_status cr_router_route(struct cr_router *r, const int32_t *lon_e7, const int32_t *lat_e7,
                               size_t n, struct cr_route *out, struct cr_error *err);

/* The same through N >= 2 places made by cr_engine_place_opts (copied into OUT). */
enum cr_status cr_router_route_places(struct cr_router *r, const struct cr_place *places, size_t n,
                                      struct cr_route *out, struct cr_error *err);

/* The metric value between two places (CR_INF when unreachable), using the CH when present. */
uint64_t cr_router_weight(struct cr_router *r, const struct cr_place *from,
                          const struct cr_place *to);

/* Many-to-many: out[i * nt + j] = the metric weight from sources[i] to targets[j] in the
 * metric's integer unit, UINT64_MAX where unreachable. With a CH: buckets; otherwise one
 * Dijkstra per source. */
enum cr_status cr_router_matrix(struct cr_router *r, const struct cr_place *sources, size_t ns,
                                const struct cr_place *targets, size_t nt, uint64_t *out,
                                struct cr_error *err);

/* cr_router_matrix, and with MEASURES (may be NULL) each reachable cell's four measures
 * (struct cr_measures, 4 doubles a cell; other cells untouched) summed along the path the
 * search found, no path unpacked: the sums of every arc are made once per engine. They are what
 * cr_router_route measures between the same places (to rounding in the last bits): the same
 * path, by the tie rules of ch.h (cr_ch_many_to_many_sums) and of the Dijkstra (the first
 * target settled). With a CH the rows are split over THREADS threads (0: 1). */
enum cr_status cr_router_matrix_measures(struct cr_router *r, const struct cr_place *sources,
                                         size_t ns, const struct cr_place *targets, size_t nt,
                                         uint64_t *out, double *measures, unsigned threads,
                                         struct cr_error *err);

/* One cell of a table: the metric weight and what the route between the two places measures.
 * Unreachable: weight UINT64_MAX, the rest NAN. */
struct cr_cell {
    uint64_t weight;
    double distance_m, duration_s, cost, co2_kg;
};

/* The cell from FROM to TO, as cr_router_route would measure it (weight UINT64_MAX and NAN when
 * unreachable: no error). Errors: out of memory. */
enum cr_status cr_router_cell(struct cr_router *r, const struct cr_place *from,
                              const struct cr_place *to, struct cr_cell *c, struct cr_error *err);

/* Many-to-many with every measure: each reachable cell holds what cr_router_route would report
 * for the same two places (one path unpacked per cell, so slower than cr_router_matrix, which
 * gives the weight only). */
enum cr_status cr_router_cells(struct cr_router *r, const struct cr_place *sources, size_t ns,
                               const struct cr_place *targets, size_t nt, struct cr_cell *out,
                               struct cr_error *err);

#endif
