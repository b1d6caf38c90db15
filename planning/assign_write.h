/*
 * Assignment results on an OSM network, per network edge (resource of planning/assign_osm.h):
 * a GeoPackage of lines (WGS84, the edge's shape in its direction of travel) or a CSV of the
 * same columns without geometry, and the totals VKT and VHT. docs/assignment.md, "OSM networks".
 *
 * Columns, one row per resource (a directed network edge some class may use):
 *   edge, base_edge            network edge id; scenario.base_edge (empty/null for a new edge)
 *   osm_way, name, road_class  the edge's way
 *   length_m, lanes, capacity  lanes per direction and capacity (PCE/h) as assign_osm set them
 *   flow_<class>               vehicles of each class on the edge (trips starting on it included)
 *   flow_pce, voc, dir         sum of pce x flow (PCE/h), volume / capacity, 1 (the line runs
 *                              in the direction of travel: flow maps draw it on its right)
 *   fft_s_<class>, time_s_<class>  free-flow and congested seconds of the whole edge for the
 *                              class (empty/null where the class may not use it)
 * Totals per class: VKT = sum over links of flow x the length the link covers (an origin
 * connector covers the part of its edge after the zone's point), VHT = sum of flow x the link's
 * congested cost (turn penalties included) / 3600.
 */
#ifndef CR_PLANNING_ASSIGN_WRITE_H
#define CR_PLANNING_ASSIGN_WRITE_H

#include "core/error.h"
#include "planning/assign.h"
#include "planning/assign_osm.h"

struct cr_assign_totals {
    size_t class_count;
    char name[CR_ASSIGN_OSM_MAX_CLASSES][32];
    double vkt[CR_ASSIGN_OSM_MAX_CLASSES]; /* vehicle-km */
    double vht[CR_ASSIGN_OSM_MAX_CLASSES]; /* vehicle-hours */
    double vkt_total, vht_total;           /* all classes, vehicles (not PCE) */
};

/* The totals of result R on A. */
void cr_assign_osm_totals(const struct cr_assign_osm *a, const struct cr_assign_result *r,
                          struct cr_assign_totals *t);

/* Writes R on A to PATH: GeoPackage when it ends in .gpkg, CSV when .csv, whole or not at all;
 * fills *T (may be NULL). Errors: another extension (CR_EINVAL), GDAL or the file system
 * refusing (naming PATH), out of memory. */
enum cr_status cr_assign_osm_write(const struct cr_assign_osm *a, const struct cr_assign_result *r,
                                   const char *path, struct cr_assign_totals *t,
                                   struct cr_error *err);

#endif
