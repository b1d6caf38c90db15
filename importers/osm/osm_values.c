/*
 * OSM tag values as numbers and enums: maxspeed (with the country speed table of docs/tags.md),
 * weights, lengths, durations, lanes, CEMT, gauge, oneway, access, and the highway, railway
 * and waterway classes corridor imports.
 *
 * Values are read without the C library's locale-dependent functions (no strtod, no ctype), so
 * "7,5 t" means the same everywhere; nothing here allocates.
 */
#include <stdbool.h>
#include <string.h>

#include "importers/osm/osm_tags.h"
#include "importers/osm/osm_tags_text.h"

#define MAX_SPEED_KMH 500      /* above this a maxspeed is a typo */
#define MAX_WEIGHT_KG 1000000  /* 1000 t */
#define MAX_LENGTH_CM 10000    /* 100 m */
#define MAX_DURATION_S 2592000 /* 30 days */
#define MIN_GAUGE_MM 100
#define MAX_GAUGE_MM 3000
#define MAX_LANES 255
#define WALK_KMH 5

#define KMH_PER_MPH 1.609344
#define KMH_PER_KNOT 1.852
#define KG_PER_LB 0.45359237
#define KG_PER_SHORT_TON 907.18474
#define CM_PER_FOOT 30.48
#define CM_PER_INCH 2.54

/* Reads a non-negative decimal number at the start of *S, with '.' or ',' as the decimal mark
 * (one mark, followed by a digit), and moves past it. False when *S does not start with a digit.
 * A huge number becomes infinity, which every range check rejects. */
static bool
take_number(struct span *s, double *out)
{
    size_t i = 0;
    double v = 0.0;
    while (i < s->n && is_digit(s->p[i]))
        v = v * 10.0 + (s->p[i++] - '0');
    if (i == 0)
        return false;
    if (i + 1 < s->n && (s->p[i] == '.' || s->p[i] == ',') && is_digit(s->p[i + 1])) {
        double scale = 0.1;
        i++;
        while (i < s->n && is_digit(s->p[i])) {
            v += (s->p[i++] - '0') * scale;
            scale /= 10.0;
        }
    }
    skip(s, i);
    *out = v;
    return true;
}

/* X rounded to the nearest whole number when that lies in 1..MAX, else CR_PARSE_INVALID (also
 * for NaN and infinity). Zero is invalid: in the way record it would mean "no limit tagged". */
static int64_t
round_in_range(double x, int64_t max)
{
    if (!(x >= 0.0) || !(x < (double)max + 0.5))
        return CR_PARSE_INVALID;
    int64_t r = (int64_t)(x + 0.5);
    return r >= 1 ? r : CR_PARSE_INVALID;
}

struct unit {
    const char *name;
    double factor;
};

/* The factor of the unit named S in UNITS (ends with a NULL name), or 0 when S is none of them. */
static double
unit_factor(struct span s, const struct unit *units)
{
    for (; units->name; units++)
        if (span_is(s, units->name))
            return units->factor;
    return 0.0;
}

/* Parses each ';'-separated part of V with PART and returns the lowest limit. A part that is
 * not understood makes the whole value invalid; parts saying "none" count only when all do. */
static int64_t
parse_list_min(const char *v, int64_t (*part)(struct span))
{
    if (!v)
        return CR_PARSE_INVALID;
    int64_t best = CR_PARSE_NONE;
    const char *p = v;
    for (;;) {
        const char *semi = strchr(p, ';');
        struct span s = { p, semi ? (size_t)(semi - p) : strlen(p) };
        int64_t x = part(trim(s));
        if (x == CR_PARSE_INVALID)
            return CR_PARSE_INVALID;
        if (x != CR_PARSE_NONE && (best == CR_PARSE_NONE || x < best))
            best = x;
        if (!semi)
            return best;
        p = semi + 1;
    }
}

static const char *const none_words[] = { "none", "no", "unlimited", NULL };

/* ---- maxspeed ----------------------------------------------------------------------------- */

/* Implicit limits by country and zone, in km/h (CR_PARSE_NONE: no general limit). Country ""
 * is the fallback for any country. Sources are in docs/tags.md; keep the two in step. */
struct zone_speed {
    const char *country, *zone;
    int kmh;
};

static const struct zone_speed zone_speeds[] = {
    { "VN", "urban", 50 }, /* Circular 31/2019/TT-BGTVT: 60 divided/multi-lane, 50 otherwise */
    { "VN", "rural", 80 }, /* 90 divided/multi-lane, 80 otherwise */
    { "VN", "motorway", 120 },
    { "DE", "urban", 50 }, /* StVO §3 (3) */
    { "DE", "rural", 100 },
    { "DE", "motorway", CR_PARSE_NONE }, /* no general limit; 130 is advisory */
    { "DE", "living_street", WALK_KMH }, /* Schrittgeschwindigkeit */
    { "DE", "bicycle_road", 30 },
    { "AT", "urban", 50 }, /* StVO 1960 §20 (2) */
    { "AT", "rural", 100 },
    { "AT", "motorway", 130 },
    { "AT", "living_street", WALK_KMH }, /* Wohnstraße: Schrittgeschwindigkeit */
    { "FR", "urban", 50 },               /* Code de la route R413-2, R413-3 */
    { "FR", "rural", 80 },
    { "FR", "motorway", 130 },
    { "IT", "urban", 50 }, /* Codice della strada art. 142 */
    { "IT", "rural", 90 },
    { "IT", "trunk", 110 },
    { "IT", "motorway", 130 },
    { "CH", "urban", 50 }, /* VRV Art. 4a */
    { "CH", "rural", 80 },
    { "CH", "trunk", 100 },
    { "CH", "motorway", 120 },
    { "GB", "urban", 48 }, /* 30 mph: restricted road */
    { "GB", "nsl_restricted", 48 },
    { "GB", "rural", 97 }, /* 60 mph: national speed limit, single carriageway */
    { "GB", "nsl_single", 97 },
    { "GB", "nsl_dual", 113 }, /* 70 mph */
    { "GB", "motorway", 113 }, /* 70 mph */
    { "RU", "urban", 60 },     /* ПДД 10.2-10.3 */
    { "RU", "rural", 90 },
    { "RU", "motorway", 110 },
    { "RU", "living_street", 20 },
    { "CZ", "urban", 50 }, /* zákon 361/2000 Sb. §18 */
    { "CZ", "rural", 90 },
    { "CZ", "motorway", 130 },
    { "SK", "urban", 50 }, /* zákon 8/2009 Z.z. §16 */
    { "SK", "rural", 90 },
    { "SK", "motorway", 130 },
    { "HU", "urban", 50 }, /* KRESZ 26. § */
    { "HU", "rural", 90 },
    { "HU", "trunk", 110 },
    { "HU", "motorway", 130 },
    { "PL", "urban", 50 }, /* Prawo o ruchu drogowym art. 20 */
    { "PL", "rural", 90 },
    { "PL", "trunk", 120 },
    { "PL", "motorway", 140 },
    { "", "urban", 50 },
    { "", "rural", 90 },
    { "", "motorway", 120 },
    { "", "living_street", 20 },
    { "", "walk", WALK_KMH },
};

/* Countries whose "zone20"-style numbers are miles per hour. */
static const char *const mph_countries[] = { "GB", "US", NULL };

/* "zone30", "zone:30", "zone 30" -> 30 (in mph for mph countries), or CR_PARSE_INVALID. */
static int64_t
zone_number(struct span zone, bool mph)
{
    int64_t x;
    if (!span_starts(zone, "zone"))
        return CR_PARSE_INVALID;
    skip(&zone, 4);
    if (zone.n && (zone.p[0] == ':' || zone.p[0] == ' ' || zone.p[0] == '_'))
        skip(&zone, 1);
    if (!take_uint(&zone, &x) || zone.n)
        return CR_PARSE_INVALID;
    return round_in_range(mph ? (double)x * KMH_PER_MPH : (double)x, MAX_SPEED_KMH);
}

/* "VN:urban", "DE-BY:rural", "DE:zone30": COUNTRY is two capital letters, optionally followed by
 * a subdivision ("-BY"); only the two letters are looked up. */
static int64_t
zone_speed(struct span country, struct span zone)
{
    if (country.n < 2 || !is_upper(country.p[0]) || !is_upper(country.p[1]))
        return CR_PARSE_INVALID;
    if (country.n > 2) {
        if (country.p[2] != '-' || country.n < 4 || country.n > 6)
            return CR_PARSE_INVALID;
        for (size_t i = 3; i < country.n; i++)
            if (!is_upper(country.p[i]) && !is_digit(country.p[i]))
                return CR_PARSE_INVALID;
    }
    char cc[3] = { country.p[0], country.p[1], '\0' };
    const size_t count = sizeof zone_speeds / sizeof zone_speeds[0];
    for (size_t i = 0; i < count; i++)
        if (strcmp(zone_speeds[i].country, cc) == 0 && span_is(zone, zone_speeds[i].zone))
            return zone_speeds[i].kmh;
    for (size_t i = 0; i < count; i++)
        if (zone_speeds[i].country[0] == '\0' && span_is(zone, zone_speeds[i].zone))
            return zone_speeds[i].kmh;
    return zone_number(zone, str_is_any(cc, mph_countries));
}

static int64_t
maxspeed_part(struct span s)
{
    static const struct unit units[] = {
        { "", 1.0 },
        { "km/h", 1.0 },
        { "kmh", 1.0 },
        { "kph", 1.0 },
        { "mph", KMH_PER_MPH },
        { "knots", KMH_PER_KNOT },
        { "kn", KMH_PER_KNOT },
        { NULL, 0.0 },
    };
    double x, factor;
    if (span_is_any(s, none_words))
        return CR_PARSE_NONE;
    if (span_is(s, "walk"))
        return WALK_KMH;
    if (span_starts(s, "zone"))
        return zone_number(s, false);
    const char *colon = s.n ? memchr(s.p, ':', s.n) : NULL;
    if (colon) {
        struct span country = { s.p, (size_t)(colon - s.p) };
        struct span zone = { colon + 1, s.n - country.n - 1 };
        return zone_speed(country, zone);
    }
    if (!take_number(&s, &x))
        return CR_PARSE_INVALID;
    factor = unit_factor(trim(s), units);
    if (factor == 0.0)
        return CR_PARSE_INVALID;
    return round_in_range(x * factor, MAX_SPEED_KMH);
}

int
cr_osm_parse_maxspeed(const char *v)
{
    return (int)parse_list_min(v, maxspeed_part);
}

/* ---- weights and lengths ------------------------------------------------------------------ */

static int64_t
weight_part(struct span s)
{
    static const char *const no_limit[] = { "none", "no", "unlimited", "unsigned", NULL };
    static const struct unit units[] = {
        { "", 1000.0 },       { "t", 1000.0 },
        { "ton", 1000.0 },    { "tons", 1000.0 },
        { "tonne", 1000.0 },  { "tonnes", 1000.0 },
        { "kg", 1.0 },        { "lb", KG_PER_LB },
        { "lbs", KG_PER_LB }, { "st", KG_PER_SHORT_TON },
        { NULL, 0.0 },
    };
    double x, factor;
    if (span_is_any(s, no_limit))
        return CR_PARSE_NONE;
    if (!take_number(&s, &x))
        return CR_PARSE_INVALID;
    factor = unit_factor(trim(s), units);
    if (factor == 0.0)
        return CR_PARSE_INVALID;
    return round_in_range(x * factor, MAX_WEIGHT_KG);
}

int64_t
cr_osm_parse_weight_kg(const char *v)
{
    return parse_list_min(v, weight_part);
}

static const char *const feet_marks[] = { "'", "ft", "feet", "foot", NULL };
static const char *const inch_marks[] = { "\"", "in", "inch", "inches", NULL };

/* Moves past one of MARKS at the start of *S (the longest that fits); false when none does. */
static bool
take_mark(struct span *s, const char *const *marks)
{
    size_t best = 0;
    for (; *marks; marks++)
        if (span_starts(*s, *marks) && strlen(*marks) > best)
            best = strlen(*marks);
    if (best == 0)
        return false;
    skip(s, best);
    return true;
}

static int64_t
length_part(struct span s)
{
    static const struct unit units[] = {
        { "", 100.0 }, { "m", 100.0 }, { "cm", 1.0 }, { "mm", 0.1 }, { NULL, 0.0 },
    };
    double x, factor;
    if (span_is_any(s, none_words))
        return CR_PARSE_NONE;
    if (!take_number(&s, &x))
        return CR_PARSE_INVALID;
    s = trim(s);
    if (take_mark(&s, feet_marks)) {
        double inches = 0.0;
        s = trim(s);
        if (s.n) { /* 14'6", 14' 6", 14 ft 6 in, 14'6 */
            if (!take_number(&s, &inches) || !(inches < 12.0))
                return CR_PARSE_INVALID;
            s = trim(s);
            take_mark(&s, inch_marks);
            if (s.n)
                return CR_PARSE_INVALID;
        }
        return round_in_range(x * CM_PER_FOOT + inches * CM_PER_INCH, MAX_LENGTH_CM);
    }
    if (take_mark(&s, inch_marks)) {
        if (s.n)
            return CR_PARSE_INVALID;
        return round_in_range(x * CM_PER_INCH, MAX_LENGTH_CM);
    }
    factor = unit_factor(s, units);
    if (factor == 0.0)
        return CR_PARSE_INVALID;
    return round_in_range(x * factor, MAX_LENGTH_CM);
}

int
cr_osm_parse_length_cm(const char *v)
{
    return (int)parse_list_min(v, length_part);
}

/* ---- duration, lanes, CEMT, gauge --------------------------------------------------------- */

/* ISO 8601 "P[nW][nD][T[nH][nM][nS]]", S starting at 'P'. */
static bool
iso_duration(struct span s, double *out)
{
    static const char designators[] = "WDHMS";
    static const double seconds[] = { 604800.0, 86400.0, 3600.0, 60.0, 1.0 };
    size_t next = 0; /* the first designator still allowed: they come in this order */
    bool in_time = false, any = false;
    double total = 0.0;
    skip(&s, 1);
    while (s.n) {
        double x;
        if (!in_time && (s.p[0] == 'T' || s.p[0] == 't')) {
            in_time = true;
            next = 2;
            skip(&s, 1);
            if (!s.n)
                return false;
            continue;
        }
        if (!take_number(&s, &x) || !s.n)
            return false;
        char d = s.p[0] >= 'a' && s.p[0] <= 'z' ? (char)(s.p[0] - 'a' + 'A') : s.p[0];
        const char *at = d ? strchr(designators + next, d) : NULL;
        if (!at)
            return false;
        size_t k = (size_t)(at - designators);
        if (in_time != (k >= 2))
            return false;
        total += x * seconds[k];
        next = k + 1;
        any = true;
        skip(&s, 1);
    }
    *out = total;
    return any;
}

/* "h:mm" or "h:mm:ss", whole numbers, minutes and seconds below 60. */
static bool
clock_duration(struct span s, double *out)
{
    int64_t field[3] = { 0, 0, 0 };
    size_t count = 0;
    for (;;) {
        if (count == 3 || !take_uint(&s, &field[count]))
            return false;
        count++;
        if (!s.n)
            break;
        if (s.p[0] != ':')
            return false;
        skip(&s, 1);
    }
    if (count < 2 || field[1] >= 60 || (count == 3 && field[2] >= 60))
        return false;
    *out = (double)field[0] * 3600.0 + (double)field[1] * 60.0 + (count == 3 ? field[2] : 0);
    return true;
}

int
cr_osm_parse_duration_s(const char *v)
{
    static const char *const minutes[] = { "", "min", NULL };
    struct span s = trim(span_of(v));
    double secs;
    if (!v || !s.n)
        return CR_PARSE_INVALID;
    if (s.p[0] == 'P' || s.p[0] == 'p') {
        if (!iso_duration(s, &secs))
            return CR_PARSE_INVALID;
    } else if (memchr(s.p, ':', s.n)) {
        if (!clock_duration(s, &secs))
            return CR_PARSE_INVALID;
    } else {
        if (!take_number(&s, &secs) || !span_is_any(trim(s), minutes))
            return CR_PARSE_INVALID;
        secs *= 60.0;
    }
    return (int)round_in_range(secs, MAX_DURATION_S);
}

static int64_t
lanes_part(struct span s)
{
    int64_t x;
    if (!take_uint(&s, &x) || s.n || x < 1 || x > MAX_LANES)
        return CR_PARSE_INVALID;
    return x;
}

int
cr_osm_parse_lanes(const char *v)
{
    int64_t x = parse_list_min(v, lanes_part);
    return x == CR_PARSE_NONE ? CR_PARSE_INVALID : (int)x; /* lanes_part never says "none" */
}

int
cr_osm_parse_cemt(const char *v)
{
    static const char *const classes[] = { "0",  "I",   "II",  "III", "IV", "Va",
                                           "Vb", "VIa", "VIb", "VIc", "VII" };
    struct span s = trim(span_of(v));
    if (!v)
        return CR_PARSE_INVALID;
    for (size_t i = 0; i < sizeof classes / sizeof classes[0]; i++)
        if (span_is(s, classes[i]))
            return (int)i;
    return CR_PARSE_INVALID;
}

int
cr_osm_parse_gauge_mm(const char *v)
{
    static const char *const mm[] = { "", "mm", NULL };
    int64_t x;
    if (!v)
        return CR_PARSE_INVALID;
    const char *semi = strchr(v, ';');
    struct span s = trim((struct span){ v, semi ? (size_t)(semi - v) : strlen(v) });
    if (!take_uint(&s, &x) || !span_is_any(trim(s), mm) || x < MIN_GAUGE_MM || x > MAX_GAUGE_MM)
        return CR_PARSE_INVALID;
    return (int)x;
}

/* ---- enumerated values -------------------------------------------------------------------- */

enum cr_oneway
cr_osm_parse_oneway(const char *v)
{
    static const char *const forward[] = { "yes", "true", "1", NULL };
    static const char *const backward[] = { "-1", "reverse", NULL };
    /* alternating: one lane both ways in turn (traffic lights, a narrow bridge), minutes apart,
     * so usable both ways as OSRM does; reversible: hours apart, usable by no profile */
    static const char *const no[] = { "no", "false", "0", "alternating", NULL };
    static const char *const reversible[] = { "reversible", NULL };
    if (str_is_any(v, forward))
        return CR_ONEWAY_FORWARD;
    if (str_is_any(v, backward))
        return CR_ONEWAY_BACKWARD;
    if (str_is_any(v, no))
        return CR_ONEWAY_NO;
    if (str_is_any(v, reversible))
        return CR_ONEWAY_REVERSIBLE;
    return CR_ONEWAY_UNKNOWN;
}

enum cr_access
cr_osm_parse_access(const char *v)
{
    static const char *const yes[] = { "yes",      "permissive",  "designated",
                                       "official", "discouraged", NULL };
    /* a road kept for someone else (buses, taxis, walkers, the army, emergency services) is
     * closed to the vehicles corridor routes */
    static const char *const no[] = { "no",   "use_sidepath", "psv",      "bus",        "taxi",
                                      "foot", "emergency",    "military", "restricted", NULL };
    static const char *const destination[] = { "destination", "delivery", "customers", "customer",
                                               NULL };
    static const char *const private_[] = { "private", "permit", "residents", NULL };
    static const char *const agricultural[] = { "agricultural", "forestry", "agricultural;forestry",
                                                "forestry;agricultural", NULL };
    if (str_is_any(v, yes))
        return CR_ACCESS_YES;
    if (str_is_any(v, no))
        return CR_ACCESS_NO;
    if (str_is_any(v, destination))
        return CR_ACCESS_DESTINATION;
    if (str_is_any(v, private_))
        return CR_ACCESS_PRIVATE;
    if (str_is_any(v, agricultural))
        return CR_ACCESS_AGRICULTURAL;
    return CR_ACCESS_UNKNOWN;
}

int
cr_osm_road_class(const char *highway)
{
    static const char *const names[CR_ROAD_CLASS_COUNT] = {
        [CR_ROAD_MOTORWAY] = "motorway",
        [CR_ROAD_MOTORWAY_LINK] = "motorway_link",
        [CR_ROAD_TRUNK] = "trunk",
        [CR_ROAD_TRUNK_LINK] = "trunk_link",
        [CR_ROAD_PRIMARY] = "primary",
        [CR_ROAD_PRIMARY_LINK] = "primary_link",
        [CR_ROAD_SECONDARY] = "secondary",
        [CR_ROAD_SECONDARY_LINK] = "secondary_link",
        [CR_ROAD_TERTIARY] = "tertiary",
        [CR_ROAD_TERTIARY_LINK] = "tertiary_link",
        [CR_ROAD_UNCLASSIFIED] = "unclassified",
        [CR_ROAD_RESIDENTIAL] = "residential",
        [CR_ROAD_LIVING_STREET] = "living_street",
        [CR_ROAD_SERVICE] = "service",
        [CR_ROAD_TRACK] = "track",
        [CR_ROAD_ROAD] = "road",
    };
    return index_of(highway, names, CR_ROAD_CLASS_COUNT);
}

int
cr_osm_rail_class(const char *railway)
{
    static const char *const names[CR_RAIL_CLASS_COUNT] = {
        [CR_RAIL_RAIL] = "rail",
        [CR_RAIL_LIGHT_RAIL] = "light_rail",
        [CR_RAIL_NARROW_GAUGE] = "narrow_gauge",
    };
    return index_of(railway, names, CR_RAIL_CLASS_COUNT);
}

int
cr_osm_water_class(const char *waterway)
{
    static const char *const names[CR_WATER_CLASS_COUNT] = {
        [CR_WATER_RIVER] = "river",
        [CR_WATER_CANAL] = "canal",
        [CR_WATER_FAIRWAY] = "fairway",
    };
    return index_of(waterway, names, CR_WATER_CLASS_COUNT);
}
