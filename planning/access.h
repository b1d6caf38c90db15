/*
 * Accessibility: for every zone, the opportunities (jobs, population, industrial land...) of all
 * zones reachable from it within each of a few travel times (cumulative opportunities), and
 * optionally a gravity measure sum_j O_j * f(t_ij) with a decay function f, both from a
 * zone-to-zone skim (planning/skim.h).
 *
 * The rules (docs/access.md):
 *   - t_ij is the skim cell's duration in minutes: the travel time of the route optimal for the
 *     session's metric between the zones' representative points.
 *   - Within T means t_ij <= T (inclusive).
 *   - The intra-zonal rule: a zone always reaches its own opportunities at t_ii = 0, also when
 *     its point could not be placed on the network (status no_segment: then its own are all it
 *     reaches).
 *   - Unreachable pairs and zones not placed contribute nothing.
 *   - Opportunities: a numeric value field of the zones (a zone with no value there has 0, and
 *     is counted), or the area in hectares of the zones whose class is one of a list (a proxy
 *     taken from land use, not jobs). Negative values are an error.
 *   - Decay: exp:BETA is f(t) = exp(-BETA * t); power:ALPHA is f(t) = max(t, 1)^-ALPHA (t in
 *     minutes; a pair under a minute, and the zone itself, count in full).
 */
#ifndef CR_PLANNING_ACCESS_H
#define CR_PLANNING_ACCESS_H

#include <stddef.h>

#include "core/error.h"
#include "planning/skim.h"
#include "spatial/zones.h"

#define CR_ACCESS_MAX_THRESHOLDS 16
#define CR_ACCESS_MAX_CLASSES 16
#define CR_ACCESS_MAX_MINUTES 1440.0

/* Where the opportunities come from: a value field, or the area of zones of some classes. */
struct cr_access_source {
    int area;                                /* 1: area:CLASS,...; 0: a value field */
    char field[128];                         /* the field (area: "") */
    char classes[CR_ACCESS_MAX_CLASSES][64]; /* area: the classes counted */
    size_t class_count;                      /* area: how many ("*": 0, every class) */
    char label[256];                         /* what the numbers are, for the output */
};

enum cr_access_decay_kind { CR_DECAY_NONE = 0, CR_DECAY_EXP, CR_DECAY_POWER };

struct cr_access_decay {
    enum cr_access_decay_kind kind;
    double param; /* BETA (per minute) or ALPHA */
};

struct cr_access_options {
    double minutes[CR_ACCESS_MAX_THRESHOLDS]; /* ascending, distinct, in (0, 1440] */
    size_t threshold_count;
    struct cr_access_decay decay;
};

/* One result per zone of the skim. */
struct cr_access_result {
    size_t count;          /* zones */
    size_t thresholds;     /* as in the options */
    double *opportunities; /* [count] each zone's own */
    double *within;        /* [count * thresholds]: zone i, threshold k at i * thresholds + k */
    double *gravity;       /* [count], or NULL without a decay */
    int *placed;           /* [count] the zone's point is on the network */
};

/* "jobs" (a value field) or "area:industrial,commercial" / "area:*" (the area in ha of zones of
 * those classes, every class for *). Errors: an empty text or class list, too many classes, a
 * name too long. */
enum cr_status cr_access_source_parse(const char *text, struct cr_access_source *out,
                                      struct cr_error *err);

/* "30,45,60" (minutes, any order) into O's thresholds, sorted. Errors: not a number, not in
 * (0, 1440], a repeat, more than CR_ACCESS_MAX_THRESHOLDS. */
enum cr_status cr_access_parse_minutes(const char *text, struct cr_access_options *o,
                                       struct cr_error *err);

/* "exp:0.05" or "power:1.5" (a positive finite number) into *OUT. */
enum cr_status cr_access_parse_decay(const char *text, struct cr_access_decay *out,
                                     struct cr_error *err);

/* f(T_MIN) of D (1 for CR_DECAY_NONE). */
double cr_access_decay_value(const struct cr_access_decay *d, double t_min);

/* The column suffix of threshold M: "30min", "7_5min" (7.5). */
void cr_access_threshold_name(double m, char *buf, size_t size);

/* Each zone's opportunities into OUT[z->count] from SRC: the value field (which Z must carry
 * as its first value field: cr_zones_options.value_fields = { field }) or the class areas in
 * ha. *MISSING: zones without a number (0 opportunities). Errors, naming the zones' file and the
 * field: a field holding text that is not a number, no zone with a number, a negative value,
 * area:CLASS on zones without a class field. */
enum cr_status cr_access_opportunities(const struct cr_zones *z, const struct cr_access_source *src,
                                       double *out, size_t *missing, struct cr_error *err);

/* Accessibility of every zone of S with opportunities OPP[s->count] and options O.
 * caller frees: cr_access_fini() */
enum cr_status cr_access_compute(const struct cr_skim *s, const double *opp,
                                 const struct cr_access_options *o, struct cr_access_result *out,
                                 struct cr_error *err);
void cr_access_fini(struct cr_access_result *a);

/* What to write: the zones, the source and options, the result, and AFTER (the same on a
 * scenario network) or NULL. */
struct cr_access_report {
    const struct cr_zones *zones;
    const struct cr_access_source *source;
    const struct cr_access_options *options;
    const struct cr_access_result *before, *after;
};

/* The report as CSV text (caller frees: free()), *LEN its length; NULL when out of memory.
 * Columns: zone,fid,status,opportunities_of,opportunities,within_<T>min...,gravity_<kind>; with
 * AFTER each measure as _before, _after, _change (after - before). */
char *cr_access_csv(const struct cr_access_report *r, size_t *len);

/* The report as a GeoPackage PATH (layer "access": the zones' polygons in their working CRS with
 * the CSV's columns as fields), whole or not at all. */
enum cr_status cr_access_write_gpkg(const struct cr_access_report *r, const char *path,
                                    struct cr_error *err);

#endif
