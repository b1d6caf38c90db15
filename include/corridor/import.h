/* OpenStreetMap into a network file: roads (and ferries), railways and navigable waterways,
 * with terminals joined to each mode by transfer edges. The same call as `corridor import`.
 *
 *     struct cr_import_options opt = { 0 };          (every mode, default radii)
 *     struct cr_error err;
 *     if (cr_osm_import("monaco.osm.pbf", "monaco.corr", &opt, NULL, &err) != CR_OK)
 *         fprintf(stderr, "%s\n", err.msg);
 */
#ifndef CORRIDOR_IMPORT_H
#define CORRIDOR_IMPORT_H

#include "corridor/error.h"
#include "corridor/export.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The mode groups of a network's nodes: cr_import_options.modes has bit (1u << group) for each
 * group to import, and radius_m is indexed by group. */
#define CR_IMPORT_ROAD 0        /* roads and ferries */
#define CR_IMPORT_RAIL 1        /* railways */
#define CR_IMPORT_WATER 2       /* navigable waterways */
#define CR_IMPORT_GROUP_COUNT 4 /* the three above and terminals */

/* Default transfer radii: how far a terminal may be from the node of a mode it serves. */
#define CR_TRANSFER_RADIUS_ROAD_M 500.0
#define CR_TRANSFER_RADIUS_RAIL_M 500.0
#define CR_TRANSFER_RADIUS_WATER_M 1000.0

struct cr_import_options {
    unsigned modes;                         /* bit per group (ROAD, RAIL, WATER); 0 = all */
    const char *terminals_path;             /* GeoJSON or CSV of extra terminals, or NULL */
    double radius_m[CR_IMPORT_GROUP_COUNT]; /* transfer radius per group; 0 = the default */
    /* progress: phase names a new phase, progress reports 0..1 within it (both may be NULL);
     * progress returning non-zero stops the import with CR_ECANCELLED */
    void (*phase)(void *user, const char *name);
    int (*progress)(void *user, double done);
    void *progress_user;
};

/* What the import saw that the network does not say (importers/osm/osm_import.h; pass NULL
 * from outside the library). */
struct cr_import_stats;

/* Reads INPUT (.osm.pbf, .osm, .osm.bz2) and writes the network file OUTPUT atomically: on any
 * error no OUTPUT is left behind and an existing OUTPUT is untouched. The output folder is
 * checked before reading. opt may be NULL (every mode, default radii, no progress). */
CR_API enum cr_status cr_osm_import(const char *input, const char *output,
                                    const struct cr_import_options *opt,
                                    struct cr_import_stats *stats, struct cr_error *err);

#ifdef __cplusplus
}
#endif

#endif
