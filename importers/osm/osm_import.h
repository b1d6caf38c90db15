/*
 * OpenStreetMap into one multimodal network: roads (and ferries), railways and navigable
 * waterways, with terminals joined to each mode by transfer edges.
 *
 * Two reads of the input (three when a terminal is a multipolygon): ways and relations first,
 * then only the nodes those ways use, so memory grows with the nodes used, not with the largest
 * OSM id or the size of the file.
 */
#ifndef CR_IMPORTERS_OSM_IMPORT_H
#define CR_IMPORTERS_OSM_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"
#include "corridor/import.h"

/* The options, the transfer radii and cr_osm_import are public: include/corridor/import.h. Its
 * group numbers are enum cr_group's. */
#ifndef __cplusplus
_Static_assert(CR_IMPORT_ROAD == CR_GROUP_ROAD && CR_IMPORT_RAIL == CR_GROUP_RAIL &&
                   CR_IMPORT_WATER == CR_GROUP_WATER && CR_IMPORT_GROUP_COUNT == CR_GROUP_COUNT,
               "corridor/import.h's groups are enum cr_group");
#endif

/* Why a turn restriction relation (or one from/to pair of it) was not turned into a ban
 * (docs/tags.md section 11). */
enum cr_restriction_problem {
    CR_RESTRICTION_MEMBERS = 0,    /* no from, to or via; several via nodes; several from or
                                      to ways where the type allows one (per relation) */
    CR_RESTRICTION_FROM_OFF_VIA,   /* the from way does not touch the via node (per pair) */
    CR_RESTRICTION_TO_OFF_VIA,     /* the to way does not touch the via node */
    CR_RESTRICTION_TO_THROUGH_VIA, /* the to way passes through the via node instead of
                                      starting or ending there (a from way may: the ban then
                                      holds from both sides) */
    CR_RESTRICTION_VIA_APART,      /* via ways: the from way, the via ways in order and the to
                                      way do not each share a node with the next */
    CR_RESTRICTION_PROBLEM_COUNT
};

/* Its key in the provenance JSON ("members", "from_not_at_via", ...). */
const char *cr_restriction_problem_name(enum cr_restriction_problem p);

/* What the import saw that the graph itself does not say. */
struct cr_import_stats {
    uint64_t ways_by_mode[CR_MODE_COUNT];        /* OSM ways imported (TRANSFER: terminals) */
    uint64_t missing_nodes;                      /* way refs to nodes absent from the file */
    uint64_t restrictions, restrictions_dropped; /* dropped: a member way not imported */
    uint64_t restrictions_invalid[CR_RESTRICTION_PROBLEM_COUNT]; /* ignored as invalid */
    uint64_t terminal_candidates, terminals_unlinked; /* OSM candidates joined to < 2 modes */
    uint64_t file_terminals_partly_linked; /* --terminals entries missing a mode they serve */
    int64_t newest_timestamp;              /* seconds since 1970, 0 when the file has none */
    /* conditional tags (docs/tags.md, "Conditional restrictions") */
    uint64_t cond_tags;         /* way tags kept (way.cond) */
    uint64_t cond_restrictions; /* restriction:conditional kept (restriction.cond) */
    uint64_t cond_unparsed;     /* tags of the read keys whose value was not understood */
    uint64_t cond_other;        /* other *:conditional way keys, not read (oneway, maxheight..) */
    char cond_first_unparsed[160]; /* the first not understood, for the summary */
};

/* A network built in memory, owning its arrays. */
struct cr_netbuild;

/* Reads INPUT and builds the network. caller frees: cr_netbuild_destroy() */
struct cr_netbuild *cr_osm_build(const char *input, const struct cr_import_options *opt,
                                 struct cr_import_stats *stats, struct cr_error *err);

/* As cr_osm_build, on DATA[SIZE] (borrowed) in FORMAT ("xml", "pbf": cr_osm_read_buffer), errors
 * naming NAME. A --terminals file (OPT->terminals_path) is still read from its path. */
struct cr_netbuild *cr_osm_build_buffer(const void *data, size_t size, const char *format,
                                        const char *name, const struct cr_import_options *opt,
                                        struct cr_import_stats *stats, struct cr_error *err);

const struct cr_graph_view *cr_netbuild_view(const struct cr_netbuild *b);
void cr_netbuild_destroy(struct cr_netbuild *b);

#endif
