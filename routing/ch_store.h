/*
 * Contraction hierarchies stored in the network file: section "ch.index" (JSON text: one entry
 * per hierarchy with profile, metric and the checksum of the turn graph it was built on) and,
 * for entry K, sections "chK.rank", "chK.up_first", ..., "chK.dn_arc".
 *
 * An entry built with the tie rule (routing/tie.h) has "tie": "weight,second"; older ones have
 * none and load all the same (cr_ch_tie_rule tells). The arcs' seconds are not stored: the
 * caller sums them from the turn graph once loaded (cr_ch_set_second).
 *
 * A hierarchy is used only when the turn graph built at query time has the same checksum: a
 * profile edited after `corridor contract` makes it stale, and routing falls back to Dijkstra.
 */
#ifndef CR_ROUTING_CH_STORE_H
#define CR_ROUTING_CH_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/netfile.h"
#include "routing/ch.h"
#include "routing/wgraph.h"

struct cr_ch_entry {
    const char *profile; /* profile name */
    const char *metric;  /* metric name */
    uint32_t graph_crc;  /* cr_wgraph_crc of the turn graph */
    const struct cr_ch *ch;
};

/* CRC-32 of a graph's arrays: what a hierarchy was built on. */
uint32_t cr_wgraph_crc(const struct cr_wgraph *g);

/* Rewrites network file PATH with the hierarchies in ENTRIES added (replacing any of the same
 * profile and metric; others kept), through a temporary file and rename. */
enum cr_status cr_ch_store_save(const char *path, const struct cr_ch_entry *entries, size_t n,
                                struct cr_error *err);

/* The stored hierarchy for PROFILE and METRIC built on a graph with checksum CRC, borrowing the
 * mapped file. *out is NULL when there is none; *stale is set when there is one for an older
 * graph. caller frees: cr_ch_destroy() */
enum cr_status cr_ch_store_find(const struct cr_netfile *f, const char *profile, const char *metric,
                                uint32_t crc, struct cr_ch **out, int *stale, struct cr_error *err);

/* How many hierarchies the file holds, and "car/time, truck/time" in BUF. */
size_t cr_ch_store_list(const struct cr_netfile *f, char *buf, size_t size);

#endif
