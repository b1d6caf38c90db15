/*
 * Profiles: which edges a vehicle may use and what each costs. Profiles are JSON files in
 * profiles/ (car, motorcycle, truck, rail, barge, freight), read with jansson; docs/profiles.md
 * documents every key, its default and the source of each default.
 *
 * Weights are integers so that results are exact and reproducible: time in deciseconds,
 * distance in decimetres, cost in currency units (the profile's currency, VND by default),
 * CO2 in grams. CR_WEIGHT_INF marks an edge the profile may not use.
 */
#ifndef CR_ROUTING_PROFILE_H
#define CR_ROUTING_PROFILE_H

#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "corridor/routing.h"

#define CR_WEIGHT_INF UINT32_MAX

/* enum cr_metric, cr_metric_name and cr_metric_parse: corridor/routing.h */

/* What traffic assignment reads (planning/assign_osm.h; docs/profiles.md "assignment"). Road
 * classes only: a road edge's capacity per direction is capacity_pcu_per_lane_h[class] x
 * capacity_factor x its lanes per direction (OSM lanes, or default_lanes when untagged). */
struct cr_profile_assign {
    double capacity_pcu_per_lane_h[CR_ROAD_CLASS_COUNT]; /* PCE per hour and lane */
    double default_lanes[CR_ROAD_CLASS_COUNT];           /* per direction, when untagged */
    double bpr_alpha[CR_ROAD_CLASS_COUNT], bpr_beta[CR_ROAD_CLASS_COUNT];
    double capacity_factor; /* 1: maximum capacity; TCVN 4054 design capacity is Z x it */
    double pce;             /* passenger-car equivalents of one vehicle of this profile */
};

/* A vehicle's physical and legal size. 0 means "not given" for each field. */
struct cr_vehicle_dims {
    uint32_t weight_kg, axleload_kg;
    uint16_t height_cm, width_cm, length_cm;
    uint8_t hazmat; /* carries dangerous goods */
};

struct cr_profile {
    char name[32];
    char currency[8]; /* "VND" */
    uint8_t modes;    /* bit per enum cr_mode the profile may use */
    uint8_t vehicle;  /* enum cr_vehicle whose access tags apply (road/ferry) */
    uint8_t road_class_allowed[CR_ROAD_CLASS_COUNT];
    double road_speed_kmh[CR_ROAD_CLASS_COUNT]; /* when no maxspeed, or capped by maxspeed */
    double maxspeed_factor; /* speed = min(class speed, maxspeed * factor) if tagged;
                               a factor of 0 ignores maxspeed */
    double max_speed_kmh;   /* the vehicle's own top speed (truck 90, motorcycle 70) */
    double ferry_speed_kmh; /* when the ferry has no duration tag */
    double rail_speed_kmh[CR_RAIL_CLASS_COUNT];
    double water_speed_kmh[CR_WATER_CLASS_COUNT];
    double unpaved_factor;       /* speed multiplier on unpaved ways (0..1) */
    uint8_t access_allowed[6];   /* per enum cr_access: 1 when the vehicle may enter */
    uint8_t barrier_passable[7]; /* per enum cr_barrier */
    double barrier_penalty_s;    /* passing a passable barrier (gates) */
    double traffic_signal_s;     /* average wait at a signal */
    double turn_penalty_s;       /* a sharp turn (90 degrees) towards oncoming traffic */
    double u_turn_s;             /* a U-turn at a node; < 0 forbids U-turns */
    double rail_reverse_s;       /* a train reversing (U-turn, or a turn sharper than 120
                                    degrees between rail edges); < 0 forbids */
    double lock_s;               /* passing a waterway=lock_gate node (waiting + lockage) */
    int left_hand_traffic;       /* 0 in Vietnam, Austria, Monaco */
    /* money and emissions */
    double cost_per_km[CR_MODE_COUNT];    /* currency units per km, by mode */
    double cost_per_hour[CR_MODE_COUNT];  /* currency units per hour, by mode */
    double co2_kg_per_tkm[CR_MODE_COUNT]; /* kg CO2 per tonne-km, by mode */
    double payload_t;                     /* tonnes carried (for CO2 per tonne-km) */
    /* transfers (freight) */
    double transfer_time_s, transfer_cost; /* per transfer, when the terminal gives none */
    int max_transfers;
    /* vehicle size: the profile's default, replaced per request by cr_profile_set_vehicle */
    struct cr_vehicle_dims dims;
    struct cr_vehicle_dims default_dims;
    struct cr_profile_assign assign; /* traffic assignment */
    /* OSRM's exclude=: the classes the profile file declares ("exclude": [...]) and those a
     * request leaves out (routing/exclude.c; enum cr_exclude_class) */
    uint8_t excludable, exclude;
    uint8_t conditional; /* enum cr_profile_conditional: time-conditional bans without a time */
};

/* What a query without a time (no --depart) does with a conditional ban or speed that depends
 * on the time ("conditional" in the profile; docs/routing.md, "Conditional restrictions"). A
 * condition on the vehicle alone (weight>7) is always applied. */
enum cr_profile_conditional {
    CR_CONDITIONAL_IGNORE = 0, /* the default: as if untagged (CH stays usable) */
    CR_CONDITIONAL_ALWAYS = 1  /* as if every time condition held (Dijkstra) */
};

/* Classes of ways a request may leave out (OSRM's exclude=toll,motorway,ferry). */
enum cr_exclude_class {
    CR_EXCLUDE_TOLL = 1u << 0,     /* toll=yes (or toll:hgv=yes) */
    CR_EXCLUDE_MOTORWAY = 1u << 1, /* highway=motorway and motorway_link */
    CR_EXCLUDE_FERRY = 1u << 2,    /* route=ferry */
    CR_EXCLUDE_TUNNEL = 1u << 3,   /* tunnel=* other than no */
    CR_EXCLUDE_BRIDGE = 1u << 4,   /* bridge=* other than no */
    CR_EXCLUDE_UNPAVED = 1u << 5   /* unpaved surfaces, tracks of low grade */
};

/* The class named NAME ("toll"), or 0 when there is no such class. */
unsigned cr_exclude_class_parse(const char *name, size_t len);

/* Sets p->exclude from LIST ("toll,motorway"; "" clears it). CR_EINVAL naming the class when one
 * is unknown or not among those the profile declares. */
enum cr_status cr_profile_set_exclude(struct cr_profile *p, const char *list, struct cr_error *err);

/* Whether edge E belongs to a class p->exclude leaves out. */
int cr_profile_edge_excluded(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e);

/* The built-in defaults every profile file starts from (a car in Vietnam; docs/profiles.md). */
void cr_profile_defaults(struct cr_profile *p);

/* Loads profile NAME (e.g. "car") from DIR (profiles/ of the source tree or the installed share
 * folder), or a path ending in .json. Errors name the file and the key. */
enum cr_status cr_profile_load(const char *name_or_path, const char *dir, struct cr_profile *p,
                               struct cr_error *err);

/* Where profiles are looked for when no folder is given: $CORRIDOR_PROFILES, then the
 * installed share folder, then profiles/ beside the source tree the binary was built from. */
const char *cr_profile_default_dir(void);

/* Overrides dims from "height=4.2,width=2.55,length=16.5,weight=30,axleload=10,hazmat=yes"
 * (metres and tonnes). Errors name the bad key or value. */
enum cr_status cr_profile_set_vehicle(struct cr_profile *p, const char *spec, struct cr_error *err);

/* Whether the request's vehicle differs from the profile's default (so a CH built for the
 * defaults may not be used). */
int cr_profile_dims_changed(const struct cr_profile *p);

/* Whether the profile may use edge E (mode, class, access, oneway already in the graph, limits
 * against dims, hazmat). */
int cr_profile_edge_allowed(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e);

/* Travel time of edge E in seconds (ferries: duration tag when present; transfer edges: the
 * terminal's handling time or the profile's default). Only meaningful when allowed. */
double cr_profile_edge_time_s(const struct cr_profile *p, const struct cr_graph_view *v,
                              uint32_t e);

/* As cr_profile_edge_time_s, with maxspeed KMH instead of the way's tagged one (road edges;
 * others as cr_profile_edge_time_s): a maxspeed:conditional value in force. */
double cr_profile_edge_time_maxspeed_s(const struct cr_profile *p, const struct cr_graph_view *v,
                                       uint32_t e, double kmh);

/* All four quantities of edge E: seconds, metres, currency units, kg CO2. */
struct cr_edge_cost {
    double time_s, distance_m, cost, co2_kg;
};
void cr_profile_edge_cost(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e,
                          struct cr_edge_cost *out);

/* The integer weight of edge E for METRIC (CR_WEIGHT_INF when not allowed; at least 1). */
uint32_t cr_profile_edge_weight(const struct cr_profile *p, const struct cr_graph_view *v,
                                uint32_t e, enum cr_metric metric);

/* Penalty in seconds for passing node V (barrier, traffic signals); < 0 when V is closed. */
double cr_profile_node_penalty_s(const struct cr_profile *p, const struct cr_graph_view *v,
                                 uint32_t node);

/* Penalty in seconds for the turn from edge IN to edge OUT at their shared node, from the angle
 * between them (geometry of the segments near the node) and the side of traffic; U-turns get
 * u_turn_s. < 0 when forbidden (U-turn with u_turn_s < 0). */
double cr_profile_turn_penalty_s(const struct cr_profile *p, const struct cr_graph_view *v,
                                 uint32_t in, uint32_t out);

/* A time/cost/co2 of a penalty in seconds expressed in METRIC's integer unit (distance: 0). */
uint32_t cr_profile_penalty_weight(const struct cr_profile *p, double seconds, enum cr_metric m);

/* Whether edge E may only be used to reach or leave a place on it, never crossed on the way
 * elsewhere: its access for the profile's vehicle is destination (delivery, customers) or
 * private (permit, residents) and the profile allows that value (access_allowed). Road and
 * ferry edges only. The turn graph enforces it (routing/turngraph.h). */
int cr_profile_edge_destination_only(const struct cr_profile *p, const struct cr_graph_view *v,
                                     uint32_t e);

#endif
