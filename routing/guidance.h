/*
 * Turn-by-turn guidance: a computed route's edges turned into OSRM-style steps (docs/routing.md,
 * "Guidance").
 *
 * A step starts with a maneuver (depart, a turn, a roundabout, ..., arrive) and runs to the next
 * one. Its name, ref and destinations are those of the way it travels, its distance, duration
 * and weight the sums of its edges, shared out so that the steps of a leg add up exactly, at the
 * printed 0.1, to the leg's. Intersections are the graph nodes a step passes where three or more
 * ways meet (and its maneuver's node): the bearings of every way there, which may be entered from
 * the way the route came in on (the profile's turn graph decides), and which one was come in on
 * and left by.
 *
 * Steps are collapsed as OSRM collapses them: a straight continuation on the same name and ref
 * makes no step, a road that bends with no other way to take makes none, and a roundabout is one
 * step with the number of the exit taken: a "roundabout turn" when it is small (radius under
 * 15 m, four arms at most), a "rotary" (with its rotary_name) when it is larger and has a name
 * none of its arms has, else a "roundabout". Short steps are then merged as OSRM merges them
 * (cr_guidance_collapse).
 */
#ifndef CR_ROUTING_GUIDANCE_H
#define CR_ROUTING_GUIDANCE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "routing/route.h"

enum cr_maneuver {
    CR_MAN_DEPART = 0,
    CR_MAN_ARRIVE,
    CR_MAN_TURN,
    CR_MAN_NEW_NAME,
    CR_MAN_CONTINUE,
    CR_MAN_MERGE,
    CR_MAN_ON_RAMP,
    CR_MAN_OFF_RAMP,
    CR_MAN_FORK,
    CR_MAN_END_OF_ROAD,
    CR_MAN_ROUNDABOUT,
    CR_MAN_ROTARY,
    CR_MAN_EXIT_ROUNDABOUT,
    CR_MAN_EXIT_ROTARY,
    CR_MAN_NOTIFICATION,
    CR_MAN_ROUNDABOUT_TURN, /* a small roundabout taken as a turn (modifier: the turn's) */
    CR_MAN_COUNT
};

enum cr_modifier {
    CR_MOD_NONE = 0,
    CR_MOD_UTURN,
    CR_MOD_SHARP_RIGHT,
    CR_MOD_RIGHT,
    CR_MOD_SLIGHT_RIGHT,
    CR_MOD_STRAIGHT,
    CR_MOD_SLIGHT_LEFT,
    CR_MOD_LEFT,
    CR_MOD_SHARP_LEFT,
    CR_MOD_COUNT
};

/* OSRM's names: "depart", "new name", "end of road", ...; "uturn", "sharp right", ... ("" for
 * CR_MOD_NONE). */
const char *cr_maneuver_name(enum cr_maneuver m);
const char *cr_modifier_name(enum cr_modifier m);

/* OSRM's modifier of a turn from BEARING_BEFORE to BEARING_AFTER (degrees clockwise from north,
 * the direction of travel): the turn angle 180 + before - after (mod 360, 180 straight on) in
 * OSRM's bands: sharp right below 60, right below 140, slight right below 160, straight to 200,
 * slight left to 220, left to 300, sharp left below 360, a U-turn at 0. */
enum cr_modifier cr_modifier_of(double bearing_before, double bearing_after);

/* The turn angle from BEFORE to AFTER (bearings of travel), 0..360: 180 straight on, below 180
 * to the right, 0 a U-turn. */
double cr_turn_angle(double before, double after);

#define CR_GUIDE_MAX_WAYS 16  /* ways listed at one intersection (more are left out) */
#define CR_GUIDE_NONE 0xFF    /* no in (depart) or no out (arrive) */
#define CR_GUIDE_MAX_LANES 16 /* turn lanes read of one way (more are left out) */

/* The indications of a turn lane (OSM turn:lanes values), one bit each; OSRM's names by
 * cr_lane_name(). */
enum cr_lane_ind {
    CR_LANE_NONE = 1u << 0, /* none, or nothing between the bars */
    CR_LANE_STRAIGHT = 1u << 1,
    CR_LANE_SHARP_LEFT = 1u << 2,
    CR_LANE_LEFT = 1u << 3,
    CR_LANE_SLIGHT_LEFT = 1u << 4,
    CR_LANE_SLIGHT_RIGHT = 1u << 5,
    CR_LANE_RIGHT = 1u << 6,
    CR_LANE_SHARP_RIGHT = 1u << 7,
    CR_LANE_UTURN = 1u << 8,
    CR_LANE_MERGE_TO_LEFT = 1u << 9,
    CR_LANE_MERGE_TO_RIGHT = 1u << 10,
    CR_LANE_IND_BITS = 11
};

struct cr_intersection {
    int32_t lon_e7, lat_e7;
    uint8_t count;                        /* ways meeting there */
    uint16_t bearings[CR_GUIDE_MAX_WAYS]; /* 0..359 from the node along each way, ascending */
    uint8_t entry[CR_GUIDE_MAX_WAYS];     /* 1 when the route may leave along it */
    uint8_t in, out;                      /* index of the way come in on and left by, or NONE */
    uint8_t lane_count;                   /* turn lanes of the way come in on ending here */
    uint16_t lane_valid;                  /* bit per lane (0 leftmost) that allows the turn taken */
    uint16_t lanes[CR_GUIDE_MAX_LANES];   /* each lane's enum cr_lane_ind bits */
};

struct cr_step {
    uint8_t type;                           /* enum cr_maneuver */
    uint8_t modifier;                       /* enum cr_modifier */
    uint8_t exit;                           /* roundabouts: the exit taken (1 = first); else 0 */
    uint8_t mode;                           /* enum cr_mode of the ways the step travels */
    uint16_t bearing_before, bearing_after; /* 0..359; depart: before 0, arrive: after 0 */
    int32_t lon_e7, lat_e7;                 /* the maneuver's location */
    uint32_t way;                           /* the way record the step travels (its first) */
    uint32_t rotary_name;                   /* rotaries: the circle's name (strings), else 0 */
    uint32_t first_point, last_point;       /* the step's geometry, into the route's points */
    double distance_m, duration_s, weight;  /* to 0.1, adding up to the leg's */
    uint32_t first_intersection, intersection_count; /* into the guidance's intersections */
};

struct cr_guidance {
    struct cr_step *steps;
    uint32_t step_count;
    struct cr_intersection *xs;
    uint32_t x_count;
    uint32_t *leg_first_step; /* [route's leg_count + 1] */
    uint32_t leg_count;
};

/* The steps of every leg of R, found by engine E (R's pieces must be there: a route, not a table
 * cell). CR_ENOMEM only. caller frees: cr_guidance_fini() */
enum cr_status cr_guidance_build(const struct cr_engine *e, const struct cr_route *r,
                                 struct cr_guidance *out, struct cr_error *err);
void cr_guidance_fini(struct cr_guidance *g);

/* Merges the short steps of the leg whose steps are FIRST (its depart) .. G's last (its arrive)
 * as osrm-backend's guidance post-processing does (routing/guidance_collapse.c): a staggered
 * intersection (a right and a left under 3 m apart), a U-turn over a dual carriageway, a short
 * name change and back, a short name change or slight bend before a turn, a turn followed by a
 * short name change, and a sliproad or segregated crossing (two turns the same way over a short
 * or unnamed link) become one step or none. A merged step's measures, geometry and
 * intersections are added to the step kept. Runs on the raw sums, before they are shared out. */
void cr_guidance_collapse(const struct cr_graph_view *v, struct cr_guidance *g, uint32_t first);

/* OSRM's name of the one indication BIT ("none", "straight", "sharp left", ..., "uturn",
 * "merge to left", "merge to right"); "none" for any other. */
const char *cr_lane_name(unsigned bit);

/* The lanes of an OSM turn:lanes TEXT ("left|through|through;right": lanes left to right
 * separated by '|', a lane's values by ';') into LANES (enum cr_lane_ind bits, unknown values
 * read as none); returns the lane count (at most CR_GUIDE_MAX_LANES). */
unsigned cr_lanes_parse(const char *text, uint16_t lanes[CR_GUIDE_MAX_LANES]);

/* Which of the N LANES allow a turn of ANGLE (cr_turn_angle; bit i for lane i): those marked
 * with its modifier's direction, else those marked with a neighbouring one (left for a sharp
 * left, straight or none for a slight turn, ...), else (a fork nearly straight on) any marked
 * to its side; "none" counts as straight. */
uint16_t cr_lanes_valid(const uint16_t *lanes, unsigned n, double angle);

/* The exit numbers signed on way record WAY (OSM junction:ref), or "" (no way.guide section, or
 * none on it). */
const char *cr_guidance_exits(const struct cr_graph_view *v, uint32_t way);

/* The destinations signed on way record WAY ("destination:ref: destination", as OSRM joins
 * them), into BUF; "" when the network has none for it (files without the optional section
 * way.destination). */
const char *cr_guidance_destinations(const struct cr_graph_view *v, uint32_t way, char *buf,
                                     size_t size);

#endif
