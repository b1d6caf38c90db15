/*
 * The HTTP side of the server (server/server.h): libmicrohttpd's daemon and callbacks, the
 * access log, replies, and the dispatch of each request: the web map's files (server/web.c),
 * tiles (server/tiles.c), --compare's /after/ (the second server), else cr_server_answer.
 */
#include "server/server.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "server/osrm.h"
#include "server/server_internal.h"
#include "server/tiles.h"
#include "server/web.h"

#define MEMORY_FLOOR (256u * 1024) /* per connection: a request line of about 200 kB */

struct request_ctx {
    struct timespec start;
    char *uri;
    char method[16];
    int status;
    int called; /* the handler has seen the headers: answer on the next call */
};

static void *
on_uri(void *cls, const char *uri, struct MHD_Connection *con)
{
    struct cr_server *s = cls;
    struct request_ctx *c = calloc(1, sizeof *c);

    (void)con;
    if (!c)
        return NULL;
    atomic_fetch_add(&s->inflight, 1);
    clock_gettime(CLOCK_MONOTONIC, &c->start);
    c->uri = strdup(uri ? uri : "");
    return c;
}

static void
on_completed(void *cls, struct MHD_Connection *con, void **con_cls,
             enum MHD_RequestTerminationCode toe)
{
    struct cr_server *s = cls;
    struct request_ctx *c = *con_cls;

    (void)con;
    (void)toe;
    if (!c)
        return;
    if (c->method[0] && s->opt.log && s->opt.access_log) {
        struct timespec now;
        long long us;
        clock_gettime(CLOCK_MONOTONIC, &now);
        us = (now.tv_sec - c->start.tv_sec) * 1000000LL + (now.tv_nsec - c->start.tv_nsec) / 1000;
        cr_server_note(s, "%s %.300s%s %d %lldus", c->method, c->uri ? c->uri : "",
                       c->uri && strlen(c->uri) > 300 ? "..." : "", c->status, us);
    }
    free(c->uri);
    free(c);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static enum MHD_Result
reply(struct cr_server *s, struct MHD_Connection *con, int status, char *body)
{
    static const char oom[] = "{\"code\":\"InternalError\",\"message\":\"out of memory\"}";
    struct MHD_Response *resp;
    enum MHD_Result ret;

    if (body)
        resp = MHD_create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
    else
        resp = MHD_create_response_from_buffer(sizeof oom - 1, (void *)oom, MHD_RESPMEM_PERSISTENT);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, "Content-Type", "application/json; charset=UTF-8");
    MHD_add_response_header(resp, "Access-Control-Allow-Origin", "*");
    MHD_add_response_header(resp, "Access-Control-Allow-Methods", "GET");
    if (s->draining) /* stopping: a keep-alive client reconnects elsewhere */
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
    ret = MHD_queue_response(con, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* A tile (server/tiles.h): the PNG with its ETag and Cache-Control, 304, or a JSON error. */
static enum MHD_Result
reply_tile(struct cr_server *s, struct MHD_Connection *con, const char *uri, int *status)
{
    const char *inm = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "If-None-Match");
    struct generation *g = cr_server_gen_acquire(s);
    struct cr_tile_reply tr;

    cr_tiles_answer(g->tiles, s->tile_cache, g->number, uri, inm, &tr);
    cr_server_gen_release(s, g);
    *status = tr.status;
    if (!tr.blob)
        return reply(s, con, tr.status, tr.error);
    return cr_tiles_queue(con, &tr, s->draining) ? MHD_YES : MHD_NO;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *con, const char *url, const char *method,
           const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
    struct cr_server *s = cls;
    struct request_ctx *c = *con_cls;
    int status = 500;
    char *body;

    (void)url;
    (void)version;
    (void)upload_data;
    if (!c)
        return MHD_NO;
    /* answering on the first call (headers only) would make libmicrohttpd close the connection
     * ("Connection: close"), so keep-alive clients reconnected for every request */
    if (!c->called) {
        c->called = 1;
        return MHD_YES;
    }
    if (*upload_data_size) { /* a body: not read */
        *upload_data_size = 0;
        return MHD_YES;
    }
    snprintf(c->method, sizeof c->method, "%s", method);
    if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
        struct cr_osrm_error e;
        cr_osrm_error_set(&e, "InvalidUrl", 405, "method %.15s: only GET is served", method);
        body = cr_osrm_error_json(&e);
        status = 405;
    } else if (s->after && c->uri && !strncmp(c->uri, "/after/", 7)) { /* --compare */
        if (!cr_tiles_url_is(c->uri + 6)) {
            body = cr_server_answer(s->after, c->uri + 6, &status);
        } else {
            enum MHD_Result ret = reply_tile(s->after, con, c->uri + 6, &status);
            c->status = status;
            return ret;
        }
    } else if (c->uri && cr_tiles_url_is(c->uri)) {
        enum MHD_Result ret = reply_tile(s, con, c->uri, &status);
        c->status = status;
        return ret;
    } else if (cr_web_wanted(c->uri ? c->uri : "",
                             MHD_lookup_connection_value(con, MHD_HEADER_KIND, "Accept"))) {
        const char *inm = MHD_lookup_connection_value(con, MHD_HEADER_KIND, "If-None-Match");
        return cr_web_reply(con, c->uri, inm, s->draining, &c->status); /* server/web.c */
    } else {
        body = cr_server_answer(s, c->uri ? c->uri : "", &status);
    }
    c->status = body ? status : 500;
    return reply(s, con, body ? status : 500, body);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap) CR_PRINTF(2, 0);

static void
on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    struct cr_server *s = cls;
    char line[512];
    size_t len;

    if (!s->opt.log && !s->starting)
        return;
    vsnprintf(line, sizeof line, fmt, ap);
    len = strlen(line);
    while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == '.'))
        line[--len] = '\0';
    if (s->starting) { /* the first says why the start failed; cr_server_start reports it */
        if (!s->start_msg[0])
            snprintf(s->start_msg, sizeof s->start_msg, "%.150s", line);
        return;
    }
    cr_server_note(s, "libmicrohttpd: %s", line);
}

enum cr_status
cr_server_start(struct cr_server *s, struct cr_error *err)
{
    struct sockaddr_in in4;
    struct sockaddr_in6 in6;
    struct sockaddr *addr;
    unsigned flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_USE_TURBO | MHD_USE_ITC;
    const union MHD_DaemonInfo *info;
    /* room for a request line well past --max-url, so that a long URL reaches the parser and
     * gets OSRM's TooBig (JSON) rather than libmicrohttpd's own page; a larger request line gets
     * that page (414). The pool is mapped, not touched: an idle connection costs little. */
    size_t memory = 4 * s->opt.limits.max_url_bytes + 65536;

    if (memory < MEMORY_FLOOR)
        memory = MEMORY_FLOOR;

    if (s->opt.port > 65535)
        return cr_error_set(err, CR_EINVAL, "port %u: want 0..65535", s->opt.port);
    memset(&in4, 0, sizeof in4);
    memset(&in6, 0, sizeof in6);
    if (inet_pton(AF_INET, s->opt.host, &in4.sin_addr) == 1) {
        in4.sin_family = AF_INET;
        in4.sin_port = htons((uint16_t)s->opt.port);
        addr = (struct sockaddr *)&in4;
    } else if (inet_pton(AF_INET6, s->opt.host, &in6.sin6_addr) == 1) {
        in6.sin6_family = AF_INET6;
        in6.sin6_port = htons((uint16_t)s->opt.port);
        addr = (struct sockaddr *)&in6;
        flags |= MHD_USE_IPv6;
    } else {
        return cr_error_set(err, CR_EINVAL, "host \"%s\": want an IPv4 or IPv6 address",
                            s->opt.host);
    }
    {
        struct MHD_OptionItem items[] = {
            { MHD_OPTION_SOCK_ADDR, 0, addr },
            { MHD_OPTION_CONNECTION_TIMEOUT, (intptr_t)s->opt.timeout_s, NULL },
            { MHD_OPTION_CONNECTION_LIMIT, (intptr_t)s->opt.max_connections, NULL },
            { MHD_OPTION_PER_IP_CONNECTION_LIMIT, (intptr_t)s->opt.max_per_ip, NULL },
            { MHD_OPTION_CONNECTION_MEMORY_LIMIT, (intptr_t)memory, NULL },
            { MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)on_uri, s },
            { MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)on_completed, s },
            { MHD_OPTION_THREAD_POOL_SIZE, (intptr_t)s->opt.threads, NULL }, /* last: if > 1 */
            { MHD_OPTION_END, 0, NULL },
        };
        if (s->opt.threads <= 1)
            items[7].option = MHD_OPTION_END;
        s->starting = 1;
        s->start_msg[0] = '\0';
        s->daemon = MHD_start_daemon(flags, (uint16_t)s->opt.port, NULL, NULL, on_request, s,
                                     MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, s, MHD_OPTION_ARRAY,
                                     items, MHD_OPTION_END);
        s->starting = 0;
    }
    if (!s->daemon)
        return cr_error_set(err, CR_EIO, "%s port %u: cannot listen: %s", s->opt.host, s->opt.port,
                            s->start_msg[0] ? s->start_msg : "address in use, or not allowed");
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : s->opt.port;
    return CR_OK;
}

unsigned
cr_server_port(const struct cr_server *s)
{
    return s->port;
}

void
cr_server_drain(struct cr_server *s, double max_s)
{
    double until = cr_server_now_s() + max_s;
    long left;

    if (!s->daemon)
        return;
    atomic_store(&s->draining, 1);
    {
        MHD_socket fd = MHD_quiesce_daemon(s->daemon); /* no new connections */
        if (fd != MHD_INVALID_SOCKET)
            close(fd);
    }
    for (;;) {
        left = atomic_load(&s->inflight);
        if (left == 0 || cr_server_now_s() >= until)
            break;
        nanosleep(&(struct timespec){ 0, 10 * 1000000L }, NULL);
    }
    if (left)
        cr_server_note(s, "stopping with %ld requests unanswered after %.0f s", left, max_s);
}
