/*
 * The server's isochrones in the shape of Mapbox's Isochrone API v1:
 *   GET /isochrone/v1/{profile}/{lon},{lat}?contours_minutes=10,20&polygons=true
 * answered with a GeoJSON FeatureCollection, one feature per contour, largest first, each with
 * Mapbox's properties (contour, color, opacity, metric "time"; with polygons also fill,
 * fill-opacity, fillColor, fillOpacity). Parameters, limits and errors: docs/server.md.
 */
#ifndef CR_SERVER_ISOCHRONE_H
#define CR_SERVER_ISOCHRONE_H

#include <stdint.h>

#include "corridor/routing.h"
#include "server/osrm.h"

#define CR_ISO_SERVER_MAX_CONTOURS 4   /* as Mapbox */
#define CR_ISO_SERVER_MAX_MINUTES 60.0 /* as Mapbox */

struct cr_iso_request {
    char profile[32];
    int32_t lon_e7, lat_e7;
    double minutes[CR_ISO_SERVER_MAX_CONTOURS];
    size_t count;
    char colors[CR_ISO_SERVER_MAX_CONTOURS][8]; /* "#rrggbb", or "" for the default */
    int polygons;                               /* polygons=true */
    double buffer_m;                            /* corridor's own: buffer=M (default 50) */
};

/* Whether URL is an isochrone request (its path starts with /isochrone/). */
int cr_iso_url_is(const char *url);

/* Parses URL into REQ; 0, or -1 with E filled (InvalidUrl, InvalidInput: 400). */
int cr_iso_url_parse(const char *url, struct cr_iso_request *req, struct cr_osrm_error *e);

/* Finds the session serving a profile name (NULL: not served; NAMES lists those that are). */
typedef const struct cr_session *(*cr_iso_lookup)(void *user, const char *profile);

/* The JSON body answering URL and *STATUS (200, or a 4xx/5xx with {"code","message"}). NULL
 * only when out of memory. caller frees: free() */
char *cr_iso_answer(const char *url, cr_iso_lookup lookup, void *user, int *status);

#endif
