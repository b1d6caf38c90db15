/* What isochrone, access, assign and compare share to draw their --map: the scenario's name, a
 * date, a frame, and a flow map in one call. */
#ifndef CR_CLI_MAP_H
#define CR_CLI_MAP_H

#include <stddef.h>

#include "core/error.h"
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

/* A flow map (render/flowmap.h) as `corridor assign --map` and `corridor compare --assign ...
 * --map` draw it: the lines of FLOWS (a GeoPackage or any line layer: corridor assign's links)
 * over the network G (or NULL), on A4 landscape with the default style, written to OUTPUT
 * (.png, .pdf or .svg, whole or not at all).
 *   DIFFERENCE 0: width by "flow_pce" (in PCE/h, legend "PCE/h"), colour by "voc" in the
 *                 classes v/c <= 0.5, 0.5-0.8, 0.8-1.0, > 1.0 (green, yellow, orange, red);
 *   DIFFERENCE 1: width by |"d_flow_pce"|, blue where it fell, red where it rose.
 * FIELD, when not NULL, replaces the width field ("flow_pce" or "d_flow_pce"). Two-way roads
 * are drawn side by side when the layer has a "dir" field. TITLE (NULL: the file's name) and
 * SUBTITLE (or NULL) head the title block; the map credits OpenStreetMap. */
enum cr_status cli_map_flows(const struct cr_graph_view *g, const char *flows, const char *field,
                             int difference, const char *title, const char *subtitle,
                             const char *output, struct cr_error *err);

#endif
