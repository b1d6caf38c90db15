/*
 * The scenario builder's state, shared by scenario.c (the network: copy, joins, segments, CSR,
 * components, provenance, writing) and scenario_read.c (the --add, --interchanges and --close
 * layers).
 */
#ifndef CR_IMPORTERS_SCENARIO_INT_H
#define CR_IMPORTERS_SCENARIO_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/graph.h"
#include "core/vec.h"
#include "importers/osm/osm_tags.h"
#include "importers/scenario/scenario.h"

#define SC_AT(v, T, i) CR_VEC_AT(v, T, i)

/* ---- state --------------------------------------------------------------------------------- */

/* One new line (a LineString of an --add feature). */
struct sc_line {
    uint32_t feature;    /* index in the layer, from 0 */
    uint32_t way;        /* its way record */
    uint32_t link_way;   /* the way record of its links, or CR_NO_EDGE until one is needed */
    size_t first, count; /* its vertices in pt_* */
    uint8_t group;       /* enum cr_group */
    uint8_t oneway;      /* enum cr_oneway, resolved */
    struct cr_way_attr link_attr; /* what its links are: the same tags, *_link, oneway=no */
};

/* One ring of a --close polygon or one --close line, vertices in cl_lon/cl_lat (degrees). */
struct sc_shape {
    uint32_t polygon; /* rings of one polygon share it (even-odd rule) */
    uint8_t is_line;
    size_t first, count;
};

struct sc_edge {
    uint32_t tail, head, segment, base; /* base: the base edge id, or CR_NO_EDGE */
};

struct scen {
    const struct cr_scenario_options *o;
    const struct cr_graph_view *base;
    const struct cr_netfile *base_file; /* its sections: the optional ones are carried over */
    struct cr_scenario_stats *stats;
    double radius_m;
    double bbox[4]; /* the base's nodes: W, S, E, N in degrees */

    struct cr_vec lines;                   /* struct sc_line */
    struct cr_vec pt_lon, pt_lat, pt_node; /* int32, int32, uint32 per vertex of the lines */
    struct cr_vec pt_joined;               /* uint8 per vertex: on a network node (1 m) */
    struct cr_vec ic_lon, ic_lat;          /* int32 per interchange point */
    struct cr_vec shapes;                  /* struct sc_shape */
    struct cr_vec cl_lon, cl_lat;          /* double, degrees */

    /* the network being built: base arrays copied, new elements appended */
    struct cr_vec lon, lat, osm_id, group, barrier, flags, closed; /* per node */
    struct cr_vec seg_way, seg_len, seg_node;                      /* per segment */
    struct cr_vec seg_sfirst, seg_scount; /* per segment: its shape points in shape_lon/lat */
    struct cr_vec shape_lon, shape_lat;   /* per shape point */
    struct cr_vec ways;                   /* struct cr_way_attr */
    struct cr_vec strings;                /* char */
    struct cr_vec edges;                  /* struct sc_edge */
    uint8_t *seg_closed;                  /* per base segment: closed by --close */
    uint8_t *usable;      /* per base node, then per base shape point: may be joined */
    uint32_t *shape_seg;  /* per base shape point: its segment */
    uint32_t *split_node; /* per base shape point: the node splitting its segment there */
    uint32_t *grid;       /* join candidates (node id, or node_count + shape index) by cell */
    uint64_t *grid_key;   /* their cell keys */
    size_t grid_count;
    uint32_t *first_out, *head, *edge_segment, *seg_edge, *base_edge; /* the CSR */
    uint32_t *out_first;        /* segment_first_shape as written */
    int32_t *out_lon, *out_lat; /* shape points as written, in segment order */
    char *meta;
    uint8_t *set_closed; /* per base way record: closed by --set (access=no for every vehicle) */
    uint8_t *set_oneway; /* per base way record: enum cr_oneway set by --set, or 0xFF */
    uint32_t *set_ways;  /* per --set spec: way records changed */
    double *set_km;      /* per --set spec: their length */
    struct cr_vec terms; /* struct cr_terminal: the base's, then --terminals */
};

/* scenario_read.c */
enum cr_status cr_sc_read_add(struct scen *s, struct cr_error *err);
enum cr_status cr_sc_read_interchanges(struct scen *s, struct cr_error *err);
enum cr_status cr_sc_read_close(struct scen *s, struct cr_error *err);

/* scenario.c: appends S to the strings, returns its offset (0 for NULL or ""), or UINT32_MAX */
uint32_t cr_sc_intern(struct scen *s, const char *str);

/* scenario.c: a new node (CR_NO_NODE when out of memory); a new segment and its edges (the
 * shape's N interior points; -1 when out of memory) */
uint32_t cr_sc_add_node(struct scen *s, int32_t lon, int32_t lat, uint8_t group);
int cr_sc_add_segment(struct scen *s, uint32_t way, uint32_t a, uint32_t b, const int32_t *lon,
                      const int32_t *lat, size_t n, double length_m, uint8_t oneway);

/* scenario.c: length in cm of the polyline node A, shape points FIRST.. FIRST+N-1, node B */
uint32_t cr_sc_piece_cm(const struct scen *s, uint32_t a, uint32_t b, uint32_t first, uint32_t n);

/* scenario_terminals.c: the --terminals joined to the network built so far */
enum cr_status cr_sc_terminals(struct scen *s, struct cr_error *err);

/* scenario_join.c */
enum cr_status cr_sc_grid_build(struct scen *s, struct cr_error *err);
uint32_t cr_sc_nearest(const struct scen *s, int32_t lon, int32_t lat, uint8_t group,
                       double radius_m, double *dist);
uint32_t cr_sc_ref_node(struct scen *s, uint32_t ref);
/* Vertex joins, end joins and interchanges, in that order. */
enum cr_status cr_sc_joins(struct scen *s, struct cr_error *err);

/* scenario_read.c: the lines and polygons of layer PATH into s->shapes (as --close) */
enum cr_status cr_sc_read_shapes(struct scen *s, const char *path, struct cr_error *err);

/* scenario_close.c */
enum cr_status cr_sc_apply_close(struct scen *s, struct cr_error *err);
/* Sets HIT[w] for the road way records with a base segment covered by s->shapes (the closure
 * rule: 6 of 10 points). */
enum cr_status cr_sc_covered(const struct scen *s, uint8_t *hit, struct cr_error *err);

/* scenario_set.c: the --set specs applied to the way records (after copy_base); the edges of
 * the re-tagged ways (after the splits); the provenance list (a json_t *) */
enum cr_status cr_sc_apply_set(struct scen *s, struct cr_error *err);
enum cr_status cr_sc_set_edges(struct scen *s, struct cr_error *err);
struct json_t;
struct json_t *cr_sc_set_json(const struct scen *s);

#endif
