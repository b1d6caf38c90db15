/* Map tiles over HTTP: the URL, the renderer pool, one drawing per metatile, the cache. */
#include "server/tiles.h"

#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/osrm.h"

#define POOL_MAX 8     /* renderers kept idle */
#define DRAWING_MAX 64 /* metatiles being drawn at once */

int
cr_tiles_url_is(const char *url)
{
    return !strncmp(url, "/tiles/", 7);
}

/* A decimal number of at most 10 digits at *P, moved past it; -1 when there is none. */
static long long
number(const char **p)
{
    long long v = 0;
    int digits = 0;

    while (**p >= '0' && **p <= '9' && digits < 11) {
        v = v * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    return digits && digits <= 10 ? v : -1;
}

int
cr_tiles_parse(const char *url, unsigned *z, uint32_t *x, uint32_t *y, unsigned *scale, char *msg,
               size_t msg_size)
{
    const char *p = url + 7;
    long long vz, vx, vy;

    if (!cr_tiles_url_is(url))
        goto bad;
    if ((vz = number(&p)) < 0 || *p++ != '/' || (vx = number(&p)) < 0 || *p++ != '/' ||
        (vy = number(&p)) < 0)
        goto bad;
    *scale = 1;
    if (!strncmp(p, "@2x", 3)) {
        *scale = 2;
        p += 3;
    }
    if (strncmp(p, ".png", 4) || (p[4] && p[4] != '?'))
        goto bad;
    if (vz > CR_TILE_MAX_ZOOM) {
        snprintf(msg, msg_size, "zoom %lld: tiles go from 0 to %d", vz, CR_TILE_MAX_ZOOM);
        return -1;
    }
    if (!cr_tile_valid((unsigned)vz, (uint64_t)vx, (uint64_t)vy)) {
        snprintf(msg, msg_size, "tile %lld/%lld/%lld: x and y must be below %lld at zoom %lld", vz,
                 vx, vy, 1LL << vz, vz);
        return -1;
    }
    *z = (unsigned)vz;
    *x = (uint32_t)vx;
    *y = (uint32_t)vy;
    return 0;
bad:
    snprintf(msg, msg_size, "want /tiles/{z}/{x}/{y}.png or /tiles/{z}/{x}/{y}@2x.png");
    return -1;
}

int
cr_tiles_etag_matches(const char *inm, const char *etag)
{
    size_t n = strlen(etag);

    if (!inm)
        return 0;
    for (const char *p = inm; *p;) {
        p += strspn(p, " \t,");
        if (!strncmp(p, "W/", 2))
            p += 2;
        size_t len = strcspn(p, " \t,");
        if ((len == 1 && *p == '*') || (len == n && !strncmp(p, etag, n)))
            return 1;
        p += len;
    }
    return 0;
}

/* ---- the service -------------------------------------------------------------------------- */

struct drawing {
    unsigned z, scale;
    uint32_t mx0, my0;
    unsigned long generation;
};

struct cr_tile_service {
    struct cr_tile_source *src;
    pthread_mutex_t mu;
    pthread_cond_t drawn;
    struct cr_tile_renderer *idle[POOL_MAX];
    size_t idle_count;
    struct drawing drawing[DRAWING_MAX];
    size_t drawing_count;
};

struct cr_tile_service *
cr_tile_service_create(const struct cr_tile_layers *l, struct cr_error *err)
{
    struct cr_tile_service *t = calloc(1, sizeof *t);

    if (!t) {
        cr_error_set(err, CR_ENOMEM, "tiles: out of memory");
        return NULL;
    }
    if (pthread_mutex_init(&t->mu, NULL)) {
        free(t);
        cr_error_set(err, CR_ENOMEM, "tiles: cannot make a mutex");
        return NULL;
    }
    if (pthread_cond_init(&t->drawn, NULL)) {
        pthread_mutex_destroy(&t->mu);
        free(t);
        cr_error_set(err, CR_ENOMEM, "tiles: cannot make a condition variable");
        return NULL;
    }
    if (!(t->src = cr_tile_source_create(l, err))) {
        cr_tile_service_destroy(t);
        return NULL;
    }
    return t;
}

void
cr_tile_service_destroy(struct cr_tile_service *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->idle_count; i++)
        cr_tile_renderer_destroy(t->idle[i]);
    cr_tile_source_destroy(t->src);
    pthread_cond_destroy(&t->drawn);
    pthread_mutex_destroy(&t->mu);
    free(t);
}

static struct cr_tile_renderer *
take_renderer(struct cr_tile_service *t, struct cr_error *err)
{
    struct cr_tile_renderer *r = NULL;

    pthread_mutex_lock(&t->mu);
    if (t->idle_count)
        r = t->idle[--t->idle_count];
    pthread_mutex_unlock(&t->mu);
    return r ? r : cr_tile_renderer_create(t->src, err);
}

static void
give_renderer(struct cr_tile_service *t, struct cr_tile_renderer *r)
{
    pthread_mutex_lock(&t->mu);
    if (t->idle_count < POOL_MAX) {
        t->idle[t->idle_count++] = r;
        r = NULL;
    }
    pthread_mutex_unlock(&t->mu);
    cr_tile_renderer_destroy(r);
}

static int
same_drawing(const struct drawing *a, const struct drawing *b)
{
    return a->z == b->z && a->scale == b->scale && a->mx0 == b->mx0 && a->my0 == b->my0 &&
           a->generation == b->generation;
}

/* Claims metatile D for drawing (1), or waits while another thread draws it (0: look in the
 * cache again). With no room to note it, draws it anyway. */
static int
claim(struct cr_tile_service *t, const struct drawing *d)
{
    int waited = 0;

    pthread_mutex_lock(&t->mu);
    for (;;) {
        size_t i;
        for (i = 0; i < t->drawing_count && !same_drawing(&t->drawing[i], d); i++)
            ;
        if (i == t->drawing_count)
            break;
        pthread_cond_wait(&t->drawn, &t->mu);
        waited = 1;
    }
    if (!waited && t->drawing_count < DRAWING_MAX)
        t->drawing[t->drawing_count++] = *d;
    pthread_mutex_unlock(&t->mu);
    return !waited;
}

static void
release(struct cr_tile_service *t, const struct drawing *d)
{
    pthread_mutex_lock(&t->mu);
    for (size_t i = 0; i < t->drawing_count; i++)
        if (same_drawing(&t->drawing[i], d)) {
            t->drawing[i] = t->drawing[--t->drawing_count];
            break;
        }
    pthread_cond_broadcast(&t->drawn);
    pthread_mutex_unlock(&t->mu);
}

struct sink {
    struct cr_tile_cache *cache;
    struct cr_tile_key want;
    struct cr_tile_blob *blob; /* the one asked for */
};

static int
to_cache(void *user, unsigned z, uint32_t x, uint32_t y, const unsigned char *png, size_t len)
{
    struct sink *s = user;
    struct cr_tile_key key = { s->want.generation, z, x, y, s->want.scale };
    struct cr_tile_blob *b = cr_tile_cache_put(s->cache, &key, png, len);

    if (!b)
        return 1;
    if (x == s->want.x && y == s->want.y && !s->blob)
        s->blob = b;
    else
        cr_tile_blob_release(b);
    return 0;
}

static void
fail(struct cr_tile_reply *out, const char *code, int status, const char *msg)
{
    struct cr_osrm_error e;

    cr_osrm_error_set(&e, code, status, "%s", msg);
    out->status = status;
    out->error = cr_osrm_error_json(&e);
}

/* The tile KEY: from the cache, or drawn with its metatile (once, whoever asks). */
static struct cr_tile_blob *
get_tile(struct cr_tile_service *t, struct cr_tile_cache *cache, const struct cr_tile_key *key,
         struct cr_error *err)
{
    struct cr_tile_blob *b;
    struct drawing d = { key->z, key->scale, 0, 0, key->generation };
    uint32_t meta;

    cr_tile_metatile(key->z, key->x, key->y, &d.mx0, &d.my0, &meta);
    for (;;) {
        if ((b = cr_tile_cache_get(cache, key)))
            return b;
        if (claim(t, &d))
            break;
    }
    struct sink s = { cache, *key, NULL };
    struct cr_tile_renderer *r = take_renderer(t, err);
    if (r) {
        if (cr_tile_render_metatile(r, key->z, key->x, key->y, key->scale, to_cache, &s, NULL,
                                    err)) {
            cr_tile_blob_release(s.blob);
            s.blob = NULL;
        }
        give_renderer(t, r);
    }
    release(t, &d);
    return s.blob;
}

void
cr_tiles_answer(struct cr_tile_service *t, struct cr_tile_cache *cache, unsigned long generation,
                const char *url, const char *inm, struct cr_tile_reply *out)
{
    struct cr_tile_key key = { generation, 0, 0, 0, 1 };
    struct cr_error err = { 0 };
    char msg[160];

    memset(out, 0, sizeof *out);
    if (!t) {
        fail(out, "InvalidService", 404, "this server has no map tiles");
        return;
    }
    if (cr_tiles_parse(url, &key.z, &key.x, &key.y, &key.scale, msg, sizeof msg)) {
        fail(out, "InvalidUrl", 400, msg);
        return;
    }
    if (!(out->blob = get_tile(t, cache, &key, &err))) {
        fail(out, "InternalError", 500, err.msg[0] ? err.msg : "out of memory");
        return;
    }
    out->status = cr_tiles_etag_matches(inm, out->blob->etag) ? 304 : 200;
}

int
cr_tiles_queue(struct MHD_Connection *con, struct cr_tile_reply *tr, int close)
{
    struct MHD_Response *resp;
    int ret;

    if (tr->status == 304)
        resp = MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
    else
        resp =
            MHD_create_response_from_buffer(tr->blob->len, tr->blob->data, MHD_RESPMEM_MUST_COPY);
    if (resp) {
        if (tr->status == 200)
            MHD_add_response_header(resp, "Content-Type", "image/png");
        MHD_add_response_header(resp, "ETag", tr->blob->etag);
        MHD_add_response_header(resp, "Cache-Control", CR_TILES_CACHE_CONTROL);
        MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
        if (close) /* the server is stopping: a keep-alive client reconnects elsewhere */
            MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    }
    ret = resp && MHD_queue_response(con, (unsigned)tr->status, resp) == MHD_YES;
    if (resp)
        MHD_destroy_response(resp);
    cr_tile_blob_release(tr->blob);
    tr->blob = NULL;
    return ret;
}
