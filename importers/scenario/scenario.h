/*
 * Scenarios: a base network file changed by a plan, written as a complete network file.
 *
 *   --add LINES          new ways (roads by default, rail and water by their tags), read as the
 *                        OSM importer reads the same tags; joined to the network only at their
 *                        ends, at interchanges and where a vertex lies on a network node
 *   --interchanges PTS   one link each between the nearest new vertex and the nearest node
 *   --close LINES|POLYS  road segments along the lines or inside the polygons lose their edges
 *   --terminals FILE     new terminals joined as import --terminals joins them
 *   --set SPEC           tags changed on existing road ways (by OSM id or inside polygons),
 *                        the attributes rebuilt by the importer's tag rules
 *
 * Base nodes, segments, way records, terminals and restrictions keep their ids; new ones follow
 * them. Edges are renumbered (CSR order); section "scenario.base_edge" maps each edge to the
 * base edge it was, or UINT32_MAX for a new one. docs/scenario.md has the rules.
 */
#ifndef CR_IMPORTERS_SCENARIO_H
#define CR_IMPORTERS_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define CR_SCENARIO_JOIN_RADIUS_M 50.0 /* --join-radius default */
#define CR_SCENARIO_VERTEX_JOIN_M 1.0  /* a new vertex this close to a node is that node */
#define CR_SCENARIO_CLOSE_M 5.0        /* a closed segment lies this close to a --close line */
#define CR_SCENARIO_SECTION "scenario.base_edge"

struct cr_scenario_options {
    const char *base;         /* the base network file */
    const char *output;       /* the scenario network file */
    const char *add;          /* line layer of new ways, or NULL */
    const char *interchanges; /* point layer, or NULL */
    const char *close;        /* line or polygon layer, or NULL */
    double join_radius_m;     /* 0: CR_SCENARIO_JOIN_RADIUS_M */
    const char *name;         /* the scenario's name; NULL: the output's file name */
    const char *s_srs;        /* CRS of the layers without one (or overriding theirs); NULL */
    const char *const *set;   /* --set specs: "way/ID:k=v,..." or "LAYER:k=v,..." */
    size_t set_count;
    const char *terminals; /* CSV or GeoJSON of new terminals (as import --terminals), or NULL */
};

struct cr_scenario_stats {
    uint32_t features;   /* --add features read */
    uint32_t ways_added; /* way records added (lines and their links) */
    uint32_t nodes_added, segments_added, edges_added;
    uint32_t splits;          /* base segments split at a shape point (a join there) */
    uint32_t end_joins;       /* line ends joined to the network (link or on a node) */
    uint32_t ends_open;       /* line ends that found no usable node within the radius */
    uint32_t ends_shared;     /* line ends on another new line's end */
    uint32_t vertex_joins;    /* vertices within 1 m of a network node */
    uint32_t interchanges;    /* interchanges joined */
    uint32_t links;           /* link segments made (end joins and interchanges off a node) */
    uint32_t segments_closed; /* base road segments closed */
    double km_added;          /* new segments, links included */
    double km_closed;         /* closed segments */
    uint32_t ways_set;        /* way records re-tagged by --set (a way twice counts twice) */
    double km_set;            /* their length */
    uint32_t terminals_added;
    uint32_t terminals_partly_linked; /* a mode they serve found no node within its radius */
    uint32_t base_crc32;              /* CRC-32 of the whole base file */
    uint64_t base_bytes;
};

/* Builds the scenario and writes O->output (atomically: nothing is written on error). Errors
 * are one line naming the file and feature. */
enum cr_status cr_scenario_build(const struct cr_scenario_options *o,
                                 struct cr_scenario_stats *stats, struct cr_error *err);

#endif
