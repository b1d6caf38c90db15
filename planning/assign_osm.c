/*
 * An OSM network file as an assignment problem: the classes' turn graphs as class networks, the
 * zones joined by connectors, the network edges as resources (planning/assign_osm.h).
 */
#include "planning/assign_osm.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/netfile.h"
#include "importers/scenario/scenario.h"
#include "routing/route.h"
#include "routing/session.h"

/* ---- capacities --------------------------------------------------------------------------- */

double
cr_assign_edge_capacity(const struct cr_profile *p, const struct cr_graph_view *v, uint32_t e,
                        double *lanes)
{
    const struct cr_way_attr *w =
        &v->ways[v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED]];
    double n;

    if (lanes)
        *lanes = 0;
    if (w->mode != CR_MODE_ROAD || w->klass >= CR_ROAD_CLASS_COUNT)
        return 0;
    if (w->lanes == 0)
        n = p->assign.default_lanes[w->klass];
    else if (w->flags & CR_WAY_ONEWAY)
        n = w->lanes;
    else
        n = (w->lanes + 1) / 2; /* lanes counts both directions of a two-way way */
    if (lanes)
        *lanes = n;
    return p->assign.capacity_pcu_per_lane_h[w->klass] * p->assign.capacity_factor * n;
}

/* ---- class specs -------------------------------------------------------------------------- */

static enum cr_status
apply_override(const char *spec, const char *key, const char *val, struct cr_profile *p,
               struct cr_error *err)
{
    char *end;
    double x;

    errno = 0;
    x = strtod(val, &end);
    if (val[0] == '\0' || *end != '\0' || errno || !isfinite(x))
        return cr_error_set(err, CR_EINVAL, "--classes \"%s\": %s=%s is not a number", spec, key,
                            val);
    if (strcmp(key, "pce") == 0 && x > 0 && x <= 100) {
        p->assign.pce = x;
    } else if (strcmp(key, "capacity_factor") == 0 && x > 0 && x <= 2) {
        p->assign.capacity_factor = x;
    } else if ((strcmp(key, "alpha") == 0 && x >= 0 && x <= 100) ||
               (strcmp(key, "beta") == 0 && x >= 0 && x <= 20)) {
        double *t = key[0] == 'a' ? p->assign.bpr_alpha : p->assign.bpr_beta;
        for (int c = 0; c < CR_ROAD_CLASS_COUNT; c++)
            t[c] = x;
    } else {
        return cr_error_set(err, CR_EINVAL,
                            "--classes \"%s\": %s=%s: want pce in (0, 100], capacity_factor in "
                            "(0, 2], alpha in [0, 100] or beta in [0, 20]",
                            spec, key, val);
    }
    return CR_OK;
}

enum cr_status
cr_assign_class_parse(const char *spec, const char *dir, struct cr_profile *out,
                      struct cr_error *err)
{
    char buf[512], *colon, *item, *save = NULL;
    enum cr_status st;

    if (strlen(spec) >= sizeof buf || spec[0] == '\0' || spec[0] == ':')
        return cr_error_set(err, CR_EINVAL, "--classes \"%s\": want NAME[:key=value,...]", spec);
    strcpy(buf, spec);
    if ((colon = strchr(buf, ':')))
        *colon = '\0';
    if ((st = cr_profile_load(buf, dir ? dir : cr_profile_default_dir(), out, err)))
        return st;
    if (!colon)
        return CR_OK;
    for (item = strtok_r(colon + 1, ",", &save); item; item = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(item, '=');
        if (!eq)
            return cr_error_set(err, CR_EINVAL, "--classes \"%s\": \"%s\" is not key=value", spec,
                                item);
        *eq = '\0';
        if ((st = apply_override(spec, item, eq + 1, out, err)))
            return st;
    }
    return CR_OK;
}

/* ---- building ----------------------------------------------------------------------------- */

void
cr_assign_osm_fini(struct cr_assign_osm *a)
{
    if (!a)
        return;
    for (size_t c = 0; c < a->problem.class_count; c++) {
        if (a->res_fft_s)
            free(a->res_fft_s[c]);
        if (a->points)
            free(a->points[c]);
    }
    free(a->res_fft_s);
    free(a->points);
    free(a->placed);
    free(a->res_edge);
    free(a->res_base_edge);
    free(a->res_lanes);
    free(a->res_length_m);
    free(a->edge_res);
    cr_assign_problem_fini(&a->problem);
    memset(a, 0, sizeof *a);
}

/* Resources: every edge some class's turn graph holds, in edge order, with its figures from
 * P (the first class's profile). */
static enum cr_status
make_resources(struct cr_assign_osm *a, const struct cr_engine *const *eng, size_t n,
               const struct cr_profile *p, const struct cr_assign_osm_options *o,
               struct cr_error *err)
{
    const struct cr_graph_view *v = a->view;
    struct cr_assign_resources *res = &a->problem.res;
    uint32_t count = 0;

    if (!(a->edge_res = malloc(((size_t)v->edge_count + 1) * sizeof *a->edge_res)))
        return cr_error_set(err, CR_ENOMEM, "out of memory for %u edges", v->edge_count);
    for (uint32_t e = 0; e < v->edge_count; e++)
        a->edge_res[e] = CR_ASSIGN_NO_RESOURCE;
    for (size_t c = 0; c < n; c++) {
        const struct cr_turngraph *tg = eng[c]->tg;
        for (uint32_t x = 0; x < tg->base_count; x++)
            a->edge_res[tg->edge_of[x]] = 0;
    }
    for (uint32_t e = 0; e < v->edge_count; e++)
        if (a->edge_res[e] != CR_ASSIGN_NO_RESOURCE) /* marked 0 above */
            a->edge_res[e] = count++;
    res->count = count;
    res->capacity = malloc((count + 1) * sizeof *res->capacity);
    res->alpha = malloc((count + 1) * sizeof *res->alpha);
    res->beta = malloc((count + 1) * sizeof *res->beta);
    res->vdf = malloc(count + 1);
    a->res_edge = malloc((count + 1) * sizeof *a->res_edge);
    a->res_lanes = malloc((count + 1) * sizeof *a->res_lanes);
    a->res_length_m = malloc((count + 1) * sizeof *a->res_length_m);
    if (!res->capacity || !res->alpha || !res->beta || !res->vdf || !a->res_edge || !a->res_lanes ||
        !a->res_length_m)
        return cr_error_set(err, CR_ENOMEM, "out of memory for %u resources", count);
    for (uint32_t e = 0; e < v->edge_count; e++) {
        uint32_t r = a->edge_res[e], seg = v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
        uint8_t k = v->ways[v->segment_way[seg]].klass;
        if (r == CR_ASSIGN_NO_RESOURCE)
            continue;
        a->res_edge[r] = e;
        a->res_length_m[r] = v->segment_length_cm[seg] / 100.0;
        res->capacity[r] = cr_assign_edge_capacity(p, v, e, &a->res_lanes[r]);
        res->vdf[r] = CR_VDF_BPR;
        if (res->capacity[r] <= 0) { /* no road (a ferry): never congests */
            res->capacity[r] = 1;
            res->alpha[r] = res->beta[r] = 0;
        } else if (o->vdf == CR_VDF_CONICAL) {
            res->vdf[r] = CR_VDF_CONICAL;
            res->alpha[r] = o->conical_alpha > 0 ? o->conical_alpha : CR_ASSIGN_CONICAL_ALPHA;
            res->beta[r] = 0;
        } else {
            res->alpha[r] = p->assign.bpr_alpha[k];
            res->beta[r] = p->assign.bpr_beta[k];
        }
    }
    return CR_OK;
}

/* Each resource's base edge: the file's scenario.base_edge, or the edge itself. */
static enum cr_status
base_edges(struct cr_assign_osm *a, const struct cr_graph *g, struct cr_error *err)
{
    const struct cr_netfile *f = cr_graph_file(g);
    struct cr_error serr = { 0 };
    const uint32_t *map = NULL;
    uint64_t count = 0;
    uint32_t n = a->problem.res.count;

    if (f)
        map = cr_netfile_section(f, CR_SCENARIO_SECTION, sizeof *map, &count, &serr);
    if (!map && f && serr.code != CR_ENOTFOUND)
        return cr_error_set(err, serr.code, "%s", serr.msg);
    if (map && count != a->view->edge_count)
        return cr_error_set(err, CR_EFORMAT, "%s: %llu base edges for %u edges",
                            CR_SCENARIO_SECTION, (unsigned long long)count, a->view->edge_count);
    a->scenario = map != NULL;
    if (!(a->res_base_edge = malloc(((size_t)n + 1) * sizeof *a->res_base_edge)))
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    for (uint32_t r = 0; r < n; r++)
        a->res_base_edge[r] = map ? map[a->res_edge[r]] : a->res_edge[r];
    return CR_OK;
}

struct dest {
    uint32_t node, zone;
};

static int
dest_cmp(const void *pa, const void *pb)
{
    const struct dest *x = pa, *y = pb;
    if (x->node != y->node)
        return x->node < y->node ? -1 : 1;
    return x->zone < y->zone ? -1 : x->zone > y->zone;
}

/* The destination connectors of class C: (node, zone) for every candidate node of each placed
 * zone and its copies, sorted, each pair once. */
static enum cr_status
dest_pairs(const struct cr_assign_osm *a, size_t c, const struct cr_turngraph *tg,
           struct dest **out, size_t *count, struct cr_error *err)
{
    uint32_t zc = a->problem.zone_count;
    size_t n = 0, cap = 0, m = 0;
    struct dest *d = NULL;

    for (uint32_t z = 0; z < zc; z++) {
        const struct cr_skim_point *pt = &a->points[c][z];
        for (uint32_t k = 0; pt->placed && k < pt->place.count; k++)
            for (int s = 0; s < 2; s++)
                for (uint32_t x = pt->place.cand[k].node[s]; x != CR_INF && x < tg->base_count;
                     x = tg->next_copy ? tg->next_copy[x] : CR_INF) {
                    if (n == cap) {
                        struct dest *t = realloc(d, (cap = cap ? 2 * cap : 64) * sizeof *d);
                        if (!t) {
                            free(d);
                            return cr_error_set(err, CR_ENOMEM, "out of memory");
                        }
                        d = t;
                    }
                    d[n++] = (struct dest){ x, z };
                }
    }
    if (n)
        qsort(d, n, sizeof *d, dest_cmp);
    for (size_t i = 0; i < n; i++)
        if (m == 0 || d[i].node != d[m - 1].node || d[i].zone != d[m - 1].zone)
            d[m++] = d[i];
    *out = d;
    *count = m;
    return CR_OK;
}

/* Zone Z's origin connectors in class C into K (heads, fft), each node once (the smaller
 * fft); returns how many. */
static uint32_t
origins(const struct cr_skim_point *pt, uint32_t *head, double *fft)
{
    uint32_t m = 0;

    for (uint32_t k = 0; pt->placed && k < pt->place.count; k++)
        for (int s = 0; s < 2; s++) {
            uint32_t x = pt->place.cand[k].node[s], i = 0;
            double t = pt->place.cand[k].after[s] / 10.0;
            if (x == CR_INF)
                continue;
            while (i < m && head[i] != x)
                i++;
            if (i == m) {
                head[m] = x;
                fft[m++] = t;
            } else if (t < fft[i]) {
                fft[i] = t;
            }
        }
    return m;
}

static enum cr_status
class_alloc(struct cr_assign_class *k, uint32_t nodes, size_t links, uint32_t zc)
{
    k->node_count = nodes;
    k->link_count = (uint32_t)links;
    k->first_out = malloc(((size_t)nodes + 1) * sizeof *k->first_out);
    k->tail = malloc((links + 1) * sizeof *k->tail);
    k->head = malloc((links + 1) * sizeof *k->head);
    k->resource = malloc((links + 1) * sizeof *k->resource);
    k->fft = malloc((links + 1) * sizeof *k->fft);
    k->fixed = malloc((links + 1) * sizeof *k->fixed);
    k->demand = calloc((size_t)zc * zc + 1, sizeof *k->demand);
    return k->first_out && k->tail && k->head && k->resource && k->fft && k->fixed && k->demand
               ? CR_OK
               : CR_ENOMEM;
}

static void
add_link(struct cr_assign_class *k, uint32_t *at, uint32_t tail, uint32_t head, uint32_t res,
         double fft, double fixed)
{
    uint32_t l = (*at)++;
    k->tail[l] = tail;
    k->head[l] = head;
    k->resource[l] = res;
    k->fft[l] = fft;
    k->fixed[l] = fixed;
}

/* Class C's network from turn graph TG (zones already placed). */
static enum cr_status
make_class(struct cr_assign_osm *a, size_t c, const struct cr_turngraph *tg, struct cr_error *err)
{
    struct cr_assign_class *k = &a->problem.classes[c];
    uint32_t zc = a->problem.zone_count, at = 0, oh[2 * CR_PLACE_CANDIDATES];
    double of[2 * CR_PLACE_CANDIDATES];
    struct dest *d = NULL;
    size_t nd = 0, links = tg->g.arc_count, di = 0;
    enum cr_status st;

    if ((st = dest_pairs(a, c, tg, &d, &nd, err)))
        return st;
    links += nd;
    for (uint32_t z = 0; z < zc; z++)
        links += origins(&a->points[c][z], oh, of);
    if (links >= UINT32_MAX || (size_t)zc + tg->base_count >= UINT32_MAX ||
        class_alloc(k, zc + tg->base_count, links, zc)) {
        free(d);
        return cr_error_set(err, CR_ENOMEM, "class %s: out of memory for %zu links", k->name,
                            links);
    }
    for (uint32_t z = 0; z < zc; z++) {
        uint32_t m = origins(&a->points[c][z], oh, of);
        k->first_out[z] = at;
        for (uint32_t i = 0; i < m; i++)
            add_link(k, &at, z, zc + oh[i], a->edge_res[tg->edge_of[oh[i]]], of[i], 0);
    }
    for (uint32_t x = 0; x < tg->base_count; x++) {
        k->first_out[zc + x] = at;
        for (uint32_t i = tg->g.first_out[x]; i < tg->g.first_out[x + 1]; i++) {
            uint32_t y = tg->g.head[i];
            add_link(k, &at, zc + x, zc + y, a->edge_res[tg->edge_of[y]], tg->edge_weight[y] / 10.0,
                     tg->arc_penalty[i] / 10.0);
        }
        for (; di < nd && d[di].node == x; di++)
            add_link(k, &at, zc + x, d[di].zone, CR_ASSIGN_NO_RESOURCE, 0, 0);
    }
    k->first_out[zc + tg->base_count] = at;
    free(d);
    if (!(a->res_fft_s[c] = malloc(((size_t)a->problem.res.count + 1) * sizeof(double))))
        return cr_error_set(err, CR_ENOMEM, "out of memory");
    for (uint32_t r = 0; r < a->problem.res.count; r++) {
        uint32_t x = tg->node_of_edge[a->res_edge[r]];
        a->res_fft_s[c][r] = x == CR_INF ? NAN : tg->edge_weight[x] / 10.0;
    }
    return CR_OK;
}

/* Opens one session per class (time metric, Dijkstra; the first one's snapping index shared). */
static enum cr_status
open_sessions(const struct cr_graph *g, const struct cr_profile *profiles, size_t n,
              const struct cr_assign_osm_options *o, struct cr_session **s, struct cr_error *err)
{
    for (size_t c = 0; c < n; c++) {
        struct cr_session_options so = CR_SESSION_OPTIONS_DEFAULT;
        if (profiles[c].max_transfers > 0)
            return cr_error_set(err, CR_EINVAL,
                                "profile %s: assignment does not support profiles with transfers "
                                "(multimodal layers) yet",
                                profiles[c].name);
        so.metric = CR_METRIC_TIME;
        so.ch = CR_CH_NEVER;
        so.max_snap_m = o->max_snap_m;
        so.snap_from = c ? s[0] : NULL;
        if (!(s[c] = cr_session_open_profile(g, &profiles[c], &so, err)))
            return err ? err->code : CR_ENOMEM;
        if (cr_session_engine(s[c])->tg->layers != 1)
            return cr_error_set(err, CR_EINVAL, "profile %s: a layered turn graph (transfers)",
                                profiles[c].name);
    }
    return CR_OK;
}

static enum cr_status
check_args(const struct cr_zones *z, size_t n, const struct cr_assign_osm_options *o,
           struct cr_error *err)
{
    if (n == 0 || n > CR_ASSIGN_OSM_MAX_CLASSES)
        return cr_error_set(err, CR_EINVAL, "assignment: %zu classes (want 1 to %d)", n,
                            CR_ASSIGN_OSM_MAX_CLASSES);
    if (z->count == 0 || z->count >= UINT32_MAX / 2)
        return cr_error_set(err, CR_EINVAL, "%s: %zu zones", z->source_path ? z->source_path : "",
                            z->count);
    if (o->vdf != CR_VDF_BPR && o->vdf != CR_VDF_CONICAL)
        return cr_error_set(err, CR_EINVAL, "assignment: volume-delay function %d", (int)o->vdf);
    if (o->vdf == CR_VDF_CONICAL && o->conical_alpha != 0 && !(o->conical_alpha > 1))
        return cr_error_set(err, CR_EINVAL, "assignment: conical alpha %g (want > 1)",
                            o->conical_alpha);
    if (!(o->max_snap_m >= 0))
        return cr_error_set(err, CR_EINVAL, "assignment: snap radius %g m", o->max_snap_m);
    return CR_OK;
}

static enum cr_status
build(struct cr_assign_osm *a, const struct cr_graph *g, const struct cr_zones *z,
      const struct cr_profile *profiles, size_t n, const struct cr_assign_osm_options *o,
      struct cr_session **s, struct cr_error *err)
{
    const struct cr_engine *eng[CR_ASSIGN_OSM_MAX_CLASSES];
    enum cr_status st;

    if ((st = open_sessions(g, profiles, n, o, s, err)))
        return st;
    for (size_t c = 0; c < n; c++)
        eng[c] = cr_session_engine(s[c]);
    if ((st = make_resources(a, eng, n, &profiles[0], o, err)) || (st = base_edges(a, g, err)))
        return st;
    for (size_t c = 0; c < n; c++) {
        struct cr_assign_class *k = &a->problem.classes[c];
        snprintf(k->name, sizeof k->name, "%s", profiles[c].name);
        k->pce = profiles[c].assign.pce;
        if (!(a->points[c] = calloc(z->count, sizeof *a->points[c])))
            return cr_error_set(err, CR_ENOMEM, "out of memory");
        if ((st = cr_skim_place_zones(z, eng[c], a->points[c], &a->placed[c], err)) ||
            (st = make_class(a, c, eng[c]->tg, err)))
            return st;
    }
    return CR_OK;
}

enum cr_status
cr_assign_osm_build(const struct cr_graph *g, const struct cr_zones *z,
                    const struct cr_profile *profiles, size_t n,
                    const struct cr_assign_osm_options *o, struct cr_assign_osm *out,
                    struct cr_error *err)
{
    struct cr_assign_osm_options oo = o ? *o : CR_ASSIGN_OSM_OPTIONS_DEFAULT;
    struct cr_session *s[CR_ASSIGN_OSM_MAX_CLASSES] = { 0 };
    enum cr_status st;

    memset(out, 0, sizeof *out);
    if ((st = check_args(z, n, &oo, err)))
        return st;
    out->view = cr_graph_view(g);
    out->problem.zone_count = out->problem.through_from = (uint32_t)z->count;
    out->problem.class_count = n;
    out->problem.classes = calloc(n, sizeof *out->problem.classes);
    out->points = calloc(n, sizeof *out->points);
    out->res_fft_s = calloc(n, sizeof *out->res_fft_s);
    out->placed = calloc(n, sizeof *out->placed);
    if (!out->problem.classes || !out->points || !out->res_fft_s || !out->placed)
        st = cr_error_set(err, CR_ENOMEM, "out of memory");
    else
        st = build(out, g, z, profiles, n, &oo, s, err);
    /* the sessions close in reverse: the first one's snapping index is borrowed by the others */
    for (size_t c = n; c-- > 0;)
        cr_session_close(s[c]);
    if (st)
        cr_assign_osm_fini(out);
    return st;
}
