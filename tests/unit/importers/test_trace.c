/* GPS traces (importers/trace/trace.h): GPX track points with times, GPX route points when there
 * is no track, CSV with seconds or ISO 8601 times or none, ISO 8601 forms, and the errors (a
 * missing time, times going backwards, a bad time, no lon column, another extension). Files are
 * written here by the test: small, made up, labelled as such. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "importers/trace/trace.h"

#define DIR CR_BINARY_DIR "/test_trace_files"

static const char *
write_file(const char *name, const char *text)
{
    static char path[512];
    FILE *f;

    if (system("mkdir -p " DIR) != 0)
        fail_msg("mkdir " DIR);
    snprintf(path, sizeof path, "%s/%s", DIR, name);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static void
iso_times(void **state)
{
    double t;

    (void)state;
    assert_int_equal(cr_trace_parse_time("1970-01-01T00:00:00Z", &t), 0);
    assert_true(t == 0);
    assert_int_equal(cr_trace_parse_time("2026-04-30T08:00:05Z", &t), 0);
    assert_true(t == 1777536005);
    assert_int_equal(cr_trace_parse_time("2026-04-30T15:00:05.5+07:00", &t), 0);
    assert_true(t == 1777536005.5);
    assert_int_equal(cr_trace_parse_time("2026-04-30 08:00", &t), 0);
    assert_true(t == 1777536000);
    assert_int_equal(cr_trace_parse_time("2026-13-30T08:00:00Z", &t), -1);
    assert_int_equal(cr_trace_parse_time("yesterday", &t), -1);
    assert_int_equal(cr_trace_parse_time("2026-04-30T08:00:00Zx", &t), -1);
}

static void
gpx_tracks_and_routes(void **state)
{
    struct cr_trace t;
    struct cr_error err = { 0 };
    const char *p;

    (void)state;
    p = write_file("t.gpx",
                   "<?xml version=\"1.0\"?>\n"
                   "<gpx version=\"1.1\" creator=\"test\" "
                   "xmlns=\"http://www.topografix.com/GPX/1/1\"><trk><trkseg>\n"
                   "<trkpt lat=\"10.78\" lon=\"106.69\"><time>2026-04-30T08:00:00Z</time>"
                   "</trkpt>\n"
                   "<trkpt lat=\"10.781\" lon=\"106.691\"><time>2026-04-30T08:00:04Z</time>"
                   "</trkpt>\n"
                   "</trkseg></trk></gpx>\n");
    if (cr_trace_read(p, &t, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(t.count, 2);
    assert_int_equal(t.lon_e7[1], 1066910000);
    assert_int_equal(t.lat_e7[1], 107810000);
    assert_non_null(t.time_s);
    assert_true(t.time_s[1] - t.time_s[0] == 4);
    cr_trace_fini(&t);
    p = write_file("r.gpx", "<?xml version=\"1.0\"?>\n"
                            "<gpx version=\"1.1\" creator=\"test\" "
                            "xmlns=\"http://www.topografix.com/GPX/1/1\"><rte>\n"
                            "<rtept lat=\"10.78\" lon=\"106.69\"/><rtept lat=\"10.79\" "
                            "lon=\"106.70\"/><rtept lat=\"10.8\" lon=\"106.7\"/>\n"
                            "</rte></gpx>\n");
    if (cr_trace_read(p, &t, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(t.count, 3);
    assert_null(t.time_s);
    cr_trace_fini(&t);
}

static void
csv_forms(void **state)
{
    struct cr_trace t;
    struct cr_error err = { 0 };
    const char *p;

    (void)state;
    p = write_file("s.csv", "lon,lat,time\n106.69,10.78,100\n106.691,10.781,102.5\n");
    if (cr_trace_read(p, &t, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(t.count, 2);
    assert_true(t.time_s[1] == 102.5);
    cr_trace_fini(&t);
    p = write_file("n.csv", "latitude,longitude\n10.78,106.69\n10.781,106.691\n");
    if (cr_trace_read(p, &t, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(t.lon_e7[0], 1066900000);
    assert_null(t.time_s);
    cr_trace_fini(&t);
}

static void
errors(void **state)
{
    static const struct {
        const char *name, *text, *want;
        enum cr_status code;
    } bad[] = {
        { "b1.csv", "lon,lat,time\n106.69,10.78,5\n106.69,10.78,4\n", "line 3: time goes backwards",
          CR_EINVAL },
        { "b2.csv", "lon,lat,time\n106.69,10.78,5\n106.69,10.78,\n", "line 3: no time", CR_EINVAL },
        { "b3.csv", "lon,lat,time\n106.69,10.78,soon\n", "time \"soon\" is not", CR_EINVAL },
        { "b4.csv", "x1,lat\n1,2\n", "want a header line with lon,lat", CR_EINVAL },
        { "b5.csv", "lon,lat\n", "no points", CR_EEMPTY },
        { "b6.csv", "lon,lat\n200,10\n", "line 2: 200,10 is not a lon,lat", CR_EINVAL },
        { "b7.txt", "lon,lat\n1,2\n", "must be .gpx or .csv", CR_EINVAL },
    };
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct cr_trace t;
        struct cr_error err = { 0 };
        const char *p = write_file(bad[i].name, bad[i].text);
        enum cr_status st = cr_trace_read(p, &t, &err);
        if (st != bad[i].code || !strstr(err.msg, bad[i].want) || !strstr(err.msg, bad[i].name))
            fail_msg("%s: status %d \"%s\", want %d \"%s\"", bad[i].name, st, err.msg, bad[i].code,
                     bad[i].want);
        assert_int_equal(t.count, 0);
        cr_trace_fini(&t);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso_times),
        cmocka_unit_test(gpx_tracks_and_routes),
        cmocka_unit_test(csv_forms),
        cmocka_unit_test(errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
