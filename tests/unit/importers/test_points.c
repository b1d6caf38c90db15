/* Points from CSV and GeoJSON: small files written to a temporary folder, read back. */
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

#include "importers/points/points.h"

#define MAX_FILES 96
#define FOLDER_TEMPLATE "/tmp/test_points.XXXXXX"

#include "folder.h"

struct want {
    const char *id;
    int32_t lon_e7, lat_e7;
};

/* Reads PATH, which must succeed, and compares it point by point, in order, with WANT. */
static void
check_points(const char *path, const struct want *want, size_t count)
{
    struct cr_point_list list;
    struct cr_error err = { CR_OK, "" };
    if (cr_points_read(path, &list, &err))
        fail_msg("%s", err.msg);
    if (list.count != count)
        fail_msg("%s: %zu points, want %zu", path, list.count, count);
    for (size_t i = 0; i < count; i++) {
        const struct cr_point *p = &list.items[i];
        if (strcmp(p->id, want[i].id) != 0 || p->lon_e7 != want[i].lon_e7 ||
            p->lat_e7 != want[i].lat_e7)
            fail_msg("%s: point %zu is \"%s\" %d,%d, want \"%s\" %d,%d", path, i, p->id, p->lon_e7,
                     p->lat_e7, want[i].id, want[i].lon_e7, want[i].lat_e7);
    }
    cr_point_list_fini(&list);
    assert_null(list.items);
    assert_int_equal(list.count, 0);
    cr_point_list_fini(&list); /* a finished list is fine */
}

static void
csv_with_id(void **state)
{
    static const struct want want[] = {
        { "Cảng Cát Lái", 1067915000, 107633000 },
        { "Krems, Hafen", 156123456, 484012345 },
        { "Sóng Thần ICD", 0, -900000000 }, /* surrounding blanks trimmed */
        { "Kho \"Đồng Nai\", số 2", -1800000000, 900000000 },
        { "42", 1065000000, 105000000 },
    };
    const char *path = write_file(*state, "ids.csv",
                                  "id,lon,lat\n"
                                  "\"Cảng Cát Lái\",106.7915,10.7633\n"
                                  "\"Krems, Hafen\",15.6123456,48.4012345\n"
                                  "  Sóng Thần ICD , -0.00000004 , -89.99999996 \n"
                                  "\"Kho \"\"Đồng Nai\"\", số 2\",-180,90\n"
                                  "42,106.5,1.05e1\n");
    check_points(path, want, sizeof want / sizeof want[0]);
}

static void
csv_without_id(void **state)
{
    static const struct want want[] = {
        { "1", 1067915000, 107633000 },
        { "2", 156123456, 484012345 },
        { "3", -156123456, -484012345 },
    };
    const char *path = write_file(*state, "noid.csv",
                                  "lon,lat,note\n"
                                  "106.7915,10.7633,\"a, b\"\n"
                                  "15.6123456,48.4012345,\n"
                                  "-15.6123456,-48.4012345,c\r\n");
    check_points(path, want, sizeof want / sizeof want[0]);
}

static void
csv_column_order_and_names(void **state)
{
    static const struct want lat_lon[] = { { "1", 1065000000, 105000000 },
                                           { "2", 160000000, 480000000 } };
    static const struct want named[] = { { "Phước Long", 1065000000, 105000000 } };
    static const struct want xy[] = { { "a", 160000000, 480000000 } };
    check_points(write_file(*state, "latlon.csv", "lat,lon\n10.5,106.5\n48,16\n"), lat_lon, 2);
    check_points(
        write_file(*state, "named.CSV", "Latitude;Longitude;NAME\n10.5;106.5;Phước Long\n"), named,
        1);
    /* id wins over name; x/y as in many GIS exports */
    check_points(write_file(*state, "xy.csv", "name,Y,X,ID\nignored,48,16,a\n"), xy, 1);
}

#define GJ_HEAD "{\"type\":\"FeatureCollection\",\"features\":["
#define GJ_FEATURE(top, props, lon, lat)                                                           \
    "{\"type\":\"Feature\"" top ",\"properties\":{" props "},\"geometry\":{\"type\":\"Point\","    \
    "\"coordinates\":[" lon "," lat "]}}"
#define GJ_POINT(props, lon, lat) GJ_FEATURE("", props, lon, lat)

/* Writes a FeatureCollection of FEATURES (NULL-terminated) to NAME; returns its path. */
static const char *
write_features(struct folder *f, const char *name, const char *const *features)
{
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "%s\n", GJ_HEAD);
    for (size_t i = 0; features[i]; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "%s%s\n", i ? "," : "", features[i]);
        assert_true(n < sizeof text);
    }
    snprintf(text + n, sizeof text - n, "]}\n");
    return write_file(f, name, text);
}

static void
geojson_with_ids(void **state)
{
    static const char *const props_json[] = {
        GJ_POINT("\"id\":\"Cảng Cát Lái\",\"name\":\"x\"", "106.7915", "10.7633"),
        GJ_POINT("\"id\":17", "14.4912345", "48.2187654"),
        GJ_POINT("\"name\":\" Krems, Hafen \",\"id\":null", "-14.29", "-48.3"),
        NULL,
    };
    static const struct want props[] = {
        { "Cảng Cát Lái", 1067915000, 107633000 },
        { "17", 144912345, 482187654 },             /* a numeric id */
        { "Krems, Hafen", -142900000, -483000000 }, /* name when there is no id */
    };
    static const char *const feature_json[] = {
        GJ_FEATURE(",\"id\":7", "\"other\":{\"id\":1}", "16", "48"),
        GJ_FEATURE(",\"id\":8", "\"id\":\"prop\"", "16", "48"),
        GJ_FEATURE(",\"id\":2.5", "", "16", "48"),
        GJ_FEATURE(",\"id\":99999999999", "", "16", "48"),
        GJ_FEATURE(",\"id\":0", "\"name\":\"n\"", "16", "48"),
        NULL,
    };
    static const struct want feature_ids[] = {
        { "7", 160000000, 480000000 },    /* the feature's id, not the nested one */
        { "prop", 160000000, 480000000 }, /* property id wins */
        { "2.5", 160000000, 480000000 },  /* as written, not GDAL's FID 2 */
        { "99999999999", 160000000, 480000000 },
        { "0", 160000000, 480000000 }, /* feature id wins over name */
    };
    static const char *const text_json[] = {
        GJ_FEATURE(",\"id\":\"s7\"", "", "16", "48"),
        GJ_FEATURE(",\"id\":\"đường 9\"", "\"a\":1", "16", "48"),
        NULL,
    };
    static const struct want text_ids[] = {
        { "s7", 160000000, 480000000 },
        { "đường 9", 160000000, 480000000 },
    };
    check_points(write_features(*state, "props.geojson", props_json), props, 3);
    check_points(write_features(*state, "fids.json", feature_json), feature_ids, 5);
    check_points(write_features(*state, "textids.geojson", text_json), text_ids, 2);
}

static void
geojson_without_ids(void **state)
{
    static const char *const features[] = {
        GJ_POINT("\"kind\":\"depot\"", "106.7915", "10.7633"),
        GJ_POINT("\"kind\":{\"id\":5}", "14.4912345", "48.2187654,250"),
        GJ_POINT("", "-14.29", "-48.3"),
        GJ_FEATURE(",\"title\":\"a \\\"id\\\":3, b\",\"id\":null", "", "0", "0"),
        NULL,
    };
    static const struct want want[] = {
        { "1", 1067915000, 107633000 },
        { "2", 144912345, 482187654 },
        { "3", -142900000, -483000000 },
        { "4", 0, 0 }, /* "id" inside a text and a null id are no ids */
    };
    check_points(write_features(*state, "noids.geojson", features), want, 4);
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
                              "%s{\"type\":\"Feature\",\"properties\":{\"id\":\"p%zu\"},"
                              "\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}}\n",
                              i ? "," : "", i, x, y);
    }
    snprintf(text + n, sizeof text - n, "]}\n");
    const char *path = write_file(*state, "mercator.json", text);

    struct cr_point_list list;
    struct cr_error err = { CR_OK, "" };
    if (cr_points_read(path, &list, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(list.count, 3);
    for (size_t i = 0; i < 3; i++) {
        char id[8];
        snprintf(id, sizeof id, "p%zu", i);
        assert_string_equal(list.items[i].id, id);
        double lon = list.items[i].lon_e7 / 1e7, lat = list.items[i].lat_e7 / 1e7;
        if (fabs(lon - points[i].lon) > 1e-6 || fabs(lat - points[i].lat) > 1e-6)
            fail_msg("%s: got %.7f,%.7f, want %.7f,%.7f", id, lon, lat, points[i].lon,
                     points[i].lat);
    }
    cr_point_list_fini(&list);
}

#define CSV_HEAD "id,lon,lat\n"
#define CSV_GOOD "ok,16,48\n"
#define GJ_GOOD GJ_POINT("\"id\":\"ok\"", "16", "48")

static void
bad_files(void **state)
{
    static const struct {
        const char *name, *text; /* text NULL: no file is written */
        enum cr_status code;
        const char *msg; /* after "PATH: " */
    } cases[] = {
        { "missing.csv", NULL, CR_EIO, "No such file or directory" },
        { "missing.geojson", NULL, CR_EIO, "No such file or directory" },
        { "p.txt", "lon,lat\n16,48\n", CR_EINVAL, "points must be .csv, .geojson or .json" },
        { "noext", "lon,lat\n16,48\n", CR_EINVAL, "points must be .csv, .geojson or .json" },
        { "garbage.geojson", "this is not json {", CR_EFORMAT,
          "not a GeoJSON file GDAL can read (" },
        { "csvtext.json", CSV_HEAD CSV_GOOD, CR_EFORMAT, "not a GeoJSON file GDAL can read (" },
        { "binary.csv",
          "\x7f"
          "ELF\x02\x01\x01\x01\x02\x03"
          "abc\n",
          CR_EFORMAT, "not a CSV file GDAL can read (" },
        { "empty.csv", "", CR_EEMPTY, "no points" },
        { "header.csv", CSV_HEAD, CR_EEMPTY, "no points" },
        { "empty.geojson", "", CR_EEMPTY, "no points" },
        { "nofeatures.geojson", GJ_HEAD "]}", CR_EEMPTY, "no points" },
        { "nolon.csv", "id,lat\na,48\n", CR_EINVAL, "no lon column (want lon, longitude or x)" },
        { "nolat.csv", "id,lon,lng\na,16,48\n", CR_EINVAL,
          "no lat column (want lat, latitude or y)" },
        { "numeric.csv", "106.7,10.7,depot\n16,48,b\n", CR_EINVAL,
          "line 1: want a header line with lon,lat columns" },
        { "oneline.csv", "106.7,10.7\n", CR_EINVAL,
          "line 1: want a header line with lon,lat columns" },
        { "idfirst.csv", "depot,106.7,10.7\n", CR_EINVAL,
          "line 1: want a header line with lon,lat columns" },
        { "lat.csv", CSV_HEAD CSV_GOOD CSV_GOOD "c,16,abc\n", CR_EINVAL,
          "line 4: lat \"abc\" is not a number" },
        { "lontail.csv", CSV_HEAD "b,16x,48\n", CR_EINVAL, "line 2: lon \"16x\" is not a number" },
        { "loncomma.csv", CSV_HEAD "b,\"16,5\",48\n", CR_EINVAL,
          "line 2: lon \"16,5\" is not a number" },
        { "latnan.csv", CSV_HEAD "b,16,nan\n", CR_EINVAL, "line 2: lat \"nan\" is not a number" },
        { "nolonvalue.csv", CSV_HEAD "b,,48\n", CR_EINVAL, "line 2: no lon" },
        { "nolatvalue.csv", CSV_HEAD CSV_GOOD "b,16\n", CR_EINVAL, "line 3: no lat" },
        { "latrange.csv", CSV_HEAD CSV_GOOD CSV_GOOD "c,16,123.5\n", CR_EINVAL,
          "line 4: lat 123.5 out of range" },
        { "lonrange.csv", CSV_HEAD "c,-180.5,0\n", CR_EINVAL, "line 2: lon -180.5 out of range" },
        { "loninf.csv", CSV_HEAD "c,inf,0\n", CR_EINVAL, "line 2: lon inf out of range" },
        { "noid.csv", CSV_HEAD CSV_GOOD " ,16,48\n", CR_EINVAL, "line 3: no id (want id or name)" },
        { "noid2.csv", "lon,lat,name\n16,48,\n16,48,b\n", CR_EINVAL,
          "line 2: no id (want id or name)" },
        { "line.geojson",
          GJ_HEAD GJ_GOOD "," GJ_GOOD ",{\"type\":\"Feature\",\"properties\":{\"id\":\"l\"},"
                          "\"geometry\":{\"type\":\"LineString\","
                          "\"coordinates\":[[16,48],[17,49]]}}]}",
          CR_EINVAL, "feature 3: geometry is LineString, want Point" },
        { "multipoint.geojson",
          GJ_HEAD "{\"type\":\"Feature\",\"properties\":{\"id\":\"m\"},"
                  "\"geometry\":{\"type\":\"MultiPoint\",\"coordinates\":[[16,48]]}}]}",
          CR_EINVAL, "feature 1: geometry is MultiPoint, want Point" },
        { "nogeom.geojson",
          GJ_HEAD "{\"type\":\"Feature\",\"properties\":{\"id\":\"m\"},\"geometry\":null}]}",
          CR_EINVAL, "feature 1: no geometry" },
        { "gjlat.geojson", GJ_HEAD GJ_POINT("\"id\":\"a\"", "16", "91") "]}", CR_EINVAL,
          "feature 1: lat 91 out of range" },
        { "gjnoid.geojson", GJ_HEAD GJ_GOOD "," GJ_POINT("\"kind\":\"x\"", "16", "48") "]}",
          CR_EINVAL, "feature 2: no id (want property id or name, or a feature id)" },
        { "gjnoid2.geojson",
          GJ_HEAD GJ_POINT("", "16", "48") "," GJ_FEATURE(",\"id\":4", "", "16", "48") "]}",
          CR_EINVAL, "feature 1: no id (want property id or name, or a feature id)" },
        { "gjidlist.geojson", GJ_HEAD GJ_POINT("\"id\":[1,2]", "16", "48") "]}", CR_EINVAL,
          "feature 1: id " },
    };
    struct folder *f = *state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char missing[128];
        const char *path = missing;
        if (cases[i].text)
            path = write_file(f, cases[i].name, cases[i].text);
        else
            snprintf(missing, sizeof missing, "%s/%s", f->dir, cases[i].name);
        struct cr_point_list list = { NULL, 0 };
        struct cr_error err = { CR_OK, "" };
        enum cr_status st = cr_points_read(path, &list, &err);
        size_t n = strlen(path);
        if (st != cases[i].code || err.code != st)
            fail_msg("%s: got code %d, want %d (%s)", cases[i].name, st, cases[i].code, err.msg);
        if (strncmp(err.msg, path, n) != 0 || strncmp(err.msg + n, ": ", 2) != 0 ||
            strncmp(err.msg + n + 2, cases[i].msg, strlen(cases[i].msg)) != 0)
            fail_msg("%s: got \"%s\", want \"%s: %s...\"", cases[i].name, err.msg, path,
                     cases[i].msg);
        if (list.items || list.count)
            fail_msg("%s: list not empty after an error", cases[i].name);
        assert_int_equal(cr_points_read(path, &list, NULL), cases[i].code); /* err optional */
    }
}

static void
directory_is_io_error(void **state)
{
    struct folder *f = *state;
    char path[128];
    snprintf(path, sizeof path, "%s/dir.csv", f->dir);
    assert_int_equal(mkdir(path, 0700), 0);
    struct cr_point_list list;
    struct cr_error err = { CR_OK, "" };
    enum cr_status st = cr_points_read(path, &list, &err);
    rmdir(path);
    assert_int_equal(st, CR_EIO);
    assert_true(strncmp(err.msg, path, strlen(path)) == 0);
    assert_null(list.items);
    assert_int_equal(list.count, 0);
}

static void
unreadable_is_io_error(void **state)
{
    const char *path = write_file(*state, "secret.csv", CSV_HEAD CSV_GOOD);
    assert_int_equal(chmod(path, 0), 0);
    FILE *fp = fopen(path, "rb");
    if (fp) { /* root reads it anyway */
        fclose(fp);
        skip();
    }
    struct cr_point_list list;
    struct cr_error err = { CR_OK, "" };
    assert_int_equal(cr_points_read(path, &list, &err), CR_EIO);
    assert_true(strncmp(err.msg, path, strlen(path)) == 0);
    assert_true(strstr(err.msg, ": Permission denied") != NULL);
    assert_null(list.items);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_with_id),
        cmocka_unit_test(csv_without_id),
        cmocka_unit_test(csv_column_order_and_names),
        cmocka_unit_test(geojson_with_ids),
        cmocka_unit_test(geojson_without_ids),
        cmocka_unit_test(geojson_in_web_mercator),
        cmocka_unit_test(bad_files),
        cmocka_unit_test(directory_is_io_error),
        cmocka_unit_test(unreadable_is_io_error),
    };
    return cmocka_run_group_tests(tests, make_folder, remove_folder);
}
