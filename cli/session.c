#include "cli/session.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/atomic.h"
#include "core/geo.h"

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
    struct cr_error err = { 0 };

    if (cr_atomic_write(path, text, len, &err))
        return cli_fail(cmd, &err);
    return CLI_EXIT_OK;
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
    cr_session_close(s->session);
    cr_graph_close(s->graph);
    memset(s, 0, sizeof *s);
}

int
cli_session_open(struct cli_session *s, const char *cmd, const struct cli_session_options *o)
{
    struct cr_session_options so = CR_SESSION_OPTIONS_DEFAULT;
    struct cr_error err = { 0 };
    int metric = o->metric ? cr_metric_parse(o->metric) : CR_METRIC_TIME;

    memset(s, 0, sizeof *s);
    if (metric < 0)
        return cli_usage_error(cmd, "--metric \"%s\": want time, distance, cost or co2", o->metric);
    so.profile = o->profile;
    so.metric = (enum cr_metric)metric;
    so.vehicle = o->vehicle;
    so.exclude = o->exclude;
    so.max_snap_m = o->max_snap_m;
    so.ch = o->no_ch ? CR_CH_NEVER : CR_CH_AUTO;
    so.network_name = o->network;
    if (!(s->graph = cr_graph_open(o->network, &err)) ||
        !(s->session = cr_session_open(s->graph, &so, &err)) ||
        !(s->router = cr_session_router_create(s->session, &err))) {
        cli_session_close(s);
        return cli_fail(cmd, &err);
    }
    /* a vehicle of one's own is what was asked for: no note on the hierarchy it forgoes */
    for (size_t i = 0;
         cr_session_ch_state(s->session) != CR_CH_VEHICLE && i < cr_session_note_count(s->session);
         i++)
        fprintf(stderr, "corridor %s: note: %s\n", cmd, cr_session_note(s->session, i));
    s->engine = cr_session_engine(s->session);
    s->view = s->engine->view;
    s->profile = s->engine->profile;
    s->metric = s->engine->metric;
    return CLI_EXIT_OK;
}
