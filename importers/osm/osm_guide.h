/*
 * Signs and lanes of OSM ways for turn-by-turn steps: junction:ref (the exit number) and
 * turn:lanes, turn:lanes:forward and turn:lanes:backward, kept as the optional network section
 * way.guide (docs/network-file.md, docs/tags.md "Exits and lanes").
 */
#ifndef CR_IMPORTERS_OSM_GUIDE_H
#define CR_IMPORTERS_OSM_GUIDE_H

#include <stddef.h>
#include <stdint.h>

#include "importers/osm/osm_build.h"
#include "importers/osm/osm_tags.h"

/* Appends way record WAY's exits and turn lanes to B's way_guide when it has any: turn:lanes
 * applies along the way (against it on a oneway=-1 way, ONEWAY BACKWARD), turn:lanes:forward
 * and :backward to their direction. 0, or -1 when out of memory. */
int cr_osm_way_guide(struct cr_netbuild *b, const struct cr_osm_tag *tags, size_t n,
                     enum cr_oneway oneway, uint32_t way);

#endif
