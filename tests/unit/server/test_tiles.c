/* The server's tiles without sockets (server/tiles.h, server/tile_cache.h): tile URLs good and
 * bad, If-None-Match, the LRU cache (eviction by bytes, generations apart, clear, blobs that
 * outlive their entry), and answers: 200 with an ETag, 304 for it, 400 for a bad z/x/y, 404 with
 * no tiles, the background outside the data, and the tiles of one metatile drawn once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "importers/osm/osm_import.h"
#include "render/style.h"
#include "render/tile.h"
#include "server/tiles.h"

#define MAP CR_SOURCE_DIR "/tests/maps/tiles.osm"

static void
urls(void **state)
{
    static const struct {
        const char *url;
        int ok;
        unsigned z, x, y, scale;
    } cases[] = {
        { "/tiles/0/0/0.png", 1, 0, 0, 0, 1 },
        { "/tiles/16/52064/30938.png", 1, 16, 52064, 30938, 1 },
        { "/tiles/16/52064/30938@2x.png", 1, 16, 52064, 30938, 2 },
        { "/tiles/22/4194303/0.png?v=3", 1, 22, 4194303, 0, 1 },
        { "/tiles/23/0/0.png", 0, 0, 0, 0, 0 },
        { "/tiles/1/2/0.png", 0, 0, 0, 0, 0 },
        { "/tiles/1/0/2.png", 0, 0, 0, 0, 0 },
        { "/tiles/a/0/0.png", 0, 0, 0, 0, 0 },
        { "/tiles/1/0/0", 0, 0, 0, 0, 0 },
        { "/tiles/1/0/0.jpg", 0, 0, 0, 0, 0 },
        { "/tiles/1/0/0@3x.png", 0, 0, 0, 0, 0 },
        { "/tiles/1/-1/0.png", 0, 0, 0, 0, 0 },
        { "/tiles/1//0.png", 0, 0, 0, 0, 0 },
        { "/tiles/99999999999/0/0.png", 0, 0, 0, 0, 0 },
        { "/tiles/1/0/0.pngx", 0, 0, 0, 0, 0 },
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        unsigned z = 99, scale = 99;
        uint32_t x = 99, y = 99;
        char msg[160] = "";
        int ok = !cr_tiles_parse(cases[i].url, &z, &x, &y, &scale, msg, sizeof msg);
        if (ok != cases[i].ok)
            fail_msg("%s: %s (%s)", cases[i].url, ok ? "accepted" : "refused", msg);
        if (ok &&
            (z != cases[i].z || x != cases[i].x || y != cases[i].y || scale != cases[i].scale))
            fail_msg("%s: %u/%u/%u@%u", cases[i].url, z, x, y, scale);
        if (!ok && !msg[0])
            fail_msg("%s: no message", cases[i].url);
    }
    assert_true(cr_tiles_url_is("/tiles/1/0/0.png"));
    assert_false(cr_tiles_url_is("/tile/v1/car/tile(1,0,0).mvt"));
}

static void
etags(void **state)
{
    (void)state;
    assert_true(cr_tiles_etag_matches("\"abc\"", "\"abc\""));
    assert_true(cr_tiles_etag_matches("\"x\", \"abc\"", "\"abc\""));
    assert_true(cr_tiles_etag_matches("W/\"abc\"", "\"abc\""));
    assert_true(cr_tiles_etag_matches("*", "\"abc\""));
    assert_false(cr_tiles_etag_matches("\"abcd\"", "\"abc\""));
    assert_false(cr_tiles_etag_matches("", "\"abc\""));
    assert_false(cr_tiles_etag_matches(NULL, "\"abc\""));
}

static void
cache_lru(void **state)
{
    struct cr_tile_cache *c = cr_tile_cache_create(250);
    unsigned char data[100] = { 1 };
    struct cr_tile_key k1 = { 1, 5, 1, 1, 1 }, k2 = { 1, 5, 2, 1, 1 }, k3 = { 1, 5, 3, 1, 1 };
    struct cr_tile_key k1g2 = { 2, 5, 1, 1, 1 };
    struct cr_tile_cache_stats st;

    (void)state;
    cr_tile_blob_release(cr_tile_cache_put(c, &k1, data, 100));
    cr_tile_blob_release(cr_tile_cache_put(c, &k2, data, 100));
    assert_null(cr_tile_cache_get(c, &k1g2));            /* another generation */
    struct cr_tile_blob *b1 = cr_tile_cache_get(c, &k1); /* k1 now the most recent */
    assert_non_null(b1);
    cr_tile_blob_release(cr_tile_cache_put(c, &k3, data, 100)); /* 300 > 250: k2 goes */
    assert_null(cr_tile_cache_get(c, &k2));
    struct cr_tile_blob *b3 = cr_tile_cache_get(c, &k3);
    assert_non_null(b3);
    cr_tile_cache_stats(c, &st);
    assert_int_equal(st.tiles, 2);
    assert_int_equal(st.bytes, 200);
    cr_tile_cache_clear(c);
    assert_null(cr_tile_cache_get(c, &k1));
    /* blobs taken before the clear stay valid */
    assert_int_equal(b1->len, 100);
    assert_int_equal(b3->data[0], 1);
    assert_string_equal(b1->etag, b3->etag); /* same bytes, same tag */
    cr_tile_blob_release(b1);
    cr_tile_blob_release(b3);
    /* a tile larger than the cache is returned, not kept */
    struct cr_tile_blob *big = cr_tile_cache_put(c, &k1, (unsigned char[300]){ 0 }, 300);
    assert_non_null(big);
    assert_null(cr_tile_cache_get(c, &k1));
    cr_tile_blob_release(big);
    cr_tile_cache_destroy(c);
}

struct fixture {
    struct cr_netbuild *b;
    struct cr_style style;
    struct cr_tile_service *svc;
    struct cr_tile_cache *cache;
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
    if (!(f.svc = cr_tile_service_create(&l, &err)) ||
        !(f.cache = cr_tile_cache_create((size_t)16 << 20))) {
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
    cr_tile_cache_destroy(f->cache);
    cr_tile_service_destroy(f->svc);
    cr_style_fini(&f->style);
    cr_netbuild_destroy(f->b);
    return 0;
}

static void
answers(void **state)
{
    struct fixture *f = *state;
    struct cr_tile_reply r;
    struct cr_tile_cache_stats st;
    char etag[24];
    static const unsigned char png_magic[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

    cr_tiles_answer(f->svc, f->cache, 1, "/tiles/16/52064/30938.png", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(r.blob);
    assert_memory_equal(r.blob->data, png_magic, 8);
    snprintf(etag, sizeof etag, "%s", r.blob->etag);
    cr_tile_blob_release(r.blob);
    /* the whole metatile went to the cache: all its tiles, one drawing */
    cr_tile_cache_stats(f->cache, &st);
    assert_int_equal(st.tiles, CR_TILE_META * CR_TILE_META);
    cr_tiles_answer(f->svc, f->cache, 1, "/tiles/16/52065/30939.png", NULL, &r);
    assert_int_equal(r.status, 200);
    cr_tile_blob_release(r.blob);
    cr_tile_cache_stats(f->cache, &st);
    assert_int_equal(st.tiles, CR_TILE_META * CR_TILE_META);
    assert_int_equal(st.hits, 1);
    /* If-None-Match */
    cr_tiles_answer(f->svc, f->cache, 1, "/tiles/16/52064/30938.png", etag, &r);
    assert_int_equal(r.status, 304);
    assert_string_equal(r.blob->etag, etag);
    cr_tile_blob_release(r.blob);
    cr_tiles_answer(f->svc, f->cache, 1, "/tiles/16/52064/30938.png", "\"0000\"", &r);
    assert_int_equal(r.status, 200);
    cr_tile_blob_release(r.blob);
    /* another generation draws again, the same bytes */
    cr_tiles_answer(f->svc, f->cache, 2, "/tiles/16/52064/30938.png", etag, &r);
    assert_int_equal(r.status, 304);
    cr_tile_blob_release(r.blob);
    cr_tile_cache_stats(f->cache, &st);
    assert_int_equal(st.tiles, 2 * CR_TILE_META * CR_TILE_META);
    /* bad z/x/y: 400 with OSRM's JSON error */
    cr_tiles_answer(f->svc, f->cache, 1, "/tiles/23/0/0.png", NULL, &r);
    assert_int_equal(r.status, 400);
    assert_null(r.blob);
    assert_non_null(strstr(r.error, "\"code\":\"InvalidUrl\""));
    free(r.error);
    cr_tiles_answer(f->svc, f->cache, 1, "/tiles/x/0/0.png", NULL, &r);
    assert_int_equal(r.status, 400);
    free(r.error);
    /* outside the data: 200, a tile */
    cr_tiles_answer(f->svc, f->cache, 1, "/tiles/3/0/0.png", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_memory_equal(r.blob->data, png_magic, 8);
    cr_tile_blob_release(r.blob);
    /* no tiles served */
    cr_tiles_answer(NULL, f->cache, 1, "/tiles/3/0/0.png", NULL, &r);
    assert_int_equal(r.status, 404);
    free(r.error);
}

int
main(void)
{
    const struct CMUnitTest pure[] = {
        cmocka_unit_test(urls),
        cmocka_unit_test(etags),
        cmocka_unit_test(cache_lru),
    };
    const struct CMUnitTest served[] = {
        cmocka_unit_test(answers),
    };
    int failed = cmocka_run_group_tests_name("tile urls and cache", pure, NULL, NULL);
    return failed + cmocka_run_group_tests_name("tile answers", served, setup, teardown);
}
