/* The network of an OSM file built in memory, with its snapping index, and a seeded random
 * sequence, for routing tests. */
#ifndef CR_TESTS_UNIT_ROUTING_TESTNET_H
#define CR_TESTS_UNIT_ROUTING_TESTNET_H

#include "core/graph.h"
#include "core/snap.h"
#include "importers/osm/osm_import.h"

struct net {
    struct cr_netbuild *b;
    const struct cr_graph_view *v;
    struct cr_snap_index *snap;
};

static void
net_open(struct net *n, const char *path)
{
    struct cr_error err = { 0 };

    n->b = cr_osm_build(path, NULL, NULL, &err);
    if (!n->b)
        fail_msg("%s", err.msg);
    n->v = cr_netbuild_view(n->b);
    n->snap = cr_snap_index_create(n->v, &err);
    if (!n->snap)
        fail_msg("%s", err.msg);
}

static void
net_close(struct net *n)
{
    cr_snap_index_destroy(n->snap);
    cr_netbuild_destroy(n->b);
}

/* xorshift64: the same seeded sequence in every run, for random pairs. */
static uint64_t rng = 0x2545F4914F6CDD1Dull;

static uint32_t
next_rand(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng >> 32);
}

#endif
