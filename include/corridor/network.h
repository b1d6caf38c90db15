/*
 * A network file (written by `corridor import`): opening it, closing it, and a summary of what it
 * holds (what `corridor info` prints).
 *
 *   struct cr_error err = { 0 };
 *   struct cr_network_summary s;
 *   struct cr_graph *g = cr_graph_open("monaco.corr", &err);
 *   if (!g || cr_network_summary_init(&s, g, &err))
 *       ... err.msg says why ...
 *   printf("%u nodes, %.1f km of road\n", s.nodes, s.length_m_by_mode[CR_MODE_ROAD] / 1000);
 *   cr_network_summary_fini(&s);
 *   cr_graph_close(g);
 *
 * Edges are directed (a two-way street segment has two); a segment is one stretch of an OSM way
 * between two graph nodes; nodes belong to one mode group (an OSM node where a road crosses a
 * railway is two graph nodes, and goods change mode only on transfer edges at terminals).
 */
#ifndef CORRIDOR_NETWORK_H
#define CORRIDOR_NETWORK_H

#include <stddef.h>
#include <stdint.h>

#include "corridor/error.h"
#include "corridor/export.h"

struct cr_graph;

enum cr_mode { /* of a way, and so of its segments and edges */
               CR_MODE_ROAD = 0,
               CR_MODE_RAIL = 1,
               CR_MODE_WATER = 2,
               CR_MODE_FERRY = 3,    /* a route=ferry way; joins road nodes */
               CR_MODE_TRANSFER = 4, /* terminal <-> node of a mode it serves */
               CR_MODE_COUNT
};

/* Mode group of a node. */
enum cr_group {
    CR_GROUP_ROAD = 0, /* road and ferry edges */
    CR_GROUP_RAIL = 1,
    CR_GROUP_WATER = 2,
    CR_GROUP_TERMINAL = 3,
    CR_GROUP_COUNT
};

enum cr_road_class {
    CR_ROAD_MOTORWAY = 0,
    CR_ROAD_MOTORWAY_LINK,
    CR_ROAD_TRUNK,
    CR_ROAD_TRUNK_LINK,
    CR_ROAD_PRIMARY,
    CR_ROAD_PRIMARY_LINK,
    CR_ROAD_SECONDARY,
    CR_ROAD_SECONDARY_LINK,
    CR_ROAD_TERTIARY,
    CR_ROAD_TERTIARY_LINK,
    CR_ROAD_UNCLASSIFIED,
    CR_ROAD_RESIDENTIAL,
    CR_ROAD_LIVING_STREET,
    CR_ROAD_SERVICE,
    CR_ROAD_TRACK,
    CR_ROAD_ROAD, /* highway=road: class unknown */
    CR_ROAD_CLASS_COUNT
};

enum cr_rail_class {
    CR_RAIL_RAIL = 0,
    CR_RAIL_LIGHT_RAIL,
    CR_RAIL_NARROW_GAUGE,
    CR_RAIL_CLASS_COUNT
};

enum cr_water_class { CR_WATER_RIVER = 0, CR_WATER_CANAL, CR_WATER_FAIRWAY, CR_WATER_CLASS_COUNT };

enum cr_terminal_kind {
    CR_TERMINAL_RAIL_STATION = 0, /* railway=station/halt */
    CR_TERMINAL_RAIL_YARD,        /* railway=yard, landuse=railway */
    CR_TERMINAL_PORT,             /* landuse=port, industrial=port, harbour=yes, seamark harbour */
    CR_TERMINAL_QUAY,             /* waterway=dock, waterway=mooring, mooring=*, man_made=pier */
    CR_TERMINAL_ICD,              /* from a file: inland container depot / dry port */
    CR_TERMINAL_OTHER
};

/* The names `corridor` writes for them: "road", "motorway_link", "rail_station", ... */
CR_API const char *cr_mode_name(enum cr_mode m);
CR_API const char *cr_group_name(enum cr_group g);
CR_API const char *cr_road_class_name(enum cr_road_class c);
CR_API const char *cr_rail_class_name(enum cr_rail_class c);
CR_API const char *cr_water_class_name(enum cr_water_class c);
CR_API const char *cr_terminal_kind_name(enum cr_terminal_kind k);

/* Maps network file PATH and checks it (sections, checksums, ids in range). NULL with ERR set
 * (naming PATH and why) when it cannot. caller frees: cr_graph_close() */
CR_API struct cr_graph *cr_graph_open(const char *path, struct cr_error *err);
/* Accepts NULL. */
CR_API void cr_graph_close(struct cr_graph *g);

/* A place where goods change mode, as the summary lists it. */
struct cr_network_terminal {
    const char *name;       /* borrowed from the network ("" when unnamed) */
    int kind;               /* enum cr_terminal_kind */
    int64_t osm_id;         /* node or way id; relations negative; 0 from a terminals file */
    int32_t lon_e7, lat_e7; /* 1e-7 degrees */
    uint32_t node;          /* its graph node */
    uint8_t modes;          /* bit per enum cr_group it serves */
    uint8_t linked;         /* bit per enum cr_group actually joined by a transfer edge */
};

/* One counter of the provenance's restrictions_invalid: why turn restrictions were dropped. */
struct cr_network_count {
    const char *key; /* "members", "from_not_at_via", ... */
    int64_t count;
};

#define CR_NETWORK_CH_TEXT 512 /* room for "car/time, truck/time, ..." */

struct cr_network_summary {
    uint64_t file_bytes; /* the network file's size */
    uint32_t nodes, edges, segments, ways, shape_points;
    uint64_t nodes_by_group[CR_GROUP_COUNT];
    uint64_t lcc_by_group[CR_GROUP_COUNT]; /* nodes in the largest component of each group */
    uint64_t edges_by_mode[CR_MODE_COUNT], segments_by_mode[CR_MODE_COUNT];
    uint64_t ways_by_mode[CR_MODE_COUNT];
    double length_m_by_mode[CR_MODE_COUNT]; /* of the segments: each counts once */
    uint64_t edges_by_road_class[CR_ROAD_CLASS_COUNT], ways_by_road_class[CR_ROAD_CLASS_COUNT];
    double length_m_by_road_class[CR_ROAD_CLASS_COUNT];
    uint64_t ways_by_rail_class[CR_RAIL_CLASS_COUNT], ways_by_water_class[CR_WATER_CLASS_COUNT];
    uint64_t transfer_edges; /* edges_by_mode[CR_MODE_TRANSFER] */
    uint32_t restrictions;
    uint64_t restrictions_via_way;
    uint64_t barriers, traffic_signals, oneway_ways;
    uint64_t access_closed_nodes;   /* nodes whose access tags close them to some vehicle */
    uint64_t direction_closed_ways; /* ways with a direction closed to some vehicles only */
    int32_t bbox_e7[4]; /* W S E N of nodes and shape points; all 0 for an empty network */
    uint32_t terminal_count;
    struct cr_network_terminal *terminals; /* [terminal_count], owned */
    /* Contraction hierarchies stored in the file: how many, and "car/time, truck/time" (cut
     * short when it does not fit). */
    size_t ch_count;
    char ch_list[CR_NETWORK_CH_TEXT];
    /* Provenance, as `corridor import` recorded it. provenance_json is the whole record (JSON
     * text, borrowed from the network); the fields below are read from it, each NULL (or 0)
     * when absent or when the record is not a JSON object (then has_provenance is 0). Strings
     * are owned by the summary. */
    const char *provenance_json;
    int has_provenance;
    const char *input; /* the OSM file imported (its name) */
    int64_t input_bytes;
    const char *newest_timestamp; /* of the OSM data, ISO 8601 */
    const char *terminals_file;
    const char *corridor_version;
    const char **modes; /* [mode_count]: the modes imported */
    size_t mode_count;
    struct cr_network_count *restrictions_invalid; /* [invalid_count], NULL when not recorded */
    size_t invalid_count;
    void *internal_; /* the parsed record, for cr_network_summary_fini */
};

/* Counts what G holds into S (owned by the caller; everything in it stays valid until
 * cr_network_summary_fini, and the borrowed strings until cr_graph_close). CR_OK, or
 * CR_ENOMEM with ERR set. */
CR_API enum cr_status cr_network_summary_init(struct cr_network_summary *s,
                                              const struct cr_graph *g, struct cr_error *err);
/* Frees what S owns; accepts a summary already finished or zeroed. */
CR_API void cr_network_summary_fini(struct cr_network_summary *s);

#endif
