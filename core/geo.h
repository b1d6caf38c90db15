/*
 * Geodesy on the WGS84 ellipsoid for coordinates in 1e-7 degrees (int32, as OSM stores them).
 *
 * cr_geo_distance_m is the hot-path distance: the ellipsoid's local flat approximation at the
 * pair's mid-latitude (the method of Mapbox's cheap-ruler), within 0.01 % of the true geodesic
 * for points under 10 km apart (tested against PROJ's geod_inverse, Karney's algorithm, which
 * cr_geo_geodesic_m wraps for anything long).
 */
#ifndef CR_CORE_GEO_H
#define CR_CORE_GEO_H

#include <stdint.h>

#define CR_E7 10000000.0

static inline double
cr_e7_to_deg(int32_t e7)
{
    return (double)e7 / CR_E7;
}

/* Degrees to 1e-7 degrees, rounded to nearest; the caller keeps deg inside [-180, 180]. */
int32_t cr_deg_to_e7(double deg);

/* Distance in metres: local ellipsoidal approximation, falling back to the geodesic for pairs
 * more than 50 km apart. */
double cr_geo_distance_m(int32_t lon1_e7, int32_t lat1_e7, int32_t lon2_e7, int32_t lat2_e7);

/* Geodesic distance in metres on WGS84 (PROJ's geod_inverse). */
double cr_geo_geodesic_m(double lon1, double lat1, double lon2, double lat2);

/* Metres per degree of longitude and of latitude at LAT (degrees), on WGS84. */
void cr_geo_scale(double lat, double *m_per_deg_lon, double *m_per_deg_lat);

/* Whether a lon/lat pair in degrees is a valid WGS84 coordinate (finite, in range). */
int cr_geo_valid(double lon, double lat);

#endif
