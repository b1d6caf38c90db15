/*
 * What OSM tags mean for corridor. Pure C, no libosmium: tested on its own with tables.
 * Every parser takes a tag value (may be NULL) and returns a number in the unit its name says,
 * or an "invalid" marker; none of them allocates.
 */
#ifndef CR_IMPORTERS_OSM_TAGS_H
#define CR_IMPORTERS_OSM_TAGS_H

#include <stddef.h>
#include <stdint.h>

#include "core/graph.h"
#include "importers/osm/osm_reader.h"

#define CR_PARSE_INVALID (-1)  /* a value that is present but not understood */
#define CR_PARSE_NONE (-2)     /* "none", "no", "unlimited": explicitly no limit */
#define CR_SPEED_NONE_KMH (-2) /* maxspeed=none (same as CR_PARSE_NONE) */

/* maxspeed: "50", "50 km/h", "50kmh", "30 mph", "10 knots", "none", "walk", "VN:urban" and other
 * country/zone values (table in docs/tags.md), "50;70" (the lowest), "signals"/"variable"
 * (CR_PARSE_INVALID). Returns whole km/h rounded to nearest, CR_PARSE_NONE, or CR_PARSE_INVALID. */
int cr_osm_parse_maxspeed(const char *v);

/* maxweight, maxaxleload: "7.5" (tonnes), "7.5 t", "7,5 t", "3500 kg", "8000 lbs", "5 st"
 * (short tons, 907.18474 kg), "none"/"unsigned" -> CR_PARSE_NONE. Returns kilograms. */
int64_t cr_osm_parse_weight_kg(const char *v);

/* maxheight, maxwidth, maxlength: "4.2", "4.2 m", "4,2 m", "420 cm", "14'6\"", "14 ft", "14 ft 6
 * in", "4.2m", "none"/"default"/"below_default" (none -> CR_PARSE_NONE, default/below_default ->
 * CR_PARSE_INVALID). Returns centimetres, rounded to nearest. */
int cr_osm_parse_length_cm(const char *v);

/* duration: "25" (minutes), "00:25" (hh:mm), "1:30:00" (hh:mm:ss), "PT25M", "PT1H30M",
 * "PT45S". Returns seconds. */
int cr_osm_parse_duration_s(const char *v);

/* lanes: "2", "2;3" (lowest). 1..255, or CR_PARSE_INVALID. */
int cr_osm_parse_lanes(const char *v);

/* CEMT: "0", "I".."IV", "Va", "Vb", "VIa", "VIb", "VIc", "VII" -> 0..10 as in cr_way_attr.cemt. */
int cr_osm_parse_cemt(const char *v);

/* gauge: "1435", "1000;1435" (the first). Millimetres or CR_PARSE_INVALID. */
int cr_osm_parse_gauge_mm(const char *v);

enum cr_oneway {
    CR_ONEWAY_NO = 0,
    CR_ONEWAY_FORWARD,
    CR_ONEWAY_BACKWARD,
    CR_ONEWAY_REVERSIBLE,
    CR_ONEWAY_UNKNOWN
};
/* "yes", "true", "1" -> FORWARD; "-1", "reverse" -> BACKWARD; "no", "false", "0" -> NO;
 * "reversible", "alternating" -> REVERSIBLE; NULL or other -> UNKNOWN. */
enum cr_oneway cr_osm_parse_oneway(const char *v);

/* An access value -> enum cr_access: yes/permissive/designated/official -> YES; no/use_sidepath/
 * discouraged? (discouraged -> YES) ; destination/delivery/customers -> DESTINATION;
 * private/permit/residents -> PRIVATE; agricultural/forestry -> AGRICULTURAL; NULL or unknown
 * -> UNKNOWN. */
enum cr_access cr_osm_parse_access(const char *v);

/* highway=* -> enum cr_road_class, or -1 for values no road profile uses (footway, path,
 * cycleway, steps, pedestrian, bridleway, construction, proposed, platform, ...). */
int cr_osm_road_class(const char *highway);
int cr_osm_rail_class(const char *railway);   /* rail, light_rail, narrow_gauge; else -1 */
int cr_osm_water_class(const char *waterway); /* river, canal, fairway; else -1 */

/* How an imported way runs. */
struct cr_way_info {
    struct cr_way_attr attr; /* name and ref offsets left 0: the caller interns strings */
    const char *name, *ref;  /* borrowed from the tags, or NULL */
    enum cr_oneway oneway;   /* resolved: implied (motorway, roundabout) included;
                                never UNKNOWN for a used way */
};

/* Decides whether a way is imported and fills INFO. Returns 1 (used) or 0 (not a way corridor
 * imports). MODES is a bit mask of (1u << enum cr_group) for the groups asked for (ROAD also
 * enables ferries). Rules (docs/tags.md):
 *  - road: highway=<class> with cr_osm_road_class >= 0, not area=yes, not access=no for all of
 *    car/motorcycle/hgv together with no exception; construction=*, proposed=* on the way
 *    excluded;
 *  - ferry: route=ferry (mode FERRY);
 *  - rail: railway=rail/light_rail/narrow_gauge (abandoned/disused/razed/construction/proposed
 *    are other railway=* values, so excluded), usage=*, service=*, gauge, maxspeed,
 *    electrified;
 *  - water: waterway=river/canal/fairway, CEMT, access boat/ship/motorboat, lock=yes;
 *  - everything: maxspeed (and :forward/:backward), access per vehicle (see enum cr_vehicle),
 *    maxweight/maxaxleload/maxheight/maxwidth/maxlength (also maxweight:hgv, physical
 *    maxheight:physical as the lower), hazmat, toll (toll=yes, toll:hgv=yes), bridge, tunnel
 *    (not "no"), lanes, junction=roundabout/circular (implies oneway), motorroad, surface.
 *  - oneway: highway=motorway and motorway_link and roundabouts imply FORWARD unless tagged;
 *    rail and ferries two-way unless tagged. */
int cr_osm_way_classify(const struct cr_osm_tag *tags, size_t n, unsigned modes,
                        struct cr_way_info *info);

/* Node tags: barrier=* -> enum cr_barrier (NONE when no barrier tag), and *node_flags gets the
 * enum cr_node_flag bits that the tags give (TRAFFIC_SIGNALS, BARRIER_OPEN/CLOSED, STOP,
 * LOCK_GATE). */
enum cr_barrier cr_osm_node_barrier(const struct cr_osm_tag *tags, size_t n, uint8_t *node_flags);

/* Whether an OSM object (node, or closed way / multipolygon when AREA is 1) is a terminal where
 * goods change mode. Returns 1 and sets *kind and *modes (bit per enum cr_group: ROAD always,
 * RAIL for rail stations and yards, WATER for ports and quays), or 0.
 *  - railway=station/halt (not disused/abandoned, not subway/tram/light_rail only: station=subway,
 *    station=light_rail, subway=yes, tram=yes without train=yes are skipped) -> RAIL_STATION
 *  - railway=yard, landuse=railway (areas) -> RAIL_YARD
 *  - landuse=port, industrial=port, harbour=yes, seamark:type=harbour -> PORT
 *  - waterway=dock, waterway=mooring, mooring=* (not "no"), man_made=pier -> QUAY */
int cr_osm_terminal_kind(const struct cr_osm_tag *tags, size_t n, int area,
                         enum cr_terminal_kind *kind, uint8_t *modes);

/* A turn restriction relation's tags: type=restriction (or restriction:<vehicle>) with
 * restriction[:vehicle]=no_* / only_*. Returns 1 and fills kind, except bits and only_vehicle
 * (as in struct cr_restriction), or 0 when the relation is not a usable restriction. */
int cr_osm_restriction(const struct cr_osm_tag *tags, size_t n, uint8_t *kind, uint8_t *except,
                       uint8_t *only_vehicle);

/* How many from and to ways a restriction relation may have (OSM wiki, Relation:restriction):
 * one each (0), except no_entry (CR_RESTRICT_MANY_FROM: several from ways, each banned into the
 * to way) and no_exit (CR_RESTRICT_MANY_TO: several to ways). 0 also for unusable relations. */
#define CR_RESTRICT_MANY_FROM 1u
#define CR_RESTRICT_MANY_TO 2u
unsigned cr_osm_restriction_members(const struct cr_osm_tag *tags, size_t n);

/* Node access (docs/tags.md section 9): bit per enum cr_vehicle (CAR, MOTORCYCLE, HGV) whose
 * access keys on the node (as for ways: access > vehicle > motor_vehicle > motorcar, ...) say
 * no (or a value read as no: psv, foot, emergency, ...) or agricultural/forestry. A node with
 * such bits blocks those vehicles as a closed barrier would, with or without barrier=*. */
uint8_t cr_osm_node_closed(const struct cr_osm_tag *tags, size_t n);

#endif
