#include "core/geo.h"

#include <geodesic.h>
#include <math.h>
#include <stddef.h>

#define WGS84_A 6378137.0
#define WGS84_F (1.0 / 298.257223563)
#define DEG_TO_RAD (M_PI / 180.0)
#define LONG_PAIR_M 50000.0

int32_t
cr_deg_to_e7(double deg)
{
    return (int32_t)lround(deg * CR_E7);
}

void
cr_geo_scale(double lat, double *m_per_deg_lon, double *m_per_deg_lat)
{
    const double e2 = WGS84_F * (2.0 - WGS84_F);
    double c = cos(lat * DEG_TO_RAD);
    double w2 = 1.0 / (1.0 - e2 * (1.0 - c * c));
    double w = sqrt(w2);
    double m = DEG_TO_RAD * WGS84_A;

    *m_per_deg_lon = m * w * c;               /* radius of the parallel */
    *m_per_deg_lat = m * w * w2 * (1.0 - e2); /* meridional radius of curvature */
}

double
cr_geo_geodesic_m(double lon1, double lat1, double lon2, double lat2)
{
    struct geod_geodesic g;
    double s12 = 0.0;

    geod_init(&g, WGS84_A, WGS84_F);
    geod_inverse(&g, lat1, lon1, lat2, lon2, &s12, NULL, NULL);
    return s12;
}

double
cr_geo_distance_m(int32_t lon1_e7, int32_t lat1_e7, int32_t lon2_e7, int32_t lat2_e7)
{
    double kx, ky;
    double lat_mid = ((double)lat1_e7 + (double)lat2_e7) / (2.0 * CR_E7);
    double dlon = ((double)lon2_e7 - (double)lon1_e7) / CR_E7;
    double dlat = ((double)lat2_e7 - (double)lat1_e7) / CR_E7;
    double d;

    if (dlon > 180.0)
        dlon -= 360.0;
    else if (dlon < -180.0)
        dlon += 360.0;
    cr_geo_scale(lat_mid, &kx, &ky);
    d = sqrt((dlon * kx) * (dlon * kx) + (dlat * ky) * (dlat * ky));
    if (d > LONG_PAIR_M)
        return cr_geo_geodesic_m(cr_e7_to_deg(lon1_e7), cr_e7_to_deg(lat1_e7),
                                 cr_e7_to_deg(lon2_e7), cr_e7_to_deg(lat2_e7));
    return d;
}

int
cr_geo_valid(double lon, double lat)
{
    return isfinite(lon) && isfinite(lat) && lon >= -180.0 && lon <= 180.0 && lat >= -90.0 &&
           lat <= 90.0;
}
