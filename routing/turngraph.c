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

/* ---- via-way restrictions ------------------------------------------------------------------ */

/* The paths of the via-way restrictions, as a trie of copies: a trie node is a from way A and
 * the edges taken since leaving it, along via way 1, then via way 2, ..., each from where the
 * one before ends, up to the node where the restriction's to-way leaves; its copy of its last
 * edge means "came this way". A top node is A and one first edge. The rules (to-ways) of a
 * restriction sit on the node of its whole path. As in Aho-Corasick, each node's fail is the
 * node of the longest proper suffix of its path (a suffix starting after an edge of way B
 * counts as from way B) that is in the trie, so a restriction whose path begins inside
 * another's (its from way one of the other's via ways) is followed as well: the rules of a
 * node and of its fail chain all hold there. */
struct tnode {
    uint32_t from_way, parent; /* parent CR_INF: a top node */
    uint32_t child, sibling;   /* first child, next sibling, or CR_INF */
    uint32_t fail;             /* or CR_INF */
    uint32_t rule_first, rule_count;
    uint8_t has_only;
};

struct rule {
    uint32_t chain, to_way; /* chain: the trie node */
    uint8_t kind;
};

struct way_edge {
    uint32_t way, edge;
};

struct chains {
    struct tnode *c;
    uint32_t count, cap;
    uint32_t *edges;               /* [count] the last edge of each trie node */
    uint32_t edge_count, edge_cap; /* edge_count == count */
    struct rule *rules;
    uint32_t rule_count, rule_cap;
    struct way_edge *start; /* (first edge, top node) sorted, for the lookup at entry */
    uint32_t start_count;
    struct way_edge *tops; /* while building: (first edge, top node) of one from way */
    uint32_t top_count;
    uint32_t *node; /* [2 * count] node id or CR_INF (2 * trie node + destination) */
    uint32_t honoured;
};

static void
chains_fini(struct chains *cs)
{
    free(cs->c);
    free(cs->edges);
    free(cs->rules);
    free(cs->start);
    free(cs->tops);
    free(cs->node);
}

static int
grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
    uint32_t c;
    void *q;

    if (need <= *cap)
        return 0;
    c = *cap ? *cap * 2 : 16;
    while (c < need)
        c *= 2;
    if (!(q = realloc(*p, (size_t)c * size)))
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

static int
cmp_way_edge(const void *a, const void *b)
{
    const struct way_edge *x = a, *y = b;
    if (x->way != y->way)
        return (x->way > y->way) - (x->way < y->way);
    return (x->edge > y->edge) - (x->edge < y->edge);
}

static int
cmp_rule(const void *a, const void *b)
{
    const struct rule *x = a, *y = b;
    if (x->chain != y->chain)
        return (x->chain > y->chain) - (x->chain < y->chain);
    return (x->to_way > y->to_way) - (x->to_way < y->to_way);
}

/* The first entry of the sorted list WE[0..N) whose way is at least W. */
static uint32_t
first_at_least(const struct way_edge *we, uint32_t n, uint32_t w)
{
    uint32_t a = 0, b = n;
    while (a < b) {
        uint32_t m = a + (b - a) / 2;
        if (we[m].way < w)
            a = m + 1;
        else
            b = m;
    }
    return a;
}

/* The range of way W in the sorted list WE[0..N). */
static void
way_range(const struct way_edge *we, uint32_t n, uint32_t w, uint32_t *lo, uint32_t *hi)
{
    uint32_t a = first_at_least(we, n, w);
    *lo = a;
    while (a < n && we[a].way == w)
        a++;
    *hi = a;
}

static uint32_t
seg_of(const struct cr_graph_view *v, uint32_t e)
{
    return v->edge_segment[e] & ~CR_SEGMENT_REVERSED;
}

#define MAX_VIA_EDGES 256 /* a via path longer than this in edges is not followed */
#define MAX_VIA_WAYS 64   /* nor one through more via ways (at most 1024 walks of one) */

/* Follows way W from its usable edge E1 to the first node where an edge of way NEXT (the next
 * via way, or the to-way) leaves; the edges go to PATH from LEN on. Returns the new length, 0
 * when W ends (or turns back on itself) before. */
static uint32_t
walk_via(const struct cr_graph_view *v, const uint32_t *node_of_edge, const uint32_t *tail,
         uint32_t e1, uint32_t w, uint32_t next, uint32_t *path, uint32_t len)
{
    uint32_t start = len, e = e1;

    for (;;) {
        uint32_t cur = v->head[e], n2 = CR_INF;
        if (len == MAX_VIA_EDGES)
            return 0;
        path[len++] = e;
        if (cur == tail[e1])
            return 0; /* a closed way back at its start */
        for (uint32_t e2 = v->first_out[cur]; e2 < v->first_out[cur + 1]; e2++)
            if (edge_way(v, e2) == next && seg_of(v, e2) != seg_of(v, e))
                return len;
        for (uint32_t e2 = v->first_out[cur]; e2 < v->first_out[cur + 1]; e2++)
            if (edge_way(v, e2) == w && seg_of(v, e2) != seg_of(v, e) &&
                node_of_edge[e2] != CR_INF) {
                n2 = e2;
                break;
            }
        if (n2 == CR_INF)
            return 0;
        for (uint32_t i = start; i < len; i++)
            if (v->head[path[i]] == v->head[n2])
                return 0; /* round a loop */
        e = n2;
    }
}

/* The child of trie node T (CR_INF: the top nodes of FROM_WAY) for edge E, or CR_INF. */
static uint32_t
trie_child(const struct chains *cs, uint32_t t, uint32_t from_way, uint32_t e)
{
    if (t == CR_INF) {
        for (uint32_t i = first_at_least(cs->start, cs->start_count, e);
             i < cs->start_count && cs->start[i].way == e; i++)
            if (cs->c[cs->start[i].edge].from_way == from_way)
                return cs->start[i].edge;
        return CR_INF;
    }
    for (uint32_t c = cs->c[t].child; c != CR_INF; c = cs->c[c].sibling)
        if (cs->edges[c] == e)
            return c;
    return CR_INF;
}

/* Adds the path PATH[0..LEN) from way FROM_WAY with the rule (TO, KIND) at its end. The top
 * nodes are found in tops[0 .. top_count), which holds those of FROM_WAY (chains_build takes
 * the restrictions by from way and empties it for each). */
static int
trie_add(struct chains *cs, uint32_t from_way, const uint32_t *path, uint32_t len, uint32_t to,
         uint8_t kind)
{
    uint32_t t = CR_INF;

    for (uint32_t i = 0; i < len; i++) {
        uint32_t c = CR_INF;
        if (t == CR_INF) {
            for (uint32_t k = 0; k < cs->top_count; k++)
                if (cs->tops[k].way == path[0]) {
                    c = cs->tops[k].edge;
                    break;
                }
        } else {
            c = trie_child(cs, t, from_way, path[i]);
        }
        if (c == CR_INF) {
            if (grow((void **)&cs->c, &cs->cap, cs->count + 1, sizeof *cs->c) ||
                grow((void **)&cs->edges, &cs->edge_cap, cs->count + 1, sizeof *cs->edges))
                return -1;
            c = cs->count++;
            cs->edge_count = cs->count;
            cs->edges[c] = path[i];
            cs->c[c] = (struct tnode){ from_way, t, CR_INF, CR_INF, CR_INF, 0, 0, 0 };
            if (t == CR_INF) { /* tops has room: one per first edge, a usable edge */
                cs->tops[cs->top_count++] = (struct way_edge){ path[0], c };
            } else {
                cs->c[c].sibling = cs->c[t].child;
                cs->c[t].child = c;
            }
        }
        t = c;
    }
    if (grow((void **)&cs->rules, &cs->rule_cap, cs->rule_count + 1, sizeof *cs->rules))
        return -1;
    cs->rules[cs->rule_count++] = (struct rule){ t, to, kind };
    if (kind == CR_RESTRICT_ONLY)
        cs->c[t].has_only = 1;
    return 0;
}

/* What one restriction's walk needs: its ways, the scratch path, the trie. */
struct via_walk {
    const struct cr_graph_view *v;
    const uint32_t *node_of_edge, *tail;
    const uint32_t *via; /* via ways in order */
    uint32_t via_count, from_way, to_way;
    uint8_t kind;
    uint32_t *path;
    struct chains *cs;
    uint32_t added, budget; /* budget: via ways still to walk (branches at each junction) */
};

/* Walks via way K entered by its usable edge E1 at PATH[LEN], then the next ones, and adds
 * every path that reaches the to-way. -1: out of memory. */
static int
walk_from(struct via_walk *w, uint32_t k, uint32_t e1, uint32_t len)
{
    const struct cr_graph_view *v = w->v;
    uint32_t last = k + 1 == w->via_count, cur;

    if (w->budget == 0)
        return 0;
    w->budget--;
    len = walk_via(v, w->node_of_edge, w->tail, e1, w->via[k], last ? w->to_way : w->via[k + 1],
                   w->path, len);
    if (!len)
        return 0;
    if (last) {
        w->added++;
        return trie_add(w->cs, w->from_way, w->path, len, w->to_way, w->kind);
    }
    cur = v->head[w->path[len - 1]];
    for (uint32_t e2 = v->first_out[cur]; e2 < v->first_out[cur + 1]; e2++)
        if (edge_way(v, e2) == w->via[k + 1] && w->node_of_edge[e2] != CR_INF &&
            walk_from(w, k + 1, e2, len))
            return -1;
    return 0;
}

/* The via ways of restriction R (index I) into VIA: its via, then those EXTRA[I] points at in
 * the view's restriction_via. Their count, 0 when one is out of range or too many. */
static uint32_t
via_ways(const struct cr_graph_view *v, const uint32_t *extra, uint32_t i, uint32_t *via)
{
    const struct cr_restriction *r = &v->restrictions[i];
    uint32_t n = 1;

    via[0] = r->via;
    if (extra && extra[i] != CR_INF) {
        const uint32_t *x = v->restriction_via + extra[i];
        if (x[1] >= MAX_VIA_WAYS)
            return 0;
        for (uint32_t k = 0; k < x[1]; k++)
            via[n++] = x[2 + k];
    }
    for (uint32_t k = 0; k < n; k++)
        if (via[k] >= v->way_count || (k > 0 && via[k] == via[k - 1]))
            return 0;
    return n;
}

/* The fail of every trie node (see struct tnode). PATH: room for MAX_VIA_EDGES edges. */
static void
trie_fail(struct chains *cs, const struct cr_graph_view *v, uint32_t *path)
{
    for (uint32_t t = 0; t < cs->count; t++) {
        uint32_t len = 0;
        for (uint32_t u = t; u != CR_INF && len < MAX_VIA_EDGES; u = cs->c[u].parent)
            path[len++] = cs->edges[u];
        /* path[len - 1] is the first edge; the suffix from path[i] (i < len - 1) follows an
         * edge of way edge_way(path[i + 1]) */
        for (uint32_t i = len - 1; i-- > 0 && cs->c[t].fail == CR_INF;) {
            uint32_t u = trie_child(cs, CR_INF, edge_way(v, path[i + 1]), path[i]);
            for (uint32_t j = i; u != CR_INF && j-- > 0;)
                u = trie_child(cs, u, 0, path[j]);
            cs->c[t].fail = u;
        }
    }
}

/* The trie of the via-way restrictions that apply to VEHICLE, over usable edges. */
static int
chains_build(struct chains *cs, const struct cr_graph_view *v, const uint32_t *node_of_edge,
             const uint32_t *tail, uint8_t vehicle)
{
    uint8_t *mark = NULL;
    struct way_edge *we = NULL;
    struct way_edge *order = NULL; /* (from way, restriction) */
    uint32_t *path = NULL, *extra = NULL, nwe = 0, any = 0, nr = 0;
    uint32_t via[MAX_VIA_WAYS];
    int rc = -1;

    for (uint32_t i = 0; i < v->restriction_count; i++)
        any |= v->restrictions[i].via_is_way;
    if (!any)
        return 0;
    mark = calloc((size_t)v->way_count + 1, 1);
    path = malloc(MAX_VIA_EDGES * sizeof *path);
    order = malloc(((size_t)v->restriction_count + 1) * sizeof *order);
    if (!mark || !path || !order)
        goto done;
    if (v->restriction_via_size) {
        if (!(extra = malloc(((size_t)v->restriction_count + 1) * sizeof *extra)))
            goto done;
        for (uint32_t i = 0; i < v->restriction_count; i++)
            extra[i] = CR_INF;
        for (uint32_t at = 0; at + 2 < v->restriction_via_size;
             at += 2 + v->restriction_via[at + 1])
            if (v->restriction_via[at] < v->restriction_count)
                extra[v->restriction_via[at]] = at;
    }
    for (uint32_t i = 0; i < v->restriction_count; i++) {
        const struct cr_restriction *r = &v->restrictions[i];
        uint32_t n;
        if (!r->via_is_way || !applies_to(r, vehicle) || r->from_way >= v->way_count ||
            r->to_way >= v->way_count || !(n = via_ways(v, extra, i, via)) ||
            r->from_way == via[0] || r->to_way == via[n - 1])
            continue;
        mark[r->from_way] = 1;
        for (uint32_t k = 0; k < n; k++)
            mark[via[k]] = 1;
        order[nr++] = (struct way_edge){ r->from_way, i };
    }
    qsort(order, nr, sizeof *order, cmp_way_edge);
    for (uint32_t e = 0; e < v->edge_count; e++)
        nwe += node_of_edge[e] != CR_INF && mark[edge_way(v, e)];
    if (!(we = malloc(((size_t)nwe + 1) * sizeof *we)))
        goto done;
    nwe = 0;
    for (uint32_t e = 0; e < v->edge_count; e++)
        if (node_of_edge[e] != CR_INF && mark[edge_way(v, e)])
            we[nwe++] = (struct way_edge){ edge_way(v, e), e };
    qsort(we, nwe, sizeof *we, cmp_way_edge);
    /* top nodes: at most one per usable edge of a via way (first ones) and from way */
    if (!(cs->tops = malloc(((size_t)nwe + 1) * sizeof *cs->tops)))
        goto done;
    for (uint32_t o = 0; o < nr; o++) {
        const struct cr_restriction *r = &v->restrictions[order[o].edge];
        struct via_walk w = { 0 };
        uint32_t alo, ahi, wlo, whi;
        w.v = v;
        w.node_of_edge = node_of_edge;
        w.tail = tail;
        w.via = via;
        w.via_count = via_ways(v, extra, order[o].edge, via);
        w.from_way = r->from_way;
        w.to_way = r->to_way;
        w.kind = r->kind;
        w.path = path;
        w.cs = cs;
        w.budget = 1024;
        if (o == 0 || order[o - 1].way != r->from_way)
            cs->top_count = 0; /* a new from way */
        way_range(we, nwe, r->from_way, &alo, &ahi);
        way_range(we, nwe, via[0], &wlo, &whi);
        for (uint32_t a = alo; a < ahi; a++)
            for (uint32_t b = wlo; b < whi; b++)
                if (tail[we[b].edge] == v->head[we[a].edge] && walk_from(&w, 0, we[b].edge, 0))
                    goto done;
        cs->honoured += w.added > 0;
    }
    qsort(cs->rules, cs->rule_count, sizeof *cs->rules, cmp_rule);
    for (uint32_t i = 0; i < cs->rule_count; i++) {
        struct tnode *c = &cs->c[cs->rules[i].chain];
        if (c->rule_count++ == 0)
            c->rule_first = i;
    }
    if (!(cs->start = malloc(((size_t)cs->count + 1) * sizeof *cs->start)) ||
        !(cs->node = malloc((2 * (size_t)cs->count + 1) * sizeof *cs->node)))
        goto done;
    for (uint32_t t = 0; t < cs->count; t++)
        if (cs->c[t].parent == CR_INF)
            cs->start[cs->start_count++] = (struct way_edge){ cs->edges[t], t };
    qsort(cs->start, cs->start_count, sizeof *cs->start, cmp_way_edge);
    for (uint32_t i = 0; i < 2 * cs->count; i++)
        cs->node[i] = CR_INF;
    trie_fail(cs, v, path);
    rc = 0;
done:
    free(mark);
    free(we);
    free(path);
    free(extra);
    free(order);
    return rc;
}

/* Whether leaving trie node T (a place on the paths of some via-way restrictions) into way TO
 * is forbidden by the rules there or on its fail chain. */
static int
chain_forbids(const struct chains *cs, uint32_t t, uint32_t to)
{
    for (; t != CR_INF; t = cs->c[t].fail) {
        const struct tnode *c = &cs->c[t];
        int only_ok = 0;
        for (uint32_t i = c->rule_first; i < c->rule_first + c->rule_count; i++) {
            const struct rule *r = &cs->rules[i];
            if (r->to_way != to)
                continue;
            if (r->kind == CR_RESTRICT_NO)
                return 1;
            only_ok = 1;
        }
        if (c->has_only && !only_ok)
            return 1;
    }
    return 0;
}

/* The trie node reached from node T (CR_INF: none) of edge E1 by turning into E2: a child of T
 * or of a node on its fail chain, else the top node of E1's way and E2, or CR_INF. */
static uint32_t
chain_next(const struct chains *cs, const struct cr_graph_view *v, uint32_t t, uint32_t e1,
           uint32_t e2)
{
    for (; t != CR_INF; t = cs->c[t].fail) {
        uint32_t c = trie_child(cs, t, 0, e2);
        if (c != CR_INF)
            return c;
    }
    return trie_child(cs, CR_INF, edge_way(v, e1), e2);
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
#define ROAD(e) (cr_graph_edge_mode(v, e) == CR_MODE_ROAD || cr_graph_edge_mode(v, e) == CR_MODE_FERRY)
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
    struct cr_turngraph *tg;
    struct state *st;
    uint32_t *dcopy; /* [originals] destination copy of each first node, or CR_INF */
    uint8_t *dest;   /* [originals] edge is destination-only */
    uint8_t *on_via; /* [edge_count] or NULL: network edge on a via-way chain */
    uint32_t count, cap, originals;
    struct chains cs;
};

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
    b->st[x] = (struct state){ chain, pos, dest };
    tg->next_copy[x] = tg->next_copy[orig];
    tg->next_copy[orig] = x;
    if (chain == CR_INF)
        tg->destination_copies++;
    return x;
}

struct cr_turngraph *
cr_turngraph_build(const struct cr_graph_view *v, const struct cr_profile *p, enum cr_metric metric,
                   struct cr_error *err)
{
    struct cr_turngraph *tg = calloc(1, sizeof *tg);
    uint32_t *tail = NULL, n = 0;
    struct arc_rec *arcs = NULL;
    size_t arc_count = 0, arc_cap = 0;
    struct restr_index rix = { 0 };
    struct builder b = { 0 };
    int layered = (p->modes & (1u << CR_MODE_TRANSFER)) && p->max_transfers > 0;
    uint64_t total_nodes, total_arcs, cap;
    uint32_t ndest = 0;
    struct turn_rules rules = { v, p, &rix, NULL, layered };

    if (!tg)
        goto oom;
    b.tg = tg;
    tg->node_of_edge = malloc(((size_t)v->edge_count + 1) * sizeof *tg->node_of_edge);
    tg->edge_of = malloc(((size_t)v->edge_count + 1) * sizeof *tg->edge_of);
    tg->edge_weight = malloc(((size_t)v->edge_count + 1) * sizeof *tg->edge_weight);
    tail = malloc(((size_t)v->edge_count + 1) * sizeof *tail);
    b.dest = malloc((size_t)v->edge_count + 1);
    if (!tg->node_of_edge || !tg->edge_of || !tg->edge_weight || !tail || !b.dest ||
        restr_index_init(&rix, v))
        goto oom;
    for (uint32_t u = 0; u < v->node_count; u++)
        for (uint32_t e = v->first_out[u]; e < v->first_out[u + 1]; e++)
            tail[e] = u;
    rules.tail = tail;
    for (uint32_t e = 0; e < v->edge_count; e++) {
        uint32_t w = cr_profile_edge_allowed(p, v, e) ? cr_profile_edge_weight(p, v, e, metric)
                                                      : CR_WEIGHT_INF;
        tg->node_of_edge[e] = CR_INF;
        if (w == CR_WEIGHT_INF)
            continue;
        tg->node_of_edge[e] = n;
        tg->edge_of[n] = e;
        tg->edge_weight[n] = w;
        b.dest[n] = (uint8_t)(cr_profile_edge_destination_only(p, v, e) != 0);
        ndest += b.dest[n];
        n++;
    }
    b.originals = n;
    if (ndest && close_destination_areas(&rules, tg, n, b.dest))
        goto oom;
    ndest = 0;
    for (uint32_t x = 0; x < n; x++)
        ndest += b.dest[x];
    if (chains_build(&b.cs, v, tg->node_of_edge, tail, p->vehicle))
        goto oom;
    tg->via_way_restrictions = b.cs.honoured;
    /* the edges of via ways under a ban, where no U-turn may land (below) */
    if (b.cs.edge_count) {
        if (!(b.on_via = calloc((size_t)v->edge_count + 1, 1)))
            goto oom;
        for (uint32_t i = 0; i < b.cs.edge_count; i++)
            b.on_via[b.cs.edges[i]] = 1;
    }
    /* every state a node can be in: first nodes, destination copies, two per chain place */
    cap = (uint64_t)n + ndest + 2ull * b.cs.edge_count;
    if (cap >= CR_INF) {
        cr_error_set(err, CR_ENOMEM, "%s: turn graph too large (%llu nodes)", p->name,
                     (unsigned long long)cap);
        goto fail;
    }
    b.cap = (uint32_t)cap;
    if (cap > n) {
        uint32_t *eo = realloc(tg->edge_of, ((size_t)cap + 1) * sizeof *eo), *ew;
        if (!eo)
            goto oom;
        tg->edge_of = eo;
        if (!(ew = realloc(tg->edge_weight, ((size_t)cap + 1) * sizeof *ew)))
            goto oom;
        tg->edge_weight = ew;
    }
    tg->next_copy = malloc(((size_t)cap + 1) * sizeof *tg->next_copy);
    b.st = malloc(((size_t)cap + 1) * sizeof *b.st);
    b.dcopy = malloc(((size_t)n + 1) * sizeof *b.dcopy);
    if (!tg->next_copy || !b.st || !b.dcopy)
        goto oom;
    for (uint32_t x = 0; x < n; x++) {
        tg->next_copy[x] = CR_INF;
        b.st[x] = (struct state){ CR_INF, 0, 0 };
        b.dcopy[x] = CR_INF;
    }
    b.count = n;
    /* nodes in id order; a copy is numbered when an arc first reaches it, after the ones
     * already numbered, so arcs come out sorted by tail */
    for (uint32_t x = 0; x < b.count; x++) {
        uint32_t e1 = tg->edge_of[x], via = v->head[e1];
        struct state sx = b.st[x];
        uint8_t d1 = b.dest[tg->node_of_edge[e1]];
        double node_pen = cr_profile_node_penalty_s(p, v, via);
        if (node_pen < 0)
            continue; /* a closed barrier: no way through */
        for (uint32_t e2 = v->first_out[via]; e2 < v->first_out[via + 1]; e2++) {
            uint32_t y = tg->node_of_edge[e2], chain = CR_INF, pos = 0;
            double turn;
            uint8_t transfer = 0, d2;
            if (y == CR_INF)
                continue;
            if (!turn_allowed(&rules, e1, e2, &transfer, &turn,
                              x < n ? &tg->restricted_turns : NULL))
                continue;
            /* destination-only: out of one entered from outside, only deeper in */
            d2 = b.dest[y];
            if (!d2 && d1 && sx.dest)
                continue;
            d2 = d2 ? (d1 ? sx.dest : 1) : 0;
            /* via-way restrictions: not out of a trie node where its rules (or those of its
             * fail chain) forbid; on along the paths the trie holds */
            if (b.cs.count) {
                if (sx.chain != CR_INF && chain_forbids(&b.cs, sx.chain, edge_way(v, e2)))
                    continue;
                chain = chain_next(&b.cs, v, sx.chain, e1, e2);
                /* no U-turn onto a via way under a ban, out of its chain: else turning round
                 * twice on the via way (at its far end, then back where the from-way meets it,
                 * or at a signal on it) would shake off the ban for two U-turn penalties */
                if (chain == CR_INF && seg_of(v, e1) == seg_of(v, e2) && b.on_via &&
                    b.on_via[e2])
                    continue;
            }
            if ((y = node_in_state(&b, e2, d2, chain, pos)) == CR_INF)
                goto oom;
            if (arc_count == arc_cap) {
                size_t c = arc_cap ? arc_cap * 2 : 1024;
                struct arc_rec *a = realloc(arcs, c * sizeof *a);
                if (!a)
                    goto oom;
                arcs = a;
                arc_cap = c;
            }
            {
                uint32_t pen = cr_profile_penalty_weight(p, node_pen + turn, metric);
                /* a U-turn costs at least one unit in every metric, so that by distance or CO2
                 * (where penalties weigh nothing) a path never turns back where going on would
                 * cost the same: Dijkstra and the CH then agree on the route, not only on its
                 * weight */
                if (pen == 0 && seg_of(v, e1) == seg_of(v, e2))
                    pen = 1;
                arcs[arc_count++] = (struct arc_rec){ x, y, pen, transfer };
            }
        }
    }
    n = b.count;
    if (n == b.originals) { /* no copies: no chains to follow */
        free(tg->next_copy);
        tg->next_copy = NULL;
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
    if (mark_lcc(tg, v, b.originals))
        goto oom;
    free(arcs);
    free(tail);
    free(rix.keys);
    free(b.st);
    free(b.dcopy);
    free(b.dest);
    free(b.on_via);
    chains_fini(&b.cs);
    return tg;
oom:
    cr_error_set(err, CR_ENOMEM, "%s: out of memory building the turn graph", p->name);
fail:
    free(arcs);
    free(tail);
    free(rix.keys);
    free(b.st);
    free(b.dcopy);
    free(b.dest);
    free(b.on_via);
    chains_fini(&b.cs);
    cr_turngraph_destroy(tg);
    return NULL;
}
