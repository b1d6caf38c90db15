/*
 * Contraction hierarchies (Geisberger et al. 2008), shaped like RoutingKit's. This file holds the
 * CH itself: its arrays, the search graph built from them, and a CH over borrowed arrays (a
 * network file's sections) after checking them. The build is in ch_contract.c (the remaining
 * graph, witness searches, contraction in rounds) and ch_build.c (input, cache renumbering, the
 * arrays); point-to-point queries in ch_query.c over the upward searches of ch_search.h;
 * many-to-many in ch_m2m.c.
 */
#include "routing/ch.h"

#include <stddef.h>
#include <stdlib.h>

#include "routing/ch_internal.h"

int
cr_ch_grow(void **p, size_t *cap, size_t need, size_t elem)
{
    size_t c = *cap ? *cap : 16;
    void *np;
    if (need <= *cap)
        return 0;
    while (c < need)
        c *= 2;
    np = realloc(*p, c * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = c;
    return 0;
}

int
cr_ch_make_search_graph(struct cr_ch *ch)
{
    const struct cr_ch_arrays *a = &ch->a;
    size_t m = (size_t)a->up_count + a->down_count, k = 0;
    ch->snode = malloc(((size_t)a->node_count + 1) * sizeof *ch->snode);
    ch->sarc = malloc((m ? m : 1) * sizeof *ch->sarc);
    if (!ch->snode || !ch->sarc || m > UINT32_MAX)
        return -1;
    for (uint32_t x = 0; x < a->node_count; x++) {
        ch->snode[x].begin = (uint32_t)k;
        for (uint32_t i = a->up_first[x]; i < a->up_first[x + 1]; i++)
            ch->sarc[k++] = (struct sarc){ a->up_head[i], a->up_weight[i], 0 };
        ch->snode[x].split = (uint32_t)k;
        for (uint32_t i = a->down_first[x]; i < a->down_first[x + 1]; i++)
            ch->sarc[k++] = (struct sarc){ a->down_head[i], a->down_weight[i], 0 };
    }
    ch->snode[a->node_count].begin = ch->snode[a->node_count].split = (uint32_t)k;
    return 0;
}

void
cr_ch_destroy(struct cr_ch *ch)
{
    if (!ch)
        return;
    for (int i = 0; i < OWN_COUNT; i++)
        free(ch->own[i]);
    free(ch->snode);
    free(ch->sarc);
    free(ch->node_second);
    free(ch);
}

void
cr_ch_arrays(const struct cr_ch *ch, struct cr_ch_arrays *out)
{
    *out = ch->a;
}

static enum cr_status
check_side(const struct cr_ch_arrays *a, const char *name, const char *what, uint32_t count,
           const uint32_t *first, const uint32_t *head, const uint32_t *weight,
           const uint32_t *middle, const uint32_t *arc, struct cr_error *err)
{
    uint32_t n = a->node_count;
    if (!first || (count && (!head || !weight || !middle || !arc)))
        return cr_error_set(err, CR_EFORMAT, "%s: %s arrays missing", name, what);
    if (first[0] != 0 || first[n] != count)
        return cr_error_set(err, CR_EFORMAT, "%s: %s_first runs from %u to %u, want 0 to %u", name,
                            what, first[0], first[n], count);
    for (uint32_t x = 0; x < n; x++)
        if (first[x] > first[x + 1])
            return cr_error_set(err, CR_EFORMAT, "%s: %s_first decreases at rank %u", name, what,
                                x);
    for (uint32_t x = 0; x < n; x++) {
        for (uint32_t i = first[x]; i < first[x + 1]; i++) {
            if (head[i] >= n || head[i] <= x)
                return cr_error_set(err, CR_EFORMAT, "%s: %s arc %u: head rank %u not in (%u, %u)",
                                    name, what, i, head[i], x, n);
            if (weight[i] >= CR_INF)
                return cr_error_set(err, CR_EFORMAT, "%s: %s arc %u: weight %u, want < %u", name,
                                    what, i, weight[i], CR_INF);
            if (middle[i] != CR_INF && middle[i] >= x)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: %s arc %u: middle rank %u not below its rank %u", name,
                                    what, i, middle[i], x);
            if (middle[i] == CR_INF && arc[i] == CR_INF)
                return cr_error_set(err, CR_EFORMAT,
                                    "%s: %s arc %u: neither a shortcut nor an input arc", name,
                                    what, i);
        }
    }
    return CR_OK;
}

struct cr_ch *
cr_ch_from_arrays(const struct cr_ch_arrays *a, const char *name, struct cr_error *err)
{
    struct cr_ch *ch;
    uint8_t *seen;
    uint32_t n = a->node_count;

    if (!name)
        name = "contraction hierarchy";
    if (n == UINT32_MAX) {
        cr_error_set(err, CR_EFORMAT, "%s: %u nodes, at most %u", name, n, UINT32_MAX - 1);
        return NULL;
    }
    if (!a->rank && n) {
        cr_error_set(err, CR_EFORMAT, "%s: rank array missing", name);
        return NULL;
    }
    if (check_side(a, name, "up", a->up_count, a->up_first, a->up_head, a->up_weight, a->up_middle,
                   a->up_arc, err) ||
        check_side(a, name, "down", a->down_count, a->down_first, a->down_head, a->down_weight,
                   a->down_middle, a->down_arc, err))
        return NULL;
    seen = calloc(n ? n : 1, 1);
    if (!seen) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
        return NULL;
    }
    for (uint32_t x = 0; x < n; x++) {
        if (a->rank[x] >= n || seen[a->rank[x]]) {
            cr_error_set(err, CR_EFORMAT, "%s: node %u: rank %u %s", name, x, a->rank[x],
                         a->rank[x] >= n ? "out of range" : "given twice");
            free(seen);
            return NULL;
        }
        seen[a->rank[x]] = 1;
    }
    free(seen);
    ch = calloc(1, sizeof *ch);
    if (!ch) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
        return NULL;
    }
    ch->a = *a;
    if (cr_ch_make_search_graph(ch)) {
        cr_error_set(err, CR_ENOMEM, "%s: out of memory", name);
        cr_ch_destroy(ch);
        return NULL;
    }
    return ch;
}
