/*
 * The turn graph's via-way restrictions: their paths (from way, via ways in order, the node
 * where the to-way leaves) as a trie with Aho-Corasick fail links (turngraph_via.h), built over
 * the profile's usable edges; turngraph.c follows it edge by edge.
 */
#include <stdlib.h>
#include <string.h>

#include "routing/turngraph_via.h"

void
cr_turngraph_chains_fini(struct chains *cs)
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

int
cr_turngraph_chains_build(struct chains *cs, const struct cr_graph_view *v,
                          const uint32_t *node_of_edge, const uint32_t *tail, uint8_t vehicle)
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

int
cr_turngraph_chain_forbids(const struct chains *cs, uint32_t t, uint32_t to)
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

uint32_t
cr_turngraph_chain_next(const struct chains *cs, const struct cr_graph_view *v, uint32_t t,
                        uint32_t e1, uint32_t e2)
{
    for (; t != CR_INF; t = cs->c[t].fail) {
        uint32_t c = trie_child(cs, t, 0, e2);
        if (c != CR_INF)
            return c;
    }
    return trie_child(cs, CR_INF, edge_way(v, e1), e2);
}
