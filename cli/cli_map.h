/* What isochrone and access share to draw their --map: the scenario's name, a date, a frame. */
#ifndef CR_CLI_MAP_H
#define CR_CLI_MAP_H

#include <stddef.h>

#include "core/graph.h"
#include "spatial/zones.h"

/* The network's provenance name (key "scenario" -> "name", else "scenario_name", else "name"),
 * or NULL. caller frees: free() */
char *cli_map_network_name(const struct cr_graph_view *v);

/* PATH without its folders. */
const char *cli_map_base_name(const char *path);

/* Today (UTC) as YYYY-MM-DD into BUF. */
void cli_map_date(char *buf, size_t size);

/* Grows BBOX (west, south, east, north; start with +inf, +inf, -inf, -inf) by the N lon, lat
 * pairs LONLAT. */
void cli_map_grow(double bbox[4], const double *lonlat, size_t n);

/* Pads BBOX by FRACTION of its size each side (at least ~100 m); -1 when it is empty. */
int cli_map_pad(double bbox[4], double fraction);

/* Z's extent in WGS 84 with a twentieth each side into B (west, south, east, north); -1 when
 * PROJ cannot say. */
int cli_map_zones_extent(const struct cr_zones *z, double b[4]);

#endif
