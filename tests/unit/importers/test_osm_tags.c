/* importers/osm/osm_tags: value parsers, way classification, barriers, terminals, restrictions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "importers/osm/osm_tags.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define ROAD (1u << CR_GROUP_ROAD)
#define RAIL (1u << CR_GROUP_RAIL)
#define WATER (1u << CR_GROUP_WATER)
#define ALL (ROAD | RAIL | WATER)

#define INV CR_PARSE_INVALID
#define NONE CR_PARSE_NONE

/* ---- a tag list written as "highway=primary|oneway=-1" ------------------------------------ */

#define MAX_TAGS 24

struct tagset {
    char buf[512];
    struct cr_osm_tag tags[MAX_TAGS];
    size_t n;
};

/* '|' separates the tags, the first '=' of each its key from its value; "" is no tags. */
static void
tagset_parse(struct tagset *t, const char *spec)
{
    size_t len = strlen(spec);
    t->n = 0;
    if (len >= sizeof t->buf)
        fail_msg("%s: spec too long for the test buffer", spec);
    memcpy(t->buf, spec, len + 1);
    if (len == 0)
        return;
    char *p = t->buf;
    for (;;) {
        char *bar = strchr(p, '|');
        char *eq = strchr(p, '=');
        if (bar)
            *bar = '\0';
        if (!eq || (bar && eq > bar) || t->n == MAX_TAGS)
            fail_msg("%s: bad spec in the test", spec);
        *eq = '\0';
        t->tags[t->n].key = p;
        t->tags[t->n].value = eq + 1;
        t->n++;
        if (!bar)
            return;
        p = bar + 1;
    }
}

/* ---- cr_osm_tag_get ------------------------------------------------------------------------ */

static void
tag_get(void **state)
{
    struct tagset t;
    (void)state;
    tagset_parse(&t, "highway=primary|name=A|name=B|empty=");
    assert_string_equal(cr_osm_tag_get(t.tags, t.n, "highway"), "primary");
    assert_ptr_equal(cr_osm_tag_get(t.tags, t.n, "name"), t.tags[1].value); /* the first */
    assert_string_equal(cr_osm_tag_get(t.tags, t.n, "empty"), "");
    assert_null(cr_osm_tag_get(t.tags, t.n, "ref"));
    assert_null(cr_osm_tag_get(t.tags, t.n, "Highway"));
    assert_null(cr_osm_tag_get(t.tags, 1, "name")); /* only the first N are looked at */
    assert_null(cr_osm_tag_get(t.tags, t.n, NULL));
    assert_null(cr_osm_tag_get(NULL, 0, "highway"));
    assert_null(cr_osm_tag_get(NULL, 5, "highway"));
}

/* ---- value parsers --------------------------------------------------------------------------- */

static void
maxspeed_forms(void **state)
{
    static const struct {
        const char *tag;
        int kmh;
    } cases[] = {
        { "50", 50 },
        { "50 km/h", 50 },
        { "50km/h", 50 },
        { "50 kmh", 50 },
        { "50kmh", 50 },
        { "50 kph", 50 },
        { "50 KM/H", 50 },
        { " 50 ", 50 },
        { "50.4", 50 },
        { "50.5", 51 },
        { "50,5", 51 },
        { "30 mph", 48 },
        { "60 mph", 97 },
        { "70 mph", 113 },
        { "70mph", 113 },
        { "10 knots", 19 },
        { "5 kn", 9 },
        { "50;70", 50 },
        { "70;50", 50 },
        { "70 ; 50", 50 },
        { "30 mph;50", 48 },
        { "none", NONE },
        { "unlimited", NONE },
        { "no", NONE },
        { "none;80", 80 },
        { "walk", 5 },
        { "500", 500 },
        { "310 mph", 499 },
        /* country and zone values (docs/tags.md) */
        { "VN:urban", 50 },
        { "VN:rural", 80 },
        { "VN:motorway", 120 },
        { "DE:urban", 50 },
        { "DE:rural", 100 },
        { "DE:motorway", NONE },
        { "DE:living_street", 5 },
        { "DE:bicycle_road", 30 },
        { "DE:zone30", 30 },
        { "DE:zone:30", 30 },
        { "DE:zone:20", 20 },
        { "DE-BY:rural", 100 },
        { "AT:urban", 50 },
        { "AT:rural", 100 },
        { "AT:motorway", 130 },
        { "FR:urban", 50 },
        { "FR:rural", 80 },
        { "FR:motorway", 130 },
        { "FR:zone30", 30 },
        { "IT:rural", 90 },
        { "IT:trunk", 110 },
        { "IT:motorway", 130 },
        { "CH:urban", 50 },
        { "CH:rural", 80 },
        { "CH:trunk", 100 },
        { "CH:motorway", 120 },
        { "GB:nsl_single", 97 },
        { "GB:nsl_dual", 113 },
        { "GB:motorway", 113 },
        { "GB:nsl_restricted", 48 },
        { "GB:zone20", 32 },
        { "RU:urban", 60 },
        { "RU:rural", 90 },
        { "RU:motorway", 110 },
        { "RU:living_street", 20 },
        { "PL:motorway", 140 },
        { "XX:urban", 50 },
        { "XX:rural", 90 },
        { "XX:motorway", 120 },
        { "XX:living_street", 20 },
        { "XX:walk", 5 },
        { "NL:zone60", 60 },
        { "BE-VLG:zone30", 30 },
        { "zone30", 30 },
        { "zone:30", 30 },
        /* not understood */
        { "signals", INV },
        { "variable", INV },
        { "fast", INV },
        { "", INV },
        { " ", INV },
        { "-50", INV },
        { "+50", INV },
        { "0", INV },
        { "0.2", INV },
        { "501", INV },
        { "320 mph", INV },
        { "99999999999999999999999999999999", INV },
        { "50;", INV },
        { ";50", INV },
        { "50;fast", INV },
        { "50 km", INV },
        { "50 m/s", INV },
        { "50.", INV },
        { ".5", INV },
        { "1.234,5", INV },
        { "50 50", INV },
        { "XX:nowhere", INV },
        { "xx:urban", INV },
        { "X:urban", INV },
        { ":urban", INV },
        { "DE:", INV },
        { "DEUTSCHLAND:urban", INV },
        { "DE-:urban", INV },
        { "DE:zone", INV },
        { "DE:zone:0", INV },
        { "DE:zone:x", INV },
        { "DE:zone:30x", INV },
        { "DE:zone:999", INV },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int got = cr_osm_parse_maxspeed(cases[i].tag);
        if (got != cases[i].kmh)
            fail_msg("maxspeed=\"%s\": want %d, got %d", cases[i].tag, cases[i].kmh, got);
    }
    assert_int_equal(cr_osm_parse_maxspeed(NULL), INV);
    assert_int_equal(CR_SPEED_NONE_KMH, CR_PARSE_NONE);
}

static void
maxspeed_huge_number(void **state)
{
    char big[401];
    (void)state;
    memset(big, '9', sizeof big - 1);
    big[sizeof big - 1] = '\0'; /* beyond double's range: infinity, not undefined behaviour */
    assert_int_equal(cr_osm_parse_maxspeed(big), INV);
    assert_int_equal(cr_osm_parse_weight_kg(big), INV);
    assert_int_equal(cr_osm_parse_length_cm(big), INV);
    assert_int_equal(cr_osm_parse_duration_s(big), INV);
    assert_int_equal(cr_osm_parse_lanes(big), INV);
    assert_int_equal(cr_osm_parse_gauge_mm(big), INV);
    big[1] = '.'; /* 9.999...: a long fraction is fine and rounds */
    assert_int_equal(cr_osm_parse_maxspeed(big), 10);
}

static void
weight_forms(void **state)
{
    static const struct {
        const char *tag;
        int64_t kg;
    } cases[] = {
        { "7.5", 7500 },        { "7.5 t", 7500 },     { "7,5 t", 7500 },
        { "7.5t", 7500 },       { " 7.5 t ", 7500 },   { "7.5 T", 7500 },
        { "12 tonnes", 12000 }, { "12 tonne", 12000 }, { "3 ton", 3000 },
        { "3 tons", 3000 },     { "3500 kg", 3500 },   { "3500kg", 3500 },
        { "8000 lbs", 3629 },   { "8000 lb", 3629 },   { "3 lb", 1 },
        { "5 st", 4536 },       { "7.5;3.5", 3500 },   { "3.5 t;none", 3500 },
        { "1000", 1000000 },    { "none", NONE },      { "unsigned", NONE },
        { "no", NONE },         { "unlimited", NONE }, { "", INV },
        { "heavy", INV },       { "-3", INV },         { "0", INV },
        { "1 lb", INV }, /* rounds to 0 kg */
        { "1001", INV },        { "1000001 kg", INV }, { "7.5 tt", INV },
        { "7.5 kgs", INV },     { "3t5", INV },        { "7.,5", INV },
        { "7,5,0 t", INV },     { "t", INV },          { "7.5 t;heavy", INV },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int64_t got = cr_osm_parse_weight_kg(cases[i].tag);
        if (got != cases[i].kg)
            fail_msg("maxweight=\"%s\": want %lld kg, got %lld", cases[i].tag,
                     (long long)cases[i].kg, (long long)got);
    }
    assert_int_equal(cr_osm_parse_weight_kg(NULL), INV);
}

static void
length_forms(void **state)
{
    static const struct {
        const char *tag;
        int cm;
    } cases[] = {
        { "4.2", 420 },
        { "4.2 m", 420 },
        { "4,2 m", 420 },
        { "4.2m", 420 },
        { " 4.2 M ", 420 },
        { "420 cm", 420 },
        { "420cm", 420 },
        { "4200 mm", 420 },
        { "14'6\"", 442 },
        { "14' 6\"", 442 },
        { "14 ' 6 \"", 442 },
        { "14 ft 6 in", 442 },
        { "14ft6in", 442 },
        { "14 feet 6 inches", 442 },
        { "14'6", 442 },
        { "14'", 427 },
        { "14 ft", 427 },
        { "14 feet", 427 },
        { "13.5'", 411 },
        { "6\"", 15 },
        { "6 in", 15 },
        { "4.2;3.8", 380 },
        { "3.5 m;none", 350 },
        { "100", 10000 },
        { "none", NONE },
        { "default", INV },
        { "below_default", INV },
        { "", INV },
        { "tall", INV },
        { "-4", INV },
        { "0", INV },
        { "100.01", INV },
        { "101", INV },
        { "4.2 km", INV },
        { "14'12\"", INV },
        { "14'x", INV },
        { "14'6\"x", INV },
        { "14'6'", INV },
        { "6\"3", INV },
        { "4.2 m 3", INV },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int got = cr_osm_parse_length_cm(cases[i].tag);
        if (got != cases[i].cm)
            fail_msg("maxheight=\"%s\": want %d cm, got %d", cases[i].tag, cases[i].cm, got);
    }
    assert_int_equal(cr_osm_parse_length_cm(NULL), INV);
}

static void
duration_forms(void **state)
{
    static const struct {
        const char *tag;
        int s;
    } cases[] = {
        { "25", 1500 },       { " 25 ", 1500 },     { "25 min", 1500 },  { "0.5", 30 },
        { "00:25", 1500 },    { "1:30", 5400 },     { "1:30:00", 5400 }, { "0:00:45", 45 },
        { "25:00", 90000 },   { "PT25M", 1500 },    { "PT1H30M", 5400 }, { "PT45S", 45 },
        { "PT1H0M5S", 3605 }, { "P1D", 86400 },     { "P1DT2H", 93600 }, { "PT1.5H", 5400 },
        { "pt25m", 1500 },    { "43200", 2592000 }, { "43201", INV },    { "P", INV },
        { "PT", INV },        { "PT25", INV },      { "PT1M1H", INV },   { "PT1H1H", INV },
        { "P1H", INV },       { "P1M", INV },       { "PTT1H", INV },    { "P1DT", INV },
        { "1:60", INV },      { "1:30:60", INV },   { "1:2:3:4", INV },  { ":30", INV },
        { "1:", INV },        { "1::30", INV },     { "1:3a", INV },     { "-5", INV },
        { "abc", INV },       { "0", INV },         { "0:00", INV },     { "", INV },
        { "25 h", INV },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int got = cr_osm_parse_duration_s(cases[i].tag);
        if (got != cases[i].s)
            fail_msg("duration=\"%s\": want %d s, got %d", cases[i].tag, cases[i].s, got);
    }
    assert_int_equal(cr_osm_parse_duration_s(NULL), INV);
}

static void
lanes_forms(void **state)
{
    static const struct {
        const char *tag;
        int lanes;
    } cases[] = {
        { "2", 2 },     { " 3 ", 3 },  { "2;3", 2 },   { "3;2", 2 },  { "255", 255 },
        { "256", INV }, { "0", INV },  { "2.5", INV }, { "-1", INV }, { "two", INV },
        { "", INV },    { "2;", INV }, { "2;x", INV },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int got = cr_osm_parse_lanes(cases[i].tag);
        if (got != cases[i].lanes)
            fail_msg("lanes=\"%s\": want %d, got %d", cases[i].tag, cases[i].lanes, got);
    }
    assert_int_equal(cr_osm_parse_lanes(NULL), INV);
}

static void
cemt_forms(void **state)
{
    static const struct {
        const char *tag;
        int cemt;
    } cases[] = {
        { "0", 0 },      { "I", 1 },    { "II", 2 },   { "III", 3 }, { "IV", 4 },
        { "Va", 5 },     { "Vb", 6 },   { "VIa", 7 },  { "VIb", 8 }, { "VIc", 9 },
        { "VII", 10 },   { " Va ", 5 }, { "va", 5 },   { "V", INV }, { "VI", INV },
        { "VIII", INV }, { "5", INV },  { "Vc", INV }, { "", INV },  { "IV;Va", INV },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int got = cr_osm_parse_cemt(cases[i].tag);
        if (got != cases[i].cemt)
            fail_msg("CEMT=\"%s\": want %d, got %d", cases[i].tag, cases[i].cemt, got);
    }
    assert_int_equal(cr_osm_parse_cemt(NULL), INV);
}

static void
gauge_forms(void **state)
{
    static const struct {
        const char *tag;
        int mm;
    } cases[] = {
        { "1435", 1435 },   { "1000;1435", 1000 }, { "1435;1000", 1435 }, { "1435 mm", 1435 },
        { " 1520 ", 1520 }, { "1668", 1668 },      { "standard", INV },   { "1435.5", INV },
        { "0", INV },       { "50", INV },         { "5000", INV },       { "", INV },
        { ";1435", INV },   { "1435 in", INV },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        int got = cr_osm_parse_gauge_mm(cases[i].tag);
        if (got != cases[i].mm)
            fail_msg("gauge=\"%s\": want %d, got %d", cases[i].tag, cases[i].mm, got);
    }
    assert_int_equal(cr_osm_parse_gauge_mm(NULL), INV);
}

static void
oneway_forms(void **state)
{
    static const struct {
        const char *tag;
        enum cr_oneway oneway;
    } cases[] = {
        { "yes", CR_ONEWAY_FORWARD },
        { "true", CR_ONEWAY_FORWARD },
        { "1", CR_ONEWAY_FORWARD },
        { "-1", CR_ONEWAY_BACKWARD },
        { "reverse", CR_ONEWAY_BACKWARD },
        { "no", CR_ONEWAY_NO },
        { "false", CR_ONEWAY_NO },
        { "0", CR_ONEWAY_NO },
        { "reversible", CR_ONEWAY_REVERSIBLE },
        { "alternating", CR_ONEWAY_NO },
        { "", CR_ONEWAY_UNKNOWN },
        { "maybe", CR_ONEWAY_UNKNOWN },
        { "yes;no", CR_ONEWAY_UNKNOWN },
        { "2", CR_ONEWAY_UNKNOWN },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++)
        if (cr_osm_parse_oneway(cases[i].tag) != cases[i].oneway)
            fail_msg("oneway=\"%s\": want %d", cases[i].tag, (int)cases[i].oneway);
    assert_int_equal(cr_osm_parse_oneway(NULL), CR_ONEWAY_UNKNOWN);
}

static void
access_forms(void **state)
{
    static const struct {
        const char *tag;
        enum cr_access access;
    } cases[] = {
        { "yes", CR_ACCESS_YES },
        { "permissive", CR_ACCESS_YES },
        { "designated", CR_ACCESS_YES },
        { "official", CR_ACCESS_YES },
        { "discouraged", CR_ACCESS_YES },
        { "no", CR_ACCESS_NO },
        { "use_sidepath", CR_ACCESS_NO },
        { "destination", CR_ACCESS_DESTINATION },
        { "delivery", CR_ACCESS_DESTINATION },
        { "customers", CR_ACCESS_DESTINATION },
        { "customer", CR_ACCESS_DESTINATION },
        { "private", CR_ACCESS_PRIVATE },
        { "permit", CR_ACCESS_PRIVATE },
        { "residents", CR_ACCESS_PRIVATE },
        { "agricultural", CR_ACCESS_AGRICULTURAL },
        { "forestry", CR_ACCESS_AGRICULTURAL },
        { "agricultural;forestry", CR_ACCESS_AGRICULTURAL },
        { "", CR_ACCESS_UNKNOWN },
        { "unknown", CR_ACCESS_UNKNOWN },
        { "psv", CR_ACCESS_NO },
        { "bus", CR_ACCESS_NO },
        { "taxi", CR_ACCESS_NO },
        { "foot", CR_ACCESS_NO },
        { "emergency", CR_ACCESS_NO },
        { "military", CR_ACCESS_NO },
        { "restricted", CR_ACCESS_NO },
        { "hov", CR_ACCESS_UNKNOWN },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++)
        if (cr_osm_parse_access(cases[i].tag) != cases[i].access)
            fail_msg("access=\"%s\": want %d", cases[i].tag, (int)cases[i].access);
    assert_int_equal(cr_osm_parse_access(NULL), CR_ACCESS_UNKNOWN);
}

static void
classes(void **state)
{
    static const struct {
        int (*fn)(const char *);
        const char *tag;
        int klass;
    } cases[] = {
        { cr_osm_road_class, "motorway", CR_ROAD_MOTORWAY },
        { cr_osm_road_class, "motorway_link", CR_ROAD_MOTORWAY_LINK },
        { cr_osm_road_class, "trunk", CR_ROAD_TRUNK },
        { cr_osm_road_class, "trunk_link", CR_ROAD_TRUNK_LINK },
        { cr_osm_road_class, "primary", CR_ROAD_PRIMARY },
        { cr_osm_road_class, "primary_link", CR_ROAD_PRIMARY_LINK },
        { cr_osm_road_class, "secondary", CR_ROAD_SECONDARY },
        { cr_osm_road_class, "secondary_link", CR_ROAD_SECONDARY_LINK },
        { cr_osm_road_class, "tertiary", CR_ROAD_TERTIARY },
        { cr_osm_road_class, "tertiary_link", CR_ROAD_TERTIARY_LINK },
        { cr_osm_road_class, "unclassified", CR_ROAD_UNCLASSIFIED },
        { cr_osm_road_class, "residential", CR_ROAD_RESIDENTIAL },
        { cr_osm_road_class, "living_street", CR_ROAD_LIVING_STREET },
        { cr_osm_road_class, "service", CR_ROAD_SERVICE },
        { cr_osm_road_class, "track", CR_ROAD_TRACK },
        { cr_osm_road_class, "road", CR_ROAD_ROAD },
        { cr_osm_road_class, "footway", -1 },
        { cr_osm_road_class, "path", -1 },
        { cr_osm_road_class, "cycleway", -1 },
        { cr_osm_road_class, "steps", -1 },
        { cr_osm_road_class, "pedestrian", -1 },
        { cr_osm_road_class, "bridleway", -1 },
        { cr_osm_road_class, "construction", -1 },
        { cr_osm_road_class, "proposed", -1 },
        { cr_osm_road_class, "platform", -1 },
        { cr_osm_road_class, "Primary", -1 },
        { cr_osm_road_class, "", -1 },
        { cr_osm_road_class, NULL, -1 },
        { cr_osm_rail_class, "rail", CR_RAIL_RAIL },
        { cr_osm_rail_class, "light_rail", CR_RAIL_LIGHT_RAIL },
        { cr_osm_rail_class, "narrow_gauge", CR_RAIL_NARROW_GAUGE },
        { cr_osm_rail_class, "abandoned", -1 },
        { cr_osm_rail_class, "disused", -1 },
        { cr_osm_rail_class, "subway", -1 },
        { cr_osm_rail_class, "tram", -1 },
        { cr_osm_rail_class, NULL, -1 },
        { cr_osm_water_class, "river", CR_WATER_RIVER },
        { cr_osm_water_class, "canal", CR_WATER_CANAL },
        { cr_osm_water_class, "fairway", CR_WATER_FAIRWAY },
        { cr_osm_water_class, "stream", -1 },
        { cr_osm_water_class, "riverbank", -1 },
        { cr_osm_water_class, NULL, -1 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++)
        if (cases[i].fn(cases[i].tag) != cases[i].klass)
            fail_msg("case %zu, class of \"%s\": want %d", i,
                     cases[i].tag ? cases[i].tag : "(null)", cases[i].klass);
}

/* ---- ways ---------------------------------------------------------------------------------- */

static void
classify_selection(void **state)
{
    static const struct {
        const char *tags;
        unsigned modes;
        int used;
        enum cr_mode mode;
        int klass;
        enum cr_oneway oneway;
    } cases[] = {
        { "highway=motorway", ALL, 1, CR_MODE_ROAD, CR_ROAD_MOTORWAY, CR_ONEWAY_FORWARD },
        { "highway=motorway|oneway=no", ALL, 1, CR_MODE_ROAD, CR_ROAD_MOTORWAY, CR_ONEWAY_NO },
        { "highway=motorway_link", ROAD, 1, CR_MODE_ROAD, CR_ROAD_MOTORWAY_LINK,
          CR_ONEWAY_FORWARD },
        { "highway=trunk", ROAD, 1, CR_MODE_ROAD, CR_ROAD_TRUNK, CR_ONEWAY_NO },
        { "highway=primary", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY, CR_ONEWAY_NO },
        { "highway=primary|oneway=yes", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY, CR_ONEWAY_FORWARD },
        { "highway=primary|oneway=-1", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY, CR_ONEWAY_BACKWARD },
        { "highway=primary|oneway=reversible", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY,
          CR_ONEWAY_REVERSIBLE },
        { "highway=primary|junction=roundabout", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY,
          CR_ONEWAY_FORWARD },
        { "highway=tertiary|junction=circular", ROAD, 1, CR_MODE_ROAD, CR_ROAD_TERTIARY,
          CR_ONEWAY_FORWARD },
        { "highway=primary|junction=roundabout|oneway=no", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY,
          CR_ONEWAY_NO },
        { "highway=residential|oneway=maybe", ROAD, 1, CR_MODE_ROAD, CR_ROAD_RESIDENTIAL,
          CR_ONEWAY_NO },
        { "highway=living_street", ROAD, 1, CR_MODE_ROAD, CR_ROAD_LIVING_STREET, CR_ONEWAY_NO },
        { "highway=road", ROAD, 1, CR_MODE_ROAD, CR_ROAD_ROAD, CR_ONEWAY_NO },
        { "highway=service|access=private", ROAD, 1, CR_MODE_ROAD, CR_ROAD_SERVICE, CR_ONEWAY_NO },
        { "highway=service|access=no|motorcycle=yes", ROAD, 1, CR_MODE_ROAD, CR_ROAD_SERVICE,
          CR_ONEWAY_NO },
        { "highway=track|motor_vehicle=agricultural", ROAD, 1, CR_MODE_ROAD, CR_ROAD_TRACK,
          CR_ONEWAY_NO },
        { "highway=primary|construction=minor", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY,
          CR_ONEWAY_NO },
        { "highway=primary|construction=no", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY, CR_ONEWAY_NO },
        { "highway=primary|construction=widening", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY,
          CR_ONEWAY_NO },
        { "highway=primary|proposed=yes", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY, CR_ONEWAY_NO },
        { "highway=tertiary|proposed=secondary", ROAD, 1, CR_MODE_ROAD, CR_ROAD_TERTIARY,
          CR_ONEWAY_NO },
        { "highway=primary|oneway=alternating", ROAD, 1, CR_MODE_ROAD, CR_ROAD_PRIMARY,
          CR_ONEWAY_NO },
        /* not roads */
        { "highway=footway", ALL, 0, 0, 0, 0 },
        { "highway=cycleway", ALL, 0, 0, 0, 0 },
        { "highway=path|motor_vehicle=yes", ALL, 0, 0, 0, 0 },
        { "highway=steps", ALL, 0, 0, 0, 0 },
        { "highway=pedestrian", ALL, 0, 0, 0, 0 },
        { "highway=construction|construction=primary", ALL, 0, 0, 0, 0 },
        { "highway=proposed|proposed=motorway", ALL, 0, 0, 0, 0 },
        { "highway=platform", ALL, 0, 0, 0, 0 },
        { "highway=pedestrian|area=yes", ALL, 0, 0, 0, 0 },
        { "highway=service|area=yes", ALL, 0, 0, 0, 0 },
        { "highway=primary|construction=yes", ALL, 0, 0, 0, 0 },
        { "highway=service|service=emergency_access", ALL, 0, 0, 0, 0 },
        { "highway=service|access=no", ALL, 0, 0, 0, 0 },
        { "highway=service|access=no|bus=yes", ALL, 0, 0, 0, 0 },
        { "highway=track|motor_vehicle=no", ALL, 0, 0, 0, 0 },
        { "highway=residential|vehicle=no", ALL, 0, 0, 0, 0 },
        { "highway=primary", RAIL | WATER, 0, 0, 0, 0 },
        { "highway=primary", 0, 0, 0, 0, 0 },
        { "", ALL, 0, 0, 0, 0 },
        { "building=yes", ALL, 0, 0, 0, 0 },
        { "area=yes", ALL, 0, 0, 0, 0 },
        /* ferries */
        { "route=ferry", ROAD, 1, CR_MODE_FERRY, 0, CR_ONEWAY_NO },
        { "route=ferry|oneway=yes", ROAD, 1, CR_MODE_FERRY, 0, CR_ONEWAY_FORWARD },
        { "route=ferry|motor_vehicle=no|foot=yes", ALL, 1, CR_MODE_FERRY, 0, CR_ONEWAY_NO },
        { "route=ferry", RAIL | WATER, 0, 0, 0, 0 },
        { "route=bus", ALL, 0, 0, 0, 0 },
        /* rail */
        { "railway=rail", ALL, 1, CR_MODE_RAIL, CR_RAIL_RAIL, CR_ONEWAY_NO },
        { "railway=rail|oneway=yes", RAIL, 1, CR_MODE_RAIL, CR_RAIL_RAIL, CR_ONEWAY_FORWARD },
        { "railway=light_rail", RAIL, 1, CR_MODE_RAIL, CR_RAIL_LIGHT_RAIL, CR_ONEWAY_NO },
        { "railway=narrow_gauge", RAIL, 1, CR_MODE_RAIL, CR_RAIL_NARROW_GAUGE, CR_ONEWAY_NO },
        { "railway=rail", ROAD | WATER, 0, 0, 0, 0 },
        { "railway=abandoned", ALL, 0, 0, 0, 0 },
        { "railway=disused", ALL, 0, 0, 0, 0 },
        { "railway=razed", ALL, 0, 0, 0, 0 },
        { "railway=construction|construction=rail", ALL, 0, 0, 0, 0 },
        { "railway=proposed", ALL, 0, 0, 0, 0 },
        { "railway=subway", ALL, 0, 0, 0, 0 },
        { "railway=tram", ALL, 0, 0, 0, 0 },
        /* road and rail on one way: road first, rail when road is not asked for or unusable */
        { "highway=residential|railway=rail", ALL, 1, CR_MODE_ROAD, CR_ROAD_RESIDENTIAL,
          CR_ONEWAY_NO },
        { "highway=residential|railway=rail", RAIL, 1, CR_MODE_RAIL, CR_RAIL_RAIL, CR_ONEWAY_NO },
        { "highway=service|access=no|railway=rail", ALL, 1, CR_MODE_RAIL, CR_RAIL_RAIL,
          CR_ONEWAY_NO },
        /* water */
        { "waterway=river", ALL, 1, CR_MODE_WATER, CR_WATER_RIVER, CR_ONEWAY_NO },
        { "waterway=canal", WATER, 1, CR_MODE_WATER, CR_WATER_CANAL, CR_ONEWAY_NO },
        { "waterway=fairway", WATER, 1, CR_MODE_WATER, CR_WATER_FAIRWAY, CR_ONEWAY_NO },
        { "waterway=river|junction=roundabout", WATER, 1, CR_MODE_WATER, CR_WATER_RIVER,
          CR_ONEWAY_NO },
        { "waterway=stream", ALL, 0, 0, 0, 0 },
        { "waterway=river", ROAD | RAIL, 0, 0, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        struct cr_way_info info;
        tagset_parse(&t, cases[i].tags);
        memset(&info, 0x5a, sizeof info);
        int used = cr_osm_way_classify(t.tags, t.n, cases[i].modes, &info);
        if (used != cases[i].used)
            fail_msg("%s (modes %#x): want used=%d, got %d", cases[i].tags, cases[i].modes,
                     cases[i].used, used);
        if (!used)
            continue;
        if (info.attr.mode != cases[i].mode || info.attr.klass != cases[i].klass)
            fail_msg("%s: want mode %d class %d, got %d %d", cases[i].tags, (int)cases[i].mode,
                     cases[i].klass, info.attr.mode, info.attr.klass);
        if (info.oneway != cases[i].oneway)
            fail_msg("%s: want oneway %d, got %d", cases[i].tags, (int)cases[i].oneway,
                     (int)info.oneway);
        if (info.attr.osm_id != 0 || info.attr.name != 0 || info.attr.ref != 0)
            fail_msg("%s: osm_id and string offsets are the caller's", cases[i].tags);
        for (size_t k = 0; k < sizeof info.attr.reserved; k++)
            if (info.attr.reserved[k] != 0)
                fail_msg("%s: reserved bytes not zero", cases[i].tags);
    }
}

static void
classify_flags(void **state)
{
    static const struct {
        const char *tags;
        unsigned flags;
    } cases[] = {
        { "highway=primary", 0 },
        { "highway=motorway", CR_WAY_ONEWAY },
        { "highway=primary|oneway=-1", CR_WAY_ONEWAY },
        { "highway=primary|oneway=reversible", CR_WAY_REVERSIBLE },
        { "highway=primary|oneway=alternating", 0 },
        { "highway=primary|junction=roundabout", CR_WAY_ROUNDABOUT | CR_WAY_ONEWAY },
        { "highway=primary|junction=roundabout|oneway=no", CR_WAY_ROUNDABOUT },
        { "highway=primary|junction=circular|oneway=-1", CR_WAY_ROUNDABOUT | CR_WAY_ONEWAY },
        { "highway=primary|toll=yes", CR_WAY_TOLL },
        { "highway=primary|toll:hgv=yes", CR_WAY_TOLL },
        { "highway=primary|toll=no", 0 },
        { "highway=primary|bridge=yes", CR_WAY_BRIDGE },
        { "highway=primary|bridge=viaduct", CR_WAY_BRIDGE },
        { "highway=primary|bridge=no", 0 },
        { "highway=primary|tunnel=yes", CR_WAY_TUNNEL },
        { "highway=primary|tunnel=building_passage", CR_WAY_TUNNEL },
        { "highway=primary|tunnel=no", 0 },
        { "waterway=canal|tunnel=culvert", CR_WAY_TUNNEL },
        { "highway=primary|hazmat=no", CR_WAY_HAZMAT_NO },
        { "highway=primary|hazmat:water=no", CR_WAY_HAZMAT_NO },
        { "highway=primary|hazmat:B=no", CR_WAY_HAZMAT_NO },
        { "highway=primary|hazmat=yes", 0 },
        { "highway=primary|hazmat:water=permissive", 0 },
        { "highway=primary|hazmatic=no", 0 },
        { "highway=trunk|motorroad=yes", CR_WAY_MOTORROAD },
        { "highway=trunk|motorroad=no", 0 },
        { "highway=primary|hgv=designated", CR_WAY_HGV_DESIGNATED },
        { "highway=primary|hgv=yes", 0 },
        { "highway=unclassified|surface=unpaved", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=gravel", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=fine_gravel", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=dirt", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=ground", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=earth", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=sand", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=mud", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=grass", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=compacted", CR_WAY_UNPAVED },
        { "highway=unclassified|surface=asphalt", 0 },
        { "highway=track|tracktype=grade3", CR_WAY_UNPAVED },
        { "highway=track|tracktype=grade5", CR_WAY_UNPAVED },
        { "highway=track|tracktype=grade1", 0 },
        { "highway=primary|electrified=yes", 0 },
        { "highway=primary|lock=yes", 0 },
        { "railway=rail|electrified=contact_line", CR_WAY_ELECTRIFIED },
        { "railway=rail|electrified=rail", CR_WAY_ELECTRIFIED },
        { "railway=rail|electrified=no", 0 },
        { "railway=rail|bridge=yes|tunnel=no", CR_WAY_BRIDGE },
        { "waterway=canal|lock=yes", CR_WAY_LOCK },
        { "waterway=canal|lock=no", 0 },
        { "route=ferry|toll=yes", CR_WAY_TOLL },
        { "highway=motorway|toll=yes|bridge=yes|hazmat=no|hgv=designated|surface=asphalt",
          CR_WAY_ONEWAY | CR_WAY_TOLL | CR_WAY_BRIDGE | CR_WAY_HAZMAT_NO | CR_WAY_HGV_DESIGNATED },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        struct cr_way_info info;
        tagset_parse(&t, cases[i].tags);
        if (!cr_osm_way_classify(t.tags, t.n, ALL, &info))
            fail_msg("%s: not used", cases[i].tags);
        if (info.attr.flags != cases[i].flags)
            fail_msg("%s: want flags %#x, got %#x", cases[i].tags, cases[i].flags,
                     (unsigned)info.attr.flags);
    }
}

#define U CR_ACCESS_UNKNOWN
#define Y CR_ACCESS_YES
#define NO CR_ACCESS_NO
#define D CR_ACCESS_DESTINATION
#define P CR_ACCESS_PRIVATE
#define AG CR_ACCESS_AGRICULTURAL

static void
classify_access(void **state)
{
    static const struct {
        const char *tags;
        uint8_t access[CR_VEHICLE_COUNT]; /* car, motorcycle, hgv, boat */
    } cases[] = {
        { "highway=primary", { U, U, U, U } },
        { "highway=primary|access=yes", { Y, Y, Y, Y } },
        { "highway=primary|access=no|motorcycle=yes", { NO, Y, NO, NO } },
        { "highway=primary|hgv=no", { U, U, NO, U } },
        { "highway=primary|goods=no", { U, U, NO, U } },
        { "highway=primary|goods=no|hgv=yes", { U, U, Y, U } },
        { "highway=primary|motor_vehicle=destination", { D, D, D, U } },
        { "highway=primary|vehicle=no|motorcar=yes", { Y, NO, NO, U } },
        { "highway=primary|access=private", { P, P, P, P } },
        { "highway=primary|access=private|motor_vehicle=maybe|motorcar=yes", { Y, P, P, P } },
        { "highway=primary|access=no|motor_vehicle=unknown|hgv=delivery", { NO, NO, D, NO } },
        { "highway=primary|hgv=designated", { U, U, Y, U } },
        { "highway=track|motor_vehicle=agricultural;forestry", { AG, AG, AG, U } },
        { "highway=track|motor_vehicle=forestry|motorcycle=permit", { AG, P, AG, U } },
        { "highway=primary|motorcar=discouraged|hgv=customers", { Y, U, D, U } },
        { "highway=service|access=customers|motor_vehicle=no|motorcar=yes", { Y, NO, NO, D } },
        { "waterway=river|boat=no", { U, U, U, NO } },
        { "waterway=river|boat=no|motorboat=yes", { U, U, U, Y } },
        { "waterway=river|motorboat=yes|ship=no", { U, U, U, NO } },
        { "waterway=river|motorboat=no|ship=yes", { U, U, U, NO } },
        { "waterway=river|motorboat=private|ship=yes", { U, U, U, P } },
        { "waterway=river|access=no|ship=destination", { NO, NO, NO, D } },
        { "waterway=river|boat=yes|motorboat=sometimes", { U, U, U, Y } },
        { "waterway=canal|vehicle=no|motor_vehicle=no", { NO, NO, NO, U } },
        { "route=ferry|motor_vehicle=no", { NO, NO, NO, U } },
        { "route=ferry|motorcar=yes|hgv=no", { Y, U, NO, U } },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        struct cr_way_info info;
        tagset_parse(&t, cases[i].tags);
        if (!cr_osm_way_classify(t.tags, t.n, ALL, &info))
            fail_msg("%s: not used", cases[i].tags);
        for (int v = 0; v < CR_VEHICLE_COUNT; v++)
            if (info.attr.access[v] != cases[i].access[v])
                fail_msg("%s: vehicle %d: want access %d, got %d", cases[i].tags, v,
                         cases[i].access[v], info.attr.access[v]);
    }
}

#undef U
#undef Y
#undef NO
#undef D
#undef P
#undef AG

static void
classify_limits(void **state)
{
    static const struct {
        const char *tags;
        uint32_t weight_kg, axle_kg;
        uint16_t height_cm, width_cm, length_cm, fwd, bwd;
        uint8_t lanes;
    } cases[] = {
        { "highway=primary", 0, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxweight=7.5 t", 7500, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxweight=7,5 t", 7500, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxweight=7.5|maxweight:hgv=5", 5000, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxweight=3|maxweight:hgv=5", 3000, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxweight=none|maxweight:hgv=12", 12000, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxweight:hgv=8000 lbs", 3629, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxweight=heavy", 0, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxweight=none", 0, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxaxleload=10", 0, 10000, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxheight=14'6\"", 0, 0, 442, 0, 0, 0, 0, 0 },
        { "highway=primary|maxheight=4.5|maxheight:physical=4.2", 0, 0, 420, 0, 0, 0, 0, 0 },
        { "highway=primary|maxheight=3.8|maxheight:physical=4.2", 0, 0, 380, 0, 0, 0, 0, 0 },
        { "highway=primary|maxheight:physical=3.9", 0, 0, 390, 0, 0, 0, 0, 0 },
        { "highway=primary|maxheight=default", 0, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxheight=none", 0, 0, 0, 0, 0, 0, 0, 0 },
        { "highway=primary|maxwidth=2.5|maxlength=12", 0, 0, 0, 250, 1200, 0, 0, 0 },
        { "highway=primary|maxspeed=50", 0, 0, 0, 0, 0, 50, 50, 0 },
        { "highway=primary|maxspeed=30 mph", 0, 0, 0, 0, 0, 48, 48, 0 },
        { "highway=primary|maxspeed=none", 0, 0, 0, 0, 0, CR_SPEED_NONE, CR_SPEED_NONE, 0 },
        { "highway=primary|maxspeed=signals", 0, 0, 0, 0, 0, CR_SPEED_UNKNOWN, CR_SPEED_UNKNOWN,
          0 },
        { "highway=primary|maxspeed=80|maxspeed:forward=60", 0, 0, 0, 0, 0, 60, 80, 0 },
        { "highway=primary|maxspeed:forward=60|maxspeed:backward=40", 0, 0, 0, 0, 0, 60, 40, 0 },
        { "highway=primary|maxspeed:backward=40", 0, 0, 0, 0, 0, 0, 40, 0 },
        { "highway=primary|oneway=-1|maxspeed=50|maxspeed:backward=30", 0, 0, 0, 0, 0, 50, 30, 0 },
        { "highway=primary|maxspeed=50|maxspeed:forward=junk", 0, 0, 0, 0, 0, 50, 50, 0 },
        { "highway=primary|maxspeed=100|maxspeed:forward=none", 0, 0, 0, 0, 0, CR_SPEED_NONE, 100,
          0 },
        { "highway=primary|maxspeed=VN:urban", 0, 0, 0, 0, 0, 50, 50, 0 },
        { "highway=motorway|maxspeed=DE:motorway", 0, 0, 0, 0, 0, CR_SPEED_NONE, CR_SPEED_NONE, 0 },
        { "highway=primary|lanes=2", 0, 0, 0, 0, 0, 0, 0, 2 },
        { "highway=primary|lanes=2;3", 0, 0, 0, 0, 0, 0, 0, 2 },
        { "highway=primary|lanes=300", 0, 0, 0, 0, 0, 0, 0, 0 },
        { "railway=rail|maxspeed=160", 0, 0, 0, 0, 0, 160, 160, 0 },
        { "waterway=river|maxspeed=10 knots|maxheight=5.5", 0, 0, 550, 0, 0, 19, 19, 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        struct cr_way_info info;
        tagset_parse(&t, cases[i].tags);
        if (!cr_osm_way_classify(t.tags, t.n, ALL, &info))
            fail_msg("%s: not used", cases[i].tags);
        const struct cr_way_attr *a = &info.attr;
        if (a->maxweight_kg != cases[i].weight_kg || a->maxaxleload_kg != cases[i].axle_kg)
            fail_msg("%s: want weight %u axle %u, got %u %u", cases[i].tags,
                     (unsigned)cases[i].weight_kg, (unsigned)cases[i].axle_kg,
                     (unsigned)a->maxweight_kg, (unsigned)a->maxaxleload_kg);
        if (a->maxheight_cm != cases[i].height_cm || a->maxwidth_cm != cases[i].width_cm ||
            a->maxlength_cm != cases[i].length_cm)
            fail_msg("%s: want height %u width %u length %u, got %u %u %u", cases[i].tags,
                     cases[i].height_cm, cases[i].width_cm, cases[i].length_cm, a->maxheight_cm,
                     a->maxwidth_cm, a->maxlength_cm);
        if (a->maxspeed_fwd_kmh != cases[i].fwd || a->maxspeed_bwd_kmh != cases[i].bwd)
            fail_msg("%s: want maxspeed fwd %u bwd %u, got %u %u", cases[i].tags, cases[i].fwd,
                     cases[i].bwd, a->maxspeed_fwd_kmh, a->maxspeed_bwd_kmh);
        if (a->lanes != cases[i].lanes)
            fail_msg("%s: want lanes %u, got %u", cases[i].tags, cases[i].lanes, a->lanes);
    }
}

static void
classify_rail(void **state)
{
    static const struct {
        const char *tags;
        uint8_t usage, service;
        uint16_t gauge_mm;
    } cases[] = {
        { "railway=rail|usage=main|service=yard|electrified=contact_line|gauge=1435", CR_USAGE_MAIN,
          CR_SERVICE_YARD, 1435 },
        { "railway=rail|usage=branch|service=siding", CR_USAGE_BRANCH, CR_SERVICE_SIDING, 0 },
        { "railway=rail|usage=industrial|service=spur", CR_USAGE_INDUSTRIAL, CR_SERVICE_SPUR, 0 },
        { "railway=rail|usage=military|service=crossover", CR_USAGE_MILITARY, CR_SERVICE_CROSSOVER,
          0 },
        { "railway=narrow_gauge|usage=tourism|gauge=760", CR_USAGE_TOURISM, CR_SERVICE_NONE, 760 },
        { "railway=rail|usage=freight|service=works", CR_USAGE_OTHER, CR_SERVICE_OTHER, 0 },
        { "railway=rail|gauge=1000;1435", CR_USAGE_NONE, CR_SERVICE_NONE, 1000 },
        { "railway=rail|gauge=standard", CR_USAGE_NONE, CR_SERVICE_NONE, 0 },
        { "railway=rail", CR_USAGE_NONE, CR_SERVICE_NONE, 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        struct cr_way_info info;
        tagset_parse(&t, cases[i].tags);
        if (!cr_osm_way_classify(t.tags, t.n, RAIL, &info))
            fail_msg("%s: not used", cases[i].tags);
        if (info.attr.mode != CR_MODE_RAIL || info.attr.rail_usage != cases[i].usage ||
            info.attr.rail_service != cases[i].service || info.attr.gauge_mm != cases[i].gauge_mm)
            fail_msg("%s: want usage %u service %u gauge %u, got %u %u %u", cases[i].tags,
                     cases[i].usage, cases[i].service, cases[i].gauge_mm, info.attr.rail_usage,
                     info.attr.rail_service, info.attr.gauge_mm);
    }

    /* the brief's example, all at once */
    struct tagset t;
    struct cr_way_info info;
    tagset_parse(&t, "railway=rail|usage=main|service=yard|electrified=contact_line|gauge=1435|"
                     "maxspeed=120|name=Franz-Josefs-Bahn|ref=140");
    assert_int_equal(cr_osm_way_classify(t.tags, t.n, ALL, &info), 1);
    assert_int_equal(info.attr.klass, CR_RAIL_RAIL);
    assert_int_equal(info.attr.flags, CR_WAY_ELECTRIFIED);
    assert_int_equal(info.attr.maxspeed_fwd_kmh, 120);
    assert_int_equal(info.oneway, CR_ONEWAY_NO);
    assert_string_equal(info.name, "Franz-Josefs-Bahn");
    assert_string_equal(info.ref, "140");
    /* a mode mask without rail drops rail ways */
    assert_int_equal(cr_osm_way_classify(t.tags, t.n, ROAD | WATER, &info), 0);
}

static void
classify_water_and_ferry(void **state)
{
    static const struct {
        const char *tags;
        uint8_t cemt;
        uint32_t duration_s;
    } cases[] = {
        { "waterway=river|CEMT=Va", 5, 0 },
        { "waterway=canal|cemt=IV", 4, 0 },
        { "waterway=canal|CEMT=VIb|cemt=II", 8, 0 },
        { "waterway=river|CEMT=junk", 0, 0 },
        { "waterway=fairway|CEMT=VII", 10, 0 },
        { "waterway=river", 0, 0 },
        { "route=ferry|duration=00:25", 0, 1500 },
        { "route=ferry|duration=PT1H30M", 0, 5400 },
        { "route=ferry|duration=25", 0, 1500 },
        { "route=ferry|duration=junk", 0, 0 },
        { "route=ferry|CEMT=Va", 0, 0 },
        { "waterway=river|duration=25", 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        struct cr_way_info info;
        tagset_parse(&t, cases[i].tags);
        if (!cr_osm_way_classify(t.tags, t.n, ALL, &info))
            fail_msg("%s: not used", cases[i].tags);
        if (info.attr.cemt != cases[i].cemt || info.attr.duration_s != cases[i].duration_s)
            fail_msg("%s: want CEMT %u duration %u, got %u %u", cases[i].tags, cases[i].cemt,
                     (unsigned)cases[i].duration_s, info.attr.cemt, (unsigned)info.attr.duration_s);
    }
}

static void
classify_names_and_nulls(void **state)
{
    struct tagset t;
    struct cr_way_info info;
    (void)state;
    tagset_parse(&t, "highway=primary|name=Wiener Straße|ref=B 3");
    assert_int_equal(cr_osm_way_classify(t.tags, t.n, ROAD, &info), 1);
    assert_ptr_equal(info.name, t.tags[1].value); /* borrowed, not copied */
    assert_ptr_equal(info.ref, t.tags[2].value);

    tagset_parse(&t, "highway=primary");
    assert_int_equal(cr_osm_way_classify(t.tags, t.n, ROAD, &info), 1);
    assert_null(info.name);
    assert_null(info.ref);
    assert_int_equal(cr_osm_way_classify(t.tags, t.n, ROAD, NULL), 1);

    /* a way not used leaves INFO zeroed */
    tagset_parse(&t, "highway=footway|name=Weg");
    memset(&info, 0x5a, sizeof info);
    assert_int_equal(cr_osm_way_classify(t.tags, t.n, ALL, &info), 0);
    assert_null(info.name);
    assert_int_equal(info.attr.flags, 0);

    memset(&info, 0x5a, sizeof info);
    assert_int_equal(cr_osm_way_classify(NULL, 0, ALL, &info), 0);
    assert_int_equal(info.attr.mode, 0);
    assert_int_equal(cr_osm_way_classify(NULL, 3, ALL, NULL), 0);
}

/* ---- nodes --------------------------------------------------------------------------------- */

static void
node_barriers(void **state)
{
    static const struct {
        const char *tags;
        enum cr_barrier barrier;
        uint8_t flags;
    } cases[] = {
        { "", CR_BARRIER_NONE, 0 },
        { "barrier=gate", CR_BARRIER_GATE, 0 },
        { "barrier=swing_gate", CR_BARRIER_GATE, 0 },
        { "barrier=sliding_gate", CR_BARRIER_GATE, 0 },
        { "barrier=gate|access=no", CR_BARRIER_GATE, CR_NODE_BARRIER_CLOSED },
        { "barrier=gate|access=private", CR_BARRIER_GATE, 0 },
        { "barrier=bollard|access=private", CR_BARRIER_BOLLARD, 0 },
        { "barrier=bollard|bollard=rising", CR_BARRIER_GATE, 0 },
        { "barrier=sally_port", CR_BARRIER_GATE, 0 },
        { "barrier=arch", CR_BARRIER_NONE, 0 },
        { "barrier=gate|access=yes", CR_BARRIER_GATE, CR_NODE_BARRIER_OPEN },
        { "barrier=gate|access=permissive", CR_BARRIER_GATE, CR_NODE_BARRIER_OPEN },
        { "barrier=gate|access=no|motor_vehicle=yes", CR_BARRIER_GATE, CR_NODE_BARRIER_OPEN },
        { "barrier=gate|access=yes|motor_vehicle=no", CR_BARRIER_GATE, CR_NODE_BARRIER_CLOSED },
        { "barrier=gate|access=destination", CR_BARRIER_GATE, 0 },
        { "barrier=lift_gate", CR_BARRIER_LIFT_GATE, 0 },
        { "barrier=toll_booth", CR_BARRIER_LIFT_GATE, 0 },
        { "barrier=border_control", CR_BARRIER_LIFT_GATE, 0 },
        { "barrier=bollard", CR_BARRIER_BOLLARD, 0 },
        { "barrier=bollard|motor_vehicle=designated", CR_BARRIER_BOLLARD, CR_NODE_BARRIER_OPEN },
        { "barrier=block", CR_BARRIER_BOLLARD, 0 },
        { "barrier=jersey_barrier", CR_BARRIER_BOLLARD, 0 },
        { "barrier=cycle_barrier", CR_BARRIER_CYCLE_BARRIER, 0 },
        { "barrier=kissing_gate", CR_BARRIER_CYCLE_BARRIER, 0 },
        { "barrier=stile", CR_BARRIER_CYCLE_BARRIER, 0 },
        { "barrier=turnstile", CR_BARRIER_CYCLE_BARRIER, 0 },
        { "barrier=chain", CR_BARRIER_CHAIN, 0 },
        { "barrier=rope", CR_BARRIER_CHAIN, 0 },
        { "barrier=fence", CR_BARRIER_OTHER, 0 },
        { "barrier=yes", CR_BARRIER_OTHER, 0 },
        { "barrier=debris|access=no", CR_BARRIER_OTHER, CR_NODE_BARRIER_CLOSED },
        { "barrier=kerb", CR_BARRIER_NONE, 0 },
        { "barrier=kerb|access=no", CR_BARRIER_NONE, 0 },
        { "barrier=no", CR_BARRIER_NONE, 0 },
        { "barrier=entrance", CR_BARRIER_NONE, 0 },
        { "barrier=height_restrictor", CR_BARRIER_NONE, 0 },
        { "barrier=cattle_grid", CR_BARRIER_NONE, 0 },
        { "access=no", CR_BARRIER_NONE, 0 },
        { "highway=traffic_signals", CR_BARRIER_NONE, CR_NODE_TRAFFIC_SIGNALS },
        { "highway=stop", CR_BARRIER_NONE, CR_NODE_STOP },
        { "highway=give_way", CR_BARRIER_NONE, CR_NODE_STOP },
        { "highway=crossing", CR_BARRIER_NONE, 0 },
        { "waterway=lock_gate", CR_BARRIER_NONE, CR_NODE_LOCK_GATE },
        { "barrier=lift_gate|access=no|highway=traffic_signals", CR_BARRIER_LIFT_GATE,
          CR_NODE_BARRIER_CLOSED | CR_NODE_TRAFFIC_SIGNALS },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        uint8_t flags = 0xff;
        tagset_parse(&t, cases[i].tags);
        enum cr_barrier b = cr_osm_node_barrier(t.tags, t.n, &flags);
        if (b != cases[i].barrier || flags != cases[i].flags)
            fail_msg("%s: want barrier %d flags %#x, got %d %#x", cases[i].tags,
                     (int)cases[i].barrier, cases[i].flags, (int)b, flags);
        if (cr_osm_node_barrier(t.tags, t.n, NULL) != cases[i].barrier)
            fail_msg("%s: NULL node_flags changes the answer", cases[i].tags);
    }
    uint8_t flags = 0xff;
    assert_int_equal(cr_osm_node_barrier(NULL, 0, &flags), CR_BARRIER_NONE);
    assert_int_equal(flags, 0);
}

#define RR ((1u << CR_GROUP_ROAD) | (1u << CR_GROUP_RAIL))
#define RW ((1u << CR_GROUP_ROAD) | (1u << CR_GROUP_WATER))

static void
terminal_kinds(void **state)
{
    static const struct {
        const char *tags;
        int area, used;
        enum cr_terminal_kind kind;
        uint8_t modes;
    } cases[] = {
        { "railway=station|name=Krems an der Donau", 0, 1, CR_TERMINAL_RAIL_STATION, RR },
        { "railway=halt", 0, 1, CR_TERMINAL_RAIL_STATION, RR },
        { "railway=station", 1, 1, CR_TERMINAL_RAIL_STATION, RR },
        { "railway=station|station=subway", 0, 0, 0, 0 },
        { "railway=station|station=light_rail", 0, 0, 0, 0 },
        { "railway=station|subway=yes", 0, 0, 0, 0 },
        { "railway=station|tram=yes", 0, 0, 0, 0 },
        { "railway=station|tram=yes|train=yes", 0, 1, CR_TERMINAL_RAIL_STATION, RR },
        { "railway=station|station=subway|train=yes", 0, 1, CR_TERMINAL_RAIL_STATION, RR },
        { "railway=station|disused=yes", 0, 0, 0, 0 },
        { "railway=station|abandoned=yes", 0, 0, 0, 0 },
        { "disused:railway=station", 0, 0, 0, 0 },
        { "railway=yard", 0, 1, CR_TERMINAL_RAIL_YARD, RR },
        { "railway=yard", 1, 1, CR_TERMINAL_RAIL_YARD, RR },
        { "landuse=railway", 1, 1, CR_TERMINAL_RAIL_YARD, RR },
        { "landuse=railway", 0, 0, 0, 0 },
        { "landuse=port", 1, 1, CR_TERMINAL_PORT, RW },
        { "landuse=industrial|industrial=port", 1, 1, CR_TERMINAL_PORT, RW },
        { "harbour=yes", 0, 1, CR_TERMINAL_PORT, RW },
        { "seamark:type=harbour", 0, 1, CR_TERMINAL_PORT, RW },
        { "harbour=no", 0, 0, 0, 0 },
        { "waterway=dock", 1, 1, CR_TERMINAL_QUAY, RW },
        { "waterway=mooring|name=Hafen Krems", 0, 1, CR_TERMINAL_QUAY, RW },
        { "mooring=yes|name=Hafen Krems", 0, 1, CR_TERMINAL_QUAY, RW },
        { "mooring=commercial", 0, 1, CR_TERMINAL_QUAY, RW },
        { "mooring=no", 0, 0, 0, 0 },
        { "man_made=pier", 0, 1, CR_TERMINAL_QUAY, RW },
        { "railway=station|harbour=yes", 0, 1, CR_TERMINAL_RAIL_STATION, RR },
        { "amenity=parking", 1, 0, 0, 0 },
        { "railway=platform", 0, 0, 0, 0 },
        { "", 0, 0, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        enum cr_terminal_kind kind = CR_TERMINAL_OTHER;
        uint8_t modes = 0xff;
        tagset_parse(&t, cases[i].tags);
        int used = cr_osm_terminal_kind(t.tags, t.n, cases[i].area, &kind, &modes);
        if (used != cases[i].used)
            fail_msg("%s (area %d): want used=%d, got %d", cases[i].tags, cases[i].area,
                     cases[i].used, used);
        if (used && (kind != cases[i].kind || modes != cases[i].modes))
            fail_msg("%s (area %d): want kind %d modes %#x, got %d %#x", cases[i].tags,
                     cases[i].area, (int)cases[i].kind, cases[i].modes, (int)kind, modes);
    }
    assert_int_equal(cr_osm_terminal_kind(NULL, 0, 1, NULL, NULL), 0);
}

#undef RR
#undef RW

/* ---- restrictions -------------------------------------------------------------------------- */

#define BIT(v) (1u << (v))

static void
restrictions(void **state)
{
    static const struct {
        const char *tags;
        int used;
        uint8_t kind, except, only;
    } cases[] = {
        { "type=restriction|restriction=no_left_turn", 1, CR_RESTRICT_NO, 0, 0 },
        { "type=restriction|restriction=no_right_turn", 1, CR_RESTRICT_NO, 0, 0 },
        { "type=restriction|restriction=no_u_turn", 1, CR_RESTRICT_NO, 0, 0 },
        { "type=restriction|restriction=no_straight_on", 1, CR_RESTRICT_NO, 0, 0 },
        { "type=restriction|restriction=no_entry", 1, CR_RESTRICT_NO, 0, 0 },
        { "type=restriction|restriction=no_exit", 1, CR_RESTRICT_NO, 0, 0 },
        { "type=restriction|restriction=only_straight_on", 1, CR_RESTRICT_ONLY, 0, 0 },
        { "type=restriction|restriction=only_left_turn", 1, CR_RESTRICT_ONLY, 0, 0 },
        { "type=restriction|restriction=only_u_turn", 1, CR_RESTRICT_ONLY, 0, 0 },
        { "type=restriction|restriction:hgv=no_right_turn", 1, CR_RESTRICT_NO, 0,
          1 + CR_VEHICLE_HGV },
        { "type=restriction|restriction:goods=only_left_turn", 1, CR_RESTRICT_ONLY, 0,
          1 + CR_VEHICLE_HGV },
        { "type=restriction|restriction:motorcar=no_left_turn", 1, CR_RESTRICT_NO, 0,
          1 + CR_VEHICLE_CAR },
        { "type=restriction|restriction:bicycle=no_left_turn|restriction:hgv=no_u_turn", 1,
          CR_RESTRICT_NO, 0, 1 + CR_VEHICLE_HGV },
        { "type=restriction|restriction=no_left_turn|restriction:hgv=only_straight_on", 1,
          CR_RESTRICT_NO, 0, 0 },
        { "type=restriction:hgv|restriction:hgv=no_right_turn", 1, CR_RESTRICT_NO, 0,
          1 + CR_VEHICLE_HGV },
        { "type=restriction:hgv|restriction=no_right_turn", 1, CR_RESTRICT_NO, 0,
          1 + CR_VEHICLE_HGV },
        { "type=restriction:motorcycle|restriction:motorcycle=only_right_turn", 1, CR_RESTRICT_ONLY,
          0, 1 + CR_VEHICLE_MOTORCYCLE },
        { "type=restriction:motorcar|restriction:motorcar=no_left_turn", 1, CR_RESTRICT_NO, 0,
          1 + CR_VEHICLE_CAR },
        { "type=restriction:motor_vehicle|restriction:motor_vehicle=no_left_turn", 1,
          CR_RESTRICT_NO, 0, 0 },
        { "type=restriction|restriction=no_left_turn|except=psv;bicycle", 1, CR_RESTRICT_NO, 0, 0 },
        { "type=restriction|restriction=no_left_turn|except=motorcar", 1, CR_RESTRICT_NO,
          BIT(CR_VEHICLE_CAR), 0 },
        { "type=restriction|restriction=no_left_turn|except=bicycle; motorcar ;hgv", 1,
          CR_RESTRICT_NO, BIT(CR_VEHICLE_CAR) | BIT(CR_VEHICLE_HGV), 0 },
        { "type=restriction|restriction=only_straight_on|except=goods;motorcycle", 1,
          CR_RESTRICT_ONLY, BIT(CR_VEHICLE_HGV) | BIT(CR_VEHICLE_MOTORCYCLE), 0 },
        { "type=restriction|restriction=no_left_turn|except=motor_vehicle", 1, CR_RESTRICT_NO,
          BIT(CR_VEHICLE_CAR) | BIT(CR_VEHICLE_MOTORCYCLE) | BIT(CR_VEHICLE_HGV), 0 },
        { "type=restriction|restriction=no_left_turn|except=", 1, CR_RESTRICT_NO, 0, 0 },
        { "type=restriction:hgv|restriction:hgv=no_left_turn|except=motorcar", 1, CR_RESTRICT_NO,
          BIT(CR_VEHICLE_CAR), 1 + CR_VEHICLE_HGV },
        /* not usable */
        { "type=restriction|restriction:bicycle=no_left_turn", 0, 0, 0, 0 },
        { "type=restriction|restriction:psv=only_straight_on", 0, 0, 0, 0 },
        { "type=restriction|restriction:conditional=no_left_turn @ (Mo-Fr 07:00-09:00)", 0, 0, 0,
          0 },
        { "type=restriction:bus|restriction:bus=no_left_turn", 0, 0, 0, 0 },
        { "type=restriction:bicycle|restriction=no_left_turn", 0, 0, 0, 0 },
        { "type=restriction|restriction=give_way", 0, 0, 0, 0 },
        /* when a turn is allowed at a red light: not a ban */
        { "type=restriction|restriction=no_right_turn_on_red", 0, 0, 0, 0 },
        { "type=restriction|restriction=no_left_turn_on_red", 0, 0, 0, 0 },
        { "type=restriction|restriction=no_turn_on_red", 0, 0, 0, 0 },
        { "type=restriction:hgv|restriction:hgv=no_turn_on_red", 0, 0, 0, 0 },
        { "type=restriction|restriction=no_", 0, 0, 0, 0 },
        { "type=restriction|restriction=only_", 0, 0, 0, 0 },
        { "type=restriction|restriction=", 0, 0, 0, 0 },
        { "type=restriction", 0, 0, 0, 0 },
        { "type=restriction:hgv", 0, 0, 0, 0 },
        { "type=multipolygon|restriction=no_left_turn", 0, 0, 0, 0 },
        { "type=restrictions|restriction=no_left_turn", 0, 0, 0, 0 },
        { "restriction=no_left_turn", 0, 0, 0, 0 },
        { "", 0, 0, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        uint8_t kind = 0xff, except = 0xff, only = 0xff;
        tagset_parse(&t, cases[i].tags);
        int used = cr_osm_restriction(t.tags, t.n, &kind, &except, &only);
        if (used != cases[i].used)
            fail_msg("%s: want used=%d, got %d", cases[i].tags, cases[i].used, used);
        if (used && (kind != cases[i].kind || except != cases[i].except || only != cases[i].only))
            fail_msg("%s: want kind %u except %#x only %u, got %u %#x %u", cases[i].tags,
                     cases[i].kind, cases[i].except, cases[i].only, kind, except, only);
        if (cr_osm_restriction(t.tags, t.n, NULL, NULL, NULL) != cases[i].used)
            fail_msg("%s: NULL outputs change the answer", cases[i].tags);
    }
    assert_int_equal(cr_osm_restriction(NULL, 0, NULL, NULL, NULL), 0);
}

/* How many from and to ways each restriction value allows. */
static void
restriction_members(void **state)
{
    static const struct {
        const char *tags;
        unsigned many;
    } cases[] = {
        { "type=restriction|restriction=no_entry", CR_RESTRICT_MANY_FROM },
        { "type=restriction|restriction=no_exit", CR_RESTRICT_MANY_TO },
        { "type=restriction:hgv|restriction:hgv=no_entry", CR_RESTRICT_MANY_FROM },
        { "type=restriction|restriction=no_left_turn", 0 },
        { "type=restriction|restriction=only_straight_on", 0 },
        { "type=restriction|restriction=no_turn_on_red", 0 },
        { "type=multipolygon|restriction=no_entry", 0 },
        { "", 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        tagset_parse(&t, cases[i].tags);
        if (cr_osm_restriction_members(t.tags, t.n) != cases[i].many)
            fail_msg("%s: want %u", cases[i].tags, cases[i].many);
    }
    assert_int_equal(cr_osm_restriction_members(NULL, 0), 0);
}

/* Directions per vehicle: directional access, oneway:<vehicle>; closed_fwd / closed_bwd hold
 * the vehicles closed where an edge exists. C = car, M = motorcycle, H = hgv bits. */
static void
classify_directions(void **state)
{
#define C BIT(CR_VEHICLE_CAR)
#define M BIT(CR_VEHICLE_MOTORCYCLE)
#define H BIT(CR_VEHICLE_HGV)
    static const struct {
        const char *tags;
        int used;
        enum cr_oneway oneway;
        unsigned fwd, bwd;
    } cases[] = {
        { "highway=residential", 1, CR_ONEWAY_NO, 0, 0 },
        { "highway=residential|oneway=yes", 1, CR_ONEWAY_FORWARD, 0, 0 },
        { "highway=residential|oneway=yes|oneway:motorcycle=no", 1, CR_ONEWAY_NO, 0, C | H },
        { "highway=residential|oneway=yes|oneway:moped=no", 1, CR_ONEWAY_NO, 0, C | H },
        { "highway=residential|oneway=-1|oneway:motorcycle=no", 1, CR_ONEWAY_NO, C | H, 0 },
        { "highway=residential|oneway=yes|oneway:moped=no|oneway:motorcycle=yes", 1,
          CR_ONEWAY_FORWARD, 0, 0 },
        { "highway=residential|oneway:motorcar=yes", 1, CR_ONEWAY_NO, 0, C },
        { "highway=residential|oneway:motor_vehicle=yes", 1, CR_ONEWAY_FORWARD, 0, 0 },
        { "highway=residential|oneway:vehicle=-1", 1, CR_ONEWAY_BACKWARD, 0, 0 },
        { "highway=residential|oneway:motor_vehicle=yes|oneway:motorcycle=no", 1, CR_ONEWAY_NO, 0,
          C | H },
        { "highway=primary|junction=roundabout|oneway:motorcycle=no", 1, CR_ONEWAY_NO, 0, C | H },
        { "highway=residential|oneway:motorcar=maybe", 1, CR_ONEWAY_NO, 0, 0 },
        /* directional access (OSRM's car access.feature, forward/backward table) */
        { "highway=residential|access:backward=no", 1, CR_ONEWAY_FORWARD, 0, 0 },
        { "highway=residential|access=yes|access:forward=no", 1, CR_ONEWAY_BACKWARD, 0, 0 },
        { "highway=residential|access=no|access:forward=yes", 1, CR_ONEWAY_FORWARD, 0, 0 },
        { "highway=residential|access:forward=yes|motorcar=no", 1, CR_ONEWAY_NO, 0, 0 },
        { "highway=residential|motorcar:forward=no", 1, CR_ONEWAY_NO, C, 0 },
        { "highway=residential|access=no|motorcar=no|motorcar:backward=yes", 1, CR_ONEWAY_BACKWARD,
          0, 0 },
        { "highway=residential|access:forward=no|motorcar:forward=yes", 1, CR_ONEWAY_NO, M | H, 0 },
        { "highway=residential|motor_vehicle:backward=no|motorcycle:backward=yes", 1, CR_ONEWAY_NO,
          0, C | H },
        { "highway=residential|oneway=yes|access:forward=no", 0, 0, 0, 0 },
        { "highway=residential|access:forward=no|access:backward=no", 0, 0, 0, 0 },
        /* rail and water have no vehicle slots to close */
        { "railway=rail|oneway=yes|oneway:motorcycle=no", 1, CR_ONEWAY_FORWARD, 0, 0 },
    };
#undef C
#undef M
#undef H
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        struct cr_way_info info;
        tagset_parse(&t, cases[i].tags);
        int used = cr_osm_way_classify(t.tags, t.n, ALL, &info);
        if (used != cases[i].used)
            fail_msg("%s: want used=%d, got %d", cases[i].tags, cases[i].used, used);
        if (!used)
            continue;
        if (info.oneway != cases[i].oneway || info.attr.closed_fwd != cases[i].fwd ||
            info.attr.closed_bwd != cases[i].bwd)
            fail_msg("%s: want oneway %d closed %#x/%#x, got %d %#x/%#x", cases[i].tags,
                     (int)cases[i].oneway, cases[i].fwd, cases[i].bwd, (int)info.oneway,
                     info.attr.closed_fwd, info.attr.closed_bwd);
        if (((info.attr.flags & CR_WAY_ONEWAY) != 0) !=
            (info.oneway == CR_ONEWAY_FORWARD || info.oneway == CR_ONEWAY_BACKWARD))
            fail_msg("%s: ONEWAY flag and oneway disagree", cases[i].tags);
    }
}

/* layer=*: clamped to -5..5; bridges and tunnels without one count +1 and -1. */
static void
classify_layer(void **state)
{
    static const struct {
        const char *tags;
        int layer;
    } cases[] = {
        { "highway=primary", 0 },
        { "highway=primary|layer=1", 1 },
        { "highway=primary|layer=-2", -2 },
        { "highway=primary|layer=+2", 2 },
        { "highway=primary|layer= 3 ", 3 },
        { "highway=primary|layer=7", 5 },
        { "highway=primary|layer=-12", -5 },
        { "highway=primary|bridge=yes", 1 },
        { "highway=primary|bridge=viaduct|layer=3", 3 },
        { "highway=primary|bridge=yes|layer=0", 0 },
        { "highway=primary|bridge=no", 0 },
        { "highway=primary|tunnel=yes", -1 },
        { "highway=primary|tunnel=culvert|layer=-3", -3 },
        { "highway=primary|bridge=yes|layer=high", 1 },
        { "highway=primary|layer=1.5", 0 },
        { "highway=primary|layer=", 0 },
        { "highway=primary|layer=-", 0 },
        { "railway=rail|bridge=yes", 1 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        struct cr_way_info info;
        tagset_parse(&t, cases[i].tags);
        if (!cr_osm_way_classify(t.tags, t.n, ALL, &info))
            fail_msg("%s: not used", cases[i].tags);
        if (info.attr.layer != cases[i].layer)
            fail_msg("%s: want layer %d, got %d", cases[i].tags, cases[i].layer, info.attr.layer);
    }
}

/* Access on nodes, with or without barrier=* (OSRM's car access.feature, nodes tables). */
static void
node_access(void **state)
{
    static const struct {
        const char *tags;
        unsigned closed;
    } cases[] = {
        { "", 0 },
        { "access=yes", 0 },
        { "access=no", 7 },
        { "vehicle=no", 7 },
        { "access=no|vehicle=yes", 0 },
        { "motor_vehicle=no", 7 },
        { "access=no|motor_vehicle=yes", 0 },
        { "motorcar=no", BIT(CR_VEHICLE_CAR) | BIT(CR_VEHICLE_HGV) },
        { "motorcar=no|hgv=yes", BIT(CR_VEHICLE_CAR) },
        { "access=no|motorcar=yes", BIT(CR_VEHICLE_MOTORCYCLE) | BIT(CR_VEHICLE_HGV) },
        { "motorcycle=no", BIT(CR_VEHICLE_MOTORCYCLE) },
        { "hgv=no", BIT(CR_VEHICLE_HGV) },
        { "access=private", 0 },
        { "access=delivery", 0 },
        { "access=destination", 0 },
        { "access=agricultural", 7 },
        { "access=forestry", 7 },
        { "access=psv", 7 },
        { "access=some_tag", 0 },
        { "barrier=gate|access=no", 7 },
        { "highway=traffic_signals", 0 },
    };
    (void)state;
    for (size_t i = 0; i < N(cases); i++) {
        struct tagset t;
        tagset_parse(&t, cases[i].tags);
        if (cr_osm_node_closed(t.tags, t.n) != cases[i].closed)
            fail_msg("%s: want closed %#x, got %#x", cases[i].tags, cases[i].closed,
                     cr_osm_node_closed(t.tags, t.n));
    }
    assert_int_equal(cr_osm_node_closed(NULL, 0), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tag_get),
        cmocka_unit_test(maxspeed_forms),
        cmocka_unit_test(maxspeed_huge_number),
        cmocka_unit_test(weight_forms),
        cmocka_unit_test(length_forms),
        cmocka_unit_test(duration_forms),
        cmocka_unit_test(lanes_forms),
        cmocka_unit_test(cemt_forms),
        cmocka_unit_test(gauge_forms),
        cmocka_unit_test(oneway_forms),
        cmocka_unit_test(access_forms),
        cmocka_unit_test(classes),
        cmocka_unit_test(classify_selection),
        cmocka_unit_test(classify_flags),
        cmocka_unit_test(classify_access),
        cmocka_unit_test(classify_limits),
        cmocka_unit_test(classify_rail),
        cmocka_unit_test(classify_water_and_ferry),
        cmocka_unit_test(classify_names_and_nulls),
        cmocka_unit_test(node_barriers),
        cmocka_unit_test(terminal_kinds),
        cmocka_unit_test(restrictions),
        cmocka_unit_test(restriction_members),
        cmocka_unit_test(classify_directions),
        cmocka_unit_test(classify_layer),
        cmocka_unit_test(node_access),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
