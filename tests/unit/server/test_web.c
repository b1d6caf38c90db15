/* The web map's embedded files (server/web.h): every file of web/ is embedded byte for byte, "/"
 * is index.html, "/web/PATH" the others (a query string ignored), unknown names are NULL, and each
 * has its Content-Type, Cache-Control and a quoted 16-digit ETag. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "server/web.h"

/* The bytes of SRC/web/NAME; *LEN their count. caller frees: free() */
static unsigned char *
slurp(const char *name, size_t *len)
{
    char path[1024];
    FILE *f;
    unsigned char *buf;
    long n;

    snprintf(path, sizeof path, "%s/web/%s", CR_SOURCE_DIR, name);
    assert_non_null(f = fopen(path, "rb"));
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    fseek(f, 0, SEEK_SET);
    assert_non_null(buf = malloc((size_t)n + 1));
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void
test_embedded_equal_files(void **state)
{
    (void)state;
    assert_true(cr_web_asset_count >= 5);
    for (size_t i = 0; i < cr_web_asset_count; i++) {
        const struct cr_web_asset *a = &cr_web_assets[i];
        size_t len;
        unsigned char *buf = slurp(a->path, &len);
        assert_int_equal(a->size, len);
        assert_memory_equal(a->data, buf, len);
        free(buf);
        assert_int_equal(strlen(a->etag), 18);
        assert_true(a->etag[0] == '"' && a->etag[17] == '"');
        if (i)
            assert_true(strcmp(cr_web_assets[i - 1].path, a->path) < 0);
    }
}

static void
test_find(void **state)
{
    const struct cr_web_asset *a;

    (void)state;
    assert_non_null(a = cr_web_find("/"));
    assert_string_equal(a->path, "index.html");
    assert_ptr_equal(cr_web_find("/?lang=vi"), a);
    assert_ptr_equal(cr_web_find("/index.html"), a);
    assert_non_null(a = cr_web_find("/web/app.js?v=2"));
    assert_string_equal(a->path, "app.js");
    assert_non_null(a = cr_web_find("/web/vendor/leaflet/leaflet.js"));
    assert_string_equal(a->path, "vendor/leaflet/leaflet.js");
    assert_null(cr_web_find("/web/app"));
    assert_null(cr_web_find("/web/app.js.map"));
    assert_null(cr_web_find("/web/../CMakeLists.txt"));
    assert_null(cr_web_find("/web/"));
    assert_null(cr_web_find("/route/v1/car/1,2;3,4"));
    assert_true(cr_web_url_is("/"));
    assert_true(cr_web_url_is("/?x"));
    assert_true(cr_web_url_is("/web/x"));
    assert_false(cr_web_url_is("/health"));
    assert_false(cr_web_url_is("/tiles/1/2/3.png"));
    assert_false(cr_web_url_is("/web"));
    assert_false(cr_web_url_is("//"));
    assert_true(cr_web_wanted("/", "text/html,application/xhtml+xml,*/*;q=0.8"));
    assert_false(cr_web_wanted("/", "*/*"));
    assert_false(cr_web_wanted("/", NULL));
    assert_true(cr_web_wanted("/index.html", NULL));
    assert_true(cr_web_wanted("/web/app.js", "*/*"));
    assert_false(cr_web_wanted("/health", "text/html"));
}

static void
test_types(void **state)
{
    (void)state;
    assert_string_equal(cr_web_content_type("index.html"), "text/html; charset=UTF-8");
    assert_string_equal(cr_web_content_type("app.js"), "text/javascript; charset=UTF-8");
    assert_string_equal(cr_web_content_type("app.css"), "text/css; charset=UTF-8");
    assert_string_equal(cr_web_content_type("vendor/leaflet/images/layers.png"), "image/png");
    assert_string_equal(cr_web_content_type("vendor/leaflet/LICENSE"), "text/plain; charset=UTF-8");
    assert_string_equal(cr_web_content_type("x.bin"), "application/octet-stream");
    assert_string_equal(cr_web_cache_control("app.js"), "no-cache");
    assert_string_equal(cr_web_cache_control("vendor/leaflet/leaflet.js"), "public, max-age=86400");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedded_equal_files),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
