/*
 * Accessibility (planning/access.h):
 *   - on real zones (the OSM landuse areas of datasets/hcmc-district3-multi-tl-map.osm.pbf, on
 *     the network of datasets/hcmc-district3-map.osm.pbf): every zone's opportunities within
 *     each threshold equal a count made here by hand over the skim's cells, and more minutes
 *     never give fewer opportunities;
 *   - the HCMC planning parcels of ../shared (skipped when absent): they lie ~5 km east of that
 *     network, so no zone is placed and each reaches only its own opportunities;
 *   - a drawn 3-zone skim (a synthetic fixture, times chosen here): thresholds and both decay
 *     functions worked out by hand;
 *   - the parsers of --minutes, --decay and --opportunities.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "corridor/import.h"
#include "corridor/network.h"
#include "corridor/routing.h"
#include "planning/access.h"
#include "planning/skim.h"
#include "spatial/zones.h"

#define HCMC CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm.pbf"
#define HCMC_LANDUSE CR_SOURCE_DIR "/datasets/hcmc-district3-multi-tl-map.osm.pbf"
#define PARCELS                                                                                    \
    CR_SOURCE_DIR "/../shared/datasets/planning/saigon-peninsula-hcmc/LandUse_Interactive.shp"
#define DIR CR_BINARY_DIR "/test_access_files"

struct net {
    struct cr_graph *g;
    struct cr_session *s;
    struct cr_router *r;
};

static void
net_open(struct net *n)
{
    struct cr_import_options io = { 0 };
    struct cr_session_options so = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    const char *path = DIR "/hcmc.corr";

    mkdir(DIR, 0777);
    if (cr_osm_import(HCMC, path, &io, NULL, &err))
        fail_msg("%s", err.msg);
    if (!(n->g = cr_graph_open(path, &err)) || !(n->s = cr_session_open(n->g, &so, &err)) ||
        !(n->r = cr_session_router_create(n->s, &err)))
        fail_msg("%s", err.msg);
}

static void
net_close(struct net *n)
{
    cr_router_destroy(n->r);
    cr_session_close(n->s);
    cr_graph_close(n->g);
}

static struct cr_zones *
load(const char *path, const char *value_field)
{
    const char *fields[2] = { value_field, NULL };
    struct cr_zones_options zo = { 0 };
    struct cr_zones *z = NULL;
    struct cr_error err = { 0 };

    zo.path = path;
    zo.value_fields = value_field ? fields : NULL;
    if (cr_zones_load(&zo, &z, &err))
        fail_msg("%s", err.msg);
    return z;
}

static struct cr_access_options
options(const char *minutes, const char *decay)
{
    struct cr_access_options o = { 0 };
    struct cr_error err = { 0 };
    if (cr_access_parse_minutes(minutes, &o, &err) ||
        (decay && cr_access_parse_decay(decay, &o.decay, &err)))
        fail_msg("%s", err.msg);
    return o;
}

/* ---- real zones: a count by hand over the skim -------------------------------------------- */

static void
access_equals_a_count_over_the_skim(void **state)
{
    struct net n;
    struct cr_zones *z;
    struct cr_skim s;
    struct cr_access_source src;
    struct cr_access_result a;
    struct cr_error err = { 0 };
    struct cr_access_options o = options("0.5,1,1.5,2,3,5,10", "exp:0.1");
    size_t missing, pairs_ok = 0, split = 0;
    double *opp, total = 0;

    (void)state;
    net_open(&n);
    z = load(HCMC_LANDUSE, NULL);
    assert_true(z->count >= 10);
    if (cr_skim_run(z, n.r, &s, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cr_access_source_parse("area:*", &src, &err), CR_OK);
    opp = calloc(z->count, sizeof *opp);
    assert_int_equal(cr_access_opportunities(z, &src, opp, &missing, &err), CR_OK);
    if (cr_access_compute(&s, opp, &o, &a, &err))
        fail_msg("%s", err.msg);
    for (size_t i = 0; i < z->count; i++) {
        assert_true(fabs(opp[i] - z->zones[i].area_m2 / 1e4) < 1e-12);
        total += opp[i];
    }
    for (size_t i = 0; i < s.count; i++) {
        double want_g = opp[i]; /* itself at 0 minutes: exp(0) = 1 */
        for (size_t k = 0; k < o.threshold_count; k++) {
            double want = opp[i];
            size_t reached = 0;
            for (size_t j = 0; j < s.count; j++) {
                const struct cr_cell *c = &s.cells[i * s.count + j];
                if (j == i || !s.points[i].placed || !s.points[j].placed || c->weight == UINT64_MAX)
                    continue;
                if (c->duration_s <= o.minutes[k] * 60) {
                    want += opp[j];
                    reached++;
                }
                if (k == 0) {
                    want_g += opp[j] * exp(-0.1 * c->duration_s / 60);
                    pairs_ok++;
                }
            }
            double got = a.within[i * a.thresholds + k];
            if (fabs(got - want) > 1e-9)
                fail_msg("zone %zu within %g min: %.9f, by hand %.9f", i, o.minutes[k], got, want);
            if (k > 0 && got < a.within[i * a.thresholds + k - 1])
                fail_msg("zone %zu: %g min reach less than %g min", i, o.minutes[k],
                         o.minutes[k - 1]);
            if (reached && reached + 1 < s.count)
                split++;
            assert_true(got <= total + 1e-9 && got >= opp[i]);
        }
        if (fabs(a.gravity[i] - want_g) > 1e-9)
            fail_msg("zone %zu gravity: %.9f, by hand %.9f", i, a.gravity[i], want_g);
        assert_int_equal(a.placed[i], s.points[i].placed);
    }
    /* the case is not trivial: pairs reached, and thresholds that reach some but not all */
    assert_true(pairs_ok > s.count);
    assert_true(split > 0);
    cr_access_fini(&a);
    free(opp);
    cr_skim_fini(&s);
    cr_zones_destroy(z);
    net_close(&n);
}

/* area:commercial counts commercial zones only (the proxy from landuse=*). */
static void
area_counts_the_classes_asked(void **state)
{
    struct cr_zones *z = load(HCMC_LANDUSE, NULL);
    struct cr_access_source src;
    struct cr_error err = { 0 };
    size_t missing, commercial = 0;
    double *opp = calloc(z->count, sizeof *opp);

    (void)state;
    assert_int_equal(cr_access_source_parse("area:commercial", &src, &err), CR_OK);
    assert_non_null(strstr(src.label, "a proxy, not jobs"));
    assert_int_equal(cr_access_opportunities(z, &src, opp, &missing, &err), CR_OK);
    for (size_t i = 0; i < z->count; i++) {
        int is = !strcmp(z->zones[i].cls, "commercial");
        commercial += (size_t)is;
        assert_true(opp[i] == (is ? z->zones[i].area_m2 / 1e4 : 0));
    }
    assert_int_equal(commercial, 10); /* SOURCES.md: landuse=commercial x 10 */
    free(opp);
    cr_zones_destroy(z);
}

/* The planning parcels lie off this network: nothing placed, each reaches itself only. */
static void
parcels_off_the_network_reach_themselves(void **state)
{
    struct net n;
    struct cr_zones *z;
    struct cr_skim s;
    struct cr_access_source src;
    struct cr_access_result a;
    struct cr_error err = { 0 };
    struct cr_access_options o = options("30,60", NULL);
    size_t missing;
    double *opp;

    (void)state;
    if (access(PARCELS, R_OK) != 0) {
        printf("skip: %s absent (the team's shared data)\n", PARCELS);
        skip();
    }
    net_open(&n);
    z = load(PARCELS, "Storey");
    assert_int_equal(cr_skim_run(z, n.r, &s, &err), CR_OK);
    assert_int_equal(cr_access_source_parse("Storey", &src, &err), CR_OK);
    opp = calloc(z->count, sizeof *opp);
    if (cr_access_opportunities(z, &src, opp, &missing, &err))
        fail_msg("%s", err.msg);
    assert_int_equal(cr_access_compute(&s, opp, &o, &a, &err), CR_OK);
    assert_int_equal(s.placed, 0);
    for (size_t i = 0; i < z->count; i++) {
        assert_false(a.placed[i]);
        assert_true(a.within[2 * i] == opp[i] && a.within[2 * i + 1] == opp[i]);
    }
    cr_access_fini(&a);
    free(opp);
    cr_skim_fini(&s);
    cr_zones_destroy(z);
    net_close(&n);
}

/* ---- a drawn 3-zone skim ------------------------------------------------------------------- */

/*
 * Synthetic: zones A, B, C with 10, 20 and 40 opportunities; minutes A->B 10, A->C 30, B->A 12,
 * B->C unreachable, C->A 30, C->B 45.
 */
static void
drawn_case_by_hand(void **state)
{
    static const double minutes[3][3] = { { 0, 10, 30 }, { 12, 0, -1 }, { 30, 45, 0 } };
    const double opp[3] = { 10, 20, 40 };
    struct cr_skim_point pts[3] = { { .placed = 1 }, { .placed = 1 }, { .placed = 1 } };
    struct cr_cell cells[9];
    struct cr_skim s = { 3, 3, pts, cells };
    struct cr_access_result a;
    struct cr_error err = { 0 };
    struct cr_access_options o = options("30,10,45", "exp:0.05");

    (void)state;
    for (size_t i = 0; i < 3; i++)
        for (size_t j = 0; j < 3; j++)
            cells[i * 3 + j] = minutes[i][j] < 0
                                   ? (struct cr_cell){ UINT64_MAX, NAN, NAN, NAN, NAN }
                                   : (struct cr_cell){ (uint64_t)(minutes[i][j] * 600), 1000,
                                                       minutes[i][j] * 60, 1, 1 };
    assert_true(o.minutes[0] == 10 && o.minutes[1] == 30 && o.minutes[2] == 45);
    assert_int_equal(cr_access_compute(&s, opp, &o, &a, &err), CR_OK);
    /* A: 10 min reaches B (inclusive), 30 reaches C */
    assert_true(a.within[0] == 30 && a.within[1] == 70 && a.within[2] == 70);
    /* B: A at 12 min; C never */
    assert_true(a.within[3] == 20 && a.within[4] == 30 && a.within[5] == 30);
    /* C: A at 30, B at 45 */
    assert_true(a.within[6] == 40 && a.within[7] == 50 && a.within[8] == 70);
    assert_true(fabs(a.gravity[0] - (10 + 20 * exp(-0.5) + 40 * exp(-1.5))) < 1e-12);
    assert_true(fabs(a.gravity[1] - (20 + 10 * exp(-0.6))) < 1e-12);
    assert_true(fabs(a.gravity[2] - (40 + 10 * exp(-1.5) + 20 * exp(-2.25))) < 1e-12);
    cr_access_fini(&a);

    /* power:1 : f(t) = 1 / max(t, 1) */
    o = options("10", "power:1");
    assert_int_equal(cr_access_compute(&s, opp, &o, &a, &err), CR_OK);
    assert_true(fabs(a.gravity[0] - (10 + 20 / 10.0 + 40 / 30.0)) < 1e-12);
    assert_true(fabs(a.gravity[1] - (20 + 10 / 12.0)) < 1e-12);
    assert_true(fabs(a.gravity[2] - (40 + 10 / 30.0 + 20 / 45.0)) < 1e-12);
    cr_access_fini(&a);

    /* B not placed: it reaches only itself, and no one reaches it */
    pts[1].placed = 0;
    o = options("60", NULL);
    assert_int_equal(cr_access_compute(&s, opp, &o, &a, &err), CR_OK);
    assert_null(a.gravity);
    assert_true(a.within[0] == 50 && a.within[1] == 20 && a.within[2] == 50);
    assert_false(a.placed[1]);
    cr_access_fini(&a);
}

static void
decay_values(void **state)
{
    struct cr_access_decay d = { CR_DECAY_POWER, 2 };
    (void)state;
    assert_true(cr_access_decay_value(&d, 0) == 1 && cr_access_decay_value(&d, 0.5) == 1);
    assert_true(fabs(cr_access_decay_value(&d, 4) - 1 / 16.0) < 1e-15);
    d = (struct cr_access_decay){ CR_DECAY_EXP, 0.05 };
    assert_true(cr_access_decay_value(&d, 0) == 1);
    assert_true(fabs(cr_access_decay_value(&d, 20) - exp(-1)) < 1e-15);
}

/* ---- parsers ------------------------------------------------------------------------------- */

static void
parsers(void **state)
{
    static const char *const bad_minutes[] = { "",     "0",   "-5",  "abc", "30,,60", "30,30",
                                               "1441", "30,", ",30", "nan", "30 min", "inf" };
    static const char *const bad_decay[] = { "",        "exp",     "exp:",    "exp:-1", "exp:0",
                                             "gauss:1", "exp:abc", "exp:inf", "power:", "exp:1x" };
    static const char *const bad_source[] = { "", "area:", "area:a,,b", "area:a," };
    struct cr_access_options o = { 0 };
    struct cr_access_decay d;
    struct cr_access_source src;
    struct cr_error err = { 0 };
    char name[32];

    (void)state;
    assert_int_equal(cr_access_parse_minutes("60,30,45", &o, &err), CR_OK);
    assert_int_equal(o.threshold_count, 3);
    assert_true(o.minutes[0] == 30 && o.minutes[2] == 60);
    assert_int_equal(cr_access_parse_minutes("7.5", &o, &err), CR_OK);
    cr_access_threshold_name(o.minutes[0], name, sizeof name);
    assert_string_equal(name, "7_5min");
    assert_int_equal(cr_access_parse_minutes("1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", &o, &err),
                     CR_EINVAL);
    for (size_t i = 0; i < sizeof bad_minutes / sizeof *bad_minutes; i++)
        if (cr_access_parse_minutes(bad_minutes[i], &o, &err) != CR_EINVAL)
            fail_msg("--minutes \"%s\" accepted", bad_minutes[i]);
    assert_non_null(strstr(err.msg, "--minutes"));
    assert_int_equal(cr_access_parse_decay("exp:0.05", &d, &err), CR_OK);
    assert_true(d.kind == CR_DECAY_EXP && d.param == 0.05);
    assert_int_equal(cr_access_parse_decay("power:1.5", &d, &err), CR_OK);
    assert_true(d.kind == CR_DECAY_POWER && d.param == 1.5);
    for (size_t i = 0; i < sizeof bad_decay / sizeof *bad_decay; i++)
        if (cr_access_parse_decay(bad_decay[i], &d, &err) != CR_EINVAL)
            fail_msg("--decay \"%s\" accepted", bad_decay[i]);
    assert_int_equal(cr_access_source_parse("jobs", &src, &err), CR_OK);
    assert_true(!src.area && !strcmp(src.field, "jobs"));
    assert_int_equal(cr_access_source_parse("area:industrial,commercial", &src, &err), CR_OK);
    assert_true(src.area && src.class_count == 2 && !strcmp(src.classes[1], "commercial"));
    assert_int_equal(cr_access_source_parse("area:*", &src, &err), CR_OK);
    assert_true(src.area && src.class_count == 0);
    for (size_t i = 0; i < sizeof bad_source / sizeof *bad_source; i++)
        if (cr_access_source_parse(bad_source[i], &src, &err) != CR_EINVAL)
            fail_msg("--opportunities \"%s\" accepted", bad_source[i]);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(access_equals_a_count_over_the_skim),
        cmocka_unit_test(area_counts_the_classes_asked),
        cmocka_unit_test(parcels_off_the_network_reach_themselves),
        cmocka_unit_test(drawn_case_by_hand),
        cmocka_unit_test(decay_values),
        cmocka_unit_test(parsers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
