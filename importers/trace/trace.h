/*
 * GPS traces for map matching (`corridor match`): a GPX file's track points, or a CSV file of
 * lon,lat[,time] rows, read with GDAL/OGR (the GPX and CSV drivers) through spatial/vector.
 *
 * GPX (.gpx): the layer track_points (every track and segment in file order), or route_points
 *   when the file has no track; times from each point's <time>.
 * CSV (.csv): a header line; columns lon/longitude/x, lat/latitude/y and an optional
 *   time/timestamp: seconds (a number, e.g. Unix time) or ISO 8601 "2026-04-30T08:00:05Z"
 *   (a zone offset "+07:00" is honoured; none means UTC).
 * Either every point has a time or none has. Times must not go backwards.
 */
#ifndef CR_IMPORTERS_TRACE_H
#define CR_IMPORTERS_TRACE_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

struct cr_trace {
    int32_t *lon_e7, *lat_e7; /* [count] */
    double *time_s;           /* [count] seconds since 1970 (UTC), or NULL: no times */
    size_t count;
};

/* Reads PATH. Errors name the file and the line or feature: "t.csv: line 4: time \"x\" is not
 * seconds or an ISO 8601 time". CR_EIO unreadable, CR_EFORMAT not a file GDAL reads,
 * CR_EINVAL bad values, CR_EEMPTY no points. On error *OUT is empty.
 * caller frees: cr_trace_fini() */
enum cr_status cr_trace_read(const char *path, struct cr_trace *out, struct cr_error *err);
void cr_trace_fini(struct cr_trace *t);

/* "2026-04-30T08:00:05.5+07:00" (also a space for T, no seconds' fraction, Z or no zone: UTC)
 * into seconds since 1970; 0 on success, -1 when TEXT is not such a time. */
int cr_trace_parse_time(const char *text, double *out);

#endif
