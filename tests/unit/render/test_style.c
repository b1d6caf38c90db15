/* render/style: the compiled-in default, a user's file merged over it, and bad files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/style.h"

static void
write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void
colours(void **state)
{
    struct cr_rgba c;
    (void)state;
    assert_int_equal(cr_style_parse_colour("#ff8000", &c), 0);
    assert_true(fabs(c.r - 1) < 1e-9 && fabs(c.g - 128 / 255.0) < 1e-9 && c.b == 0 && c.a == 1);
    assert_int_equal(cr_style_parse_colour("#00000080", &c), 0);
    assert_true(fabs(c.a - 128 / 255.0) < 1e-9);
    assert_int_equal(cr_style_parse_colour("ff8000", &c), -1);
    assert_int_equal(cr_style_parse_colour("#ff80", &c), -1);
    assert_int_equal(cr_style_parse_colour("#gg8000", &c), -1);
    assert_int_equal(cr_style_parse_colour(NULL, &c), -1);
}

static void
default_style(void **state)
{
    struct cr_style s;
    struct cr_error err = { 0 };
    (void)state;
    if (cr_style_load(NULL, &s, &err))
        fail_msg("%s", err.msg);
    assert_true(s.zone_count >= 10);
    assert_string_equal(s.zones[s.zone_count - 1].id, "other");
    assert_non_null(strstr(s.regulation, "04/2022/TT-BXD"));
    assert_string_equal(s.attribution, "© OpenStreetMap contributors");
    /* every road class is drawn by some group; motorway before service */
    for (int c = 0; c < CR_ROAD_CLASS_COUNT; c++)
        assert_true(s.road_group_of[c] >= 0);
    assert_true(s.road_group_of[CR_ROAD_MOTORWAY] < s.road_group_of[CR_ROAD_SERVICE]);
    assert_true(s.roads[s.road_group_of[CR_ROAD_MOTORWAY]].width_mm >
                s.roads[s.road_group_of[CR_ROAD_SERVICE]].width_mm);
    cr_style_fini(&s);
}

/* the id of the class VALUE stands for */
static const char *
id_of(const struct cr_style *s, const char *value)
{
    return s->zones[cr_style_zone_class(s, value, NULL)].id;
}

static void
folding(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "Đất ở mới", "dat o moi" },
        { "ĐẤT CÂY XANH", "dat cay xanh" },
        { "Nhà ở", "nha o" },
        { "Nha\xcc\x80 o\xcc\x9b\xcc\x89",
          "nha o" }, /* decomposed: a + U+0300, o + U+031B U+0309 */
        { "  Open space, Greenery, Park ", "open space greenery park" },
        { "Residential - lowrise", "residential lowrise" },
        { "mixed_use", "mixed use" },
        { "Giáo dục/Education", "giao duc education" },
        { "", "" },
        { "\xff\xfe", "" }, /* not UTF-8 */
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *f = cr_style_fold(cases[i].text);
        assert_non_null(f);
        if (strcmp(f, cases[i].want))
            fail_msg("fold(\"%s\") = \"%s\", want \"%s\"", cases[i].text, f, cases[i].want);
        free(f);
    }
}

static void
zone_keywords(void **state)
{
    /* class values a planner's layer may hold, each with the class it stands for */
    static const struct {
        const char *value, *id;
        int by;
    } cases[] = {
        { "Residential - lowrise", "residential_existing", 2 },
        { "Residential - highrise", "residential_existing", 2 },
        { "Villa - lowrise", "residential_existing", 2 },
        { "New Residential", "residential_new", 2 },
        { "Open space, Greenery, Park", "green", 2 },
        { "Educational", "education", 2 },
        { "Healthcare", "health", 1 }, /* an OSM value */
        { "Mixed use", "mixed", 1 },
        { "Transportation, Infrastructure", "transport", 2 },
        { "Administrative, Public facility", "public", 2 },
        { "National defense, Security", "defence", 2 },
        { "Recreational, Sport, Cultural", "sport", 2 },
        { "Port - Marina", "transport", 2 },
        { "Water", "water", 1 },
        { "Water supply plant", "utilities", 2 },
        { "Parking lot", "transport", 2 }, /* not a park */
        { "Đất ở đô thị", "residential_existing", 2 },
        { "Khu dat o moi Thu Thiem", "residential_new", 2 }, /* no diacritics */
        { "Đất cây xanh công viên", "green", 2 },
        { "CAY XANH", "green", 2 },
        { "Trường học", "education", 2 },
        { "Đất giáo dục", "education", 2 },
        { "Khu công nghiệp Sóng Thần", "industrial", 2 },
        { "Mặt nước", "water", 2 },
        { "Đất hỗn hợp", "mixed", 2 },
        { "Đất giao thông", "transport", 2 },
        { "Trạm y tế", "health", 2 },
        { "Cơ sở tôn giáo", "religious", 2 },
        { "Phường Tân Định", "other", 0 }, /* "dinh" is no keyword */
        { "Đất chưa sử dụng", "other", 0 },
        { "Warehouses and depots", "warehouse", 2 },
        { "odt", "residential_existing", 1 },
    };
    struct cr_style s;
    (void)state;
    assert_int_equal(cr_style_load(NULL, &s, NULL), CR_OK);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int by = -1;
        const char *id = s.zones[cr_style_zone_class(&s, cases[i].value, &by)].id;
        if (strcmp(id, cases[i].id) || by != cases[i].by)
            fail_msg("\"%s\": %s (by %d), want %s (by %d)", cases[i].value, id, by, cases[i].id,
                     cases[i].by);
    }
    cr_style_fini(&s);
}

static void
zone_classes(void **state)
{
    struct cr_style s;
    (void)state;
    assert_int_equal(cr_style_load(NULL, &s, NULL), CR_OK);
    /* Vietnamese land-use codes and OSM landuse values land on the same classes */
    assert_string_equal(id_of(&s, "TMD"), "commercial");
    assert_string_equal(id_of(&s, "retail"), "commercial");
    assert_string_equal(id_of(&s, "odt"), "residential_existing");
    assert_string_equal(id_of(&s, "residential"), "residential_existing");
    assert_string_equal(id_of(&s, "SKK"), "industrial");
    assert_string_equal(id_of(&s, "industrial"), "industrial");
    assert_string_equal(id_of(&s, "DGD"), "education");
    assert_string_equal(id_of(&s, "grass"), "green");
    assert_string_equal(id_of(&s, "farmland"), "agriculture");
    assert_string_equal(id_of(&s, "no such class"), "other");
    assert_string_equal(id_of(&s, ""), "other");
    assert_string_equal(id_of(&s, NULL), "other");
    cr_style_fini(&s);
}

static void
user_file_merged(void **state)
{
    const char *path = CR_BINARY_DIR "/test_style_user.json";
    struct cr_style s;
    struct cr_error err = { 0 };
    (void)state;
    write_file(path, "{ \"organisation\": \"Sở Quy hoạch - Kiến trúc\",\n"
                     "  \"page\": { \"paper\": \"#fffff0\" },\n"
                     "  \"zoning\": { \"classes\": [ { \"id\": \"port\", \"label\": \"Cảng\",\n"
                     "     \"fill\": \"#123456\", \"match\": [\"DCK\"] } ] } }\n");
    if (cr_style_load(path, &s, &err))
        fail_msg("%s", err.msg);
    assert_string_equal(s.organisation, "Sở Quy hoạch - Kiến trúc");
    assert_true(fabs(s.paper.b - 240 / 255.0) < 1e-9);
    assert_true(fabs(s.ink.r - 0x1a / 255.0) < 1e-9); /* kept from the default */
    assert_int_equal(s.zone_count, 2);                /* the list replaced, plus "other" */
    assert_string_equal(id_of(&s, "dck"), "port");
    assert_string_equal(id_of(&s, "TMD"), "other");
    cr_style_fini(&s);
    unlink(path);
}

static void
bad_files(void **state)
{
    static const struct {
        const char *text, *want;
    } cases[] = {
        { "{ \"page\": { \"paper\": \"white\" } }", "page.paper" },
        { "{ \"page\": { \"margin_mm\": \"8\" } }", "page.margin_mm" },
        { "{ \"zoning\": { \"opacity\": 2 } }", "zoning.opacity" },
        { "{ \"roads\": { \"groups\": [ { \"id\": \"x\", \"label\": \"x\", \"fill\": \"#ffffff\",\n"
          "  \"casing\": \"#000000\", \"width_mm\": 1, \"casing_mm\": 0.1, \"label_pt\": 6,\n"
          "  \"classes\": [\"highway\"] } ] } }",
          "classes[0]" },
        { "{ \"terminals\": { \"kinds\": { \"port\": { \"shape\": \"star\" } } } }", "port.shape" },
        { "{ \"page\": ", "line" },
        { "[1, 2]", "JSON object" },
    };
    const char *path = CR_BINARY_DIR "/test_style_bad.json";
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct cr_style s;
        struct cr_error err = { 0 };
        write_file(path, cases[i].text);
        if (cr_style_load(path, &s, &err) == CR_OK)
            fail_msg("case %zu: loaded", i);
        if (!strstr(err.msg, cases[i].want) || !strstr(err.msg, "test_style_bad.json"))
            fail_msg("case %zu: \"%s\" does not name \"%s\" and the file", i, err.msg,
                     cases[i].want);
        cr_style_fini(&s);
    }
    unlink(path);
    struct cr_style s;
    struct cr_error err = { 0 };
    assert_int_equal(cr_style_load(CR_BINARY_DIR "/no_such_style.json", &s, &err), CR_EIO);
    assert_non_null(strstr(err.msg, "no_such_style.json"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(colours),      cmocka_unit_test(default_style),
        cmocka_unit_test(zone_classes), cmocka_unit_test(user_file_merged),
        cmocka_unit_test(folding),      cmocka_unit_test(zone_keywords),
        cmocka_unit_test(bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
