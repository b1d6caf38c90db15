/* Terminals from GeoJSON and CSV: small files written to a temporary folder, read back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "importers/terminals/terminals.h"

#define ROAD (1u << CR_GROUP_ROAD)
#define RAIL (1u << CR_GROUP_RAIL)
#define WATER (1u << CR_GROUP_WATER)
#define MAX_FILES 64
#define FOLDER_TEMPLATE "/tmp/test_terminals.XXXXXX"

#include "folder.h"

static const struct cr_terminal_input *
find(const struct cr_terminal_list *list, const char *name)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i].name, name) == 0)
            return &list->items[i];
    fail_msg("no terminal \"%s\"", name);
    return NULL;
}

static void
parse_modes(void **state)
{
    static const struct {
        const char *text;
        enum cr_status code;
        unsigned modes;
    } cases[] = {
        { "rail", CR_OK, ROAD | RAIL },
        { "road", CR_OK, ROAD },
        { "Truck", CR_OK, ROAD },
        { "road,rail", CR_OK, ROAD | RAIL },
        { "road;water", CR_OK, ROAD | WATER },
        { "rail|water", CR_OK, ROAD | RAIL | WATER },
        { " TRAIN  Barge ", CR_OK, ROAD | RAIL | WATER },
        { "river;ship", CR_OK, ROAD | WATER },
        { "rail,,water;", CR_OK, ROAD | RAIL | WATER },
        { "air", CR_EINVAL, 0 },
        { "rail,air", CR_EINVAL, 0 },
        { "railway", CR_EINVAL, 0 },
        { "", CR_EINVAL, 0 },
        { " , ;|", CR_EINVAL, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_error err = { CR_OK, "" };
        uint8_t modes = 0xFF;
        enum cr_status st = cr_terminals_parse_modes(cases[i].text, &modes, &err);
        if (st != cases[i].code || modes != cases[i].modes)
            fail_msg("modes \"%s\": got %d/%u, want %d/%u (%s)", cases[i].text, st, modes,
                     cases[i].code, cases[i].modes, err.msg);
        if (st && err.code != st)
            fail_msg("modes \"%s\": err.code %d, returned %d", cases[i].text, err.code, st);
    }
    struct cr_error err = { CR_OK, "" };
    uint8_t modes;
    assert_int_equal(cr_terminals_parse_modes("road,air", &modes, &err), CR_EINVAL);
    assert_string_equal(err.msg, "unknown mode \"air\" (want road, rail, water)");
    assert_int_equal(cr_terminals_parse_modes("", &modes, &err), CR_EINVAL);
    assert_string_equal(err.msg, "no modes");
    assert_int_equal(cr_terminals_parse_modes("rail", &modes, NULL), CR_OK); /* err optional */
}

static void
good_csv(void **state)
{
    const char *path =
        write_file(*state, "good.csv",
                   "name,lon,lat,modes,handling_time,handling_cost,kind\n"
                   "\"Cảng Cát Lái\",106.7915,10.7633,\"road;water\",3600,250000.6,port\n"
                   "\"Krems, Hafen\",15.6123456,48.4012345,\"rail,water\",,,\n"
                   "Sóng Thần ICD , -0.00000004 , -89.99999996 ,rail, 12.5 ,0, Yard \n");
    struct cr_terminal_list list;
    struct cr_error err = { CR_OK, "" };
    if (cr_terminals_read(path, &list, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(list.count, 3);

    const struct cr_terminal_input *t = find(&list, "Cảng Cát Lái");
    assert_int_equal(t->lon_e7, 1067915000);
    assert_int_equal(t->lat_e7, 107633000);
    assert_int_equal(t->modes, ROAD | WATER);
    assert_int_equal(t->kind, CR_TERMINAL_PORT);
    assert_int_equal(t->handling_time_s, 3600);
    assert_int_equal(t->handling_cost, 250001);

    t = find(&list, "Krems, Hafen");
    assert_int_equal(t->lon_e7, 156123456);
    assert_int_equal(t->lat_e7, 484012345);
    assert_int_equal(t->modes, ROAD | RAIL | WATER);
    assert_int_equal(t->kind, CR_TERMINAL_ICD);
    assert_int_equal(t->handling_time_s, CR_TERMINAL_DEFAULT);
    assert_int_equal(t->handling_cost, CR_TERMINAL_DEFAULT);

    t = find(&list, "Sóng Thần ICD"); /* surrounding blanks trimmed */
    assert_int_equal(t->lon_e7, 0);
    assert_int_equal(t->lat_e7, -900000000);
    assert_int_equal(t->modes, ROAD | RAIL);
    assert_int_equal(t->kind, CR_TERMINAL_RAIL_YARD);
    assert_int_equal(t->handling_time_s, 13); /* 12.5 rounds away from zero */
    assert_int_equal(t->handling_cost, 0);

    cr_terminal_list_fini(&list);
    assert_null(list.items);
    assert_int_equal(list.count, 0);
    cr_terminal_list_fini(&list); /* a zeroed list is fine */
}

static void
csv_other_column_names(void **state)
{
    const char *path = write_file(*state, "names.CSV",
                                  "Latitude;Longitude;NAME;Modes;Kind\n"
                                  "10.5;106.5;Phước Long;rail|water;STATION\n");
    struct cr_terminal_list list;
    struct cr_error err = { CR_OK, "" };
    if (cr_terminals_read(path, &list, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(list.count, 1);
    assert_string_equal(list.items[0].name, "Phước Long");
    assert_int_equal(list.items[0].lon_e7, 1065000000);
    assert_int_equal(list.items[0].lat_e7, 105000000);
    assert_int_equal(list.items[0].modes, ROAD | RAIL | WATER);
    assert_int_equal(list.items[0].kind, CR_TERMINAL_RAIL_STATION);
    cr_terminal_list_fini(&list);
}

#define GJ_HEAD "{\"type\":\"FeatureCollection\",\"features\":["
#define GJ_POINT(props, lon, lat)                                                                  \
    "{\"type\":\"Feature\",\"properties\":{" props "},\"geometry\":{\"type\":\"Point\","           \
    "\"coordinates\":[" lon "," lat "]}}"
#define GJ_GOOD GJ_POINT("\"name\":\"ok\",\"modes\":\"rail\"", "16", "48")

static void
good_geojson(void **state)
{
    const char *path = write_file(
        *state, "good.geojson",
        "{\"type\":\"FeatureCollection\",\"features\":[\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"Cảng Cát Lái\",\"modes\":[\"road\","
        "\"water\"],\"handling_time\":1800,\"handling_cost\":99.4,\"kind\":\"quay\"},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[106.7915,10.7633]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"Enns\",\"modes\":\"rail,water\","
        "\"handling_time\":\"600\",\"kind\":null},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[14.4912345,48.2187654,250]}},\n"
        "{\"type\":\"Feature\",\"properties\":{\"name\":\"Linz\",\"modes\":[\"Train\"],"
        "\"kind\":\"other\",\"handling_cost\":\"\"},"
        "\"geometry\":{\"type\":\"Point\",\"coordinates\":[-14.29,-48.3]}}\n"
        "]}\n");
    /* an empty array beside others makes GDAL keep the field as JSON text: [ "rail", "water" ] */
    const char *json_path = write_file(
        *state, "jsonmodes.geojson",
        GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":[\"rail\",\"water\"]", "16", "48") "," GJ_POINT(
            "\"name\":\"b\",\"modes\":[\"barge\"]", "16",
            "48") "," GJ_POINT("\"name\":\"c\",\"modes\":[]", "16", "48") "]}");
    struct cr_terminal_list list;
    struct cr_error err = { CR_OK, "" };
    if (cr_terminals_read(path, &list, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(list.count, 3);

    const struct cr_terminal_input *t = find(&list, "Cảng Cát Lái");
    assert_int_equal(t->lon_e7, 1067915000);
    assert_int_equal(t->lat_e7, 107633000);
    assert_int_equal(t->modes, ROAD | WATER);
    assert_int_equal(t->kind, CR_TERMINAL_QUAY);
    assert_int_equal(t->handling_time_s, 1800);
    assert_int_equal(t->handling_cost, 99);

    t = find(&list, "Enns");
    assert_int_equal(t->lon_e7, 144912345);
    assert_int_equal(t->lat_e7, 482187654);
    assert_int_equal(t->modes, ROAD | RAIL | WATER);
    assert_int_equal(t->kind, CR_TERMINAL_ICD);
    assert_int_equal(t->handling_time_s, 600);
    assert_int_equal(t->handling_cost, CR_TERMINAL_DEFAULT);

    t = find(&list, "Linz");
    assert_int_equal(t->lon_e7, -142900000);
    assert_int_equal(t->lat_e7, -483000000);
    assert_int_equal(t->modes, ROAD | RAIL);
    assert_int_equal(t->kind, CR_TERMINAL_OTHER);
    assert_int_equal(t->handling_time_s, CR_TERMINAL_DEFAULT);
    assert_int_equal(t->handling_cost, CR_TERMINAL_DEFAULT);
    cr_terminal_list_fini(&list);

    assert_int_equal(cr_terminals_read(json_path, &list, &err), CR_EINVAL);
    assert_true(strstr(err.msg, ": feature 3: no modes") != NULL);
    struct cr_terminal_list none = { NULL, 0 };
    assert_memory_equal(&list, &none, sizeof list);
}

/* Spherical (pseudo-)Mercator, as EPSG:3857 defines it. */
static void
to_web_mercator(double lon, double lat, double *x, double *y)
{
    const double r = 6378137.0, rad = M_PI / 180.0;
    *x = r * lon * rad;
    *y = r * log(tan(M_PI / 4 + lat * rad / 2));
}

static void
geojson_in_web_mercator(void **state)
{
    static const struct {
        double lon, lat;
    } points[] = { { 106.7915, 10.7633 }, { 15.6123456, 48.4012345 }, { -70.25, -33.5 } };
    char text[2048];
    size_t n = (size_t)snprintf(text, sizeof text,
                                "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\","
                                "\"properties\":{\"name\":\"urn:ogc:def:crs:EPSG::3857\"}},"
                                "\"features\":[\n");
    for (size_t i = 0; i < 3; i++) {
        double x, y;
        to_web_mercator(points[i].lon, points[i].lat, &x, &y);
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "%s{\"type\":\"Feature\",\"properties\":{\"name\":\"p%zu\","
                              "\"modes\":\"water\"},\"geometry\":{\"type\":\"Point\","
                              "\"coordinates\":[%.6f,%.6f]}}\n",
                              i ? "," : "", i, x, y);
    }
    snprintf(text + n, sizeof text - n, "]}\n");
    const char *path = write_file(*state, "mercator.json", text);

    struct cr_terminal_list list;
    struct cr_error err = { CR_OK, "" };
    if (cr_terminals_read(path, &list, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(list.count, 3);
    for (size_t i = 0; i < 3; i++) {
        char name[8];
        snprintf(name, sizeof name, "p%zu", i);
        const struct cr_terminal_input *t = find(&list, name);
        double lon = t->lon_e7 / 1e7, lat = t->lat_e7 / 1e7;
        if (fabs(lon - points[i].lon) > 1e-6 || fabs(lat - points[i].lat) > 1e-6)
            fail_msg("%s: got %.7f,%.7f, want %.7f,%.7f", name, lon, lat, points[i].lon,
                     points[i].lat);
        assert_int_equal(t->modes, ROAD | WATER);
    }
    cr_terminal_list_fini(&list);
}

static void
geojson_in_wgs84_urn(void **state)
{
    /* an explicit EPSG:4326 crs member: coordinates stay lon,lat (GeoJSON order) */
    const char *path = write_file(
        *state, "urn4326.geojson",
        "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":{\"name\":"
        "\"urn:ogc:def:crs:EPSG::4326\"}},\"features\":[{\"type\":\"Feature\",\"properties\":"
        "{\"name\":\"a\",\"modes\":\"rail\"},\"geometry\":{\"type\":\"Point\","
        "\"coordinates\":[106.5,10.25]}}]}\n");
    struct cr_terminal_list list;
    struct cr_error err = { CR_OK, "" };
    if (cr_terminals_read(path, &list, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.items[0].lon_e7, 1065000000);
    assert_int_equal(list.items[0].lat_e7, 102500000);
    cr_terminal_list_fini(&list);
}

#define CSV_HEAD "name,lon,lat,modes,handling_time,handling_cost,kind\n"
#define CSV_GOOD "ok,16,48,rail,,,\n"

static void
bad_files(void **state)
{
    static const struct {
        const char *name, *text; /* text NULL: no file is written */
        enum cr_status code;
        const char *msg; /* after "PATH: " */
    } cases[] = {
        { "missing.csv", NULL, CR_EIO, "No such file or directory" },
        { "t.txt", "name,lon,lat\n", CR_EINVAL, "terminals must be .geojson, .json or .csv" },
        { "noext", "name,lon,lat\n", CR_EINVAL, "terminals must be .geojson, .json or .csv" },
        { "garbage.geojson", "this is not json {", CR_EFORMAT,
          "not a GeoJSON or CSV file GDAL can read (" },
        { "csvtext.geojson", CSV_HEAD CSV_GOOD, CR_EFORMAT,
          "not a GeoJSON or CSV file GDAL can read (" },
        { "empty.csv", "", CR_EEMPTY, "no terminals" },
        { "header.csv", CSV_HEAD, CR_EEMPTY, "no terminals" },
        { "empty.geojson", "", CR_EEMPTY, "no terminals" },
        { "nofeatures.geojson", GJ_HEAD "]}", CR_EEMPTY, "no terminals" },
        { "noname.csv", "lon,lat,modes\n16,48,rail\n", CR_EINVAL, "no name column" },
        { "nolon.csv", "name,lat,modes\na,48,rail\n", CR_EINVAL,
          "no lon column (want lon, longitude or x)" },
        { "nolat.csv", "name,lon,modes\na,16,rail\n", CR_EINVAL,
          "no lat column (want lat, latitude or y)" },
        { "nomodescol.csv", "name,lon,lat\na,16,48\n", CR_EINVAL, "line 2: no modes" },
        { "lon.csv", CSV_HEAD CSV_GOOD "b,abc,48,rail,,,\n", CR_EINVAL,
          "line 3: lon \"abc\" is not a number" },
        { "lontail.csv", CSV_HEAD "b,16x,48,rail,,,\n", CR_EINVAL,
          "line 2: lon \"16x\" is not a number" },
        { "latnan.csv", CSV_HEAD "b,16,nan,rail,,,\n", CR_EINVAL,
          "line 2: lat \"nan\" is not a number" },
        { "nolonvalue.csv", CSV_HEAD "b,,48,rail,,,\n", CR_EINVAL, "line 2: no lon" },
        { "lat.csv", CSV_HEAD CSV_GOOD CSV_GOOD "c,16,123.5,rail,,,\n", CR_EINVAL,
          "line 4: lat 123.5 out of range" },
        { "lonrange.csv", CSV_HEAD "c,-180.5,0,rail,,,\n", CR_EINVAL,
          "line 2: lon -180.5 out of range" },
        { "mode.csv", CSV_HEAD CSV_GOOD "c,16,48,\"rail,air\",,,\n", CR_EINVAL,
          "line 3: unknown mode \"air\" (want road, rail, water)" },
        { "nomodes.csv", CSV_HEAD "c,16,48,,,,\n", CR_EINVAL, "line 2: no modes" },
        { "blankmodes.csv", CSV_HEAD "c,16,48,\" ; \",,,\n", CR_EINVAL, "line 2: no modes" },
        { "noname2.csv", CSV_HEAD CSV_GOOD " ,16,48,rail,,,\n", CR_EINVAL, "line 3: no name" },
        { "time.csv", CSV_HEAD "c,16,48,rail,-5,,\n", CR_EINVAL,
          "line 2: handling_time -5 is negative" },
        { "timetext.csv", CSV_HEAD "c,16,48,rail,1h,,\n", CR_EINVAL,
          "line 2: handling_time \"1h\" is not a number" },
        { "cost.csv", CSV_HEAD "c,16,48,rail,,lots,\n", CR_EINVAL,
          "line 2: handling_cost \"lots\" is not a number" },
        { "costbig.csv", CSV_HEAD "c,16,48,rail,,1e10,\n", CR_EINVAL,
          "line 2: handling_cost 1e10 is too large" },
        { "kind.csv", CSV_HEAD "c,16,48,rail,,,airport\n", CR_EINVAL,
          "line 2: kind \"airport\" unknown (want station, yard, port, quay, icd, other)" },
        { "line.geojson",
          GJ_HEAD GJ_GOOD "," GJ_GOOD ",{\"type\":\"Feature\",\"properties\":{\"name\":\"l\","
                          "\"modes\":\"rail\"},\"geometry\":{\"type\":\"LineString\","
                          "\"coordinates\":[[16,48],[17,49]]}}]}",
          CR_EINVAL, "feature 3: geometry is LineString, want Point" },
        { "multipoint.geojson",
          GJ_HEAD "{\"type\":\"Feature\",\"properties\":{\"name\":\"m\",\"modes\":\"rail\"},"
                  "\"geometry\":{\"type\":\"MultiPoint\",\"coordinates\":[[16,48]]}}]}",
          CR_EINVAL, "feature 1: geometry is MultiPoint, want Point" },
        { "nogeom.geojson",
          GJ_HEAD "{\"type\":\"Feature\",\"properties\":{\"name\":\"m\",\"modes\":\"rail\"},"
                  "\"geometry\":null}]}",
          CR_EINVAL, "feature 1: no geometry" },
        { "gjname.geojson", GJ_HEAD GJ_GOOD "," GJ_POINT("\"modes\":\"rail\"", "16", "48") "]}",
          CR_EINVAL, "feature 2: no name" },
        { "gjnonamefield.geojson", GJ_HEAD GJ_POINT("\"modes\":\"rail\"", "16", "48") "]}",
          CR_EINVAL, "feature 1: no name" },
        { "gjlat.geojson", GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":\"rail\"", "16", "91") "]}",
          CR_EINVAL, "feature 1: lat 91 out of range" },
        { "gjmode.geojson",
          GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":[\"rail\",\"air\"]", "16", "48") "]}",
          CR_EINVAL, "feature 1: unknown mode \"air\" (want road, rail, water)" },
        { "gjnomodes.geojson", GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":[]", "16", "48") "]}",
          CR_EINVAL, "feature 1: no modes" },
        { "gjnomodesfield.geojson", GJ_HEAD GJ_POINT("\"name\":\"a\"", "16", "48") "]}", CR_EINVAL,
          "feature 1: no modes" },
        { "gjmodesnum.geojson", GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":7", "16", "48") "]}",
          CR_EINVAL, "feature 1: modes 7 is not text" },
        { "gjtime.geojson",
          GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":\"rail\",\"handling_time\":-1.5", "16",
                           "48") "]}",
          CR_EINVAL, "feature 1: handling_time -1.5 is negative" },
        { "gjcost.geojson",
          GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":\"rail\",\"handling_cost\":\"cheap\"", "16",
                           "48") "]}",
          CR_EINVAL, "feature 1: handling_cost \"cheap\" is not a number" },
        { "gjcostbool.geojson",
          GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":\"rail\",\"handling_cost\":[1,2]", "16",
                           "48") "]}",
          CR_EINVAL, "feature 1: handling_cost \"" },
        { "gjkind.geojson",
          GJ_HEAD GJ_POINT("\"name\":\"a\",\"modes\":\"rail\",\"kind\":\"dock\"", "16", "48") "]}",
          CR_EINVAL, "feature 1: kind \"dock\" unknown" },
    };
    struct folder *f = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char missing[128];
        const char *path = missing;
        if (cases[i].text)
            path = write_file(f, cases[i].name, cases[i].text);
        else
            snprintf(missing, sizeof missing, "%s/%s", f->dir, cases[i].name);
        struct cr_terminal_list list = { NULL, 0 };
        struct cr_error err = { CR_OK, "" };
        enum cr_status st = cr_terminals_read(path, &list, &err);
        size_t n = strlen(path);
        if (st != cases[i].code || err.code != st)
            fail_msg("%s: got code %d, want %d (%s)", cases[i].name, st, cases[i].code, err.msg);
        if (strncmp(err.msg, path, n) != 0 || strncmp(err.msg + n, ": ", 2) != 0 ||
            strncmp(err.msg + n + 2, cases[i].msg, strlen(cases[i].msg)) != 0)
            fail_msg("%s: got \"%s\", want \"%s: %s...\"", cases[i].name, err.msg, path,
                     cases[i].msg);
        if (list.items || list.count)
            fail_msg("%s: list not empty after an error", cases[i].name);
        assert_int_equal(cr_terminals_read(path, &list, NULL), cases[i].code); /* err optional */
    }
}

static void
directory_is_io_error(void **state)
{
    struct folder *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/dir.csv", f->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    struct cr_terminal_list list;
    struct cr_error err = { CR_OK, "" };
    enum cr_status st = cr_terminals_read(path, &list, &err);
    rmdir(path);
    assert_int_equal(st, CR_EIO);
    assert_true(strncmp(err.msg, path, strlen(path)) == 0);
    assert_null(list.items);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_modes),
        cmocka_unit_test(good_csv),
        cmocka_unit_test(csv_other_column_names),
        cmocka_unit_test(good_geojson),
        cmocka_unit_test(geojson_in_web_mercator),
        cmocka_unit_test(geojson_in_wgs84_urn),
        cmocka_unit_test(bad_files),
        cmocka_unit_test(directory_is_io_error),
    };
    return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
