/*
 * The web map of `corridor serve` (docs/web.md): the files of web/ (index.html, app.js, app.css,
 * vendored Leaflet), embedded into the binary at build time by server/web_embed.cmake, served
 * at "/" (index.html) and "/web/PATH" with their Content-Type, an ETag (from the content's
 * SHA-256; If-None-Match gives 304) and Cache-Control.
 */
#ifndef CR_SERVER_WEB_H
#define CR_SERVER_WEB_H

#include <stddef.h>

#include <microhttpd.h>

#include "core/graph.h"

struct cr_web_asset {
    const char *path; /* relative to web/: "index.html", "vendor/leaflet/leaflet.js" */
    const unsigned char *data;
    size_t size;
    const char *etag; /* quoted, as sent: "\"0123456789abcdef\"" */
};

/* The embedded files, sorted by path (the generated web_assets.c). */
extern const struct cr_web_asset cr_web_assets[];
extern const size_t cr_web_asset_count;

/* The bounding box of GRAPH's nodes, W S E N in degrees (all 0 when it has none): where the
 * page opens the map (/health's "bbox"). */
void cr_web_bbox(const struct cr_graph *graph, double bbox[4]);

/* Whether URL (path and query string) is the page's: "/", "/index.html" or "/web/...". */
int cr_web_url_is(const char *url);

/* Whether to answer URL with the page's files, given the request's Accept header (NULL: none):
 * "/index.html" and "/web/..." always; "/" only for a browser (Accept names text/html), so
 * that API clients asking "/" still get OSRM's InvalidUrl, as from osrm-routed. */
int cr_web_wanted(const char *url, const char *accept);

/* The asset URL names (a query string ignored), or NULL. */
const struct cr_web_asset *cr_web_find(const char *url);

/* "text/html; charset=UTF-8", "image/png", ... from PATH's extension. */
const char *cr_web_content_type(const char *path);

/* "no-cache" for the page and its scripts (revalidated by ETag, so a new build is seen at
 * once), a day for the vendored library. */
const char *cr_web_cache_control(const char *path);

/* Answers URL on CON: 200 with the file, 304 when IF_NONE_MATCH names its ETag, 404 (JSON, as
 * the other errors) when no file has that name. CLOSE: add "Connection: close". *STATUS: the
 * HTTP status sent. */
enum MHD_Result cr_web_reply(struct MHD_Connection *con, const char *url, const char *if_none_match,
                             int close, int *status);

#endif
