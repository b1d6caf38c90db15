/*
 * Contraction hierarchies, many-to-many: backward upward searches from every target leave
 * (target, weight) entries in buckets at the nodes they settle; forward upward searches from
 * every source scan them (ch_search.h's searches).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "routing/ch_search.h"

struct bucket_entry {
    uint32_t node, target, dist;
};

struct bucket_item {
    uint32_t target, dist;
};

static enum cr_status
check_endpoints(const struct cr_ch_arrays *a, const struct cr_endpoint *e, const uint32_t *first,
                size_t count, const char *what, struct cr_error *err)
{
    if (count && !first)
        return cr_error_set(err, CR_EINVAL, "many-to-many: %s_first missing", what);
    for (size_t i = 0; i < count; i++) {
        if (first[i] > first[i + 1])
            return cr_error_set(err, CR_EINVAL, "many-to-many: %s_first decreases at %zu", what, i);
        for (uint32_t k = first[i]; k < first[i + 1]; k++)
            if (e[k].node >= a->node_count)
                return cr_error_set(err, CR_EINVAL,
                                    "many-to-many: %s %zu: node %u out of range (%u nodes)", what,
                                    i, e[k].node, a->node_count);
    }
    return CR_OK;
}

enum cr_status
cr_ch_many_to_many(const struct cr_ch *ch, const struct cr_endpoint *src, const uint32_t *src_first,
                   size_t ns, const struct cr_endpoint *dst, const uint32_t *dst_first, size_t nt,
                   uint32_t *out, struct cr_error *err)
{
    const struct cr_ch_arrays *a = &ch->a;
    struct cr_ch_query *q = NULL;
    struct bucket_entry *e = NULL;
    struct bucket_item *items = NULL;
    uint32_t *bucket_of = NULL, *bucket_first = NULL;
    size_t e_len = 0, e_cap = 0, buckets = 0;
    enum cr_status st;

    if ((st = check_endpoints(a, src, src_first, ns, "source", err)) ||
        (st = check_endpoints(a, dst, dst_first, nt, "target", err)))
        return st;
    if (ns && nt && ns > SIZE_MAX / sizeof *out / nt)
        return cr_error_set(err, CR_EINVAL, "many-to-many: %zu x %zu too large", ns, nt);
    for (size_t i = 0; i < ns * nt; i++)
        out[i] = CR_INF;
    if (ns == 0 || nt == 0)
        return CR_OK;
    if (nt > UINT32_MAX)
        return cr_error_set(err, CR_EINVAL, "many-to-many: %zu targets, at most %u", nt,
                            UINT32_MAX);

    q = cr_ch_query_create(ch);
    bucket_of = calloc(a->node_count ? a->node_count : 1, sizeof *bucket_of);
    if (!q || !bucket_of)
        goto nomem;

    /* backward searches fill the buckets */
    for (size_t j = 0; j < nt; j++) {
        query_reset(q);
        seed(q, BWD, dst + dst_first[j], dst_first[j + 1] - dst_first[j]);
        while (q->heap[BWD].size > 0) {
            uint64_t none = CR_INF;
            uint32_t dx, meet, x = settle(q, BWD, &dx, &none, &meet);
            if (x == UINT32_MAX)
                continue;
            if (e_len == e_cap && cr_ch_grow((void **)&e, &e_cap, e_len + 1, sizeof *e))
                goto nomem;
            e[e_len++] = (struct bucket_entry){ .node = x, .target = (uint32_t)j, .dist = dx };
            if (bucket_of[x] == 0)
                bucket_of[x] = (uint32_t)++buckets;
        }
    }
    /* counting sort of the entries by bucket */
    bucket_first = calloc(buckets + 2, sizeof *bucket_first);
    items = malloc((e_len ? e_len : 1) * sizeof *items);
    if (!bucket_first || !items)
        goto nomem;
    for (size_t i = 0; i < e_len; i++)
        bucket_first[bucket_of[e[i].node] + 1]++;
    for (size_t b = 1; b <= buckets + 1; b++)
        bucket_first[b] += bucket_first[b - 1];
    for (size_t i = 0; i < e_len; i++)
        items[bucket_first[bucket_of[e[i].node]]++] =
            (struct bucket_item){ .target = e[i].target, .dist = e[i].dist };
    for (size_t b = buckets + 1; b > 0; b--) /* shift back: bucket_first[b] starts bucket b */
        bucket_first[b] = bucket_first[b - 1];
    bucket_first[0] = 0;
    free(e);
    e = NULL;

    /* forward searches scan them */
    for (size_t i = 0; i < ns; i++) {
        uint32_t *row = out + i * nt;
        query_reset(q);
        seed(q, FWD, src + src_first[i], src_first[i + 1] - src_first[i]);
        while (q->heap[FWD].size > 0) {
            uint64_t none = CR_INF;
            uint32_t dx, meet, b, x = settle(q, FWD, &dx, &none, &meet);
            if (x == UINT32_MAX || (b = bucket_of[x]) == 0)
                continue;
            for (uint32_t k = bucket_first[b]; k < bucket_first[b + 1]; k++) {
                uint64_t w = (uint64_t)dx + items[k].dist;
                if (w < row[items[k].target])
                    row[items[k].target] = (uint32_t)w;
            }
        }
    }
    st = CR_OK;
    goto done;
nomem:
    st = cr_error_set(err, CR_ENOMEM, "many-to-many: out of memory (%zu x %zu)", ns, nt);
done:
    cr_ch_query_destroy(q);
    free(e);
    free(items);
    free(bucket_of);
    free(bucket_first);
    return st;
}
