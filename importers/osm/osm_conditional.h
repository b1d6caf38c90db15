/*
 * The OSM import's conditional tags (importers/osm/osm_conditional.c): ways' *:conditional
 * tags into the network's way.cond records, restriction:conditional into restriction.cond.
 */
#ifndef CR_IMPORTERS_OSM_CONDITIONAL_H
#define CR_IMPORTERS_OSM_CONDITIONAL_H

#include <stddef.h>
#include <stdint.h>

#include "importers/osm/osm_reader.h"

struct state;

/* Reads the conditional tags of way record WAY (OSM id OSM_ID) among TAGS: kept, or counted
 * as not parsed (stats). -1 when out of memory. */
int cr_osm_conditional_way(struct state *s, uint32_t way, int64_t osm_id,
                           const struct cr_osm_tag *tags, size_t n);

/* For a type=restriction relation without a plain restriction=* value: its
 * restriction:conditional as a restriction (*KIND, *EXCEPT, *ONLY_VEHICLE) and the tag's text
 * in the strings (*TEXT). 1 when it is one, 0 when not (counted when present but not parsed),
 * -1 when out of memory. */
int cr_osm_conditional_restriction(struct state *s, const struct cr_osm_relation *r, uint8_t *kind,
                                   uint8_t *except, uint8_t *only_vehicle, uint32_t *text);

#endif
