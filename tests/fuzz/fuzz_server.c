/*
 * Fuzz target for the whole request-to-answer path without sockets: cr_server_answer (URL
 * parsing, profile and vehicle choice, snapping, route, table, nearest, isochrone, JSON) on
 * tests/maps/route_rules.osm, imported once in LLVMFuzzerInitialize and served with every
 * profile. The input is the URL as sent (a NUL ends it). Every answer must be a body with 200
 * or a 4xx status: a client's URL never earns a 5xx.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/graph.h"
#include "corridor/import.h"
#include "corridor/network.h"
#include "fuzz_util.h"
#include "server/server.h"

static struct cr_graph *graph;
static struct cr_server *server;

static void
stop(void)
{
    cr_server_destroy(server);
    cr_graph_close(graph);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    struct cr_error err;
    struct cr_import_options opt = { 0 };
    struct cr_server_options so;
    char path[256];

    (void)argc;
    (void)argv;
    setenv("CORRIDOR_PROFILES", CR_SOURCE_DIR "/profiles", 0);
    if (!fuzz_scratch(NULL, 0, ".corr", path, sizeof path) ||
        cr_osm_import(CR_SOURCE_DIR "/tests/maps/route_rules.osm", path, &opt, NULL, &err) ||
        !(graph = cr_graph_open(path, &err))) {
        fprintf(stderr, "fuzz_server: %s\n", err.msg);
        unlink(path);
        exit(1);
    }
    unlink(path); /* mapped: the name is no longer needed */
    cr_server_options_defaults(&so);
    so.access_log = 0;
    so.threads = 1;
    if (!(server = cr_server_create(graph, &so, &err))) {
        fprintf(stderr, "fuzz_server: %s\n", err.msg);
        exit(1);
    }
    atexit(stop);
    return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *url = malloc(size + 1);
    if (!url)
        return 0;
    memcpy(url, data, size);
    url[size] = '\0';
    int status = 0;
    char *body = cr_server_answer(server, url, &status);
    if (!body || !(status == 200 || (status >= 400 && status < 500)))
        abort();
    free(body);
    free(url);
    return 0;
}
