#include "cli/session.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/geo.h"
#include "routing/ch_store.h"

int
cli_parse_lonlat(const char *text, int32_t *lon_e7, int32_t *lat_e7)
{
    char *end;
    double lon, lat;

    /* plain decimal degrees only: no hex, no inf/nan, no spaces */
    if (text[strspn(text, "0123456789.,+-eE")] != '\0')
        return -1;
    errno = 0;
    lon = strtod(text, &end);
    if (end == text || *end != ',' || errno)
        return -1;
    text = end + 1;
    lat = strtod(text, &end);
    if (end == text || *end != '\0' || errno || !cr_geo_valid(lon, lat))
        return -1;
    *lon_e7 = cr_deg_to_e7(lon);
    *lat_e7 = cr_deg_to_e7(lat);
    return 0;
}

int
cli_write_output(const char *cmd, const char *path, const char *text, size_t len)
{
    char tmp[4096];
    FILE *f;

    if (!path || !strcmp(path, "-")) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout)) {
            fprintf(stderr, "corridor %s: cannot write to standard output\n", cmd);
            return CLI_EXIT_INPUT;
        }
        return CLI_EXIT_OK;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "corridor %s: %s: %s\n", cmd, path, strerror(errno));
        return CLI_EXIT_INPUT;
    }
    if (fwrite(text, 1, len, f) != len || fflush(f) || fsync(fileno(f))) {
        fprintf(stderr, "corridor %s: %s: %s\n", cmd, path, strerror(errno));
        fclose(f);
        unlink(tmp);
        return CLI_EXIT_INPUT;
    }
    if (fclose(f) || rename(tmp, path)) {
        fprintf(stderr, "corridor %s: %s: %s\n", cmd, path, strerror(errno));
        unlink(tmp);
        return CLI_EXIT_INPUT;
    }
    return CLI_EXIT_OK;
}

void
cli_csv_field(FILE *f, const char *s)
{
    if (strpbrk(s, ",\"\n\r")) {
        fputc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                fputc('"', f);
            fputc(*s, f);
        }
        fputc('"', f);
    } else {
        fputs(s, f);
    }
}

int
cli_session_option(const char *cmd, int c, const char *arg, struct cli_session_options *so)
{
    switch (c) {
    case 'p':
        so->profile = arg;
        return 0;
    case 'm':
        so->metric = arg;
        return 0;
    case 'V':
        so->vehicle = arg;
        return 0;
    case 'n':
        so->no_ch = 1;
        return 0;
    case 's':
        return cli_parse_max_snap(cmd, arg, &so->max_snap_m) ? CLI_EXIT_USAGE : 0;
    default:
        return -1;
    }
}

int
cli_place_option(int c, const char *arg, struct cli_place_options *po)
{
    switch (c) {
    case 'R':
        po->radius = arg;
        return 0;
    case 'B':
        po->bearing = arg;
        return 0;
    case 'A':
        po->approach = arg;
        return 0;
    default:
        return -1;
    }
}

int
cli_place_opts(const char *cmd, const struct cli_place_options *po, size_t n,
               struct cr_place_opts *out)
{
    static const char *const kind[] = { "radiuses", "bearings", "approaches" };
    static const char *const option[] = { "--radius", "--bearing", "--approach" };
    const char *text[] = { po->radius, po->bearing, po->approach };
    struct cr_error err = { 0 };

    for (size_t i = 0; i < n; i++)
        out[i] = CR_PLACE_OPTS_DEFAULT;
    for (int k = 0; k < 3; k++)
        if (text[k] && cr_place_opts_parse(kind[k], text[k], n, out, &err))
            return cli_usage_error(cmd, "%s %s: %s", option[k], text[k], err.msg);
    return 0;
}

void
cli_session_close(struct cli_session *s)
{
    cr_router_destroy(s->router);
    if (s->engine_ready)
        cr_engine_fini(&s->engine);
    cr_ch_destroy(s->ch);
    cr_snap_index_destroy(s->snap);
    cr_graph_close(s->graph);
    memset(s, 0, sizeof *s);
}

int
cli_session_open(struct cli_session *s, const char *cmd, const struct cli_session_options *o)
{
    struct cr_error err = { 0 };
    int metric = o->metric ? cr_metric_parse(o->metric) : CR_METRIC_TIME;

    memset(s, 0, sizeof *s);
    if (metric < 0)
        return cli_usage_error(cmd, "--metric \"%s\": want time, distance, cost or co2",
                               o->metric);
    s->metric = (enum cr_metric)metric;
    if (cr_profile_load(o->profile ? o->profile : "car", NULL, &s->profile, &err))
        return cli_fail(cmd, &err);
    if (o->vehicle && cr_profile_set_vehicle(&s->profile, o->vehicle, &err))
        return cli_fail(cmd, &err);
    if (!(s->graph = cr_graph_open(o->network, &err)))
        return cli_fail(cmd, &err);
    s->view = cr_graph_view(s->graph);
    if (!(s->snap = cr_snap_index_create(s->view, &err)))
        goto fail;
    if (cr_engine_init(&s->engine, s->view, s->snap, &s->profile, s->metric, &err))
        goto fail;
    s->engine_ready = 1;
    if (o->max_snap_m > 0)
        s->engine.max_snap_m = o->max_snap_m;
    if (!o->no_ch && !cr_profile_dims_changed(&s->profile)) {
        int stale = 0;
        if (cr_ch_store_find(cr_graph_file(s->graph), s->profile.name, cr_metric_name(s->metric),
                             cr_wgraph_crc(&s->engine.tg->g), &s->ch, &stale, &err))
            goto fail;
        if (stale && !s->ch)
            fprintf(stderr, "corridor %s: note: the contraction hierarchy for %s/%s in %s was "
                            "built with another profile or network; using Dijkstra (run "
                            "corridor contract again)\n",
                    cmd, s->profile.name, cr_metric_name(s->metric), o->network);
        s->engine.ch = s->ch;
    }
    if (!(s->router = cr_router_create(&s->engine, &err)))
        goto fail;
    return CLI_EXIT_OK;
fail:
    cli_session_close(s);
    return cli_fail(cmd, &err);
}
