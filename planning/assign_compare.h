/*
 * Before and after: two assignments of the same demand and classes, "before" on a base network
 * and "after" on a scenario network made from it by `corridor scenario`, compared edge by edge
 * through the base edge identity (struct cr_assign_osm.res_base_edge). docs/compare.md,
 * "Comparing assignments".
 *
 * Rows, one per base edge some class may use on either side (in the before network's resource
 * order, then the after network's new edges):
 *   same    the base edge is a resource on both sides;
 *   new     a scenario edge without base edge (the new road): before = 0;
 *   closed  a base edge no class may use after (closed or removed by the scenario): after = 0.
 * A base edge the scenario splits (where a new road joins it) has several pieces after (and, when
 * the before network is itself a scenario, may have several before); the pieces of a side are
 * aggregated: length = sum, volume and v/c = length-weighted means (pieces of the same way carry
 * the same capacity, so the mean volume over the length is what a counter would see on average),
 * congested and free-flow time = sums (the time to cross the whole base edge); a time is NAN where
 * the class may not use some piece.
 * A before-side edge without base edge (the before network is a scenario) has its own row and,
 * as it cannot be matched, counts as closed.
 */
#ifndef CR_PLANNING_ASSIGN_COMPARE_H
#define CR_PLANNING_ASSIGN_COMPARE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "planning/assign.h"
#include "planning/assign_osm.h"
#include "planning/assign_write.h"

enum cr_assign_change { CR_CHANGE_SAME = 0, CR_CHANGE_NEW, CR_CHANGE_CLOSED };

/* "same", "new", "closed". */
const char *cr_assign_change_name(enum cr_assign_change s);

struct cr_assign_compare_side {
    uint32_t res;    /* the first piece's resource, CR_ASSIGN_NO_RESOURCE: absent on this side */
    uint32_t pieces; /* resources aggregated */
    double length_m, volume_pce, voc;         /* voc NAN for a way that is no road */
    double time_s[CR_ASSIGN_OSM_MAX_CLASSES]; /* congested, per class; NAN: not usable */
};

struct cr_assign_compare_row {
    uint32_t base_edge; /* CR_ASSIGN_OSM_NO_BASE for a new edge */
    enum cr_assign_change status;
    struct cr_assign_compare_side before, after; /* absent side: zeros, times NAN */
    double d_flow_pce;                           /* after - before */
};

struct cr_assign_compare {
    size_t count;
    struct cr_assign_compare_row *rows;
    size_t class_count;
    struct cr_assign_totals before, after; /* cr_assign_osm_totals */
    size_t same, added, closed, split;     /* rows by status; split: same rows of >1 piece after */
};

/* Compares RB on B (before) with RA on A (after). Errors: the two have different classes (count
 * or names), out of memory. caller frees: cr_assign_compare_fini() */
enum cr_status cr_assign_compare(const struct cr_assign_osm *b, const struct cr_assign_result *rb,
                                 const struct cr_assign_osm *a, const struct cr_assign_result *ra,
                                 struct cr_assign_compare *out, struct cr_error *err);
void cr_assign_compare_fini(struct cr_assign_compare *c);

/* Writes C to PATH: a GeoPackage of lines (layer "change") when it ends in .gpkg, a CSV of the
 * same columns without geometry when .csv, whole or not at all. A row's line is its before edge's
 * shape (its first piece), a new edge's its after edge's, in the direction of travel (dir = 1).
 * Columns: base_edge (null for new), edge_after (first piece, null when closed), osm_way, name,
 * road_class, status, length_m, pieces_after, volume_before_pce, volume_after_pce, flow_pce (=
 * after), d_flow_pce, voc_before, voc (after), dir, then time_before_s_<class>,
 * time_after_s_<class>, d_time_s_<class> per class. Errors: another extension, GDAL or the file
 * system refusing (naming PATH), out of memory. */
enum cr_status cr_assign_compare_write(const struct cr_assign_osm *b, const struct cr_assign_osm *a,
                                       const struct cr_assign_compare *c, const char *path,
                                       struct cr_error *err);

#endif
