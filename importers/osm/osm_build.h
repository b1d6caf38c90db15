/*
 * The OSM import's state, shared by its files: osm_import.c (the reads in order, the network
 * built in memory, provenance, writing), osm_passes.c (what each read keeps), osm_graph.c
 * (graph nodes, segments, CSR, largest components), osm_terminals.c (terminals and their
 * transfer edges) and osm_restrictions.c (turn restrictions onto way records).
 */
#ifndef CR_IMPORTERS_OSM_BUILD_H
#define CR_IMPORTERS_OSM_BUILD_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/graph.h"
#include "core/strpool.h"
#include "core/vec.h"
#include "importers/osm/osm_import.h"
#include "importers/osm/osm_reader.h"

#define DEDUPE_RADIUS_M 500.0
#define NOT_FOUND SIZE_MAX

#define AT(v, T, i) CR_VEC_AT(v, T, i)

/* ---- import state ------------------------------------------------------------------------ */

struct way_rec { /* beside each way record: where its node refs are */
    uint64_t first_ref;
    uint32_t ref_count;
    uint8_t group;
    uint8_t oneway; /* enum cr_oneway */
};

struct cand { /* a terminal candidate */
    int64_t osm_id;
    int64_t lon_sum, lat_sum; /* e7 sums for an area's representative point */
    uint32_t points;
    int32_t lon_e7, lat_e7;
    uint32_t name;
    uint32_t handling_time_s, handling_cost;
    uint8_t kind, modes, source, keep;
};

struct cand_ref { /* a node of a terminal area */
    int64_t ref;
    uint32_t cand;
};

struct raw_restriction {
    int64_t from, via, to, rel;
    uint32_t via_first, via_more; /* the via ways after the first: raw_via[via_first ..] */
    uint8_t kind, via_is_way, except, only_vehicle;
    uint32_t cond_text; /* restriction:conditional: its text in the strings; 0 plain */
};

struct edge_rec {
    uint32_t tail, head, segment;
};

struct cr_netbuild {
    struct cr_graph_view view;
    struct cr_strpool strings;
    struct cr_vec ways;                                            /* struct cr_way_attr */
    struct cr_vec lon, lat, osm_id, group, barrier, flags, closed; /* per graph node */
    struct cr_vec first_out, head, edge_segment;
    struct cr_vec seg_way, seg_len, seg_node, seg_edge, seg_first_shape, shape_lon, shape_lat;
    struct cr_vec terminals, restrictions;
    struct cr_vec restriction_via; /* uint32: restriction, count, the via ways after the first */
    struct cr_vec cond_ways;       /* struct cr_cond_way, by way */
    struct cr_vec cond_restr;      /* struct cr_cond_restriction */
    struct cr_vec cond_via;        /* struct cr_cond_restriction, via one way */
    struct cr_vec way_dest;        /* uint32 pairs: way record, destinations (view's) */
    struct cr_vec way_guide;       /* struct cr_way_guide: exits, turn lanes */
    char *meta;
};

struct state {
    const char *input; /* the file, or the name of the buffer */
    const void *data;  /* the buffer (cr_osm_build_buffer), or NULL */
    size_t size;
    const char *format; /* the buffer's, libosmium's name */
    const struct cr_import_options *opt;
    unsigned modes;
    struct cr_error stop_err;
    struct cr_netbuild *b;
    struct cr_import_stats *stats;

    struct cr_vec wrecs;     /* struct way_rec, parallel to b->ways */
    struct cr_vec refs;      /* int64 node ids of all imported ways */
    struct cr_vec cands;     /* struct cand */
    struct cr_vec cand_refs; /* struct cand_ref */
    struct cr_vec mp_ways;   /* struct cand_ref: (member way id, candidate) of multipolygons */
    struct cr_vec raw_restr; /* struct raw_restriction */
    struct cr_vec raw_via;   /* int64 OSM ids of the via ways after each relation's first */
    struct cr_vec edges;     /* struct edge_rec */

    /* the nodes the imported ways use, sorted, with what pass 2 found */
    int64_t *need;
    size_t need_count;
    int32_t *need_lon, *need_lat;
    uint8_t *need_have, *need_barrier, *need_flags, *need_closed;
    uint32_t *ridx;                    /* refs as indices into need (NOT_FOUND32 when absent) */
    uint32_t *node_of[CR_GROUP_COUNT]; /* need index -> graph node per group */
    uint8_t *forced[CR_GROUP_COUNT];   /* need index -> made a graph node for a terminal */
    struct cr_vec node_need;  /* uint32 need index of each graph node (terminals: NOT_FOUND32) */
    struct cr_vec shape_need; /* uint32 need index of each shape point */
};

#define NOT_FOUND32 UINT32_MAX

/* A kept terminal candidate and where it joins each mode. */
struct target {
    uint32_t cand;
    uint32_t need[CR_GROUP_TERMINAL]; /* where it joins each group, or NOT_FOUND32 */
};

/* osm_passes.c: the callbacks of the reads, and what pass 2 needs */
int cr_osm_on_way(void *user, const struct cr_osm_way *w);
int cr_osm_on_relation(void *user, const struct cr_osm_relation *r);
int cr_osm_on_member_way(void *user, const struct cr_osm_way *w);
int cr_osm_on_node(void *user, const struct cr_osm_node *n);
int cr_osm_cmp_cand_ref(const void *a, const void *b);
enum cr_status cr_osm_collect_needed(struct state *s, struct cr_error *err);
/* The index of node ID in need, or NOT_FOUND. */
size_t cr_osm_find_need(const struct state *s, int64_t id);

/* osm_graph.c */
uint32_t cr_osm_add_node(struct cr_netbuild *b, int32_t lon, int32_t lat, int64_t osm_id,
                         uint8_t group, uint8_t barrier, uint8_t flags, uint8_t closed);
int cr_osm_add_segment(struct state *s, uint32_t way, uint32_t a, uint32_t b_node,
                       const uint32_t *shape, size_t shape_n, double length_m, uint8_t oneway);
enum cr_status cr_osm_index_refs(struct state *s, struct cr_error *err);
enum cr_status cr_osm_choose_graph_nodes(struct state *s, struct cr_error *err);
enum cr_status cr_osm_build_segments(struct state *s, struct cr_error *err);
enum cr_status cr_osm_build_csr(struct state *s, struct cr_error *err);
enum cr_status cr_osm_mark_largest_components(struct state *s, struct cr_error *err);

/* osm_terminals.c */
void cr_osm_place_candidates(struct state *s);
double cr_osm_radius_for(const struct cr_import_options *opt, int group);
enum cr_status cr_osm_choose_targets(struct state *s, struct cr_vec *targets, int *split,
                                     struct cr_error *err);
enum cr_status cr_osm_add_terminals(struct state *s, const struct cr_vec *targets,
                                    struct cr_error *err);
enum cr_status cr_osm_read_terminal_file(struct state *s, struct cr_error *err);

/* osm_restrictions.c */
enum cr_status cr_osm_resolve_restrictions(struct state *s, struct cr_error *err);

#endif
