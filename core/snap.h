/*
 * Snapping: a coordinate to the nearest point on the nearest segment a caller may use.
 *
 * The index is a packed R-tree over the pieces of every segment (a piece is the straight line
 * between two consecutive points of a segment: a, its shape points, b), built once by sorting
 * (Sort-Tile-Recursive packing, level by level, 16 children a node), so it needs no insertion
 * and no rebalancing. A leaf entry is only (segment, piece), 8 bytes; the coordinates are read
 * from the graph view, which must outlive the index. About 9.6 bytes a piece in all.
 *
 * Distances and projections are exact in one local metric frame: cr_geo_scale at the query's
 * latitude turns 1e-7 degrees into metres on each axis, so the nearest point on a polyline is
 * found exactly (no sampling), and a bounding box's distance is a true lower bound for what lies
 * in it. The search is depth first, children visited nearest first, pruned by the best distance
 * found so far (or max_distance_m), on a small stack array: no heap, no scratch, so one index
 * serves any number of threads. Ties go to the lower segment id, then the lower piece.
 *
 * Longitudes are not wrapped: a piece crossing the antimeridian is seen as spanning the globe.
 */
#ifndef CR_CORE_SNAP_H
#define CR_CORE_SNAP_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"

struct cr_snap_index;

/* Builds the index over every piece of every segment of V. V's arrays are borrowed and must
 * outlive the index. caller frees: cr_snap_index_destroy() */
struct cr_snap_index *cr_snap_index_create(const struct cr_graph_view *v, struct cr_error *err);
void cr_snap_index_destroy(struct cr_snap_index *ix);

/* Bytes the index holds (not counting the view). */
size_t cr_snap_index_memory(const struct cr_snap_index *ix);

struct cr_snap {
    uint32_t segment;
    uint32_t piece;         /* 0 .. shape points of the segment: the piece from point i to i+1 */
    double fraction;        /* 0..1 along the whole segment by length, from node a */
    double offset_m;        /* distance from node a along the segment */
    double distance_m;      /* from the query point to the snapped point */
    int32_t lon_e7, lat_e7; /* the snapped point (an end point exactly when snapped to it) */
};

/* 1 when SEGMENT may be used (e.g. its way's mode, or an edge the profile allows), else 0. */
typedef int (*cr_snap_filter)(void *user, uint32_t segment);

/*
 * The nearest point on a usable segment (FILTER NULL: every segment) within MAX_DISTANCE_M
 * (INFINITY: no limit) of LON_E7/LAT_E7, into OUT.
 *
 * PREFER_LCC (OSRM's choice of the big component): a segment whose two end nodes both carry
 * CR_NODE_LCC wins over any closer segment that does not, as long as it lies within
 * MAX_DISTANCE_M; only when no such segment is that near does the nearest other one win. So a
 * point next to a parking-lot island still routes from the street network behind it.
 *
 * CR_ENOTFOUND, "no road within 500 m of 106.700000,10.780000", when no usable segment is that
 * near (the caller adds which point it was); CR_EINVAL for a bad coordinate or distance.
 */
enum cr_status cr_snap_nearest(const struct cr_snap_index *ix, int32_t lon_e7, int32_t lat_e7,
                               double max_distance_m, int prefer_lcc, cr_snap_filter filter,
                               void *user, struct cr_snap *out, struct cr_error *err);

/*
 * The K nearest distinct usable segments within MAX_DISTANCE_M, each at its nearest point,
 * sorted by distance (ties: lower segment id first), into OUT[0 .. K-1]; returns how many were
 * found (0 when none, or for a bad coordinate or distance). For OSRM's /nearest?number=K. The
 * cost grows with K (a linear scan of OUT per candidate): meant for K up to a few hundred.
 */
size_t cr_snap_k_nearest(const struct cr_snap_index *ix, int32_t lon_e7, int32_t lat_e7,
                         double max_distance_m, cr_snap_filter filter, void *user,
                         struct cr_snap *out, size_t k);

/* The two points of piece PIECE of SEGMENT (as in struct cr_snap): lon, lat of its start and of
 * its end, in the segment's own direction (node a to node b). */
void cr_snap_piece_ends(const struct cr_graph_view *v, uint32_t segment, uint32_t piece,
                        int32_t ends[4]);

#endif
