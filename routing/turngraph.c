#include "routing/turngraph.h"

#include <stdlib.h>
#include <string.h>

#include "core/scc.h"
#include "routing/tie.h"
#include "routing/turngraph_via.h"

struct arc_rec {
    uint32_t tail, head, penalty, second_penalty; /* second_penalty: in the tie metric */
    uint8_t transfer;
};

static uint32_t
sat_add(uint32_t a, uint32_t b)
{
    uint64_t s = (uint64_t)a + b;
    return s >= CR_INF ? CR_INF - 1 : (uint32_t)s;
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

/* ---- destination areas ------------------------------------------------------------------ */

/* Union-find root of X, halving the path. */
static uint32_t
uf_find(uint32_t *up, uint32_t x)
{
    while (up[x] != x) {
        up[x] = up[up[x]];
        x = up[x];
    }
    return x;
}

/* Whether the turn from network edge E1 into E2 (at E1's head, whose node penalty the caller
 * has checked) is allowed: not through a terminal within one mode (and only into another mode
 * when LAYERED, as a transfer: *TRANSFER), not banned by a via-node restriction (counted in
 * *RESTRICTED when not NULL), not refused by the profile's turn rules (*TURN_S: its penalty). */
struct turn_rules {
    const struct cr_graph_view *v;
    const struct cr_profile *p;
    const struct restr_index *rix;
    const uint32_t *tail;
    int layered;
};

static int
turn_allowed(const struct turn_rules *t, uint32_t e1, uint32_t e2, uint8_t *transfer,
             double *turn_s, uint64_t *restricted_count)
{
    const struct cr_graph_view *v = t->v;
    uint32_t via = v->head[e1];

    *transfer = 0;
    if (v->group[via] == CR_GROUP_TERMINAL) {
        /* through a terminal: only into another mode, and that is a transfer */
        if (v->group[t->tail[e1]] == v->group[v->head[e2]] || !t->layered)
            return 0;
        *transfer = 1;
    }
    if (restricted(t->rix, v, e1, e2, t->p->vehicle)) {
        if (restricted_count)
            (*restricted_count)++;
        return 0;
    }
    *turn_s = cr_profile_turn_penalty_s(t->p, v, e1, e2);
    return *turn_s >= 0;
}

/* A road edge that is not destination-only but cannot reach the rest of the network, or be
 * reached from it, without destination-only ones (an untagged alley behind a
 * motorcar=destination hem, a yard behind a private gate, a one-way stub of an extract) belongs
 * to the destination area: else a route could neither reach it (it enters the area first) nor
 * leave it. Worked out on the turns themselves, so barriers, turn restrictions and the
 * profile's turn rules count as a route sees them: the first nodes (0 .. N-1) of road and ferry
 * edges (never rail, water or transfer links), joined by allowed turns between edges that are
 * not destination-only, fall into strongly connected pieces; the
 * pieces joined by any allowed turn form groups, and in each group every piece but the longest
 * is marked destination-only (DEST[x]). Such a piece is a dead end or a one-way exit or entry
 * of its group's main piece, where the destination rule changes nothing but through traffic;
 * separate networks (an island, the maps of a test file) are separate groups. */
static int
close_destination_areas(const struct turn_rules *t, const struct cr_turngraph *tg, uint32_t n,
                        uint8_t *dest)
{
    const struct cr_graph_view *v = t->v;
    uint32_t *first = malloc(((size_t)n + 1) * sizeof *first), *head = NULL, *comp = NULL;
    uint32_t *group = NULL, *best = NULL, at = 0, cap = 0, comps;
    uint64_t *size = NULL;
    int rc = -1;

    comp = malloc(((size_t)n + 1) * sizeof *comp);
    group = malloc(((size_t)n + 1) * sizeof *group);
    if (!first || !comp || !group)
        goto done;
#define ROAD(e)                                                                                    \
    (cr_graph_edge_mode(v, e) == CR_MODE_ROAD || cr_graph_edge_mode(v, e) == CR_MODE_FERRY)
    for (uint32_t x = 0; x < n; x++)
        group[x] = x;
    for (uint32_t x = 0; x < n; x++) {
        uint32_t e1 = tg->edge_of[x], via = v->head[e1];
        first[x] = at;
        if (!ROAD(e1) || cr_profile_node_penalty_s(t->p, v, via) < 0)
            continue;
        for (uint32_t e2 = v->first_out[via]; e2 < v->first_out[via + 1]; e2++) {
            uint32_t y = tg->node_of_edge[e2];
            uint8_t transfer;
            double turn;
            if (y == CR_INF || !ROAD(e2) || !turn_allowed(t, e1, e2, &transfer, &turn, NULL))
                continue;
            group[uf_find(group, x)] = uf_find(group, y);
            if (dest[x] || dest[y])
                continue;
            if (at == cap) {
                uint32_t c = cap ? 2 * cap : 1024, *h = realloc(head, (size_t)c * sizeof *h);
                if (!h)
                    goto done;
                head = h;
                cap = c;
            }
            head[at++] = y;
        }
    }
    first[n] = at;
    if ((comps = cr_scc(n, first, head, 0, comp)) == UINT32_MAX)
        goto done;
    best = malloc(((size_t)comps + 1) * sizeof *best);
    size = calloc((size_t)comps + 1, sizeof *size);
    if (!best || !size)
        goto done;
    for (uint32_t x = 0; x < n; x++)
        if (!dest[x])
            size[comp[x]] += 1 + v->segment_length_cm[seg_of(v, tg->edge_of[x])];
    /* the longest piece of each group, kept in best[] at the group's root */
    for (uint32_t x = 0; x < n; x++)
        best[comp[x]] = CR_INF;
    for (uint32_t x = 0; x < n; x++) {
        uint32_t g = comp[uf_find(group, x)];
        if (!dest[x] && (best[g] == CR_INF || size[comp[x]] > size[best[g]]))
            best[g] = comp[x];
    }
    for (uint32_t x = 0; x < n; x++)
        if (!dest[x] && ROAD(tg->edge_of[x]) && best[comp[uf_find(group, x)]] != comp[x])
            dest[x] = 1;
#undef ROAD
    rc = 0;
done:
    free(first);
    free(head);
    free(comp);
    free(group);
    free(best);
    free(size);
    return rc;
}

/* ---- components ---------------------------------------------------------------------------- */

/* The profile's own largest component: barriers, access and turn rules included, which the
 * import-time component (topology only) cannot know. Transfers are left out (they lead to the
 * next layer), so for freight this is the largest network of one mode, where a trip by road
 * starts and ends. Each copy counts as its edge's first node, so copies neither split a
 * component nor count twice. ORIGINALS: the first nodes are 0 .. ORIGINALS - 1. */
static int
mark_lcc(struct cr_turngraph *tg, const struct cr_graph_view *v, uint32_t originals)
{
    uint32_t n = tg->base_count, m = originals, comps, best = 0;
    uint32_t *comp = malloc(((size_t)m + 1) * sizeof *comp);
    uint32_t *first = calloc((size_t)m + 2, sizeof *first);
    uint32_t *head = malloc(((size_t)tg->first_out[n] + 1) * sizeof *head);
    uint64_t *size = NULL;
    int ok = 0;

    tg->in_lcc = calloc((size_t)n + 1, 1);
    tg->comp = malloc(((size_t)n + 1) * sizeof *tg->comp);
    if (!comp || !first || !head || !tg->in_lcc || !tg->comp)
        goto done;
#define ORIG(x) tg->node_of_edge[tg->edge_of[x]]
    for (uint32_t x = 0; x < n; x++)
        for (uint32_t a = tg->first_out[x]; a < tg->first_out[x + 1]; a++)
            if (tg->head[a] < n)
                first[ORIG(x) + 2]++;
    for (uint32_t x = 0; x < m; x++)
        first[x + 2] += first[x + 1];
    for (uint32_t x = 0; x < n; x++)
        for (uint32_t a = tg->first_out[x]; a < tg->first_out[x + 1]; a++)
            if (tg->head[a] < n)
                head[first[ORIG(x) + 1]++] = ORIG(tg->head[a]);
    if ((comps = cr_scc(m, first, head, 0, comp)) == UINT32_MAX ||
        !(size = calloc((size_t)comps + 1, sizeof *size)))
        goto done;
    for (uint32_t x = 0; x < m; x++)
        size[comp[x]] += 1 + v->segment_length_cm[seg_of(v, tg->edge_of[x])];
    for (uint32_t c = 1; c < comps; c++)
        if (size[c] > size[best])
            best = c;
    for (uint32_t x = 0; x < n; x++) {
        tg->comp[x] = comp[ORIG(x)];
        tg->in_lcc[x] = tg->comp[x] == best;
    }
#undef ORIG
    tg->comp_size = size;
    tg->comp_count = comps;
    tg->lcc = best;
    size = NULL;
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
    free(tg->next_copy);
    free(tg->node_of_edge);
    free(tg->edge_weight);
    free(tg->arc_penalty);
    free(tg->edge_second);
    free(tg->second);
    free(tg->node_second);
    free(tg->in_lcc);
    free(tg->comp);
    free(tg->comp_size);
    free(tg->first_out);
    free(tg->head);
    free(tg->weight);
    free(tg);
}

/* The state of a node: which copy of its edge it is. */
struct state {
    uint32_t chain, pos; /* a node of the via-way trie (pos unused), or CR_INF */
    uint8_t dest;        /* 1: a destination-only edge entered from outside */
};

struct builder {
    const struct cr_graph_view *v;
    const struct cr_profile *p;
    enum cr_metric metric;
    struct cr_turngraph *tg;
    struct state *st;
    uint32_t *dcopy; /* [originals] destination copy of each first node, or CR_INF */
    uint8_t *dest;   /* [originals] edge is destination-only */
    uint8_t *on_via; /* [edge_count] or NULL: network edge on a via-way chain */
    uint32_t count, cap, originals;
    uint32_t ndest; /* destination-only first nodes */
    struct chains cs;
    uint32_t *tail; /* [edge_count] tail node of each network edge */
    struct restr_index rix;
    struct turn_rules rules;
    struct arc_rec *arcs; /* the arcs of one layer, in tail order */
    size_t arc_count, arc_cap;
};

static void
builder_fini(struct builder *b)
{
    free(b->arcs);
    free(b->tail);
    free(b->rix.keys);
    free(b->st);
    free(b->dcopy);
    free(b->dest);
    free(b->on_via);
    cr_turngraph_chains_fini(&b->cs);
}

/* The node of edge E2 in state (DEST, CHAIN, POS), made when new; CR_INF when out of room. */
static uint32_t
node_in_state(struct builder *b, uint32_t e2, uint8_t dest, uint32_t chain, uint32_t pos)
{
    struct cr_turngraph *tg = b->tg;
    uint32_t orig = tg->node_of_edge[e2], *slot, x;

    if (chain == CR_INF) {
        if (!dest)
            return orig;
        slot = &b->dcopy[orig];
    } else {
        slot = &b->cs.node[2 * chain + dest];
    }
    if (*slot != CR_INF)
        return *slot;
    if (b->count == b->cap)
        return CR_INF; /* cannot happen: cap counts every possible state */
    x = *slot = b->count++;
    tg->edge_of[x] = e2;
    tg->edge_weight[x] = tg->edge_weight[orig];
    tg->edge_second[x] = tg->edge_second[orig];
    b->st[x] = (struct state){ chain, pos, dest };
    tg->next_copy[x] = tg->next_copy[orig];
    tg->next_copy[orig] = x;
    if (chain == CR_INF)
        tg->destination_copies++;
    return x;
}

/* The first nodes: one per edge the profile may use, with its weight and whether it is
 * destination-only; the tails of the network's edges. -1: out of memory. */
static int
first_nodes(struct builder *b)
{
    const struct cr_graph_view *v = b->v;
    struct cr_turngraph *tg = b->tg;
    uint32_t n = 0;

    tg->node_of_edge = malloc(((size_t)v->edge_count + 1) * sizeof *tg->node_of_edge);
    tg->edge_of = malloc(((size_t)v->edge_count + 1) * sizeof *tg->edge_of);
    tg->edge_weight = malloc(((size_t)v->edge_count + 1) * sizeof *tg->edge_weight);
    tg->edge_second = malloc(((size_t)v->edge_count + 1) * sizeof *tg->edge_second);
    b->tail = malloc(((size_t)v->edge_count + 1) * sizeof *b->tail);
    b->dest = malloc((size_t)v->edge_count + 1);
    if (!tg->node_of_edge || !tg->edge_of || !tg->edge_weight || !tg->edge_second || !b->tail ||
        !b->dest || restr_index_init(&b->rix, v))
        return -1;
    for (uint32_t u = 0; u < v->node_count; u++)
        for (uint32_t e = v->first_out[u]; e < v->first_out[u + 1]; e++)
            b->tail[e] = u;
    b->rules.tail = b->tail;
    for (uint32_t e = 0; e < v->edge_count; e++) {
        uint32_t w = cr_profile_edge_allowed(b->p, v, e)
                         ? cr_profile_edge_weight(b->p, v, e, b->metric)
                         : CR_WEIGHT_INF;
        tg->node_of_edge[e] = CR_INF;
        if (w == CR_WEIGHT_INF)
            continue;
        tg->node_of_edge[e] = n;
        tg->edge_of[n] = e;
        tg->edge_weight[n] = w;
        tg->edge_second[n] = cr_profile_edge_weight(b->p, v, e, cr_tie_metric(b->metric));
        if (tg->edge_second[n] >= CR_WEIGHT_INF)
            tg->edge_second[n] = CR_WEIGHT_INF - 1;
        b->dest[n] = (uint8_t)(cr_profile_edge_destination_only(b->p, v, e) != 0);
        b->ndest += b->dest[n];
        n++;
    }
    b->originals = n;
    return 0;
}

static enum cr_status
nomem(const struct builder *b, struct cr_error *err)
{
    return cr_error_set(err, CR_ENOMEM, "%s: out of memory building the turn graph", b->p->name);
}

/* Room for every state a node can be in: first nodes, destination copies, two per chain
 * place. */
static enum cr_status
make_room(struct builder *b, struct cr_error *err)
{
    struct cr_turngraph *tg = b->tg;
    uint32_t n = b->originals;
    uint64_t cap = (uint64_t)n + b->ndest + 2ull * b->cs.edge_count;

    if (cap >= CR_INF) {
        return cr_error_set(err, CR_ENOMEM, "%s: turn graph too large (%llu nodes)", b->p->name,
                            (unsigned long long)cap);
    }
    b->cap = (uint32_t)cap;
    if (cap > n) {
        uint32_t *eo = realloc(tg->edge_of, ((size_t)cap + 1) * sizeof *eo), *ew;
        if (!eo)
            return nomem(b, err);
        tg->edge_of = eo;
        if (!(ew = realloc(tg->edge_weight, ((size_t)cap + 1) * sizeof *ew)))
            return nomem(b, err);
        tg->edge_weight = ew;
        if (!(ew = realloc(tg->edge_second, ((size_t)cap + 1) * sizeof *ew)))
            return nomem(b, err);
        tg->edge_second = ew;
    }
    tg->next_copy = malloc(((size_t)cap + 1) * sizeof *tg->next_copy);
    b->st = malloc(((size_t)cap + 1) * sizeof *b->st);
    b->dcopy = malloc(((size_t)n + 1) * sizeof *b->dcopy);
    if (!tg->next_copy || !b->st || !b->dcopy)
        return nomem(b, err);
    for (uint32_t x = 0; x < n; x++) {
        tg->next_copy[x] = CR_INF;
        b->st[x] = (struct state){ CR_INF, 0, 0 };
        b->dcopy[x] = CR_INF;
    }
    b->count = n;
    return CR_OK;
}

static int
add_arc(struct builder *b, struct arc_rec a)
{
    if (b->arc_count == b->arc_cap) {
        size_t c = b->arc_cap ? b->arc_cap * 2 : 1024;
        struct arc_rec *p = realloc(b->arcs, c * sizeof *p);
        if (!p)
            return -1;
        b->arcs = p;
        b->arc_cap = c;
    }
    b->arcs[b->arc_count++] = a;
    return 0;
}

/* The arcs out of node X (edge E1 in state SX, NODE_PEN the penalty of E1's head): one per
 * allowed turn, into the copy of the next edge that the turn leads to. -1: out of memory. */
static int
arcs_out_of(struct builder *b, uint32_t x, double node_pen)
{
    const struct cr_graph_view *v = b->v;
    struct cr_turngraph *tg = b->tg;
    uint32_t e1 = tg->edge_of[x], via = v->head[e1], n = b->originals;
    struct state sx = b->st[x];
    uint8_t d1 = b->dest[tg->node_of_edge[e1]];

    for (uint32_t e2 = v->first_out[via]; e2 < v->first_out[via + 1]; e2++) {
        uint32_t y = tg->node_of_edge[e2], chain = CR_INF, pos = 0, pen, pen2;
        double turn;
        uint8_t transfer = 0, d2;
        if (y == CR_INF)
            continue;
        if (!turn_allowed(&b->rules, e1, e2, &transfer, &turn,
                          x < n ? &tg->restricted_turns : NULL))
            continue;
        /* destination-only: out of one entered from outside, only deeper in */
        d2 = b->dest[y];
        if (!d2 && d1 && sx.dest)
            continue;
        d2 = d2 ? (d1 ? sx.dest : 1) : 0;
        /* via-way restrictions: not out of a trie node where its rules (or those of its
         * fail chain) forbid; on along the paths the trie holds */
        if (b->cs.count) {
            if (sx.chain != CR_INF && cr_turngraph_chain_forbids(&b->cs, sx.chain, edge_way(v, e2)))
                continue;
            chain = cr_turngraph_chain_next(&b->cs, v, sx.chain, e1, e2);
            /* no U-turn onto a via way under a ban, out of its chain: else turning round
             * twice on the via way (at its far end, then back where the from-way meets it,
             * or at a signal on it) would shake off the ban for two U-turn penalties */
            if (chain == CR_INF && seg_of(v, e1) == seg_of(v, e2) && b->on_via && b->on_via[e2])
                continue;
        }
        if ((y = node_in_state(b, e2, d2, chain, pos)) == CR_INF)
            return -1;
        pen = cr_profile_penalty_weight(b->p, node_pen + turn, b->metric);
        /* a U-turn costs at least one unit in every metric, so that by distance or CO2
         * (where penalties weigh nothing) a path never turns back where going on would
         * cost the same: Dijkstra and the CH then agree on the route, not only on its
         * weight */
        pen2 = cr_profile_penalty_weight(b->p, node_pen + turn, cr_tie_metric(b->metric));
        if (pen == 0 && seg_of(v, e1) == seg_of(v, e2))
            pen = 1;
        if (pen2 == 0 && seg_of(v, e1) == seg_of(v, e2))
            pen2 = 1;
        if (add_arc(b, (struct arc_rec){ x, y, pen, pen2, transfer }))
            return -1;
    }
    return 0;
}

/* The turn graph's CSR arrays: the arcs in every layer (a transfer leads one layer up). */
static enum cr_status
lay_out(struct builder *b, int layered, struct cr_error *err)
{
    struct cr_turngraph *tg = b->tg;
    const struct arc_rec *arcs = b->arcs;
    uint32_t n = tg->base_count, at = 0;
    uint64_t total_nodes, total_arcs;

    tg->layers = layered ? (uint32_t)b->p->max_transfers + 1 : 1;
    total_nodes = (uint64_t)n * tg->layers;
    total_arcs = (uint64_t)b->arc_count * tg->layers;
    if (total_nodes >= CR_INF || total_arcs >= CR_INF) {
        return cr_error_set(err, CR_ENOMEM, "%s: turn graph too large (%llu nodes, %llu arcs)",
                            b->p->name, (unsigned long long)total_nodes,
                            (unsigned long long)total_arcs);
    }
    tg->first_out = calloc(total_nodes + 1, sizeof *tg->first_out);
    tg->head = malloc((total_arcs + 1) * sizeof *tg->head);
    tg->weight = malloc((total_arcs + 1) * sizeof *tg->weight);
    tg->arc_penalty = malloc((total_arcs + 1) * sizeof *tg->arc_penalty);
    tg->second = malloc((total_arcs + 1) * sizeof *tg->second);
    tg->node_second = malloc((total_nodes + 1) * sizeof *tg->node_second);
    if (!tg->first_out || !tg->head || !tg->weight || !tg->arc_penalty || !tg->second ||
        !tg->node_second)
        return nomem(b, err);
    /* arcs are generated in tail order within a layer; count per tail, then place */
    for (uint32_t k = 0; k < tg->layers; k++)
        for (size_t i = 0; i < b->arc_count; i++) {
            const struct arc_rec *a = &arcs[i];
            if (a->transfer && k + 1 >= tg->layers)
                continue;
            tg->first_out[(uint64_t)k * n + a->tail + 1]++;
        }
    for (uint64_t x = 0; x < total_nodes; x++)
        tg->first_out[x + 1] += tg->first_out[x];
    for (uint32_t k = 0; k < tg->layers; k++)
        for (size_t i = 0; i < b->arc_count; i++) {
            const struct arc_rec *a = &arcs[i];
            uint32_t layer = k + a->transfer;
            if (layer >= tg->layers)
                continue;
            tg->head[at] = layer * n + a->head;
            tg->arc_penalty[at] = a->penalty;
            tg->weight[at] = sat_add(a->penalty, tg->edge_weight[a->head]);
            tg->second[at] = sat_add(a->second_penalty, tg->edge_second[a->head]);
            at++;
        }
    tg->g.arc_count = at;
    tg->g.node_count = (uint32_t)total_nodes;
    tg->g.first_out = tg->first_out;
    tg->g.head = tg->head;
    tg->g.weight = tg->weight;
    tg->g.second = tg->second;
    for (uint64_t x = 0; x < total_nodes; x++)
        tg->node_second[x] = tg->edge_second[x % n];
    tg->g.node_second = tg->node_second;
    return CR_OK;
}

struct cr_turngraph *
cr_turngraph_build(const struct cr_graph_view *v, const struct cr_profile *p, enum cr_metric metric,
                   struct cr_error *err)
{
    struct cr_turngraph *tg = calloc(1, sizeof *tg);
    struct builder b = { .v = v, .p = p, .metric = metric, .tg = tg };
    int layered = (p->modes & (1u << CR_MODE_TRANSFER)) && p->max_transfers > 0;
    uint32_t n;

    b.rules = (struct turn_rules){ v, p, &b.rix, NULL, layered };
    if (!tg || first_nodes(&b))
        goto oom;
    n = b.originals;
    if (b.ndest && close_destination_areas(&b.rules, tg, n, b.dest))
        goto oom;
    b.ndest = 0;
    for (uint32_t x = 0; x < n; x++)
        b.ndest += b.dest[x];
    if (cr_turngraph_chains_build(&b.cs, v, tg->node_of_edge, b.tail, p->vehicle))
        goto oom;
    tg->via_way_restrictions = b.cs.honoured;
    /* the edges of via ways under a ban, where no U-turn may land (arcs_out_of) */
    if (b.cs.edge_count) {
        if (!(b.on_via = calloc((size_t)v->edge_count + 1, 1)))
            goto oom;
        for (uint32_t i = 0; i < b.cs.edge_count; i++)
            b.on_via[b.cs.edges[i]] = 1;
    }
    if (make_room(&b, err))
        goto fail;
    /* nodes in id order; a copy is numbered when an arc first reaches it, after the ones
     * already numbered, so arcs come out sorted by tail */
    for (uint32_t x = 0; x < b.count; x++) {
        double node_pen = cr_profile_node_penalty_s(p, v, v->head[tg->edge_of[x]]);
        if (node_pen < 0)
            continue; /* a closed barrier: no way through */
        if (arcs_out_of(&b, x, node_pen))
            goto oom;
    }
    n = b.count;
    if (n == b.originals) { /* no copies: no chains to follow */
        free(tg->next_copy);
        tg->next_copy = NULL;
    }
    tg->base_count = n;
    if (lay_out(&b, layered, err))
        goto fail;
    if (mark_lcc(tg, v, b.originals))
        goto oom;
    builder_fini(&b);
    return tg;
oom:
    nomem(&b, err);
fail:
    builder_fini(&b);
    cr_turngraph_destroy(tg);
    return NULL;
}
