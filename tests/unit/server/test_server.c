/* The server without sockets (server/server.h): /health, reloads (onto another file, a missing
 * one, a truncated one, the same path again), reloads while other threads answer requests (each
 * request on the generation it took; ASan sees a use after free if an old generation goes too
 * early), and a server over a borrowed graph refusing to reload. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "core/graph.h"
#include "importers/osm/osm_import.h"
#include "server/server.h"

#define HCMC CR_SOURCE_DIR "/datasets/hcmc-district3-map.osm.pbf"
#define RULES CR_SOURCE_DIR "/tests/maps/route_rules.osm"
#define DIR CR_BINARY_DIR "/test_server_files"

static char hcmc_path[512], rules_path[512], short_path[512];

/* OSM file SRC written as network file PATH. */
static void
write_network(const char *src, const char *path)
{
    struct cr_error err = { 0 };
    struct cr_netbuild *b = cr_osm_build(src, NULL, NULL, &err);

    if (!b)
        fail_msg("%s", err.msg);
    if (cr_graph_write(cr_netbuild_view(b), path, &err))
        fail_msg("%s", err.msg);
    cr_netbuild_destroy(b);
}

static int
setup(void **state)
{
    FILE *in, *out;
    char buf[4096];
    size_t n;

    (void)state;
    if (system("mkdir -p " DIR) != 0)
        return -1;
    snprintf(hcmc_path, sizeof hcmc_path, "%s/hcmc.corr", DIR);
    snprintf(rules_path, sizeof rules_path, "%s/rules.corr", DIR);
    snprintf(short_path, sizeof short_path, "%s/short.corr", DIR);
    write_network(HCMC, hcmc_path);
    write_network(RULES, rules_path);
    /* the first 4 KiB of a network file: refused by the loader */
    in = fopen(hcmc_path, "rb");
    out = fopen(short_path, "wb");
    if (!in || !out)
        return -1;
    n = fread(buf, 1, sizeof buf, in);
    fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
    return 0;
}

static struct cr_server *
open_server(const char *path)
{
    struct cr_server_options o;
    struct cr_error err = { 0 };
    struct cr_server *s;

    cr_server_options_defaults(&o);
    o.profiles = "car";
    if (!(s = cr_server_open(path, &o, &err)))
        fail_msg("%s", err.msg);
    return s;
}

/* /health's JSON (caller frees: json_decref), its status 200 checked. */
static json_t *
health(struct cr_server *s)
{
    int status = 0;
    char *body = cr_server_answer(s, "/health", &status);
    json_t *h;

    assert_non_null(body);
    assert_int_equal(status, 200);
    h = json_loads(body, 0, NULL);
    free(body);
    assert_non_null(h);
    return h;
}

static json_int_t
generation(struct cr_server *s)
{
    json_t *h = health(s);
    json_int_t g = json_integer_value(json_object_get(h, "generation"));

    json_decref(h);
    return g;
}

static void
test_health(void **state)
{
    struct cr_server *s = open_server(hcmc_path);
    json_t *h = health(s), *p;
    int status = 0;
    char *body;

    (void)state;
    assert_string_equal(json_string_value(json_object_get(h, "code")), "Ok");
    assert_string_equal(json_string_value(json_object_get(h, "status")), "ok");
    assert_string_equal(json_string_value(json_object_get(h, "network")), hcmc_path);
    assert_int_equal(json_integer_value(json_object_get(h, "generation")), 1);
    assert_non_null(json_string_value(json_object_get(h, "loaded")));
    p = json_object_get(h, "profiles");
    assert_int_equal(json_array_size(p), 1);
    assert_string_equal(json_string_value(json_array_get(p, 0)), "car");
    json_decref(h);
    /* a query string is ignored; a longer path is not health */
    body = cr_server_answer(s, "/health?x=1", &status);
    assert_int_equal(status, 200);
    free(body);
    body = cr_server_answer(s, "/healthz", &status);
    assert_int_equal(status, 400);
    free(body);
    cr_server_destroy(s);
}

static void
test_reload(void **state)
{
    struct cr_server *s = open_server(hcmc_path);
    struct cr_error err = { 0 };
    json_t *h;

    (void)state;
    assert_int_equal(cr_server_reload(s, DIR "/missing.corr", &err), CR_EIO);
    assert_non_null(strstr(err.msg, "missing.corr"));
    assert_int_equal(generation(s), 1);
    memset(&err, 0, sizeof err);
    assert_int_not_equal(cr_server_reload(s, short_path, &err), CR_OK);
    assert_true(err.msg[0] != '\0');
    assert_int_equal(generation(s), 1);
    assert_int_equal(cr_server_reload(s, rules_path, &err), CR_OK);
    h = health(s);
    assert_int_equal(json_integer_value(json_object_get(h, "generation")), 2);
    assert_string_equal(json_string_value(json_object_get(h, "network")), rules_path);
    json_decref(h);
    assert_int_equal(cr_server_reload(s, NULL, &err), CR_OK); /* the same path again */
    assert_int_equal(generation(s), 3);
    cr_server_destroy(s);
}

struct asker {
    struct cr_server *s;
    int bad;
};

static void *
ask(void *arg)
{
    struct asker *a = arg;
    const char *urls[] = { "/health", "/nearest/v1/car/106.6880,10.7800",
                           "/route/v1/car/106.6880,10.7800;106.6900,10.7820", "/route/v1/x" };

    for (int i = 0; i < 400; i++) {
        int status = 0;
        char *body = cr_server_answer(a->s, urls[i % 4], &status);
        if (!body || status >= 500)
            a->bad++;
        free(body);
    }
    return NULL;
}

static void
test_reload_while_answering(void **state)
{
    struct cr_server *s = open_server(hcmc_path);
    struct asker a[3] = { { s, 0 }, { s, 0 }, { s, 0 } };
    pthread_t t[3];
    struct cr_error err = { 0 };

    (void)state;
    for (int i = 0; i < 3; i++)
        assert_int_equal(pthread_create(&t[i], NULL, ask, &a[i]), 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(cr_server_reload(s, i % 2 ? hcmc_path : rules_path, &err), CR_OK);
    for (int i = 0; i < 3; i++) {
        pthread_join(t[i], NULL);
        assert_int_equal(a[i].bad, 0);
    }
    assert_int_equal(generation(s), 11);
    cr_server_drain(s, 1); /* not started: nothing to wait for */
    cr_server_destroy(s);
}

static void
test_borrowed_graph(void **state)
{
    struct cr_error err = { 0 };
    struct cr_graph *g = cr_graph_open(hcmc_path, &err);
    struct cr_server_options o;
    struct cr_server *s;
    json_t *h;

    (void)state;
    assert_non_null(g);
    cr_server_options_defaults(&o);
    o.profiles = "car";
    s = cr_server_create(g, &o, &err);
    assert_non_null(s);
    assert_int_equal(cr_server_reload(s, NULL, &err), CR_EINVAL);
    h = health(s);
    assert_string_equal(json_string_value(json_object_get(h, "network")), "");
    json_decref(h);
    assert_int_equal(cr_server_reload(s, rules_path, &err), CR_OK); /* a path: owned */
    assert_int_equal(generation(s), 2);
    cr_server_destroy(s);
    cr_graph_close(g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_health),
        cmocka_unit_test(test_reload),
        cmocka_unit_test(test_reload_while_answering),
        cmocka_unit_test(test_borrowed_graph),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
