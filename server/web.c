/* The web map's files over HTTP: server/web.h, docs/web.md. */
#include "server/web.h"

#include <stdint.h>
#include <string.h>

void
cr_web_bbox(const struct cr_graph *graph, double bbox[4])
{
    const struct cr_graph_view *v = cr_graph_view(graph);
    int32_t b[4] = { INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN };

    for (uint32_t n = 0; n < v->node_count; n++) {
        b[0] = v->lon_e7[n] < b[0] ? v->lon_e7[n] : b[0];
        b[1] = v->lat_e7[n] < b[1] ? v->lat_e7[n] : b[1];
        b[2] = v->lon_e7[n] > b[2] ? v->lon_e7[n] : b[2];
        b[3] = v->lat_e7[n] > b[3] ? v->lat_e7[n] : b[3];
    }
    for (int i = 0; i < 4; i++)
        bbox[i] = v->node_count ? b[i] / 1e7 : 0;
}

/* The length of URL's path (up to a query string or fragment). */
static size_t
path_len(const char *url)
{
    return strcspn(url, "?#");
}

int
cr_web_url_is(const char *url)
{
    size_t n = path_len(url);

    return (n == 1 && url[0] == '/') || (n == 11 && !strncmp(url, "/index.html", 11)) ||
           (n > 5 && !strncmp(url, "/web/", 5));
}

int
cr_web_wanted(const char *url, const char *accept)
{
    if (!cr_web_url_is(url))
        return 0;
    return path_len(url) > 1 || (accept && strstr(accept, "text/html"));
}

const struct cr_web_asset *
cr_web_find(const char *url)
{
    size_t n = path_len(url);
    const char *name = "index.html";
    size_t len = strlen(name);

    if (n > 5 && !strncmp(url, "/web/", 5)) {
        name = url + 5;
        len = n - 5;
    } else if (!((n == 1 && url[0] == '/') || (n == 11 && !strncmp(url, "/index.html", 11)))) {
        return NULL;
    }
    for (size_t i = 0; i < cr_web_asset_count; i++) {
        const struct cr_web_asset *a = &cr_web_assets[i];
        if (strlen(a->path) == len && !strncmp(a->path, name, len))
            return a;
    }
    return NULL;
}

const char *
cr_web_content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        { ".html", "text/html; charset=UTF-8" },
        { ".js", "text/javascript; charset=UTF-8" },
        { ".css", "text/css; charset=UTF-8" },
        { ".png", "image/png" },
        { ".svg", "image/svg+xml" },
        { ".json", "application/json; charset=UTF-8" },
        { ".md", "text/markdown; charset=UTF-8" },
        { ".ico", "image/x-icon" },
    };
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *dot = strrchr(base, '.');

    if (!dot) /* LICENSE */
        return "text/plain; charset=UTF-8";
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++)
        if (!strcmp(dot, types[i].ext))
            return types[i].type;
    return "application/octet-stream";
}

const char *
cr_web_cache_control(const char *path)
{
    return !strncmp(path, "vendor/", 7) ? "public, max-age=86400" : "no-cache";
}

/* Whether the If-None-Match header value LIST names ETAG (or is "*"). */
static int
etag_matches(const char *list, const char *etag)
{
    size_t n = strlen(etag);

    if (!list)
        return 0;
    for (const char *p = list; *p;) {
        p += strspn(p, " ,\t");
        if (!strncmp(p, "W/", 2))
            p += 2;
        if (*p == '*' || (!strncmp(p, etag, n) && (p[n] == '\0' || p[n] == ',' || p[n] == ' ')))
            return 1;
        p += strcspn(p, ",");
    }
    return 0;
}

enum MHD_Result
cr_web_reply(struct MHD_Connection *con, const char *url, const char *if_none_match, int close,
             int *status)
{
    static const char missing[] = "{\"code\":\"NotFound\",\"message\":\"no such file\"}";
    const struct cr_web_asset *a = cr_web_find(url);
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (!a) {
        *status = 404;
        resp = MHD_create_response_from_buffer(sizeof missing - 1, (void *)missing,
                                               MHD_RESPMEM_PERSISTENT);
    } else if (etag_matches(if_none_match, a->etag)) {
        *status = 304;
        resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    } else {
        *status = 200;
        resp = MHD_create_response_from_buffer(a->size, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    }
    if (!resp)
        return MHD_NO;
    if (a) {
        MHD_add_response_header(resp, "Content-Type", cr_web_content_type(a->path));
        MHD_add_response_header(resp, "ETag", a->etag);
        MHD_add_response_header(resp, "Cache-Control", cr_web_cache_control(a->path));
        MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
        if (!strcmp(a->path, "index.html")) /* "/" is the page only for browsers */
            MHD_add_response_header(resp, "Vary", "Accept");
    } else {
        MHD_add_response_header(resp, "Content-Type", "application/json; charset=UTF-8");
    }
    if (close)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    ret = MHD_queue_response(con, (unsigned)*status, resp);
    MHD_destroy_response(resp);
    return ret;
}
