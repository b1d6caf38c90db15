/*
 * An OSM network file as a traffic assignment problem (planning/assign.h), and the names and
 * sizes that turn its results back into network edges (planning/assign_write.h).
 * docs/assignment.md, "OSM networks: connectors, capacities, classes".
 *
 * Classes: one routing session per class (its profile, the time metric, Dijkstra), so each class
 * has its own network: the turn graph of its profile (routing/turngraph.h), where a node is a
 * network edge the profile may use (with its copies: destination-only streets, via-way
 * restrictions) and an arc a turn. Class network:
 *   nodes 0 .. Z-1           the zones (through_from = Z: never passed through)
 *   node Z + x               turn-graph node x (layer 0; profiles with transfers are refused)
 *   link x -> y (each arc)   resource = the network edge of y, fft = the weight of y's edge in
 *                            seconds (the metric's deciseconds / 10), fixed = the arc's penalty
 *                            (turn, signals, barriers) in seconds
 *   origin connector         zone -> the snapped edge's node, fft = the part of the edge after
 *                            the zone's snapped point, resource = that edge (trips leaving a zone
 *                            load the edge they start on)
 *   destination connector    the snapped edge's node (and each of its copies) -> zone, fft 0,
 *                            fixed 0: a trip pays the whole last edge (the turn graph's arcs pay
 *                            for the edge they enter), as the skim's cells would not; documented
 * Zones are placed as `corridor skim` places them (cr_skim_place_zones: GEOS point on surface,
 * snapped by the class's session); every candidate of a tie (a point on a junction) gets its
 * connectors. A zone a class's session cannot place has no connectors in that class: its trips
 * are unassigned (cr_assign_result.unassigned), not an error.
 *
 * Resources: the directed network edges some class may use (each direction congests
 * separately), in network edge order. Capacity (PCE/h) = capacity_pcu_per_lane_h[class] x
 * capacity_factor x lanes per direction, where lanes per direction is OSM lanes for a oneway
 * way, ceil(lanes / 2) for a two-way way (lanes counts both directions), and default_lanes of
 * the class when untagged; alpha and beta by road class; all from the FIRST class's profile
 * (the road's figures: the other classes bring their PCE). Edges that are no road (ferries)
 * never congest: alpha 0.
 */
#ifndef CR_PLANNING_ASSIGN_OSM_H
#define CR_PLANNING_ASSIGN_OSM_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "planning/assign.h"
#include "planning/skim.h"
#include "routing/profile.h"
#include "spatial/zones.h"

#define CR_ASSIGN_OSM_MAX_CLASSES 16
#define CR_ASSIGN_OSM_NO_BASE UINT32_MAX /* a scenario's new edge: no base edge */
#define CR_ASSIGN_CONICAL_ALPHA 4.0      /* conical alpha when none is given (Spiess 1990) */

struct cr_assign_osm_options {
    enum cr_vdf vdf;      /* every road resource: BPR (profile alpha/beta) or conical */
    double conical_alpha; /* > 1 with CR_VDF_CONICAL; 0: CR_ASSIGN_CONICAL_ALPHA */
    double max_snap_m;    /* zones' snap radius; 0: the session's default (CR_DEFAULT_SNAP_M) */
};

#define CR_ASSIGN_OSM_OPTIONS_DEFAULT ((struct cr_assign_osm_options){ CR_VDF_BPR, 0.0, 0.0 })

struct cr_assign_osm {
    struct cr_assign_problem problem; /* demand arrays zeroed: the caller fills them */
    const struct cr_graph_view *view; /* borrowed: the network's */
    /* per resource */
    uint32_t *res_edge;      /* [res.count] its network edge */
    uint32_t *res_base_edge; /* [res.count] scenario.base_edge of it (CR_ASSIGN_OSM_NO_BASE for a
                                new edge); the edge itself on a network that is no scenario */
    double *res_lanes;       /* [res.count] lanes per direction used for the capacity */
    double *res_length_m;    /* [res.count] */
    double **res_fft_s;      /* [class][res.count] the edge's free-flow seconds for the class,
                                NAN where the class may not use it */
    uint32_t *edge_res;      /* [edge_count] resource of each network edge or
                                CR_ASSIGN_NO_RESOURCE */
    /* per class: where its zones were placed */
    struct cr_skim_point **points; /* [class][zone_count] */
    size_t *placed;                /* [class] zones placed */
    int scenario;                  /* the file has scenario.base_edge */
};

/* The problem of network G (its file: the base edge map is read from it), zones Z and the
 * classes' profiles PROFILES[0 .. N-1] (loaded, overrides applied: cr_assign_class_parse), in
 * class order; each class is named after its profile. Errors: no class or more than
 * CR_ASSIGN_OSM_MAX_CLASSES, a profile with transfers (multimodal layers are not supported
 * yet), a bad option, a damaged scenario.base_edge section, out of memory.
 * caller frees: cr_assign_osm_fini() */
enum cr_status cr_assign_osm_build(const struct cr_graph *g, const struct cr_zones *z,
                                   const struct cr_profile *profiles, size_t n,
                                   const struct cr_assign_osm_options *o, struct cr_assign_osm *out,
                                   struct cr_error *err);
void cr_assign_osm_fini(struct cr_assign_osm *a);

/* One --classes element: "NAME[:key=value,...]" with NAME a profile (name or .json path, read
 * from DIR, NULL: cr_profile_default_dir()) and keys pce, capacity_factor, alpha, beta (alpha and
 * beta set every road class). CR_EINVAL naming the element on a bad key or value; profile
 * errors as cr_profile_load gives them. */
enum cr_status cr_assign_class_parse(const char *spec, const char *dir, struct cr_profile *out,
                                     struct cr_error *err);

/* The capacity per direction (PCE/h) of network edge E under profile P's assignment figures,
 * and its lanes per direction into *LANES (may be NULL); 0 for an edge that is no road. */
double cr_assign_edge_capacity(const struct cr_profile *p, const struct cr_graph_view *v,
                               uint32_t e, double *lanes);

#endif
