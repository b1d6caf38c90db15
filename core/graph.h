/*
 * One multimodal graph: road, rail and waterway edges, ferries, and transfer edges at terminals,
 * in one CSR (compressed sparse row) structure, read from the network file with mmap.
 *
 * Words (RoutingKit's): node ids and edge ids are uint32_t; edges are directed and sorted by
 * tail, so the edges leaving node v are first_out[v] .. first_out[v+1]-1, each with its head.
 *
 * A segment is one stretch of an OSM way between two graph nodes, with its shape points. A
 * segment open in both directions has two edges (a->b and b->a), a one-way segment one. Edges
 * point at their segment; the segment holds what both directions share (way, length, shape).
 *
 * Nodes belong to one mode group (road, rail, water, terminal): an OSM node where a road crosses
 * a railway becomes two graph nodes, so goods change mode only on transfer edges at terminals.
 */
#ifndef CR_CORE_GRAPH_H
#define CR_CORE_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/netfile.h"
#include "corridor/network.h"

#define CR_NO_NODE UINT32_MAX
#define CR_NO_EDGE UINT32_MAX
#define CR_SEGMENT_REVERSED 0x80000000u /* in edge.segment: the edge runs b->a */

/* enum cr_mode, cr_group, cr_road_class, cr_rail_class, cr_water_class and cr_terminal_kind,
 * with their names, are public: corridor/network.h. */

enum cr_rail_usage {
    CR_USAGE_NONE = 0,
    CR_USAGE_MAIN,
    CR_USAGE_BRANCH,
    CR_USAGE_INDUSTRIAL,
    CR_USAGE_MILITARY,
    CR_USAGE_TOURISM,
    CR_USAGE_OTHER
};

enum cr_rail_service {
    CR_SERVICE_NONE = 0,
    CR_SERVICE_YARD,
    CR_SERVICE_SIDING,
    CR_SERVICE_SPUR,
    CR_SERVICE_CROSSOVER,
    CR_SERVICE_OTHER
};

/* What a way's tags say about one vehicle. UNKNOWN leaves it to the profile's default by class. */
enum cr_access {
    CR_ACCESS_UNKNOWN = 0,
    CR_ACCESS_YES,         /* yes, permissive, designated, official */
    CR_ACCESS_NO,          /* no, private-use-only forms are below */
    CR_ACCESS_DESTINATION, /* destination, delivery, customers: allowed to reach, not through */
    CR_ACCESS_PRIVATE,     /* private, permit, residents */
    CR_ACCESS_AGRICULTURAL /* agricultural, forestry */
};

/* Slots of cr_way_attr.access. */
enum cr_vehicle {
    CR_VEHICLE_CAR = 0,    /* access > vehicle > motor_vehicle > motorcar */
    CR_VEHICLE_MOTORCYCLE, /* access > vehicle > motor_vehicle > motorcycle */
    CR_VEHICLE_HGV,        /* access > vehicle > motor_vehicle > goods > hgv */
    CR_VEHICLE_BOAT,       /* access > boat > motorboat, ship (the stricter) */
    CR_VEHICLE_COUNT
};

enum cr_way_flag {
    CR_WAY_ONEWAY = 1u << 0,     /* one-way as tagged or implied; direction is in the edges */
    CR_WAY_REVERSIBLE = 1u << 1, /* oneway=reversible/alternating: both edges exist */
    CR_WAY_ROUNDABOUT = 1u << 2, /* junction=roundabout/circular */
    CR_WAY_TOLL = 1u << 3,
    CR_WAY_BRIDGE = 1u << 4,
    CR_WAY_TUNNEL = 1u << 5,
    CR_WAY_HAZMAT_NO = 1u << 6,       /* hazmat=no (or hazmat:*=no) */
    CR_WAY_ELECTRIFIED = 1u << 7,     /* railway electrified=* other than no */
    CR_WAY_LOCK = 1u << 8,            /* waterway with lock=yes */
    CR_WAY_MOTORROAD = 1u << 9,       /* motorroad=yes */
    CR_WAY_HGV_DESIGNATED = 1u << 10, /* hgv=designated: a truck route */
    CR_WAY_UNPAVED = 1u << 11         /* surface=unpaved/gravel/dirt/... or tracktype grade3-5 */
};

#define CR_SPEED_UNKNOWN 0    /* in maxspeed fields: no maxspeed tag */
#define CR_SPEED_NONE 0xFFFFu /* maxspeed=none: no legal limit */

/* One record per imported OSM way (and one per terminal, for its transfer edges). */
struct cr_way_attr {
    int64_t osm_id;        /* 0 for a transfer way */
    uint32_t name;         /* offset in "strings"; 0 is the empty string */
    uint32_t ref;          /* offset in "strings" */
    uint32_t maxweight_kg; /* 0 = no limit tagged */
    uint32_t maxaxleload_kg;
    uint32_t duration_s; /* ferry duration=*; transfer: handling time; 0 unknown */
    uint16_t maxheight_cm, maxwidth_cm, maxlength_cm; /* 0 = no limit tagged */
    uint16_t maxspeed_fwd_kmh;                        /* CR_SPEED_UNKNOWN, CR_SPEED_NONE, or km/h */
    uint16_t maxspeed_bwd_kmh;
    uint16_t flags;                   /* enum cr_way_flag */
    uint16_t gauge_mm;                /* rail; 0 unknown */
    uint8_t mode;                     /* enum cr_mode */
    uint8_t klass;                    /* enum cr_road_class, cr_rail_class or cr_water_class */
    uint8_t lanes;                    /* 0 unknown */
    uint8_t cemt;                     /* waterway CEMT class: 0 none, 1..4 = I..IV, 5 Va, 6 Vb,
                                         7 VIa, 8 VIb, 9 VIc, 10 VII */
    uint8_t access[CR_VEHICLE_COUNT]; /* enum cr_access per enum cr_vehicle */
    uint8_t rail_usage;               /* enum cr_rail_usage */
    uint8_t rail_service;             /* enum cr_rail_service */
    int8_t layer;                     /* OSM layer=* (-5..5), 0 when untagged; bridges and tunnels
                                         without one count as +1 and -1 (see docs/tags.md) */
    uint8_t closed_fwd;               /* bit per enum cr_vehicle that may not use the edge along
                                         the way's node order although the edge exists
                                         (oneway:motorcar, access:forward=no, ...); 0 in files
                                         written before these rules: nothing closed */
    uint8_t closed_bwd;               /* the same against the node order */
    uint8_t reserved[1];
};
_Static_assert(sizeof(struct cr_way_attr) == 56, "way record layout is part of the format");

enum cr_barrier {
    CR_BARRIER_NONE = 0,
    CR_BARRIER_GATE,          /* gate, swing_gate, sliding_gate: passable unless access=no */
    CR_BARRIER_LIFT_GATE,     /* lift_gate, toll_booth, border_control: passable, slow */
    CR_BARRIER_BOLLARD,       /* bollard, block, jersey_barrier: cars no; motorcycles may */
    CR_BARRIER_CYCLE_BARRIER, /* cycle_barrier, kissing_gate, stile, turnstile: no motor */
    CR_BARRIER_CHAIN,         /* chain, rope: no cars, no motorcycles */
    CR_BARRIER_OTHER          /* any other barrier=*: no motor vehicle */
};

enum cr_node_flag {
    CR_NODE_LCC = 1u << 0, /* in the largest component of its group */
    CR_NODE_TRAFFIC_SIGNALS = 1u << 1,
    CR_NODE_BARRIER_OPEN = 1u << 2,   /* a barrier tagged access/motor_vehicle=yes */
    CR_NODE_BARRIER_CLOSED = 1u << 3, /* a barrier tagged access/motor_vehicle=no */
    CR_NODE_STOP = 1u << 4,           /* highway=stop / give_way */
    CR_NODE_LOCK_GATE = 1u << 5       /* waterway=lock_gate */
};

enum cr_restriction_kind { CR_RESTRICT_NO = 0, CR_RESTRICT_ONLY = 1 };

/* A turn restriction relation. from/to are way records (cr_way_attr index); via is a graph node
 * (via_is_way 0) or a way record (via_is_way 1: its first via way; a relation with several via
 * ways lists the others, in order, in the view's restriction_via). */
struct cr_restriction {
    uint32_t from_way, via, to_way;
    uint8_t kind; /* enum cr_restriction_kind */
    uint8_t via_is_way;
    uint8_t except;       /* bit per enum cr_vehicle the restriction does not apply to */
    uint8_t only_vehicle; /* 0: all motor vehicles; else 1 + enum cr_vehicle (restriction:hgv) */
    int64_t osm_id;       /* the relation */
};
_Static_assert(sizeof(struct cr_restriction) == 24, "restriction layout is part of the format");

enum cr_terminal_source {
    CR_TERMINAL_OSM_NODE = 0,
    CR_TERMINAL_OSM_AREA = 1,
    CR_TERMINAL_FILE = 2
};

#define CR_TERMINAL_DEFAULT UINT32_MAX /* handling time or cost: use the profile's default */

/* A place where goods change mode. Its graph node (group TERMINAL) is joined by transfer edges
 * to the nearest node of each mode it serves. */
struct cr_terminal {
    int64_t osm_id; /* node or way id; relations negative; 0 from a file */
    int32_t lon_e7, lat_e7;
    uint32_t node;            /* its graph node */
    uint32_t name;            /* offset in "strings" */
    uint32_t handling_time_s; /* or CR_TERMINAL_DEFAULT */
    uint32_t handling_cost;   /* currency units per transfer, or CR_TERMINAL_DEFAULT */
    uint8_t modes;            /* bit per enum cr_group it serves (ROAD, RAIL, WATER) */
    uint8_t linked;           /* bit per group actually joined by a transfer edge */
    uint8_t source;           /* enum cr_terminal_source */
    uint8_t kind;             /* enum cr_terminal_kind */
    uint32_t reserved;
};
_Static_assert(sizeof(struct cr_terminal) == 40, "terminal layout is part of the format");

/* Conditional restrictions (OSM *:conditional tags, core/cond.h for their text): which tag. */
enum cr_cond_tag {
    CR_COND_TAG_ACCESS = 0,    /* access:conditional: every vehicle */
    CR_COND_TAG_MOTOR_VEHICLE, /* motor_vehicle:conditional: every motor vehicle */
    CR_COND_TAG_HGV,           /* hgv:conditional */
    CR_COND_TAG_MOTORCYCLE,    /* motorcycle:conditional */
    CR_COND_TAG_MAXWEIGHT,     /* maxweight:conditional */
    CR_COND_TAG_MAXSPEED,      /* maxspeed:conditional */
    CR_COND_TAG_COUNT
};

/* One conditional tag of a way record (optional section way.cond, sorted by way): the whole
 * tag value, parsed by the importer (only values it understood are kept), kept as text. */
struct cr_cond_way {
    uint32_t way;  /* way record */
    uint32_t text; /* offset in "strings" of the tag's value, "no @ (Mo-Fr 07:00-09:00)" */
    uint8_t tag;   /* enum cr_cond_tag */
    uint8_t reserved[3];
};
_Static_assert(sizeof(struct cr_cond_way) == 12, "way.cond layout is part of the format");

/* A turn restriction in force only under a condition (restriction:conditional; optional
 * section restriction.cond): not among the view's restrictions, so a reader that does not know
 * the section never applies it. Via a node there; via one way (via_is_way 1, via its way
 * record) in the optional section restriction.cond_way, which older readers skip. */
struct cr_cond_restriction {
    struct cr_restriction r; /* via_is_way 0 (restriction.cond) or 1 (restriction.cond_way) */
    uint32_t text;           /* offset in "strings" of the tag's value */
    uint32_t reserved;
};
_Static_assert(sizeof(struct cr_cond_restriction) == 32,
               "restriction.cond layout is part of the format");

/* Plain view of a loaded graph: arrays point into the mmap (or into the builder's memory). */
struct cr_graph_view {
    uint32_t node_count, edge_count, segment_count, way_count;
    uint32_t shape_count, terminal_count, restriction_count;
    uint64_t strings_size;
    const int32_t *lon_e7, *lat_e7;    /* [node_count] */
    const int64_t *osm_id;             /* [node_count]; terminals: 0 */
    const uint8_t *group;              /* [node_count] enum cr_group */
    const uint8_t *barrier;            /* [node_count] enum cr_barrier */
    const uint8_t *node_flags;         /* [node_count] enum cr_node_flag */
    const uint8_t *node_closed;        /* [node_count] bit per enum cr_vehicle the node's access
                                          tags close it to, or NULL (files without the
                                          optional section node.closed: nothing closed) */
    const uint32_t *first_out;         /* [node_count + 1] */
    const uint32_t *head;              /* [edge_count] */
    const uint32_t *edge_segment;      /* [edge_count] segment | CR_SEGMENT_REVERSED */
    const uint32_t *segment_way;       /* [segment_count] */
    const uint32_t *segment_length_cm; /* [segment_count] geodesic length */
    const uint32_t *segment_node;      /* [2 * segment_count] a, b */
    const uint32_t *segment_edge;      /* [2 * segment_count] edge a->b, edge b->a or CR_NO_EDGE */
    const uint32_t *segment_first_shape; /* [segment_count + 1] into shape_* (interior points) */
    const int32_t *shape_lon_e7, *shape_lat_e7; /* [shape_count] */
    const struct cr_way_attr *ways;             /* [way_count] */
    const struct cr_terminal *terminals;        /* [terminal_count] */
    const struct cr_restriction *restrictions;  /* [restriction_count] */
    const char *strings; /* [strings_size], NUL-separated, strings[0] == '\0' */
    const char *meta;    /* provenance JSON text, NUL-terminated */
    /* The via ways after the first of the restrictions with several, or NULL (files without
     * the optional section restriction.via): records "index, count, way 1 .. way count" one
     * after the other, by increasing restriction index; the restriction's own via is its
     * first via way and these follow it in order. */
    const uint32_t *restriction_via; /* [restriction_via_size] */
    uint32_t restriction_via_size;
    /* Conditional tags and restrictions, or NULL and 0 (files without the optional sections
     * way.cond and restriction.cond: nothing conditional). */
    const struct cr_cond_way *cond_ways; /* [cond_way_count] by way */
    uint32_t cond_way_count;
    const struct cr_cond_restriction *cond_restrictions; /* [cond_restriction_count] */
    uint32_t cond_restriction_count;
    /* Conditional restrictions via one way, or NULL and 0 (files without the optional section
     * restriction.cond_way) */
    const struct cr_cond_restriction *cond_via_ways; /* [cond_via_way_count] */
    uint32_t cond_via_way_count;
    /* The signed destinations of ways (OSM destination, destination:ref), or NULL (files
     * without the optional section way.destination): pairs "way record, strings offset" by
     * increasing way record, only for ways that carry one; the text is "REF: DESTINATION" as
     * OSRM joins them (';' lists as ", "). Turn-by-turn guidance reads it. */
    const uint32_t *way_destination; /* [2 * way_destination_count] */
    uint32_t way_destination_count;
    /* Exits and turn lanes of ways (struct cr_way_guide), or NULL (files without the optional
     * section way.guide): by increasing way record, only for ways that carry one. */
    const struct cr_way_guide *way_guide; /* [way_guide_count] */
    uint32_t way_guide_count;
};

/* Signs and lanes of a way record (the optional section way.guide, docs/network-file.md): its
 * exit number (OSM junction:ref) and its turn lanes along and against its node order (OSM
 * turn:lanes[:forward|:backward], as tagged: "left|through|through;right"), each a strings
 * offset, 0 for none. */
struct cr_way_guide {
    uint32_t way;
    uint32_t exits;
    uint32_t lanes_fwd, lanes_bwd;
};
_Static_assert(sizeof(struct cr_way_guide) == 16, "way.guide record layout is part of the format");

struct cr_graph;

/* cr_graph_open and cr_graph_close are public: corridor/network.h. */

/* As cr_graph_open, on DATA/LEN (borrowed, 8-byte aligned, valid until close) instead of a file;
 * NAME is for messages. For tests and the fuzzer. caller frees: cr_graph_close() */
struct cr_graph *cr_graph_open_mem(const void *data, size_t len, const char *name,
                                   struct cr_error *err);
const struct cr_graph_view *cr_graph_view(const struct cr_graph *g);

/* The mapped network file behind G, for sections beyond the graph (contraction hierarchies). */
const struct cr_netfile *cr_graph_file(const struct cr_graph *g);

/* Writes the view to PATH as a network file (temporary name, fsync, rename). */
enum cr_status cr_graph_write(const struct cr_graph_view *v, const char *path,
                              struct cr_error *err);

/* A section beyond the graph's own, written by cr_graph_write_extra (DATA borrowed). */
struct cr_graph_section {
    const char *name;
    const void *data;
    uint32_t elem_size;
    uint64_t count;
    int if_absent; /* 1: skipped when the view already wrote a section of that name (a section
                    * carried from another file: the view's own version wins) */
};

/* As cr_graph_write, with EXTRA_COUNT more sections after the graph's (names unique, not the
 * graph's own): a scenario's edge mapping. */
enum cr_status cr_graph_write_extra(const struct cr_graph_view *v,
                                    const struct cr_graph_section *extra, size_t extra_count,
                                    const char *path, struct cr_error *err);

/* Checks the view's internal consistency (ids in range, CSR monotone, segments and edges agree);
 * cr_graph_open runs it, so a hand-made file with a good CRC cannot point outside its arrays. */
enum cr_status cr_graph_validate(const struct cr_graph_view *v, const char *name,
                                 struct cr_error *err);

static inline const char *
cr_graph_string(const struct cr_graph_view *v, uint32_t offset)
{
    return offset < v->strings_size ? v->strings + offset : "";
}

/* The destinations text of way record WAY (strings offset; 0 when none): a binary search of
 * way_destination. */
static inline uint32_t
cr_graph_way_destination(const struct cr_graph_view *v, uint32_t way)
{
    uint32_t lo = 0, hi = v->way_destination ? v->way_destination_count : 0;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v->way_destination[2 * mid] < way)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < (v->way_destination ? v->way_destination_count : 0) &&
                   v->way_destination[2 * lo] == way
               ? v->way_destination[2 * lo + 1]
               : 0;
}

/* The exits and lanes of way record WAY, or NULL when it has none: a binary search of
 * way_guide. */
static inline const struct cr_way_guide *
cr_graph_way_guide(const struct cr_graph_view *v, uint32_t way)
{
    uint32_t lo = 0, hi = v->way_guide ? v->way_guide_count : 0;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (v->way_guide[mid].way < way)
            lo = mid + 1;
        else
            hi = mid;
    }
    return v->way_guide && lo < v->way_guide_count && v->way_guide[lo].way == way
               ? &v->way_guide[lo]
               : NULL;
}

static inline uint32_t
cr_graph_edge_mode(const struct cr_graph_view *v, uint32_t e)
{
    return v->ways[v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED]].mode;
}

#endif
