/*
 * What OSM tags mean for corridor: value parsers, way classification, node barriers, terminals
 * and turn restrictions. The rules and the country speed table are described in docs/tags.md.
 *
 * Values are read without the C library's locale-dependent functions (no strtod, no ctype), so
 * "7,5 t" means the same everywhere; nothing here allocates.
 */
#include "importers/osm/osm_tags.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define GROUP_BIT(g) (1u << (g))
#define ROAD_BIT GROUP_BIT(CR_GROUP_ROAD)
#define RAIL_BIT GROUP_BIT(CR_GROUP_RAIL)
#define WATER_BIT GROUP_BIT(CR_GROUP_WATER)

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

const char *
cr_osm_tag_get(const struct cr_osm_tag *tags, size_t n, const char *key)
{
    if (!tags || !key)
        return NULL;
    for (size_t i = 0; i < n; i++) /* the first byte first: most keys differ there */
        if (tags[i].key && tags[i].key[0] == key[0] && strcmp(tags[i].key, key) == 0)
            return tags[i].value;
    return NULL;
}

/* Whether any of the tags could make a way corridor imports (highway, route, railway,
 * waterway), so buildings and the like are dismissed before their attributes are parsed. */
static bool
may_be_imported(const struct cr_osm_tag *tags, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *k = tags[i].key;
        if (!k)
            continue;
        if ((k[0] == 'h' && !strcmp(k, "highway")) || (k[0] == 'r' && !strcmp(k, "route")) ||
            (k[0] == 'r' && !strcmp(k, "railway")) || (k[0] == 'w' && !strcmp(k, "waterway")))
            return true;
    }
    return false;
}

/* ---- characters and spans ---------------------------------------------------------------- */

/* A piece of a tag value: not NUL-terminated. */
struct span {
    const char *p;
    size_t n;
};

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool
is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static char
to_lower(char c)
{
    return is_upper(c) ? (char)(c - 'A' + 'a') : c;
}

static struct span
span_of(const char *s)
{
    struct span r = { s, s ? strlen(s) : 0 };
    return r;
}

static struct span
trim(struct span s)
{
    while (s.n && is_space(s.p[0])) {
        s.p++;
        s.n--;
    }
    while (s.n && is_space(s.p[s.n - 1]))
        s.n--;
    return s;
}

static void
skip(struct span *s, size_t k)
{
    s->p += k;
    s->n -= k;
}

/* Whether S is WORD, ignoring ASCII case. */
static bool
span_is(struct span s, const char *word)
{
    size_t n = strlen(word);
    if (s.n != n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (to_lower(s.p[i]) != to_lower(word[i]))
            return false;
    return true;
}

/* Whether S starts with WORD, ignoring ASCII case. */
static bool
span_starts(struct span s, const char *word)
{
    size_t n = strlen(word);
    if (s.n < n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (to_lower(s.p[i]) != to_lower(word[i]))
            return false;
    return true;
}

/* Whether S is one of WORDS (NULL-terminated), ignoring ASCII case. */
static bool
span_is_any(struct span s, const char *const *words)
{
    for (; *words; words++)
        if (span_is(s, *words))
            return true;
    return false;
}

static bool
streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static bool
str_is_any(const char *s, const char *const *words)
{
    if (!s)
        return false;
    for (; *words; words++)
        if (strcmp(s, *words) == 0)
            return true;
    return false;
}

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

/* Reads a whole number of at most 9 digits at the start of *S and moves past it. */
static bool
take_uint(struct span *s, int64_t *out)
{
    size_t i = 0;
    int64_t v = 0;
    while (i < s->n && is_digit(s->p[i])) {
        if (i == 9)
            return false;
        v = v * 10 + (s->p[i++] - '0');
    }
    if (i == 0)
        return false;
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

/* The index of V in NAMES (count entries), or -1. */
static int
index_of(const char *v, const char *const *names, size_t count)
{
    if (!v)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (strcmp(v, names[i]) == 0)
            return (int)i;
    return -1;
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

/* ---- ways --------------------------------------------------------------------------------- */

/* How strict an access value is, for choosing between motorboat and ship. */
static int
strictness(enum cr_access a)
{
    switch (a) {
    case CR_ACCESS_YES:
        return 1;
    case CR_ACCESS_DESTINATION:
        return 2;
    case CR_ACCESS_PRIVATE:
        return 3;
    case CR_ACCESS_AGRICULTURAL:
        return 4;
    case CR_ACCESS_NO:
        return 5;
    case CR_ACCESS_UNKNOWN:
        break;
    }
    return 0;
}

/* Walks KEYS from the most general to the most specific: each value understood replaces the one
 * before, values not understood leave it. */
static enum cr_access
access_chain(const struct cr_osm_tag *tags, size_t n, const char *const *keys)
{
    enum cr_access a = CR_ACCESS_UNKNOWN;
    for (; *keys; keys++) {
        enum cr_access b = cr_osm_parse_access(cr_osm_tag_get(tags, n, *keys));
        if (b != CR_ACCESS_UNKNOWN)
            a = b;
    }
    return a;
}

/* The access keys of each road vehicle, general -> specific (docs/tags.md section 5). */
static const char *const car_keys[] = { "access", "vehicle", "motor_vehicle", "motorcar", NULL };
static const char *const motorcycle_keys[] = { "access", "vehicle", "motor_vehicle", "motorcycle",
                                               NULL };
static const char *const hgv_keys[] = {
    "access", "vehicle", "motor_vehicle", "goods", "hgv", NULL
};
static const char *const *const road_keys[] = { [CR_VEHICLE_CAR] = car_keys,
                                                [CR_VEHICLE_MOTORCYCLE] = motorcycle_keys,
                                                [CR_VEHICLE_HGV] = hgv_keys };
#define ROAD_VEHICLES 3 /* CAR, MOTORCYCLE, HGV: the slots with road access keys */
#define ROAD_VEHICLE_BITS                                                                          \
    ((1u << CR_VEHICLE_CAR) | (1u << CR_VEHICLE_MOTORCYCLE) | (1u << CR_VEHICLE_HGV))

/* As access_chain, in one direction: after each key, KEY:SUFFIX ("forward", "backward") at the
 * same level, so motorcar=no beats access:forward=yes and motorcar:forward=yes beats
 * motorcar=no (OSRM's car profile reads them in this order too). */
static enum cr_access
access_chain_dir(const struct cr_osm_tag *tags, size_t n, const char *const *keys,
                 const char *suffix)
{
    enum cr_access a = CR_ACCESS_UNKNOWN;
    char key[48];
    for (; *keys; keys++) {
        enum cr_access b = cr_osm_parse_access(cr_osm_tag_get(tags, n, *keys));
        if (b != CR_ACCESS_UNKNOWN)
            a = b;
        snprintf(key, sizeof key, "%s:%s", *keys, suffix);
        b = cr_osm_parse_access(cr_osm_tag_get(tags, n, key));
        if (b != CR_ACCESS_UNKNOWN)
            a = b;
    }
    return a;
}

/* Access per road vehicle and direction: the slot gets the open direction's value, and a
 * direction whose value is NO while the other's is not sets the vehicle's bit in *closed_fwd /
 * *closed_bwd. Two different values that are not NO: the stricter goes in the slot. */
static void
resolve_road_access(const struct cr_osm_tag *tags, size_t n, uint8_t access[CR_VEHICLE_COUNT],
                    unsigned *closed_fwd, unsigned *closed_bwd)
{
    for (int v = 0; v < ROAD_VEHICLES; v++) {
        enum cr_access f = access_chain_dir(tags, n, road_keys[v], "forward");
        enum cr_access b = access_chain_dir(tags, n, road_keys[v], "backward");
        if (f == b) {
            access[v] = (uint8_t)f;
        } else if (f == CR_ACCESS_NO) {
            access[v] = (uint8_t)b;
            *closed_fwd |= 1u << v;
        } else if (b == CR_ACCESS_NO) {
            access[v] = (uint8_t)f;
            *closed_bwd |= 1u << v;
        } else {
            access[v] = (uint8_t)(strictness(f) >= strictness(b) ? f : b);
        }
    }
}

static void
resolve_access(const struct cr_osm_tag *tags, size_t n, uint8_t access[CR_VEHICLE_COUNT])
{
    static const char *const boat[] = { "access", "boat", NULL };
    for (int v = 0; v < ROAD_VEHICLES; v++)
        access[v] = (uint8_t)access_chain(tags, n, road_keys[v]);

    /* motorboat and ship are both more specific than boat; when both say something, the
     * stricter wins */
    enum cr_access b = access_chain(tags, n, boat);
    enum cr_access motorboat = cr_osm_parse_access(cr_osm_tag_get(tags, n, "motorboat"));
    enum cr_access ship = cr_osm_parse_access(cr_osm_tag_get(tags, n, "ship"));
    enum cr_access specific = strictness(ship) > strictness(motorboat) ? ship : motorboat;
    if (specific != CR_ACCESS_UNKNOWN)
        b = specific;
    access[CR_VEHICLE_BOAT] = (uint8_t)b;
}

/* A maxspeed value as stored: CR_SPEED_NONE, km/h, or CR_SPEED_UNKNOWN. */
static uint16_t
speed_field(int64_t kmh)
{
    if (kmh == CR_PARSE_NONE)
        return CR_SPEED_NONE;
    return kmh >= 1 ? (uint16_t)kmh : CR_SPEED_UNKNOWN;
}

/* The lower of two parsed limits, ignoring "invalid" and "none"; 0 when neither is a limit. */
static int64_t
lower_limit(int64_t a, int64_t b)
{
    if (a < 1)
        return b < 1 ? 0 : b;
    if (b < 1)
        return a;
    return a < b ? a : b;
}

static int64_t
length_tag(const struct cr_osm_tag *tags, size_t n, const char *key)
{
    return cr_osm_parse_length_cm(cr_osm_tag_get(tags, n, key));
}

static int64_t
weight_tag(const struct cr_osm_tag *tags, size_t n, const char *key)
{
    return cr_osm_parse_weight_kg(cr_osm_tag_get(tags, n, key));
}

/* Whether a tag value is present and not "no". */
static bool
present_not_no(const char *v)
{
    return v && strcmp(v, "no") != 0;
}

/* hazmat=no or hazmat:<anything>=no */
static bool
hazmat_no(const struct cr_osm_tag *tags, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (tags[i].key && strncmp(tags[i].key, "hazmat", 6) == 0 &&
            (tags[i].key[6] == '\0' || tags[i].key[6] == ':') && streq(tags[i].value, "no"))
            return true;
    return false;
}

static bool
unpaved(const struct cr_osm_tag *tags, size_t n)
{
    static const char *const surfaces[] = { "unpaved", "gravel",    "fine_gravel", "dirt",
                                            "ground",  "earth",     "sand",        "mud",
                                            "grass",   "compacted", NULL };
    static const char *const grades[] = { "grade3", "grade4", "grade5", NULL };
    return str_is_any(cr_osm_tag_get(tags, n, "surface"), surfaces) ||
           str_is_any(cr_osm_tag_get(tags, n, "tracktype"), grades);
}

/* layer=* as a whole number clamped to -5..5; untagged or not understood: +1 on a bridge, -1
 * in a tunnel, else 0. */
static int
way_layer(const struct cr_osm_tag *tags, size_t n, unsigned flags)
{
    const char *v = cr_osm_tag_get(tags, n, "layer");
    struct span s = trim(span_of(v));
    int64_t x;
    int neg = 0;
    if (s.n > 0 && (s.p[0] == '-' || s.p[0] == '+')) {
        neg = s.p[0] == '-';
        skip(&s, 1);
    }
    if (v && take_uint(&s, &x) && s.n == 0) {
        x = neg ? -x : x;
        return x < -5 ? -5 : x > 5 ? 5 : (int)x;
    }
    if (flags & CR_WAY_BRIDGE)
        return 1;
    if (flags & CR_WAY_TUNNEL)
        return -1;
    return 0;
}

/* What every kind of way may carry: speeds, access, limits, flags, lanes, names. */
static void
common_attrs(const struct cr_osm_tag *tags, size_t n, struct cr_way_info *w)
{
    struct cr_way_attr *a = &w->attr;
    static const char *const circular[] = { "roundabout", "circular", NULL };
    int64_t both = cr_osm_parse_maxspeed(cr_osm_tag_get(tags, n, "maxspeed"));
    int64_t fwd = cr_osm_parse_maxspeed(cr_osm_tag_get(tags, n, "maxspeed:forward"));
    int64_t bwd = cr_osm_parse_maxspeed(cr_osm_tag_get(tags, n, "maxspeed:backward"));
    a->maxspeed_fwd_kmh = speed_field(fwd == CR_PARSE_INVALID ? both : fwd);
    a->maxspeed_bwd_kmh = speed_field(bwd == CR_PARSE_INVALID ? both : bwd);

    a->maxweight_kg = (uint32_t)lower_limit(weight_tag(tags, n, "maxweight"),
                                            weight_tag(tags, n, "maxweight:hgv"));
    a->maxaxleload_kg = (uint32_t)lower_limit(weight_tag(tags, n, "maxaxleload"), 0);
    a->maxheight_cm = (uint16_t)lower_limit(length_tag(tags, n, "maxheight"),
                                            length_tag(tags, n, "maxheight:physical"));
    a->maxwidth_cm = (uint16_t)lower_limit(length_tag(tags, n, "maxwidth"), 0);
    a->maxlength_cm = (uint16_t)lower_limit(length_tag(tags, n, "maxlength"), 0);

    int lanes = cr_osm_parse_lanes(cr_osm_tag_get(tags, n, "lanes"));
    a->lanes = lanes >= 1 ? (uint8_t)lanes : 0;

    unsigned flags = 0;
    if (streq(cr_osm_tag_get(tags, n, "toll"), "yes") ||
        streq(cr_osm_tag_get(tags, n, "toll:hgv"), "yes"))
        flags |= CR_WAY_TOLL;
    if (present_not_no(cr_osm_tag_get(tags, n, "bridge")))
        flags |= CR_WAY_BRIDGE;
    if (present_not_no(cr_osm_tag_get(tags, n, "tunnel")))
        flags |= CR_WAY_TUNNEL;
    if (hazmat_no(tags, n))
        flags |= CR_WAY_HAZMAT_NO;
    if (streq(cr_osm_tag_get(tags, n, "motorroad"), "yes"))
        flags |= CR_WAY_MOTORROAD;
    if (streq(cr_osm_tag_get(tags, n, "hgv"), "designated"))
        flags |= CR_WAY_HGV_DESIGNATED;
    if (unpaved(tags, n))
        flags |= CR_WAY_UNPAVED;
    if (str_is_any(cr_osm_tag_get(tags, n, "junction"), circular))
        flags |= CR_WAY_ROUNDABOUT;
    a->flags = (uint16_t)flags;

    resolve_access(tags, n, a->access);
    {
        unsigned closed_f = 0, closed_b = 0; /* open one way is not "no" (road_usable) */
        resolve_road_access(tags, n, a->access, &closed_f, &closed_b);
    }
    a->layer = (int8_t)way_layer(tags, n, flags);
    w->name = cr_osm_tag_get(tags, n, "name");
    w->ref = cr_osm_tag_get(tags, n, "ref");
}

static uint8_t
rail_usage(const char *v)
{
    static const char *const names[] = { "main", "branch", "industrial", "military", "tourism" };
    if (!v)
        return CR_USAGE_NONE;
    int i = index_of(v, names, sizeof names / sizeof names[0]);
    return (uint8_t)(i >= 0 ? CR_USAGE_MAIN + i : CR_USAGE_OTHER);
}

static uint8_t
rail_service(const char *v)
{
    static const char *const names[] = { "yard", "siding", "spur", "crossover" };
    if (!v)
        return CR_SERVICE_NONE;
    int i = index_of(v, names, sizeof names / sizeof names[0]);
    return (uint8_t)(i >= 0 ? CR_SERVICE_YARD + i : CR_SERVICE_OTHER);
}

/* Whether a road with these tags is one corridor routes on (the class is already known). */
static bool
road_usable(const struct cr_osm_tag *tags, size_t n, const uint8_t access[CR_VEHICLE_COUNT])
{
    /* works on a road that stays open: widening, minor repairs (OSRM's list); proposed=* on a
     * road of a real class is a planned upgrade of a road in use, not a closure */
    static const char *const open_construction[] = { "no", "minor", "widening", NULL };
    const char *construction = cr_osm_tag_get(tags, n, "construction");
    if (streq(cr_osm_tag_get(tags, n, "area"), "yes"))
        return false;
    if (construction && !str_is_any(construction, open_construction))
        return false;
    /* a fire lane or emergency access road: closed to the vehicles corridor routes */
    if (streq(cr_osm_tag_get(tags, n, "highway"), "service") &&
        streq(cr_osm_tag_get(tags, n, "service"), "emergency_access"))
        return false;
    return !(access[CR_VEHICLE_CAR] == CR_ACCESS_NO &&
             access[CR_VEHICLE_MOTORCYCLE] == CR_ACCESS_NO &&
             access[CR_VEHICLE_HGV] == CR_ACCESS_NO);
}

/* One road vehicle's oneway: the way's (implied included), then oneway:<key> for KEYS from the
 * general to the specific; a value other than yes/-1/no leaves the one before. */
static enum cr_oneway
vehicle_oneway(const struct cr_osm_tag *tags, size_t n, enum cr_oneway base,
               const char *const *keys)
{
    enum cr_oneway o = base;
    for (; *keys; keys++) {
        enum cr_oneway x = cr_osm_parse_oneway(cr_osm_tag_get(tags, n, *keys));
        if (x == CR_ONEWAY_FORWARD || x == CR_ONEWAY_BACKWARD || x == CR_ONEWAY_NO)
            o = x;
    }
    return o;
}

/* Per-vehicle directions of a road or ferry (docs/tags.md section 6): directional access
 * (access:forward, motorcar:backward, ...) and oneway:<vehicle> close a direction for some
 * vehicles; W->oneway becomes the direction(s) any road vehicle may use (so the edges exist),
 * and attr.closed_fwd / closed_bwd keep, per vehicle, the directions it may not use where an
 * edge exists. Returns 0 when no road vehicle may use either direction. */
static bool
road_directions(const struct cr_osm_tag *tags, size_t n, struct cr_way_info *w)
{
    static const char *const car[] = { "oneway:vehicle", "oneway:motor_vehicle", "oneway:motorcar",
                                       NULL };
    static const char *const motorcycle[] = { "oneway:vehicle", "oneway:motor_vehicle",
                                              "oneway:moped", "oneway:motorcycle", NULL };
    static const char *const hgv[] = { "oneway:vehicle", "oneway:motor_vehicle", NULL };
    static const char *const *const keys[ROAD_VEHICLES] = {
        [CR_VEHICLE_CAR] = car, [CR_VEHICLE_MOTORCYCLE] = motorcycle, [CR_VEHICLE_HGV] = hgv
    };
    struct cr_way_attr *a = &w->attr;
    unsigned fwd = 0, bwd = 0; /* vehicles closed in each direction */
    bool fwd_open, bwd_open;

    resolve_road_access(tags, n, a->access, &fwd, &bwd);
    if (w->oneway != CR_ONEWAY_REVERSIBLE) {
        for (int v = 0; v < ROAD_VEHICLES; v++) {
            enum cr_oneway o = vehicle_oneway(tags, n, w->oneway, keys[v]);
            if (o == CR_ONEWAY_FORWARD)
                bwd |= 1u << v;
            else if (o == CR_ONEWAY_BACKWARD)
                fwd |= 1u << v;
        }
    }
    for (int v = 0; v < ROAD_VEHICLES; v++) /* a slot that says no closes both directions */
        if (a->access[v] == CR_ACCESS_NO)
            fwd |= 1u << v, bwd |= 1u << v;
    fwd_open = (fwd & ROAD_VEHICLE_BITS) != ROAD_VEHICLE_BITS;
    bwd_open = (bwd & ROAD_VEHICLE_BITS) != ROAD_VEHICLE_BITS;
    if (!fwd_open && !bwd_open)
        return a->mode == CR_MODE_FERRY; /* a foot ferry stays: the profile leaves it out */
    if (w->oneway != CR_ONEWAY_REVERSIBLE)
        w->oneway = fwd_open && bwd_open ? CR_ONEWAY_NO
                    : fwd_open           ? CR_ONEWAY_FORWARD
                                         : CR_ONEWAY_BACKWARD;
    /* a direction without an edge needs no bits; a slot that says no needs none either */
    for (int v = 0; v < ROAD_VEHICLES; v++)
        if (a->access[v] == CR_ACCESS_NO)
            fwd &= ~(1u << v), bwd &= ~(1u << v);
    a->closed_fwd = (uint8_t)(fwd_open ? fwd : 0);
    a->closed_bwd = (uint8_t)(bwd_open ? bwd : 0);
    return true;
}

int
cr_osm_way_classify(const struct cr_osm_tag *tags, size_t n, unsigned modes,
                    struct cr_way_info *info)
{
    struct cr_way_info w;
    int klass;
    memset(&w, 0, sizeof w);
    if (info)
        *info = w;
    if (!tags)
        n = 0;
    if (!may_be_imported(tags, n))
        return 0;
    common_attrs(tags, n, &w);

    struct cr_way_attr *a = &w.attr;
    const char *route = cr_osm_tag_get(tags, n, "route");
    if ((modes & ROAD_BIT) &&
        (klass = cr_osm_road_class(cr_osm_tag_get(tags, n, "highway"))) >= 0 &&
        road_usable(tags, n, a->access)) {
        a->mode = CR_MODE_ROAD;
        a->klass = (uint8_t)klass;
    } else if ((modes & ROAD_BIT) && streq(route, "ferry")) {
        int duration = cr_osm_parse_duration_s(cr_osm_tag_get(tags, n, "duration"));
        a->mode = CR_MODE_FERRY;
        a->klass = 0;
        a->duration_s = duration >= 1 ? (uint32_t)duration : 0;
    } else if ((modes & RAIL_BIT) &&
               (klass = cr_osm_rail_class(cr_osm_tag_get(tags, n, "railway"))) >= 0) {
        int gauge = cr_osm_parse_gauge_mm(cr_osm_tag_get(tags, n, "gauge"));
        a->mode = CR_MODE_RAIL;
        a->klass = (uint8_t)klass;
        a->rail_usage = rail_usage(cr_osm_tag_get(tags, n, "usage"));
        a->rail_service = rail_service(cr_osm_tag_get(tags, n, "service"));
        a->gauge_mm = gauge >= 1 ? (uint16_t)gauge : 0;
        if (present_not_no(cr_osm_tag_get(tags, n, "electrified")))
            a->flags |= CR_WAY_ELECTRIFIED;
    } else if ((modes & WATER_BIT) &&
               (klass = cr_osm_water_class(cr_osm_tag_get(tags, n, "waterway"))) >= 0) {
        const char *cemt = cr_osm_tag_get(tags, n, "CEMT");
        int c = cr_osm_parse_cemt(cemt ? cemt : cr_osm_tag_get(tags, n, "cemt"));
        a->mode = CR_MODE_WATER;
        a->klass = (uint8_t)klass;
        a->cemt = c >= 0 ? (uint8_t)c : 0;
        if (streq(cr_osm_tag_get(tags, n, "lock"), "yes"))
            a->flags |= CR_WAY_LOCK;
    } else {
        return 0;
    }

    w.oneway = cr_osm_parse_oneway(cr_osm_tag_get(tags, n, "oneway"));
    if (w.oneway == CR_ONEWAY_UNKNOWN) {
        bool implied = a->mode == CR_MODE_ROAD &&
                       (a->klass == CR_ROAD_MOTORWAY || a->klass == CR_ROAD_MOTORWAY_LINK ||
                        (a->flags & CR_WAY_ROUNDABOUT));
        w.oneway = implied ? CR_ONEWAY_FORWARD : CR_ONEWAY_NO;
    }
    if ((a->mode == CR_MODE_ROAD || a->mode == CR_MODE_FERRY) && !road_directions(tags, n, &w))
        return 0; /* closed to every road vehicle in both directions */
    if (w.oneway == CR_ONEWAY_FORWARD || w.oneway == CR_ONEWAY_BACKWARD)
        a->flags |= CR_WAY_ONEWAY;
    else if (w.oneway == CR_ONEWAY_REVERSIBLE)
        a->flags |= CR_WAY_REVERSIBLE;

    if (info)
        *info = w;
    return 1;
}

/* ---- nodes -------------------------------------------------------------------------------- */

static enum cr_barrier
barrier_kind(const char *v)
{
    static const char *const none[] = { "no",          "kerb", "entrance", "height_restrictor",
                                        "cattle_grid", "arch", NULL };
    static const char *const gate[] = { "gate", "swing_gate", "sliding_gate", "sally_port", NULL };
    static const char *const lift_gate[] = { "lift_gate", "toll_booth", "border_control", NULL };
    static const char *const bollard[] = { "bollard", "block", "jersey_barrier", NULL };
    static const char *const cycle[] = { "cycle_barrier", "kissing_gate", "stile", "turnstile",
                                         NULL };
    static const char *const chain[] = { "chain", "rope", NULL };
    if (!v || str_is_any(v, none))
        return CR_BARRIER_NONE;
    if (str_is_any(v, gate))
        return CR_BARRIER_GATE;
    if (str_is_any(v, lift_gate))
        return CR_BARRIER_LIFT_GATE;
    if (str_is_any(v, bollard))
        return CR_BARRIER_BOLLARD;
    if (str_is_any(v, cycle))
        return CR_BARRIER_CYCLE_BARRIER;
    if (str_is_any(v, chain))
        return CR_BARRIER_CHAIN;
    return CR_BARRIER_OTHER;
}

enum cr_barrier
cr_osm_node_barrier(const struct cr_osm_tag *tags, size_t n, uint8_t *node_flags)
{
    static const char *const stop[] = { "stop", "give_way", NULL };
    unsigned flags = 0;
    if (!tags)
        n = 0;
    enum cr_barrier b = barrier_kind(cr_osm_tag_get(tags, n, "barrier"));
    /* a rising bollard is lowered for the vehicles it lets through: a gate, not a post */
    if (b == CR_BARRIER_BOLLARD && streq(cr_osm_tag_get(tags, n, "bollard"), "rising"))
        b = CR_BARRIER_GATE;
    if (b != CR_BARRIER_NONE) {
        enum cr_access access = cr_osm_parse_access(cr_osm_tag_get(tags, n, "access"));
        enum cr_access motor = cr_osm_parse_access(cr_osm_tag_get(tags, n, "motor_vehicle"));
        if (motor != CR_ACCESS_UNKNOWN)
            access = motor;
        /* private (permit, residents) and destination leave the barrier to its kind, as in
         * OSRM's car profile: a factory's gate tagged access=private must let a truck in to its
         * loading bay, and the road behind it is destination-only already */
        if (access == CR_ACCESS_YES)
            flags |= CR_NODE_BARRIER_OPEN;
        else if (access == CR_ACCESS_NO)
            flags |= CR_NODE_BARRIER_CLOSED;
    }
    const char *highway = cr_osm_tag_get(tags, n, "highway");
    if (streq(highway, "traffic_signals"))
        flags |= CR_NODE_TRAFFIC_SIGNALS;
    else if (str_is_any(highway, stop))
        flags |= CR_NODE_STOP;
    if (streq(cr_osm_tag_get(tags, n, "waterway"), "lock_gate"))
        flags |= CR_NODE_LOCK_GATE;
    if (node_flags)
        *node_flags = (uint8_t)flags;
    return b;
}

uint8_t
cr_osm_node_closed(const struct cr_osm_tag *tags, size_t n)
{
    unsigned bits = 0;
    enum cr_access a[ROAD_VEHICLES];
    if (!tags)
        return 0;
    for (int v = 0; v < ROAD_VEHICLES; v++)
        a[v] = access_chain(tags, n, road_keys[v]);
    if (a[CR_VEHICLE_HGV] == CR_ACCESS_UNKNOWN) /* a truck goes nowhere a car may not */
        a[CR_VEHICLE_HGV] = a[CR_VEHICLE_CAR];
    for (int v = 0; v < ROAD_VEHICLES; v++)
        if (a[v] == CR_ACCESS_NO || a[v] == CR_ACCESS_AGRICULTURAL)
            bits |= 1u << v;
    return (uint8_t)bits;
}

/* A station only subways, trams or light rail call at (train=yes says main-line trains do). */
static bool
urban_rail_only(const struct cr_osm_tag *tags, size_t n)
{
    static const char *const urban[] = { "subway",    "light_rail", "tram", "monorail",
                                         "funicular", "miniature",  NULL };
    if (streq(cr_osm_tag_get(tags, n, "train"), "yes"))
        return false;
    return str_is_any(cr_osm_tag_get(tags, n, "station"), urban) ||
           streq(cr_osm_tag_get(tags, n, "subway"), "yes") ||
           streq(cr_osm_tag_get(tags, n, "tram"), "yes") ||
           streq(cr_osm_tag_get(tags, n, "light_rail"), "yes");
}

int
cr_osm_terminal_kind(const struct cr_osm_tag *tags, size_t n, int area, enum cr_terminal_kind *kind,
                     uint8_t *modes)
{
    static const char *const station[] = { "station", "halt", NULL };
    static const char *const quay_waterway[] = { "dock", "mooring", NULL };
    enum cr_terminal_kind k;
    unsigned m = ROAD_BIT;
    if (!tags)
        n = 0;
    if (streq(cr_osm_tag_get(tags, n, "disused"), "yes") ||
        streq(cr_osm_tag_get(tags, n, "abandoned"), "yes"))
        return 0;
    const char *railway = cr_osm_tag_get(tags, n, "railway");
    const char *landuse = cr_osm_tag_get(tags, n, "landuse");
    if (str_is_any(railway, station) && !urban_rail_only(tags, n)) {
        k = CR_TERMINAL_RAIL_STATION;
        m |= RAIL_BIT;
    } else if (streq(railway, "yard") || (area && streq(landuse, "railway"))) {
        k = CR_TERMINAL_RAIL_YARD;
        m |= RAIL_BIT;
    } else if (streq(landuse, "port") || streq(cr_osm_tag_get(tags, n, "industrial"), "port") ||
               streq(cr_osm_tag_get(tags, n, "harbour"), "yes") ||
               streq(cr_osm_tag_get(tags, n, "seamark:type"), "harbour")) {
        k = CR_TERMINAL_PORT;
        m |= WATER_BIT;
    } else if (str_is_any(cr_osm_tag_get(tags, n, "waterway"), quay_waterway) ||
               present_not_no(cr_osm_tag_get(tags, n, "mooring")) ||
               streq(cr_osm_tag_get(tags, n, "man_made"), "pier")) {
        k = CR_TERMINAL_QUAY;
        m |= WATER_BIT;
    } else {
        return 0;
    }
    if (kind)
        *kind = k;
    if (modes)
        *modes = (uint8_t)m;
    return 1;
}

/* ---- turn restrictions -------------------------------------------------------------------- */

#define ALL_MOTOR_BITS                                                                             \
    ((1u << CR_VEHICLE_CAR) | (1u << CR_VEHICLE_MOTORCYCLE) | (1u << CR_VEHICLE_HGV))

/* A vehicle name in restriction:<name> -> 1 + enum cr_vehicle, 0 for all motor vehicles, -1 for
 * a vehicle corridor does not route (bicycle, psv, bus, ...). */
static int
restriction_vehicle(const char *name)
{
    static const char *const all[] = { "motor_vehicle", "vehicle", NULL };
    static const char *const car[] = { "motorcar", "car", NULL };
    static const char *const hgv[] = { "hgv", "goods", NULL };
    if (str_is_any(name, all))
        return 0;
    if (str_is_any(name, car))
        return 1 + CR_VEHICLE_CAR;
    if (streq(name, "motorcycle"))
        return 1 + CR_VEHICLE_MOTORCYCLE;
    if (str_is_any(name, hgv))
        return 1 + CR_VEHICLE_HGV;
    return -1;
}

/* Whether V ends with "_on_red": no_right_turn_on_red, no_turn_on_red, ... say when a turn
 * is allowed at a red light, not that it is banned. */
static bool
on_red(const char *v)
{
    size_t n = strlen(v);
    return n >= 7 && strcmp(v + n - 7, "_on_red") == 0;
}

/* no_* -> CR_RESTRICT_NO, only_* -> CR_RESTRICT_ONLY, else -1 (also for the *_on_red values). */
static int
restriction_value(const char *v)
{
    if (!v || on_red(v))
        return -1;
    if (strncmp(v, "no_", 3) == 0 && v[3])
        return CR_RESTRICT_NO;
    if (strncmp(v, "only_", 5) == 0 && v[5])
        return CR_RESTRICT_ONLY;
    return -1;
}

/* except=motorcar;hgv -> vehicle bits; vehicles corridor does not route are ignored. */
static unsigned
except_bits(const char *v)
{
    unsigned bits = 0;
    if (!v)
        return 0;
    for (;;) {
        const char *semi = strchr(v, ';');
        struct span s = trim((struct span){ v, semi ? (size_t)(semi - v) : strlen(v) });
        if (span_is(s, "motor_vehicle") || span_is(s, "vehicle"))
            bits |= ALL_MOTOR_BITS;
        else if (span_is(s, "motorcar") || span_is(s, "car"))
            bits |= 1u << CR_VEHICLE_CAR;
        else if (span_is(s, "motorcycle"))
            bits |= 1u << CR_VEHICLE_MOTORCYCLE;
        else if (span_is(s, "hgv") || span_is(s, "goods"))
            bits |= 1u << CR_VEHICLE_HGV;
        if (!semi)
            return bits;
        v = semi + 1;
    }
}

/* The restriction value a relation's tags give (docs/tags.md section 11), with *kind and
 * *only; NULL when none is usable. */
static const char *
restriction_pick(const struct cr_osm_tag *tags, size_t n, int *kind, int *only)
{
    static const char prefix[] = "restriction:";
    const size_t plen = sizeof prefix - 1;
    const char *type = cr_osm_tag_get(tags, n, "type"), *v = NULL;
    *only = 0;
    *kind = -1;
    if (streq(type, "restriction")) {
        v = cr_osm_tag_get(tags, n, "restriction");
        *kind = restriction_value(v);
        /* no restriction for everyone: the first restriction:<our vehicle> that says one */
        for (size_t i = 0; *kind < 0 && i < n; i++) {
            const char *key = tags[i].key;
            if (!key || strncmp(key, prefix, plen) != 0)
                continue;
            *only = restriction_vehicle(key + plen);
            v = tags[i].value;
            *kind = *only >= 0 ? restriction_value(v) : -1;
        }
    } else if (type && strncmp(type, prefix, plen) == 0) {
        *only = restriction_vehicle(type + plen);
        if (*only < 0)
            return NULL;
        v = cr_osm_tag_get(tags, n, type); /* restriction:hgv=no_right_turn */
        if (!v)
            v = cr_osm_tag_get(tags, n, "restriction");
        *kind = restriction_value(v);
    }
    return *kind < 0 ? NULL : v;
}

unsigned
cr_osm_restriction_members(const struct cr_osm_tag *tags, size_t n)
{
    int kind, only;
    const char *v = restriction_pick(tags, tags ? n : 0, &kind, &only);
    if (!v)
        return 0;
    if (strcmp(v, "no_entry") == 0)
        return CR_RESTRICT_MANY_FROM;
    if (strcmp(v, "no_exit") == 0)
        return CR_RESTRICT_MANY_TO;
    return 0;
}

int
cr_osm_restriction(const struct cr_osm_tag *tags, size_t n, uint8_t *kind, uint8_t *except,
                   uint8_t *only_vehicle)
{
    int only, k;
    if (!tags)
        n = 0;
    if (!restriction_pick(tags, n, &k, &only))
        return 0;
    if (kind)
        *kind = (uint8_t)k;
    if (except)
        *except = (uint8_t)except_bits(cr_osm_tag_get(tags, n, "except"));
    if (only_vehicle)
        *only_vehicle = (uint8_t)only;
    return 1;
}
