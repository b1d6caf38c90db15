/*
 * The server's map tiles: GET /tiles/{z}/{x}/{y}.png and /tiles/{z}/{x}/{y}@2x.png, drawn by
 * render/tile.h, kept in the LRU cache of server/tile_cache.h, with an ETag (a hash of the PNG)
 * that If-None-Match answers with 304, and Cache-Control. A bad z/x/y is a 400 with a JSON error
 * in OSRM's shape; a tile outside the data is a valid background tile (200).
 *
 * A tile service belongs to one generation of the server (its network); its renderers (one per
 * thread at a time) come from a small pool. A metatile is drawn once: a request whose metatile
 * another thread is drawing waits for it and takes its tile from the cache. docs/tiles.md.
 */
#ifndef CR_SERVER_TILES_H
#define CR_SERVER_TILES_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "render/tile.h"
#include "server/tile_cache.h"

#define CR_TILES_CACHE_CONTROL "public, max-age=300"

/* Whether URL asks for a tile ("/tiles/..."). */
int cr_tiles_url_is(const char *url);

/* Z, X, Y and SCALE (1, or 2 for "@2x") of a tile URL; 0, or -1 with MSG (a sentence) when
 * the URL is not /tiles/{z}/{x}/{y}[@2x].png with z <= 22 and x, y < 2^z. */
int cr_tiles_parse(const char *url, unsigned *z, uint32_t *x, uint32_t *y, unsigned *scale,
                   char *msg, size_t msg_size);

/* Whether the If-None-Match header value INM (may be NULL) names ETAG. */
int cr_tiles_etag_matches(const char *inm, const char *etag);

struct cr_tile_service;

/* The tiles of layers L (borrowed). caller frees: cr_tile_service_destroy() */
struct cr_tile_service *cr_tile_service_create(const struct cr_tile_layers *l,
                                               struct cr_error *err);
void cr_tile_service_destroy(struct cr_tile_service *t);

struct cr_tile_reply {
    int status;                /* 200, 304, 400, 500 */
    struct cr_tile_blob *blob; /* 200 and 304: the tile (its etag), release it */
    char *error;               /* otherwise: the JSON body, free() it */
};

/* The answer to tile URL from service T (NULL: tiles are not served: 404), through CACHE under
 * GENERATION; INM is the request's If-None-Match (or NULL). */
void cr_tiles_answer(struct cr_tile_service *t, struct cr_tile_cache *cache,
                     unsigned long generation, const char *url, const char *inm,
                     struct cr_tile_reply *out);

struct MHD_Connection; /* libmicrohttpd */

/* Queues TR's tile (200) or its 304 on CON with Content-Type, ETag, Cache-Control and CORS
 * headers (and "Connection: close" when CLOSE), and releases tr->blob; 1 when queued. */
int cr_tiles_queue(struct MHD_Connection *con, struct cr_tile_reply *tr, int close);

#endif
