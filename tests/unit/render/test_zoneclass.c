/* render/zoneclass: one legend entry per class value, distinct colours, the class map. */
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

#include "render/zoneclass.h"

#define FOLDER_TEMPLATE "/tmp/test_zoneclass.XXXXXX"
#define MAX_FILES 8
#include "../importers/folder.h" /* make_folder, remove_folder, write_file */

static unsigned
hex(struct cr_rgba c)
{
    return (unsigned)lround(c.r * 255) << 16 | (unsigned)lround(c.g * 255) << 8 |
           (unsigned)lround(c.b * 255);
}

static const struct cr_zoneclass *
entry_of(const struct cr_zoneclass_set *set, const char *value)
{
    return &set->classes[cr_zoneclass_of(set, value)];
}

/* a planner's layer: its own words, two kinds of residential, values nothing recognises */
static const struct cr_zone_class layer[] = {
    { "", 3, 10 },
    { "Công viên cây xanh", 4, 800 },
    { "Mixed use", 2, 300 },
    { "Quarry (disused)", 1, 40 },
    { "Residential - highrise", 5, 900 },
    { "Residential - lowrise", 9, 2000 },
    { "Special zone A", 1, 50 },
    { "Special zone B", 1, 60 },
    { "Special zone C", 1, 70 },
    { "Villa - lowrise", 2, 100 },
    { "Water", 3, 1500 },
    { "other", 1, 5 },
};
#define LAYER_COUNT (sizeof layer / sizeof layer[0])

static void
every_value_its_entry(void **state)
{
    struct cr_style s;
    struct cr_zoneclass_set set;
    struct cr_error err = { 0 };
    (void)state;
    assert_int_equal(cr_style_load(NULL, &s, NULL), CR_OK);
    if (cr_zoneclass_build(&s, layer, LAYER_COUNT, NULL, 0, &set, &err))
        fail_msg("%s", err.msg);
    /* ten values with entries of their own, and "Other" for "" and "other" */
    assert_int_equal(set.count, 11);
    assert_int_equal(set.value_count, LAYER_COUNT);
    const struct cr_zoneclass *other = &set.classes[set.count - 1];
    assert_int_equal(other->how, CR_ZONECLASS_OTHER);
    assert_ptr_equal(entry_of(&set, ""), other);
    assert_ptr_equal(entry_of(&set, "other"), other);
    assert_ptr_equal(entry_of(&set, "not in the layer"), other);
    assert_int_equal(other->zones, 4);
    /* no two entries alike */
    for (size_t i = 0; i < set.count; i++)
        for (size_t j = i + 1; j < set.count; j++)
            if (hex(set.classes[i].fill) == hex(set.classes[j].fill))
                fail_msg("\"%s\" and \"%s\" share #%06x", set.classes[i].label,
                         set.classes[j].label, hex(set.classes[i].fill));
    /* the largest residential value has the class's own colour, the others shades of it */
    const struct cr_zoneclass *low = entry_of(&set, "Residential - lowrise");
    const struct cr_zoneclass *high = entry_of(&set, "Residential - highrise");
    assert_int_equal(low->how, CR_ZONECLASS_KEYWORD);
    assert_string_equal(s.zones[low->style_class].id, "residential_existing");
    assert_int_equal(hex(low->fill), hex(s.zones[low->style_class].fill));
    assert_int_equal(high->style_class, low->style_class);
    assert_int_not_equal(hex(high->fill), hex(low->fill));
    /* the value as the data spells it, with the class where it says something else */
    assert_string_equal(low->label,
                        "Residential - lowrise (Đất ở hiện hữu · Existing residential)");
    assert_string_equal(entry_of(&set, "Water")->label, "Mặt nước · Water");
    assert_string_equal(entry_of(&set, "Mixed use")->label, "Đất hỗn hợp · Mixed use");
    assert_string_equal(s.zones[entry_of(&set, "Công viên cây xanh")->style_class].id, "green");
    /* unrecognised values: the palette, by area */
    const struct cr_zoneclass *c = entry_of(&set, "Special zone C");
    assert_int_equal(c->how, CR_ZONECLASS_PALETTE);
    assert_string_equal(c->label, "Special zone C");
    assert_true(c < entry_of(&set, "Special zone B"));
    assert_true(entry_of(&set, "Special zone B") < entry_of(&set, "Special zone A"));
    /* legend order: the style's classes in its order, then the unrecognised values */
    assert_true(low < high && high < entry_of(&set, "Mixed use"));
    assert_true(entry_of(&set, "Water") < c);
    cr_zoneclass_fini(&set);
    cr_style_fini(&s);
}

static void
max_classes(void **state)
{
    struct cr_style s;
    struct cr_zoneclass_set set;
    (void)state;
    assert_int_equal(cr_style_load(NULL, &s, NULL), CR_OK);
    assert_int_equal(cr_zoneclass_build(&s, layer, LAYER_COUNT, NULL, 3, &set, NULL), CR_OK);
    /* the three largest keep their entries */
    assert_int_equal(set.count, 4);
    assert_int_equal(entry_of(&set, "Residential - lowrise")->how, CR_ZONECLASS_KEYWORD);
    assert_int_equal(entry_of(&set, "Water")->how, CR_ZONECLASS_STYLE);
    assert_int_equal(entry_of(&set, "Residential - highrise")->how, CR_ZONECLASS_KEYWORD);
    assert_int_equal(entry_of(&set, "Công viên cây xanh")->how, CR_ZONECLASS_OTHER);
    assert_int_equal(entry_of(&set, "Special zone A")->how, CR_ZONECLASS_OTHER);
    assert_int_equal(set.classes[3].zones, 3 + 4 + 2 + 1 + 1 + 1 + 1 + 2 + 1);
    cr_zoneclass_fini(&set);
    cr_style_fini(&s);
}

static void
many_values(void **state)
{
    enum { N = 300 };
    static struct cr_zone_class many[N];
    static char names[N][24];
    struct cr_style s;
    struct cr_zoneclass_set set;
    (void)state;
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "Parcel type %03d", i);
        many[i] = (struct cr_zone_class){ names[i], 1, 1000.0 - i };
    }
    assert_int_equal(cr_style_load(NULL, &s, NULL), CR_OK);
    assert_int_equal(cr_zoneclass_build(&s, many, N, NULL, 0, &set, NULL), CR_OK);
    assert_int_equal(set.count, N + 1);
    for (int i = 0; i < N; i++)
        assert_string_equal(entry_of(&set, names[i])->value, names[i]);
    /* the first dozens at least are all distinct: the palette, then its shades */
    for (size_t i = 0; i < 60; i++)
        for (size_t j = i + 1; j < 60; j++)
            assert_int_not_equal(hex(set.classes[i].fill), hex(set.classes[j].fill));
    cr_zoneclass_fini(&set);
    cr_style_fini(&s);
}

static void
class_map(void **state)
{
    struct folder *f = *state;
    const char *path;
    struct cr_style s;
    struct cr_zoneclass_map *map = NULL;
    struct cr_zoneclass_set set;
    struct cr_error err = { 0 };
    assert_int_equal(cr_style_load(NULL, &s, NULL), CR_OK);
    path = write_file(f, "map.csv",
                      "\xef\xbb\xbfvalue,class,label\n"
                      "# a comment\n"
                      "\n"
                      "special zone a,#123456,\"Khu đặc biệt, A\"\n"
                      "CONG VIEN CAY XANH,WATER\n"
                      "Villa - lowrise,residential_new,Biệt thự\n"
                      "Special zone B,other\n");
    if (cr_zoneclass_map_load(path, &s, &map, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cr_zoneclass_build(&s, layer, LAYER_COUNT, map, 0, &set, NULL), CR_OK);
    const struct cr_zoneclass *a = entry_of(&set, "Special zone A");
    assert_int_equal(a->how, CR_ZONECLASS_COLOUR);
    assert_int_equal(hex(a->fill), 0x123456);
    assert_string_equal(a->label, "Khu đặc biệt, A");
    const struct cr_zoneclass *park = entry_of(&set, "Công viên cây xanh");
    assert_int_equal(park->how, CR_ZONECLASS_MAP);
    assert_string_equal(s.zones[park->style_class].id, "water");
    assert_string_equal(park->label, "Công viên cây xanh (Mặt nước · Water)");
    assert_string_equal(entry_of(&set, "Villa - lowrise")->label, "Biệt thự");
    assert_int_equal(entry_of(&set, "Special zone B")->how, CR_ZONECLASS_OTHER);
    cr_zoneclass_fini(&set);
    cr_zoneclass_map_destroy(map);

    static const struct {
        const char *text, *want;
    } bad[] = {
        { "value,class\nTMD,parkk\n", "row 2: class \"parkk\" is not a colour or a class" },
        { "TMD,#12345\n", "row 1: \"#12345\" is not a colour" },
        { "TMD\n", "row 1: want value,class" },
        { ",water\n", "row 1: no class value" },
        { "value,class\n# nothing\n", "no rows" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "bad-%zu.csv", i);
        path = write_file(f, name, bad[i].text);
        map = NULL;
        if (cr_zoneclass_map_load(path, &s, &map, &err) == CR_OK)
            fail_msg("case %zu: loaded", i);
        assert_null(map);
        if (!strstr(err.msg, bad[i].want) || !strstr(err.msg, name))
            fail_msg("case %zu: \"%s\" does not say \"%s\" and the file", i, err.msg, bad[i].want);
    }
    assert_int_equal(cr_zoneclass_map_load("/nonexistent/map.csv", &s, &map, &err), CR_EIO);
    assert_non_null(strstr(err.msg, "/nonexistent/map.csv"));
    cr_style_fini(&s);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_value_its_entry),
        cmocka_unit_test(max_classes),
        cmocka_unit_test(many_values),
        cmocka_unit_test_setup_teardown(class_map, make_folder, remove_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
