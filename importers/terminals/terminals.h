/*
 * Terminals given by the user: a GeoJSON file of Point features or a CSV file, read with GDAL.
 *
 * Fields (GeoJSON properties or CSV columns; names are case-insensitive):
 *   name            text, required
 *   lon, lat        CSV only (GeoJSON takes the point), WGS84 degrees; also x/y, longitude/latitude
 *   modes           which modes the terminal serves: "road,rail", "road;water", "rail|water" (road
 *                   is always served); in GeoJSON also a JSON array ["rail","water"]
 *   handling_time   seconds per transfer (optional: profile default)
 *   handling_cost   currency units per transfer (optional: profile default)
 *   kind            optional: station, yard, port, quay, icd, other (default icd)
 * A GeoJSON in another CRS is transformed to WGS84 with PROJ (through OGR).
 */
#ifndef CR_IMPORTERS_TERMINALS_H
#define CR_IMPORTERS_TERMINALS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "core/graph.h"

struct cr_terminal_input {
    char *name; /* owned */
    int32_t lon_e7, lat_e7;
    uint8_t modes;            /* bit per enum cr_group; ROAD always set */
    uint8_t kind;             /* enum cr_terminal_kind */
    uint32_t handling_time_s; /* or CR_TERMINAL_DEFAULT */
    uint32_t handling_cost;   /* or CR_TERMINAL_DEFAULT */
};

struct cr_terminal_list {
    struct cr_terminal_input *items;
    size_t count;
};

/* Reads PATH (.geojson/.json or .csv). Errors name the file and the feature or line:
 * "t.csv: line 4: lat 123.5 out of range", "t.geojson: feature 2: no name". An empty file or
 * one without features is CR_EEMPTY. caller frees: cr_terminal_list_fini() */
enum cr_status cr_terminals_read(const char *path, struct cr_terminal_list *out,
                                 struct cr_error *err);

void cr_terminal_list_fini(struct cr_terminal_list *list);

/* "road,rail" -> bit mask of (1u << CR_GROUP_*); CR_EINVAL with err filled (no file name) on an
 * unknown word. ROAD is always included. */
enum cr_status cr_terminals_parse_modes(const char *text, uint8_t *modes, struct cr_error *err);

#endif
