/* Map tiles (render/tile.h): the tile math against known tiles and PROJ, and the pixels of tiles
 * drawn over tests/maps/tiles.txt (two roads crossing): the primary's fill along its row, the
 * residential street's white along its column, the background away from both and outside the
 * data; @2x tiles; the same bytes twice; and an MBTiles file (render/mbtiles.h) read back. */
#include <math.h>
#include <proj.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo.h>
#include <cmocka.h>
#include <sqlite3.h>

#include "importers/osm/osm_import.h"
#include "render/mbtiles.h"
#include "render/style.h"
#include "render/tile.h"

#define MAP CR_SOURCE_DIR "/tests/maps/tiles.osm"

static void
known_tiles(void **state)
{
    static const struct {
        double lon, lat;
        unsigned z;
        uint32_t x, y;
    } cases[] = {
        { 0, 0, 0, 0, 0 },
        { 0.001, -0.001, 1, 1, 1 },
        { -0.1278, 51.5074, 10, 511, 340 },
        { 106, 10, 16, 52064, 30938 },
        { 14.6, 48.4, 14, 8856, 5668 },
        { 180, -90, 3, 7, 7 },
        { -180, 90, 3, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t x, y;
        cr_tile_of_lonlat(cases[i].lon, cases[i].lat, cases[i].z, &x, &y);
        if (x != cases[i].x || y != cases[i].y)
            fail_msg("%g,%g at z%u: got %u/%u, want %u/%u", cases[i].lon, cases[i].lat, cases[i].z,
                     x, y, cases[i].x, cases[i].y);
    }
    assert_true(cr_tile_valid(0, 0, 0));
    assert_false(cr_tile_valid(0, 1, 0));
    assert_true(cr_tile_valid(22, (1u << 22) - 1, 0));
    assert_false(cr_tile_valid(22, 1u << 22, 0));
    assert_false(cr_tile_valid(23, 0, 0));
}

/* The lon/lat bounds and the Web Mercator bounds agree through PROJ (EPSG:4326 -> EPSG:3857). */
static void
bounds_agree_with_proj(void **state)
{
    PJ *p = proj_create_crs_to_crs(NULL, "EPSG:4326", "EPSG:3857", NULL);
    PJ *t = p ? proj_normalize_for_visualization(NULL, p) : NULL;
    static const unsigned zxy[][3] = { { 1, 0, 0 }, { 10, 511, 340 }, { 16, 52064, 30938 } };

    (void)state;
    assert_non_null(t);
    for (size_t i = 0; i < sizeof zxy / sizeof zxy[0]; i++) {
        double g[4], m[4];
        cr_tile_bounds_lonlat(zxy[i][0], zxy[i][1], zxy[i][2], g);
        cr_tile_bounds_merc(zxy[i][0], zxy[i][1], zxy[i][2], m);
        PJ_COORD a = proj_trans(t, PJ_FWD, proj_coord(g[0], g[1], 0, 0));
        PJ_COORD b = proj_trans(t, PJ_FWD, proj_coord(g[2], g[3], 0, 0));
        if (fabs(a.xy.x - m[0]) > 1e-3 || fabs(a.xy.y - m[1]) > 1e-3 ||
            fabs(b.xy.x - m[2]) > 1e-3 || fabs(b.xy.y - m[3]) > 1e-3)
            fail_msg("z%u: PROJ %f,%f %f,%f vs %f,%f %f,%f", zxy[i][0], a.xy.x, a.xy.y, b.xy.x,
                     b.xy.y, m[0], m[1], m[2], m[3]);
    }
    {
        double bb[4] = { 105.99, 9.99, 106.01, 10.01 };
        uint32_t x0, y0, x1, y1;
        cr_tile_range(bb, 16, &x0, &y0, &x1, &y1);
        assert_true(x0 <= 52064 && 52064 <= x1 && y0 <= 30938 && 30938 <= y1);
        assert_true(x1 - x0 == 3 || x1 - x0 == 4); /* 0.02 degrees: 3.6 tiles at z16 */
    }
    proj_destroy(t);
    proj_destroy(p);
}

/* ---- drawn tiles -------------------------------------------------------------------------- */

struct fixture {
    struct cr_netbuild *b;
    struct cr_style style;
    struct cr_tile_source *src;
    struct cr_tile_renderer *r;
};

static int
setup(void **state)
{
    static struct fixture f;
    struct cr_error err = { 0 };

    if (!(f.b = cr_osm_build(MAP, NULL, NULL, &err)) || cr_style_load(NULL, &f.style, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    struct cr_tile_layers l = { cr_netbuild_view(f.b), NULL, NULL, &f.style };
    if (!(f.src = cr_tile_source_create(&l, &err)) ||
        !(f.r = cr_tile_renderer_create(f.src, &err))) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    *state = &f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    cr_tile_renderer_destroy(f->r);
    cr_tile_source_destroy(f->src);
    cr_style_fini(&f->style);
    cr_netbuild_destroy(f->b);
    return 0;
}

struct reader {
    const unsigned char *p;
    size_t left;
};

static cairo_status_t
read_png(void *closure, unsigned char *data, unsigned int len)
{
    struct reader *r = closure;
    if (len > r->left)
        return CAIRO_STATUS_READ_ERROR;
    memcpy(data, r->p, len);
    r->p += len;
    r->left -= len;
    return CAIRO_STATUS_SUCCESS;
}

/* Tile z/x/y decoded: an RGB24 surface. */
static cairo_surface_t *
draw(struct fixture *f, unsigned z, uint32_t x, uint32_t y, unsigned scale, unsigned char **png,
     size_t *len)
{
    struct cr_error err = { 0 };
    if (cr_tile_render(f->r, z, x, y, scale, png, len, NULL, &err))
        fail_msg("%s", err.msg);
    struct reader rd = { *png, *len };
    cairo_surface_t *s = cairo_image_surface_create_from_png_stream(read_png, &rd);
    assert_int_equal(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
    assert_int_equal(cairo_image_surface_get_width(s), 256 * (int)scale);
    assert_int_equal(cairo_image_surface_get_height(s), 256 * (int)scale);
    return s;
}

static uint32_t
pixel(cairo_surface_t *s, int x, int y)
{
    const unsigned char *d = cairo_image_surface_get_data(s);
    return *(const uint32_t *)(const void *)(d + (size_t)y * cairo_image_surface_get_stride(s) +
                                             4 * (size_t)x) &
           0xffffff;
}

static uint32_t
rgb(struct cr_rgba c)
{
    return (uint32_t)lround(c.r * 255) << 16 | (uint32_t)lround(c.g * 255) << 8 |
           (uint32_t)lround(c.b * 255);
}

/* Where LON, LAT falls on tile z/x/y at SCALE, in pixels. */
static void
pixel_of(double lon, double lat, unsigned z, uint32_t x, uint32_t y, unsigned scale, int *px,
         int *py)
{
    double n = ldexp(1, (int)z), phi = lat * M_PI / 180;
    double fx = (lon + 180) / 360 * n, fy = (1 - log(tan(phi) + 1 / cos(phi)) / M_PI) / 2 * n;
    *px = (int)floor((fx - x) * 256 * scale);
    *py = (int)floor((fy - y) * 256 * scale);
}

static void
check_crossing(struct fixture *f, unsigned scale)
{
    unsigned char *png;
    size_t len;
    uint32_t x, y;
    int cx, cy;
    cr_tile_of_lonlat(106.0, 10.0, 16, &x, &y);
    cairo_surface_t *s = draw(f, 16, x, y, scale, &png, &len);
    uint32_t bg = rgb(f->style.map_background), primary = rgb(f->style.roads[2].fill);
    int w = 256 * (int)scale, along_row = 0, along_col = 0;

    pixel_of(106.0, 10.0, 16, x, y, scale, &cx, &cy);
    assert_true(cx >= 0 && cx < w && cy >= 0 && cy < w);
    for (int i = 0; i < w; i++) {
        along_row += pixel(s, i, cy) == primary;
        along_col += pixel(s, cx, i) == 0xffffff;
    }
    /* most of the row is the primary's fill, most of the column the street's white (labels
     * and the crossing take the rest) */
    if (along_row < w / 2 || along_col < w / 3)
        fail_msg("@%ux: %d of %d pixels of the primary's row are its fill #%06x, %d of the "
                 "street's column white",
                 scale, along_row, w, primary, along_col);
    /* 60 px (at 1x) from both roads: the background */
    int d = 60 * (int)scale;
    int qx = cx + d < w ? cx + d : cx - d, qy = cy + d < w ? cy + d : cy - d;
    assert_int_equal(pixel(s, qx, qy), bg);
    cairo_surface_destroy(s);
    /* the same bytes again */
    unsigned char *again;
    size_t again_len;
    s = draw(f, 16, x, y, scale, &again, &again_len);
    assert_int_equal(len, again_len);
    assert_memory_equal(png, again, len);
    cairo_surface_destroy(s);
    free(png);
    free(again);
}

static void
roads_where_drawn(void **state)
{
    check_crossing(*state, 1);
}

static void
roads_where_drawn_2x(void **state)
{
    check_crossing(*state, 2);
}

/* Outside the data: a valid tile of the background only. */
static void
empty_outside(void **state)
{
    struct fixture *f = *state;
    unsigned char *png;
    size_t len;
    struct cr_tile_stats st;
    struct cr_error err = { 0 };
    uint32_t bg = rgb(f->style.map_background);

    assert_int_equal(cr_tile_render(f->r, 14, 8192, 8192, 1, &png, &len, &st, &err), CR_OK);
    assert_true(st.empty);
    free(png);
    cairo_surface_t *s = draw(f, 14, 8192, 8192, 1, &png, &len);
    for (int y = 0; y < 256; y += 15)
        for (int x = 0; x < 256; x += 15)
            assert_int_equal(pixel(s, x, y), bg);
    cairo_surface_destroy(s);
    free(png);
    assert_int_equal(cr_tile_render(f->r, 23, 0, 0, 1, &png, &len, NULL, &err), CR_EINVAL);
    assert_int_equal(cr_tile_render(f->r, 2, 4, 0, 1, &png, &len, NULL, &err), CR_EINVAL);
}

static int
count_rows(void *user, int n, char **values, char **names)
{
    (void)n;
    (void)names;
    snprintf(user, 64, "%s", values[0] ? values[0] : "");
    return 0;
}

/* An MBTiles file of zooms 14-16 over the map: every tile, TMS rows, the metadata. */
static void
mbtiles_file(void **state)
{
    struct fixture *f = *state;
    struct cr_mbtiles_options o = { 0 };
    struct cr_mbtiles_result res;
    struct cr_error err = { 0 };
    char path[512], value[64];
    sqlite3 *db;

    snprintf(path, sizeof path, "%s/test_tile.mbtiles", CR_BINARY_DIR);
    remove(path);
    o.path = path;
    o.min_zoom = 14;
    o.max_zoom = 16;
    o.threads = 2;
    if (cr_mbtiles_write(f->src, &o, &res, &err))
        fail_msg("%s", err.msg);
    double e[4];
    assert_true(cr_tile_source_extent(f->src, e));
    assert_int_equal(res.tiles, cr_mbtiles_count(e, 14, 16));
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_exec(db, "SELECT count(*) FROM tiles", count_rows, value, NULL);
    assert_int_equal(strtoull(value, NULL, 10), res.tiles);
    sqlite3_exec(db, "SELECT value FROM metadata WHERE name = 'format'", count_rows, value, NULL);
    assert_string_equal(value, "png");
    sqlite3_exec(db, "SELECT value FROM metadata WHERE name = 'attribution'", count_rows, value,
                 NULL);
    assert_string_equal(value, "© OpenStreetMap contributors");
    /* the tile over the crossing, at its TMS row */
    uint32_t x, y;
    char sql[160];
    cr_tile_of_lonlat(106.0, 10.0, 16, &x, &y);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM tiles WHERE zoom_level = 16 AND tile_column = %u AND "
             "tile_row = %u",
             x, (1u << 16) - 1 - y);
    sqlite3_exec(db, sql, count_rows, value, NULL);
    assert_string_equal(value, "1");
    sqlite3_close(db);
    /* a bad zoom range leaves nothing */
    o.min_zoom = 17;
    o.max_zoom = 16;
    assert_int_equal(cr_mbtiles_write(f->src, &o, &res, &err), CR_EINVAL);
    remove(path);
}

int
main(void)
{
    const struct CMUnitTest math[] = {
        cmocka_unit_test(known_tiles),
        cmocka_unit_test(bounds_agree_with_proj),
    };
    const struct CMUnitTest drawn[] = {
        cmocka_unit_test(roads_where_drawn),
        cmocka_unit_test(roads_where_drawn_2x),
        cmocka_unit_test(empty_outside),
        cmocka_unit_test(mbtiles_file),
    };
    int failed = cmocka_run_group_tests_name("tile math", math, NULL, NULL);
    return failed + cmocka_run_group_tests_name("drawn tiles", drawn, setup, teardown);
}
