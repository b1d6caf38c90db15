#include "routing/turngraph.h"

#include <stdlib.h>
#include <string.h>

#include "core/scc.h"

struct arc_rec {
    uint32_t tail, head, penalty;
    uint8_t transfer;
};

static uint32_t
sat_add(uint32_t a, uint32_t b)
{
    uint64_t s = (uint64_t)a + b;
    return s >= CR_INF ? CR_INF - 1 : (uint32_t)s;
}

static uint32_t
edge_way(const struct cr_graph_view *v, uint32_t e)
{
    return v->segment_way[v->edge_segment[e] & ~CR_SEGMENT_REVERSED];
}

static int
applies_to(const struct cr_restriction *r, uint8_t vehicle)
{
    if (r->except & (1u << vehicle))
        return 0;
    return r->only_vehicle == 0 || r->only_vehicle == vehicle + 1;
}

/* Whether restriction R forbids IN -> OUT (R's via node is their shared node). */
static int
forbids(const struct cr_graph_view *v, const struct cr_restriction *r, uint32_t in, uint32_t out)
{
    if (edge_way(v, in) != r->from_way)
        return 0;
    if (r->kind == CR_RESTRICT_NO)
        return edge_way(v, out) == r->to_way;
    return edge_way(v, out) != r->to_way; /* only_*: every other way is forbidden */
}

int
cr_turn_restricted(const struct cr_graph_view *v, uint32_t in, uint32_t out, uint8_t vehicle)
{
    uint32_t via = v->head[in];

    for (uint32_t i = 0; i < v->restriction_count; i++) {
        const struct cr_restriction *r = &v->restrictions[i];
        if (!r->via_is_way && r->via == via && applies_to(r, vehicle) && forbids(v, r, in, out))
            return 1;
    }
    return 0;
}

/* Restrictions with a via node, sorted by it. */
struct via_key {
    uint32_t via, index;
};

struct restr_index {
    struct via_key *keys;
    uint32_t count;
};

static int
cmp_via(const void *a, const void *b)
{
    const struct via_key *x = a, *y = b;
    if (x->via != y->via)
        return (x->via > y->via) - (x->via < y->via);
    return (x->index > y->index) - (x->index < y->index);
}

static int
restr_index_init(struct restr_index *ix, const struct cr_graph_view *v)
{
    ix->count = 0;
    ix->keys = malloc((v->restriction_count + 1) * sizeof *ix->keys);
    if (!ix->keys)
        return -1;
    for (uint32_t i = 0; i < v->restriction_count; i++)
        if (!v->restrictions[i].via_is_way)
            ix->keys[ix->count++] = (struct via_key){ v->restrictions[i].via, i };
    qsort(ix->keys, ix->count, sizeof *ix->keys, cmp_via);
    return 0;
}

static int
restricted(const struct restr_index *ix, const struct cr_graph_view *v, uint32_t in, uint32_t out,
           uint8_t vehicle)
{
    uint32_t via = v->head[in], lo = 0, hi = ix->count;

    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ix->keys[mid].via < via)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < ix->count && ix->keys[lo].via == via; lo++) {
        const struct cr_restriction *r = &v->restrictions[ix->keys[lo].index];
        if (applies_to(r, vehicle) && forbids(v, r, in, out))
            return 1;
    }
    return 0;
}

/* The profile's own largest component: barriers, access and turn rules included, which the
 * import-time component (topology only) cannot know. Transfers are left out (they lead to the
 * next layer), so for freight this is the largest network of one mode, where a trip by road
 * starts and ends. */
static int
mark_lcc(struct cr_turngraph *tg, const struct cr_graph_view *v)
{
    uint32_t n = tg->base_count, comps, best = 0, at = 0;
    uint32_t *comp = malloc(((size_t)n + 1) * sizeof *comp);
    uint32_t *first = malloc(((size_t)n + 1) * sizeof *first);
    uint32_t *head = malloc(((size_t)tg->first_out[n] + 1) * sizeof *head);
    uint64_t *size = NULL;
    int ok = 0;

    tg->in_lcc = calloc((size_t)n + 1, 1);
    if (!comp || !first || !head || !tg->in_lcc)
        goto done;
    for (uint32_t x = 0; x < n; x++) {
        first[x] = at;
        for (uint32_t a = tg->first_out[x]; a < tg->first_out[x + 1]; a++)
            if (tg->head[a] < n)
                head[at++] = tg->head[a];
    }
    first[n] = at;
    if ((comps = cr_scc(n, first, head, 0, comp)) == UINT32_MAX ||
        !(size = calloc((size_t)comps + 1, sizeof *size)))
        goto done;
    for (uint32_t x = 0; x < n; x++)
        size[comp[x]] += 1 + v->segment_length_cm[v->edge_segment[tg->edge_of[x]] &
                                                  ~CR_SEGMENT_REVERSED];
    for (uint32_t c = 1; c < comps; c++)
        if (size[c] > size[best])
            best = c;
    for (uint32_t x = 0; x < n; x++)
        tg->in_lcc[x] = comp[x] == best;
    ok = 1;
done:
    free(comp);
    free(first);
    free(head);
    free(size);
    return ok ? 0 : -1;
}

void
cr_turngraph_destroy(struct cr_turngraph *tg)
{
    if (!tg)
        return;
    free(tg->edge_of);
    free(tg->node_of_edge);
    free(tg->edge_weight);
    free(tg->arc_penalty);
    free(tg->in_lcc);
    free(tg->first_out);
    free(tg->head);
    free(tg->weight);
    free(tg);
}

struct cr_turngraph *
cr_turngraph_build(const struct cr_graph_view *v, const struct cr_profile *p,
                   enum cr_metric metric, struct cr_error *err)
{
    struct cr_turngraph *tg = calloc(1, sizeof *tg);
    uint32_t *tail = NULL, n = 0;
    struct arc_rec *arcs = NULL;
    size_t arc_count = 0, arc_cap = 0;
    struct restr_index rix = { 0 };
    int layered = (p->modes & (1u << CR_MODE_TRANSFER)) && p->max_transfers > 0;
    uint64_t total_nodes, total_arcs;

    if (!tg)
        goto oom;
    tg->node_of_edge = malloc(((size_t)v->edge_count + 1) * sizeof *tg->node_of_edge);
    tg->edge_of = malloc(((size_t)v->edge_count + 1) * sizeof *tg->edge_of);
    tg->edge_weight = malloc(((size_t)v->edge_count + 1) * sizeof *tg->edge_weight);
    tail = malloc(((size_t)v->edge_count + 1) * sizeof *tail);
    if (!tg->node_of_edge || !tg->edge_of || !tg->edge_weight || !tail ||
        restr_index_init(&rix, v))
        goto oom;
    for (uint32_t u = 0; u < v->node_count; u++)
        for (uint32_t e = v->first_out[u]; e < v->first_out[u + 1]; e++)
            tail[e] = u;
    for (uint32_t e = 0; e < v->edge_count; e++) {
        uint32_t w = cr_profile_edge_allowed(p, v, e) ? cr_profile_edge_weight(p, v, e, metric)
                                                      : CR_WEIGHT_INF;
        tg->node_of_edge[e] = CR_INF;
        if (w == CR_WEIGHT_INF)
            continue;
        tg->node_of_edge[e] = n;
        tg->edge_of[n] = e;
        tg->edge_weight[n] = w;
        n++;
    }
    for (uint32_t x = 0; x < n; x++) {
        uint32_t e1 = tg->edge_of[x], via = v->head[e1];
        double node_pen = cr_profile_node_penalty_s(p, v, via);
        if (node_pen < 0)
            continue; /* a closed barrier: no way through */
        for (uint32_t e2 = v->first_out[via]; e2 < v->first_out[via + 1]; e2++) {
            uint32_t y = tg->node_of_edge[e2];
            double turn;
            uint8_t transfer = 0;
            if (y == CR_INF)
                continue;
            if (v->group[via] == CR_GROUP_TERMINAL) {
                /* through a terminal: only into another mode, and that is a transfer */
                if (v->group[tail[e1]] == v->group[v->head[e2]])
                    continue;
                if (!layered)
                    continue;
                transfer = 1;
            }
            if (restricted(&rix, v, e1, e2, p->vehicle)) {
                tg->restricted_turns++;
                continue;
            }
            turn = cr_profile_turn_penalty_s(p, v, e1, e2);
            if (turn < 0)
                continue;
            if (arc_count == arc_cap) {
                size_t cap = arc_cap ? arc_cap * 2 : 1024;
                struct arc_rec *a = realloc(arcs, cap * sizeof *a);
                if (!a)
                    goto oom;
                arcs = a;
                arc_cap = cap;
            }
            {
                uint32_t pen = cr_profile_penalty_weight(p, node_pen + turn, metric);
                /* a U-turn costs at least one unit in every metric, so that by distance or CO2
                 * (where penalties weigh nothing) a path never turns back where going on would
                 * cost the same: Dijkstra and the CH then agree on the route, not only on its
                 * weight */
                if (pen == 0 && (v->edge_segment[e1] & ~CR_SEGMENT_REVERSED) ==
                                    (v->edge_segment[e2] & ~CR_SEGMENT_REVERSED))
                    pen = 1;
                arcs[arc_count++] = (struct arc_rec){ x, y, pen, transfer };
            }
        }
    }
    tg->base_count = n;
    tg->layers = layered ? (uint32_t)p->max_transfers + 1 : 1;
    total_nodes = (uint64_t)n * tg->layers;
    total_arcs = (uint64_t)arc_count * tg->layers;
    if (total_nodes >= CR_INF || total_arcs >= CR_INF) {
        cr_error_set(err, CR_ENOMEM, "%s: turn graph too large (%llu nodes, %llu arcs)", p->name,
                     (unsigned long long)total_nodes, (unsigned long long)total_arcs);
        goto fail;
    }
    tg->first_out = calloc(total_nodes + 1, sizeof *tg->first_out);
    tg->head = malloc((total_arcs + 1) * sizeof *tg->head);
    tg->weight = malloc((total_arcs + 1) * sizeof *tg->weight);
    tg->arc_penalty = malloc((total_arcs + 1) * sizeof *tg->arc_penalty);
    if (!tg->first_out || !tg->head || !tg->weight || !tg->arc_penalty)
        goto oom;
    /* arcs are generated in tail order within a layer; count per tail, then place */
    for (uint32_t k = 0; k < tg->layers; k++)
        for (size_t i = 0; i < arc_count; i++) {
            const struct arc_rec *a = &arcs[i];
            if (a->transfer && k + 1 >= tg->layers)
                continue;
            tg->first_out[(uint64_t)k * n + a->tail + 1]++;
        }
    for (uint64_t x = 0; x < total_nodes; x++)
        tg->first_out[x + 1] += tg->first_out[x];
    {
        uint32_t at = 0;
        for (uint32_t k = 0; k < tg->layers; k++)
            for (size_t i = 0; i < arc_count; i++) {
                const struct arc_rec *a = &arcs[i];
                uint32_t layer = k + a->transfer;
                if (layer >= tg->layers)
                    continue;
                tg->head[at] = layer * n + a->head;
                tg->arc_penalty[at] = a->penalty;
                tg->weight[at] = sat_add(a->penalty, tg->edge_weight[a->head]);
                at++;
            }
        tg->g.arc_count = at;
    }
    tg->g.node_count = (uint32_t)total_nodes;
    tg->g.first_out = tg->first_out;
    tg->g.head = tg->head;
    tg->g.weight = tg->weight;
    if (mark_lcc(tg, v))
        goto oom;
    free(arcs);
    free(tail);
    free(rix.keys);
    return tg;
oom:
    cr_error_set(err, CR_ENOMEM, "%s: out of memory building the turn graph", p->name);
fail:
    free(arcs);
    free(tail);
    free(rix.keys);
    cr_turngraph_destroy(tg);
    return NULL;
}
